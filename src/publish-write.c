/*
 * publish-write.c - how publishing writes a file: atomically (beside the
 * target, then renamed), only when its bytes changed, and with a gzip twin
 * FILE.gz for web servers that serve precompressed files (nginx
 * gzip_static). The twin is rewritten only with its original, or when it
 * is missing or its mtime is not the original's (a run killed between the
 * two renames), and gets the original's mtime. zlib writes no name and
 * mtime 0 into the gzip header, so the twin's bytes depend on the content
 * alone. Every file counts in the run's stats as written or unchanged.
 *
 * Pages and feeds made by a template are not made again when what they are
 * made from did not change: publish_fingerprint() hashes the input
 * document (serialized, streamed through the hash, never held whole), the
 * template's parameters but the run's time ("generated", which the default
 * templates do not print), which template, and the run's fixed part
 * (publish_fingerprint_setup(): this program's version, libxml2's and
 * libxslt's as loaded, and every template file in the templates folders). The
 * manifest keeps the fingerprint beside the file; publish_write_skip()
 * keeps a file whose fingerprint did not move and that is still in place
 * (both it and its .gz, with the same mtime), and XSLT and gzip do not run
 * for it. `publish --rebuild` renders everything anyway. A story page's
 * fingerprint is made by publish-story.c without building the page
 * (r->fp_given); the rest is the same.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <zlib.h>

#include "publish-int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"
#include "xslt.h"

#define PUBLISH_GZ_MAX (64u * 1024 * 1024)
#define TEMPLATE_MAX (4u * 1024 * 1024) /* bytes of one template file hashed */

/* --- fingerprints ------------------------------------------------------------- */

/*
 * Two 64-bit lanes, FNV-1a and a multiply-xorshift one with another
 * offset, each mixed at the end (publish_hash_mix()). The 128 bits are not
 * cryptographic: they tell apart what one site publishes, where nobody
 * chooses inputs to collide with themselves.
 */
void publish_hash_init(struct publish_hash *h)
{
	h->a = UINT64_C(0xcbf29ce484222325);
	h->b = UINT64_C(0x84222325cbf29ce4);
}

void publish_hash_bytes(struct publish_hash *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h->a = (h->a ^ p[i]) * UINT64_C(0x100000001b3);
		h->b = (h->b ^ p[i]) * UINT64_C(0x9e3779b97f4a7c15);
		h->b ^= h->b >> 29;
	}
}

void publish_hash_str(struct publish_hash *h, const char *s)
{
	publish_hash_bytes(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

uint64_t publish_hash_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file in dir (sorted by name): its name and content. */
static void hash_dir(struct publish_hash *h, const char *dir)
{
	DIR *d = dir && dir[0] ? opendir(dir) : NULL;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct buf b = BUF_INIT;
	char err[ERR_MAX];

	publish_hash_str(h, dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xgrow(names, &cap, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]);
		struct stat st;

		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			publish_hash_str(h, names[i]);
			buf_reset(&b);
			if (file_read(path, TEMPLATE_MAX, &b, err) == 0)
				publish_hash_bytes(h, b.data, b.len);
			else
				publish_hash_str(h, err);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	buf_free(&b);
}

void publish_fingerprint_setup(struct run *r)
{
	struct publish_hash *h = &r->base_hash;

	publish_hash_init(h);
	publish_hash_str(h, PACKAGE_VERSION);
	publish_hash_str(h, xslt_version());
	publish_hash_str(h, xmlParserVersion);
	hash_dir(h, r->o->templates);
	hash_dir(h, r->o->default_templates);
}

static int hash_write(void *ctx, const char *data, int len)
{
	if (len > 0)
		publish_hash_bytes(ctx, data, (size_t)len);
	return len;
}

static int hash_close(void *ctx)
{
	(void)ctx;
	return 0;
}

void publish_hash_node(struct publish_hash *h, xmlDocPtr doc, xmlNodePtr node)
{
	xmlOutputBufferPtr out = xmlOutputBufferCreateIO(hash_write, hash_close, h, NULL);

	if (out == NULL) {
		publish_hash_str(h, "no memory"); /* h stays a function of the node, or of this */
		return;
	}
	xmlNodeDumpOutput(out, doc, node, 0, 0, NULL);
	xmlOutputBufferClose(out);
}

void publish_fingerprint(const struct run *r, int which, xmlDocPtr doc, const char *const *params,
                         const char *path, char out[PUBLISH_FP_LEN])
{
	struct publish_hash h = r->base_hash;
	xmlSaveCtxtPtr save;
	size_t i;
	char t[16];

	snprintf(t, sizeof t, "%d", which);
	publish_hash_str(&h, t);
	publish_hash_str(&h, path);
	for (i = 0; params[i] && params[i + 1]; i += 2) {
		if (strcmp(params[i], "generated") == 0)
			continue;
		publish_hash_str(&h, params[i]);
		publish_hash_str(&h, params[i + 1]);
	}
	save = xmlSaveToIO(hash_write, hash_close, &h, "UTF-8", 0);
	if (save == NULL) {
		out[0] = '\0'; /* no fingerprint: the file is made */
		return;
	}
	xmlSaveDoc(save, doc);
	xmlSaveClose(save);
	snprintf(out, PUBLISH_FP_LEN, "%016llx%016llx", (unsigned long long)publish_hash_mix(h.a),
	         (unsigned long long)publish_hash_mix(h.b));
}

static int gzip_bytes(const void *data, size_t len, struct buf *out)
{
	z_stream zs;
	uLong bound;
	int rc;

	memset(&zs, 0, sizeof zs);
	/* windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0 and no name. */
	if (len > PUBLISH_GZ_MAX ||
	    deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&zs, (uLong)len);
	buf_reset(out);
	out->data = xgrow(out->data, &out->cap, (size_t)bound + 1, 1);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->data;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	out->len = rc == Z_STREAM_END ? (size_t)zs.total_out : 0;
	out->data[out->len] = '\0';
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

static void count(struct run *r, int written)
{
	if (written)
		r->st->written++;
	else
		r->st->unchanged++;
}

static int same_mtime(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * The .gz copy of path: rewritten when path was, or when it is missing or
 * its mtime is not the original's (a run killed between the two renames).
 */
static int write_gz(struct run *r, const char *path, const void *data, size_t len, int changed,
                    char *err)
{
	char *gz = xasprintf("%s.gz", path);
	struct stat orig, cur;
	struct buf z = BUF_INIT;
	struct timeval tv[2];
	int rc = -1;

	if (stat(path, &orig) != 0) {
		err_set(err, "%s: cannot stat after writing", path);
		goto out;
	}
	if (!changed && stat(gz, &cur) == 0 && same_mtime(&orig, &cur)) {
		count(r, 0);
		rc = 0;
		goto out;
	}
	if (gzip_bytes(data, len, &z) != 0) {
		err_set(err, "%s: cannot compress", gz);
		goto out;
	}
	if (file_write_atomic_ex(gz, z.data, z.len, r->batch ? FILE_BATCH : 0, err) < 0)
		goto out;
	tv[0].tv_sec = tv[1].tv_sec = orig.st_mtim.tv_sec;
	tv[0].tv_usec = tv[1].tv_usec = orig.st_mtim.tv_nsec / 1000;
	if (utimes(gz, tv) != 0) {
		err_set(err, "%s: cannot set its modification time", gz);
		goto out;
	}
	/* utimes() has microseconds: the original gets the same truncated time. */
	if (orig.st_mtim.tv_nsec % 1000 != 0 && utimes(path, tv) != 0) {
		err_set(err, "%s: cannot set its modification time", path);
		goto out;
	}
	count(r, 1);
	rc = 0;
out:
	buf_free(&z);
	free(gz);
	return rc;
}

int publish_write_skip(struct run *r, const char *path, const char *fp)
{
	const char *before = publish_files_fp(r, path);
	struct stat orig, cur;
	char *gz;
	int ok;

	if (r->o->rebuild || fp[0] == '\0' || before == NULL || strcmp(before, fp) != 0)
		return 0;
	gz = xasprintf("%s.gz", path);
	ok = stat(path, &orig) == 0 && S_ISREG(orig.st_mode) && stat(gz, &cur) == 0 &&
	     S_ISREG(cur.st_mode) && same_mtime(&orig, &cur);
	if (ok) {
		r->fp = fp;
		publish_files_add(r, path);
		publish_files_add(r, gz);
		r->fp = NULL;
		r->st->unchanged += 2;
		r->st->skipped++;
	}
	free(gz);
	return ok;
}

int publish_write_file(struct run *r, const char *path, const void *data, size_t len, char *err)
{
	int rc = file_write_atomic_ex(path, data, len, r->batch ? FILE_BATCH : 0, err);
	char *gz;

	if (rc < 0)
		return -1;
	gz = xasprintf("%s.gz", path);
	publish_files_add(r, path);
	publish_files_add(r, gz);
	free(gz);
	count(r, rc > 0);
	if (write_gz(r, path, data, len, rc > 0, err) != 0)
		return -1;
	return rc > 0;
}

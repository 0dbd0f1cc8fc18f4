/*
 * publish-write.c - how publishing writes a file: atomically (beside the
 * target, then renamed), only when its bytes changed, and with a gzip twin
 * FILE.gz for web servers that serve precompressed files (nginx
 * gzip_static). The twin is rewritten only with its original, or when it
 * is missing or its mtime is not the original's (a run killed between the
 * two renames), and gets the original's mtime. zlib writes no name and
 * mtime 0 into the gzip header, so the twin's bytes depend on the content
 * alone. Every file counts in the run's stats as written or unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <zlib.h>

#include "publish-int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

#define PUBLISH_GZ_MAX (64u * 1024 * 1024)

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

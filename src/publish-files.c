/*
 * publish-files.c - the manifest: which files under output_dir publishing
 * wrote, kept in the store (store_files(), owner "publish").
 *
 * Every file a run writes (publish-write.c, .gz twins included) is noted
 * with the updated date of the document it shows. At the end of a run
 * that succeeded, the files the previous run wrote and this one did not
 * (a removed or renamed category, a day page past archive_days, a robots
 * file no longer configured) are removed, with their folders when that
 * leaves them empty; files publishing never wrote are never touched. The
 * dates make a feed's updated monotonic (publish_planet_finish()); the
 * fingerprints let a page whose inputs did not change stay as it is
 * (publish-write.c).
 *
 * Adoption: a manifest that is empty (a site published before there was
 * one, or a database made anew beside an old output_dir) takes in what
 * earlier runs demonstrably wrote, so that what they no longer produce
 * goes too. Only two shapes of path are looked at, and only regular files
 * (no symbolic link is followed):
 *
 *   FOLDER/atom.xml rss.xml feed.json index.html   a category's files
 *   YYYY/MM/DD.html                                a day page
 *
 * each also as FILE.gz (read inflated). A file is adopted only when its
 * content carries our mark: a feed its <generator>aggregator</generator>
 * (in the feed's head) and, when `link` is set, its own URL as its self
 * link (LINK + FOLDER/atom.xml: a feed of this site at this place, not of
 * another site published below it, nor a copy); a page only beside an
 * Atom feed that is ours (FOLDER/atom.xml, or the site's for a day page),
 * and with <meta name="generator" content="aggregator"> or, written before
 * pages had it, its <link rel="alternate"> to that feed; feed.json a JSON
 * Feed beside an atom.xml that is ours. A folder that
 * holds sources.html or opml.xml is another site's top, never a category,
 * and is left alone. An adopted atom.xml keeps its updated date, so the
 * feed's date does not go back across the upgrade either.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "date.h"
#include "publish-int.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

#define OWNER "publish"
#define HEAD_MAX (16 * 1024) /* bytes of a file (inflated) read for its mark: its head */
#define GENERATOR "<generator>aggregator</generator>"
#define PAGE_MARK "<meta name=\"generator\" content=\"aggregator\""
#define ATOM_ALT "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Atom\" href=\""

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct store_file *)a)->path, ((const struct store_file *)b)->path);
}

/* --- adoption ------------------------------------------------------------------ */

/*
 * The first HEAD_MAX bytes of output_dir/rel, inflated when it is gzip
 * (zlib reads other files as they are), NUL-terminated; NULL when it is
 * not a regular file or cannot be read.
 */
static char *head_of(const struct run *r, const char *rel)
{
	char *path = path_join(r->o->output_dir, rel), *buf = NULL;
	struct stat st;
	gzFile gz = NULL;
	int n;

	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	gz = gzopen(path, "rb");
	if (gz == NULL)
		goto out;
	buf = xmalloc(HEAD_MAX + 1);
	n = gzread(gz, buf, HEAD_MAX);
	if (n < 0) {
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	if (gz)
		gzclose(gz);
	free(path);
	return buf;
}

/* The head of rel, else of rel.gz. */
static char *head_or_gz(const struct run *r, const char *rel)
{
	char *h = head_of(r, rel), *gz;

	if (h)
		return h;
	gz = xasprintf("%s.gz", rel);
	h = head_of(r, gz);
	free(gz);
	return h;
}

/* Where s holds what before its first stop (anywhere without one), or NULL. */
static const char *before(const char *s, const char *what, const char *stop)
{
	const char *at = strstr(s, what), *end = strstr(s, stop);

	return at && (end == NULL || at < end) ? at : NULL;
}

/*
 * Whether head is a feed (Atom or RSS) that publishing wrote as rel: our
 * generator in its head and, when link is set, its own URL as self link.
 * *updated gets an Atom feed's date (0 when none).
 */
static int our_feed(const struct run *r, const char *rel, const char *head, int64_t *updated)
{
	const char *stop = strstr(head, "<entry") ? "<entry" : "<item", *at;
	int ok = before(head, GENERATOR, stop) != NULL;

	*updated = 0;
	if (ok && r->o->link && r->o->link[0]) {
		char *self = xasprintf("href=\"%s%s\"", r->o->link, rel);
		ok = before(head, self, stop) != NULL;
		free(self);
	}
	if (ok && (at = before(head, "<updated>", stop)) != NULL) {
		char date[DATE_MAX];
		size_t n = strcspn(at + 9, "<");

		if (n < sizeof date) {
			memcpy(date, at + 9, n);
			date[n] = '\0';
			if (date_parse(date, updated) != 0)
				*updated = 0;
		}
	}
	return ok;
}

/*
 * Whether head is a page that publishing wrote: atom is the Atom feed it
 * would advertise ("atom.xml", "../../atom.xml"), atom_ours whether that
 * feed is ours. The page must be its companion: the feed ours, and the
 * page with our generator mark or (from before pages had it) the
 * <link rel="alternate"> to that feed. So a folder copied elsewhere (its
 * feeds' self links are not their new place) is not taken apart.
 */
static int our_page(const char *head, const char *atom, int atom_ours)
{
	char *alt;
	int ok;

	if (!atom_ours)
		return 0;
	if (strstr(head, PAGE_MARK))
		return 1;
	alt = xasprintf(ATOM_ALT "%s\"", atom);
	ok = strstr(head, alt) != NULL;
	free(alt);
	return ok;
}

static void adopt(struct run *r, const char *rel, int64_t updated, size_t *cap)
{
	r->prev = xgrow(r->prev, cap, r->nprev + 1, sizeof *r->prev);
	r->prev[r->nprev].path = xstrdup(rel);
	r->prev[r->nprev].fp = NULL;
	r->prev[r->nprev].memo = NULL;
	r->prev[r->nprev++].updated = updated;
}

/* dir/name and dir/name.gz (dir "" at the top), when ours. */
static void adopt_pair(struct run *r, const char *dir, const char *name, const char *atom,
                       int atom_ours, size_t *cap)
{
	int gz;

	for (gz = 0; gz < 2; gz++) {
		char *rel = xasprintf("%s%s%s%s", dir, dir[0] ? "/" : "", name, gz ? ".gz" : "");
		char *head = head_of(r, rel);
		int64_t updated = 0;
		int ok = 0;

		if (head == NULL) {
			free(rel);
			continue;
		}
		if (strcmp(name, "atom.xml") == 0 || strcmp(name, "rss.xml") == 0) {
			char *plain = xasprintf("%s%s%s", dir, dir[0] ? "/" : "", name);
			ok = our_feed(r, plain, head, &updated);
			free(plain);
			if (gz || strcmp(name, "rss.xml") == 0)
				updated = 0;
		} else if (strcmp(name, "feed.json") == 0) {
			static const char json[] = "{\"version\": \"https://jsonfeed.org/version/";

			ok = atom_ours && strncmp(head, json, sizeof json - 1) == 0;
		} else {
			ok = our_page(head, atom, atom_ours);
		}
		if (ok)
			adopt(r, rel, updated, cap);
		free(head);
		free(rel);
	}
}

/* Whether the folder's atom.xml (or its .gz) is ours. */
static int folder_feed_ours(const struct run *r, const char *dir)
{
	char *rel = xasprintf("%s%satom.xml", dir, dir[0] ? "/" : "");
	char *head = head_or_gz(r, rel);
	int64_t updated;
	int ok = head && our_feed(r, rel, head, &updated);

	free(head);
	free(rel);
	return ok;
}

static int digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

char **publish_list_dir(const struct run *r, const char *rel, size_t *n)
{
	char *path = path_join(r->o->output_dir, rel);
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	free(path);
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	return v;
}

void publish_list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int publish_is_dir(const struct run *r, const char *rel)
{
	char *path = path_join(r->o->output_dir, rel);
	struct stat st;
	int ok = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);

	free(path);
	return ok;
}

/* Whether name is NN.html (a day page), or NN.html.gz when NN.html is not in v. */
static int day_name(const char *name, char **v, size_t n)
{
	size_t len = strlen(name), i;

	if (name[0] < '0' || name[0] > '9' || name[1] < '0' || name[1] > '9')
		return 0;
	if (strcmp(name + 2, ".html") == 0)
		return 1;
	if (strcmp(name + 2, ".html.gz") != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strlen(v[i]) == len - 3 && strncmp(v[i], name, len - 3) == 0)
			return 0; /* NN.html is there: its twin is adopted with it */
	return 1;
}

/* YYYY/MM/DD.html (and .gz) pages: ours when marked, or linking the site's Atom feed, ours. */
static void adopt_days(struct run *r, const char *year, int site_ours, size_t *cap)
{
	char **months, **days;
	size_t nm, nd, i, j;

	months = publish_list_dir(r, year, &nm);
	for (i = 0; i < nm; i++) {
		char *m = xasprintf("%s/%s", year, months[i]);

		if (digits(months[i], 2) && publish_is_dir(r, m)) {
			days = publish_list_dir(r, m, &nd);
			for (j = 0; j < nd; j++) {
				char name[8];

				if (!day_name(days[j], days, nd))
					continue;
				snprintf(name, sizeof name, "%.2s.html", days[j]);
				adopt_pair(r, m, name, "../../atom.xml", site_ours, cap);
			}
			publish_list_free(days, nd);
		}
		free(m);
	}
	publish_list_free(months, nm);
}

/* Whether output_dir/dir holds name (or name.gz). */
static int has_file(const struct run *r, const char *dir, const char *name)
{
	char *rel = xasprintf("%s/%s", dir, name);
	char *head = head_or_gz(r, rel);
	int ok = head != NULL;

	free(head);
	free(rel);
	return ok;
}

/* Takes into the empty manifest the files earlier runs wrote (see the top). */
static void adopt_all(struct run *r)
{
	static const char *const names[] = {"atom.xml", "rss.xml", "feed.json", "index.html"};
	size_t n, i, k, cap = 0;
	char **top = publish_list_dir(r, "", &n);
	int site_ours = folder_feed_ours(r, "");

	for (i = 0; i < n; i++) {
		const char *d = top[i];
		int ours;

		if (!publish_is_dir(r, d))
			continue;
		if (digits(d, 4)) {
			adopt_days(r, d, site_ours, &cap);
			continue;
		}
		if (has_file(r, d, "sources.html") || has_file(r, d, "opml.xml"))
			continue; /* another site published below this one */
		ours = folder_feed_ours(r, d);
		for (k = 0; k < sizeof names / sizeof names[0]; k++)
			adopt_pair(r, d, names[k], "atom.xml", ours, &cap);
	}
	publish_list_free(top, n);
}

int publish_files_load(struct run *r, char *err)
{
	if (store_files(r->s, OWNER, &r->prev, &r->nprev, err) != 0)
		return -1;
	if (r->nprev == 0)
		adopt_all(r);
	if (r->nprev > 1)
		qsort(r->prev, r->nprev, sizeof *r->prev, by_path);
	return 0;
}

static struct store_file *find(struct store_file *v, size_t n, const char *path)
{
	struct store_file key = {(char *)path, 0, NULL, NULL};

	return n ? bsearch(&key, v, n, sizeof *v, by_path) : NULL;
}

int64_t publish_files_updated(const struct run *r, const char *file)
{
	const struct store_file *f = find(r->prev, r->nprev, file);

	return f ? f->updated : 0;
}

/* path relative to output_dir, or NULL when it is not under it. */
static const char *relative(const struct run *r, const char *path)
{
	size_t n = strlen(r->o->output_dir);

	while (n > 1 && r->o->output_dir[n - 1] == '/')
		n--;
	if (strncmp(path, r->o->output_dir, n) != 0 || path[n] != '/')
		return NULL;
	return path + n + 1;
}

void publish_files_add(struct run *r, const char *path)
{
	const char *rel = relative(r, path);
	int gz;

	if (rel == NULL)
		return;
	r->files = xgrow(r->files, &r->capfiles, r->nfiles + 1, sizeof *r->files);
	r->files[r->nfiles].path = xstrdup(rel);
	gz = strlen(rel) > 3 && strcmp(rel + strlen(rel) - 3, ".gz") == 0;
	/* a .gz twin goes with its original: what the original keeps is enough */
	r->files[r->nfiles].fp = gz ? NULL : xstrdup(r->fp);
	r->files[r->nfiles].memo = gz ? NULL : xstrdup(r->memo);
	r->files[r->nfiles++].updated = r->doc_updated;
}

const char *publish_files_memo(const struct run *r, const char *file)
{
	const struct store_file *f = find(r->prev, r->nprev, file);

	return f ? f->memo : NULL;
}

const char *publish_files_fp(const struct run *r, const char *path)
{
	const char *rel = relative(r, path);
	const struct store_file *f = rel ? find(r->prev, r->nprev, rel) : NULL;

	return f ? f->fp : NULL;
}

/* A manifest path publishing could have written: relative, no "..", no empty segment. */
static int safe_path(const char *p)
{
	const char *seg = p;

	if (*p == '\0' || *p == '/')
		return 0;
	for (;;) {
		size_t n = strcspn(seg, "/");

		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		if (seg[n] == '\0')
			return 1;
		seg += n + 1;
	}
}

/* Removes output_dir/rel, then its folders up to output_dir while they are empty. */
static int remove_file(struct run *r, const char *rel, char *err)
{
	char *path = path_join(r->o->output_dir, rel), *slash;
	int rc = 0;

	if (unlink(path) != 0 && errno != ENOENT) {
		rc = err_set(err, "%s: cannot remove: %s", path, strerror(errno));
		goto out;
	}
	while ((slash = strrchr(path, '/')) != NULL && relative(r, path) &&
	       strchr(relative(r, path), '/')) {
		*slash = '\0';
		if (rmdir(path) != 0)
			break; /* not empty, or not ours to remove */
	}
out:
	free(path);
	return rc;
}

/*
 * Removes what a killed run left in the folders this one publishes in
 * (FILE.tmp.PID): a file kept as it was is not written, so nothing else
 * would look beside it. One readdir() per folder.
 */
static void remove_leftovers(struct run *r)
{
	char *last = NULL;
	size_t i;

	file_remove_stale(r->o->output_dir);
	for (i = 0; i < r->nfiles; i++) {
		const char *p = r->files[i].path, *slash = strrchr(p, '/');
		char *dir;

		if (slash == NULL)
			continue;
		dir = xstrndup(p, (size_t)(slash - p));
		if (last == NULL || strcmp(last, dir) != 0) {
			char *full = path_join(r->o->output_dir, dir);

			file_remove_stale(full);
			free(full);
			free(last);
			last = dir;
		} else {
			free(dir);
		}
	}
	free(last);
}

int publish_files_finish(struct run *r, char *err)
{
	size_t i;

	if (r->nfiles > 1)
		qsort(r->files, r->nfiles, sizeof *r->files, by_path);
	remove_leftovers(r);
	for (i = 0; i < r->nprev; i++) {
		if (!safe_path(r->prev[i].path) || find(r->files, r->nfiles, r->prev[i].path))
			continue;
		if (remove_file(r, r->prev[i].path, err) != 0)
			return -1;
	}
	return store_files_set(r->s, OWNER, r->files, r->nfiles, 0, err);
}

void publish_files_free(struct run *r)
{
	store_files_free(r->prev, r->nprev);
	store_files_free(r->files, r->nfiles);
	r->prev = r->files = NULL;
	r->nprev = r->nfiles = 0;
}

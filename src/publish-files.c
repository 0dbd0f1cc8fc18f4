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
 * dates make a feed's updated monotonic (publish_planet_finish()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publish-int.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

#define OWNER "publish"

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct store_file *)a)->path, ((const struct store_file *)b)->path);
}

int publish_files_load(struct run *r, char *err)
{
	if (store_files(r->s, OWNER, &r->prev, &r->nprev, err) != 0)
		return -1;
	if (r->nprev > 1)
		qsort(r->prev, r->nprev, sizeof *r->prev, by_path);
	return 0;
}

static struct store_file *find(struct store_file *v, size_t n, const char *path)
{
	struct store_file key = {(char *)path, 0};

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

	if (rel == NULL)
		return;
	r->files = xgrow(r->files, &r->capfiles, r->nfiles + 1, sizeof *r->files);
	r->files[r->nfiles].path = xstrdup(rel);
	r->files[r->nfiles++].updated = r->doc_updated;
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

int publish_files_finish(struct run *r, char *err)
{
	size_t i;

	if (r->nfiles > 1)
		qsort(r->files, r->nfiles, sizeof *r->files, by_path);
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

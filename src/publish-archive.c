/*
 * publish-archive.c - the day pages, YYYY/MM/DD.html, one per local day
 * inside the archive window (archive_days back from now).
 *
 * The walk over the entries (publish.c) hands each entry inside the window
 * to publish_archive_add(), newest first, so the days arrive in order: a
 * day is complete when an entry of an older day arrives. It is written
 * then, one day late, so that its page can link to both neighbours (the
 * newer day is the last one written, the older one has just begun).
 * Once the walk is over, archive.html lists every day page written, newest
 * first, with its story count (agg:archive), and the digests' archive
 * copies found under output_dir/digest/ (agg:digests); the templates link
 * it as "archive" when there is at least one day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "atom.h"
#include "date.h"
#include "publish-int.h"
#include "tz.h"
#include "util/file.h"
#include "util/xmalloc.h"

#define PUBLISH_DAY_MAX 1000 /* entries on one day page */

/* "2024/05/01.html" for a day. */
static void day_path(const char *date, char *out, size_t len)
{
	snprintf(out, len, "%.4s/%.2s/%.2s.html", date, date + 5, date + 8);
}

/* Writes the day page of d; older and newer are the neighbouring days ("" when none). */
static int write_day(struct run *r, struct day *d, const char *older, const char *newer, char *err)
{
	const struct publish_opts *o = r->o;
	char sub[16], file[8], prev[32] = "", next[32] = "", rel[32];
	char *dir, *base;
	struct page pg;
	int rc = -1;

	snprintf(sub, sizeof sub, "%.4s/%.2s", d->date, d->date + 5);
	snprintf(file, sizeof file, "%.2s.html", d->date + 8);
	if (older[0])
		day_path(older, prev, sizeof prev);
	if (newer[0])
		day_path(newer, next, sizeof next);
	dir = path_join(o->output_dir, sub);
	base = xasprintf("%s%s/", publish_nz(o->link), sub);
	memset(&pg, 0, sizeof pg);
	pg.kind = "day";
	pg.dir = dir;
	pg.base_url = base;
	pg.root = "../../";
	pg.feeds = "../../";
	pg.feeds_url = publish_nz(o->link);
	pg.day = d->date;
	pg.prev_day = prev;
	pg.next_day = next;
	if (file_mkdirs(dir, err) != 0)
		goto out;
	snprintf(rel, sizeof rel, "%s/%s", sub, file);
	publish_planet_finish(r, &d->p, rel);
	rc = publish_apply(r, T_HTML, d->p.doc, &pg, file, err);
	r->doc_updated = 0;
out:
	free(dir);
	free(base);
	return rc;
}

static void day_start(struct run *r, struct day *d, int64_t key, int64_t t)
{
	char local[TZ_DATE_MAX], *title, *url, *atom;
	const char *link = publish_nz(r->o->link);

	tz_format(r->tz, t, local);
	memcpy(d->date, local, 10);
	d->date[10] = '\0';
	d->key = key;
	title = xasprintf("%s: %s", publish_name(r), d->date);
	url = xasprintf("%s%.4s/%.2s/%.2s.html", link, d->date, d->date + 5, d->date + 8);
	atom = xasprintf("%satom.xml", link);
	publish_planet_init(r, &d->p, title, url, atom);
	free(title);
	free(url);
	free(atom);
}

/* Days since the epoch of local time t (the day an entry is filed under). */
int64_t publish_archive_day(const struct run *r, int64_t t)
{
	int64_t l = t + tz_offset(r->tz, t);

	return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

/* The current day is complete; older is the date of the next older day page, or "". */
static int day_flush(struct run *r, const char *older)
{
	int rc;

	if (!r->has_cur)
		return 0;
	if (r->newest_day[0] == '\0')
		day_path(r->cur.date, r->newest_day, sizeof r->newest_day);
	rc = write_day(r, &r->cur, older, r->newer_day, r->err);
	r->days = xgrow(r->days, &r->capdays, r->ndays + 1, sizeof *r->days);
	memcpy(r->days[r->ndays].date, r->cur.date, sizeof r->days[r->ndays].date);
	r->days[r->ndays++].n = r->cur.p.n;
	memcpy(r->newer_day, r->cur.date, sizeof r->newer_day);
	publish_planet_free(&r->cur.p);
	r->has_cur = 0;
	return rc;
}

int publish_archive_add(struct run *r, const struct entry *e, const struct feed *src,
                        const char *const *names, int n, int64_t key, int64_t t)
{
	if (r->has_cur && r->cur.key != key) {
		struct day next;

		day_start(r, &next, key, t);
		if (day_flush(r, next.date) != 0) {
			publish_planet_free(&next.p);
			return -1;
		}
		r->cur = next;
		r->has_cur = 1;
	} else if (!r->has_cur) {
		day_start(r, &r->cur, key, t);
		r->has_cur = 1;
	}
	if (r->cur.p.n < PUBLISH_DAY_MAX) {
		publish_planet_add(r, &r->cur.p, e, src, names, n);
		if (r->page_path)
			publish_story_part(r, r->cur.p.doc);
	}
	return 0;
}

/* Whether name is a digest's archive copy: "YYYY-MM-DD.html" or "YYYY-MM-DD-N.html". */
static int digest_copy_name(const char *name, char *day)
{
	const char *p = name + 10;
	int64_t days;

	if (strlen(name) < 15)
		return 0;
	memcpy(day, name, 10);
	day[10] = '\0';
	if (date_parse_day(day, &days) != 0)
		return 0;
	if (*p == '-')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	return strcmp(p, ".html") == 0;
}

/* A folder name safe to put in a link as is: letters, digits, '-', '_', '.' (not first). */
static int plain_name(const char *s)
{
	if (*s == '\0' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int names_asc(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The digests' archive copies (output_dir/digest/SLUG/DAY.html, written by
 * `digest --send`), newest first under each profile, as agg:digests, so
 * archive.html links them. Nothing when there are none.
 */
static void add_digests(struct run *r, xmlNodePtr root, xmlNsPtr agg)
{
	char **profiles, **copies, *dir, *rel, day[11];
	size_t np, nc, i, j;
	xmlNodePtr list = NULL, prof, c;

	profiles = publish_list_dir(r, "digest", &np);
	if (np > 1)
		qsort(profiles, np, sizeof *profiles, names_asc);
	for (i = 0; i < np; i++) {
		dir = xasprintf("digest/%s", profiles[i]);
		copies = plain_name(profiles[i]) && publish_is_dir(r, dir)
		             ? publish_list_dir(r, dir, &nc)
		             : NULL;
		if (copies == NULL)
			nc = 0;
		if (nc > 1)
			qsort(copies, nc, sizeof *copies, names_asc);
		prof = NULL;
		for (j = nc; j-- > 0;) { /* newest first */
			if (!digest_copy_name(copies[j], day))
				continue;
			if (list == NULL)
				list = xmlNewChild(root, agg, BAD_CAST "digests", NULL);
			if (prof == NULL) {
				prof = xmlNewChild(list, agg, BAD_CAST "profile", NULL);
				xmlNewProp(prof, BAD_CAST "name", BAD_CAST profiles[i]);
			}
			rel = xasprintf("%s/%s", dir, copies[j]);
			c = xmlNewChild(prof, agg, BAD_CAST "copy", NULL);
			xmlNewProp(c, BAD_CAST "date", BAD_CAST day);
			xmlNewProp(c, BAD_CAST "path", BAD_CAST rel);
			free(rel);
		}
		publish_list_free(copies, nc);
		free(dir);
	}
	publish_list_free(profiles, np);
}

/* archive.html: a planet document with no entries, an agg:archive block and the digests. */
static int write_index(struct run *r)
{
	const struct publish_opts *o = r->o;
	const char *link = publish_nz(o->link);
	char *title =
	    xasprintf("%s: %s", publish_name(r),
	              o->language && strcmp(o->language, "ko") == 0 ? "\xEC\xA7\x80\xEB\x82\x9C "
	                                                              "\xEA\xB8\xB0\xEC\x82\xAC"
	                                                            : "archive");
	char *url = xasprintf("%sarchive.html", link);
	char *atom = xasprintf("%satom.xml", link);
	char path[32], num[32];
	struct planet p;
	struct page pg;
	xmlNodePtr root, list, d;
	xmlNsPtr agg;
	size_t i;
	int rc;

	publish_planet_init(r, &p, title, url, atom);
	root = xmlDocGetRootElement(p.doc);
	agg = xmlSearchNsByHref(p.doc, root, BAD_CAST ATOM_AGG_NS);
	list = xmlNewChild(root, agg, BAD_CAST "archive", NULL);
	for (i = 0; i < r->ndays; i++) {
		d = xmlNewChild(list, agg, BAD_CAST "day", NULL);
		day_path(r->days[i].date, path, sizeof path);
		snprintf(num, sizeof num, "%zu", r->days[i].n);
		xmlNewProp(d, BAD_CAST "date", BAD_CAST r->days[i].date);
		xmlNewProp(d, BAD_CAST "path", BAD_CAST path);
		xmlNewProp(d, BAD_CAST "count", BAD_CAST num);
	}
	add_digests(r, root, agg);
	memset(&pg, 0, sizeof pg);
	pg.kind = "archive";
	pg.dir = o->output_dir;
	pg.base_url = link;
	pg.root = "";
	pg.feeds = "";
	pg.feeds_url = link;
	rc = publish_apply(r, T_HTML, p.doc, &pg, "archive.html", r->err);
	publish_planet_free(&p);
	free(title);
	free(url);
	free(atom);
	return rc;
}

int publish_archive_finish(struct run *r)
{
	if (day_flush(r, "") != 0)
		return -1;
	return r->ndays > 0 ? write_index(r) : 0;
}

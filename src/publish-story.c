/*
 * publish-story.c - a page for each story: YYYY/MM/DD/SLUG.html.
 *
 * Before the walk, every story placed inside the archive window that has
 * no page yet gets its path (store_publish_paths()): the local day it is
 * placed on and a slug of its headline, "-2", "-3" ... when another story
 * has it. The store keeps it, so a story's URL never changes, whatever
 * happens to its headline or its lead later; the page lives while its day
 * is in the archive (the manifest, publish-files.c, removes it after).
 *
 * During the walk (publish.c) each story inside the window is noted here
 * (publish_story_note()): its path, what a list of related articles shows
 * of it, and its dedupe signature. Its entries in the lists carry agg:page,
 * the path of its page, so the index, category and day pages link to it.
 * After the walk, each story's Related Articles are the stories of the
 * window on the same subject (dedupe_related(): a shared name or quoted
 * title, then shared words), best first, nearest in time among equals;
 * then a second walk over the same entries writes each story's page: the
 * story (its atom:entry, with its other sources in agg:also) and its
 * related stories as agg:related elements of the feed.
 *
 * Related Articles are kept from one run to the next. What a story's list
 * depends on is its neighbourhood: the stories within RELATED_SPAN of it
 * in time order, their headlines, leads and times, and where each is
 * relative to it. A polynomial hash of that (each story's hash times
 * B^(its position - the story's), summed over the span; B odd, so prefix
 * sums and B's inverse give every story's in one pass) is kept in the
 * manifest beside the story's page, with the paths of its related
 * stories (publish_files_memo()). A story whose neighbourhood hash is the
 * one kept gets that list back; only the others, the new stories and
 * those within RELATED_SPAN of a story that came or went, are compared.
 * The result is what comparing every story would give; publish --rebuild
 * does that.
 *
 * A story's page is not even built when it would not change: its
 * fingerprint (story_fp()) is made of its entry as its day page holds it
 * (publish_story_part(): the same atom:entry, with agg:page and agg:in,
 * but for agg:ago, left out: on its own page it is always 0, while on the
 * day page it moves whenever a newer story comes that day), what its related stories
 * show, its updated date, its path and the site's settings that reach a
 * story page. Only the stories whose fingerprint moved (or whose file is
 * gone, or that are past a full day page) are built in the second walk,
 * which stops once they are written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "atom.h"
#include "category.h"
#include "dedupe.h"
#include "publish-int.h"
#include "tz.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define STORY_SLUG_MAX 72 /* bytes of the headline's slug in a page's name */
#define RELATED_MIN 30    /* dedupe_related() that makes a related story */
#define RELATED_SPAN 250  /* stories either side (in time) a story's related are looked for in */
#define PUBLISH_STORIES_MAX 20000 /* story pages per run */

struct story {
	char *path; /* from output_dir: "2024/05/01/slug.html" */
	char *title, *source, *thumb, *local, *zone, *link;
	int64_t t;
	char *excerpt;          /* what its signature is made from, with its title */
	struct dedupe_sig *sig; /* made when needed (story_sig()) */
	struct publish_hash h;  /* of what its related stories are found from */
	size_t related[PUBLISH_RELATED];
	size_t nrelated;
	char *memo;               /* its neighbourhood's hash and its related stories' paths */
	int known;                /* its related stories came from the last run */
	struct publish_hash part; /* its entry as its day page has it */
	int has_part;
	char fp[PUBLISH_FP_LEN]; /* its page's fingerprint, when it has a part */
	int written;
};

/* --- paths --------------------------------------------------------------------- */

/* Whether a character above ASCII is punctuation or a symbol, not a letter or digit. */
static int is_mark(uint32_t c)
{
	return c < 0xC0 || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
	       (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) ||
	       (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
	       (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c >= 0x1F000;
}

/*
 * The slug of a headline for a file name: ASCII letters (lower-cased) and
 * digits, other letters as UTF-8 (Hangul stays Hangul), everything else a
 * single '-'; at most STORY_SLUG_MAX bytes, cut between characters; "story"
 * when nothing is left.
 */
static char *story_slug(const char *title)
{
	const unsigned char *p = (const unsigned char *)(title ? title : "");
	const unsigned char *end = p + strlen((const char *)p);
	struct buf b = BUF_INIT;
	int dash = 0;
	uint32_t cp;
	size_t len;

	while (p < end) {
		len = *p < 0x80 ? 1 : utf8_decode(p, (size_t)(end - p), &cp);
		if (len == 0) {
			len = 1; /* a broken byte */
			cp = '-';
		} else if (len == 1) {
			cp = *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p;
		}
		if ((len == 1 && !((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))) ||
		    (len > 1 && is_mark(cp))) {
			dash = 1;
			p += len;
			continue;
		}
		if (b.len + len + (dash && b.len > 0) > STORY_SLUG_MAX)
			break;
		if (dash && b.len > 0)
			buf_putc(&b, '-');
		dash = 0;
		if (len == 1)
			buf_putc(&b, (char)cp);
		else
			buf_append(&b, p, len);
		p += len;
	}
	if (b.len == 0)
		buf_puts(&b, "story");
	return buf_detach(&b);
}

static char *propose(void *arg, const char *title, int64_t place, int attempt)
{
	struct run *r = arg;
	char local[TZ_DATE_MAX], *slug, *path;
	size_t n;

	tz_format(r->tz, place, local);
	slug = story_slug(title);
	n = strlen(slug);
	if (attempt == 0)
		path = xasprintf("%.4s/%.2s/%.2s/%.*s.html", local, local + 5, local + 8, (int)n,
		                 slug);
	else
		path = xasprintf("%.4s/%.2s/%.2s/%.*s-%d.html", local, local + 5, local + 8, (int)n,
		                 slug, attempt + 1);
	free(slug);
	return path;
}

int publish_story_paths(struct run *r, char *err)
{
	size_t minted;
	int64_t since;

	if (r->o->archive_days == 0)
		return 0;
	/* a day more than the window: its first day starts before now - days */
	since = r->o->now -
	        (int64_t)(r->o->archive_days > 36500 ? 36500 : r->o->archive_days + 1) * 86400;
	return store_publish_paths(r->s, since, propose, r, &minted, err);
}

/* --- what the walk notes ---------------------------------------------------------- */

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

const char *publish_story_note(struct run *r, const struct entry *e, const struct feed *src,
                               const char *local, int64_t t)
{
	struct story *s;

	if (e->pub_path == NULL || r->nstories >= PUBLISH_STORIES_MAX)
		return NULL;
	r->stories = xgrow(r->stories, &r->capstories, r->nstories + 1, sizeof *r->stories);
	s = &r->stories[r->nstories++];
	memset(s, 0, sizeof *s);
	s->path = xstrdup(e->pub_path);
	s->title = dup_or_empty(e->title.value);
	s->source = dup_or_empty(src ? src->title.value : NULL);
	s->thumb = dup_or_empty(e->thumbnail);
	s->local = dup_or_empty(local);
	s->zone = dup_or_empty(tz_abbrev(r->tz, t));
	s->link = dup_or_empty(e->link);
	s->t = t;
	s->excerpt = dup_or_empty(e->excerpt);
	publish_hash_init(&s->h);
	publish_hash_str(&s->h, e->title.value);
	publish_hash_str(&s->h, e->excerpt);
	publish_hash_bytes(&s->h, &t, sizeof t);
	return s->path;
}

void publish_story_part(struct run *r, xmlDocPtr doc)
{
	struct story *s = r->nstories ? &r->stories[r->nstories - 1] : NULL;
	xmlNodePtr n = xmlDocGetRootElement(doc), ago;

	if (s == NULL || s->path != r->page_path || n == NULL)
		return;
	for (n = n->last; n && n->type != XML_ELEMENT_NODE; n = n->prev)
		;
	if (n == NULL)
		return;
	/* agg:ago, its last child, counts from the day's newest story: on its own page it is 0 */
	for (ago = n->last; ago && ago->type != XML_ELEMENT_NODE; ago = ago->prev)
		;
	if (ago && xmlStrEqual(ago->name, BAD_CAST "ago"))
		xmlUnlinkNode(ago);
	else
		ago = NULL;
	publish_hash_init(&s->part);
	publish_hash_node(&s->part, doc, n);
	if (ago)
		xmlAddChild(n, ago);
	s->has_part = 1;
}

/* --- related stories ------------------------------------------------------------ */

struct candidate {
	size_t j;
	int score;
	int64_t gap;
};

static int by_score(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->gap != y->gap)
		return x->gap < y->gap ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/* Whether two headlines are the same words (a copy the clustering kept apart). */
static int same_title(const struct story *a, const struct story *b)
{
	return strcmp(a->title, b->title) == 0;
}

/* A word of a story, for the index of who shares what: its feature and the story. */
struct posting {
	uint32_t h;
	uint32_t j;
};

static int by_feature(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/* The first posting of v (n, sorted) with feature h and story j or later. */
static size_t first_of(const struct posting *v, size_t n, uint32_t h, uint32_t j)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].h < h || (v[mid].h == h && v[mid].j < j))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct related_index {
	struct posting *words; /* every feature of every story */
	size_t nwords;
	struct posting *names; /* every subject word (dedupe_subjects()) of every story */
	size_t nnames;
};

/* The dedupe signature of s, made the first time it is asked for. */
static const struct dedupe_sig *story_sig(struct story *s)
{
	if (s->sig == NULL) {
		s->sig = xmalloc(sizeof *s->sig);
		dedupe_signature(s->title, s->excerpt, s->sig);
	}
	return s->sig;
}

/* The index of the stories that need[] marks (those a story looked at may be compared with). */
static void index_build(struct run *r, const unsigned char *need, struct related_index *x)
{
	uint32_t subj[DEDUPE_TOKENS];
	size_t i, k, n, capw = 0, capn = 0;

	memset(x, 0, sizeof *x);
	for (i = 0; i < r->nstories; i++) {
		const struct dedupe_sig *g;

		if (!need[i])
			continue;
		g = story_sig(&r->stories[i]);

		x->words = xgrow(x->words, &capw, x->nwords + g->nall, sizeof *x->words);
		for (k = 0; k < g->nall; k++) {
			x->words[x->nwords].h = g->all[k];
			x->words[x->nwords++].j = (uint32_t)i;
		}
		n = dedupe_subjects(g, subj, DEDUPE_TOKENS);
		x->names = xgrow(x->names, &capn, x->nnames + n, sizeof *x->names);
		for (k = 0; k < n; k++) {
			x->names[x->nnames].h = subj[k];
			x->names[x->nnames++].j = (uint32_t)i;
		}
	}
	if (x->nwords > 1)
		qsort(x->words, x->nwords, sizeof *x->words, by_feature);
	if (x->nnames > 1)
		qsort(x->names, x->nnames, sizeof *x->names, by_feature);
}

/*
 * Adds the stories of v (n) with feature h to the candidates of story i
 * (once each): those within RELATED_SPAN stories of it in time, so that a
 * word every story has costs no more than a bounded look around.
 */
static void gather(const struct posting *v, size_t n, uint32_t h, size_t i, uint32_t *stamp,
                   uint32_t **cand, size_t *ncand, size_t *cap)
{
	uint32_t from = (uint32_t)(i > RELATED_SPAN ? i - RELATED_SPAN : 0);
	uint32_t to = (uint32_t)(i + RELATED_SPAN);
	size_t k;

	for (k = first_of(v, n, h, from); k < n && v[k].h == h && v[k].j <= to; k++) {
		if (v[k].j == i || stamp[v[k].j] == (uint32_t)i + 1)
			continue;
		stamp[v[k].j] = (uint32_t)i + 1;
		*cand = xgrow(*cand, cap, *ncand + 1, sizeof **cand);
		(*cand)[(*ncand)++] = v[k].j;
	}
}

/*
 * Each story's related stories: those that share a subject word with it
 * (found through an index of every story's words and subject words, so a
 * story is compared only with the stories that can be related to it),
 * scored by dedupe_related(), best first, nearest in time among equals.
 */
static void find_related(struct run *r)
{
	struct related_index x;
	uint32_t *stamp, *cand = NULL;
	uint32_t subj[DEDUPE_TOKENS];
	struct candidate *c = NULL;
	size_t i, k, n, nc, capcand = 0, capc = 0, ns, last = 0;
	unsigned char *need;
	int any = 0;

	/* the stories within RELATED_SPAN of one whose list is not kept */
	need = xcalloc(r->nstories, 1);
	for (i = 0; i < r->nstories; i++) {
		size_t hi = i + RELATED_SPAN < r->nstories ? i + RELATED_SPAN : r->nstories - 1;

		if (r->stories[i].known)
			continue;
		k = i > RELATED_SPAN ? i - RELATED_SPAN : 0;
		if (any && k <= last)
			k = last + 1;
		for (; k <= hi; k++)
			need[k] = 1;
		last = hi;
		any = 1;
	}
	if (!any) {
		free(need);
		return; /* every list kept */
	}
	stamp = xcalloc(r->nstories, sizeof *stamp);
	index_build(r, need, &x);
	free(need);
	for (i = 0; i < r->nstories; i++) {
		struct story *s = &r->stories[i];
		const struct dedupe_sig *g;

		if (s->known)
			continue;
		g = story_sig(s);
		nc = 0;
		ns = dedupe_subjects(g, subj, DEDUPE_TOKENS);
		for (k = 0; k < ns; k++)
			gather(x.words, x.nwords, subj[k], i, stamp, &cand, &nc, &capcand);
		for (k = 0; k < g->nall; k++)
			gather(x.names, x.nnames, g->all[k], i, stamp, &cand, &nc, &capcand);
		c = xgrow(c, &capc, nc + 1, sizeof *c);
		for (n = 0, k = 0; k < nc; k++) {
			struct story *o = &r->stories[cand[k]];
			int score;

			if (same_title(s, o))
				continue;
			score = dedupe_related(g, story_sig(o));
			if (score < RELATED_MIN)
				continue;
			c[n].j = cand[k];
			c[n].score = score;
			c[n].gap = s->t > o->t ? s->t - o->t : o->t - s->t;
			n++;
		}
		if (n > 1)
			qsort(c, n, sizeof *c, by_score);
		for (k = 0; k < n && s->nrelated < PUBLISH_RELATED; k++) {
			size_t m;

			/* one of two stories with the same headline is enough */
			for (m = 0; m < s->nrelated; m++)
				if (same_title(&r->stories[s->related[m]], &r->stories[c[k].j]))
					break;
			if (m == s->nrelated)
				s->related[s->nrelated++] = c[k].j;
		}
	}
	free(x.words);
	free(x.names);
	free(stamp);
	free(cand);
	free(c);
}

/* --- related stories kept from the last run ------------------------------------------ */

#define KEY_LEN 32 /* hex digits of a neighbourhood's hash */

/* The inverse of odd x modulo 2^64 (Newton's iteration: each step doubles the bits). */
static uint64_t inverse(uint64_t x)
{
	uint64_t y = x;
	int k;

	for (k = 0; k < 6; k++)
		y *= 2 - x * y;
	return y;
}

/*
 * The hash of each story's neighbourhood, one lane (v: each story's hash):
 * sum over the span of v[k] * B^(k - i), from prefix sums of v[k] * B^k.
 */
static void lane_keys(const uint64_t *v, size_t n, uint64_t base, uint64_t *out)
{
	uint64_t *pre = xmalloc((n + 1) * sizeof *pre), p = 1, q = 1, inv = inverse(base);
	size_t i;

	pre[0] = 0;
	for (i = 0; i < n; i++) {
		pre[i + 1] = pre[i] + v[i] * p;
		p *= base;
	}
	for (i = 0; i < n; i++) {
		size_t lo = i > RELATED_SPAN ? i - RELATED_SPAN : 0;
		size_t hi = i + RELATED_SPAN + 1 < n ? i + RELATED_SPAN + 1 : n;

		out[i] = (pre[hi] - pre[lo]) * q;
		q *= inv;
	}
	free(pre);
}

static struct story *find_story(struct run *r, struct story **index, const char *path);

/*
 * Each story's neighbourhood key and, when the manifest kept a list for
 * that key and every story of it is still here, its related stories.
 */
static void related_kept(struct run *r, struct story **index)
{
	size_t n = r->nstories, i;
	uint64_t *va = xmalloc(n * sizeof *va), *vb = xmalloc(n * sizeof *vb);
	uint64_t *ka = xmalloc(n * sizeof *ka), *kb = xmalloc(n * sizeof *kb);

	for (i = 0; i < n; i++) {
		va[i] = publish_hash_mix(r->stories[i].h.a);
		vb[i] = publish_hash_mix(r->stories[i].h.b);
	}
	lane_keys(va, n, UINT64_C(0x9e3779b97f4a7c15), ka);
	lane_keys(vb, n, UINT64_C(0xc2b2ae3d27d4eb4f), kb);
	for (i = 0; i < n; i++) {
		struct story *s = &r->stories[i];
		char key[KEY_LEN + 1];
		const char *memo, *p;

		/* the binary and its templates are part of the key */
		snprintf(key, sizeof key, "%016llx%016llx",
		         (unsigned long long)publish_hash_mix(ka[i] ^ r->base_hash.a),
		         (unsigned long long)publish_hash_mix(kb[i] ^ r->base_hash.b));
		s->memo = xstrdup(key);
		memo = r->o->rebuild ? NULL : publish_files_memo(r, s->path);
		if (memo == NULL || strncmp(memo, key, KEY_LEN) != 0 ||
		    (memo[KEY_LEN] != '\0' && memo[KEY_LEN] != '\n'))
			continue;
		s->known = 1;
		for (p = memo + KEY_LEN; *p == '\n' && s->known;) {
			size_t len = strcspn(p + 1, "\n");
			char *path = xstrndup(p + 1, len);
			struct story *o = find_story(r, index, path);

			if (o == NULL || s->nrelated >= PUBLISH_RELATED)
				s->known = 0; /* gone: look again */
			else
				s->related[s->nrelated++] = (size_t)(o - r->stories);
			free(path);
			p += len + 1;
		}
		if (!s->known)
			s->nrelated = 0;
	}
	free(va);
	free(vb);
	free(ka);
	free(kb);
}

/* What the manifest keeps beside each story's page: its key and its related stories. */
static void related_memos(struct run *r)
{
	size_t i, k;

	for (i = 0; i < r->nstories; i++) {
		struct story *s = &r->stories[i];
		struct buf b = BUF_INIT;

		buf_append(&b, s->memo, KEY_LEN);
		for (k = 0; k < s->nrelated; k++) {
			buf_putc(&b, '\n');
			buf_puts(&b, r->stories[s->related[k]].path);
		}
		free(s->memo);
		s->memo = buf_detach(&b);
	}
}

/* --- the pages ---------------------------------------------------------------------- */

static int by_path(const void *a, const void *b)
{
	return strcmp((*(struct story *const *)a)->path, (*(struct story *const *)b)->path);
}

static struct story *find_story(struct run *r, struct story **index, const char *path)
{
	size_t lo = 0, hi = r->nstories;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(index[mid]->path, path);

		if (c == 0)
			return index[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void add_related(xmlDocPtr doc, const struct story *o)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNsPtr agg = xmlSearchNsByHref(doc, root, BAD_CAST ATOM_AGG_NS);
	xmlNodePtr n = xmlNewChild(root, agg, BAD_CAST "related", NULL);

	xmlNodeAddContent(n, BAD_CAST o->title);
	xmlNewProp(n, BAD_CAST "page", BAD_CAST o->path);
	if (o->link[0])
		xmlNewProp(n, BAD_CAST "href", BAD_CAST o->link);
	if (o->source[0])
		xmlNewProp(n, BAD_CAST "source", BAD_CAST o->source);
	if (o->thumb[0])
		xmlNewProp(n, BAD_CAST "thumbnail", BAD_CAST o->thumb);
	if (o->local[0])
		xmlNewProp(n, BAD_CAST "local", BAD_CAST o->local);
	if (o->zone[0])
		xmlNewProp(n, BAD_CAST "zone", BAD_CAST o->zone);
}

/* The updated date a story's page gets (publish_planet_finish()). */
static int64_t story_updated(const struct run *r, const struct story *s)
{
	int64_t t = s->t, before = publish_files_updated(r, s->path);

	if (t < before)
		t = before;
	return t > 0 ? t : r->o->now;
}

/* What every story page is made with: the settings that reach one (publish_apply()). */
static void site_hash(const struct run *r, struct publish_hash *h)
{
	const struct publish_opts *o = r->o;
	size_t i;

	*h = r->base_hash;
	publish_hash_str(h, "story page");
	publish_hash_str(h, publish_name(r));
	publish_hash_str(h, o->name);
	publish_hash_str(h, o->link);
	publish_hash_str(h, o->timezone);
	publish_hash_str(h, o->language);
	publish_hash_str(h, o->hub);
	publish_hash_str(h, tz_abbrev(r->tz, o->now));
	publish_hash_str(h, r->newest_day[0] ? "archive" : "");
	for (i = 0; i < r->ncats; i++) {
		publish_hash_str(h, r->cats[i].name);
		publish_hash_str(h, r->cats[i].slug);
	}
}

/* The fingerprint of s's page (see the top), site the hash of site_hash(). */
static void story_fp(const struct run *r, const struct publish_hash *site, struct story *s)
{
	struct publish_hash h = *site;
	char local[TZ_DATE_MAX], num[32];
	int64_t t = story_updated(r, s);
	size_t k;

	publish_hash_str(&h, s->path);
	publish_hash_bytes(&h, &s->part, sizeof s->part);
	for (k = 0; k < s->nrelated; k++) {
		const struct story *o = &r->stories[s->related[k]];

		publish_hash_str(&h, o->title);
		publish_hash_str(&h, o->path);
		publish_hash_str(&h, o->link);
		publish_hash_str(&h, o->source);
		publish_hash_str(&h, o->thumb);
		publish_hash_str(&h, o->local);
		publish_hash_str(&h, o->zone);
	}
	snprintf(num, sizeof num, "%lld", (long long)t);
	publish_hash_str(&h, num);
	tz_format(r->tz, t, local);
	publish_hash_str(&h, local);
	publish_hash_str(&h, tz_abbrev(r->tz, t));
	snprintf(s->fp, sizeof s->fp, "%016llx%016llx", (unsigned long long)publish_hash_mix(h.a),
	         (unsigned long long)publish_hash_mix(h.b));
}

struct pages {
	struct run *r;
	struct story **index; /* r->stories sorted by path */
	char **dirs;          /* the folders written in, for file_batch_done() */
	size_t ndirs, capdirs;
	int64_t oldest; /* the oldest story's time: the walk stops past it */
	size_t written;
	int failed;
};

static int write_story(struct pages *w, struct story *s, const struct entry *e,
                       const struct feed *src, const char *const *names, int nnames)
{
	struct run *r = w->r;
	const char *link = publish_nz(r->o->link);
	const char *slash = strrchr(s->path, '/');
	char *sub = xasprintf("%.*s", (int)(slash - s->path), s->path);
	char *dir = path_join(r->o->output_dir, sub);
	char *base = xasprintf("%s%s/", link, sub);
	char *url = xasprintf("%s%s", link, s->path);
	char *atom = xasprintf("%satom.xml", link);
	struct planet p;
	struct page pg;
	size_t k, rendered;
	int rc;

	publish_planet_init(r, &p, publish_nz(e->title.value), url, atom);
	r->page_path = s->path;
	publish_planet_add(r, &p, e, src, names, nnames);
	r->page_path = NULL;
	for (k = 0; k < s->nrelated; k++)
		add_related(p.doc, &r->stories[s->related[k]]);
	memset(&pg, 0, sizeof pg);
	pg.kind = "story";
	pg.dir = dir;
	pg.base_url = base;
	pg.root = "../../../";
	pg.feeds = "../../../";
	pg.feeds_url = link;
	publish_planet_finish(r, &p, s->path);
	rendered = r->st->rendered;
	r->memo = s->memo;
	r->fp_given = s->has_part ? s->fp : NULL;
	rc = publish_apply(r, T_HTML, p.doc, &pg, slash + 1, r->err);
	r->fp_given = NULL;
	r->memo = NULL;
	r->doc_updated = 0;
	w->written++;
	/* the folders written in (publish_apply() makes them), to flush at the end */
	if (r->st->rendered > rendered &&
	    (w->ndirs == 0 || strcmp(w->dirs[w->ndirs - 1], dir) != 0)) {
		w->dirs = xgrow(w->dirs, &w->capdirs, w->ndirs + 1, sizeof *w->dirs);
		w->dirs[w->ndirs++] = xstrdup(dir);
	}

	publish_planet_free(&p);
	free(sub);
	free(dir);
	free(base);
	free(url);
	free(atom);
	return rc;
}

static int page_walk(void *arg, const struct entry *e, const struct feed *src)
{
	struct pages *w = arg;
	struct run *r = w->r;
	const char *names[PUBLISH_CATS_MAX];
	int n;
	struct story *s;

	if (w->written >= r->nstories || publish_entry_time(e) < w->oldest)
		return 1; /* every page written */
	if (e->pub_path == NULL || (s = find_story(r, w->index, e->pub_path)) == NULL || s->written)
		return 0;
	s->written = 1;
	n = category_assign(r->rules, e, names, PUBLISH_CATS_MAX);
	if (n < 0)
		return 0;
	if (write_story(w, s, e, src, names, n) != 0) {
		w->failed = 1;
		return 1;
	}
	return 0;
}

int publish_story_pages(struct run *r, char *err)
{
	struct publish_hash site;
	struct pages w;
	size_t i;
	int rc;

	if (r->nstories == 0)
		return 0;
	memset(&w, 0, sizeof w);
	w.r = r;
	w.index = xmalloc(r->nstories * sizeof *w.index);
	w.oldest = r->stories[0].t;
	for (i = 0; i < r->nstories; i++) {
		w.index[i] = &r->stories[i];
		if (r->stories[i].t < w.oldest)
			w.oldest = r->stories[i].t;
	}
	qsort(w.index, r->nstories, sizeof *w.index, by_path);
	related_kept(r, w.index);
	find_related(r);
	related_memos(r);
	for (i = 0; i < r->nstories; i++) {
		/* what the related stories were found from is not needed any more */
		free(r->stories[i].sig);
		free(r->stories[i].excerpt);
		r->stories[i].sig = NULL;
		r->stories[i].excerpt = NULL;
	}
	site_hash(r, &site);
	for (i = 0; i < r->nstories; i++) {
		struct story *s = &r->stories[i];
		char *path;
		int kept;

		if (!s->has_part)
			continue;
		story_fp(r, &site, s);
		path = path_join(r->o->output_dir, s->path);
		r->memo = s->memo;
		r->doc_updated = story_updated(r, s);
		kept = publish_write_skip(r, path, s->fp);
		r->memo = NULL;
		r->doc_updated = 0;
		free(path);
		if (kept) {
			s->written = 1; /* as it is: not even built */
			w.written++;
		}
	}
	r->err = err;
	r->batch = 1;
	rc = store_entries(r->s, NULL, (size_t)-1, page_walk, &w, err);
	r->batch = 0;
	if (rc == 0 && !w.failed)
		rc = file_batch_done(w.dirs, w.ndirs, err);
	for (i = 0; i < w.ndirs; i++)
		free(w.dirs[i]);
	free(w.dirs);
	free(w.index);
	return rc != 0 || w.failed ? -1 : 0;
}

void publish_story_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nstories; i++) {
		struct story *s = &r->stories[i];

		free(s->path);
		free(s->title);
		free(s->source);
		free(s->thumb);
		free(s->local);
		free(s->zone);
		free(s->link);
		free(s->memo);
		free(s->excerpt);
		free(s->sig);
	}
	free(r->stories);
	r->stories = NULL;
	r->nstories = r->capstories = 0;
}

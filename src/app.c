/*
 * app.c - the jobs behind run, fetch and publish (see app.h).
 *
 * app_fetch() is the crawl: due feeds are claimed from the store a batch at
 * a time (so a run holds one batch, however many feeds the site has) and go
 * to fetch_run(), and as each one finishes its bytes are parsed, normalized and saved through
 * dedupe in one transaction while the others are still downloading. Whatever happens to
 * one feed is reported as "feed URL: reason" and recorded with the feed;
 * it never stops the rest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "date.h"
#include "dedupe.h"
#include "digest.h"
#include "fetch.h"
#include "normalize.h"
#include "parse.h"
#include "tz.h"
#include "url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

struct config *app_config_load(const struct cmd_ctx *ctx, char *err)
{
	struct config *cfg = config_load(ctx->config_path, err);
	const char *p, *nl;

	for (p = cfg ? cfg->warnings : NULL; p && (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		log_error(&ctx->log, "%.*s", (int)(nl - p), p);
	return cfg;
}

int app_check_profiles(const struct config *cfg, char *err)
{
	struct digest_list warnings = {NULL, 0, 0};
	struct digest_profile p;
	size_t i;
	int rc = 0;

	for (i = 0; i < cfg->nsections && rc == 0; i++) {
		const struct config_section *sec = &cfg->sections[i];

		if (strcmp(sec->kind, "digest") != 0)
			continue;
		rc = digest_profile_load(&p, cfg, sec, sec->name, &warnings, err);
		if (rc == 0)
			digest_profile_free(&p);
	}
	digest_list_free(&warnings); /* the digest says them when it runs */
	return rc;
}

/* Lower-case ASCII letters and digits of s, other bytes below 0x80 dropped ("K-Pop" -> "kpop"). */
static char *loose_key(const char *s)
{
	char *k = xstrdup(s), *o = k;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 'A' && ch <= 'Z')
			*o++ = (char)(ch - 'A' + 'a');
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80)
			*o++ = (char)ch;
	}
	*o = '\0';
	return k;
}

/* Whether category cat answers to name at this strictness (see app_category_find()). */
static int category_is(const char *cat, const char *name, const char *loose, int pass)
{
	char *t;
	int same;

	if (pass == 0)
		return strcmp(cat, name) == 0;
	if (pass == 1) {
		t = publish_slug(cat);
		same = strcasecmp(cat, name) == 0 || strcmp(t, name) == 0;
	} else {
		t = loose_key(cat);
		same = *loose && strcmp(t, loose) == 0;
	}
	free(t);
	return same;
}

const char *app_category_find(const struct config *cfg, const char *name)
{
	const struct sublist *subs = &cfg->subs;
	const char *found = NULL;
	char *loose = loose_key(name);
	size_t i;
	int pass, ambiguous = 0;

	for (pass = 0; pass < 3 && found == NULL && !ambiguous; pass++) {
		for (i = 0; i < subs->n; i++) {
			const char *cat = subs->v[i].category;

			if (!category_is(cat, name, loose, pass))
				continue;
			if (found && strcmp(found, cat) != 0)
				ambiguous = 1;
			found = cat;
		}
	}
	free(loose);
	return ambiguous ? NULL : found;
}

char *app_category_names(const struct config *cfg)
{
	const struct sublist *subs = &cfg->subs;
	struct buf b = BUF_INIT;
	size_t i, j;

	for (i = 0; i < subs->n; i++) {
		const char *cat = subs->v[i].category;
		char *slug;

		for (j = 0; j < i && strcmp(subs->v[j].category, cat) != 0; j++)
			;
		if (j < i)
			continue;
		slug = publish_slug(cat);
		buf_printf(&b, "%s%s", b.len ? ", " : "", cat);
		if (strcmp(slug, cat) != 0)
			buf_printf(&b, " (%s)", slug);
		free(slug);
	}
	return buf_detach(&b);
}

/*
 * The date of the tag: URIs minted as published ids (publish-id.c): the
 * day the database was first opened by a version that mints them, by the
 * run's clock (SOURCE_DATE_EPOCH in tests), fixed from then on.
 */
static int app_fix_tag_date(struct app *a, char *err)
{
	char day[DATE_MAX], *fixed = NULL;
	int rc;

	date_format_rfc3339(a->ctx->now, day);
	day[10] = '\0';
	rc = store_site_fixed(a->store, "tag_date", day, &fixed, err);
	free(fixed);
	return rc;
}

int app_open(struct app *a, const struct cmd_ctx *ctx, int lock, char *err)
{
	char *lockpath = NULL;

	memset(a, 0, sizeof *a);
	a->ctx = ctx;
	a->cfg = app_config_load(ctx, err);
	if (a->cfg == NULL)
		return -1;
	if (config_require_subs(a->cfg, err) != 0)
		goto fail;
	/* a job that fetches or publishes checks the digest's sections too, before any fetch */
	if (lock && app_check_profiles(a->cfg, err) != 0)
		goto fail;
	/* One job at a time on an SQLite file. A PostgreSQL database is shared
	 * by design: its jobs are kept apart by the database, not a lock file. */
	if (lock && !store_is_postgresql(a->cfg->database)) {
		lockpath = xasprintf("%s.lock", a->cfg->database);
		a->lock = lock_acquire(lockpath, err);
		free(lockpath);
		if (a->lock == NULL)
			goto fail;
	}
	a->store = store_open(a->cfg->database, err);
	if (a->store == NULL)
		goto fail;
	if (lock && store_lock(a->store, "run", err) != 0)
		goto fail;
	if (store_fill_link_canon(a->store, url_canonical, err) != 0)
		goto fail;
	if (app_fix_tag_date(a, err) != 0)
		goto fail;
	if (store_sync_subscriptions(a->store, &a->cfg->subs, err) != 0)
		goto fail;
	return 0;
fail:
	app_close(a);
	return -1;
}

void app_close(struct app *a)
{
	store_close(a->store);
	lock_release(a->lock);
	config_free(a->cfg);
	memset(a, 0, sizeof *a);
}

/* ---- crawling --------------------------------------------------------- */

/* A network failure held back until the crawl ends (see net_hold()). */
struct held {
	char *url; /* as shown (redacted) */
	char *why;
	int quiet; /* a DEAD feed whose failure goes unsaid this time (dead_quiet()) */
};

struct crawl {
	struct app *app;
	struct app_fetch_stats *st;
	size_t total, done, store_errors;
	const struct subscription **zoned; /* the subscriptions with a timezone, by URL */
	size_t nzoned;
	struct held *held; /* network failures not said yet */
	size_t nheld, capheld;
	int other_failure; /* a failure that was not the network's */
};

static long header_seconds(const char *v, int64_t now)
{
	char *end;
	long n;
	int64_t t;

	if (v == NULL)
		return -1;
	while (*v == ' ')
		v++;
	n = strtol(v, &end, 10);
	if (end != v && (*end == '\0' || *end == ' ' || *end == '\r'))
		return n < 0 ? -1 : n;
	if (date_parse(v, &t) == 0)
		return t > now ? (long)(t - now) : 0;
	return -1;
}

static long max_age(const char *cache_control)
{
	const char *p = cache_control ? strcasestr(cache_control, "max-age=") : NULL;
	char *end;
	long v;

	if (p == NULL)
		return -1;
	v = strtol(p + 8, &end, 10);
	return end == p + 8 || v < 0 ? -1 : v;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The feed's own refresh hint in seconds (RSS ttl, sy:updatePeriod), 0 if none. */
static int64_t feed_hint(const struct feed *f)
{
	int64_t ttl, upd;

	if (f == NULL)
		return 0;
	ttl = f->ttl_minutes > 0 ? (int64_t)f->ttl_minutes * 60 : 0;
	upd = f->update_seconds > 0 ? f->update_seconds : 0;
	return ttl > upd ? ttl : upd;
}

/*
 * When a feed that answered should be fetched again: after the configured
 * interval, or later when the response (max-age, Expires) or the feed
 * (hint) asks for it, within min_interval..max_interval.
 */
static int64_t next_due_ok(const struct config *cfg, const struct fetch_res *res, int64_t hint,
                           int64_t now)
{
	int64_t interval = cfg->interval;
	long age = max_age(res->cache_control);

	if (age < 0 && res->expires)
		age = header_seconds(res->expires, now);
	if (age > interval)
		interval = age;
	if (hint > interval)
		interval = hint;
	return now + clamp(interval, cfg->min_interval, cfg->max_interval);
}

/*
 * When a failed feed is tried again: 429 and 503 wait as long as their
 * Retry-After says; anything else backs off from the interval, doubling
 * with each failure in a row. Both within min_interval..max_backoff.
 */
static int64_t next_due_failed(const struct config *cfg, const struct fetch_res *res, int failures,
                               int64_t now)
{
	int64_t wait = cfg->interval, hi = cfg->max_backoff;
	long retry;

	if (hi < cfg->min_interval)
		hi = cfg->min_interval;
	if (res->status == 429 || res->status == 503) {
		retry = header_seconds(res->retry_after, now);
		if (retry >= 0)
			return now + clamp(retry, cfg->min_interval, hi);
	}
	while (--failures > 0 && wait < hi)
		wait *= 2;
	return now + clamp(wait, cfg->min_interval, hi);
}

static void progress(struct crawl *c)
{
	const struct log *l = &c->app->ctx->log;

	log_progress(l, "fetching %zu/%zu feeds, %.1f MB, %zu failed", c->done, c->total,
	             (double)c->st->bytes / 1e6, c->st->failed);
	if (c->done == c->total)
		log_progress_clear(l);
}

static void feed_failed(struct crawl *c, const char *url, enum log_stage stage, const char *why)
{
	c->st->failed++;
	c->other_failure = 1;
	log_feed_failed(&c->app->ctx->log, url, stage, why);
}

/* The failures that say the network, not the feed, is to blame: the words before the ':'. */
static const char *const net_classes[] = {"could not resolve host", "could not resolve proxy",
                                          "could not connect to host"};
#define NET_CLASSES (sizeof net_classes / sizeof net_classes[0])

/* Which of net_classes why is, plus one; 0 when it is none of them. */
static size_t net_class(const char *why)
{
	size_t i, n;

	for (i = 0; i < NET_CLASSES; i++) {
		n = strlen(net_classes[i]);
		if (strncmp(why, net_classes[i], n) == 0 && (why[n] == ':' || why[n] == '\0'))
			return i + 1;
	}
	return 0;
}

/*
 * A network failure of a fetch is held back, so that a crawl in which every
 * feed failed the same way (the network is down: 27 feeds that cannot
 * resolve their hosts) says so in one line instead of 27 (net_report()).
 * Returns 0 when why is no such failure (then the caller says it).
 */
static int net_hold(struct crawl *c, const char *url, const char *why, int quiet)
{
	struct held *h;

	if (net_class(why) == 0)
		return 0;
	c->held = xgrow(c->held, &c->capheld, c->nheld + 1, sizeof *c->held);
	h = &c->held[c->nheld++];
	h->url = xstrdup(url);
	h->why = xstrdup(why);
	h->quiet = quiet;
	c->st->failed++;
	return 1;
}

/*
 * Says the held failures: one line when every feed of the crawl (two or more)
 * failed with a network error, "N feeds: could not resolve host (network
 * down?)" (the whole message when all are the same, the counts of each kind
 * when they differ), each feed's own line then only with -v -v; else one
 * line per feed as usual.
 */
static void net_report(struct crawl *c)
{
	const struct log *l = &c->app->ctx->log;
	size_t i, k, count[NET_CLASSES] = {0}, kinds = 0;
	int all = c->nheld >= 2 && c->nheld == c->total && !c->other_failure, exact = 1;
	struct buf b = BUF_INIT;

	for (i = 0; all && i < c->nheld; i++) {
		count[net_class(c->held[i].why) - 1]++;
		exact = exact && strcmp(c->held[i].why, c->held[0].why) == 0;
	}
	for (k = 0; all && k < NET_CLASSES; k++) {
		if (count[k] == 0)
			continue;
		buf_printf(&b, "%s%s", kinds ? ", " : "", net_classes[k]);
		kinds++;
	}
	if (all && exact)
		log_error(l, "%zu feeds: %s (network down?)", c->nheld, c->held[0].why);
	else if (all && kinds == 1)
		log_error(l, "%zu feeds: %s (network down?)", c->nheld, b.data);
	else if (all) {
		buf_reset(&b);
		for (k = 0; k < NET_CLASSES; k++)
			if (count[k])
				buf_printf(&b, "%s%zu %s", b.len ? ", " : "", count[k],
				           net_classes[k]);
		log_error(l, "%zu feeds: %s (network down?)", c->nheld, b.data);
	}
	buf_free(&b);
	for (i = 0; i < c->nheld; i++) {
		if (all || c->held[i].quiet)
			log_detail(l, "feed %s: %s: %s", c->held[i].url,
			           c->held[i].quiet ? "still DEAD" : "fetch failed",
			           c->held[i].why);
		else
			log_feed_failed(l, c->held[i].url, LOG_FETCH, c->held[i].why);
		free(c->held[i].url);
		free(c->held[i].why);
	}
	free(c->held);
	c->held = NULL;
	c->nheld = c->capheld = 0;
}

static int zoned_cmp(const void *a, const void *b)
{
	const struct subscription *const *x = a, *const *y = b;

	return strcmp((*x)->url, (*y)->url);
}

/*
 * The subscriptions that name a timezone, sorted by URL for feed_zone():
 * usually none or a few, so a crawl of many feeds does not walk the whole
 * list for each.
 */
static void zoned_index(struct crawl *c)
{
	const struct sublist *l = &c->app->cfg->subs;
	size_t i, cap = 0;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].timezone == NULL || l->v[i].url == NULL)
			continue;
		c->zoned = xgrow(c->zoned, &cap, c->nzoned + 1, sizeof *c->zoned);
		c->zoned[c->nzoned++] = &l->v[i];
	}
	if (c->nzoned > 1)
		qsort(c->zoned, c->nzoned, sizeof *c->zoned, zoned_cmp);
}

/*
 * The zone a subscription says its publisher writes naive dates in (its
 * OPML timezone attribute), loaded; NULL when it gives none (parse then
 * takes the feed language's hint) or names no zone we know (said once
 * per fetch, and the hint is used).
 */
static struct tz *feed_zone(const struct crawl *c, const char *url)
{
	struct subscription key;
	const struct subscription *kp = &key, *const * hit;
	char err[ERR_MAX];
	struct tz *z;

	if (c->nzoned == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.url = (char *)(uintptr_t)url;
	hit = bsearch(&kp, c->zoned, c->nzoned, sizeof *c->zoned, zoned_cmp);
	if (hit == NULL)
		return NULL;
	z = tz_load((*hit)->timezone, err);
	if (z == NULL) {
		char *shown = url_redact(url);

		log_error(&c->app->ctx->log, "feed %s: timezone ignored: %s", shown, err);
		free(shown);
	}
	return z;
}

/*
 * Whether a DEAD feed's failure goes unsaid this time: it was said less than
 * dead_report_interval ago (0: it is only in `status`). Else it is said, and
 * recorded as said.
 */
static int dead_quiet(struct crawl *c, const struct store_feed *sf, int64_t now)
{
	const struct config *cfg = c->app->cfg;
	struct store_feed next = *sf;
	char err[ERR_MAX];

	next.failures = sf->failures + 1; /* as it is after this failure */
	next.last_fetch = now;
	if (next.failing_since <= 0)
		next.failing_since = now;
	if (strcmp(store_feed_state(&next, (int64_t)cfg->dead_after_days * 86400, now), "DEAD") !=
	    0)
		return 0;
	if (cfg->dead_report_interval <= 0)
		return 1;
	if (sf->reported_at > 0 && now >= sf->reported_at &&
	    now - sf->reported_at < cfg->dead_report_interval)
		return 1;
	if (store_feed_reported(c->app->store, sf->id, now, err) != 0) {
		char *shown = url_redact(sf->url);

		log_feed_failed(&c->app->ctx->log, shown, LOG_STORE, err);
		free(shown);
	}
	return 0;
}

static void on_fetched(void *arg, const struct fetch_req *req, const struct fetch_res *res)
{
	struct crawl *c = arg;
	struct app *a = c->app;
	const struct store_feed *sf = req->user;
	struct store_fetch facts;
	struct feed *f = NULL;
	struct tz *zone = NULL;
	char err[ERR_MAX], why[ERR_MAX];
	const char *error = NULL, *p, *nl;
	enum log_stage stage = LOG_FETCH;
	int move;
	int64_t now = a->ctx->now;
	char *shown = url_redact(sf->url), *base = NULL, *moved = NULL;
	size_t added = 0;
	int saved = 0;

	memset(&facts, 0, sizeof facts);
	c->done++;
	c->st->feeds++;
	c->st->bytes += res->body.len;
	if (!res->ok) {
		error = res->error ? res->error : "failed";
		if (res->status == 410) {
			snprintf(why, sizeof why, "%s (gone: no longer fetched)", error);
			error = why;
		}
	} else if (res->status == 304) {
		c->st->not_modified++;
	} else {
		struct parse_opts po;
		struct dedupe_params dp;

		memset(&po, 0, sizeof po);
		zone = feed_zone(c, sf->url);
		po.zone = zone;
		/* no link of the feed may carry the login of its URL */
		base = url_strip_login(res->final_url ? res->final_url : req->url);
		po.base = base;
		po.content_type = res->content_type;
		po.max_entries = (size_t)a->cfg->max_feed_entries;
		dp.threshold = (int)a->cfg->cluster_threshold;
		dp.window_hours = (int)a->cfg->cluster_window_hours;
		f = parse_feed(res->body.data ? res->body.data : "", res->body.len, &po, err);
		if (f == NULL) {
			snprintf(why, sizeof why, "%s", err);
			error = why;
			stage = LOG_PARSE;
		} else {
			for (p = f->warnings; p && (nl = strchr(p, '\n')) != NULL; p = nl + 1)
				log_error(&a->ctx->log, "feed %s: %.*s", shown, (int)(nl - p), p);
			normalize_feed(f, now);
			/* the save and the fetch record are one transaction, unless the
			 * save fails (then the record is one of its own) */
			if (store_feed_begin(a->store, err) != 0 ||
			    dedupe_save_feed(a->store, sf->id, f, now, &dp, &added, err) != 0) {
				snprintf(why, sizeof why, "%s", err);
				error = why;
				stage = LOG_STORE;
				c->store_errors++;
			} else {
				c->st->fetched++;
				c->st->new_entries += added;
				saved = 1;
			}
		}
	}
	if (error == NULL && res->status == 304)
		log_detail(&a->ctx->log, "feed %s: not modified", shown);
	else if (error == NULL)
		log_detail(&a->ctx->log, "feed %s: HTTP %ld, %zu bytes, %zu entries", shown,
		           res->status, res->body.len, f ? f->nentries : 0);

	facts.status = res->status;
	facts.etag = res->etag;
	facts.last_modified = res->last_modified;
	facts.final_url = res->final_url;
	facts.permanent_url = error ? NULL : res->permanent_url;
	facts.error = error;
	facts.when = now;
	facts.feed_interval = f ? feed_hint(f) : sf->feed_interval;
	facts.next_due = error ? next_due_failed(a->cfg, res, sf->failures + 1, now)
	                       : next_due_ok(a->cfg, res, facts.feed_interval, now);
	if (error && dead_quiet(c, sf, now)) {
		if (stage != LOG_FETCH || !net_hold(c, shown, error, 1)) {
			c->st->failed++;
			c->other_failure = 1;
			log_detail(&a->ctx->log, "feed %s: still DEAD: %s", shown, error);
		}
	} else if (error && (stage != LOG_FETCH || !net_hold(c, shown, error, 0))) {
		feed_failed(c, shown, stage, error);
	}
	move = store_record_fetch(a->store, sf->id, &facts, err);
	if (move >= 0 && store_feed_commit(a->store, err) != 0)
		move = -1;
	if (move < 0) {
		/* the record's failure rolled back the feed's save with it */
		store_save_abort(a->store);
		if (saved) {
			c->st->fetched--;
			c->st->new_entries -= added;
		}
		feed_failed(c, shown, LOG_STORE, err);
		c->store_errors++;
	} else if (res->permanent_url && strcmp(res->permanent_url, sf->url) != 0 &&
	           error == NULL && !a->ctx->log.quiet) {
		moved = url_redact(res->permanent_url);
		if (move == STORE_MOVE_TAKEN)
			log_error(&a->ctx->log,
			          "feed %s: moved permanently to %s, which another subscription "
			          "already fetches: URL kept, both fetched (remove one of the two)",
			          shown, moved);
		else if (move == STORE_MOVE_TAKEN_KNOWN)
			log_detail(&a->ctx->log,
			           "feed %s: moved permanently to %s, already subscribed", shown,
			           moved);
		else
			log_error(&a->ctx->log, "feed %s: moved permanently to %s (URL updated)",
			          shown, moved);
	}
	feed_free(f);
	free(shown);
	free(base);
	free(moved);
	tz_free(zone);
	progress(c);
}

void app_fetch_login(const struct config *cfg, struct fetch_req *req)
{
	const struct config_section *login = config_login(cfg, req->url);

	if (login) {
		req->login = config_section_get(login, "user");
		req->password = config_section_get(login, "password");
	}
}

void app_fetch_opts(const struct config *cfg, struct fetch_opts *o, char *ua, size_t ualen)
{
	fetch_opts_default(o);
	o->concurrency = cfg->concurrency;
	o->per_host = cfg->per_host;
	o->timeout = cfg->timeout;
	o->connect_timeout = cfg->connect_timeout;
	o->low_speed_limit = cfg->low_speed_limit;
	o->low_speed_time = cfg->low_speed_time;
	o->max_size = (size_t)cfg->max_size;
	o->max_redirects = cfg->max_redirects;
	if (cfg->contact && !strpbrk(cfg->contact, "\r\n"))
		snprintf(ua, ualen, "aggregator/%s (+%s)", PACKAGE_VERSION, cfg->contact);
	else
		snprintf(ua, ualen, "aggregator/%s", PACKAGE_VERSION);
	o->user_agent = ua;
	o->netrc = cfg->netrc;
	o->ca_file = cfg->ca_file;
	o->ca_path = cfg->ca_path;
}

/* The retention policy, after the feeds are saved; it keeps what publishing shows. */
static int app_retain(struct app *a, char *err)
{
	struct store_retention r;
	size_t removed;

	r.days = a->cfg->retention_days;
	r.per_feed = a->cfg->retention_per_feed;
	r.keep_newest = (size_t)a->cfg->max_entries;
	r.interval = 3600; /* a run that stored nothing needs no pruning more than hourly */
	return store_retain(a->store, &r, a->ctx->now, &removed, err);
}

/*
 * Due feeds are claimed from the store a batch at a time, in id order
 * (keyset paging: a fetched feed's next_due moves into the future, so the
 * pages never skip or repeat one), and each batch is crawled and saved
 * before the next is read: memory follows the batch and the concurrency,
 * not the number of feeds. A batch is large next to the concurrency, so the
 * few slow transfers that end a batch cost little of the crawl's time.
 */
#define APP_BATCH_MIN 2048
#define APP_BATCH_PER_SLOT 32

static size_t batch_size(const struct config *cfg)
{
	size_t per = cfg->concurrency > 0 ? (size_t)cfg->concurrency * APP_BATCH_PER_SLOT : 0;

	return per > APP_BATCH_MIN ? per : APP_BATCH_MIN;
}

/* Crawls one batch of feeds. -1 only when the crawler could not start. */
static int crawl_batch(struct crawl *c, struct store_feed *feeds, size_t n, char *err)
{
	struct app *a = c->app;
	struct fetch_req *reqs = xcalloc(n, sizeof *reqs);
	struct fetch_opts fo;
	char ua[256];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		reqs[i].url = feeds[i].url;
		reqs[i].etag = feeds[i].etag;
		reqs[i].last_modified = feeds[i].last_modified;
		reqs[i].user = &feeds[i];
		app_fetch_login(a->cfg, &reqs[i]);
	}
	app_fetch_opts(a->cfg, &fo, ua, sizeof ua);
	rc = fetch_run(&fo, reqs, n, on_fetched, c, err);
	free(reqs);
	return rc != 0 ? -1 : 0;
}

int app_fetch(struct app *a, int all, struct app_fetch_stats *st, char *err)
{
	struct store_feed *feeds = NULL;
	struct store_feeds_page page;
	struct crawl c;
	size_t n = 0;
	int rc = -1;

	memset(st, 0, sizeof *st);
	memset(&c, 0, sizeof c);
	c.app = a;
	c.st = st;
	if (store_feeds_count(a->store, !all, a->ctx->now, &c.total, err) != 0)
		return -1;
	if (c.total == 0)
		return 0;
	zoned_index(&c);
	page.after = 0;
	page.limit = batch_size(a->cfg);
	page.entry_counts = 0;
	progress(&c);
	for (;;) {
		if (store_feeds_paged(a->store, !all, a->ctx->now, &page, &feeds, &n, err) != 0)
			break;
		if (n == 0) {
			rc = 0;
			break;
		}
		page.after = feeds[n - 1].id;
		rc = crawl_batch(&c, feeds, n, err);
		store_feeds_free(feeds, n);
		feeds = NULL;
		if (rc != 0)
			break;
		rc = -1;
	}
	if (c.done != c.total)
		log_progress_clear(&a->ctx->log);
	c.total = c.done; /* "every feed of the crawl" in net_report() */
	net_report(&c);
	free(c.zoned);
	if (rc != 0)
		return -1;
	if (c.store_errors > 0 && c.store_errors >= c.done) {
		err_set(err, "database %s: every feed failed to save", a->cfg->database);
		return -1;
	}
	return app_retain(a, err);
}

/* ---- publishing ------------------------------------------------------- */

void app_publish_opts(const struct app *a, struct publish_opts *o)
{
	memset(o, 0, sizeof *o);
	o->output_dir = a->cfg->output_dir;
	o->templates = a->cfg->templates;
	o->default_templates = a->ctx->datadir;
	o->name = a->cfg->name;
	o->link = a->cfg->link;
	o->timezone = a->cfg->timezone;
	o->language = a->cfg->language;
	o->max_entries = (size_t)a->cfg->max_entries;
	o->now = a->ctx->now;
	o->categories = a->cfg->categories;
	o->subs = &a->cfg->subs;
	o->archive_days = (size_t)a->cfg->archive_days;
	o->dead_after_days = a->cfg->dead_after_days;
	o->robots = a->cfg->robots;
	o->hub = a->cfg->hub;
	o->rebuild = a->rebuild;
}

#define APP_HUB_TIMEOUT 10        /* seconds for one ping, at most */
#define APP_HUB_CONNECT_TIMEOUT 5 /* seconds to connect to the hub, at most */

/*
 * Tells the WebSub hub about every feed file that changed, through the
 * fetch layer: POST hub.mode=publish&hub.url=URL with the crawler's
 * User-Agent. A failure is a warning in st; publishing still succeeded.
 */
static void ping_hub(const struct app *a, struct publish_stats *st)
{
	const char *hub = a->cfg->hub;
	struct fetch_opts fo;
	char ua[256], why[ERR_MAX];
	size_t i;

	if (hub == NULL || hub[0] == '\0' || st->nchanged == 0)
		return;
	app_fetch_opts(a->cfg, &fo, ua, sizeof ua);
	if (fo.timeout <= 0 || fo.timeout > APP_HUB_TIMEOUT)
		fo.timeout = APP_HUB_TIMEOUT;
	if (fo.connect_timeout <= 0 || fo.connect_timeout > APP_HUB_CONNECT_TIMEOUT)
		fo.connect_timeout = APP_HUB_CONNECT_TIMEOUT;
	for (i = 0; i < st->nchanged; i++) {
		const char *fields[] = {"hub.mode", "publish", "hub.url", st->changed[i], NULL};
		long status = 0;

		if (fetch_post_form(&fo, hub, fields, &status, why) != 0) {
			err_set(st->warning, "hub %.200s: %s", hub, why);
			break; /* a hub that is down is down for every feed */
		}
		if (status < 200 || status > 299) {
			err_set(st->warning, "hub %.200s: HTTP %ld", hub, status);
			break;
		}
		st->pinged++;
	}
}

int app_publish(struct app *a, struct publish_stats *st, char *err)
{
	struct publish_opts o;

	app_publish_opts(a, &o);
	memset(st, 0, sizeof *st);
	if (file_mkdirs(o.output_dir, err) != 0)
		return -1;
	if (publish_run(a->store, &o, st, err) != 0)
		return -1;
	ping_hub(a, st);
	publish_stats_free(st);
	if (st->warning[0])
		log_error(&a->ctx->log, "%s", st->warning);
	return 0;
}

/*
 * cmd-status.c - "aggregator status": every subscribed feed with what the
 * crawler knows of it, one table row per feed:
 *
 *   STATE   ENTRIES  LAST SUCCESS          NEXT DUE              FEED
 *   ok           12  2024-05-01T10:00:00Z  2024-05-01T10:30:00Z  https://...
 *   failing       0  never                 now                   https://...
 *                    error: HTTP 404 (3 in a row since 2024-05-01T08:00:00Z)
 *
 * STATE is "new" (never fetched), "ok", "failing", "DEAD" (failing for
 * dead_after_days or more) or "GONE" (answered 410; no longer fetched).
 * A second line gives its story clusters (stories shared with other sources)
 * and the duplicates suppressed (another source leads the story).
 * With -v each feed also shows its title and category. Only reads the store
 * (no lock), so it can run beside a crawl.
 *
 * --format tsv prints a header row and one row per feed (tabs and line
 * breaks inside a field become spaces, "never" is an empty field); --format json
 * one object {"feeds": [...], "summary": {...}, "exit_status": N}. Times are
 * RFC 3339 in UTC. For monitoring, the exit status says the worst state:
 * 5 (CMD_DEAD) when a feed is DEAD or GONE, else 4 (CMD_FAILING) when one is
 * failing, else 0; 1 and 2 keep their meanings (could not work, bad
 * arguments).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd.h"
#include "date.h"
#include "url.h"
#include "util/err.h"

static const char *when(int64_t t, char *buf)
{
	if (t <= 0)
		return "never";
	date_format_rfc3339(t, buf);
	return buf;
}

/* Failing since when: the first failure in a row, else the last success. */
static int64_t failing_since(const struct store_feed *f)
{
	if (f->failing_since > 0)
		return f->failing_since;
	return f->last_success > 0 ? f->last_success : f->last_fetch;
}

/* The feed's state (store_feed_state(), which sources.html shows too). */
static const char *state_of(const struct store_feed *f, const struct config *cfg, int64_t now)
{
	return store_feed_state(f, (int64_t)cfg->dead_after_days * 86400, now);
}

enum format { FMT_TEXT, FMT_TSV, FMT_JSON };

/* One feed as status shows it. */
struct row {
	const struct store_feed *f;
	const char *state;
	struct store_story_counts dc;
};

/* s as a JSON string (quotes included), or null. */
static void json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/* A time as JSON: an RFC 3339 string, or null for never. */
static void json_time(int64_t t)
{
	char buf[DATE_MAX];

	if (t <= 0)
		fputs("null", stdout);
	else
		json_str(when(t, buf));
}

/* s with tabs and line breaks as spaces, for one TSV field ("" for NULL). */
static void tsv_field(const char *s, int last)
{
	for (; s && *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
	putchar(last ? '\n' : '\t');
}

static void tsv_time(int64_t t, int last)
{
	char buf[DATE_MAX];

	tsv_field(t > 0 ? when(t, buf) : "", last);
}

static void print_text(const struct row *r, const struct cmd_ctx *ctx)
{
	const struct store_feed *f = r->f;
	char d1[DATE_MAX], d2[DATE_MAX], *shown = url_redact(f->url);
	const char *due = f->gone                  ? "never"
	                  : f->next_due > ctx->now ? when(f->next_due, d2)
	                                           : "now";

	printf("%-7s %7lld  %-20s  %-20s  %s\n", r->state, (long long)f->entry_count,
	       when(f->last_success, d1), due, shown);
	free(shown);
	printf("%18s stories: %lld shared with other sources, %lld duplicates suppressed\n", "",
	       (long long)r->dc.clusters, (long long)r->dc.suppressed);
	if (ctx->log.verbose)
		printf("%18s title: %s; category: %s\n", "", f->title ? f->title : "",
		       f->category ? f->category : "");
	if (f->last_error && f->gone)
		printf("%18s error: %s\n", "", f->last_error);
	else if (f->last_error)
		printf("%18s error: %s (%d in a row since %s)\n", "", f->last_error, f->failures,
		       when(failing_since(f), d1));
}

#define TSV_HEADER                                                                                 \
	"state\tentries\tlast_success\tnext_due\tfailures\tfailing_since\tshared\tsuppressed\t"    \
	"category\ttitle\turl\terror\n"

static void print_tsv(const struct row *r, const struct cmd_ctx *ctx)
{
	const struct store_feed *f = r->f;
	char *shown = url_redact(f->url);

	printf("%s\t%lld\t", r->state, (long long)f->entry_count);
	tsv_time(f->last_success, 0);
	tsv_time(f->gone ? 0 : f->next_due > ctx->now ? f->next_due : ctx->now, 0);
	printf("%d\t", f->failures);
	tsv_time(f->last_error && !f->gone ? failing_since(f) : 0, 0);
	printf("%lld\t%lld\t", (long long)r->dc.clusters, (long long)r->dc.suppressed);
	tsv_field(f->category, 0);
	tsv_field(f->title, 0);
	tsv_field(shown, 0);
	tsv_field(f->last_error, 1);
	free(shown);
}

static void print_json(const struct row *r, const struct cmd_ctx *ctx, int first)
{
	const struct store_feed *f = r->f;
	char *shown = url_redact(f->url);

	fputs(first ? "\n    {" : ",\n    {", stdout);
	fputs("\"url\": ", stdout);
	json_str(shown);
	fputs(", \"title\": ", stdout);
	json_str(f->title);
	fputs(", \"category\": ", stdout);
	json_str(f->category);
	fputs(", \"state\": ", stdout);
	json_str(r->state);
	printf(", \"entries\": %lld, \"last_success\": ", (long long)f->entry_count);
	json_time(f->last_success);
	fputs(", \"next_due\": ", stdout);
	json_time(f->gone ? 0 : f->next_due > ctx->now ? f->next_due : ctx->now);
	printf(", \"failures\": %d, \"failing_since\": ", f->failures);
	json_time(f->last_error && !f->gone ? failing_since(f) : 0);
	fputs(", \"error\": ", stdout);
	json_str(f->last_error);
	printf(", \"stories_shared\": %lld, \"duplicates_suppressed\": %lld}",
	       (long long)r->dc.clusters, (long long)r->dc.suppressed);
	free(shown);
}

static int parse_args(int argc, char **argv, enum format *fmt)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*fmt = FMT_TEXT;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			cmd_help(&cmd_status_entry);
			return CMD_OK;
		}
		if (c != 'f')
			return cmd_usage(&cmd_status_entry);
		if (strcmp(optarg, "text") == 0) {
			*fmt = FMT_TEXT;
		} else if (strcmp(optarg, "tsv") == 0) {
			*fmt = FMT_TSV;
		} else if (strcmp(optarg, "json") == 0) {
			*fmt = FMT_JSON;
		} else {
			cmd_error("--format: '%s' is not text, tsv or json", optarg);
			return CMD_USAGE;
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_status_entry);
	return -1;
}

/* The feeds status reads from the store at a time (it streams them, page by page). */
#define STATUS_PAGE 1024

/* Counts of each state, for the summary and the exit status. */
struct tally {
	size_t n, ok, fresh, failing, dead, gone;
};

/* Prints one page of feeds and counts them; -1 with err when the store failed. */
static int print_page(struct app *a, const struct cmd_ctx *ctx, enum format fmt,
                      const struct store_feed *feeds, size_t n, struct tally *t, char *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct row r;

		r.f = &feeds[i];
		r.state = state_of(r.f, a->cfg, ctx->now);
		if (store_story_counts(a->store, r.f->id, &r.dc, err) != 0)
			return -1;
		if (strcmp(r.state, "GONE") == 0)
			t->gone++;
		else if (strcmp(r.state, "DEAD") == 0)
			t->dead++;
		else if (strcmp(r.state, "failing") == 0)
			t->failing++;
		else if (strcmp(r.state, "new") == 0)
			t->fresh++;
		else
			t->ok++;
		if (fmt == FMT_TEXT && t->n == 0)
			printf("%-7s %7s  %-20s  %-20s  %s\n", "STATE", "ENTRIES", "LAST SUCCESS",
			       "NEXT DUE", "FEED");
		if (fmt == FMT_TEXT)
			print_text(&r, ctx);
		else if (fmt == FMT_TSV)
			print_tsv(&r, ctx);
		else
			print_json(&r, ctx, t->n == 0);
		t->n++;
	}
	return 0;
}

static int cmd_status_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_feed *feeds = NULL;
	struct store_feeds_page page = {0, STATUS_PAGE, 1};
	struct tally t;
	struct app a;
	enum format fmt;
	char err[ERR_MAX];
	size_t n = 0;
	int rc;

	if ((rc = parse_args(argc, argv, &fmt)) >= 0)
		return rc;
	/* No lock: status only reads, and may run beside a run. */
	if (app_open(&a, ctx, 0, err) != 0) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	memset(&t, 0, sizeof t);
	if (fmt == FMT_TSV)
		fputs(TSV_HEADER, stdout);
	else if (fmt == FMT_JSON)
		fputs("{\n  \"feeds\": [", stdout);
	do {
		if (store_feeds_paged(a.store, STORE_FEEDS_WITH_GONE, ctx->now, &page, &feeds, &n,
		                      err) != 0 ||
		    print_page(&a, ctx, fmt, feeds, n, &t, err) != 0) {
			cmd_error("%s", err);
			store_feeds_free(feeds, n);
			app_close(&a);
			return CMD_FAIL;
		}
		if (n > 0)
			page.after = feeds[n - 1].id;
		store_feeds_free(feeds, n);
	} while (n == page.limit);
	rc = t.dead + t.gone ? CMD_DEAD : t.failing ? CMD_FAILING : CMD_OK;
	if (fmt == FMT_TEXT)
		printf(
		    "%zu feeds (%zu ok, %zu new, %zu failing, %zu dead, %zu gone), %lld entries\n",
		    t.n, t.ok, t.fresh, t.failing, t.dead, t.gone,
		    (long long)store_entry_count(a.store));
	else if (fmt == FMT_JSON)
		printf(
		    "%s],\n  \"summary\": {\"feeds\": %zu, \"ok\": %zu, \"new\": %zu, \"failing\": "
		    "%zu, \"dead\": %zu, \"gone\": %zu, \"entries\": %lld},\n  \"exit_status\": "
		    "%d\n}\n",
		    t.n ? "\n  " : "", t.n, t.ok, t.fresh, t.failing, t.dead, t.gone,
		    (long long)store_entry_count(a.store), rc);
	app_close(&a);
	if (fflush(stdout) != 0) {
		cmd_error("status: writing the output failed");
		return CMD_FAIL;
	}
	return rc;
}

const struct cmd_entry cmd_status_entry = {
    "status",
    "[--format text|tsv|json]",
    "list every feed with its state (ok, failing, DEAD, GONE), last success, next due, entries",
    cmd_status_exec,
    "Options:\n"
    "  -f, --format FORMAT  text (default), tsv (a header row, one row per feed)\n"
    "                       or json\n"
    "  -h, --help           this help\n",
};

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
 * (no lock), so it can run beside a crawl. Exit 0.
 */
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

static int cmd_status_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_feed *feeds = NULL;
	struct app a;
	char err[ERR_MAX], d1[DATE_MAX], d2[DATE_MAX], *shown;
	size_t n = 0, i, nok = 0, nfail = 0, ndead = 0, ngone = 0;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: aggregator status %s\n", cmd_status_entry.usage);
		return CMD_OK;
	}
	if (argc != 1)
		return cmd_usage(&cmd_status_entry);
	/* No lock: status only reads, and may run beside a run. */
	if (app_open(&a, ctx, 0, err) != 0) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (store_feeds(a.store, STORE_FEEDS_WITH_GONE, ctx->now, &feeds, &n, err) != 0) {
		cmd_error("%s", err);
		app_close(&a);
		return CMD_FAIL;
	}
	if (n > 0)
		printf("%-7s %7s  %-20s  %-20s  %s\n", "STATE", "ENTRIES", "LAST SUCCESS",
		       "NEXT DUE", "FEED");
	for (i = 0; i < n; i++) {
		const struct store_feed *f = &feeds[i];
		struct store_story_counts dc;
		const char *state = state_of(f, a.cfg, ctx->now);
		const char *due = f->gone                  ? "never"
		                  : f->next_due > ctx->now ? when(f->next_due, d2)
		                                           : "now";

		if (store_story_counts(a.store, f->id, &dc, err) != 0) {
			cmd_error("%s", err);
			store_feeds_free(feeds, n);
			app_close(&a);
			return CMD_FAIL;
		}
		if (strcmp(state, "GONE") == 0)
			ngone++;
		else if (strcmp(state, "DEAD") == 0)
			ndead++;
		else if (strcmp(state, "failing") == 0)
			nfail++;
		else
			nok++;
		shown = url_redact(f->url);
		printf("%-7s %7lld  %-20s  %-20s  %s\n", state, (long long)f->entry_count,
		       when(f->last_success, d1), due, shown);
		free(shown);
		printf("%18s stories: %lld shared with other sources, %lld duplicates suppressed\n",
		       "", (long long)dc.clusters, (long long)dc.suppressed);
		if (ctx->log.verbose)
			printf("%18s title: %s; category: %s\n", "", f->title ? f->title : "",
			       f->category ? f->category : "");
		if (f->last_error && f->gone)
			printf("%18s error: %s\n", "", f->last_error);
		else if (f->last_error)
			printf("%18s error: %s (%d in a row since %s)\n", "", f->last_error,
			       f->failures, when(failing_since(f), d1));
	}
	printf("%zu feeds (%zu ok, %zu failing, %zu dead, %zu gone), %lld entries\n", n, nok, nfail,
	       ndead, ngone, (long long)store_entry_count(a.store));
	store_feeds_free(feeds, n);
	app_close(&a);
	return CMD_OK;
}

const struct cmd_entry cmd_status_entry = {
    "status",
    "",
    "list every feed with its state (ok, failing, DEAD, GONE), last success, next due, entries",
    cmd_status_exec,
};

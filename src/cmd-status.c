/*
 * cmd-status.c - "aggregator status": every subscribed feed with what the
 * crawler knows of it: last success, last error, next due, entries stored,
 * story clusters and duplicates suppressed (another source leads the story).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cmd.h"
#include "date.h"
#include "util/err.h"

static const char *when(int64_t t, char *buf)
{
	if (t <= 0)
		return "never";
	date_format_rfc3339(t, buf);
	return buf;
}

static int cmd_status_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_feed *feeds = NULL;
	struct app a;
	char err[ERR_MAX], d1[DATE_MAX], d2[DATE_MAX];
	size_t n = 0, i;

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
	if (store_feeds(a.store, 0, ctx->now, &feeds, &n, err) != 0) {
		cmd_error("%s", err);
		app_close(&a);
		return CMD_FAIL;
	}
	for (i = 0; i < n; i++) {
		const struct store_feed *f = &feeds[i];
		struct store_dedupe_counts dc;

		if (store_dedupe_counts(a.store, f->id, &dc, err) != 0) {
			cmd_error("%s", err);
			store_feeds_free(feeds, n);
			app_close(&a);
			return CMD_FAIL;
		}
		printf("%s\n", f->url);
		printf("  title:        %s\n", f->title ? f->title : "");
		printf("  category:     %s\n", f->category ? f->category : "");
		printf("  entries:      %lld\n", (long long)f->entry_count);
		printf("  stories:      %lld shared with other sources, %lld duplicates suppressed\n",
		       (long long)dc.clusters, (long long)dc.suppressed);
		printf("  last success: %s\n", when(f->last_success, d1));
		if (f->last_error)
			printf("  last error:   %s (%d in a row, at %s)\n", f->last_error, f->failures,
			       when(f->last_fetch, d2));
		printf("  next due:     %s\n", f->next_due > ctx->now ? when(f->next_due, d1) : "now");
	}
	printf("%zu feeds, %lld entries\n", n, (long long)store_entry_count(a.store));
	store_feeds_free(feeds, n);
	app_close(&a);
	return CMD_OK;
}

const struct cmd_entry cmd_status_entry = {
	"status",
	"",
	"list every feed with its last success, last error, next due time, entries",
	cmd_status_exec,
};

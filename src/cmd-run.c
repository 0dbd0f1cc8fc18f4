/*
 * cmd-run.c - "aggregator run": the cron job. Fetch every due feed, store
 * what is new, publish. Exit 0 when the job was done even if some feeds
 * failed (they are reported on stderr); 1 when it could not work at all.
 */
#include <stdio.h>
#include <unistd.h>

#include "app.h"
#include "cmd.h"
#include "util/err.h"

static int cmd_run_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct app_fetch_stats fs;
	struct publish_stats ps;
	struct app a;
	char err[ERR_MAX];
	int all = 0, rc;

	if ((rc = cmd_opts_all(&cmd_run_entry, argc, argv, &all)) >= 0)
		return rc;
	rc = CMD_FAIL;
	if (optind != argc)
		return cmd_usage(&cmd_run_entry);
	if (app_open(&a, ctx, 1, err) != 0) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (app_fetch(&a, all, &fs, err) != 0) {
		cmd_error("%s", err);
		goto out;
	}
	if (app_publish(&a, &ps, err) != 0) {
		cmd_error("publishing: %s", err);
		goto out;
	}
	log_notice(&ctx->log,
	           "%zu feeds: %zu fetched, %zu not modified, %zu failed; "
	           "%zu new entries; published %s (%zu files written, %zu unchanged)",
	           fs.feeds, fs.fetched, fs.not_modified, fs.failed, fs.new_entries,
	           a.cfg->output_dir, ps.written, ps.unchanged);
	rc = CMD_OK;
out:
	app_close(&a);
	return rc;
}

const struct cmd_entry cmd_run_entry = {
    "run",
    "[--all]",
    "fetch the due feeds (--all: every feed), store them, publish",
    cmd_run_exec,
    "Options:\n"
    "  -a, --all    fetch every feed, not only those that are due\n"
    "  -h, --help   this help\n",
};

/*
 * cmd-publish.c - "aggregator publish": write every output from the store,
 * without fetching anything. Pages whose inputs did not change since they
 * were last published are not rendered again; --rebuild renders them all.
 */
#include <getopt.h>
#include <stdio.h>

#include "app.h"
#include "cmd.h"
#include "util/err.h"

static int cmd_publish_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"rebuild", no_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	struct publish_stats ps;
	struct app a;
	char err[ERR_MAX];
	int c, rc = CMD_FAIL, rebuild = 0;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			cmd_help(&cmd_publish_entry);
			return CMD_OK;
		}
		if (c == 'r') {
			rebuild = 1;
			continue;
		}
		return cmd_usage(&cmd_publish_entry);
	}
	if (optind != argc)
		return cmd_usage(&cmd_publish_entry);
	if (app_open(&a, ctx, 1, err) != 0) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	a.rebuild = rebuild;
	if (app_publish(&a, &ps, err) != 0) {
		cmd_error("publishing: %s", err);
		goto out;
	}
	if (ps.written == 0)
		log_notice(&ctx->log,
		           "published %s (0 files written, %zu unchanged): nothing changed, %zu of "
		           "%zu pages and feeds rendered",
		           a.cfg->output_dir, ps.unchanged, ps.rendered, ps.rendered + ps.skipped);
	else
		log_notice(&ctx->log,
		           "published %s (%zu files written, %zu unchanged; %zu of %zu pages and "
		           "feeds rendered)",
		           a.cfg->output_dir, ps.written, ps.unchanged, ps.rendered,
		           ps.rendered + ps.skipped);
	rc = CMD_OK;
out:
	app_close(&a);
	return rc;
}

const struct cmd_entry cmd_publish_entry = {
    "publish",
    "[--rebuild]",
    "write the feeds and pages from the store, fetching nothing",
    cmd_publish_exec,
    "Only the pages and feeds whose content changed are rendered again.\n"
    "\n"
    "Options:\n"
    "      --rebuild   render every page and feed, changed or not (after\n"
    "                  editing a published file by hand, or a template that\n"
    "                  imports a file from outside the templates folder)\n"
    "  -h, --help      this help\n",
};

/*
 * cmd-publish.c - "aggregator publish": write every output from the store,
 * without fetching anything.
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
	    {NULL, 0, NULL, 0},
	};
	struct publish_stats ps;
	struct app a;
	char err[ERR_MAX];
	int c, rc = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			cmd_help(&cmd_publish_entry);
			return CMD_OK;
		}
		return cmd_usage(&cmd_publish_entry);
	}
	if (optind != argc)
		return cmd_usage(&cmd_publish_entry);
	if (app_open(&a, ctx, 1, err) != 0) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (app_publish(&a, &ps, err) != 0) {
		cmd_error("publishing: %s", err);
		goto out;
	}
	log_notice(&ctx->log, "published %s (%zu files written, %zu unchanged)", a.cfg->output_dir,
	           ps.written, ps.unchanged);
	rc = CMD_OK;
out:
	app_close(&a);
	return rc;
}

const struct cmd_entry cmd_publish_entry = {
    "publish",
    "",
    "write the feeds and pages from the store, fetching nothing",
    cmd_publish_exec,
    "Options:\n"
    "  -h, --help   this help\n",
};

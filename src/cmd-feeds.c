/*
 * cmd-feeds.c - "aggregator feeds": the subscriptions the config's OPML
 * files name.
 *
 *   feeds list     one line per feed: category, URL, title
 *   feeds export   all subscriptions as one OPML 2.0 document, by category
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "opml.h"
#include "util/err.h"

static int cmd_feeds_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct config *cfg;
	char err[ERR_MAX];
	size_t i;
	int rc = CMD_OK;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: aggregator feeds %s\n", cmd_feeds_entry.usage);
		return CMD_OK;
	}
	if (argc != 2 || (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "export") != 0))
		return cmd_usage(&cmd_feeds_entry);
	cfg = config_load(ctx->config_path, err);
	if (cfg == NULL) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (strcmp(argv[1], "list") == 0) {
		for (i = 0; i < cfg->subs.n; i++) {
			const struct subscription *s = &cfg->subs.v[i];
			printf("%s\t%s\t%s\n", s->category, s->url, s->title ? s->title : "");
		}
	} else {
		char *opml = opml_write(&cfg->subs, cfg->name);
		if (fputs(opml, stdout) == EOF)
			rc = CMD_FAIL;
		free(opml);
	}
	config_free(cfg);
	return rc;
}

const struct cmd_entry cmd_feeds_entry = {
	"feeds",
	"list | export",
	"list the subscriptions, or export them as OPML",
	cmd_feeds_exec,
};

/*
 * cmd-config.c - "aggregator config": the effective configuration, every
 * key of [aggregator] with the value in force (from the file or the
 * built-in default, relative paths resolved), then the subscriptions'
 * count. What to look at when the program does not do what the file seems
 * to say. A secret (smtp_password) is shown as "(set)", never its value:
 * this output gets pasted into bug reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd.h"
#include "config.h"
#include "store.h"
#include "url.h"
#include "util/err.h"

static int cmd_config_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct config *cfg;
	char err[ERR_MAX];
	size_t i;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		cmd_help(&cmd_config_entry);
		return CMD_OK;
	}
	if (argc != 1)
		return cmd_usage(&cmd_config_entry);
	cfg = app_config_load(ctx, err);
	if (cfg == NULL) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (app_check_profiles(cfg, err) != 0) {
		cmd_error("%s", err);
		config_free(cfg);
		return CMD_FAIL;
	}
	printf("# %s\n[aggregator]\n", cfg->path ? cfg->path : "built-in defaults");
	for (i = 0; config_keys[i]; i++) {
		char *v = config_value(cfg, config_keys[i]);
		char *shown =
		    strcmp(config_keys[i], "database") == 0 ? store_redact(v) : url_redact(v);
		int secret = strcmp(config_keys[i], "smtp_password") == 0;

		printf("%s = %s\n", config_keys[i], secret && v && *v ? "(set)" : v ? shown : "");
		free(shown);
		free(v);
	}
	printf("# %zu subscriptions\n", cfg->subs.n);
	config_free(cfg);
	return CMD_OK;
}

const struct cmd_entry cmd_config_entry = {
    "config",
    "",
    "check the whole configuration and print the effective one",
    cmd_config_exec,
    "Options:\n"
    "  -h, --help   this help\n"
    "Checks the whole file ([digest NAME] sections included) and prints every\n"
    "[aggregator] key with the value in force; a password shows as (set).\n",
};

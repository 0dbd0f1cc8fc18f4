/*
 * cmd.h - the subcommand table.
 *
 * As in tmux, each subcommand lives in its own file, src/cmd-NAME.c, and
 * exports one struct cmd_entry: its name, a one-line usage, a summary for
 * --help, and the function that runs it. main.c parses the global options,
 * finds the entry and calls exec with the remaining arguments (argv[0] is
 * the subcommand's name).
 */
#ifndef AGG_CMD_H
#define AGG_CMD_H

#include <stdint.h>

#include "util/log.h"

/*
 * Exit statuses, one table for every command (aggregator(1), EXIT STATUS).
 * 1 and 2 keep their meanings everywhere; the others are answers a script
 * or a monitor asks for, each given by one command only.
 */
#define CMD_OK 0
#define CMD_FAIL 1    /* could not do its job */
#define CMD_USAGE 2   /* bad arguments */
#define CMD_EMPTY 3   /* digest --fail-empty: nothing to send */
#define CMD_FAILING 4 /* status: some feeds failing (none dead) */
#define CMD_DEAD 5    /* status: some feeds DEAD or GONE */

struct cmd_ctx {
	const char *config_path; /* -c FILE, or NULL */
	struct log log;          /* -v, -q and whether stderr is a terminal */
	int64_t now;             /* time of this run (SOURCE_DATE_EPOCH when set) */
	const char *datadir;     /* where the default templates are installed */
};

struct cmd_entry {
	const char *name;
	const char *usage;   /* arguments after the name */
	const char *summary; /* one line for --help */
	int (*exec)(const struct cmd_ctx *ctx, int argc, char **argv);
	/* NAME --help after the usage and summary: every option, one or more
	 * lines each ("  -o, --output FILE  ..."), and what the exit statuses
	 * mean when they are more than 0, 1 and 2; doc/aggregator.1 says the
	 * same (tests/test-docs.sh checks that each option is in both). */
	const char *help;
};

extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_fetch_entry;
extern const struct cmd_entry cmd_parse_entry;
extern const struct cmd_entry cmd_publish_entry;
extern const struct cmd_entry cmd_feeds_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_config_entry;
extern const struct cmd_entry cmd_digest_entry;
extern const struct cmd_entry cmd_db_entry;

/* Prints "aggregator: " + message + newline to stderr (log_error()). */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "usage: aggregator NAME USAGE" to stderr and returns CMD_USAGE. */
int cmd_usage(const struct cmd_entry *e);
/* Prints NAME --help to stdout: usage, summary, options (e->help), exit statuses. */
void cmd_help(const struct cmd_entry *e);

/*
 * The options of run and fetch: [--all] [-h]. Returns -1 to go on (*all set,
 * optind at the first operand), else the exit status to return (help
 * printed, or a usage error said).
 */
int cmd_opts_all(const struct cmd_entry *e, int argc, char **argv, int *all);

#endif

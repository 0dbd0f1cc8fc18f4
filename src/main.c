/*
 * main.c - the aggregator command: global options, then one subcommand.
 *
 *   aggregator [-c CONFIG] [-v] [-q] COMMAND [ARGS...]
 *
 * The subcommand table is below; each entry lives in src/cmd-NAME.c. This
 * is the only file that holds process-wide state (library initialisation,
 * the run's clock); everything else receives it through struct cmd_ctx.
 */
#include <curl/curl.h>
#include <getopt.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif
#include <libxml/parser.h>
#include <libxslt/xslt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "cmd.h"
#include "parse.h"

#ifndef AGG_DATADIR
#define AGG_DATADIR "/usr/local/share/aggregator"
#endif

/*
 * glibc gives memory back to the kernel as soon as 128 KiB lie free at the
 * top of the heap, and serves blocks from 128 KiB up with mmap(), raising
 * that bound as such blocks are freed. Parsing feed after feed allocates
 * and frees a few such blocks per feed (the document, its copies), so by
 * default most of them come from fresh pages: tens of thousands of page
 * faults over a thousand feeds, a tenth of the parse's CPU time. Keeping up
 * to 32 MiB free at the top and serving blocks under 8 MiB from the heap
 * reuses those pages instead; the peak stays what it was.
 */
static void malloc_tune(void)
{
#if defined(HAVE_MALLOPT) && defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
#endif
}

static const struct cmd_entry *const cmd_table[] = {
    &cmd_run_entry,   &cmd_fetch_entry,  &cmd_parse_entry,  &cmd_publish_entry, &cmd_digest_entry,
    &cmd_feeds_entry, &cmd_status_entry, &cmd_config_entry, &cmd_db_entry,      NULL,
};

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_verror(NULL, fmt, ap);
	va_end(ap);
}

int cmd_usage(const struct cmd_entry *e)
{
	fprintf(stderr, "usage: aggregator %s %s\n", e->name, e->usage);
	return CMD_USAGE;
}

void cmd_help(const struct cmd_entry *e)
{
	printf("usage: aggregator %s %s\n\n%c%s.\n", e->name, e->usage,
	       e->summary[0] >= 'a' && e->summary[0] <= 'z' ? e->summary[0] - 'a' + 'A'
	                                                    : e->summary[0],
	       e->summary + 1);
	if (e->help && e->help[0])
		printf("\n%s", e->help);
	printf("\nGlobal options (before the command): -c FILE, -v, -q; see aggregator --help.\n"
	       "Exit status: 0 done, 1 could not work, 2 bad arguments%s.\n"
	       "See aggregator(1) and aggregator.conf(5).\n",
	       strcmp(e->name, "digest") == 0 ? ",\n  3 nothing to send (--fail-empty)"
	       : strcmp(e->name, "status") == 0
	           ? ",\n  4 some feeds failing (none DEAD), 5 some feeds DEAD or GONE"
	           : "");
}

int cmd_opts_all(const struct cmd_entry *e, int argc, char **argv, int *all)
{
	static const struct option longopts[] = {
	    {"all", no_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*all = 0;
	while ((c = getopt_long(argc, argv, "ah", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			*all = 1;
			break;
		case 'h':
			cmd_help(e);
			return CMD_OK;
		default:
			return cmd_usage(e);
		}
	}
	return -1;
}

static void print_help(FILE *fp)
{
	const struct cmd_entry *const *e;

	fputs("usage: aggregator [-c CONFIG] [-v] [-q] COMMAND [ARGS...]\n"
	      "\n"
	      "A feed aggregator: crawls feeds, keeps their entries in SQLite and\n"
	      "republishes them as Atom, RSS and HTML.\n"
	      "\n"
	      "Options:\n"
	      "  -c, --config FILE  configuration file (default ./aggregator.conf,\n"
	      "                     else built-in defaults)\n"
	      "  -v, --verbose      say more (repeat for more still)\n"
	      "  -q, --quiet        only errors, even on a terminal\n"
	      "  -h, --help         this help\n"
	      "  -V, --version      version\n"
	      "\n"
	      "Commands:\n",
	      fp);
	for (e = cmd_table; *e; e++)
		fprintf(fp, "  %-8s %s\n", (*e)->name, (*e)->summary);
	fputs("\n"
	      "Exit status: 0 done (even if some feeds failed), 1 could not work,\n"
	      "2 bad arguments; digest and status have more (see their --help).\n"
	      "Run 'aggregator COMMAND --help' for a command's options, and see\n"
	      "aggregator(1) and aggregator.conf(5).\n",
	      fp);
}

static const struct cmd_entry *cmd_find(const char *name)
{
	const struct cmd_entry *const *e;

	for (e = cmd_table; *e; e++)
		if (strcmp((*e)->name, name) == 0)
			return *e;
	return NULL;
}

/*
 * Where the default templates are: $AGGREGATOR_DATADIR, else the installed
 * package data directory, else xsl/ beside the binary (a build tree that
 * was not installed). The buffer is main's, for the whole run.
 */
static const char *find_datadir(char *buf, size_t size)
{
	const char *env = getenv("AGGREGATOR_DATADIR");
	char *slash;
	ssize_t n;

	if (env && *env)
		return env;
	snprintf(buf, size, "%s/atom.xsl", AGG_DATADIR);
	if (access(buf, R_OK) == 0)
		return AGG_DATADIR;
	n = readlink("/proc/self/exe", buf, size - 5);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash) {
			memcpy(slash + 1, "xsl", 4); /* size - 5 left room for it */
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	return AGG_DATADIR;
}

static int64_t run_clock(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s && *s) {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v >= 0)
			return (int64_t)v;
	}
	return (int64_t)time(NULL);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'}, {"verbose", no_argument, NULL, 'v'},
	    {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
	};
	struct cmd_ctx ctx;
	const struct cmd_entry *e;
	char datadir[4096];
	int c, rc, idx;

	malloc_tune();
	memset(&ctx, 0, sizeof ctx);
	/*
	 * getopt's own messages start with argv[0]: say "aggregator:", as every
	 * other message does, not the path the binary was run by.
	 */
	argv[0] = (char *)"aggregator";
	/* '+': stop at the subcommand, its options are its own. */
	while ((c = getopt_long(argc, argv, "+c:vqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			ctx.config_path = optarg;
			break;
		case 'v':
			ctx.log.verbose++;
			break;
		case 'q':
			ctx.log.quiet = 1;
			break;
		case 'h':
			print_help(stdout);
			return CMD_OK;
		case 'V':
			printf("aggregator %s\n", PACKAGE_VERSION);
			return CMD_OK;
		default:
			print_help(stderr);
			return CMD_USAGE;
		}
	}
	if (optind >= argc) {
		print_help(stderr);
		return CMD_USAGE;
	}
	e = cmd_find(argv[optind]);
	if (e == NULL) {
		cmd_error("unknown command '%s' (see aggregator --help)", argv[optind]);
		return CMD_USAGE;
	}

	ctx.log.is_tty = isatty(STDERR_FILENO);
	ctx.now = run_clock();
	ctx.datadir = find_datadir(datadir, sizeof datadir);

	xmlInitParser();
	parse_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);

	idx = optind;
	optind = 0;                       /* reset getopt: the subcommand parses its own options */
	argv[idx] = (char *)"aggregator"; /* getopt's prefix again; exec knows its name */
	rc = e->exec(&ctx, argc - idx, argv + idx);

	curl_global_cleanup();
	xsltCleanupGlobals();
	xmlCleanupParser();
	return rc;
}

/*
 * cmd-parse.c - "aggregator parse": one feed file, parsed and normalized
 * exactly as run would store it, printed as one Atom 1.0 document. The
 * contract the parser is tested through.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atom.h"
#include "cmd.h"
#include "normalize.h"
#include "parse.h"
#include "tz.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

/* Feeds larger than this are refused, as fetch refuses them by default. */
#define PARSE_MAX_FILE (64u * 1024 * 1024)
/* Entries read from one file by default: max_feed_entries' default, as run. */
#define PARSE_MAX_ENTRIES 1000
#define PARSE_MAX_ENTRIES_LIMIT 1000000

/* What the parser left out, one line each, naming the file. */
static void say_warnings(const struct cmd_ctx *ctx, const char *path, const char *w)
{
	const char *nl;

	for (; w && (nl = strchr(w, '\n')) != NULL; w = nl + 1)
		log_error(&ctx->log, "%s: %.*s", path, (int)(nl - w), w);
}

static int parse_one(const struct cmd_ctx *ctx, const char *path, const struct parse_opts *po,
                     int print, size_t *entries)
{
	struct buf data = BUF_INIT;
	struct feed *f = NULL;
	xmlDocPtr doc = NULL;
	char err[ERR_MAX], *out = NULL;
	size_t len = 0;
	int rc = CMD_FAIL;

	if (file_read(path, PARSE_MAX_FILE, &data, err) != 0) {
		cmd_error("%s", err);
		goto done;
	}
	f = parse_feed(data.data, data.len, po, err);
	if (f == NULL) {
		cmd_error("%s: %s", path, err);
		goto done;
	}
	say_warnings(ctx, path, f->warnings);
	normalize_feed_opts(f, ctx->now, NORMALIZE_KEEP_RELATIVE);
	*entries += f->nentries;
	if (print) {
		doc = atom_feed_doc(f);
		out = atom_serialize(doc, &len);
		if (fwrite(out, 1, len, stdout) != len) {
			cmd_error("writing the output failed");
			goto done;
		}
	}
	rc = CMD_OK;
done:
	free(out);
	if (doc)
		xmlFreeDoc(doc);
	feed_free(f);
	buf_free(&data);
	return rc;
}

static int cmd_parse_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"base", required_argument, NULL, 'b'},
	    {"content-type", required_argument, NULL, 't'},
	    {"count", no_argument, NULL, 'n'},
	    {"max-entries", required_argument, NULL, 'm'},
	    {"timezone", required_argument, NULL, 'z'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct parse_opts po = {NULL, NULL, PARSE_MAX_ENTRIES, NULL};
	struct tz *zone = NULL;
	char err[ERR_MAX];
	size_t entries = 0;
	int c, i, count = 0, rc = CMD_OK;
	char *end;
	long n;

	while ((c = getopt_long(argc, argv, "b:t:nm:z:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'z':
			tz_free(zone);
			zone = tz_load(optarg, err);
			if (zone == NULL) {
				cmd_error("--timezone: %s", err);
				return CMD_USAGE;
			}
			po.zone = zone;
			break;
		case 'm':
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > PARSE_MAX_ENTRIES_LIMIT) {
				cmd_error("--max-entries: %s is not a number from 1 to %d", optarg,
				          PARSE_MAX_ENTRIES_LIMIT);
				rc = CMD_USAGE;
				goto out;
			}
			po.max_entries = (size_t)n;
			break;
		case 'b':
			po.base = optarg;
			break;
		case 't':
			po.content_type = optarg;
			break;
		case 'n':
			count = 1;
			break;
		case 'h':
			cmd_help(&cmd_parse_entry);
			goto out;
		default:
			rc = cmd_usage(&cmd_parse_entry);
			goto out;
		}
	}
	if (optind >= argc || (!count && argc - optind != 1)) {
		rc = cmd_usage(&cmd_parse_entry);
		goto out;
	}
	for (i = optind; i < argc; i++)
		if (parse_one(ctx, argv[i], &po, !count, &entries) != CMD_OK)
			rc = CMD_FAIL;
	if (count)
		printf("%d files, %zu entries\n", argc - optind, entries);
out:
	tz_free(zone);
	return rc;
}

const struct cmd_entry cmd_parse_entry = {
    "parse",
    "[--base URL] [--content-type TYPE] [--max-entries N] [--timezone ZONE] FILE|-  |  --count "
    "FILE...",
    "print one feed file normalized as Atom 1.0 (--count: only count entries)",
    cmd_parse_exec,
    "Options:\n"
    "  -b, --base URL           the document's URL, for relative links\n"
    "  -t, --content-type TYPE  an HTTP Content-Type (its charset helps pick the encoding)\n"
    "  -m, --max-entries N      entries read from one file (default 1000, at most 1000000)\n"
    "  -z, --timezone ZONE      the zone of dates written without one (Asia/Seoul, +09:00)\n"
    "  -n, --count              parse any number of files and only count their entries\n"
    "  -h, --help               this help\n"
    "FILE - reads standard input.\n",
};

/*
 * cmd-fetch.c - "aggregator fetch": the crawl without publishing.
 *
 *   fetch [--all]   fetch the due feeds (or all) and store them
 *   fetch URL...    fetch these URLs with the crawler's limits and print
 *                   the bodies to stdout, storing nothing (for debugging)
 */
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd.h"
#include "config.h"
#include "url.h"
#include "fetch.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct show {
	int verbose;
	int failed;
};

static void show_one(void *arg, const struct fetch_req *req, const struct fetch_res *res)
{
	struct show *s = arg;
	char *shown = url_redact(req->url), *final = url_redact(res->final_url);

	if (!res->ok) {
		log_error(NULL, "%s: %s", shown, res->error ? res->error : "failed");
		s->failed++;
		goto out;
	}
	if (s->verbose)
		log_error(NULL, "%s: HTTP %ld, %zu bytes, final URL %s%s%s%s%s%s%s", shown,
		          res->status, res->body.len, final ? final : shown,
		          res->content_type ? ", type " : "",
		          res->content_type ? res->content_type : "", res->etag ? ", ETag " : "",
		          res->etag ? res->etag : "", res->last_modified ? ", Last-Modified " : "",
		          res->last_modified ? res->last_modified : "");
	if (res->body.len && fwrite(res->body.data, 1, res->body.len, stdout) != res->body.len)
		s->failed++;
out:
	free(shown);
	free(final);
}

static int fetch_urls(const struct cmd_ctx *ctx, int n, char **urls)
{
	struct fetch_req *reqs = xcalloc((size_t)n, sizeof *reqs);
	struct config *cfg;
	struct fetch_opts o;
	struct show s = {ctx->log.verbose, 0};
	char err[ERR_MAX], ua[256];
	int i, rc = CMD_FAIL;

	cfg = app_config_load(ctx, err);
	if (cfg == NULL) {
		cmd_error("%s", err);
		goto out;
	}
	app_fetch_opts(cfg, &o, ua, sizeof ua);
	for (i = 0; i < n; i++) {
		reqs[i].url = urls[i];
		app_fetch_login(cfg, &reqs[i]);
	}
	if (fetch_run(&o, reqs, (size_t)n, show_one, &s, err) != 0)
		cmd_error("%s", err);
	else if (s.failed == 0)
		rc = CMD_OK;
out:
	config_free(cfg);
	free(reqs);
	return rc;
}

static int cmd_fetch_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct app_fetch_stats fs;
	struct app a;
	char err[ERR_MAX];
	int all = 0, rc;

	if ((rc = cmd_opts_all(&cmd_fetch_entry, argc, argv, &all)) >= 0)
		return rc;
	rc = CMD_FAIL;
	if (optind < argc) {
		if (all)
			return cmd_usage(&cmd_fetch_entry);
		return fetch_urls(ctx, argc - optind, argv + optind);
	}
	if (app_open(&a, ctx, 1, err) != 0) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (app_fetch(&a, all, &fs, err) != 0) {
		cmd_error("%s", err);
		goto out;
	}
	log_notice(&ctx->log,
	           "%zu feeds: %zu fetched, %zu not modified, %zu failed; "
	           "%zu new entries",
	           fs.feeds, fs.fetched, fs.not_modified, fs.failed, fs.new_entries);
	rc = CMD_OK;
out:
	app_close(&a);
	return rc;
}

const struct cmd_entry cmd_fetch_entry = {
    "fetch",
    "[--all] | URL...",
    "fetch the due feeds (--all: every feed) and store them; or print URLs' bodies",
    cmd_fetch_exec,
    "Options:\n"
    "  -a, --all    fetch every feed, not only those that are due\n"
    "  -h, --help   this help\n"
    "With URLs: fetch them with the crawler's limits and print their bodies on\n"
    "stdout, storing nothing (-v: each one's HTTP facts on stderr).\n",
};

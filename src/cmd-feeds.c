/*
 * cmd-feeds.c - "aggregator feeds": the subscriptions in the config's OPML
 * files.
 *
 *   feeds list                   one line per feed: category, URL, title
 *   feeds export                 all of them as one OPML 2.0 document
 *   feeds add [-c CAT] [-t TITLE] [-f FILE] [--no-check] URL
 *                                subscribe: the URL is fetched and parsed
 *                                first; an HTML page is replaced by the feed
 *                                it advertises (feed discovery)
 *   feeds remove [-f FILE] URL   unsubscribe (from every file that has it)
 *   feeds import [-c CAT] [-f FILE] OPML
 *                                subscribe to every feed another OPML lists
 *
 * Edits go to one OPML file: --file, else the feeds key itself when it is a
 * plain path, else the first file its glob matches. The file is rewritten
 * atomically and keeps everything else it held. The next run picks the
 * change up (subscriptions are synced into the store on every run).
 */
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd.h"
#include "config.h"
#include "fetch.h"
#include "normalize.h"
#include "opml.h"
#include "parse.h"
#include "url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct feeds_opts {
	const char *category;
	const char *title;
	const char *file;
	int no_check;
};

/* The OPML file edits go to (malloc'd), or NULL with err set. */
static char *target_file(const struct config *cfg, const char *given, char *err)
{
	glob_t g;
	char *path = NULL;

	if (given)
		return xstrdup(given);
	if (strpbrk(cfg->feeds, "*?[") == NULL)
		return xstrdup(cfg->feeds);
	if (glob(cfg->feeds, 0, NULL, &g) == 0 && g.gl_pathc > 0)
		path = xstrdup(g.gl_pathv[0]);
	else
		err_set(err, "no OPML file matches %s: say which with --file", cfg->feeds);
	if (path)
		globfree(&g);
	return path;
}

/* ---- checking a URL before subscribing ------------------------------- */

struct probe {
	long status;
	int ok;
	struct buf body;
	char *final_url, *content_type, *error;
};

static void probe_done(void *arg, const struct fetch_req *req, const struct fetch_res *res)
{
	struct probe *p = arg;

	(void)req;
	p->ok = res->ok;
	p->status = res->status;
	buf_append(&p->body, res->body.data ? res->body.data : "", res->body.len);
	p->final_url = xstrdup(res->final_url);
	p->content_type = xstrdup(res->content_type);
	p->error = xstrdup(res->error);
}

static void probe_free(struct probe *p)
{
	buf_free(&p->body);
	free(p->final_url);
	free(p->content_type);
	free(p->error);
	memset(p, 0, sizeof *p);
}

static int probe_fetch(const struct config *cfg, const char *url, struct probe *p, char *err)
{
	struct fetch_opts o;
	struct fetch_req r;

	memset(p, 0, sizeof *p);
	memset(&r, 0, sizeof r);
	fetch_opts_default(&o);
	o.timeout = cfg->timeout;
	o.connect_timeout = cfg->connect_timeout;
	o.max_size = (size_t)cfg->max_size;
	o.max_redirects = cfg->max_redirects;
	o.user_agent = "aggregator/" PACKAGE_VERSION;
	o.netrc = cfg->netrc;
	o.ca_file = cfg->ca_file;
	o.ca_path = cfg->ca_path;
	r.url = url;
	app_fetch_login(cfg, &r);
	if (fetch_run(&o, &r, 1, probe_done, p, err) != 0)
		return -1;
	if (!p->ok) {
		char *shown = url_redact(url);
		err_set(err, "%s: %s", shown, p->error ? p->error : "failed");
		free(shown);
		return -1;
	}
	return 0;
}

/* What checking a URL found: the feed's URL, its own title and category (NULL when none). */
struct found_feed {
	char *url, *title, *category;
};

static void found_free(struct found_feed *ff)
{
	free(ff->url);
	free(ff->title);
	free(ff->category);
	memset(ff, 0, sizeof *ff);
}

/* The feed's own first category (its label, else its term), or NULL. */
static char *feed_category(const struct feed *f)
{
	size_t i;

	for (i = 0; i < f->ncategories; i++) {
		const struct category *c = &f->categories[i];
		const char *name = c->label && *c->label ? c->label : c->term;

		if (name && *name && strlen(name) <= 64)
			return xstrdup(name);
	}
	return NULL;
}

/*
 * Fetches url and checks that it is a feed. An HTML page that advertises
 * feeds is replaced by the one a person means (parse_discover() ranks them:
 * the site's article feed, not its comments); when that one fails (a 404,
 * not a feed) the next is tried, each failure said on stderr.
 */
static int check_feed(const struct config *cfg, const char *url, struct found_feed *ff, int depth,
                      char *err)
{
	struct parse_opts po = {NULL, NULL, 1, NULL};
	struct probe p;
	struct feed *f;
	char perr[ERR_MAX], *shown = url_redact(url), *shown2;
	char **links = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (probe_fetch(cfg, url, &p, err) != 0)
		goto out;
	po.base = p.final_url ? p.final_url : url;
	po.content_type = p.content_type;
	f = parse_feed(p.body.data ? p.body.data : "", p.body.len, &po, perr);
	if (f) {
		normalize_feed(f, 0);
		ff->url = xstrdup(url);
		ff->title = f->title.value && *f->title.value ? xstrdup(f->title.value) : NULL;
		ff->category = feed_category(f);
		feed_free(f);
		rc = 0;
		goto out;
	}
	n = parse_discover(p.body.data ? p.body.data : "", p.body.len, po.base, &links);
	if (n == 0 || depth > 0) {
		err_set(err, "%s: %s", shown, perr);
		goto out;
	}
	for (i = 0; i < n && rc != 0; i++) {
		shown2 = url_redact(links[i]);
		if (i == 0)
			log_error(NULL, "%s is a web page; it advertises %s%s", shown, shown2,
			          n > 1 ? " (the likeliest of its feeds; the others if it fails)"
			                : "");
		rc = check_feed(cfg, links[i], ff, depth + 1, err);
		if (rc != 0 && i + 1 < n) {
			char *next = url_redact(links[i + 1]);

			log_error(NULL, "%s; trying %s", err, next);
			free(next);
		}
		free(shown2);
	}
	if (rc != 0 && n > 1) {
		char last[ERR_MAX];

		snprintf(last, sizeof last, "%s", err);
		err_set(err, "none of the %zu feeds %s advertises works (the last: %s)", n, shown,
		        last);
	}
out:
	for (i = 0; i < n; i++)
		free(links[i]);
	free(links);
	probe_free(&p);
	free(shown);
	return rc;
}

/* ---- the subcommands ------------------------------------------------- */

static int feeds_add(const struct config *cfg, const struct feeds_opts *o, const char *arg)
{
	struct found_feed ff = {NULL, NULL, NULL};
	char err[ERR_MAX], *url = url_resolve(NULL, arg);
	char *file = NULL, *shown = NULL;
	const char *category = o->category, *title;
	int rc = CMD_FAIL, r;

	if (!url_is_http(url) && strncmp(url, "file:", 5) != 0) {
		shown = url_redact(arg);
		cmd_error("%s: only http, https and file URLs can be subscribed to", shown);
		goto out;
	}
	if (o->no_check) {
		ff.url = xstrdup(url);
	} else if (check_feed(cfg, url, &ff, 0, err) != 0) {
		cmd_error("not subscribed: %s", err);
		goto out;
	}
	if (category == NULL && ff.category)
		category = app_category_find(cfg, ff.category);
	if (category == NULL)
		category = ff.category;
	file = target_file(cfg, o->file, err);
	if (file == NULL) {
		cmd_error("%s", err);
		goto out;
	}
	title = o->title ? o->title : ff.title;
	r = opml_add(file, ff.url, title, category, err);
	if (r < 0) {
		cmd_error("%s", err);
		goto out;
	}
	shown = url_redact(ff.url);
	if (r == 1) {
		printf("already subscribed to %s (in %s)\n", shown, file);
	} else {
		printf("subscribed to %s%s%s%s in %s, category %s%s\n", shown, title ? " (" : "",
		       title ? title : "", title ? ")" : "", file,
		       category ? category : "uncategorized",
		       o->category || !category ? "" : " (the feed's own)");
		if (category == NULL)
			log_error(NULL,
			          "%s names no category and none was given: it is in "
			          "\"uncategorized\" (give --category NAME to choose one)",
			          shown);
	}
	rc = CMD_OK;
out:
	free(shown);
	free(url);
	found_free(&ff);
	free(file);
	return rc;
}

static int feeds_remove(const struct config *cfg, const struct feeds_opts *o, const char *arg)
{
	char err[ERR_MAX], *url = url_resolve(NULL, arg), *shown = url_redact(url);
	glob_t g;
	size_t i;
	int total = 0, n, rc = CMD_OK;

	memset(&g, 0, sizeof g);
	if (o->file) {
		n = opml_remove(o->file, url, err);
		if (n < 0)
			rc = CMD_FAIL;
		else
			total = n;
	} else if (glob(cfg->feeds, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++) {
			n = opml_remove(g.gl_pathv[i], url, err);
			if (n < 0) {
				cmd_error("%s", err);
				rc = CMD_FAIL;
			} else if (n > 0) {
				printf("removed %s from %s\n", shown, g.gl_pathv[i]);
				total += n;
			}
		}
		globfree(&g);
	}
	if (rc != CMD_OK && o->file)
		cmd_error("%s", err);
	else if (total == 0) {
		cmd_error("not subscribed to %s", shown);
		rc = CMD_FAIL;
	}
	free(shown);
	free(url);
	return rc;
}

static int feeds_import(const struct config *cfg, const struct feeds_opts *o, const char *path)
{
	struct sublist in = {NULL, 0, 0};
	char err[ERR_MAX], *file = NULL;
	size_t i, j, added = 0;
	int rc = CMD_FAIL;

	if (opml_read(path, &in, err) != 0) {
		cmd_error("%s", err);
		goto out;
	}
	file = target_file(cfg, o->file, err);
	if (file == NULL) {
		cmd_error("%s", err);
		goto out;
	}
	for (i = 0; i < in.n; i++) {
		const struct subscription *s = &in.v[i];
		int known = 0, r;

		for (j = 0; j < cfg->subs.n && !known; j++)
			known = strcmp(cfg->subs.v[j].url, s->url) == 0;
		if (known)
			continue;
		r = opml_add(file, s->url, s->title, o->category ? o->category : s->category, err);
		if (r < 0) {
			cmd_error("%s", err);
			goto out;
		}
		added += r == 0;
	}
	printf("imported %zu of %zu feeds from %s into %s\n", added, in.n, path, file);
	rc = CMD_OK;
out:
	sublist_free(&in);
	free(file);
	return rc;
}

static int feeds_show(const struct config *cfg, int export)
{
	size_t i;
	int rc = CMD_OK;

	if (export) {
		char *opml = opml_write(&cfg->subs, cfg->name);
		if (opml == NULL || fputs(opml, stdout) == EOF)
			rc = CMD_FAIL;
		free(opml);
		return rc;
	}
	for (i = 0; i < cfg->subs.n; i++) {
		const struct subscription *s = &cfg->subs.v[i];
		char *shown = url_redact(s->url);

		printf("%s\t%s\t%s\n", s->category, shown, s->title ? s->title : "");
		free(shown);
	}
	return rc;
}

static int cmd_feeds_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"category", required_argument, NULL, 'c'}, {"title", required_argument, NULL, 't'},
	    {"file", required_argument, NULL, 'f'},     {"no-check", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
	};
	struct feeds_opts o = {NULL, NULL, NULL, 0};
	struct config *cfg;
	const char *verb;
	char err[ERR_MAX];
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:t:f:nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.category = optarg;
			break;
		case 't':
			o.title = optarg;
			break;
		case 'f':
			o.file = optarg;
			break;
		case 'n':
			o.no_check = 1;
			break;
		case 'h':
			cmd_help(&cmd_feeds_entry);
			return CMD_OK;
		default:
			return cmd_usage(&cmd_feeds_entry);
		}
	}
	if (optind >= argc)
		return cmd_usage(&cmd_feeds_entry);
	verb = argv[optind++];
	if (((strcmp(verb, "list") == 0 || strcmp(verb, "export") == 0) && optind != argc) ||
	    ((strcmp(verb, "add") == 0 || strcmp(verb, "remove") == 0 ||
	      strcmp(verb, "import") == 0) &&
	     optind != argc - 1))
		return cmd_usage(&cmd_feeds_entry);
	cfg = app_config_load(ctx, err);
	if (cfg == NULL) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (strcmp(verb, "list") == 0 || strcmp(verb, "export") == 0)
		rc = feeds_show(cfg, verb[0] == 'e');
	else if (strcmp(verb, "add") == 0)
		rc = feeds_add(cfg, &o, argv[optind]);
	else if (strcmp(verb, "remove") == 0)
		rc = feeds_remove(cfg, &o, argv[optind]);
	else if (strcmp(verb, "import") == 0)
		rc = feeds_import(cfg, &o, argv[optind]);
	else
		rc = cmd_usage(&cmd_feeds_entry);
	config_free(cfg);
	return rc;
}

const struct cmd_entry cmd_feeds_entry = {
    "feeds",
    "list | export | add [--category NAME] [--title TITLE] [--file OPML] [--no-check] URL |"
    " remove [--file OPML] URL | import [--category NAME] [--file OPML] OPML",
    "list, export, add (with feed discovery), remove or import subscriptions",
    cmd_feeds_exec,
    "Options:\n"
    "  -c, --category NAME  the category (OPML folder) for add and import\n"
    "  -t, --title TITLE    the title for add (default: the feed's own)\n"
    "  -f, --file OPML      the OPML file to edit (default: the feeds setting's)\n"
    "  -n, --no-check       add without fetching the URL first\n"
    "  -h, --help           this help\n"
    "add on a web page tries every feed it advertises and takes the site's main\n"
    "one; without --category the feed's own category is used when it has one.\n",
};

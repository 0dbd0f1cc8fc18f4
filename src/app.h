/*
 * app.h - the jobs the subcommands share: open config, lock and store;
 * crawl the due feeds through parse, normalize and store; publish.
 *
 * cmd-run.c is app_fetch() then app_publish(); cmd-fetch.c and
 * cmd-publish.c are one of them each. Feed failures are reported on stderr
 * as "feed URL: reason" and counted; they never fail the job.
 */
#ifndef AGG_APP_H
#define AGG_APP_H

#include <stddef.h>

#include "cmd.h"
#include "config.h"
#include "publish.h"
#include "store.h"
#include "util/lock.h"

struct app {
	const struct cmd_ctx *ctx;
	struct config *cfg;
	struct store *store;
	struct lock *lock;
	int rebuild; /* app_publish(): render every page and feed (publish --rebuild) */
};

struct app_fetch_stats {
	size_t feeds;        /* fetched this run */
	size_t fetched;      /* answered with a body */
	size_t not_modified; /* answered 304 */
	size_t failed;
	size_t new_entries;
	size_t bytes;
};

/* Loads the config, takes the run lock (when lock is set), opens the store
 * and syncs it with the subscriptions. */
int app_open(struct app *a, const struct cmd_ctx *ctx, int lock, char *err);

/* config_load() for a command: the -c file or the default, its warnings
 * said on stderr. NULL with err set when it cannot be used. */
struct config *app_config_load(const struct cmd_ctx *ctx, char *err);
void app_close(struct app *a);

/*
 * Checks every [digest NAME] section of cfg as the digest will read it
 * (digest_profile_load()): 0, or -1 with err "FILE:LINE: [digest NAME]: ...".
 * run, fetch, publish and config call it, so that the whole file is checked
 * before anything is fetched.
 */
int app_check_profiles(const struct config *cfg, char *err);

/*
 * The subscribed category name means, as a person would type it: the
 * category itself, else one whose name in any case or whose pages' slug it
 * is ("k-pop" for "K-Pop"), else one with the same letters and digits in
 * any case and punctuation ("Kpop"). NULL when none does, or when two
 * categories do at the first level that matches. Points into cfg.
 */
const char *app_category_find(const struct config *cfg, const char *name);

/* "K-Pop (k-pop), Film & TV (film-tv)": every subscribed category once, with
 * its slug when that differs, for messages. */
char *app_category_names(const struct config *cfg);

/* Fetches the due feeds (all of them with all set) and stores what they say. */
int app_fetch(struct app *a, int all, struct app_fetch_stats *st, char *err);

/* Fills crawler options from the config; the User-Agent is written to ua. */
struct fetch_opts;
void app_fetch_opts(const struct config *cfg, struct fetch_opts *o, char *ua, size_t ualen);

/* Sets req's login from the [login NAME] section for its URL, if any. */
struct fetch_req;
void app_fetch_login(const struct config *cfg, struct fetch_req *req);

/* Publishes every output from the store. */
int app_publish(struct app *a, struct publish_stats *st, char *err);

/* Fills publish options from the config. */
void app_publish_opts(const struct app *a, struct publish_opts *o);

#endif

/*
 * config.h - aggregator.conf, an INI file, and the subscriptions it names.
 *
 * config_load() reads the [aggregator] section, applies defaults, resolves
 * relative paths against the config file's folder, expands the feeds glob
 * and reads every OPML file it matches. Unknown keys are errors, so typos
 * do not pass silently. Without a config file (path NULL and no
 * ./aggregator.conf) the built-in defaults apply, relative to ".".
 */
#ifndef AGG_CONFIG_H
#define AGG_CONFIG_H

#include "opml.h"

struct category_rules;

/* One key = value line of a named section, as written (value unquoted). */
struct config_kv {
	char *key;
	char *value;
	int line;
};

/*
 * A [category NAME], [digest NAME] or [login NAME] section, as written. config_load()
 * builds the category rules from the [category] ones (category.h, which
 * checks their keys); the digest checks its own sections' keys. Either
 * reports "FILE:LINE: ...".
 */
struct config_section {
	char *kind; /* "category" or "digest" */
	char *name;
	int line; /* of the [header] */
	struct config_kv *kv;
	size_t n, cap;
};

struct config {
	char *path; /* the file read, or NULL for built-in defaults */
	char *dir;  /* relative paths resolve against this */

	char *name; /* site name */
	char *link; /* public URL of output_dir, with a trailing '/' */
	char *output_dir;
	char *database;
	char *templates; /* user templates directory, or NULL */
	char *feeds;     /* glob of OPML files (absolute) */
	char *contact;   /* URL or address for the User-Agent, or NULL */
	char *timezone;  /* for pages, e.g. "Asia/Seoul"; default "UTC" */
	char *language;  /* the pages' interface language: "en" (default) or "ko" */
	char *smtp_url;  /* digest mail server for every profile, or NULL */
	char *smtp_user; /* its login, or NULL (then ~/.netrc) */
	char *smtp_password;
	char *netrc;   /* logins for feeds and mail, or NULL (then ~/.netrc) */
	char *ca_file; /* CA certificates (PEM) for TLS, or NULL (the system's) */
	char *ca_path; /* a folder of CA certificates, or NULL */

	long concurrency;     /* transfers at once */
	long per_host;        /* transfers at once per host */
	long timeout;         /* seconds, whole transfer */
	long connect_timeout; /* seconds */
	long max_size;        /* bytes of body, after decompression */
	long max_redirects;
	long max_entries;      /* entries per published feed */
	long max_feed_entries; /* entries read from one fetched feed */
	long low_speed_limit;  /* bytes/s below which a transfer counts as stalled (0: off) */
	long low_speed_time;   /* seconds a transfer may stay below low_speed_limit */
	long interval;         /* seconds between fetches of a healthy feed without hints */
	long min_interval;     /* bounds for the feed's hints (ttl, max-age, Retry-After...) */
	long max_interval;
	long max_backoff;          /* longest wait after failures */
	long dead_after_days;      /* failing this long: "dead" in status */
	long dead_report_interval; /* a DEAD feed's failure is said at most this often; 0: never */
	long archive_days;         /* day pages published this many days back (0: none) */
	char *hub;                 /* WebSub hub URL, or NULL */
	char *robots;              /* a file published as robots.txt, or NULL */
	char *exclude;             /* block words (category.h), or NULL */
	long retention_days;     /* entries neither seen nor dated for this long go; 0 keeps all */
	long retention_per_feed; /* entries kept per feed; 0: no cap */
	long cluster_threshold;  /* similarity (0-100) that makes one story; 101: never */
	long cluster_window_hours; /* how far apart in time one story's entries may be */

	struct sublist subs;

	/* What was accepted but should be fixed, one "FILE:LINE: ..." line
	 * each (newline-terminated), or NULL: the caller says it (log.h). */
	char *warnings;

	struct config_section *sections; /* in file order */
	size_t nsections, capsections;

	/* The [category NAME] sections and exclude, parsed (never NULL after config_load). */
	struct category_rules *categories;
};

/* Loads path (NULL: ./aggregator.conf if present, else defaults). */
struct config *config_load(const char *path, char *err);
void config_free(struct config *c);

/*
 * Fails ("feeds = PATTERN: no subscription ...") when the feeds glob and its
 * OPML files gave no subscription at all: a mistyped pattern or a run in
 * the wrong folder must not unsubscribe everything and publish an empty
 * site over the old one. Commands that touch the store call it first.
 */
int config_require_subs(const struct config *c, char *err);

/* The documented keys of [aggregator], NULL-terminated (for tests and --help). */
extern const char *const config_keys[];

/* The value of key in a section (the last one given), or NULL. */
const char *config_section_get(const struct config_section *s, const char *key);

/* The section of that kind and name, or NULL. */
const struct config_section *config_section_find(const struct config *c, const char *kind,
                                                 const char *name);

/*
 * The [login NAME] section for a feed URL: the one whose url is the
 * longest start of it (at a '/', '?' or '#', or the whole URL), or NULL.
 * Its user and password keys are the feed's login.
 */
const struct config_section *config_login(const struct config *c, const char *url);

/* The effective value of a key as the config file would write it
 * (malloc'd; "" when unset), or NULL for an unknown key. */
char *config_value(const struct config *c, const char *key);

#endif

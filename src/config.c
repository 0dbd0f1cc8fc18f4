/*
 * config.c - aggregator.conf and the subscriptions it names (see config.h).
 *
 * Every subcommand starts here: config_load() gives the settings and the
 * subscription list (through opml.c) that the rest of the pipeline uses.
 *
 * The file is INI: `[section]` headers, `key = value` lines, whole-line
 * comments starting with '#' or ';', whitespace around keys and values
 * trimmed. A value may be double-quoted (then \" and \\ are its only
 * escapes, and a '#' or ';' comment may follow the closing quote); an
 * unquoted value is the rest of the line, '#' included. A UTF-8 BOM is
 * skipped; lines are at most CONFIG_LINE_MAX bytes; no multi-line values.
 *
 * [aggregator] is interpreted here. [category NAME] sections become the
 * category rules (category.h checks their keys, at load time, before
 * anything is fetched); [digest NAME] sections are checked for syntax and
 * left to the digest; [login NAME] sections (a feed's login: url, user,
 * password) are checked here and found by config_login(). Any other
 * section, a key outside a section, an unknown or repeated key in
 * [aggregator] and a bad or out-of-range number are errors saying
 * "FILE:LINE: ...". Durations (interval and the like) take
 * date_duration()'s units, s m h d w; a bare number there is still read as
 * seconds, so old files keep working, with a "FILE:LINE: KEY: ..." warning
 * on stderr (the one thing config_load() prints itself).
 *
 * A config file that holds a password, or the netrc file when it holds
 * one, that its group or others can read adds a warning with the chmod
 * that fixes it (guard_secrets()).
 *
 * Relative paths (output_dir, database, templates, feeds) resolve against
 * the config file's folder. feeds is one glob(3) pattern; its matches are
 * read in sorted order; no match is fine unless the pattern has no
 * wildcard, in which case the file must exist.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "category.h"
#include "config.h"
#include "date.h"
#include "tz.h"
#include "url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/netrc.h"
#include "util/xmalloc.h"

#define CONFIG_MAX_BYTES (1u << 20) /* a config file larger than this is an error */
#define CONFIG_LINE_MAX 4096        /* bytes on one line, without the newline */

const char *const config_keys[] = {
    "name",
    "link",
    "output_dir",
    "database",
    "templates",
    "feeds",
    "contact",
    "timezone",
    "language",
    "concurrency",
    "per_host",
    "timeout",
    "connect_timeout",
    "max_size",
    "max_redirects",
    "max_entries",
    "max_feed_entries",
    "low_speed_limit",
    "low_speed_time",
    "interval",
    "min_interval",
    "max_interval",
    "max_backoff",
    "dead_after_days",
    "dead_report_interval",
    "smtp_url",
    "smtp_user",
    "smtp_password",
    "netrc",
    "ca_file",
    "ca_path",
    "archive_days",
    "hub",
    "robots",
    "exclude",
    "retention_days",
    "retention_per_feed",
    "cluster_threshold",
    "cluster_window_hours",
    NULL,
};

enum key_type {
	K_STR,     /* a string that cannot be empty */
	K_OPT,     /* a string; empty means unset (NULL) */
	K_PATH,    /* a path resolved against the config folder */
	K_OPTPATH, /* the same, empty means unset */
	K_LINK,    /* a URL that gets a trailing '/' */
	K_NUM,     /* a decimal integer in min..max */
	K_SIZE,    /* the same with an optional k/M/G suffix (powers of 1024) */
	K_TIME,    /* a duration, date_duration()'s s/m/h/d/w (bare: seconds, warned) */
};

static int is_number_type(enum key_type t)
{
	return t == K_NUM || t == K_SIZE || t == K_TIME;
}

struct key {
	const char *name;
	enum key_type type;
	size_t off;
	const char *def; /* default of string keys */
	long ndef, min, max;
};

#define S(f) offsetof(struct config, f)

/* In config_keys[] order. */
static const struct key keys[] = {
    {"name", K_STR, S(name), "Aggregator", 0, 0, 0},
    {"link", K_LINK, S(link), "http://localhost/", 0, 0, 0},
    {"output_dir", K_PATH, S(output_dir), "public", 0, 0, 0},
    {"database", K_PATH, S(database), "aggregator.db", 0, 0, 0},
    {"templates", K_OPTPATH, S(templates), NULL, 0, 0, 0},
    {"feeds", K_PATH, S(feeds), "feeds/*.opml", 0, 0, 0},
    {"contact", K_OPT, S(contact), NULL, 0, 0, 0},
    {"timezone", K_STR, S(timezone), "UTC", 0, 0, 0},
    {"language", K_STR, S(language), "en", 0, 0, 0},
    {"concurrency", K_NUM, S(concurrency), NULL, 16, 1, 256},
    {"per_host", K_NUM, S(per_host), NULL, 4, 0, 64},
    {"timeout", K_TIME, S(timeout), NULL, 60, 1, 3600},
    {"connect_timeout", K_TIME, S(connect_timeout), NULL, 15, 1, 600},
    {"max_size", K_SIZE, S(max_size), NULL, 16L << 20, 1L << 10, 1L << 30},
    {"max_redirects", K_NUM, S(max_redirects), NULL, 5, 0, 20},
    {"max_entries", K_NUM, S(max_entries), NULL, 50, 1, 10000},
    {"max_feed_entries", K_NUM, S(max_feed_entries), NULL, 1000, 1, 1000000},
    {"low_speed_limit", K_SIZE, S(low_speed_limit), NULL, 10, 0, 1L << 30},
    {"low_speed_time", K_TIME, S(low_speed_time), NULL, 30, 1, 3600},
    {"interval", K_TIME, S(interval), NULL, 30 * 60, 1, 30L * 86400},
    {"min_interval", K_TIME, S(min_interval), NULL, 5 * 60, 0, 30L * 86400},
    {"max_interval", K_TIME, S(max_interval), NULL, 86400, 1, 30L * 86400},
    {"max_backoff", K_TIME, S(max_backoff), NULL, 86400, 1, 30L * 86400},
    {"dead_after_days", K_NUM, S(dead_after_days), NULL, 7, 1, 3650},
    {"dead_report_interval", K_TIME, S(dead_report_interval), NULL, 86400, 0, 365L * 86400},
    {"smtp_url", K_OPT, S(smtp_url), NULL, 0, 0, 0},
    {"smtp_user", K_OPT, S(smtp_user), NULL, 0, 0, 0},
    {"smtp_password", K_OPT, S(smtp_password), NULL, 0, 0, 0},
    {"netrc", K_OPTPATH, S(netrc), NULL, 0, 0, 0},
    {"ca_file", K_OPTPATH, S(ca_file), NULL, 0, 0, 0},
    {"ca_path", K_OPTPATH, S(ca_path), NULL, 0, 0, 0},
    {"archive_days", K_NUM, S(archive_days), NULL, 30, 0, 3650},
    {"hub", K_OPT, S(hub), NULL, 0, 0, 0},
    {"robots", K_OPTPATH, S(robots), NULL, 0, 0, 0},
    {"exclude", K_OPT, S(exclude), NULL, 0, 0, 0},
    {"retention_days", K_NUM, S(retention_days), NULL, 90, 0, 36500},
    {"retention_per_feed", K_NUM, S(retention_per_feed), NULL, 500, 0, 10000000},
    /* 40: tuned on the pairs in tests/data/clusters/ (test-dedupe checks it) */
    {"cluster_threshold", K_NUM, S(cluster_threshold), NULL, 40, 1, 101},
    {"cluster_window_hours", K_NUM, S(cluster_window_hours), NULL, 48, 0, 8760},
};

#define NKEYS (sizeof keys / sizeof keys[0])

_Static_assert(NKEYS + 1 == sizeof config_keys / sizeof config_keys[0],
               "config_keys[] and keys[] must list the same keys");

static char **str_field(struct config *c, const struct key *k)
{
	return (char **)(void *)((char *)c + k->off);
}

static long *num_field(struct config *c, const struct key *k)
{
	return (long *)(void *)((char *)c + k->off);
}

/* --- the INI reader ------------------------------------------------------- */

enum section { SEC_NONE, SEC_AGGREGATOR, SEC_NAMED };

struct ini {
	const char *file; /* as given, for messages */
	int line;
	enum section sec;
	int seen[NKEYS]; /* line where each key was set, 0 = not yet */
	struct config *c;
	char *err;
};

static int ini_error(struct ini *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the error to "FILE:LINE: " + the message. Always returns -1. */
static int ini_error(struct ini *in, const char *fmt, ...)
{
	char msg[ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(in->err, "%s:%d: %s", in->file, in->line, msg);
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static char *trim_inplace(char *s)
{
	char *e;

	while (is_blank((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_blank((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

/* Unquotes a "..." value in place; v points at the opening quote. */
static int unquote(struct ini *in, char *v)
{
	char *r = v + 1, *w = v;

	for (;; r++) {
		if (*r == '\0')
			return ini_error(in, "unterminated quoted value");
		if (*r == '"')
			break;
		if (*r == '\\') {
			r++;
			if (*r != '"' && *r != '\\') {
				char e[3] = {'\\', *r, '\0'};
				return ini_error(
				    in,
				    "unknown escape '%s' in a quoted value (only \\\" and \\\\)",
				    *r ? e : "\\");
			}
		}
		*w++ = *r;
	}
	*w = '\0';
	r = trim_inplace(r + 1);
	if (*r != '\0' && *r != '#' && *r != ';')
		return ini_error(in, "text after the closing quote: '%.40s'", r);
	return 0;
}

static int parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!((*s >= '0' && *s <= '9') || ((*s == '-' || *s == '+') && s[1] >= '0' && s[1] <= '9')))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0')
		return -1;
	if (errno != 0)
		return -2; /* out of long's range */
	*out = v;
	return 0;
}

/* "512", "64k", "16 M", "1GiB" (k/K/KB/KiB, M/MB/MiB, G/GB/GiB are 1024^n). */
static int parse_size(const char *s, long *out)
{
	static const struct {
		const char *suffix;
		long mult;
	} units[] = {
	    {"", 1},           {"k", 1L << 10},   {"K", 1L << 10},  {"KB", 1L << 10},
	    {"kB", 1L << 10},  {"KiB", 1L << 10}, {"M", 1L << 20},  {"MB", 1L << 20},
	    {"MiB", 1L << 20}, {"G", 1L << 30},   {"GB", 1L << 30}, {"GiB", 1L << 30},
	};
	char num[32];
	size_t n = 0, i;
	long v;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n == 0 || n >= sizeof num)
		return n == 0 ? -1 : -2;
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_long(num, &v) != 0)
		return -2;
	s += n;
	while (is_blank((unsigned char)*s))
		s++;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(s, units[i].suffix) == 0) {
			if (v > LONG_MAX / units[i].mult)
				return -2;
			*out = v * units[i].mult;
			return 0;
		}
	}
	return -1;
}

/*
 * A duration key: date_duration()'s syntax (s, m, h, d, w). A bare number
 * is taken as seconds, as before units were required, with a warning.
 */
static int parse_duration(struct ini *in, const struct key *k, const char *s, long *out)
{
	int64_t v;
	int rc = date_duration(s, &v);

	if (rc < 0)
		return rc;
	if (v > LONG_MAX)
		return -2;
	*out = (long)v;
	if (rc == DATE_DURATION_BARE && v >= k->min && v <= k->max) {
		char *w = xasprintf("%s%s:%d: %s: '%s' has no unit, taken as seconds (write %ss)\n",
		                    in->c->warnings ? in->c->warnings : "", in->file, in->line,
		                    k->name, s, s);
		free(in->c->warnings);
		in->c->warnings = w;
	}
	return 0;
}

/* 0 when name is a time zone tz_load() reads, else -1 with why set: checked at load, so that a
 * mistyped zone stops every command before anything is fetched. */
static int check_zone(const char *name, char *why)
{
	struct tz *z = tz_load(name, why);

	tz_free(z);
	return z ? 0 : -1;
}

static int set_key(struct ini *in, const struct key *k, const char *v)
{
	char why[ERR_MAX], **sp;
	long n;
	int rc;

	switch (k->type) {
	case K_OPT:
	case K_OPTPATH:
		xsetstr(str_field(in->c, k), *v ? v : NULL);
		return 0;
	case K_STR:
	case K_PATH:
		if (*v == '\0')
			return ini_error(in, "%s: needs a value", k->name);
		if (strcmp(k->name, "timezone") == 0 && check_zone(v, why) != 0)
			return ini_error(in, "%s: %s", k->name, why);
		if (strcmp(k->name, "language") == 0 && strcmp(v, "en") != 0 &&
		    strcmp(v, "ko") != 0)
			return ini_error(
			    in, "language: '%.64s' is not one the templates speak (en, ko)", v);
		xsetstr(str_field(in->c, k), v);
		return 0;
	case K_LINK:
		if (*v == '\0')
			return ini_error(in, "%s: needs a value", k->name);
		sp = str_field(in->c, k);
		free(*sp);
		*sp = v[strlen(v) - 1] == '/' ? xstrdup(v) : xasprintf("%s/", v);
		return 0;
	case K_NUM:
	case K_SIZE:
	case K_TIME:
		rc = k->type == K_NUM    ? parse_long(v, &n)
		     : k->type == K_SIZE ? parse_size(v, &n)
		                         : parse_duration(in, k, v, &n);
		if (rc == -1)
			return ini_error(
			    in,
			    k->type == K_NUM ? "%s: '%.64s' is not a number"
			    : k->type == K_SIZE
			        ? "%s: '%.64s' is not a size (like 512k, 16M, 1G)"
			        : "%s: '%.64s' is not a duration (like 90s, 15m, 2h, 1d, 1w)",
			    k->name, v);
		if (rc != 0 || n < k->min || n > k->max)
			return ini_error(in, "%s: '%.64s' is out of range %ld..%ld", k->name, v,
			                 k->min, k->max);
		*num_field(in->c, k) = n;
		return 0;
	}
	return 0;
}

static int section_line(struct ini *in, char *s)
{
	size_t len = strlen(s);
	char *name, *arg;

	if (s[len - 1] != ']')
		return ini_error(in, "a section header must end with ']'");
	s[len - 1] = '\0';
	name = trim_inplace(s + 1);
	arg = name;
	while (*arg && !is_blank((unsigned char)*arg))
		arg++;
	if (*arg != '\0') {
		*arg++ = '\0';
		arg = trim_inplace(arg);
	}
	if (strcmp(name, "aggregator") == 0) {
		if (*arg != '\0')
			return ini_error(in, "[aggregator] takes no name (saw '%.64s')", arg);
		in->sec = SEC_AGGREGATOR;
		return 0;
	}
	if (strcmp(name, "category") == 0 || strcmp(name, "digest") == 0 ||
	    strcmp(name, "login") == 0) {
		struct config *c = in->c;
		struct config_section *sec;
		size_t i;

		if (*arg == '\0')
			return ini_error(in, "[%s] needs a name, as in [%s NAME]", name, name);
		for (i = 0; i < c->nsections; i++)
			if (strcmp(c->sections[i].kind, name) == 0 &&
			    strcmp(c->sections[i].name, arg) == 0)
				return ini_error(in,
				                 "duplicate section [%s %.64s] (first on line %d)",
				                 name, arg, c->sections[i].line);
		c->sections =
		    xgrow(c->sections, &c->capsections, c->nsections + 1, sizeof *c->sections);
		sec = &c->sections[c->nsections++];
		memset(sec, 0, sizeof *sec);
		sec->kind = xstrdup(name);
		sec->name = xstrdup(arg);
		sec->line = in->line;
		in->sec = SEC_NAMED;
		return 0;
	}
	return ini_error(
	    in,
	    "unknown section [%.64s] (known: aggregator, category NAME, digest NAME, login NAME)",
	    name);
}

static int key_line(struct ini *in, char *s)
{
	char *eq = strchr(s, '='), *key, *v, *p;
	size_t i;

	if (eq == NULL || eq == s)
		return ini_error(
		    in, "expected 'key = value', '[section]' or a comment, not '%.64s'", s);
	*eq = '\0';
	key = trim_inplace(s);
	for (p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return ini_error(in, "bad key '%.64s' (letters, digits, '_', '-', '.')",
			                 key);
	if (*key == '\0')
		return ini_error(in, "a key is missing before '='");
	v = trim_inplace(eq + 1);
	if (*v == '"' && unquote(in, v) != 0)
		return -1;
	if (in->sec == SEC_NONE)
		return ini_error(in, "key '%.64s' before any [section]", key);
	if (in->sec == SEC_NAMED) {
		struct config_section *sec = &in->c->sections[in->c->nsections - 1];
		struct config_kv *kv;

		sec->kv = xgrow(sec->kv, &sec->cap, sec->n + 1, sizeof *sec->kv);
		kv = &sec->kv[sec->n++];
		kv->key = xstrdup(key);
		kv->value = xstrdup(v);
		kv->line = in->line;
		return 0;
	}
	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, key) == 0)
			break;
	if (i == NKEYS)
		return ini_error(in, "unknown key '%.64s' in [aggregator]", key);
	if (in->seen[i])
		return ini_error(in, "duplicate key '%s' in [aggregator] (first set on line %d)",
		                 key, in->seen[i]);
	in->seen[i] = in->line;
	return set_key(in, &keys[i], v);
}

static int ini_parse(struct ini *in, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	char line[CONFIG_LINE_MAX + 1];

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *s;

		in->line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > CONFIG_LINE_MAX)
			return ini_error(in, "line longer than %d bytes", CONFIG_LINE_MAX);
		if (memchr(p, '\0', n) != NULL)
			return ini_error(in, "a NUL byte in the line");
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		s = trim_inplace(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (section_line(in, s) != 0)
				return -1;
		} else if (key_line(in, s) != 0) {
			return -1;
		}
	}
	return 0;
}

/* --- loading -------------------------------------------------------------- */

static int has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* dir with glob(3)'s special characters escaped, joined with pattern. */
static char *glob_pattern(const char *dir, const char *pattern)
{
	struct buf b = BUF_INIT;
	const char *p;

	if (pattern[0] == '/')
		return xstrdup(pattern);
	for (p = dir; *p; p++) {
		if (strchr("*?[]\\", *p) != NULL)
			buf_putc(&b, '\\');
		buf_putc(&b, *p);
	}
	if (b.len == 0 || b.data[b.len - 1] != '/')
		buf_putc(&b, '/');
	buf_puts(&b, pattern);
	return buf_detach(&b);
}

/* A folder that does not exist matches nothing; any other error stops glob(). */
static int glob_error(const char *path, int e)
{
	(void)path;
	return e != ENOENT && e != ENOTDIR;
}

/*
 * A subscription's timezone attribute that names no zone: a warning at load,
 * and the zone is dropped (its dates are read with the feed language's hint),
 * so one feed's typo neither stops the others nor is said on every fetch.
 */
static void warn_zone(struct config *c, const char *file, struct subscription *s, const char *why)
{
	char *shown = url_redact(s->url);
	char *w = xasprintf("%s%s: feed %s: timezone ignored: %s\n", c->warnings ? c->warnings : "",
	                    file, shown, why);

	free(shown);
	free(c->warnings);
	c->warnings = w;
	free(s->timezone);
	s->timezone = NULL;
}

static int read_feeds(struct config *c, const char *pattern_in, char *err)
{
	char *pattern = glob_pattern(c->dir, pattern_in), inner[ERR_MAX];
	const char *where = c->path ? c->path : "defaults";
	glob_t g;
	int rc = -1, r;
	size_t i;

	memset(&g, 0, sizeof g);
	r = glob(pattern, 0, glob_error, &g);
	if (r == GLOB_NOMATCH) {
		if (has_wildcard(pattern_in))
			rc = 0;
		else
			err_set(err, "%s: feeds: %s: %s", where, c->feeds, strerror(ENOENT));
		goto out;
	}
	if (r != 0) {
		err_set(err, "%s: feeds: %s: %s", where, c->feeds,
		        r == GLOB_NOSPACE ? "out of memory" : "cannot read the folder");
		goto out;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		size_t first = c->subs.n, j;

		if (opml_read(g.gl_pathv[i], &c->subs, inner) != 0) {
			err_set(err, "%s", inner);
			goto out;
		}
		for (j = first; j < c->subs.n; j++)
			if (c->subs.v[j].timezone && check_zone(c->subs.v[j].timezone, inner) != 0)
				warn_zone(c, g.gl_pathv[i], &c->subs.v[j], inner);
	}
	rc = 0;
out:
	if (r != GLOB_NOMATCH)
		globfree(&g);
	free(pattern);
	return rc;
}

int config_require_subs(const struct config *c, char *err)
{
	if (c->subs.n > 0)
		return 0;
	return err_set(err, "%s: feeds = %s: no subscription found (nothing fetched or published)",
	               c->path ? c->path : "defaults", c->feeds ? c->feeds : "");
}

static int load_file(struct config *c, char *err)
{
	struct buf data = BUF_INIT;
	struct ini in = {0};
	char *dir = NULL;
	int rc = -1;

	if (file_read(c->path, CONFIG_MAX_BYTES, &data, err) != 0)
		goto out;
	dir = path_dirname(c->path);
	c->dir = realpath(dir, NULL);
	if (c->dir == NULL) {
		err_set(err, "%s: %s", dir, strerror(errno));
		goto out;
	}
	in.file = c->path;
	in.c = c;
	in.err = err;
	rc = ini_parse(&in, data.data, data.len);
out:
	free(dir);
	buf_free(&data);
	return rc;
}

/* The category rules from the [category NAME] sections and exclude. */
static int build_categories(struct config *c, char *err)
{
	struct category_item *items = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < c->nsections; i++) {
		const struct config_section *sec = &c->sections[i];

		if (strcmp(sec->kind, "category") != 0)
			continue;
		items = xgrow(items, &cap, n + sec->n + 1, sizeof *items);
		items[n++] = (struct category_item){sec->name, NULL, NULL, sec->line};
		for (j = 0; j < sec->n; j++)
			items[n++] = (struct category_item){sec->name, sec->kv[j].key,
			                                    sec->kv[j].value, sec->kv[j].line};
	}
	c->categories = category_rules_new(items, n, c->exclude, c->path, err);
	free(items);
	return c->categories ? 0 : -1;
}

/* --- [login NAME]: feed logins kept out of the URLs ------------------------ */

/* Checks each [login NAME]: url (http or https), user, password, nothing else. */
static int check_logins(const struct config *c, char *err)
{
	const char *file = c->path ? c->path : "aggregator.conf";
	size_t i, j;

	for (i = 0; i < c->nsections; i++) {
		const struct config_section *sec = &c->sections[i];
		const char *url;

		if (strcmp(sec->kind, "login") != 0)
			continue;
		for (j = 0; j < sec->n; j++) {
			const char *k = sec->kv[j].key;
			if (strcmp(k, "url") != 0 && strcmp(k, "user") != 0 &&
			    strcmp(k, "password") != 0)
				return err_set(err,
				               "%s:%d: [login %.64s]: unknown key '%.64s' (known: "
				               "url, user, password)",
				               file, sec->kv[j].line, sec->name, k);
		}
		url = config_section_get(sec, "url");
		if (url == NULL || !url_is_http(url) || url_has_password(url))
			return err_set(err,
			               "%s:%d: [login %.64s]: needs url = an http(s) URL without a "
			               "login, the start of the feed URLs it is for",
			               file, sec->line, sec->name);
		if (config_section_get(sec, "user") == NULL)
			return err_set(err, "%s:%d: [login %.64s]: needs user", file, sec->line,
			               sec->name);
	}
	return 0;
}

/* Non-zero when url starts with prefix, at a boundary of the URL. */
static int under_prefix(const char *url, const char *prefix)
{
	size_t n = strlen(prefix);

	if (n == 0 || strncmp(url, prefix, n) != 0)
		return 0;
	return prefix[n - 1] == '/' || url[n] == '\0' || strchr("/?#", url[n]) != NULL;
}

const struct config_section *config_login(const struct config *c, const char *url)
{
	const struct config_section *best = NULL;
	size_t i, bestlen = 0;

	for (i = 0; url && i < c->nsections; i++) {
		const struct config_section *sec = &c->sections[i];
		const char *prefix;

		if (strcmp(sec->kind, "login") != 0)
			continue;
		prefix = config_section_get(sec, "url");
		if (prefix && under_prefix(url, prefix) && strlen(prefix) > bestlen) {
			best = sec;
			bestlen = strlen(prefix);
		}
	}
	return best;
}

/* --- files that hold secrets --------------------------------------------- */

static void add_warning(struct config *c, char *line)
{
	char *w;

	if (line == NULL)
		return;
	w = xasprintf("%s%s\n", c->warnings ? c->warnings : "", line);
	free(c->warnings);
	c->warnings = w;
	free(line);
}

/* Non-zero when the config file gives a password (smtp_password anywhere,
 * or a login in smtp_url). */
static int config_has_password(const struct config *c)
{
	size_t i, j;

	if (c->smtp_password || (c->smtp_url && url_has_password(c->smtp_url)))
		return 1;
	for (i = 0; i < c->nsections; i++)
		for (j = 0; j < c->sections[i].n; j++) {
			const struct config_kv *kv = &c->sections[i].kv[j];
			if (strcmp(kv->key, "smtp_password") == 0 ||
			    (strcmp(c->sections[i].kind, "login") == 0 &&
			     strcmp(kv->key, "password") == 0) ||
			    (strcmp(kv->key, "smtp_url") == 0 && url_has_password(kv->value)))
				return 1;
		}
	return 0;
}

/*
 * Warns (in c->warnings, so once per command) when the config file or the
 * netrc file holds a password and its group or others can read it, as ssh
 * does for its keys.
 */
static void guard_secrets(struct config *c)
{
	char *netrc = c->netrc ? xstrdup(c->netrc) : netrc_default_path();

	if (c->path && config_has_password(c))
		add_warning(c, netrc_guard_warning(c->path));
	if (netrc && netrc_has_password(netrc))
		add_warning(c, netrc_guard_warning(netrc));
	free(netrc);
}

struct config *config_load(const char *path, char *err)
{
	struct config *c = xcalloc(1, sizeof *c);
	char *feeds_pattern = NULL, **sp;
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (is_number_type(keys[i].type))
			*num_field(c, &keys[i]) = keys[i].ndef;
		else
			*str_field(c, &keys[i]) = xstrdup(keys[i].def);
	}
	if (path == NULL && file_exists("aggregator.conf"))
		path = "aggregator.conf";
	if (path != NULL) {
		c->path = xstrdup(path);
		if (load_file(c, err) != 0)
			goto fail;
	} else {
		c->dir = realpath(".", NULL);
		if (c->dir == NULL) {
			err_set(err, "current directory: %s", strerror(errno));
			goto fail;
		}
	}
	if (c->min_interval > c->max_interval) {
		err_set(err, "%s: min_interval (%ld s) is longer than max_interval (%ld s)",
		        c->path ? c->path : "defaults", c->min_interval, c->max_interval);
		goto fail;
	}
	if (build_categories(c, err) != 0 || check_logins(c, err) != 0)
		goto fail;
	feeds_pattern = xstrdup(c->feeds);
	for (i = 0; i < NKEYS; i++) {
		if (keys[i].type != K_PATH && keys[i].type != K_OPTPATH)
			continue;
		sp = str_field(c, &keys[i]);
		/* a PostgreSQL database is a URI, not a file */
		if (*sp != NULL && strcmp(keys[i].name, "database") == 0 &&
		    (strncmp(*sp, "postgresql://", 13) == 0 ||
		     strncmp(*sp, "postgres://", 11) == 0))
			continue;
		if (*sp != NULL) {
			char *abs = path_join(c->dir, *sp);
			free(*sp);
			*sp = abs;
		}
	}
	if (read_feeds(c, feeds_pattern, err) != 0)
		goto fail;
	guard_secrets(c);
	free(feeds_pattern);
	return c;
fail:
	free(feeds_pattern);
	config_free(c);
	return NULL;
}

void config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->warnings);
	for (i = 0; i < NKEYS; i++)
		if (!is_number_type(keys[i].type))
			free(*str_field(c, &keys[i]));
	free(c->path);
	free(c->dir);
	sublist_free(&c->subs);
	for (i = 0; i < c->nsections; i++) {
		struct config_section *sec = &c->sections[i];
		size_t j;
		for (j = 0; j < sec->n; j++) {
			free(sec->kv[j].key);
			free(sec->kv[j].value);
		}
		free(sec->kv);
		free(sec->kind);
		free(sec->name);
	}
	free(c->sections);
	category_rules_free(c->categories);
	free(c);
}

char *config_value(const struct config *c, const char *key)
{
	struct config *mc = (struct config *)(void *)c; /* the field helpers take non-const */
	size_t i;
	long v;

	for (i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];
		if (strcmp(k->name, key) != 0)
			continue;
		switch (k->type) {
		case K_NUM:
			return xasprintf("%ld", *num_field(mc, k));
		case K_SIZE:
			v = *num_field(mc, k);
			if (v % (1L << 30) == 0)
				return xasprintf("%ldG", v >> 30);
			if (v % (1L << 20) == 0)
				return xasprintf("%ldM", v >> 20);
			if (v % (1L << 10) == 0)
				return xasprintf("%ldk", v >> 10);
			return xasprintf("%ld", v);
		case K_TIME:
			v = *num_field(mc, k);
			if (v != 0 && v % 86400 == 0)
				return xasprintf("%ldd", v / 86400);
			if (v != 0 && v % 3600 == 0)
				return xasprintf("%ldh", v / 3600);
			if (v != 0 && v % 60 == 0)
				return xasprintf("%ldm", v / 60);
			return xasprintf("%lds", v);
		default:
			return xstrdup(*str_field(mc, k) ? *str_field(mc, k) : "");
		}
	}
	return NULL;
}

const char *config_section_get(const struct config_section *s, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			v = s->kv[i].value;
	return v;
}

const struct config_section *config_section_find(const struct config *c, const char *kind,
                                                 const char *name)
{
	size_t i;

	for (i = 0; i < c->nsections; i++)
		if (strcmp(c->sections[i].kind, kind) == 0 &&
		    strcmp(c->sections[i].name, name) == 0)
			return &c->sections[i];
	return NULL;
}

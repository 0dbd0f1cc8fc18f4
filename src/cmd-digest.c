/*
 * cmd-digest.c - "aggregator digest": the day's stories as one e-mail.
 *
 *   aggregator digest [--since DURATION | --date YYYY-MM-DD] [--category NAME]...
 *                     [--to ADDRESS]... [--profile NAME] [--send | --output FILE]
 *                     [--mark-sent]
 *
 * A profile is a [digest NAME] section of the config (keys checked here,
 * see profile_keys[]); without --profile the digest is an ad-hoc one built
 * from the options, and `--send` without --profile sends every profile in
 * turn. For each: digest_build() selects what the profile has not been sent
 * and renders it, mail_build() makes the message, which goes to stdout
 * (for `| sendmail -t`), to FILE, or through SMTP (mail_send()). Only once
 * the server accepted it (or with --mark-sent, once it was written) are the
 * stories recorded as sent and the HTML archived under
 * output_dir/digest/NAME/DATE.html; a failed send leaves them for the next
 * try. It does not take the run lock, so it may run while `run` does; a
 * lock of its own keeps two digests from mailing the same stories.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "cmd.h"
#include "date.h"
#include "digest.h"
#include "mail.h"
#include "publish.h"
#include "util/err.h"
#include "util/file.h"
#include "util/lock.h"
#include "util/xmalloc.h"

#define PERIOD_DEFAULT (24 * 3600)
#define PERIOD_MAX (366L * 24 * 3600)
#define STORIES_MAX 10000

static const char *const profile_keys[] = {
    "to",
    "from",
    "categories",
    "period",
    "subject",
    "smtp_url",
    "smtp_user",
    "smtp_password",
    "smtp_starttls",
    "list_unsubscribe",
    "empty",
    "max_stories",
    "archive",
    NULL,
};

struct list {
	char **v;
	size_t n, cap;
};

struct profile {
	const char *name;
	struct list to;
	char *from;
	struct list cats;
	int64_t period;
	const char *subject;
	const char *smtp_url, *smtp_user, *smtp_password;
	enum mail_tls tls;
	const char *list_unsubscribe;
	int empty_note;
	long max_stories;
	int archive;
};

struct options {
	const char *since;
	const char *date;
	struct list cats;
	struct list to;
	const char *profile;
	const char *output;
	int send, mark;
};

static void list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static void list_add(struct list *l, const char *s, size_t n)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrndup(s, n);
}

/* Comma-separated names, trimmed, empty ones dropped. */
static void list_split(struct list *l, const char *s)
{
	const char *p = s, *e, *a, *b;

	while (*p) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		for (a = p; a < e && (*a == ' ' || *a == '\t'); a++)
			;
		for (b = e; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
			;
		if (b > a)
			list_add(l, a, (size_t)(b - a));
		p = *e ? e + 1 : e;
	}
}

static void profile_free(struct profile *p)
{
	list_free(&p->to);
	list_free(&p->cats);
	free(p->from);
}

/* "24h", "2d", "90m", "1w", "3600" (seconds): 0 or -1. */
static int parse_duration(const char *s, int64_t *out)
{
	char *end;
	long long v;
	int64_t unit = 1;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end == 's')
		end++;
	else if (*end == 'm')
		unit = 60, end++;
	else if (*end == 'h')
		unit = 3600, end++;
	else if (*end == 'd')
		unit = 86400, end++;
	else if (*end == 'w')
		unit = 7 * 86400, end++;
	if (*end != '\0' || v <= 0 || v > PERIOD_MAX / unit)
		return -1;
	*out = (int64_t)v * unit;
	return 0;
}

/* "YYYY-MM-DD" to days since the epoch. */
static int parse_day(const char *s, int64_t *days)
{
	unsigned y, m, d;
	char extra;
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &extra) != 3 ||
	    y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	*days = date_days_from_civil(y, m, d);
	return 0;
}

/*
 * The UTC offset of a time zone at t, in seconds. The C library only
 * answers through TZ, so it is set for the call and put back.
 */
static long tz_offset(const char *tz, int64_t t)
{
	const char *old = getenv("TZ");
	char *saved = old ? xstrdup(old) : NULL;
	time_t tt = (time_t)t;
	struct tm tm;
	long off = 0;

	if (tz == NULL || tz[0] == '\0' || strcmp(tz, "UTC") == 0) {
		free(saved);
		return 0;
	}
	setenv("TZ", tz, 1);
	tzset();
	if (localtime_r(&tt, &tm))
		off = tm.tm_gmtoff;
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	return off;
}

/* "YYYY-MM-DD" of t at that offset. */
static void local_day(int64_t t, long off, char out[16])
{
	char buf[DATE_MAX];

	date_format_rfc3339(t + off, buf);
	snprintf(out, 16, "%.10s", buf);
}

/* The host of a URL ("http://host:port/..."), malloc'd, or NULL. */
static char *url_host(const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL, *e;

	if (p == NULL)
		return NULL;
	p += 3;
	e = p + strcspn(p, ":/?#");
	if (strchr(p, '@') && strchr(p, '@') < e)
		return NULL;
	return e > p ? xstrndup(p, (size_t)(e - p)) : NULL;
}

static int is_key(const char *k)
{
	size_t i;

	for (i = 0; profile_keys[i]; i++)
		if (strcmp(profile_keys[i], k) == 0)
			return 1;
	return 0;
}

/* Reads and checks a [digest NAME] section (sec may be NULL: ad hoc). */
static int profile_load(const struct config *cfg, const struct config_section *sec,
                        const char *name, struct profile *p, char *err)
{
	const char *file = cfg->path ? cfg->path : "aggregator.conf";
	char *host = url_host(cfg->link), e2[ERR_MAX], why[ERR_MAX];
	size_t i;
	int rc = -1;

	memset(p, 0, sizeof *p);
	p->name = name;
	p->period = PERIOD_DEFAULT;
	p->smtp_url = cfg->smtp_url;
	p->smtp_user = cfg->smtp_user;
	p->smtp_password = cfg->smtp_password;
	p->archive = 1;
	for (i = 0; sec && i < sec->n; i++) {
		const struct config_kv *kv = &sec->kv[i];
		const char *v = kv->value ? kv->value : "";
		char *end;

#define BAD(...)                                                                                   \
	do {                                                                                       \
		snprintf(e2, sizeof e2, __VA_ARGS__);                                              \
		err_set(err, "%s:%d: [digest %.64s]: %.300s", file, kv->line, name, e2);           \
		goto out;                                                                          \
	} while (0)
		if (!is_key(kv->key))
			BAD("unknown key '%.64s' (known: to, from, categories, period, subject, "
			    "smtp_url, smtp_user, smtp_password, smtp_starttls, list_unsubscribe, "
			    "empty, max_stories, archive)",
			    kv->key);
		if (strcmp(kv->key, "to") == 0) {
			list_free(&p->to);
			if (mail_split_addresses(v, &p->to.v, &p->to.n, &p->to.cap, why) != 0)
				BAD("to: %.300s", why);
		} else if (strcmp(kv->key, "from") == 0) {
			char *spec = mail_addr_spec(v);
			if (spec == NULL)
				BAD("from: '%.100s' is not an e-mail address", v);
			free(spec);
			xsetstr(&p->from, v);
		} else if (strcmp(kv->key, "categories") == 0) {
			list_free(&p->cats);
			list_split(&p->cats, v);
		} else if (strcmp(kv->key, "period") == 0) {
			if (parse_duration(v, &p->period) != 0)
				BAD("period: '%.64s' is not a duration like 24h, 2d, 90m (at most "
				    "366d)",
				    v);
		} else if (strcmp(kv->key, "subject") == 0) {
			p->subject = v;
		} else if (strcmp(kv->key, "smtp_url") == 0) {
			if (strncasecmp(v, "smtp://", 7) != 0 && strncasecmp(v, "smtps://", 8) != 0)
				BAD("smtp_url: '%.100s' must start with smtp:// or smtps://", v);
			p->smtp_url = v;
		} else if (strcmp(kv->key, "smtp_user") == 0) {
			p->smtp_user = v;
		} else if (strcmp(kv->key, "smtp_password") == 0) {
			p->smtp_password = v;
		} else if (strcmp(kv->key, "smtp_starttls") == 0) {
			if (strcmp(v, "try") == 0)
				p->tls = MAIL_TLS_TRY;
			else if (strcmp(v, "always") == 0)
				p->tls = MAIL_TLS_ALWAYS;
			else if (strcmp(v, "never") == 0)
				p->tls = MAIL_TLS_NEVER;
			else
				BAD("smtp_starttls: '%.64s' is not try, always or never", v);
		} else if (strcmp(kv->key, "list_unsubscribe") == 0) {
			p->list_unsubscribe = v;
		} else if (strcmp(kv->key, "empty") == 0) {
			if (strcmp(v, "skip") == 0)
				p->empty_note = 0;
			else if (strcmp(v, "note") == 0)
				p->empty_note = 1;
			else
				BAD("empty: '%.64s' is not skip or note", v);
		} else if (strcmp(kv->key, "max_stories") == 0) {
			p->max_stories = strtol(v, &end, 10);
			if (end == v || *end != '\0' || p->max_stories < 1 ||
			    p->max_stories > STORIES_MAX)
				BAD("max_stories: '%.64s' is not a number from 1 to %d", v,
				    STORIES_MAX);
		} else if (strcmp(kv->key, "archive") == 0) {
			if (strcmp(v, "yes") == 0)
				p->archive = 1;
			else if (strcmp(v, "no") == 0)
				p->archive = 0;
			else
				BAD("archive: '%.64s' is not yes or no", v);
		}
#undef BAD
	}
	if (p->from == NULL)
		p->from = xasprintf("aggregator@%s", host ? host : "localhost");
	rc = 0;
out:
	free(host);
	return rc;
}

struct job {
	const struct cmd_ctx *ctx;
	struct app *a;
	const struct options *opt;
	long offset; /* of the config's time zone, now */
};

static void say(const struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const struct job *j, const char *fmt, ...)
{
	va_list ap;

	if (!((j->ctx->is_tty && !j->ctx->quiet) || j->ctx->verbose))
		return;
	fputs("aggregator: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The first archive file name of that day not taken yet, and its URL. */
static void archive_path(const struct job *j, const char *profile, const char *day, char **path,
                         char **url)
{
	const struct config *cfg = j->a->cfg;
	char *slug = publish_slug(profile), *dir, *name;
	int k;

	dir = path_join(cfg->output_dir, "digest");
	name = path_join(dir, slug);
	free(dir);
	dir = name;
	for (k = 1; k < 1000; k++) {
		name = k == 1 ? xasprintf("%s.html", day) : xasprintf("%s-%d.html", day, k);
		*path = path_join(dir, name);
		if (!file_exists(*path))
			break;
		free(*path);
		free(name);
		name = NULL;
	}
	if (name == NULL) { /* a thousand digests in a day: reuse the last */
		name = xasprintf("%s-999.html", day);
		*path = path_join(dir, name);
	}
	*url = xasprintf("%sdigest/%s/%s", cfg->link ? cfg->link : "", slug, name);
	free(name);
	free(dir);
	free(slug);
}

static int write_out(const char *data, size_t len, const char *output, char *err)
{
	if (output && strcmp(output, "-") != 0)
		return file_write_atomic(output, data, len, err) < 0 ? -1 : 0;
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return err_set(err, "writing the message to stdout failed");
	return 0;
}

static int run_profile(struct job *j, struct profile *p)
{
	const struct options *opt = j->opt;
	const struct config *cfg = j->a->cfg;
	int64_t now = j->ctx->now, days;
	struct digest_opts o;
	struct digest d;
	struct mail_msg m;
	const struct list *to = opt->to.n ? &opt->to : &p->to;
	const struct list *cats = opt->cats.n ? &opt->cats : &p->cats;
	char day[16], since[DATE_MAX], err[ERR_MAX], *msg = NULL, *apath = NULL, *aurl = NULL,
	                                             *host;
	size_t len = 0;
	int rc = -1, delivered = 0;

	memset(&o, 0, sizeof o);
	memset(&d, 0, sizeof d);
	o.until = now;
	o.since = now - p->period;
	if (opt->since && parse_duration(opt->since, &days) == 0)
		o.since = now - days;
	if (opt->date) {
		parse_day(opt->date, &days);
		o.since = days * 86400 - tz_offset(cfg->timezone, days * 86400 + 43200);
		o.until = o.since + 86400;
		snprintf(day, sizeof day, "%s", opt->date);
	} else {
		local_day(now, j->offset, day);
	}
	if (to->n == 0) {
		cmd_error("digest %s: no recipients (set 'to' in [digest %s] or give --to)",
		          p->name, p->name);
		return -1;
	}
	if (opt->send && (p->smtp_url == NULL || p->smtp_url[0] == '\0')) {
		cmd_error("digest %s: --send needs smtp_url in [digest %s] or [aggregator]",
		          p->name, p->name);
		return -1;
	}
	if (p->archive && (opt->send || opt->mark))
		archive_path(j, p->name, day, &apath, &aurl);

	o.profile = p->name;
	o.categories = (const char *const *)cats->v;
	o.ncategories = cats->n;
	o.max_stories = (size_t)p->max_stories;
	o.site_name = cfg->name;
	o.site_link = cfg->link;
	o.date = day;
	o.subject = p->subject;
	o.list_unsubscribe = p->list_unsubscribe;
	o.archive_url = aurl;
	o.templates = cfg->templates;
	o.default_templates = j->ctx->datadir;
	o.now = now;
	if (digest_build(j->a->store, &o, &d, err) != 0) {
		cmd_error("digest %s: %s", p->name, err);
		goto out;
	}
	if (d.count == 0 && !p->empty_note) {
		date_format_rfc3339(o.since, since);
		say(j, "digest %s: nothing new since %s; nothing sent", p->name, since);
		rc = 0;
		goto out;
	}

	memset(&m, 0, sizeof m);
	host = url_host(cfg->link);
	m.from = p->from;
	m.to = (const char *const *)to->v;
	m.nto = to->n;
	m.subject = d.subject;
	m.list_unsubscribe = p->list_unsubscribe;
	m.id_host = host;
	m.date = now;
	m.offset = j->offset;
	m.text = d.text;
	m.html = d.html;
	msg = mail_build(&m, &len, err);
	free(host);
	if (msg == NULL) {
		cmd_error("digest %s: %s", p->name, err);
		goto out;
	}
	if (opt->send) {
		struct mail_smtp smtp;

		memset(&smtp, 0, sizeof smtp);
		smtp.url = p->smtp_url;
		smtp.user = p->smtp_user;
		smtp.password = p->smtp_password;
		smtp.tls = p->tls;
		smtp.timeout = cfg->timeout;
		smtp.connect_timeout = cfg->connect_timeout;
		if (mail_send(&smtp, p->from, (const char *const *)to->v, to->n, msg, len, err) !=
		    0) {
			cmd_error("digest %s: not sent, %zu stories kept for the next try: %s",
			          p->name, d.count, err);
			goto out;
		}
		delivered = 1;
		say(j, "digest %s: sent %zu stories to %zu recipients through %s", p->name, d.count,
		    to->n, p->smtp_url);
	} else {
		if (write_out(msg, len, opt->output, err) != 0) {
			cmd_error("digest %s: %s", p->name, err);
			goto out;
		}
		delivered = opt->mark;
	}
	if (delivered && d.count > 0) {
		if (store_digest_mark_sent(j->a->store, p->name, d.ids, d.count, now, err) != 0) {
			cmd_error("digest %s: sent, but recording it failed (the stories may be "
			          "sent again): %s",
			          p->name, err);
			goto out;
		}
		if (apath) {
			char *dir = path_dirname(apath);

			if (file_mkdirs(dir, err) != 0 ||
			    file_write_atomic(apath, d.html, strlen(d.html), err) < 0) {
				cmd_error("digest %s: archive: %s", p->name, err);
				free(dir);
				goto out;
			}
			free(dir);
		}
	}
	rc = 0;
out:
	free(msg);
	free(apath);
	free(aurl);
	digest_free(&d);
	return rc;
}

static int cmd_digest_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"since", required_argument, NULL, 's'},    {"date", required_argument, NULL, 'd'},
	    {"category", required_argument, NULL, 'C'}, {"to", required_argument, NULL, 't'},
	    {"profile", required_argument, NULL, 'p'},  {"send", no_argument, NULL, 'S'},
	    {"output", required_argument, NULL, 'o'},   {"mark-sent", no_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
	};
	struct options opt;
	struct profile p;
	struct lock *lock = NULL;
	struct app a;
	struct job j;
	char err[ERR_MAX], *lockpath;
	int64_t tmp;
	size_t i, done = 0;
	int c, rc = CMD_USAGE, failed = 0;

	memset(&opt, 0, sizeof opt);
	memset(&a, 0, sizeof a);
	while ((c = getopt_long(argc, argv, "s:d:C:t:p:So:mh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.since = optarg;
			break;
		case 'd':
			opt.date = optarg;
			break;
		case 'C':
			list_split(&opt.cats, optarg);
			break;
		case 't':
			if (mail_split_addresses(optarg, &opt.to.v, &opt.to.n, &opt.to.cap, err) !=
			    0) {
				cmd_error("--to: %s", err);
				goto out;
			}
			break;
		case 'p':
			opt.profile = optarg;
			break;
		case 'S':
			opt.send = 1;
			break;
		case 'o':
			opt.output = optarg;
			break;
		case 'm':
			opt.mark = 1;
			break;
		case 'h':
			printf("usage: aggregator digest %s\n", cmd_digest_entry.usage);
			rc = CMD_OK;
			goto out;
		default:
			cmd_usage(&cmd_digest_entry);
			goto out;
		}
	}
	if (optind != argc || (opt.since && opt.date) || (opt.send && opt.output)) {
		cmd_usage(&cmd_digest_entry);
		goto out;
	}
	if (opt.since && parse_duration(opt.since, &tmp) != 0) {
		cmd_error("--since: '%s' is not a duration like 24h, 2d, 90m (at most 366d)",
		          opt.since);
		goto out;
	}
	if (opt.date && parse_day(opt.date, &tmp) != 0) {
		cmd_error("--date: '%s' is not a date YYYY-MM-DD", opt.date);
		goto out;
	}
	rc = CMD_FAIL;
	/* No run lock: the digest only reads entries and writes its own rows. */
	if (app_open(&a, ctx, 0, err) != 0) {
		cmd_error("%s", err);
		goto out;
	}
	lockpath = xasprintf("%s.digest.lock", a.cfg->database);
	lock = lock_acquire(lockpath, err);
	free(lockpath);
	if (lock == NULL) {
		cmd_error("%s", err);
		goto out;
	}
	j.ctx = ctx;
	j.a = &a;
	j.opt = &opt;
	j.offset = tz_offset(a.cfg->timezone, ctx->now);

	if (opt.profile) {
		const struct config_section *sec =
		    config_section_find(a.cfg, "digest", opt.profile);

		if (sec == NULL) {
			cmd_error("no [digest %s] section in %s", opt.profile,
			          a.cfg->path ? a.cfg->path : "the configuration");
			goto out;
		}
		if (profile_load(a.cfg, sec, opt.profile, &p, err) != 0) {
			cmd_error("%s", err);
			goto out;
		}
		failed = run_profile(&j, &p) != 0;
		profile_free(&p);
		done = 1;
	} else if (opt.send) {
		for (i = 0; i < a.cfg->nsections; i++) {
			const struct config_section *sec = &a.cfg->sections[i];

			if (strcmp(sec->kind, "digest") != 0)
				continue;
			if (profile_load(a.cfg, sec, sec->name, &p, err) != 0) {
				cmd_error("%s", err);
				failed = 1;
				continue;
			}
			failed |= run_profile(&j, &p) != 0;
			profile_free(&p);
			done++;
		}
	}
	if (done == 0) { /* an ad-hoc digest from the options */
		if (profile_load(a.cfg, NULL, "default", &p, err) != 0) {
			cmd_error("%s", err);
			goto out;
		}
		failed = run_profile(&j, &p) != 0;
		profile_free(&p);
	}
	rc = failed ? CMD_FAIL : CMD_OK;
out:
	lock_release(lock);
	app_close(&a);
	list_free(&opt.cats);
	list_free(&opt.to);
	return rc;
}

const struct cmd_entry cmd_digest_entry = {
    "digest",
    "[--since DURATION | --date YYYY-MM-DD] [--category NAME]... [--to ADDRESS]...\n"
    "       [--profile NAME] [--send | --output FILE] [--mark-sent]",
    "mail the stories of the day: to stdout (| sendmail -t), a file or SMTP",
    cmd_digest_exec,
};

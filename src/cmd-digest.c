/*
 * cmd-digest.c - "aggregator digest": the day's stories as one e-mail.
 *
 *   aggregator digest [--since DURATION | --date YYYY-MM-DD] [--category NAME]...
 *                     [--to ADDRESS]... [--profile NAME] [--send | --output FILE]
 *                     [--mark-sent]
 *
 * A profile is a [digest NAME] section of the config, read and checked by
 * digest_profile_load() (digest-profile.c); without --profile the digest is an
 * ad-hoc one built from the options, and `--send` without --profile sends
 * every profile in turn. For each: digest_build() takes the profile's queue
 * (everything stored since its last digest, store.h) or, with --since or
 * --date, an ad-hoc period (which moves no cursor; --mark-sent marks what
 * it mailed), and renders it, mail_build() makes the message, which
 * goes to stdout (for `| sendmail -t`), to FILE, or through SMTP
 * (mail_send()). Only once the server accepted it (or with --mark-sent,
 * once it was written) are the stories recorded as sent and the HTML
 * archived under output_dir/digest/NAME/DATE.html; a failed send leaves
 * them for the next try. Days, the Subject's date and the Date: header are
 * in the config's time zone (tz.h). It does not take the run lock, so it
 * may run while `run` does; a lock of its own keeps two digests from
 * mailing the same stories.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmd.h"
#include "date.h"
#include "digest.h"
#include "mail.h"
#include "publish.h"
#include "tz.h"
#include "url.h"
#include "util/err.h"
#include "util/file.h"
#include "util/lock.h"
#include "util/xmalloc.h"

struct options {
	int64_t since; /* --since in seconds, or 0 */
	const char *date;
	struct digest_list cats;
	struct digest_list to;
	const char *profile;
	const char *output;
	int send, mark, fail_empty;
};

struct job {
	const struct cmd_ctx *ctx;
	struct app *a;
	const struct options *opt;
	struct tz *tz; /* the config's time zone */
};

/* Sends msg or writes it out: 1 when that counts as delivered, 0 when not, -1 on failure. */
static int deliver(const struct job *j, const struct digest_profile *p,
                   const struct digest_list *to, const char *msg, size_t len, size_t count)
{
	const struct config *cfg = j->a->cfg;
	char err[ERR_MAX], *shown;

	if (!j->opt->send) {
		if (digest_write(msg, len, j->opt->output, err) != 0) {
			cmd_error("digest %s: %s", p->name, err);
			return -1;
		}
		return j->opt->mark;
	}
	if (digest_login_in_clear(p))
		log_error(&j->ctx->log,
		          "digest %s: smtp_starttls = never: the SMTP login and password go "
		          "in clear",
		          p->name);
	if (digest_send(p, to, cfg->timeout, cfg->connect_timeout, msg, len, err) != 0) {
		cmd_error("digest %s: not sent, %zu stories kept for the next try: %s", p->name,
		          count, err);
		return -1;
	}
	shown = url_redact(p->smtp_url);
	log_notice(&j->ctx->log, "digest %s: sent %zu stories to %zu recipients through %s",
	           p->name, count, to->n, shown);
	free(shown);
	return 1;
}

/* Removes the profile's archive copies older than archive_keep (days in the site's zone). */
static void prune_archive(const struct job *j, const struct digest_profile *p, const char *apath)
{
	char before[TZ_DATE_MAX], err[ERR_MAX], *dir = path_dirname(apath);
	size_t removed;

	tz_format(j->tz, j->ctx->now - p->archive_keep, before);
	if (digest_archive_prune(dir, before, &removed, err) != 0)
		cmd_error("digest %s: pruning the archive: %s", p->name, err);
	else if (removed)
		log_notice(&j->ctx->log, "digest %s: removed %zu archive copies older than %.10s",
		           p->name, removed, before);
	free(dir);
}

/* Builds, delivers and records one profile's digest. */

/*
 * Notes a digest archive page in the manifest of output_dir (store_files(),
 * owner "digest"), beside what publishing wrote, so that nothing under
 * output_dir is a file no command answers for.
 */
static int record_archive(const struct job *j, const char *path, char *err)
{
	const char *dir = j->a->cfg->output_dir;
	size_t n = strlen(dir);
	struct store_file f;

	if (strncmp(path, dir, n) != 0 || path[n] != '/')
		return 0;
	f.path = (char *)(path + n + 1);
	f.updated = j->ctx->now;
	f.fp = NULL;
	f.memo = NULL;
	return store_files_set(j->a->store, "digest", &f, 1, 1, err);
}
static int run_profile(const struct job *j, const struct digest_profile *p)
{
	const struct options *opt = j->opt;
	const struct config *cfg = j->a->cfg;
	const struct digest_list *to = opt->to.n ? &opt->to : &p->to;
	const struct digest_list *cats = opt->cats.n ? &opt->cats : &p->categories;
	struct digest_opts o;
	struct digest d;
	char day[TZ_DATE_MAX], since[DATE_MAX], err[ERR_MAX], *slug, *msg = NULL;
	char *apath = NULL, *aurl = NULL;
	size_t len = 0;
	int rc = -1, delivered;

	memset(&o, 0, sizeof o);
	memset(&d, 0, sizeof d);
	digest_period(j->tz, j->ctx->now, opt->since ? opt->since : p->period, opt->date, &o.since,
	              &o.until, day);
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
	if (p->archive && (opt->send || opt->mark)) {
		slug = publish_slug(p->name);
		digest_archive_path(cfg->output_dir, cfg->link, slug, day, &apath, &aurl);
		free(slug);
	}
	o.profile = p->name;
	o.queue = !opt->since && !opt->date;
	o.oldest = j->ctx->now - p->max_age;
	o.drop_overflow = p->drop_overflow;
	o.categories = (const char *const *)cats->v;
	o.ncategories = cats->n;
	o.max_stories = (size_t)p->max_stories;
	o.site_name = cfg->name;
	o.site_link = cfg->link;
	o.date = day;
	o.subject = p->subject;
	o.language = cfg->language;
	o.list_unsubscribe = p->list_unsubscribe;
	o.archive_url = aurl;
	o.templates = cfg->templates;
	o.default_templates = j->ctx->datadir;
	o.tz = j->tz;
	o.now = j->ctx->now;
	if (digest_build(j->a->store, &o, &d, err) != 0) {
		cmd_error("digest %s: %s", p->name, err);
		goto out;
	}
	if (d.count == 0 && !p->empty_note) {
		date_format_rfc3339(o.queue ? o.oldest : o.since, since);
		log_notice(&j->ctx->log, "digest %s: nothing new%s%s; nothing sent", p->name,
		           o.queue ? "" : " since ", o.queue ? "" : since);
		/* what the queue passed over (other categories) is not looked at again */
		rc = 1;
		if (o.queue && (opt->send || opt->mark) &&
		    digest_record(j->a->store, p->name, &d, j->ctx->now, NULL, err) != 0) {
			cmd_error("digest %s: %s", p->name, err);
			rc = -1;
		}
		goto out;
	}
	msg = digest_message(p, to, &d, cfg->link, j->ctx->now, tz_offset(j->tz, j->ctx->now), &len,
	                     err);
	if (msg == NULL) {
		cmd_error("digest %s: %s", p->name, err);
		goto out;
	}
	if ((delivered = deliver(j, p, to, msg, len, d.count)) < 0)
		goto out;
	if (!o.queue && !opt->mark) /* ad hoc: marks nothing unless asked to */
		delivered = 0;
	if (delivered && digest_record(j->a->store, p->name, &d, j->ctx->now, apath, err) != 0) {
		cmd_error("digest %s: %s", p->name, err);
		goto out;
	}
	if (delivered && d.count > 0 && apath && record_archive(j, apath, err) != 0) {
		cmd_error("digest %s: archive: %s", p->name, err);
		goto out;
	}
	if (delivered && apath && p->archive_keep > 0)
		prune_archive(j, p, apath);
	if (d.left)
		log_notice(&j->ctx->log, "digest %s: %zu more stories past max_stories %s", p->name,
		           d.left,
		           !o.queue           ? "left out"
		           : p->drop_overflow ? "dropped (overflow = drop)"
		           : delivered        ? "wait for the next digest"
		                              : "wait");
	rc = d.count == 0; /* the empty note, when sent, still had no story */
out:
	free(msg);
	free(apath);
	free(aurl);
	digest_free(&d);
	return rc;
}

/*
 * A profile's categories as the subscribed ones they mean (app_category_find());
 * one that means none is said (with the known ones) and kept as written: the
 * profile still gets its other categories.
 */
static void profile_categories(const struct config *cfg, struct digest_profile *p)
{
	const char *cat;
	char *known;
	size_t i;

	for (i = 0; i < p->categories.n; i++) {
		cat = app_category_find(cfg, p->categories.v[i]);
		if (cat) {
			xsetstr(&p->categories.v[i], cat);
			continue;
		}
		known = app_category_names(cfg);
		cmd_error("digest %s: categories: no category '%s' (known: %s)", p->name,
		          p->categories.v[i], known);
		free(known);
	}
}

/* Loads and runs the profile of section sec (NULL: ad hoc): 0, 1 when it had nothing to send, -1,
 * or -2 when it did not load. */
static int run_section(const struct job *j, const struct config_section *sec, const char *name)
{
	struct digest_profile p;
	struct digest_list warnings = {NULL, 0, 0};
	char err[ERR_MAX];
	size_t i;
	int rc = digest_profile_load(&p, j->a->cfg, sec, name, &warnings, err);

	for (i = 0; i < warnings.n; i++)
		cmd_error("%s", warnings.v[i]);
	digest_list_free(&warnings);
	if (rc != 0) {
		cmd_error("%s", err);
		return -2;
	}
	profile_categories(j->a->cfg, &p);
	rc = run_profile(j, &p);
	digest_profile_free(&p);
	return rc;
}

/*
 * The profile of --profile; else with --send every profile; else (or when none loaded) an ad-hoc
 * one. -1 when one failed, 1 when none had anything to send, else 0.
 */
static int run_profiles(const struct job *j)
{
	const struct config *cfg = j->a->cfg;
	const struct config_section *sec;
	size_t i, done = 0, empty = 0;
	int failed = 0, rc;

	if (j->opt->profile) {
		sec = config_section_find(cfg, "digest", j->opt->profile);
		if (sec == NULL) {
			cmd_error("no [digest %s] section in %s", j->opt->profile,
			          cfg->path ? cfg->path : "the configuration");
			return -1;
		}
		rc = run_section(j, sec, j->opt->profile);
		return rc < 0 ? -1 : rc;
	}
	for (i = 0; j->opt->send && i < cfg->nsections; i++) {
		sec = &cfg->sections[i];
		if (strcmp(sec->kind, "digest") != 0)
			continue;
		rc = run_section(j, sec, sec->name);
		failed |= rc < 0;
		done += rc != -2;
		empty += rc == 1;
	}
	if (done == 0) {
		rc = run_section(j, NULL, "default");
		failed = rc < 0;
		done = 1;
		empty = rc == 1;
	}
	return failed ? -1 : empty == done ? 1 : 0;
}

/*
 * Replaces each --category by the subscribed category it means (app_category_find()).
 * One that means none is an error naming the known ones: CMD_USAGE, else CMD_OK.
 */
static int resolve_categories(const struct config *cfg, struct digest_list *cats)
{
	const char *cat;
	char *known;
	size_t i;

	for (i = 0; i < cats->n; i++) {
		cat = app_category_find(cfg, cats->v[i]);
		if (cat) {
			xsetstr(&cats->v[i], cat);
			continue;
		}
		known = app_category_names(cfg);
		cmd_error("--category: no category '%s' (known: %s)", cats->v[i], known);
		free(known);
		return CMD_USAGE;
	}
	return CMD_OK;
}

/* Reads the options into opt: CMD_OK to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct options *opt, int *exit_rc)
{
	static const struct option longopts[] = {
	    {"since", required_argument, NULL, 's'},
	    {"date", required_argument, NULL, 'd'},
	    {"category", required_argument, NULL, 'C'},
	    {"to", required_argument, NULL, 't'},
	    {"profile", required_argument, NULL, 'p'},
	    {"send", no_argument, NULL, 'S'},
	    {"output", required_argument, NULL, 'o'},
	    {"mark-sent", no_argument, NULL, 'm'},
	    {"fail-empty", no_argument, NULL, 'E'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *since = NULL;
	char err[ERR_MAX];
	int64_t days;
	int c;

	*exit_rc = CMD_USAGE;
	while ((c = getopt_long(argc, argv, "s:d:C:t:p:So:mh", longopts, NULL)) != -1) {
		if (c == 's') {
			since = optarg;
		} else if (c == 'd') {
			opt->date = optarg;
		} else if (c == 'C') {
			digest_list_add_names(&opt->cats, optarg);
		} else if (c == 't') {
			if (mail_split_addresses(optarg, &opt->to.v, &opt->to.n, &opt->to.cap,
			                         err) != 0) {
				cmd_error("--to: %s", err);
				return -1;
			}
		} else if (c == 'p') {
			opt->profile = optarg;
		} else if (c == 'S' || c == 'm') {
			*(c == 'S' ? &opt->send : &opt->mark) = 1;
		} else if (c == 'o') {
			opt->output = optarg;
		} else if (c == 'E') {
			opt->fail_empty = 1;
		} else if (c == 'h') {
			cmd_help(&cmd_digest_entry);
			*exit_rc = CMD_OK;
			return -1;
		} else {
			cmd_usage(&cmd_digest_entry);
			return -1;
		}
	}
	if (optind != argc || (since && opt->date) || (opt->send && opt->output)) {
		cmd_usage(&cmd_digest_entry);
		return -1;
	}
	if (since && (date_duration(since, &opt->since) != 0 || opt->since <= 0 ||
	              opt->since > DIGEST_PERIOD_MAX)) {
		cmd_error("--since: '%s' is not a duration with a unit, like 90m, 24h, 2d or 1w "
		          "(at most 366d)",
		          since);
		return -1;
	}
	if (opt->date && date_parse_day(opt->date, &days) != 0) {
		cmd_error("--date: '%s' is not a date YYYY-MM-DD", opt->date);
		return -1;
	}
	return 0;
}

static int cmd_digest_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct options opt;
	struct lock *lock = NULL;
	struct app a;
	struct job j;
	char err[ERR_MAX], *lockpath;
	int rc;

	memset(&opt, 0, sizeof opt);
	memset(&a, 0, sizeof a);
	memset(&j, 0, sizeof j);
	if (parse_args(argc, argv, &opt, &rc) != 0)
		goto out;
	rc = CMD_FAIL;
	/* No run lock: the digest only reads entries and writes its own rows. */
	if (app_open(&a, ctx, 0, err) != 0) {
		cmd_error("%s", err);
		goto out;
	}
	if ((rc = resolve_categories(a.cfg, &opt.cats)) != CMD_OK)
		goto out;
	rc = CMD_FAIL;
	j.ctx = ctx;
	j.a = &a;
	j.opt = &opt;
	j.tz = tz_load(a.cfg->timezone, err);
	if (j.tz == NULL) {
		cmd_error("digest: %s", err);
		goto out;
	}
	/* one digest at a time: a file lock beside an SQLite file, else the database's */
	if (store_is_postgresql(a.cfg->database)) {
		if (store_lock(a.store, "digest", err) != 0) {
			cmd_error("%s", err);
			goto out;
		}
	} else {
		lockpath = xasprintf("%s.digest.lock", a.cfg->database);
		lock = lock_acquire(lockpath, err);
		free(lockpath);
		if (lock == NULL) {
			cmd_error("%s", err);
			goto out;
		}
	}
	rc = run_profiles(&j);
	rc = rc < 0 ? CMD_FAIL : rc > 0 && opt.fail_empty ? CMD_EMPTY : CMD_OK;
out:
	lock_release(lock);
	tz_free(j.tz);
	app_close(&a);
	digest_list_free(&opt.cats);
	digest_list_free(&opt.to);
	return rc;
}

const struct cmd_entry cmd_digest_entry = {
    "digest",
    "[--since DURATION | --date YYYY-MM-DD] [--category NAME]... [--to ADDRESS]...\n"
    "       [--profile NAME] [--send | --output FILE] [--mark-sent] [--fail-empty]",
    "mail the stories of the day: to stdout (| sendmail -t), a file or SMTP",
    cmd_digest_exec,
    "Options:\n"
    "  -s, --since DURATION  an ad-hoc digest of this period: a number and a unit\n"
    "                        s, m, h, d or w (90m, 24h, 2d, 1w; at most 366d)\n"
    "  -d, --date DAY        an ad-hoc digest of one day, YYYY-MM-DD in the timezone\n"
    "  -C, --category NAME   only this category (name or slug; repeat for more)\n"
    "  -t, --to ADDRESS      recipients instead of the profile's (repeatable)\n"
    "  -p, --profile NAME    the [digest NAME] section to use\n"
    "  -S, --send            send through SMTP (every profile when no --profile)\n"
    "  -o, --output FILE     write the message to FILE instead of standard output\n"
    "  -m, --mark-sent       record an ad-hoc or written digest's stories as sent\n"
    "      --fail-empty      exit 3 when there is nothing to send\n"
    "  -h, --help            this help\n"
    "With nothing to send nothing is written or sent, and -v says so.\n",
};

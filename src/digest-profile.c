/*
 * digest-profile.c - the keys of a [digest NAME] section (see digest.h).
 *
 * config.c only collects a [digest NAME] section's keys and values with
 * their lines; digest_profile_load() knows every key, checks its value and
 * says what is wrong as "FILE:LINE: [digest NAME]: KEY: ..." in words a
 * config file's author can act on. Warnings (a period without a unit) are
 * handed back for the caller to print, as errors are. Durations are
 * date_duration()'s (date.h), addresses mail.h's, the From default's host
 * url_host()'s (url.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "date.h"
#include "digest.h"
#include "url.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define STORIES_MAX 10000

void digest_list_free(struct digest_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static void list_add_owned(struct digest_list *l, char *s)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

static void list_add(struct digest_list *l, const char *s, size_t n)
{
	list_add_owned(l, xstrndup(s, n));
}

void digest_list_add_names(struct digest_list *l, const char *s)
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

static void profile_defaults(struct digest_profile *p, const char *name)
{
	memset(p, 0, sizeof *p);
	p->name = name;
	p->period = DIGEST_PERIOD_DEFAULT;
	p->archive = 1;
	p->archive_keep = 90L * 86400;
}

void digest_profile_free(struct digest_profile *p)
{
	digest_list_free(&p->to);
	digest_list_free(&p->categories);
	free(p->from);
	p->from = NULL;
}

/* One of the words in words[] (NULL-terminated): its index, or -1. */
static int one_of(const char *v, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (strcmp(v, words[i]) == 0)
			return i;
	return -1;
}

static int set_period(struct digest_profile *p, const char *v, char *why)
{
	int64_t secs;
	int rc = date_duration(v, &secs);

	if (rc < 0 || secs <= 0 || secs > DIGEST_PERIOD_MAX)
		return err_set(why,
		               "period: '%.64s' is not a duration like 90m, 24h, 2d, 1w (at most "
		               "366d)",
		               v);
	p->period = secs;
	if (rc != DATE_DURATION_BARE)
		return 0;
	err_set(why, "period: '%.64s' has no unit, taken as seconds (write %.64ss)", v, v);
	return 1;
}

static int set_max_age(struct digest_profile *p, const char *v, char *why)
{
	int64_t secs;

	if (date_duration(v, &secs) != 0 || secs <= 0 || secs > DIGEST_PERIOD_MAX)
		return err_set(
		    why,
		    "max_age: '%.64s' is not a duration with a unit like 36h, 2d, 1w (at "
		    "most 366d)",
		    v);
	p->max_age = secs;
	return 0;
}

static int set_archive_keep(struct digest_profile *p, const char *v, char *why)
{
	int64_t secs;

	if (strcmp(v, "forever") == 0) {
		p->archive_keep = 0;
		return 0;
	}
	if (date_duration(v, &secs) != 0 || secs < 86400 || secs > 3650L * 86400)
		return err_set(why,
		               "archive_keep: '%.64s' is not forever or a duration like 30d, 12w "
		               "(1d to 3650d)",
		               v);
	p->archive_keep = secs;
	return 0;
}

static int set_max_stories(struct digest_profile *p, const char *v, char *why)
{
	char *end;

	p->max_stories = strtol(v, &end, 10);
	if (end == v || *end != '\0' || p->max_stories < 1 || p->max_stories > STORIES_MAX)
		return err_set(why, "max_stories: '%.64s' is not a number from 1 to %d", v,
		               STORIES_MAX);
	return 0;
}

/* One key: 0, -1 with why, or 1 when taken with a warning in why. */
static int profile_set(struct digest_profile *p, const char *key, const char *v, char *why)
{
	static const char *const tls[] = {"try", "always", "never", NULL};
	static const char *const empty[] = {"skip", "note", NULL};
	static const char *const yes_no[] = {"no", "yes", NULL};
	static const char *const overflow[] = {"keep", "drop", NULL};
	char sub[ERR_MAX];
	int k;

	if (v == NULL)
		v = "";
	if (strcmp(key, "to") == 0) {
		digest_list_free(&p->to);
		if (mail_split_addresses(v, &p->to.v, &p->to.n, &p->to.cap, sub) != 0)
			return err_set(why, "to: %.300s", sub);
	} else if (strcmp(key, "from") == 0) {
		char *spec = mail_addr_spec(v);
		if (spec == NULL)
			return err_set(why, "from: '%.100s' is not an e-mail address", v);
		free(spec);
		xsetstr(&p->from, v);
	} else if (strcmp(key, "categories") == 0) {
		digest_list_free(&p->categories);
		digest_list_add_names(&p->categories, v);
	} else if (strcmp(key, "period") == 0) {
		return set_period(p, v, why);
	} else if (strcmp(key, "subject") == 0) {
		p->subject = v;
	} else if (strcmp(key, "smtp_url") == 0) {
		if (strncasecmp(v, "smtp://", 7) != 0 && strncasecmp(v, "smtps://", 8) != 0)
			return err_set(why,
			               "smtp_url: '%.100s' must start with smtp:// or smtps://", v);
		p->smtp_url = v;
	} else if (strcmp(key, "smtp_user") == 0) {
		p->smtp_user = v;
	} else if (strcmp(key, "smtp_password") == 0) {
		p->smtp_password = v;
	} else if (strcmp(key, "smtp_starttls") == 0) {
		if ((k = one_of(v, tls)) < 0)
			return err_set(why, "smtp_starttls: '%.64s' is not try, always or never",
			               v);
		p->tls = k == 0 ? MAIL_TLS_TRY : k == 1 ? MAIL_TLS_ALWAYS : MAIL_TLS_NEVER;
	} else if (strcmp(key, "list_unsubscribe") == 0) {
		p->list_unsubscribe = v;
	} else if (strcmp(key, "empty") == 0) {
		if ((k = one_of(v, empty)) < 0)
			return err_set(why, "empty: '%.64s' is not skip or note", v);
		p->empty_note = k;
	} else if (strcmp(key, "max_stories") == 0) {
		return set_max_stories(p, v, why);
	} else if (strcmp(key, "max_age") == 0) {
		return set_max_age(p, v, why);
	} else if (strcmp(key, "overflow") == 0) {
		if ((k = one_of(v, overflow)) < 0)
			return err_set(why, "overflow: '%.64s' is not keep or drop", v);
		p->drop_overflow = k;
	} else if (strcmp(key, "archive_keep") == 0) {
		return set_archive_keep(p, v, why);
	} else if (strcmp(key, "archive") == 0) {
		if ((k = one_of(v, yes_no)) < 0)
			return err_set(why, "archive: '%.64s' is not yes or no", v);
		p->archive = k;
	} else {
		return err_set(why,
		               "unknown key '%.64s' (known: to, from, categories, period, subject, "
		               "smtp_url, smtp_user, smtp_password, smtp_starttls, "
		               "list_unsubscribe, empty, max_stories, overflow, max_age, archive, "
		               "archive_keep)",
		               key);
	}
	return 0;
}

int digest_profile_load(struct digest_profile *p, const struct config *cfg,
                        const struct config_section *sec, const char *name,
                        struct digest_list *warnings, char *err)
{
	const char *file = cfg->path ? cfg->path : "aggregator.conf";
	char why[ERR_MAX], *host;
	size_t i;

	profile_defaults(p, name);
	p->smtp_url = cfg->smtp_url;
	p->smtp_user = cfg->smtp_user;
	p->smtp_password = cfg->smtp_password;
	p->netrc = cfg->netrc;
	p->ca_file = cfg->ca_file;
	p->ca_path = cfg->ca_path;
	for (i = 0; sec && i < sec->n; i++) {
		const struct config_kv *kv = &sec->kv[i];
		int rc = profile_set(p, kv->key, kv->value, why);

		if (rc < 0) {
			digest_profile_free(p);
			return err_set(err, "%s:%d: [digest %.64s]: %.300s", file, kv->line, name,
			               why);
		}
		if (rc > 0)
			list_add_owned(warnings, xasprintf("%s:%d: [digest %.64s]: %s", file,
			                                   kv->line, name, why));
	}
	if (p->max_age == 0)
		p->max_age =
		    p->period > DIGEST_MAX_AGE_DEFAULT ? p->period : DIGEST_MAX_AGE_DEFAULT;
	if (p->from == NULL) {
		host = url_host(cfg->link);
		p->from = xasprintf("aggregator@%s", host ? host : "localhost");
		free(host);
	}
	return 0;
}

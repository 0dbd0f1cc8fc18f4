/*
 * digest.h - the stories of a period, selected and rendered for mail.
 *
 * digest_build() asks the store for the profile's queue (what was stored
 * since its last digest, store_digest_queue()) or, for an ad-hoc digest,
 * the entries placed in [since, until) that it has not been sent; keeps
 * the first max_stories of the wanted categories (first stored first: the
 * rest head the next digest), groups them by category (in the order asked
 * for, else by name; newest place first inside a group), builds one Atom document of them with
 * atom.h (the shape publishing hands its templates) and renders it with digest-html.xsl and
 * digest-text.xsl (see xslt.h: user templates first, no file or network
 * access). The text is then wrapped in C. mail.c makes the message;
 * cmd-digest.c delivers it and records it sent.
 *
 * A profile is what one [digest NAME] section of the config asks for,
 * read and checked by digest-profile.c; cmd-digest.c picks the profiles,
 * delivers their messages (digest-mail.c) and records them sent.
 */
#ifndef AGG_DIGEST_H
#define AGG_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "mail.h"
#include "store.h"
#include "tz.h"

#define DIGEST_WRAP 72 /* columns of the text part */

struct digest_opts {
	const char *profile;           /* for the sent log and the templates */
	int queue;                     /* 1: the profile's queue; 0: the period */
	int64_t oldest;                /* queue: nothing placed before this */
	int drop_overflow;             /* queue: past max_stories is passed over, not kept */
	int64_t since, until;          /* the period, [since, until) */
	const char *const *categories; /* wanted categories, or NULL for all */
	size_t ncategories;
	size_t max_stories; /* 0: the default (200) */
	const char *site_name;
	const char *site_link; /* public URL of the output directory */
	const char *date;      /* the digest's date for people ("2024-05-01") */
	const char *subject;   /* template: {site} {date} {count} {stories} {profile} {top} */
	const char *language;  /* the interface's words: "en" (NULL) or "ko" */
	const char *list_unsubscribe;  /* shown in the footer when set */
	const char *archive_url;       /* the archive copy's URL, when there is one */
	const char *templates;         /* user templates directory, or NULL */
	const char *default_templates; /* the installed xsl/ */
	const struct tz *tz;           /* stories' times are shown in it (agg:local); NULL: UTC */
	int64_t now;
};

struct digest {
	size_t count;   /* stories in it; 0 gives the "nothing new" note */
	int64_t *ids;   /* their entry ids, for store_digest_mark_sent() */
	int64_t cursor; /* where the profile's cursor moves once sent; -1: it stays */
	size_t left;    /* queued stories past max_stories (kept, or dropped) */
	char *subject;  /* expanded, UTF-8, one line */
	char *html;
	char *text; /* wrapped at DIGEST_WRAP columns, LF line ends */
};

int digest_build(struct store *s, const struct digest_opts *o, struct digest *d, char *err);
void digest_free(struct digest *d);

/*
 * Expands {site} {date} {count} {stories} ("1 story", "5 stories"; with
 * language "ko", "기사 5건"), {profile} and {top} (the first story's
 * title) in tmpl; an unknown {word} stays as written. Controls in values
 * become spaces.
 */
char *digest_subject(const char *tmpl, const char *site, const char *date, size_t count,
                     const char *profile, const char *top, const char *language);

/*
 * Wraps each line of text at width display columns (East Asian wide
 * characters count two), breaking at spaces only, so a URL is never cut.
 * Continuation lines keep the line's indentation and hang under a leading
 * "[N] ", "- " or "* ". Trailing spaces are dropped.
 */
char *digest_wrap(const char *text, size_t width);

/* ---- profiles (digest-profile.c) ---------------------------------------- */

#define DIGEST_PERIOD_DEFAULT (24 * 3600)
#define DIGEST_MAX_AGE_DEFAULT (7 * 24 * 3600) /* or the period, when longer */
#define DIGEST_PERIOD_MAX (366L * 24 * 3600)   /* of a period or --since */

/* Strings a profile owns: recipients (mailboxes) or categories. */
struct digest_list {
	char **v;
	size_t n, cap;
};

void digest_list_free(struct digest_list *l);
/* Appends the comma-separated names of s, trimmed, empty ones dropped. */
void digest_list_add_names(struct digest_list *l, const char *s);

/*
 * One [digest NAME] section, checked. The const strings point into the
 * config, which must outlive the profile; the lists and from are the
 * profile's own.
 */
struct digest_profile {
	const char *name;
	struct digest_list to;         /* mailboxes */
	struct digest_list categories; /* empty: all */
	char *from;                    /* mailbox */
	int64_t period;                /* seconds back from now */
	const char *subject;           /* template, or NULL for the default */
	const char *list_unsubscribe;  /* or NULL */
	const char *smtp_url, *smtp_user, *smtp_password;
	const char *netrc, *ca_file, *ca_path; /* the [aggregator] ones, or NULL */
	enum mail_tls tls;
	int empty_note;       /* mail a "nothing new" note rather than nothing */
	long max_stories;     /* 0: the default */
	int drop_overflow;    /* overflow = drop: past max_stories is never sent */
	int64_t max_age;      /* a queued story placed longer ago is not sent */
	int archive;          /* keep a copy under output_dir/digest/ */
	int64_t archive_keep; /* copies older than this are removed (0: kept forever) */
};

/*
 * Reads and checks a [digest NAME] section of cfg (sec NULL: the defaults,
 * for an ad-hoc digest). Unset keys default to a day, all categories, an
 * archive copy, nothing when there is nothing new, the [aggregator] SMTP
 * settings, and From aggregator@ the site's host. Returns 0, or -1 with
 * err "FILE:LINE: [digest NAME]: KEY: ..." (p then needs no freeing).
 * Values that were taken all the same (a period without a unit, as
 * seconds) add a "FILE:LINE: ..." line to warnings.
 */
int digest_profile_load(struct digest_profile *p, const struct config *cfg,
                        const struct config_section *sec, const char *name,
                        struct digest_list *warnings, char *err);
void digest_profile_free(struct digest_profile *p);

/*
 * The period of a digest, [*since, *until): `back` seconds before now, or
 * with date ("YYYY-MM-DD", checked) that whole day in zone z. day gets the
 * digest's date for people: date, or now's day in zone z.
 */
void digest_period(const struct tz *z, int64_t now, int64_t back, const char *date, int64_t *since,
                   int64_t *until, char day[TZ_DATE_MAX]);

/* ---- the message, its delivery and archive (digest-mail.c) ------------- */

/*
 * The message of d for profile p to `to` (malloc'd, *len bytes): Date: is
 * now at offset seconds east of UTC, the Message-ID on site_link's host.
 * NULL with err when mail_build() refuses it.
 */
char *digest_message(const struct digest_profile *p, const struct digest_list *to,
                     const struct digest *d, const char *site_link, int64_t now, long offset,
                     size_t *len, char *err);

/* Writes msg to the file output, or to stdout when output is NULL or "-". */
int digest_write(const char *msg, size_t len, const char *output, char *err);

/* Non-zero when digest_send() would send p's login in clear (smtp_starttls =
 * never): the command warns on every send. */
int digest_login_in_clear(const struct digest_profile *p);

/* Sends msg through p's SMTP server (mail_send()): 0, or -1 with err. */
int digest_send(const struct digest_profile *p, const struct digest_list *to, long timeout,
                long connect_timeout, const char *msg, size_t len, char *err);

/*
 * The archive file of a digest of that day, output_dir/digest/SLUG/DAY.html
 * (DAY-2.html... when taken), and its public URL under site_link; both
 * malloc'd.
 */
void digest_archive_path(const char *output_dir, const char *site_link, const char *slug,
                         const char *day, char **path, char **url);
/* Writes d's HTML part there, making the folders: 0, or -1 with err. */
int digest_archive_write(const char *path, const struct digest *d, char *err);
/*
 * Removes the archive copies in dir (YYYY-MM-DD.html, YYYY-MM-DD-N.html) of
 * days before `before` ("YYYY-MM-DD"); *removed gets the count. 0, or -1
 * with err naming the first file that could not be removed.
 */
int digest_archive_prune(const char *dir, const char *before, size_t *removed, char *err);

/*
 * Once d was delivered: records its stories as sent to profile
 * (store_digest_mark_sent()) and writes the archive copy when archive_path
 * is set. 0, or -1 with err saying which failed.
 */
int digest_record(struct store *s, const char *profile, const struct digest *d, int64_t now,
                  const char *archive_path, char *err);

#endif

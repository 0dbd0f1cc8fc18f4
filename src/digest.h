/*
 * digest.h - the stories of a period, selected and rendered for mail.
 *
 * digest_build() asks the store for the entries of [since, until) that a
 * profile has not been sent, keeps those of the wanted categories, groups
 * them by category (in the order asked for, else by name; newest first
 * inside a group), builds one Atom document of them with atom.h (the shape
 * publishing hands its templates) and renders it with digest-html.xsl and
 * digest-text.xsl (see xslt.h: user templates first, no file or network
 * access). The text is then wrapped in C. mail.c makes the message;
 * cmd-digest.c delivers it and records it sent.
 */
#ifndef AGG_DIGEST_H
#define AGG_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define DIGEST_WRAP 72 /* columns of the text part */

struct digest_opts {
	const char *profile;           /* for the sent log and the templates */
	int64_t since, until;          /* the period, [since, until) */
	const char *const *categories; /* wanted categories, or NULL for all */
	size_t ncategories;
	size_t max_stories; /* 0: the default (200) */
	const char *site_name;
	const char *site_link; /* public URL of the output directory */
	const char *date;      /* the digest's date for people ("2024-05-01") */
	const char *subject;   /* template: {site} {date} {count} {stories} {profile} {top} */
	const char *list_unsubscribe;  /* shown in the footer when set */
	const char *archive_url;       /* the archive copy's URL, when there is one */
	const char *templates;         /* user templates directory, or NULL */
	const char *default_templates; /* the installed xsl/ */
	int64_t now;
};

struct digest {
	size_t count;  /* stories in it; 0 gives the "nothing new" note */
	int64_t *ids;  /* their entry ids, for store_digest_mark_sent() */
	char *subject; /* expanded, UTF-8, one line */
	char *html;
	char *text; /* wrapped at DIGEST_WRAP columns, LF line ends */
};

int digest_build(struct store *s, const struct digest_opts *o, struct digest *d, char *err);
void digest_free(struct digest *d);

/*
 * Expands {site} {date} {count} {stories} ("1 story", "5 stories")
 * {profile} and {top} (the first story's title) in tmpl; an unknown
 * {word} stays as written. Controls in values become spaces.
 */
char *digest_subject(const char *tmpl, const char *site, const char *date, size_t count,
                     const char *profile, const char *top);

/*
 * Wraps each line of text at width display columns (East Asian wide
 * characters count two), breaking at spaces only, so a URL is never cut.
 * Continuation lines keep the line's indentation and hang under a leading
 * "[N] ", "- " or "* ". Trailing spaces are dropped.
 */
char *digest_wrap(const char *text, size_t width);

#endif

/*
 * category.h - which categories an entry is published in.
 *
 * An entry is in the category of its subscription (the OPML folder), and
 * also in every [category NAME] section of the config whose rules match it:
 *
 *   [category K-Pop]
 *   words   = comeback, 컴백, debut, music video   # in the title or excerpt
 *   terms   = K-Pop, kpop, Korean Pop              # the entry's own categories
 *   exclude = spoiler, 스포                         # never in this category
 *
 * and the [aggregator] key `exclude` lists block words that keep an entry
 * out of every feed and page. Lists are comma-separated; an item with
 * spaces is a phrase (its words in order, any whitespace between them).
 *
 * Words match the title and the plain-text excerpt (else the summary with
 * its tags skipped), ignoring ASCII case. Latin, Greek and Cyrillic letters
 * and digits need word boundaries on both sides ("pop" does not match
 * "popular"); a Hangul keyword needs a boundary before it only, because
 * Korean particles and endings attach to the noun ("컴백" matches "컴백을"
 * and "컴백한", not "재컴백"). Other scripts (Han, kana) match anywhere.
 * terms compare whole, ignoring ASCII case and surrounding spaces, with the
 * entry's category terms and labels.
 *
 * The rules are built when the config is loaded; assignment happens at
 * publish time, from the stored entries, so a rule changed in the config
 * applies to everything already stored.
 */
#ifndef AGG_CATEGORY_H
#define AGG_CATEGORY_H

#include <stddef.h>

#include "model.h"

struct category_rules;

/*
 * One line of a [category NAME] section, as the config file gave it
 * (config.c fills these). A header item (key NULL) starts a section, so a
 * section without keys still names a category; the key items of a section
 * follow its header, in file order.
 */
struct category_item {
	const char *name; /* the section's NAME */
	const char *key;  /* NULL for the [category NAME] line itself */
	const char *value;
	int line;
};

/*
 * Rules from the n items of [category NAME] sections and the global
 * exclude list (may be NULL). Unknown keys and oversized lists are errors
 * "FILE:LINE: ..." (file names the config in messages; NULL: "config").
 * config_load() builds them, so a bad rule stops every command before it
 * fetches anything.
 */
struct category_rules *category_rules_new(const struct category_item *items, size_t n,
                                          const char *exclude, const char *file, char *err);
void category_rules_free(struct category_rules *r);

/* The sections' category names, in config order. */
size_t category_rules_count(const struct category_rules *r);
const char *category_rules_name(const struct category_rules *r, size_t i);

/*
 * The categories of e: its feed_category (unless that category's exclude
 * matches) and the names of the sections that match, each once, at most
 * max of them, pointing into r or e. Returns the count, or -1 when a global
 * exclude word matches (the entry is published nowhere).
 */
int category_assign(const struct category_rules *r, const struct entry *e, const char **names,
                    size_t max);

/* Non-zero when the keyword (one list item) occurs in text by the rules above. */
int category_text_matches(const char *text, const char *keyword);

#endif

/*
 * opml.h - subscription lists in OPML 1.0/2.0.
 *
 * An outline with an xmlUrl is a subscription; an outline without one is a
 * folder, and its text is the category of the subscriptions inside (the
 * innermost folder wins). An outline's own category attribute overrides
 * the folder (its first comma-separated value, leading '/' removed).
 * Relative xmlUrl values resolve against the OPML file's own location, so a
 * bundled list can point at bundled sample feeds.
 */
#ifndef AGG_OPML_H
#define AGG_OPML_H

#include <stddef.h>

#include "subs.h"

/* Reads one OPML file and appends its subscriptions (skipping URLs already present). */
int opml_read(const char *path, struct sublist *out, char *err);
/* Same, from memory; base is the URL relative xmlUrls resolve against. */
int opml_read_memory(const char *data, size_t len, const char *base, struct sublist *out,
                     char *err);
/* Serializes subscriptions as OPML 2.0 grouped by category (malloc'd). */
char *opml_write(const struct sublist *l, const char *title);

/*
 * Editing a subscription file in place (for `aggregator feeds`): the rest
 * of the document, other folders and attributes, stays as it was.
 * opml_add() puts url in the top-level folder named category (made when
 * missing; "uncategorized" puts it at the top level), creating the file
 * when it does not exist. Returns 0, 1 when url is already in the file
 * (nothing written), or -1. opml_remove() returns how many outlines it
 * removed, or -1.
 */
int opml_add(const char *path, const char *url, const char *title, const char *category, char *err);
int opml_remove(const char *path, const char *url, char *err);

#endif

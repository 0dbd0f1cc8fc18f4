/*
 * dedupe.h - is this the same entry, or the same story, as one we already
 * have? The stage between normalize and the store.
 *
 * dedupe_save_feed() saves a normalized feed through the store (store.h),
 * deciding for each entry: a new entry id that is a stored entry of the
 * same feed under a new id (guid churn) is re-keyed, not added; a new entry
 * joins the story of an entry of another feed with the same canonical link,
 * else of the most similar one close in time. The store keeps what the
 * functions below compute (a signature and its LSH band keys), so that
 * finding the candidates for a new entry is a few index lookups bounded by
 * a time window, never a scan of all entries.
 *
 * A signature is the set of features of an entry's title and of the start
 * of its summary: English (and other Latin-script) words lower-cased, with
 * stop words dropped, light English stemming ("renews", "renewed" ->
 * "renew") and number words as digits ("second" -> "2"); Hangul, kana and Han runs as
 * overlapping two-character n-grams (so "뉴진스가" and "뉴진스" share
 * "뉴진" and "진스": Korean particles do not hide a name); numbers as
 * they are. Features are 32-bit hashes, kept sorted and unique.
 */
#ifndef AGG_DEDUPE_H
#define AGG_DEDUPE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "store.h"

/* Features kept of a title, and of title plus summary. */
#define DEDUPE_TITLE_MAX 48
#define DEDUPE_ALL_MAX 128
/* Candidate keys (LSH, see dedupe_bands()) per entry. */
#define DEDUPE_BANDS 8
/* Largest encoded signature (dedupe_sig_encode). */
#define DEDUPE_SIG_BYTES (2 + 8 * (DEDUPE_ALL_MAX / 64) + 4 * DEDUPE_ALL_MAX)

/* The config keys cluster_threshold and cluster_window_hours (their
 * defaults are config's, the threshold tuned with test-dedupe). */
struct dedupe_params {
	int threshold;    /* dedupe_similarity() that makes one story; > 100: never */
	int window_hours; /* how far apart in time one story's entries may be */
};

/*
 * Saves a parsed and normalized feed as feed feed_id of the store, in one
 * transaction: the feed's metadata, then each entry (those without an id
 * are skipped) inserted or, when the feed already has it, updated in
 * place. An entry whose id the feed has not used before is the same entry
 * as a stored one of that feed with the same canonical link (link_canon),
 * else the same title and published date, when that one's id has left the
 * feed (guid churn): it is re-keyed and updated, not added. A new entry
 * joins the story of an entry of another feed with the same canonical
 * link, else of the most similar one (dedupe_similarity() >= threshold)
 * dated within window_hours of it, never of a story that feed already
 * tells. *new_entries gets the count of entries not
 * seen before. now is when this fetch happened.
 */
int dedupe_save_feed(struct store *s, int64_t feed_id, const struct feed *f, int64_t now,
                     const struct dedupe_params *p, size_t *new_entries, char *err);

struct dedupe_sig {
	uint32_t all[DEDUPE_ALL_MAX]; /* title and summary features, sorted, unique */
	size_t nall;
	/* bit i: all[i] is in the title, not counting a series prefix such as
	 * "Global Pulse 200: " */
	uint64_t in_title[DEDUPE_ALL_MAX / 64];
};

/* The signature of a plain-text title and summary (either may be NULL). */
void dedupe_signature(const char *title, const char *summary, struct dedupe_sig *out);

/*
 * How alike two signatures are, 0..100: the Dice coefficient of their
 * title-and-summary features; 0 when they share fewer than three, or
 * fewer than two of their titles' (boilerplate summaries alone never make
 * one story). Two
 * entries from different feeds are one story when this reaches the
 * threshold (tuned on tests/data/clusters/pairs.tsv: see test-dedupe.c).
 */
int dedupe_similarity(const struct dedupe_sig *a, const struct dedupe_sig *b);

/*
 * The candidate keys of a signature, for an index: the bottom-k MinHash of
 * its title features (the DEDUPE_BANDS smallest under one hash function,
 * all of them for a short title). Entries that share a key, in any
 * position, are the candidates compared with dedupe_similarity(); since
 * that asks for two shared title features, nearly every pair it would
 * accept shares a key. Returns how many were written (0 without title).
 */
size_t dedupe_bands(const struct dedupe_sig *s, int64_t bands[DEDUPE_BANDS]);

/* A signature as bytes (at most DEDUPE_SIG_BYTES) and back; decode refuses
 * anything malformed with -1. */
size_t dedupe_sig_encode(const struct dedupe_sig *s, unsigned char *buf);
int dedupe_sig_decode(const void *p, size_t n, struct dedupe_sig *out);

#endif

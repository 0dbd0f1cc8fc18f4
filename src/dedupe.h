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
 * "renew") and number words as digits ("second" -> "2"); Hangul, kana and
 * Han runs as overlapping two-character n-grams and as words with a final
 * particle cut ("뉴진스가" and "뉴진스" share "뉴진", "진스" and "뉴진스");
 * numbers as they are. Features are 32-bit hashes, kept sorted and unique,
 * each with a weight (names, numbers and rare words far above template
 * words), and the title's words are kept in order for the veto.
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
#define DEDUPE_SIG_BYTES                                                                           \
	(3 + 8 * (DEDUPE_ALL_MAX / 64) + 5 * DEDUPE_ALL_MAX +                                      \
	 DEDUPE_TOKENS * (6 + DEDUPE_TOKEN_BYTES))
/* The largest weight of a feature (names, numbers, words the statistics never saw). */
#define DEDUPE_WEIGHT_MAX 20

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

/* Title words kept in order for the veto (dedupe_similarity()). */
#define DEDUPE_TOKENS 16
#define DEDUPE_TOKEN_BYTES 15
/* What a title word is (bits of dedupe_token.kind). */
#define DEDUPE_NAME 1   /* a name: capitalised and rare, or rare Hangul in a name's place */
#define DEDUPE_NUMBER 2 /* a number or ordinal */
#define DEDUPE_HANGUL 4 /* written in Hangul (else Latin): BTS and 방탄소년단 are not two names */
#define DEDUPE_QUOTED 8 /* in a quoted title ('Seven', 「세븐」) */
#define DEDUPE_RARE 16  /* Hangul the statistics call rare (a name or not) */

struct dedupe_token {
	uint32_t h;                        /* its feature (one of dedupe_sig.all) */
	unsigned char kind;                /* DEDUPE_NAME | DEDUPE_NUMBER | DEDUPE_HANGUL */
	char text[DEDUPE_TOKEN_BYTES + 1]; /* as cut (lower-cased, stemmed), maybe truncated */
	unsigned char len;                 /* its length in bytes */
};

struct dedupe_sig {
	uint32_t all[DEDUPE_ALL_MAX]; /* title and summary features, sorted, unique */
	size_t nall;
	/* bit i: all[i] is in the title, not counting a series prefix such as
	 * "Global Pulse 200: " */
	uint64_t in_title[DEDUPE_ALL_MAX / 64];
	/* how much all[i] tells which story it is, 1..DEDUPE_WEIGHT_MAX: fixed when
	 * the signature is made, so a stored story never changes afterwards */
	unsigned char weight[DEDUPE_ALL_MAX];
	struct dedupe_token tok[DEDUPE_TOKENS]; /* the title's words in order, stop words out */
	size_t ntok;
};

/* The signature of a plain-text title and summary (either may be NULL). */
void dedupe_signature(const char *title, const char *summary, struct dedupe_sig *out);

/*
 * How alike two signatures are, 0..100: the mean of two weighted Dice
 * coefficients (the weight of the features both have over the weight of
 * all), of their title-and-summary features and of their titles'; 0 when
 * they share fewer than three features, or fewer than two of their titles'
 * (boilerplate summaries alone never make one story), or when the titles
 * fill one headline template with different names, quoted titles or
 * numbers (the veto: "BTS' Jin" and "BTS' Jimin to release solo album").
 * Two entries from different feeds are one story when this reaches the
 * threshold (tuned on tests/data/clusters/: see test-dedupe.c).
 */
int dedupe_similarity(const struct dedupe_sig *a, const struct dedupe_sig *b);

/*
 * How much two stories are on the same subject, 0..100, for "related
 * articles": 0 unless they share a subject word (a name or a quoted title
 * of one's headline, anywhere in the other's title or summary: "BTS",
 * "뉴진스", 'Squid Game'), then 25 per such word plus their weighted Dice
 * coefficient over all features. Template words alone ("to hold fan
 * meeting") never relate two stories.
 */
int dedupe_related(const struct dedupe_sig *a, const struct dedupe_sig *b);

/*
 * The features of s's subject words (what dedupe_related() looks for in
 * the other story), at most max of them: two stories can only be related
 * when one has a feature the other lists here, so an index of them finds
 * the candidates without comparing every pair.
 */
size_t dedupe_subjects(const struct dedupe_sig *s, uint32_t *out, size_t max);

/* Entries the store must have counted before its statistics count. */
#define DEDUPE_STATS_MIN 1000

/*
 * Blends the store's word statistics into a signature's weights: df[i] is
 * in how many of docs stored entries s->all[i] occurs (-1: not asked).
 * Once the store has counted DEDUPE_STATS_MIN entries, a word frequent
 * there weighs no more than its frequency there says, so the template
 * words of any beat ("shares rise", "trade rumours") lose weight without a
 * list; names, numbers and quoted titles keep theirs. dedupe_save_feed()
 * does this for each new entry before it looks for its story, with the
 * counts of the entries stored before it, and then counts it.
 */
void dedupe_blend(struct dedupe_sig *s, const int64_t *df, int64_t docs);

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

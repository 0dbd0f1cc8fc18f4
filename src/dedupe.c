/*
 * dedupe.c - story signatures, their similarity and LSH band keys (see
 * dedupe.h).
 *
 * The text is read as UTF-8 (utf8_next(): invalid bytes are U+FFFD, separators). Letters and
 * digits of Latin, Greek and Cyrillic scripts form words; Hangul syllables,
 * Hangul jamo, kana and Han characters form runs that are cut into
 * character bigrams (a run of one character is a unigram). Words of ASCII
 * letters go through a light stemmer (stem()), number words and ordinals
 * become digits ("second", "2nd" -> "2"). A title's series prefix
 * ("Global Pulse 200: ", "[주간 차트] ") counts with the summary, not the
 * title, so two stories sharing only a feed's series label are not one.
 * Each feature is hashed to 32 bits (FNV-1a over its bytes, tagged by kind).
 *
 * dedupe_bands() is a bottom-k MinHash sketch of the title's features: the
 * k smallest values of one hash function over them. Two titles sharing a
 * fraction J of their features share a sketch value with high probability
 * (always when both are at most k features long), so the candidates found
 * through the keys include nearly every match and dedupe_similarity() does
 * the deciding. (MinHash with 20 one-row bands over all features found the
 * same pairs of the test set but wrote 2.5 times the index rows; index
 * rows are what a new entry costs SQLite.)
 */
#include <stdlib.h>
#include <string.h>

#include "dedupe.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define WORD_MAX 64 /* bytes of one word kept for hashing */

/* Words too common in headlines to say which story it is. */
static const char *const stop_words[] = {
    "a",     "about", "after", "again", "ahead", "all",  "also",   "am",      "an",   "and",
    "any",   "are",   "as",    "at",    "be",    "been", "before", "being",   "but",  "by",
    "can",   "could", "did",   "do",    "does",  "for",  "from",   "had",     "has",  "have",
    "he",    "her",   "here",  "him",   "his",   "how",  "i",      "if",      "in",   "into",
    "is",    "it",    "its",   "just",  "me",    "more", "most",   "my",      "new",  "no",
    "not",   "now",   "of",    "off",   "on",    "one",  "only",   "or",      "our",  "out",
    "over",  "said",  "say",   "says",  "she",   "so",   "than",   "that",    "the",  "their",
    "them",  "then",  "there", "these", "they",  "this", "those",  "through", "to",   "too",
    "under", "up",    "us",    "very",  "was",   "we",   "were",   "what",    "when", "where",
    "which", "while", "who",   "why",   "will",  "with", "would",  "you",     "your",
};

static int is_stop_word(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++)
		if (strcmp(stop_words[i], w) == 0)
			return 1;
	return 0;
}

/* Characters cut into bigrams: Hangul, kana, Han. */
static int is_ngram_char(uint32_t c)
{
	return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
	       (c >= 0x3130 && c <= 0x318F) || (c >= 0x3040 && c <= 0x30FF) ||
	       (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

/* Characters of words: ASCII letters and digits, Latin-1 to Cyrillic letters. */
static int is_word_char(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	return (c >= 0xC0 && c <= 0x52F && c != 0xD7 && c != 0xF7);
}

static uint32_t fnv32(uint32_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= c[i];
		h *= 16777619u;
	}
	return h;
}

/* A growing feature list, bounded by its capacity. */
struct feats {
	uint32_t *v;
	size_t n, cap;
};

static void feats_add(struct feats *f, uint32_t h)
{
	if (f->n < f->cap)
		f->v[f->n++] = h;
}

/* Number words and ordinals as their digits ("second" and "2nd" are "2"). */
static const char *const number_words[][2] = {
    {"first", "1"},  {"second", "2"},  {"two", "2"},    {"third", "3"},  {"three", "3"},
    {"fourth", "4"}, {"four", "4"},    {"fifth", "5"},  {"five", "5"},   {"sixth", "6"},
    {"six", "6"},    {"seventh", "7"}, {"seven", "7"},  {"eighth", "8"}, {"eight", "8"},
    {"ninth", "9"},  {"nine", "9"},    {"tenth", "10"}, {"ten", "10"},
};

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int has_vowel(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_vowel(w[i]))
			return 1;
	return 0;
}

/*
 * A light English stemmer for a lower-case word of ASCII letters, in place;
 * returns the new length. Not Porter's: a few suffix rules applied in one
 * order, so that the inflections of one word meet ("renews", "renewed",
 * "renewing" -> "renew"; "release", "released" -> "releas"; "stories",
 * "story" -> "stori"; "dropped", "drops" -> "drop"), whatever they do to
 * the word itself. Stems keep at least three letters and a vowel.
 */
static size_t stem(char *w, size_t n)
{
	/* plural (or third person) -s, not -ss, -us, -is */
	if (n >= 4 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
		n--;
	/* -ing, -ed, -ly */
	if (n >= 6 && memcmp(w + n - 3, "ing", 3) == 0 && has_vowel(w, n - 3))
		n -= 3;
	else if (n >= 5 && memcmp(w + n - 2, "ed", 2) == 0 && has_vowel(w, n - 2))
		n -= 2;
	else if (n >= 7 && memcmp(w + n - 2, "ly", 2) == 0)
		n -= 2;
	/* a final -e goes, a final -y after a consonant is -i */
	if (n >= 4 && w[n - 1] == 'e')
		n--;
	else if (n >= 4 && w[n - 1] == 'y' && !is_vowel(w[n - 2]))
		w[n - 1] = 'i';
	/* a doubled final consonant is single (except -ll, -ss, -zz) */
	if (n >= 4 && w[n - 1] == w[n - 2] && !is_vowel(w[n - 1]) && w[n - 1] != 'l' &&
	    w[n - 1] != 's' && w[n - 1] != 'z')
		n--;
	w[n] = '\0';
	return n;
}

static void add_word(struct feats *f, char *w, size_t n, int glued)
{
	size_t i, digits = 0, letters = 0;

	w[n] = '\0';
	while (digits < n && w[digits] >= '0' && w[digits] <= '9')
		digits++;
	/* "2nd", "21st": the number */
	if (digits && digits + 2 == n &&
	    (strcmp(w + digits, "st") == 0 || strcmp(w + digits, "nd") == 0 ||
	     strcmp(w + digits, "rd") == 0 || strcmp(w + digits, "th") == 0))
		w[n = digits] = '\0';
	for (i = 0; i < sizeof number_words / sizeof number_words[0]; i++)
		if (strcmp(w, number_words[i][0]) == 0) {
			n = strlen(number_words[i][1]);
			memcpy(w, number_words[i][1], n + 1);
			break;
		}
	for (i = digits = 0; i < n; i++) {
		if (w[i] >= '0' && w[i] <= '9')
			digits++;
		else if (w[i] >= 'a' && w[i] <= 'z')
			letters++;
	}
	/* one letter says nothing; one digit may ("season 2"), but not one
	 * glued to Hangul or Han ("3집", "시즌3": the n-grams have it) */
	if ((n < 2 && !(n == 1 && digits && !glued)) || is_stop_word(w))
		return;
	if (letters == n)
		n = stem(w, n);
	feats_add(f, fnv32(2166136261u ^ 'w', w, n));
}

static void add_ngram(struct feats *f, const unsigned char *a, size_t alen, const unsigned char *b,
                      size_t blen)
{
	uint32_t h = fnv32(2166136261u ^ 'k', a, alen);

	if (b)
		h = fnv32(h, b, blen);
	feats_add(f, h);
}

/* Appends the features of text to f. */
static void features(const char *text, struct feats *f)
{
	const unsigned char *s = (const unsigned char *)text, *prev = NULL;
	size_t n = strlen(text), i = 0, len = 1, prevlen = 0, wn = 0;
	char word[WORD_MAX + 1];
	int run = 0;   /* characters in the current n-gram run */
	int glued = 0; /* the current word follows an n-gram character */

	while (i <= n) {
		uint32_t c = 0;

		len = 1;
		if (i < n) /* ASCII without a call: most headlines are mostly ASCII */
			c = s[i] < 0x80 ? s[i] : utf8_next(s + i, n - i, &len);
		if (i < n && is_word_char(c)) {
			if (run == 1)
				add_ngram(f, prev, prevlen, NULL, 0);
			if (wn == 0)
				glued = run > 0;
			run = 0;
			if (c < 0x80 && c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (wn + len <= WORD_MAX) {
				if (c < 0x80)
					word[wn++] = (char)c;
				else
					memcpy(word + wn, s + i, len), wn += len;
			}
		} else if (i < n && is_ngram_char(c)) {
			if (wn)
				add_word(f, word, wn, 1);
			wn = 0;
			if (run > 0)
				add_ngram(f, prev, prevlen, s + i, len);
			run++;
			prev = s + i;
			prevlen = len;
		} else {
			if (wn)
				add_word(f, word, wn, glued);
			wn = 0;
			if (run == 1)
				add_ngram(f, prev, prevlen, NULL, 0);
			run = 0;
		}
		i += len;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static size_t sort_unique(uint32_t *v, size_t n)
{
	size_t i, w = 0;

	qsort(v, n, sizeof *v, cmp_u32);
	for (i = 0; i < n; i++)
		if (w == 0 || v[w - 1] != v[i])
			v[w++] = v[i];
	return w;
}

/* Words of the summary kept: its start says what the story is. */
#define SUMMARY_FEATURES 48
/* A series prefix: at most this many bytes and features. */
#define PREFIX_BYTES 64
#define PREFIX_FEATURES 4

/*
 * The length of a title's series prefix, 0 if none: a leading "[...]" or
 * the text before the first ": ", within PREFIX_BYTES ("Global Pulse 200: ",
 * "Review: ", "[주간 차트] "). One feed puts it on a whole series of
 * stories, so it says little about which story it is.
 */
static size_t series_prefix(const char *t)
{
	const char *c;

	if (t[0] == '[') {
		c = memchr(t, ']', strnlen(t, PREFIX_BYTES));
		return c ? (size_t)(c - t) + 1 : 0;
	}
	c = memchr(t, ':', strnlen(t, PREFIX_BYTES));
	return c && (c[1] == ' ' || c[1] == '\t') ? (size_t)(c - t) + 1 : 0;
}

void dedupe_signature(const char *title, const char *summary, struct dedupe_sig *out)
{
	uint32_t tmp[DEDUPE_TITLE_MAX + SUMMARY_FEATURES], tf[DEDUPE_TITLE_MAX];
	struct feats f = {tmp, 0, DEDUPE_TITLE_MAX};
	size_t n, nt, np = 0, pl, i;
	char prefix[PREFIX_BYTES + 1];

	memset(out, 0, sizeof *out);
	if (title) {
		pl = series_prefix(title);
		if (pl) {
			memcpy(prefix, title, pl);
			prefix[pl] = '\0';
			features(prefix, &f);
			np = f.n;
		}
		features(title + pl, &f);
		/* A short prefix before a real headline is no part of the title's
		 * features (they still count with the summary's). */
		if (np > PREFIX_FEATURES || f.n - np < 2)
			np = 0;
	}
	nt = f.n - np;
	memcpy(tf, tmp + np, nt * sizeof *tmp);
	nt = sort_unique(tf, nt);
	f.cap = f.n + SUMMARY_FEATURES;
	if (summary)
		features(summary, &f);
	n = sort_unique(tmp, f.n);
	if (n > DEDUPE_ALL_MAX)
		n = DEDUPE_ALL_MAX;
	memcpy(out->all, tmp, n * sizeof *tmp);
	out->nall = n;
	for (i = 0; i < n; i++)
		if (bsearch(&out->all[i], tf, nt, sizeof *tf, cmp_u32))
			out->in_title[i / 64] |= UINT64_C(1) << (i % 64);
}

static int in_title(const struct dedupe_sig *s, size_t i)
{
	return (s->in_title[i / 64] >> (i % 64)) & 1;
}

int dedupe_similarity(const struct dedupe_sig *a, const struct dedupe_sig *b)
{
	size_t i = 0, j = 0, sa = 0, st = 0;

	while (i < a->nall && j < b->nall) {
		if (a->all[i] < b->all[j]) {
			i++;
		} else if (a->all[i] > b->all[j]) {
			j++;
		} else {
			sa++;
			st += in_title(a, i) && in_title(b, j);
			i++, j++;
		}
	}
	/* Dice: 2 |A n B| / (|A| + |B|) */
	if (sa < 3 || st < 2)
		return 0;
	return (int)(200 * sa / (a->nall + b->nall));
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

size_t dedupe_bands(const struct dedupe_sig *s, int64_t bands[DEDUPE_BANDS])
{
	uint64_t h[DEDUPE_ALL_MAX], t;
	size_t n = 0, i, j;

	/* bottom-k MinHash of the title features (every feature when the title
	 * has no more than DEDUPE_BANDS) */
	for (i = 0; i < s->nall; i++)
		if (in_title(s, i))
			h[n++] = mix64(s->all[i] ^ UINT64_C(0x9e3779b97f4a7c15));
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && h[j - 1] > h[j]; j--)
			t = h[j], h[j] = h[j - 1], h[j - 1] = t;
	if (n > DEDUPE_BANDS)
		n = DEDUPE_BANDS;
	/* two's complement reinterpretation, without implementation-defined casts */
	for (i = 0; i < n; i++)
		memcpy(&bands[i], &h[i], sizeof h[i]);
	return n;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Format 2 (format 1 had the features before stemming and number words;
 * its signatures are refused, so they never meet ones made differently):
 * a version byte, the count, the title bits, the features (all little-endian). */
size_t dedupe_sig_encode(const struct dedupe_sig *s, unsigned char *buf)
{
	size_t i, k, o = 2;

	buf[0] = 2;
	buf[1] = (unsigned char)s->nall;
	for (i = 0; i < DEDUPE_ALL_MAX / 64; i++)
		for (k = 0; k < 8; k++)
			buf[o++] = (unsigned char)(s->in_title[i] >> (8 * k));
	for (i = 0; i < s->nall; i++, o += 4)
		put32(buf + o, s->all[i]);
	return o;
}

int dedupe_sig_decode(const void *p, size_t n, struct dedupe_sig *out)
{
	const unsigned char *b = p;
	size_t i, k, o = 2;

	memset(out, 0, sizeof *out);
	if (b == NULL || n < 2 || b[0] != 2 || b[1] > DEDUPE_ALL_MAX ||
	    n != 2 + 8 * (DEDUPE_ALL_MAX / 64) + 4 * (size_t)b[1])
		return -1;
	out->nall = b[1];
	for (i = 0; i < DEDUPE_ALL_MAX / 64; i++)
		for (k = 0; k < 8; k++)
			out->in_title[i] |= (uint64_t)b[o++] << (8 * k);
	for (i = 0; i < out->nall; i++, o += 4)
		out->all[i] = get32(b + o);
	return 0;
}

/* ---- saving a feed: guid churn and stories ---------------------------- */

/* Stored entries of a feed looked at for guid churn, per question. */
#define CHURN_CANDIDATES 8
/* Candidates read per key (newest first), and at most in all for one entry. */
#define CANDIDATES_PER_KEY 16
#define CANDIDATES_MAX (DEDUPE_BANDS * CANDIDATES_PER_KEY)

/* What dedupe_save_feed() knows while it saves one feed's entries. */
struct save {
	struct store *s;
	int64_t feed_id;
	int64_t now;
	int threshold;
	int64_t window;   /* seconds apart one story's entries may be */
	const char **ids; /* the ids of the feed's entries, sorted */
	size_t nids;
	char *err;
};

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int batch_has(const struct save *c, const char *id)
{
	return id && bsearch(&id, c->ids, c->nids, sizeof *c->ids, cmp_str_ptr) != NULL;
}

/* The time that places an entry in its story's window and orders a story. */
static int64_t story_time_of(const struct entry *e, int64_t now)
{
	if (e->date_is_seen)
		return now;
	return e->published ? e->published : e->updated ? e->updated : now;
}

/* store_key_fn for find_churned(): the first entry whose id left the feed. */
struct churn {
	const struct save *c;
	int64_t found;
};

static int churn_pick(void *arg, int64_t id, const char *key)
{
	struct churn *ch = arg;

	if (batch_has(ch->c, key))
		return 0;
	ch->found = id;
	return 1;
}

/*
 * Guid churn: e's id is unknown, but the feed has an entry with the same
 * canonical link (else the same title and published date) whose own id is
 * no longer in the feed. That is the same entry under a new id: *found gets
 * its row id, or 0. -1 on a store failure.
 */
static int find_churned(const struct save *c, const struct entry *e, int64_t *found)
{
	struct churn ch = {c, 0};

	*found = 0;
	if (e->link_canon &&
	    store_feed_entries_by_canon(c->s, c->feed_id, e->link_canon, CHURN_CANDIDATES,
	                                churn_pick, &ch, c->err) < 0)
		return -1;
	if (ch.found == 0 && e->title.value && e->published != 0 && !e->date_is_seen &&
	    store_feed_entries_by_title(c->s, c->feed_id, e->title.value, e->published,
	                                CHURN_CANDIDATES, churn_pick, &ch, c->err) < 0)
		return -1;
	*found = ch.found;
	return 0;
}

/* The candidates of a new entry (store_candidate_fn): those alike enough, in order. */
struct story_search {
	const struct save *c;
	const struct dedupe_sig *sig;
	struct {
		int64_t id, story;
		int sim;
	} hit[CANDIDATES_MAX];
	size_t nhit;
};

static int story_candidate(void *arg, const struct store_candidate *cand)
{
	struct story_search *q = arg;
	struct dedupe_sig other;
	int sim;

	if (cand->feed_id == q->c->feed_id ||
	    dedupe_sig_decode(cand->signature, cand->signature_len, &other) != 0)
		return 0;
	sim = dedupe_similarity(q->sig, &other);
	if (sim >= q->c->threshold && q->nhit < CANDIDATES_MAX) {
		q->hit[q->nhit].id = cand->id;
		q->hit[q->nhit].story = cand->story;
		q->hit[q->nhit++].sim = sim;
	}
	return 0;
}

/*
 * The entry of another feed that tells the same story as a new entry: the
 * same canonical link, else the most similar candidate sharing a key
 * (dedupe_bands()) within the time window, in a story this feed does not
 * already tell (a feed does not tell one story twice, so series headlines
 * like "Global Pulse 200: ..." do not chain its entries). Sets *target (0:
 * none) and *story (its story, 0: none yet). 0, or -1 on a store failure.
 */
static int find_story(const struct save *c, const struct entry *e, const struct dedupe_sig *sig,
                      const int64_t *bands, size_t nb, int64_t story_time, int64_t *target,
                      int64_t *story)
{
	struct story_search q;
	size_t k;
	int best = -1, has;

	*target = *story = 0;
	if (e->link_canon) {
		if (store_other_feed_entry(c->s, c->feed_id, e->link_canon, target, story, c->err) <
		    0)
			return -1;
		if (*target)
			return 0;
	}
	if (c->threshold > 100)
		return 0;
	q.c = c;
	q.sig = sig;
	q.nhit = 0;
	/* The candidates sharing a key, newest first; the best of them in a
	 * story this feed does not tell yet. */
	if (store_candidates(c->s, bands, nb, story_time - c->window, story_time + c->window,
	                     CANDIDATES_PER_KEY, story_candidate, &q, c->err) < 0)
		return -1;
	for (k = 0; k < q.nhit; k++) {
		if (q.hit[k].sim <= best)
			continue;
		has = store_story_has_feed(c->s, q.hit[k].story, c->feed_id, c->err);
		if (has < 0)
			return -1;
		if (!has) {
			best = q.hit[k].sim;
			*target = q.hit[k].id;
			*story = q.hit[k].story;
		}
	}
	return 0;
}

/* Has the store keep an entry's signature and candidate keys. */
static int save_keys(const struct save *c, int64_t id, const struct dedupe_sig *sig,
                     const int64_t *bands, size_t nb, int64_t story_time)
{
	unsigned char blob[DEDUPE_SIG_BYTES];
	size_t n = dedupe_sig_encode(sig, blob);

	return store_entry_set_keys(c->s, id, blob, n, bands, nb, story_time, c->err);
}

/* Saves one entry; *is_new is set when it was added. */
static int save_entry(const struct save *c, const struct entry *e, int *is_new)
{
	struct dedupe_sig sig;
	int64_t bands[DEDUPE_BANDS];
	int64_t id, story_time, churned, target, story;
	size_t nb;
	int rc, retried = 0;

	*is_new = 0;
again:
	rc = store_entry_update(c->s, c->feed_id, e, c->now, &id, &story_time, c->err);
	if (rc < 0)
		return -1;
	if (rc == STORE_ENTRY_SAME)
		return 0;
	if (rc == STORE_ENTRY_CHANGED) {
		/* Its story stays; its signature follows the new text. */
		dedupe_signature(e->title.value, e->excerpt, &sig);
		nb = dedupe_bands(&sig, bands);
		return save_keys(c, id, &sig, bands, nb,
		                 story_time ? story_time : story_time_of(e, c->now));
	}
	if (!retried) {
		if (find_churned(c, e, &churned) < 0)
			return -1;
		if (churned) {
			if (store_entry_rekey(c->s, churned, e->id, c->err) < 0)
				return -1;
			retried = 1;
			goto again;
		}
	}
	/* The feed re-posting its own article (a new guid, tracking parameters
	 * in the link): the same canonical link and title is the same entry. */
	if (e->link_canon) {
		if (store_feed_twin(c->s, c->feed_id, e->link_canon, e->title.value, &id, c->err) <
		    0)
			return -1;
		if (id)
			return 0;
	}
	if (store_entry_insert(c->s, c->feed_id, e, c->now, &id, c->err) < 0)
		return -1;
	*is_new = 1;
	story_time = story_time_of(e, c->now);
	dedupe_signature(e->title.value, e->excerpt, &sig);
	nb = dedupe_bands(&sig, bands);
	if (find_story(c, e, &sig, bands, nb, story_time, &target, &story) < 0)
		return -1;
	if (target && store_story_join(c->s, id, target, story, c->now, c->err) < 0)
		return -1;
	return save_keys(c, id, &sig, bands, nb, story_time);
}

int dedupe_save_feed(struct store *s, int64_t feed_id, const struct feed *f, int64_t now,
                     const struct dedupe_params *p, size_t *new_entries, char *err)
{
	struct save c;
	size_t i, count = 0;
	int is_new;

	*new_entries = 0;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.feed_id = feed_id;
	c.now = now;
	c.threshold = p->threshold;
	c.window = p->window_hours > 0 ? (int64_t)p->window_hours * 3600 : 0;
	c.err = err;
	c.ids = xcalloc(f->nentries ? f->nentries : 1, sizeof *c.ids);
	for (i = 0; i < f->nentries; i++)
		if (f->entries[i] && f->entries[i]->id && *f->entries[i]->id)
			c.ids[c.nids++] = f->entries[i]->id;
	qsort(c.ids, c.nids, sizeof *c.ids, cmp_str_ptr);
	if (store_save_begin(s, feed_id, f, err) < 0)
		goto out;
	for (i = 0; i < f->nentries; i++) {
		const struct entry *e = f->entries[i];

		if (e == NULL || e->id == NULL || *e->id == '\0')
			continue;
		if (save_entry(&c, e, &is_new) < 0) {
			store_save_abort(s);
			goto out;
		}
		count += (size_t)is_new;
	}
	if (store_save_commit(s, err) < 0)
		goto out;
	*new_entries = count;
	free(c.ids);
	return 0;
out:
	free(c.ids);
	return -1;
}

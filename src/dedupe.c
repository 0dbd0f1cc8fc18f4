/*
 * dedupe.c - story signatures, their similarity and LSH band keys (see
 * dedupe.h).
 *
 * The text is read as UTF-8 (invalid bytes are separators). Letters and
 * digits of Latin, Greek and Cyrillic scripts form words; Hangul syllables,
 * Hangul jamo, kana and Han characters form runs that are cut into
 * character bigrams (a run of one character is a unigram). Each feature is
 * hashed to 32 bits (FNV-1a over its bytes, tagged by kind).
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

/* One code point from s (at most n bytes); *len gets its byte length.
 * Invalid or overlong sequences decode as U+FFFD of length 1. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t c;
	size_t k, i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		k = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		k = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		k = 4, c = s[0] & 0x07;
	else
		return 0xFFFD;
	if (k > n)
		return 0xFFFD;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0xFFFD;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((k == 3 && c < 0x800) || (k == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0xFFFD;
	*len = k;
	return c;
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

static void add_word(struct feats *f, char *w, size_t n)
{
	w[n] = '\0';
	if (n < 2 || is_stop_word(w))
		return;
	if (n >= 4 && w[n - 1] == 's' && w[n - 2] != 's')
		w[--n] = '\0'; /* a plural, mostly */
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
	int run = 0; /* characters in the current n-gram run */

	while (i <= n) {
		uint32_t c = i < n ? utf8_next(s + i, n - i, &len) : 0;

		if (i == n)
			len = 1;
		if (i < n && is_word_char(c)) {
			if (run == 1)
				add_ngram(f, prev, prevlen, NULL, 0);
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
				add_word(f, word, wn);
			wn = 0;
			if (run > 0)
				add_ngram(f, prev, prevlen, s + i, len);
			run++;
			prev = s + i;
			prevlen = len;
		} else {
			if (wn)
				add_word(f, word, wn);
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

void dedupe_signature(const char *title, const char *summary, struct dedupe_sig *out)
{
	uint32_t tmp[DEDUPE_TITLE_MAX + SUMMARY_FEATURES], tf[DEDUPE_TITLE_MAX];
	struct feats f = {tmp, 0, DEDUPE_TITLE_MAX};
	size_t n, nt, i;

	memset(out, 0, sizeof *out);
	if (title)
		features(title, &f);
	nt = f.n;
	memcpy(tf, tmp, nt * sizeof *tmp);
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

/* Format 1: a version byte, the count, the title bits, the features (all little-endian). */
size_t dedupe_sig_encode(const struct dedupe_sig *s, unsigned char *buf)
{
	size_t i, k, o = 2;

	buf[0] = 1;
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
	if (b == NULL || n < 2 || b[0] != 1 || b[1] > DEDUPE_ALL_MAX ||
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

/*
 * dedupe.c - story signatures, their similarity and LSH band keys (see
 * dedupe.h).
 *
 * The text is read as UTF-8 (utf8_next(): invalid bytes are U+FFFD, separators). Letters and
 * digits of Latin, Greek and Cyrillic scripts form words; Hangul syllables,
 * Hangul jamo, kana and Han characters form runs that are cut into
 * character bigrams (a run of one character is a unigram), plus the run
 * itself with a final particle cut ("뉴진스가" -> "뉴진스"). Words of ASCII
 * letters go through a light stemmer (stem()), number words and ordinals
 * become digits ("second", "2nd" -> "2"). A title's series prefix
 * ("Global Pulse 200: ", "[주간 차트] ") counts with the summary, not the
 * title, so two stories sharing only a feed's series label are not one.
 * Each feature is hashed to 32 bits (FNV-1a over its bytes, tagged by kind).
 *
 * Weights: how often a word occurs in headlines says how little it tells
 * which story it is. dedupe-weights.h (tools/gen-dedupe-weights.py, from
 * the headline corpus in tools/corpus/) has the document frequencies of
 * English words written in lower case and of Korean words and bigrams; a
 * feature weighs its squared inverse document frequency (weight_of()), so
 * "to hold", "tops", "개최", "발매" weigh 1 to 5 and an unseen word 12. A
 * name weighs DEDUPE_WEIGHT_MAX: a capitalised Latin word rare in lower
 * case ("Jimin", "Seoul", "March"; in a title-case headline, capitals say
 * nothing and only the table counts), a rare Hangul word in a name's place
 * (is_name_ko()); so do numbers and the words of quoted titles. The stop
 * lists are small: English function words (stop_words), Korean particles
 * (particles1, particles2), and the Korean role words before a name
 * (roles_ko). Weights are kept in the signature, fixed when an entry is
 * stored.
 *
 * The veto (veto()): the title's words are kept in order with what they
 * are (name, number, quoted, Hangul); two titles aligned word by word that
 * fill one slot with different names, numbers or quoted titles are two
 * stories, whatever else they share.
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
#include "dedupe-weights.h"
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

/* Weights of features from their document frequency df among docs headlines. */
#define WEIGHT_NUMBER DEDUPE_WEIGHT_MAX
#define WEIGHT_RARE 12
/* A feature in at least 1/COMMON_SHARE of the corpus's headlines is a template word. */
#define COMMON_SHARE 100

static int cmp_df(const void *key, const void *elem)
{
	return strcmp(key, ((const struct dedupe_df *)elem)->s);
}

/* The corpus document frequency of s in table t (n rows), 0 if it is not there. */
static int df_of(const struct dedupe_df *t, size_t n, const char *s)
{
	const struct dedupe_df *r = bsearch(s, t, n, sizeof *t, cmp_df);

	return r ? r->df : 0;
}

#define DF_EN(s) df_of(df_en, sizeof df_en / sizeof df_en[0], s)
#define DF_KO_TOK(s) df_of(df_ko_tok, sizeof df_ko_tok / sizeof df_ko_tok[0], s)
#define DF_KO_GRAM(s) df_of(df_ko_gram, sizeof df_ko_gram / sizeof df_ko_gram[0], s)

/* floor(2 log2(x)) for x >= 1 */
static int log2x2(uint64_t x)
{
	int b = 0;

	while (x >> (b + 1))
		b++;
	/* x >= 2^(b + 1/2) iff x^2 >= 2^(2b + 1) (x < 2^32 here) */
	return 2 * b + (x * x >= UINT64_C(1) << (2 * b + 1));
}

/*
 * The weight of a feature in df of docs headlines, at most max: an inverse
 * document frequency, squared so that a word in no headline of the corpus
 * weighs about five times a template word like "to hold" or "개최" (in one
 * in ten). Names, numbers and quoted titles weigh DEDUPE_WEIGHT_MAX; any
 * other word at most WEIGHT_RARE.
 */
static unsigned char weight_of(int df, int docs, int max)
{
	int l = log2x2((uint64_t)docs / (uint64_t)(df + 1) + 1), w = l * l / 20;

	return (unsigned char)(w < 1 ? 1 : w > max ? max : w);
}

/* A growing feature list with weights, bounded by its capacity; with tok
 * set, the words in order too (the title's). */
struct feats {
	uint32_t *v;
	unsigned char *w;
	size_t n, cap;
	struct dedupe_sig *tok; /* NULL: not the title */
	int quoted;             /* inside a quoted title */
	int title_case;         /* every word capitalised: capitals say nothing */
};

static void feats_add(struct feats *f, uint32_t h, unsigned char w)
{
	if (f->n < f->cap) {
		f->w[f->n] = w;
		f->v[f->n++] = h;
	}
}

static void tok_add(struct feats *f, uint32_t h, int kind, const char *text, size_t n)
{
	struct dedupe_token *t;

	if (f->tok == NULL || f->tok->ntok >= DEDUPE_TOKENS)
		return;
	t = &f->tok->tok[f->tok->ntok++];
	t->h = h;
	t->kind = (unsigned char)(kind | (f->quoted ? DEDUPE_QUOTED : 0));
	if (n > DEDUPE_TOKEN_BYTES) { /* cut at a character boundary */
		n = DEDUPE_TOKEN_BYTES;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(t->text, text, n);
	t->text[n] = '\0';
	t->len = (unsigned char)n;
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

static int all_digits(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] < '0' || w[i] > '9')
			return 0;
	return n > 0;
}

/* A word of Latin letters or digits; cap: it was written with a capital. */
static void add_word(struct feats *f, char *w, size_t n, int cap)
{
	size_t i, digits = 0, letters = 0;
	int df, kind = 0;
	unsigned char wt;

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
	/* one letter says nothing; one digit may ("season 2", "3집", "시즌3") */
	if ((n < 2 && !(n == 1 && digits)) || is_stop_word(w))
		return;
	if (letters == n)
		n = stem(w, n);
	if (all_digits(w, n)) {
		kind = DEDUPE_NUMBER;
		wt = WEIGHT_NUMBER;
	} else {
		/* the table counts words written in lower case: a capitalised word
		 * that is rare in lower case is a name ("Jin", "Seoul", "March") */
		df = DF_EN(w);
		wt = weight_of(df, DEDUPE_DOCS_EN, WEIGHT_RARE);
		if (cap && (uint64_t)df * COMMON_SHARE < DEDUPE_DOCS_EN)
			kind = DEDUPE_NAME, wt = DEDUPE_WEIGHT_MAX;
	}
	if (f->quoted)
		wt = DEDUPE_WEIGHT_MAX;
	feats_add(f, fnv32(2166136261u ^ 'w', w, n), wt);
	tok_add(f, fnv32(2166136261u ^ 'w', w, n), kind, w, n);
}

/* Korean particles cut from the end of a run ("뉴진스가" -> "뉴진스"); the
 * ones in long_only only from runs of three or more ("서울서", not "민서"). */
static const char *const particles2[] = {"에서", "으로", "까지", "부터",
                                         "에게", "한테", "처럼", "보다"};
static const char particles1[] = "은는이가을를의에와과로도만서";
static const char long_only[] = "도만서";
/* Last syllables of verbs and endings, never of names ("개최한다", "나선다"). */
static const char verb_ends[] = "다요까고며해한된할져워네";

/* Whether the 3-byte character at p is one of set (3-byte characters). */
static int in_set3(const char *set, const unsigned char *p)
{
	size_t i, n = strlen(set);

	for (i = 0; i + 3 <= n; i += 3)
		if (memcmp(set + i, p, 3) == 0)
			return 1;
	return 0;
}

/* The length in bytes of a Hangul run (characters of 3 bytes) with its
 * particle cut; chars is its length in characters. A word of two
 * characters that the statistics know is a word ("추가", "국가"), not a
 * name with a particle ("진이", "뷔가"). */
static size_t strip_particle(const unsigned char *r, size_t len, size_t chars)
{
	char key[7];
	size_t i;

	if (len != 3 * chars)
		return len;
	if (chars == 2) {
		memcpy(key, r, 6);
		key[6] = '\0';
		if (DF_KO_TOK(key) > 0)
			return len;
	}
	for (i = 0; chars >= 3 && i < sizeof particles2 / sizeof particles2[0]; i++)
		if (memcmp(r + len - 6, particles2[i], 6) == 0)
			return len - 6;
	if (chars >= 2 && in_set3(particles1, r + len - 3) &&
	    (chars >= 3 || !in_set3(long_only, r + len - 3)))
		return len - 3;
	return len;
}

/* Words before a Korean name ("배우 송강", "그룹 아이브가"). */
static const char *const roles_ko[] = {"가수", "감독", "걸그룹", "그룹",
                                       "멤버", "밴드", "배우",   "보이그룹"};
/* Particles after a name or place: subject, topic, possessive, locative. */
static const char name_particles[] = "이가은는의서에";

static int is_role_ko(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof roles_ko / sizeof roles_ko[0]; i++)
		if (strcmp(w, roles_ko[i]) == 0)
			return 1;
	return 0;
}

/*
 * Whether a rare Hangul title word (r, n bytes; particle what was cut from
 * it, plen bytes) is a name: it opens the title ("뉴진스, ...", "방탄소년단
 * 진, ..."), follows a role word ("배우 송강"), or carries the particle of
 * a subject, owner or place ("아이브가", "서울서"). Not a verb or ending.
 */
static int is_name_ko(const struct feats *f, const unsigned char *r, size_t n,
                      const unsigned char *particle, size_t plen)
{
	const struct dedupe_sig *t = f->tok;

	if (t == NULL || n < 3 || r[0] < 0xEA || r[0] > 0xED || in_set3(verb_ends, r + n - 3))
		return 0;
	if (t->ntok < 2 || (t->ntok > 0 && is_role_ko(t->tok[t->ntok - 1].text)))
		return 1;
	if (plen == 6)
		return memcmp(particle, "에서", 6) == 0;
	return plen == 3 && in_set3(name_particles, particle);
}

/* A run of Hangul, kana or Han (r, len bytes, chars characters): its
 * character bigrams (a unigram when it is one character) and the run
 * itself as a word (for the title, in order too). A particle alone (after
 * a digit: "시즌3로") is nothing. */
static void add_run(struct feats *f, const unsigned char *r, size_t len, size_t chars)
{
	char key[3 * DEDUPE_TOKENS + 1];
	size_t i, k, l1, l2, cut = strip_particle(r, len, chars);
	int df, kind = DEDUPE_HANGUL;
	uint32_t h = fnv32(2166136261u ^ 'k', r, cut);
	unsigned char wt;

	if (chars == 1 && len == 3 && in_set3(particles1, r))
		return;
	for (i = 0; i < cut; i += l1) {
		utf8_next(r + i, cut - i, &l1);
		if (i + l1 >= cut && i > 0)
			break;
		l2 = 0;
		if (i + l1 < cut)
			utf8_next(r + i + l1, cut - i - l1, &l2);
		k = l1 + l2 < sizeof key ? l1 + l2 : 0;
		memcpy(key, r + i, k);
		key[k] = '\0';
		wt = weight_of(DF_KO_GRAM(key), DEDUPE_DOCS_KO, WEIGHT_RARE);
		feats_add(f, fnv32(2166136261u ^ 'k', r + i, l1 + l2),
		          f->quoted ? DEDUPE_WEIGHT_MAX : wt);
	}
	k = cut < sizeof key ? cut : 0;
	memcpy(key, r, k);
	key[k] = '\0';
	df = k ? DF_KO_TOK(key) : 0;
	wt = weight_of(df, DEDUPE_DOCS_KO, WEIGHT_RARE);
	if ((uint64_t)df * COMMON_SHARE < DEDUPE_DOCS_KO)
		kind |= DEDUPE_RARE;
	if ((kind & DEDUPE_RARE) && is_name_ko(f, r, cut, r + cut, len - cut))
		kind |= DEDUPE_NAME, wt = DEDUPE_WEIGHT_MAX;
	/* for one or two characters this is the n-gram above again: it keeps
	 * the larger weight */
	feats_add(f, h, f->quoted ? DEDUPE_WEIGHT_MAX : wt);
	if (cut)
		tok_add(f, h, kind, (const char *)r, cut);
}

/* Quotation marks that open a title, and the ones that close them. */
static uint32_t closing_quote(uint32_t c)
{
	switch (c) {
	case '\'':
	case '"':
		return c;
	case 0x2018: /* ‘ ’ */
		return 0x2019;
	case 0x201C: /* “ ” */
		return 0x201D;
	case 0x300C: /* 「 」 */
	case 0x300E: /* 『 』 */
	case 0x3008: /* 〈 〉 */
	case 0x300A: /* 《 》 */
		return c + 1;
	default:
		return 0;
	}
}

/* Whether the title is written in title case ("Aespa To Hold Fan Meeting"):
 * three or more words of four or more ASCII letters capitalised, and none
 * in lower case but stop words. */
static int is_title_case(const char *t)
{
	char w[WORD_MAX + 1];
	int upper = 0;
	size_t n, i;

	while (*t) {
		for (n = 0; (t[n] >= 'a' && t[n] <= 'z') || (t[n] >= 'A' && t[n] <= 'Z'); n++)
			;
		if (n >= 4 && t[0] <= 'Z') {
			upper++;
		} else if (n >= 4 && n <= WORD_MAX) {
			for (i = 0; i < n; i++)
				w[i] = t[i];
			w[n] = '\0';
			if (!is_stop_word(w))
				return 0;
		}
		t += n ? n : 1;
	}
	return upper >= 3;
}

/* Appends the features of text to f. */
static void features(const char *text, struct feats *f)
{
	const unsigned char *s = (const unsigned char *)text, *run0 = NULL;
	size_t n = strlen(text), i = 0, len = 1, wn = 0, rchars = 0;
	char word[WORD_MAX + 1];
	uint32_t close = 0, prevc = ' ';
	int cap = 0; /* the current word starts with a capital */

	f->quoted = 0;
	while (i <= n) {
		uint32_t c = 0, next = 0;
		size_t nl;

		len = 1;
		if (i < n) /* ASCII without a call: most headlines are mostly ASCII */
			c = s[i] < 0x80 ? s[i] : utf8_next(s + i, n - i, &len);
		if (i < n && is_word_char(c)) {
			if (rchars)
				add_run(f, run0, (size_t)(s + i - run0), rchars);
			if (wn == 0) {
				cap = (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE) ||
				      (c >= 0x391 && c <= 0x3A9) || (c >= 0x400 && c <= 0x42F);
				cap = cap && !f->title_case;
			}
			rchars = 0;
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
				add_word(f, word, wn, cap);
			wn = 0;
			if (rchars++ == 0)
				run0 = s + i;
		} else {
			if (wn)
				add_word(f, word, wn, cap);
			wn = 0;
			if (rchars)
				add_run(f, run0, (size_t)(s + i - run0), rchars);
			rchars = 0;
			if (i < n && i + len < n)
				next = s[i + len] < 0x80 ? s[i + len]
				                         : utf8_next(s + i + len, n - i - len, &nl);
			/* a quote opens after a space and closes before one ("BTS' Jin" has none)
			 */
			if (i < n && close && c == close && !is_word_char(next) &&
			    !is_ngram_char(next))
				f->quoted = 0, close = 0;
			else if (i < n && !close && closing_quote(c) && next > ' ' &&
			         !is_word_char(prevc) && !is_ngram_char(prevc))
				close = closing_quote(c), f->quoted = 1;
		}
		prevc = c;
		i += len;
	}
	f->quoted = 0;
}

/* Feature and weight in one (sorted by feature, then weight). */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v (with weights w), keeping each feature once with its largest weight. */
static size_t sort_unique(uint32_t *v, unsigned char *w, size_t n)
{
	uint64_t p[DEDUPE_TITLE_MAX + SUMMARY_FEATURES];
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		p[i] = (uint64_t)v[i] << 8 | w[i];
	qsort(p, n, sizeof *p, cmp_u64);
	for (i = 0; i < n; i++) {
		if (o > 0 && v[o - 1] == (uint32_t)(p[i] >> 8))
			o--;
		v[o] = (uint32_t)(p[i] >> 8);
		w[o++] = (unsigned char)p[i];
	}
	return o;
}

void dedupe_signature(const char *title, const char *summary, struct dedupe_sig *out)
{
	uint32_t tmp[DEDUPE_TITLE_MAX + SUMMARY_FEATURES], tf[DEDUPE_TITLE_MAX];
	unsigned char wtmp[DEDUPE_TITLE_MAX + SUMMARY_FEATURES], wtf[DEDUPE_TITLE_MAX];
	struct feats f = {tmp, wtmp, 0, DEDUPE_TITLE_MAX, NULL, 0, 0};
	size_t n, nt, np = 0, pl, i;
	char prefix[PREFIX_BYTES + 1];

	memset(out, 0, sizeof *out);
	if (title) {
		f.title_case = is_title_case(title);
		pl = series_prefix(title);
		/* the title's words in order, for the veto, with its prefix ("Via
		 * feed 0: ..." and "Via feed 10: ..." are two series) */
		f.tok = out;
		if (pl) {
			memcpy(prefix, title, pl);
			prefix[pl] = '\0';
			features(prefix, &f);
			np = f.n;
		}
		features(title + pl, &f);
		f.tok = NULL;
		/* A short prefix before a real headline is no part of the title's
		 * features (they still count with the summary's). */
		if (np > PREFIX_FEATURES || f.n - np < 2)
			np = 0;
	}
	nt = f.n - np;
	memcpy(tf, tmp + np, nt * sizeof *tmp);
	memcpy(wtf, wtmp + np, nt);
	nt = sort_unique(tf, wtf, nt);
	f.cap = f.n + SUMMARY_FEATURES;
	f.title_case = 0;
	if (summary)
		features(summary, &f);
	n = sort_unique(tmp, wtmp, f.n);
	if (n > DEDUPE_ALL_MAX)
		n = DEDUPE_ALL_MAX;
	memcpy(out->all, tmp, n * sizeof *tmp);
	memcpy(out->weight, wtmp, n);
	out->nall = n;
	for (i = 0; i < n; i++)
		if (bsearch(&out->all[i], tf, nt, sizeof *tf, cmp_u32))
			out->in_title[i / 64] |= UINT64_C(1) << (i % 64);
}

static int in_title(const struct dedupe_sig *s, size_t i)
{
	return (s->in_title[i / 64] >> (i % 64)) & 1;
}

/* Two title words are one when equal, or when the shorter, of five bytes or
 * more, starts the longer and the rest is a suffix of at most three bytes
 * ("europ" and "european", "japan" and "japanese"; not "super" and
 * "supernova"). */
static int tok_same(const struct dedupe_token *a, const struct dedupe_token *b)
{
	size_t la, lb;

	if (a->h == b->h)
		return 1;
	la = a->len;
	lb = b->len;
	if (la > lb + 3 || lb > la + 3 || (la < lb ? la : lb) < 5)
		return 0;
	return memcmp(a->text, b->text, la < lb ? la : lb) == 0;
}

/* Whether title word t of one signature is anywhere in the other, o. */
static int tok_in(const struct dedupe_token *t, const struct dedupe_sig *o)
{
	size_t k;

	for (k = 0; k < o->ntok; k++)
		if (tok_same(t, &o->tok[k]))
			return 1;
	return bsearch(&t->h, o->all, o->nall, sizeof *o->all, cmp_u32) != NULL;
}

/* What the words a[from..to) of a that b lacks are: bit 0 a Latin name,
 * bit 1 a Hangul name, bit 2 a number, bits 3 and 4 a Latin or Hangul word
 * of a quoted title. A quoted title conflicts only with another one. */
/* The kinds of gap_kinds() that conflict wherever they are in the titles. */
#define ANYWHERE (1 | 2 | 4)

static int gap_kinds(const struct dedupe_sig *a, size_t from, size_t to, const struct dedupe_sig *b)
{
	const struct dedupe_token *t;
	int k = 0, hangul;

	for (; from < to; from++) {
		t = &a->tok[from];
		hangul = (t->kind & DEDUPE_HANGUL) != 0;
		if (!(t->kind & (DEDUPE_NAME | DEDUPE_NUMBER | DEDUPE_QUOTED)) || tok_in(t, b))
			continue;
		if (t->kind & DEDUPE_QUOTED)
			k |= hangul ? 16 : 8;
		else if (t->kind & DEDUPE_NAME)
			k |= hangul ? 2 : 1;
		else
			k |= 4;
	}
	return k;
}

/*
 * The veto: a and b fill the same slot of one template with different
 * specifics. A name (of one script) or a number in each title that the
 * other lacks anywhere make them different stories wherever they stand
 * ("BTS' Jin" and "BTS' Jimin to release solo album", "passes 2 billion"
 * and "passes 1 billion"; "Jin of BTS" and "BTS' Jimin"). For quoted titles
 * and rare Hangul words, the slot counts: the title words are aligned
 * (longest common subsequence), and between two aligned words (or before
 * the first, after the last) a quoted title in each that the other lacks,
 * or one rare Hangul word on each side and nothing else (a place or a name
 * in mid-sentence, where no particle says so: "월드투어 파리 공연" and
 * "월드투어 시드니 공연"), make two stories.
 */
static int veto(const struct dedupe_sig *a, const struct dedupe_sig *b)
{
	unsigned char l[DEDUPE_TOKENS + 1][DEDUPE_TOKENS + 1];
	size_t i, j, pi, pj;

	/* names and numbers wherever they stand ("BTS' Jimin to release ..." and
	 * "Jin of BTS confirms ...": the same slot in other words) */
	if (gap_kinds(a, 0, a->ntok, b) & gap_kinds(b, 0, b->ntok, a) & ANYWHERE)
		return 1;
	memset(l, 0, sizeof l);
	for (i = a->ntok; i-- > 0;)
		for (j = b->ntok; j-- > 0;)
			l[i][j] = tok_same(&a->tok[i], &b->tok[j]) ? l[i + 1][j + 1] + 1
			          : l[i + 1][j] > l[i][j + 1]      ? l[i + 1][j]
			                                           : l[i][j + 1];
	i = j = pi = pj = 0;
	for (;;) {
		while (i < a->ntok && j < b->ntok && !tok_same(&a->tok[i], &b->tok[j])) {
			if (l[i + 1][j] >= l[i][j + 1])
				i++;
			else
				j++;
		}
		if (i >= a->ntok || j >= b->ntok)
			i = a->ntok, j = b->ntok;
		if (gap_kinds(a, pi, i, b) & gap_kinds(b, pj, j, a))
			return 1;
		/* one rare Hangul word for another, alone in the slot: "월드투어
		 * 파리 공연" and "월드투어 시드니 공연" */
		if (i == pi + 1 && j == pj + 1 &&
		    (a->tok[pi].kind & b->tok[pj].kind & DEDUPE_RARE) && !tok_in(&a->tok[pi], b) &&
		    !tok_in(&b->tok[pj], a))
			return 1;
		if (i >= a->ntok)
			return 0;
		pi = ++i;
		pj = ++j;
	}
}

/*
 * How alike a and b are before the veto: the mean of two weighted Dice
 * coefficients (the weight of what both have over the weight of all), over
 * all their features and over their titles'; 0 when they share fewer than
 * three features or fewer than two of their titles'. One pass.
 */
static int score(const struct dedupe_sig *a, const struct dedupe_sig *b)
{
	size_t i, j, shared = 0, shared_title = 0;
	uint64_t both = 0, total = 0, tboth = 0, ttotal = 0;

	for (i = 0; i < a->nall; i++) {
		total += a->weight[i];
		ttotal += in_title(a, i) ? a->weight[i] : 0;
	}
	for (j = 0; j < b->nall; j++) {
		total += b->weight[j];
		ttotal += in_title(b, j) ? b->weight[j] : 0;
	}
	i = j = 0;
	while (i < a->nall && j < b->nall) {
		if (a->all[i] < b->all[j]) {
			i++;
		} else if (a->all[i] > b->all[j]) {
			j++;
		} else {
			uint64_t w = (uint64_t)a->weight[i] + b->weight[j];

			shared++;
			both += w;
			if (in_title(a, i) && in_title(b, j))
				shared_title++, tboth += w;
			i++, j++;
		}
	}
	if (shared < 3 || shared_title < 2 || total == 0 || ttotal == 0)
		return 0;
	/* the title says which story; the summary's start confirms it */
	return (int)((100 * both / total + 100 * tboth / ttotal) / 2);
}

/* A title word that says what happened: not a name, a number or a quoted title. */
static int is_event_word(const struct dedupe_token *t)
{
	return !(t->kind & (DEDUPE_NAME | DEDUPE_NUMBER | DEDUPE_QUOTED));
}

/* Whether t, a title word of one signature, is among the title words of o. */
static int in_other_title(const struct dedupe_token *t, const struct dedupe_sig *o)
{
	size_t j;

	for (j = 0; j < o->ntok; j++)
		if (tok_same(t, &o->tok[j]))
			return 1;
	return 0;
}

/*
 * Whether two titles that share only a work's title (a quoted film, show
 * or song: no name, no number) also share a word of what happened, when both
 * say what happened. "'Paper Lanterns' tops the box office for a third
 * weekend" and "'Paper Lanterns' soundtrack enters the Global Pulse 200"
 * are two stories on one film; a story told twice shares a name or a word
 * of its event ("renews" and "renewed"). Titles that share a name are left
 * to score() and the veto: one story is often told in other words ("to
 * star in" and "joins cast of").
 */
static int same_event(const struct dedupe_sig *a, const struct dedupe_sig *b)
{
	size_t i, j;
	int a_has = 0, b_has = 0;

	for (j = 0; j < b->ntok; j++)
		b_has |= is_event_word(&b->tok[j]);
	for (i = 0; i < a->ntok; i++) {
		const struct dedupe_token *t = &a->tok[i];

		a_has |= is_event_word(t);
		if (!in_other_title(t, b))
			continue;
		if (is_event_word(t) || !(t->kind & DEDUPE_QUOTED))
			return 1; /* a word of the event, a name or a number in both */
	}
	return !(a_has && b_has);
}

/* Whether a and b, alike by score(), are still two stories. */
static int told_apart(const struct dedupe_sig *a, const struct dedupe_sig *b)
{
	return !same_event(a, b) || veto(a, b) || veto(b, a);
}

int dedupe_similarity(const struct dedupe_sig *a, const struct dedupe_sig *b)
{
	int sim = score(a, b);

	return sim > 0 && !told_apart(a, b) ? sim : 0;
}

/* Words of dates, capitalised but naming nothing (as cut: "januari", "jun"). */
static const char *const calendar_words[] = {
    "januari",   "februari",  "march",   "april",    "may",      "jun",    "juli",
    "august",    "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday",  "friday",  "saturday", "sunday",   "today",  "tonight",
};

/*
 * Whether title word t names someone or something: a name or a quoted
 * title, not a number nor a month or weekday.
 */
static int is_subject(const struct dedupe_token *t)
{
	size_t i;

	if (t->kind & DEDUPE_NUMBER)
		return 0;
	if (!(t->kind & (DEDUPE_NAME | DEDUPE_QUOTED)) &&
	    !((t->kind & DEDUPE_HANGUL) && (t->kind & DEDUPE_RARE)))
		return 0;
	/* the kind first: this runs for every pair publish compares */
	for (i = 0; i < sizeof calendar_words / sizeof calendar_words[0]; i++)
		if (t->text[0] == calendar_words[i][0] && strcmp(t->text, calendar_words[i]) == 0)
			return 0;
	return 1;
}

/* Whether title word t is among o's title words. */
static int tok_in_title(const struct dedupe_token *t, const struct dedupe_sig *o)
{
	size_t k;

	for (k = 0; k < o->ntok; k++)
		if (tok_same(t, &o->tok[k]))
			return 1;
	return 0;
}

/*
 * How many of a's subject words (names, quoted titles) b has: anywhere in
 * its title or summary, or only in its title for a word of three bytes or
 * fewer ("BTS", "IU"; the "Time" of 'Island Time' is not "real-time").
 */
static size_t shared_subjects(const struct dedupe_sig *a, const struct dedupe_sig *b)
{
	size_t i, j, n = 0;

	for (i = 0; i < a->ntok; i++) {
		if (!is_subject(&a->tok[i]))
			continue;
		for (j = 0; j < i && !tok_same(&a->tok[j], &a->tok[i]); j++)
			;
		if (j < i)
			continue;
		if (a->tok[i].len <= 3 ? tok_in_title(&a->tok[i], b) : tok_in(&a->tok[i], b))
			n++;
	}
	return n;
}

size_t dedupe_subjects(const struct dedupe_sig *s, uint32_t *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < s->ntok && n < max; i++)
		if (is_subject(&s->tok[i]))
			out[n++] = s->tok[i].h;
	return n;
}

int dedupe_related(const struct dedupe_sig *a, const struct dedupe_sig *b)
{
	size_t na = shared_subjects(a, b), nb = shared_subjects(b, a), names = na > nb ? na : nb;
	size_t i = 0, j = 0;
	uint64_t both = 0, total = 0;
	int r;

	if (names == 0)
		return 0;
	for (i = 0; i < a->nall; i++)
		total += a->weight[i];
	for (j = 0; j < b->nall; j++)
		total += b->weight[j];
	i = j = 0;
	while (i < a->nall && j < b->nall) {
		if (a->all[i] < b->all[j]) {
			i++;
		} else if (a->all[i] > b->all[j]) {
			j++;
		} else {
			both += (uint64_t)a->weight[i] + b->weight[j];
			i++, j++;
		}
	}
	r = (int)(names * 25 + (total ? 100 * both / total : 0));
	return r > 100 ? 100 : r;
}

void dedupe_blend(struct dedupe_sig *s, const int64_t *df, int64_t docs)
{
	size_t i;
	unsigned char w;

	if (docs < DEDUPE_STATS_MIN)
		return;
	for (i = 0; i < s->nall; i++) {
		if (df[i] < 0 || s->weight[i] >= DEDUPE_WEIGHT_MAX)
			continue;
		w = weight_of(df[i] < INT32_MAX ? (int)df[i] : INT32_MAX,
		              docs < INT32_MAX ? (int)docs : INT32_MAX, WEIGHT_RARE);
		if (w < s->weight[i])
			s->weight[i] = w;
	}
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

/* Format 3 (format 2 had no weights nor title words, format 1 the features
 * before stemming and number words; their signatures are refused, so they
 * never meet ones made differently): a version byte, the count, the title
 * bits, the features, their weights, then the title words (count; each its
 * feature, kind, length and text). Integers little-endian. */
size_t dedupe_sig_encode(const struct dedupe_sig *s, unsigned char *buf)
{
	size_t i, k, o = 2, len;

	buf[0] = 3;
	buf[1] = (unsigned char)s->nall;
	for (i = 0; i < DEDUPE_ALL_MAX / 64; i++)
		for (k = 0; k < 8; k++)
			buf[o++] = (unsigned char)(s->in_title[i] >> (8 * k));
	for (i = 0; i < s->nall; i++, o += 4)
		put32(buf + o, s->all[i]);
	memcpy(buf + o, s->weight, s->nall);
	o += s->nall;
	buf[o++] = (unsigned char)s->ntok;
	for (i = 0; i < s->ntok; i++) {
		len = s->tok[i].len;
		put32(buf + o, s->tok[i].h);
		buf[o + 4] = s->tok[i].kind;
		buf[o + 5] = (unsigned char)len;
		memcpy(buf + o + 6, s->tok[i].text, len);
		o += 6 + len;
	}
	return o;
}

int dedupe_sig_decode(const void *p, size_t n, struct dedupe_sig *out)
{
	const unsigned char *b = p;
	size_t i, k, o = 2, len;

	memset(out, 0, sizeof *out);
	if (b == NULL || n < 2 || b[0] != 3 || b[1] > DEDUPE_ALL_MAX ||
	    n < 3 + 8 * (DEDUPE_ALL_MAX / 64) + 5 * (size_t)b[1])
		return -1;
	out->nall = b[1];
	for (i = 0; i < DEDUPE_ALL_MAX / 64; i++)
		for (k = 0; k < 8; k++)
			out->in_title[i] |= (uint64_t)b[o++] << (8 * k);
	for (i = 0; i < out->nall; i++, o += 4)
		out->all[i] = get32(b + o);
	memcpy(out->weight, b + o, out->nall);
	o += out->nall;
	out->ntok = b[o++];
	if (out->ntok > DEDUPE_TOKENS)
		return -1;
	for (i = 0; i < out->ntok; i++) {
		if (o + 6 > n || (len = b[o + 5]) > DEDUPE_TOKEN_BYTES || o + 6 + len > n)
			return -1;
		out->tok[i].h = get32(b + o);
		out->tok[i].kind = b[o + 4];
		memcpy(out->tok[i].text, b + o + 6, len);
		out->tok[i].text[len] = '\0';
		out->tok[i].len = (unsigned char)len;
		o += 6 + len;
	}
	return o == n ? 0 : -1;
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
	/* the veto only for those alike enough (it is the dearer part) */
	sim = score(q->sig, &other);
	if (sim >= q->c->threshold && q->nhit < CANDIDATES_MAX && !told_apart(q->sig, &other)) {
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

/*
 * Weighs a new entry's title features with the store's statistics
 * (dedupe_blend()), then counts them there. Only titles count: they are
 * where a beat's templates are. 0, or -1 on a store failure.
 */
static int blend_and_count(const struct save *c, struct dedupe_sig *sig)
{
	uint32_t f[DEDUPE_ALL_MAX];
	int64_t df[DEDUPE_ALL_MAX], got[DEDUPE_ALL_MAX], docs;
	size_t i, n = 0;

	for (i = 0; i < sig->nall; i++) {
		df[i] = -1;
		if (in_title(sig, i))
			f[n++] = sig->all[i];
	}
	if (n == 0)
		return 0;
	if (store_word_counts(c->s, f, n, DEDUPE_STATS_MIN, got, &docs, c->err) < 0)
		return -1;
	for (i = n = 0; i < sig->nall; i++)
		if (in_title(sig, i))
			df[i] = got[n++];
	dedupe_blend(sig, df, docs);
	return store_word_add(c->s, f, n, c->err);
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
	if (c->threshold <= 100 && blend_and_count(c, &sig) < 0)
		return -1;
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

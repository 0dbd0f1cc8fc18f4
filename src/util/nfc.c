/*
 * nfc.c - Unicode Normalization Form C (see nfc.h).
 *
 * A string passes a quick check first: when none of its code points is in
 * nfc_check (combining marks, characters NFC changes, the second halves of
 * compositions) it is NFC already. Otherwise it is decoded into code
 * points and run through UAX #15's three steps: full canonical
 * decomposition, canonical ordering of combining marks (a stable sort by
 * class), and canonical composition (a mark composes with the last
 * starter unless another mark of the same or a higher class, or a
 * starter, stands between them). Hangul syllables are split and joined
 * arithmetically (Unicode 3.12), not through the tables. For markup, '<'
 * and '>' never compose (U+0338 after a tag stays a mark, and U+226E,
 * U+226F are not split into a '<' or '>' the markup would then hold).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "nfc-tables.h"
#include "nfc.h"
#include "utf8.h"
#include "xmalloc.h"

#define SBASE 0xAC00
#define LBASE 0x1100
#define VBASE 0x1161
#define TBASE 0x11A7
#define LCOUNT 19
#define VCOUNT 21
#define TCOUNT 28
#define NCOUNT (VCOUNT * TCOUNT)
#define SCOUNT (LCOUNT * NCOUNT)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The value of the range holding cp, 0 when none does. */
static unsigned range_val(const struct nfc_range *t, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < t[mid].first)
			hi = mid;
		else if (cp > t[mid].last)
			lo = mid + 1;
		else
			return t[mid].val;
	}
	return 0;
}

static unsigned ccc_of(uint32_t cp)
{
	return cp < 0x300 ? 0 : range_val(nfc_ccc, COUNT(nfc_ccc), cp);
}

static const struct nfc_decomp *decomp_of(uint32_t cp)
{
	size_t lo = 0, hi = COUNT(nfc_decomp);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < nfc_decomp[mid].cp)
			hi = mid;
		else if (cp > nfc_decomp[mid].cp)
			lo = mid + 1;
		else
			return &nfc_decomp[mid];
	}
	return NULL;
}

/* The primary composite of a and b, 0 when there is none. */
static uint32_t compose(uint32_t a, uint32_t b)
{
	size_t lo = 0, hi = COUNT(nfc_comp);

	if (a >= LBASE && a < LBASE + LCOUNT && b >= VBASE && b < VBASE + VCOUNT)
		return SBASE + ((a - LBASE) * VCOUNT + (b - VBASE)) * TCOUNT;
	if (a >= SBASE && a < SBASE + SCOUNT && (a - SBASE) % TCOUNT == 0 && b > TBASE &&
	    b < TBASE + TCOUNT)
		return a + (b - TBASE);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct nfc_comp *c = &nfc_comp[mid];
		if (a < c->first || (a == c->first && b < c->second))
			hi = mid;
		else if (a > c->first || b > c->second)
			lo = mid + 1;
		else
			return c->comp;
	}
	return 0;
}

struct cps {
	uint32_t *v;
	size_t n, cap;
};

static void push(struct cps *a, uint32_t cp)
{
	a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
	a->v[a->n++] = cp;
}

static void decompose(struct cps *a, uint32_t cp, int markup)
{
	const struct nfc_decomp *d;

	if (markup && (cp == 0x226E || cp == 0x226F)) {
		push(a, cp); /* NOT LESS-THAN, NOT GREATER-THAN: '<' or '>' + U+0338 */
	} else if (cp >= SBASE && cp < SBASE + SCOUNT) {
		uint32_t s = cp - SBASE;
		push(a, LBASE + s / NCOUNT);
		push(a, VBASE + (s % NCOUNT) / TCOUNT);
		if (s % TCOUNT)
			push(a, TBASE + s % TCOUNT);
	} else if (cp >= 0xC0 && (d = decomp_of(cp)) != NULL) {
		size_t i;
		for (i = 0; i < d->len; i++)
			push(a, nfc_decomp_cp[d->off + i]);
	} else {
		push(a, cp);
	}
}

/* Canonical ordering: each run of marks sorted by class, stably. */
static void reorder(struct cps *a)
{
	size_t i, j;

	for (i = 1; i < a->n; i++) {
		unsigned c = ccc_of(a->v[i]);
		uint32_t cp = a->v[i];
		if (c == 0)
			continue;
		for (j = i; j > 0 && ccc_of(a->v[j - 1]) > c; j--)
			a->v[j] = a->v[j - 1];
		a->v[j] = cp;
	}
}

static void recompose(struct cps *a, int markup)
{
	size_t starter = 0, out = 1, i;
	unsigned last;

	if (a->n == 0)
		return;
	last = ccc_of(a->v[0]) ? 256 : 0;
	for (i = 1; i < a->n; i++) {
		uint32_t cp = a->v[i], c;
		unsigned cc = ccc_of(cp);
		if ((last < cc || last == 0) &&
		    !(markup && (a->v[starter] == '<' || a->v[starter] == '>')) &&
		    (c = compose(a->v[starter], cp)) != 0) {
			a->v[starter] = c;
			continue;
		}
		if (cc == 0)
			starter = out;
		last = cc;
		a->v[out++] = cp;
	}
	a->n = out;
}

/* 1 when s may not be NFC (or is not UTF-8: then -1). */
static int quick_check(const unsigned char *s, size_t n)
{
	size_t i = 0, len;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0xCC) { /* below U+0300 nothing needs a look */
			i++;
			continue;
		}
		if ((s[i] & 0xC0) == 0x80) {
			i++; /* inside a sequence begun by a byte below 0xCC */
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return -1;
		if (range_val(nfc_check, COUNT(nfc_check), cp))
			return 1;
		i += len;
	}
	return 0;
}

static char *normalize(const char *str, int markup)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i, len;
	struct cps a = {NULL, 0, 0};
	struct buf b = BUF_INIT;
	uint32_t cp;

	if (str == NULL)
		return NULL;
	n = strlen(str);
	if (quick_check(s, n) != 1)
		return NULL;
	for (i = 0; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			free(a.v);
			return NULL;
		}
		decompose(&a, cp, markup);
	}
	reorder(&a);
	recompose(&a, markup);
	for (i = 0; i < a.n; i++) {
		char e[4];
		buf_append(&b, e, utf8_encode(e, a.v[i]));
	}
	free(a.v);
	if (b.data == NULL || (b.len == n && memcmp(b.data, str, n) == 0)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

char *nfc_normalize(const char *s)
{
	return normalize(s, 0);
}

char *nfc_normalize_html(const char *s)
{
	return normalize(s, 1);
}

void nfc_apply(char **s)
{
	char *t = *s ? nfc_normalize(*s) : NULL;

	if (t) {
		free(*s);
		*s = t;
	}
}

void nfc_apply_html(char **s)
{
	char *t = *s ? nfc_normalize_html(*s) : NULL;

	if (t) {
		free(*s);
		*s = t;
	}
}

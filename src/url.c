/*
 * url.c - URL resolution, IRI encoding and scheme policy (see url.h).
 *
 * normalize.c resolves every link, enclosure and id of a feed through
 * url_resolve() against the feed's base (xml:base, the document URL), and
 * sanitize.c asks url_is_safe_link() before publishing an href or src.
 *
 * url_resolve() works in three steps:
 *   1. url_clean(): what a browser's URL parser does to the raw text before
 *      anything else (strip leading/trailing C0 controls and spaces, drop
 *      every tab, CR and LF), then percent-encode what RFC 3986 does not
 *      allow: bytes >= 0x80 (an IRI's UTF-8), controls, space, the
 *      characters " < > \ ^ ` { | }, a '%' not starting a %XX escape, and a
 *      second '#'. Existing %XX escapes are kept as they are.
 *   2. uri_split(): RFC 3986 appendix B (scheme only when it is a valid
 *      scheme, so "a b:c" is a relative path).
 *   3. RFC 3986 section 5.2.2 with remove_dot_segments (strict: a reference
 *      with a scheme is absolute, even "http:g"), recomposed per 5.3 with
 *      the scheme and host lower-cased.
 * No allocation is sized from input lengths without going through buf.
 */
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* A component of a URI reference: def is 0 when it is absent ("" differs). */
struct span {
	const char *p;
	size_t n;
	int def;
};

struct uri {
	struct span scheme, auth, path, query, frag;
};

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_scheme_char(int c)
{
	return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
}

static void put_pct(struct buf *b, unsigned char ch)
{
	static const char hex[] = "0123456789ABCDEF";
	char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};

	buf_append(b, e, 3);
}

/* Bytes url_clean() copies as they are: 0x21..0x7E but " # % < > \ ^ ` { | }. */
static int url_byte_plain(unsigned char ch)
{
	static const unsigned long long lo = 0xAFFFFFD200000000ULL, hi = 0x47FFFFFEAFFFFFFFULL;

	return ch < 64 ? (int)((lo >> ch) & 1) : ch < 128 ? (int)((hi >> (ch - 64)) & 1) : 0;
}

/* Step 1: trims, drops tabs and newlines, percent-encodes (see the top). */
static char *url_clean(const char *s)
{
	struct buf b = BUF_INIT;
	const char *start = s, *end = s + strlen(s), *p, *q;
	int seen_hash = 0;

	while (start < end && (unsigned char)*start <= 0x20)
		start++;
	while (end > start && (unsigned char)end[-1] <= 0x20)
		end--;
	buf_reserve(&b, (size_t)(end - start)); /* most URLs need no escaping: one malloc */
	for (p = start; p < end; p++) {
		unsigned char ch = (unsigned char)*p;

		if (url_byte_plain(ch)) {
			for (q = p + 1; q < end && url_byte_plain((unsigned char)*q); q++)
				;
			buf_append(&b, p, (size_t)(q - p));
			p = q - 1;
			continue;
		}
		if (ch == '\t' || ch == '\n' || ch == '\r')
			continue;
		if (ch == '%') {
			if (end - p >= 3 && is_hex((unsigned char)p[1]) &&
			    is_hex((unsigned char)p[2]))
				buf_putc(&b, '%');
			else
				put_pct(&b, ch);
		} else if (ch == '#') {
			if (seen_hash)
				put_pct(&b, ch);
			else
				buf_putc(&b, '#');
			seen_hash = 1;
		} else {
			put_pct(&b, ch); /* a control, space, DEL, >= 0x80 or " < > \ ^ ` { | } */
		}
	}
	return buf_detach(&b);
}

/* Step 2: RFC 3986 appendix B, on a cleaned (NUL-terminated) string. */
static void uri_split(const char *s, struct uri *u)
{
	const char *p = s, *q;

	memset(u, 0, sizeof(*u));
	if (is_alpha((unsigned char)*p)) {
		for (q = p + 1; is_scheme_char((unsigned char)*q); q++)
			;
		if (*q == ':') {
			u->scheme = (struct span){p, (size_t)(q - p), 1};
			p = q + 1;
		}
	}
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
		q = p + strcspn(p, "/?#");
		u->auth = (struct span){p, (size_t)(q - p), 1};
		p = q;
	}
	q = p + strcspn(p, "?#");
	u->path = (struct span){p, (size_t)(q - p), 1};
	p = q;
	if (*p == '?') {
		p++;
		q = p + strcspn(p, "#");
		u->query = (struct span){p, (size_t)(q - p), 1};
		p = q;
	}
	if (*p == '#') {
		p++;
		u->frag = (struct span){p, strlen(p), 1};
	}
}

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

static int equals(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

/* Removes the last segment and its preceding '/' (if any) from out. */
static void pop_segment(struct buf *out)
{
	if (out->len == 0)
		return;
	while (out->len > 0 && out->data[out->len - 1] != '/')
		out->len--;
	if (out->len > 0)
		out->len--;
	out->data[out->len] = '\0';
}

/* RFC 3986 5.2.4, appending the result to out (which starts empty). */
static void remove_dot_segments(const char *in, size_t n, struct buf *out)
{
	size_t i = 0;

	buf_reserve(out, n + 1);
	while (i < n) {
		const char *s = in + i;
		size_t left = n - i, j;

		if (starts(s, left, "../")) {
			i += 3; /* A */
		} else if (starts(s, left, "./")) {
			i += 2;
		} else if (starts(s, left, "/./")) {
			i += 2; /* B: leaves "/..." */
		} else if (equals(s, left, "/.")) {
			buf_putc(out, '/');
			break;
		} else if (starts(s, left, "/../")) {
			i += 3; /* C */
			pop_segment(out);
		} else if (equals(s, left, "/..")) {
			pop_segment(out);
			buf_putc(out, '/');
			break;
		} else if (equals(s, left, ".") || equals(s, left, "..")) {
			break; /* D */
		} else {
			j = s[0] == '/' ? 1 : 0; /* E */
			while (j < left && s[j] != '/')
				j++;
			buf_append(out, s, j);
			i += j;
		}
	}
}

/* RFC 3986 5.2.3: the base path up to its last '/', then the reference's. */
static void merge_paths(const struct uri *base, const struct span *ref, struct buf *out)
{
	if (base->auth.def && base->path.n == 0) {
		buf_putc(out, '/');
	} else {
		size_t k = base->path.n;

		while (k > 0 && base->path.p[k - 1] != '/')
			k--;
		buf_append(out, base->path.p, k);
	}
	buf_append(out, ref->p, ref->n);
}

/* The authority with its host lower-cased (not the userinfo, not %XX). */
static void put_authority(struct buf *b, const struct span *auth)
{
	const char *p = auth->p, *end = auth->p + auth->n, *host = p, *q;

	for (q = p; q < end; q++)
		if (*q == '@')
			host = q + 1;
	buf_append(b, p, (size_t)(host - p));
	for (q = host; q < end; q++) {
		if (*q == '%' && end - q >= 3) {
			buf_append(b, q, 3);
			q += 2;
			continue;
		}
		if (*q == ']' || (*q == ':' && *host != '['))
			break;
		buf_putc(b, (char)to_lower((unsigned char)*q));
	}
	buf_append(b, q, (size_t)(end - q));
}

/* RFC 3986 5.3, scheme lower-cased. path is the already-resolved path. */
static char *recompose(const struct span *scheme, const struct span *auth, const char *path,
                       size_t path_len, const struct span *query, const struct span *frag)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_reserve(&b, scheme->n + auth->n + path_len + query->n + frag->n + 8);
	if (scheme->def) {
		for (i = 0; i < scheme->n; i++)
			buf_putc(&b, (char)to_lower((unsigned char)scheme->p[i]));
		buf_putc(&b, ':');
	}
	if (auth->def) {
		buf_puts(&b, "//");
		put_authority(&b, auth);
	} else if (path_len >= 2 && path[0] == '/' && path[1] == '/') {
		buf_puts(&b, "/."); /* keep "//x" a path, not an authority */
	}
	buf_append(&b, path, path_len);
	if (query->def) {
		buf_putc(&b, '?');
		buf_append(&b, query->p, query->n);
	}
	if (frag->def) {
		buf_putc(&b, '#');
		buf_append(&b, frag->p, frag->n);
	}
	return buf_detach(&b);
}

/*
 * Non-zero when ref is an http(s) URL that every step below would leave as
 * it is: lower-case scheme and host, only bytes that need no escaping, no
 * fragment, no dot segment. Most links in feeds are; they are copied.
 */
static int already_resolved(const char *ref)
{
	const char *p;

	if (strncmp(ref, "http://", 7) == 0)
		p = ref + 7;
	else if (strncmp(ref, "https://", 8) == 0)
		p = ref + 8;
	else
		return 0;
	for (; *p && *p != '/' && *p != '?'; p++)
		if (!url_byte_plain((unsigned char)*p) || (*p >= 'A' && *p <= 'Z'))
			return 0;
	for (; *p && *p != '?'; p++)
		if (!url_byte_plain((unsigned char)*p) || (p[0] == '/' && p[1] == '.'))
			return 0;
	for (; *p; p++)
		if (!url_byte_plain((unsigned char)*p))
			return 0;
	return 1;
}

char *url_resolve(const char *base, const char *ref)
{
	char *cref, *cbase = NULL, *res;
	struct uri r, bu;
	struct buf path = BUF_INIT;
	const struct span *scheme, *auth, *query;
	static const struct span none = {NULL, 0, 0};

	if (ref == NULL)
		return NULL;
	if (already_resolved(ref))
		return xstrdup(ref);
	cref = url_clean(ref);
	uri_split(cref, &r);
	if (base && !r.scheme.def)
		cbase = url_clean(base); /* an absolute reference needs no base */
	if (cbase)
		uri_split(cbase, &bu);
	if (!r.scheme.def && (cbase == NULL || !bu.scheme.def)) {
		/* no absolute base to resolve against: the reference as it is */
		res = cref;
		cref = NULL;
		goto out;
	}
	/* RFC 3986 5.2.2 */
	if (r.scheme.def) {
		scheme = &r.scheme;
		auth = &r.auth;
		remove_dot_segments(r.path.p, r.path.n, &path);
		query = &r.query;
	} else {
		scheme = &bu.scheme;
		if (r.auth.def) {
			auth = &r.auth;
			remove_dot_segments(r.path.p, r.path.n, &path);
			query = &r.query;
		} else {
			auth = &bu.auth;
			if (r.path.n == 0) {
				buf_append(&path, bu.path.p, bu.path.n);
				query = r.query.def ? &r.query : &bu.query;
			} else {
				struct buf merged = BUF_INIT;

				buf_reserve(&merged, bu.path.n + r.path.n + 1);
				if (r.path.p[0] == '/')
					buf_append(&merged, r.path.p, r.path.n);
				else
					merge_paths(&bu, &r.path, &merged);
				remove_dot_segments(merged.data, merged.len, &path);
				buf_free(&merged);
				query = &r.query;
			}
		}
	}
	res = recompose(scheme, auth->def ? auth : &none, path.data ? path.data : "", path.len,
	                query, &r.frag);
out:
	buf_free(&path);
	free(cref);
	free(cbase);
	return res;
}

void url_scheme(const char *url, char *buf)
{
	const char *p;
	size_t n = 0;

	buf[0] = '\0';
	if (url == NULL)
		return;
	/* as a browser reads it: leading controls and spaces skipped, tabs and
	 * newlines ignored ("java\tscript:" is javascript:) */
	for (p = url; *p && (unsigned char)*p <= 0x20; p++)
		;
	for (; *p != ':'; p++) {
		int ch = (unsigned char)*p;

		if (ch == '\t' || ch == '\n' || ch == '\r')
			continue;
		if (ch == 0 || n >= 15 || !(n == 0 ? is_alpha(ch) : is_scheme_char(ch))) {
			buf[0] = '\0';
			return;
		}
		buf[n++] = (char)to_lower(ch);
	}
	buf[n] = '\0';
}

/*
 * Callers pass resolved, absolute URLs. Anything else has no allowed scheme
 * and is unsafe: relative URLs, entity-encoded spellings such as
 * "jav&#x61;script:" (decoding entities is the sanitizer's job), NULL.
 */
int url_is_safe_link(const char *url)
{
	char s[16];

	url_scheme(url, s);
	return strcmp(s, "http") == 0 || strcmp(s, "https") == 0 || strcmp(s, "mailto") == 0;
}

int url_is_http(const char *url)
{
	char s[16];

	url_scheme(url, s);
	return strcmp(s, "http") == 0 || strcmp(s, "https") == 0;
}

char *url_host(const char *url)
{
	const char *p, *end, *host, *hend;
	char *h;
	size_t i, n;

	if (!url_is_http(url))
		return NULL;
	p = strchr(url, ':') + 1;
	if (p[0] != '/' || p[1] != '/')
		return NULL;
	p += 2;
	for (end = p; *end && !strchr("/?#\\", *end) && (unsigned char)*end > 0x20; end++)
		;
	host = p;
	for (; p < end; p++)
		if (*p == '@')
			host = p + 1;
	if (*host == '[') {
		hend = memchr(host, ']', (size_t)(end - host));
		if (hend == NULL)
			return NULL;
		hend++;
	} else {
		for (hend = host; hend < end && *hend != ':'; hend++)
			;
	}
	n = (size_t)(hend - host);
	if (n == 0)
		return NULL;
	h = xstrndup(host, n);
	for (i = 0; i < n; i++)
		h[i] = (char)to_lower((unsigned char)h[i]);
	return h;
}

/* ---- canonical form (url_canonical) ----------------------------------- */

/* Query parameters that say who sent the reader, not what the article is. */
static const char *const tracking_params[] = {
    "fbclid",   "gclid",   "gclsrc",      "dclid",         "msclkid",    "yclid",       "twclid",
    "mc_cid",   "mc_eid",  "igshid",      "igsh",          "ref_src",    "ref_url",     "_ga",
    "_gl",      "mkt_tok", "oly_anon_id", "oly_enc_id",    "rb_clickid", "s_cid",       "vero_id",
    "wickedid", "_hsenc",  "_hsmi",       "hsctatracking", "cmpid",      "ocid",        "ito",
    "spm",      "share",   "smid",        "sr_share",      "at_medium",  "at_campaign",
};

static int span_ieq(const char *p, size_t n, const char *word)
{
	size_t i;

	/* the first letter decides most comparisons without a strlen() */
	if (n == 0 || to_lower((unsigned char)p[0]) != word[0] || n != strlen(word))
		return 0;
	for (i = 1; i < n; i++)
		if (to_lower((unsigned char)p[i]) != word[i])
			return 0;
	return 1;
}

static int is_tracking_param(const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	size_t k = eq ? (size_t)(eq - p) : n, i;

	if (k >= 4 && span_ieq(p, 4, "utm_"))
		return 1;
	for (i = 0; i < sizeof tracking_params / sizeof tracking_params[0]; i++)
		if (span_ieq(p, k, tracking_params[i]))
			return 1;
	/* amp=1, amp, amp=true, outputType=amp: the AMP rendering of the page */
	if (span_ieq(p, k, "amp") && (!eq || span_ieq(eq + 1, n - k - 1, "1") ||
	                              span_ieq(eq + 1, n - k - 1, "true") || n == k + 1))
		return 1;
	if (span_ieq(p, k, "outputtype") && eq && span_ieq(eq + 1, n - k - 1, "amp"))
		return 1;
	return 0;
}

struct qparam {
	const char *p;
	size_t n;
};

static int cmp_qparam(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* Appends s[0..n) with %xx escapes in upper case. */
static void put_escaped_upper(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && is_hex((unsigned char)s[i + 1]) &&
		    is_hex((unsigned char)s[i + 2])) {
			buf_putc(b, '%');
			buf_putc(b, (char)(s[i + 1] >= 'a' ? s[i + 1] - ('a' - 'A') : s[i + 1]));
			buf_putc(b, (char)(s[i + 2] >= 'a' ? s[i + 2] - ('a' - 'A') : s[i + 2]));
			i += 2;
		} else {
			buf_putc(b, s[i]);
		}
	}
}

/* The host (lower-case, no www./amp. prefix, no trailing dot) and port. */
static void put_canonical_host(struct buf *b, const struct span *auth)
{
	const char *p = auth->p, *end = auth->p + auth->n, *host = p, *hend, *q;
	size_t start = b->len;

	for (q = p; q < end; q++)
		if (*q == '@')
			host = q + 1;
	if (host < end && *host == '[') {
		hend = memchr(host, ']', (size_t)(end - host));
		hend = hend ? hend + 1 : end;
	} else {
		for (hend = host; hend < end && *hend != ':'; hend++)
			;
	}
	for (q = host; q < hend; q++)
		buf_putc(b, (char)to_lower((unsigned char)*q));
	while (b->len > start && b->data[b->len - 1] == '.')
		b->data[--b->len] = '\0';
	/* b->data is NULL until something is put: an empty host ("http://@/")
	 * must not be offset from it */
	while (b->len - start > 4) {
		char *h = b->data + start;

		if (memcmp(h, "www.", 4) != 0 && memcmp(h, "amp.", 4) != 0)
			break;
		memmove(h, h + 4, b->len - start - 4 + 1);
		b->len -= 4;
	}
	if (b->len == start)
		return; /* no host: no port either, and the caller gives up */
	if (hend < end && *hend == ':') {
		const char *port = hend + 1;
		size_t pn = (size_t)(end - port);

		while (pn > 1 && *port == '0')
			port++, pn--;
		if (pn > 0 && !(pn == 2 && memcmp(port, "80", 2) == 0) &&
		    !(pn == 3 && memcmp(port, "443", 3) == 0)) {
			buf_putc(b, ':');
			buf_append(b, port, pn);
		}
	}
}

/* The path without AMP markers and trailing slashes. */
static void put_canonical_path(struct buf *b, const char *path, size_t n)
{
	struct buf p = BUF_INIT;
	char *amp;
	size_t start = b->len;

	put_escaped_upper(&p, path, n);
	if (p.data) {
		/* "/amp/" inside the path, "/amp" at its end */
		while ((amp = strstr(p.data, "/amp/")) != NULL) {
			memmove(amp, amp + 4, strlen(amp + 4) + 1);
			p.len -= 4;
		}
		if (p.len >= 4 && strcmp(p.data + p.len - 4, "/amp") == 0)
			p.data[p.len -= 4] = '\0';
		if (p.len >= 9 && strcmp(p.data + p.len - 9, ".amp.html") == 0) {
			memcpy(p.data + p.len - 9, ".html", 6);
			p.len -= 4;
		}
		buf_append(b, p.data, p.len);
	}
	buf_free(&p);
	while (b->len > start && b->data[b->len - 1] == '/')
		b->data[--b->len] = '\0';
}

char *url_canonical(const char *url)
{
	char *clean = NULL, *res = NULL;
	struct uri u;
	struct buf b = BUF_INIT;
	struct qparam *qs = NULL;
	size_t nq = 0, cap = 0, i;
	const char *p, *end;

	if (!url_is_http(url))
		return NULL;
	clean = url_resolve(url, url); /* cleaned, dot segments removed */
	uri_split(clean, &u);
	if (!u.auth.def || u.auth.n == 0)
		goto out;
	put_canonical_host(&b, &u.auth);
	if (b.len == 0)
		goto out;
	put_canonical_path(&b, u.path.p, u.path.n);
	if (u.query.def) {
		p = u.query.p;
		end = u.query.p + u.query.n;
		while (p < end) {
			const char *q = p;

			while (q < end && *q != '&' && *q != ';')
				q++;
			if (q > p && !is_tracking_param(p, (size_t)(q - p))) {
				qs = xgrow(qs, &cap, nq + 1, sizeof *qs);
				qs[nq++] = (struct qparam){p, (size_t)(q - p)};
			}
			p = q < end ? q + 1 : q;
		}
		if (nq > 1)
			qsort(qs, nq, sizeof *qs, cmp_qparam);
		for (i = 0; i < nq; i++) {
			buf_putc(&b, i == 0 ? '?' : '&');
			put_escaped_upper(&b, qs[i].p, qs[i].n);
		}
	}
	res = buf_detach(&b);
out:
	buf_free(&b);
	free(qs);
	free(clean);
	return res;
}

/* ---- logins in URLs ---------------------------------------------------- */

/*
 * Copies url without the password (keep_user) or without the whole
 * userinfo of its authority: the text between "scheme://" and the last '@'
 * before the first '/', '?' or '#'.
 */
static char *drop_login(const char *url, int keep_user)
{
	const char *p, *auth, *end, *at = NULL, *colon;
	struct buf b = BUF_INIT;

	if (url == NULL)
		return NULL;
	for (p = url; is_scheme_char((unsigned char)*p); p++)
		;
	if (p == url || strncmp(p, "://", 3) != 0)
		return xstrdup(url);
	auth = p + 3;
	for (end = auth; *end && *end != '/' && *end != '?' && *end != '#'; end++)
		if (*end == '@')
			at = end;
	if (at == NULL)
		return xstrdup(url);
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (keep_user && colon == NULL)
		return xstrdup(url);
	buf_append(&b, url, (size_t)(auth - url));
	if (keep_user) {
		buf_append(&b, auth, (size_t)(colon - auth));
		buf_putc(&b, '@');
	}
	buf_puts(&b, at + 1);
	return buf_detach(&b);
}

char *url_redact(const char *url)
{
	return drop_login(url, 1);
}

int url_has_password(const char *url)
{
	char *r = url_redact(url);
	int has = r && strcmp(r, url) != 0;

	free(r);
	return has;
}

char *url_strip_login(const char *url)
{
	return drop_login(url, 0);
}

char *url_untracked(const char *url)
{
	const char *q, *end, *p, *amp;
	struct buf b = BUF_INIT;
	int first = 1;

	if (url == NULL)
		return NULL;
	q = strchr(url, '?');
	end = url + strcspn(url, "#");
	if (!url_is_http(url) || q == NULL || q > end)
		return xstrdup(url);
	buf_append(&b, url, (size_t)(q - url));
	for (p = q + 1; p < end; p = amp < end ? amp + 1 : amp) {
		for (amp = p; amp < end && *amp != '&' && *amp != ';'; amp++)
			;
		if (amp == p || is_tracking_param(p, (size_t)(amp - p)))
			continue;
		buf_putc(&b, first ? '?' : '&');
		buf_append(&b, p, (size_t)(amp - p));
		first = 0;
	}
	buf_puts(&b, end);
	return buf_detach(&b);
}

/*
 * mail.c - MIME messages and SMTP delivery (see mail.h).
 *
 * Everything here writes CRLF line ends and keeps each line within the 78
 * characters RFC 5322 recommends (the hard limit is 998): header values are
 * folded at spaces and commas or written as RFC 2047 encoded-words, bodies
 * are quoted-printable (76 per line) or base64 (76 per line). Nothing from
 * a feed or the config reaches a header without being checked for CR, LF
 * and other controls, so no value can start a header of its own.
 *
 * Sending is one libcurl easy transfer per message: MAIL FROM, one RCPT TO
 * per recipient (any refusal fails the whole send), DATA from memory
 * (libcurl does the dot-stuffing). Only smtp:// and smtps:// are allowed.
 *
 * A login never crosses the wire in clear unless the configuration says
 * so: on smtp:// with a login (smtp_user, userinfo in the URL, or an entry
 * for the host in the netrc file, which is read here so that we know
 * before connecting), STARTTLS is required (CURLUSESSL_ALL) and a server
 * that does not offer it gets no AUTH; only MAIL_TLS_NEVER sends it in
 * clear. Certificates are always verified (against ca_file/ca_path when
 * given), and the URL in messages has its password removed (url_redact()).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "date.h"
#include "mail.h"
#include "url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/netrc.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define LINE_MAX_CHARS 78 /* RFC 5322, 2.1.1: SHOULD */
#define WORD_MAX 75       /* RFC 2047, 2: an encoded-word */
#define QP_LINE 76        /* RFC 2045, 6.7 (5) */
#define B64_LINE 76
#define ADDR_MAX 254

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hex[] = "0123456789ABCDEF";

/* The value as valid UTF-8 without controls (they become spaces). */
static char *clean_text(const char *value)
{
	const unsigned char *p = (const unsigned char *)(value ? value : "");
	size_t n = strlen((const char *)p), len;
	struct buf b = BUF_INIT;
	uint32_t cp;

	while (n > 0) {
		len = utf8_decode(p, n, &cp);
		if (len == 0) {
			buf_puts(&b, "\xef\xbf\xbd"); /* U+FFFD */
			p++, n--;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			buf_putc(&b, ' '); /* C0, DEL and C1 controls */
		else
			buf_append(&b, p, len);
		p += len, n -= len;
	}
	return buf_detach(&b);
}

static int is_plain_ascii(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return strstr(s, "=?") == NULL;
}

/* ---- base64 ------------------------------------------------------------- */

static void b64_chunk(struct buf *b, const unsigned char *p, size_t n)
{
	char q[4];
	unsigned v;

	v = (unsigned)p[0] << 16 | (n > 1 ? (unsigned)p[1] << 8 : 0) | (n > 2 ? p[2] : 0);
	q[0] = b64[(v >> 18) & 63];
	q[1] = b64[(v >> 12) & 63];
	q[2] = n > 1 ? b64[(v >> 6) & 63] : '=';
	q[3] = n > 2 ? b64[v & 63] : '=';
	buf_append(b, q, 4);
}

static void b64_append(struct buf *b, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 3)
		b64_chunk(b, p + i, n - i < 3 ? n - i : 3);
}

char *mail_base64_encode(const void *data, size_t len)
{
	const unsigned char *p = data;
	struct buf b = BUF_INIT;
	size_t i, per_line = B64_LINE / 4 * 3;

	for (i = 0; i < len; i += per_line) {
		b64_append(&b, p + i, len - i < per_line ? len - i : per_line);
		buf_puts(&b, "\r\n");
	}
	return buf_detach(&b);
}

/* ---- RFC 2047 ----------------------------------------------------------- */

/* Folds printable ASCII at spaces; -1 when a word cannot fit in a line. */
static int fold_ascii(struct buf *b, const char *s, size_t used)
{
	size_t col = used, wl;
	const char *w;

	while (*s) {
		w = s;
		while (*s == ' ')
			s++;
		while (*s && *s != ' ')
			s++;
		wl = (size_t)(s - w); /* leading spaces included */
		if (col + wl > LINE_MAX_CHARS && col > used && w[0] == ' ') {
			buf_puts(b, "\r\n");
			col = 0;
		}
		if (col + wl > LINE_MAX_CHARS)
			return -1;
		buf_append(b, w, wl);
		col += wl;
	}
	return 0;
}

/* B-encoded words of whole characters, the first one fitting after `used`. */
static void encode_words(struct buf *b, const char *s, size_t used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), avail, take, len;
	uint32_t cp;
	int first = 1;

	while (n > 0 || first) {
		size_t limit =
		    first ? LINE_MAX_CHARS - (used < LINE_MAX_CHARS ? used : LINE_MAX_CHARS)
		          : LINE_MAX_CHARS - 1;

		if (limit > WORD_MAX)
			limit = WORD_MAX;
		avail = limit > 12 ? (limit - 12) / 4 * 3 : 0; /* "=?UTF-8?B?" "?=" */
		if (avail < 4 && first) {
			buf_puts(b, "\r\n ");
			first = 0;
			continue;
		}
		take = 0;
		while (take < n) {
			len = utf8_decode(p + take, n - take, &cp);
			if (len == 0)
				len = 1; /* clean_text() made this impossible */
			if (take + len > avail)
				break;
			take += len;
		}
		if (!first)
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		b64_append(b, p, take);
		buf_puts(b, "?=");
		p += take, n -= take;
		first = 0;
	}
}

char *mail_encode_header(const char *value, size_t used)
{
	char *s = clean_text(value);
	struct buf b = BUF_INIT;

	if (is_plain_ascii(s) && fold_ascii(&b, s, used) == 0) {
		free(s);
		return buf_detach(&b);
	}
	buf_reset(&b);
	encode_words(&b, s, used);
	free(s);
	return buf_detach(&b);
}

/* ---- quoted-printable --------------------------------------------------- */

char *mail_qp_encode(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len, *eol, *q;
	struct buf b = BUF_INIT;
	char tok[16];
	size_t col, tl, i, seq;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		q = eol ? eol : end;
		if (q > p && q[-1] == '\r' && eol)
			q--; /* CRLF in: the CR is part of the line end */
		col = 0;
		while (p < q) {
			seq = 1;
			if (*p >= 0xc0) /* keep a UTF-8 sequence on one line */
				while (seq < 4 && p + seq < q && (p[seq] & 0xc0) == 0x80)
					seq++;
			tl = 0;
			for (i = 0; i < seq; i++) {
				unsigned c = p[i];
				int last = p + i + 1 == q;
				int literal = (c >= 33 && c <= 126 && c != '=') ||
				              ((c == ' ' || c == '\t') && !last);

				/* A leading "." or "From " confuses sendmail and mbox readers. */
				if (col == 0 && tl == 0 &&
				    (c == '.' ||
				     (c == 'F' && q - p >= 5 && memcmp(p, "From ", 5) == 0)))
					literal = 0;
				if (literal) {
					tok[tl++] = (char)c;
				} else {
					tok[tl++] = '=';
					tok[tl++] = hex[c >> 4];
					tok[tl++] = hex[c & 15];
				}
			}
			/* The last token may use column 76; others leave room for the '='. */
			if (col + tl > QP_LINE - 1 && !(p + seq == q && col + tl <= QP_LINE)) {
				buf_puts(&b, "=\r\n");
				col = 0;
			}
			buf_append(&b, tok, tl);
			col += tl;
			p += seq;
		}
		if (eol) {
			buf_puts(&b, "\r\n");
			p = eol + 1;
		} else {
			p = end;
		}
	}
	return buf_detach(&b);
}

/* ---- addresses ---------------------------------------------------------- */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static char *trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

char *mail_addr_spec(const char *mailbox)
{
	const char *lt, *gt, *p, *at;
	char *a;

	if (mailbox == NULL)
		return NULL;
	lt = strrchr(mailbox, '<');
	if (lt) {
		gt = strchr(lt, '>');
		if (gt == NULL || *skip_ws(gt + 1) != '\0')
			return NULL;
		a = trimmed(lt + 1, (size_t)(gt - lt - 1));
	} else {
		a = trimmed(mailbox, strlen(mailbox));
	}
	at = strrchr(a, '@');
	if (a[0] == '\0' || strlen(a) > ADDR_MAX || at == NULL || at == a || at[1] == '\0')
		goto bad;
	for (p = a; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>,\"()[]\\;:", *p))
			goto bad;
	return a;
bad:
	free(a);
	return NULL;
}

int mail_split_addresses(const char *list, char ***v, size_t *n, size_t *cap, char *err)
{
	const char *p = list ? list : "", *start = p;
	int quoted = 0, angle = 0;
	char *one, *spec;

	for (;; p++) {
		if (*p == '"' && !angle)
			quoted = !quoted;
		else if (*p == '\\' && quoted && p[1])
			p++;
		else if (*p == '<' && !quoted)
			angle = 1;
		else if (*p == '>' && !quoted)
			angle = 0;
		if (*p != '\0' && (*p != ',' || quoted || angle))
			continue;
		one = trimmed(start, (size_t)(p - start));
		if (one[0] != '\0') {
			spec = mail_addr_spec(one);
			if (spec == NULL) {
				err_set(err, "'%.100s' is not an e-mail address", one);
				free(one);
				return -1;
			}
			free(spec);
			*v = xgrow(*v, cap, *n + 1, sizeof **v);
			(*v)[(*n)++] = one;
		} else {
			free(one);
		}
		if (*p == '\0')
			break;
		start = p + 1;
	}
	return 0;
}

/* ---- building ----------------------------------------------------------- */

/* The column after the last line break of b. */
static size_t column(const struct buf *b)
{
	size_t i = b->len;

	while (i > 0 && b->data[i - 1] != '\n')
		i--;
	return b->len - i;
}

static int has_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Characters that may stand in a display name without quotes (atext + space). */
static int is_atext_phrase(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(" !#$%&'*+-/=?^_`{|}~.", *s)))
			return 0;
	return 1;
}

/* One mailbox, its display name quoted or encoded as needed. */
static int put_mailbox(struct buf *b, const char *mailbox, char *err)
{
	char *spec = mail_addr_spec(mailbox), *name = NULL, *enc;
	const char *lt = strrchr(mailbox, '<');
	size_t col;

	if (spec == NULL || has_controls(mailbox)) {
		free(spec);
		return err_set(err, "'%.100s' is not an e-mail address", mailbox);
	}
	if (lt)
		name = trimmed(mailbox, (size_t)(lt - mailbox));
	if (name && name[0] == '"' && strlen(name) >= 2 && name[strlen(name) - 1] == '"') {
		char *inner = xstrndup(name + 1, strlen(name) - 2), *w = inner;
		const char *r;

		for (r = inner; *r; r++) { /* unescape \" and \\ */
			if (*r == '\\' && r[1])
				r++;
			*w++ = *r;
		}
		*w = '\0';
		free(name);
		name = inner;
	}
	col = column(b);
	if (name && name[0]) {
		if (col + strlen(name) + strlen(spec) + 3 > LINE_MAX_CHARS && col > 1) {
			buf_puts(b, "\r\n ");
			col = 1;
		}
		if (!is_plain_ascii(name)) {
			enc = mail_encode_header(name, col);
			buf_puts(b, enc);
			free(enc);
		} else if (is_atext_phrase(name)) {
			buf_puts(b, name);
		} else {
			const char *r;

			buf_putc(b, '"');
			for (r = name; *r; r++) {
				if (*r == '"' || *r == '\\')
					buf_putc(b, '\\');
				buf_putc(b, *r);
			}
			buf_putc(b, '"');
		}
		if (column(b) + strlen(spec) + 3 > LINE_MAX_CHARS)
			buf_puts(b, "\r\n");
		buf_printf(b, " <%s>", spec);
	} else {
		if (col + strlen(spec) > LINE_MAX_CHARS && col > 1)
			buf_puts(b, "\r\n ");
		buf_puts(b, spec);
	}
	free(name);
	free(spec);
	return 0;
}

/* "<url>, <url>" from "url, <url>"; -1 on controls or spaces inside a URL. */
static int put_unsubscribe(struct buf *b, const char *v, char *err)
{
	const char *p = v, *e;
	char *one;
	int n = 0;

	while (*p) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		one = trimmed(p, (size_t)(e - p));
		if (one[0] == '<' && one[strlen(one) - 1] == '>') {
			memmove(one, one + 1, strlen(one));
			one[strlen(one) - 1] = '\0';
		}
		if (one[0]) {
			const char *c;

			for (c = one; *c; c++) {
				if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f ||
				    *c == '<' || *c == '>') {
					err_set(err, "list_unsubscribe: '%.100s' is not a URL",
					        one);
					free(one);
					return -1;
				}
			}
			if (n++ > 0)
				buf_puts(b, column(b) + strlen(one) + 4 > LINE_MAX_CHARS ? ",\r\n "
				                                                         : ", ");
			buf_printf(b, "<%s>", one);
		}
		free(one);
		p = *e ? e + 1 : e;
	}
	return 0;
}

static void random_hex(char *out, size_t nbytes)
{
	unsigned char r[16];
	size_t i, got = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (nbytes > sizeof r)
		nbytes = sizeof r;
	if (fd >= 0) {
		ssize_t k = read(fd, r, nbytes);
		got = k > 0 ? (size_t)k : 0;
		close(fd);
	}
	for (i = got; i < nbytes; i++) /* no /dev/urandom: address and clock */
		r[i] = (unsigned char)(((uintptr_t)&r >> (i % 8)) ^ ((uintptr_t)time(NULL) >> i) ^
		                       ((unsigned)getpid() >> (i % 4)));
	for (i = 0; i < nbytes; i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[2 * nbytes] = '\0';
}

static int valid_host(const char *h)
{
	const char *p;

	if (h == NULL || h[0] == '\0' || strlen(h) > 253)
		return 0;
	for (p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return 0;
	return 1;
}

/* Text in canonical form (RFC 2046, 4.1.1): every line ends in CRLF. */
static char *canonical(const char *s)
{
	struct buf b = BUF_INIT;

	for (; *s; s++) {
		if (*s == '\n' && (b.len == 0 || b.data[b.len - 1] != '\r'))
			buf_putc(&b, '\r');
		buf_putc(&b, *s);
	}
	return buf_detach(&b);
}

/* A body part: the shorter of quoted-printable and base64. */
static void put_part(struct buf *b, const char *type, const char *body)
{
	size_t len = strlen(body);
	char *crlf = canonical(body);
	char *qp = mail_qp_encode(body, len), *bb = mail_base64_encode(crlf, strlen(crlf));
	int use_qp = strlen(qp) <= strlen(bb);

	free(crlf);

	buf_printf(b, "Content-Type: %s; charset=UTF-8\r\n", type);
	buf_printf(b, "Content-Transfer-Encoding: %s\r\n\r\n",
	           use_qp ? "quoted-printable" : "base64");
	buf_puts(b, use_qp ? qp : bb);
	if (b->len >= 2 && memcmp(b->data + b->len - 2, "\r\n", 2) != 0)
		buf_puts(b, "\r\n");
	free(qp);
	free(bb);
}

char *mail_build(const struct mail_msg *m, size_t *len, char *err)
{
	struct buf b = BUF_INIT;
	char date[DATE_MAX], rnd[33], boundary[64];
	char *subject;
	size_t i;

	if (m->from == NULL || m->nto == 0) {
		err_set(err, "a message needs a sender and at least one recipient");
		goto fail;
	}
	date_format_rfc5322(m->date, m->offset, date);
	buf_printf(&b, "Date: %s\r\n", date);
	buf_puts(&b, "From: ");
	if (put_mailbox(&b, m->from, err) != 0)
		goto fail;
	buf_puts(&b, "\r\nTo: ");
	for (i = 0; i < m->nto; i++) {
		if (i > 0)
			buf_puts(&b, ",");
		if (i > 0 && column(&b) + strlen(m->to[i]) + 1 > LINE_MAX_CHARS)
			buf_puts(&b, "\r\n");
		if (i > 0)
			buf_puts(&b, " ");
		if (put_mailbox(&b, m->to[i], err) != 0)
			goto fail;
	}
	subject = mail_encode_header(m->subject ? m->subject : "", 9);
	buf_printf(&b, "\r\nSubject: %s\r\n", subject);
	free(subject);
	random_hex(rnd, 8);
	buf_printf(&b, "Message-ID: <%lld.%ld.%s@%s>\r\n", (long long)m->date, (long)getpid(), rnd,
	           valid_host(m->id_host) ? m->id_host : "localhost");
	buf_puts(&b, "MIME-Version: 1.0\r\n");
	if (m->list_unsubscribe && m->list_unsubscribe[0]) {
		buf_puts(&b, "List-Unsubscribe: ");
		if (put_unsubscribe(&b, m->list_unsubscribe, err) != 0)
			goto fail;
		buf_puts(&b, "\r\n");
	}
	buf_puts(&b, "Auto-Submitted: auto-generated\r\n");
	if (m->html == NULL) {
		put_part(&b, "text/plain", m->text ? m->text : "");
		goto done;
	}
	random_hex(rnd, 12);
	snprintf(boundary, sizeof boundary, "=_aggregator_%s", rnd);
	buf_printf(&b, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n",
	           boundary);
	buf_puts(&b, "This is a message in MIME format: a text part, then an HTML part.\r\n");
	buf_printf(&b, "\r\n--%s\r\n", boundary);
	put_part(&b, "text/plain", m->text ? m->text : "");
	buf_printf(&b, "\r\n--%s\r\n", boundary);
	put_part(&b, "text/html", m->html);
	buf_printf(&b, "\r\n--%s--\r\n", boundary);
done:
	*len = b.len;
	return buf_detach(&b);
fail:
	buf_free(&b);
	return NULL;
}

/* ---- sending ------------------------------------------------------------ */

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *out, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb;

	if (n > r->left)
		n = r->left;
	memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

/* The host of an smtp(s):// URL (malloc'd, without userinfo or port), or NULL. */
static char *smtp_host(const char *url)
{
	const char *p = strstr(url, "://"), *end, *at;

	if (p == NULL)
		return NULL;
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	while (at && memchr(at + 1, '@', (size_t)(end - at - 1)))
		at = memchr(at + 1, '@', (size_t)(end - at - 1));
	if (at)
		p = at + 1;
	if (*p == '[') {
		const char *q = memchr(p, ']', (size_t)(end - p));
		return q ? xstrndup(p + 1, (size_t)(q - p - 1)) : NULL;
	}
	return xstrndup(p, strcspn(p, ":/?#"));
}

/* Non-zero when the URL carries a login (userinfo before the host). */
static int has_login(const char *url)
{
	const char *p = strstr(url, "://");

	return p && memchr(p + 3, '@', strcspn(p + 3, "/?#")) != NULL;
}

/* The login mail_send() will use: o's, or the netrc file's for the host. */
struct login {
	char *user, *password;
	int any; /* a login will be sent, from any source */
};

static void login_find(const struct mail_smtp *o, struct login *l)
{
	char *netrc, *host;

	memset(l, 0, sizeof *l);
	if (o->user && o->user[0]) {
		l->user = xstrdup(o->user);
		l->password = xstrdup(o->password ? o->password : "");
	} else {
		netrc = o->netrc ? xstrdup(o->netrc) : netrc_default_path();
		host = smtp_host(o->url ? o->url : "");
		if (netrc_lookup(netrc, host, &l->user, &l->password) && l->user == NULL) {
			free(l->password);
			l->password = NULL;
		}
		free(host);
		free(netrc);
	}
	l->any = l->user != NULL || has_login(o->url ? o->url : "");
}

static void login_free(struct login *l)
{
	free(l->user);
	free(l->password);
}

static int is_smtps(const char *url)
{
	return strncasecmp(url, "smtps://", 8) == 0;
}

int mail_login_in_clear(const struct mail_smtp *o)
{
	struct login l;
	int clear;

	if (o->url == NULL || is_smtps(o->url) || o->tls != MAIL_TLS_NEVER)
		return 0;
	login_find(o, &l);
	clear = l.any;
	login_free(&l);
	return clear;
}

/* CURLOPT_USE_SSL for smtp://: a login requires STARTTLS unless told never. */
static long use_ssl(const struct mail_smtp *o, const struct login *l)
{
	if (o->tls == MAIL_TLS_NEVER)
		return (long)CURLUSESSL_NONE;
	if (o->tls == MAIL_TLS_ALWAYS || l->any)
		return (long)CURLUSESSL_ALL;
	return (long)CURLUSESSL_TRY;
}

int mail_send(const struct mail_smtp *o, const char *from, const char *const *to, size_t nto,
              const char *msg, size_t len, char *err)
{
	struct curl_slist *rcpt = NULL, *tmp;
	char errbuf[CURL_ERROR_SIZE], *spec, *env, *shown;
	struct login login = {NULL, NULL, 0};
	struct reader r = {msg, len};
	const char *url = o->url ? o->url : "";
	CURL *h = NULL;
	CURLcode cc;
	long code = 0;
	size_t i;
	int rc = -1;

	shown = url_redact(url);
	if (strncasecmp(url, "smtp://", 7) != 0 && !is_smtps(url)) {
		err_set(err, "SMTP URL '%.200s': must start with smtp:// or smtps://", shown);
		free(shown);
		return -1;
	}
	if (has_controls(url)) {
		err_set(err, "SMTP URL '%.200s': has control characters", shown);
		free(shown);
		return -1;
	}
	spec = mail_addr_spec(from);
	if (spec == NULL) {
		err_set(err, "sender '%.100s' is not an e-mail address", from ? from : "");
		free(shown);
		return -1;
	}
	env = xasprintf("<%s>", spec);
	free(spec);
	for (i = 0; i < nto; i++) {
		char *a = mail_addr_spec(to[i]), *ra;

		if (a == NULL) {
			err_set(err, "recipient '%.100s' is not an e-mail address", to[i]);
			goto out;
		}
		ra = xasprintf("<%s>", a);
		free(a);
		tmp = curl_slist_append(rcpt, ra);
		free(ra);
		if (tmp == NULL) {
			err_set(err, "out of memory");
			goto out;
		}
		rcpt = tmp;
	}
	if (rcpt == NULL) {
		err_set(err, "no recipients");
		goto out;
	}
	h = curl_easy_init();
	if (h == NULL) {
		err_set(err, "SMTP %s: cannot start libcurl", shown);
		goto out;
	}
	errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, env);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout > 0 ? o->timeout : 120L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
	                 o->connect_timeout > 0 ? o->connect_timeout : 30L);
	if (o->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
	if (o->ca_path)
		curl_easy_setopt(h, CURLOPT_CAPATH, o->ca_path);
	login_find(o, &login);
	if (!is_smtps(url))
		curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl(o, &login));
	if (login.user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, login.user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, login.password ? login.password : "");
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (cc != CURLE_OK) {
		if (code >= 400)
			err_set(err, "SMTP %s: %s (server answered %ld)", shown,
			        errbuf[0] ? errbuf : curl_easy_strerror(cc), code);
		else if (cc == CURLE_USE_SSL_FAILED)
			err_set(err,
			        "SMTP %s: the server does not offer STARTTLS, so the login was not "
			        "sent (smtps:// or a server with STARTTLS; smtp_starttls = never "
			        "sends it in clear)",
			        shown);
		else
			err_set(err, "SMTP %s: %s", shown,
			        errbuf[0] ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	rc = 0;
out:
	if (h)
		curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	login_free(&login);
	free(shown);
	free(env);
	return rc;
}

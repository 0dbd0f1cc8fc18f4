/*
 * test-mail.c - unit tests of mail.c's encoders and message builder, and
 * of digest.c's text helpers: RFC 2047 words (ASCII passthrough, Korean,
 * folding, each word <= 75 characters, decoding back to the input),
 * quoted-printable (line length, trailing spaces, '=', UTF-8 kept whole,
 * decoding back), base64 line wrapping, dates, addresses, and the wrap at
 * 72 columns. The decoders here are the tests' own, written from the RFCs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "mail.h"
#include "tap.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char korean_long[] =
    "방탄소년단, 새 앨범으로 돌아온다 — 월드 투어 일정도 공개하고 팬들의 기대가 커지고 있다 "
    "(연예 뉴스 모음 2026-11-29 소식 12건)";

static int b64_val(int c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

/* Base64 to bytes, ignoring CR/LF; -1 on anything else that is not base64. */
static int b64_decode(const char *s, struct buf *out)
{
	unsigned v = 0;
	int bits = 0, d;

	for (; *s; s++) {
		if (*s == '\r' || *s == '\n' || *s == '=')
			continue;
		d = b64_val((unsigned char)*s);
		if (d < 0)
			return -1;
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (char)((v >> bits) & 0xff));
		}
	}
	return 0;
}

/* Decodes a header of B-encoded words and plain text (RFC 2047, 6.2). */
static char *header_decode(const char *h, int *bad_word)
{
	struct buf out = BUF_INIT;
	const char *p = h, *q, *end;
	int prev_word = 0;

	*bad_word = 0;
	while (*p) {
		if (strncmp(p, "=?UTF-8?B?", 10) == 0 && (end = strstr(p + 10, "?=")) != NULL) {
			char *payload = xstrndup(p + 10, (size_t)(end - p - 10));
			if ((size_t)(end + 2 - p) > 75)
				*bad_word = 1;
			if (b64_decode(payload, &out) != 0)
				*bad_word = 1;
			free(payload);
			p = end + 2;
			prev_word = 1;
			continue;
		}
		/* Whitespace (with folds) between two encoded words is dropped. */
		q = p;
		while (*q == ' ' || *q == '\r' || *q == '\n' || *q == '\t')
			q++;
		if (prev_word && q != p && strncmp(q, "=?", 2) == 0) {
			p = q;
			continue;
		}
		if (*p == '\r' && p[1] == '\n') { /* unfold */
			p += 2;
			continue;
		}
		buf_putc(&out, *p++);
		prev_word = 0;
	}
	return buf_detach(&out);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static char *qp_decode(const char *s)
{
	struct buf out = BUF_INIT;

	while (*s) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			buf_putc(&out, (char)(hexval(s[1]) * 16 + hexval(s[2])));
			s += 3;
		} else if (s[0] == '\r' && s[1] == '\n') {
			buf_putc(&out, '\n');
			s += 2;
		} else {
			buf_putc(&out, *s++);
		}
	}
	return buf_detach(&out);
}

/* The longest line (CRLF-separated) and whether every line ends in CRLF. */
static size_t longest_line(const char *s, int *bare_lf)
{
	size_t max = 0, cur = 0;

	*bare_lf = 0;
	for (const char *start = s; *s; s++) {
		if (*s == '\n') {
			if (s == start || s[-1] != '\r')
				*bare_lf = 1;
			cur = 0;
			continue;
		}
		if (*s != '\r' && ++cur > max)
			max = cur;
	}
	return max;
}

static void test_header_ascii(void)
{
	char *h = mail_encode_header("Daily digest 2026-11-29: 5 stories", 9);
	char *long_ascii;
	int bare;

	CHECK_STR(h, "Daily digest 2026-11-29: 5 stories", "ASCII passes through");
	free(h);
	long_ascii = xstrdup("A very long English subject line that goes on and on about "
	                     "the festival and the box office and the charts this week");
	h = mail_encode_header(long_ascii, 9);
	CHECK(strstr(h, "=?") == NULL, "long ASCII is folded, not encoded: %s", h);
	CHECK(strstr(h, "\r\n ") != NULL, "long ASCII is folded at a space: %s", h);
	CHECK(9 + longest_line(h, &bare) <= 78, "folded ASCII fits in 78 columns: %s", h);
	free(h);
	free(long_ascii);
	h = mail_encode_header("looks like =?UTF-8?B?x?= a word", 9);
	CHECK(strncmp(h, "=?UTF-8?B?", 10) == 0, "text that looks encoded is encoded: %s", h);
	free(h);
	h = mail_encode_header("line\r\nBcc: victim@example.org", 9);
	CHECK(strstr(h, "\r\nBcc") == NULL && strstr(h, "\nBcc") == NULL,
	      "CR LF in a value cannot start a header: %s", h);
	free(h);
}

static void test_header_korean(void)
{
	const char *short_ko = "연예 뉴스 5건";
	char *h = mail_encode_header(short_ko, 9), *dec;
	const char *line, *nl;
	int bad, bare;
	size_t words = 0;

	CHECK(strncmp(h, "=?UTF-8?B?", 10) == 0, "Korean is B-encoded: %s", h);
	dec = header_decode(h, &bad);
	CHECK_STR(dec, short_ko, "short Korean decodes back");
	CHECK(!bad, "short Korean words are valid");
	free(dec);
	free(h);

	h = mail_encode_header(korean_long, 9);
	dec = header_decode(h, &bad);
	CHECK_STR(dec, korean_long, "long Korean decodes back to the input");
	CHECK(!bad, "every encoded word is at most 75 characters and valid base64: %s", h);
	CHECK(strstr(h, "\r\n ") != NULL, "long Korean is folded: %s", h);
	/* First line after "Subject: " (9), the others start with a space. */
	for (line = h; line; line = nl ? nl + 2 : NULL) {
		size_t len;
		nl = strstr(line, "\r\n");
		len = nl ? (size_t)(nl - line) : strlen(line);
		CHECK((line == h ? 9 : 0) + len <= 78, "folded line of %zu characters", len);
		words++;
	}
	CHECK(words >= 3, "%zu lines for a long subject", words);
	CHECK(longest_line(h, &bare) <= 78, "no line over 78");
	free(dec);
	free(h);

	/* Every split falls between characters: each word decodes to valid UTF-8 alone. */
	h = mail_encode_header(korean_long, 9);
	for (line = h; (line = strstr(line, "=?UTF-8?B?")) != NULL; line += 10) {
		const char *end = strstr(line + 10, "?=");
		char *payload = end ? xstrndup(line + 10, (size_t)(end - line - 10)) : NULL;
		struct buf b = BUF_INIT;
		const unsigned char *u;
		int ok = payload && b64_decode(payload, &b) == 0;

		for (u = (const unsigned char *)(b.data ? b.data : ""); ok && *u;) {
			size_t n = *u < 0x80 ? 1 : *u >= 0xf0 ? 4 : *u >= 0xe0 ? 3 : 2, k;
			for (k = 1; k < n; k++)
				ok = ok && (u[k] & 0xc0) == 0x80;
			u += n;
		}
		CHECK(ok, "encoded word holds whole UTF-8 characters");
		buf_free(&b);
		free(payload);
	}
	free(h);

	h = mail_encode_header("bad \xff byte", 9);
	dec = header_decode(h, &bad);
	CHECK_STR(dec, "bad \xef\xbf\xbd byte", "invalid UTF-8 becomes U+FFFD");
	free(dec);
	free(h);
}

static void test_qp(void)
{
	struct buf in = BUF_INIT;
	char *q, *d;
	size_t i;
	int bare;

	q = mail_qp_encode("a=b\n", 4);
	CHECK_STR(q, "a=3Db\r\n", "'=' is escaped, LF becomes CRLF");
	free(q);
	q = mail_qp_encode("trailing  \nand\ttab\t\n", 20);
	CHECK_STR(q, "trailing =20\r\nand\ttab=09\r\n",
	          "space and tab before a line end are encoded");
	free(q);
	q = mail_qp_encode("한글", strlen("한글"));
	CHECK_STR(q, "=ED=95=9C=EA=B8=80", "UTF-8 bytes are =XX");
	free(q);
	q = mail_qp_encode(".\nFrom here\n", 12);
	CHECK_STR(q, "=2E\r\n=46rom here\r\n", "a leading '.' and 'From ' are encoded");
	free(q);

	for (i = 0; i < 40; i++)
		buf_puts(&in, "방탄 x=y ");
	buf_puts(&in, "\n");
	for (i = 0; i < 200; i++)
		buf_putc(&in, 'a');
	buf_puts(&in, " \nend");
	q = mail_qp_encode(in.data, in.len);
	CHECK(longest_line(q, &bare) <= 76, "QP lines are at most 76: %zu", longest_line(q, &bare));
	CHECK(!bare, "QP lines end in CRLF");
	CHECK(strstr(q, " \r\n") == NULL && strstr(q, "\t\r\n") == NULL,
	      "no space before a line end");
	d = qp_decode(q);
	CHECK_STR(d, in.data, "QP decodes back to the input");
	/* A soft break never splits an =XX or a UTF-8 character. */
	{
		const char *p;
		int split = 0;
		for (p = q; (p = strstr(p, "=\r\n")) != NULL; p += 3) {
			const char *next = p + 3;
			if (next[0] == '=' && next[1] == '8')
				split = 1; /* a continuation byte (=80..=BF) starts a line */
			if (next[0] == '=' && (next[1] == '9' || next[1] == 'A' || next[1] == 'B'))
				split = 1;
		}
		CHECK(!split, "no line starts with a UTF-8 continuation byte");
	}
	free(d);
	free(q);
	buf_free(&in);
}

static void test_base64(void)
{
	unsigned char data[1000];
	struct buf back = BUF_INIT;
	char *b;
	size_t i;
	int bare;

	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	b = mail_base64_encode(data, sizeof data);
	CHECK(longest_line(b, &bare) == 76, "base64 lines are 76: %zu", longest_line(b, &bare));
	CHECK(!bare, "base64 lines end in CRLF");
	CHECK(b64_decode(b, &back) == 0 && back.len == sizeof data &&
	          memcmp(back.data, data, sizeof data) == 0,
	      "base64 decodes back (%zu bytes)", back.len);
	free(b);
	buf_free(&back);
	b = mail_base64_encode("ab", 2);
	CHECK_STR(b, "YWI=\r\n", "padding");
	free(b);
	b = mail_base64_encode("", 0);
	CHECK_STR(b, "", "empty");
	free(b);
}

static void test_date_and_addresses(void)
{
	char err[512], *a;
	char **v = NULL;
	size_t n = 0, cap = 0, i;

	a = mail_addr_spec("김민지 <minji@example.org>");
	CHECK_STR(a, "minji@example.org", "address inside <>");
	free(a);
	a = mail_addr_spec("ops@example.org");
	CHECK_STR(a, "ops@example.org", "bare address");
	free(a);
	CHECK(mail_addr_spec("no-at-sign") == NULL, "no @ refused");
	CHECK(mail_addr_spec("a@b\r\nBcc: x@y") == NULL, "CRLF refused");
	CHECK(mail_addr_spec("a b@c") == NULL, "space refused");

	CHECK(mail_split_addresses("\"Kim, Minji\" <minji@example.org>, ops@example.org", &v, &n,
	                           &cap, err) == 0 &&
	          n == 2,
	      "split keeps a quoted comma: %zu", n);
	CHECK(n == 2 && strcmp(v[1], "ops@example.org") == 0, "second address");
	for (i = 0; i < n; i++)
		free(v[i]);
	n = 0;
	CHECK(mail_split_addresses("ok@example.org, nonsense", &v, &n, &cap, err) != 0,
	      "a bad address in a list fails");
	CHECK(strstr(err, "nonsense") != NULL, "the error names it: %s", err);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void test_build(void)
{
	const char *to[] = {"김민지 <minji@example.org>", "ops@example.org"};
	struct mail_msg m;
	char err[512] = "", *msg;
	size_t len = 0;
	int bare;

	memset(&m, 0, sizeof m);
	m.from = "News Digest <digest@example.org>";
	m.to = to;
	m.nto = 2;
	m.subject = korean_long;
	m.id_host = "news.example.org";
	m.date = 1795896000;
	m.text = "hello\n";
	m.html = "<p>hello</p>\n";
	m.list_unsubscribe = "mailto:u@example.org, https://news.example.org/unsubscribe";
	msg = mail_build(&m, &len, err);
	CHECK(msg != NULL, "mail_build: %s", err);
	if (msg) {
		CHECK(len == strlen(msg), "length");
		CHECK(longest_line(msg, &bare) <= 78, "message lines <= 78: %zu",
		      longest_line(msg, &bare));
		CHECK(!bare, "every line ends in CRLF");
		CHECK(strstr(msg, "\r\nMIME-Version: 1.0\r\n") != NULL, "MIME-Version");
		CHECK(strstr(msg, "Message-ID: <") != NULL && strstr(msg, "@news.example.org>"),
		      "Message-ID with the host");
		CHECK(strstr(msg, "List-Unsubscribe: <mailto:u@example.org>,") != NULL,
		      "List-Unsubscribe in angle brackets");
		CHECK(strstr(msg, "multipart/alternative") != NULL, "multipart/alternative");
		CHECK(strstr(msg, "text/plain") < strstr(msg, "text/html"), "text part first");
		free(msg);
	}
	m.list_unsubscribe = "https://x.example.org/u\r\nBcc: victim@example.org";
	msg = mail_build(&m, &len, err);
	CHECK(msg == NULL, "a List-Unsubscribe with CRLF is refused");
	free(msg);
}

static void test_wrap(void)
{
	char *w;

	w = digest_wrap("[12] one two three four five six seven eight nine ten eleven twelve "
	                "thirteen fourteen\n",
	                40);
	CHECK_STR(w,
	          "[12] one two three four five six seven\n"
	          "     eight nine ten eleven twelve\n"
	          "     thirteen fourteen\n",
	          "hanging indent under [N]");
	free(w);
	w = digest_wrap(
	    "[1] https://example.com/a/very/long/url/that/does/not/fit/in/forty/columns\n", 40);
	CHECK_STR(w, "[1] https://example.com/a/very/long/url/that/does/not/fit/in/forty/columns\n",
	          "a URL is never broken, not even after [N]");
	free(w);
	/* Hangul is two columns wide: 10 syllables = 20 columns. */
	w = digest_wrap("    가나다라마 바사아자차 카타파하가 나다라마바\n", 20);
	CHECK_STR(w, "    가나다라마\n    바사아자차\n    카타파하가\n    나다라마바\n",
	          "wide characters count two");
	free(w);
	w = digest_wrap("trailing   \n-- \n", 72);
	CHECK_STR(w, "trailing\n-- \n", "trailing spaces dropped, signature separator kept");
	free(w);
}

static void test_subject(void)
{
	char *s = digest_subject("{site} {date}: {stories} {unknown} {top}", "연예", "2026-11-29",
	                         1, "daily", "A\nB", NULL);

	CHECK_STR(s, "연예 2026-11-29: 1 story {unknown} A B", "subject placeholders");
	free(s);
	s = digest_subject("{count} new", "x", "d", 12, "p", NULL, "en");
	CHECK_STR(s, "12 new", "count");
	free(s);
	s = digest_subject("{site}: {stories}", "연예", "d", 5, "p", NULL, "ko");
	CHECK_STR(s, "연예: 기사 5건", "{stories} in Korean (language = ko)");
	free(s);
}

int main(void)
{
	test_header_ascii();
	test_header_korean();
	test_qp();
	test_base64();
	test_date_and_addresses();
	test_build();
	test_wrap();
	test_subject();
	return tap_done();
}

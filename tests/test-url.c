/*
 * test-url.c - unit test for src/url.c.
 *
 * Data-driven resolution cases in $TESTDATA/urls/resolve.tsv (every example
 * of RFC 3986 section 5.4, normal and abnormal, then our own: IRI encoding,
 * escapes, bases without path, NULL bases), then what a TSV cannot hold
 * (embedded tabs and newlines, controls, NULL), url_scheme,
 * url_is_safe_link (javascript: spellings), url_is_http and url_host.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

static void check_resolve(const char *base, const char *ref, const char *want, const char *what)
{
	char *got = url_resolve(base, ref);
	char msg[1200];

	snprintf(msg, sizeof(msg), "%s: resolve [%s] against [%s]", what, ref ? ref : "(null)",
	         base ? base : "(null)");
	CHECK_STR(got, want, msg);
	free(got);
}

static int run_file(const char *name)
{
	const char *dir = getenv("TESTDATA");
	char err[ERR_MAX], where[600];
	struct buf b = BUF_INIT;
	char *path, *line, *next;
	int lineno = 0, count = 0;

	path = path_join(dir ? dir : "tests/data", name);
	if (file_read(path, 1 << 20, &b, err) < 0) {
		CHECK(0, "reading %s: %s", path, err);
		goto out;
	}
	for (line = b.data; line && *line; line = next) {
		char *f[4] = {NULL, NULL, NULL, NULL};
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		if (line[0] == '#' || line[0] == 0)
			continue;
		f[0] = line;
		for (i = 1; i < 4 && f[i - 1]; i++) {
			f[i] = strchr(f[i - 1], '\t');
			if (f[i])
				*f[i]++ = 0;
		}
		if (f[2] == NULL) {
			CHECK(0, "%s:%d: fewer than 3 columns", name, lineno);
			continue;
		}
		snprintf(where, sizeof(where), "%s:%d (%s)", name, lineno, f[3] ? f[3] : "");
		check_resolve(strcmp(f[0], "(null)") == 0 ? NULL : f[0], f[1], f[2], where);
		count++;
	}
out:
	buf_free(&b);
	free(path);
	return count;
}

static void check_special_resolve(void)
{
	const char *base = "http://Example.com/dir/page.html";

	CHECK(url_resolve(base, NULL) == NULL, "NULL ref gives NULL");
	CHECK(url_resolve(NULL, NULL) == NULL, "NULL ref, NULL base gives NULL");
	check_resolve(NULL, "  http://a/b  \n", "http://a/b", "surrounding white space");
	check_resolve(base, " \t/pa\tth\n/x\r ", "http://example.com/path/x",
	              "tabs and newlines removed (WHATWG)");
	check_resolve(base, "\x01\x02 x \x7f", "http://example.com/dir/x%20%7F",
	              "leading controls trimmed, DEL encoded");
	check_resolve(base,
	              "a\x01"
	              "b",
	              "http://example.com/dir/a%01b", "embedded control encoded");
	check_resolve(base, "\xff\xfe", "http://example.com/dir/%FF%FE", "invalid UTF-8 encoded");
	check_resolve(base, "", "http://example.com/dir/page.html", "empty ref");
	check_resolve(base, "   ", "http://example.com/dir/page.html", "blank ref");
	check_resolve("  http://a/b/c \n", "d", "http://a/b/d", "base cleaned too");
	check_resolve("http://a/b c/d", "e", "http://a/b%20c/e", "base with a space");
}

static void check_scheme(void)
{
	static const struct {
		const char *url, *want;
	} cases[] = {
	    {"HTTP://x", "http"},
	    {"https:", "https"},
	    {"a+b.c-d:x", "a+b.c-d"},
	    {" JavaScript:alert(1)", "javascript"},
	    {"java\tscript:x", "javascript"},
	    {"java\nscript:x", "javascript"},
	    {"jav&#x61;script:x", ""},
	    {"+a:b", ""},
	    {"1a:b", ""},
	    {":x", ""},
	    {"http", ""},
	    {"", ""},
	    {"/a:b", ""},
	    {"abcdefghijklmno:x", "abcdefghijklmno"},
	    {"abcdefghijklmnop:x", ""},
	};
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 'X', sizeof(buf));
		url_scheme(cases[i].url, buf);
		CHECK(memchr(buf, 0, sizeof(buf)) != NULL && strcmp(buf, cases[i].want) == 0,
		      "url_scheme [%s]: got [%.16s], want [%s]", cases[i].url, buf, cases[i].want);
	}
	url_scheme(NULL, buf);
	CHECK(buf[0] == 0, "url_scheme(NULL) gives \"\"");
}

static void check_safe(void)
{
	static const struct {
		const char *url;
		int safe, http;
	} cases[] = {
	    {"http://x/", 1, 1},
	    {"HTTPS://x/", 1, 1},
	    {"mailto:a@b", 1, 0},
	    {"MailTo:a@b", 1, 0},
	    {"ht\ttp://x/", 1, 1}, /* a browser reads it as http */
	    {"javascript:alert(1)", 0, 0},
	    {" JavaScript:alert(1)", 0, 0},
	    {"java\tscript:alert(1)", 0, 0},
	    {"\x01javascript:alert(1)", 0, 0},
	    {"jav&#x61;script:alert(1)", 0, 0},
	    {"vbscript:msgbox", 0, 0},
	    {"data:text/html,<script>", 0, 0},
	    {"file:///etc/passwd", 0, 0},
	    {"ftp://x/", 0, 0},
	    {"feed://x/", 0, 0},
	    {"httpx://x/", 0, 0},
	    {"/relative", 0, 0}, /* no scheme: unsafe (callers pass resolved URLs) */
	    {"relative", 0, 0},
	    {"//x/", 0, 0},
	    {"", 0, 0},
	    {"http", 0, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(!!url_is_safe_link(cases[i].url) == cases[i].safe,
		      "url_is_safe_link [%s]: want %d", cases[i].url, cases[i].safe);
		CHECK(!!url_is_http(cases[i].url) == cases[i].http, "url_is_http [%s]: want %d",
		      cases[i].url, cases[i].http);
	}
	CHECK(!url_is_safe_link(NULL), "url_is_safe_link(NULL) is 0");
	CHECK(!url_is_http(NULL), "url_is_http(NULL) is 0");
}

static void check_host(void)
{
	static const struct {
		const char *url, *want;
	} cases[] = {
	    {"http://Example.COM/p", "example.com"},
	    {"HTTPS://User:Pass@Example.COM:8443/p?q#f", "example.com"},
	    {"http://a@b@c.d/", "c.d"},
	    {"http://x.y?q", "x.y"},
	    {"http://x.y#f", "x.y"},
	    {"http://x.y", "x.y"},
	    {"http://[2001:DB8::1]:8080/", "[2001:db8::1]"},
	    {"http://[::1]", "[::1]"},
	    {"http://[::1/", NULL},
	    {"http:///path", NULL},
	    {"http://:80/", NULL},
	    {"http://user@/", NULL},
	    {"http:x.y", NULL},
	    {"mailto:a@b.c", NULL},
	    {"ftp://x.y/", NULL},
	    {"relative/x", NULL},
	    {"", NULL},
	    /* what fetch.c groups by and the digest's From and Message-ID use */
	    {"https://digest:s3cret@News.Example.ORG:8443/", "news.example.org"},
	    {"https://news.example.org/", "news.example.org"},
	    {"http://EXAMPLE.com.:80/x", "example.com."},
	    {"http://x.y\\path", "x.y"},
	    {"http://x.y /path", "x.y"},
	    {"http://[::FFFF:192.0.2.1]:80/", "[::ffff:192.0.2.1]"},
	    {"http://u@[::1]/", "[::1]"},
	    {"file:///tmp/feed.xml", NULL},
	    {"file://localhost/tmp/feed.xml", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = url_host(cases[i].url), msg[300];

		snprintf(msg, sizeof(msg), "url_host [%s]", cases[i].url);
		CHECK_STR(got, cases[i].want, msg);
		free(got);
	}
	CHECK(url_host(NULL) == NULL, "url_host(NULL) is NULL");
}

/* Logins in URLs: the password never survives url_redact(). */
static void check_redact(void)
{
	static const struct {
		const char *url, *redacted, *stripped;
	} cases[] = {
	    {"https://reader:hunter2@members.example.com/feed.xml",
	     "https://reader@members.example.com/feed.xml", "https://members.example.com/feed.xml"},
	    {"https://reader@h/f", "https://reader@h/f", "https://h/f"},
	    {"https://h/f?u=a:b@c", "https://h/f?u=a:b@c", "https://h/f?u=a:b@c"},
	    {"https://u:p@ss@h:8080?x#y", "https://u@h:8080?x#y", "https://h:8080?x#y"},
	    {"http://:pw@h/", "http://@h/", "http://h/"},
	    {"https://h/a@b", "https://h/a@b", "https://h/a@b"},
	    {"mailto:a@b", "mailto:a@b", "mailto:a@b"},
	    {"file:///tmp/f.xml", "file:///tmp/f.xml", "file:///tmp/f.xml"},
	    {"", "", ""},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = url_redact(cases[i].url), *s = url_strip_login(cases[i].url), msg[300];

		snprintf(msg, sizeof(msg), "url_redact [%s]", cases[i].url);
		CHECK_STR(r, cases[i].redacted, msg);
		snprintf(msg, sizeof(msg), "url_strip_login [%s]", cases[i].url);
		CHECK_STR(s, cases[i].stripped, msg);
		free(r);
		free(s);
	}
	CHECK(url_redact(NULL) == NULL, "url_redact(NULL) is NULL");
}

/* A resolved URL is a fixed point: resolving it again changes nothing. */
static void check_idempotent(void)
{
	static const char *const refs[] = {"블로그/글 1?q=한 글#x y", "a%20b%zz", "../a/./b/../c",
	                                   "//Host.Example/x y",      "a#b#c",    "\"<>"};
	size_t i;

	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		char *once = url_resolve("http://h/d/", refs[i]);
		char *twice = url_resolve("http://h/d/", once);

		CHECK_STR(twice, once, refs[i]);
		free(once);
		free(twice);
	}
}

int main(void)
{
	int n = run_file("urls/resolve.tsv");

	CHECK(n >= 42 + 30, "urls/resolve.tsv: %d cases", n);
	check_special_resolve();
	check_scheme();
	check_safe();
	check_host();
	check_redact();
	check_idempotent();
	return tap_done();
}

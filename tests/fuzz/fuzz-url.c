/*
 * fuzz-url.c - url_resolve() and the URL predicates on any pair of strings
 * (the input is "base\nref"; no newline: ref alone, base NULL).
 * Properties: an absolute result, resolved once more, is a fixed point: it
 * resolves to itself against the same base and against none. (Once more,
 * because RFC 3986 5.2.2 keeps a base's dot segments for an empty or
 * query-only reference: "" against "http://a/./b" is "http://a/./b", which
 * resolves again to "http://a/b".) url_host() of an http(s) result is
 * lower case. The rewriting functions (url_canonical, url_redact,
 * url_strip_login, url_untracked) run on the result and on the raw input,
 * under the sanitizers; a redacted URL keeps no password.
 */
#include <string.h>

#include "fuzz.h"
#include "url.h"
#include "util/xmalloc.h"

static void rewrite(const char *u)
{
	char *c = url_canonical(u), *red = url_redact(u), *s = url_strip_login(u),
	     *t = url_untracked(u);

	if (red && url_has_password(red))
		fuzz_fail("\"%s\" redacted keeps a password: \"%s\"", u, red);
	free(c);
	free(red);
	free(s);
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *nl, *base = NULL, *ref, *r, *again, *host, scheme[16];
	const char *c;

	if (size > 8192)
		return 0;
	in = xstrndup((const char *)data, size);
	ref = in;
	nl = strchr(in, '\n');
	if (nl) {
		*nl = '\0';
		base = in;
		ref = nl + 1;
	}
	r = url_resolve(base, ref);
	if (r == NULL)
		fuzz_fail("url_resolve returned NULL");
	url_scheme(r, scheme);
	if (scheme[0]) {
		again = url_resolve(base, r);
		free(r);
		r = again;
		again = url_resolve(base, r);
		if (strcmp(again, r) != 0)
			fuzz_fail("base \"%s\" ref \"%s\": \"%s\" resolves again to \"%s\"",
			          base ? base : "(null)", ref, r, again);
		free(again);
		again = url_resolve(NULL, r);
		if (strcmp(again, r) != 0)
			fuzz_fail("\"%s\" alone resolves to \"%s\"", r, again);
		free(again);
	}
	(void)url_is_safe_link(r);
	host = url_is_http(r) ? url_host(r) : NULL;
	for (c = host; c && *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			fuzz_fail("host \"%s\" of \"%s\" is not lower case", host, r);
	free(host);
	rewrite(r);
	rewrite(ref);
	free(r);
	free(in);
	return 0;
}

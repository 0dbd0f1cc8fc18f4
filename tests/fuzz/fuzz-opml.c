/*
 * fuzz-opml.c - opml_read_memory() on any bytes.
 * Properties: every subscription read is absolute http, https or file with
 * a category; opml_write() of what was read reads back to at most as many
 * subscriptions, and from the second round on to exactly as many. (Not
 * from the first: "FEED://Host.example/x" is kept beside
 * "feed://host.example/x" because the feed:// rewrite skips url_resolve()'s
 * host lower-casing, and the written http:// forms are then duplicates.)
 */
#include <string.h>

#include "fuzz.h"
#include "opml.h"
#include "parse.h"
#include "url.h"
#include "util/err.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	parse_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sublist l, back;
	char err[ERR_MAX], scheme[16], *out;
	size_t i;

	if (size > (1u << 20))
		return 0;
	memset(&l, 0, sizeof l);
	memset(&back, 0, sizeof back);
	if (opml_read_memory((const char *)data, size, "http://example.com/lists/a.opml", &l,
	                     err) == 0) {
		for (i = 0; i < l.n; i++) {
			url_scheme(l.v[i].url, scheme);
			if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0 &&
			    strcmp(scheme, "file") != 0)
				fuzz_fail("subscription with scheme \"%s\": %s", scheme,
				          l.v[i].url);
			if (l.v[i].category == NULL)
				fuzz_fail("subscription without a category: %s", l.v[i].url);
		}
		out = opml_write(&l, "fuzz");
		if (opml_read_memory(out, strlen(out), "http://example.com/lists/a.opml", &back,
		                     err) != 0)
			fuzz_fail("opml_write output does not read back: %s", err);
		if (back.n > l.n)
			fuzz_fail("%zu subscriptions written, %zu read back", l.n, back.n);
		free(out);
		out = opml_write(&back, "fuzz");
		sublist_free(&l);
		memset(&l, 0, sizeof l);
		if (opml_read_memory(out, strlen(out), "http://example.com/lists/a.opml", &l,
		                     err) != 0)
			fuzz_fail("opml_write output does not read back: %s", err);
		if (back.n != l.n)
			fuzz_fail("second round: %zu subscriptions written, %zu read back", back.n,
			          l.n);
		free(out);
	}
	sublist_free(&back);
	sublist_free(&l);
	return 0;
}

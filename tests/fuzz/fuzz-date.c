/*
 * fuzz-date.c - date_parse() on any string.
 * Property: a date it accepts, formatted as RFC 3339 and as RFC 822, parses
 * back to the same instant.
 */
#include <string.h>

#include "date.h"
#include "fuzz.h"
#include "util/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[DATE_MAX];
	int64_t t, back;

	if (size > 4096)
		return 0;
	s = xstrndup((const char *)data, size);
	if (date_parse(s, &t) == 0) {
		date_format_rfc3339(t, buf);
		if (date_parse(buf, &back) != 0 || back != t)
			fuzz_fail("\"%s\" -> %lld -> \"%s\" does not parse back", s, (long long)t,
			          buf);
		date_format_rfc822(t, buf);
		if (date_parse(buf, &back) != 0 || back != t)
			fuzz_fail("\"%s\" -> %lld -> \"%s\" does not parse back", s, (long long)t,
			          buf);
	}
	free(s);
	return 0;
}

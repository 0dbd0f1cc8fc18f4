/*
 * lang.c - language tags in canonical form (see lang.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/lang.h"
#include "util/xmalloc.h"

static int alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether t (n bytes, '_' already '-') is a tag: primary 2-3 letters, subtags 1-8 alnum. */
static int well_formed(const char *t, size_t n)
{
	size_t i, run = 0, part = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || t[i] == '-') {
			if (run == 0 || (part == 0 && run != 2 && run != 3))
				return 0;
			run = 0;
			part++;
		} else if (alpha(t[i]) || (part > 0 && digit(t[i]))) {
			if (++run > 8)
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

char *lang_tag(const char *s)
{
	size_t n, i, part, start;
	char *t;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || n > 64)
		return NULL;
	t = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		t[i] = s[i] == '_' ? '-' : s[i];
	t[n] = '\0';
	if (!well_formed(t, n)) {
		free(t);
		return NULL;
	}
	for (start = 0, part = 0; start < n; part++) {
		size_t len = strcspn(t + start, "-");
		int script = part > 0 && len == 4 && alpha(t[start]);

		for (i = start; i < start + len; i++) {
			int up = (part > 0 && len == 2) || (script && i == start);

			if (up && t[i] >= 'a' && t[i] <= 'z')
				t[i] = (char)(t[i] - 'a' + 'A');
			else if (!up && t[i] >= 'A' && t[i] <= 'Z')
				t[i] = (char)(t[i] - 'A' + 'a');
		}
		start += len + 1;
	}
	return t;
}

/*
 * entity.c - HTML's named character references (see entity.h): a binary
 * search over the generated table in html-entities.h.
 */
#include <string.h>

#include "xml/entity.h"
#include "xml/html-entities.h"

int entity_lookup(const char *name, size_t len, unsigned long cp[2])
{
	size_t lo = 0, hi = sizeof html_entities / sizeof html_entities[0];

	if (len == 0 || len > HTML_ENTITY_NAME_MAX)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *e = html_entities[mid].name;
		int c = strncmp(name, e, len);

		if (c == 0 && e[len] != '\0')
			c = -1; /* name is a proper prefix of e */
		if (c == 0) {
			cp[0] = html_entities[mid].cp[0];
			cp[1] = html_entities[mid].cp[1];
			return 1;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

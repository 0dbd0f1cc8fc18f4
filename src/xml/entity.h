/*
 * entity.h - HTML's named character references (&nbsp;, &hellip;, ...).
 *
 * The whole HTML5 set, as browsers read it (src/xml/html-entities.h, generated
 * from the WHATWG list). parse.c turns them into text before libxml2 reads
 * a feed; the sanitizer decodes them in HTML fragments.
 */
#ifndef AGG_ENTITY_H
#define AGG_ENTITY_H

#include <stddef.h>

/*
 * The code points of the reference name[0..len) (without '&' and ';',
 * case-sensitive) in cp[0] and cp[1] (0 when it is one code point).
 * Returns 1, or 0 when HTML has no such reference.
 */
int entity_lookup(const char *name, size_t len, unsigned long cp[2]);

#endif

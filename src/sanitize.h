/*
 * sanitize.h - HTML from feeds, made safe to put on a page or in a mail.
 *
 * An allowlist sanitizer that reads HTML as libxml2's HTML parser builds
 * it (its tree rules, without building the tree): only known-harmless
 * elements and attributes survive; script, style, iframe, object, embed,
 * form, meta and base go with their content; no on* or style attributes;
 * URL attributes keep only http, https and mailto (whatever the spelling:
 * entities, whitespace, case), and relative ones are made absolute. The
 * output is well-formed (XHTML-compatible) markup and sanitizing it again
 * changes nothing.
 */
#ifndef AGG_SANITIZE_H
#define AGG_SANITIZE_H

#include <stddef.h>

/* Returns the sanitized fragment (malloc'd, never NULL; "" for nothing). */
char *sanitize_html(const char *html, size_t len, const char *base);

/*
 * sanitize_html() that also gives, from the same parse, what
 * sanitize_text(out) (*text, malloc'd) and sanitize_first_image(out, NULL)
 * (*first_image, malloc'd or NULL) would give for its output out. Either
 * pointer may be NULL when that result is not wanted.
 */
char *sanitize_html_ex(const char *html, size_t len, const char *base, char **text,
                       char **first_image);

/*
 * SANITIZE_ABSOLUTE: a URL that is still relative once resolved against
 * base (there was no absolute base) is dropped, as it would otherwise point
 * into whatever site shows the fragment: an <a> keeps its text without the
 * href, an <img> goes.
 */
#define SANITIZE_ABSOLUTE 1

/* sanitize_html_ex() with flags (SANITIZE_ABSOLUTE, or 0: the same). */
char *sanitize_html_opts(const char *html, size_t len, const char *base, int flags, char **text,
                         char **first_image);

/* Returns the plain text of an HTML fragment: tags dropped, entities decoded,
 * whitespace collapsed, trimmed (malloc'd, never NULL). */
char *sanitize_text(const char *html, size_t len);

/* The src of the first <img> with an http(s) URL, resolved against base, or NULL. */
char *sanitize_first_image(const char *html, size_t len, const char *base);

#endif

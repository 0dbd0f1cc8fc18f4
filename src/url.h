/*
 * url.h - URLs: RFC 3986 resolution, IRI encoding, scheme policy.
 *
 * Feed URLs are untrusted text. url_resolve() trims surrounding whitespace,
 * percent-encodes what cannot appear in a URI (non-ASCII bytes of an IRI,
 * spaces, controls), and resolves a reference against a base per RFC 3986
 * section 5 (dot segments removed).
 */
#ifndef AGG_URL_H
#define AGG_URL_H

/*
 * Returns the absolute form of ref against base (base may be NULL; ref is
 * then returned encoded as it is). NULL only when ref is NULL.
 */
char *url_resolve(const char *base, const char *ref);

/* The lower-cased scheme of url into buf (16 bytes), or "" when it has none. */
void url_scheme(const char *url, char *buf);

/* Non-zero for http, https and mailto: the only links we publish. */
int url_is_safe_link(const char *url);

/* Non-zero for http and https. */
int url_is_http(const char *url);

/* The lower-cased host of an http(s) URL (no port, no userinfo), or NULL. */
char *url_host(const char *url);

#endif

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

/*
 * The form of an http(s) URL that names an article whatever address it was
 * reached by, for deduplication (never for fetching or publishing): no
 * scheme (http and https are one), host lower-cased without "www." or
 * "amp." in front, no userinfo, no default port (80, 443), no fragment;
 * path with dot segments removed, %xx in upper case, no trailing '/' and
 * AMP variants mapped to the article ("/amp/", a final "/amp", ".amp.html");
 * query without tracking parameters (utm_*, fbclid, gclid, mc_cid, mc_eid,
 * igshid, ref_src and the like) or amp=1, the rest sorted. For example
 * "HTTPS://www.Example.com:443/a/b/?utm_source=x&z=1&a=2#top" becomes
 * "example.com/a/b?a=2&z=1". NULL when url is not an absolute http(s) URL.
 */
char *url_canonical(const char *url);

/*
 * url with the password of its userinfo removed ("https://user:pw@host/x"
 * becomes "https://user@host/x"), malloc'd: the form of a subscription URL
 * that may be printed or published. Any other URL is returned as it is;
 * NULL for NULL.
 */
char *url_redact(const char *url);

/* Non-zero when url carries a password (what url_redact() removes). */
int url_has_password(const char *url);

/* The same with the whole userinfo removed ("https://host/x"): a base for
 * the links of a fetched document, so that none of them carries a login. */
char *url_strip_login(const char *url);

/*
 * url as it is, without the tracking parameters of its query (the ones
 * url_canonical() drops; a '?' with nothing left goes too): the article's
 * link as it is published. Not http(s): a copy of url. NULL for NULL.
 */
char *url_untracked(const char *url);

#endif

/*
 * publish-id.c - the published id of a story: the one rule, here.
 *
 * Before each publish, every story that can be shown and has no published
 * id yet gets one (store_publish_ids()), which the store keeps with it from
 * then on: through guid rewrites, link changes, updates in place, a new
 * lead, re-clustering, retention of other members and rebuilds. The id is
 *
 *   1. the source's own id (guid, atom:id) when it is an absolute IRI
 *      (RFC 3987: a scheme, ':', no space, control or "<>{}|\^`) that no
 *      other story has already taken, else
 *   2. tag:HOST,DATE:feed-F/KEY (RFC 4151), HOST the host of the site's
 *      link (localhost without one) and DATE the day the database was
 *      made (app.c fixes it), both fixed in the store the first time, F the feed's number in
 *      the store and KEY the source's id, percent-encoded: unique because a
 *      feed's entry ids are.
 *
 * So a database from before published ids keeps the ids it published that
 * were absolute IRIs and unique, and only the others change, once. Atom's
 * atom:id, RSS guid and JSON Feed id all carry it (atom.c writes it, the
 * templates copy it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publish-int.h"
#include "url.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct minting {
	const char *host;
	const char *date;
};

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int publish_id_is_iri(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int hashes = 0;

	if (s == NULL || !is_alpha(*p))
		return 0;
	while (is_alpha(*p) || (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':' || p[1] == '\0')
		return 0;
	for (p++; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f || strchr("<>\"{}|\\^`", *p))
			return 0;
		if (*p == '%' && !(is_hex(p[1]) && is_hex(p[2])))
			return 0;
		if (*p == '#' && ++hashes > 1)
			return 0;
	}
	return 1;
}

/* key with everything but RFC 3986's unreserved characters percent-encoded. */
static void put_key(struct buf *b, const char *key)
{
	const unsigned char *p;

	for (p = (const unsigned char *)key; *p; p++) {
		if (is_alpha(*p) || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

static char *propose(void *arg, int64_t feed_id, const char *key, int attempt)
{
	const struct minting *m = arg;
	struct buf b = BUF_INIT;

	if (attempt == 0)
		return publish_id_is_iri(key) ? xstrdup(key) : NULL;
	if (attempt > 1)
		return NULL;
	buf_printf(&b, "tag:%s,%s:feed-%lld/", m->host, m->date, (long long)feed_id);
	put_key(&b, key ? key : "");
	return buf_detach(&b);
}

int publish_ids(struct run *r, char *err)
{
	char *host = url_host(r->o->link), *fixed_host = NULL, *date = NULL;
	struct minting m;
	size_t minted;
	int rc = -1;

	if (host &&
	    (host[0] == '\0' || host[strspn(host, "abcdefghijklmnopqrstuvwxyz0123456789-.")])) {
		free(host); /* not a DNS name (an IPv6 literal): RFC 4151 needs one */
		host = NULL;
	}

	if (store_site_fixed(r->s, "tag_host", host ? host : "localhost", &fixed_host, err) != 0 ||
	    store_site_fixed(r->s, "tag_date", NULL, &date, err) != 0)
		goto out;
	m.host = fixed_host;
	m.date = date ? date : "2024-01-01";
	rc = store_publish_ids(r->s, propose, &m, r->o->now, &minted, err);
out:
	free(host);
	free(fixed_host);
	free(date);
	return rc;
}

/*
 * model.h - the in-memory model every stage speaks: feed, entry, link,
 * person, category, enclosure.
 *
 * parse fills it from XML; normalize rewrites it in place (titles to plain
 * text, HTML sanitized, ids and dates settled); store saves and loads it;
 * atom writes it out. Every string is owned by the struct that holds it and
 * is freed by feed_free()/entry_free(). Times are seconds since the epoch,
 * UTC; 0 means "unknown".
 */
#ifndef AGG_MODEL_H
#define AGG_MODEL_H

#include <stddef.h>
#include <stdint.h>

enum text_type {
	TEXT_PLAIN = 0, /* plain text */
	TEXT_HTML,      /* an HTML fragment (escaped in the XML) */
	TEXT_XHTML,     /* serialized XHTML markup (Atom type="xhtml", div removed) */
};

/* An Atom text construct, or its RSS equivalent. */
struct text {
	char *value; /* NULL when absent */
	enum text_type type;
	char *base; /* the URL relative references inside value resolve against */
	char *lang; /* xml:lang in force, or NULL */
};

struct link {
	char *href; /* absolute */
	char *rel;  /* "alternate" when the source had none */
	char *type;
	char *title;
	int64_t length;
};

struct person {
	char *name;
	char *email;
	char *uri;
};

struct category {
	char *term;
	char *scheme;
	char *label;
};

/*
 * A media object (RSS <enclosure>, Media RSS media:content, an Atom
 * rel="enclosure" link, a JSON Feed attachment): its length in bytes and
 * its duration in seconds (0: unknown), its Media RSS medium ("image",
 * "audio", "video", "document" or "executable"; NULL: unknown).
 */
struct enclosure {
	char *url;
	char *type;
	int64_t length;
	int width, height; /* an image's or video's pixels (Media RSS), 0: unknown */
	int64_t duration;
	char *medium;
};

/* Another source of the same story (see struct entry's also). */
struct entry_also {
	char *title;
	char *url;
	char *source; /* the feed's title */
};

struct entry {
	char *id;         /* stable id: guid/atom:id, else derived (normalize) */
	char *link;       /* the main alternate link, absolute */
	char *link_canon; /* url_canonical() of the article's link (normalize), or NULL */
	int origin; /* 1: the article is on its own feed's site, not a syndicated copy (normalize)
	             */
	struct text title;   /* plain text after normalization */
	struct text summary; /* sanitized HTML after normalization */
	struct text content; /* sanitized HTML after normalization */
	char *excerpt;       /* plain-text excerpt of summary or content (normalize) */
	int64_t published;
	int64_t updated;
	int date_is_seen; /* 1: no date in the feed; updated is when we first saw it */
	char *comments;   /* RSS comments URL */
	char *thumbnail;  /* an image URL (Media RSS, iTunes, enclosure) */
	char *lang;
	char *source_title; /* RSS <source> / Atom <source>: where the entry came from */
	char *source_url;

	struct link *links;
	size_t nlinks, caplinks;
	struct person *authors;
	size_t nauthors, capauthors;
	struct person *contributors;
	size_t ncontributors, capcontributors;
	struct category *categories;
	size_t ncategories, capcategories;
	struct enclosure *enclosures;
	size_t nenclosures, capenclosures;

	/* Filled by the store when an entry is loaded for publishing. */
	char *pub_id;   /* the story's published id (store_publish_ids()), or NULL before one */
	char *pub_path; /* its page's path under the output (store_publish_paths()), or NULL */
	int64_t first_seen;
	int64_t place;       /* where it is listed: see store.h */
	char *feed_category; /* the subscription's category */
	int64_t changed_at;  /* when a stored entry last changed in place, 0: never */
	char *changed;       /* what changed then: "title", "content", "updated", space-separated */
	struct entry_also *also; /* when it leads a story cluster: the other sources */
	size_t nalso, capalso;
};

struct feed {
	char *url; /* where it was fetched from (final URL) */
	char *id;
	char *link; /* the site's home page */
	struct text title;
	struct text subtitle;
	char *icon;
	char *logo;
	char *lang;
	char *generator;
	char *rights;
	int64_t updated;
	int ttl_minutes;    /* RSS <ttl>, 0 when absent */
	int update_seconds; /* sy:updatePeriod x sy:updateFrequency, 0 when absent */

	struct link *links;
	size_t nlinks, caplinks;
	struct person *authors;
	size_t nauthors, capauthors;
	struct category *categories;
	size_t ncategories, capcategories;

	struct entry **entries;
	size_t nentries, capentries;

	/* What parsing had to leave out, one line each ("...\n"), or NULL:
	 * said by the command, naming the feed. */
	char *warnings;
};

struct feed *feed_new(void);
void feed_free(struct feed *f);
/* Appends a new empty entry to f and returns it (owned by f). */
struct entry *feed_add_entry(struct feed *f);

struct entry *entry_new(void);
void entry_free(struct entry *e);

/* Append to an entry's or feed's lists; strings are copied, NULL allowed. */
struct link *entry_add_link(struct entry *e, const char *href, const char *rel, const char *type);
struct person *entry_add_author(struct entry *e, const char *name, const char *email,
                                const char *uri);
struct person *entry_add_contributor(struct entry *e, const char *name, const char *email,
                                     const char *uri);
struct category *entry_add_category(struct entry *e, const char *term, const char *scheme,
                                    const char *label);
struct enclosure *entry_add_enclosure(struct entry *e, const char *url, const char *type,
                                      int64_t length);
struct link *feed_add_link(struct feed *f, const char *href, const char *rel, const char *type);
struct person *feed_add_author(struct feed *f, const char *name, const char *email,
                               const char *uri);
struct category *feed_add_category(struct feed *f, const char *term, const char *scheme,
                                   const char *label);

/* Sets a text construct (copies value, base and lang; any may be NULL). */
void text_set(struct text *t, const char *value, enum text_type type, const char *base,
              const char *lang);
void text_clear(struct text *t);

#endif

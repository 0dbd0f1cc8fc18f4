/*
 * test-atom.c - atom.c: the model written as Atom 1.0.
 *
 * Builds feeds with the model constructors (Korean text, HTML with < & >,
 * people with only an email, hostile bytes, missing dates and links),
 * serializes them, reads the result back with XPath to check what was
 * written, and validates each document with xmllint against RFC 4287's
 * RELAX NG schema ($TESTDATA/atom.rng).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "atom.h"
#include "tap.h"
#include "util/lang.h"
#include "util/xmalloc.h"

static const char *testdata, *xmllint;

/* Writes doc to a temporary file and validates it; returns xmllint's status. */
static int validate(const char *xml, size_t len, const char *what)
{
	char path[] = "/tmp/test-atom-XXXXXX";
	char *cmd;
	int fd = mkstemp(path), rc;
	FILE *fp;

	if (fd < 0)
		return -1;
	fp = fdopen(fd, "w");
	fwrite(xml, 1, len, fp);
	fclose(fp);
	cmd = xasprintf("'%s' --noout --relaxng '%s/atom.rng' '%s' 2>'%s.err'", xmllint, testdata,
	                path, path);
	rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		cmd = xasprintf("cat '%s.err' >&2", path);
		if (system(cmd) != 0)
			fprintf(stderr, "(no xmllint output)\n");
		free(cmd);
		fprintf(stderr, "%s: xmllint rejected:\n%s\n", what, xml);
	}
	cmd = xasprintf("%s.err", path);
	unlink(cmd);
	free(cmd);
	unlink(path);
	return rc;
}

/* The string value of an XPath expression over the serialized document. */
static char *xpath_str(const char *xml, size_t len, const char *expr)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "t.xml", NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr obj;
	char *out = NULL;

	if (doc == NULL)
		return xstrdup("(not well-formed)");
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST ATOM_NS);
	xmlXPathRegisterNs(ctx, BAD_CAST "agg", BAD_CAST ATOM_AGG_NS);
	xmlXPathRegisterNs(ctx, BAD_CAST "media", BAD_CAST ATOM_MEDIA_NS);
	obj = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	if (obj) {
		xmlChar *s = xmlXPathCastToString(obj);
		out = xstrdup((char *)s);
		xmlFree(s);
		xmlXPathFreeObject(obj);
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

#define CHECK_XPATH(xml, len, expr, want)                                                          \
	do {                                                                                       \
		char *got_ = xpath_str(xml, len, expr);                                            \
		CHECK_STR(got_, want, expr);                                                       \
		free(got_);                                                                        \
	} while (0)

static void test_full_feed(void)
{
	struct feed *f = feed_new();
	struct entry *e;
	struct link *l;
	xmlDocPtr doc;
	char *xml;
	size_t len;

	f->url = xstrdup("https://example.com/feed.xml");
	f->link = xstrdup("https://example.com/");
	text_set(&f->title, "연예 뉴스 & <가십>", TEXT_PLAIN, NULL, NULL);
	text_set(&f->subtitle, "<b>bold</b> news", TEXT_HTML, NULL, NULL);
	f->lang = xstrdup("ko-KR");
	f->icon = xstrdup("https://example.com/favicon.ico");
	f->generator = xstrdup("WordPress");
	f->rights = xstrdup("(c) 2024 & co");
	f->updated = 1714564800; /* 2024-05-01T12:00:00Z */
	feed_add_link(f, "https://example.com/", "alternate", "text/html");
	feed_add_link(f, "https://hub.example.com/", "hub", NULL);
	feed_add_author(f, NULL, "editor@example.com", NULL);
	feed_add_category(f, "k-pop", "https://example.com/tags", "K-Pop");

	e = feed_add_entry(f);
	e->id = xstrdup("tag:example.com,2024:1");
	e->link = xstrdup("https://example.com/1?a=1&b=2");
	text_set(&e->title, "아이유 새 앨범 <발표>", TEXT_PLAIN, NULL, NULL);
	text_set(&e->summary, "<p>요약 &amp; more</p>", TEXT_HTML, NULL, NULL);
	text_set(&e->content, "<p>a &lt; b &amp;&amp; c &gt; d</p>", TEXT_HTML, NULL, NULL);
	e->excerpt = xstrdup("a < b && c > d");
	e->thumbnail = xstrdup("https://img.example.com/1.jpg");
	e->comments = xstrdup("https://example.com/1#comments");
	e->published = 1714560000;
	e->updated = 1714564800;
	e->first_seen = 1714565000;
	e->feed_category = xstrdup("K-Pop");
	e->lang = xstrdup("ko");
	entry_add_author(e, "홍길동", "hong@example.com", "https://example.com/hong");
	entry_add_contributor(e, NULL, "only@example.com", NULL);
	entry_add_category(e, "music", NULL, NULL);
	entry_add_category(e, NULL, NULL, NULL); /* nothing to write */
	l = entry_add_link(e, "https://example.com/1/related", "related", "text/html");
	l->title = xstrdup("Related \"story\"");
	l->length = 42;
	entry_add_link(e, "https://example.com/1?a=1&b=2", "alternate", NULL); /* duplicate */
	entry_add_link(e, "https://example.com/bad-type", "related", "nonsense");
	entry_add_enclosure(e, "https://cdn.example.com/a.mp3", "audio/mpeg", 12345)->duration = 61;
	e->enclosures[0].medium = xstrdup("audio");
	entry_add_enclosure(e, "https://cdn.example.com/b.bin", NULL, 0); /* nothing to add */

	/* No dates at all, no link, no content: must still be valid Atom. */
	e = feed_add_entry(f);
	e->id = xstrdup("urn:x:2");
	text_set(&e->title, "bad \x01 bytes \xff\xfe here", TEXT_PLAIN, NULL, NULL);
	text_set(&e->summary, "only a summary", TEXT_PLAIN, NULL, NULL);
	e->first_seen = 1714000000;
	e->date_is_seen = 1;
	e->lang = xstrdup("not a language!");
	e->source_title = xstrdup("Original & Co");
	e->source_url = xstrdup("https://orig.example.com/rss");
	entry_add_author(e, NULL, "not-an-email", NULL);

	/* Nothing at all. */
	feed_add_entry(f);

	doc = atom_feed_doc(f);
	CHECK(doc != NULL, "atom_feed_doc returned NULL");
	xml = atom_serialize(doc, &len);
	CHECK(len == strlen(xml), "length %zu vs strlen %zu", len, strlen(xml));
	CHECK(strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38) == 0,
	      "starts with an XML declaration: %.60s", xml);
	CHECK(validate(xml, len, "full feed") == 0, "full feed validates against atom.rng");

	CHECK_XPATH(xml, len, "string(/a:feed/a:title)", "연예 뉴스 & <가십>");
	CHECK_XPATH(xml, len, "string(/a:feed/a:title/@type)", "text");
	CHECK_XPATH(xml, len, "string(/a:feed/a:subtitle/@type)", "html");
	CHECK_XPATH(xml, len, "string(/a:feed/a:id)", "https://example.com/feed.xml");
	CHECK_XPATH(xml, len, "string(/a:feed/a:updated)", "2024-05-01T12:00:00Z");
	CHECK_XPATH(xml, len, "string(/a:feed/@xml:lang)", "ko-KR");
	CHECK_XPATH(xml, len, "string(/a:feed/a:link[@rel='self']/@href)",
	            "https://example.com/feed.xml");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:link[@rel='alternate']))", "1");
	CHECK_XPATH(xml, len, "string(/a:feed/a:link[@rel='hub']/@href)",
	            "https://hub.example.com/");
	CHECK_XPATH(xml, len, "string(/a:feed/a:author/a:name)", "editor@example.com");
	CHECK_XPATH(xml, len, "string(/a:feed/a:category/@label)", "K-Pop");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:entry))", "3");

	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:title)", "아이유 새 앨범 <발표>");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:content)",
	            "<p>a &lt; b &amp;&amp; c &gt; d</p>");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:content/@type)", "html");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:published)", "2024-05-01T10:40:00Z");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:link[@rel='alternate']/@href)",
	            "https://example.com/1?a=1&b=2");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:entry[1]/a:link[@rel='alternate']))", "1");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:link[@rel='related'][1]/@title)",
	            "Related \"story\"");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:link[@rel='related'][1]/@length)", "42");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:link[@rel='related'][2]/@type)", "");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:link[@rel='enclosure']/@length)",
	            "12345");
	/* an enclosure's medium and duration: Media RSS, which Atom's link has no room for */
	CHECK_XPATH(xml, len,
	            "concat(count(/a:feed/a:entry[1]/media:content), ' ',"
	            " /a:feed/a:entry[1]/media:content/@url, ' ',"
	            " /a:feed/a:entry[1]/media:content/@fileSize, ' ',"
	            " /a:feed/a:entry[1]/media:content/@medium, ' ',"
	            " /a:feed/a:entry[1]/media:content/@duration)",
	            "1 https://cdn.example.com/a.mp3 12345 audio 61");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:contributor/a:name)",
	            "only@example.com");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:entry[1]/a:category))", "1");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/agg:excerpt)", "a < b && c > d");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/media:thumbnail/@url)",
	            "https://img.example.com/1.jpg");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/agg:category)", "K-Pop");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/agg:first-seen)", "2024-05-01T12:03:20Z");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:entry[1]/agg:date-is-seen))", "0");

	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[2]/a:title)",
	            "bad  bytes \xef\xbf\xbd\xef\xbf\xbd here");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[2]/a:updated)", "2024-04-24T23:06:40Z");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[2]/agg:date-is-seen)", "1");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[2]/@xml:lang)", "");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[2]/a:content)", "only a summary");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[2]/a:author/a:name)", "not-an-email");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:entry[2]/a:author/a:email))", "0");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[2]/a:source/a:title)", "Original & Co");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[2]/a:source/a:link[@rel='self']/@href)",
	            "https://orig.example.com/rss");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[3]/a:id)", "urn:aggregator:unknown");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[3]/a:updated)", "1970-01-01T00:00:00Z");
	free(xml);
	xmlFreeDoc(doc);
	feed_free(f);
}

/* The publish path: a head, then entries each with atom:source. */
static void test_planet(void)
{
	struct feed *head = feed_new(), *src = feed_new();
	struct entry *e = entry_new();
	xmlDocPtr doc;
	char *xml;
	size_t len;

	text_set(&head->title, "Planet", TEXT_PLAIN, NULL, NULL);
	head->id = xstrdup("https://planet.example/");
	head->link = xstrdup("https://planet.example/");

	src->url = xstrdup("https://blog.example/feed");
	src->link = xstrdup("https://blog.example/");
	text_set(&src->title, "블로그", TEXT_PLAIN, NULL, NULL);
	src->updated = 1714564800;

	e->id = xstrdup("urn:e:1");
	e->link = xstrdup("https://blog.example/1");
	text_set(&e->title, "Hello", TEXT_PLAIN, NULL, NULL);
	e->updated = 1714564800;
	e->first_seen = 1714564800;

	doc = atom_doc_new(head);
	atom_add_entry(doc, e, src);
	atom_add_entry(doc, e, NULL);
	xml = atom_serialize(doc, &len);
	CHECK(validate(xml, len, "planet") == 0, "planet validates against atom.rng");
	CHECK_XPATH(xml, len, "string(/a:feed/a:updated)", "1970-01-01T00:00:00Z");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:link[@rel='self']))", "0");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:entry))", "2");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:source/a:id)",
	            "https://blog.example/feed");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:source/a:title)", "블로그");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:source/a:link[@rel='alternate']/@href)",
	            "https://blog.example/");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:source/a:link[@rel='self']/@href)",
	            "https://blog.example/feed");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:source/a:updated)",
	            "2024-05-01T12:00:00Z");
	CHECK_XPATH(xml, len, "string(/a:feed/a:entry[1]/a:source/a:author/a:name)", "블로그");
	CHECK_XPATH(xml, len, "string(count(/a:feed/a:entry[2]/a:source))", "0");
	free(xml);
	xmlFreeDoc(doc);
	entry_free(e);
	feed_free(src);
	feed_free(head);
}

/* Language tags as the outputs write them (util/lang.h). */
static void test_lang_tag(void)
{
	static const char *const cases[][2] = {
	    {"en", "en"},
	    {"EN-us", "en-US"},
	    {"ko_kr", "ko-KR"},
	    {" ko-KR\n", "ko-KR"},
	    {"zh-hant-tw", "zh-Hant-TW"},
	    {"de-at-1996", "de-AT-1996"},
	    {"es-419", "es-419"},
	    {"sr-latn", "sr-Latn"},
	    {"fil", "fil"},
	    {"English", NULL},
	    {"e", NULL},
	    {"kr, en", NULL},
	    {"en--us", NULL},
	    {"en-", NULL},
	    {"12", NULL},
	    {"en-toolongsub", NULL},
	    {"", NULL},
	    {"   ", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = lang_tag(cases[i][0]);

		if (cases[i][1] == NULL)
			CHECK(got == NULL, "lang_tag(\"%s\") is no tag, got %s", cases[i][0], got);
		else
			CHECK(got && strcmp(got, cases[i][1]) == 0, "lang_tag(\"%s\") = %s, got %s",
			      cases[i][0], cases[i][1], got ? got : "NULL");
		free(got);
	}
	CHECK(lang_tag(NULL) == NULL, "lang_tag(NULL)");
}

int main(void)
{
	testdata = getenv("TESTDATA");
	xmllint = getenv("XMLLINT");
	if (testdata == NULL)
		testdata = "tests/data";
	if (xmllint == NULL || strcmp(xmllint, "no") == 0 || xmllint[0] == '\0')
		xmllint = "xmllint";
	test_full_feed();
	test_planet();
	test_lang_tag();
	xmlCleanupParser();
	return tap_done();
}

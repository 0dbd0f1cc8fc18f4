/*
 * test-bound.c - tests of the cut before any tree is built (src/xml/bound.c).
 *
 * A table: a document, the entry cap, the document the readers get, and
 * what the warning says ("" for none). What the scanner must not be fooled
 * by (an <item> in a comment, CDATA, an attribute value or a DOCTYPE) is
 * pinned here, since a miscount would lose entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "xml/bound.h"

struct bound_case {
	const char *name;
	const char *in;
	size_t max;
	const char *want;
	const char *warn;
};

static const struct bound_case cases[] = {
    {"whole document: untouched", "<rss><channel><item>a</item><item>b</item></channel></rss>", 5,
     "<rss><channel><item>a</item><item>b</item></channel></rss>", ""},
    {"cap: cut before the first entry too many, the rest closed",
     "<rss><channel><item>a</item><item>b</item><item>c</item></channel></rss>", 2,
     "<rss><channel><item>a</item><item>b</item></channel></rss>", ""},
    {"atom cap",
     "<feed xmlns='http://www.w3.org/2005/Atom'><entry/><entry>x</entry><entry>y</entry></feed>", 1,
     "<feed xmlns='http://www.w3.org/2005/Atom'><entry/><entry>x</entry></feed>", ""},
    {"prefixed entries count", "<rdf:RDF><rss:item>a</rss:item><rss:item>b</rss:item></rdf:RDF>", 1,
     "<rdf:RDF><rss:item>a</rss:item></rdf:RDF>", ""},
    {"truncated inside an entry: the entry dropped",
     "<rss><channel><item><title>ok</title></item><item><title>partial</title><link>http://e.co", 0,
     "<rss><channel><item><title>ok</title></item></channel></rss>", "ends inside an entry"},
    {"truncated inside a tag", "<rss><channel><item>ok</item><item><title>partial</ti", 0,
     "<rss><channel><item>ok</item></channel></rss>", "kept the 1 complete entry"},
    {"truncated between entries: all kept, said", "<rss><channel><item>ok</item>", 0,
     "<rss><channel><item>ok</item></channel></rss>", "ends before </rss>"},
    {"<item> in a comment, CDATA, attribute and DOCTYPE is no entry",
     "<!DOCTYPE rss [<!ENTITY e \"<item>\">]><rss><channel><!-- <item> -->"
     "<item><description><![CDATA[<item>x</item>]]></description></item>"
     "<item a='<item>' b=\"x>y\">b</item></channel></rss>",
     2,
     "<!DOCTYPE rss [<!ENTITY e \"<item>\">]><rss><channel><!-- <item> -->"
     "<item><description><![CDATA[<item>x</item>]]></description></item>"
     "<item a='<item>' b=\"x>y\">b</item></channel></rss>",
     ""},
    {"an item inside an item is not another entry",
     "<rss><channel><item><x><item>in</item></x></item><item>2</item></channel></rss>", 1,
     "<rss><channel><item><x><item>in</item></x></item></channel></rss>", ""},
    {"unclosed HTML inside an entry: the end tag closes it",
     "<rss><channel><item><p>open<br></item><item>2</item></channel></rss>", 1,
     "<rss><channel><item><p>open<br></item></channel></rss>", ""},
    {"ends in a comment's opening: read no further than the text",
     "<rss><channel><item>1</item><!-", 0, "<rss><channel><item>1</item><!-</channel></rss>",
     "ends before </rss>"},
    {"ends in a CDATA opening", "<rss><channel><item>1</item><![CDA", 0,
     "<rss><channel><item>1</item><![CDA</channel></rss>", "ends before </rss>"},
    {"a stray end tag is ignored", "<rss><channel></x><item>1</item></channel></rss>", 0,
     "<rss><channel></x><item>1</item></channel></rss>", ""},
};

static void deep(void)
{
	struct buf in = BUF_INIT, out = BUF_INIT, w = BUF_INIT;
	const char *got;
	size_t len, i;

	buf_puts(&in, "<rss><channel><item>1</item><item>");
	for (i = 0; i < 300; i++)
		buf_puts(&in, "<d>");
	for (i = 0; i < 300; i++)
		buf_puts(&in, "</d>");
	buf_puts(&in, "</item><item>3</item></channel></rss>");
	got = bound_xml(in.data, in.len, 0, &out, &len, &w);
	CHECK(len == strlen("<rss><channel><item>1</item></channel></rss>") &&
	          strncmp(got, "<rss><channel><item>1</item></channel></rss>", len) == 0,
	      "nesting over 256: cut before the entry it is in: %.*s", (int)(len > 80 ? 80 : len),
	      got);
	CHECK(w.data && strstr(w.data, "levels of nested elements") &&
	          strstr(w.data, "kept the 1 "),
	      "nesting over 256: said, with what was kept: %s", w.data ? w.data : "(nothing)");
	buf_free(&in);
	buf_free(&out);
	buf_free(&w);
}

static void dense(void)
{
	struct buf in = BUF_INIT, out = BUF_INIT, w = BUF_INIT;
	size_t len, i;

	buf_puts(&in, "<rss><channel>");
	for (i = 0; i < 3000; i++)
		buf_puts(&in, "<item><t a='1' b='2'/></item>");
	for (i = 0; i < BOUND_MAX_NODES; i++)
		buf_puts(&in, "<x/>");
	buf_puts(&in, "</channel></rss>");
	bound_xml(in.data, in.len, 0, &out, &len, &w);
	CHECK(w.data && strstr(w.data, "elements and attributes") &&
	          strstr(w.data, "kept the 3000 "),
	      "too many nodes: said, with what was kept: %s", w.data ? w.data : "(nothing)");
	CHECK(len < in.len && out.data && strstr(out.data, "</channel></rss>"),
	      "too many nodes: cut and closed");
	buf_free(&in);
	buf_free(&out);
	buf_free(&w);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct bound_case *c = &cases[i];
		struct buf out = BUF_INIT, w = BUF_INIT;
		size_t len, inlen = strlen(c->in);
		/* exactly the document's bytes, no NUL after them: a read past the
		 * end is caught under AddressSanitizer */
		char *in = xmalloc(inlen ? inlen : 1);
		const char *got;

		memcpy(in, c->in, inlen);
		got = bound_xml(in, inlen, c->max, &out, &len, &w);

		CHECK(len == strlen(c->want) && strncmp(got, c->want, len) == 0,
		      "%s:\n  got  %.*s\n  want %s", c->name, (int)len, got, c->want);
		if (*c->warn)
			CHECK(w.data && strstr(w.data, c->warn), "%s: warning [%s] says [%s]",
			      c->name, w.data ? w.data : "", c->warn);
		else
			CHECK(w.len == 0, "%s: no warning, got [%s]", c->name, w.data);
		buf_free(&out);
		buf_free(&w);
		free(in);
	}
	deep();
	dense();
	return tap_done();
}

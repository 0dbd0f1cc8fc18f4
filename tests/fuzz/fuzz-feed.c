/*
 * fuzz-feed.c - the feed pipeline as `aggregator parse` runs it: parse_feed()
 * on any bytes, normalize_feed(), then atom_feed_doc() + atom_serialize().
 * Property: whatever went in, what comes out is well-formed XML that
 * libxml2 reads back without error.
 */
#include <libxml/parser.h>
#include <string.h>

#include "atom.h"
#include "fuzz.h"
#include "normalize.h"
#include "parse.h"
#include "util/err.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	parse_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks a declared Content-Type, as fetch would pass it. */
	static const char *const types[] = {NULL, "application/rss+xml; charset=iso-8859-1",
	                                    "text/xml; charset=utf-16", "application/atom+xml"};
	struct parse_opts po;
	struct feed *f;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc, back;
	char err[ERR_MAX], *out;
	size_t len = 0;

	if (size < 1 || size > (1u << 20))
		return 0;
	memset(&po, 0, sizeof po);
	po.base = "http://example.com/feeds/main.xml";
	po.content_type = types[data[0] & 3];
	po.max_entries = 200;
	f = parse_feed((const char *)data + 1, size - 1, &po, err);
	if (f == NULL) {
		if (err[0] == '\0')
			fuzz_fail("parse_feed returned NULL without an error");
		return 0;
	}
	if (f->nentries > 200)
		fuzz_fail("%zu entries kept, max_entries is 200", f->nentries);
	normalize_feed(f, 1700000000);
	doc = atom_feed_doc(f);
	out = atom_serialize(doc, &len);
	ctxt = xmlNewParserCtxt();
	back = xmlCtxtReadMemory(ctxt, out, (int)len, NULL, "UTF-8",
	                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (back == NULL || !ctxt->wellFormed)
		fuzz_fail("serialized Atom is not well-formed: %s",
		          ctxt->lastError.message ? ctxt->lastError.message : "?");
	xmlFreeDoc(back);
	xmlFreeParserCtxt(ctxt);
	xmlFreeDoc(doc);
	free(out);
	feed_free(f);
	return 0;
}

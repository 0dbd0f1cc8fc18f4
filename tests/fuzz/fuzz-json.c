/*
 * fuzz-json.c - the JSON Feed reader (parse-json.c) through parse_feed()
 * as `aggregator parse` runs it, then normalize_feed() and the Atom
 * serializer. The input is always read as JSON: a '{' is put in front of
 * bytes that do not start with one. Property: parse_feed() either fails
 * with an error or gives a feed whose Atom libxml2 reads back well-formed,
 * with no more entries than max_entries.
 */
#include <libxml/parser.h>
#include <stdlib.h>
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
	struct parse_opts po;
	struct feed *f;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc, back;
	char err[ERR_MAX], *out, *in;
	size_t len = 0;

	if (size > (1u << 20))
		return 0;
	in = malloc(size + 1);
	if (in == NULL)
		return 0;
	in[0] = '{';
	memcpy(in + 1, data, size);
	memset(&po, 0, sizeof po);
	po.base = "http://example.com/feeds/feed.json";
	po.content_type = "application/feed+json";
	po.max_entries = 50;
	f = parse_feed(size && data[0] == '{' ? in + 1 : in,
	               size && data[0] == '{' ? size : size + 1, &po, err);
	free(in);
	if (f == NULL) {
		if (err[0] == '\0')
			fuzz_fail("parse_feed returned NULL without an error");
		return 0;
	}
	if (f->nentries > 50)
		fuzz_fail("%zu entries kept, max_entries is 50", f->nentries);
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

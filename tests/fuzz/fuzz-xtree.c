/*
 * fuzz-xtree.c - the fast XML reader against libxml2 (src/xml/xtree.c).
 * Property, as parse.c uses the two: on any valid UTF-8 input the fast
 * reader accepts, its tree is the tree libxml2 builds of the repaired
 * input (repair_xml(), which parse.c skips for what the fast reader
 * takes), compared as xtree_dump() text and as serialized root children;
 * and the same for the repaired input itself.
 */
#include <string.h>

#include "xml/encoding.h"
#include "fuzz.h"
#include "parse.h"
#include "xml/repair.h"
#include "xml/xtree.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	parse_init();
	return 0;
}

static void compare(const struct buf *a, const struct buf *b, const char *what)
{
	size_t i = 0;

	if (a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0))
		return;
	while (i < a->len && i < b->len && a->data[i] == b->data[i])
		i++;
	fuzz_fail("%s differs at byte %zu: fast \"%.60s\", libxml2 \"%.60s\"", what, i,
	          a->data ? a->data + i : "", b->data ? b->data + i : "");
}

/* The fast reader on xml against libxml2 on ref (see the top). */
static void check(const char *xml, size_t len, const char *ref, size_t rlen, const char *what)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct xtree *fast = xtree_read_fast(xml, len), *slow;

	if (fast == NULL)
		return;
	slow = xtree_read_libxml(ref, rlen);
	if (slow == NULL)
		fuzz_fail("%s: the fast reader accepted a document libxml2 finds no root in", what);
	xtree_dump(fast, &a);
	xtree_dump(slow, &b);
	compare(&a, &b, what);
	buf_reset(&a);
	buf_reset(&b);
	xtree_inner_xml(xtree_root(fast), &a);
	xtree_inner_xml(xtree_root(slow), &b);
	compare(&a, &b, what);
	buf_free(&a);
	buf_free(&b);
	xtree_free(fast);
	xtree_free(slow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf rb = BUF_INIT;
	const char *r;
	size_t rlen;

	if (size > (1u << 20) || !encoding_valid_utf8((const char *)data, size))
		return 0;
	r = repair_xml((const char *)data, size, &rb, &rlen);
	check((const char *)data, size, r, rlen, "the document as it came");
	check(r, rlen, r, rlen, "the repaired document");
	buf_free(&rb);
	return 0;
}

/*
 * fuzz-xtree.c - the fast XML reader against libxml2 (src/xtree.c).
 * Property: on any valid UTF-8 input the fast reader accepts, the tree it
 * builds is the tree libxml2 builds (compared as xtree_dump() text), both
 * serialize the root's children alike, and repair_xml() first (which
 * parse.c skips for what the fast reader takes) would change nothing.
 */
#include <string.h>

#include "encoding.h"
#include "fuzz.h"
#include "parse.h"
#include "repair.h"
#include "xtree.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct xtree *fast, *slow;

	if (size > (1u << 20) || !encoding_valid_utf8((const char *)data, size))
		return 0;
	fast = xtree_read_fast((const char *)data, size);
	if (fast == NULL)
		return 0;
	slow = xtree_read_libxml((const char *)data, size);
	if (slow == NULL)
		fuzz_fail("the fast reader accepted a document libxml2 finds no root in");
	xtree_dump(fast, &a);
	xtree_dump(slow, &b);
	compare(&a, &b, "tree");
	buf_reset(&a);
	buf_reset(&b);
	xtree_inner_xml(xtree_root(fast), &a);
	xtree_inner_xml(xtree_root(slow), &b);
	compare(&a, &b, "inner XML");
	xtree_free(slow);
	/* parse.c reads fast before repairing: repairing first must change nothing */
	{
		struct buf rb = BUF_INIT;
		size_t rlen;
		const char *r = repair_xml((const char *)data, size, &rb, &rlen);
		buf_reset(&a);
		buf_reset(&b);
		slow = xtree_read_libxml(r, rlen);
		if (slow == NULL)
			fuzz_fail(
			    "the fast reader accepted a document that has no root once repaired");
		xtree_dump(fast, &a);
		xtree_dump(slow, &b);
		compare(&a, &b, "tree after repair_xml()");
		xtree_free(slow);
		buf_free(&rb);
	}
	buf_free(&a);
	buf_free(&b);
	xtree_free(fast);
	return 0;
}

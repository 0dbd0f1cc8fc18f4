/*
 * test-xtree.c - tests of the XML tree the feed readers see (src/xml/xtree.c).
 *
 * Data-driven: every $TESTDATA/xtree/NAME.xml is read with xtree_read() and
 * its xtree_dump() compared byte for byte with NAME.out. A case named
 * fast-* must be taken by the fast reader, a case named slow-* must be left
 * to libxml2 (so each rule that sends a document to libxml2 is pinned).
 *
 * Then the differential check, on every case and on every feed file under
 * $TESTDATA (and the feedparser suite in ../shared/conformance, when it is
 * there): wherever the fast reader accepts a document, its tree is the one
 * libxml2 builds of the repaired document (parse.c skips repair_xml() for
 * what the fast reader takes), and the serialized children of the root
 * are what libxml2's xmlNodeDump() writes. The same on the repaired
 * document, which is what the fast reader gets when the first try fails.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "xml/encoding.h"
#include "parse.h"
#include "xml/repair.h"
#include "tap.h"
#include "xml/xtree.h"

static char *dump_of(const struct xtree *t)
{
	struct buf b = BUF_INIT;

	xtree_dump(t, &b);
	return buf_detach(&b);
}

/* xmlNodeDump() of the root's children, as libxml2 itself writes them. */
static char *libxml_inner(const char *xml, size_t len)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL,
	                              XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                  XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
	                                  XML_PARSE_COMPACT | XML_PARSE_IGNORE_ENC);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL, c;
	char *s;

	/* with a document encoding, attribute values keep their UTF-8 as it is */
	if (doc && doc->encoding == NULL)
		doc->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	for (c = root ? root->children : NULL; c; c = c->next)
		xmlNodeDump(xb, doc, c, 0, 0);
	s = strdup((const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	xmlFreeDoc(doc);
	return s;
}

/*
 * The fast reader's tree of xml[0..len), if it takes it, against libxml2's
 * tree of ref (which xtree_read_fast() must equal), and its serialized
 * root children against xmlNodeDump(). Returns 1 when the fast reader took it.
 */
static int compare_with(const char *what, const char *xml, size_t len, const char *ref, size_t rlen)
{
	struct xtree *fast = xtree_read_fast(xml, len), *slow;
	struct buf inner = BUF_INIT;
	char *a, *b, *want;

	if (fast == NULL)
		return 0;
	slow = xtree_read_libxml(ref, rlen);
	CHECK(slow != NULL, "%s: fast reader accepted what libxml2 finds no root in", what);
	a = dump_of(fast);
	b = dump_of(slow);
	CHECK(strcmp(a, b) == 0, "%s: trees differ\n--- fast\n%s--- libxml2\n%s", what, a, b);
	xtree_inner_xml(xtree_root(fast), &inner);
	want = libxml_inner(ref, rlen);
	CHECK(strcmp(inner.data ? inner.data : "", want) == 0,
	      "%s: inner XML differs from xmlNodeDump\n  got  [%s]\n  want [%s]", what,
	      inner.data ? inner.data : "", want);
	free(want);
	buf_free(&inner);
	free(a);
	free(b);
	xtree_free(slow);
	xtree_free(fast);
	return 1;
}

/*
 * The differential check on one document, as parse.c reads it: the fast
 * reader on the document as it came must give libxml2's tree of the
 * repaired document; and on the repaired document (what xtree_read() is
 * given when the first try fails), libxml2's tree of that same document.
 * Returns 1 when the fast reader took the document as it came.
 */
static int differential(const char *what, const char *xml, size_t len)
{
	struct buf rb = BUF_INIT;
	char what2[4300];
	size_t rlen;
	const char *r;
	int taken;

	if (!encoding_valid_utf8(xml, len))
		return 0; /* parse_feed() makes every document UTF-8 first */
	r = repair_xml(xml, len, &rb, &rlen);
	taken = compare_with(what, xml, len, r, rlen);
	snprintf(what2, sizeof what2, "%s (repaired)", what);
	compare_with(what2, r, rlen, r, rlen);
	buf_free(&rb);
	return taken;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_cases(const char *data)
{
	char dir[4096], path[4200];
	char *names[256];
	size_t count = 0, i;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/xtree", data);
	d = opendir(dir);
	CHECK(d != NULL, "cannot open %s", dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && count < 256) {
		size_t n = strlen(de->d_name);
		if (n > 4 && strcmp(de->d_name + n - 4, ".xml") == 0)
			names[count++] = strndup(de->d_name, n - 4);
	}
	closedir(d);
	qsort(names, count, sizeof names[0], by_name);
	CHECK(count >= 10, "only %zu cases in %s", count, dir);
	for (i = 0; i < count; i++) {
		char *in, *want, *got;
		size_t inlen, wantlen;
		struct xtree *t, *fast;

		snprintf(path, sizeof path, "%s/%s.xml", dir, names[i]);
		in = tap_read_all(path, &inlen);
		snprintf(path, sizeof path, "%s/%s.out", dir, names[i]);
		want = tap_read_all(path, &wantlen);
		CHECK(in && want, "%s: cannot read the case", names[i]);
		if (in && want) {
			t = xtree_read(in, inlen);
			got = dump_of(t);
			CHECK(strcmp(got, want) == 0, "%s:\n--- got\n%s--- want\n%s", names[i], got,
			      want);
			fast = xtree_read_fast(in, inlen);
			if (strncmp(names[i], "fast-", 5) == 0)
				CHECK(fast != NULL, "%s: the fast reader did not take it",
				      names[i]);
			if (strncmp(names[i], "slow-", 5) == 0)
				CHECK(fast == NULL, "%s: the fast reader took it", names[i]);
			/* libxml2 stopped at its depth limit: the tree says so */
			if (strstr(names[i], "deeper-than-libxml2"))
				CHECK(xtree_stopped(t) && strstr(xtree_stopped(t), "depth"),
				      "%s: why libxml2 stopped: %s", names[i],
				      xtree_stopped(t) ? xtree_stopped(t) : "(not said)");
			else
				CHECK(xtree_stopped(t) == NULL, "%s: libxml2 stopped: %s", names[i],
				      xtree_stopped(t));
			differential(names[i], in, inlen);
			free(got);
			xtree_free(t);
			xtree_free(fast);
		}
		free(in);
		free(want);
		free(names[i]);
	}
}

/* The differential check on every .xml and .atom file under dir. */
static void walk(const char *dir, size_t *files, size_t *fast, int depth)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL || depth > 8) {
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char path[4200];
		struct stat st;
		size_t n = strlen(de->d_name), len;
		char *xml;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, files, fast, depth + 1);
			continue;
		}
		if (!(n > 4 && strcmp(de->d_name + n - 4, ".xml") == 0) &&
		    !(n > 5 && strcmp(de->d_name + n - 5, ".atom") == 0))
			continue;
		if ((xml = tap_read_all(path, &len)) == NULL)
			continue;
		(*files)++;
		*fast += (size_t)differential(path, xml, len);
		free(xml);
	}
	closedir(d);
}

int main(void)
{
	const char *data = getenv("TESTDATA");
	char shared[4200];
	size_t files = 0, fast = 0;
	struct stat st;

	if (data == NULL)
		data = "tests/data";
	xmlInitParser();
	parse_init();
	run_cases(data);
	walk(data, &files, &fast, 0);
	printf("# %zu of %zu test files taken by the fast reader\n", fast, files);
	CHECK(files > 50 && fast * 2 > files, "the fast reader took only %zu of %zu files", fast,
	      files);
	/* the feedparser suite, when the shared folder is beside the project */
	snprintf(shared, sizeof shared, "%s/../../../shared/conformance/feedparser-tests", data);
	if (stat(shared, &st) == 0) {
		files = fast = 0;
		walk(shared, &files, &fast, 0);
		printf("# %zu of %zu feedparser suite files taken by the fast reader\n", fast,
		       files);
		CHECK(fast * 2 > files, "the fast reader took only %zu of %zu suite files", fast,
		      files);
	}
	xmlCleanupParser();
	return tap_done();
}

/*
 * floor.c - the benchmark floor: read each file given on the command line
 * and parse it into a libxml2 tree (xmlReadMemory + xmlFreeDoc), nothing
 * more. No feed parser built on libxml2's DOM can be much faster than this;
 * bench/run.py quotes every other figure as a ratio to it.
 *
 * usage: floor FILE...   prints "N files, B bytes, F failed"
 * The flags are the safe ones the aggregator must use anyway (no network,
 * no entity expansion); errors are counted, not printed.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL, *p;
	size_t cap = 0, n = 0, r;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			p = realloc(data, cap);
			if (p == NULL) {
				free(data);
				fclose(fp);
				return NULL;
			}
			data = p;
		}
		r = fread(data + n, 1, cap - n, fp);
		if (r == 0)
			break;
		n += r;
	}
	fclose(fp);
	*len = n;
	return data;
}

int main(int argc, char **argv)
{
	unsigned long long bytes = 0;
	int i, files = 0, failed = 0;

	LIBXML_TEST_VERSION
	for (i = 1; i < argc; i++) {
		size_t len = 0;
		char *data = read_all(argv[i], &len);
		xmlDocPtr doc;

		if (data == NULL || len > 0x7fffffff) {
			fprintf(stderr, "floor: %s: cannot read\n", argv[i]);
			free(data);
			failed++;
			continue;
		}
		doc = xmlReadMemory(data, (int)len, NULL, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (doc == NULL)
			failed++;
		xmlFreeDoc(doc);
		free(data);
		bytes += len;
		files++;
	}
	xmlCleanupParser();
	printf("%d files, %llu bytes, %d failed\n", files, bytes, failed);
	return failed ? 1 : 0;
}

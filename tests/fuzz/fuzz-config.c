/*
 * fuzz-config.c - config_load() on any bytes, written to a file in a
 * private temporary folder (config.c reads files only). The folder holds
 * nothing else, so the default feeds glob matches nothing; an input that
 * sets feeds to a glob of its own is skipped (globbing / is slow, not a bug).
 * Property: a config that loads has the documented invariants (a link
 * ending in '/', positive limits); one that fails says why.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "parse.h"
#include "util/err.h"

static char dir[64], path[96];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	parse_init();
	snprintf(dir, sizeof dir, "/tmp/fuzz-config.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/aggregator.conf", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c;
	char err[ERR_MAX];
	FILE *fp;
	size_t n;

	if (size > 65536)
		return 0;
	if (memmem(data, size, "feeds", 5) && (memchr(data, '*', size) || memchr(data, '?', size)))
		return 0;
	fp = fopen(path, "wb");
	if (fp == NULL)
		fuzz_fail("cannot write %s", path);
	if (fwrite(data, 1, size, fp) != size)
		fuzz_fail("short write to %s", path);
	fclose(fp);
	err[0] = '\0';
	c = config_load(path, err);
	if (c == NULL) {
		if (err[0] == '\0')
			fuzz_fail("config_load failed without an error");
		return 0;
	}
	n = strlen(c->link);
	if (n == 0 || c->link[n - 1] != '/')
		fuzz_fail("link \"%s\" does not end in '/'", c->link);
	if (c->max_size <= 0 || c->concurrency <= 0 || c->max_feed_entries <= 0)
		fuzz_fail("a limit is not positive");
	config_free(c);
	return 0;
}

/*
 * fetch-probe.c - runs fetch_run() on the URLs given and prints each result.
 *
 * A test driver for tests/test-fetch.py: options set struct fetch_opts and
 * the validators sent, and each result becomes one tab-separated line, in
 * completion order, with these fields (backslash escapes for tab, newline,
 * backslash and other bytes outside printable ASCII):
 *
 *   url ok status body_len body_crc32 body_prefix etag last_modified
 *   content_type final_url permanent_url retry_after cache_control expires
 *   seconds error
 *
 * Absent strings are empty. body_prefix is the first --prefix bytes (64).
 * The probe also checks that done() was called exactly once per request and
 * exits 3 if not; it exits 2 on a usage error and 1 when fetch_run fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fetch.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct probe {
	size_t prefix;
	int *calls;
	const struct fetch_req *reqs;
};

static void put_field(const char *s, size_t len)
{
	size_t i;

	for (i = 0; s && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\\')
			fputs("\\\\", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void put_str(const char *s)
{
	putchar('\t');
	put_field(s, s ? strlen(s) : 0);
}

static void on_done(void *arg, const struct fetch_req *req, const struct fetch_res *res)
{
	struct probe *p = arg;
	size_t len = res->body.len;
	uLong crc = crc32(0L, Z_NULL, 0);

	p->calls[req - p->reqs]++;
	if (len)
		crc = crc32(crc, (const Bytef *)res->body.data, (uInt)len);
	put_field(req->url, strlen(req->url));
	printf("\t%d\t%ld\t%zu\t%08lx\t", res->ok, res->status, len, (unsigned long)crc);
	put_field(res->body.data, len < p->prefix ? len : p->prefix);
	put_str(res->etag);
	put_str(res->last_modified);
	put_str(res->content_type);
	put_str(res->final_url);
	put_str(res->permanent_url);
	put_str(res->retry_after);
	put_str(res->cache_control);
	put_str(res->expires);
	printf("\t%.3f", res->seconds);
	put_str(res->error);
	putchar('\n');
	fflush(stdout);
}

static int usage(void)
{
	fputs("usage: fetch-probe [--timeout N] [--connect-timeout N] [--max-size N]\n"
	      "  [--redirects N] [--concurrency N] [--per-host N] [--low-speed-limit N]\n"
	      "  [--low-speed-time N] [--user-agent S] [--etag S] [--last-modified S]\n"
	      "  [--prefix N] URL...\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct fetch_opts o;
	struct fetch_req *reqs;
	struct probe p;
	const char *etag = NULL, *lm = NULL;
	char err[ERR_MAX];
	int i, first, bad = 0;
	size_t n, k;

	fetch_opts_default(&o);
	p.prefix = 64;
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--") == 0) {
			i++;
			break;
		}
		if (val == NULL)
			return usage();
		if (strcmp(opt, "--timeout") == 0)
			o.timeout = atol(val);
		else if (strcmp(opt, "--connect-timeout") == 0)
			o.connect_timeout = atol(val);
		else if (strcmp(opt, "--max-size") == 0)
			o.max_size = (size_t)strtoull(val, NULL, 10);
		else if (strcmp(opt, "--redirects") == 0)
			o.max_redirects = atol(val);
		else if (strcmp(opt, "--concurrency") == 0)
			o.concurrency = atol(val);
		else if (strcmp(opt, "--per-host") == 0)
			o.per_host = atol(val);
		else if (strcmp(opt, "--low-speed-limit") == 0)
			o.low_speed_limit = atol(val);
		else if (strcmp(opt, "--low-speed-time") == 0)
			o.low_speed_time = atol(val);
		else if (strcmp(opt, "--user-agent") == 0)
			o.user_agent = val;
		else if (strcmp(opt, "--etag") == 0)
			etag = val;
		else if (strcmp(opt, "--last-modified") == 0)
			lm = val;
		else if (strcmp(opt, "--prefix") == 0)
			p.prefix = (size_t)strtoull(val, NULL, 10);
		else
			return usage();
	}
	first = i;
	if (first >= argc)
		return usage();
	n = (size_t)(argc - first);
	reqs = xcalloc(n, sizeof(*reqs));
	for (k = 0; k < n; k++) {
		reqs[k].url = argv[first + (int)k];
		reqs[k].etag = etag;
		reqs[k].last_modified = lm;
	}
	p.calls = xcalloc(n, sizeof(*p.calls));
	p.reqs = reqs;
	if (fetch_run(&o, reqs, n, on_done, &p, err) < 0) {
		fprintf(stderr, "fetch-probe: %s\n", err);
		bad = 1;
	}
	for (k = 0; !bad && k < n; k++) {
		if (p.calls[k] != 1) {
			fprintf(stderr, "fetch-probe: done() called %d times for %s\n", p.calls[k],
			        reqs[k].url);
			bad = 3;
		}
	}
	free(p.calls);
	free(reqs);
	return bad;
}

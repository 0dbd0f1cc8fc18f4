/*
 * fetch.c - the crawler: a batch of requests over one libcurl multi handle.
 *
 * fetch_run() keeps its own queue rather than handing every request to
 * libcurl at once: each host has a FIFO of waiting requests, and a
 * round-robin ring of the hosts that have work and a free slot. A request is
 * given an easy handle (and a body buffer) only when it starts, so memory is
 * bounded by the number of running transfers, not by the batch. At most
 * o->concurrency transfers run at once, at most o->per_host per host, and
 * the one multi handle keeps connections (and HTTP/2 streams) for reuse.
 *
 * Limits that libcurl does not enforce by itself are enforced in the
 * callbacks: the write callback counts the body after decompression (a gzip
 * bomb passes CURLOPT_MAXFILESIZE untouched), and the header callback caps
 * header lines and blocks. The header callback sees one header block per
 * response in a redirect chain; it resets what it collected on every status
 * line so that only the final response's validators survive, and it notes
 * whether every hop was a permanent one (301/308).
 *
 * fetch_post_form() is the one other request the program makes (the
 * WebSub hub ping): one form POST on its own easy handle, under the same
 * scheme restrictions, User-Agent and timeouts.
 *
 * Results: only a success (2xx, 304) carries a body and a permanent_url; a
 * failure has an empty body and a one-line error. If libcurl itself fails in
 * the middle of a batch, every request not yet reported is reported with
 * that error, so done() still runs exactly once per request.
 */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fetch.h"
#include "url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define HDR_LINE_MAX 8192   /* one header line, without its CRLF */
#define HDR_BLOCK_MAX 65536 /* all the header lines of one response */
#define MSG_URL_MAX 200     /* how much of a URL an error message quotes */
#define NONE SIZE_MAX

/* One host: its waiting requests and how many of its transfers run. */
struct host {
	char *name;
	size_t head, tail; /* FIFO of request indices, linked through run->next */
	long running;
	int in_ring;
};

/* One running transfer. */
struct xfer {
	struct run *run;
	struct xfer *prev, *next; /* the running transfers */
	size_t idx;               /* into reqs */
	CURL *easy;
	struct curl_slist *headers;
	struct fetch_res res;
	struct timespec start;
	char errbuf[CURL_ERROR_SIZE];

	/* The header block being read. */
	long block_status; /* status of the current block, 0 before any */
	size_t block_bytes;
	char *location;
	char *content_encoding;
	char *content_length;
	int not_permanent; /* a followed hop was not 301/308 */

	/* Why a callback aborted the transfer (NULL when none did). */
	char *abort_reason;

	CURLcode rc; /* how it ended, once on the done queue */
};

/* The state of one fetch_run(). */
struct run {
	const struct fetch_opts *o;
	const struct fetch_req *reqs;
	size_t n;
	fetch_done_fn done;
	void *arg;
	CURLM *multi;

	size_t *next;       /* per request: the next one waiting on the same host */
	size_t *host_of;    /* per request: index into hosts */
	struct host *hosts; /* unique hosts, in order of first appearance */
	size_t nhosts;
	size_t *ring; /* hosts with waiting requests and a free slot */
	size_t ring_head, ring_len;
	struct xfer *running; /* list of the transfers started and not finished */
	long active;
	size_t waiting;
	/* Finished transfers not yet reported, oldest first (linked by next). */
	struct xfer *done_head, *done_tail;
	long ndone;
};

static double elapsed_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A copy of s safe to put in a one-line message: bounded, controls replaced. */
static char *printable(const char *s, size_t max)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (s == NULL)
		return xstrdup("");
	for (i = 0; s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		buf_putc(&b, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	if (s[i])
		buf_puts(&b, "...");
	return buf_detach(&b);
}

static int is_file_url(const char *url)
{
	return strncasecmp(url, "file:", 5) == 0;
}

static int is_http_url(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/* The host of url as url_host() has it, "" when it has none (file://). */
static char *host_key(const char *url)
{
	char *h = url_host(url);

	return h ? h : xstrdup("");
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Groups the requests by host, each host with its FIFO, and fills the ring. */
static void run_plan(struct run *r)
{
	size_t cap = 16, *table, i, cap_hosts = 0;

	while (cap < 2 * r->n)
		cap *= 2;
	table = xcalloc(cap, sizeof(*table)); /* host index + 1, 0 = free */
	r->next = xmalloc(r->n * sizeof(*r->next));
	r->host_of = xmalloc(r->n * sizeof(*r->host_of));
	for (i = 0; i < r->n; i++) {
		char *key = host_key(r->reqs[i].url);
		size_t slot = (size_t)hash_str(key) & (cap - 1), h;

		while (table[slot] && strcmp(r->hosts[table[slot] - 1].name, key) != 0)
			slot = (slot + 1) & (cap - 1);
		if (table[slot]) {
			h = table[slot] - 1;
			free(key);
			r->next[r->hosts[h].tail] = i;
			r->hosts[h].tail = i;
		} else {
			h = r->nhosts++;
			r->hosts = xgrow(r->hosts, &cap_hosts, r->nhosts, sizeof(*r->hosts));
			r->hosts[h].name = key;
			r->hosts[h].head = r->hosts[h].tail = i;
			r->hosts[h].running = 0;
			r->hosts[h].in_ring = 1;
			table[slot] = h + 1;
		}
		r->next[i] = NONE;
		r->host_of[i] = h;
	}
	free(table);
	r->ring = xmalloc((r->nhosts ? r->nhosts : 1) * sizeof(*r->ring));
	for (i = 0; i < r->nhosts; i++)
		r->ring[i] = i;
	r->ring_head = 0;
	r->ring_len = r->nhosts;
	r->waiting = r->n;
}

static void ring_push(struct run *r, size_t h)
{
	r->ring[(r->ring_head + r->ring_len) % r->nhosts] = h;
	r->ring_len++;
	r->hosts[h].in_ring = 1;
}

static size_t ring_pop(struct run *r)
{
	size_t h = r->ring[r->ring_head];

	r->ring_head = (r->ring_head + 1) % r->nhosts;
	r->ring_len--;
	r->hosts[h].in_ring = 0;
	return h;
}

static int host_has_slot(const struct run *r, size_t h)
{
	return r->o->per_host <= 0 || r->hosts[h].running < r->o->per_host;
}

static void set_reason(struct xfer *x, char *msg)
{
	if (x->abort_reason == NULL)
		x->abort_reason = msg;
	else
		free(msg);
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb, max = x->run->o->max_size;

	if (n > max || x->res.body.len > max - n) {
		set_reason(x, xasprintf("body larger than %zu bytes%s", max,
		                        x->content_encoding ? " (after decompression)" : ""));
		return 0;
	}
	buf_append(&x->res.body, p, n);
	return n;
}

static void block_reset(struct xfer *x)
{
	struct fetch_res *res = &x->res;

	xsetstr(&res->etag, NULL);
	xsetstr(&res->last_modified, NULL);
	xsetstr(&res->content_type, NULL);
	xsetstr(&res->retry_after, NULL);
	xsetstr(&res->cache_control, NULL);
	xsetstr(&res->expires, NULL);
	xsetstr(&x->location, NULL);
	xsetstr(&x->content_encoding, NULL);
	xsetstr(&x->content_length, NULL);
	x->block_bytes = 0;
}

/* "HTTP/1.1 301 Moved" or "HTTP/2 301": the status code, or 0. */
static long parse_status(const char *line, size_t len)
{
	size_t i = 5;
	long code = 0;
	int digits = 0;

	while (i < len && line[i] != ' ')
		i++;
	while (i < len && line[i] == ' ')
		i++;
	for (; i < len && line[i] >= '0' && line[i] <= '9' && digits < 3; i++, digits++)
		code = code * 10 + (line[i] - '0');
	return digits == 3 ? code : 0;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
	    {"etag", offsetof(struct fetch_res, etag)},
	    {"last-modified", offsetof(struct fetch_res, last_modified)},
	    {"content-type", offsetof(struct fetch_res, content_type)},
	    {"retry-after", offsetof(struct fetch_res, retry_after)},
	    {"cache-control", offsetof(struct fetch_res, cache_control)},
	    {"expires", offsetof(struct fetch_res, expires)},
	};
	struct xfer *x = ud;
	size_t n = size * nmemb, len = n, name_len, i;
	const char *colon, *v;
	char **dst = NULL;

	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	if (len > HDR_LINE_MAX) {
		set_reason(x, xasprintf("header line longer than %d bytes", HDR_LINE_MAX));
		return 0;
	}
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		long code = parse_status(p, len);

		/* A new response: the one before it was a hop (or a 1xx). */
		if (x->block_status >= 300 && x->block_status < 400 && x->block_status != 301 &&
		    x->block_status != 308)
			x->not_permanent = 1;
		block_reset(x);
		x->block_status = code;
	}
	x->block_bytes += n;
	if (x->block_bytes > HDR_BLOCK_MAX) {
		set_reason(x, xasprintf("response headers larger than %d bytes", HDR_BLOCK_MAX));
		return 0;
	}
	colon = memchr(p, ':', len);
	if (colon == NULL)
		return n;
	name_len = (size_t)(colon - p);
	for (v = colon + 1; v < p + len && (*v == ' ' || *v == '\t'); v++)
		;
	while (len > (size_t)(v - p) && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i].name) == name_len &&
		    strncasecmp(p, fields[i].name, name_len) == 0)
			dst = (char **)((char *)&x->res + fields[i].off);
	if (name_len == 8 && strncasecmp(p, "location", 8) == 0)
		dst = &x->location;
	if (name_len == 16 && strncasecmp(p, "content-encoding", 16) == 0)
		dst = &x->content_encoding;
	if (name_len == 14 && strncasecmp(p, "content-length", 14) == 0) {
		/* two lengths that disagree: which body is meant? (RFC 9112, 6.3) */
		size_t vlen = len - (size_t)(v - p);
		if (x->content_length && (strlen(x->content_length) != vlen ||
		                          strncmp(x->content_length, v, vlen) != 0)) {
			char *a = printable(x->content_length, 24),
			     *b = xstrndup(v, vlen > 24 ? 24 : vlen);
			char *bp = printable(b, 24);
			set_reason(x,
			           xasprintf("length mismatch: conflicting Content-Length headers "
			                     "(%s and %s)",
			                     a, bp));
			free(a);
			free(b);
			free(bp);
			return 0;
		}
		dst = &x->content_length;
	}
	if (dst == NULL)
		return n;
	if (dst == &x->res.cache_control && *dst) {
		/* Repeated Cache-Control headers are one comma-separated list. */
		char *joined = xasprintf("%s, %.*s", *dst, (int)(len - (size_t)(v - p)), v);
		free(*dst);
		*dst = joined;
	} else {
		free(*dst);
		*dst = xstrndup(v, len - (size_t)(v - p));
	}
	return n;
}

/* Adds "Name: value" unless value is empty or could smuggle a header line. */
static void add_header(struct curl_slist **list, const char *name, const char *value)
{
	char *line;

	if (value == NULL || *value == '\0' || strpbrk(value, "\r\n"))
		return;
	line = xasprintf("%s: %s", name, value);
	*list = curl_slist_append(*list, line);
	free(line);
}

/*
 * Logins and trust: the netrc file for hosts whose URL has no login, and
 * the CA certificates. Verification stays on (libcurl's default), and so
 * does the rule that a login goes to no other host after a redirect.
 */
static void set_secrets(CURL *e, const struct fetch_opts *o)
{
	curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	if (o->netrc)
		curl_easy_setopt(e, CURLOPT_NETRC_FILE, o->netrc);
	if (o->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
	if (o->ca_path)
		curl_easy_setopt(e, CURLOPT_CAPATH, o->ca_path);
	curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
}

static int xfer_setup(struct xfer *x, char *err)
{
	const struct fetch_opts *o = x->run->o;
	const struct fetch_req *req = &x->run->reqs[x->idx];
	CURL *e;

	if (req->url == NULL || *req->url == '\0')
		return err_set(err, "no URL");
	e = x->easy = curl_easy_init();
	if (e == NULL)
		return err_set(err, "could not start a transfer (curl_easy_init failed)");
	add_header(&x->headers, "If-None-Match", req->etag);
	add_header(&x->headers, "If-Modified-Since", req->last_modified);
	if (curl_easy_setopt(e, CURLOPT_URL, req->url) != CURLE_OK)
		return err_set(err, "URL rejected");
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	                 is_file_url(req->url) ? "http,https,file" : "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, o->max_redirects < 0 ? 0L : o->max_redirects);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	/* Over TLS, wait for ALPN to say h2 and multiplex; over plain HTTP/1.1
	 * waiting would serialize transfers behind the first connection. */
	if (strncasecmp(req->url, "https:", 6) == 0)
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	if (o->connect_timeout > 0)
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	if (o->timeout > 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT, o->timeout);
	if (o->low_speed_limit > 0 && o->low_speed_time > 0) {
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
	}
	if (o->max_size <= (size_t)INT64_MAX)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	if (o->user_agent)
		curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
	set_secrets(e, o);
	if (req->login) {
		curl_easy_setopt(e, CURLOPT_USERNAME, req->login);
		curl_easy_setopt(e, CURLOPT_PASSWORD, req->password ? req->password : "");
	}
	if (x->headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	if (curl_multi_add_handle(x->run->multi, e) != CURLM_OK)
		return err_set(err, "could not start a transfer (curl_multi_add_handle failed)");
	return 0;
}

/*
 * libcurl's message without the words we put before it: its error buffer
 * says "Could not resolve host: example.com", which after our own "could not
 * resolve host: " would stutter.
 */
static const char *after_prefix(const char *eb, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncasecmp(eb, prefix, n) != 0)
		return eb;
	eb += n;
	while (*eb == ':' || *eb == ' ')
		eb++;
	return *eb ? eb : "unknown";
}

/* The message for a transfer that ended with code rc. */
static char *xfer_error(struct xfer *x, CURLcode rc)
{
	const struct fetch_opts *o = x->run->o;
	const char *eb = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
	char *url, *msg;
	long oserr = 0, ct = o->connect_timeout;

	if (o->timeout > 0 && (ct <= 0 || o->timeout < ct))
		ct = o->timeout; /* the connect phase was cut by the total timeout */

	if (x->abort_reason && (rc == CURLE_WRITE_ERROR || rc == CURLE_OK)) {
		msg = x->abort_reason;
		x->abort_reason = NULL;
		return msg;
	}
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		if (strstr(eb, "too slow"))
			return xasprintf("stalled: below %ld bytes/s for %ld s", o->low_speed_limit,
			                 o->low_speed_time);
		if (strstr(eb, "Resolving timed out"))
			return xasprintf("could not resolve host: timed out after %ld s", ct);
		if (strstr(eb, "Connection timed out"))
			return xasprintf("could not connect to host: timed out after %ld s", ct);
		return xasprintf("timed out after %ld s", o->timeout);
	case CURLE_FILESIZE_EXCEEDED:
		return xasprintf("body larger than %zu bytes", o->max_size);
	case CURLE_TOO_MANY_REDIRECTS:
		return xasprintf("too many redirects (more than %ld)", o->max_redirects);
	case CURLE_UNSUPPORTED_PROTOCOL:
		if (x->block_status >= 300 && x->block_status < 400) {
			char *to = NULL;

			curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &to);
			url = printable(to ? to : x->location, MSG_URL_MAX);
			msg = xasprintf("redirect to a forbidden scheme (%s)", url);
		} else if (strstr(eb, "HTTP/0.9") || is_http_url(x->run->reqs[x->idx].url)) {
			/* an http(s) URL: what libcurl could not take was the reply */
			return xstrdup("malformed status line: the reply does not start with "
			               "HTTP/1.x or HTTP/2 (an HTTP/0.9 or non-HTTP reply)");
		} else {
			url = printable(x->run->reqs[x->idx].url, MSG_URL_MAX);
			msg = xasprintf("unsupported URL scheme (%s)", url);
		}
		free(url);
		return msg;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
		if (oserr > 0)
			return xasprintf("could not connect to host: %s", strerror((int)oserr));
		return xasprintf("could not connect to host: %s",
		                 after_prefix(eb, "Failed to connect to"));
	case CURLE_COULDNT_RESOLVE_HOST:
		return xasprintf("could not resolve host: %s",
		                 after_prefix(eb, "Could not resolve host"));
	case CURLE_COULDNT_RESOLVE_PROXY:
		return xasprintf("could not resolve proxy: %s",
		                 after_prefix(eb, "Could not resolve proxy"));
	case CURLE_BAD_CONTENT_ENCODING:
		url = printable(x->content_encoding ? x->content_encoding : "compressed", 40);
		msg = xasprintf("bad %s data", url);
		free(url);
		return msg;
	case CURLE_FILE_COULDNT_READ_FILE:
		return xasprintf("could not read file: %s", after_prefix(eb, "Couldn't open file"));
	case CURLE_URL_MALFORMAT:
		return xasprintf("malformed URL: %s", eb);
	case CURLE_GOT_NOTHING:
		return xstrdup("empty reply from server");
	case CURLE_PARTIAL_FILE:
		return xasprintf("transfer cut short: %s", eb);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		return xasprintf("TLS: %s", eb);
	case CURLE_WRITE_ERROR:
		return xstrdup("could not store the body");
	case CURLE_OUT_OF_MEMORY:
		/* libcurl 7.88 says "Out of memory" for a line over its 100 KB */
		if (x->res.body.len == 0)
			return xstrdup("header too large: a status line, header line or Location "
			               "over libcurl's 100 KB limit");
		return xstrdup("out of memory");
	default:
		return xasprintf("%s (%s)", eb, curl_easy_strerror(rc));
	}
}

/* Takes x off the list of running transfers (a no-op when it is not on it). */
static void running_unlink(struct xfer *x)
{
	if (x->prev)
		x->prev->next = x->next;
	else if (x->run->running == x)
		x->run->running = x->next;
	if (x->next)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
}

static void xfer_free(struct xfer *x)
{
	struct fetch_res *res = &x->res;

	running_unlink(x);
	if (x->easy) {
		curl_multi_remove_handle(x->run->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->headers);
	buf_free(&res->body);
	free(res->etag);
	free(res->last_modified);
	free(res->content_type);
	free(res->final_url);
	free(res->permanent_url);
	free(res->retry_after);
	free(res->cache_control);
	free(res->expires);
	free(res->error);
	free(x->location);
	free(x->content_encoding);
	free(x->content_length);
	free(x->abort_reason);
	free(x);
}

/*
 * Fills x->res from how the transfer ended (or from fail, when it could not
 * run), reports it, and frees x.
 */
static void xfer_finish(struct xfer *x, CURLcode rc, const char *fail)
{
	struct run *r = x->run;
	struct fetch_res *res = &x->res;
	const struct fetch_req *req = &r->reqs[x->idx];
	char *eff = NULL;
	long status = 0, redirects = 0;
	char *msg;

	res->seconds = elapsed_since(&x->start);
	if (fail) {
		res->error = xstrdup(fail);
		goto report;
	}
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
	curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT, &redirects);
	res->final_url = xstrdup(eff ? eff : req->url);
	if (status == 0 && rc == CURLE_OK && is_file_url(res->final_url))
		status = 200;
	res->status = status;
	if (rc != CURLE_OK || x->abort_reason) {
		res->error = xfer_error(x, rc);
	} else if ((status >= 200 && status < 300) || status == 304) {
		res->ok = 1;
		if (status == 304)
			buf_reset(&res->body);
		if (redirects > 0 && !x->not_permanent)
			res->permanent_url = xstrdup(res->final_url);
	} else {
		res->error = xasprintf("HTTP %ld", status);
	}
report:
	if (!res->ok) {
		/* Only a success has a body: never a partial or an error page. */
		buf_free(&res->body);
		msg = res->error;
		res->error = printable(msg, ERR_MAX);
		free(msg);
	}
	r->done(r->arg, req, res);
	xfer_free(x);
}

/*
 * Starts waiting requests while there are free slots, and while the bodies
 * waiting to be reported are fewer than the slots (so that a slow done()
 * never has more than twice the concurrency of bodies in memory).
 */
static void run_start(struct run *r)
{
	long cap = r->o->concurrency > 0 ? r->o->concurrency : 1;
	char err[ERR_MAX];

	while (r->active < cap && r->ndone < cap && r->ring_len > 0) {
		size_t h = ring_pop(r);
		struct host *hp = &r->hosts[h];
		struct xfer *x = xcalloc(1, sizeof(*x));

		x->run = r;
		x->idx = hp->head;
		hp->head = r->next[x->idx];
		r->waiting--;
		clock_gettime(CLOCK_MONOTONIC, &x->start);
		if (xfer_setup(x, err) < 0) {
			if (hp->head != NONE && !hp->in_ring)
				ring_push(r, h);
			xfer_finish(x, CURLE_OK, err);
			continue;
		}
		hp->running++;
		r->active++;
		x->next = r->running;
		if (r->running)
			r->running->prev = x;
		r->running = x;
		if (hp->head != NONE && host_has_slot(r, h))
			ring_push(r, h);
	}
}

/*
 * Moves every finished transfer from the running list to the done queue and
 * frees its slot; returns how many there were. Reporting waits for
 * run_report_one(), so that the freed slots are refilled and the new
 * requests sent before done() spends its time parsing and storing.
 */
static int run_reap(struct run *r)
{
	CURLMsg *m;
	int left, reaped = 0;

	while ((m = curl_multi_info_read(r->multi, &left))) {
		struct xfer *x;
		char *priv = NULL;
		size_t h;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		x = (struct xfer *)(void *)priv;
		h = r->host_of[x->idx];
		r->hosts[h].running--;
		r->active--;
		if (r->hosts[h].head != NONE && !r->hosts[h].in_ring)
			ring_push(r, h);
		running_unlink(x);
		x->rc = m->data.result;
		if (r->done_tail)
			r->done_tail->next = x;
		else
			r->done_head = x;
		r->done_tail = x;
		r->ndone++;
		reaped++;
	}
	return reaped;
}

/* Reports the oldest finished transfer. */
static void run_report_one(struct run *r)
{
	struct xfer *x = r->done_head;

	r->done_head = x->next;
	if (r->done_head == NULL)
		r->done_tail = NULL;
	x->next = NULL;
	r->ndone--;
	xfer_finish(x, x->rc, NULL);
}

/*
 * libcurl failed as a whole (out of memory, most likely): every request not
 * yet reported is reported now with msg, so done() still sees each once.
 */
static void run_abort(struct run *r, const char *msg)
{
	size_t h;

	while (r->done_head)
		run_report_one(r);
	while (r->running) {
		struct xfer *x = r->running;

		r->hosts[r->host_of[x->idx]].running--;
		r->active--;
		xfer_finish(x, CURLE_OK, msg);
	}
	for (h = 0; h < r->nhosts; h++) {
		while (r->hosts[h].head != NONE) {
			struct xfer *x = xcalloc(1, sizeof(*x));

			x->run = r;
			x->idx = r->hosts[h].head;
			r->hosts[h].head = r->next[x->idx];
			r->waiting--;
			clock_gettime(CLOCK_MONOTONIC, &x->start);
			xfer_finish(x, CURLE_OK, msg);
		}
	}
	r->ring_len = 0;
}

int fetch_run(const struct fetch_opts *o, const struct fetch_req *reqs, size_t n,
              fetch_done_fn done, void *arg, char *err)
{
	struct run r;
	int ret = -1, still = 0;
	size_t i;

	memset(&r, 0, sizeof(r));
	if (n == 0)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(err, "could not initialise libcurl");
	r.o = o;
	r.reqs = reqs;
	r.n = n;
	r.done = done;
	r.arg = arg;
	r.multi = curl_multi_init();
	if (r.multi == NULL) {
		err_set(err, "could not initialise libcurl (curl_multi_init failed)");
		goto out;
	}
	curl_multi_setopt(r.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	                  o->concurrency > 0 ? o->concurrency : 1L);
	if (o->per_host > 0)
		curl_multi_setopt(r.multi, CURLMOPT_MAX_HOST_CONNECTIONS, o->per_host);
	curl_multi_setopt(r.multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	run_plan(&r);
	for (;;) {
		CURLMcode mc;

		run_start(&r);
		if (r.active == 0 && r.waiting == 0 && r.done_head == NULL)
			break;
		mc = curl_multi_perform(r.multi, &still);
		if (mc == CURLM_OK && run_reap(&r) > 0)
			continue; /* slots are free: start more before reporting */
		if (mc == CURLM_OK && r.done_head) {
			/* One at a time, with the transfers moved on in between. */
			run_report_one(&r);
			continue;
		}
		if (mc == CURLM_OK)
			mc = curl_multi_poll(r.multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK) {
			char *msg = xasprintf("crawler failed: %s", curl_multi_strerror(mc));
			run_abort(&r, msg);
			free(msg);
			break;
		}
	}
	ret = 0;
out:
	for (i = 0; i < r.nhosts; i++)
		free(r.hosts[i].name);
	free(r.hosts);
	free(r.ring);
	free(r.next);
	free(r.host_of);
	if (r.multi)
		curl_multi_cleanup(r.multi);
	curl_global_cleanup();
	return ret;
}

void fetch_opts_default(struct fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->concurrency = 16;
	o->per_host = 4;
	o->connect_timeout = 15;
	o->timeout = 60;
	o->low_speed_limit = 10;
	o->low_speed_time = 30;
	o->max_size = 16 * 1024 * 1024;
	o->max_redirects = 5;
	o->user_agent = "aggregator";
}

static size_t discard_body(char *p, size_t size, size_t nmemb, void *ud)
{
	(void)p;
	(void)ud;
	return size * nmemb;
}

/* "name=value&..." with both sides percent-encoded (malloc'd), or NULL. */
static char *form_encode(CURL *c, const char *const *fields)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; fields && fields[i]; i += 2) {
		char *k = curl_easy_escape(c, fields[i], 0);
		char *v = curl_easy_escape(c, fields[i + 1] ? fields[i + 1] : "", 0);

		if (k && v) {
			if (i > 0)
				buf_putc(&b, '&');
			buf_puts(&b, k);
			buf_putc(&b, '=');
			buf_puts(&b, v);
		}
		curl_free(k);
		curl_free(v);
		if (k == NULL || v == NULL) {
			buf_free(&b);
			return NULL;
		}
	}
	return buf_detach(&b);
}

int fetch_post_form(const struct fetch_opts *o, const char *url, const char *const *fields,
                    long *status, char *err)
{
	CURL *c;
	char *body = NULL;
	CURLcode cc;
	int rc = -1;

	*status = 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(err, "cannot start libcurl");
	c = curl_easy_init();
	if (c == NULL) {
		err_set(err, "cannot start libcurl");
		goto out;
	}
	body = form_encode(c, fields);
	if (body == NULL) {
		err_set(err, "cannot encode the form");
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (o->timeout > 0)
		curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
	if (o->connect_timeout > 0)
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (o->user_agent)
		curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent);
	set_secrets(c, o);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		err_set(err, "%s", curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	rc = 0;
out:
	free(body);
	if (c)
		curl_easy_cleanup(c);
	curl_global_cleanup();
	return rc;
}

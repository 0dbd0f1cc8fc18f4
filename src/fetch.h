/*
 * fetch.h - the crawler: many feeds at once over one libcurl multi handle.
 *
 * fetch_run() takes a batch of requests and calls done() for each as soon
 * as it finishes (in completion order), so the caller can parse and store
 * one feed while others are still downloading. Limits are enforced here:
 * connect and total timeouts, a low-speed cut-off, a cap on the body counted
 * after decompression (gzip bombs), a bounded number of redirects and only
 * to http/https. file:// is accepted only as a request's own URL. No single
 * feed's failure stops the batch.
 *
 * Logins come from the URL (user:password@) or the netrc file; libcurl
 * sends them only to the URL's own host, never to the host of a redirect
 * (CURLOPT_UNRESTRICTED_AUTH stays off). Certificates are always verified,
 * against ca_file/ca_path when given.
 */
#ifndef AGG_FETCH_H
#define AGG_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct fetch_opts {
	long concurrency;     /* transfers at once (>= 1) */
	long per_host;        /* transfers at once per host (0 = no limit) */
	long connect_timeout; /* seconds */
	long timeout;         /* seconds, whole transfer */
	long low_speed_time;  /* seconds below low_speed_limit bytes/s before giving up */
	long low_speed_limit;
	size_t max_size; /* body bytes after decompression */
	long max_redirects;
	const char *user_agent;
	const char *netrc;   /* logins by host (CURLOPT_NETRC), or NULL for ~/.netrc */
	const char *ca_file; /* CA certificates (PEM) to verify servers with, or NULL */
	const char *ca_path; /* a folder of them (c_rehash), or NULL */
};

struct fetch_req {
	const char *url;
	const char *etag;          /* sent as If-None-Match, may be NULL */
	const char *last_modified; /* sent as If-Modified-Since, may be NULL */
	void *user;                /* the caller's */
	const char *login;         /* a login for the URL's host, or NULL (URL, netrc) */
	const char *password;
};

struct fetch_res {
	int ok;          /* 1: a response with status 200..299 or 304 */
	long status;     /* final HTTP status; 200 for file:// that read; 0 when none */
	struct buf body; /* decompressed body (empty for 304) */
	char *etag;
	char *last_modified;
	char *content_type;
	char *final_url;     /* after redirects */
	char *permanent_url; /* set when every redirect in the chain was 301/308 */
	char *retry_after;   /* raw Retry-After header, if any */
	char *cache_control;
	char *expires;
	char *error;    /* why it failed, e.g. "HTTP 404", "timed out after 30 s" */
	double seconds; /* wall time of the transfer */
};

/*
 * Called once per request, in completion order. res and its strings are
 * only valid during the call.
 */
typedef void (*fetch_done_fn)(void *arg, const struct fetch_req *req, const struct fetch_res *res);

/* Fetches all n requests; returns -1 only when the crawler could not start. */
int fetch_run(const struct fetch_opts *o, const struct fetch_req *reqs, size_t n,
              fetch_done_fn done, void *arg, char *err);

/*
 * POSTs fields (name, value, ..., NULL) as an application/x-www-form-
 * urlencoded body to url: http or https only, redirects not followed, with
 * o's User-Agent, timeout and connect_timeout. The answer's body is
 * discarded and its HTTP status goes to *status (any status is a 0
 * return). -1 when no answer came, with libcurl's reason in err.
 */
int fetch_post_form(const struct fetch_opts *o, const char *url, const char *const *fields,
                    long *status, char *err);

/* Sets o to the built-in defaults. */
void fetch_opts_default(struct fetch_opts *o);

#endif

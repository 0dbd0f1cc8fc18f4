/*
 * log.h - what the aggregator says on stderr, in one voice.
 *
 * Every line starts "aggregator: " and ends in a newline. Errors always
 * print. Notices (a run's summary, "published ...") print on a terminal
 * unless -q, or with -v anywhere, so that cron stays silent when all went
 * well; details need -v -v. A feed's failure names the stage that failed,
 * so that a cron mail tells at a glance whether the network, the feed or
 * the database is to blame:
 *
 *   aggregator: feed https://example.com/rss: fetch failed: HTTP 404
 *   aggregator: feed https://example.com/rss: parse failed: not XML (...)
 *   aggregator: feed https://example.com/rss: store failed: database is locked
 *
 * A progress line (rewritten in place) shows only on a terminal and never
 * with -q; every other line clears it first. Modules below the commands
 * do not print: they return errors (err.h) and the commands say them here.
 */
#ifndef AGG_UTIL_LOG_H
#define AGG_UTIL_LOG_H

#include <stdarg.h>

struct log {
	int verbose; /* -v count */
	int quiet;   /* -q */
	int is_tty;  /* stderr is a terminal */
};

/* The pipeline stages a feed can fail in, as log_feed_failed() names them. */
enum log_stage {
	LOG_FETCH,
	LOG_PARSE,
	LOG_STORE,
};

/* Non-zero when notices print: a terminal without -q, or -v. */
int log_chatty(const struct log *l);

/* An error line; l may be NULL (then no progress line is assumed). */
void log_error(const struct log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_verror(const struct log *l, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* A notice (when log_chatty()) and a detail (with -v -v). */
void log_notice(const struct log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_detail(const struct log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "feed URL: STAGE failed: WHY", always printed. */
void log_feed_failed(const struct log *l, const char *url, enum log_stage stage, const char *why);

/* The progress line (terminal only, not with -q), and clearing it. */
void log_progress(const struct log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_progress_clear(const struct log *l);

#endif

/*
 * err.h - how modules report errors.
 *
 * A function that can fail takes `char *err` pointing at ERR_MAX bytes and,
 * on failure, writes one line there saying what failed and why, e.g.
 * "HTTP 404" or "database aggregator.db: disk I/O error". The caller adds
 * the context it knows (the feed URL) and prints it. No module prints errors
 * itself, so every stage can run alone and be tested alone.
 */
#ifndef AGG_UTIL_ERR_H
#define AGG_UTIL_ERR_H

#define ERR_MAX 512

/* Formats into err (ERR_MAX bytes); err may be NULL. Always returns -1. */
int err_set(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

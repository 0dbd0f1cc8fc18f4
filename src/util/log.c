/*
 * log.c - the aggregator's voice on stderr (see log.h).
 */
#include <stdio.h>

#include "util/log.h"

static int progress_on(const struct log *l)
{
	return l && l->is_tty && !l->quiet;
}

int log_chatty(const struct log *l)
{
	return l && ((l->is_tty && !l->quiet) || l->verbose);
}

void log_progress_clear(const struct log *l)
{
	if (progress_on(l))
		fputs("\r\033[K", stderr);
}

void log_verror(const struct log *l, const char *fmt, va_list ap)
{
	log_progress_clear(l);
	fputs("aggregator: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_error(const struct log *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_verror(l, fmt, ap);
	va_end(ap);
}

void log_notice(const struct log *l, const char *fmt, ...)
{
	va_list ap;

	if (!log_chatty(l))
		return;
	va_start(ap, fmt);
	log_verror(l, fmt, ap);
	va_end(ap);
}

void log_detail(const struct log *l, const char *fmt, ...)
{
	va_list ap;

	if (l == NULL || l->verbose < 2)
		return;
	va_start(ap, fmt);
	log_verror(l, fmt, ap);
	va_end(ap);
}

void log_feed_failed(const struct log *l, const char *url, enum log_stage stage, const char *why)
{
	static const char *const names[] = {"fetch", "parse", "store"};

	log_error(l, "feed %s: %s failed: %s", url, names[stage], why);
}

void log_progress(const struct log *l, const char *fmt, ...)
{
	va_list ap;

	if (!progress_on(l))
		return;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

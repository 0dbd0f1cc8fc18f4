/*
 * tap.h - a minimal test harness for the C unit tests.
 *
 * CHECK(cond, fmt, ...) records one check; tap_done() prints
 * "N passed, M failed" and returns the exit status for main(). Failures
 * print the file, line and the message, so a red test says what it saw.
 */
#ifndef AGG_TESTS_TAP_H
#define AGG_TESTS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_pass, tap_fail;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (cond) {                                                                        \
			tap_pass++;                                                                \
		} else {                                                                           \
			tap_fail++;                                                                \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                       \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

/* Compares two strings (either may be NULL) and shows both on failure. */
#define CHECK_STR(got, want, what)                                                                 \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		CHECK((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0),            \
		      "%s: got [%s], want [%s]", (what), g_ ? g_ : "(null)", w_ ? w_ : "(null)");   \
	} while (0)

static inline int tap_done(void)
{
	printf("%d passed, %d failed\n", tap_pass, tap_fail);
	return tap_fail ? 1 : 0;
}

#endif

/*
 * tap.h - a minimal test harness for the C unit tests.
 *
 * CHECK(cond, fmt, ...) records one check; tap_read_all() reads a case
 * file; tap_done() prints "N passed, M failed" and returns the exit status
 * for main(). Failures
 * print the file, line and the message, so a red test says what it saw.
 */
#ifndef AGG_TESTS_TAP_H
#define AGG_TESTS_TAP_H

#include <stdio.h>
#include <stdlib.h>
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
		CHECK((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0),             \
		      "%s: got [%s], want [%s]", (what), g_ ? g_ : "(null)", w_ ? w_ : "(null)");  \
	} while (0)

/* The whole file, NUL-terminated (malloc'd), its length in *len; NULL if unreadable. */
static inline char *tap_read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t cap = 0, n = 0, r;

	*len = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			data = realloc(data, cap);
			if (data == NULL) {
				fclose(f);
				return NULL;
			}
		}
		r = fread(data + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

static inline int tap_done(void)
{
	printf("%d passed, %d failed\n", tap_pass, tap_fail);
	return tap_fail ? 1 : 0;
}

#endif

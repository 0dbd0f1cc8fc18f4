/*
 * xmalloc.h - allocation that cannot fail.
 *
 * Out of memory is not a condition the aggregator can recover from in any
 * useful way, so, like tmux and git, these wrappers print a message and exit.
 * Every other module allocates through them and never checks for NULL.
 */
#ifndef AGG_UTIL_XMALLOC_H
#define AGG_UTIL_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of *cap elements of size elem so that it holds at least need. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s); /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Replaces *dst by a copy of src (either may be NULL), freeing the old value. */
void xsetstr(char **dst, const char *src);

#endif

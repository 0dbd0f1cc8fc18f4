/*
 * buf.c - growable byte buffer (see buf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"

/*
 * The first allocation is at least BUF_MIN: a short
 * string built piece by piece then costs one malloc, not one per doubling
 * from 4 (and malloc's smallest chunks hold 24 bytes anyway).
 */
#define BUF_MIN 32

/* Room for n more bytes and the NUL. */
static void room(struct buf *b, size_t n)
{
	size_t need = b->len + n + 1;

	if (need > b->cap)
		b->data = xgrow(b->data, &b->cap, need < BUF_MIN ? BUF_MIN : need, 1);
}

void buf_reserve(struct buf *b, size_t n)
{
	room(b, n);
	if (b->len == 0)
		b->data[0] = '\0';
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	room(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc_grow(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	room(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

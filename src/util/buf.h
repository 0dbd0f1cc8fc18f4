/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 *
 * Used for HTTP bodies, serialized documents and strings built piece by
 * piece. A zeroed struct buf (or BUF_INIT) is an empty buffer.
 */
#ifndef AGG_UTIL_BUF_H
#define AGG_UTIL_BUF_H

#include <stddef.h>

struct buf {
	char *data; /* NULL while empty, else NUL-terminated */
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                                                   \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc_grow(struct buf *b, char c); /* buf_putc's slow path: grows, then appends */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reserve(struct buf *b, size_t n); /* room for n more bytes, allocated at once */
void buf_reset(struct buf *b);             /* empty it, keep the memory */
char *buf_detach(struct buf *b);           /* the string (never NULL); b is empty after */
void buf_free(struct buf *b);

/* Appends one byte: written in place while it fits (the hot loops call this per byte). */
static inline void buf_putc(struct buf *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
	} else {
		buf_putc_grow(b, c);
	}
}

#endif

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

#define BUF_INIT {NULL, 0, 0}

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);                 /* empty it, keep the memory */
char *buf_detach(struct buf *b);               /* the string (never NULL); b is empty after */
void buf_free(struct buf *b);

#endif

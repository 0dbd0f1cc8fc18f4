/*
 * err.c - error message formatting (see err.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "util/err.h"

int err_set(char *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, ERR_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

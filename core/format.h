/* SPDX-License-Identifier: MIT */
/* A small printf-style formatter: enough for logs, no floating point. */
#ifndef CORE_FORMAT_H
#define CORE_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supports %% %c %s %d %i %u %x %X %p with flags '-' and '0', a width
 * (digits or '*'), a precision for %s, and the length modifiers l, ll, z.
 * Always NUL-terminates when size > 0; returns the length the full output
 * would have had, as snprintf does.
 */
int str_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int str_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif

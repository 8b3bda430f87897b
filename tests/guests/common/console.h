/* SPDX-License-Identifier: MIT */
/*
 * Console on the PL011 that /chosen/stdout-path names. Callers print whole
 * lines: the hypervisor prefixes each line with the VM's label. Lines are
 * cut at CONSOLE_LINE_MAX - 1 characters.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>

#include "asm.h"

#define CONSOLE_LINE_MAX 256

/* False if the DT has no usable PL011: nothing can be printed then. */
bool console_init(const void *fdt);
__printf(1, 2) void gprintf(const char *fmt, ...);
/* One line: prefix, then the formatted text, then a newline. */
void console_vline(const char *prefix, const char *fmt, va_list ap);

#endif

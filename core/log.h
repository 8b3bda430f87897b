/* SPDX-License-Identifier: MIT */
/* Tessera's log: whole lines, prefixed "[tessera] ", on the console. */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#include <stdint.h>

void console_set_pl011(uintptr_t base);
int console_ready(void);
void console_guest_line(const char *label, const char *text);
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

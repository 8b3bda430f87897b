/* SPDX-License-Identifier: MIT */
/* Tessera's log: whole lines, prefixed "[tessera] ", on the console. */
#ifndef CORE_LOG_H
#define CORE_LOG_H

void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

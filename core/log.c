/* SPDX-License-Identifier: MIT */
#include "core/log.h"

#include <stdarg.h>

#include "core/console.h"
#include "core/format.h"

#define LOG_PREFIX   "[tessera] "
#define LOG_LINE_MAX 256

void log_line(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	int n = str_format(line, sizeof(line), "%s", LOG_PREFIX);
	va_list ap;

	va_start(ap, fmt);
	n += str_vformat(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > LOG_LINE_MAX - 2)
		n = LOG_LINE_MAX - 2;
	line[n] = '\n';
	line[n + 1] = '\0';
	console_log_line(line);
}

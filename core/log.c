/* SPDX-License-Identifier: MIT */
#include "core/log.h"

#include <stdarg.h>

#include "core/format.h"
#include "core/pl011.h"
#include "core/spinlock.h"

#define LOG_PREFIX   "[tessera] "
#define LOG_LINE_MAX 256

/* The physical console: one per system, shared by every CPU under its lock. */
static struct {
	uintptr_t base;
	struct spinlock lock;
} console = {.lock = SPINLOCK_INIT};

void console_set_pl011(uintptr_t base)
{
	pl011_init(base);
	console.base = base;
}

int console_ready(void)
{
	return console.base != 0;
}

static void console_write_line(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			pl011_putc(console.base, '\r');
		pl011_putc(console.base, *s);
	}
}

/* Terminate a formatted line of n characters (maybe truncated) and print it. */
static void emit(char *line, int n)
{
	if (n > LOG_LINE_MAX - 2)
		n = LOG_LINE_MAX - 2;
	line[n] = '\n';
	line[n + 1] = '\0';
	if (!console.base)
		return;
	spin_lock(&console.lock);
	console_write_line(line);
	spin_unlock(&console.lock);
}

void log_line(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	int n = str_format(line, sizeof(line), "%s", LOG_PREFIX);
	va_list ap;

	va_start(ap, fmt);
	n += str_vformat(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	emit(line, n);
}

/* A line of guest console output, prefixed with the VM's label. */
void console_guest_line(const char *label, const char *text)
{
	char line[LOG_LINE_MAX];

	emit(line, str_format(line, sizeof(line) - 1, "[%s] %s", label, text));
}

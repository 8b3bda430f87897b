/* SPDX-License-Identifier: MIT */
#include "console.h"
#include "mmio.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/format.h"
#include "dt.h"

#define UARTDR	    0x00
#define UARTFR	    0x18
#define UARTFR_TXFF (1u << 5)

static uintptr_t uart;

bool console_init(const void *fdt)
{
	uint64_t base;

	if (!dt_stdout_pl011(fdt, &base))
		return false;
	uart = (uintptr_t)base;
	return true;
}

static void put_char(char c)
{
	while (mmio_read32(uart + UARTFR) & UARTFR_TXFF)
		;
	mmio_write32(uart + UARTDR, (unsigned char)c);
}

static void put_string(const char *s)
{
	if (!uart)
		return;
	for (; *s; s++) {
		if (*s == '\n')
			put_char('\r');
		put_char(*s);
	}
}

void gprintf(const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	str_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_string(buf);
}

void console_vline(const char *prefix, const char *fmt, va_list ap)
{
	char buf[CONSOLE_LINE_MAX];
	size_t n = strnlen(prefix, sizeof(buf) - 2);

	memcpy(buf, prefix, n);
	str_vformat(buf + n, sizeof(buf) - n - 1, fmt, ap);
	n = strlen(buf);
	buf[n] = '\n';
	buf[n + 1] = '\0';
	put_string(buf);
}

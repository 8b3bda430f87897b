/* SPDX-License-Identifier: MIT */
#include "test.h"

#include <stdarg.h>

#include "console.h"
#include "psci.h"

static unsigned int passed, failed;

void test_pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vline("PASS ", fmt, ap);
	va_end(ap);
	passed++;
}

void test_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vline("FAIL ", fmt, ap);
	va_end(ap);
	failed++;
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vline("SKIP ", fmt, ap);
	va_end(ap);
}

__attribute__((weak)) void test_before_off(void)
{
}

void test_done(void)
{
	gprintf("DONE %u passed, %u failed\n", passed, failed);
	test_before_off();
	system_off();
	gprintf("FAIL system_off returned\n");
	halt();
}

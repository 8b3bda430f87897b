/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/format.h"

/* Some cases feed deliberately odd formats (unknown conversion, NULL %s). */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"

#define EXPECT(want, ...)                                                                          \
	do {                                                                                       \
		char buf[128];                                                                     \
		int n = str_format(buf, sizeof(buf), __VA_ARGS__);                                 \
		assert_string_equal(buf, want);                                                    \
		assert_int_equal(n, (int)strlen(want));                                            \
	} while (0)

static void integers(void **state)
{
	(void)state;
	EXPECT("0 -1 42 4294967295", "%d %d %u %u", 0, -1, 42u, 4294967295u);
	EXPECT("-9223372036854775808", "%ld", (long)INT64_MIN);
	EXPECT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	EXPECT("ff FF 0x8000000", "%x %X 0x%lx", 255u, 255u, 0x8000000ul);
	EXPECT("123", "%zu", (size_t)123);
	EXPECT("7 8", "%i %lli", 7, 8ll);
}

static void widths_and_flags(void **state)
{
	(void)state;
	EXPECT("0x00000000deadbeef", "0x%016lx", 0xdeadbeeful);
	EXPECT("   42|42   |", "%5d|%-5d|", 42, 42);
	EXPECT("-0042", "%05d", -42);
	EXPECT("x1 |x30", "x%-2d|x%-2d", 1, 30);
	EXPECT("  ab", "%*s", 4, "ab");
}

static void strings_and_chars(void **state)
{
	(void)state;
	EXPECT("tessera", "%s", "tessera");
	EXPECT("tes", "%.3s", "tessera");
	EXPECT("(null)", "%s", (char *)NULL);
	EXPECT("a%b", "%c%%%c", 'a', 'b');
	EXPECT("0x1000", "%p", (void *)0x1000);
	EXPECT("%q", "%q");
}

static void truncation(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(str_format(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(str_format(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	assert_int_equal(str_format(NULL, 0, "%d", 12345), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers),
		cmocka_unit_test(widths_and_flags),
		cmocka_unit_test(strings_and_chars),
		cmocka_unit_test(truncation),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Test reporting: one console line per check, `PASS <what>: <detail>` or
 * `FAIL <what>: <detail>` (`SKIP ...` for a check the bootargs did not ask
 * for), and finally `DONE <n> passed, <m> failed`. The text must be
 * deterministic: integration scenarios match it exactly.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include "asm.h"

__printf(1, 2) void test_pass(const char *fmt, ...);
__printf(1, 2) void test_fail(const char *fmt, ...);
__printf(1, 2) void test_skip(const char *fmt, ...);
/* Prints the DONE line and powers off through PSCI SYSTEM_OFF. */
__noreturn void test_done(void);
/*
 * Called by test_done() between the DONE line and SYSTEM_OFF, for a guest
 * that wants the power-off itself tested (it may leave CPUs in any state).
 * The default does nothing.
 */
void test_before_off(void);

#endif

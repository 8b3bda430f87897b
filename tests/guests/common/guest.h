/* SPDX-License-Identifier: MIT */
/*
 * The test-guest framework. start.S sets up the CPU and calls guest_start(),
 * which brings up the console, PSCI and bootargs, runs the guest's
 * guest_main() and then prints DONE and powers off: a guest only checks
 * things and prints PASS/FAIL lines (test.h).
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include "asm.h"
#include "bootargs.h"
#include "console.h"
#include "dt.h"
#include "exception.h"
#include "psci.h"
#include "ram.h"
#include "test.h"

/* Provided by each guest. fdt has passed fdt_check_header(). */
void guest_main(const void *fdt);

__noreturn void guest_start(const void *fdt);

#endif

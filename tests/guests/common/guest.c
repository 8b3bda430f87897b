/* SPDX-License-Identifier: MIT */
#include "guest.h"

#include <libfdt.h>

/*
 * Without a DTB or a console there is nobody to report to: power off at
 * once (through HVC if there is no DT to name the conduit), so a harness
 * sees no DONE line.
 */
void guest_start(const void *fdt)
{
	if (fdt_check_header(fdt)) {
		system_off();
		halt();
	}
	psci_init(fdt);
	if (!console_init(fdt)) {
		system_off();
		halt();
	}
	bootargs_parse(dt_bootargs(fdt));
	guest_main(fdt);
	test_done();
}

/* Debian's libfdt is built with -fstack-protector; it needs these two. */
uintptr_t __stack_chk_guard = 0x6a09e667f3bcc908ul;

__noreturn void __stack_chk_fail(void)
{
	test_fail("stack smashing detected");
	test_done();
}

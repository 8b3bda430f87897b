/* SPDX-License-Identifier: MIT */
/*
 * hog: the worst neighbour a CPU partition can have short of escaping. It
 * masks every interrupt and spins forever, never exiting to the hypervisor
 * on its own. The other VMs must not notice (tests/integration: containment).
 */
#include "guest.h"

void guest_main(const void *fdt)
{
	(void)fdt;
	gprintf("hog: spinning with interrupts masked\n");
	asm volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		asm volatile("" ::: "memory");
}

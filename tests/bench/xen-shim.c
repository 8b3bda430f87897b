/* SPDX-License-Identifier: MIT */
/*
 * In front of the bench guest when it runs as a Xen dom0less domU (make
 * bench-compare). Xen's generated domU device tree has its SBSA UART but no
 * /chosen/stdout-path, which the test-guest framework needs to find a
 * console, and the framework drives only a UART compatible with "arm,pl011"
 * (an SBSA UART is the PL011 subset it uses: UARTDR and UARTFR). This shim,
 * entered as the domU's kernel (the framework's start.S: EL1, MMU off,
 * x0 = DTB), copies the DTB 64 KiB above itself, points stdout-path at the
 * "arm,sbsa-uart" node and adds "arm,pl011" to its compatible, and enters
 * the unmodified bench guest that xen-shim.S placed 2 MiB into this image.
 * Nothing of the shim runs once the bench guest starts.
 */
#include <libfdt.h>
#include <stdint.h>

#include "asm.h"

#define DTB_ROOM    0x10000
#define GUEST_START 0x200000

extern char _head[];
void guest_start(const void *fdt);
void secondary_start(unsigned int cpu);

static const void *with_stdout_path(const void *fdt)
{
	void *out = (char *)fdt + DTB_ROOM;
	char path[128];
	int chosen, uart;

	if (fdt_open_into(fdt, out, DTB_ROOM))
		return fdt;
	uart = fdt_node_offset_by_compatible(out, -1, "arm,sbsa-uart");
	if (uart < 0 || fdt_get_path(out, uart, path, sizeof(path)) ||
	    fdt_appendprop_string(out, uart, "compatible", "arm,pl011"))
		return fdt;
	chosen = fdt_path_offset(out, "/chosen");
	if (chosen < 0)
		chosen = fdt_add_subnode(out, 0, "chosen");
	if (chosen < 0 || fdt_setprop_string(out, chosen, "stdout-path", path))
		return fdt;
	fdt_pack(out);
	return out;
}

void guest_start(const void *fdt)
{
	register uintptr_t x0 asm("x0") = (uintptr_t)with_stdout_path(fdt);

	asm volatile("dsb sy\n\tbr %1" : : "r"(x0), "r"(_head + GUEST_START) : "memory");
	for (;;)
		wfi();
}

void secondary_start(unsigned int cpu)
{
	(void)cpu;
	for (;;)
		wfi();
}

/* Debian's libfdt is built with -fstack-protector. */
uintptr_t __stack_chk_guard = 0x6a09e667f3bcc908ul;

__noreturn void __stack_chk_fail(void)
{
	for (;;)
		wfi();
}

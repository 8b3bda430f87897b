/* SPDX-License-Identifier: MIT */
/*
 * Guest device tree generation (design.md section 5): derived from the host
 * DTB, reduced to what the VM owns. Portable and unit-tested.
 */
#ifndef CORE_GUEST_DT_H
#define CORE_GUEST_DT_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/hostdt.h"

/* Where things sit in the guest-physical address space. */
struct guest_layout {
	uint64_t ram_base, ram_size;
	uint64_t initrd_base, initrd_size; /* size 0: no initrd */
	uint64_t uart_base;		   /* the VM's (emulated) PL011 */
	unsigned ncpus;
};

/*
 * Build vm's DTB into out (out_size bytes) from the host tree:
 *  - /cpus: ncpus nodes cpu@0..cpu@n-1, reg = 0..n-1, enable-method "psci",
 *    copied from the host's first CPU node (compatible etc.)
 *  - /memory@<base>: reg = ram_base, ram_size
 *  - /psci: compatible "arm,psci-1.0", "arm,psci-0.2", method "hvc"
 *  - /chosen: bootargs (if any), linux,initrd-start/-end (if any),
 *    stdout-path = the UART node's path
 *  - the GIC node (GICv3: redistributor region sized ncpus * 128 KiB; child
 *    nodes such as ITS / v2m frames dropped), the arm,armv8-timer node
 *  - the UART: a copy of the host's PL011 node (host->uart) at uart_base; if
 *    its clocks come from a clock controller (the Pi's cprman) rather than
 *    fixed clocks, they are replaced by a fixed clock, /tessera-uart-clock
 *    (48 MHz), and the controller stays out of the guest
 *  - the VM's passthrough devices (same address as on the host, their
 *    parent buses kept), and nodes their phandles (clocks, ...) need
 *  - root properties (#address-cells, #size-cells, compatible, model,
 *    interrupt-parent) kept; /aliases rebuilt (serial0 = UART); every other
 *    node removed.
 * Returns 0, or -1 with err naming the VM and the problem.
 */
int guest_dt_build(const void *host_fdt, const struct host_platform *host,
		   const struct vm_config *vm, const struct guest_layout *layout, void *out,
		   size_t out_size, struct config_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/* What the test guests read from their DTB (libfdt). */
#ifndef GUEST_DT_H
#define GUEST_DT_H

#include <stdbool.h>
#include <stdint.h>

struct dt_range {
	uint64_t base;
	uint64_t size;
};

/*
 * The reg ranges of every device_type = "memory" node, in DT order: returns
 * how many there are (only the first max are stored), or -1 if a reg is
 * malformed.
 */
int dt_memory(const void *fdt, struct dt_range *r, int max);
/* /cpus children with device_type = "cpu", or -1 without /cpus. */
int dt_cpu_count(const void *fdt);
/* The PSCI node's method ("hvc", "smc"), or NULL without one. */
const char *dt_psci_method(const void *fdt);
/* /chosen/bootargs, or "" without one. */
const char *dt_bootargs(const void *fdt);
/*
 * The interrupt controller: compatible "arm,gic-v3" (version 3: reg[0] GICD,
 * reg[1] GICR) or "arm,cortex-a15-gic"/"arm,gic-400"/"arm,cortex-a9-gic"
 * (version 2: reg[0] GICD, reg[1] GICC). Returns the version, 0 if none.
 */
unsigned int dt_gic(const void *fdt, struct dt_range reg[2]);
/*
 * The INTID of entry `index` of the "arm,armv8-timer" interrupts (0 secure
 * physical, 1 physical, 2 virtual, 3 hypervisor), for a 3-cell GIC
 * specifier; -1 without one.
 */
int dt_timer_intid(const void *fdt, int index);
/* The base of the PL011 that /chosen/stdout-path names (an alias or a path). */
bool dt_stdout_pl011(const void *fdt, uint64_t *base);

#endif

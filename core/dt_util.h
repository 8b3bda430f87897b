/* SPDX-License-Identifier: MIT */
/* Small libfdt helpers shared by the device-tree parsers. */
#ifndef CORE_DT_UTIL_H
#define CORE_DT_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hostdt.h"

/*
 * Format "host DTB: <node path>: <prop>: <what>" into err (with node < 0:
 * "host DTB: <prop>: <what>"); returns -1.
 */
int dt_fail(struct dt_error *err, const void *fdt, int node, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * The index-th (address, size) pair of "reg", in the parent's cell sizes,
 * translated through the parent buses' "ranges" to a CPU physical address.
 */
int dt_reg(const void *fdt, int node, int index, struct range *r);

/* Read `cells` big-endian 32-bit cells as one number (cells <= 2). */
uint64_t dt_read_cells(const uint32_t *p, int cells);

bool dt_node_enabled(const void *fdt, int node);

/* GIC "interrupts" triple (type, number, flags) to an INTID; -1 if invalid. */
int dt_gic_intid(uint32_t type, uint32_t num);

#endif

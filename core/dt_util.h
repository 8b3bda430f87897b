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

/*
 * Check a whole tree before libfdt walks it: header, block bounds, every
 * token, name and property length, string offsets, balanced nodes.
 * Debian's libfdt 1.6.1 trusts these and loops forever or writes out of
 * bounds on a malformed tree (found by tests/fuzz); fdt_check_full()
 * misses such trees and itself dereferences NULL below version 16.
 * 0 when sound, -1 otherwise. Reads bytes, so any alignment is fine.
 */
int dt_validate(const void *fdt, uint64_t max_size);

/* GIC "interrupts" triple (type, number, flags) to an INTID; -1 if invalid. */
int dt_gic_intid(uint32_t type, uint32_t num);

#endif

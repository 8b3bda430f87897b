/* SPDX-License-Identifier: MIT */
/* Device register access. volatile keeps the compiler from merging or
 * reordering accesses; Device-nGnRE memory keeps the CPU from doing so. */
#ifndef CORE_MMIO_H
#define CORE_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t val)
{
	*(volatile uint32_t *)addr = val;
}

#endif

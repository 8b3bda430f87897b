/* SPDX-License-Identifier: MIT */
/*
 * Device register accessors. Inline assembly pins each access to a single
 * LDR/STR with a plain base register: a compiler-chosen form (post-index,
 * pair) gives the hypervisor a data abort without a valid syndrome (ISV=0),
 * which it cannot emulate. Linux's readl()/writel() do the same.
 */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include <stdint.h>

static inline uint8_t mmio_read8(uintptr_t a)
{
	uint8_t v;

	asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write8(uintptr_t a, uint8_t v)
{
	asm volatile("strb %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline uint32_t mmio_read32(uintptr_t a)
{
	uint32_t v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	asm volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline uint64_t mmio_read64(uintptr_t a)
{
	uint64_t v;

	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write64(uintptr_t a, uint64_t v)
{
	asm volatile("str %x0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

#endif

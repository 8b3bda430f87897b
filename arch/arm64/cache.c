/* SPDX-License-Identifier: MIT */
#include <arch/cache.h>
#include <arch/sysreg.h>

/* CTR_EL0.DminLine is log2 of the smallest line in 4-byte words, not bytes. */
static uint64_t dcache_line_size(void)
{
	uint64_t ctr = read_sysreg(ctr_el0);

	return 4ul << ((ctr >> CTR_EL0_DMINLINE_SHIFT) & CTR_EL0_DMINLINE_MASK);
}

void dcache_clean_poc(const void *va, uint64_t size)
{
	uint64_t line = dcache_line_size();
	uint64_t p = (uint64_t)va & ~(line - 1);
	uint64_t end = (uint64_t)va + size;

	for (; p < end; p += line)
		__asm__ volatile("dc cvac, %0" : : "r"(p) : "memory");
	dsb_sy();
}

void dcache_clean_inval_poc(const void *va, uint64_t size)
{
	uint64_t line = dcache_line_size();
	uint64_t p = (uint64_t)va & ~(line - 1);
	uint64_t end = (uint64_t)va + size;

	for (; p < end; p += line)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb_sy();
}

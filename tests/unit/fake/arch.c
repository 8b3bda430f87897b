/* SPDX-License-Identifier: MIT */
/* Host stand-ins for core/arch.h: tests own "physical" memory via these. */
#include <stdint.h>

#include "core/arch.h"

unsigned fake_parange = 5;

void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

int arch_map_hyp_ram(uint64_t pa, uint64_t size)
{
	(void)pa;
	(void)size;
	return 0;
}

void arch_dcache_clean(const void *va, uint64_t size)
{
	(void)va;
	(void)size;
}

unsigned arch_parange(void)
{
	return fake_parange;
}

unsigned fake_tlb_flushes;

void arch_stage2_tlb_flush(uint16_t vmid, uint64_t root_pa)
{
	(void)vmid;
	(void)root_pa;
	fake_tlb_flushes++;
}

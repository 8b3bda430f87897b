/* SPDX-License-Identifier: MIT */
/* core/arch.h on arm64. */
#include <arch/cache.h>
#include <arch/cpu_local.h>
#include <arch/event.h>
#include <arch/gic.h>

#include "core/vm.h"
#include <arch/mmu.h>
#include <arch/sysreg.h>

#include "core/arch.h"

void *phys_to_virt(uint64_t pa)
{
	return (void *)pa; /* Tessera's EL2 map is an identity map */
}

int arch_map_hyp_ram(uint64_t pa, uint64_t size)
{
	return mmu_map_normal(pa, size);
}

void arch_dcache_clean(const void *va, uint64_t size)
{
	dcache_clean_poc(va, size);
}

unsigned arch_parange(void)
{
	return read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;
}

/*
 * TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2, so borrow VTTBR for the
 * flush and put back whatever VM this CPU runs.
 */
void arch_stage2_tlb_flush(uint16_t vmid, uint64_t root_pa)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	dsb_ishst();
	write_sysreg(vttbr_el2, ((uint64_t)vmid << VTTBR_VMID_SHIFT) | root_pa);
	isb();
	__asm__ volatile("tlbi vmalls12e1is\n\tdsb ish\n\tisb" ::: "memory");
	write_sysreg(vttbr_el2, saved);
	isb();
}

unsigned arch_cpu_index(void)
{
	return this_cpu()->idx;
}

/* The target's CPU waits in WFI (cpu_run) while its vCPU is off: an IPI wakes it. */
void arch_vcpu_wake(struct vcpu *v)
{
	gic->send_sgi(IPI_KICK, cpus[v->pcpu].mpidr);
}

/* SPDX-License-Identifier: MIT */
/* Host stand-ins for core/arch.h: tests own "physical" memory via these. */
#include <stdint.h>

#include "core/arch.h"
#include "vgic/vgic.h"

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

/* vPSCI tests: record wakes, answer workaround queries from a table. */
struct vcpu *fake_last_woken;
unsigned fake_wakes;
int32_t fake_workaround[3] = {-1, -1, -1}; /* WORKAROUND_1, _2, _3 */
unsigned fake_forwards;
uint32_t fake_forward_fid;
uint64_t fake_forward_arg;
int64_t fake_forward_ret;

void arch_vcpu_wake(struct vcpu *v)
{
	fake_last_woken = v;
	fake_wakes++;
}

int32_t arch_smccc_workaround(uint32_t fid)
{
	switch (fid) {
	case 0x80008000u: return fake_workaround[0];
	case 0x80007fffu: return fake_workaround[1];
	case 0x80003fffu: return fake_workaround[2];
	default: return -1;
	}
}

int64_t arch_smccc_forward(uint32_t fid, uint64_t a1)
{
	fake_forward_fid = fid;
	fake_forward_arg = a1;
	fake_forwards++;
	return fake_forward_ret;
}

/* VM build tests: no hardware behind the vGIC. */
const struct vgic_ops arch_vgic_ops;
unsigned fake_irq_assigns;

void arch_irq_assign(uint32_t intid, struct vm *vm, unsigned pcpu)
{
	(void)intid;
	(void)vm;
	(void)pcpu;
	fake_irq_assigns++;
}

unsigned fake_cpu_index;

unsigned arch_cpu_index(void)
{
	return fake_cpu_index;
}

struct vuart *fake_partial;

void arch_console_partial(struct vuart *u)
{
	fake_partial = u;
}

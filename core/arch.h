/* SPDX-License-Identifier: MIT */
/*
 * What portable code needs from the architecture, as functions. The arm64
 * implementations are in arch/arm64/; host unit tests link fakes from
 * tests/unit/fake/.
 */
#ifndef CORE_ARCH_H
#define CORE_ARCH_H

#include <stdint.h>

/* Tessera's view of host physical memory (an identity map at EL2). */
void *phys_to_virt(uint64_t pa);
/* Make host RAM accessible to Tessera (cacheable, not executable). */
int arch_map_hyp_ram(uint64_t pa, uint64_t size);
/* Clean to the point of coherency: for guests starting with caches off. */
void arch_dcache_clean(const void *va, uint64_t size);
/* Invalidate every stage-1/2 TLB entry of a VMID, on all CPUs. */
void arch_stage2_tlb_flush(uint16_t vmid, uint64_t root_pa);
struct vcpu;
/* A vCPU's state changed (CPU_ON): make its physical CPU look (SEV or IPI). */
void arch_vcpu_wake(struct vcpu *v);

/*
 * Host firmware's answer to SMCCC_ARCH_FEATURES(fid) for the Spectre-class
 * workarounds (SMCCC_ARCH_WORKAROUND_1/2/3), probed once at boot:
 * 0 = implemented and needed, 1 = not needed (WORKAROUND_2), <0 = not
 * supported. The guest is told the same, so it calls when the host CPU
 * needs it; such calls are forwarded to firmware.
 */
int32_t arch_smccc_workaround(uint32_t fid);
int64_t arch_smccc_forward(uint32_t fid, uint64_t a1);

struct vgic_ops;
/* How the vGIC reaches the hardware: IPIs to kick vCPUs, SPI enables. */
extern const struct vgic_ops arch_vgic_ops;
struct vm;
/* Physical interrupt intid belongs to vm: deliver it there, to CPU pcpu. */
void arch_irq_assign(uint32_t intid, struct vm *vm, unsigned pcpu);

struct vuart;
/* u holds a partial line: have vuart_flush(u) called after a short quiet. */
void arch_console_partial(struct vuart *u);

/* Index of the physical CPU running this code. */
unsigned arch_cpu_index(void);

/* ID_AA64MMFR0_EL1.PARange */
unsigned arch_parange(void);

#endif

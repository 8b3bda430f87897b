/* SPDX-License-Identifier: MIT */
#include <arch/asm.h>
#include <arch/sysreg.h>

/*
 * arch_mmu_enable(ttbr0, tcr): turn on the EL2 stage-1 MMU and caches with
 * the given identity map. Runs from identity-mapped code, so the next
 * instruction fetch after SCTLR_EL2.M is set still finds us.
 */
	.text
FUNC(arch_mmu_enable)
	ldr	x9, =MAIR_EL2_VALUE
	msr	mair_el2, x9
	msr	tcr_el2, x1
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	ish
	isb
	ldr	x9, =SCTLR_EL2_RUN
	msr	sctlr_el2, x9
	isb
	ic	iallu
	dsb	ish
	isb
	ret
ENDFUNC(arch_mmu_enable)

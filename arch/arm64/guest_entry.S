/* SPDX-License-Identifier: MIT */
/*
 * Guest entry and exit. Tessera keeps no state of its own across a guest
 * run: every exit saves the guest's x0-x30, PC and PSTATE into the vCPU,
 * handles the exit in C on a fresh EL2 stack, and erets back. The EL1
 * system registers stay in the CPU (static partitioning: one vCPU per CPU).
 */
#include <arch/asm.h>
#include <arch/guest_exit.h>
#include <core/cpu.h>
#include <core/vm.h>

	.text
/* x0 = vcpu, x1 = exit kind; the guest's x0/x1 are on the stack. */
FUNC(guest_exit)
	stp	x2, x3, [x0, #VCPU_REGS_X + 2 * 8]
	stp	x4, x5, [x0, #VCPU_REGS_X + 4 * 8]
	stp	x6, x7, [x0, #VCPU_REGS_X + 6 * 8]
	stp	x8, x9, [x0, #VCPU_REGS_X + 8 * 8]
	stp	x10, x11, [x0, #VCPU_REGS_X + 10 * 8]
	stp	x12, x13, [x0, #VCPU_REGS_X + 12 * 8]
	stp	x14, x15, [x0, #VCPU_REGS_X + 14 * 8]
	stp	x16, x17, [x0, #VCPU_REGS_X + 16 * 8]
	stp	x18, x19, [x0, #VCPU_REGS_X + 18 * 8]
	stp	x20, x21, [x0, #VCPU_REGS_X + 20 * 8]
	stp	x22, x23, [x0, #VCPU_REGS_X + 22 * 8]
	stp	x24, x25, [x0, #VCPU_REGS_X + 24 * 8]
	stp	x26, x27, [x0, #VCPU_REGS_X + 26 * 8]
	stp	x28, x29, [x0, #VCPU_REGS_X + 28 * 8]
	ldp	x2, x3, [sp], #16		/* the guest's x0, x1 */
	stp	x2, x3, [x0, #VCPU_REGS_X]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [x0, #VCPU_REGS_X + 30 * 8]	/* x30, then pc */
	str	x3, [x0, #VCPU_REGS_PSTATE]
	bl	vcpu_exit			/* returns the vcpu to resume */
	/* fall through */

/* guest_resume(vcpu): reset the EL2 stack, restore the guest, eret. */
FUNC(guest_resume)
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #CPU_STACK_TOP]
	mov	sp, x1
	ldp	x1, x2, [x0, #VCPU_REGS_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #VCPU_REGS_X + 2 * 8]
	ldp	x4, x5, [x0, #VCPU_REGS_X + 4 * 8]
	ldp	x6, x7, [x0, #VCPU_REGS_X + 6 * 8]
	ldp	x8, x9, [x0, #VCPU_REGS_X + 8 * 8]
	ldp	x10, x11, [x0, #VCPU_REGS_X + 10 * 8]
	ldp	x12, x13, [x0, #VCPU_REGS_X + 12 * 8]
	ldp	x14, x15, [x0, #VCPU_REGS_X + 14 * 8]
	ldp	x16, x17, [x0, #VCPU_REGS_X + 16 * 8]
	ldp	x18, x19, [x0, #VCPU_REGS_X + 18 * 8]
	ldp	x20, x21, [x0, #VCPU_REGS_X + 20 * 8]
	ldp	x22, x23, [x0, #VCPU_REGS_X + 22 * 8]
	ldp	x24, x25, [x0, #VCPU_REGS_X + 24 * 8]
	ldp	x26, x27, [x0, #VCPU_REGS_X + 26 * 8]
	ldp	x28, x29, [x0, #VCPU_REGS_X + 28 * 8]
	ldr	x30, [x0, #VCPU_REGS_X + 30 * 8]
	ldp	x0, x1, [x0, #VCPU_REGS_X]
	eret
	dsb	nsh				/* no speculation past the eret */
	isb
ENDFUNC(guest_resume)

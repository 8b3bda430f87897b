/* SPDX-License-Identifier: MIT */
/* Hypervisor and firmware calls with every register under control. */
#include "asm.h"

	.text
/*
 * hostile_hvc_regs(uint64_t regs[18]): x0-x17 from regs, HVC #0, then
 * x0-x17 back into regs: what the call returned, and what it left behind.
 */
FUNC(hostile_hvc_regs)
	stp	x19, x30, [sp, #-16]!
	mov	x19, x0
	ldp	x0, x1, [x19]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	ldp	x8, x9, [x19, #64]
	ldp	x10, x11, [x19, #80]
	ldp	x12, x13, [x19, #96]
	ldp	x14, x15, [x19, #112]
	ldp	x16, x17, [x19, #128]
	hvc	#0
	stp	x0, x1, [x19]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
	ldp	x19, x30, [sp], #16
	ret
ENDFUNC(hostile_hvc_regs)

/* uint64_t hostile_hvc_imm1(uint64_t fid): HVC #1, not an SMCCC call. */
FUNC(hostile_hvc_imm1)
	hvc	#1
	ret
ENDFUNC(hostile_hvc_imm1)

FUNC(hostile_hvc_immffff)
	hvc	#0xffff
	ret
ENDFUNC(hostile_hvc_immffff)

/*
 * uint64_t hostile_smc(fid, a1, a2, a3): SMC #0, for a caller that armed
 * the exception handler (an UNDEF skips the SMC and returns fid).
 * hostile_smc_insn is the SMC's address.
 */
FUNC(hostile_smc)
	.globl	hostile_smc_insn
hostile_smc_insn:
	smc	#0
	ret
ENDFUNC(hostile_smc)

/* hostile_hvc_flood(n): n PSCI_VERSION calls; returns how many answered 1.1. */
FUNC(hostile_hvc_flood)
	mov	x9, x0
	mov	x10, #0
	movz	x11, #0x1, lsl #16
	movk	x11, #0x1
1:	cbz	x9, 2f
	mov	x0, #0x84000000
	hvc	#0
	cmp	x0, x11
	cinc	x10, x10, eq
	sub	x9, x9, #1
	b	1b
2:	mov	x0, x10
	ret
ENDFUNC(hostile_hvc_flood)

/*
 * Where vCPU 1 starts for its last act: with the boot state Tessera gives
 * (MMU off, VBAR_EL1 = 0), UDF takes an exception to 0x200, which is not
 * guest RAM: an instruction abort at the vector, forever.
 */
	.balign	64
FUNC(hostile_fault_loop)
	udf	#0
	b	hostile_fault_loop
ENDFUNC(hostile_fault_loop)

/*
 * hostile_abort_loop(addr, stop, count): reads addr, which aborts, over and
 * over: each abort goes through the hypervisor, which injects it, and the
 * vector below steps over the load and counts. Returns once *stop is set.
 * Runs with its own vectors; uses x9-x14 only, no stack.
 */
FUNC(hostile_abort_loop)
	mrs	x9, vbar_el1
	adr_l	x10, abort_loop_vectors
	msr	vbar_el1, x10
	isb
1:	ldr	w11, [x0]
	ldr	x12, [x1]
	cbz	x12, 1b
	msr	vbar_el1, x9
	isb
	ret
ENDFUNC(hostile_abort_loop)

	.balign	0x800
abort_loop_vectors:
	.rept	4
	.balign	0x80
	b	.
	.endr
	.balign	0x80				/* current EL, SP_ELx, synchronous */
	mrs	x13, elr_el1
	add	x13, x13, #4
	msr	elr_el1, x13
	ldr	x14, [x2]
	add	x14, x14, #1
	str	x14, [x2]
	eret
	.rept	11
	.balign	0x80
	b	.
	.endr

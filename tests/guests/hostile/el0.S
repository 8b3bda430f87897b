/* SPDX-License-Identifier: MIT */
/*
 * Running code at EL0 (AArch64 or AArch32) until its first exception.
 *
 * uint64_t hostile_el0_run(struct el0_run *r): ERET to r->pc with
 * SPSR_EL1 = r->spsr and x0-x3 (r0-r3) = r->x[0..3]; the first exception
 * taken to EL1 (any kind, from a lower EL) ends the run and returns here,
 * with r->x[0..3], r->esr, r->far and r->elr filled in and the vector
 * offset (0x400 lower AArch64 sync, 0x600 lower AArch32 sync, ...)
 * returned. An exception at EL1 itself returns ~0. IRQs stay masked at
 * EL0 (SPSR), so only synchronous exceptions end a run.
 *
 * The callee-saved registers and SP_EL1 are kept in el0_saved meanwhile;
 * EL0 runs on SP_EL0 = r->sp.
 */
#include "asm.h"

#define R_X    0
#define R_PC   32
#define R_SPSR 40
#define R_SP   48
#define R_ESR  56
#define R_FAR  64
#define R_ELR  72

	.text
FUNC(hostile_el0_run)
	adr_l	x9, el0_saved
	stp	x19, x20, [x9]
	stp	x21, x22, [x9, #16]
	stp	x23, x24, [x9, #32]
	stp	x25, x26, [x9, #48]
	stp	x27, x28, [x9, #64]
	stp	x29, x30, [x9, #80]
	mov	x10, sp
	str	x10, [x9, #96]
	str	x0, [x9, #104]			/* struct el0_run * */
	mrs	x10, vbar_el1
	str	x10, [x9, #112]
	adr_l	x10, el0_vectors
	msr	vbar_el1, x10
	ldr	x10, [x0, #R_PC]
	msr	elr_el1, x10
	ldr	x10, [x0, #R_SPSR]
	msr	spsr_el1, x10
	ldr	x10, [x0, #R_SP]
	msr	sp_el0, x10
	isb
	ldp	x2, x3, [x0, #16]
	ldp	x0, x1, [x0]
	eret

/* x9 = the vector offset: save the EL0 state, restore ours, return it. */
el0_back:
	adr_l	x10, el0_saved
	ldr	x11, [x10, #104]
	stp	x0, x1, [x11]
	stp	x2, x3, [x11, #16]
	mrs	x12, esr_el1
	str	x12, [x11, #R_ESR]
	mrs	x12, far_el1
	str	x12, [x11, #R_FAR]
	mrs	x12, elr_el1
	str	x12, [x11, #R_ELR]
	ldr	x12, [x10, #112]
	msr	vbar_el1, x12
	isb
	ldr	x12, [x10, #96]
	mov	sp, x12
	ldp	x19, x20, [x10]
	ldp	x21, x22, [x10, #16]
	ldp	x23, x24, [x10, #32]
	ldp	x25, x26, [x10, #48]
	ldp	x27, x28, [x10, #64]
	ldp	x29, x30, [x10, #80]
	mov	x0, x9
	ret
ENDFUNC(hostile_el0_run)

.macro el0_vector offset
	.balign	0x80
	mov	x9, #\offset
	b	el0_back
.endm

	.balign	0x800
el0_vectors:
	/* current EL: something went wrong at EL1 itself */
	.rept	8
	.balign	0x80
	mov	x9, #-1
	b	el0_back
	.endr
	el0_vector 0x400
	el0_vector 0x480
	el0_vector 0x500
	el0_vector 0x580
	el0_vector 0x600
	el0_vector 0x680
	el0_vector 0x700
	el0_vector 0x780

/* EL0 code, AArch64: one instruction, then SVC. x1 holds an address. */
	.balign	64
FUNC(el0_a64_ldr)
	ldr	w0, [x1]
	svc	#0
ENDFUNC(el0_a64_ldr)

FUNC(el0_a64_hvc)
	hvc	#0
	svc	#0
ENDFUNC(el0_a64_hvc)

FUNC(el0_a64_smc)
	smc	#0
	svc	#0
ENDFUNC(el0_a64_smc)

/* AArch32 (A32 and T32) code for EL0, as data: r1 holds an address. */
	.balign	64
	.globl	el0_a32_ldr
el0_a32_ldr:
	.long	0xe5910000			/* ldr r0, [r1] */
	.long	0xef000000			/* svc #0 */
	.globl	el0_a32_hvc
el0_a32_hvc:
	.long	0xe1400070			/* hvc #0 */
	.long	0xef000000			/* svc #0 */
	.globl	el0_t32_ldr
el0_t32_ldr:
	.short	0x6808				/* ldr r0, [r1] (16-bit) */
	.short	0xdf00				/* svc #0 */
	.short	0xbf00				/* nop */
	.short	0xbf00

	.bss
	.balign	16
el0_saved:
	.space	128

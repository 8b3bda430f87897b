/* SPDX-License-Identifier: MIT */
/*
 * EL1 exception vectors. Every entry saves the caller-saved registers and
 * calls exception_handler(vector) in C, which either returns (an abort a test
 * armed for: ELR_EL1 already moved on) or reports and powers off. Callee-saved
 * registers are preserved by the C code itself, so they are not saved here.
 */
#include "asm.h"

/* x0-x18, x29, x30: 21 registers, rounded up to keep SP 16-byte aligned. */
#define FRAME_SIZE (22 * 8)

.macro ventry vector
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\vector
	b	save_and_handle
.endm

	.text
	.balign	0x800
	.globl	guest_vectors
guest_vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* irq */
	ventry	2	/* fiq */
	ventry	3	/* serror */
	ventry	4	/* current EL, SP_EL1: sync */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64: sync */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15

save_and_handle:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	bl	exception_handler
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #FRAME_SIZE
	eret

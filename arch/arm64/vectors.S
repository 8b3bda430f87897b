/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors. An exception taken from EL2 itself is a Tessera
 * bug: save the whole context in a frame on the current stack and report
 * it. Exceptions from the guests branch to the exit path in guest_entry.S.
 */
#include <arch/asm.h>
#include <arch/exception.h>
#include <arch/guest_exit.h>
#include <core/cpu.h>

/* From a guest: free two registers, find the vCPU, go save the rest. */
.macro guest_vector kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_VCPU]
	mov	x1, #\kind
	b	guest_exit
.endm

.macro ventry vector
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #FRAME_X(0)]
	mov	x1, #\vector
	b	save_and_report
.endm

	.text
	.balign	0x800
	.globl	el2_vectors
el2_vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* irq */
	ventry	2	/* fiq */
	ventry	3	/* serror */
	ventry	4	/* current EL, SP_EL2: sync */
	ventry	5
	ventry	6
	ventry	7
	/* lower EL, AArch64 then AArch32: guest exits */
	guest_vector EXIT_SYNC
	guest_vector EXIT_IRQ
	guest_vector EXIT_FIQ
	guest_vector EXIT_SERROR
	guest_vector EXIT_SYNC
	guest_vector EXIT_IRQ
	guest_vector EXIT_FIQ
	guest_vector EXIT_SERROR

save_and_report:
	stp	x2, x3, [sp, #FRAME_X(2)]
	stp	x4, x5, [sp, #FRAME_X(4)]
	stp	x6, x7, [sp, #FRAME_X(6)]
	stp	x8, x9, [sp, #FRAME_X(8)]
	stp	x10, x11, [sp, #FRAME_X(10)]
	stp	x12, x13, [sp, #FRAME_X(12)]
	stp	x14, x15, [sp, #FRAME_X(14)]
	stp	x16, x17, [sp, #FRAME_X(16)]
	stp	x18, x19, [sp, #FRAME_X(18)]
	stp	x20, x21, [sp, #FRAME_X(20)]
	stp	x22, x23, [sp, #FRAME_X(22)]
	stp	x24, x25, [sp, #FRAME_X(24)]
	stp	x26, x27, [sp, #FRAME_X(26)]
	stp	x28, x29, [sp, #FRAME_X(28)]
	add	x2, sp, #FRAME_SIZE
	stp	x30, x2, [sp, #FRAME_X(30)]	/* x30, and sp before the frame */
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #FRAME_ESR]
	mov	x0, sp
	bl	exception_unexpected
	b	park

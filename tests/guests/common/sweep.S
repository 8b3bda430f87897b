/* SPDX-License-Identifier: MIT */
/*
 * RAM sweep, for ram_test(). For each 64-byte block in [x0, x1), both 64-byte
 * aligned: read its first doubleword, write a pattern derived from the
 * address, read it back, put the original back. Returns in x0 the first
 * block whose read-back differed, with {pattern, value read} stored at [x2],
 * or x1 if none did.
 *
 * Between the pattern write and the restore it touches nothing but the
 * block under test and registers, so it can sweep over the stack, the DTB
 * and the rest of the image. Not over its own instructions, though: they
 * could be fetched while the pattern is there. Hence two copies, each in
 * 64-byte lines of its own: ram_test() sweeps copy A with copy B and
 * everything else with copy A.
 *
 * <name>_abort is where the exception handler resumes if an access aborts:
 * it returns with x0 still at the block that faulted.
 */
#include "asm.h"

.macro sweep name
	.balign	64
FUNC(\name)
	movz	x9, #0x5a5a
	movk	x9, #0xa5a5, lsl #16
	movk	x9, #0x5a5a, lsl #32
	movk	x9, #0xa5a5, lsl #48
1:	cmp	x0, x1
	b.hs	3f
	ldr	x3, [x0]			/* original */
	eor	x4, x0, x9			/* pattern */
	cmp	x4, x3
	csinv	x4, x4, x4, ne			/* never the value already there */
	str	x4, [x0]
	ldr	x5, [x0]
	str	x3, [x0]
	cmp	x5, x4
	b.ne	2f
	add	x0, x0, #64
	b	1b
2:	stp	x4, x5, [x2]
	.globl	\name\()_abort
\name\()_abort:
3:	ret
ENDFUNC(\name)
	.balign	64
	.globl	\name\()_end
\name\()_end:
.endm

	.text
	sweep	ram_sweep_a
	sweep	ram_sweep_b

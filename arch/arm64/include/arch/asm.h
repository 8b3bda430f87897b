/* SPDX-License-Identifier: MIT */
/* Assembly helpers. */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

#ifdef __ASSEMBLER__
/* clang-format off */
/* Position-independent address of a symbol (+/- 4 GiB of the PC). */
.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

#define FUNC(name) .globl name; .type name, %function; name:
#define ENDFUNC(name) .size name, . - name
/* clang-format on */
#endif

#endif

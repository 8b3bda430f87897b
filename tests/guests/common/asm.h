/* SPDX-License-Identifier: MIT */
/*
 * Assembly and system-register helpers for the test guests. The guests keep
 * their own copy rather than including arch/arm64/: they must build, and keep
 * testing the same thing, whatever the hypervisor's internals become.
 */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H

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
#else
#include <stdint.h>

#define read_sysreg(reg)                                                                           \
	({                                                                                         \
		uint64_t __v;                                                                      \
		asm volatile("mrs %0, " #reg : "=r"(__v));                                         \
		__v;                                                                               \
	})
#define write_sysreg(reg, v) asm volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)))

#define __noreturn     __attribute__((noreturn))
#define __printf(f, a) __attribute__((format(printf, f, a)))
#endif

#endif

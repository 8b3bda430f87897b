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

/*
 * With the MMU off every data access is Device-nGnRnE: another CPU sees
 * plain stores in program order, so these are all the guests need.
 */
#define isb()	       asm volatile("isb" : : : "memory")
#define dsb(opt)       asm volatile("dsb " #opt : : : "memory")
#define sev()	       asm volatile("sev" : : : "memory")
#define wfe()	       asm volatile("wfe" : : : "memory")
#define wfi()	       asm volatile("wfi" : : : "memory")
#define irq_mask()     asm volatile("msr daifset, #2" : : : "memory")
#define irq_unmask()   asm volatile("msr daifclr, #2\n\tisb" : : : "memory")
#endif

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Entry points. Firmware enters primary_entry at EL2 with the MMU off and
 * x0 = host DTB, per the Linux arm64 boot protocol; the image header below
 * lets QEMU -kernel, U-Boot booti and the Raspberry Pi firmware load us.
 * Tessera is linked at 0 as a PIE and relocates itself, so any 2 MiB-aligned
 * load address works.
 */
#include <arch/asm.h>
#include <arch/sysreg.h>
#include <core/limits.h>
#include <arch/secondary_boot.h>

#define R_AARCH64_RELATIVE 1027
/* Image flags: little-endian, 4 KiB pages, may be placed anywhere in RAM. */
#define IMAGE_FLAGS 0xa

	.section .text.head, "ax"
	.globl	_head
_head:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	_image_size			/* image_size, BSS included */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

	.text
FUNC(primary_entry)
	mov	x19, x0				/* host DTB */
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL2
	b.ne	not_el2
	bl	el2_reset_state
	adr_l	x20, _head			/* runtime load address */
	bl	relocate
	bl	clear_bss
	bl	invalidate_image
	adr_l	x0, boot_stack + CPU_STACK_SIZE
	mov	sp, x0
	adr_l	x0, el2_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	mov	x1, x20
	bl	boot_primary			/* never returns */
	b	park
ENDFUNC(primary_entry)

/*
 * Secondary CPUs arrive here from PSCI CPU_ON or a spin-table release, MMU
 * off. They find their index by MPIDR in secondary_boot (cleaned to PoC by
 * the boot CPU), take that CPU's stack and the boot CPU's translation regime.
 */
FUNC(secondary_entry)
	bl	check_el2
	bl	el2_reset_state
	mrs	x1, mpidr_el1
	ldr	x2, =MPIDR_AFF_MASK
	and	x1, x1, x2
	adr_l	x2, secondary_boot
	ldr	x3, [x2, #SB_NCPUS]
	add	x4, x2, #SB_MPIDR
	mov	x0, #0
1:	cmp	x0, x3
	b.hs	park				/* not a CPU we were told about */
	ldr	x5, [x4, x0, lsl #3]
	cmp	x5, x1
	b.eq	2f
	add	x0, x0, #1
	b	1b
2:	adr_l	x5, cpu_stacks
	add	x6, x0, #1
	add	x5, x5, x6, lsl #CPU_STACK_SHIFT
	mov	sp, x5
	mov	x19, x0
	ldr	x0, [x2, #SB_TTBR]
	ldr	x1, [x2, #SB_TCR]
	bl	arch_mmu_enable
	adr_l	x0, el2_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	boot_secondary			/* never returns */
	b	park
ENDFUNC(secondary_entry)

/*
 * Entered at EL1 (or EL3): refuse. The DTB cannot be parsed with the MMU off,
 * so the message goes to the board's known UART, if it has one; then park.
 */
not_el2:
#ifdef BOARD_EARLY_UART
	adr_l	x1, not_el2_msg
	ldr	x2, =BOARD_EARLY_UART
1:	ldrb	w3, [x1], #1
	cbz	w3, park
2:	ldr	w4, [x2, #0x18]			/* UARTFR */
	tbnz	w4, #5, 2b			/* TXFF */
	str	w3, [x2]			/* UARTDR */
	b	1b
#endif
	b	park

	.section .rodata
not_el2_msg:
	.asciz	"[tessera] error: not entered at EL2; Tessera needs the virtualization extensions (QEMU: -M virt,virtualization=on)\r\n"
	.text

/* Secondaries at the wrong EL have nobody to tell: park. */
check_el2:
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL2
	b.ne	park
	ret

/* Known EL2 state whatever firmware left: MMU off, no VHE, FP usable. */
el2_reset_state:
	ldr	x9, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x9
	isb
	mov	x9, #HCR_EL2_RW
	msr	hcr_el2, x9
	ldr	x9, =CPTR_EL2_BOOT
	msr	cptr_el2, x9
	msr	cntvoff_el2, xzr
	msr	tpidr_el2, xzr			/* no struct cpu yet */
	/* Event stream (~every 2^16 ticks) wakes WFE so waits can time out. */
	mov	x9, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EVNTEN | (15 << CNTHCTL_EVNTI_SHIFT))
	msr	cnthctl_el2, x9
	isb
	ret

/* Apply R_AARCH64_RELATIVE entries: *(base + offset) = base + addend. */
relocate:
	adr_l	x9, __rela_start
	adr_l	x10, __rela_end
1:	cmp	x9, x10
	b.hs	2f
	ldp	x11, x12, [x9], #16		/* r_offset, r_info */
	ldr	x13, [x9], #8			/* r_addend */
	cmp	w12, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x13, x13, x20
	str	x13, [x20, x11]
	b	1b
2:	ret

clear_bss:
	adr_l	x9, __bss_start
	adr_l	x10, __bss_end
1:	cmp	x9, x10
	b.hs	2f
	stp	xzr, xzr, [x9], #16
	b	1b
2:	ret

/*
 * Our writes so far bypassed the caches (MMU off); drop any stale lines the
 * loader left for the image so cacheable accesses later see memory.
 */
invalidate_image:
	mrs	x9, ctr_el0
	ubfx	x9, x9, #CTR_EL0_DMINLINE_SHIFT, #4
	mov	x11, #4
	lsl	x11, x11, x9			/* DminLine counts words */
	adr_l	x9, _head
	adr_l	x10, __image_end
	sub	x12, x11, #1
	bic	x9, x9, x12
1:	cmp	x9, x10
	b.hs	2f
	dc	ivac, x9
	add	x9, x9, x11
	b	1b
2:	dsb	sy
	ic	iallu
	dsb	sy
	isb
	ret

FUNC(park)
	wfe
	b	park
ENDFUNC(park)

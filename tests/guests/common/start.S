/* SPDX-License-Identifier: MIT */
/*
 * Test-guest entry. A loader (the hypervisor, QEMU -kernel, U-Boot booti)
 * enters at EL1 with the MMU off and x0 = DTB, per the Linux arm64 boot
 * protocol; the image header below is what lets them load us. The guest is
 * linked at 0 as a PIE and relocates itself, so any 2 MiB-aligned load
 * address works.
 *
 * The MMU stays off: all data accesses are then Device-nGnRnE, so the C code
 * is built -mstrict-align and must not use exclusives or DC ZVA. That is
 * slow on hardware, but it keeps a test guest free of page tables that a RAM
 * sweep would have to step around.
 */
#include "asm.h"
#include "smp.h"

#define R_AARCH64_RELATIVE 1027
/* Image flags: little-endian, 4 KiB pages, may be placed anywhere in RAM. */
#define IMAGE_FLAGS 0xa

#define CURRENTEL_EL1 (1 << 2)
#define CURRENTEL_EL2 (2 << 2)
/* RES1 bits of ARMv8.0; MMU, caches and alignment checks off. */
#define SCTLR_EL1_MMU_OFF 0x30d00800
#define CPACR_EL1_FPEN (3 << 20)
#define HCR_EL2_RW (1 << 31)
#define CPTR_EL2_RES1 0x33ff
#define CNTHCTL_EL1PCTEN_EL1PCEN 3
/* EL1h with D, A, I and F masked. */
#define SPSR_EL1H_MASKED 0x3c5
#define DAIF_SERROR 4
/* ID_AA64PFR0_EL1.GIC: GICv3 system registers; ICC_SRE_EL2 SRE|DFB|DIB|Enable */
#define PFR0_GIC_SHIFT 24
#define ICC_SRE_EL2_ALL 0xf

#define STACK_SIZE 16384

	.section .text.head, "ax"
	.globl	_head
_head:
	b	guest_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	_image_size			/* image_size, BSS included */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

	.text
FUNC(guest_entry)
	mov	x19, x0				/* DTB */
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL2
	b.ne	1f
	bl	drop_to_el1
1:	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL1
	b.ne	park				/* EL3: nobody to tell */
	ldr	x9, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x9
	/* libfdt is built with FP/SIMD; without this it would trap. */
	mov	x9, #CPACR_EL1_FPEN
	msr	cpacr_el1, x9
	msr	spsel, #1
	isb
	adr_l	x20, _head			/* runtime load address */
	bl	relocate
	bl	clear_bss
	adr_l	x9, guest_stack + STACK_SIZE
	mov	sp, x9
	msr	tpidr_el1, xzr			/* smp.h: this is CPU slot 0 */
	adr_l	x9, guest_vectors
	msr	vbar_el1, x9
	isb
	/* An asynchronous abort must be reported, not stay pending forever. */
	msr	daifclr, #DAIF_SERROR
	mov	x0, x19
	bl	guest_start			/* never returns */
	b	park
ENDFUNC(guest_entry)

/*
 * Entered at EL2 (bare QEMU with virtualization=on): become a plain EL1
 * guest of nothing, so the same image also runs there. HCR_EL2.VM stays 0.
 */
drop_to_el1:
	mov	x9, #HCR_EL2_RW
	msr	hcr_el2, x9
	mov	x9, #CPTR_EL2_RES1
	msr	cptr_el2, x9
	mov	x9, #CNTHCTL_EL1PCTEN_EL1PCEN
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mrs	x9, midr_el1
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	/* GICv3: let EL1 use the system-register CPU interface. */
	mrs	x9, id_aa64pfr0_el1
	ubfx	x9, x9, #PFR0_GIC_SHIFT, #4
	cbz	x9, 1f
	mov	x9, #ICC_SRE_EL2_ALL
	msr	S3_4_C12_C9_5, x9		/* ICC_SRE_EL2 */
	isb
1:	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	msr	elr_el2, x30
	eret

/*
 * Where PSCI CPU_ON starts a secondary CPU (smp.c), x0 = its slot. The
 * primary has relocated the image and cleared BSS long before. A slot out
 * of range (a wrong context ID) is recorded in smp_bad_context and the CPU
 * parks: slot 0's stack is the primary's.
 */
FUNC(secondary_entry)
	mov	x19, x0
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL2
	b.ne	1f
	bl	drop_to_el1
1:	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL1
	b.ne	park
	ldr	x9, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x9
	mov	x9, #CPACR_EL1_FPEN
	msr	cpacr_el1, x9
	msr	spsel, #1
	isb
	cbz	x19, 2f
	cmp	x19, #SMP_MAX_CPUS
	b.hs	2f
	msr	tpidr_el1, x19
	adr_l	x9, secondary_stacks
	add	x10, x19, #1
	mov	x11, #SMP_STACK_SIZE
	madd	x9, x10, x11, x9		/* top of slot x19's stack */
	mov	sp, x9
	adr_l	x9, guest_vectors
	msr	vbar_el1, x9
	isb
	msr	daifclr, #DAIF_SERROR
	mov	x0, x19
	bl	secondary_start			/* never returns */
	b	park
2:	adr_l	x9, smp_bad_context
	orr	x19, x19, #(1 << 63)		/* "set", even for a context of 0 */
	str	x19, [x9]
	dsb	sy
	sev
	b	park
ENDFUNC(secondary_entry)

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

FUNC(park)
	wfi
	b	park
ENDFUNC(park)

	.bss
	.balign	16
guest_stack:
	.space	STACK_SIZE
	/* Slot n (1..SMP_MAX_CPUS-1) uses the n-th; the 0th is unused. */
secondary_stacks:
	.space	SMP_STACK_SIZE * SMP_MAX_CPUS
	.balign	8
	.globl	smp_bad_context
smp_bad_context:
	.space	8

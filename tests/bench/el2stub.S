/* SPDX-License-Identifier: MIT */
/*
 * The floor of a trap round trip: an EL2 "hypervisor" whose every guest
 * exit is two instructions,
 *
 *	mov	x0, xzr
 *	eret
 *
 * so an HVC costs hvc + mov + eret = 3 instructions. QEMU -kernel loads this
 * image (an arm64 Image header, x0 = DTB) at EL2; it sets the minimum an EL1
 * guest needs (HCR_EL2.RW, no FP/timer traps, the GICv3 system registers)
 * and erets to the guest that tests/bench/run.py loads 2 MiB above it, at
 * EL1h with x0 still the DTB. Nothing else traps: HCR_EL2.VM, IMO, TSC are
 * 0, so the guest's SMC reaches QEMU's own PSCI firmware and its memory and
 * interrupts are the machine's. CPUs that PSCI CPU_ON starts at EL2 drop to
 * EL1 in the guest's own start code.
 */
#define HCR_EL2_RW	  (1 << 31)
#define CPTR_EL2_RES1	  0x33ff
#define CNTHCTL_EL1PCTEN  3 /* EL1PCTEN | EL1PCEN */
#define SPSR_EL1H_MASKED  0x3c5
#define PFR0_GIC_SHIFT	  24
#define ICC_SRE_EL2_ALL	  0xf
#define ICC_SRE_EL2	  S3_4_C12_C9_5
#define GUEST_OFFSET	  0x200000
#define CURRENTEL_EL2	  (2 << 2)

	.section .text.head, "ax"
	.globl	_head
_head:
	b	stub_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	GUEST_OFFSET			/* image_size: the guest follows */
	.quad	0xa				/* LE, 4 KiB pages, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

stub_entry:
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL2
	b.ne	park
	adr	x9, stub_vectors
	msr	vbar_el2, x9
	mov	x9, #HCR_EL2_RW
	msr	hcr_el2, x9
	mov	x9, #CPTR_EL2_RES1
	msr	cptr_el2, x9
	mov	x9, #CNTHCTL_EL1PCTEN
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mrs	x9, midr_el1
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mrs	x9, id_aa64pfr0_el1
	ubfx	x9, x9, #PFR0_GIC_SHIFT, #4
	cbz	x9, 1f
	mov	x9, #ICC_SRE_EL2_ALL
	msr	ICC_SRE_EL2, x9
1:	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	adr	x9, _head
	add	x9, x9, #GUEST_OFFSET
	msr	elr_el2, x9
	isb
	eret

park:
	wfi
	b	park

/* Every guest exit: x0 = 0 (SMCCC SUCCESS), back to the guest. */
.macro exit_stub
	.balign	0x80
	mov	x0, xzr
	eret
.endm
/* Anything from EL2 itself: stop. */
.macro el2_fault
	.balign	0x80
	b	park
.endm

	.balign	0x800
stub_vectors:
	.rept	8
	el2_fault
	.endr
	.rept	8
	exit_stub
	.endr

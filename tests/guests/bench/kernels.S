/* SPDX-License-Identifier: MIT */
/*
 * The measured code of the bench guest. Each kernel brackets one operation
 * between two reads of CNTVCT_EL0 and returns the difference. Under
 * `-icount shift=0` the counter advances once per instruction, so the result
 * is an instruction count: every instruction the operation made any CPU run,
 * at any exception level, plus the first counter read. main.c subtracts that
 * bracket (bench_empty) and keeps the minimum of several repetitions.
 *
 * While a kernel runs, VBAR_EL1 points at bench_vectors (main.c switches it):
 *  - a synchronous exception at EL1 (an UNDEF, say) is counted in
 *    bench_sync_count, its ESR kept in bench_sync_esr, and skipped;
 *    clobbers x16 and x17 only.
 *  - an IRQ reads the counter with its very first instruction (into x15),
 *    acknowledges the interrupt (x13 = IAR), turns the virtual timer off,
 *    EOIs and sets x12 = 1; clobbers x12-x15 only. The kernels that wait for
 *    an interrupt keep nothing of their own in those registers.
 *  - anything else goes to the framework's vectors, which report it.
 */
#include "asm.h"

#define ICC_IAR1_EL1  S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define GICC_IAR      0x0c
#define GICC_EOIR     0x10
#define CNTV_ENABLE   1

/* struct bench_mbox in bench.h */
#define MB_SEQ	 0
#define MB_T	 8
#define MB_INTID 16
#define MB_STOP	 24

/* A kernel's waits give up after this many iterations (no interrupt came). */
#define WAIT_LIMIT 0x10000000

/* Bracket helpers: x19 = t0, x20 = t1; both callee-saved, so saved here. */
.macro begin
	stp	x19, x20, [sp, #-16]!
.endm
.macro t0
	mrs	x19, cntvct_el0
.endm
.macro t1_return
	mrs	x20, cntvct_el0
	sub	x0, x20, x19
	ldp	x19, x20, [sp], #16
	ret
.endm

/* Wait for the IRQ handler's x12 = 1, at most WAIT_LIMIT rounds; x11 counts. */
.macro wait_irq
	movz	x11, #(WAIT_LIMIT >> 16), lsl #16
1:	cbnz	x12, 2f
	subs	x11, x11, #1
	b.ne	1b
2:
.endm

/* The handler's INTID and "it came" flag, for main.c to check; uses x9. */
.macro store_irq
	adr_l	x9, bench_irq_intid
	str	x13, [x9]
	adr_l	x9, bench_irq_seen
	str	x12, [x9]
.endm

	.text
/* uint64_t bench_empty(void): the bracket alone. */
FUNC(bench_empty)
	begin
	t0
	t1_return
ENDFUNC(bench_empty)

/* uint64_t bench_hvc(uint64_t fn): an SMCCC call, HVC #0, x0 = fn. */
FUNC(bench_hvc)
	begin
	t0
	hvc	#0
	t1_return
ENDFUNC(bench_hvc)

FUNC(bench_smc)
	begin
	t0
	smc	#0
	t1_return
ENDFUNC(bench_smc)

/* uint64_t bench_read32(uintptr_t addr): one LDR (mmio.h's form). */
FUNC(bench_read32)
	begin
	t0
	ldr	w1, [x0]
	t1_return
ENDFUNC(bench_read32)

/* uint64_t bench_write32(uintptr_t addr, uint32_t value): one STR. */
FUNC(bench_write32)
	begin
	t0
	str	w1, [x0]
	t1_return
ENDFUNC(bench_write32)

/* ID_AA64PFR0_EL1: an ID group 3 register (HCR_EL2.TID3 traps it). */
FUNC(bench_id_read)
	begin
	t0
	mrs	x1, id_aa64pfr0_el1
	t1_return
ENDFUNC(bench_id_read)

/* ACTLR_EL1 (HCR_EL2.TACR traps it). */
FUNC(bench_actlr_read)
	begin
	t0
	mrs	x1, actlr_el1
	t1_return
ENDFUNC(bench_actlr_read)

/*
 * uint64_t bench_vtimer(uint64_t ticks): the virtual timer fires `ticks`
 * from now while this CPU spins with IRQs unmasked. Returns the handler's
 * first counter read minus CVAL: the instructions from the deadline to the
 * first instruction of the handler.
 */
FUNC(bench_vtimer)
	mov	x12, #0
	mrs	x1, cntvct_el0
	add	x1, x1, x0
	msr	cntv_cval_el0, x1
	mov	x2, #CNTV_ENABLE
	msr	cntv_ctl_el0, x2
	isb
	msr	daifclr, #2
	wait_irq
	msr	daifset, #2
	store_irq
	sub	x0, x15, x1
	ret
ENDFUNC(bench_vtimer)

/*
 * uint64_t bench_wfi(uint64_t ticks): as bench_vtimer, but the CPU waits in
 * WFI with IRQs masked. Returns the counter at the first instruction after
 * the WFI minus CVAL. The interrupt is then taken (and EOId) normally.
 */
FUNC(bench_wfi)
	mov	x12, #0
	msr	daifset, #2
	mrs	x1, cntvct_el0
	add	x1, x1, x0
	msr	cntv_cval_el0, x1
	mov	x2, #CNTV_ENABLE
	msr	cntv_ctl_el0, x2
	isb
	wfi
	mrs	x3, cntvct_el0
	msr	daifclr, #2
	wait_irq
	msr	daifset, #2
	store_irq
	sub	x0, x3, x1
	ret
ENDFUNC(bench_wfi)

/*
 * uint64_t bench_sgi_sysreg(uint64_t sgi1r): an SGI through ICC_SGI1R_EL1
 * to this CPU. Returns the handler's first counter read minus the read just
 * before the MSR.
 */
FUNC(bench_sgi_sysreg)
	mov	x12, #0
	msr	daifclr, #2
	mrs	x1, cntvct_el0
	msr	ICC_SGI1R_EL1, x0
	isb
	wait_irq
	msr	daifset, #2
	store_irq
	sub	x0, x15, x1
	ret
ENDFUNC(bench_sgi_sysreg)

/* uint64_t bench_sgi_mmio(uintptr_t gicd_sgir, uint32_t value): GICv2. */
FUNC(bench_sgi_mmio)
	mov	x12, #0
	msr	daifclr, #2
	mrs	x2, cntvct_el0
	str	w1, [x0]
	wait_irq
	msr	daifset, #2
	store_irq
	sub	x0, x15, x2
	ret
ENDFUNC(bench_sgi_mmio)

/*
 * uint64_t bench_sgi_other_sysreg(uint64_t sgi1r, struct bench_mbox *m):
 * an SGI to another CPU that waits in bench_irq_server. Returns the counter
 * read by the first instruction of that CPU's handler minus the read just
 * before the MSR.
 */
FUNC(bench_sgi_other_sysreg)
	ldr	x3, [x1, #MB_SEQ]
	mrs	x2, cntvct_el0
	msr	ICC_SGI1R_EL1, x0
	isb
	b	wait_mbox
ENDFUNC(bench_sgi_other_sysreg)

/* uint64_t bench_sgi_other_mmio(uintptr_t gicd_sgir, uint32_t v, mbox *m) */
FUNC(bench_sgi_other_mmio)
	mov	x4, x1
	mov	x1, x2
	ldr	x3, [x1, #MB_SEQ]
	mrs	x2, cntvct_el0
	str	w4, [x0]
	/* fall through */
/*
 * x1 = mbox, x2 = t0, x3 = the sequence number before: wait for the next.
 * WFE first: under QEMU TCG it yields the (single, round-robin) host thread
 * to the other CPUs at once, as an idle sender would on hardware; spinning
 * instead would count the sender's spin until its time slice ends.
 */
wait_mbox:
	movz	x11, #(WAIT_LIMIT >> 16), lsl #16
1:	wfe
	ldr	x4, [x1, #MB_SEQ]
	cmp	x4, x3
	b.ne	2f
	subs	x11, x11, #1
	b.ne	1b
	mov	x0, #0
	ret
2:	ldr	x4, [x1, #MB_T]
	sub	x0, x4, x2
	ret
ENDFUNC(bench_sgi_other_mmio)

/*
 * void bench_irq_server(struct bench_mbox *m): on a secondary CPU, wait in
 * WFI with IRQs unmasked; after each interrupt publish the handler's counter
 * read and INTID and bump the sequence number. Returns once m->stop is set
 * (the caller sends one more SGI to wake it).
 */
FUNC(bench_irq_server)
	mov	x12, #0
	msr	daifclr, #2
1:	wfi
	cbz	x12, 2f
	str	x15, [x0, #MB_T]
	str	x13, [x0, #MB_INTID]
	ldr	x1, [x0, #MB_SEQ]
	add	x1, x1, #1
	dsb	sy
	str	x1, [x0, #MB_SEQ]
	dsb	sy
	sev
	mov	x12, #0
2:	ldr	x1, [x0, #MB_STOP]
	cbz	x1, 1b
	msr	daifset, #2
	ret
ENDFUNC(bench_irq_server)

/*
 * uint64_t bench_walk(uintptr_t base, uint64_t pages): one 64-bit load from
 * each 4 KiB page of [base, base + pages * 4 KiB). With the MMU off every
 * access is a stage-2 translation only (under a hypervisor).
 */
FUNC(bench_walk)
	begin
	t0
1:	ldr	x2, [x0]
	add	x0, x0, #4096
	subs	x1, x1, #1
	b.ne	1b
	t1_return
ENDFUNC(bench_walk)

/* --- vectors --------------------------------------------------------------- */

/* Not ours: hand it to the framework's vectors, which report it. */
.macro vforward vector
	.balign	0x80
	adr_l	x16, guest_vectors
	msr	vbar_el1, x16
	add	x16, x16, #(\vector * 0x80)
	br	x16
.endm

	.balign	0x800
	.globl	bench_vectors
bench_vectors:
	vforward 0
	vforward 1
	vforward 2
	vforward 3
	/* current EL, SP_ELx: sync. Count it, skip the instruction. */
	.balign	0x80
	mrs	x16, elr_el1
	add	x16, x16, #4
	msr	elr_el1, x16
	adr_l	x16, bench_sync_count
	ldr	x17, [x16]
	add	x17, x17, #1
	str	x17, [x16]
	mrs	x17, esr_el1
	str	x17, [x16, #8]			/* bench_sync_esr */
	eret
	/* current EL, SP_ELx: IRQ */
	.balign	0x80
	mrs	x15, cntvct_el0			/* the first handler instruction */
	adr_l	x14, bench_gicc
	ldr	x14, [x14]
	cbnz	x14, 1f
	mrs	x13, ICC_IAR1_EL1
	msr	cntv_ctl_el0, xzr
	msr	ICC_EOIR1_EL1, x13
	and	x13, x13, #0xffffff
	b	2f
1:	ldr	w13, [x14, #GICC_IAR]
	msr	cntv_ctl_el0, xzr
	str	w13, [x14, #GICC_EOIR]
	and	x13, x13, #0x3ff		/* without the SGI's source CPU */
2:	cmp	x13, #1020
	b.hs	3f				/* spurious: keep waiting */
	mov	x12, #1
3:	isb
	eret
	vforward 6
	vforward 7
	vforward 8
	vforward 9
	vforward 10
	vforward 11
	vforward 12
	vforward 13
	vforward 14
	vforward 15

	.data
	.balign	8
	.globl	bench_sync_count, bench_sync_esr, bench_gicc, bench_irq_intid, bench_irq_seen
bench_sync_count:
	.quad	0
bench_sync_esr:
	.quad	0
/* GICv2: the CPU interface's base (GICC, or GICV under a hypervisor); 0: GICv3. */
bench_gicc:
	.quad	0
bench_irq_intid:
	.quad	0
bench_irq_seen:
	.quad	0

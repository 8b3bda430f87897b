/* SPDX-License-Identifier: MIT */
/*
 * Exception injection into a guest's EL1. Expected values are spelled out
 * from the Arm ARM (ESR_ELx, vector offsets, AArch64.TakeException), not
 * from core/esr.h or core/inject.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/inject.h"

#define VBAR	0xffff800010010800ull /* 2 KiB aligned */
#define PC	0xffff800010123454ull
#define VA	0xffff00000badf00dull
#define FAR_OLD 0x5a5a5a5a5a5a5a5aull

/* PSTATE / SPSR_EL1 (AArch64 layout) */
#define M_EL0t	   0x0ull
#define M_EL1t	   0x4ull
#define M_EL1h	   0x5ull
#define M_USR32	   0x10ull /* AArch32 User: M[4] = 1 */
#define DAIF_ALL   0x3c0ull
#define F_PAN	   (1ull << 22)
#define F_DIT	   (1ull << 24)
#define F_SSBS	   (1ull << 12)
#define F_NZCV	   (0xfull << 28)
#define F_SPAN	   (1ull << 23)	 /* SCTLR_EL1.SPAN */
#define F_DSSBS	   (1ull << 44)	 /* SCTLR_EL1.DSSBS */
#define SCTLR_RES1 0x30500800ull /* SCTLR_EL1 RES1 bits of v8.0 except SPAN (23) */

/* ESR_EL1 values, composed by hand: EC << 26 | IL | ISS */
#define ESR_DABT_CUR_READ  0x96000010ull /* EC 0x25, IL, DFSC 0x10 */
#define ESR_DABT_CUR_WRITE 0x96000050ull /* ... WnR */
#define ESR_DABT_LOW_READ  0x92000010ull /* EC 0x24 */
#define ESR_DABT_LOW_WRITE 0x92000050ull
#define ESR_IABT_CUR	   0x86000010ull /* EC 0x21, IL, IFSC 0x10 */
#define ESR_IABT_LOW	   0x82000010ull /* EC 0x20 */
#define ESR_UNKNOWN	   0x02000000ull /* EC 0x00, IL */

static struct el1_exc exc(uint64_t pstate, uint64_t sctlr)
{
	return (struct el1_exc){
		.pc = PC,
		.pstate = pstate,
		.vbar = VBAR,
		.sctlr = sctlr,
		.esr = 0x1111,
		.far = FAR_OLD,
		.elr = 0x2222,
		.spsr = 0x3333,
	};
}

/* What every synchronous entry to EL1 leaves behind. */
static void assert_entry(const struct el1_exc *e, uint64_t old_pstate, uint64_t vec_off,
			 uint64_t esr, uint64_t new_pstate)
{
	assert_int_equal(e->esr, esr);
	assert_int_equal(e->elr, PC);
	assert_int_equal(e->spsr, old_pstate);
	assert_int_equal(e->pc, VBAR + vec_off);
	assert_int_equal(e->pstate, new_pstate);
	/* Inputs the entry only reads. */
	assert_int_equal(e->vbar, VBAR);
}

/* --- data aborts --------------------------------------------------------- */

static void dabt_el1h(void **state)
{
	struct el1_exc e = exc(M_EL1h, SCTLR_RES1);

	(void)state;
	inject_data_abort(&e, VA, false);
	assert_entry(&e, M_EL1h, 0x200, ESR_DABT_CUR_READ, DAIF_ALL | M_EL1h | F_PAN);
	assert_int_equal(e.far, VA);

	e = exc(M_EL1h | DAIF_ALL, SCTLR_RES1);
	inject_data_abort(&e, VA, true);
	assert_entry(&e, M_EL1h | DAIF_ALL, 0x200, ESR_DABT_CUR_WRITE, 0x4003c5);
	assert_int_equal(e.far, VA);
}

static void dabt_el1t(void **state)
{
	struct el1_exc e = exc(M_EL1t, SCTLR_RES1);

	(void)state;
	inject_data_abort(&e, VA, true);
	assert_entry(&e, M_EL1t, 0x000, ESR_DABT_CUR_WRITE, DAIF_ALL | M_EL1h | F_PAN);
	assert_int_equal(e.far, VA);
}

static void dabt_el0_aarch64(void **state)
{
	struct el1_exc e = exc(M_EL0t, SCTLR_RES1);

	(void)state;
	inject_data_abort(&e, 0x0000aaaabbbbc000ull, false);
	assert_entry(&e, M_EL0t, 0x400, ESR_DABT_LOW_READ, DAIF_ALL | M_EL1h | F_PAN);
	assert_int_equal(e.far, 0x0000aaaabbbbc000ull);

	e = exc(M_EL0t, SCTLR_RES1);
	inject_data_abort(&e, 0x1000, true);
	assert_entry(&e, M_EL0t, 0x400, ESR_DABT_LOW_WRITE, DAIF_ALL | M_EL1h | F_PAN);
	assert_int_equal(e.far, 0x1000);
}

static void dabt_el0_aarch32(void **state)
{
	/* AArch32 User mode, Thumb (T, bit 5) */
	uint64_t cpsr = M_USR32 | (1ull << 5);
	struct el1_exc e = exc(cpsr, SCTLR_RES1);

	(void)state;
	inject_data_abort(&e, 0x8000, true);
	assert_entry(&e, cpsr, 0x600, ESR_DABT_LOW_WRITE, DAIF_ALL | M_EL1h | F_PAN);
	assert_int_equal(e.far, 0x8000);
}

/* --- instruction aborts -------------------------------------------------- */

static void iabt_every_mode(void **state)
{
	static const struct {
		uint64_t pstate, vec, esr;
	} cases[] = {
		{M_EL1h, 0x200, ESR_IABT_CUR},
		{M_EL1t, 0x000, ESR_IABT_CUR},
		{M_EL0t, 0x400, ESR_IABT_LOW},
		{M_USR32, 0x600, ESR_IABT_LOW},
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct el1_exc e = exc(cases[i].pstate, SCTLR_RES1);

		inject_insn_abort(&e, PC);
		assert_entry(&e, cases[i].pstate, cases[i].vec, cases[i].esr,
			     DAIF_ALL | M_EL1h | F_PAN);
		assert_int_equal(e.far, PC);
	}
}

/* --- undefined instruction ----------------------------------------------- */

static void undef_every_mode(void **state)
{
	static const struct {
		uint64_t pstate, vec;
	} cases[] = {
		{M_EL1h, 0x200},
		{M_EL1t, 0x000},
		{M_EL0t, 0x400},
		{M_USR32, 0x600},
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct el1_exc e = exc(cases[i].pstate, SCTLR_RES1);

		inject_undef(&e);
		/* EC 0x00 is the same from either EL; IL is RES1 for it. */
		assert_entry(&e, cases[i].pstate, cases[i].vec, ESR_UNKNOWN,
			     DAIF_ALL | M_EL1h | F_PAN);
		/* FAR_EL1 is not written for an undefined instruction. */
		assert_int_equal(e.far, FAR_OLD);
	}
}

/* --- PSTATE.PAN and SCTLR_EL1.SPAN --------------------------------------- */

static void pan_set_on_entry_when_span_clear(void **state)
{
	struct el1_exc e = exc(M_EL1h, SCTLR_RES1);

	(void)state;
	inject_undef(&e);
	assert_int_equal(e.pstate & F_PAN, F_PAN);
	/* Already set: stays set. */
	e = exc(M_EL0t | F_PAN, SCTLR_RES1);
	inject_data_abort(&e, VA, false);
	assert_int_equal(e.pstate, DAIF_ALL | M_EL1h | F_PAN);
	assert_int_equal(e.spsr, M_EL0t | F_PAN);
}

static void pan_preserved_when_span_set(void **state)
{
	struct el1_exc e = exc(M_EL1h, SCTLR_RES1 | F_SPAN);

	(void)state;
	inject_data_abort(&e, VA, false);
	assert_int_equal(e.pstate, DAIF_ALL | M_EL1h);
	assert_int_equal(e.spsr, M_EL1h);

	e = exc(M_EL1h | F_PAN, SCTLR_RES1 | F_SPAN);
	inject_insn_abort(&e, PC);
	assert_int_equal(e.pstate, DAIF_ALL | M_EL1h | F_PAN);
	assert_int_equal(e.spsr, M_EL1h | F_PAN);

	e = exc(M_EL0t | F_PAN, SCTLR_RES1 | F_SPAN);
	inject_undef(&e);
	assert_int_equal(e.pstate, DAIF_ALL | M_EL1h | F_PAN);
}

/* SPSR_EL1 is the whole old PSTATE, and entry clears SS, IL and the AArch32 bits. */
static void spsr_keeps_everything(void **state)
{
	/* N Z C V, SS (21), IL (20), D A I F, EL1h */
	uint64_t old = F_NZCV | (1ull << 21) | (1ull << 20) | DAIF_ALL | M_EL1h;
	struct el1_exc e = exc(old, SCTLR_RES1 | F_SPAN);

	(void)state;
	inject_data_abort(&e, VA, true);
	assert_int_equal(e.spsr, old);
	assert_int_equal(e.pstate & ((1ull << 21) | (1ull << 20)), 0);
	assert_int_equal(e.pstate & 0x1f, M_EL1h);
	assert_int_equal(e.pstate & DAIF_ALL, DAIF_ALL);
}

/* An exception entry in the middle of a nested one: the return state is overwritten. */
static void nested_entry_from_vector(void **state)
{
	struct el1_exc e = exc(M_EL0t, SCTLR_RES1);

	(void)state;
	inject_data_abort(&e, 0x1000, false);
	/* The guest's vector itself faults. */
	inject_insn_abort(&e, e.pc);
	assert_int_equal(e.esr, ESR_IABT_CUR);
	assert_int_equal(e.elr, VBAR + 0x400);
	assert_int_equal(e.far, VBAR + 0x400);
	assert_int_equal(e.spsr, DAIF_ALL | M_EL1h | F_PAN);
	assert_int_equal(e.pc, VBAR + 0x200);
	assert_int_equal(e.pstate, DAIF_ALL | M_EL1h | F_PAN);
}

/*
 * Arm ARM, AArch64.TakeException: PSTATE.{N,Z,C,V} and PSTATE.DIT are not
 * written on exception entry, so the handler starts with the interrupted
 * code's values (KVM's enter_exception64 copies them for the same reason).
 */
static void entry_keeps_nzcv_and_dit(void **state)
{
	uint64_t old = F_NZCV | F_DIT | M_EL0t;
	struct el1_exc e = exc(old, SCTLR_RES1);

	(void)state;
	inject_data_abort(&e, VA, false);
	assert_int_equal(e.spsr, old);
	assert_int_equal(e.pstate, F_NZCV | F_DIT | F_PAN | DAIF_ALL | M_EL1h);
}

/* Arm ARM, AArch64.TakeException: with FEAT_SSBS, PSTATE.SSBS = SCTLR_EL1.DSSBS. */
static void entry_sets_ssbs_from_dssbs(void **state)
{
	struct el1_exc e = exc(M_EL1h, SCTLR_RES1 | F_SPAN | F_DSSBS);

	(void)state;
	inject_undef(&e);
	assert_int_equal(e.pstate, F_SSBS | DAIF_ALL | M_EL1h);
	/* DSSBS clear: SSBS cleared even if it was set. */
	e = exc(M_EL1h | F_SSBS, SCTLR_RES1 | F_SPAN);
	inject_undef(&e);
	assert_int_equal(e.pstate, DAIF_ALL | M_EL1h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dabt_el1h),
		cmocka_unit_test(dabt_el1t),
		cmocka_unit_test(dabt_el0_aarch64),
		cmocka_unit_test(dabt_el0_aarch32),
		cmocka_unit_test(iabt_every_mode),
		cmocka_unit_test(undef_every_mode),
		cmocka_unit_test(pan_set_on_entry_when_span_clear),
		cmocka_unit_test(pan_preserved_when_span_set),
		cmocka_unit_test(spsr_keeps_everything),
		cmocka_unit_test(nested_entry_from_vector),
		cmocka_unit_test(entry_keeps_nzcv_and_dit),
		cmocka_unit_test(entry_sets_ssbs_from_dssbs),
	};

	return cmocka_run_group_tests_name("inject", tests, NULL, NULL);
}

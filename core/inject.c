/* SPDX-License-Identifier: MIT */
#include "core/inject.h"

#include "core/esr.h"

/* Vector table offsets for a synchronous exception taken to EL1. */
#define VEC_CUR_SP0   0x000
#define VEC_CUR_SPX   0x200
#define VEC_LOWER_A64 0x400
#define VEC_LOWER_A32 0x600

static bool from_el0(uint64_t pstate)
{
	return (pstate & PSR_MODE32) || (pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static uint64_t vector_offset(uint64_t pstate)
{
	if (pstate & PSR_MODE32)
		return VEC_LOWER_A32;
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL0t: return VEC_LOWER_A64;
	case PSR_MODE_EL1t: return VEC_CUR_SP0;
	default: return VEC_CUR_SPX;
	}
}

/*
 * Common exception entry, as AArch64.TakeException does it: save the return
 * state, enter EL1h at the vector with DAIF masked. NZCV and DIT carry over;
 * PAN is set unless SCTLR_EL1.SPAN says to keep it; SSBS comes from
 * SCTLR_EL1.DSSBS; everything else (SS, IL, UAO, BTYPE) is cleared.
 */
static void enter(struct el1_exc *e, uint64_t esr)
{
	uint64_t pan = (e->pstate & PSR_PAN) | ((e->sctlr & SCTLR_EL1_SPAN) ? 0 : PSR_PAN);
	uint64_t ssbs = (e->sctlr & SCTLR_EL1_DSSBS) ? PSR_SSBS : 0;

	e->esr = esr;
	e->elr = e->pc;
	e->spsr = e->pstate;
	e->pc = e->vbar + vector_offset(e->pstate);
	e->pstate = (e->pstate & (PSR_NZCV | PSR_DIT)) | PSR_DAIF | PSR_MODE_EL1h | pan | ssbs;
}

void inject_data_abort(struct el1_exc *e, uint64_t va, bool write)
{
	uint64_t ec = from_el0(e->pstate) ? EC_DABT_LOW : EC_DABT_CUR;

	e->far = va;
	enter(e, (ec << ESR_EC_SHIFT) | ESR_IL | (write ? ISS_DABT_WNR : 0) | FSC_SEA);
}

void inject_insn_abort(struct el1_exc *e, uint64_t va)
{
	uint64_t ec = from_el0(e->pstate) ? EC_IABT_LOW : EC_IABT_CUR;

	e->far = va;
	enter(e, (ec << ESR_EC_SHIFT) | ESR_IL | FSC_SEA);
}

void inject_undef(struct el1_exc *e)
{
	enter(e, ((uint64_t)EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL);
}

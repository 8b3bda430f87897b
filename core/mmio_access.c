/* SPDX-License-Identifier: MIT */
#include "core/mmio_access.h"

#include "core/esr.h"

#define HPFAR_FIPA_MASK 0x00000ffffffffff0ull /* FIPA[47:12] in bits [43:4] */

uint64_t fault_ipa(uint64_t hpfar, uint64_t far)
{
	return ((hpfar & HPFAR_FIPA_MASK) << 8) | (far & 0xfff);
}

int mmio_decode(uint64_t esr, uint64_t hpfar, uint64_t far, struct mmio_access *a)
{
	uint32_t iss = ESR_ISS(esr);

	if (!(iss & ISS_DABT_ISV))
		return -1;
	a->ipa = fault_ipa(hpfar, far);
	a->size = 1u << ((iss >> ISS_DABT_SAS_SHIFT) & 3);
	a->write = iss & ISS_DABT_WNR;
	a->sign_extend = iss & ISS_DABT_SSE;
	a->sf = iss & ISS_DABT_SF;
	a->reg = (iss >> ISS_DABT_SRT_SHIFT) & 0x1f;
	a->insn_len = (esr & ESR_IL) ? 4 : 2;
	a->big_endian = false;
	return 0;
}

#define PSR_AA32      (1ull << 4)
#define PSR_AA32_E    (1ull << 9)
#define PSR_MODE_EL0T 0x0
#define SCTLR_EL1_EE  (1ull << 25)
#define SCTLR_EL1_E0E (1ull << 24)

bool guest_big_endian(uint64_t pstate, uint64_t sctlr_el1)
{
	if (pstate & PSR_AA32)
		return pstate & PSR_AA32_E;
	if ((pstate & 0xf) == PSR_MODE_EL0T)
		return sctlr_el1 & SCTLR_EL1_E0E;
	return sctlr_el1 & SCTLR_EL1_EE;
}

/* Device registers are little-endian: a big-endian access sees them swapped. */
static uint64_t swap_bytes(uint64_t v, unsigned size)
{
	switch (size) {
	case 2: return __builtin_bswap16((uint16_t)v);
	case 4: return __builtin_bswap32((uint32_t)v);
	case 8: return __builtin_bswap64(v);
	default: return v;
	}
}

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

uint64_t mmio_store_value(const struct mmio_access *a, const uint64_t regs[31])
{
	uint64_t v = (a->reg == REG_XZR ? 0 : regs[a->reg]) & size_mask(a->size);

	return a->big_endian ? swap_bytes(v, a->size) : v;
}

void mmio_load_writeback(const struct mmio_access *a, uint64_t regs[31], uint64_t val)
{
	unsigned bits = a->size * 8;

	val &= size_mask(a->size);
	if (a->big_endian)
		val = swap_bytes(val, a->size);
	if (a->sign_extend && bits < 64 && (val >> (bits - 1)) & 1)
		val |= ~size_mask(a->size);
	/* A W register write clears bits [63:32]. */
	if (!a->sf)
		val &= 0xffffffffull;
	if (a->reg != REG_XZR)
		regs[a->reg] = val;
}

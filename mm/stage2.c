/* SPDX-License-Identifier: MIT */
#include "mm/stage2.h"

#define PARANGE_48 5

/* ID_AA64MMFR0_EL1.PARange encodings 0..6 */
static const unsigned parange_bits[] = {32, 36, 40, 42, 44, 48, 52};

/* VTCR_EL2.SL0 with the 4 KiB granule: 0 = level 2, 1 = level 1, 2 = level 0 */
static uint64_t sl0_for_level(unsigned level)
{
	return 2 - level;
}

int stage2_geometry(unsigned parange, struct stage2_geometry *g)
{
	unsigned ps = parange > PARANGE_48 ? PARANGE_48 : parange;

	/* The 4-bit field only grows: 0b0110 is 52 bits, 0b0111 56 (FEAT_D128). */
	if (parange > 15)
		return -1;
	g->pa_bits = parange_bits[ps];
	g->ipa_bits = g->pa_bits;
	/* Level 1 with up to 16 concatenated tables covers 43 bits; beyond, start at 0. */
	if (g->ipa_bits > 43) {
		g->start_level = 0;
		g->root_pages = 1;
	} else {
		g->start_level = 1;
		g->root_pages = g->ipa_bits > 39 ? 1u << (g->ipa_bits - 39) : 1;
	}
	g->vtcr = VTCR_RES1 | VTCR_T0SZ(g->ipa_bits) |
		  (sl0_for_level(g->start_level) << VTCR_SL0_SHIFT) | VTCR_IRGN0_WBWA |
		  VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K | ((uint64_t)ps << VTCR_PS_SHIFT);
	return 0;
}

int stage2_init(struct pgtable *pt, struct page_pool *pool, const struct stage2_geometry *g)
{
	return pgtable_init(pt, pool, g->ipa_bits, g->start_level, g->root_pages);
}

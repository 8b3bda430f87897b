/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation: geometry chosen from the CPU's physical address
 * range, attributes per region kind, one table per VM.
 */
#ifndef MM_STAGE2_H
#define MM_STAGE2_H

#include <stdint.h>

#include "mm/pgtable.h"

/* Stage-2 block/page attributes (VMSAv8-64 stage 2 descriptors) */
#define PTE_S2_MEMATTR(x)	((uint64_t)(x) << 2)
#define S2_MEMATTR_DEVICE_nGnRE 0x1
#define S2_MEMATTR_NORMAL_WB	0xf
#define PTE_S2_AP_RW		(3ull << 6)
#define PTE_S2_XN		(2ull << 53) /* XN[1:0] = 0b10: not executable at EL1 or EL0 */

#define S2_RAM	  (PTE_S2_MEMATTR(S2_MEMATTR_NORMAL_WB) | PTE_S2_AP_RW | PTE_SH_INNER | PTE_AF)
#define S2_DEVICE (PTE_S2_MEMATTR(S2_MEMATTR_DEVICE_nGnRE) | PTE_S2_AP_RW | PTE_AF | PTE_S2_XN)

/* VTCR_EL2 fields */
#define VTCR_T0SZ(bits) ((uint64_t)(64 - (bits)))
#define VTCR_SL0_SHIFT	6
#define VTCR_IRGN0_WBWA (1ull << 8)
#define VTCR_ORGN0_WBWA (1ull << 10)
#define VTCR_SH0_INNER	(3ull << 12)
#define VTCR_TG0_4K	(0ull << 14)
#define VTCR_PS_SHIFT	16
#define VTCR_RES1	(1ull << 31)

struct stage2_geometry {
	unsigned pa_bits;     /* host physical address size, capped at 48 */
	unsigned ipa_bits;    /* guest-physical address size */
	unsigned start_level; /* 0 or 1 */
	unsigned root_pages;  /* concatenated root tables */
	uint64_t vtcr;
};

/*
 * From ID_AA64MMFR0_EL1.PARange. 52 bits (6), 56 bits (7, FEAT_D128) and
 * any later encoding are treated as 48 bits: Tessera uses the 4 KiB granule
 * without LPA2, where 48 bits is the largest output size. Returns -1 only
 * for a value that does not fit the 4-bit field.
 */
int stage2_geometry(unsigned parange, struct stage2_geometry *g);
/* Pages needed for the concatenated root of this geometry. */
int stage2_init(struct pgtable *pt, struct page_pool *pool, const struct stage2_geometry *g);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 translation tables, 4 KiB granule, for both Tessera's EL2
 * stage-1 identity map and (later) guests' stage-2 tables. The two differ
 * only in attribute bits, which the caller passes in, and in the root
 * (stage-2 may concatenate up to 16 root tables).
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/page_pool.h"

/* Descriptor type bits [1:0] */
#define PTE_VALID      (1ull << 0)
#define PTE_TYPE_TABLE (3ull << 0) /* levels 0-2 */
#define PTE_TYPE_BLOCK (1ull << 0) /* levels 1-2 */
#define PTE_TYPE_PAGE  (3ull << 0) /* level 3 */
#define PTE_TYPE_MASK  3ull
#define PTE_ADDR_MASK  0x0000fffffffff000ull
#define PTE_ATTR_MASK  (~PTE_ADDR_MASK & ~PTE_TYPE_MASK)

/* Lower and upper block/page attributes common to both stages */
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF	     (1ull << 10)

/* Stage 1 (EL2 regime) */
#define PTE_S1_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_S1_AP_RO	  (2ull << 6)
#define PTE_S1_XN	  (1ull << 54)

enum pgtable_err {
	PGT_OK = 0,
	PGT_EINVAL = -1, /* unaligned, empty or beyond the input range */
	PGT_EEXIST = -2, /* part of the range is already mapped */
	PGT_ENOMEM = -3,
};

struct pgtable {
	uint64_t *root;
	unsigned start_level; /* 0..3 */
	unsigned ia_bits;     /* input address size */
	struct page_pool *pool;
};

static inline unsigned pgtable_level_shift(unsigned level)
{
	return 12 + 9 * (3 - level);
}

/* root_pages > 1 concatenates root tables (stage-2 only). */
int pgtable_init(struct pgtable *pt, struct page_pool *pool, unsigned ia_bits, unsigned start_level,
		 unsigned root_pages);
int pgtable_map(struct pgtable *pt, uint64_t ia, uint64_t pa, uint64_t size, uint64_t attrs);
/* Free every table page (root included). TLB maintenance is the caller's. */
void pgtable_destroy(struct pgtable *pt);
/* 0 and the translation when ia is mapped, else PGT_EINVAL. */
int pgtable_lookup(const struct pgtable *pt, uint64_t ia, uint64_t *pa, uint64_t *attrs,
		   unsigned *level);

#endif

/* SPDX-License-Identifier: MIT */
#include "mm/pgtable.h"

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

static uint64_t entry_span(unsigned level)
{
	return 1ull << pgtable_level_shift(level);
}

/* Number of entries at `level`: 512, except at a (possibly concatenated) root. */
static uint64_t level_entries(const struct pgtable *pt, unsigned level)
{
	if (level == pt->start_level)
		return 1ull << (pt->ia_bits - pgtable_level_shift(level));
	return 512;
}

static uint64_t *entry_at(const struct pgtable *pt, uint64_t *table, unsigned level, uint64_t ia)
{
	return &table[(ia >> pgtable_level_shift(level)) & (level_entries(pt, level) - 1)];
}

static bool is_table(uint64_t pte, unsigned level)
{
	return level < 3 && (pte & PTE_TYPE_MASK) == PTE_TYPE_TABLE;
}

static uint64_t *next_table(const struct pgtable *pt, uint64_t pte)
{
	return pa_to_page(pt->pool, pte & PTE_ADDR_MASK);
}

/* With the 4 KiB granule, blocks exist at level 1 (1 GiB) and 2 (2 MiB). */
static bool can_use_leaf(unsigned level, uint64_t ia, uint64_t pa, uint64_t len)
{
	uint64_t span = entry_span(level);

	if (level == 3)
		return true;
	return level >= 1 && len == span && !(ia & (span - 1)) && !(pa & (span - 1));
}

static bool range_free(const struct pgtable *pt, uint64_t *table, unsigned level, uint64_t ia,
		       uint64_t size)
{
	while (size) {
		uint64_t span = entry_span(level);
		uint64_t len = span - (ia & (span - 1));
		uint64_t pte = *entry_at(pt, table, level, ia);

		if (len > size)
			len = size;
		if (is_table(pte, level)) {
			if (!range_free(pt, next_table(pt, pte), level + 1, ia, len))
				return false;
		} else if (pte & PTE_VALID) {
			return false;
		}
		ia += len;
		size -= len;
	}
	return true;
}

static int map_level(struct pgtable *pt, uint64_t *table, unsigned level, uint64_t ia, uint64_t pa,
		     uint64_t size, uint64_t attrs)
{
	while (size) {
		uint64_t span = entry_span(level);
		uint64_t len = span - (ia & (span - 1));
		uint64_t *pte = entry_at(pt, table, level, ia);
		int ret;

		if (len > size)
			len = size;
		if (can_use_leaf(level, ia, pa, len)) {
			*pte = pa | attrs | (level == 3 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK);
		} else {
			if (!(*pte & PTE_VALID)) {
				uint64_t *next = page_alloc(pt->pool);

				if (!next)
					return PGT_ENOMEM;
				*pte = page_to_pa(pt->pool, next) | PTE_TYPE_TABLE;
			}
			ret = map_level(pt, next_table(pt, *pte), level + 1, ia, pa, len, attrs);
			if (ret)
				return ret;
		}
		ia += len;
		pa += len;
		size -= len;
	}
	return PGT_OK;
}

int pgtable_init(struct pgtable *pt, struct page_pool *pool, unsigned ia_bits, unsigned start_level,
		 unsigned root_pages)
{
	uint64_t *root;

	if (start_level > 3 || ia_bits > 48 || ia_bits <= pgtable_level_shift(start_level) ||
	    ia_bits > pgtable_level_shift(start_level) + 9 + (root_pages > 1 ? 4 : 0) ||
	    root_pages < 1 || root_pages > 16)
		return PGT_EINVAL;
	/* Concatenated roots: contiguous, and aligned to their total size
	 * (VTTBR_EL2.BADDR's low bits are RES0). */
	root = root_pages == 1 ? page_alloc(pool) : page_alloc_contig(pool, root_pages);
	if (!root)
		return PGT_ENOMEM;
	*pt = (struct pgtable){
		.root = root, .start_level = start_level, .ia_bits = ia_bits, .pool = pool};
	return PGT_OK;
}

int pgtable_map(struct pgtable *pt, uint64_t ia, uint64_t pa, uint64_t size, uint64_t attrs)
{
	uint64_t limit = 1ull << pt->ia_bits;

	if (!size || ((ia | pa | size) & PAGE_MASK) || ia >= limit || size > limit - ia ||
	    (pa & ~PTE_ADDR_MASK) || (attrs & ~PTE_ATTR_MASK))
		return PGT_EINVAL;
	if (!range_free(pt, pt->root, pt->start_level, ia, size))
		return PGT_EEXIST;
	return map_level(pt, pt->root, pt->start_level, ia, pa, size, attrs);
}

int pgtable_lookup(const struct pgtable *pt, uint64_t ia, uint64_t *pa, uint64_t *attrs,
		   unsigned *level)
{
	uint64_t *table = pt->root;

	if (ia >> pt->ia_bits)
		return PGT_EINVAL;
	for (unsigned l = pt->start_level; l <= 3; l++) {
		uint64_t pte = *entry_at(pt, table, l, ia);
		uint64_t off = ia & (entry_span(l) - 1);

		if (!(pte & PTE_VALID) || (l == 3 && (pte & PTE_TYPE_MASK) != PTE_TYPE_PAGE))
			return PGT_EINVAL;
		if (is_table(pte, l)) {
			table = next_table(pt, pte);
			continue;
		}
		*pa = (pte & PTE_ADDR_MASK & ~(entry_span(l) - 1)) | off;
		*attrs = pte & PTE_ATTR_MASK;
		*level = l;
		return PGT_OK;
	}
	return PGT_EINVAL;
}

static void free_level(struct pgtable *pt, uint64_t *table, unsigned level, uint64_t entries)
{
	for (uint64_t i = 0; i < entries; i++) {
		if (is_table(table[i], level)) {
			uint64_t *next = next_table(pt, table[i]);

			free_level(pt, next, level + 1, 512);
			page_free(pt->pool, next);
		}
	}
}

void pgtable_destroy(struct pgtable *pt)
{
	uint64_t entries = level_entries(pt, pt->start_level);

	free_level(pt, pt->root, pt->start_level, entries);
	for (uint64_t i = 0; i < (entries + 511) / 512; i++)
		page_free(pt->pool, pt->root + i * 512);
	pt->root = NULL;
}

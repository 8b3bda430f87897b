/* SPDX-License-Identifier: MIT */
/*
 * A pool of 4 KiB pages for Tessera's own memory (page tables, VM state).
 * The pool knows both the address Tessera uses (VA) and the physical address
 * hardware sees (PA); at EL2 they are equal, in host unit tests they are not,
 * so code that confuses the two fails its tests.
 */
#ifndef MM_PAGE_POOL_H
#define MM_PAGE_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"

struct page_pool {
	uintptr_t va;
	uint64_t pa;
	size_t npages;
	size_t nfree;
	uint64_t *bitmap; /* 1 = in use; ceil(npages / 64) words */
};

#define PAGE_POOL_BITMAP_WORDS(npages) (((npages) + 63) / 64)

void page_pool_init(struct page_pool *pool, void *va, uint64_t pa, size_t npages, uint64_t *bitmap);
void *page_alloc(struct page_pool *pool); /* zeroed, or NULL when empty */
/* n physically contiguous zeroed pages, the first aligned to n pages
 * (n a power of two), or NULL. For concatenated stage-2 roots. */
void *page_alloc_contig(struct page_pool *pool, size_t n);
void page_free(struct page_pool *pool, void *page);
uint64_t page_to_pa(const struct page_pool *pool, const void *page);
void *pa_to_page(const struct page_pool *pool, uint64_t pa);

#endif

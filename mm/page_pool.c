/* SPDX-License-Identifier: MIT */
#include "mm/page_pool.h"

#include <stdbool.h>
#include <string.h>

void page_pool_init(struct page_pool *pool, void *va, uint64_t pa, size_t npages, uint64_t *bitmap)
{
	pool->va = (uintptr_t)va;
	pool->pa = pa;
	pool->npages = npages;
	pool->nfree = npages;
	pool->bitmap = bitmap;
	memset(bitmap, 0, PAGE_POOL_BITMAP_WORDS(npages) * sizeof(uint64_t));
}

static size_t first_free(const struct page_pool *pool)
{
	for (size_t w = 0; w < PAGE_POOL_BITMAP_WORDS(pool->npages); w++) {
		uint64_t used = pool->bitmap[w];

		if (used != ~0ull) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(~used);

			return i < pool->npages ? i : pool->npages;
		}
	}
	return pool->npages;
}

void *page_alloc(struct page_pool *pool)
{
	size_t i = first_free(pool);
	void *page;

	if (i == pool->npages)
		return NULL;
	pool->bitmap[i / 64] |= 1ull << (i % 64);
	pool->nfree--;
	page = (void *)(pool->va + i * PAGE_SIZE);
	memset(page, 0, PAGE_SIZE);
	return page;
}

static bool page_used(const struct page_pool *pool, size_t i)
{
	return pool->bitmap[i / 64] & (1ull << (i % 64));
}

static bool run_free(const struct page_pool *pool, size_t first, size_t n)
{
	for (size_t i = first; i < first + n; i++)
		if (page_used(pool, i))
			return false;
	return true;
}

void *page_alloc_contig(struct page_pool *pool, size_t n)
{
	/* Aligned in physical terms: the pool's PA need not be n-page aligned. */
	size_t skew = (size_t)((pool->pa / PAGE_SIZE) % n);
	size_t first = skew ? n - skew : 0;

	for (; first + n <= pool->npages; first += n) {
		if (!run_free(pool, first, n))
			continue;
		for (size_t i = first; i < first + n; i++)
			pool->bitmap[i / 64] |= 1ull << (i % 64);
		pool->nfree -= n;
		memset((void *)(pool->va + first * PAGE_SIZE), 0, n * PAGE_SIZE);
		return (void *)(pool->va + first * PAGE_SIZE);
	}
	return NULL;
}

void page_free(struct page_pool *pool, void *page)
{
	size_t i = ((uintptr_t)page - pool->va) / PAGE_SIZE;

	if ((uintptr_t)page < pool->va || i >= pool->npages)
		return;
	if (pool->bitmap[i / 64] & (1ull << (i % 64))) {
		pool->bitmap[i / 64] &= ~(1ull << (i % 64));
		pool->nfree++;
	}
}

uint64_t page_to_pa(const struct page_pool *pool, const void *page)
{
	return pool->pa + ((uintptr_t)page - pool->va);
}

void *pa_to_page(const struct page_pool *pool, uint64_t pa)
{
	return (void *)(pool->va + (uintptr_t)(pa - pool->pa));
}

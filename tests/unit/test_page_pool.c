/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/page_pool.h"

#define NPAGES	70 /* more than one bitmap word, not a multiple of 64 */
#define FAKE_PA 0x40000000ull

static void alloc_all_then_empty(void **state)
{
	uint64_t bitmap[PAGE_POOL_BITMAP_WORDS(NPAGES)];
	uint8_t *mem = aligned_alloc(PAGE_SIZE, NPAGES * PAGE_SIZE);
	struct page_pool pool;

	(void)state;
	memset(mem, 0xa5, NPAGES * PAGE_SIZE);
	page_pool_init(&pool, mem, FAKE_PA, NPAGES, bitmap);
	for (unsigned i = 0; i < NPAGES; i++) {
		uint8_t *p = page_alloc(&pool);

		assert_ptr_equal(p, mem + i * PAGE_SIZE);
		assert_int_equal(p[0], 0);
		assert_int_equal(p[PAGE_SIZE - 1], 0);
		assert_int_equal(page_to_pa(&pool, p), FAKE_PA + i * PAGE_SIZE);
		assert_ptr_equal(pa_to_page(&pool, FAKE_PA + i * PAGE_SIZE), p);
	}
	assert_int_equal(pool.nfree, 0);
	assert_null(page_alloc(&pool));
	free(mem);
}

static void freed_pages_are_reused(void **state)
{
	uint64_t bitmap[PAGE_POOL_BITMAP_WORDS(NPAGES)];
	uint8_t *mem = aligned_alloc(PAGE_SIZE, NPAGES * PAGE_SIZE);
	struct page_pool pool;
	void *a, *b;

	(void)state;
	page_pool_init(&pool, mem, FAKE_PA, NPAGES, bitmap);
	a = page_alloc(&pool);
	b = page_alloc(&pool);
	memset(a, 0xff, PAGE_SIZE);
	page_free(&pool, a);
	page_free(&pool, a); /* double free is ignored, not counted twice */
	assert_int_equal(pool.nfree, NPAGES - 1);
	assert_ptr_equal(page_alloc(&pool), a);
	assert_int_equal(((uint8_t *)a)[17], 0);
	page_free(&pool, mem + NPAGES * PAGE_SIZE); /* outside the pool: ignored */
	assert_int_equal(pool.nfree, NPAGES - 2);
	(void)b;
	free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_all_then_empty),
		cmocka_unit_test(freed_pages_are_reused),
	};

	return cmocka_run_group_tests_name("page_pool", tests, NULL, NULL);
}

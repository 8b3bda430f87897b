/* SPDX-License-Identifier: MIT */
/* VM teardown: TLBs flushed before the table pages go back to the pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/vm_build.h"

extern unsigned fake_tlb_flushes;

#define POOL_PAGES 32
#define FAKE_PA	   0x80000000ull

static void destroy_flushes_then_frees(void **state)
{
	uint64_t bitmap[PAGE_POOL_BITMAP_WORDS(POOL_PAGES)];
	void *mem = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	struct stage2_geometry g;
	struct page_pool pool;
	struct vm vm = {.vmid = 3};

	(void)state;
	page_pool_init(&pool, mem, FAKE_PA, POOL_PAGES, bitmap);
	vm.s2.pool = &pool;
	assert_int_equal(stage2_geometry(2, &g), 0);
	assert_int_equal(stage2_init(&vm.s2, &pool, &g), PGT_OK);
	assert_int_equal(pgtable_map(&vm.s2, 0x40000000, 0x50000000, 0x201000, S2_RAM), PGT_OK);
	assert_true(pool.nfree < POOL_PAGES);
	fake_tlb_flushes = 0;
	vm_stage2_destroy(&vm);
	assert_int_equal(fake_tlb_flushes, 1);
	assert_int_equal(pool.nfree, POOL_PAGES);
	assert_null(vm.s2.root);
	vm_stage2_destroy(&vm); /* already gone: nothing to flush */
	assert_int_equal(fake_tlb_flushes, 1);
	free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(destroy_flushes_then_frees),
	};

	return cmocka_run_group_tests_name("vm_build", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Translation-table builder. The pool's "physical" addresses differ from the
 * host pointers on purpose, so mixing the two up fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "mm/pgtable.h"

#define POOL_PAGES 64
#define FAKE_PA	   0x880000000ull
#define ATTRS	   (PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(1))
#define GiB	   (1ull << 30)
#define MiB	   (1ull << 20)

struct ctx {
	struct page_pool pool;
	uint64_t bitmap[PAGE_POOL_BITMAP_WORDS(POOL_PAGES)];
	void *mem;
	struct pgtable pt;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	c->mem = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	page_pool_init(&c->pool, c->mem, FAKE_PA, POOL_PAGES, c->bitmap);
	assert_int_equal(pgtable_init(&c->pt, &c->pool, 48, 0, 1), PGT_OK);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	free(c->mem);
	free(c);
	return 0;
}

static void expect_translation(struct ctx *c, uint64_t ia, uint64_t pa, unsigned level)
{
	uint64_t got_pa = 0, attrs = 0;
	unsigned got_level = 99;

	assert_int_equal(pgtable_lookup(&c->pt, ia, &got_pa, &attrs, &got_level), PGT_OK);
	assert_int_equal(got_pa, pa);
	assert_int_equal(attrs, ATTRS);
	assert_int_equal(got_level, level);
}

static void page_mapping_walks_back(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(pgtable_map(&c->pt, 0x9000000, 0x9000000, PAGE_SIZE, ATTRS), PGT_OK);
	expect_translation(c, 0x9000000, 0x9000000, 3);
	expect_translation(c, 0x9000abc, 0x9000abc, 3);
	/* L0, L1, L2, L3 tables: one page each. */
	assert_int_equal(c->pool.nfree, POOL_PAGES - 4);
	/* Table descriptors hold the pool's PA, not the host pointer. */
	assert_int_equal(c->pt.root[0] & PTE_ADDR_MASK, FAKE_PA + PAGE_SIZE);
}

static void blocks_used_when_aligned(void **state)
{
	struct ctx *c = *state;

	/* 1 GiB + 2 MiB + 4 KiB: one L1 block, one L2 block, one L3 page. */
	assert_int_equal(
		pgtable_map(&c->pt, 0x40000000, 0x80000000, GiB + 2 * MiB + PAGE_SIZE, ATTRS),
		PGT_OK);
	expect_translation(c, 0x40000000, 0x80000000, 1);
	expect_translation(c, 0x7fffffff, 0xbfffffff, 1);
	expect_translation(c, 0x80000000, 0xc0000000, 2);
	expect_translation(c, 0x80200000, 0xc0200000, 3);
	assert_int_equal(
		pgtable_lookup(&c->pt, 0x80201000, &(uint64_t){0}, &(uint64_t){0}, &(unsigned){0}),
		PGT_EINVAL);
}

static void misaligned_pa_falls_back_to_pages(void **state)
{
	struct ctx *c = *state;

	/* IA 2 MiB-aligned, PA only 4 KiB-aligned: no block possible. */
	assert_int_equal(pgtable_map(&c->pt, 0x200000, 0x1001000, 2 * MiB, ATTRS), PGT_OK);
	expect_translation(c, 0x200000, 0x1001000, 3);
	expect_translation(c, 0x3ff000, 0x1200000, 3);
}

static void unaligned_requests_rejected(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(pgtable_map(&c->pt, 0x1000800, 0x1000000, PAGE_SIZE, ATTRS), PGT_EINVAL);
	assert_int_equal(pgtable_map(&c->pt, 0x1000000, 0x1000010, PAGE_SIZE, ATTRS), PGT_EINVAL);
	assert_int_equal(pgtable_map(&c->pt, 0x1000000, 0x1000000, 100, ATTRS), PGT_EINVAL);
	assert_int_equal(pgtable_map(&c->pt, 0x1000000, 0x1000000, 0, ATTRS), PGT_EINVAL);
	/* Beyond the 48-bit input range. */
	assert_int_equal(pgtable_map(&c->pt, 1ull << 48, 0, PAGE_SIZE, ATTRS), PGT_EINVAL);
	assert_int_equal(pgtable_map(&c->pt, (1ull << 48) - PAGE_SIZE, 0, 2 * PAGE_SIZE, ATTRS),
			 PGT_EINVAL);
	/* Attributes must not touch the address or type bits. */
	assert_int_equal(pgtable_map(&c->pt, 0, 0, PAGE_SIZE, 0x1000), PGT_EINVAL);
	assert_int_equal(c->pool.nfree, POOL_PAGES - 1);
}

static void overlaps_rejected(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(pgtable_map(&c->pt, 0x40000000, 0x40000000, 2 * MiB, ATTRS), PGT_OK);
	assert_int_equal(pgtable_map(&c->pt, 0x401ff000, 0, PAGE_SIZE, ATTRS), PGT_EEXIST);
	assert_int_equal(pgtable_map(&c->pt, 0x3ffff000, 0, 2 * PAGE_SIZE, ATTRS), PGT_EEXIST);
	/* A 1 GiB block over a range that already has a 2 MiB block inside. */
	assert_int_equal(pgtable_map(&c->pt, 0x40000000, 0x80000000, GiB, ATTRS), PGT_EEXIST);
	/* Neighbours are fine. */
	assert_int_equal(pgtable_map(&c->pt, 0x40200000, 0x40200000, PAGE_SIZE, ATTRS), PGT_OK);
	expect_translation(c, 0x40200000, 0x40200000, 3);
}

static void pool_exhaustion_reported(void **state)
{
	struct ctx *c = *state;
	int ret = PGT_OK;

	/* Each 4 KiB page 1 GiB apart needs its own L2+L3 tables. */
	for (uint64_t i = 0; i < POOL_PAGES && ret == PGT_OK; i++)
		ret = pgtable_map(&c->pt, i * GiB, 0, PAGE_SIZE, ATTRS);
	assert_int_equal(ret, PGT_ENOMEM);
	assert_int_equal(c->pool.nfree, 0);
}

/* Stage-2 style: 40-bit IPA starting at level 1 with two concatenated roots. */
static void concatenated_root(void **state)
{
	struct ctx *c = *state;
	struct pgtable s2;
	uint64_t pa, attrs;
	unsigned level;

	assert_int_equal(pgtable_init(&s2, &c->pool, 40, 1, 2), PGT_OK);
	/* The last GiB of the 1 TiB IPA space: index 1023, in the second root page. */
	assert_int_equal(pgtable_map(&s2, 0xffc0000000ull, 0x40000000, GiB, ATTRS), PGT_OK);
	assert_int_equal(pgtable_lookup(&s2, 0xffffffffffull, &pa, &attrs, &level), PGT_OK);
	assert_int_equal(pa, 0x7fffffff);
	assert_int_equal(level, 1);
	assert_int_equal(s2.root[1023] & PTE_ADDR_MASK, 0x40000000);
	assert_int_equal(s2.root[511], 0);
	assert_int_equal(pgtable_init(&s2, &c->pool, 41, 1, 1), PGT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(page_mapping_walks_back, setup, teardown),
		cmocka_unit_test_setup_teardown(blocks_used_when_aligned, setup, teardown),
		cmocka_unit_test_setup_teardown(misaligned_pa_falls_back_to_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(unaligned_requests_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(overlaps_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(pool_exhaustion_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(concatenated_root, setup, teardown),
	};

	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}

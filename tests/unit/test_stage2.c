/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 geometry from PARange, and stage-2 tables built with it. The VTCR_EL2
 * values are composed here by hand from the Arm ARM field layout, not from
 * mm/stage2.h:
 *
 *   T0SZ [5:0] = 64 - IPA bits    SL0 [7:6] (4 KiB: 0 = level 2, 1 = level 1, 2 = level 0)
 *   IRGN0 [9:8] = 01 (WBWA)       ORGN0 [11:10] = 01 (WBWA)   SH0 [13:12] = 11 (inner)
 *   TG0 [15:14] = 00 (4 KiB)      PS [18:16] = PARange        bit 31 RES1
 *
 * Fixed part: 0x80000000 | 0x100 | 0x400 | 0x3000 = 0x80003500.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "mm/stage2.h"

#define POOL_PAGES 64
#define FAKE_PA	   0x880000000ull /* the pool's "physical" base: not its host address */
#define MiB	   (1ull << 20)
#define GiB	   (1ull << 30)

/*
 * Stage-2 descriptor attributes, by hand (Arm ARM, stage 2 block and page
 * descriptors, FWB = 0):
 *   RAM:    MemAttr [5:2] = 0b1111 (Normal, Outer WB, Inner WB) -> 0x3c, S2AP [7:6] = 0b11 -> 0xc0,
 *           SH [9:8] = 0b11 -> 0x300, AF [10] -> 0x400                                  = 0x7fc
 *   Device: MemAttr = 0b0001 (Device-nGnRE) -> 0x4, S2AP 0xc0, AF 0x400,
 *           XN [54:53] = 0b10 (no execution at EL1 or EL0) -> bit 54            = 0x400000000004c4
 */
#define ATTR_RAM    0x7fcull
#define ATTR_DEVICE 0x00400000000004c4ull

struct geometry_case {
	unsigned parange;
	unsigned pa_bits, ipa_bits, start_level, root_pages;
	uint64_t vtcr;
};

static const struct geometry_case geometries[] = {
	/* 32 bits: T0SZ 32, level 1 (4 entries), PS 0 */
	{0, 32, 32, 1, 1, 0x80003500ull | 0x20 | (1 << 6) | (0ull << 16)},
	/* 36 bits: T0SZ 28, level 1 (64 entries), PS 1 */
	{1, 36, 36, 1, 1, 0x80003500ull | 0x1c | (1 << 6) | (1ull << 16)},
	/* 40 bits: T0SZ 24, level 1, 2 concatenated tables, PS 2 */
	{2, 40, 40, 1, 2, 0x80003500ull | 0x18 | (1 << 6) | (2ull << 16)},
	/* 42 bits: T0SZ 22, level 1, 8 concatenated tables, PS 3 */
	{3, 42, 42, 1, 8, 0x80003500ull | 0x16 | (1 << 6) | (3ull << 16)},
	/* 44 bits: T0SZ 20, beyond level 1's 43 bits: level 0 (32 entries), PS 4 */
	{4, 44, 44, 0, 1, 0x80003500ull | 0x14 | (2 << 6) | (4ull << 16)},
	/* 48 bits: T0SZ 16, level 0, PS 5 */
	{5, 48, 48, 0, 1, 0x80003500ull | 0x10 | (2 << 6) | (5ull << 16)},
	/* 52 bits: no LPA2 with the 4 KiB granule, so 48 bits, PS 5 */
	{6, 48, 48, 0, 1, 0x80003500ull | 0x10 | (2 << 6) | (5ull << 16)},
};

static void geometry_every_parange(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(geometries) / sizeof(geometries[0]); i++) {
		const struct geometry_case *x = &geometries[i];
		struct stage2_geometry g;

		assert_int_equal(stage2_geometry(x->parange, &g), 0);
		assert_int_equal(g.pa_bits, x->pa_bits);
		assert_int_equal(g.ipa_bits, x->ipa_bits);
		assert_int_equal(g.start_level, x->start_level);
		assert_int_equal(g.root_pages, x->root_pages);
		assert_int_equal(g.vtcr, x->vtcr);
	}
}

/* The same values, spelled out as hex: a typo in the composition above fails here too. */
static void geometry_vtcr_literals(void **state)
{
	static const uint64_t vtcr[] = {0x80003560, 0x8001355c, 0x80023558, 0x80033556,
					0x80043594, 0x80053590, 0x80053590};
	struct stage2_geometry g;

	(void)state;
	for (unsigned p = 0; p < 7; p++) {
		assert_int_equal(stage2_geometry(p, &g), 0);
		assert_int_equal(g.vtcr, vtcr[p]);
	}
}

/* 0b0111 is 56 bits (FEAT_D128); later encodings only grow: all capped to 48. */
static void geometry_larger_than_52_bits_capped(void **state)
{
	struct stage2_geometry g, g48;

	(void)state;
	assert_int_equal(stage2_geometry(5, &g48), 0);
	for (unsigned p = 6; p < 16; p++) {
		assert_int_equal(stage2_geometry(p, &g), 0);
		assert_int_equal(g.ipa_bits, 48);
		assert_int_equal(g.vtcr, g48.vtcr);
	}
	assert_int_equal(stage2_geometry(16, &g), -1);
	assert_int_equal(stage2_geometry(~0u, &g), -1);
}

/* Per the Arm ARM, the start level must resolve at least 1 and at most 9 + 4 IPA bits. */
static void geometry_is_architecturally_consistent(void **state)
{
	(void)state;
	for (unsigned p = 0; p < 7; p++) {
		struct stage2_geometry g;
		unsigned root_bits;

		assert_int_equal(stage2_geometry(p, &g), 0);
		root_bits = g.ipa_bits - (12 + 9 * (3 - g.start_level));
		assert_true(root_bits >= 1 && root_bits <= 13);
		/* root_pages * 512 entries cover exactly the root's bits, or more when < 9. */
		assert_int_equal(g.root_pages, root_bits > 9 ? 1u << (root_bits - 9) : 1);
		assert_true(g.pa_bits <= 48);
		/* T0SZ and PS agree with ipa_bits and pa_bits. */
		assert_int_equal(g.vtcr & 0x3f, 64 - g.ipa_bits);
		assert_int_equal((g.vtcr >> 6) & 3, 2 - g.start_level);
	}
}

/* --- tables ---------------------------------------------------------------- */

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

static void expect(struct ctx *c, uint64_t ipa, uint64_t pa, uint64_t attrs, unsigned level)
{
	uint64_t got_pa = 0, got_attrs = 0;
	unsigned got_level = 99;

	assert_int_equal(pgtable_lookup(&c->pt, ipa, &got_pa, &got_attrs, &got_level), PGT_OK);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_attrs, attrs);
	assert_int_equal(got_level, level);
}

static void expect_unmapped(struct ctx *c, uint64_t ipa)
{
	uint64_t pa, attrs;
	unsigned level;

	assert_int_equal(pgtable_lookup(&c->pt, ipa, &pa, &attrs, &level), PGT_EINVAL);
}

static void attributes_by_hand(void **state)
{
	(void)state;
	assert_int_equal(S2_RAM, ATTR_RAM);
	assert_int_equal(S2_DEVICE, ATTR_DEVICE);
}

/* A VM: 64 MiB RAM at IPA 0x40000000 -> PA 0x80000000, a UART page at 0x9000000. */
static void map_vm(struct ctx *c, unsigned parange, uint64_t root_pages)
{
	struct stage2_geometry g;

	assert_int_equal(stage2_geometry(parange, &g), 0);
	assert_int_equal(g.root_pages, root_pages);
	assert_int_equal(stage2_init(&c->pt, &c->pool, &g), PGT_OK);
	assert_int_equal(c->pool.nfree, POOL_PAGES - root_pages);
	assert_int_equal(c->pt.ia_bits, g.ipa_bits);
	assert_int_equal(c->pt.start_level, g.start_level);
	/* The root is the first pool page: PA FAKE_PA for VTTBR_EL2. */
	assert_int_equal(page_to_pa(&c->pool, c->pt.root), FAKE_PA);

	assert_int_equal(pgtable_map(&c->pt, 0x40000000, 0x80000000, 64 * MiB, S2_RAM), PGT_OK);
	assert_int_equal(pgtable_map(&c->pt, 0x9000000, 0x9000000, PAGE_SIZE, S2_DEVICE), PGT_OK);

	/* RAM: 2 MiB blocks at level 2. */
	expect(c, 0x40000000, 0x80000000, ATTR_RAM, 2);
	expect(c, 0x40123456, 0x80123456, ATTR_RAM, 2);
	expect(c, 0x43e00000, 0x83e00000, ATTR_RAM, 2);
	expect(c, 0x43ffffff, 0x83ffffff, ATTR_RAM, 2);
	expect_unmapped(c, 0x44000000);
	expect_unmapped(c, 0x3fffffff);
	/* Device: one 4 KiB page at level 3. */
	expect(c, 0x9000000, 0x9000000, ATTR_DEVICE, 3);
	expect(c, 0x9000ffc, 0x9000ffc, ATTR_DEVICE, 3);
	expect_unmapped(c, 0x9001000);
	expect_unmapped(c, 0x8fff000);
	expect_unmapped(c, 0);
	/* Overlapping the RAM again is refused. */
	assert_int_equal(pgtable_map(&c->pt, 0x43fff000, 0, PAGE_SIZE, S2_DEVICE), PGT_EEXIST);
}

static void vm_40bit_concatenated_root(void **state)
{
	struct ctx *c = *state;
	uint64_t *l2;

	map_vm(c, 2, 2);
	/*
	 * Level 1 root, 1024 entries over two pages. RAM's GiB (index 1) and the
	 * UART's (index 0) each got a level-2 table; the UART a level-3 one too.
	 */
	assert_int_equal(c->pool.nfree, POOL_PAGES - 2 - 2 - 1);
	assert_int_equal(c->pt.root[0] & 3, 3);
	assert_int_equal(c->pt.root[1] & 3, 3);
	assert_int_equal(c->pt.root[2], 0);
	/* The RAM's level-2 table: 32 block descriptors, raw. */
	l2 = pa_to_page(&c->pool, c->pt.root[1] & PTE_ADDR_MASK);
	assert_int_equal(l2[0], 0x80000000ull | ATTR_RAM | 1);
	assert_int_equal(l2[31], 0x83e00000ull | ATTR_RAM | 1);
	assert_int_equal(l2[32], 0);

	/* The top of the 1 TiB IPA space lives in the second root page. */
	assert_int_equal(
		pgtable_map(&c->pt, (1ull << 40) - PAGE_SIZE, 0x9010000, PAGE_SIZE, S2_DEVICE),
		PGT_OK);
	expect(c, 0xffffffffffull, 0x9010fff, ATTR_DEVICE, 3);
	assert_int_equal(c->pt.root[1023] & 3, 3);
	assert_int_equal(c->pt.root[511], 0);
	assert_int_equal(pgtable_map(&c->pt, 1ull << 40, 0, PAGE_SIZE, S2_DEVICE), PGT_EINVAL);
	expect_unmapped(c, 1ull << 40);

	pgtable_destroy(&c->pt);
	assert_null(c->pt.root);
	assert_int_equal(c->pool.nfree, POOL_PAGES);
}

static void vm_48bit(void **state)
{
	struct ctx *c = *state;

	map_vm(c, 5, 1);
	/* L0 root, one L1, L2 for each of the two GiBs, L3 for the UART. */
	assert_int_equal(c->pool.nfree, POOL_PAGES - 1 - 1 - 2 - 1);
	assert_int_equal(c->pt.root[0] & 3, 3);
	assert_int_equal(c->pt.root[1], 0);
	/* A page near the top of the 256 TiB IPA space. */
	assert_int_equal(pgtable_map(&c->pt, 0xfffffffff000ull, 0x9020000, PAGE_SIZE, S2_DEVICE),
			 PGT_OK);
	expect(c, 0xfffffffff123ull, 0x9020123, ATTR_DEVICE, 3);
	assert_int_equal(c->pt.root[511] & 3, 3);
	assert_int_equal(pgtable_map(&c->pt, 1ull << 48, 0, PAGE_SIZE, S2_RAM), PGT_EINVAL);

	pgtable_destroy(&c->pt);
	assert_int_equal(c->pool.nfree, POOL_PAGES);
}

/* 52-bit hardware gets the 48-bit layout: IPAs at and above 2^48 are refused. */
static void vm_52bit_capped(void **state)
{
	struct ctx *c = *state;

	map_vm(c, 6, 1);
	assert_int_equal(c->pt.ia_bits, 48);
	assert_int_equal(pgtable_map(&c->pt, 1ull << 48, 0, PAGE_SIZE, S2_RAM), PGT_EINVAL);
	pgtable_destroy(&c->pt);
	assert_int_equal(c->pool.nfree, POOL_PAGES);
}

/* Every geometry's root can be built and torn down, 42 bits with 8 contiguous pages. */
static void init_destroy_every_geometry(void **state)
{
	struct ctx *c = *state;

	for (unsigned i = 0; i < sizeof(geometries) / sizeof(geometries[0]); i++) {
		struct stage2_geometry g;
		uint64_t top;

		assert_int_equal(stage2_geometry(geometries[i].parange, &g), 0);
		assert_int_equal(stage2_init(&c->pt, &c->pool, &g), PGT_OK);
		assert_int_equal(c->pool.nfree, POOL_PAGES - g.root_pages);
		/* The last page of the IPA space maps, one past it does not. */
		top = 1ull << g.ipa_bits;
		assert_int_equal(pgtable_map(&c->pt, top - PAGE_SIZE, 0x1000, PAGE_SIZE, S2_RAM),
				 PGT_OK);
		expect(c, top - 1, 0x1fff, ATTR_RAM, 3);
		assert_int_equal(pgtable_map(&c->pt, top, 0x1000, PAGE_SIZE, S2_RAM), PGT_EINVAL);
		pgtable_destroy(&c->pt);
		assert_int_equal(c->pool.nfree, POOL_PAGES);
	}
}

/* A 42-bit root needs 8 contiguous pages; a pool of 4 cannot give them. */
static void concatenated_root_needs_free_pages(void **state)
{
	struct ctx *c = *state;
	struct stage2_geometry g;
	struct page_pool small;
	uint64_t bitmap[1];

	page_pool_init(&small, c->mem, FAKE_PA, 4, bitmap);
	assert_int_equal(stage2_geometry(3, &g), 0);
	assert_int_equal(stage2_init(&c->pt, &small, &g), PGT_ENOMEM);
}

/* A failed stage2_init must give back the root pages it took before failing. */
static void failed_concatenated_init_returns_pages(void **state)
{
	struct ctx *c = *state;
	struct stage2_geometry g;
	struct page_pool small;
	uint64_t bitmap[1];

	page_pool_init(&small, c->mem, FAKE_PA, 4, bitmap);
	assert_int_equal(stage2_geometry(3, &g), 0);
	assert_int_equal(stage2_init(&c->pt, &small, &g), PGT_ENOMEM);
	assert_int_equal(small.nfree, 4);
}

/*
 * Arm ARM, VTTBR_EL2.BADDR: the initial-lookup table is aligned to its whole
 * size, concatenated tables included (BADDR[x-1:1] are RES0; x = 13 for two
 * concatenated level-1 tables). Two VMs share one pool (as in vms_build): the
 * second VM's 40-bit root must still be 8 KiB aligned.
 */
static void concatenated_root_aligned_to_its_size(void **state)
{
	struct ctx *c = *state;
	struct stage2_geometry g;
	struct pgtable vm1;

	map_vm(c, 2, 2); /* VM 0: root pages 0-1, tables 2-4 */
	assert_int_equal(stage2_geometry(2, &g), 0);
	assert_int_equal(stage2_init(&vm1, &c->pool, &g), PGT_OK);
	assert_int_equal(page_to_pa(&c->pool, vm1.root) % (2 * PAGE_SIZE), 0);
	/* The root pages are taken from the pool: 5 for VM 0, 2 for VM 1. */
	assert_int_equal(c->pool.nfree, POOL_PAGES - 7);
	pgtable_destroy(&vm1);
	pgtable_destroy(&c->pt);
	assert_int_equal(c->pool.nfree, POOL_PAGES);
}

/* Alignment is of the physical address: a pool whose PA is only page-aligned. */
static void concatenated_root_aligned_in_skewed_pool(void **state)
{
	struct ctx *c = *state;
	struct stage2_geometry g;
	struct page_pool skewed;
	uint64_t bitmap[1];

	page_pool_init(&skewed, c->mem, FAKE_PA + 3 * PAGE_SIZE, POOL_PAGES, bitmap);
	assert_int_equal(stage2_geometry(3, &g), 0); /* 42 bits: 8 pages, 32 KiB */
	assert_int_equal(stage2_init(&c->pt, &skewed, &g), PGT_OK);
	assert_int_equal(page_to_pa(&skewed, c->pt.root), FAKE_PA + 8 * PAGE_SIZE);
	assert_int_equal(skewed.nfree, POOL_PAGES - 8);
	/* The concatenated root is one table: the top entry is in its eighth page. */
	assert_int_equal(pgtable_map(&c->pt, (1ull << 42) - PAGE_SIZE, 0, PAGE_SIZE, S2_RAM),
			 PGT_OK);
	assert_int_equal(c->pt.root[4095] & 3, 3);
	pgtable_destroy(&c->pt);
	assert_int_equal(skewed.nfree, POOL_PAGES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(geometry_every_parange),
		cmocka_unit_test(geometry_vtcr_literals),
		cmocka_unit_test(geometry_larger_than_52_bits_capped),
		cmocka_unit_test(geometry_is_architecturally_consistent),
		cmocka_unit_test(attributes_by_hand),
		cmocka_unit_test_setup_teardown(vm_40bit_concatenated_root, setup, teardown),
		cmocka_unit_test_setup_teardown(vm_48bit, setup, teardown),
		cmocka_unit_test_setup_teardown(vm_52bit_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(init_destroy_every_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(concatenated_root_needs_free_pages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(failed_concatenated_init_returns_pages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(concatenated_root_aligned_to_its_size, setup,
						teardown),
		cmocka_unit_test_setup_teardown(concatenated_root_aligned_in_skewed_pool, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("stage2", tests, NULL, NULL);
}

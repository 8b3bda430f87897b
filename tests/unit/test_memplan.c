/* SPDX-License-Identifier: MIT */
/* Host memory planning: the free list, claims and their conflicts, VM placement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/memplan.h"
#include "dtb_fixture.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

/* QEMU virt with 2 GiB, Tessera loaded at RAM + 2 MiB. */
#define RAM_BASE     0x40000000ull
#define RAM_SIZE     (2 * GIB)
#define TESSERA_BASE 0x40200000ull
#define TESSERA_SIZE (10 * MIB)

static struct memplan mp;
static struct tessera_config cfg;
static struct config_error err;
static uint64_t host_pa[VM_MAX];

static void init_virt(void)
{
	struct range ram = {RAM_BASE, RAM_SIZE};

	memplan_init(&mp, &ram, 1);
}

static void init_virt_with_tessera(void)
{
	init_virt();
	assert_int_equal(memplan_reserve(&mp, TESSERA_BASE, TESSERA_SIZE, "Tessera"), 0);
}

static void expect_free(unsigned i, uint64_t base, uint64_t size)
{
	assert_true(i < mp.nfree);
	assert_int_equal(mp.free[i].base, base);
	assert_int_equal(mp.free[i].size, size);
}

static void expect_used(unsigned i, uint64_t base, uint64_t size, const char *owner)
{
	assert_true(i < mp.nused);
	assert_int_equal(mp.used[i].r.base, base);
	assert_int_equal(mp.used[i].r.size, size);
	assert_string_equal(mp.used[i].owner, owner);
}

/* ---- the free list ------------------------------------------------------- */

static void init_sorts_and_merges(void **state)
{
	struct range ram[] = {
		{0x80000000, 0x40000000}, {0x40000000, 0x40000000}, /* touching */
		{0x48000000, 0x100000},				    /* inside another */
		{0x1000000, 0},					    /* empty */
		{0x0, 0x1000000},
	};

	(void)state;
	memplan_init(&mp, ram, 5);
	assert_int_equal(mp.nfree, 2);
	expect_free(0, 0x0, 0x1000000);
	expect_free(1, 0x40000000, 0x80000000);
	assert_int_equal(mp.nused, 0);
}

static void reserve_in_the_middle_splits(void **state)
{
	(void)state;
	init_virt_with_tessera();
	assert_int_equal(mp.nfree, 2);
	expect_free(0, RAM_BASE, 2 * MIB);
	expect_free(1, TESSERA_BASE + TESSERA_SIZE, RAM_SIZE - 2 * MIB - TESSERA_SIZE);
	assert_int_equal(mp.nused, 1);
	expect_used(0, TESSERA_BASE, TESSERA_SIZE, "Tessera");
}

static void reserve_at_the_edges(void **state)
{
	(void)state;
	init_virt();
	assert_int_equal(memplan_reserve(&mp, RAM_BASE, MIB, "low"), 0);
	assert_int_equal(memplan_reserve(&mp, RAM_BASE + RAM_SIZE - MIB, MIB, "high"), 0);
	assert_int_equal(mp.nfree, 1);
	expect_free(0, RAM_BASE + MIB, RAM_SIZE - 2 * MIB);
	expect_used(0, RAM_BASE, MIB, "low");
	expect_used(1, RAM_BASE + RAM_SIZE - MIB, MIB, "high");
}

static void reserve_a_whole_range(void **state)
{
	struct range ram[] = {{0x0, 0x1000000}, {RAM_BASE, RAM_SIZE}};

	(void)state;
	memplan_init(&mp, ram, 2);
	assert_int_equal(memplan_reserve(&mp, 0x0, 0x1000000, "firmware"), 0);
	assert_int_equal(mp.nfree, 1);
	expect_free(0, RAM_BASE, RAM_SIZE);
}

/* Nothing of it is RAM: nothing to take, nothing recorded. */
static void reserve_outside_ram(void **state)
{
	(void)state;
	init_virt();
	assert_int_equal(memplan_reserve(&mp, 0x09000000, 0x1000, "uart"), 0);
	assert_int_equal(memplan_reserve(&mp, RAM_BASE + RAM_SIZE, GIB, "above"), 0);
	assert_int_equal(mp.nfree, 1);
	expect_free(0, RAM_BASE, RAM_SIZE);
	assert_int_equal(mp.nused, 0);
}

/* Only the RAM part is taken; the record keeps the range as given. */
static void reserve_partly_outside_ram(void **state)
{
	(void)state;
	init_virt();
	assert_int_equal(memplan_reserve(&mp, RAM_BASE - MIB, 3 * MIB, "straddle"), 0);
	expect_free(0, RAM_BASE + 2 * MIB, RAM_SIZE - 2 * MIB);
	expect_used(0, RAM_BASE - MIB, 3 * MIB, "straddle");
}

static void reserve_across_two_ranges(void **state)
{
	struct range ram[] = {{0x0, 0x3b400000}, {RAM_BASE, RAM_SIZE}};

	(void)state;
	memplan_init(&mp, ram, 2);
	assert_int_equal(memplan_reserve(&mp, 0x3b000000, 0x5400000, "across"), 0);
	assert_int_equal(mp.nfree, 2);
	expect_free(0, 0x0, 0x3b000000);
	expect_free(1, 0x40400000, RAM_SIZE - 4 * MIB);
	assert_int_equal(mp.nused, 1);
}

/* A range already taken is not taken twice, nor recorded twice. */
static void reserve_twice(void **state)
{
	(void)state;
	init_virt_with_tessera();
	assert_int_equal(memplan_reserve(&mp, TESSERA_BASE + MIB, MIB, "host DTB"), 0);
	assert_int_equal(mp.nused, 1);
	assert_int_equal(mp.nfree, 2);
}

static void long_owner_is_truncated(void **state)
{
	const char *owner = "/reserved-memory/a-very-long-node-name@50000000-and-more";

	(void)state;
	init_virt();
	assert_int_equal(memplan_reserve(&mp, RAM_BASE, MIB, owner), 0);
	assert_int_equal(strlen(mp.used[0].owner), MEMPLAN_OWNER_MAX - 1);
	assert_memory_equal(mp.used[0].owner, owner, MEMPLAN_OWNER_MAX - 1);
}

/* A split with no slot left fails, and changes nothing. */
static void free_list_full(void **state)
{
	struct memplan before;

	(void)state;
	init_virt();
	for (unsigned i = 1; i < MEMPLAN_MAX_FREE; i++)
		assert_int_equal(memplan_reserve(&mp, RAM_BASE + i * 4 * MIB, MIB, "hole"), 0);
	assert_int_equal(mp.nfree, MEMPLAN_MAX_FREE);
	before = mp;
	assert_int_equal(memplan_reserve(&mp, RAM_BASE + MIB, MIB, "one too many"), -1);
	assert_memory_equal(&mp, &before, sizeof(mp));
	/* Trimming an edge needs no new slot. */
	assert_int_equal(memplan_reserve(&mp, RAM_BASE, MIB, "edge"), 0);
}

static void used_list_full(void **state)
{
	(void)state;
	init_virt();
	for (unsigned i = 0; i < MEMPLAN_MAX_USED; i++)
		assert_int_equal(memplan_reserve(&mp, RAM_BASE + i * MIB, MIB, "edge"), 0);
	assert_int_equal(memplan_reserve(&mp, RAM_BASE + 64 * MIB, MIB, "full"), -1);
	assert_int_equal(mp.nused, MEMPLAN_MAX_USED);
	expect_free(0, RAM_BASE + MEMPLAN_MAX_USED * MIB, RAM_SIZE - MEMPLAN_MAX_USED * MIB);
}

/* ---- claims ---------------------------------------------------------------- */

static void claim_exact_range(void **state)
{
	const struct memplan_used *conflict = (void *)1;

	(void)state;
	init_virt_with_tessera();
	assert_int_equal(memplan_claim(&mp, 0x80000000, 256 * MIB, "vm \"a\"", &conflict), 0);
	assert_null(conflict);
	expect_used(1, 0x80000000, 256 * MIB, "vm \"a\"");
	assert_int_equal(mp.nfree, 3);
	expect_free(1, TESSERA_BASE + TESSERA_SIZE, 0x80000000 - TESSERA_BASE - TESSERA_SIZE);
	expect_free(2, 0x90000000, 0x30000000);
}

static void claim_conflict_names_owner(void **state)
{
	const struct memplan_used *conflict;

	(void)state;
	init_virt_with_tessera();
	assert_int_equal(memplan_claim(&mp, RAM_BASE, 64 * MIB, "vm \"a\"", &conflict), -1);
	assert_ptr_equal(conflict, &mp.used[0]);
	assert_string_equal(conflict->owner, "Tessera");
	assert_int_equal(mp.nused, 1);
	assert_int_equal(mp.nfree, 2);
}

static void claim_conflicts_with_earlier_claim(void **state)
{
	const struct memplan_used *conflict;

	(void)state;
	init_virt_with_tessera();
	assert_int_equal(memplan_claim(&mp, 0x80000000, GIB, "vm \"a\"", &conflict), 0);
	assert_int_equal(memplan_claim(&mp, 0xbfe00000, 2 * MIB, "vm \"b\"", &conflict), -1);
	assert_string_equal(conflict->owner, "vm \"a\"");
}

static void claim_outside_ram(void **state)
{
	struct range ram[] = {{0x0, 0x3b400000}, {RAM_BASE, RAM_SIZE}};
	const struct memplan_used *conflict = (void *)1;

	(void)state;
	memplan_init(&mp, ram, 2);
	/* Not RAM at all, partly not RAM, across the hole between two ranges. */
	assert_int_equal(memplan_claim(&mp, 0x09000000 + GIB * 8, MIB, "x", &conflict), -1);
	assert_null(conflict);
	assert_int_equal(memplan_claim(&mp, 0xbfe00000, 4 * MIB, "x", &conflict), -1);
	assert_null(conflict);
	assert_int_equal(memplan_claim(&mp, 0x3b000000, 0x5400000, "x", &conflict), -1);
	assert_null(conflict);
	assert_int_equal(memplan_claim(&mp, RAM_BASE, 0, "x", &conflict), -1);
	assert_int_equal(memplan_claim(&mp, ~0ull - MIB + 1, 2 * MIB, "x", &conflict), -1);
	assert_int_equal(mp.nused, 0);
	assert_int_equal(mp.nfree, 2);
}

/* ---- allocation ------------------------------------------------------------ */

static void alloc_lowest_aligned(void **state)
{
	uint64_t base;

	(void)state;
	init_virt_with_tessera();
	assert_int_equal(memplan_alloc(&mp, MIB, 2 * MIB, "small", &base), 0);
	assert_int_equal(base, RAM_BASE);
	/* The 1 MiB left below Tessera is too small; the next aligned slot is above. */
	assert_int_equal(memplan_alloc(&mp, 2 * MIB, 2 * MIB, "two", &base), 0);
	assert_int_equal(base, TESSERA_BASE + TESSERA_SIZE);
	assert_int_equal(memplan_alloc(&mp, GIB, GIB, "big", &base), 0);
	assert_int_equal(base, 0x80000000);
	/* Unaligned is fine with align 1: the 1 MiB below Tessera. */
	assert_int_equal(memplan_alloc(&mp, MIB, 1, "any", &base), 0);
	assert_int_equal(base, RAM_BASE + MIB);
	expect_used(4, RAM_BASE + MIB, MIB, "any");
}

static void alloc_skips_to_a_later_range(void **state)
{
	struct range ram[] = {{0x0, 0x3b400000}, {RAM_BASE, RAM_SIZE}};
	uint64_t base;

	(void)state;
	memplan_init(&mp, ram, 2);
	assert_int_equal(memplan_alloc(&mp, GIB, 2 * MIB, "vm", &base), 0);
	assert_int_equal(base, RAM_BASE);
	assert_int_equal(memplan_alloc(&mp, 0x3b400000, 2 * MIB, "rest", &base), 0);
	assert_int_equal(base, 0);
}

static void alloc_exhausted(void **state)
{
	uint64_t base;

	(void)state;
	init_virt_with_tessera();
	/* About 2 GiB is free in all, but not in one piece. */
	assert_int_equal(memplan_alloc(&mp, RAM_SIZE - TESSERA_SIZE, 1, "all", &base), -1);
	assert_int_equal(memplan_alloc(&mp, RAM_SIZE - 2 * MIB - TESSERA_SIZE, 1, "rest", &base),
			 0);
	assert_int_equal(memplan_alloc(&mp, 4 * MIB, 2 * MIB, "more", &base), -1);
	assert_int_equal(memplan_alloc(&mp, 2 * MIB, 2 * MIB, "last", &base), 0);
	assert_int_equal(base, RAM_BASE);
	assert_int_equal(mp.nfree, 0);
	assert_int_equal(memplan_alloc(&mp, 4096, 1, "none", &base), -1);
}

static void alloc_bad_arguments(void **state)
{
	uint64_t base;

	(void)state;
	init_virt();
	assert_int_equal(memplan_alloc(&mp, MIB, 3 * MIB, "not a power of 2", &base), -1);
	assert_int_equal(memplan_alloc(&mp, 0, MIB, "empty", &base), -1);
	assert_int_equal(mp.nused, 0);
}

/* ---- placing VMs ----------------------------------------------------------- */

static void add_vm(const char *label, bool identity, uint64_t base, uint64_t size)
{
	struct vm_config *vm = &cfg.vms[cfg.nvms++];

	strcpy(vm->label, label);
	vm->identity = identity;
	vm->mem = (struct range){base, size};
}

static int setup_cfg(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(&err, 0, sizeof(err));
	memset(host_pa, 0, sizeof(host_pa));
	return 0;
}

static void place(void)
{
	if (memplan_place_vms(&mp, &cfg, host_pa, &err))
		fail_msg("unexpected error: %s", err.msg);
}

static void expect_place_error(const char *msg)
{
	assert_int_equal(memplan_place_vms(&mp, &cfg, host_pa, &err), -1);
	assert_string_equal(err.msg, msg);
}

/* Identity VMs go first, whatever their place in the config. */
static void place_identity_first(void **state)
{
	(void)state;
	init_virt_with_tessera();
	add_vm("a", false, RAM_BASE, 256 * MIB);
	add_vm("b", true, 0x60000000, 64 * MIB);
	add_vm("c", false, RAM_BASE, GIB);
	add_vm("d", false, RAM_BASE, 64 * MIB);
	place();
	assert_int_equal(host_pa[0], TESSERA_BASE + TESSERA_SIZE);
	assert_int_equal(host_pa[1], 0x60000000);
	assert_int_equal(host_pa[2], 0x80000000); /* 1 GiB-aligned */
	assert_int_equal(host_pa[3], TESSERA_BASE + TESSERA_SIZE + 256 * MIB);
	expect_used(1, 0x60000000, 64 * MIB, "vm \"b\"");
	expect_used(2, host_pa[0], 256 * MIB, "vm \"a\"");
}

static void place_identity_over_tessera(void **state)
{
	(void)state;
	init_virt_with_tessera();
	add_vm("alpha", true, RAM_BASE, 64 * MIB);
	expect_place_error("config: vm \"alpha\": memory: 0x40000000-0x43ffffff (identity) "
			   "overlaps Tessera (0x40200000-0x40bfffff)");
}

static void place_identity_over_identity(void **state)
{
	(void)state;
	init_virt_with_tessera();
	add_vm("alpha", true, 0x80000000, 64 * MIB);
	add_vm("beta", false, RAM_BASE, 64 * MIB);
	add_vm("gamma", true, 0x82000000, 64 * MIB);
	expect_place_error("config: vm \"gamma\": memory: 0x82000000-0x85ffffff (identity) "
			   "overlaps vm \"alpha\" (0x80000000-0x83ffffff)");
}

static void place_identity_not_ram(void **state)
{
	(void)state;
	init_virt_with_tessera();
	add_vm("alpha", true, 0x20000000, 32 * MIB);
	expect_place_error("config: vm \"alpha\": memory: 0x20000000-0x21ffffff (identity) is not "
			   "host RAM");
}

static void place_no_room(void **state)
{
	(void)state;
	init_virt_with_tessera();
	add_vm("alpha", false, RAM_BASE, 512 * MIB);
	add_vm("beta", false, RAM_BASE, 2 * GIB);
	expect_place_error("config: vm \"beta\": memory: no free host RAM for 0x80000000 bytes");
}

/* A 1 GiB VM wants a 1 GiB-aligned slot even when a lower 2 MiB one exists. */
static void place_gib_aligned(void **state)
{
	(void)state;
	init_virt_with_tessera();
	add_vm("alpha", false, RAM_BASE, GIB);
	add_vm("beta", false, RAM_BASE, GIB);
	expect_place_error("config: vm \"beta\": memory: no free host RAM for 0x40000000 bytes");
	assert_int_equal(host_pa[0], 0x80000000);
}

/* ---- the host DT ------------------------------------------------------------ */

static void host_dt_reservations(void **state)
{
	void *fdt = fixture_load("config-host.dtb");
	const struct memplan_used *conflict;

	(void)state;
	init_virt();
	assert_int_equal(memplan_reserve_host_dt(&mp, fdt), 0);
	assert_int_equal(mp.nused, 3);
	expect_used(0, 0x48000000, 0x10000, "/memreserve/");
	expect_used(1, 0x50000000, MIB, "/reserved-memory/firmware@50000000");
	expect_used(2, 0x50400000, 2 * MIB, "/reserved-memory/firmware@50000000");
	/* Disabled, and "size"-only (dynamic) nodes take nothing. */
	assert_int_equal(mp.nfree, 4);
	expect_free(0, RAM_BASE, 0x8000000);
	expect_free(1, 0x48010000, 0x7ff0000);
	expect_free(2, 0x50100000, 0x300000);
	expect_free(3, 0x50600000, 0xc0000000 - 0x50600000);
	assert_int_equal(memplan_claim(&mp, 0x50000000, 64 * MIB, "vm", &conflict), -1);
	assert_string_equal(conflict->owner, "/reserved-memory/firmware@50000000");
	free(fdt);
}

/* The binding wants "ranges" on /reserved-memory; a region is no less reserved without. */
static void host_dt_reservations_without_ranges(void **state)
{
	void *fdt = fixture_load("config-host.dtb");

	(void)state;
	init_virt();
	assert_int_equal(fdt_delprop(fdt, fixture_node(fdt, "/reserved-memory"), "ranges"), 0);
	assert_int_equal(memplan_reserve_host_dt(&mp, fdt), 0);
	assert_int_equal(mp.nused, 3);
	free(fdt);
}

#define T(name) cmocka_unit_test_setup(name, setup_cfg)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(init_sorts_and_merges),
		T(reserve_in_the_middle_splits),
		T(reserve_at_the_edges),
		T(reserve_a_whole_range),
		T(reserve_outside_ram),
		T(reserve_partly_outside_ram),
		T(reserve_across_two_ranges),
		T(reserve_twice),
		T(long_owner_is_truncated),
		T(free_list_full),
		T(used_list_full),
		T(claim_exact_range),
		T(claim_conflict_names_owner),
		T(claim_conflicts_with_earlier_claim),
		T(claim_outside_ram),
		T(alloc_lowest_aligned),
		T(alloc_skips_to_a_later_range),
		T(alloc_exhausted),
		T(alloc_bad_arguments),
		T(place_identity_first),
		T(place_identity_over_tessera),
		T(place_identity_over_identity),
		T(place_identity_not_ram),
		T(place_no_room),
		T(place_gib_aligned),
		T(host_dt_reservations),
		T(host_dt_reservations_without_ranges),
	};

	return cmocka_run_group_tests_name("memplan", tests, NULL, NULL);
}

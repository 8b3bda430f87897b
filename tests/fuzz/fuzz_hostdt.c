/* SPDX-License-Identifier: MIT */
/*
 * The host device tree parser (core/hostdt.c) and the reservations
 * memplan takes from it (core/memplan.c), with the input as the host DTB,
 * in the order boot_primary() runs them: fdt_check_header, the PSCI
 * conduit, the console, then hostdt_parse and memplan_reserve_host_dt.
 *
 * Checked: what a successful parse returns is within the limits
 * core/hostdt.h states (1..HOST_MAX_MEM non-empty RAM ranges, 1..MAX_CPUS
 * CPUs, a GICv2 or v3 with a PPI maintenance interrupt, four timer PPIs,
 * NUL-terminated paths), error messages are NUL-terminated, and the free
 * list memplan is left with is sorted, disjoint and inside RAM.
 */
#include <stdint.h>
#include <string.h>

#include "core/hostdt.h"
#include "core/memplan.h"
#define FUZZ_GUARD_FDT_GET_PATH /* see fuzz.h */
#include "tests/fuzz/fuzz.h"

static bool ppi(uint32_t intid)
{
	return intid >= 16 && intid < 32;
}

static void check_platform(const struct host_platform *hp)
{
	CHECK(hp->nmem >= 1 && hp->nmem <= HOST_MAX_MEM);
	for (unsigned i = 0; i < hp->nmem; i++)
		CHECK(hp->mem[i].size != 0);
	CHECK(hp->ncpus >= 1 && hp->ncpus <= MAX_CPUS);
	for (unsigned i = 0; i < hp->ncpus; i++)
		CHECK(hp->cpus[i].method == CPU_ENABLE_PSCI ||
		      hp->cpus[i].method == CPU_ENABLE_SPIN_TABLE);
	CHECK(hp->gic.version == 2 || hp->gic.version == 3);
	CHECK(fuzz_terminated(hp->gic.path, sizeof(hp->gic.path)));
	CHECK(ppi(hp->gic.maint_intid));
	CHECK(ppi(hp->timer.sec_phys) && ppi(hp->timer.phys) && ppi(hp->timer.virt) &&
	      ppi(hp->timer.hyp_phys));
	CHECK(hp->psci == PSCI_CONDUIT_NONE || hp->psci == PSCI_CONDUIT_SMC);
}

/* Exclusive end, saturating as memplan's own does. */
static uint64_t end_of(const struct range *r)
{
	return r->size > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->size;
}

static void check_memplan(const struct memplan *mp, const struct host_platform *hp)
{
	CHECK(mp->nfree <= MEMPLAN_MAX_FREE && mp->nused <= MEMPLAN_MAX_USED);
	for (unsigned i = 0; i < mp->nfree; i++) {
		const struct range *f = &mp->free[i];
		bool in_ram = false;

		CHECK(f->size != 0);
		if (i)
			CHECK(end_of(&mp->free[i - 1]) <= f->base);
		for (unsigned j = 0; j < hp->nmem; j++)
			in_ram |= f->base >= hp->mem[j].base &&
				  f->base - hp->mem[j].base < hp->mem[j].size;
		CHECK(in_ram);
	}
	for (unsigned i = 0; i < mp->nused; i++)
		CHECK(fuzz_terminated(mp->used[i].owner, sizeof(mp->used[i].owner)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct host_platform hp;
	static struct memplan mp;
	struct dt_error err;
	enum psci_conduit conduit;
	void *fdt = fuzz_dtb_copy(data, size);

	if (!fdt)
		return 0;
	if (fdt_check_header(fdt) != 0)
		goto out;
	conduit = hostdt_psci_conduit(fdt);
	CHECK(conduit == PSCI_CONDUIT_NONE || conduit == PSCI_CONDUIT_SMC);
	CHECK(psci_conduit_name(conduit) != NULL);

	memset(&hp, 0, sizeof(hp)); /* Tessera's is static */
	memset(&err, 0xa5, sizeof(err));
	if (hostdt_console(fdt, &hp.uart, &err) < 0) {
		CHECK(fuzz_terminated(err.msg, sizeof(err.msg)));
		CHECK(!strncmp(err.msg, "host DTB: ", 10));
	} else {
		CHECK(fuzz_terminated(hp.uart.path, sizeof(hp.uart.path)));
		CHECK(hp.uart.intid == 0 || (hp.uart.intid >= 32 && hp.uart.intid < 1020));
	}
	/* Tessera stops at a console error; parse anyway, the parser must cope. */
	memset(&err, 0xa5, sizeof(err));
	if (hostdt_parse(fdt, &hp, &err) < 0) {
		CHECK(fuzz_terminated(err.msg, sizeof(err.msg)));
		fuzz_note("hostdt_parse", err.msg);
		CHECK(!strncmp(err.msg, "host DTB: ", 10));
		goto out;
	}
	check_platform(&hp);
	fuzz_note("hostdt_parse", "ok");

	memplan_init(&mp, hp.mem, hp.nmem);
	memplan_reserve(&mp, 0x40200000, 0xa00000, "Tessera");
	memplan_reserve(&mp, 0x48000000, fdt_totalsize(fdt), "host DTB");
	memplan_reserve_host_dt(&mp, fdt);
	check_memplan(&mp, &hp);
out:
	free(fdt);
	return 0;
}

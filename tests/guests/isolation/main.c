/* SPDX-License-Identifier: MIT */
/*
 * isolation: what a VM must see of the machine, and must not reach.
 *  1. The DT describes exactly the VM: memory, CPU count, PSCI via HVC.
 *  2. All of that memory is there: every 64-byte block written and read back.
 *  3. Devices passed through to it can be read (bootargs expect-read=...).
 *  4. Addresses outside it (bootargs probe=...) abort, on read and on write.
 *  5. PSCI answers.
 * Bootargs: see tests/guests/README.md.
 */
#include <string.h>

#include "guest.h"

#define MAX_RANGES 8

static void check_memory(const void *fdt)
{
	struct dt_range r[MAX_RANGES];
	int n = dt_memory(fdt, r, MAX_RANGES);

	if (n < 0) {
		test_fail("dtb: malformed memory node");
	} else if (n == 0) {
		test_fail("dtb: no memory node");
	} else if (!args.have_mem) {
		test_skip("dtb: memory (no expect-mem)");
	} else if (n > 1) {
		test_fail("dtb: %d memory ranges, expected one: 0x%lx size 0x%lx", n, args.mem_base,
			  args.mem_size);
	} else if (r[0].base != args.mem_base || r[0].size != args.mem_size) {
		test_fail("dtb: memory 0x%lx size 0x%lx, expected 0x%lx size 0x%lx", r[0].base,
			  r[0].size, args.mem_base, args.mem_size);
	} else {
		test_pass("dtb: memory 0x%lx size 0x%lx", r[0].base, r[0].size);
	}
}

static void check_cpus(const void *fdt)
{
	int n = dt_cpu_count(fdt);

	if (n < 0)
		test_fail("dtb: no /cpus node");
	else if (!args.have_cpus)
		test_skip("dtb: cpus (no expect-cpus)");
	else if ((unsigned int)n != args.cpus)
		test_fail("dtb: %d cpus, expected %u", n, args.cpus);
	else
		test_pass("dtb: %d cpus", n);
}

static void check_psci_method(const void *fdt)
{
	const char *method = dt_psci_method(fdt);

	if (!method)
		test_fail("dtb: no PSCI node with a method");
	else if (strcmp(method, args.psci))
		test_fail("dtb: psci method \"%s\", expected \"%s\"", method, args.psci);
	else
		test_pass("dtb: psci method %s", method);
}

/* Every range of the DT: a VM's RAM must be all there, and writable. */
static void check_ram(const void *fdt)
{
	struct dt_range r[MAX_RANGES];
	int n = dt_memory(fdt, r, MAX_RANGES);
	struct ram_fault f;
	uint64_t total = 0;
	int i;

	if (n <= 0 || n > MAX_RANGES) {
		test_fail("ram: no usable memory ranges in the DT");
		return;
	}
	for (i = 0; i < n; i++) {
		if (!ram_test(r[i].base, r[i].base + r[i].size, &f)) {
			if (f.esr)
				test_fail("ram: 0x%08lx: data abort, ESR 0x%08lx", f.addr, f.esr);
			else
				test_fail("ram: 0x%08lx: wrote 0x%016lx, read 0x%016lx", f.addr,
					  f.wrote, f.read);
			return;
		}
		total += r[i].size;
	}
	test_pass("ram: 0x%lx bytes read/written", total);
}

static void check_probes(void)
{
	unsigned int i;

	for (i = 0; i < args.nprobe; i++) {
		expect_abort(args.probe[i], false);
		expect_abort(args.probe[i], true);
	}
}

static void check_reads(void)
{
	for (unsigned int i = 0; i < args.nread; i++) {
		struct exc_record rec;
		uint32_t v = probe_read32(args.read_addr[i], &rec);

		if (rec.count)
			test_fail("read 0x%08lx: aborted, ESR 0x%08lx", args.read_addr[i], rec.esr);
		else if (v != args.read_value[i])
			test_fail("read 0x%08lx: 0x%x, expected 0x%lx", args.read_addr[i], v,
				  args.read_value[i]);
		else
			test_pass("read 0x%08lx: 0x%x", args.read_addr[i], v);
	}
}

static void check_psci_version(void)
{
	uint32_t v = psci_version();

	if (v & 0x80000000u)
		test_fail("psci: PSCI_VERSION returned %d", (int)v);
	else
		test_pass("psci: version %u.%u", v >> 16, v & 0xffff);
}

void guest_main(const void *fdt)
{
	check_memory(fdt);
	check_cpus(fdt);
	check_psci_method(fdt);
	check_ram(fdt);
	check_reads();
	check_probes();
	check_psci_version();
}

/* SPDX-License-Identifier: MIT */
/*
 * hostile: every escape and disturbance a guest at EL1 can try, each one
 * checked for containment (tests/guests/hostile/README.md lists them all):
 *  1. memory and devices outside the VM (bootargs neighbour=, foreign=);
 *  2. its emulated UART;
 *  3. its distributor disabled for a while, interrupt storms, WFI/WFE
 *     loops, HVC floods; a second vCPU that hammers the hypervisor alongside
 *     the first (and, after the DONE line, loops in faults until SYSTEM_OFF);
 *  4. MMIO the hypervisor cannot decode, instruction fetches from devices;
 *  5. GIC registers and SGIs beyond what it owns;
 *  6. PSCI and SMCCC calls for other CPUs, bad entry points, unknown IDs;
 *  7. EL2 and EL3 registers and operations, and the registers the trap
 *     policy decides about (accepted trapped or plain, where noted);
 *  8. its own stage 1: tables and mappings that point outside, odd
 *     attributes, DC ZVA, set/way maintenance, self-modifying vectors;
 *     and its own EL0, AArch64 and AArch32.
 * The faults of step 1 come first, so the hypervisor's fault log (32 lines
 * per VM) holds exactly those.
 */
#include <string.h>

#include "hostile.h"

struct hostile_args hargs = {.quiet_ms = 500, .be_mmio = true};
struct vm_info vm;

static bool key_is(const char *key, size_t len, const char *want)
{
	return len == strlen(want) && !strncmp(key, want, len);
}

/* neighbour=BASE,SIZE  foreign=NAME@ADDR  quiet-ms=N  be-mmio=0|1 */
bool bootargs_guest_word(const char *key, size_t keylen, const char *val, const char *end)
{
	uint64_t v[2];

	if (key_is(key, keylen, "neighbour")) {
		if (bootargs_numbers(val, end, v, 2) != 2 || !v[1])
			return false;
		hargs.have_neighbour = true;
		hargs.neighbour_base = v[0];
		hargs.neighbour_size = v[1];
		return true;
	}
	if (key_is(key, keylen, "foreign")) {
		const char *at = memchr(val, '@', (size_t)(end - val));

		if (!at || at == val || at - val >= NAME_MAX || hargs.nforeign == MAX_FOREIGN ||
		    bootargs_numbers(at + 1, end, v, 1) != 1)
			return false;
		memcpy(hargs.foreign[hargs.nforeign].name, val, (size_t)(at - val));
		hargs.foreign[hargs.nforeign].name[at - val] = '\0';
		hargs.foreign[hargs.nforeign++].addr = v[0];
		return true;
	}
	if (key_is(key, keylen, "be-mmio")) {
		if (bootargs_numbers(val, end, v, 1) != 1 || v[0] > 1)
			return false;
		hargs.be_mmio = v[0];
		return true;
	}
	if (key_is(key, keylen, "quiet-ms")) {
		if (bootargs_numbers(val, end, v, 1) != 1 || v[0] > 10000)
			return false;
		hargs.quiet_ms = (unsigned int)v[0];
		return true;
	}
	return false;
}

uint64_t foreign_addr(const char *name, uint64_t fallback)
{
	for (unsigned int i = 0; i < hargs.nforeign; i++)
		if (!strcmp(hargs.foreign[i].name, name))
			return hargs.foreign[i].addr;
	return fallback;
}

const char *exc_text(const struct exc_record *r)
{
	static char bufs[2][96];
	static unsigned int turn;
	char *buf = bufs[turn++ % 2];

	if (!r->count)
		return "no exception";
	str_format(buf, sizeof(bufs[0]),
		   "%u exception(s), first ESR 0x%08lx (EC 0x%02lx) FAR 0x%lx", r->count, r->esr,
		   ESR_EC(r->esr), r->far);
	return buf;
}

bool aborts_rw(uint64_t addr, char *why, unsigned int len)
{
	struct exc_record rec;
	uint32_t v = probe_read32(addr, &rec);

	if (!was_sea(&rec, addr)) {
		if (rec.count)
			str_format(why, len, "read: %s", exc_text(&rec));
		else
			str_format(why, len, "read: no abort, read 0x%08x", v);
		return false;
	}
	probe_write32(addr, 0, &rec);
	if (!was_sea(&rec, addr)) {
		str_format(why, len, "write: %s", exc_text(&rec));
		return false;
	}
	return true;
}

/* ---- interrupt bookkeeping (gic.c logs every interrupt per CPU) ---- */

struct mark mark_now(unsigned int cpu)
{
	return (struct mark){gic_cpus[cpu].count, gic_cpus[cpu].spurious};
}

uint32_t taken_since(unsigned int cpu, struct mark m)
{
	return gic_cpus[cpu].count - m.count;
}

uint32_t took(unsigned int cpu, struct mark m, unsigned int intid)
{
	uint32_t n = gic_cpus[cpu].count, i, hits = 0;

	dsb(ld);
	i = n - m.count > GIC_LOG_SIZE ? n - GIC_LOG_SIZE : m.count;
	for (; i != n; i++)
		if (GIC_LOG_INTID(gic_cpus[cpu].log[i % GIC_LOG_SIZE]) == intid)
			hits++;
	return hits;
}

bool took_nothing(unsigned int cpu, struct mark m)
{
	return gic_cpus[cpu].count == m.count && gic_cpus[cpu].spurious == m.spurious;
}

bool wait_took(unsigned int cpu, struct mark m, unsigned int intid, uint32_t n,
	       unsigned int timeout_ms)
{
	uint64_t end = counter_now() + counter_ms(timeout_ms);

	while (took(cpu, m, intid) < n)
		if (counter_now() > end)
			return false;
	return true;
}

/* ---- setup ---- */

static bool setup(const void *fdt)
{
	struct dt_range r[2];
	int t = dt_timer_intid(fdt, 2);

	if (dt_memory(fdt, r, 2) != 1) {
		test_fail("setup: the DT must have exactly one memory range");
		return false;
	}
	vm.ram_base = r[0].base;
	vm.ram_size = r[0].size;
	vm.gic = dt_gic(fdt, r);
	if (vm.gic != 2 && vm.gic != 3) {
		test_fail("setup: no GICv2 or GICv3 in the DT");
		return false;
	}
	vm.gicd = r[0].base;
	vm.gicr_or_gicc = r[1].base;
	vm.gicr_size = r[1].size;
	if (!dt_stdout_pl011(fdt, &vm.uart)) {
		test_fail("setup: no PL011 console in the DT");
		return false;
	}
	vm.vtimer = t >= 16 && t < 32 ? (unsigned int)t : 27;
	/* The probes of CPUs, SGI targets and redistributors outside the VM count on 2. */
	if (dt_cpu_count(fdt) != 2) {
		test_fail("setup: the VM must have exactly 2 vCPUs, the DT has %d",
			  dt_cpu_count(fdt));
		return false;
	}
	if (!hargs.have_neighbour) {
		test_fail("setup: bootargs need neighbour=BASE,SIZE");
		return false;
	}
	gic_probe(fdt);
	gic_dist_init();
	if (!gic_cpu_init()) {
		test_fail("setup: GIC CPU interface of cpu0 does not initialise");
		return false;
	}
	return true;
}

void guest_main(const void *fdt)
{
	smp_event_stream();
	if (!setup(fdt))
		return;
	gprintf("hostile: GICv%u, RAM 0x%lx-0x%lx, neighbour 0x%lx-0x%lx\n", vm.gic, vm.ram_base,
		vm.ram_base + vm.ram_size - 1, hargs.neighbour_base,
		hargs.neighbour_base + hargs.neighbour_size - 1);
	probe_memory(); /* first: these are the faults the hypervisor logs */
	probe_uart();
	/* Early, so that the ticker surely still runs meanwhile, however slow the host. */
	probe_storms();
	probe_vcpu1(); /* and after DONE, vCPU 1 loops in faults until SYSTEM_OFF */
	probe_mmio_forms();
	probe_gic();
	probe_sgis();
	probe_firmware();
	probe_sysregs();
	probe_stage1();
	probe_el0();
	irq_mask();
}

/* SPDX-License-Identifier: MIT */
/*
 * bench: what each trap path costs, in instructions. Run under QEMU with
 * `-icount shift=0,align=off,sleep=off`: the virtual counter then ticks once
 * per instruction executed, by any CPU at any exception level, so a
 * difference of two CNTVCT_EL0 reads is an instruction count, the same on
 * every run.
 *
 * Every figure is the minimum over REPS repetitions after WARMUP unmeasured
 * ones, with the bracket (the first counter read, bench_empty) subtracted.
 * One line per figure:
 *
 *   BENCH <key> <min> <max> [undef]
 *   BENCH <key> - <why>
 *
 * `undef`: each repetition took a synchronous exception at EL1 (an UNDEF,
 * natively or injected), which the figure includes (kernels.S's handler:
 * 10 instructions). A `-` line says why the figure does not exist here.
 * The GIC, the UART, the timer's INTID, the CPUs, the RAM and a PL031 to
 * read are found in the DTB. tests/bench/run.py runs it natively, under an
 * EL2 stub and under Tessera, and docs/performance.md explains the rows.
 */
#include <libfdt.h>
#include <stddef.h>

#include "bench.h"
#include "gic.h"
#include "guest.h"
#include "mmio.h"
#include "smp.h"

#define WARMUP 2
#define REPS   6

#define SGI_SELF  1
#define SGI_OTHER 2

#define VTIMER_DEFAULT 27
#define TIMER_TICKS    2000 /* deadline: this far ahead of arming */
#define CPU1_MPIDR     1

#define WALK_PAGES (256u * 1024 * 1024 / 4096) /* 256 MiB */

/* Distributor and redistributor registers the rows access. */
#define GICD_ISENABLER1	  0x0104 /* SPIs 32-63 */
#define GICD_IPRIORITYR8  0x0420 /* SPIs 32-35 */
#define GICR_SGI_BASE	  0x10000
#define GICR_ISENABLER0	  0x0100
#define GICD_SGIR_TARGETS 16
#define PL031_PERIPHID0	  0xfe0

typedef uint64_t op_fn(uint64_t a, uint64_t b);

struct result {
	uint64_t min;
	uint64_t max;
	uint64_t syncs; /* synchronous exceptions taken at EL1 */
};

extern char guest_vectors[];

static uint64_t overhead;
static uintptr_t gicd;
static struct bench_mbox mbox;
static volatile bool cpu1_ready;

static struct result measure(op_fn *fn, uint64_t a, uint64_t b)
{
	struct result r = {.min = UINT64_MAX};

	bench_sync_count = 0;
	write_sysreg(vbar_el1, (uintptr_t)bench_vectors);
	isb();
	for (unsigned int i = 0; i < WARMUP + REPS; i++) {
		uint64_t d = fn(a, b);

		if (i < WARMUP)
			continue;
		r.min = d < r.min ? d : r.min;
		r.max = d > r.max ? d : r.max;
	}
	write_sysreg(vbar_el1, (uintptr_t)guest_vectors);
	isb();
	r.syncs = bench_sync_count;
	return r;
}

static void report(const char *key, struct result r, uint64_t sub)
{
	gprintf("BENCH %s %lu %lu%s\n", key, r.min - sub, r.max - sub,
		r.syncs >= REPS ? " undef" : "");
}

static void report_na(const char *key, const char *why)
{
	gprintf("BENCH %s - %s\n", key, why);
}

/* --- adapters: every kernel as op_fn ------------------------------------- */

static uint64_t op_empty(uint64_t a, uint64_t b)
{
	(void)a;
	(void)b;
	return bench_empty();
}

static uint64_t op_hvc(uint64_t a, uint64_t b)
{
	(void)b;
	return bench_hvc(a);
}

static uint64_t op_smc(uint64_t a, uint64_t b)
{
	(void)b;
	return bench_smc(a);
}

static uint64_t op_read32(uint64_t a, uint64_t b)
{
	(void)b;
	return bench_read32(a);
}

static uint64_t op_write32(uint64_t a, uint64_t b)
{
	return bench_write32(a, (uint32_t)b);
}

static uint64_t op_id_read(uint64_t a, uint64_t b)
{
	(void)a;
	(void)b;
	return bench_id_read();
}

static uint64_t op_actlr_read(uint64_t a, uint64_t b)
{
	(void)a;
	(void)b;
	return bench_actlr_read();
}

static uint64_t op_vtimer(uint64_t a, uint64_t b)
{
	(void)b;
	return bench_vtimer(a);
}

static uint64_t op_wfi(uint64_t a, uint64_t b)
{
	(void)b;
	return bench_wfi(a);
}

/* a: ICC_SGI1R_EL1 value (GICv3) or GICD_SGIR value (GICv2). */
static uint64_t op_sgi_self(uint64_t a, uint64_t b)
{
	(void)b;
	if (gic_version() == 3)
		return bench_sgi_sysreg(a);
	return bench_sgi_mmio(gicd + GICD_SGIR, (uint32_t)a);
}

static uint64_t op_sgi_other(uint64_t a, uint64_t b)
{
	(void)b;
	if (gic_version() == 3)
		return bench_sgi_other_sysreg(a, &mbox);
	return bench_sgi_other_mmio(gicd + GICD_SGIR, (uint32_t)a, &mbox);
}

static uint64_t op_walk(uint64_t a, uint64_t b)
{
	return bench_walk(a, b);
}

/* --- rows ---------------------------------------------------------------- */

/* The value that sends SGI intid to the CPU in slot cpu (Aff0 < 16). */
static uint64_t sgi_value(unsigned int intid, unsigned int cpu)
{
	uint64_t m = gic_cpus[cpu].mpidr;

	if (gic_version() == 2)
		return (uint64_t)(1u << gic_cpus[cpu].v2_id) << GICD_SGIR_TARGETS | intid;
	return (m >> 32 & 0xff) << 48 | (m >> 16 & 0xff) << 32 | (m >> 8 & 0xff) << 16 |
	       (uint64_t)intid << 24 | 1u << (m & 0xf);
}

/* A latency row: the interrupt must have come, and be the one expected. */
static void report_irq(const char *key, struct result r, uint64_t sub, unsigned int intid)
{
	if (!bench_irq_seen || bench_irq_intid != intid) {
		test_fail("%s: interrupt %u expected, got %s %lu", key, intid,
			  bench_irq_seen ? "INTID" : "nothing, last INTID", bench_irq_intid);
		report_na(key, "no-interrupt");
		return;
	}
	report(key, r, sub);
}

static void bench_traps(void)
{
	report("hvc", measure(op_hvc, PSCI_VERSION, 0), overhead);
	report("smc", measure(op_smc, PSCI_VERSION, 0), overhead);
	report("id_read", measure(op_id_read, 0, 0), overhead);
	report("actlr_read", measure(op_actlr_read, 0, 0), overhead);
}

static void bench_gic_regs(void)
{
	uint32_t prio = mmio_read32(gicd + GICD_IPRIORITYR8);

	report("gicd_read", measure(op_read32, gicd + GICD_ISENABLER1, 0), overhead);
	/* The value it holds: the write changes nothing but costs the same. */
	report("gicd_write", measure(op_write32, gicd + GICD_IPRIORITYR8, prio), overhead);
	if (gic_version() == 3)
		report("gicr_read",
		       measure(op_read32, gic_cpus[0].rd + GICR_SGI_BASE + GICR_ISENABLER0, 0),
		       overhead);
	else
		report_na("gicr_read", "gicv2");
}

/* A passthrough device: the first PL031's PrimeCell peripheral ID. */
static void bench_passthrough(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
	const fdt32_t *reg;
	uint64_t base;
	int len;

	reg = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 8) {
		report_na("mmio_passthrough", "no-pl031");
		return;
	}
	/* QEMU virt: #address-cells = 2 at the root. */
	base = (uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]);
	report("mmio_passthrough", measure(op_read32, base + PL031_PERIPHID0, 0), overhead);
}

static void bench_irqs(const void *fdt)
{
	int t = dt_timer_intid(fdt, 2);
	unsigned int vtimer = t > 0 ? (unsigned int)t : VTIMER_DEFAULT;

	gic_enable(vtimer);
	gic_enable(SGI_SELF);
	report_irq("vtimer_irq", measure(op_vtimer, TIMER_TICKS, 0), 0, vtimer);
	report_irq("wfi_wake", measure(op_wfi, TIMER_TICKS, 0), 0, vtimer);
	report_irq("sgi_self", measure(op_sgi_self, sgi_value(SGI_SELF, 0), 0), overhead, SGI_SELF);
	gic_disable(vtimer);
}

/* cpu1: serve SGI_OTHER until told to stop. */
static void cpu1_main(unsigned int cpu)
{
	(void)cpu;
	if (!gic_cpu_init())
		return;
	gic_enable(SGI_OTHER);
	write_sysreg(vbar_el1, (uintptr_t)bench_vectors);
	isb();
	cpu1_ready = true;
	dsb(sy);
	bench_irq_server(&mbox);
	write_sysreg(vbar_el1, (uintptr_t)guest_vectors);
	isb();
}

static void bench_cross_sgi(const void *fdt)
{
	uint64_t end;
	struct result r;
	int32_t ret;

	if (dt_cpu_count(fdt) < 2) {
		report_na("sgi_cross", "one-cpu");
		return;
	}
	ret = smp_cpu_on(1, CPU1_MPIDR, cpu1_main);
	if (ret != PSCI_SUCCESS) {
		test_fail("sgi_cross: CPU_ON 0x%x: %s", CPU1_MPIDR, psci_error_name(ret));
		report_na("sgi_cross", "no-cpu1");
		return;
	}
	end = counter_now() + counter_ms(1000);
	while (!cpu1_ready && counter_now() < end)
		;
	if (!cpu1_ready) {
		test_fail("sgi_cross: cpu1 did not start");
		report_na("sgi_cross", "no-cpu1");
		return;
	}
	r = measure(op_sgi_other, sgi_value(SGI_OTHER, 1), 0);
	if (mbox.intid != SGI_OTHER || r.min == 0) {
		test_fail("sgi_cross: cpu1 took INTID %lu, expected %u", mbox.intid, SGI_OTHER);
		report_na("sgi_cross", "no-interrupt");
	} else {
		report("sgi_cross", r, overhead);
	}
	mbox.stop = 1;
	dsb(sy);
	op_sgi_other(sgi_value(SGI_OTHER, 1), 0);
}

static void bench_memory(const void *fdt)
{
	struct dt_range ram;

	if (dt_memory(fdt, &ram, 1) < 1 || ram.size < (uint64_t)WALK_PAGES * 4096) {
		report_na("s2_walk", "ram-too-small");
		return;
	}
	report("s2_walk", measure(op_walk, ram.base, WALK_PAGES), overhead);
}

void guest_main(const void *fdt)
{
	struct dt_range reg[2];

	if (!gic_probe(fdt)) {
		test_fail("gic: none in the DT");
		return;
	}
	dt_gic(fdt, reg);
	gicd = reg[0].base;
	bench_gicc = gic_version() == 2 ? reg[1].base : 0;
	gic_dist_init();
	if (!gic_cpu_init()) {
		test_fail("gic: cpu0 interface");
		return;
	}
	gprintf("BENCH-INFO gic %u cpus %d\n", gic_version(), dt_cpu_count(fdt));

	overhead = measure(op_empty, 0, 0).min;
	gprintf("BENCH-INFO bracket %lu\n", overhead);
	bench_traps();
	bench_gic_regs();
	bench_passthrough(fdt);
	bench_irqs(fdt);
	bench_cross_sgi(fdt);
	bench_memory(fdt);
	test_pass("bench: all rows run");
}

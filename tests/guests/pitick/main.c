/* SPDX-License-Identifier: MIT */
/*
 * pitick: the bare-metal guest of the Raspberry Pi 4 demo. It runs beside
 * Linux on the CPUs Linux does not have, and ticks forever: each vCPU's
 * virtual timer interrupts it every TICK_MS through the (virtual) GICv2,
 * and cpu0 prints one line per tick with both CPUs' counts.
 *
 *   pitick: GICv2 at 0xff841000, virtual timer PPI 27, 2 CPUs, a tick every 5000 ms
 *   tick 1: cpu0 1, cpu1 1
 *
 * cpu1's deadlines are half a period before cpu0's, so its count is up to
 * date when cpu0 prints. On the Pi the GIC sits on the /soc bus, whose
 * "ranges" the guest DT keeps: its registers are translated here (the
 * framework's dt.c reads "reg" as is). Output: tests/guests/README.md.
 */
#include <libfdt.h>

#include "guest.h"
#include "mmio.h"
#include "smp.h"

#define TICK_MS	       5000
#define VTIMER_DEFAULT 27
#define CNTV_ENABLE    1u
#define CPU1_MPIDR     1
#define MAX_CPUS       2

#define GICD_CTLR	0x000
#define GICD_ISENABLER	0x100
#define GICD_IPRIORITYR 0x400
#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10
#define GIC_ENABLE	1u
#define GIC_PRIORITY	0xa0
#define GIC_SPURIOUS	1020

static uintptr_t gicd, gicc;
static unsigned int vtimer = VTIMER_DEFAULT;
static uint64_t start, period;
static volatile uint32_t ticks[MAX_CPUS];
static volatile bool cpu1_ready;

static uint64_t cells(const fdt32_t *p, int n)
{
	return n == 2 ? (uint64_t)fdt32_ld(p) << 32 | fdt32_ld(p + 1) : fdt32_ld(p);
}

/* A bus address through one bus's "ranges"; false if no entry covers it. */
static bool through_ranges(const void *fdt, int bus, uint64_t *addr)
{
	int ac = fdt_address_cells(fdt, bus), sc = fdt_size_cells(fdt, bus);
	int pac = fdt_address_cells(fdt, fdt_parent_offset(fdt, bus)), len;
	const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
	int entry = ac + pac + sc;

	if (r && len == 0)
		return true; /* empty: the parent's address space */
	for (int i = 0; r && entry <= 4 && i + entry <= len / 4; i += entry) {
		uint64_t child = cells(r + i, ac), parent = cells(r + i + ac, pac);
		uint64_t size = cells(r + i + ac + pac, sc);

		if (*addr >= child && *addr - child < size) {
			*addr = *addr - child + parent;
			return true;
		}
	}
	return false;
}

/* The index-th reg entry of node, translated to a CPU physical address. */
static bool reg_address(const void *fdt, int node, int index, uint64_t *addr)
{
	int bus = fdt_parent_offset(fdt, node), len;
	int ac = fdt_address_cells(fdt, bus), sc = fdt_size_cells(fdt, bus);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < (index + 1) * (ac + sc) * 4)
		return false;
	*addr = cells(reg + index * (ac + sc), ac);
	for (; bus > 0; bus = fdt_parent_offset(fdt, bus))
		if (!through_ranges(fdt, bus, addr))
			return false;
	return true;
}

static bool find_gicv2(const void *fdt)
{
	static const char *const models[] = {"arm,gic-400", "arm,cortex-a15-gic"};
	uint64_t d, c;

	for (unsigned int i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, models[i]);

		if (node < 0)
			continue;
		if (!reg_address(fdt, node, 0, &d) || !reg_address(fdt, node, 1, &c))
			return false;
		gicd = (uintptr_t)d;
		gicc = (uintptr_t)c;
		return true;
	}
	return false;
}

static void arm_timer(unsigned int cpu)
{
	/* cpu1 half a period ahead of cpu0: its count is current when cpu0 prints. */
	uint64_t due = start + (uint64_t)(ticks[cpu] + 1) * period - (cpu ? period / 2 : 0);

	write_sysreg(cntv_cval_el0, due);
	write_sysreg(cntv_ctl_el0, CNTV_ENABLE);
	isb();
}

static void irq(void)
{
	uint32_t iar = mmio_read32(gicc + GICC_IAR);
	unsigned int intid = iar & 0x3ff, cpu = smp_cpu();

	if (intid >= GIC_SPURIOUS)
		return;
	if (intid == vtimer && cpu < MAX_CPUS) {
		ticks[cpu]++;
		arm_timer(cpu);
	}
	mmio_write32(gicc + GICC_EOIR, iar);
	sev();
}

/* The banked part, on each CPU: the timer's PPI and the CPU interface. */
static void gic_cpu_on(void)
{
	mmio_write8(gicd + GICD_IPRIORITYR + vtimer, GIC_PRIORITY);
	mmio_write32(gicd + GICD_ISENABLER, 1u << vtimer);
	mmio_write32(gicc + GICC_PMR, 0xff);
	mmio_write32(gicc + GICC_CTLR, GIC_ENABLE);
}

static void cpu1_main(unsigned int cpu)
{
	gic_cpu_on();
	arm_timer(cpu);
	cpu1_ready = true;
	dsb(sy);
	sev();
	irq_unmask();
	for (;;)
		wfi();
}

static bool start_cpu1(void)
{
	uint64_t deadline = counter_now() + counter_ms(1000);

	if (smp_cpu_on(1, CPU1_MPIDR, cpu1_main) != PSCI_SUCCESS)
		return false;
	while (!cpu1_ready && counter_now() < deadline)
		wfe();
	return cpu1_ready;
}

static __noreturn void report_forever(unsigned int ncpus)
{
	uint32_t printed = 0;

	for (;;) {
		while (ticks[0] == printed)
			wfe();
		printed = ticks[0];
		if (ncpus > 1)
			gprintf("tick %u: cpu0 %u, cpu1 %u\n", printed, printed, ticks[1]);
		else
			gprintf("tick %u: cpu0 %u\n", printed, printed);
	}
}

void guest_main(const void *fdt)
{
	int ncpus = dt_cpu_count(fdt), vt = dt_timer_intid(fdt, 2);

	if (vt > 0)
		vtimer = (unsigned int)vt;
	if (!find_gicv2(fdt)) {
		test_fail("pitick: no GICv2 (arm,gic-400) in the DT");
		return;
	}
	exception_irq_handler = irq;
	smp_event_stream();
	period = counter_ms(TICK_MS);
	start = counter_now();
	mmio_write32(gicd + GICD_CTLR, GIC_ENABLE);
	if (ncpus > 1 && !start_cpu1()) {
		test_fail("pitick: cpu1 did not start");
		ncpus = 1;
	}
	gprintf("pitick: GICv2 at 0x%lx, virtual timer PPI %u, %d CPU%s, a tick every %d ms\n",
		(unsigned long)gicd, vtimer, ncpus > 1 ? 2 : 1, ncpus > 1 ? "s" : "", TICK_MS);
	gic_cpu_on();
	arm_timer(0);
	irq_unmask();
	report_forever(ncpus > 1 ? 2 : 1);
}

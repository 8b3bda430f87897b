/* SPDX-License-Identifier: MIT */
/*
 * vgic: what a Linux guest does not exercise of interrupts and PSCI.
 *  1. The GIC the DT names (GICv3 or GICv2).
 *  2. The virtual timer's PPI, once and then 5 times re-armed from the
 *     handler: no interrupt storm, none spurious, none lost.
 *  3. An SGI to itself.
 *  4. PSCI CPU_ON of MPIDR 1 (AFFINITY_INFO before and after, ALREADY_ON on
 *     a second CPU_ON) and SGIs between the two CPUs, with the GICv2 source.
 *  5. MPIDRs and SGI targets outside the VM (bootargs vcpus=).
 *  6. SPIs the VM does not own read as zero; ones it owns read back
 *     (bootargs owned=, unowned=).
 *  7. An SGI sent while the distributor's group is disabled waits for it.
 *  8. An interrupt pending while disabled is delivered once enabled.
 *  9. CPU_OFF of cpu1, and CPU_ON of it again.
 * Bootargs and output: see tests/guests/README.md.
 */
#include <stddef.h>
#include <string.h>

#include "core/format.h"
#include "gic.h"
#include "guest.h"
#include "smp.h"

#define TIMEOUT_MS 1000 /* for what must arrive */
#define QUIET_MS   20	/* for what must not: how long it has to turn up */

#define SGI_MASKED  2 /* pending while disabled */
#define SGI_SELF    3
#define SGI_HELD    4 /* sent while the group is disabled */
#define SGI_TO_CPU1 5
#define SGI_TO_CPU0 6
#define SGI_FOREIGN 7
#define SGI_OTHERS  8

#define VTIMER_DEFAULT 27
#define CNTV_ENABLE    1u
#define CNTV_ISTATUS   4u
#define TIMER_STORM    100

#define CPU1_MPIDR 1

#define GICD_TYPER_CPUS (7u << 5) /* GICv2: CPUNumber, the CPU count - 1 */

static unsigned int vtimer = VTIMER_DEFAULT;
static bool cpu1_up;

/* A position in a CPU's interrupt log. */
struct mark {
	uint32_t count;
	uint32_t spurious;
};

static struct mark mark(unsigned int cpu)
{
	return (struct mark){gic_cpus[cpu].count, gic_cpus[cpu].spurious};
}

static uint32_t taken_since(unsigned int cpu, struct mark m)
{
	return gic_cpus[cpu].count - m.count;
}

static uint32_t spurious_since(unsigned int cpu, struct mark m)
{
	return gic_cpus[cpu].spurious - m.spurious;
}

/* Log entries since m, oldest first, that still are in the log. */
static uint32_t first_kept(unsigned int cpu, struct mark m)
{
	uint32_t n = gic_cpus[cpu].count;

	return n - m.count > GIC_LOG_SIZE ? n - GIC_LOG_SIZE : m.count;
}

/* How many times cpu took intid since m (source: any if < 0). */
static uint32_t took(unsigned int cpu, struct mark m, unsigned int intid, int source)
{
	uint32_t i, n = gic_cpus[cpu].count, hits = 0;

	dsb(ld); /* the entries after the count that covers them */
	for (i = first_kept(cpu, m); i != n; i++) {
		uint32_t e = gic_cpus[cpu].log[i % GIC_LOG_SIZE];

		if (GIC_LOG_INTID(e) == intid &&
		    (source < 0 || GIC_LOG_SOURCE(e) == (unsigned int)source))
			hits++;
	}
	return hits;
}

/* Exactly one interrupt since m, intid (from source if >= 0), none spurious. */
static bool took_only(unsigned int cpu, struct mark m, unsigned int intid, int source)
{
	return taken_since(cpu, m) == 1 && took(cpu, m, intid, source) == 1 &&
	       !spurious_since(cpu, m);
}

static bool took_nothing(unsigned int cpu, struct mark m)
{
	return !taken_since(cpu, m) && !spurious_since(cpu, m);
}

/*
 * "cpu1 took 2 (5 from cpu 0, 27), 1 spurious", for FAIL lines: two
 * buffers in turn, so that one line can show both CPUs.
 */
static const char *what_took(unsigned int cpu, struct mark m)
{
	static char bufs[2][160];
	static unsigned int turn;
	char *buf = bufs[turn++ % 2];
	uint32_t i, n = gic_cpus[cpu].count, shown = 0;
	size_t len;

	str_format(buf, sizeof(bufs[0]), "cpu%u took %u", cpu, taken_since(cpu, m));
	for (i = first_kept(cpu, m); i != n && shown < 8; i++, shown++) {
		uint32_t e = gic_cpus[cpu].log[i % GIC_LOG_SIZE];

		len = strlen(buf);
		if (gic_version() == 2 && GIC_LOG_INTID(e) < GIC_NR_SGIS)
			str_format(buf + len, sizeof(bufs[0]) - len, "%s%u from cpu %u",
				   shown ? ", " : " (", GIC_LOG_INTID(e), GIC_LOG_SOURCE(e));
		else
			str_format(buf + len, sizeof(bufs[0]) - len, "%s%u", shown ? ", " : " (",
				   GIC_LOG_INTID(e));
	}
	len = strlen(buf);
	str_format(buf + len, sizeof(bufs[0]) - len, "%s%s, %u spurious", i != n ? ", ..." : "",
		   shown ? ")" : "", spurious_since(cpu, m));
	return buf;
}

/* Spins (interrupts are taken meanwhile) until cpu took intid n times. */
static bool wait_took(unsigned int cpu, struct mark m, unsigned int intid, uint32_t n)
{
	uint64_t end = counter_now() + counter_ms(TIMEOUT_MS);

	while (took(cpu, m, intid, -1) < n)
		if (counter_now() > end)
			return false;
	return true;
}

/* The GICv2 SGI source a CPU's SGIs carry; -1 (any) on GICv3. */
static int source_of(unsigned int cpu)
{
	return gic_version() == 2 ? (int)gic_cpus[cpu].v2_id : -1;
}

/* ---- virtual timer ---- */

static struct {
	volatile uint32_t fired;
	volatile uint32_t rearm; /* re-arm this many more times from the handler */
	volatile uint32_t bad;	 /* taken while the timer condition did not hold */
	volatile uint64_t bad_ctl;
	uint64_t ticks;
} vt;

static void timer_arm(void)
{
	write_sysreg(cntv_tval_el0, vt.ticks);
	write_sysreg(cntv_ctl_el0, CNTV_ENABLE);
	isb();
}

/*
 * Re-arming moves the deadline away, disabling drops the output: either
 * ends the level. A storm would keep the CPU in here for good, so after
 * TIMER_STORM interrupts the PPI is disabled: the check then fails instead
 * of hanging.
 */
static void timer_handler(unsigned int intid, unsigned int source)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	(void)source;
	if ((ctl & (CNTV_ENABLE | CNTV_ISTATUS)) != (CNTV_ENABLE | CNTV_ISTATUS) ||
	    counter_now() < read_sysreg(cntv_cval_el0)) {
		if (!vt.bad++)
			vt.bad_ctl = ctl;
	}
	vt.fired = vt.fired + 1;
	if (vt.fired >= TIMER_STORM) {
		vt.rearm = 0;
		gic_disable(intid);
	}
	if (vt.rearm) {
		vt.rearm = vt.rearm - 1;
		timer_arm();
	} else {
		write_sysreg(cntv_ctl_el0, 0);
		isb();
	}
}

static void timer_reset(uint32_t rearm)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	vt.fired = 0;
	vt.bad = 0;
	vt.rearm = rearm;
}

/*
 * Waits in WFI for the timer handler to have run n times. WFI with IRQs
 * masked wakes for a pending one, which is then taken once they are
 * unmasked: no wake-up is lost between the check and the WFI. Only an
 * interrupt ends a WFI, so it sleeps only while the timer and its PPI are
 * enabled (the handler's storm guard may disable the PPI) and otherwise
 * spins to the timeout. A GIC that never delivers the enabled PPI of a
 * running timer still leaves it asleep for good.
 */
static bool wfi_for_timer(uint32_t n)
{
	uint64_t end = counter_now() + counter_ms(TIMEOUT_MS);
	bool ok;

	for (;;) {
		irq_mask();
		ok = vt.fired >= n;
		if (ok || counter_now() > end)
			break;
		if ((read_sysreg(cntv_ctl_el0) & CNTV_ENABLE) && gic_is_enabled(vtimer))
			wfi();
		irq_unmask();
	}
	irq_unmask();
	return ok;
}

static void timer_fail(const char *what, bool arrived, struct mark m)
{
	test_fail("timer: %s: %s, fired %u, %u with the timer condition false (CNTV_CTL 0x%lx), "
		  "%s; CNTV_CTL now 0x%lx",
		  what, arrived ? "arrived" : "timed out", vt.fired, vt.bad, vt.bad_ctl,
		  what_took(0, m), read_sysreg(cntv_ctl_el0));
}

static void check_timer(void)
{
	struct mark m = mark(0);
	bool ok;

	vt.ticks = counter_ms(1);
	gic_set_handler(vtimer, timer_handler);
	timer_reset(0);
	gic_enable(vtimer);
	timer_arm();
	ok = wfi_for_timer(1);
	delay_ms(QUIET_MS);
	if (ok && vt.fired == 1 && !vt.bad && took_only(0, m, vtimer, -1))
		test_pass("timer: virtual timer interrupt (PPI %u)", vtimer);
	else
		timer_fail("one interrupt", ok, m);

	m = mark(0);
	timer_reset(4);
	gic_enable(vtimer);
	timer_arm();
	ok = wfi_for_timer(5);
	delay_ms(QUIET_MS);
	if (ok && vt.fired == 5 && !vt.bad && taken_since(0, m) == 5 &&
	    took(0, m, vtimer, -1) == 5 && !spurious_since(0, m) &&
	    !(read_sysreg(cntv_ctl_el0) & CNTV_ENABLE))
		test_pass("timer: 5 interrupts, none spurious or lost");
	else
		timer_fail("5 interrupts", ok, m);
}

/* ---- SGIs to itself ---- */

static void check_self_sgi(void)
{
	struct mark m = mark(0);

	gic_enable(SGI_SELF);
	gic_sgi(SGI_SELF, 0);
	wait_took(0, m, SGI_SELF, 1);
	delay_ms(QUIET_MS);
	if (took_only(0, m, SGI_SELF, source_of(0)))
		test_pass("sgi: self SGI %u received", SGI_SELF);
	else
		test_fail("sgi: self SGI %u: %s", SGI_SELF, what_took(0, m));
}

/* ---- cpu1 ---- */

enum { CMD_SGI = 1, CMD_OFF };

/* cpu0 posts a command by bumping seq; cpu1 sets done = seq when it is done. */
static struct {
	volatile uint32_t boots; /* cpu1 has started this many times */
	volatile uint32_t init_ok;
	volatile uint64_t mpidr;
	volatile uint32_t seq;
	volatile uint32_t cmd;
	volatile uint32_t arg;
	volatile uint32_t done;
} box;

static void notify(void)
{
	dsb(sy);
	sev();
}

static void cpu1_main(unsigned int cpu)
{
	bool ok = gic_cpu_init();

	(void)cpu;
	if (ok) {
		gic_enable(SGI_TO_CPU1);
		gic_enable(SGI_FOREIGN);
		gic_enable(SGI_OTHERS);
	}
	box.mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffull;
	box.init_ok = ok;
	dsb(sy);
	box.boots = box.boots + 1;
	notify();
	if (!ok)
		return;
	irq_unmask();
	for (;;) {
		while (box.done == box.seq)
			wfe();
		dsb(ld); /* cmd and arg after the seq that posted them */
		if (box.cmd == CMD_OFF)
			break;
		if (box.cmd == CMD_SGI)
			gic_sgi(box.arg, 0);
		box.done = box.seq;
		notify();
	}
	irq_mask();
	box.done = box.seq;
	notify(); /* then CPU_OFF, in secondary_start() */
}

static bool cpu1_do(uint32_t cmd, uint32_t arg)
{
	uint64_t end = counter_now() + counter_ms(TIMEOUT_MS);

	box.cmd = cmd;
	box.arg = arg;
	dsb(sy);
	box.seq = box.seq + 1;
	notify();
	while (box.done != box.seq) {
		if (counter_now() > end)
			return false;
		wfe(); /* the event stream ends it too */
	}
	return true;
}

/* Waits for cpu1 to have started `boots` times; says how it went. */
static bool cpu1_wait_running(uint32_t boots, const char *what)
{
	uint64_t end = counter_now() + counter_ms(TIMEOUT_MS);

	while (box.boots < boots) {
		if (counter_now() > end) {
			if (smp_bad_context)
				test_fail("psci: %s: cpu1 entered with x0 = 0x%lx, expected 1",
					  what, smp_bad_context & ~(1ul << 63));
			else
				test_fail("psci: %s: cpu1 did not run within %u ms", what,
					  TIMEOUT_MS);
			return false;
		}
		wfe();
	}
	dsb(ld);
	if (box.mpidr != CPU1_MPIDR) {
		test_fail("psci: %s: cpu1 runs with MPIDR 0x%lx, expected 0x%x", what, box.mpidr,
			  CPU1_MPIDR);
		return false;
	}
	if (!box.init_ok) {
		test_fail("psci: %s: cpu1 has no GICv3 redistributor for MPIDR 0x%x, or "
			  "ICC_SRE_EL1.SRE is 0",
			  what, CPU1_MPIDR);
		return false;
	}
	test_pass("psci: %s", what);
	return true;
}

static void expect_affinity(uint64_t mpidr, int32_t want, const char *when)
{
	static const char *const states[] = {"ON", "OFF", "ON_PENDING"};
	int32_t r = psci_affinity_info(mpidr, 0);
	const char *name = r >= 0 && r <= 2 ? states[r] : psci_error_name(r);
	const char *wname = want >= 0 ? states[want] : psci_error_name(want);

	if (r == want)
		test_pass("psci: AFFINITY_INFO 0x%lx%s: %s", mpidr, when, name);
	else
		test_fail("psci: AFFINITY_INFO 0x%lx%s: %s (%d), expected %s", mpidr, when, name, r,
			  wname);
}

static void check_sgi_between(const char *suffix)
{
	struct mark m0 = mark(0), m1 = mark(1);

	gic_sgi(SGI_TO_CPU1, 1);
	wait_took(1, m1, SGI_TO_CPU1, 1);
	delay_ms(QUIET_MS);
	if (took_only(1, m1, SGI_TO_CPU1, source_of(0)) && took_nothing(0, m0))
		test_pass("sgi: cpu0 -> cpu1 SGI %u%s", SGI_TO_CPU1, suffix);
	else
		test_fail("sgi: cpu0 -> cpu1 SGI %u%s: %s; %s", SGI_TO_CPU1, suffix,
			  what_took(1, m1), what_took(0, m0));
}

static void check_sgi_back(void)
{
	struct mark m0 = mark(0), m1 = mark(1);
	bool ok = cpu1_do(CMD_SGI, SGI_TO_CPU0);

	wait_took(0, m0, SGI_TO_CPU0, 1);
	delay_ms(QUIET_MS);
	if (ok && took_only(0, m0, SGI_TO_CPU0, source_of(1)) && took_nothing(1, m1))
		test_pass("sgi: cpu1 -> cpu0 SGI %u", SGI_TO_CPU0);
	else
		test_fail("sgi: cpu1 -> cpu0 SGI %u: %s%s; %s", SGI_TO_CPU0,
			  ok ? "" : "cpu1 did not answer; ", what_took(0, m0), what_took(1, m1));
}

static void check_sgi_others(void)
{
	struct mark m0 = mark(0), m1 = mark(1);

	gic_sgi_others(SGI_OTHERS);
	wait_took(1, m1, SGI_OTHERS, 1);
	delay_ms(QUIET_MS);
	if (took_only(1, m1, SGI_OTHERS, source_of(0)) && took_nothing(0, m0))
		test_pass("sgi: SGI %u to all but self: cpu1 only", SGI_OTHERS);
	else
		test_fail("sgi: SGI %u to all but self: %s; %s", SGI_OTHERS, what_took(1, m1),
			  what_took(0, m0));
}

static void check_cpu1(void)
{
	int32_t r;

	expect_affinity(CPU1_MPIDR, PSCI_AFFINITY_OFF, " before CPU_ON");
	gic_enable(SGI_TO_CPU0);
	gic_enable(SGI_OTHERS);
	r = smp_cpu_on(1, CPU1_MPIDR, cpu1_main);
	if (r) {
		test_fail("psci: CPU_ON 0x%x: %s (%d)", CPU1_MPIDR, psci_error_name(r), r);
		return;
	}
	test_pass("psci: CPU_ON 0x%x", CPU1_MPIDR);
	cpu1_up = cpu1_wait_running(1, "cpu1 running");
	if (!cpu1_up)
		return;
	expect_affinity(CPU1_MPIDR, PSCI_AFFINITY_ON, "");
	r = smp_cpu_on(1, CPU1_MPIDR, cpu1_main);
	if (r == PSCI_ALREADY_ON)
		test_pass("psci: CPU_ON 0x%x again: ALREADY_ON", CPU1_MPIDR);
	else
		test_fail("psci: CPU_ON 0x%x again: %s (%d), expected ALREADY_ON", CPU1_MPIDR,
			  psci_error_name(r), r);

	check_sgi_between("");
	check_sgi_back();
	check_sgi_others();
}

/* ---- targets outside the VM ---- */

/* A CPU_ON that must fail: its context is no slot, so a CPU it starts parks. */
static void expect_cpu_on_invalid(uint64_t mpidr)
{
	int32_t r = psci_cpu_on(mpidr, smp_entry(), SMP_MAX_CPUS);

	if (r == PSCI_INVALID_PARAMETERS)
		test_pass("psci: CPU_ON 0x%lx: INVALID_PARAMETERS", mpidr);
	else
		test_fail("psci: CPU_ON 0x%lx: %s (%d), expected INVALID_PARAMETERS", mpidr,
			  psci_error_name(r), r);
}

static void expect_sgi_nowhere(uint64_t aff, uint16_t list, const char *targets)
{
	struct mark m0 = mark(0), m1 = mark(1);

	gic_sgi_list(SGI_FOREIGN, aff, list);
	delay_ms(QUIET_MS);
	if (took_nothing(0, m0) && took_nothing(1, m1))
		test_pass("sgi: SGI %u to %s delivered nowhere", SGI_FOREIGN, targets);
	else
		test_fail("sgi: SGI %u to %s: %s; %s", SGI_FOREIGN, targets, what_took(0, m0),
			  what_took(1, m1));
}

static void check_foreign(void)
{
	unsigned int first = args.have_vcpus ? args.vcpus : 2;
	unsigned int width = gic_version() == 3 ? 16 : 8;
	char targets[32];

	if (!args.have_vcpus) {
		test_skip("psci: MPIDRs outside the VM (no vcpus=)");
	} else {
		expect_cpu_on_invalid(args.vcpus);
		expect_cpu_on_invalid(0x100);
		expect_affinity(args.vcpus, PSCI_INVALID_PARAMETERS, "");
		expect_affinity(0x100, PSCI_INVALID_PARAMETERS, "");
	}
	gic_enable(SGI_FOREIGN);
	if (first + 1 < width) {
		str_format(targets, sizeof(targets), "cpus %u-%u", first, first + 1);
		expect_sgi_nowhere(0, (uint16_t)(3u << first), targets);
	} else {
		test_skip("sgi: SGI %u to cpus %u-%u (not in a target list)", SGI_FOREIGN, first,
			  first + 1);
	}
	if (gic_version() == 3)
		expect_sgi_nowhere(0x100, 3, "MPIDR 0x100-0x101");
}

/* ---- SPIs the VM owns, or not ---- */

static bool spi_ok(uint64_t intid, const char *what)
{
	if (intid >= GIC_NR_PRIVATE && intid <= GIC_MAX_INTID)
		return true;
	test_fail("gic: %s=%lu is not an SPI (32-1019)", what, intid);
	return false;
}

static void report_spi(unsigned int intid, bool owned, const char *reg, const char *fault,
		       uint64_t wrote, uint64_t read)
{
	const char *whose = owned ? "owned" : "not owned";

	if (!fault)
		test_pass("gic: SPI %u %s: %s reads %s", intid, whose, reg, owned ? "back" : "0");
	else
		test_fail("gic: SPI %u %s: %s: wrote 0x%lx, %s 0x%lx", intid, whose, reg, wrote,
			  fault, read);
}

/*
 * A set/clear register pair (ISENABLER/ICENABLER, ISPENDR/ICPENDR): owned,
 * the bit must read 1 once set and 0 once cleared; not owned, always 0.
 */
static void check_spi_bit(unsigned int intid, bool owned, const char *reg, uint32_t set,
			  uint32_t clear)
{
	uint32_t word = 4 * (intid / 32), bit = 1u << (intid % 32), v, after;

	gicd_write32(set + word, bit);
	v = gicd_read32(set + word) & bit;
	gicd_write32(clear + word, bit);
	after = gicd_read32(set + word) & bit;
	if (owned ? v != bit : v != 0)
		report_spi(intid, owned, reg, "read", bit, v);
	else if (after)
		report_spi(intid, owned, reg, "still set after the clear register, read", bit,
			   after);
	else
		report_spi(intid, owned, reg, NULL, bit, v);
}

/* A byte or doubleword: owned, it must read back; not owned, read 0. */
static void check_spi_value(unsigned int intid, bool owned, const char *reg, uint64_t wrote,
			    uint64_t read)
{
	bool ok = owned ? read == wrote : read == 0;

	report_spi(intid, owned, reg, ok ? NULL : "read", wrote, read);
}

/*
 * Writes each register of the SPI and reads it back: an owned one must
 * keep the value, an unowned one read 0. Enable and pending are set while
 * it is disabled, and cleared again; priority and routing are restored.
 */
static void check_spi(unsigned int intid, bool owned)
{
	uint8_t prio, v;

	check_spi_bit(intid, owned, "ISENABLER", GICD_ISENABLER, GICD_ICENABLER);
	check_spi_bit(intid, owned, "ISPENDR", GICD_ISPENDR, GICD_ICPENDR);

	prio = gicd_read8(GICD_IPRIORITYR + intid);
	gicd_write8(GICD_IPRIORITYR + intid, GIC_PRIORITY);
	v = gicd_read8(GICD_IPRIORITYR + intid);
	gicd_write8(GICD_IPRIORITYR + intid, prio);
	check_spi_value(intid, owned, "IPRIORITYR", GIC_PRIORITY, v);

	/* Routed to cpu1 if it runs: a value other than the reset one. */
	if (gic_version() == 3) {
		uint64_t route = gicd_read64(GICD_IROUTER + 8 * intid), want, got;

		want = cpu1_up || !owned ? CPU1_MPIDR : gic_cpus[0].mpidr;
		gicd_write64(GICD_IROUTER + 8 * intid, want);
		got = gicd_read64(GICD_IROUTER + 8 * intid);
		gicd_write64(GICD_IROUTER + 8 * intid, route);
		check_spi_value(intid, owned, "IROUTER", want, got);
	} else if (!(gicd_read32(GICD_TYPER) & GICD_TYPER_CPUS)) {
		test_skip("gic: SPI %u ITARGETSR (uniprocessor GICv2: RAZ/WI)", intid);
	} else {
		uint8_t targets = gicd_read8(GICD_ITARGETSR + intid), want;

		want = (uint8_t)(1u << gic_cpus[cpu1_up ? 1 : 0].v2_id);
		gicd_write8(GICD_ITARGETSR + intid, want);
		v = gicd_read8(GICD_ITARGETSR + intid);
		gicd_write8(GICD_ITARGETSR + intid, targets);
		check_spi_value(intid, owned, "ITARGETSR", want, v);
	}
}

static void check_spis(void)
{
	unsigned int i;

	if (!args.nowned && !args.nunowned)
		test_skip("gic: SPI ownership (no owned= or unowned=)");
	for (i = 0; i < args.nowned; i++)
		if (spi_ok(args.owned[i], "owned"))
			check_spi((unsigned int)args.owned[i], true);
	for (i = 0; i < args.nunowned; i++)
		if (spi_ok(args.unowned[i], "unowned"))
			check_spi((unsigned int)args.unowned[i], false);
}

/* ---- enables ---- */

static void check_group_disable(void)
{
	const char *what = gic_version() == 3 ? "group 1 disabled" : "distributor disabled";
	struct mark m = mark(0);
	bool held, pending, once;

	gic_enable(SGI_HELD);
	gic_dist_enable(false);
	gic_sgi(SGI_HELD, 0);
	delay_ms(QUIET_MS);
	held = took_nothing(0, m);
	pending = gic_is_pending(SGI_HELD);
	gic_dist_enable(true);
	wait_took(0, m, SGI_HELD, 1);
	delay_ms(QUIET_MS);
	once = took_only(0, m, SGI_HELD, source_of(0));
	if (held && pending && once)
		test_pass("gic: %s holds SGI %u; delivered once re-enabled", what, SGI_HELD);
	else
		test_fail("gic: %s, SGI %u: %s while disabled, %spending; then %s", what, SGI_HELD,
			  held ? "nothing" : "taken", pending ? "" : "not ", what_took(0, m));
}

/*
 * intid, disabled, is made pending by `raise`; it must stay pending and
 * untaken until enabled, then be taken once. False, with a FAIL line, if not.
 */
static bool pending_then_enable(unsigned int intid, const char *name, void (*raise)(void))
{
	struct mark m = mark(0);
	bool held, pending, once;

	raise();
	delay_ms(QUIET_MS);
	held = took_nothing(0, m);
	pending = gic_is_pending(intid);
	gic_enable(intid);
	wait_took(0, m, intid, 1);
	delay_ms(QUIET_MS);
	once = took_only(0, m, intid, intid < GIC_NR_SGIS ? source_of(0) : -1);
	if (held && pending && once)
		return true;
	test_fail("gic: %s %u disabled: %s, %spending; once enabled %s", name, intid,
		  held ? "not taken" : "taken", pending ? "" : "not ", what_took(0, m));
	return false;
}

static void raise_sgi(void)
{
	gic_sgi(SGI_MASKED, 0);
}

/* The timer fires (ISTATUS) while its PPI is disabled; the handler then stops it. */
static void raise_timer(void)
{
	uint64_t end = counter_now() + counter_ms(TIMEOUT_MS);

	timer_reset(0);
	timer_arm();
	while (!(read_sysreg(cntv_ctl_el0) & CNTV_ISTATUS) && counter_now() < end)
		;
}

/*
 * GICv2 may keep SGIs enabled for good (QEMU does): the SGI half is done
 * only where GICD_ICENABLER0 clears the bit. The PASS line names what ran.
 */
static void check_pending_while_disabled(void)
{
	bool sgi, ok = true;
	char what[32];

	gic_disable(SGI_MASKED);
	sgi = !gic_is_enabled(SGI_MASKED);
	if (sgi)
		ok = pending_then_enable(SGI_MASKED, "SGI", raise_sgi);
	gic_disable(vtimer);
	ok = pending_then_enable(vtimer, "PPI", raise_timer) && ok;
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	if (!ok)
		return;
	if (sgi)
		str_format(what, sizeof(what), "SGI %u, PPI %u", SGI_MASKED, vtimer);
	else
		str_format(what, sizeof(what), "PPI %u", vtimer);
	test_pass("gic: pending while disabled, delivered on enable (%s)", what);
}

/* ---- CPU_OFF, and CPU_ON again ---- */

static void check_cpu_off(void)
{
	uint64_t end = counter_now() + counter_ms(TIMEOUT_MS);
	uint32_t boots = box.boots;
	int32_t r;

	if (!cpu1_up) {
		test_skip("psci: CPU_OFF (cpu1 is not running)");
		return;
	}
	if (!cpu1_do(CMD_OFF, 0)) {
		test_fail("psci: cpu1 did not answer the CPU_OFF request");
		return;
	}
	while ((r = psci_affinity_info(CPU1_MPIDR, 0)) != PSCI_AFFINITY_OFF && counter_now() < end)
		;
	if (r != PSCI_AFFINITY_OFF) {
		test_fail("psci: cpu1 CPU_OFF: AFFINITY_INFO 0x%x still %d after %u ms", CPU1_MPIDR,
			  r, TIMEOUT_MS);
		return;
	}
	test_pass("psci: cpu1 CPU_OFF: AFFINITY_INFO 0x%x OFF", CPU1_MPIDR);
	r = smp_cpu_on(1, CPU1_MPIDR, cpu1_main);
	if (r) {
		test_fail("psci: CPU_ON 0x%x after CPU_OFF: %s (%d)", CPU1_MPIDR,
			  psci_error_name(r), r);
		return;
	}
	if (cpu1_wait_running(boots + 1, "CPU_ON 0x1 after CPU_OFF: cpu1 running"))
		check_sgi_between(" after CPU_ON again");
}

/* ---- setup ---- */

static bool setup(const void *fdt)
{
	unsigned int v = gic_probe(fdt);
	int t = dt_timer_intid(fdt, 2);

	if (!v) {
		test_fail("gic: no GICv3 or GICv2 node with GICD and GICR/GICC regions in the DT");
		return false;
	}
	test_pass("gic: GICv%u", v);
	if (t >= 16 && t < GIC_NR_PRIVATE)
		vtimer = (unsigned int)t;
	else
		test_fail("timer: no virtual timer PPI in the DT (arm,armv8-timer interrupts[2]): "
			  "%d; using %u",
			  t, VTIMER_DEFAULT);
	gic_dist_init();
	if (!gic_cpu_init()) {
		test_fail("gic: cpu0: no GICv3 redistributor for MPIDR 0x%lx, or ICC_SRE_EL1.SRE "
			  "is 0",
			  gic_cpus[0].mpidr);
		return false;
	}
	irq_unmask();
	return true;
}

void guest_main(const void *fdt)
{
	smp_event_stream();
	if (!setup(fdt))
		return;
	check_timer();
	check_self_sgi();
	check_cpu1();
	check_foreign();
	check_spis();
	check_group_disable();
	check_pending_while_disabled();
	check_cpu_off();
	irq_mask();
}

/* SPDX-License-Identifier: MIT */
/*
 * Disturbances: interrupt storms, WFI/WFE loops, hypercall floods, and its
 * second vCPU hammering the hypervisor and finally looping in faults. The
 * guest must come out of each one on time, with exactly the interrupts the
 * architecture says; its neighbour (the ticker) must not notice at all.
 */
#include "hostile.h"

#define CNTV_ENABLE  1u
#define CNTV_IMASK   2u
#define STORM	     1000
#define STORM_MS     300
#define FLOOD	     10000
#define GICD_FLOOD   500 /* and HVCs, per vCPU, when both flood at once */
#define SGI_SELF_V1  200
#define SGI_FLOOD    9
#define SGI_VCPU1    10
#define GICD_TYPER   0x0004
#define WFI_LOOPS    100
#define WFE_LOOPS    10000
#define COUNTER_READ 100000

uint64_t hostile_hvc_flood(uint64_t n);
extern char hostile_fault_loop[];

static volatile uint32_t fired, stop_at, counted;

/* The interrupt log keeps 64 entries: floods are counted here instead. */
static void count_handler(unsigned int intid, unsigned int source)
{
	(void)intid;
	(void)source;
	counted = counted + 1;
}

static bool wait_counted(uint32_t n, unsigned int ms)
{
	uint64_t end = counter_now() + counter_ms(ms);

	while (counted < n)
		if (counter_now() > end)
			return false;
	return true;
}

/* Counts; at stop_at (0: at once) the timer goes off, ending the level. */
static void timer_handler(unsigned int intid, unsigned int source)
{
	(void)intid;
	(void)source;
	fired = fired + 1;
	if (fired >= stop_at) {
		write_sysreg(cntv_ctl_el0, 0);
		isb();
	}
}

static void timer_start(uint64_t cval, uint32_t ctl, uint32_t stop)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	fired = 0;
	stop_at = stop;
	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, ctl);
	isb();
}

static void timer_off(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

static bool wait_fired(uint32_t n, unsigned int ms)
{
	uint64_t end = counter_now() + counter_ms(ms);

	while (fired < n)
		if (counter_now() > end)
			return false;
	return true;
}

/*
 * A deadline of 0: the timer condition holds for good. Masked, the CPU must
 * keep running; unmasked, the interrupt comes again as soon as each one is
 * handled, until the handler turns the timer off at the STORM-th (or the
 * guest does, after STORM_MS: some GICs re-signal a level slowly). Then
 * nothing more may come.
 */
static void check_timer_storm(void)
{
	struct mark m;
	uint32_t n;
	bool quiet;

	timer_start(0, CNTV_ENABLE, STORM);
	delay_ms(50); /* masked: returns only if the CPU is not stuck in the hypervisor */
	m = mark_now(0);
	irq_unmask();
	wait_fired(STORM, STORM_MS);
	timer_off();
	n = fired;
	delay_ms(QUIET_MS);
	irq_mask();
	quiet = fired == n && taken_since(0, m) == n && gic_cpus[0].spurious == m.spurious;
	if (n >= 1 && n <= STORM && quiet)
		test_pass("storm: virtual timer with deadline 0, 50 ms masked, then taken until "
			  "turned off, none after");
	else
		test_fail("storm: timer with deadline 0: fired %u (%u at the turn-off), took %u, "
			  "%u spurious",
			  fired, n, taken_since(0, m), gic_cpus[0].spurious - m.spurious);
}

static void check_timer_imask(void)
{
	struct mark m = mark_now(0);

	timer_start(0, CNTV_ENABLE | CNTV_IMASK, 1);
	irq_unmask();
	delay_ms(QUIET_MS);
	irq_mask();
	timer_off();
	if (took_nothing(0, m))
		test_pass("storm: virtual timer firing with CNTV_CTL.IMASK set: no interrupt");
	else
		test_fail("storm: timer with IMASK: took %u", taken_since(0, m));
}

static void check_sgi_floods(void)
{
	struct mark m;
	uint32_t n;

	gic_set_handler(SGI_FLOOD, count_handler);
	gic_enable(SGI_FLOOD);
	for (unsigned int i = 0; i < FLOOD; i++)
		gic_sgi(SGI_FLOOD, 0);
	m = mark_now(0);
	counted = 0;
	irq_unmask();
	wait_counted(1, TIMEOUT_MS);
	delay_ms(QUIET_MS);
	irq_mask();
	if (taken_since(0, m) == 1 && counted == 1)
		test_pass("storm: %u self SGIs while masked: taken once (pending is one bit)",
			  FLOOD);
	else
		test_fail("storm: %u self SGIs while masked: took %u", FLOOD, taken_since(0, m));

	m = mark_now(0);
	counted = 0;
	irq_unmask();
	for (unsigned int i = 0; i < FLOOD; i++)
		gic_sgi(SGI_FLOOD, 0);
	wait_counted(1, TIMEOUT_MS);
	delay_ms(QUIET_MS);
	irq_mask();
	n = counted;
	if (n >= 1 && n <= FLOOD && taken_since(0, m) == n && !gic_is_pending(SGI_FLOOD))
		test_pass("storm: %u self SGIs unmasked: each taken or coalesced, none extra, none "
			  "left pending",
			  FLOOD);
	else
		test_fail("storm: %u self SGIs unmasked: took %u (%u in all), pending %u", FLOOD, n,
			  taken_since(0, m), gic_is_pending(SGI_FLOOD));
}

/* Its own UART's SPI made pending over and over through ISPENDR. */
static void check_pend_flood(void)
{
	unsigned int intid = (unsigned int)(args.nowned ? args.owned[0] : 33);
	struct mark m = mark_now(0);
	uint32_t n;

	gic_set_handler(intid, count_handler);
	counted = 0;
	gic_enable(intid);
	irq_unmask();
	for (unsigned int i = 0; i < FLOOD; i++)
		gic_set_pending(intid);
	wait_counted(1, TIMEOUT_MS);
	delay_ms(QUIET_MS);
	irq_mask();
	gic_disable(intid);
	gic_set_handler(intid, NULL);
	n = counted;
	if (n >= 1 && n <= FLOOD && taken_since(0, m) == n && !gic_is_pending(intid))
		test_pass("storm: SPI %u made pending %u times through ISPENDR: taken at most "
			  "that often, none left pending",
			  intid, FLOOD);
	else
		test_fail("storm: SPI %u pended %u times: took %u (%u in all), pending %u", intid,
			  FLOOD, n, taken_since(0, m), gic_is_pending(intid));
}

/*
 * Its distributor's group enables off for a while: its own timer interrupt
 * waits, and comes once they are back. The hypervisor's GIC, and with it
 * the ticker's interrupts, must not be touched (tests/integration checks
 * the ticker's lines meanwhile).
 */
static void check_quiet(void)
{
	struct mark m = mark_now(0);
	bool held;

	timer_start(counter_now() + counter_ms(1), CNTV_ENABLE, 1);
	gic_dist_enable(false);
	irq_unmask();
	delay_ms(hargs.quiet_ms);
	held = took_nothing(0, m);
	gic_dist_enable(true);
	wait_took(0, m, vm.vtimer, 1, TIMEOUT_MS);
	delay_ms(QUIET_MS);
	irq_mask();
	timer_off();
	if (held && taken_since(0, m) == 1 && took(0, m, vm.vtimer) == 1)
		test_pass("storm: its distributor disabled for %u ms holds its timer interrupt; "
			  "delivered once re-enabled",
			  hargs.quiet_ms);
	else
		test_fail("storm: distributor disabled %u ms: %s while disabled, then took %u",
			  hargs.quiet_ms, held ? "nothing" : "taken", taken_since(0, m));
}

/* WFI with interrupts masked wakes for a pending one: none is lost. */
static void check_wfi(void)
{
	unsigned int woken = 0;

	for (unsigned int i = 0; i < WFI_LOOPS; i++) {
		uint64_t end = counter_now() + counter_ms(TIMEOUT_MS);

		timer_start(counter_now() + counter_ms(1), CNTV_ENABLE, 1);
		for (;;) {
			irq_mask();
			if (fired || counter_now() > end)
				break;
			wfi();
			irq_unmask();
		}
		irq_mask();
		woken += fired == 1;
	}
	timer_off();
	if (woken == WFI_LOOPS)
		test_pass("wfi: %u WFIs, each woken by its own 1 ms timer", WFI_LOOPS);
	else
		test_fail("wfi: %u of %u WFIs woken by the timer within %u ms", woken, WFI_LOOPS,
			  TIMEOUT_MS);
}

static void check_wfe(void)
{
	uint64_t end = counter_now() + counter_ms(10 * TIMEOUT_MS);
	unsigned int i;

	for (i = 0; i < WFE_LOOPS && counter_now() < end; i++)
		wfe();
	sev();
	wfe(); /* the event register was set: returns at once */
	if (i == WFE_LOOPS)
		test_pass("wfe: %u WFEs return (event stream); SEV then WFE returns", WFE_LOOPS);
	else
		test_fail("wfe: %u of %u WFEs in %u ms", i, WFE_LOOPS, 10 * TIMEOUT_MS);
}

static void check_counters(void)
{
	uint64_t prev = counter_now(), now, pprev, pnow;
	struct exc_record rec;
	unsigned int back = 0;
	uint64_t pc;

	for (unsigned int i = 0; i < COUNTER_READ; i++) {
		now = read_sysreg(cntvct_el0);
		back += now < prev;
		prev = now;
	}
	pprev = TRY_MRS("cntpct_el0", &rec, &pc);
	for (unsigned int i = 0; i < COUNTER_READ && !rec.count; i++) {
		pnow = TRY_MRS("cntpct_el0", &rec, &pc);
		back += !rec.count && pnow < pprev;
		pprev = pnow;
	}
	if (!back && (!rec.count || was_undef(&rec, pc)))
		test_pass("timer: CNTVCT_EL0 monotonic over %u reads, CNTPCT_EL0 too (or trapped)",
			  COUNTER_READ);
	else
		test_fail("timer: counters went backwards %u times; CNTPCT: %s", back,
			  exc_text(&rec));
}

static void check_hvc_flood(void)
{
	uint64_t n = hostile_hvc_flood(FLOOD);

	if (n == FLOOD)
		test_pass("smccc: %u PSCI_VERSION calls in a row: every one answered 1.1", FLOOD);
	else
		test_fail("smccc: %u PSCI_VERSION calls: %lu answered 1.1", FLOOD, n);
}

static void check_still_scheduled(void)
{
	struct mark m = mark_now(0);

	timer_start(counter_now() + counter_ms(1), CNTV_ENABLE, 1);
	irq_unmask();
	wait_took(0, m, vm.vtimer, 1, TIMEOUT_MS);
	irq_mask();
	timer_off();
	if (took(0, m, vm.vtimer) == 1)
		test_pass("timer: after the storms a 1 ms timer arrives within %u ms", TIMEOUT_MS);
	else
		test_fail("timer: after the storms a 1 ms timer: took %u in %u ms",
			  took(0, m, vm.vtimer), TIMEOUT_MS);
}

/* Its timer and the SGI used for quick checks, as both groups of probes want them. */
static void storms_setup(void)
{
	gic_set_handler(vm.vtimer, timer_handler);
	gic_enable(vm.vtimer);
	gic_enable(SGI_FLOOD);
}

void probe_storms(void)
{
	storms_setup();
	check_quiet(); /* first: the ticker's lateness check covers it */
	check_timer_storm();
	check_timer_imask();
	check_sgi_floods();
	check_pend_flood();
	check_wfi();
	check_wfe();
	check_counters();
	check_hvc_flood();
	check_still_scheduled();
}

/* ---- its second vCPU ---- */

static struct {
	volatile uint32_t init_ok;
	volatile uint64_t hvc_ok;
	volatile uint32_t gicd_bad;
	volatile uint32_t sgis;
	volatile uint32_t done;
} v1;

static void vcpu1_flood(unsigned int cpu)
{
	unsigned int intid = (unsigned int)(args.nunowned ? args.unowned[0] : 34);
	uint32_t word = GICD_ISENABLER + intid / 32 * 4, bit = 1u << (intid % 32);
	struct mark m;

	(void)cpu;
	v1.init_ok = gic_cpu_init();
	dsb(sy);
	sev();
	v1.hvc_ok = hostile_hvc_flood(GICD_FLOOD);
	for (unsigned int i = 0; i < GICD_FLOOD; i++) {
		gicd_write32(word, bit);
		if (gicd_read32(word) & bit)
			v1.gicd_bad = v1.gicd_bad + 1;
	}
	if (v1.init_ok) {
		m = mark_now(1);
		gic_enable(SGI_VCPU1);
		irq_unmask();
		for (unsigned int i = 0; i < SGI_SELF_V1; i++)
			gic_sgi(SGI_VCPU1, 1);
		wait_took(1, m, SGI_VCPU1, 1, TIMEOUT_MS);
		delay_ms(QUIET_MS);
		irq_mask();
		v1.sgis = taken_since(1, m);
	}
	dsb(sy);
	v1.done = 1;
	dsb(sy);
	sev();
}

static void check_concurrent(void)
{
	uint32_t typer = gicd_read32(GICD_TYPER), bad = 0;
	uint64_t end, hvc;
	int32_t r = smp_cpu_on(1, 1, vcpu1_flood);

	if (r) {
		test_fail("smp: CPU_ON 0x1: %s (%d)", psci_error_name(r), r);
		return;
	}
	hvc = hostile_hvc_flood(GICD_FLOOD);
	for (unsigned int i = 0; i < GICD_FLOOD; i++)
		bad += gicd_read32(GICD_TYPER) != typer;
	end = counter_now() + counter_ms(12 * TIMEOUT_MS);
	while (!v1.done && counter_now() < end)
		wfe();
	dsb(ld);
	if (v1.done && v1.init_ok && v1.hvc_ok == GICD_FLOOD && !v1.gicd_bad && v1.sgis >= 1 &&
	    v1.sgis <= SGI_SELF_V1 && hvc == GICD_FLOOD && !bad)
		test_pass("smp: both vCPUs at once: %u HVCs and %u GICD accesses each, %u SGIs "
			  "vCPU 1 to itself: all answered",
			  GICD_FLOOD, GICD_FLOOD, SGI_SELF_V1);
	else
		test_fail(
			"smp: concurrent flood: vcpu1 done %u init %u hvc %lu gicd-bad %u sgis %u; "
			"vcpu0 hvc %lu gicd-bad %u",
			v1.done, v1.init_ok, v1.hvc_ok, v1.gicd_bad, v1.sgis, hvc, bad);

	end = counter_now() + counter_ms(TIMEOUT_MS);
	while ((r = psci_affinity_info(1, 0)) != PSCI_AFFINITY_OFF && counter_now() < end)
		;
	if (r == PSCI_AFFINITY_OFF)
		test_pass("smp: vCPU 1 CPU_OFF after its flood: AFFINITY_INFO OFF");
	else
		test_fail("smp: vCPU 1 after its flood: AFFINITY_INFO %d", r);
}

/*
 * vCPU 1 in a loop of aborts, each one through the hypervisor, for 200 ms
 * and while vCPU 0 checks that it keeps working; then it is told to stop.
 */
void hostile_abort_loop(uint64_t addr, volatile uint64_t *stop, volatile uint64_t *count);

static struct {
	volatile uint64_t stop;
	volatile uint64_t count;
	volatile uint32_t done;
} loop;

static void vcpu1_abort_loop(unsigned int cpu)
{
	(void)cpu;
	hostile_abort_loop(hargs.neighbour_base, &loop.stop, &loop.count);
	loop.done = 1;
	dsb(sy);
	sev();
}

static void check_abort_loop(void)
{
	uint64_t end, hvc;
	struct mark m;
	int32_t r = smp_cpu_on(1, 1, vcpu1_abort_loop), a;
	bool sgi, timer;

	if (r) {
		test_fail("smp: CPU_ON 0x1 for its abort loop: %s (%d)", psci_error_name(r), r);
		return;
	}
	end = counter_now() + counter_ms(TIMEOUT_MS);
	while (!loop.count && counter_now() < end)
		;
	delay_ms(200);
	a = psci_affinity_info(1, 0);
	m = mark_now(0);
	irq_unmask();
	gic_sgi(SGI_FLOOD, 0);
	sgi = wait_took(0, m, SGI_FLOOD, 1, TIMEOUT_MS);
	timer_start(counter_now() + counter_ms(1), CNTV_ENABLE, 1);
	timer = wait_fired(1, TIMEOUT_MS);
	irq_mask();
	timer_off();
	hvc = hostile_hvc_flood(100);
	loop.stop = 1;
	dsb(sy);
	end = counter_now() + counter_ms(TIMEOUT_MS);
	while (!loop.done && counter_now() < end)
		wfe();
	while ((r = psci_affinity_info(1, 0)) != PSCI_AFFINITY_OFF && counter_now() < end)
		;
	if (loop.count && a == PSCI_AFFINITY_ON && sgi && timer && hvc == 100 && loop.done &&
	    r == PSCI_AFFINITY_OFF)
		test_pass(
			"smp: vCPU 1 in a loop of aborts through the hypervisor: vCPU 0 keeps its "
			"SGIs, timer and HVCs; the loop stops when told");
	else
		test_fail(
			"smp: abort loop: %lu aborts, AFFINITY_INFO %d then %d, vcpu0 SGI %u timer "
			"%u hvc %lu, stopped %u",
			loop.count, a, r, sgi, timer, hvc, loop.done);
}

/*
 * After the DONE line (test_done()): vCPU 1 starts where it takes an
 * exception whose vector is not in its RAM, and loops through the
 * hypervisor forever. SYSTEM_OFF must still stop the VM: the scenario
 * checks that it powers off.
 */
static bool final_loop;

void test_before_off(void)
{
	if (!final_loop)
		return;
	if (psci_cpu_on(1, (uintptr_t)hostile_fault_loop, 0) == PSCI_SUCCESS)
		delay_ms(50);
}

void probe_vcpu1(void)
{
	storms_setup();
	check_concurrent();
	check_abort_loop();
	final_loop = true;
}

/* SPDX-License-Identifier: MIT */
/*
 * ticker: a quiet neighbour that proves it is undisturbed. Its virtual
 * timer fires every period-ms milliseconds on a fixed schedule (deadline
 * n * period from the start); it sleeps in WFI between ticks and prints
 * `tick N` after each. Meanwhile it watches for anything a neighbour could
 * do to it: a tick later than late-ms, an interrupt that is not its timer,
 * a spurious one, its counter going backwards, its RAM changing.
 *
 * Bootargs (besides the common ones): ticks=N (default 100), period-ms=M
 * (default 50), late-ms=L (default 1000).
 */
#include <string.h>

#include "gic.h"
#include "guest.h"
#include "smp.h"

#define CNTV_ENABLE 1u
#define GUARD_SIZE  0x40000 /* 256 KiB of its RAM, 8 MiB above its base */
#define GUARD_OFF   0x800000

static struct {
	unsigned int ticks, period_ms, late_ms;
} opt = {100, 50, 1000};

static struct {
	volatile uint32_t n;	    /* timer interrupts */
	volatile uint32_t other;    /* any other interrupt */
	volatile uint32_t other_id; /* the first such */
	volatile uint64_t max_late; /* in counter ticks */
	volatile uint32_t max_late_tick;
	volatile uint64_t backwards;
	uint64_t start, period, last;
	unsigned int vtimer;
} t;

bool bootargs_guest_word(const char *key, size_t keylen, const char *val, const char *end)
{
	static const struct {
		const char *key;
		unsigned int *v;
		unsigned int max;
	} keys[] = {{"ticks", &opt.ticks, 100000},
		    {"period-ms", &opt.period_ms, 10000},
		    {"late-ms", &opt.late_ms, 100000}};
	uint64_t v;

	for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keylen != strlen(keys[i].key) || strncmp(key, keys[i].key, keylen))
			continue;
		if (bootargs_numbers(val, end, &v, 1) != 1 || !v || v > keys[i].max)
			return false;
		*keys[i].v = (unsigned int)v;
		return true;
	}
	return false;
}

/* Re-armed from the handler: deadline n + 1 of the schedule, however late this one was. */
static void on_timer(unsigned int intid, unsigned int source)
{
	uint64_t now = counter_now(), due = t.start + (uint64_t)(t.n + 1) * t.period;

	(void)source;
	if (intid != t.vtimer)
		return;
	if (now < t.last)
		t.backwards = t.backwards + 1;
	t.last = now;
	if (now > due && now - due > t.max_late) {
		t.max_late = now - due;
		t.max_late_tick = t.n + 1;
	}
	t.n = t.n + 1;
	write_sysreg(cntv_cval_el0, due + t.period);
	isb();
}

static void on_other(unsigned int intid, unsigned int source)
{
	(void)source;
	if (!t.other++)
		t.other_id = intid;
}

static uint64_t guard_word(uint64_t a)
{
	return a ^ 0x71c4e171c4e1ull;
}

void guest_main(const void *fdt)
{
	struct dt_range ram;
	uintptr_t guard;
	uint64_t bad = 0;
	int vt = dt_timer_intid(fdt, 2);
	uint32_t spurious;

	smp_event_stream();
	if (dt_memory(fdt, &ram, 1) != 1 || ram.size < GUARD_OFF + GUARD_SIZE || !gic_probe(fdt)) {
		test_fail("ticker: needs one memory range of 9 MiB or more and a GIC in the DT");
		return;
	}
	t.vtimer = vt >= 16 && vt < 32 ? (unsigned int)vt : 27;
	guard = ram.base + GUARD_OFF;
	for (uintptr_t a = guard; a < guard + GUARD_SIZE; a += 8)
		*(volatile uint64_t *)a = guard_word(a);
	gic_dist_init();
	if (!gic_cpu_init()) {
		test_fail("ticker: GIC CPU interface does not initialise");
		return;
	}
	for (unsigned int i = 0; i < GIC_NR_HANDLERS; i++)
		gic_set_handler(i, on_other);
	gic_set_handler(t.vtimer, on_timer);
	gic_enable(t.vtimer);
	gprintf("ticker: %u ticks, every %u ms\n", opt.ticks, opt.period_ms);

	t.period = counter_ms(opt.period_ms);
	t.start = t.last = counter_now();
	write_sysreg(cntv_cval_el0, t.start + t.period);
	write_sysreg(cntv_ctl_el0, CNTV_ENABLE);
	isb();
	for (uint32_t seen = 0; seen < opt.ticks;) {
		irq_mask();
		if (t.n == seen)
			wfi(); /* woken by the pending timer; taken once unmasked */
		irq_unmask();
		for (; seen < t.n && seen < opt.ticks; seen++) {
			for (uintptr_t a = guard; a < guard + GUARD_SIZE; a += 8)
				bad += *(volatile uint64_t *)a != guard_word(a);
			gprintf("tick %u\n", seen + 1);
		}
	}
	irq_mask();
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	spurious = gic_cpus[0].spurious;

	if (t.max_late <= counter_ms(opt.late_ms))
		test_pass("ticker: %u ticks every %u ms, none later than %u ms", opt.ticks,
			  opt.period_ms, opt.late_ms);
	else
		test_fail("ticker: tick %u came %lu ms late (limit %u ms)", t.max_late_tick,
			  t.max_late / counter_ms(1), opt.late_ms);
	if (!t.other && gic_cpus[0].count == t.n && !spurious)
		test_pass("ticker: only its own timer interrupts, none spurious");
	else
		test_fail("ticker: %u interrupts, %u of them its timer (first other INTID %u), %u "
			  "spurious",
			  gic_cpus[0].count, t.n, t.other_id, spurious);
	if (!t.backwards)
		test_pass("ticker: its virtual counter never went backwards");
	else
		test_fail("ticker: its virtual counter went backwards %lu times", t.backwards);
	if (!bad)
		test_pass("ticker: 256 KiB of its RAM unchanged at every tick");
	else
		test_fail("ticker: %lu words of its RAM changed under it", bad);
}

/* SPDX-License-Identifier: MIT */
/*
 * vGIC delivery: pending state, routing, kicks, list registers and the
 * overflow queue, against a fake LR backend (an array of struct vgic_lr
 * per vCPU) on which the tests play the guest: acknowledge (pending ->
 * active) and EOI (active -> inactive). Includes, as named tests, the bugs
 * other hypervisors shipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgic/vgic.h"

#define CTLR	   0x0000
#define IGROUPR	   0x0080
#define ISENABLER  0x0100
#define ICENABLER  0x0180
#define ISPENDR	   0x0200
#define ICPENDR	   0x0280
#define ISACTIVER  0x0300
#define ICACTIVER  0x0380
#define IPRIORITYR 0x0400
#define ITARGETSR  0x0800
#define ICFGR	   0x0c00
#define SGIR	   0x0f00
#define CPENDSGIR  0x0f10
#define SPENDSGIR  0x0f20
#define IROUTER	   0x6000
#define SGI	   0x10000

#define BIT(n) (1u << (n))

/* --- fakes ---------------------------------------------------------------- */

static struct vgic gic;
static unsigned kicks[MAX_CPUS];
static unsigned deactivations, deactivated_vcpu, deactivated_intid;

static void kick(struct vgic *g, unsigned vcpu)
{
	(void)g;
	kicks[vcpu]++;
}

static void hw_deactivate(struct vgic *g, unsigned vcpu, uint32_t hwintid)
{
	(void)g;
	deactivations++;
	deactivated_vcpu = vcpu;
	deactivated_intid = hwintid;
}

static const struct vgic_ops ops = {.kick = kick, .hw_deactivate = hw_deactivate};

/* One LR file per vCPU; `cur` is the one the model is working on. */
static struct vgic_lr lrs[MAX_CPUS][VGIC_MAX_LRS];
static unsigned cur, nr_lr = 4, lr_reads, lr_writes;
static bool underflow[MAX_CPUS];

static unsigned fake_nr(void)
{
	return nr_lr;
}

static void fake_read(unsigned i, struct vgic_lr *lr)
{
	assert_true(i < nr_lr);
	lr_reads++;
	*lr = lrs[cur][i];
}

static void fake_write(unsigned i, const struct vgic_lr *lr)
{
	assert_true(i < nr_lr);
	lr_writes++;
	lrs[cur][i] = lr ? *lr : (struct vgic_lr){0};
}

static void fake_underflow(bool on)
{
	underflow[cur] = on;
}

static const struct vgic_lr_ops lr_ops = {fake_nr, fake_read, fake_write, fake_underflow};

/* --- helpers -------------------------------------------------------------- */

static struct vgic *setup(unsigned version, unsigned nr_vcpus)
{
	for (unsigned v = 0; v < MAX_CPUS; v++) {
		kicks[v] = 0;
		underflow[v] = false;
		for (unsigned i = 0; i < VGIC_MAX_LRS; i++)
			lrs[v][i] = (struct vgic_lr){0};
	}
	nr_lr = 4;
	lr_reads = lr_writes = deactivations = 0;
	vgic_init(&gic, version, nr_vcpus, &ops);
	vgic_dist_write(&gic, 0, CTLR, 4, 0x3); /* both groups on */
	return &gic;
}

static void flush(struct vgic *g, unsigned v)
{
	cur = v;
	vgic_flush_lrs(g, v, &lr_ops);
}

static void sync(struct vgic *g, unsigned v)
{
	cur = v;
	vgic_sync_lrs(g, v, &lr_ops);
}

/* What the arch does around every exit. */
static void exit_entry(struct vgic *g, unsigned v)
{
	sync(g, v);
	flush(g, v);
}

static bool valid(const struct vgic_lr *lr)
{
	return lr->pending || lr->active;
}

static int lr_of(unsigned v, uint32_t intid)
{
	for (unsigned i = 0; i < nr_lr; i++)
		if (valid(&lrs[v][i]) && lrs[v][i].intid == intid)
			return (int)i;
	return -1;
}

static unsigned nr_valid(unsigned v)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nr_lr; i++)
		n += valid(&lrs[v][i]);
	return n;
}

/* The guest takes intid (reads IAR): pending -> active. */
static void guest_ack(unsigned v, uint32_t intid)
{
	int i = lr_of(v, intid);

	assert_true(i >= 0);
	assert_true(lrs[v][i].pending);
	assert_false(lrs[v][i].active);
	lrs[v][i].pending = false;
	lrs[v][i].active = true;
}

/* The guest deactivates intid: active -> inactive (or pending if A+P). */
static void guest_eoi(unsigned v, uint32_t intid)
{
	int i = lr_of(v, intid);

	assert_true(i >= 0);
	assert_true(lrs[v][i].active);
	lrs[v][i].active = false;
}

static void guest_handle(unsigned v, uint32_t intid)
{
	guest_ack(v, intid);
	guest_eoi(v, intid);
}

static void expect_lr(unsigned v, unsigned i, struct vgic_lr want)
{
	const struct vgic_lr *lr = &lrs[v][i];

	assert_int_equal(lr->intid, want.intid);
	assert_int_equal(lr->pending, want.pending);
	assert_int_equal(lr->active, want.active);
	assert_int_equal(lr->hw, want.hw);
	assert_int_equal(lr->pintid, want.pintid);
	assert_int_equal(lr->priority, want.priority);
	assert_int_equal(lr->group1, want.group1);
	assert_int_equal(lr->source, want.source);
	assert_int_equal(lr->eoi, want.eoi);
}

static void expect_empty(unsigned v)
{
	assert_int_equal(nr_valid(v), 0);
}

static unsigned total_kicks(void)
{
	unsigned n = 0;

	for (unsigned v = 0; v < MAX_CPUS; v++)
		n += kicks[v];
	return n;
}

static void clear_kicks(void)
{
	for (unsigned v = 0; v < MAX_CPUS; v++)
		kicks[v] = 0;
}

static uint32_t rd32(struct vgic *g, uint64_t off)
{
	return (uint32_t)vgic_dist_read(g, 0, off, 4);
}

/* An owned, enabled SPI; edge if asked, at a priority. */
static void spi(struct vgic *g, uint32_t intid, bool edge, uint8_t prio)
{
	assert_int_equal(vgic_own_spi(g, intid, false), 0);
	vgic_dist_write(g, 0, IPRIORITYR + intid, 1, prio);
	if (edge)
		vgic_dist_write(g, 0, ICFGR + intid / 16 * 4, 4,
				(uint32_t)vgic_dist_read(g, 0, ICFGR + intid / 16 * 4, 4) |
					2u << (intid % 16 * 2));
	vgic_dist_write(g, 0, ISENABLER + intid / 32 * 4, 4, BIT(intid % 32));
}

static void route(struct vgic *g, uint32_t intid, uint64_t val)
{
	vgic_dist_write(g, 0, IROUTER + 8 * intid, 8, val);
}

/* --- delivery -------------------------------------------------------------- */

static void spi_goes_through_an_lr(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 40, true, 0xa0);
	vgic_inject(g, -1, 0, 40);
	assert_int_equal(kicks[0], 1);
	assert_int_equal(g->cpu[0].nqueued, 1);
	flush(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40, .pending = true, .priority = 0xa0, .group1 = true});
	assert_false(underflow[0]);
	assert_int_equal(g->cpu[0].nqueued, 0);
	assert_int_equal(g->cpu[0].lr_used, 0x1);
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(8));

	guest_ack(0, 40);
	exit_entry(g, 0);
	assert_int_equal(rd32(g, ISPENDR + 4), 0);
	assert_int_equal(rd32(g, ISACTIVER + 4), BIT(8));
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40, .active = true, .priority = 0xa0, .group1 = true});

	guest_eoi(0, 40);
	exit_entry(g, 0);
	assert_int_equal(rd32(g, ISACTIVER + 4), 0);
	assert_int_equal(g->cpu[0].lr_used, 0);
	assert_int_equal(g->spis[40 - 32].lr, -1);
	expect_empty(0);
}

static void kick_spares_the_caller(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 40, true, 0);
	spi(g, 41, true, 0);
	route(g, 41, 1);
	vgic_inject(g, 0, 0, 40); /* from vCPU 0 itself: it re-enters anyway */
	assert_int_equal(total_kicks(), 0);
	vgic_inject(g, 0, 0, 41); /* for vCPU 1 */
	assert_int_equal(kicks[1], 1);
	assert_int_equal(total_kicks(), 1);
	/* already pending: nothing new to announce */
	vgic_inject(g, 0, 0, 41);
	assert_int_equal(total_kicks(), 1);
	flush(g, 1);
	assert_int_equal(lr_of(1, 41), 0);
	assert_int_equal(lr_of(0, 41), -1);
}

/* GICD_CTLR's group enables hold interrupts back and let them go. */
static void group_enables_gate_delivery(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 40, true, 0);
	spi(g, 41, true, 0);
	vgic_dist_write(g, 0, IGROUPR + 4, 4, ~BIT(9)); /* 41 in group 0 */
	vgic_dist_write(g, 0, CTLR, 4, 0);
	vgic_inject(g, -1, 0, 40);
	vgic_inject(g, -1, 0, 41);
	assert_int_equal(total_kicks(), 0);
	flush(g, 0);
	expect_empty(0);
	assert_false(vgic_has_pending(g, 0));
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(8) | BIT(9));

	vgic_dist_write(g, 1, CTLR, 4, 0x2); /* group 1 only, by vCPU 1 */
	assert_int_equal(kicks[0], 1);
	flush(g, 0);
	expect_lr(0, 0, (struct vgic_lr){.intid = 40, .pending = true, .group1 = true});
	assert_int_equal(nr_valid(0), 1);

	vgic_dist_write(g, 1, CTLR, 4, 0x3);
	assert_int_equal(kicks[0], 2);
	flush(g, 0);
	expect_lr(0, 1, (struct vgic_lr){.intid = 41, .pending = true, .group1 = false});

	/* disabling group 1 again takes back what the guest has not taken */
	guest_ack(0, 41);
	vgic_dist_write(g, 1, CTLR, 4, 0x1);
	exit_entry(g, 0);
	assert_int_equal(lr_of(0, 40), -1);
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(8));
	expect_lr(0, 1, (struct vgic_lr){.intid = 41, .active = true, .group1 = false});
	vgic_dist_write(g, 1, CTLR, 4, 0x3);
	flush(g, 0);
	assert_int_equal(lr_of(0, 40), 0);
}

static void v2_group_enables_gate_delivery(void **state)
{
	struct vgic *g = setup(2, 2);

	(void)state;
	spi(g, 40, true, 0x10);
	vgic_dist_write(g, 0, ITARGETSR + 40, 1, 0x2);
	vgic_dist_write(g, 0, CTLR, 4, 0x2); /* group 1 only; 40 is group 0 */
	vgic_inject(g, -1, 0, 40);
	flush(g, 1);
	expect_empty(1);
	assert_int_equal(kicks[1], 0);
	vgic_dist_write(g, 0, CTLR, 4, 0x1);
	assert_int_equal(kicks[1], 1);
	flush(g, 1);
	expect_lr(1, 0, (struct vgic_lr){.intid = 40, .pending = true, .priority = 0x10});
}

/* Bug: a pending interrupt that is disabled must wait, not be dropped. */
static void pending_while_disabled_is_delivered_once_enabled(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	assert_int_equal(vgic_own_spi(g, 40, false), 0);
	assert_int_equal(vgic_own_spi(g, 41, false), 0);
	vgic_dist_write(g, 0, ICFGR + 8, 4, 2u << 16); /* 40 edge, 41 level */
	vgic_inject(g, -1, 0, 40);
	vgic_set_level(g, -1, 41, true);
	vgic_dist_write(g, 0, ISPENDR + 4, 4, BIT(10)); /* 42 is not owned */
	assert_int_equal(total_kicks(), 0);
	flush(g, 0);
	expect_empty(0);
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(8) | BIT(9));

	vgic_dist_write(g, 1, ISENABLER + 4, 4, BIT(8) | BIT(9));
	assert_int_equal(kicks[0], 1);
	flush(g, 0);
	expect_lr(0, 0, (struct vgic_lr){.intid = 40, .pending = true, .group1 = true});
	expect_lr(0, 1,
		  (struct vgic_lr){.intid = 41, .pending = true, .group1 = true, .eoi = true});

	/* and on a private interrupt, through the redistributor */
	vgic_redist_write(g, 1, SGI + ISPENDR, 4, BIT(20));
	flush(g, 1);
	expect_empty(1);
	vgic_redist_write(g, 1, SGI + ISENABLER, 4, BIT(20));
	flush(g, 1);
	expect_lr(1, 0, (struct vgic_lr){.intid = 20, .pending = true, .group1 = true});
}

/* Bug: disabling an active interrupt must not orphan its LR or its active state. */
static void disable_while_active_is_not_orphaned(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 40, true, 0x20);
	vgic_inject(g, -1, 0, 40);
	flush(g, 0);
	guest_ack(0, 40);
	vgic_dist_write(g, 1, ICENABLER + 4, 4, BIT(8));
	assert_int_equal(kicks[0], 2);
	exit_entry(g, 0);
	/* still there, still active: the guest's EOI must find it */
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40, .active = true, .priority = 0x20, .group1 = true});
	assert_int_equal(rd32(g, ISACTIVER + 4), BIT(8));

	/* a new edge while disabled waits, even past the EOI */
	vgic_inject(g, -1, 0, 40);
	exit_entry(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40,
				   .active = true,
				   .priority = 0x20,
				   .group1 = true,
				   .eoi = true});
	guest_eoi(0, 40);
	exit_entry(g, 0);
	expect_empty(0);
	assert_int_equal(g->cpu[0].lr_used, 0);
	assert_int_equal(rd32(g, ISACTIVER + 4), 0);
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(8));

	vgic_dist_write(g, 1, ISENABLER + 4, 4, BIT(8));
	flush(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40, .pending = true, .priority = 0x20, .group1 = true});
	guest_handle(0, 40);
	exit_entry(g, 0);
	expect_empty(0);
	assert_int_equal(rd32(g, ISPENDR + 4), 0);
}

/* The same for a passthrough SPI: the HW LR stays, no deactivation by EL2. */
static void disable_while_active_keeps_hw_link(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	assert_int_equal(vgic_own_spi(g, 48, true), 0);
	vgic_dist_write(g, 0, ISENABLER + 4, 4, BIT(16));
	vgic_inject(g, -1, 0, 48);
	flush(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){
			  .intid = 48, .pending = true, .hw = true, .pintid = 48, .group1 = true});
	guest_ack(0, 48);
	vgic_dist_write(g, 1, ICENABLER + 4, 4, BIT(16));
	exit_entry(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){
			  .intid = 48, .active = true, .hw = true, .pintid = 48, .group1 = true});
	guest_eoi(0, 48);
	exit_entry(g, 0);
	expect_empty(0);
	assert_int_equal(deactivations, 0);
}

/* 6 pending, 4 LRs: best first, the rest once LRs drain, underflow in between. */
static void lr_overflow_delivers_all_in_priority_order(void **state)
{
	static const uint8_t prio[6] = {0x80, 0x20, 0x60, 0x40, 0xa0, 0x10};
	struct vgic *g = setup(3, 1);

	(void)state;
	for (unsigned i = 0; i < 6; i++) {
		spi(g, 32 + i, true, prio[i]);
		vgic_inject(g, 0, 0, 32 + i);
	}
	assert_int_equal(g->cpu[0].nqueued, 6);
	flush(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 37, .pending = true, .priority = 0x10, .group1 = true});
	expect_lr(0, 1,
		  (struct vgic_lr){.intid = 33, .pending = true, .priority = 0x20, .group1 = true});
	expect_lr(0, 2,
		  (struct vgic_lr){.intid = 35, .pending = true, .priority = 0x40, .group1 = true});
	expect_lr(0, 3,
		  (struct vgic_lr){.intid = 34, .pending = true, .priority = 0x60, .group1 = true});
	assert_int_equal(g->cpu[0].nqueued, 2);
	assert_true(underflow[0]);

	/* the guest handles the two best; the next two move in */
	guest_handle(0, 37);
	guest_handle(0, 33);
	exit_entry(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 32, .pending = true, .priority = 0x80, .group1 = true});
	expect_lr(0, 1,
		  (struct vgic_lr){.intid = 36, .pending = true, .priority = 0xa0, .group1 = true});
	expect_lr(0, 2,
		  (struct vgic_lr){.intid = 35, .pending = true, .priority = 0x40, .group1 = true});
	assert_int_equal(g->cpu[0].nqueued, 0);
	assert_false(underflow[0]);

	guest_handle(0, 35);
	guest_handle(0, 34);
	guest_handle(0, 32);
	guest_handle(0, 36);
	exit_entry(g, 0);
	expect_empty(0);
	assert_int_equal(g->cpu[0].lr_used, 0);
	assert_false(underflow[0]);
	assert_int_equal(rd32(g, ISPENDR + 4), 0);
	assert_int_equal(rd32(g, ISACTIVER + 4), 0);
}

/* A better interrupt displaces a worse one the guest has not taken yet. */
static void better_interrupt_evicts_unacknowledged_worse(void **state)
{
	struct vgic *g = setup(3, 1);

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		spi(g, 40 + i, true, 0x80);
		vgic_inject(g, 0, 0, 40 + i);
	}
	flush(g, 0);
	guest_ack(0, 43); /* active ones are never evicted */
	exit_entry(g, 0);
	spi(g, 50, true, 0x90); /* worse than all: waits */
	vgic_inject(g, 0, 0, 50);
	flush(g, 0);
	assert_int_equal(lr_of(0, 50), -1);
	assert_true(underflow[0]);

	spi(g, 51, true, 0x10);
	vgic_inject(g, 0, 0, 51);
	flush(g, 0);
	/* 42 is the worst pending one (equal priority, higher INTID) */
	expect_lr(0, 2,
		  (struct vgic_lr){.intid = 51, .pending = true, .priority = 0x10, .group1 = true});
	assert_int_equal(lr_of(0, 40), 0);
	assert_int_equal(lr_of(0, 41), 1);
	expect_lr(0, 3,
		  (struct vgic_lr){.intid = 43, .active = true, .priority = 0x80, .group1 = true});
	assert_int_equal(g->cpu[0].nqueued, 2); /* 42 and 50 */
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(8) | BIT(9) | BIT(10) | BIT(18) | BIT(19));
	assert_true(underflow[0]);

	guest_handle(0, 51);
	guest_handle(0, 40);
	exit_entry(g, 0);
	assert_int_equal(lr_of(0, 42), 0);
	assert_int_equal(lr_of(0, 50), 2);
	assert_false(underflow[0]);
}

/* Bug: GICv2 SGIs from two sources are two interrupts, each with its source. */
static void v2_sgi_sources_delivered_separately(void **state)
{
	struct vgic *g = setup(2, 3);

	(void)state;
	vgic_dist_write(g, 0, SGIR, 4, 0x00040005); /* vCPU 0: SGI 5 to vCPU 2 */
	vgic_dist_write(g, 1, SGIR, 4, 0x00040005); /* vCPU 1: the same */
	assert_int_equal(kicks[2], 1);
	assert_int_equal(vgic_dist_read(g, 2, SPENDSGIR + 4, 4), 0x00000300);
	flush(g, 2);
	expect_lr(2, 0, (struct vgic_lr){.intid = 5, .pending = true, .source = 0, .eoi = true});
	assert_int_equal(nr_valid(2), 1); /* never the same SGI in two LRs */
	assert_int_equal(vgic_dist_read(g, 2, SPENDSGIR + 4, 4), 0x00000300);

	guest_handle(2, 5); /* the EOI maintenance interrupt exits */
	exit_entry(g, 2);
	expect_lr(2, 0, (struct vgic_lr){.intid = 5, .pending = true, .source = 1});
	assert_int_equal(vgic_dist_read(g, 2, SPENDSGIR + 4, 4), 0x00000200);

	guest_handle(2, 5);
	exit_entry(g, 2);
	expect_empty(2);
	assert_int_equal(vgic_dist_read(g, 2, SPENDSGIR + 4, 4), 0);

	/* the same source twice before it is taken is one SGI */
	vgic_dist_write(g, 1, SGIR, 4, 0x00040003);
	vgic_dist_write(g, 1, SGIR, 4, 0x00040003);
	flush(g, 2);
	expect_lr(2, 0, (struct vgic_lr){.intid = 3, .pending = true, .source = 1});
	guest_handle(2, 3);
	exit_entry(g, 2);
	expect_empty(2);

	/* a source arriving while another's is active: A from 0, then 1's */
	vgic_dist_write(g, 0, SGIR, 4, 0x00040003);
	flush(g, 2);
	guest_ack(2, 3);
	vgic_dist_write(g, 1, SGIR, 4, 0x00040003);
	exit_entry(g, 2);
	expect_lr(2, 0, (struct vgic_lr){.intid = 3, .active = true, .source = 0, .eoi = true});
	guest_eoi(2, 3);
	exit_entry(g, 2);
	expect_lr(2, 0, (struct vgic_lr){.intid = 3, .pending = true, .source = 1});
}

static void v2_sgir_target_filters(void **state)
{
	struct vgic *g = setup(2, 4);

	(void)state;
	vgic_dist_write(g, 1, SGIR, 4, 0x00058002); /* list {0, 2}, NSATT set: ignored */
	assert_int_equal(g->cpu[0].private[2].sgi_src, BIT(1));
	assert_int_equal(g->cpu[2].private[2].sgi_src, BIT(1));
	assert_int_equal(g->cpu[1].private[2].sgi_src | g->cpu[3].private[2].sgi_src, 0);

	vgic_dist_write(g, 1, SGIR, 4, 0x01000007); /* all but self */
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(g->cpu[v].private[7].sgi_src, v == 1 ? 0 : BIT(1));
	vgic_dist_write(g, 3, SGIR, 4, 0x02ff0009); /* self only, the list ignored */
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(g->cpu[v].private[9].sgi_src, v == 3 ? BIT(3) : 0);
	vgic_dist_write(g, 3, SGIR, 4, 0x03ff000a); /* reserved filter */
	vgic_dist_write(g, 3, SGIR, 4, 0x00f0000b); /* only vCPUs 4-7: none exist */
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(g->cpu[v].private[10].sgi_src | g->cpu[v].private[11].sgi_src, 0);
	assert_int_equal(vgic_dist_read(g, 0, SGIR, 4), 0); /* write-only */
	assert_int_equal(kicks[0], 2);
	assert_int_equal(kicks[1], 0);
	assert_int_equal(kicks[2], 2);
	assert_int_equal(kicks[3], 1);
}

/* Bug: every vCPU index the VM can have is reachable by every route. */
static void routing_reaches_every_vcpu_index(void **state)
{
	struct vgic *g;

	(void)state;
	/* GICv2 ITARGETSR masks, GICD_SGIR lists */
	g = setup(2, MAX_CPUS);
	for (unsigned t = 0; t < MAX_CPUS; t++) {
		spi(g, 32 + t, true, 0);
		vgic_dist_write(g, 0, ITARGETSR + 32 + t, 1, BIT(t));
		assert_int_equal(vgic_dist_read(g, 0, ITARGETSR + 32 + t, 1), BIT(t));
		clear_kicks();
		vgic_inject(g, -1, 0, 32 + t);
		assert_int_equal(kicks[t], 1);
		assert_int_equal(total_kicks(), 1);
		flush(g, t);
		assert_int_equal(lr_of(t, 32 + t), 0);

		vgic_dist_write(g, 0, SGIR, 4, (uint32_t)BIT(t) << 16 | 1);
		assert_int_equal(g->cpu[t].private[1].sgi_src, 1);
		flush(g, t);
		expect_lr(t, 1, (struct vgic_lr){.intid = 1, .pending = true, .source = 0});
		vgic_dist_write(g, t, SGIR, 4, 0x00010002); /* and back, from t */
		assert_int_equal(g->cpu[0].private[2].sgi_src, BIT(t));
		vgic_dist_write(g, 0, CPENDSGIR + 2, 1, 0xff);
	}

	/* GICv3 IROUTER affinities, ICC_SGI1R_EL1 target lists */
	g = setup(3, MAX_CPUS);
	for (unsigned t = 0; t < MAX_CPUS; t++) {
		spi(g, 32 + t, true, 0);
		route(g, 32 + t, t);
		clear_kicks();
		vgic_inject(g, -1, 0, 32 + t);
		assert_int_equal(kicks[t], 1);
		assert_int_equal(total_kicks(), 1);
		flush(g, t);
		assert_int_equal(lr_of(t, 32 + t), 0);

		vgic_sgi1r(g, (t + 1) % MAX_CPUS, (uint64_t)4 << 24 | BIT(t));
		assert_true(g->cpu[t].private[4].pending);
		flush(g, t);
		expect_lr(t, 1, (struct vgic_lr){.intid = 4, .pending = true, .group1 = true});
	}
}

static void irouter_irm_and_missing_targets(void **state)
{
	struct vgic *g = setup(3, 4);

	(void)state;
	spi(g, 40, true, 0);
	spi(g, 41, true, 0);
	route(g, 40, 0x80000000u | 3); /* IRM: any vCPU; we pick vCPU 0 */
	vgic_inject(g, 2, 0, 40);
	assert_int_equal(kicks[0], 1);
	flush(g, 0);
	assert_int_equal(lr_of(0, 40), 0);

	/* Aff0 5 does not exist, nor does Aff1 1: pending stays, nobody is asked */
	route(g, 41, 5);
	vgic_inject(g, 2, 0, 41);
	route(g, 41, 0x100);
	route(g, 41, 0x100000000ull);
	assert_int_equal(total_kicks(), 1);
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(8) | BIT(9));
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(g->cpu[v].nqueued, 0);
	/* routed somewhere valid: delivered there */
	route(g, 41, 2);
	assert_int_equal(kicks[2], 1);
	flush(g, 2);
	assert_int_equal(lr_of(2, 41), 0);
}

static void v2_targets_pick_lowest_existing_vcpu(void **state)
{
	struct vgic *g = setup(2, 3);

	(void)state;
	spi(g, 40, true, 0);
	vgic_dist_write(g, 0, ITARGETSR + 40, 1, 0xfc); /* {2..7}: vCPU 2 is the only one */
	assert_int_equal(vgic_dist_read(g, 0, ITARGETSR + 40, 1), 0x04);
	vgic_inject(g, -1, 0, 40);
	assert_int_equal(kicks[2], 1);
	assert_int_equal(g->cpu[2].nqueued, 1);
	/* moving it while queued moves the queue entry */
	vgic_dist_write(g, 0, ITARGETSR + 40, 1, 0x06);
	assert_int_equal(g->cpu[2].nqueued, 0);
	assert_int_equal(g->cpu[1].nqueued, 1);
	assert_int_equal(kicks[1], 1);
	/* no target at all: held */
	vgic_dist_write(g, 0, ITARGETSR + 40, 1, 0);
	assert_int_equal(g->cpu[1].nqueued, 0);
	flush(g, 1);
	expect_empty(1);
	vgic_dist_write(g, 0, ITARGETSR + 40, 1, 0x01);
	flush(g, 0);
	assert_int_equal(lr_of(0, 40), 0);
}

/* A pending SPI in one vCPU's LR follows a new route once that vCPU exits. */
static void rerouted_pending_spi_moves(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 40, true, 0);
	vgic_inject(g, -1, 0, 40);
	flush(g, 0);
	clear_kicks();
	vgic_dist_write(g, 1, IROUTER + 8 * 40, 8, 1);
	assert_int_equal(kicks[0], 1); /* the holder must give it up */
	exit_entry(g, 0);
	expect_empty(0);
	assert_int_equal(kicks[1], 1);
	flush(g, 1);
	expect_lr(1, 0, (struct vgic_lr){.intid = 40, .pending = true, .group1 = true});

	/* an active one stays where it is until the guest is done with it */
	guest_ack(1, 40);
	route(g, 40, 0);
	exit_entry(g, 1);
	expect_lr(1, 0, (struct vgic_lr){.intid = 40, .active = true, .group1 = true});
	vgic_inject(g, -1, 0, 40);
	flush(g, 0);
	expect_empty(0); /* not while the other vCPU has it active */
	guest_eoi(1, 40);
	exit_entry(g, 1);
	flush(g, 0);
	expect_lr(0, 0, (struct vgic_lr){.intid = 40, .pending = true, .group1 = true});
}

static void sgi1r_targets(void **state)
{
	struct vgic *g = setup(3, 4);

	(void)state;
	vgic_sgi1r(g, 1, 1ull << 40 | 6ull << 24); /* IRM: all but self */
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(g->cpu[v].private[6].pending, v != 1);
	assert_int_equal(kicks[1], 0);
	assert_int_equal(kicks[0] + kicks[2] + kicks[3], 3);

	/* a target list bit beyond the vCPUs, Aff1/Aff2/Aff3 or RS elsewhere: ignored */
	vgic_sgi1r(g, 0, 7ull << 24 | 0xfff0);
	vgic_sgi1r(g, 0, 7ull << 24 | 1ull << 16 | 0xf);
	vgic_sgi1r(g, 0, 7ull << 24 | 1ull << 32 | 0xf);
	vgic_sgi1r(g, 0, 7ull << 24 | 1ull << 48 | 0xf);
	vgic_sgi1r(g, 0, 7ull << 24 | 1ull << 44 | 0xf);
	for (unsigned v = 0; v < 4; v++)
		assert_false(g->cpu[v].private[7].pending);
	/* a list including self */
	vgic_sgi1r(g, 0, 8ull << 24 | 0x5);
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(g->cpu[v].private[8].pending, v == 0 || v == 2);
	/* SGIs the target disabled wait */
	vgic_redist_write(g, 3, SGI + ICENABLER, 4, BIT(9));
	vgic_sgi1r(g, 0, 9ull << 24 | 0x8);
	flush(g, 3);
	assert_int_equal(lr_of(3, 9), -1);
	assert_int_equal(lr_of(3, 6), 0);
}

/* --- hardware-linked interrupts ------------------------------------------- */

static void vtimer_ppi_linked_to_hardware(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	vgic_link_ppi(g, 1, 27, 27);
	vgic_redist_write(g, 1, SGI + IPRIORITYR + 27, 1, 0xa0);
	vgic_redist_write(g, 1, SGI + ISENABLER, 4, BIT(27));
	assert_int_equal(vgic_redist_read(g, 1, SGI + ICFGR + 4, 4), 0); /* level */
	clear_kicks();
	vgic_inject(g, 1, 1, 27); /* the physical timer fired on vCPU 1's CPU */
	assert_int_equal(total_kicks(), 0);
	flush(g, 1);
	expect_lr(1, 0,
		  (struct vgic_lr){.intid = 27,
				   .pending = true,
				   .hw = true,
				   .pintid = 27,
				   .priority = 0xa0,
				   .group1 = true});
	guest_handle(1, 27);
	exit_entry(g, 1);
	expect_empty(1);
	assert_int_equal(vgic_redist_read(g, 1, SGI + ISPENDR, 4), 0);
	assert_int_equal(deactivations, 0); /* the guest's EOI did it */

	/* pending again while active: never both in a HW LR, it waits for the EOI */
	vgic_inject(g, 1, 1, 27);
	flush(g, 1);
	guest_ack(1, 27);
	exit_entry(g, 1);
	vgic_redist_write(g, 1, SGI + ISPENDR, 4, BIT(27));
	exit_entry(g, 1);
	expect_lr(1, 0,
		  (struct vgic_lr){.intid = 27,
				   .active = true,
				   .hw = true,
				   .pintid = 27,
				   .priority = 0xa0,
				   .group1 = true});
	guest_eoi(1, 27);
	exit_entry(g, 1);
	expect_lr(1, 0,
		  (struct vgic_lr){.intid = 27,
				   .pending = true,
				   .hw = true,
				   .pintid = 27,
				   .priority = 0xa0,
				   .group1 = true});
	/* vCPU 0's PPI 27 is its own, and not linked */
	assert_false(g->cpu[0].private[27].hw);
}

/* The guest drops a hw interrupt EL2 left active: EL2 must deactivate it. */
static void hw_pending_dropped_by_guest_is_deactivated(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	assert_int_equal(vgic_own_spi(g, 48, true), 0);
	vgic_inject(g, -1, 0, 48); /* still disabled: held */
	vgic_dist_write(g, 0, ICPENDR + 4, 4, BIT(16));
	assert_int_equal(deactivations, 1);
	assert_int_equal(deactivated_intid, 48);

	vgic_dist_write(g, 0, ISENABLER + 4, 4, BIT(16));
	vgic_inject(g, -1, 0, 48);
	flush(g, 0);
	vgic_dist_write(g, 1, ICPENDR + 4, 4, BIT(16)); /* withdrawn before the guest took it */
	assert_int_equal(deactivations, 1);
	exit_entry(g, 0);
	expect_empty(0);
	assert_int_equal(deactivations, 2);
	assert_int_equal(deactivated_vcpu, 0);

	/* the vtimer, active, cleared by ICACTIVER (a kexec'd guest does this) */
	vgic_link_ppi(g, 1, 27, 27);
	vgic_redist_write(g, 1, SGI + ISENABLER, 4, BIT(27));
	vgic_inject(g, 1, 1, 27);
	flush(g, 1);
	guest_ack(1, 27);
	exit_entry(g, 1);
	vgic_redist_write(g, 1, SGI + ICACTIVER, 4, BIT(27));
	exit_entry(g, 1);
	expect_empty(1);
	assert_int_equal(deactivations, 3);
	assert_int_equal(deactivated_vcpu, 1);
	assert_int_equal(deactivated_intid, 27);
	assert_int_equal(vgic_redist_read(g, 1, SGI + ISACTIVER, 4), 0);
}

/* --- pending and active transitions ---------------------------------------- */

static void level_interrupt_follows_its_line(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 50, false, 0x40);
	vgic_set_level(g, 1, 50, true);
	assert_int_equal(kicks[0], 1);
	flush(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 50,
				   .pending = true,
				   .priority = 0x40,
				   .group1 = true,
				   .eoi = true});
	/* taken, and still asserted: active and pending */
	guest_ack(0, 50);
	exit_entry(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 50,
				   .pending = true,
				   .active = true,
				   .priority = 0x40,
				   .group1 = true,
				   .eoi = true});
	/* the guest quiets the device (an MMIO exit) and EOIs */
	sync(g, 0);
	vgic_set_level(g, 0, 50, false);
	flush(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 50, .active = true, .priority = 0x40, .group1 = true});
	guest_eoi(0, 50);
	exit_entry(g, 0);
	expect_empty(0);

	/* asserted then deasserted before the guest took it: withdrawn */
	vgic_set_level(g, -1, 50, true);
	flush(g, 0);
	vgic_set_level(g, -1, 50, false);
	exit_entry(g, 0);
	expect_empty(0);
	assert_int_equal(rd32(g, ISPENDR + 4), 0);

	/* ICPENDR cannot clear a level that is still high */
	vgic_set_level(g, -1, 50, true);
	vgic_dist_write(g, 0, ICPENDR + 4, 4, BIT(18));
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(18));
}

/* Bug class: an edge arriving after the guest took the first is not lost. */
static void edge_arriving_while_active_is_active_and_pending(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 40, true, 0);
	vgic_inject(g, -1, 0, 40);
	flush(g, 0);
	guest_ack(0, 40);
	vgic_inject(g, 1, 0, 40); /* while vCPU 0 runs its handler */
	assert_int_equal(kicks[0], 2);
	exit_entry(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40, .pending = true, .active = true, .group1 = true});
	guest_eoi(0, 40); /* A+P -> P */
	guest_handle(0, 40);
	exit_entry(g, 0);
	expect_empty(0);
	assert_int_equal(rd32(g, ISPENDR + 4), 0);

	/* two edges before the guest takes one are one interrupt */
	vgic_inject(g, -1, 0, 40);
	flush(g, 0);
	vgic_inject(g, 1, 0, 40);
	exit_entry(g, 0);
	expect_lr(0, 0, (struct vgic_lr){.intid = 40, .pending = true, .group1 = true});
	guest_handle(0, 40);
	exit_entry(g, 0);
	expect_empty(0);
}

static void pending_and_active_set_clear_transitions(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 40, true, 0x30);
	/* ISPENDR then ICPENDR before any entry: nothing reaches the guest */
	vgic_dist_write(g, 1, ISPENDR + 4, 4, BIT(8));
	assert_int_equal(g->cpu[0].nqueued, 1);
	vgic_dist_write(g, 1, ICPENDR + 4, 4, BIT(8));
	assert_int_equal(g->cpu[0].nqueued, 0);
	flush(g, 0);
	expect_empty(0);

	/* ICPENDR of one already in an LR, not yet taken: withdrawn */
	vgic_dist_write(g, 1, ISPENDR + 4, 4, BIT(8));
	flush(g, 0);
	vgic_dist_write(g, 1, ICPENDR + 4, 4, BIT(8));
	assert_int_equal(rd32(g, ISPENDR + 4), 0);
	exit_entry(g, 0);
	expect_empty(0);

	/* ISACTIVER: an LR lets the guest deactivate it */
	vgic_dist_write(g, 1, ISACTIVER + 4, 4, BIT(8));
	flush(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40, .active = true, .priority = 0x30, .group1 = true});
	/* ICACTIVER of one in an LR: gone at the next exit */
	vgic_dist_write(g, 1, ICACTIVER + 4, 4, BIT(8));
	assert_int_equal(rd32(g, ISACTIVER + 4), 0);
	exit_entry(g, 0);
	expect_empty(0);

	/* ISACTIVER while it waits in an LR: active and pending */
	vgic_inject(g, -1, 0, 40);
	flush(g, 0);
	vgic_dist_write(g, 1, ISACTIVER + 4, 4, BIT(8));
	exit_entry(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40,
				   .pending = true,
				   .active = true,
				   .priority = 0x30,
				   .group1 = true});
	assert_int_equal(rd32(g, ISACTIVER + 4), BIT(8));
	assert_int_equal(rd32(g, ISPENDR + 4), BIT(8));

	/* a new priority reaches the LR */
	vgic_dist_write(g, 1, IPRIORITYR + 40, 1, 0x70);
	exit_entry(g, 0);
	expect_lr(0, 0,
		  (struct vgic_lr){.intid = 40,
				   .pending = true,
				   .active = true,
				   .priority = 0x70,
				   .group1 = true});
}

static void has_pending_for_wfi(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	spi(g, 40, true, 0);
	assert_false(vgic_has_pending(g, 0));
	vgic_inject(g, -1, 0, 40);
	assert_true(vgic_has_pending(g, 0));
	assert_false(vgic_has_pending(g, 1));
	flush(g, 0);
	assert_true(vgic_has_pending(g, 0)); /* in an LR, not taken */
	guest_ack(0, 40);
	sync(g, 0);
	assert_false(vgic_has_pending(g, 0)); /* active only */
	vgic_inject(g, -1, 0, 40);
	assert_true(vgic_has_pending(g, 0));
	assert_false(vgic_has_pending(g, MAX_CPUS));
}

/* With nothing new, an exit costs one read per LR in use and no writes. */
static void quiet_exit_costs_only_lr_reads(void **state)
{
	struct vgic *g = setup(3, 1);

	(void)state;
	nr_lr = 16;
	for (unsigned i = 0; i < 3; i++) {
		spi(g, 40 + i, true, 0);
		vgic_inject(g, 0, 0, 40 + i);
	}
	flush(g, 0);
	assert_int_equal(lr_writes, 3);
	guest_ack(0, 41);
	lr_reads = lr_writes = 0;
	exit_entry(g, 0);
	assert_int_equal(lr_reads, 3);
	assert_int_equal(lr_writes, 0);
	exit_entry(g, 0);
	assert_int_equal(lr_reads, 6);
	assert_int_equal(lr_writes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spi_goes_through_an_lr),
		cmocka_unit_test(kick_spares_the_caller),
		cmocka_unit_test(group_enables_gate_delivery),
		cmocka_unit_test(v2_group_enables_gate_delivery),
		cmocka_unit_test(pending_while_disabled_is_delivered_once_enabled),
		cmocka_unit_test(disable_while_active_is_not_orphaned),
		cmocka_unit_test(disable_while_active_keeps_hw_link),
		cmocka_unit_test(lr_overflow_delivers_all_in_priority_order),
		cmocka_unit_test(better_interrupt_evicts_unacknowledged_worse),
		cmocka_unit_test(v2_sgi_sources_delivered_separately),
		cmocka_unit_test(v2_sgir_target_filters),
		cmocka_unit_test(routing_reaches_every_vcpu_index),
		cmocka_unit_test(irouter_irm_and_missing_targets),
		cmocka_unit_test(v2_targets_pick_lowest_existing_vcpu),
		cmocka_unit_test(rerouted_pending_spi_moves),
		cmocka_unit_test(sgi1r_targets),
		cmocka_unit_test(vtimer_ppi_linked_to_hardware),
		cmocka_unit_test(hw_pending_dropped_by_guest_is_deactivated),
		cmocka_unit_test(level_interrupt_follows_its_line),
		cmocka_unit_test(edge_arriving_while_active_is_active_and_pending),
		cmocka_unit_test(pending_and_active_set_clear_transitions),
		cmocka_unit_test(has_pending_for_wfi),
		cmocka_unit_test(quiet_exit_costs_only_lr_reads),
	};

	return cmocka_run_group_tests_name("vgic_lr", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * The vGIC (vgic/): a GICv2 or GICv3 model with 1..8 vCPUs owning some
 * SPIs, driven by a sequence of operations read from the input: GICD and
 * GICR register accesses at any offset and size, ICC_SGI1R_EL1 writes,
 * interrupts from devices (with a physical "active" state for hw-linked
 * ones), vCPU entries (vgic_flush_lrs) and exits (vgic_sync_lrs), and a
 * guest that acknowledges and deactivates what its list registers hold.
 *
 * After every operation the invariants that vgic/vgic.h and
 * vgic/vgic_internal.h state are checked (CHECK traps), among them:
 *  - an interrupt is in at most one LR, and irq->lr says which;
 *  - lr_used is exactly the set of LRs holding a model interrupt: every
 *    other LR is invalid;
 *  - a queue has no duplicates and holds exactly the interrupts that are
 *    in no LR and are active, or pending and deliverable, in their
 *    target's queue;
 *  - interrupts the VM does not own keep their reset state;
 *  - a vCPU in its guest is kicked whenever something new waits for it;
 *  - a physically active hw-linked interrupt is never forgotten by the
 *    model (else no EOI would ever deactivate it: hw_deactivate must run);
 *  - after a flush no queued interrupt beats an LR the guest has not taken.
 *
 * Input: a setup header (see setup()), then operations (see do_op()).
 */
#include <stdint.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "vgic/vgic_internal.h"

#define IRQS_WORDS (VGIC_NR_IRQS / 64)

static struct vgic g;
static unsigned nvcpus, nlr, eff_lr, cur;
static uint32_t owned[8]; /* the SPIs the VM owns: targeted accesses pick these */
static unsigned nowned;
static bool in_guest[MAX_CPUS];
static struct vgic_lr lrs[MAX_CPUS][VGIC_MAX_LRS];
static bool underflow[MAX_CPUS];
static unsigned kicks[MAX_CPUS];
static bool phys_spi[VGIC_NR_IRQS];		    /* physically active, left so by EL2 */
static bool phys_ppi[MAX_CPUS][VGIC_NR_PRIVATE]; /* banked per vCPU's CPU */
static uint32_t junk;

static uint32_t next_junk(void)
{
	junk ^= junk << 13;
	junk ^= junk >> 17;
	junk ^= junk << 5;
	return junk;
}

static struct vgic_irq *irq_of(unsigned bank, uint32_t intid)
{
	if (intid >= VGIC_NR_IRQS)
		return NULL;
	return intid < VGIC_NR_PRIVATE ? &g.cpu[bank].private[intid]
				       : &g.spis[intid - VGIC_NR_PRIVATE];
}

static bool *phys_of(unsigned bank, uint32_t hwintid)
{
	if (hwintid < VGIC_NR_PRIVATE)
		return &phys_ppi[bank][hwintid];
	return hwintid < VGIC_NR_IRQS ? &phys_spi[hwintid] : NULL;
}

/* --- the arch's side ------------------------------------------------------ */

static void kick(struct vgic *gg, unsigned vcpu)
{
	CHECK(gg == &g);
	CHECK(vcpu < nvcpus);
	kicks[vcpu]++;
	TRACE("  kick(vcpu %u)\n", vcpu);
}

static void hw_enable(struct vgic *gg, uint32_t hwintid, bool enable)
{
	struct vgic_irq *irq = irq_of(0, hwintid);

	(void)enable;
	CHECK(gg == &g);
	CHECK(hwintid >= VGIC_NR_PRIVATE && irq && irq->owned && irq->hw);
}

static void hw_deactivate(struct vgic *gg, unsigned vcpu, uint32_t hwintid)
{
	bool *p;

	CHECK(gg == &g);
	CHECK(vcpu < nvcpus);
	p = phys_of(vcpu, hwintid);
	CHECK(p != NULL);
	*p = false;
	TRACE("  hw_deactivate(vcpu %u, %u)\n", vcpu, hwintid);
}

static const struct vgic_ops ops = {
	.kick = kick,
	.hw_enable = hw_enable,
	.hw_deactivate = hw_deactivate,
};

/* --- list registers: one file per vCPU, `cur` is the CPU's own ------------ */

static unsigned lr_nr(void)
{
	return nlr;
}

/* Only pending and active count: the rest of what is returned is noise. */
static void lr_read(unsigned i, struct vgic_lr *lr)
{
	CHECK(i < eff_lr);
	CHECK(g.cpu[cur].lr_used & (1u << i));
	*lr = (struct vgic_lr){
		.intid = next_junk() % 1024,
		.pending = lrs[cur][i].pending,
		.active = lrs[cur][i].active,
		.hw = next_junk() & 1,
		.pintid = next_junk(),
		.priority = (uint8_t)next_junk(),
		.group1 = next_junk() & 1,
		.source = (uint8_t)next_junk(),
		.eoi = next_junk() & 1,
	};
}

static void lr_write(unsigned i, const struct vgic_lr *lr)
{
	CHECK(i < eff_lr);
	CHECK(!in_guest[cur]);
	if (!lr) {
		lrs[cur][i] = (struct vgic_lr){0};
		TRACE("  LR%u of vcpu %u cleared\n", i, cur);
		return;
	}
	CHECK(lr->pending || lr->active); /* an empty LR is written as NULL */
	CHECK(lr->intid < VGIC_NR_IRQS);
	CHECK(g.cpu[cur].lr_used & (1u << i));
	CHECK(lr->intid == g.cpu[cur].slot[i].intid);
	CHECK(!(lr->hw && lr->eoi));		   /* vgic.h: eoi never with hw */
	CHECK(!(lr->hw && lr->pending && lr->active)); /* the physical one holds that */
	CHECK(!(lr->priority & ~VGIC_PRIO_MASK));
	if (lr->hw) {
		struct vgic_irq *irq = irq_of(cur, lr->intid);

		CHECK(irq->hw && lr->pintid == irq->hwintid);
	}
	if (g.version == 2 && lr->intid < VGIC_NR_SGIS)
		CHECK(lr->source < nvcpus);
	else
		CHECK(lr->source == 0);
	lrs[cur][i] = *lr;
	TRACE("  LR%u of vcpu %u = intid %u%s%s%s%s prio 0x%x\n", i, cur, lr->intid,
	      lr->pending ? " P" : "", lr->active ? " A" : "", lr->hw ? " hw" : "",
	      lr->eoi ? " eoi" : "", lr->priority);
}

static void lr_underflow(bool on)
{
	underflow[cur] = on;
}

static const struct vgic_lr_ops lr_ops = {lr_nr, lr_read, lr_write, lr_underflow};

/* --- the model as the specification describes it -------------------------- */

static bool pending_model(const struct vgic_irq *irq)
{
	if (g.version == 2 && irq->intid < VGIC_NR_SGIS)
		return irq->sgi_src != 0;
	return irq->pending || (!irq->edge && irq->level);
}

static bool deliverable(const struct vgic_irq *irq)
{
	return irq->owned && irq->enabled && (irq->group1 ? g.grp1_enabled : g.grp0_enabled);
}

/* vCPU i has MPIDR Aff0 = i: IRM picks vCPU 0, ITARGETSR its lowest vCPU. */
static int target_of(unsigned bank, const struct vgic_irq *irq)
{
	unsigned mask;

	if (irq->intid < VGIC_NR_PRIVATE)
		return (int)bank;
	if (g.version == 3) {
		if (irq->route & VGIC_IROUTER_IRM)
			return 0;
		return (irq->route & VGIC_AFF_MASK) < nvcpus ? (int)(irq->route & VGIC_AFF_MASK)
							      : -1;
	}
	mask = irq->targets & ((1u << nvcpus) - 1);
	return mask ? __builtin_ctz(mask) : -1;
}

static bool better(const struct vgic_irq *a, const struct vgic_irq *b)
{
	return a->priority < b->priority || (a->priority == b->priority && a->intid < b->intid);
}

/* What a snapshot keeps to tell whether a vCPU got something new. */
struct seen {
	uint64_t queued[MAX_CPUS][IRQS_WORDS];
	uint16_t dirty[MAX_CPUS];
	unsigned kicks[MAX_CPUS];
};

static void snapshot(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned v = 0; v < nvcpus; v++) {
		const struct vgic_cpu *cpu = &g.cpu[v];

		for (unsigned k = 0; k < cpu->nqueued && k < VGIC_NR_IRQS; k++)
			if (cpu->queue[k] < VGIC_NR_IRQS)
				s->queued[v][cpu->queue[k] / 64] |= 1ull << (cpu->queue[k] % 64);
		for (unsigned i = 0; i < eff_lr; i++)
			if ((cpu->lr_used & (1u << i)) && (cpu->slot[i].state & VGIC_SLOT_DIRTY))
				s->dirty[v] |= (uint16_t)(1u << i);
		s->kicks[v] = kicks[v];
	}
}

/* A vCPU in its guest (other than the caller) that got something new was kicked. */
static void check_kicks(const struct seen *before, int self)
{
	struct seen after;

	snapshot(&after);
	for (unsigned v = 0; v < nvcpus; v++) {
		bool news = (after.dirty[v] & ~before->dirty[v]) != 0;

		for (unsigned w = 0; w < IRQS_WORDS; w++)
			news |= (after.queued[v][w] & ~before->queued[v][w]) != 0;
		if (in_guest[v] && (int)v != self && news)
			CHECK(after.kicks[v] > before->kicks[v]);
	}
}

/* refs: how many used LRs name this interrupt (for SPIs, of any vCPU). */
static void check_irq(unsigned bank, struct vgic_irq *irq, uint32_t intid, const uint64_t *queued,
		      unsigned refs)
{
	bool in_queue = (queued[intid / 64] >> (intid % 64)) & 1;

	CHECK(irq->intid == intid);
	CHECK(irq->lr >= -1 && irq->lr < (int)eff_lr);
	CHECK(!(irq->priority & ~VGIC_PRIO_MASK));
	CHECK(irq->queued == in_queue);
	/* In at most one LR, and irq->lr names it (check_all saw the slot). */
	CHECK(refs == (irq->lr >= 0));
	/* Not in an LR: queued exactly when active, or pending and deliverable. */
	if (irq->lr < 0) {
		bool wants = irq->active || (deliverable(irq) && pending_model(irq));

		CHECK(irq->queued == (wants && target_of(bank, irq) >= 0));
	}
	if (g.version == 2 && intid < VGIC_NR_SGIS)
		CHECK(!(irq->sgi_src >> nvcpus));
	else
		CHECK(irq->sgi_src == 0);
	CHECK(!(irq->targets >> nvcpus));
	/* SGIs are edge, PPIs level: both read-only. */
	if (intid < VGIC_NR_SGIS)
		CHECK(irq->edge);
	else if (intid < VGIC_NR_PRIVATE)
		CHECK(!irq->edge);
	/* Unowned SPIs read as zero and ignore writes: reset state for ever. */
	if (!irq->owned) {
		CHECK(intid >= VGIC_NR_PRIVATE);
		CHECK(!irq->enabled && !irq->pending && !irq->level && !irq->active);
		CHECK(!irq->edge && !irq->hw && irq->hwintid == 0 && irq->priority == 0);
		CHECK(irq->group1 == (g.version == 3));
		CHECK(irq->targets == 0 && irq->route == 0 && irq->lr == -1 && !irq->queued);
	}
	/* Physically active and linked: the model still holds it, so an EOI or
	 * hw_deactivate will come. */
	if (irq->hw) {
		bool *p = phys_of(bank, irq->hwintid);

		if (p && *p)
			CHECK(pending_model(irq) || irq->active || irq->lr >= 0);
	}
}

/*
 * An SPI the VM does not own, as vgic_init leaves it (vgic_init memsets the
 * whole vgic, so padding compares equal too): it must stay so.
 */
static struct vgic_irq unowned_spi;

static void check_all(void)
{
	uint64_t queued[MAX_CPUS][IRQS_WORDS];
	uint64_t spi_queued[IRQS_WORDS] = {0};
	uint8_t private_refs[MAX_CPUS][VGIC_NR_PRIVATE], spi_refs[VGIC_NR_IRQS];

	memset(queued, 0, sizeof(queued));
	memset(private_refs, 0, sizeof(private_refs));
	memset(spi_refs, 0, sizeof(spi_refs));
	for (unsigned v = 0; v < nvcpus; v++) {
		const struct vgic_cpu *cpu = &g.cpu[v];

		CHECK(!(cpu->lr_used >> eff_lr));
		CHECK(cpu->nqueued <= VGIC_NR_IRQS);
		for (unsigned i = 0; i < eff_lr; i++) {
			const struct vgic_lr *lr = &lrs[v][i];
			uint32_t intid = cpu->slot[i].intid;

			if (cpu->lr_used & (1u << i)) {
				struct vgic_irq *irq = irq_of(v, intid);

				CHECK(irq != NULL);
				CHECK(irq->lr == (int)i && !irq->queued);
				CHECK(lr->intid == intid);
				if (intid < VGIC_NR_PRIVATE)
					private_refs[v][intid]++;
				else
					spi_refs[intid]++;
			} else {
				CHECK(!lr->pending && !lr->active);
			}
		}
		/* A set: no duplicates, each in no LR, each SPI in one queue only. */
		for (unsigned k = 0; k < cpu->nqueued; k++) {
			uint32_t intid = cpu->queue[k];
			struct vgic_irq *irq = irq_of(v, intid);

			CHECK(irq != NULL);
			CHECK(!((queued[v][intid / 64] >> (intid % 64)) & 1));
			queued[v][intid / 64] |= 1ull << (intid % 64);
			CHECK(irq->queued && irq->lr == -1);
			CHECK(target_of(v, irq) == (int)v);
			if (intid >= VGIC_NR_PRIVATE) {
				CHECK(!((spi_queued[intid / 64] >> (intid % 64)) & 1));
				spi_queued[intid / 64] |= 1ull << (intid % 64);
			}
		}
	}
	for (unsigned v = 0; v < nvcpus; v++)
		for (uint32_t i = 0; i < VGIC_NR_PRIVATE; i++)
			check_irq(v, &g.cpu[v].private[i], i, queued[v], private_refs[v][i]);
	for (uint32_t i = VGIC_NR_PRIVATE; i < VGIC_NR_IRQS; i++) {
		const struct vgic_irq *irq = &g.spis[i - VGIC_NR_PRIVATE];

		/* The common case, quickly: unowned, and as vgic_init left it. */
		if (!irq->owned && irq->intid == i) {
			unowned_spi.intid = i;
			CHECK(!memcmp(irq, &unowned_spi, sizeof(*irq)));
			CHECK(!spi_refs[i] && !((spi_queued[i / 64] >> (i % 64)) & 1));
			continue;
		}
		check_irq(0, &g.spis[i - VGIC_NR_PRIVATE], i, spi_queued, spi_refs[i]);
	}
	/* vCPUs the VM does not have are never touched. */
	for (unsigned v = nvcpus; v < MAX_CPUS; v++) {
		const struct vgic_cpu *cpu = &g.cpu[v];

		CHECK(cpu->lr_used == 0 && cpu->nqueued == 0 && cpu->waker_asleep);
		CHECK(cpu->mpidr == v);
		for (uint32_t i = 0; i < VGIC_NR_PRIVATE; i++) {
			const struct vgic_irq *irq = &cpu->private[i];

			CHECK(!irq->pending && !irq->active && !irq->queued && irq->lr == -1);
			CHECK(irq->sgi_src == 0 && irq->priority == 0 && !irq->hw);
			CHECK(irq->enabled == (i < VGIC_NR_SGIS));
		}
	}
}

/* --- vCPU entries and exits, and the guest ------------------------------- */

static void check_slots_match(unsigned v, bool after_flush)
{
	const struct vgic_cpu *cpu = &g.cpu[v];

	for (unsigned i = 0; i < eff_lr; i++) {
		const struct vgic_lr_slot *s = &cpu->slot[i];
		const struct vgic_lr *lr = &lrs[v][i];

		if (!(cpu->lr_used & (1u << i)))
			continue;
		/* A sync frees what the guest finished; a flush writes only live LRs. */
		CHECK(lr->pending || lr->active);
		CHECK(lr->active == !!(s->state & VGIC_SLOT_A));
		if (after_flush)
			CHECK(!(s->state & VGIC_SLOT_DIRTY));
		if (!(s->state & VGIC_SLOT_DIRTY))
			CHECK(lr->pending == !!(s->state & VGIC_SLOT_P));
	}
}

static void vcpu_exit(unsigned v)
{
	if (v >= nvcpus || !in_guest[v])
		return;
	in_guest[v] = false;
	cur = v;
	TRACE("vcpu %u exits: vgic_sync_lrs\n", v);
	vgic_sync_lrs(&g, v, &lr_ops);
	check_slots_match(v, false);
}

static void vcpu_enter(unsigned v)
{
	const struct vgic_cpu *cpu = &g.cpu[v];

	vcpu_exit(v);
	cur = v;
	TRACE("vcpu %u enters: vgic_flush_lrs\n", v);
	vgic_flush_lrs(&g, v, &lr_ops);
	check_slots_match(v, true);
	CHECK(underflow[v] == (cpu->nqueued != 0));
	/* Queued ones left: every LR is in use, and none the guest has not
	 * taken yet is worse than one still waiting. */
	if (cpu->nqueued) {
		CHECK(cpu->lr_used == (1u << eff_lr) - 1);
		for (unsigned k = 0; k < cpu->nqueued; k++) {
			const struct vgic_irq *q = irq_of(v, cpu->queue[k]);

			for (unsigned i = 0; i < eff_lr; i++)
				if (cpu->slot[i].state == VGIC_SLOT_P)
					CHECK(!better(q, irq_of(v, cpu->slot[i].intid)));
		}
	}
	in_guest[v] = true;
}

/* The guest's CPU interface: acknowledge (P -> A) or deactivate (A -> I, A+P -> P). */
static void guest(unsigned v, uint8_t what)
{
	struct vgic_lr *lr = &lrs[v][(what >> 1) % eff_lr];

	if (!in_guest[v])
		return;
	TRACE("guest on vcpu %u: %s LR%u (intid %u%s%s%s)\n", v, what & 1 ? "EOI" : "ack",
	      (what >> 1) % eff_lr, lr->intid, lr->pending ? " P" : "", lr->active ? " A" : "",
	      lr->hw ? " hw" : "");
	if (!(what & 1)) {
		if (lr->pending && !lr->active) {
			lr->pending = false;
			lr->active = true;
		}
		return;
	}
	if (!lr->active)
		return;
	lr->active = false;
	if (lr->hw) {
		bool *p = phys_of(v, lr->pintid);

		CHECK(p != NULL);
		*p = false; /* the guest's EOI deactivates the physical interrupt */
	}
}

/* --- operations ----------------------------------------------------------- */

static unsigned rd_size(struct reader *in)
{
	return 1u << (rd_u8(in) & 3);
}

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/* The caller's vCPU, or -1; it has left its guest (the trap or IRQ is an exit). */
static int rd_self(struct reader *in)
{
	int self = (int)(rd_u8(in) % (nvcpus + 1)) - 1;

	if (self >= 0)
		vcpu_exit((unsigned)self);
	return self;
}

/* A device interrupt; a hw-linked one only while not active physically. */
static void device_irq(int self, unsigned vcpu, uint32_t intid)
{
	struct vgic_irq *irq = intid < VGIC_NR_PRIVATE && vcpu >= nvcpus ? NULL : irq_of(vcpu, intid);

	if (irq && irq->hw && irq->owned) {
		bool *p = phys_of(vcpu, irq->hwintid);

		if (!p || *p) {
			TRACE("(device irq %u for vcpu %u: still active physically)\n", intid, vcpu);
			return;
		}
		*p = true;
	}
	TRACE("vgic_inject(self %d, vcpu %u, %u)%s\n", self, vcpu, intid,
	      irq && irq->hw && irq->owned ? " (hw: physically active now)" : "");
	vgic_inject(&g, self, vcpu, intid);
}

/* The per-interrupt register groups: offset and bits per interrupt. */
static const struct {
	uint16_t off;
	uint8_t bits;
} groups[] = {
	{0x080, 1}, {0x100, 1}, {0x180, 1}, {0x200, 1}, {0x280, 1},
	{0x300, 1}, {0x380, 1}, {0x400, 8}, {0x800, 8}, {0xc00, 2},
};

/*
 * A 32-bit access to one interrupt's field in one register group, the way
 * a driver makes it (random offsets rarely hit an owned SPI's bit): SPIs
 * through the GICD, SGIs/PPIs through the GICD (v2) or vCPU v's
 * SGI_base frame (v3). Also IROUTER (v3) for SPIs, as group 10.
 */
static void field_access(struct reader *in, bool write, unsigned v)
{
	uint8_t gsel = rd_u8(in), isel = rd_u8(in), field = rd_u8(in);
	unsigned gi = gsel % 11, bits, shift, k = (isel & 0x7f) % (nowned + 1);
	uint32_t intid;
	uint64_t off, val;

	/* Bit 7: an SGI/PPI; else an owned SPI, or (the last index) one nobody owns. */
	intid = isel & 0x80 ? isel % VGIC_NR_PRIVATE
		: k < nowned ? owned[k]
			     : VGIC_NR_PRIVATE + gsel % VGIC_NR_SPIS;
	if (gi == 10) {
		if (intid < VGIC_NR_PRIVATE)
			intid = owned[0] ? owned[0] : 33;
		off = 0x6000 + 8ull * intid;
		val = (uint64_t)(field & 0x80) << 24 | (field & 7) | (uint64_t)(field & 0x40) << 26;
		if (write) {
			TRACE("IROUTER(%u) = 0x%llx from vcpu %u\n", intid, (unsigned long long)val, v);
			vgic_dist_write(&g, v, off, 8, val);
		} else {
			val = vgic_dist_read(&g, v, off, 8);
			TRACE("IROUTER(%u) read by vcpu %u: 0x%llx\n", intid, v, (unsigned long long)val);
		}
		return;
	}
	bits = groups[gi].bits;
	off = groups[gi].off + intid * bits / 32 * 4;
	shift = intid * bits % 32;
	val = (uint64_t)(field & ((1u << bits) - 1)) << shift;
	if (g.version == 3 && intid < VGIC_NR_PRIVATE) {
		off += 0x10000;
		if (write) {
			TRACE("GICR %u field write 0x%llx = 0x%llx (intid %u)\n", v,
			      (unsigned long long)off, (unsigned long long)val, intid);
			vgic_redist_write(&g, v, off, 4, val);
		} else {
			val = vgic_redist_read(&g, v, off, 4);
			TRACE("GICR %u field read 0x%llx (intid %u) = 0x%llx\n", v,
			      (unsigned long long)off, intid, (unsigned long long)val);
		}
		return;
	}
	if (write) {
		TRACE("GICD field write 0x%llx = 0x%llx (intid %u) from vcpu %u\n",
		      (unsigned long long)off, (unsigned long long)val, intid, v);
		vgic_dist_write(&g, v, off, 4, val);
	} else {
		val = vgic_dist_read(&g, v, off, 4);
		TRACE("GICD field read 0x%llx (intid %u) by vcpu %u = 0x%llx\n",
		      (unsigned long long)off, intid, v, (unsigned long long)val);
	}
}

static void do_op(struct reader *in)
{
	uint8_t op = rd_u8(in);
	struct seen before;
	int self = -1;
	unsigned v, size;
	uint64_t off, val;

	snapshot(&before);
	switch (op % 15) {
	case 0: /* GICD read from a vCPU (index nvcpus: out of range, ignored) */
		v = rd_u8(in) % (nvcpus + 1);
		vcpu_exit(v);
		self = (int)v;
		off = rd_u16(in);
		size = rd_size(in);
		val = vgic_dist_read(&g, v, off, size);
		TRACE("vgic_dist_read(vcpu %u, 0x%llx, %u) = 0x%llx\n", v, (unsigned long long)off,
		      size, (unsigned long long)val);
		CHECK(!(val & ~size_mask(size)));
		break;
	case 1:
		v = rd_u8(in) % (nvcpus + 1);
		vcpu_exit(v);
		self = (int)v;
		off = rd_u16(in);
		size = rd_size(in);
		val = rd_u64(in);
		TRACE("vgic_dist_write(vcpu %u, 0x%llx, %u, 0x%llx)\n", v, (unsigned long long)off,
		      size, (unsigned long long)val);
		vgic_dist_write(&g, v, off, size, val);
		break;
	case 2: /* GICR: any vCPU may access any redistributor */
		vcpu_exit(rd_u8(in) % nvcpus);
		v = rd_u8(in) % (nvcpus + 1);
		off = rd_u32(in) % VGIC_GICR_STRIDE;
		size = rd_size(in);
		val = vgic_redist_read(&g, v, off, size);
		TRACE("vgic_redist_read(rd %u, 0x%llx, %u) = 0x%llx\n", v, (unsigned long long)off,
		      size, (unsigned long long)val);
		CHECK(!(val & ~size_mask(size)));
		break;
	case 3:
		vcpu_exit(rd_u8(in) % nvcpus);
		v = rd_u8(in) % (nvcpus + 1);
		off = rd_u32(in) % VGIC_GICR_STRIDE;
		size = rd_size(in);
		val = rd_u64(in);
		TRACE("vgic_redist_write(rd %u, 0x%llx, %u, 0x%llx)\n", v, (unsigned long long)off,
		      size, (unsigned long long)val);
		vgic_redist_write(&g, v, off, size, val);
		break;
	case 4:
		v = rd_u8(in) % nvcpus;
		vcpu_exit(v);
		self = (int)v;
		val = rd_u64(in);
		TRACE("vgic_sgi1r(vcpu %u, 0x%llx)\n", v, (unsigned long long)val);
		vgic_sgi1r(&g, v, val);
		break;
	case 5: {
		unsigned vcpu;
		uint32_t intid;

		self = rd_self(in);
		vcpu = rd_u8(in) % (nvcpus + 1);
		intid = rd_u16(in) % 1024;
		device_irq(self, vcpu, intid);
		break;
	}
	case 6: {
		uint32_t intid;
		bool level;

		self = rd_self(in);
		intid = rd_u16(in) % 1024;
		level = rd_u8(in) & 1;
		TRACE("vgic_set_level(self %d, %u, %d)\n", self, intid, level);
		vgic_set_level(&g, self, intid, level);
		break;
	}
	case 7:
	case 8: /* an exit and the entry after it: the common case */
		v = rd_u8(in) % nvcpus;
		self = (int)v;
		vcpu_enter(v);
		break;
	case 9:
		v = rd_u8(in) % nvcpus;
		self = (int)v;
		vcpu_exit(v);
		break;
	case 12:
	case 13: /* a targeted field write (read), from a vCPU that trapped */
		v = rd_u8(in) % nvcpus;
		vcpu_exit(v);
		self = g.version == 2 || op % 15 == 13 ? (int)v : -1;
		field_access(in, op % 15 == 12, v);
		break;
	case 10:
	case 11:
	case 14: { /* the guest runs: up to 4 acknowledges or deactivations */
		uint8_t n = rd_u8(in);

		v = n % nvcpus;
		for (unsigned k = 0; k < 1 + (n >> 6); k++)
			guest(v, rd_u8(in));
		if (!in_guest[v] && (n & 0x20)) {
			/* a vCPU that was out waits in WFI: the arch asks first */
			bool pending = vgic_has_pending(&g, v);

			self = (int)v;
			TRACE("vgic_has_pending(vcpu %u) = %d\n", v, pending);
		}
		break;
	}
	}
	check_kicks(&before, self);
	check_all();
}

/*
 * Header: version and vCPUs (1 byte), LRs (1), SPIs to own (1 + 2 each:
 * INTID in bits 0-9, hw-linked in bit 15), PPI links (1), GICD_CTLR (1),
 * the seed of the LR read noise (4).
 */
static void setup(struct reader *in)
{
	uint8_t b = rd_u8(in), nspis, links;

	nvcpus = 1 + (b >> 1) % MAX_CPUS;
	nlr = 1 + rd_u8(in) % 20; /* more than VGIC_MAX_LRS: the model uses 16 */
	eff_lr = nlr < VGIC_MAX_LRS ? nlr : VGIC_MAX_LRS;
	cur = 0;
	memset(in_guest, 0, sizeof(in_guest));
	memset(lrs, 0, sizeof(lrs));
	memset(underflow, 0, sizeof(underflow));
	memset(kicks, 0, sizeof(kicks));
	memset(phys_spi, 0, sizeof(phys_spi));
	memset(phys_ppi, 0, sizeof(phys_ppi));
	TRACE("GICv%d, %u vCPUs, %u LRs\n", b & 1 ? 3 : 2, nvcpus, nlr);
	vgic_init(&g, b & 1 ? 3 : 2, nvcpus, &ops);
	CHECK(g.nr_vcpus == nvcpus);
	memset(&unowned_spi, 0, sizeof(unowned_spi));
	unowned_spi.lr = -1;
	unowned_spi.group1 = g.version == 3;

	nspis = rd_u8(in) % 9;
	nowned = 0;
	memset(owned, 0, sizeof(owned));
	for (unsigned i = 0; i < nspis; i++) {
		uint16_t w = rd_u16(in);
		uint32_t intid = w & 0x3ff;
		int ret = vgic_own_spi(&g, intid, w >> 15);

		if (ret == 0 && nowned < 8)
			owned[nowned++] = intid;

		TRACE("vgic_own_spi(%u, hw %d) = %d\n", intid, w >> 15, ret);
		CHECK(ret == (intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS ? 0 : -1));
	}
	links = rd_u8(in);
	if (links & 1)
		for (unsigned v = 0; v < nvcpus; v++)
			vgic_link_ppi(&g, v, 27, 27); /* the virtual timer, as vm_build does */
	TRACE("PPI links 0x%x\n", links);
	if (links & 2)
		vgic_link_ppi(&g, (links >> 2) % (nvcpus + 1), 16 + (links >> 4), 16 + (links >> 4));
	vgic_dist_write(&g, 0, 0, 4, rd_u8(in) & 3); /* GICD_CTLR group enables */
	junk = rd_u32(in) | 1;
	check_all();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader in = {data, size};

	setup(&in);
	for (unsigned steps = 0; !rd_empty(&in) && steps < 512; steps++)
		do_op(&in);
	return 0;
}

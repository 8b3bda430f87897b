/* SPDX-License-Identifier: MIT */
/*
 * List registers. The arch calls vgic_sync_lrs after every exit of a vCPU
 * (before handling it) and vgic_flush_lrs before every entry, both on the
 * CPU that runs it. Between the two the guest is stopped, so after a sync
 * the model knows exactly what each LR it filled holds.
 *
 * Sync folds the guest's progress (pending -> active -> inactive) back and
 * frees the LRs the guest is done with. Flush rewrites the LRs the model
 * changed meanwhile (slot dirty), then fills free LRs with the best queued
 * interrupts, evicting a not yet acknowledged worse one when all are used.
 * Both cost O(LRs in use) when nothing changed.
 */
#include <stddef.h>
#include <stdint.h>

#include "vgic/vgic_internal.h"

static unsigned nr_lrs(const struct vgic_lr_ops *ops)
{
	unsigned n = ops->nr_lrs();

	return n < VGIC_MAX_LRS ? n : VGIC_MAX_LRS;
}

static struct vgic_irq *slot_irq(struct vgic *g, unsigned v, unsigned i)
{
	return vgic_irq_get(g, (int)v, g->cpu[v].slot[i].intid);
}

/* dropped: the LR still held state the guest will now never complete. */
static void release(struct vgic_ctx *c, unsigned v, const struct vgic_lr_ops *ops, unsigned i,
		    struct vgic_irq *irq, bool dropped)
{
	struct vgic_cpu *cpu = &c->g->cpu[v];

	ops->write(i, NULL); /* also retires an EOI maintenance request */
	cpu->lr_used &= (uint16_t) ~(1u << i);
	cpu->slot[i].state = 0;
	irq->lr = -1;
	if (dropped)
		vgic_hw_drop(c, irq, v);
	vgic_update(c, irq);
}

/* The LR's pending goes back to the model (it will be delivered later). */
static void give_back(struct vgic *g, struct vgic_irq *irq, struct vgic_lr_slot *s)
{
	if (!(s->state & VGIC_SLOT_P))
		return;
	s->state &= ~VGIC_SLOT_P;
	if (vgic_is_v2_sgi(g, irq)) {
		irq->sgi_src |= (uint16_t)(1u << s->source);
		irq->pending = true;
	} else if (irq->edge || irq->hw) {
		irq->pending = true; /* handed over to the LR: take it back */
	}
}

/* GICv2 SGI: one source per LR; an active LR keeps its source. */
static bool take_sgi(struct vgic_irq *irq, struct vgic_lr_slot *s)
{
	unsigned bit;

	if (!(s->state & VGIC_SLOT_P) && !irq->active) {
		if (!irq->sgi_src)
			return false;
		s->source = (uint8_t)__builtin_ctz(irq->sgi_src);
	}
	bit = 1u << s->source;
	if (!(irq->sgi_src & bit))
		return s->state & VGIC_SLOT_P;
	irq->sgi_src &= (uint16_t)~bit;
	irq->pending = irq->sgi_src != 0;
	return true;
}

/*
 * Does the LR carry a pending state? Edge and SGI pendings are handed over
 * (taken out of the model); a level one stays in the model until the guest
 * acknowledges it. A hw LR is never active and pending: the physical
 * interrupt holds that state.
 */
static bool take_pending(struct vgic *g, unsigned v, struct vgic_irq *irq, struct vgic_lr_slot *s)
{
	bool deliver = vgic_deliverable(g, irq) && vgic_target(g, irq) == (int)v;

	if (!deliver || (irq->hw && irq->active)) {
		give_back(g, irq, s);
		return false;
	}
	if (vgic_is_v2_sgi(g, irq))
		return take_sgi(irq, s);
	/*
	 * A hardware-linked interrupt's latch is one physical activation, like an
	 * edge: the LR consumes it, and a re-fire latched while the LR is still
	 * valid is kept for after the guest's EOI (found by tests/fuzz: it was
	 * cleared at sync and the device's interrupt stopped for good).
	 */
	if (!irq->edge && !irq->hw)
		return irq->pending || irq->level;
	if (irq->pending) {
		irq->pending = false; /* coalesces with one already in the LR */
		return true;
	}
	return s->state & VGIC_SLOT_P;
}

/* (Re)write LR i from the model, or free it if nothing is left to show. */
static void lr_write(struct vgic_ctx *c, unsigned v, const struct vgic_lr_ops *ops, unsigned i,
		     struct vgic_irq *irq)
{
	struct vgic_lr_slot *s = &c->g->cpu[v].slot[i];
	bool p = take_pending(c->g, v, irq, s);
	struct vgic_lr lr;

	if (!p && !irq->active) {
		release(c, v, ops, i, irq, true);
		return;
	}
	lr = (struct vgic_lr){
		.intid = irq->intid,
		.pending = p,
		.active = irq->active,
		.hw = irq->hw,
		.pintid = irq->hw ? irq->hwintid : 0,
		.priority = irq->priority,
		.group1 = irq->group1,
		.source = vgic_is_v2_sgi(c->g, irq) ? s->source : 0,
		/*
		 * Exit when the guest is done with it if more is waiting (a GICv2
		 * SGI's next source) or a level line must be sampled again.
		 */
		.eoi = !irq->hw && (irq->edge ? vgic_pending_model(c->g, irq) : irq->level),
	};
	ops->write(i, &lr);
	s->state = (p ? VGIC_SLOT_P : 0) | (irq->active ? VGIC_SLOT_A : 0);
}

static void place(struct vgic_ctx *c, unsigned v, const struct vgic_lr_ops *ops, unsigned i,
		  struct vgic_irq *irq)
{
	struct vgic_cpu *cpu = &c->g->cpu[v];

	vgic_dequeue(c->g, v, irq);
	cpu->lr_used |= (uint16_t)(1u << i);
	cpu->slot[i] = (struct vgic_lr_slot){.intid = (uint16_t)irq->intid};
	irq->lr = (int8_t)i;
	lr_write(c, v, ops, i, irq);
}

/* Lower value wins; lower INTID breaks ties. */
static bool better(const struct vgic_irq *a, const struct vgic_irq *b)
{
	return a->priority < b->priority || (a->priority == b->priority && a->intid < b->intid);
}

static struct vgic_irq *queue_best(struct vgic *g, unsigned v)
{
	struct vgic_cpu *cpu = &g->cpu[v];
	struct vgic_irq *best = NULL;

	for (unsigned i = 0; i < cpu->nqueued; i++) {
		struct vgic_irq *irq = vgic_irq_get(g, (int)v, cpu->queue[i]);

		if (!best || better(irq, best))
			best = irq;
	}
	return best;
}

static int free_lr(const struct vgic_cpu *cpu, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!(cpu->lr_used & (1u << i)))
			return (int)i;
	return -1;
}

/* Make room for `in`: push back the worst LR the guest has not taken yet. */
static int evict(struct vgic_ctx *c, unsigned v, const struct vgic_lr_ops *ops,
		 const struct vgic_irq *in)
{
	struct vgic_cpu *cpu = &c->g->cpu[v];
	struct vgic_irq *worst = NULL;
	int wi = -1;

	for (unsigned used = cpu->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);
		struct vgic_irq *irq = slot_irq(c->g, v, i);

		if (cpu->slot[i].state != VGIC_SLOT_P || !better(in, irq))
			continue;
		if (!worst || better(worst, irq)) {
			worst = irq;
			wi = (int)i;
		}
	}
	if (wi >= 0) {
		give_back(c->g, worst, &cpu->slot[wi]);
		release(c, v, ops, (unsigned)wi, worst, false);
	}
	return wi;
}

/*
 * Each round places the best queued interrupt; one placed is never evicted
 * in the same flush (everything left is no better), so at most n rounds
 * fill free LRs and n more evict: 2n bounds the loop.
 */
static void fill(struct vgic_ctx *c, unsigned v, const struct vgic_lr_ops *ops, unsigned n)
{
	struct vgic_cpu *cpu = &c->g->cpu[v];

	for (unsigned round = 0; cpu->nqueued && round < 2 * n; round++) {
		struct vgic_irq *best = queue_best(c->g, v);
		int i = free_lr(cpu, n);

		if (i < 0)
			i = evict(c, v, ops, best);
		if (i < 0)
			break;
		place(c, v, ops, (unsigned)i, best);
	}
}

void vgic_flush_lrs(struct vgic *g, unsigned vcpu, const struct vgic_lr_ops *lr)
{
	struct vgic_cpu *cpu;
	struct vgic_ctx c;

	if (vcpu >= g->nr_vcpus)
		return;
	cpu = &g->cpu[vcpu];
	vgic_ctx_begin(&c, g, (int)vcpu);
	for (unsigned used = cpu->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);

		if (cpu->slot[i].state & VGIC_SLOT_DIRTY)
			lr_write(&c, vcpu, lr, i, slot_irq(g, vcpu, i));
	}
	fill(&c, vcpu, lr, nr_lrs(lr));
	/* Queued ones left means every LR is in use: ask to hear when they drain. */
	lr->set_underflow_irq(cpu->nqueued != 0);
	vgic_ctx_end(&c);
}

/*
 * The guest can only take a pending (acknowledge it). One the model
 * withdrew meanwhile (ICPENDR) has VGIC_SLOT_P clear and the slot dirty.
 */
static void fold_pending(struct vgic_irq *irq, struct vgic_lr_slot *s, bool lr_pending)
{
	if ((s->state & VGIC_SLOT_P) && !lr_pending) {
		s->state &= ~VGIC_SLOT_P;
		if (!irq->edge && !irq->hw)
			irq->pending = false; /* acknowledging consumes an ISPENDR latch */
	}
}

/* Unless ISACTIVER/ICACTIVER changed it meanwhile, the LR has the truth. */
static void fold_active(struct vgic_irq *irq, struct vgic_lr_slot *s, bool lr_active)
{
	if (irq->active == (bool)(s->state & VGIC_SLOT_A))
		irq->active = lr_active;
	else
		s->state |= VGIC_SLOT_DIRTY;
	s->state = (uint8_t)((s->state & ~VGIC_SLOT_A) | (lr_active ? VGIC_SLOT_A : 0));
}

static void sync_one(struct vgic_ctx *c, unsigned v, const struct vgic_lr_ops *ops, unsigned i)
{
	struct vgic_lr_slot *s = &c->g->cpu[v].slot[i];
	struct vgic_irq *irq = slot_irq(c->g, v, i);
	struct vgic_lr lr;

	ops->read(i, &lr);
	fold_pending(irq, s, lr.pending);
	fold_active(irq, s, lr.active);
	if (!lr.pending && !lr.active)
		release(c, v, ops, i, irq, false); /* done: the guest deactivated it */
	else if (!lr.pending && vgic_pending_model(c->g, irq))
		s->state |= VGIC_SLOT_DIRTY; /* active, pending again: show both */
}

void vgic_sync_lrs(struct vgic *g, unsigned vcpu, const struct vgic_lr_ops *lr)
{
	struct vgic_ctx c;

	/*
	 * Nothing in this vCPU's LRs: nothing to fold, so skip the VM-wide lock
	 * on the exit path. lr_used is only changed by this vCPU's own CPU.
	 */
	if (vcpu >= g->nr_vcpus || !g->cpu[vcpu].lr_used)
		return;
	vgic_ctx_begin(&c, g, (int)vcpu);
	for (unsigned used = g->cpu[vcpu].lr_used; used; used &= used - 1)
		sync_one(&c, vcpu, lr, (unsigned)__builtin_ctz(used));
	vgic_ctx_end(&c);
}

static bool lr_pending(struct vgic *g, unsigned v)
{
	const struct vgic_cpu *cpu = &g->cpu[v];

	for (unsigned used = cpu->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);
		struct vgic_irq *irq = slot_irq(g, v, i);

		if ((cpu->slot[i].state & VGIC_SLOT_P) ||
		    (vgic_deliverable(g, irq) && vgic_pending_model(g, irq)))
			return true;
	}
	return false;
}

/* After a sync: anything in an LR or the queue the vCPU could take. */
bool vgic_has_pending(struct vgic *g, unsigned vcpu)
{
	bool found = false;

	if (vcpu >= g->nr_vcpus)
		return false;
	spin_lock(&g->lock);
	for (unsigned i = 0; i < g->cpu[vcpu].nqueued && !found; i++) {
		struct vgic_irq *irq = vgic_irq_get(g, (int)vcpu, g->cpu[vcpu].queue[i]);

		found = vgic_deliverable(g, irq) && vgic_pending_model(g, irq);
	}
	found = found || lr_pending(g, vcpu);
	spin_unlock(&g->lock);
	return found;
}

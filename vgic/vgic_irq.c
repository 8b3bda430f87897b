/* SPDX-License-Identifier: MIT */
/*
 * Per-interrupt state: what is pending, which vCPU takes it, and keeping
 * each interrupt in exactly one place (its target's queue, one LR, or
 * nowhere). The invariants are spelled out in vgic_internal.h.
 */
#include <stddef.h>
#include <stdint.h>

#include "vgic/vgic_internal.h"

struct vgic_irq *vgic_irq_get(struct vgic *g, int bank, uint32_t intid)
{
	if (intid >= VGIC_NR_IRQS)
		return NULL;
	if (intid >= VGIC_NR_PRIVATE)
		return &g->spis[intid - VGIC_NR_PRIVATE];
	if (bank < 0 || (unsigned)bank >= g->nr_vcpus)
		return NULL;
	return &g->cpu[bank].private[intid];
}

unsigned vgic_irq_owner(const struct vgic *g, const struct vgic_irq *irq)
{
	return (unsigned)(((uintptr_t)irq - (uintptr_t)g->cpu) / sizeof(g->cpu[0]));
}

bool vgic_is_v2_sgi(const struct vgic *g, const struct vgic_irq *irq)
{
	return g->version == 2 && irq->intid < VGIC_NR_SGIS;
}

bool vgic_pending_model(const struct vgic *g, const struct vgic_irq *irq)
{
	if (vgic_is_v2_sgi(g, irq))
		return irq->sgi_src != 0;
	return irq->pending || (!irq->edge && irq->level);
}

bool vgic_pending_seen(struct vgic *g, const struct vgic_irq *irq)
{
	if (vgic_pending_model(g, irq))
		return true;
	return irq->lr >= 0 && (vgic_slot(g, irq)->state & VGIC_SLOT_P);
}

bool vgic_deliverable(const struct vgic *g, const struct vgic_irq *irq)
{
	bool group_on = irq->group1 ? g->grp1_enabled : g->grp0_enabled;

	return irq->owned && irq->enabled && group_on;
}

/*
 * GICv3: IRM = 1 means "any vCPU"; we take the lowest-numbered one, vCPU 0,
 * which always exists. Otherwise the vCPU whose affinity matches exactly.
 */
static int route_target(const struct vgic *g, uint64_t route)
{
	if (route & VGIC_IROUTER_IRM)
		return 0;
	for (unsigned v = 0; v < g->nr_vcpus; v++)
		if ((g->cpu[v].mpidr & VGIC_AFF_MASK) == (route & VGIC_AFF_MASK))
			return (int)v;
	return -1;
}

int vgic_target(const struct vgic *g, const struct vgic_irq *irq)
{
	unsigned mask;

	if (irq->intid < VGIC_NR_PRIVATE)
		return (int)vgic_irq_owner(g, irq);
	if (g->version == 3)
		return route_target(g, irq->route);
	/* GICv2 1-of-N: the lowest vCPU of the ITARGETSR mask */
	mask = irq->targets & ((1u << g->nr_vcpus) - 1);
	return mask ? __builtin_ctz(mask) : -1;
}

unsigned vgic_holder(const struct vgic *g, const struct vgic_irq *irq)
{
	if (irq->intid < VGIC_NR_PRIVATE)
		return vgic_irq_owner(g, irq);
	/* An SPI sits in at most one LR of one vCPU: find whose. */
	for (unsigned v = 0; v < g->nr_vcpus; v++)
		if ((g->cpu[v].lr_used & (1u << irq->lr)) &&
		    g->cpu[v].slot[irq->lr].intid == irq->intid)
			return v;
	return 0;
}

struct vgic_lr_slot *vgic_slot(struct vgic *g, const struct vgic_irq *irq)
{
	return &g->cpu[vgic_holder(g, irq)].slot[irq->lr];
}

void vgic_kick(struct vgic_ctx *c, unsigned vcpu)
{
	c->kicks |= 1u << vcpu;
}

static void enqueue(struct vgic *g, unsigned vcpu, struct vgic_irq *irq)
{
	struct vgic_cpu *cpu = &g->cpu[vcpu];

	cpu->queue[cpu->nqueued++] = irq->intid;
	irq->queued = true;
}

/* The queue is a set (vgic_flush_lrs picks by priority): swap-remove. */
void vgic_dequeue(struct vgic *g, unsigned vcpu, struct vgic_irq *irq)
{
	struct vgic_cpu *cpu = &g->cpu[vcpu];

	for (unsigned i = 0; i < cpu->nqueued; i++) {
		if (cpu->queue[i] == irq->intid) {
			cpu->queue[i] = cpu->queue[--cpu->nqueued];
			break;
		}
	}
	irq->queued = false;
}

/* Active ones too: only an LR lets the guest deactivate them. */
static bool wants_queue(const struct vgic *g, const struct vgic_irq *irq)
{
	return irq->active || (vgic_deliverable(g, irq) && vgic_pending_model(g, irq));
}

void vgic_update(struct vgic_ctx *c, struct vgic_irq *irq)
{
	struct vgic *g = c->g;
	int t;

	if (irq->lr >= 0) {
		unsigned h = vgic_holder(g, irq);

		g->cpu[h].slot[irq->lr].state |= VGIC_SLOT_DIRTY;
		vgic_kick(c, h);
		return;
	}
	t = wants_queue(g, irq) ? vgic_target(g, irq) : -1;
	if (irq->queued && t < 0) {
		/* queued implies it sits in its current target's queue */
		vgic_dequeue(g, (unsigned)vgic_target(g, irq), irq);
	} else if (!irq->queued && t >= 0) {
		enqueue(g, (unsigned)t, irq);
		vgic_kick(c, (unsigned)t);
	}
}

void vgic_retarget_begin(struct vgic_ctx *c, struct vgic_irq *irq)
{
	if (irq->queued)
		vgic_dequeue(c->g, (unsigned)vgic_target(c->g, irq), irq);
}

void vgic_set_pending(struct vgic_ctx *c, struct vgic_irq *irq, unsigned src)
{
	if (vgic_is_v2_sgi(c->g, irq))
		irq->sgi_src |= (uint16_t)(1u << src);
	irq->pending = true;
	vgic_update(c, irq);
}

void vgic_clear_pending(struct vgic_ctx *c, struct vgic_irq *irq)
{
	irq->pending = false;
	/* Edge and hardware-linked latches live in the LR once handed over. */
	if (irq->lr >= 0 && (irq->edge || irq->hw))
		vgic_slot(c->g, irq)->state &= ~VGIC_SLOT_P; /* withdraw the handed-over one */
	else if (irq->lr < 0)
		vgic_hw_drop(c, irq, irq->intid < VGIC_NR_PRIVATE ? vgic_irq_owner(c->g, irq) : 0);
	vgic_update(c, irq);
}

void vgic_clear_sgi_sources(struct vgic_ctx *c, struct vgic_irq *irq, uint16_t srcs)
{
	irq->sgi_src &= (uint16_t)~srcs;
	irq->pending = irq->sgi_src != 0;
	if (irq->lr >= 0) {
		struct vgic_lr_slot *s = vgic_slot(c->g, irq);

		if (srcs & (1u << s->source))
			s->state &= ~VGIC_SLOT_P;
	}
	vgic_update(c, irq);
}

void vgic_set_active(struct vgic_ctx *c, struct vgic_irq *irq, bool active)
{
	if (irq->active == active)
		return;
	irq->active = active;
	/*
	 * ICACTIVER on a hardware-linked interrupt outside any LR: no guest EOI
	 * will deactivate the physical one now (found by tests/fuzz: the
	 * device's interrupt was dead for the VM from then on).
	 */
	if (!active && irq->lr < 0)
		vgic_hw_drop(c, irq, irq->intid < VGIC_NR_PRIVATE ? vgic_irq_owner(c->g, irq) : 0);
	vgic_update(c, irq);
}

void vgic_hw_mirror(struct vgic_ctx *c, struct vgic_irq *irq)
{
	const struct vgic_ops *ops = c->g->ops;

	if (irq->hw && irq->intid >= VGIC_NR_PRIVATE && ops && ops->hw_enable)
		ops->hw_enable(c->g, irq->hwintid, irq->enabled);
}

void vgic_set_enabled(struct vgic_ctx *c, struct vgic_irq *irq, bool enabled)
{
	if (irq->enabled == enabled)
		return;
	irq->enabled = enabled;
	vgic_hw_mirror(c, irq);
	vgic_update(c, irq);
}

/*
 * EL2 acknowledged the physical interrupt and left it active for the
 * guest's EOI to deactivate (the LR's HW bit). If the virtual one no
 * longer has any state to deliver, that EOI never comes.
 */
void vgic_hw_drop(struct vgic_ctx *c, struct vgic_irq *irq, unsigned vcpu)
{
	const struct vgic_ops *ops = c->g->ops;

	if (!irq->hw || irq->active || vgic_pending_model(c->g, irq))
		return;
	if (ops && ops->hw_deactivate)
		ops->hw_deactivate(c->g, vcpu, irq->hwintid);
}

void vgic_update_all(struct vgic_ctx *c)
{
	struct vgic *g = c->g;

	for (unsigned v = 0; v < g->nr_vcpus; v++)
		for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++)
			vgic_update(c, &g->cpu[v].private[i]);
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++)
		if (g->spis[i].owned)
			vgic_update(c, &g->spis[i]);
}

void vgic_sgi_raise(struct vgic_ctx *c, unsigned src, unsigned dst, uint32_t intid)
{
	if (dst < c->g->nr_vcpus)
		vgic_set_pending(c, &c->g->cpu[dst].private[intid], src);
}

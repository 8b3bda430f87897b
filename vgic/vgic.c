/* SPDX-License-Identifier: MIT */
/*
 * The vGIC's entry points other than register access and list registers:
 * setup, interrupt sources (devices, the hypervisor, ICC_SGI1R_EL1), and
 * the lock discipline they all share.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vgic/vgic_internal.h"

void vgic_ctx_begin(struct vgic_ctx *c, struct vgic *g, int self)
{
	*c = (struct vgic_ctx){.g = g,
			       .self = self,
			       .vcpu = self >= 0 ? (unsigned)self : 0,
			       .bank = -1,
			       .spis = true};
	spin_lock(&g->lock);
}

/* Kicks go out after the unlock: a kick may take other locks, or IPI. */
void vgic_ctx_end(struct vgic_ctx *c)
{
	struct vgic *g = c->g;
	uint32_t kicks = c->kicks;

	if (c->self >= 0)
		kicks &= ~(1u << c->self);
	spin_unlock(&g->lock);
	if (!g->ops || !g->ops->kick)
		return;
	for (; kicks; kicks &= kicks - 1)
		g->ops->kick(g, (unsigned)__builtin_ctz(kicks));
}

/*
 * Reset state: SGIs enabled and edge, PPIs level, nothing else enabled,
 * priority 0. GICv3 interrupts start in group 1 (what a non-secure guest
 * uses), GICv2 ones in group 0 (the architectural reset).
 */
static void init_irq(struct vgic *g, struct vgic_irq *irq, uint32_t intid)
{
	irq->intid = intid;
	irq->lr = -1;
	irq->group1 = g->version == 3;
	irq->edge = intid < VGIC_NR_SGIS;
	irq->enabled = intid < VGIC_NR_SGIS;
	irq->owned = intid < VGIC_NR_PRIVATE;
}

void vgic_init(struct vgic *g, unsigned version, unsigned nr_vcpus, const struct vgic_ops *ops)
{
	/* memset, not an assignment: the struct is too big for a stack temporary */
	memset(g, 0, sizeof(*g));
	g->version = version;
	g->nr_vcpus = nr_vcpus < 1 ? 1 : nr_vcpus > MAX_CPUS ? MAX_CPUS : nr_vcpus;
	g->ops = ops;
	for (unsigned v = 0; v < MAX_CPUS; v++) {
		g->cpu[v].mpidr = v;
		g->cpu[v].waker_asleep = true;
		for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++)
			init_irq(g, &g->cpu[v].private[i], i);
	}
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++)
		init_irq(g, &g->spis[i], VGIC_NR_PRIVATE + i);
}

int vgic_own_spi(struct vgic *g, uint32_t intid, bool hw)
{
	struct vgic_irq *irq;

	if (intid < VGIC_NR_PRIVATE || intid >= VGIC_NR_IRQS)
		return -1;
	irq = &g->spis[intid - VGIC_NR_PRIVATE];
	spin_lock(&g->lock);
	irq->owned = true;
	irq->hw = hw;
	irq->hwintid = hw ? intid : 0;
	spin_unlock(&g->lock);
	return 0;
}

/* Linking keeps the PPI's (read-only) trigger mode: level, as timers are. */
void vgic_link_ppi(struct vgic *g, unsigned vcpu, uint32_t intid, uint32_t hwintid)
{
	if (vcpu >= g->nr_vcpus || intid < VGIC_NR_SGIS || intid >= VGIC_NR_PRIVATE)
		return;
	spin_lock(&g->lock);
	g->cpu[vcpu].private[intid].hw = true;
	g->cpu[vcpu].private[intid].hwintid = hwintid;
	spin_unlock(&g->lock);
}

/* A GICv2 SGI made pending this way comes from self (from vcpu if none). */
void vgic_inject(struct vgic *g, int self, unsigned vcpu, uint32_t intid)
{
	struct vgic_irq *irq = vgic_irq_get(g, (int)vcpu, intid);
	struct vgic_ctx c;

	if (!irq)
		return;
	vgic_ctx_begin(&c, g, self);
	if (irq->owned)
		vgic_set_pending(&c, irq, self >= 0 ? (unsigned)self : vcpu);
	vgic_ctx_end(&c);
}

/*
 * A PPI's line belongs to self's vCPU (nothing happens with self < 0); SGIs
 * have no line. An edge-triggered interrupt latches the rising edge.
 */
void vgic_set_level(struct vgic *g, int self, uint32_t intid, bool level)
{
	struct vgic_irq *irq = vgic_irq_get(g, self, intid);
	struct vgic_ctx c;

	if (!irq || intid < VGIC_NR_SGIS)
		return;
	vgic_ctx_begin(&c, g, self);
	if (irq->owned && irq->level != level) {
		irq->level = level;
		if (level && irq->edge)
			irq->pending = true;
		vgic_update(&c, irq);
	}
	vgic_ctx_end(&c);
}

#define SGI1R_LIST(v)  ((v)&0xffff)
#define SGI1R_AFF1(v)  (((v) >> 16) & 0xff)
#define SGI1R_INTID(v) (((v) >> 24) & 0xf)
#define SGI1R_AFF2(v)  (((v) >> 32) & 0xff)
#define SGI1R_IRM      (1ull << 40)
#define SGI1R_RS(v)    (((v) >> 44) & 0xf)
#define SGI1R_AFF3(v)  (((v) >> 48) & 0xff)

/* Does ICC_SGI1R_EL1 value val name the vCPU with this MPIDR? */
static bool sgi1r_targets(uint64_t val, uint64_t mpidr)
{
	uint64_t aff = SGI1R_AFF3(val) << 32 | SGI1R_AFF2(val) << 16 | SGI1R_AFF1(val) << 8;
	unsigned aff0 = mpidr & 0xff;

	if ((mpidr & VGIC_AFF_MASK & ~0xffull) != aff || aff0 / 16 != SGI1R_RS(val))
		return false;
	return SGI1R_LIST(val) & (1u << (aff0 % 16));
}

void vgic_sgi1r(struct vgic *g, unsigned vcpu, uint64_t val)
{
	struct vgic_ctx c;

	if (vcpu >= g->nr_vcpus)
		return;
	vgic_ctx_begin(&c, g, (int)vcpu);
	for (unsigned t = 0; t < g->nr_vcpus; t++) {
		bool hit = val & SGI1R_IRM ? t != vcpu : sgi1r_targets(val, g->cpu[t].mpidr);

		if (hit)
			vgic_sgi_raise(&c, vcpu, t, SGI1R_INTID(val));
	}
	vgic_ctx_end(&c);
}

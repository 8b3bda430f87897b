/* SPDX-License-Identifier: MIT */
/*
 * The distributor's own registers (the per-interrupt groups are in
 * vgic_mmio.c) and the GICD entry points.
 *
 * GICv3: affinity routing only (ARE = 1), the non-secure view of a GIC
 * whose two security states are not emulated: groups 0 and 1 are both the
 * guest's, enabled by GICD_CTLR bits 0 and 1. SGIs and PPIs live in the
 * redistributors; here their ranges read as zero and ignore writes.
 * GICv2: no security extensions; banked registers show the accessing vCPU.
 * Anything not in the tables reads as zero and ignores writes.
 */
#include <stddef.h>
#include <stdint.h>

#include "vgic/vgic_internal.h"

#define CTLR_GRP0     0x1
#define CTLR_GRP1     0x2
#define CTLR_ARE_NS   0x10
#define TYPER_ITLINES (VGIC_NR_IRQS / 32 - 1)
#define TYPER_IDBITS  (9u << 19) /* 10 bits of INTID */

static uint64_t ctlr_read(struct vgic_ctx *c, unsigned idx)
{
	struct vgic *g = c->g;
	uint64_t val = (g->grp0_enabled ? CTLR_GRP0 : 0) | (g->grp1_enabled ? CTLR_GRP1 : 0);

	(void)idx;
	return g->version == 3 ? val | CTLR_ARE_NS : val;
}

/* Enabling a group releases what it held back; disabling holds it again. */
static void ctlr_write(struct vgic_ctx *c, unsigned idx, uint64_t val, uint64_t mask)
{
	struct vgic *g = c->g;
	bool grp0 = val & CTLR_GRP0, grp1 = val & CTLR_GRP1;

	(void)idx;
	(void)mask;
	if (grp0 == g->grp0_enabled && grp1 == g->grp1_enabled)
		return;
	g->grp0_enabled = grp0;
	g->grp1_enabled = grp1;
	vgic_update_all(c);
}

/* ITLinesNumber, CPUNumber; v3 also IDbits (no LPIs, MBIS, security). */
static uint64_t typer_read(struct vgic_ctx *c, unsigned idx)
{
	uint64_t val = TYPER_ITLINES | ((c->g->nr_vcpus - 1) << 5);

	(void)idx;
	return c->g->version == 3 ? val | TYPER_IDBITS : val;
}

static uint64_t iidr_read(struct vgic_ctx *c, unsigned idx)
{
	(void)c;
	(void)idx;
	return VGIC_IIDR;
}

/* ArchRev in bits [7:4] */
static uint64_t pidr2_read(struct vgic_ctx *c, unsigned idx)
{
	(void)idx;
	return c->g->version << 4;
}

/* GICv2 GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], INTID [3:0]. */
static void sgir_write(struct vgic_ctx *c, unsigned idx, uint64_t val, uint64_t mask)
{
	unsigned self = 1u << c->vcpu, targets;

	(void)idx;
	(void)mask;
	switch ((val >> 24) & 3) {
	case 0: targets = (val >> 16) & 0xff; break;
	case 1: targets = ~self; break;
	case 2: targets = self; break;
	default: return;
	}
	targets &= (1u << c->g->nr_vcpus) - 1;
	for (; targets; targets &= targets - 1)
		vgic_sgi_raise(c, c->vcpu, (unsigned)__builtin_ctz(targets), val & 0xf);
}

/* GICv2 S/CPENDSGIR<n>: a byte per SGI 4n..4n+3, a bit per source vCPU. */
static uint64_t sgi_pending_read(struct vgic_ctx *c, unsigned idx)
{
	uint64_t val = 0;

	for (unsigned k = 0; k < 4; k++) {
		struct vgic_irq *irq = &c->g->cpu[c->bank].private[idx * 4 + k];
		unsigned srcs = irq->sgi_src;

		if (irq->lr >= 0 && (vgic_slot(c->g, irq)->state & VGIC_SLOT_P))
			srcs |= 1u << vgic_slot(c->g, irq)->source;
		val |= (uint64_t)(srcs & 0xff) << (k * 8);
	}
	return val;
}

static void sgi_pending_set(struct vgic_ctx *c, unsigned idx, uint64_t val, uint64_t mask)
{
	(void)mask;
	for (unsigned k = 0; k < 4; k++) {
		unsigned srcs = (val >> (k * 8)) & ((1u << c->g->nr_vcpus) - 1);

		for (; srcs; srcs &= srcs - 1)
			vgic_set_pending(c, &c->g->cpu[c->bank].private[idx * 4 + k],
					 (unsigned)__builtin_ctz(srcs));
	}
}

static void sgi_pending_clear(struct vgic_ctx *c, unsigned idx, uint64_t val, uint64_t mask)
{
	(void)mask;
	for (unsigned k = 0; k < 4; k++) {
		uint16_t srcs = (val >> (k * 8)) & 0xff;

		if (srcs)
			vgic_clear_sgi_sources(c, &c->g->cpu[c->bank].private[idx * 4 + k], srcs);
	}
}

static struct vgic_irq *router_irq(struct vgic_ctx *c, unsigned idx)
{
	struct vgic_irq *irq = vgic_irq_get(c->g, -1, idx);

	return idx >= VGIC_NR_PRIVATE && irq && irq->owned ? irq : NULL;
}

static uint64_t irouter_read(struct vgic_ctx *c, unsigned idx)
{
	struct vgic_irq *irq = router_irq(c, idx);

	return irq ? irq->route : 0;
}

/* 64-bit, or either 32-bit half: mask keeps the other half as it was. */
static void irouter_write(struct vgic_ctx *c, unsigned idx, uint64_t val, uint64_t mask)
{
	struct vgic_irq *irq = router_irq(c, idx);
	uint64_t route;

	if (!irq)
		return;
	route = ((irq->route & ~mask) | (val & mask)) & (VGIC_AFF_MASK | VGIC_IROUTER_IRM);
	if (route == irq->route)
		return;
	vgic_retarget_begin(c, irq);
	irq->route = route;
	vgic_update(c, irq);
	vgic_hw_mirror(c, irq);
}

#define REG(o, l, w, sz, fr, r, wr)                                                                \
	{                                                                                          \
		.off = (o), .len = (l), .width = (w), .sizes = (sz), .frames = (fr), .read = (r),  \
		.write = (wr)                                                                      \
	}
#define V2   VGIC_F_GICD2
#define V3   VGIC_F_GICD3
#define BOTH (V2 | V3)

/* offset, length, register width, access sizes, frames, handlers */
static const struct vgic_reg dist_regs[] = {
	REG(0x0000, 4, 4, 4, BOTH, ctlr_read, ctlr_write),			  /* GICD_CTLR */
	REG(0x0004, 4, 4, 4, BOTH, typer_read, NULL),				  /* GICD_TYPER */
	REG(0x0008, 4, 4, 4, BOTH, iidr_read, NULL),				  /* GICD_IIDR */
	REG(0x0f00, 4, 4, 4, V2, NULL, sgir_write),				  /* GICD_SGIR */
	REG(0x0f10, 16, 4, 1 | 4, V2, sgi_pending_read, sgi_pending_clear),	  /* CPENDSGIR */
	REG(0x0f20, 16, 4, 1 | 4, V2, sgi_pending_read, sgi_pending_set),	  /* SPENDSGIR */
	REG(0x0fe8, 4, 4, 4, V2, pidr2_read, NULL),				  /* GICD_PIDR2 */
	REG(0x6000, 8 * VGIC_NR_IRQS, 8, 4 | 8, V3, irouter_read, irouter_write), /* IROUTER */
	REG(0xffe8, 4, 4, 4, V3, pidr2_read, NULL),				  /* GICD_PIDR2 */
};

static const struct vgic_reg *dist_find(const struct vgic *g, uint64_t off)
{
	unsigned frame = g->version == 2 ? V2 : V3;
	const struct vgic_reg *r =
		vgic_reg_find(dist_regs, sizeof(dist_regs) / sizeof(dist_regs[0]), frame, off);

	return r ? r : vgic_reg_find(vgic_irq_regs, vgic_nr_irq_regs, frame, off);
}

static void dist_begin(struct vgic_ctx *c, struct vgic *g, unsigned vcpu)
{
	vgic_ctx_begin(c, g, (int)vcpu);
	c->vcpu = vcpu;
	c->bank = g->version == 2 ? (int)vcpu : -1;
}

uint64_t vgic_dist_read(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size)
{
	struct vgic_ctx c;
	uint64_t val = 0;

	if (vcpu >= g->nr_vcpus)
		return 0;
	dist_begin(&c, g, vcpu);
	val = vgic_reg_read(&c, dist_find(g, off), off, size);
	vgic_ctx_end(&c);
	return val;
}

void vgic_dist_write(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size, uint64_t val)
{
	struct vgic_ctx c;

	if (vcpu >= g->nr_vcpus)
		return;
	dist_begin(&c, g, vcpu);
	vgic_reg_write(&c, dist_find(g, off), off, size, val);
	vgic_ctx_end(&c);
}

/* SPDX-License-Identifier: MIT */
/*
 * The register walker: one routine turns an (offset, size) access into
 * fields of per-interrupt groups or into whole registers, for every frame.
 * Also the per-interrupt groups themselves, which the GICv2 and GICv3
 * distributors and the GICv3 SGI_base frame share at the same offsets.
 */
#include <stddef.h>
#include <stdint.h>

#include "vgic/vgic_internal.h"

#define SZ_W  4
#define SZ_BW (1 | 4)

/* --- per-interrupt field handlers ---------------------------------------- */

static uint32_t group_get(struct vgic_ctx *c, struct vgic_irq *irq)
{
	(void)c;
	return irq->group1;
}

static void group_set(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	if (irq->group1 == (bool)f)
		return;
	irq->group1 = f;
	vgic_update(c, irq);
}

static uint32_t enable_get(struct vgic_ctx *c, struct vgic_irq *irq)
{
	(void)c;
	return irq->enabled;
}

static void enable_set(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	if (f)
		vgic_set_enabled(c, irq, true);
}

static void enable_clear(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	if (f)
		vgic_set_enabled(c, irq, false);
}

static uint32_t pending_get(struct vgic_ctx *c, struct vgic_irq *irq)
{
	return vgic_pending_seen(c->g, irq);
}

/* GICv2 SGIs keep a pending bit per source: only S/CPENDSGIR change them. */
static void pending_set(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	if (f && !vgic_is_v2_sgi(c->g, irq))
		vgic_set_pending(c, irq, c->vcpu);
}

static void pending_clear(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	if (f && !vgic_is_v2_sgi(c->g, irq))
		vgic_clear_pending(c, irq);
}

static uint32_t active_get(struct vgic_ctx *c, struct vgic_irq *irq)
{
	(void)c;
	return irq->active;
}

static void active_set(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	if (f)
		vgic_set_active(c, irq, true);
}

static void active_clear(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	if (f)
		vgic_set_active(c, irq, false);
}

static uint32_t prio_get(struct vgic_ctx *c, struct vgic_irq *irq)
{
	(void)c;
	return irq->priority;
}

/* A queued interrupt's priority counts at the next flush; an LR's is rewritten. */
static void prio_set(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	irq->priority = (uint8_t)(f & VGIC_PRIO_MASK);
	if (irq->lr >= 0)
		vgic_update(c, irq);
}

/* GICv2: an SGI's or PPI's target is the CPU reading it, read-only. */
static uint32_t target_get(struct vgic_ctx *c, struct vgic_irq *irq)
{
	if (irq->intid < VGIC_NR_PRIVATE)
		return 1u << c->vcpu;
	return irq->targets;
}

static void target_set(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	uint8_t targets = (uint8_t)(f & ((1u << c->g->nr_vcpus) - 1));

	if (irq->intid < VGIC_NR_PRIVATE || targets == irq->targets)
		return;
	vgic_retarget_begin(c, irq);
	irq->targets = targets;
	vgic_update(c, irq);
	vgic_hw_mirror(c, irq);
}

/* Int_config, bit 1 of each pair: 1 = edge. Bit 0 is RES0. */
static uint32_t cfg_get(struct vgic_ctx *c, struct vgic_irq *irq)
{
	(void)c;
	return irq->edge ? 2 : 0;
}

/* SGIs are edge, PPIs as vgic_link_ppi left them: both read-only. */
static void cfg_set(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t f)
{
	if (irq->intid < VGIC_NR_PRIVATE || irq->edge == (bool)(f & 2))
		return;
	irq->edge = f & 2;
	vgic_update(c, irq);
}

#define IRQ_REG(o, b, sz, fr, g, s)                                                                \
	{                                                                                          \
		.off = (o), .len = VGIC_NR_IRQS * (b) / 8, .bits = (b), .sizes = (sz),             \
		.frames = (fr), .get = (g), .set = (s)                                             \
	}
#define ALL (VGIC_F_GICD2 | VGIC_F_GICD3 | VGIC_F_SGI)

/* offset, bits per interrupt, access sizes, frames, field handlers */
const struct vgic_reg vgic_irq_regs[] = {
	IRQ_REG(0x080, 1, SZ_W, ALL, group_get, group_set),		/* IGROUPR */
	IRQ_REG(0x100, 1, SZ_W, ALL, enable_get, enable_set),		/* ISENABLER */
	IRQ_REG(0x180, 1, SZ_W, ALL, enable_get, enable_clear),		/* ICENABLER */
	IRQ_REG(0x200, 1, SZ_W, ALL, pending_get, pending_set),		/* ISPENDR */
	IRQ_REG(0x280, 1, SZ_W, ALL, pending_get, pending_clear),	/* ICPENDR */
	IRQ_REG(0x300, 1, SZ_W, ALL, active_get, active_set),		/* ISACTIVER */
	IRQ_REG(0x380, 1, SZ_W, ALL, active_get, active_clear),		/* ICACTIVER */
	IRQ_REG(0x400, 8, SZ_BW, ALL, prio_get, prio_set),		/* IPRIORITYR */
	IRQ_REG(0x800, 8, SZ_BW, VGIC_F_GICD2, target_get, target_set), /* ITARGETSR */
	IRQ_REG(0xc00, 2, SZ_W, ALL, cfg_get, cfg_set),			/* ICFGR */
};
const unsigned vgic_nr_irq_regs = sizeof(vgic_irq_regs) / sizeof(vgic_irq_regs[0]);

/* --- the walker ---------------------------------------------------------- */

const struct vgic_reg *vgic_reg_find(const struct vgic_reg *t, unsigned n, unsigned frame,
				     uint64_t off)
{
	for (unsigned i = 0; i < n; i++)
		if ((t[i].frames & frame) && off >= t[i].off && off - t[i].off < t[i].len)
			return &t[i];
	return NULL;
}

static bool access_ok(const struct vgic_reg *r, uint64_t off, unsigned size)
{
	if (!r || size > 8 || !(r->sizes & size) || (size & (size - 1)) || (off & (size - 1)))
		return false;
	return off - r->off + size <= r->len;
}

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/*
 * An interrupt a per-interrupt access covers, if this frame shows it and
 * the VM owns it. The GICv3 GICD shows no SGIs/PPIs (c->bank < 0), the
 * SGI_base frame nothing else.
 */
static struct vgic_irq *field_irq(struct vgic_ctx *c, uint32_t intid)
{
	struct vgic_irq *irq =
		intid < VGIC_NR_PRIVATE || c->spis ? vgic_irq_get(c->g, c->bank, intid) : NULL;

	return irq && irq->owned ? irq : NULL;
}

static uint64_t fields_read(struct vgic_ctx *c, const struct vgic_reg *r, uint64_t off,
			    unsigned size)
{
	uint32_t first = (uint32_t)((off - r->off) * 8 / r->bits);
	uint64_t val = 0;

	for (unsigned k = 0; k < size * 8 / r->bits; k++) {
		struct vgic_irq *irq = field_irq(c, first + k);

		if (irq)
			val |= (uint64_t)r->get(c, irq) << (k * r->bits);
	}
	return val;
}

static void fields_write(struct vgic_ctx *c, const struct vgic_reg *r, uint64_t off, unsigned size,
			 uint64_t val)
{
	uint32_t first = (uint32_t)((off - r->off) * 8 / r->bits);
	uint32_t fmask = (1u << r->bits) - 1; /* bits is 1, 2 or 8 */

	for (unsigned k = 0; k < size * 8 / r->bits; k++) {
		struct vgic_irq *irq = field_irq(c, first + k);

		if (irq)
			r->set(c, irq, (uint32_t)(val >> (k * r->bits)) & fmask);
	}
}

uint64_t vgic_reg_read(struct vgic_ctx *c, const struct vgic_reg *r, uint64_t off, unsigned size)
{
	uint64_t rel;

	if (!access_ok(r, off, size))
		return 0;
	if (r->bits)
		return fields_read(c, r, off, size);
	if (!r->read)
		return 0;
	rel = off - r->off;
	return (r->read(c, (unsigned)(rel / r->width)) >> (rel % r->width * 8)) & size_mask(size);
}

void vgic_reg_write(struct vgic_ctx *c, const struct vgic_reg *r, uint64_t off, unsigned size,
		    uint64_t val)
{
	uint64_t rel;
	unsigned shift;

	if (!access_ok(r, off, size))
		return;
	val &= size_mask(size);
	if (r->bits) {
		fields_write(c, r, off, size, val);
		return;
	}
	if (!r->write)
		return;
	rel = off - r->off;
	shift = (unsigned)(rel % r->width * 8);
	r->write(c, (unsigned)(rel / r->width), val << shift, size_mask(size) << shift);
}

/* SPDX-License-Identifier: MIT */
/*
 * GICv3 redistributors, one per vCPU: the RD_base frame here, the SGI_base
 * frame (+64 KiB) through the per-interrupt rows shared with the GICD.
 * No LPIs: GICR_CTLR, and with a single security state GICR_IGRPMODR0 and
 * GICR_NSACR, read as zero and ignore writes, as does everything unlisted.
 */
#include <stddef.h>
#include <stdint.h>

#include "vgic/vgic_internal.h"

#define SGI_BASE     0x10000
#define TYPER_LAST   (1u << 4)
#define WAKER_SLEEP  0x2 /* ProcessorSleep */
#define WAKER_ASLEEP 0x4 /* ChildrenAsleep */

static uint64_t iidr_read(struct vgic_ctx *c, unsigned idx)
{
	(void)c;
	(void)idx;
	return VGIC_IIDR;
}

/* Affinity_Value [63:32] (Aff3.Aff2.Aff1.Aff0), Processor_Number [23:8], Last. */
static uint64_t typer_read(struct vgic_ctx *c, unsigned idx)
{
	unsigned rd = (unsigned)c->bank;
	uint64_t mpidr = c->g->cpu[rd].mpidr;
	uint64_t aff = ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
	uint64_t val = aff << 32 | (uint64_t)rd << 8;

	(void)idx;
	return rd == c->g->nr_vcpus - 1 ? val | TYPER_LAST : val;
}

/* Nothing to quiesce: ChildrenAsleep follows ProcessorSleep at once. */
static uint64_t waker_read(struct vgic_ctx *c, unsigned idx)
{
	(void)idx;
	return c->g->cpu[c->bank].waker_asleep ? WAKER_SLEEP | WAKER_ASLEEP : 0;
}

static void waker_write(struct vgic_ctx *c, unsigned idx, uint64_t val, uint64_t mask)
{
	(void)idx;
	(void)mask;
	c->g->cpu[c->bank].waker_asleep = val & WAKER_SLEEP;
}

static uint64_t pidr2_read(struct vgic_ctx *c, unsigned idx)
{
	(void)c;
	(void)idx;
	return 0x30; /* ArchRev 3 */
}

#define REG(o, l, w, sz, r, wr)                                                                    \
	{                                                                                          \
		.off = (o), .len = (l), .width = (w), .sizes = (sz), .frames = VGIC_F_RD,          \
		.read = (r), .write = (wr)                                                         \
	}

/* offset, length, register width, access sizes, handlers */
static const struct vgic_reg rd_regs[] = {
	REG(0x0004, 4, 4, 4, iidr_read, NULL),	       /* GICR_IIDR */
	REG(0x0008, 8, 8, 4 | 8, typer_read, NULL),    /* GICR_TYPER */
	REG(0x0014, 4, 4, 4, waker_read, waker_write), /* GICR_WAKER */
	REG(0xffe8, 4, 4, 4, pidr2_read, NULL),	       /* GICR_PIDR2 */
};

/* The row for off, relative to its frame (off is rebased). */
static const struct vgic_reg *redist_find(uint64_t *off)
{
	if (*off < SGI_BASE)
		return vgic_reg_find(rd_regs, sizeof(rd_regs) / sizeof(rd_regs[0]), VGIC_F_RD,
				     *off);
	*off -= SGI_BASE;
	if (*off >= SGI_BASE)
		return NULL;
	return vgic_reg_find(vgic_irq_regs, vgic_nr_irq_regs, VGIC_F_SGI, *off);
}

/*
 * The accessing vCPU is not known here, so none is spared a kick: the
 * arch's kick of the vCPU it is running is to be a no-op.
 */
static bool redist_begin(struct vgic_ctx *c, struct vgic *g, unsigned rd)
{
	if (g->version != 3 || rd >= g->nr_vcpus)
		return false;
	vgic_ctx_begin(c, g, -1);
	c->vcpu = rd;
	c->bank = (int)rd;
	c->spis = false; /* SGI_base shows only this vCPU's SGIs and PPIs */
	return true;
}

uint64_t vgic_redist_read(struct vgic *g, unsigned rd, uint64_t off, unsigned size)
{
	const struct vgic_reg *r = redist_find(&off);
	struct vgic_ctx c;
	uint64_t val;

	if (!redist_begin(&c, g, rd))
		return 0;
	val = vgic_reg_read(&c, r, off, size);
	vgic_ctx_end(&c);
	return val;
}

void vgic_redist_write(struct vgic *g, unsigned rd, uint64_t off, unsigned size, uint64_t val)
{
	const struct vgic_reg *r = redist_find(&off);
	struct vgic_ctx c;

	if (!redist_begin(&c, g, rd))
		return;
	vgic_reg_write(&c, r, off, size, val);
	vgic_ctx_end(&c);
}

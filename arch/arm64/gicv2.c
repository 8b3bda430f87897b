/* SPDX-License-Identifier: MIT */
/*
 * GICv2 (GIC-400) driver: distributor, CPU interface (GICC) and virtual
 * interface control (GICH) by MMIO. Guests get GICV mapped at their GICC
 * address, so only the distributor is emulated.
 */
#include <arch/cpu_local.h>
#include <arch/gic.h>
#include <arch/sysreg.h>

#include <stddef.h>

#include "core/mmio.h"

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_IGROUPR	0x080
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ICPENDR	0x280
#define GICD_ISACTIVER	0x300
#define GICD_ICACTIVER	0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00

#define GICC_CTLR	  0x0000
#define GICC_CTLR_ENABLE  BIT(0) /* Group 0 (no Security Extensions) or Group 1 (NS view) */
#define GICC_CTLR_EOIMODE BIT(9) /* EOImode / EOImodeNS in the NS view: split EOI */
#define GICC_PMR	  0x0004
#define GICC_IAR	  0x000c
#define GICC_EOIR	  0x0010
#define GICC_DIR	  0x1000

#define GICH_HCR     0x000
#define GICH_HCR_EN  BIT(0)
#define GICH_HCR_UIE BIT(1)
#define GICH_VTR     0x004
#define GICH_VMCR    0x008
#define GICH_MISR    0x010
#define GICH_LR0     0x100

#define GICH_LR_HW	    BIT(31)
#define GICH_LR_GROUP1	    BIT(30)
#define GICH_LR_ACTIVE	    BIT(29)
#define GICH_LR_PENDING	    BIT(28)
#define GICH_LR_PRIO_SHIFT  23 /* 5 bits: priority[7:3] */
#define GICH_LR_PHYS_SHIFT  10
#define GICH_LR_CPUID_SHIFT 10	    /* software SGIs: the requesting CPU */
#define GICH_LR_EOI	    BIT(19) /* software interrupts: maintenance on deactivation */

/* Set once at boot. */
static struct {
	uintptr_t dist, cpu, hyp;
	uint8_t cpu_mask[MAX_CPUS]; /* GIC CPU interface number of each CPU */
} v2;

static void v2_init_dist(const struct host_gic *g)
{
	unsigned lines;

	v2.dist = g->dist.base;
	v2.cpu = g->cpuif.base;
	v2.hyp = g->hyp.base;
	mmio_write32(v2.dist + GICD_CTLR, 0);
	lines = ((mmio_read32(v2.dist + GICD_TYPER) & 0x1f) + 1) * 32;
	for (unsigned i = 32; i < lines; i += 32) {
		mmio_write32(v2.dist + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(v2.dist + GICD_ICPENDR + i / 8, ~0u);
		mmio_write32(v2.dist + GICD_ICACTIVER + i / 8, ~0u);
	}
	for (unsigned i = 32; i < lines; i += 4)
		mmio_write32(v2.dist + GICD_IPRIORITYR + i, 0x80808080u);
	mmio_write32(v2.dist + GICD_CTLR, 3); /* both groups: whichever firmware left us */
}

static void v2_init_cpu(unsigned cpu)
{
	/* ITARGETSR0 reads as this CPU interface's own bit. */
	v2.cpu_mask[cpu] = (uint8_t)mmio_read32(v2.dist + GICD_ITARGETSR);
	mmio_write32(v2.dist + GICD_ICENABLER, ~0u);
	mmio_write32(v2.dist + GICD_ICPENDR, ~0u);
	mmio_write32(v2.dist + GICD_ICACTIVER, ~0u);
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(v2.dist + GICD_IPRIORITYR + i, 0x80808080u);
	mmio_write32(v2.cpu + GICC_PMR, 0xff);
	mmio_write32(v2.cpu + GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	mmio_write32(v2.hyp + GICH_HCR, GICH_HCR_EN);
	for (unsigned i = 0; i < gicv2_ops.lr->nr_lrs(); i++)
		gicv2_ops.lr->write(i, NULL);
}

static uint32_t v2_ack(void)
{
	return mmio_read32(v2.cpu + GICC_IAR) & 0x1fff; /* keep the SGI source bits */
}

static void v2_eoi(uint32_t iar)
{
	mmio_write32(v2.cpu + GICC_EOIR, iar);
}

static void v2_deactivate(uint32_t iar)
{
	mmio_write32(v2.cpu + GICC_DIR, iar);
}

/* Physical CPU index with this MPIDR (SGIs target CPU interface numbers). */
static uint8_t cpu_mask_of(uint64_t mpidr)
{
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (cpus[i].online && cpus[i].mpidr == mpidr)
			return v2.cpu_mask[i];
	return 0;
}

static void v2_send_sgi(unsigned sgi, uint64_t mpidr)
{
	dsb_ishst();
	mmio_write32(v2.dist + GICD_SGIR, (uint32_t)cpu_mask_of(mpidr) << 16 | sgi);
}

static void v2_enable(uint32_t intid, bool on)
{
	mmio_write32(v2.dist + (on ? GICD_ISENABLER : GICD_ICENABLER) + (intid / 32) * 4,
		     1u << (intid % 32));
}

static void v2_route(uint32_t spi, uint64_t mpidr)
{
	volatile uint8_t *t = (volatile uint8_t *)(v2.dist + GICD_ITARGETSR + spi);

	*t = cpu_mask_of(mpidr);
}

static void v2_clear_active(uint32_t intid)
{
	mmio_write32(v2.dist + GICD_ICACTIVER + (intid / 32) * 4, 1u << (intid % 32));
}

static bool v2_is_active(uint32_t intid)
{
	return mmio_read32(v2.dist + GICD_ISACTIVER + (intid / 32) * 4) & (1u << (intid % 32));
}

static unsigned v2_nr_lrs(void)
{
	return (mmio_read32(v2.hyp + GICH_VTR) & 0x3f) + 1;
}

static void v2_lr_read(unsigned idx, struct vgic_lr *lr)
{
	uint32_t v = mmio_read32(v2.hyp + GICH_LR0 + idx * 4);

	*lr = (struct vgic_lr){
		.intid = v & 0x3ff,
		.pending = v & GICH_LR_PENDING,
		.active = v & GICH_LR_ACTIVE,
		.hw = v & GICH_LR_HW,
		.priority = (uint8_t)(((v >> GICH_LR_PRIO_SHIFT) & 0x1f) << 3),
		.group1 = v & GICH_LR_GROUP1,
	};
	if (lr->hw)
		lr->pintid = (v >> GICH_LR_PHYS_SHIFT) & 0x3ff;
	else
		lr->source = (v >> GICH_LR_CPUID_SHIFT) & 0x7;
}

static void v2_lr_write(unsigned idx, const struct vgic_lr *lr)
{
	uint32_t v = 0;

	if (lr) {
		v = (lr->intid & 0x3ff) | (uint32_t)(lr->priority >> 3) << GICH_LR_PRIO_SHIFT |
		    (lr->pending ? GICH_LR_PENDING : 0) | (lr->active ? GICH_LR_ACTIVE : 0) |
		    (lr->group1 ? GICH_LR_GROUP1 : 0);
		if (lr->hw)
			v |= GICH_LR_HW | (lr->pintid & 0x3ff) << GICH_LR_PHYS_SHIFT;
		else
			v |= (lr->intid < 16 ? (uint32_t)(lr->source & 0x7) << GICH_LR_CPUID_SHIFT
					     : 0) |
			     (lr->eoi ? GICH_LR_EOI : 0);
	}
	mmio_write32(v2.hyp + GICH_LR0 + idx * 4, v);
}

static void v2_set_underflow(bool on)
{
	uint32_t hcr = mmio_read32(v2.hyp + GICH_HCR);

	mmio_write32(v2.hyp + GICH_HCR, on ? hcr | GICH_HCR_UIE : hcr & ~GICH_HCR_UIE);
}

static uint32_t v2_maint_status(void)
{
	return mmio_read32(v2.hyp + GICH_MISR);
}

static void v2_vcpu_if_reset(void)
{
	mmio_write32(v2.hyp + GICH_VMCR, 0);
}

static const struct vgic_lr_ops v2_lr_ops = {
	.nr_lrs = v2_nr_lrs,
	.read = v2_lr_read,
	.write = v2_lr_write,
	.set_underflow_irq = v2_set_underflow,
};

const struct gic_ops gicv2_ops = {
	.init_dist = v2_init_dist,
	.init_cpu = v2_init_cpu,
	.ack = v2_ack,
	.eoi = v2_eoi,
	.deactivate = v2_deactivate,
	.send_sgi = v2_send_sgi,
	.enable = v2_enable,
	.route = v2_route,
	.is_active = v2_is_active,
	.clear_active = v2_clear_active,
	.lr = &v2_lr_ops,
	.maint_status = v2_maint_status,
	.vcpu_if_reset = v2_vcpu_if_reset,
};

/* SPDX-License-Identifier: MIT */
/*
 * GICv3 driver: distributor and redistributors by MMIO, CPU interface by
 * system registers, list registers in ICH_LR<n>_EL2. Affinity routing only
 * (ARE=1); works with one security state (QEMU virt) or as the Non-secure
 * side of two (firmware has put everything in Group 1 NS).
 */
#include <arch/cpu_local.h>
#include <arch/gic.h>
#include <arch/sysreg.h>

#include <stddef.h>

#include "core/mmio.h"

#define GICD_CTLR	    0x0000
#define GICD_CTLR_RWP	    BIT(31)
#define GICD_CTLR_ARE_NS    BIT(4)
#define GICD_CTLR_ENABLE_G1 BIT(1)
#define GICD_TYPER	    0x0004
#define GICD_IGROUPR	    0x0080
#define GICD_ISENABLER	    0x0100
#define GICD_ICENABLER	    0x0180
#define GICD_ICPENDR	    0x0280
#define GICD_ISACTIVER	    0x0300
#define GICD_ICACTIVER	    0x0380
#define GICD_IPRIORITYR	    0x0400
#define GICD_IROUTER	    0x6000

#define GICR_FRAME		   0x20000
#define GICR_TYPER		   0x0008
#define GICR_TYPER_LAST		   BIT(4)
#define GICR_WAKER		   0x0014
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_SGI		   0x10000 /* SGI_base: the same registers as GICD for INTIDs 0-31 */

#define ICH_LR_STATE_PENDING BIT(62)
#define ICH_LR_STATE_ACTIVE  BIT(63)
#define ICH_LR_HW	     BIT(61)
#define ICH_LR_GROUP	     BIT(60)
#define ICH_LR_EOI	     BIT(41) /* software interrupts: maintenance on deactivation */
#define ICH_LR_PRIO_SHIFT    48
#define ICH_LR_PINTID_SHIFT  32
#define ICH_LR_PINTID_MASK   UL(0x1fff)

/* Set once at boot; each CPU's own frame in redist[cpu]. */
static struct {
	uintptr_t dist;
	uintptr_t redist_base, redist_size;
	uintptr_t redist[MAX_CPUS];
} v3;

static void wait_rwp(void)
{
	while (mmio_read32(v3.dist + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

static void v3_init_dist(const struct host_gic *g)
{
	unsigned lines;

	v3.dist = g->dist.base;
	v3.redist_base = g->redist.base;
	v3.redist_size = g->redist.size;
	mmio_write32(v3.dist + GICD_CTLR, 0);
	wait_rwp();
	lines = ((mmio_read32(v3.dist + GICD_TYPER) & 0x1f) + 1) * 32;
	for (unsigned i = 32; i < lines; i += 32) {
		mmio_write32(v3.dist + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(v3.dist + GICD_ICPENDR + i / 8, ~0u);
		mmio_write32(v3.dist + GICD_ICACTIVER + i / 8, ~0u);
		mmio_write32(v3.dist + GICD_IGROUPR + i / 8, ~0u);
	}
	for (unsigned i = 32; i < lines; i += 4)
		mmio_write32(v3.dist + GICD_IPRIORITYR + i, 0x80808080u);
	mmio_write32(v3.dist + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1);
	wait_rwp();
}

static uint64_t mpidr_to_affinity(uint64_t mpidr)
{
	return ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
}

/* This CPU's redistributor: the frame whose GICR_TYPER affinity is ours. */
static uintptr_t find_redist(void)
{
	uint64_t aff = mpidr_to_affinity(read_sysreg(mpidr_el1) & MPIDR_AFF_MASK);

	for (uintptr_t f = v3.redist_base; f < v3.redist_base + v3.redist_size; f += GICR_FRAME) {
		uint64_t typer = mmio_read32(f + GICR_TYPER) |
				 (uint64_t)mmio_read32(f + GICR_TYPER + 4) << 32;

		if ((typer >> 32) == aff)
			return f;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

static void wake_redist(uintptr_t rd)
{
	uint32_t waker = mmio_read32(rd + GICR_WAKER);

	mmio_write32(rd + GICR_WAKER, waker & ~GICR_WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
}

static void init_private(uintptr_t sgi)
{
	mmio_write32(sgi + GICD_ICENABLER, ~0u);
	mmio_write32(sgi + GICD_ICPENDR, ~0u);
	mmio_write32(sgi + GICD_ICACTIVER, ~0u);
	mmio_write32(sgi + GICD_IGROUPR, ~0u);
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICD_IPRIORITYR + i, 0x80808080u);
}

static void v3_init_cpu(unsigned cpu)
{
	uintptr_t rd = find_redist();

	v3.redist[cpu] = rd;
	if (!rd)
		return;
	wake_redist(rd);
	init_private(rd + GICR_SGI);
	write_sysreg(s3_4_c12_c9_5, ICC_SRE_EL2_SRE | ICC_SRE_EL2_DFB | ICC_SRE_EL2_DIB |
					    ICC_SRE_EL2_ENABLE); /* ICC_SRE_EL2 */
	isb();
	write_sysreg(s3_0_c4_c6_0, 0xff);		    /* ICC_PMR_EL1 */
	write_sysreg(s3_0_c12_c12_4, ICC_CTLR_EL1_EOIMODE); /* ICC_CTLR_EL1 */
	write_sysreg(s3_0_c12_c12_7, 1);		    /* ICC_IGRPEN1_EL1 */
	write_sysreg(s3_4_c12_c11_0, ICH_HCR_EL2_EN);	    /* ICH_HCR_EL2 */
	for (unsigned i = 0; i < gicv3_ops.lr->nr_lrs(); i++)
		gicv3_ops.lr->write(i, NULL);
	isb();
}

static uint32_t v3_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg(s3_0_c12_c12_0); /* ICC_IAR1_EL1 */

	__asm__ volatile("dsb sy" ::: "memory");
	return intid & 0xffffff;
}

static void v3_eoi(uint32_t intid)
{
	write_sysreg(s3_0_c12_c12_1, intid); /* ICC_EOIR1_EL1: priority drop */
	isb();
}

static void v3_deactivate(uint32_t intid)
{
	write_sysreg(s3_0_c12_c11_1, intid); /* ICC_DIR_EL1 */
	isb();
}

static void v3_send_sgi(unsigned sgi, uint64_t mpidr)
{
	uint64_t v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		     ((mpidr >> 8) & 0xff) << 16 | (uint64_t)sgi << 24 | (1ul << (mpidr & 0xf)) |
		     ((mpidr & 0xf0) >> 4) << 44; /* RS: Aff0 / 16 */

	dsb_ishst();
	write_sysreg(s3_0_c12_c11_5, v); /* ICC_SGI1R_EL1 */
	isb();
}

/* Registers of INTID: the distributor's for SPIs, this CPU's SGI frame else. */
static uintptr_t bank(uint32_t intid)
{
	return intid < 32 ? v3.redist[this_cpu()->idx] + GICR_SGI : v3.dist;
}

static void v3_enable(uint32_t intid, bool on)
{
	mmio_write32(bank(intid) + (on ? GICD_ISENABLER : GICD_ICENABLER) + (intid / 32) * 4,
		     1u << (intid % 32));
}

static void v3_route(uint32_t spi, uint64_t mpidr)
{
	uintptr_t r = v3.dist + GICD_IROUTER + spi * 8;

	mmio_write32(r, (uint32_t)(mpidr & 0xffffff));
	mmio_write32(r + 4, (uint32_t)((mpidr >> 32) & 0xff));
}

static void v3_clear_active(uint32_t intid)
{
	mmio_write32(bank(intid) + GICD_ICACTIVER + (intid / 32) * 4, 1u << (intid % 32));
}

static bool v3_is_active(uint32_t intid)
{
	return mmio_read32(bank(intid) + GICD_ISACTIVER + (intid / 32) * 4) & (1u << (intid % 32));
}

/* ICH_LR<n>_EL2 is a separate register per n: dispatch through a switch. */
static uint64_t lr_read_raw(unsigned n)
{
	switch (n) {
	case 0: return read_sysreg(s3_4_c12_c12_0);
	case 1: return read_sysreg(s3_4_c12_c12_1);
	case 2: return read_sysreg(s3_4_c12_c12_2);
	case 3: return read_sysreg(s3_4_c12_c12_3);
	case 4: return read_sysreg(s3_4_c12_c12_4);
	case 5: return read_sysreg(s3_4_c12_c12_5);
	case 6: return read_sysreg(s3_4_c12_c12_6);
	case 7: return read_sysreg(s3_4_c12_c12_7);
	case 8: return read_sysreg(s3_4_c12_c13_0);
	case 9: return read_sysreg(s3_4_c12_c13_1);
	case 10: return read_sysreg(s3_4_c12_c13_2);
	case 11: return read_sysreg(s3_4_c12_c13_3);
	case 12: return read_sysreg(s3_4_c12_c13_4);
	case 13: return read_sysreg(s3_4_c12_c13_5);
	case 14: return read_sysreg(s3_4_c12_c13_6);
	default: return read_sysreg(s3_4_c12_c13_7);
	}
}

static void lr_write_raw(unsigned n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(s3_4_c12_c12_0, v); break;
	case 1: write_sysreg(s3_4_c12_c12_1, v); break;
	case 2: write_sysreg(s3_4_c12_c12_2, v); break;
	case 3: write_sysreg(s3_4_c12_c12_3, v); break;
	case 4: write_sysreg(s3_4_c12_c12_4, v); break;
	case 5: write_sysreg(s3_4_c12_c12_5, v); break;
	case 6: write_sysreg(s3_4_c12_c12_6, v); break;
	case 7: write_sysreg(s3_4_c12_c12_7, v); break;
	case 8: write_sysreg(s3_4_c12_c13_0, v); break;
	case 9: write_sysreg(s3_4_c12_c13_1, v); break;
	case 10: write_sysreg(s3_4_c12_c13_2, v); break;
	case 11: write_sysreg(s3_4_c12_c13_3, v); break;
	case 12: write_sysreg(s3_4_c12_c13_4, v); break;
	case 13: write_sysreg(s3_4_c12_c13_5, v); break;
	case 14: write_sysreg(s3_4_c12_c13_6, v); break;
	default: write_sysreg(s3_4_c12_c13_7, v); break;
	}
}

static unsigned v3_nr_lrs(void)
{
	return (read_sysreg(s3_4_c12_c11_1) & ICH_VTR_LISTREGS_MASK) + 1; /* ICH_VTR_EL2 */
}

static void v3_lr_read(unsigned idx, struct vgic_lr *lr)
{
	uint64_t v = lr_read_raw(idx);

	*lr = (struct vgic_lr){
		.intid = (uint32_t)v,
		.pending = v & ICH_LR_STATE_PENDING,
		.active = v & ICH_LR_STATE_ACTIVE,
		.hw = v & ICH_LR_HW,
		.pintid = (uint32_t)((v >> ICH_LR_PINTID_SHIFT) & ICH_LR_PINTID_MASK),
		.priority = (uint8_t)(v >> ICH_LR_PRIO_SHIFT),
		.group1 = v & ICH_LR_GROUP,
	};
}

static void v3_lr_write(unsigned idx, const struct vgic_lr *lr)
{
	uint64_t v = 0;

	if (lr) {
		v = lr->intid | (uint64_t)lr->priority << ICH_LR_PRIO_SHIFT |
		    (lr->pending ? ICH_LR_STATE_PENDING : 0) |
		    (lr->active ? ICH_LR_STATE_ACTIVE : 0) | (lr->group1 ? ICH_LR_GROUP : 0);
		if (lr->hw)
			v |= ICH_LR_HW | (uint64_t)lr->pintid << ICH_LR_PINTID_SHIFT;
		else if (lr->eoi)
			v |= ICH_LR_EOI;
	}
	lr_write_raw(idx, v);
}

static void v3_set_underflow(bool on)
{
	uint64_t hcr = read_sysreg(s3_4_c12_c11_0);

	write_sysreg(s3_4_c12_c11_0, on ? hcr | ICH_HCR_EL2_UIE : hcr & ~ICH_HCR_EL2_UIE);
}

static uint32_t v3_maint_status(void)
{
	return (uint32_t)read_sysreg(s3_4_c12_c11_2); /* ICH_MISR_EL2 */
}

static void v3_vcpu_if_reset(void)
{
	write_sysreg(s3_4_c12_c11_7, 0); /* ICH_VMCR_EL2 */
}

static const struct vgic_lr_ops v3_lr_ops = {
	.nr_lrs = v3_nr_lrs,
	.read = v3_lr_read,
	.write = v3_lr_write,
	.set_underflow_irq = v3_set_underflow,
};

const struct gic_ops gicv3_ops = {
	.init_dist = v3_init_dist,
	.init_cpu = v3_init_cpu,
	.ack = v3_ack,
	.eoi = v3_eoi,
	.deactivate = v3_deactivate,
	.send_sgi = v3_send_sgi,
	.enable = v3_enable,
	.route = v3_route,
	.is_active = v3_is_active,
	.clear_active = v3_clear_active,
	.lr = &v3_lr_ops,
	.maint_status = v3_maint_status,
	.vcpu_if_reset = v3_vcpu_if_reset,
};

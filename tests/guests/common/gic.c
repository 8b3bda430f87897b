/* SPDX-License-Identifier: MIT */
#include "gic.h"

#include <stddef.h>

#include "dt.h"
#include "exception.h"
#include "mmio.h"

#define GICD_CTLR_RWP	      (1u << 31)
#define GICD_CTLR_ARE	      (1u << 4)
#define GICD_CTLR_GRP1	      (1u << 1)
#define GICD_CTLR_GRP0	      (1u << 0) /* v2: Enable */
#define GICD_TYPER_ITLINES(t) (0x1f & (t))
#define GICD_SGIR_OTHERS      (1u << 24)

/* GICv3 redistributor: RD_base frame, then SGI_base 64 KiB above it. */
#define GICR_CTLR	  0x0000
#define GICR_TYPER	  0x0008
#define GICR_WAKER	  0x0014
#define GICR_CTLR_RWP	  (1u << 3)
#define GICR_TYPER_VLPIS  (1u << 1)
#define GICR_TYPER_LAST	  (1u << 4)
#define GICR_WAKER_SLEEP  (1u << 1) /* ProcessorSleep */
#define GICR_WAKER_ASLEEP (1u << 2) /* ChildrenAsleep */
#define GICR_SGI_BASE	  0x10000
#define GICR_FRAMES	  0x20000
#define GICR_FRAMES_VLPI  0x40000

/* GICv2 CPU interface */
#define GICC_CTLR	     0x0000
#define GICC_PMR	     0x0004
#define GICC_IAR	     0x000c
#define GICC_EOIR	     0x0010
#define GICC_IAR_SOURCE(iar) (((iar) >> 10) & 7)

/* GICv3 CPU interface system registers */
#define ICC_PMR_EL1	S3_0_C4_C6_0
#define ICC_IAR1_EL1	S3_0_C12_C12_0
#define ICC_EOIR1_EL1	S3_0_C12_C12_1
#define ICC_BPR1_EL1	S3_0_C12_C12_3
#define ICC_CTLR_EL1	S3_0_C12_C12_4
#define ICC_SRE_EL1	S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1	S3_0_C12_C11_5
#define ICC_SGI1R_IRM	(1ul << 40)

#define ALL_ONES  0xffffffffu
#define PRIORITY4 (GIC_PRIORITY * 0x01010101u)

struct gic_cpu gic_cpus[SMP_MAX_CPUS];

static unsigned int version;
static uintptr_t gicd, gicr_or_gicc;
static uint64_t gicr_size;
static gic_handler_fn *volatile handlers[GIC_NR_HANDLERS];

static uint32_t rd32(uintptr_t a)
{
	return mmio_read32(a);
}

static void wr32(uintptr_t a, uint32_t v)
{
	mmio_write32(a, v);
}

static uint64_t rd64(uintptr_t a)
{
	return mmio_read64(a);
}

uint32_t gicd_read32(uint32_t off)
{
	return rd32(gicd + off);
}

void gicd_write32(uint32_t off, uint32_t v)
{
	wr32(gicd + off, v);
}

uint8_t gicd_read8(uint32_t off)
{
	return mmio_read8(gicd + off);
}

void gicd_write8(uint32_t off, uint8_t v)
{
	mmio_write8(gicd + off, v);
}

uint64_t gicd_read64(uint32_t off)
{
	return rd64(gicd + off);
}

void gicd_write64(uint32_t off, uint64_t v)
{
	mmio_write64(gicd + off, v);
}

unsigned int gic_probe(const void *fdt)
{
	struct dt_range reg[2];

	version = dt_gic(fdt, reg);
	if (version) {
		gicd = reg[0].base;
		gicr_or_gicc = reg[1].base;
		gicr_size = reg[1].size;
	}
	return version;
}

unsigned int gic_version(void)
{
	return version;
}

unsigned int gic_nr_irqs(void)
{
	unsigned int n = 32 * (GICD_TYPER_ITLINES(gicd_read32(GICD_TYPER)) + 1);

	return n > GIC_MAX_INTID + 1 ? GIC_MAX_INTID + 1 : n;
}

/* Bounded: a GIC that never finishes must not hang the guest. */
static void wait_clear(uintptr_t reg, uint32_t bits)
{
	for (unsigned int i = 0; i < 1000000 && (rd32(reg) & bits); i++)
		;
}

static void dist_wait(void)
{
	if (version == 3)
		wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
}

/* Registers of intid: for an SGI/PPI on GICv3, the caller's SGI_base. */
static uintptr_t base_of(unsigned int intid)
{
	if (version == 3 && intid < GIC_NR_PRIVATE)
		return gic_cpus[smp_cpu()].rd + GICR_SGI_BASE;
	return gicd;
}

static void wait_rwp(unsigned int intid)
{
	if (version == 3 && intid < GIC_NR_PRIVATE)
		wait_clear(gic_cpus[smp_cpu()].rd + GICR_CTLR, GICR_CTLR_RWP);
	else
		dist_wait();
}

static uintptr_t bit_reg(unsigned int intid, uint32_t off)
{
	return base_of(intid) + off + 4 * (intid / 32);
}

#define BIT(intid) (1u << ((intid) % 32))

void gic_enable(unsigned int intid)
{
	wr32(bit_reg(intid, GICD_ISENABLER), BIT(intid));
}

void gic_disable(unsigned int intid)
{
	wr32(bit_reg(intid, GICD_ICENABLER), BIT(intid));
	wait_rwp(intid);
}

bool gic_is_enabled(unsigned int intid)
{
	return rd32(bit_reg(intid, GICD_ISENABLER)) & BIT(intid);
}

void gic_set_pending(unsigned int intid)
{
	wr32(bit_reg(intid, GICD_ISPENDR), BIT(intid));
}

/* GICv2 SGIs: pending per source, cleared through GICD_CPENDSGIR. */
void gic_clear_pending(unsigned int intid)
{
	if (version == 2 && intid < GIC_NR_SGIS)
		gicd_write8(GICD_CPENDSGIR + intid, 0xff);
	else
		wr32(bit_reg(intid, GICD_ICPENDR), BIT(intid));
}

bool gic_is_pending(unsigned int intid)
{
	return rd32(bit_reg(intid, GICD_ISPENDR)) & BIT(intid);
}

void gic_dist_enable(bool on)
{
	if (version == 3)
		gicd_write32(GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP0 | (on ? GICD_CTLR_GRP1 : 0));
	else
		gicd_write32(GICD_CTLR, on ? GICD_CTLR_GRP0 : 0);
	dist_wait();
}

/*
 * As Linux: disable, configure, then enable. GICv3 SPIs go to Group 1 (the
 * guest's group); GICv2 groups stay as they reset, and SPIs target the
 * calling CPU (QEMU's GICv2 keeps no pending state for an SPI that targets
 * no CPU).
 */
void gic_dist_init(void)
{
	uint32_t self = (gicd_read32(GICD_ITARGETSR) & 0xff) * 0x01010101u;
	unsigned int n = gic_nr_irqs(), i;

	gicd_write32(GICD_CTLR, 0);
	dist_wait();
	for (i = GIC_NR_PRIVATE; i < n; i += 32) {
		if (version == 3)
			gicd_write32(GICD_IGROUPR + i / 8, ALL_ONES);
		gicd_write32(GICD_ICENABLER + i / 8, ALL_ONES);
	}
	if (version == 2)
		for (i = GIC_NR_PRIVATE; i < n; i += 4)
			gicd_write32(GICD_ITARGETSR + i, self);
	dist_wait();
	gic_dist_enable(true);
}

static gic_handler_fn *handler_of(unsigned int intid)
{
	return intid < GIC_NR_HANDLERS ? handlers[intid] : NULL;
}

void gic_set_handler(unsigned int intid, gic_handler_fn *fn)
{
	if (intid < GIC_NR_HANDLERS)
		handlers[intid] = fn;
}

static void gic_handle_irq(void)
{
	struct gic_cpu *c = &gic_cpus[smp_cpu()];
	unsigned int intid, source = 0;
	gic_handler_fn *fn;
	uint32_t iar;

	if (version == 3) {
		iar = (uint32_t)read_sysreg(ICC_IAR1_EL1);
		intid = iar & 0xffffff;
	} else {
		iar = rd32(gicr_or_gicc + GICC_IAR);
		intid = iar & 0x3ff;
		if (intid < GIC_NR_SGIS)
			source = GICC_IAR_SOURCE(iar);
	}
	if (intid >= 1020 && intid <= 1023) {
		c->spurious = c->spurious + 1;
		return;
	}
	c->log[c->count % GIC_LOG_SIZE] = intid | source << 16;
	dsb(sy); /* another CPU reads the entry once it sees the count */
	c->count = c->count + 1;
	fn = handler_of(intid);
	if (fn)
		fn(intid, source);
	if (version == 3) {
		write_sysreg(ICC_EOIR1_EL1, iar);
		isb();
	} else {
		wr32(gicr_or_gicc + GICC_EOIR, iar);
	}
}

/* GICR_TYPER[63:32] holds Aff3.Aff2.Aff1.Aff0; MPIDR has Aff3 at [39:32]. */
static uint32_t mpidr_to_typer_aff(uint64_t mpidr)
{
	return (uint32_t)((mpidr >> 8 & 0xff000000) | (mpidr & 0xffffff));
}

static uintptr_t find_redist(uint64_t mpidr)
{
	uint64_t off = 0, typer;

	while (off + GICR_FRAMES <= gicr_size) {
		typer = rd64(gicr_or_gicc + off + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == mpidr_to_typer_aff(mpidr))
			return gicr_or_gicc + off;
		if (typer & GICR_TYPER_LAST)
			break;
		off += typer & GICR_TYPER_VLPIS ? GICR_FRAMES_VLPI : GICR_FRAMES;
	}
	return 0;
}

static bool cpu_init_v3(struct gic_cpu *c)
{
	uintptr_t rd = find_redist(c->mpidr), sgi;
	unsigned int i;

	if (!rd)
		return false;
	c->rd = rd;
	sgi = rd + GICR_SGI_BASE;
	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP);
	wr32(sgi + GICD_IGROUPR, ALL_ONES);
	wr32(sgi + GICD_ICENABLER, ALL_ONES);
	wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
	wr32(sgi + GICD_ICPENDR, ALL_ONES);
	for (i = 0; i < GIC_NR_PRIVATE; i += 4)
		wr32(sgi + GICD_IPRIORITYR + i, PRIORITY4);

	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
	isb();
	if (!(read_sysreg(ICC_SRE_EL1) & 1))
		return false;
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_CTLR_EL1, 0); /* EOImode 0: EOI also deactivates */
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	return true;
}

/* ITARGETSR0-7 read as this CPU's own interface mask (0 if uniprocessor). */
static bool cpu_init_v2(struct gic_cpu *c)
{
	uint32_t mask = gicd_read32(GICD_ITARGETSR) & 0xff;
	unsigned int i;

	c->v2_id = mask ? (unsigned int)__builtin_ctz(mask) : 0;
	gicd_write32(GICD_ICENABLER, ALL_ONES);
	gicd_write32(GICD_ICPENDR, ALL_ONES);
	for (i = 0; i < GIC_NR_SGIS; i += 4)
		gicd_write32(GICD_CPENDSGIR + i, ALL_ONES);
	for (i = 0; i < GIC_NR_PRIVATE; i += 4)
		gicd_write32(GICD_IPRIORITYR + i, PRIORITY4);
	wr32(gicr_or_gicc + GICC_PMR, 0xff);
	wr32(gicr_or_gicc + GICC_CTLR, 1);
	return true;
}

bool gic_cpu_init(void)
{
	struct gic_cpu *c = &gic_cpus[smp_cpu()];
	bool ok;

	c->ready = false;
	c->mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffull;
	exception_irq_handler = gic_handle_irq;
	ok = version == 3 ? cpu_init_v3(c) : version == 2 && cpu_init_v2(c);
	c->ready = ok;
	return ok;
}

static void sgi1r(uint64_t v)
{
	dsb(sy); /* earlier stores first, as for any IPI */
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}

static void sgir(uint32_t v)
{
	dsb(sy);
	gicd_write32(GICD_SGIR, v);
}

void gic_sgi_list(unsigned int intid, uint64_t aff, uint16_t list)
{
	if (version == 3)
		sgi1r((aff >> 32 & 0xff) << 48 | (aff >> 16 & 0xff) << 32 |
		      (aff >> 8 & 0xff) << 16 | (uint64_t)(intid & 0xf) << 24 | list);
	else
		sgir((uint32_t)(list & 0xff) << 16 | (intid & 0xf));
}

void gic_sgi(unsigned int intid, unsigned int cpu)
{
	struct gic_cpu *c = &gic_cpus[cpu];

	/* GICv3: Aff0 16 and up take ICC_SGI1R_EL1.RS (range selector) */
	if (version == 3 && (c->mpidr & 0xff) >= 16)
		sgi1r((c->mpidr >> 32 & 0xff) << 48 | (c->mpidr >> 16 & 0xff) << 32 |
		      (c->mpidr >> 4 & 0xf) << 44 | (c->mpidr >> 8 & 0xff) << 16 |
		      (uint64_t)(intid & 0xf) << 24 | 1u << (c->mpidr & 0xf));
	else if (version == 3)
		gic_sgi_list(intid, c->mpidr, (uint16_t)(1u << (c->mpidr & 0xf)));
	else
		gic_sgi_list(intid, 0, (uint16_t)(1u << c->v2_id));
}

void gic_sgi_others(unsigned int intid)
{
	if (version == 3)
		sgi1r(ICC_SGI1R_IRM | (uint64_t)(intid & 0xf) << 24);
	else
		sgir(GICD_SGIR_OTHERS | (intid & 0xf));
}

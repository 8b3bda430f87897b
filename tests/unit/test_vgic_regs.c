/* SPDX-License-Identifier: MIT */
/*
 * vGIC register model: every distributor and redistributor register group,
 * written and read back for GICv2 and GICv3, ownership filtering, access
 * sizes, and the identification registers. Expected values are spelled out
 * from the GIC architecture specifications (IHI 0048B, IHI 0069), not from
 * the vgic sources.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgic/vgic.h"

/* GICD offsets */
#define CTLR	   0x0000
#define TYPER	   0x0004
#define IIDR	   0x0008
#define IGROUPR	   0x0080
#define ISENABLER  0x0100
#define ICENABLER  0x0180
#define ISPENDR	   0x0200
#define ICPENDR	   0x0280
#define ISACTIVER  0x0300
#define ICACTIVER  0x0380
#define IPRIORITYR 0x0400
#define ITARGETSR  0x0800
#define ICFGR	   0x0c00
#define SGIR	   0x0f00
#define CPENDSGIR  0x0f10
#define SPENDSGIR  0x0f20
#define V2_PIDR2   0x0fe8
#define IROUTER	   0x6000
#define V3_PIDR2   0xffe8

/* GICR offsets: RD_base, and SGI_base at +64 KiB */
#define GICR_CTLR     0x0000
#define GICR_IIDR     0x0004
#define GICR_TYPER    0x0008
#define GICR_WAKER    0x0014
#define GICR_PIDR2    0xffe8
#define SGI	      0x10000
#define GICR_IGRPMODR 0x0d00
#define GICR_NSACR    0x0e00

#define IIDR_VALUE 0x5400043bu /* ProductID 'T', Arm's JEP106 code */

static struct vgic gic; /* ~40 KiB: not on the stack */
static unsigned kicks[MAX_CPUS], hw_enables, hw_last_intid;
static bool hw_last_enable;

static void kick(struct vgic *g, unsigned vcpu)
{
	(void)g;
	kicks[vcpu]++;
}

static void hw_enable(struct vgic *g, uint32_t hwintid, bool enable)
{
	(void)g;
	hw_enables++;
	hw_last_intid = hwintid;
	hw_last_enable = enable;
}

static const struct vgic_ops ops = {.kick = kick, .hw_enable = hw_enable};

static struct vgic *setup(unsigned version, unsigned nr_vcpus)
{
	for (unsigned i = 0; i < MAX_CPUS; i++)
		kicks[i] = 0;
	hw_enables = 0;
	vgic_init(&gic, version, nr_vcpus, &ops);
	return &gic;
}

static uint32_t rd32(struct vgic *g, uint64_t off)
{
	return (uint32_t)vgic_dist_read(g, 0, off, 4);
}

static void wr32(struct vgic *g, uint64_t off, uint32_t val)
{
	vgic_dist_write(g, 0, off, 4, val);
}

static uint32_t rrd32(struct vgic *g, unsigned rd, uint64_t off)
{
	return (uint32_t)vgic_redist_read(g, rd, off, 4);
}

static void rwr32(struct vgic *g, unsigned rd, uint64_t off, uint32_t val)
{
	vgic_redist_write(g, rd, off, 4, val);
}

static void own_range(struct vgic *g, uint32_t first, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(vgic_own_spi(g, first + i, false), 0);
}

/* --- identification and control ------------------------------------------ */

static void v3_ctlr_typer_iidr_pidr2(void **state)
{
	struct vgic *g = setup(3, 4);

	(void)state;
	/* ARE_NS (bit 4) RAO/WI, group enables off at reset */
	assert_int_equal(rd32(g, CTLR), 0x10);
	wr32(g, CTLR, 0x3);
	assert_int_equal(rd32(g, CTLR), 0x13);
	assert_true(g->grp0_enabled && g->grp1_enabled);
	/* RWP reads 0; ARE cannot be cleared */
	wr32(g, CTLR, 0x80000002);
	assert_int_equal(rd32(g, CTLR), 0x12);
	wr32(g, CTLR, 0);
	assert_int_equal(rd32(g, CTLR), 0x10);
	/* ITLinesNumber 15 (512 INTIDs), CPUNumber 3, IDbits 9; no LPIS/MBIS/SecurityExtn */
	assert_int_equal(rd32(g, TYPER), 0x0048006f);
	assert_int_equal(rd32(g, IIDR), IIDR_VALUE);
	assert_int_equal(rd32(g, V3_PIDR2), 0x30);
	/* the GICv2 offsets mean nothing here */
	assert_int_equal(rd32(g, V2_PIDR2), 0);
	assert_int_equal(rd32(g, ITARGETSR + 32), 0);
	/* read-only registers ignore writes */
	wr32(g, TYPER, 0xffffffff);
	wr32(g, V3_PIDR2, 0);
	assert_int_equal(rd32(g, TYPER), 0x0048006f);
	assert_int_equal(rd32(g, V3_PIDR2), 0x30);
}

static void v2_ctlr_typer_iidr_pidr2(void **state)
{
	struct vgic *g = setup(2, 4);

	(void)state;
	assert_int_equal(rd32(g, CTLR), 0);
	wr32(g, CTLR, 0x1);
	assert_int_equal(rd32(g, CTLR), 0x1);
	wr32(g, CTLR, 0xffffffff);
	assert_int_equal(rd32(g, CTLR), 0x3);
	wr32(g, CTLR, 0x2);
	assert_int_equal(rd32(g, CTLR), 0x2);
	assert_false(g->grp0_enabled);
	assert_true(g->grp1_enabled);
	assert_int_equal(rd32(g, TYPER), 0x6f); /* ITLinesNumber 15, CPUNumber 3 */
	assert_int_equal(rd32(g, IIDR), IIDR_VALUE);
	assert_int_equal(rd32(g, V2_PIDR2), 0x20);
	assert_int_equal(rd32(g, V3_PIDR2), 0);
	assert_int_equal(rd32(g, IROUTER + 8 * 32), 0);

	g = setup(2, 8);
	assert_int_equal(rd32(g, TYPER), 0xef);
	g = setup(2, 1);
	assert_int_equal(rd32(g, TYPER), 0x0f);
}

/* --- write and read back, every group ------------------------------------- */

/* The groups that are the same in both versions, on SPIs 32-63 (all owned). */
static void readback_spi_groups(struct vgic *g, uint32_t group_reset)
{
	assert_int_equal(rd32(g, IGROUPR + 4), group_reset);
	wr32(g, IGROUPR + 4, 0x0000ffff);
	assert_int_equal(rd32(g, IGROUPR + 4), 0x0000ffff);
	wr32(g, IGROUPR + 4, 0xa5a5a5a5);
	assert_int_equal(rd32(g, IGROUPR + 4), 0xa5a5a5a5);

	assert_int_equal(rd32(g, ISENABLER + 4), 0);
	wr32(g, ISENABLER + 4, 0xf0f0f0f0);
	assert_int_equal(rd32(g, ISENABLER + 4), 0xf0f0f0f0);
	assert_int_equal(rd32(g, ICENABLER + 4), 0xf0f0f0f0);
	wr32(g, ICENABLER + 4, 0x30000001);
	assert_int_equal(rd32(g, ISENABLER + 4), 0xc0f0f0f0);
	assert_int_equal(rd32(g, ICENABLER + 4), 0xc0f0f0f0);

	wr32(g, ISPENDR + 4, 0x0000ff00);
	assert_int_equal(rd32(g, ISPENDR + 4), 0x0000ff00);
	assert_int_equal(rd32(g, ICPENDR + 4), 0x0000ff00);
	wr32(g, ICPENDR + 4, 0x00000f00);
	assert_int_equal(rd32(g, ISPENDR + 4), 0x0000f000);

	wr32(g, ISACTIVER + 4, 0x00ff0000);
	assert_int_equal(rd32(g, ISACTIVER + 4), 0x00ff0000);
	assert_int_equal(rd32(g, ICACTIVER + 4), 0x00ff0000);
	wr32(g, ICACTIVER + 4, 0x000f0000);
	assert_int_equal(rd32(g, ISACTIVER + 4), 0x00f00000);

	/* 5 priority bits: the low 3 read as zero */
	wr32(g, IPRIORITYR + 32, 0x12345678);
	assert_int_equal(rd32(g, IPRIORITYR + 32), 0x10305078);
	vgic_dist_write(g, 0, IPRIORITYR + 33, 1, 0xff);
	assert_int_equal(rd32(g, IPRIORITYR + 32), 0x1030f878);
	assert_int_equal(vgic_dist_read(g, 0, IPRIORITYR + 35, 1), 0x10);
	assert_int_equal(rd32(g, IPRIORITYR + 60), 0);

	/* Int_config: bit 1 of each pair writable, bit 0 RES0 */
	assert_int_equal(rd32(g, ICFGR + 8), 0);
	wr32(g, ICFGR + 8, 0xffffffff);
	assert_int_equal(rd32(g, ICFGR + 8), 0xaaaaaaaa);
	wr32(g, ICFGR + 8, 0x55555556);
	assert_int_equal(rd32(g, ICFGR + 8), 0x00000002);
}

static void v3_every_gicd_group_reads_back(void **state)
{
	struct vgic *g = setup(3, 4);

	(void)state;
	own_range(g, 32, 32);
	readback_spi_groups(g, 0xffffffff); /* GICv3 interrupts reset to group 1 */

	/* IROUTER<n>: Aff3 [39:32], IRM [31], Aff2..Aff0 [23:0]; the rest RES0 */
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 40, 8), 0);
	vgic_dist_write(g, 0, IROUTER + 8 * 40, 8, 0xffffffffffffffffull);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 40, 8), 0xff80ffffffull);
	vgic_dist_write(g, 0, IROUTER + 8 * 40, 8, 0x0000000300020100ull);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 40, 8), 0x0000000300020100ull);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 40, 4), 0x00020100);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 40 + 4, 4), 0x3);
	assert_int_equal(g->spis[40 - 32].route, 0x0000000300020100ull);
	/* the neighbours are untouched */
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 39, 8), 0);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 41, 8), 0);
}

static void v2_every_gicd_group_reads_back(void **state)
{
	struct vgic *g = setup(2, 4);

	(void)state;
	own_range(g, 32, 32);
	readback_spi_groups(g, 0); /* GICv2 resets to group 0 */

	/* ITARGETSR: SPI targets masked to the 4 existing vCPUs, byte accessible */
	assert_int_equal(rd32(g, ITARGETSR + 32), 0);
	wr32(g, ITARGETSR + 32, 0xffffffff);
	assert_int_equal(rd32(g, ITARGETSR + 32), 0x0f0f0f0f);
	vgic_dist_write(g, 0, ITARGETSR + 33, 1, 0x02);
	assert_int_equal(rd32(g, ITARGETSR + 32), 0x0f0f020f);
	assert_int_equal(vgic_dist_read(g, 0, ITARGETSR + 33, 1), 0x02);
	wr32(g, ITARGETSR + 36, 0x08040201);
	assert_int_equal(rd32(g, ITARGETSR + 36), 0x08040201);
	assert_int_equal(g->spis[36 - 32].targets, 0x01);
	assert_int_equal(g->spis[39 - 32].targets, 0x08);
}

/* GICv2: SGI/PPI registers are banked; ITARGETSR0-7 show the reader. */
static void v2_banked_private_registers(void **state)
{
	struct vgic *g = setup(2, 4);

	(void)state;
	/* SGIs enabled at reset, PPIs not */
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(vgic_dist_read(g, v, ISENABLER, 4), 0x0000ffff);
	vgic_dist_write(g, 1, ISENABLER, 4, 1u << 27);
	assert_int_equal(vgic_dist_read(g, 1, ISENABLER, 4), 0x0800ffff);
	assert_int_equal(vgic_dist_read(g, 0, ISENABLER, 4), 0x0000ffff);
	vgic_dist_write(g, 2, ICENABLER, 4, 0x00000003);
	assert_int_equal(vgic_dist_read(g, 2, ISENABLER, 4), 0x0000fffc);
	assert_int_equal(vgic_dist_read(g, 1, ISENABLER, 4), 0x0800ffff);

	vgic_dist_write(g, 3, IPRIORITYR + 24, 4, 0xa0a0a0a0);
	assert_int_equal(vgic_dist_read(g, 3, IPRIORITYR + 24, 4), 0xa0a0a0a0);
	assert_int_equal(vgic_dist_read(g, 0, IPRIORITYR + 24, 4), 0);

	for (unsigned v = 0; v < 4; v++) {
		uint32_t own = 0x01010101u << v;

		assert_int_equal(vgic_dist_read(g, v, ITARGETSR, 4), own);
		assert_int_equal(vgic_dist_read(g, v, ITARGETSR + 28, 4), own);
		assert_int_equal(vgic_dist_read(g, v, ITARGETSR + 5, 1), 1u << v);
		vgic_dist_write(g, v, ITARGETSR + 16, 4, 0);
		assert_int_equal(vgic_dist_read(g, v, ITARGETSR + 16, 4), own);
	}

	/* SGIs edge, PPIs level, both read-only */
	assert_int_equal(rd32(g, ICFGR), 0xaaaaaaaa);
	assert_int_equal(rd32(g, ICFGR + 4), 0);
	wr32(g, ICFGR, 0);
	wr32(g, ICFGR + 4, 0xffffffff);
	assert_int_equal(rd32(g, ICFGR), 0xaaaaaaaa);
	assert_int_equal(rd32(g, ICFGR + 4), 0);
}

/* GICv2 SGI pending state is per source: S/CPENDSGIR, not I*PENDR. */
static void v2_sgi_pending_per_source(void **state)
{
	struct vgic *g = setup(2, 4);

	(void)state;
	vgic_dist_write(g, 2, SPENDSGIR + 1, 1, 0x06); /* SGI 1 from vCPUs 1 and 2 */
	assert_int_equal(vgic_dist_read(g, 2, SPENDSGIR, 4), 0x00000600);
	assert_int_equal(vgic_dist_read(g, 2, CPENDSGIR, 4), 0x00000600);
	assert_int_equal(vgic_dist_read(g, 2, ISPENDR, 4), 0x00000002);
	assert_int_equal(vgic_dist_read(g, 0, SPENDSGIR, 4), 0);
	assert_int_equal(g->cpu[2].private[1].sgi_src, 0x6);

	/* a word write: SGI 4 from vCPU 0, SGI 7 from vCPU 3; source bits of missing vCPUs dropped
	 */
	vgic_dist_write(g, 2, SPENDSGIR + 4, 4, 0xf8000001);
	assert_int_equal(vgic_dist_read(g, 2, SPENDSGIR + 4, 4), 0x08000001);

	vgic_dist_write(g, 2, CPENDSGIR + 1, 1, 0x02);
	assert_int_equal(vgic_dist_read(g, 2, SPENDSGIR, 4), 0x00000400);
	vgic_dist_write(g, 2, CPENDSGIR + 4, 4, 0xffffffff);
	assert_int_equal(vgic_dist_read(g, 2, SPENDSGIR + 4, 4), 0);

	/* ISPENDR0/ICPENDR0 SGI bits ignore writes on GICv2 */
	vgic_dist_write(g, 2, ISPENDR, 4, 0x0000fff0);
	assert_int_equal(vgic_dist_read(g, 2, ISPENDR, 4), 0x00000002);
	vgic_dist_write(g, 2, ICPENDR, 4, 0x0000ffff);
	assert_int_equal(vgic_dist_read(g, 2, ISPENDR, 4), 0x00000002);
	/* PPIs do take them */
	vgic_dist_write(g, 2, ISPENDR, 4, 1u << 20);
	assert_int_equal(vgic_dist_read(g, 2, ISPENDR, 4), 0x00100002);
}

/* --- GICv3: the GICD has no SGIs/PPIs, the redistributors do ------------- */

static void v3_gicd_private_ranges_raz_wi(void **state)
{
	static const uint32_t regs[] = {IGROUPR,   ISENABLER, ICENABLER, ISPENDR,  ICPENDR,
					ISACTIVER, ICACTIVER, ICFGR,	 ICFGR + 4};
	struct vgic *g = setup(3, 2);

	(void)state;
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		assert_int_equal(rd32(g, regs[i]), 0);
		wr32(g, regs[i], 0xffffffff);
		assert_int_equal(rd32(g, regs[i]), 0);
	}
	for (unsigned off = 0; off < 32; off += 4) {
		wr32(g, IPRIORITYR + off, 0xffffffff);
		assert_int_equal(rd32(g, IPRIORITYR + off), 0);
	}
	for (unsigned n = 0; n < 32; n++) {
		vgic_dist_write(g, 0, IROUTER + 8 * n, 8, 1);
		assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * n, 8), 0);
	}
	/* nothing reached vCPU 0's banked state */
	assert_int_equal(rrd32(g, 0, SGI + ISENABLER), 0x0000ffff);
	assert_int_equal(rrd32(g, 0, SGI + IGROUPR), 0xffffffff);
	assert_int_equal(rrd32(g, 0, SGI + ICFGR), 0xaaaaaaaa);
	assert_int_equal(rrd32(g, 0, SGI + ISPENDR), 0);
	assert_int_equal(rrd32(g, 0, SGI + ISACTIVER), 0);
	assert_int_equal(rrd32(g, 0, SGI + IPRIORITYR), 0);
	assert_int_equal(kicks[0] + kicks[1], 0);
}

static void v3_redist_sgi_frame_reads_back(void **state)
{
	struct vgic *g = setup(3, 4);

	(void)state;
	assert_int_equal(rrd32(g, 1, SGI + IGROUPR), 0xffffffff);
	rwr32(g, 1, SGI + IGROUPR, 0x0000ffff);
	assert_int_equal(rrd32(g, 1, SGI + IGROUPR), 0x0000ffff);

	assert_int_equal(rrd32(g, 1, SGI + ISENABLER), 0x0000ffff);
	rwr32(g, 1, SGI + ISENABLER, 0x08000000);
	rwr32(g, 1, SGI + ICENABLER, 0x0000000f);
	assert_int_equal(rrd32(g, 1, SGI + ISENABLER), 0x0800fff0);
	assert_int_equal(rrd32(g, 1, SGI + ICENABLER), 0x0800fff0);

	rwr32(g, 1, SGI + ISPENDR, 0x00c00003);
	assert_int_equal(rrd32(g, 1, SGI + ISPENDR), 0x00c00003);
	rwr32(g, 1, SGI + ICPENDR, 0x00400001);
	assert_int_equal(rrd32(g, 1, SGI + ICPENDR), 0x00800002);

	rwr32(g, 1, SGI + ISACTIVER, 0x80000010);
	assert_int_equal(rrd32(g, 1, SGI + ISACTIVER), 0x80000010);
	rwr32(g, 1, SGI + ICACTIVER, 0x80000000);
	assert_int_equal(rrd32(g, 1, SGI + ICACTIVER), 0x00000010);

	rwr32(g, 1, SGI + IPRIORITYR + 24, 0xffa08060);
	assert_int_equal(rrd32(g, 1, SGI + IPRIORITYR + 24), 0xf8a08060);
	vgic_redist_write(g, 1, SGI + IPRIORITYR + 27, 1, 0x18);
	assert_int_equal(vgic_redist_read(g, 1, SGI + IPRIORITYR + 27, 1), 0x18);
	assert_int_equal(rrd32(g, 1, SGI + IPRIORITYR + 24), 0x18a08060);

	/* ICFGR0 (SGIs) edge, ICFGR1 (PPIs) level, both read-only */
	assert_int_equal(rrd32(g, 1, SGI + ICFGR), 0xaaaaaaaa);
	assert_int_equal(rrd32(g, 1, SGI + ICFGR + 4), 0);
	rwr32(g, 1, SGI + ICFGR, 0);
	rwr32(g, 1, SGI + ICFGR + 4, 0xaaaaaaaa);
	assert_int_equal(rrd32(g, 1, SGI + ICFGR), 0xaaaaaaaa);
	assert_int_equal(rrd32(g, 1, SGI + ICFGR + 4), 0);

	/* one security state, no LPIs */
	rwr32(g, 1, SGI + GICR_IGRPMODR, 0xffffffff);
	assert_int_equal(rrd32(g, 1, SGI + GICR_IGRPMODR), 0);
	rwr32(g, 1, SGI + GICR_NSACR, 0xffffffff);
	assert_int_equal(rrd32(g, 1, SGI + GICR_NSACR), 0);

	/* the other redistributors are untouched */
	assert_int_equal(rrd32(g, 0, SGI + ISENABLER), 0x0000ffff);
	assert_int_equal(rrd32(g, 2, SGI + ISPENDR), 0);
	assert_int_equal(rrd32(g, 3, SGI + IGROUPR), 0xffffffff);
}

/* The SGI_base frame must not reach SPIs through the GICD's offsets. */
static void v3_redist_sgi_frame_stops_at_32(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	own_range(g, 32, 32);
	rwr32(g, 0, SGI + ISENABLER + 4, 0xffffffff);
	rwr32(g, 0, SGI + IPRIORITYR + 32, 0xffffffff);
	rwr32(g, 0, SGI + ICFGR + 8, 0xffffffff);
	assert_int_equal(rrd32(g, 0, SGI + ISENABLER + 4), 0);
	assert_int_equal(rrd32(g, 0, SGI + IPRIORITYR + 32), 0);
	assert_int_equal(rd32(g, ISENABLER + 4), 0);
	assert_int_equal(rd32(g, IPRIORITYR + 32), 0);
	assert_int_equal(rd32(g, ICFGR + 8), 0);
	/* and there is no IROUTER or ITARGETSR there */
	vgic_redist_write(g, 0, SGI + IROUTER + 8 * 32, 8, 1);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 32, 8), 0);
}

static void v3_redist_typer_last_bit(void **state)
{
	struct vgic *g = setup(3, 4);

	(void)state;
	/* Affinity_Value [63:32] = Aff0 = index, Processor_Number [23:8], Last [4] */
	assert_int_equal(vgic_redist_read(g, 0, GICR_TYPER, 8), 0x0000000000000000ull);
	assert_int_equal(vgic_redist_read(g, 1, GICR_TYPER, 8), 0x0000000100000100ull);
	assert_int_equal(vgic_redist_read(g, 2, GICR_TYPER, 8), 0x0000000200000200ull);
	assert_int_equal(vgic_redist_read(g, 3, GICR_TYPER, 8), 0x0000000300000310ull);
	/* as two 32-bit halves */
	assert_int_equal(vgic_redist_read(g, 3, GICR_TYPER, 4), 0x00000310);
	assert_int_equal(vgic_redist_read(g, 3, GICR_TYPER + 4, 4), 0x00000003);
	/* a redistributor past the last vCPU does not exist */
	assert_int_equal(vgic_redist_read(g, 4, GICR_TYPER, 8), 0);

	g = setup(3, 1);
	assert_int_equal(vgic_redist_read(g, 0, GICR_TYPER, 8), 0x10);
	g = setup(3, MAX_CPUS);
	assert_int_equal(vgic_redist_read(g, 7, GICR_TYPER, 8), 0x0000000700000710ull);
	assert_int_equal(vgic_redist_read(g, 6, GICR_TYPER, 8), 0x0000000600000600ull);
}

static void v3_redist_waker_and_ids(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	/* reset: ProcessorSleep and ChildrenAsleep */
	assert_int_equal(rrd32(g, 1, GICR_WAKER), 0x6);
	rwr32(g, 1, GICR_WAKER, 0);
	assert_int_equal(rrd32(g, 1, GICR_WAKER), 0);
	assert_false(g->cpu[1].waker_asleep);
	assert_int_equal(rrd32(g, 0, GICR_WAKER), 0x6);
	rwr32(g, 1, GICR_WAKER, 0x4); /* ChildrenAsleep is read-only */
	assert_int_equal(rrd32(g, 1, GICR_WAKER), 0);
	rwr32(g, 1, GICR_WAKER, 0x2);
	assert_int_equal(rrd32(g, 1, GICR_WAKER), 0x6);

	rwr32(g, 1, GICR_CTLR, 0xffffffff); /* EnableLPIs and friends: RAZ/WI */
	assert_int_equal(rrd32(g, 1, GICR_CTLR), 0);
	assert_int_equal(rrd32(g, 1, GICR_IIDR), IIDR_VALUE);
	assert_int_equal(rrd32(g, 1, GICR_PIDR2), 0x30);
	assert_int_equal(rrd32(g, 1, SGI + GICR_PIDR2), 0);

	/* no redistributors on a GICv2 VM */
	g = setup(2, 2);
	assert_int_equal(rrd32(g, 0, GICR_PIDR2), 0);
	assert_int_equal(rrd32(g, 0, SGI + ISENABLER), 0);
}

/* --- ownership ------------------------------------------------------------ */

/* SPIs 64-95 are not the VM's: every group reads 0 and ignores writes. */
static void unowned_spis_raz_wi(struct vgic *g, bool v2)
{
	static const uint32_t bitregs[] = {IGROUPR, ISENABLER, ICENABLER, ISPENDR,
					   ICPENDR, ISACTIVER, ICACTIVER};

	for (unsigned i = 0; i < sizeof(bitregs) / sizeof(bitregs[0]); i++) {
		wr32(g, bitregs[i] + 8, 0xffffffff);
		assert_int_equal(rd32(g, bitregs[i] + 8), 0);
	}
	for (unsigned off = 64; off < 96; off += 4) {
		wr32(g, IPRIORITYR + off, 0xffffffff);
		assert_int_equal(rd32(g, IPRIORITYR + off), 0);
		if (v2) {
			wr32(g, ITARGETSR + off, 0xffffffff);
			assert_int_equal(rd32(g, ITARGETSR + off), 0);
		}
	}
	wr32(g, ICFGR + 16, 0xffffffff);
	wr32(g, ICFGR + 20, 0xffffffff);
	assert_int_equal(rd32(g, ICFGR + 16), 0);
	assert_int_equal(rd32(g, ICFGR + 20), 0);
	for (unsigned n = 64; n < 96; n++) {
		vgic_dist_write(g, 0, IROUTER + 8 * n, 8, 0x80000000);
		assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * n, 8), 0);
		assert_false(g->spis[n - 32].enabled || g->spis[n - 32].pending);
	}
	/* injecting one does nothing either */
	vgic_inject(g, -1, 0, 70);
	assert_false(g->spis[70 - 32].pending);
	assert_int_equal(g->cpu[0].nqueued, 0);
}

static void v3_unowned_spis_raz_wi(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	wr32(g, CTLR, 0x3);
	unowned_spis_raz_wi(g, false);
	assert_int_equal(kicks[0] + kicks[1], 0);
}

static void v2_unowned_spis_raz_wi(void **state)
{
	struct vgic *g = setup(2, 2);

	(void)state;
	wr32(g, CTLR, 0x3);
	unowned_spis_raz_wi(g, true);
	assert_int_equal(kicks[0] + kicks[1], 0);
}

/* One owned SPI among unowned ones: only its bit moves. */
static void ownership_is_per_interrupt(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	assert_int_equal(vgic_own_spi(g, 40, false), 0);
	wr32(g, ISENABLER + 4, 0xffffffff);
	assert_int_equal(rd32(g, ISENABLER + 4), 1u << 8);
	wr32(g, IPRIORITYR + 40, 0xffffffff);
	assert_int_equal(rd32(g, IPRIORITYR + 40), 0x000000f8);
	wr32(g, ICFGR + 8, 0xffffffff);
	assert_int_equal(rd32(g, ICFGR + 8), 0x00020000);
	/* out of range or private: refused */
	assert_int_equal(vgic_own_spi(g, 31, false), -1);
	assert_int_equal(vgic_own_spi(g, VGIC_NR_IRQS, false), -1);
	assert_int_equal(vgic_own_spi(g, VGIC_NR_IRQS - 1, false), 0);
	wr32(g, ISENABLER + 60, 0xffffffff);
	assert_int_equal(rd32(g, ISENABLER + 60), 0x80000000);
	/* past the INTIDs the VM has */
	wr32(g, ISENABLER + 64, 0xffffffff);
	assert_int_equal(rd32(g, ISENABLER + 64), 0);
}

/* --- access sizes ---------------------------------------------------------- */

static void access_sizes_and_alignment(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	own_range(g, 32, 32);
	/* bit registers are word-only */
	vgic_dist_write(g, 0, ISENABLER + 4, 1, 0xff);
	assert_int_equal(rd32(g, ISENABLER + 4), 0);
	wr32(g, ISENABLER + 4, 0xff);
	assert_int_equal(vgic_dist_read(g, 0, ISENABLER + 4, 1), 0);
	assert_int_equal(vgic_dist_read(g, 0, ISENABLER + 4, 2), 0);
	assert_int_equal(vgic_dist_read(g, 0, ISENABLER + 4, 8), 0);
	/* no halfwords anywhere */
	vgic_dist_write(g, 0, IPRIORITYR + 32, 2, 0xffff);
	assert_int_equal(rd32(g, IPRIORITYR + 32), 0);
	/* misaligned */
	vgic_dist_write(g, 0, IPRIORITYR + 33, 4, 0xffffffff);
	assert_int_equal(rd32(g, IPRIORITYR + 32), 0);
	assert_int_equal(rd32(g, IPRIORITYR + 36), 0);
	wr32(g, ISENABLER + 6, 0xffffffff);
	assert_int_equal(rd32(g, ISENABLER + 4), 0xff);
	/* not a power of two */
	vgic_dist_write(g, 0, IPRIORITYR + 32, 3, 0xffffff);
	assert_int_equal(rd32(g, IPRIORITYR + 32), 0);
	/* 32-bit registers refuse 64-bit accesses */
	vgic_dist_write(g, 0, CTLR, 8, 0x3);
	assert_int_equal(rd32(g, CTLR), 0x10);
	assert_int_equal(vgic_dist_read(g, 0, CTLR, 8), 0);
	/* IROUTER: word or doubleword, not bytes */
	vgic_dist_write(g, 0, IROUTER + 8 * 32, 1, 0x01);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 32, 8), 0);
	/* GICR_TYPER: not bytes */
	assert_int_equal(vgic_redist_read(g, 1, GICR_TYPER + 1, 1), 0);
	/* beyond the frame */
	assert_int_equal(vgic_dist_read(g, 0, 0x10000, 4), 0);
	assert_int_equal(vgic_redist_read(g, 0, 0x20000 + ISENABLER, 4), 0);
}

/* --- the bug other hypervisors shipped: IROUTER halves -------------------- */

static void irouter_written_as_two_halves_keeps_both(void **state)
{
	struct vgic *g = setup(3, 4);

	(void)state;
	own_range(g, 32, 64);
	/* low half then high half */
	vgic_dist_write(g, 0, IROUTER + 8 * 50, 4, 0x00030201);
	vgic_dist_write(g, 0, IROUTER + 8 * 50 + 4, 4, 0x00000004);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 50, 8), 0x0000000400030201ull);
	/* high half then low half */
	vgic_dist_write(g, 0, IROUTER + 8 * 51 + 4, 4, 0x00000007);
	vgic_dist_write(g, 0, IROUTER + 8 * 51, 4, 0x80000000);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 51, 8), 0x0000000780000000ull);
	/* rewriting one half leaves the other */
	vgic_dist_write(g, 0, IROUTER + 8 * 50, 4, 0x00000003);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 50, 8), 0x0000000400000003ull);
	vgic_dist_write(g, 0, IROUTER + 8 * 50 + 4, 4, 0);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 50, 8), 0x0000000000000003ull);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 50 + 4, 4), 0);
	/* the last SPI's router */
	vgic_dist_write(g, 0, IROUTER + 8 * 95 + 4, 4, 0x2);
	vgic_dist_write(g, 0, IROUTER + 8 * 95, 4, 0x1);
	assert_int_equal(vgic_dist_read(g, 0, IROUTER + 8 * 95, 8), 0x0000000200000001ull);
}

/* Passthrough SPIs mirror enable and routing changes to the arch. */
static void hw_spi_enable_and_route_mirrored(void **state)
{
	struct vgic *g = setup(3, 2);

	(void)state;
	assert_int_equal(vgic_own_spi(g, 48, true), 0);
	assert_true(g->spis[48 - 32].hw);
	assert_int_equal(g->spis[48 - 32].hwintid, 48);
	wr32(g, ISENABLER + 4, 1u << 16);
	assert_int_equal(hw_enables, 1);
	assert_int_equal(hw_last_intid, 48);
	assert_true(hw_last_enable);
	wr32(g, ISENABLER + 4, 1u << 16); /* no change, no call */
	assert_int_equal(hw_enables, 1);
	vgic_dist_write(g, 0, IROUTER + 8 * 48, 8, 1);
	assert_int_equal(hw_enables, 2);
	assert_true(hw_last_enable);
	wr32(g, ICENABLER + 4, 1u << 16);
	assert_int_equal(hw_enables, 3);
	assert_false(hw_last_enable);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v3_ctlr_typer_iidr_pidr2),
		cmocka_unit_test(v2_ctlr_typer_iidr_pidr2),
		cmocka_unit_test(v3_every_gicd_group_reads_back),
		cmocka_unit_test(v2_every_gicd_group_reads_back),
		cmocka_unit_test(v2_banked_private_registers),
		cmocka_unit_test(v2_sgi_pending_per_source),
		cmocka_unit_test(v3_gicd_private_ranges_raz_wi),
		cmocka_unit_test(v3_redist_sgi_frame_reads_back),
		cmocka_unit_test(v3_redist_sgi_frame_stops_at_32),
		cmocka_unit_test(v3_redist_typer_last_bit),
		cmocka_unit_test(v3_redist_waker_and_ids),
		cmocka_unit_test(v3_unowned_spis_raz_wi),
		cmocka_unit_test(v2_unowned_spis_raz_wi),
		cmocka_unit_test(ownership_is_per_interrupt),
		cmocka_unit_test(access_sizes_and_alignment),
		cmocka_unit_test(irouter_written_as_two_halves_keeps_both),
		cmocka_unit_test(hw_spi_enable_and_route_mirrored),
	};

	return cmocka_run_group_tests_name("vgic_regs", tests, NULL, NULL);
}

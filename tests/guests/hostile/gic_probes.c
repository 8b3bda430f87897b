/* SPDX-License-Identifier: MIT */
/* The distributor and redistributors beyond what the VM owns, and SGIs. */
#include "core/format.h"
#include "hostile.h"

#define GICD_CTLR	 0x0000
#define GICD_TYPER	 0x0004
#define GICD_IIDR	 0x0008
#define GICD_CTLR_ARE	 0x10
#define GICR_CTLR	 0x0000
#define GICR_TYPER	 0x0008
#define GICR_PROPBASER	 0x0070
#define GICR_PENDBASER	 0x0078
#define GICR_SGI	 0x10000
#define GICR_FRAME	 0x20000
#define GICR_TYPER_LAST	 (1u << 4)
#define ICC_SGI1R_EL1	 "s3_0_c12_c11_5"
#define ICC_ASGI1R_EL1	 "s3_0_c12_c11_6"
#define ICC_SGI0R_EL1	 "s3_0_c12_c11_7"
#define SGI1R_AFF1(a)	 ((uint64_t)(a) << 16)
#define SGI1R_AFF2(a)	 ((uint64_t)(a) << 32)
#define SGI1R_AFF3(a)	 ((uint64_t)(a) << 48)
#define SGI1R_RS(r)	 ((uint64_t)(r) << 44)
#define SGI1R_IRM	 (1ul << 40)
#define SGI1R_INTID(i)	 ((uint64_t)(i) << 24)
#define SGI_FOREIGN	 7
#define GICD_SGIR_LIST	 16
#define GICD_SGIR_FILTER 24

static char spi_list[64];

/* ---- SPIs it does not own ---- */

static uint64_t word(uint32_t base, unsigned int intid, unsigned int bits)
{
	return base + intid * bits / 32 * 4;
}

/*
 * Per-interrupt registers of every unowned SPI: set the field, read it
 * back. Nothing may stick. Set/clear pairs are cleared again, in case.
 */
static bool unowned_bit(uint32_t set, uint32_t clear, unsigned int intid, bool rmw)
{
	uint32_t bit = 1u << (intid % 32), off = (uint32_t)word(set, intid, 1), v;

	gicd_write32(off, rmw ? gicd_read32(off) | bit : bit);
	v = gicd_read32(off) & bit;
	if (clear)
		gicd_write32((uint32_t)word(clear, intid, 1), bit);
	else if (rmw)
		gicd_write32(off, gicd_read32(off) & ~bit);
	return !v;
}

static bool unowned_field(const char *reg, unsigned int intid)
{
	if (!__builtin_strcmp(reg, "IGROUPR"))
		return unowned_bit(GICD_IGROUPR, 0, intid, true);
	if (!__builtin_strcmp(reg, "ISENABLER"))
		return unowned_bit(GICD_ISENABLER, GICD_ICENABLER, intid, false);
	if (!__builtin_strcmp(reg, "ISPENDR"))
		return unowned_bit(GICD_ISPENDR, GICD_ICPENDR, intid, false);
	if (!__builtin_strcmp(reg, "ISACTIVER"))
		return unowned_bit(GICD_ISACTIVER, GICD_ICACTIVER, intid, false);
	if (!__builtin_strcmp(reg, "IPRIORITYR")) {
		gicd_write8(GICD_IPRIORITYR + intid, 0xa0);
		return !gicd_read8(GICD_IPRIORITYR + intid);
	}
	if (!__builtin_strcmp(reg, "ICFGR")) {
		uint32_t off = (uint32_t)word(GICD_ICFGR, intid, 2), bit = 2u << (intid % 16 * 2);
		uint32_t old = gicd_read32(off);
		bool ok;

		gicd_write32(off, old ^ bit);
		ok = (gicd_read32(off) & bit) == 0;
		gicd_write32(off, old);
		return ok;
	}
	if (!__builtin_strcmp(reg, "IROUTER")) {
		gicd_write64(GICD_IROUTER + 8 * intid, 1);
		return !gicd_read64(GICD_IROUTER + 8 * intid);
	}
	gicd_write8(GICD_ITARGETSR + intid, 0x2); /* ITARGETSR: vCPU 1 */
	return !gicd_read8(GICD_ITARGETSR + intid);
}

static void check_unowned(void)
{
	const char *regs[] = {"IGROUPR",    "ISENABLER", "ISPENDR", "ISACTIVER",
			      "IPRIORITYR", "ICFGR",	 "IROUTER"};
	size_t n = 0;

	if (!args.nunowned) {
		test_fail("gic: bootargs give no unowned= SPIs");
		return;
	}
	for (unsigned int i = 0; i < args.nunowned; i++)
		n += (size_t)str_format(spi_list + n, sizeof(spi_list) - n, i ? ",%lu" : "%lu",
					args.unowned[i]);
	if (vm.gic == 2)
		regs[6] = "ITARGETSR";
	for (unsigned int r = 0; r < 7; r++) {
		unsigned int bad = 0;

		for (unsigned int i = 0; i < args.nunowned; i++)
			if (!unowned_field(regs[r], (unsigned int)args.unowned[i]) && !bad)
				bad = (unsigned int)args.unowned[i];
		if (bad)
			test_fail("gic: unowned SPI %u: %s keeps a write", bad, regs[r]);
		else
			test_pass("gic: unowned SPIs %s: %s reads 0 after a write", spi_list,
				  regs[r]);
	}
}

/* Its own UART's SPI (owned=): the control case, it must read back. */
static void check_owned(void)
{
	for (unsigned int i = 0; i < args.nowned; i++) {
		unsigned int intid = (unsigned int)args.owned[i];
		uint32_t en, pr;

		gic_enable(intid);
		en = gic_is_enabled(intid);
		gic_disable(intid);
		gicd_write8(GICD_IPRIORITYR + intid, 0xa0);
		pr = gicd_read8(GICD_IPRIORITYR + intid);
		if (en && !gic_is_enabled(intid) && pr == 0xa0)
			test_pass("gic: its own SPI %u: ISENABLER and IPRIORITYR read back", intid);
		else
			test_fail("gic: its own SPI %u: enabled %u, priority 0x%x", intid, en, pr);
	}
}

/* ---- distributor control ---- */

static void check_ctlr(void)
{
	uint32_t ctlr = gicd_read32(GICD_CTLR), a, b;

	if (vm.gic == 3) {
		gicd_write32(GICD_CTLR, 0x3); /* both groups, ARE clear */
		a = gicd_read32(GICD_CTLR);
		gicd_write32(GICD_CTLR, ~0u);
		b = gicd_read32(GICD_CTLR);
		gicd_write32(GICD_CTLR, ctlr);
		if (a == (0x3 | GICD_CTLR_ARE) && b == a)
			test_pass("gic: GICD_CTLR.ARE stays 1 when written 0; no bits beyond the "
				  "group enables stick");
		else
			test_fail("gic: GICD_CTLR: wrote 0x3, read 0x%x; wrote ~0, read 0x%x", a,
				  b);
	} else {
		gicd_write32(GICD_CTLR, ~0u);
		a = gicd_read32(GICD_CTLR);
		gicd_write32(GICD_CTLR, ctlr);
		if (a == 0x3)
			test_pass(
				"gic: GICD_CTLR written all ones keeps only the two group enables");
		else
			test_fail("gic: GICD_CTLR: wrote ~0, read 0x%x", a);
	}
}

static void check_read_only(void)
{
	uint32_t typer = gicd_read32(GICD_TYPER), iidr = gicd_read32(GICD_IIDR);

	gicd_write32(GICD_TYPER, ~typer);
	gicd_write32(GICD_IIDR, ~iidr);
	if (gicd_read32(GICD_TYPER) == typer && gicd_read32(GICD_IIDR) == iidr)
		test_pass("gic: GICD_TYPER and GICD_IIDR ignore writes");
	else
		test_fail("gic: GICD_TYPER 0x%x -> 0x%x, GICD_IIDR 0x%x -> 0x%x after writes",
			  typer, gicd_read32(GICD_TYPER), iidr, gicd_read32(GICD_IIDR));
}

/* GICv3: exactly its two redistributors; no LPI tables anywhere. */
static void check_redists(void)
{
	uint64_t rd1 = vm.gicr_or_gicc + GICR_FRAME;
	uint64_t t0 = mmio_read64(vm.gicr_or_gicc + GICR_TYPER), t1 = mmio_read64(rd1 + GICR_TYPER);
	uint64_t prop, pend;
	uint32_t ctlr;

	if (vm.gicr_size == 2 * GICR_FRAME && !(t0 & GICR_TYPER_LAST) && (t1 & GICR_TYPER_LAST) &&
	    t0 >> 32 == 0 && t1 >> 32 == 1)
		test_pass("gic: two GICR frames (affinity 0 and 1), the second marked Last");
	else
		test_fail("gic: GICR region 0x%lx bytes, TYPER 0x%lx 0x%lx", vm.gicr_size, t0, t1);

	mmio_write64(vm.gicr_or_gicc + GICR_PROPBASER, hargs.neighbour_base | 0x7);
	mmio_write64(vm.gicr_or_gicc + GICR_PENDBASER, hargs.neighbour_base);
	mmio_write32(vm.gicr_or_gicc + GICR_CTLR, 1); /* EnableLPIs */
	prop = mmio_read64(vm.gicr_or_gicc + GICR_PROPBASER);
	pend = mmio_read64(vm.gicr_or_gicc + GICR_PENDBASER);
	ctlr = mmio_read32(vm.gicr_or_gicc + GICR_CTLR);
	if (!prop && !pend && !(ctlr & 1))
		test_pass("gic: GICR_PROPBASER/PENDBASER at neighbour RAM and EnableLPIs read 0 "
			  "(no LPIs)");
	else
		test_fail("gic: LPIs: PROPBASER 0x%lx PENDBASER 0x%lx GICR_CTLR 0x%x", prop, pend,
			  ctlr);
}

/* GICv2: pending SGIs from CPUs the VM does not have, and SPI targets. */
static void check_v2_banked(void)
{
	unsigned int intid = (unsigned int)(args.nowned ? args.owned[0] : 33);
	uint8_t t;
	uint32_t p;

	gicd_write8(GICD_SPENDSGIR + SGI_FOREIGN, 0xfc);
	p = gicd_read8(GICD_SPENDSGIR + SGI_FOREIGN);
	gicd_write8(GICD_CPENDSGIR + SGI_FOREIGN, 0xff);
	if (!p)
		test_pass("gic: GICD_SPENDSGIR from CPUs 2-7 (not in the VM) ignored");
	else
		test_fail("gic: GICD_SPENDSGIR from CPUs 2-7: SGI %u pending from 0x%x",
			  SGI_FOREIGN, p);

	t = gicd_read8(GICD_ITARGETSR + intid);
	gicd_write8(GICD_ITARGETSR + intid, 0xfd);
	p = gicd_read8(GICD_ITARGETSR + intid);
	gicd_write8(GICD_ITARGETSR + intid, t);
	if (p == 0x1)
		test_pass("gic: ITARGETSR of SPI %u written 0xfd keeps only its CPUs (0x1)", intid);
	else
		test_fail("gic: ITARGETSR of SPI %u written 0xfd reads 0x%x", intid, p);
}

void probe_gic(void)
{
	check_unowned();
	check_owned();
	check_ctlr();
	check_read_only();
	if (vm.gic == 3)
		check_redists();
	else
		check_v2_banked();
}

/* ---- SGIs to CPUs outside the VM ---- */

/* vCPU 1's SGI pending bit, from its redistributor (GICv3). */
static bool vcpu1_sgi_pending(unsigned int intid)
{
	return mmio_read32(vm.gicr_or_gicc + GICR_FRAME + GICR_SGI + GICD_ISPENDR) & (1u << intid);
}

static void vcpu1_sgi_clear(unsigned int intid)
{
	mmio_write32(vm.gicr_or_gicc + GICR_FRAME + GICR_SGI + GICD_ICPENDR, 1u << intid);
}

static void sgi1r(uint64_t v)
{
	dsb(sy);
	write_sysreg(s3_0_c12_c11_5, v);
	isb();
}

static void expect_nowhere(const char *how, uint64_t v)
{
	struct mark m = mark_now(0);
	bool v1;

	sgi1r(v | SGI1R_INTID(SGI_FOREIGN));
	delay_ms(QUIET_MS);
	v1 = vcpu1_sgi_pending(SGI_FOREIGN);
	vcpu1_sgi_clear(SGI_FOREIGN);
	if (took_nothing(0, m) && !v1)
		test_pass("sgi: ICC_SGI1R_EL1 %s: delivered nowhere", how);
	else
		test_fail("sgi: ICC_SGI1R_EL1 %s: cpu0 took %u, vcpu1 pending %u", how,
			  taken_since(0, m), v1);
}

static void sgis_v3(void)
{
	struct exc_record rec;
	struct mark m;
	uint64_t pc, pc2;
	bool v1;

	expect_nowhere("Aff1 1, list 0xffff (MPIDR 0x100-0x10f)", SGI1R_AFF1(1) | 0xffff);
	expect_nowhere("Aff2 1, list 0xffff (MPIDR 0x10000-0x1000f)", SGI1R_AFF2(1) | 0xffff);
	expect_nowhere("Aff3 1, list 0xffff (MPIDR 0x100000000-0x10000000f)",
		       SGI1R_AFF3(1) | 0xffff);
	expect_nowhere("RS 1, list 0xffff (Aff0 16-31)", SGI1R_RS(1) | 0xffff);
	expect_nowhere("list 0xfffc (Aff0 2-15, beyond its 2 vCPUs)", 0xfffc);

	/* All but self: vCPU 1 only, which is off and keeps it pending. */
	m = mark_now(0);
	sgi1r(SGI1R_IRM | SGI1R_INTID(SGI_FOREIGN));
	delay_ms(QUIET_MS);
	v1 = vcpu1_sgi_pending(SGI_FOREIGN);
	vcpu1_sgi_clear(SGI_FOREIGN);
	if (took_nothing(0, m) && v1)
		test_pass("sgi: ICC_SGI1R_EL1 IRM=1: pending at its vCPU 1 only, not at itself");
	else
		test_fail("sgi: ICC_SGI1R_EL1 IRM=1: cpu0 took %u, vcpu1 pending %u",
			  taken_since(0, m), v1);

	/* Group 0 and the other security state's Group 1: nowhere, or UNDEF. */
	m = mark_now(0);
	TRY_MSR(ICC_SGI0R_EL1, SGI1R_AFF1(1) | SGI1R_INTID(SGI_FOREIGN) | 0xffff, &rec, &pc);
	TRY_MSR(ICC_ASGI1R_EL1, SGI1R_AFF1(1) | SGI1R_INTID(SGI_FOREIGN) | 0xffff, &rec, &pc2);
	delay_ms(QUIET_MS);
	v1 = vcpu1_sgi_pending(SGI_FOREIGN);
	vcpu1_sgi_clear(SGI_FOREIGN);
	if (took_nothing(0, m) && !v1)
		test_pass("sgi: ICC_SGI0R_EL1/ICC_ASGI1R_EL1 to MPIDR 0x100-0x10f: nowhere (or "
			  "UNDEF)");
	else
		test_fail("sgi: ICC_SGI0R/ASGI1R to Aff1 1: cpu0 took %u, vcpu1 pending %u",
			  taken_since(0, m), v1);
}

static void sgir_expect(const char *how, uint32_t filter, uint32_t list)
{
	struct mark m = mark_now(0);

	dsb(sy);
	gicd_write32(GICD_SGIR, filter << GICD_SGIR_FILTER | list << GICD_SGIR_LIST | SGI_FOREIGN);
	delay_ms(QUIET_MS);
	if (took_nothing(0, m))
		test_pass("sgi: GICD_SGIR %s: not delivered to itself", how);
	else
		test_fail("sgi: GICD_SGIR %s: cpu0 took %u", how, taken_since(0, m));
}

void probe_sgis(void)
{
	gic_enable(SGI_FOREIGN);
	irq_unmask();
	if (vm.gic == 3)
		sgis_v3();
	else {
		sgir_expect("target list 0xfc (CPUs 2-7, beyond its 2 vCPUs)", 0, 0xfc);
		sgir_expect("filter 3 (reserved), list 0xff", 3, 0xff);
		sgir_expect("filter 1 (all but self)", 1, 0);
	}
	irq_mask();
}

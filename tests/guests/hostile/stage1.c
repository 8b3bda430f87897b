/* SPDX-License-Identifier: MIT */
/*
 * Its own stage 1, with the MMU on: mappings and a translation table that
 * point outside the VM, odd memory attributes on its own RAM, DC ZVA, cache
 * maintenance by set/way and by VA, and vectors rewritten at run time. The
 * stage 2 the hypervisor keeps must stop every one of them at the VM's edge.
 *
 * VA layout (4 KiB granule, 39-bit VA, TTBR0):
 *   0x00000000-0x3fffffff  identity, Device-nGnRnE (GIC, UART, ...)
 *   0x40000000-0x7fffffff  identity, Normal write-back (its RAM, and what is
 *                          not: Tessera, the host DTB, its neighbour)
 *   0x80000000 + 2 MiB * i aliases, see enum alias
 */
#include <string.h>

#include "hostile.h"

#define PTE_VALID    (1ul << 0)
#define PTE_TABLE    (1ul << 1)
#define PTE_ATTR(i)  ((uint64_t)(i) << 2)
#define PTE_SH_INNER (3ul << 8)
#define PTE_AF	     (1ul << 10)
#define PTE_PXN	     (1ul << 53)
#define PTE_UXN	     (1ul << 54)
#define BLOCK_NORMAL (PTE_VALID | PTE_ATTR(1) | PTE_SH_INNER | PTE_AF)
#define BLOCK_DEVICE (PTE_VALID | PTE_ATTR(0) | PTE_AF | PTE_PXN | PTE_UXN)
#define SZ_2M	     0x200000ul
#define SZ_1G	     0x40000000ul
#define ALIAS_BASE   0x80000000ul
/* attr0 Device-nGnRnE, 1 Normal WB, 2 Normal NC, 3 Normal WT, 4 Device-nGnRE */
#define MAIR_VALUE    0x04bb44ff00ul
#define TCR_T0SZ      25ul
#define TCR_T1SZ      (25ul << 16)
#define TCR_IRGN0_WB  (1ul << 8)
#define TCR_ORGN0_WB  (1ul << 10)
#define TCR_SH0_INNER (3ul << 12)
#define TCR_EPD1      (1ul << 23)
#define TCR_IRGN1_WB  (1ul << 24)
#define TCR_ORGN1_WB  (1ul << 26)
#define TCR_SH1_INNER (3ul << 28)
#define TCR_TG1_4K    (2ul << 30)
#define TCR_IPS_SHIFT 32
#define SCTLR_M	      (1ul << 0)
#define SCTLR_C	      (1ul << 2)
#define SCTLR_I	      (1ul << 12)
#define TTBR1_VA      0xffffff8000000000ul /* the first VA of TTBR1's range */
#define GICD_TYPER    0x0004
#define DCZID_DZP     (1u << 4)
#define CNTV_ENABLE   1u

enum alias {
	ALIAS_NC,	 /* its RAM base, Normal non-cacheable */
	ALIAS_WT,	 /* its RAM base, Normal write-through */
	ALIAS_DEV,	 /* its RAM base, Device-nGnRE */
	ALIAS_NEIGHBOUR, /* neighbour RAM, Normal WB */
	ALIAS_TESSERA,	 /* foreign=tessera@, Normal WB */
	ALIAS_GICD,	 /* the GICD, Normal WB */
	ALIAS_HOSTDTB,	 /* foreign=host-dtb@, Normal WB */
	ALIAS_COUNT,
};

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
/* Test data: in the image, so the clean before the MMU goes off covers it. */
static uint8_t buf[4096] __attribute__((aligned(4096)));
static uint32_t vectors[512] __attribute__((aligned(2048)));
extern char _head[], __image_end[];

static uint64_t alias(enum alias a)
{
	return ALIAS_BASE + SZ_2M * a;
}

static void build_tables(void)
{
	uint64_t ram2m = vm.ram_base & ~(SZ_2M - 1);

	memset(l1, 0, sizeof(l1));
	memset(l2, 0, sizeof(l2));
	l1[0] = 0 | BLOCK_DEVICE;
	l1[1] = SZ_1G | BLOCK_NORMAL;
	l1[2] = (uint64_t)l2 | PTE_VALID | PTE_TABLE;
	l2[ALIAS_NC] = ram2m | PTE_VALID | PTE_ATTR(2) | PTE_SH_INNER | PTE_AF;
	l2[ALIAS_WT] = ram2m | PTE_VALID | PTE_ATTR(3) | PTE_SH_INNER | PTE_AF;
	l2[ALIAS_DEV] = ram2m | PTE_VALID | PTE_ATTR(4) | PTE_AF | PTE_PXN | PTE_UXN;
	l2[ALIAS_NEIGHBOUR] = (hargs.neighbour_base & ~(SZ_2M - 1)) | BLOCK_NORMAL;
	l2[ALIAS_TESSERA] = (foreign_addr("tessera", 0x40200000) & ~(SZ_2M - 1)) | BLOCK_NORMAL;
	l2[ALIAS_GICD] = (vm.gicd & ~(SZ_2M - 1)) | BLOCK_NORMAL;
	l2[ALIAS_HOSTDTB] = (foreign_addr("host-dtb", 0x48000000) & ~(SZ_2M - 1)) | BLOCK_NORMAL;
}

static uint64_t tcr_value(bool ttbr1)
{
	uint64_t ips = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	if (ips > 5)
		ips = 5;
	return TCR_T0SZ | TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER | TCR_T1SZ | TCR_IRGN1_WB |
	       TCR_ORGN1_WB | TCR_SH1_INNER | TCR_TG1_4K | (ttbr1 ? 0 : TCR_EPD1) |
	       ips << TCR_IPS_SHIFT;
}

static void mmu_on(void)
{
	dsb(sy);
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, tcr_value(false));
	write_sysreg(ttbr0_el1, (uint64_t)l1);
	isb();
	asm volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
}

/* Everything cached goes to memory first: the guest runs uncached again after. */
static void mmu_off(void)
{
	uint64_t line = 4ul << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	for (uint64_t a = (uint64_t)_head; a < (uint64_t)__image_end; a += line)
		asm volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~(SCTLR_M | SCTLR_C | SCTLR_I));
	isb();
	asm volatile("tlbi vmalle1\n\tdsb nsh\n\tic iallu\n\tdsb nsh\n\tisb" ::: "memory");
}

static bool abort_at(uint64_t va, bool write)
{
	struct exc_record rec;

	if (write)
		probe_write32(va, 0, &rec);
	else
		(void)probe_read32(va, &rec);
	return was_sea(&rec, va);
}

static void check_outside(const char *what, uint64_t va)
{
	if (abort_at(va, false) && abort_at(va, true))
		test_pass("stage1: %s through its own mapping at VA 0x%lx: read and write abort",
			  what, va);
	else
		test_fail("stage1: %s at VA 0x%lx: no external abort", what, va);
}

/* A translation table of its own, in its neighbour's RAM: the walk itself must fail. */
static void check_table_outside(void)
{
	struct exc_record rec;
	uint32_t v;

	write_sysreg(ttbr1_el1, hargs.neighbour_base);
	write_sysreg(tcr_el1, tcr_value(true));
	isb();
	asm volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	v = probe_read32(TTBR1_VA, &rec);
	write_sysreg(tcr_el1, tcr_value(false));
	isb();
	asm volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
	/* DFSC 0x10, or 0x14-0x17: an external abort on the walk at some level. */
	if (rec.count == 1 && ESR_EC(rec.esr) == EC_DABT_CUR && rec.far == TTBR1_VA &&
	    (ESR_DFSC(rec.esr) == DFSC_SEA || (ESR_DFSC(rec.esr) & ~3u) == 0x14))
		test_pass("stage1: TTBR1 table in neighbour RAM: the walk aborts");
	else
		test_fail("stage1: TTBR1 table at 0x%lx: %s, read 0x%x", hargs.neighbour_base,
			  exc_text(&rec), v);
}

/* Its own RAM under other attributes: the same bytes, and only those. */
static void check_attributes(void)
{
	uint64_t off = (uint64_t)buf - (vm.ram_base & ~(SZ_2M - 1));
	uint64_t magic = (uint64_t)_head + 56 - (vm.ram_base & ~(SZ_2M - 1));
	volatile uint32_t *wb = (volatile uint32_t *)buf;
	uint32_t m_wb, m_nc, m_dev, a, b;

	m_wb = *(volatile uint32_t *)(_head + 56);
	m_nc = mmio_read32(alias(ALIAS_NC) + magic);
	m_dev = mmio_read32(alias(ALIAS_DEV) + magic);
	/* Written through the write-through alias, read through all three. */
	asm volatile("dc civac, %0\n\tdsb sy" : : "r"(buf) : "memory");
	mmio_write32(alias(ALIAS_WT) + off, 0xc0ffee11);
	dsb(sy);
	asm volatile("dc civac, %0\n\tdsb sy" : : "r"(buf) : "memory");
	a = wb[0];
	b = mmio_read32(alias(ALIAS_NC) + off);
	if (m_wb == 0x644d5241 && m_nc == m_wb && m_dev == m_wb && a == 0xc0ffee11 &&
	    b == 0xc0ffee11)
		test_pass(
			"stage1: its RAM through Normal-NC, write-through and Device aliases: the "
			"same data");
	else
		test_fail("stage1: aliases: magic WB 0x%x NC 0x%x Device 0x%x; WT write read 0x%x "
			  "(WB) 0x%x (NC)",
			  m_wb, m_nc, m_dev, a, b);
}

/* The GICD mapped as Normal memory is still only the emulated GICD. */
static void check_gicd_normal(void)
{
	uint64_t va = alias(ALIAS_GICD) + (vm.gicd & (SZ_2M - 1));
	uint32_t typer = mmio_read32(vm.gicd + GICD_TYPER), v;
	struct exc_record rec;

	v = probe_read32(va + GICD_TYPER, &rec);
	if (!rec.count && v == typer)
		test_pass("stage1: GICD mapped as Normal memory: LDR still emulated");
	else
		test_fail("stage1: GICD as Normal memory: %s, read 0x%x, expected 0x%x",
			  exc_text(&rec), v, typer);
}

static void check_dc_zva(void)
{
	uint32_t dczid = (uint32_t)read_sysreg(dczid_el0);
	uint64_t bs = 4ul << (dczid & 0xf), pc, pc2, pc3;
	uint64_t gicd_va = alias(ALIAS_GICD) + (vm.gicd & (SZ_2M - 1));
	uint64_t neighbour_va = alias(ALIAS_NEIGHBOUR) + (hargs.neighbour_base & (SZ_2M - 1));
	uint32_t typer = mmio_read32(vm.gicd + GICD_TYPER);
	bool dzp = dczid & DCZID_DZP, zero = true, kept = true;
	struct exc_record rec, r2, r3;

	memset(buf, 0xa5, sizeof(buf));
	TRY_INSN_X("dc zva", buf + bs, &rec, &pc);
	for (uint64_t i = 0; i < sizeof(buf); i++) {
		if (i >= bs && i < 2 * bs)
			zero = zero && !buf[i];
		else
			kept = kept && buf[i] == 0xa5;
	}
	/* Prohibited (DCZID_EL0.DZP, e.g. trapped by HCR_EL2.TDZ): then an UNDEF. */
	if (dzp ? was_undef(&rec, pc) : !rec.count && zero && kept && bs <= sizeof(buf) / 2)
		test_pass("stage1: DC ZVA on its own RAM zeroes exactly one block (or UNDEF where "
			  "DCZID_EL0.DZP prohibits it)");
	else
		test_fail("stage1: DC ZVA on its own RAM: %s, DZP %u, block %lu bytes, zeroed %u, "
			  "rest kept %u",
			  exc_text(&rec), dzp, bs, zero, kept);

	TRY_INSN_X("dc zva", neighbour_va, &r2, &pc2);
	TRY_INSN_X("dc zva", gicd_va, &r3, &pc3);
	if ((dzp ? was_undef(&r2, pc2) : was_sea(&r2, neighbour_va)) &&
	    (dzp ? was_undef(&r3, pc3) : was_sea(&r3, gicd_va) || !r3.count) &&
	    mmio_read32(vm.gicd + GICD_TYPER) == typer)
		test_pass("stage1: DC ZVA on neighbour RAM and on the GICD: external abort (or "
			  "UNDEF)");
	else
		test_fail("stage1: DC ZVA on neighbour RAM: %s; on the GICD: %s", exc_text(&r2),
			  exc_text(&r3));
}

/* Cache maintenance by VA on what is not its own: an abort, or nothing at all. */
static void check_dc_va_outside(void)
{
	uint64_t va = alias(ALIAS_NEIGHBOUR) + (hargs.neighbour_base & (SZ_2M - 1)), pc;
	struct exc_record r1, r2, r3;

	TRY_INSN_X("dc civac", va, &r1, &pc);
	TRY_INSN_X("dc ivac", va, &r2, &pc);
	TRY_INSN_X("dc cvac", va, &r3, &pc);
	if ((!r1.count || was_sea(&r1, va)) && (!r2.count || was_sea(&r2, va)) &&
	    (!r3.count || was_sea(&r3, va)))
		test_pass("stage1: DC CIVAC/IVAC/CVAC on neighbour RAM: external abort or no-op");
	else
		test_fail("stage1: DC by VA on neighbour RAM: %s; %s", exc_text(&r1),
			  exc_text(&r2));
}

/* DC IVAC on dirty data of its own: with stage 2 on, it must clean too. */
static void check_dc_ivac(void)
{
	volatile uint64_t *p = (volatile uint64_t *)(buf + 256);

	*p = 0x1111222233334444ul;
	asm volatile("dc ivac, %0\n\tdsb sy" : : "r"(p) : "memory");
	if (*p == 0x1111222233334444ul)
		test_pass("stage1: DC IVAC on its own dirty line: the data survives");
	else
		test_fail("stage1: DC IVAC discarded written data: 0x%lx", *p);
}

/* Every set and way of every data or unified cache level, three ways. */
static unsigned int set_way_all(void)
{
	uint64_t clidr = read_sysreg(clidr_el1);
	bool ccidx = ((read_sysreg(id_aa64mmfr2_el1) >> 20) & 0xf) != 0;
	unsigned int ops = 0;

	for (unsigned int level = 0; level < 7; level++) {
		unsigned int ctype = (clidr >> (3 * level)) & 7;
		uint64_t ccsidr, sets, ways, line;
		unsigned int wshift;

		if (ctype < 2)
			continue;
		write_sysreg(csselr_el1, level << 1);
		isb();
		ccsidr = read_sysreg(ccsidr_el1);
		line = (ccsidr & 7) + 4;
		if (ccidx) {
			ways = ((ccsidr >> 3) & 0x1fffff) + 1;
			sets = ((ccsidr >> 32) & 0xffffff) + 1;
		} else {
			ways = ((ccsidr >> 3) & 0x3ff) + 1;
			sets = ((ccsidr >> 13) & 0x7fff) + 1;
		}
		wshift = ways > 1 ? (unsigned int)__builtin_clzl(ways - 1) - 32 : 0;
		for (uint64_t w = 0; w < ways; w++) {
			for (uint64_t s = 0; s < sets; s++) {
				uint64_t op = (ways > 1 ? w << wshift : 0) | s << line | level << 1;

				asm volatile("dc isw, %0" : : "r"(op) : "memory");
				asm volatile("dc csw, %0" : : "r"(op) : "memory");
				asm volatile("dc cisw, %0" : : "r"(op) : "memory");
				ops++;
			}
		}
	}
	dsb(sy);
	return ops;
}

static void check_set_way(void)
{
	volatile uint64_t *p = (volatile uint64_t *)(buf + 1024);
	struct exc_record rec;
	unsigned int ops, bad = 0;

	for (unsigned int i = 0; i < 64; i++)
		p[i] = 0x5e75a5e75a000000ul | i;
	exception_arm(NULL);
	ops = set_way_all();
	exception_disarm(&rec);
	for (unsigned int i = 0; i < 64; i++)
		if (p[i] != (0x5e75a5e75a000000ul | i))
			bad++;
	if (!rec.count && !bad && ops)
		test_pass("caches: DC ISW/CSW/CISW over every set and way (CLIDR/CCSIDR): data "
			  "written before survives");
	else
		test_fail("caches: set/way maintenance: %s, %u operations, %u of 64 words lost",
			  exc_text(&rec), ops, bad);
}

/* ---- vectors rewritten at run time ---- */

/* movz x0, #imm; mrs x1, elr_el1; add x1, x1, #4; msr elr_el1, x1; eret */
static void write_handler(uint16_t imm)
{
	uint32_t *v = vectors + 0x200 / 4;

	v[0] = 0xd2800000u | (uint32_t)imm << 5;
	v[1] = 0xd5384021u;
	v[2] = 0x91001021u;
	v[3] = 0xd5184021u;
	v[4] = 0xd69f03e0u;
	for (unsigned int i = 0; i < 5; i++) {
		asm volatile("dc cvau, %0" : : "r"(&v[i]) : "memory");
	}
	dsb(ish);
	for (unsigned int i = 0; i < 5; i++)
		asm volatile("ic ivau, %0" : : "r"(&v[i]) : "memory");
	dsb(ish);
	isb();
}

static uint64_t take_udf(void)
{
	register uint64_t x0 asm("x0") = 0;

	asm volatile("udf #0" : "+r"(x0) : : "x1", "memory");
	return x0;
}

static void check_vectors(void)
{
	uint64_t vbar = read_sysreg(vbar_el1), a, b;

	for (unsigned int i = 0; i < 512; i++)
		vectors[i] = 0x14000000u; /* b . */
	write_handler(0x1234);
	write_sysreg(vbar_el1, (uint64_t)vectors);
	isb();
	a = take_udf();
	write_handler(0x5678);
	b = take_udf();
	write_sysreg(vbar_el1, vbar);
	isb();
	if (a == 0x1234 && b == 0x5678)
		test_pass("stage1: vectors rewritten at run time (DC CVAU, IC IVAU): each new "
			  "handler runs");
	else
		test_fail("stage1: rewritten vectors: handler returned 0x%lx then 0x%lx", a, b);
}

void probe_stage1(void)
{
	build_tables();
	mmu_on();
	test_pass("stage1: MMU on, its own tables (VA 39 bits, 4 KiB granule)");
	check_outside("neighbour RAM", hargs.neighbour_base);
	check_outside("neighbour RAM alias",
		      alias(ALIAS_NEIGHBOUR) + (hargs.neighbour_base & (SZ_2M - 1)));
	check_outside("Tessera's image alias",
		      alias(ALIAS_TESSERA) + (foreign_addr("tessera", 0x40200000) & (SZ_2M - 1)));
	check_outside("host DTB alias",
		      alias(ALIAS_HOSTDTB) + (foreign_addr("host-dtb", 0x48000000) & (SZ_2M - 1)));
	check_table_outside();
	check_attributes();
	check_gicd_normal();
	check_dc_zva();
	check_dc_va_outside();
	check_dc_ivac();
	check_set_way();
	check_vectors();
	mmu_off();
}

/* SPDX-License-Identifier: MIT */
/*
 * ID register sanitization: what a VM reads, from what its CPUs report.
 * Host values are built field by field from the Arm ARM (DDI 0487) layouts
 * and the expected guest values are spelled out, field by field, from the
 * policy in docs/trap-policy.md; neither is computed with core/id_regs.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/id_regs.h"

/* (CRm, Op2) of the registers used here */
#define PFR0_32	  ID_IDX(1, 0)
#define PFR1_32	  ID_IDX(1, 1)
#define DFR0_32	  ID_IDX(1, 2)
#define AFR0_32	  ID_IDX(1, 3)
#define MMFR3_32  ID_IDX(1, 7)
#define ISAR0_32  ID_IDX(2, 0)
#define MMFR4_32  ID_IDX(2, 6)
#define MVFR0	  ID_IDX(3, 0)
#define PFR2_32	  ID_IDX(3, 4)
#define DFR1_32	  ID_IDX(3, 5)
#define PFR0	  ID_IDX(4, 0)
#define PFR1	  ID_IDX(4, 1)
#define PFR2	  ID_IDX(4, 2)
#define ZFR0	  ID_IDX(4, 4)
#define SMFR0	  ID_IDX(4, 5)
#define FPFR0	  ID_IDX(4, 7)
#define DFR0	  ID_IDX(5, 0)
#define DFR1	  ID_IDX(5, 1)
#define DFR2	  ID_IDX(5, 2)
#define AFR0	  ID_IDX(5, 4)
#define AFR1	  ID_IDX(5, 5)
#define ISAR0	  ID_IDX(6, 0)
#define ISAR1	  ID_IDX(6, 1)
#define ISAR2	  ID_IDX(6, 2)
#define ISAR3	  ID_IDX(6, 3)
#define MMFR0	  ID_IDX(7, 0)
#define MMFR1	  ID_IDX(7, 1)
#define MMFR2	  ID_IDX(7, 2)
#define MMFR3	  ID_IDX(7, 3)
#define MMFR4	  ID_IDX(7, 4)
#define RESERVED1 ID_IDX(3, 3)
#define RESERVED2 ID_IDX(4, 3)
#define RESERVED3 ID_IDX(7, 7)

/* One 4-bit field: value v at bit `shift`. */
#define F(shift, v) ((uint64_t)(v) << (shift))

static uint64_t guest(unsigned idx, const struct id_regs *a, const struct id_regs *b, bool v3)
{
	const struct id_regs *cpus[2] = {a, b};

	return id_reg_guest(idx, cpus, b ? 2 : 1, v3);
}

/* ---- a QEMU -cpu max CPU, as Tessera captures it ------------------------ */

static struct id_regs qemu_max(void)
{
	struct id_regs r = {0};

	r.reg[PFR0_32] = 0x11020131;
	r.reg[PFR1_32] = 0x10011001;
	r.reg[DFR0_32] = 0x0600000a;
	r.reg[ID_IDX(1, 4)] = 0x10101105;
	r.reg[ID_IDX(1, 5)] = 0x40000000;
	r.reg[ID_IDX(1, 6)] = 0x01260000;
	r.reg[MMFR3_32] = 0x02122211;
	r.reg[ISAR0_32] = 0x02101110;
	r.reg[MMFR4_32] = 0x20021110;
	r.reg[MVFR0] = 0x10110222;
	r.reg[PFR2_32] = 0x11;
	r.reg[DFR1_32] = 0x10;
	r.reg[PFR0] = 0x1301001121110222;
	r.reg[PFR1] = 0x0000001001000121;
	r.reg[ZFR0] = 0x0110110100210021;
	r.reg[SMFR0] = 0x80f100fd00000000;
	r.reg[DFR0] = 0x100000001030560a;
	r.reg[ISAR0] = 0x1221111110212120;
	r.reg[ISAR1] = 0x0111211110211502;
	r.reg[ISAR2] = 0x0000000000110012;
	r.reg[MMFR0] = 0x2100032310201126;
	r.reg[MMFR1] = 0x0110112010312122;
	r.reg[MMFR2] = 0x1221011112011011;
	r.reg[MMFR3] = 0x1000000000000000;
	return r;
}

static void qemu_max_aarch64(void **state)
{
	struct id_regs c = qemu_max();

	(void)state;
	/* CSV3 1, CSV2 3, DIT 1, SVE 1, GIC 1, AdvSIMD 1, FP 1, EL1 1 (was 2),
	 * EL0 2; RAS 2 and EL2 2 hidden */
	assert_int_equal(guest(PFR0, &c, NULL, true), 0x1301000101110012);
	/* SME 1, SSBS 2, BT 1; NMI 1 and MTE 1 hidden */
	assert_int_equal(guest(PFR1, &c, NULL, true), 0x0000000001000021);
	/* CTX_CMPs 1, WRPs 3, BRPs 5, DebugVer 0xa; HPMN0 1 and PMUVer 6 hidden */
	assert_int_equal(guest(DFR0, &c, NULL, true), 0x000000001030500a);
	/* ECV 2 -> 1, PARange 6 -> 5; FGT 1, TGran4_2 3, TGran64_2 2, TGran16_2 3 hidden */
	assert_int_equal(guest(MMFR0, &c, NULL, true), 0x1000000010201125);
	/* HCX 1, XNX 1, LO 1, VH 1, VMIDBits 2 hidden */
	assert_int_equal(guest(MMFR1, &c, NULL, true), 0x0110102000302002);
	/* EVT 2, NV 2, FWB 1 hidden */
	assert_int_equal(guest(MMFR2, &c, NULL, true), 0x1021001110011011);
	assert_int_equal(guest(MMFR3, &c, NULL, true), 0x1000000000000000);
	/* MOPS 1 hidden */
	assert_int_equal(guest(ISAR2, &c, NULL, true), 0x0000000000100012);
	/* all shown */
	assert_int_equal(guest(ISAR0, &c, NULL, true), 0x1221111110212120);
	assert_int_equal(guest(ISAR1, &c, NULL, true), 0x0111211110211502);
	assert_int_equal(guest(ZFR0, &c, NULL, true), 0x0110110100210021);
	assert_int_equal(guest(SMFR0, &c, NULL, true), 0x80f100fd00000000);
}

static void qemu_max_aarch32(void **state)
{
	struct id_regs c = qemu_max();

	(void)state;
	/* RAS 1 and AMU hidden */
	assert_int_equal(guest(PFR0_32, &c, NULL, true), 0x01020131);
	/* Virtualization 1 hidden; GIC 1 */
	assert_int_equal(guest(PFR1_32, &c, NULL, true), 0x10010001);
	/* PerfMon 6 hidden */
	assert_int_equal(guest(DFR0_32, &c, NULL, true), 0x0000000a);
	/* EVT 2 and XNX 1 hidden */
	assert_int_equal(guest(MMFR4_32, &c, NULL, true), 0x00021010);
	/* HPMN0 hidden */
	assert_int_equal(guest(DFR1_32, &c, NULL, true), 0);
	assert_int_equal(guest(ID_IDX(1, 4), &c, NULL, true), 0x10101105);
	assert_int_equal(guest(ID_IDX(1, 5), &c, NULL, true), 0x40000000);
	assert_int_equal(guest(ID_IDX(1, 6), &c, NULL, true), 0x01260000);
	assert_int_equal(guest(MMFR3_32, &c, NULL, true), 0x02122211);
	assert_int_equal(guest(ISAR0_32, &c, NULL, true), 0x02101110);
	assert_int_equal(guest(MVFR0, &c, NULL, true), 0x10110222);
	assert_int_equal(guest(PFR2_32, &c, NULL, true), 0x11);
}

/* ---- a host with everything Tessera does not give ---------------------- */

static struct id_regs everything(void)
{
	struct id_regs r;

	memset(&r, 0, sizeof(r));
	/* CSV3 1, CSV2 2, RME 1, DIT 1, AMU 1, MPAM 1, SEL2 1, SVE 1, RAS 2, GIC 1,
	 * AdvSIMD 1, FP 1, EL3 1, EL2 1, EL1 1, EL0 1 */
	r.reg[PFR0] = 0x1211111121111111;
	/* PFAR 1, DF2 1, MTEX 1, THE 1, GCS 1, MTE_frac 0, NMI 1, CSV2_frac 2,
	 * RNDR_trap 1, SME 2, MPAM_frac 1, RAS_frac 1, MTE 3, SSBS 2, BT 1 */
	r.reg[PFR1] = 0x1111101212011321;
	r.reg[PFR2] = 0x0000000000000121;  /* MTEFAR, MTESTOREONLY, ... */
	r.reg[FPFR0] = 0x8000000040000000; /* F8CVT, ... */
	/* HPMN0 1, ExtTrcBuff 1, BRBE 2, MTPMU 1, TraceBuffer 1, TraceFilt 1,
	 * DoubleLock 0, PMSVer 3, CTX_CMPs 1, SEBEP 1, WRPs 3, PMSS 1, BRPs 5,
	 * PMUVer 7, TraceVer 1, DebugVer 9 */
	r.reg[DFR0] = 0x1121110311315719;
	r.reg[DFR1] = 0x0000000100000000; /* SPMU */
	r.reg[DFR2] = 0x11;
	r.reg[AFR0] = 0xffff;
	r.reg[AFR1] = 0xffff;
	/* TME 1 among the rest */
	r.reg[ISAR0] = 0x1111111111111110;
	/* LS64 3 among the rest */
	r.reg[ISAR1] = 0x3111111111111111;
	/* ATS1A, LUT, CSSC, RPRFM, SYSREG_128, CLRBHB, PAC_frac, BC, MOPS 1, APA3, GPA3,
	 * RPRES, WFxT 2 */
	r.reg[ISAR2] = 0x1111001011111112;
	r.reg[ISAR3] = 0x111;
	/* ECV 2, FGT 2, EXS 1, TGran4_2 2, TGran64_2 2, TGran16_2 2, TGran4 0,
	 * TGran64 0, TGran16 1, BigEndEL0 1, SNSMem 1, BigEnd 1, ASIDBits 2, PARange 5 */
	r.reg[MMFR0] = 0x2200122200111125;
	/* ECBHB 1, CMOW 1, TIDCP1 1, nTLBPA 1, AFP 1, HCX 1, ETS 1, TWED 1, XNX 1,
	 * SpecSEI 1, PAN 3, LO 1, HPDS 2, VH 1, VMIDBits 2, HAFDBS 2 */
	r.reg[MMFR1] = 0x1111111111312122;
	/* E0PD 1, EVT 2, BBM 2, TTL 1, FWB 1, IDS 1, AT 1, ST 1, NV 2, CCIDX 1,
	 * VARange 1, IESB 1, LSM 1, UAO 1, CnP 1 */
	r.reg[MMFR2] = 0x1221011111211111;
	/* Spec_FPACC 1, then D128, S1PIE, TCRX, SCTLRX... */
	r.reg[MMFR3] = 0x1111111111111111;
	r.reg[MMFR4] = 0x0000000000100011; /* E2H0, NV_frac, ... */
	return r;
}

static void hidden_features(void **state)
{
	struct id_regs c = everything();

	(void)state;
	/* CSV3 1, CSV2 2, DIT 1, SVE 1, GIC 1, AdvSIMD 1, FP 1, EL3 1, EL1 1, EL0 1:
	 * no RME, AMU, MPAM, SEL2, RAS, EL2 */
	assert_int_equal(guest(PFR0, &c, NULL, true), 0x1201000101111011);
	/* CSV2_frac 2, SME 2, SSBS 2, BT 1: no MTE, GCS, THE, NMI, ... */
	assert_int_equal(guest(PFR1, &c, NULL, true), 0x0000000202000021);
	/* CTX_CMPs 1, WRPs 3, BRPs 5, DebugVer 9, DoubleLock 0: no PMU, SPE,
	 * trace, TRBE, BRBE */
	assert_int_equal(guest(DFR0, &c, NULL, true), 0x0000000010305009);
	/* no TME */
	assert_int_equal(guest(ISAR0, &c, NULL, true), 0x1111111110111110);
	/* no LS64 */
	assert_int_equal(guest(ISAR1, &c, NULL, true), 0x0111111111111111);
	/* CSSC, RPRFM, CLRBHB, PAC_frac, BC, APA3, GPA3, RPRES, WFxT: no MOPS,
	 * SYSREG_128, ATS1A, LUT */
	assert_int_equal(guest(ISAR2, &c, NULL, true), 0x0011000011101112);
	/* ECV 1, EXS 1, TGran16 1, BigEndEL0 1, SNSMem 1, BigEnd 1, ASIDBits 2,
	 * PARange 5: no FGT, no stage 2 granules */
	assert_int_equal(guest(MMFR0, &c, NULL, true), 0x1000100000111125);
	/* no HCX, TWED, XNX, LO, VH, VMIDBits */
	assert_int_equal(guest(MMFR1, &c, NULL, true), 0x1111101001302002);
	/* no EVT, FWB, NV */
	assert_int_equal(guest(MMFR2, &c, NULL, true), 0x1021001110211111);
	assert_int_equal(guest(MMFR3, &c, NULL, true), 0x1000000000000000);
	/* whole registers hidden */
	assert_int_equal(guest(PFR2, &c, NULL, true), 0);
	assert_int_equal(guest(FPFR0, &c, NULL, true), 0);
	assert_int_equal(guest(DFR1, &c, NULL, true), 0);
	assert_int_equal(guest(DFR2, &c, NULL, true), 0);
	assert_int_equal(guest(AFR0, &c, NULL, true), 0);
	assert_int_equal(guest(AFR1, &c, NULL, true), 0);
	assert_int_equal(guest(ISAR3, &c, NULL, true), 0);
	assert_int_equal(guest(MMFR4, &c, NULL, true), 0);
}

/* ---- big.LITTLE: the value every CPU of the VM supports ----------------- */

static void min_across_cpus(void **state)
{
	struct id_regs little, big;

	(void)state;
	memset(&little, 0, sizeof(little));
	memset(&big, 0, sizeof(big));
	/* little: AArch32 EL0, no SVE, FP16 (1) in FP and AdvSIMD, CSV2 1;
	 * big: AArch64 only, SVE, FP 0, AdvSIMD 0, CSV2 2 */
	little.reg[PFR0] = F(0, 2) | F(4, 1) | F(16, 1) | F(20, 1) | F(56, 1);
	big.reg[PFR0] = F(0, 1) | F(4, 1) | F(16, 0) | F(20, 0) | F(32, 1) | F(56, 2);
	/* AES 2 / 1, SHA2 1 / 2, SHA3 0 / 1, DP 1 / 1, Atomic 2 / 2 */
	little.reg[ISAR0] = F(4, 2) | F(12, 1) | F(44, 1) | F(20, 2);
	big.reg[ISAR0] = F(4, 1) | F(12, 2) | F(32, 1) | F(44, 1) | F(20, 2);
	/* PARange 2 (40 bits) / 5; TGran64 0 (present) / 0xf (absent);
	 * TGran4 0 / 0; TGran16 1 / 0 */
	little.reg[MMFR0] = F(0, 2) | F(24, 0) | F(20, 1);
	big.reg[MMFR0] = F(0, 5) | F(24, 0xf);
	/* DoubleLock 0 (present) / 0xf (absent); BRPs 5 / 3; DebugVer 6 / 8 */
	little.reg[DFR0] = F(36, 0) | F(12, 5) | F(0, 6);
	big.reg[DFR0] = F(36, 0xf) | F(12, 3) | F(0, 8);
	/* AArch32 state exists on little only */
	little.reg[ISAR0_32] = 0x02101110;
	big.reg[ISAR0_32] = 0xdeadbeef; /* UNKNOWN without AArch32 */

	/* EL0 1 (AArch64 only), EL1 1, FP 0, AdvSIMD 0, SVE 0, CSV2 1 */
	assert_int_equal(guest(PFR0, &little, &big, true), F(0, 1) | F(4, 1) | F(56, 1));
	assert_int_equal(guest(PFR0, &big, &little, true), F(0, 1) | F(4, 1) | F(56, 1));
	/* AES 1, SHA2 1, Atomic 2, DP 1 */
	assert_int_equal(guest(ISAR0, &little, &big, true),
			 F(4, 1) | F(12, 1) | F(20, 2) | F(44, 1));
	/* PARange 2, TGran64 0xf (signed: absent is lowest), TGran16 0 */
	assert_int_equal(guest(MMFR0, &little, &big, true), F(0, 2) | F(24, 0xf));
	assert_int_equal(guest(MMFR0, &big, &little, true), F(0, 2) | F(24, 0xf));
	/* DoubleLock 0xf, BRPs 3, DebugVer 6 */
	assert_int_equal(guest(DFR0, &little, &big, true), F(36, 0xf) | F(12, 3) | F(0, 6));
	/* AArch32 EL0 is not on every CPU: its registers read as 0 */
	assert_int_equal(guest(ISAR0_32, &little, &big, true), 0);
	assert_int_equal(guest(ISAR0_32, &little, NULL, true), 0x02101110);
}

/* Signed fields: FP absent (0xf) on one CPU makes it absent for the VM. */
static void signed_fields(void **state)
{
	struct id_regs a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.reg[PFR0] = F(0, 1) | F(4, 1) | F(16, 0xf) | F(20, 0xf);
	b.reg[PFR0] = F(0, 1) | F(4, 1) | F(16, 1) | F(20, 1);
	assert_int_equal(guest(PFR0, &a, &b, true), F(0, 1) | F(4, 1) | F(16, 0xf) | F(20, 0xf));
	assert_int_equal(guest(PFR0, &b, NULL, true), F(0, 1) | F(4, 1) | F(16, 1) | F(20, 1));
	/* TGran4 1 (52-bit) and 0: 0 */
	a.reg[MMFR0] = F(28, 1);
	b.reg[MMFR0] = F(28, 0);
	assert_int_equal(guest(MMFR0, &a, &b, true), 0);
	/* ID_MMFR3_EL1.Supersec: 0 present, 0xf absent */
	a.reg[PFR0] = F(0, 2) | F(4, 1); /* AArch32 EL0: the AArch32 registers show */
	b.reg[PFR0] = a.reg[PFR0];
	a.reg[MMFR3_32] = F(28, 0);
	b.reg[MMFR3_32] = F(28, 0xf);
	assert_int_equal(guest(MMFR3_32, &a, &b, true), F(28, 0xf));
}

/* ID_AA64SMFR0_EL1 mixes 1-bit and 4-bit fields: bit by bit where 1-bit. */
static void single_bit_fields(void **state)
{
	struct id_regs a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	/* a: FA64, I16I64 0xf, F64F64, F32F32, F16F32;  b: I8I32 0xf, F32F32, BI32I32,
	 * B16F32 (nibble [35:32] = 0x9 vs 0x7: a nibble-wise minimum would say 0x7) */
	a.reg[SMFR0] = (1ull << 63) | F(52, 0xf) | (1ull << 48) | (1ull << 32) | (1ull << 35);
	b.reg[SMFR0] = F(36, 0xf) | (1ull << 32) | (1ull << 33) | (1ull << 34);
	assert_int_equal(guest(SMFR0, &a, &b, true), 1ull << 32);
	/* FP8 forms (F8F16, F8F32 at 41, 40) are hidden even when all CPUs have them */
	a.reg[SMFR0] = (1ull << 41) | (1ull << 40) | (1ull << 42);
	assert_int_equal(guest(SMFR0, &a, NULL, true), 1ull << 42);
}

/* ---- the GIC field follows the VM's vGIC -------------------------------- */

static void gic_field(void **state)
{
	struct id_regs c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.reg[PFR0] = F(0, 2) | F(4, 1) | F(24, 3); /* GICv4.1 system registers */
	c.reg[PFR1_32] = F(28, 2) | F(0, 1);
	assert_int_equal(guest(PFR0, &c, NULL, true), F(0, 2) | F(4, 1) | F(24, 1));
	assert_int_equal(guest(PFR0, &c, NULL, false), F(0, 2) | F(4, 1));
	assert_int_equal(guest(PFR1_32, &c, NULL, true), F(28, 1) | F(0, 1));
	assert_int_equal(guest(PFR1_32, &c, NULL, false), F(0, 1));
}

/* ---- reserved encodings and nonsense ------------------------------------ */

static void reserved_read_as_zero(void **state)
{
	struct id_regs c;

	(void)state;
	memset(&c, 0xff, sizeof(c));
	assert_int_equal(guest(RESERVED1, &c, NULL, true), 0);
	assert_int_equal(guest(RESERVED2, &c, NULL, true), 0);
	assert_int_equal(guest(RESERVED3, &c, NULL, true), 0);
	assert_int_equal(guest(AFR0_32, &c, NULL, true), 0);
	assert_int_equal(id_reg_guest(ID_REGS_NR, NULL, 0, true), 0);
	assert_int_equal(id_reg_guest(PFR0, NULL, 0, true), 0);
}

/* All ones everywhere: the caps show (EL1 1, PARange 5, ECV 1, GIC 1). */
static void caps(void **state)
{
	struct id_regs c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.reg[PFR0] = F(0, 2) | F(4, 2) | F(24, 1);
	c.reg[MMFR0] = F(0, 6) | F(60, 2);
	assert_int_equal(guest(PFR0, &c, NULL, true), F(0, 2) | F(4, 1) | F(24, 1));
	assert_int_equal(guest(MMFR0, &c, NULL, true), F(0, 5) | F(60, 1));
	c.reg[MMFR0] = F(0, 4) | F(60, 1); /* 44 bits: under the cap, as is */
	assert_int_equal(guest(MMFR0, &c, NULL, true), F(0, 4) | F(60, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_max_aarch64),
		cmocka_unit_test(qemu_max_aarch32),
		cmocka_unit_test(hidden_features),
		cmocka_unit_test(min_across_cpus),
		cmocka_unit_test(signed_fields),
		cmocka_unit_test(single_bit_fields),
		cmocka_unit_test(gic_field),
		cmocka_unit_test(reserved_read_as_zero),
		cmocka_unit_test(caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

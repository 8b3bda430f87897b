/* SPDX-License-Identifier: MIT */
/*
 * Trapped system register accesses (ESR_EL2.EC 0x18): the syndrome decode,
 * the table (sorted, every row reachable, unknown encodings UNDEF or, in the
 * ID space, read as zero), each row's handler and set/way batching.
 * Syndromes are built from the ISS layout of the Arm ARM (exception from
 * MSR, MRS or a System instruction), not from core/sysreg_trap.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/sysreg_trap.h"
#include "core/vm.h"
#include "vgic/vgic.h"

/* ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], read [0] */
#define ISS(op0, op1, crn, crm, op2, rt, rd)                                                       \
	((uint32_t)(op0) << 20 | (uint32_t)(op2) << 17 | (uint32_t)(op1) << 14 |                   \
	 (uint32_t)(crn) << 10 | (uint32_t)(rt) << 5 | (uint32_t)(crm) << 1 | (uint32_t)(rd))

#define POISON 0xdeadbeefcafef00dull

static struct vm vm;
static struct id_regs host[MAX_CPUS];
static struct setway_walk walk;
static unsigned kicks[MAX_CPUS];

static void kick(struct vgic *g, unsigned vcpu)
{
	(void)g;
	kicks[vcpu]++;
}

static void hw_enable(struct vgic *g, uint32_t hwintid, bool enable)
{
	(void)g;
	(void)hwintid;
	(void)enable;
}

static const struct vgic_ops ops = {.kick = kick, .hw_enable = hw_enable};

/* A 2-vCPU VM on physical CPUs 1 and 3, whose ID registers differ. */
static int setup(unsigned gic_version)
{
	memset(&vm, 0, sizeof(vm));
	memset(host, 0, sizeof(host));
	memset(kicks, 0, sizeof(kicks));
	memset(&walk, 0, sizeof(walk));
	vm.nvcpus = 2;
	for (unsigned i = 0; i < 2; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].idx = i;
		vm.vcpus[i].pcpu = 1 + 2 * i;
		for (unsigned r = 0; r < 31; r++)
			vm.vcpus[i].regs.x[r] = POISON + r;
	}
	vgic_init(&vm.vgic, gic_version, 2, &ops);
	/* ID_AA64ISAR0_EL1: AES 2 / 1, SHA2 1 / 2 (CPU 0 and 2 are not the VM's) */
	host[1].reg[ID_IDX(6, 0)] = 0x1210;
	host[3].reg[ID_IDX(6, 0)] = 0x2120;
	host[0].reg[ID_IDX(6, 0)] = 0;
	host[2].reg[ID_IDX(6, 0)] = 0;
	/* reserved encodings hold junk: they must still read as zero */
	host[1].reg[ID_IDX(3, 3)] = ~0ull;
	host[3].reg[ID_IDX(3, 3)] = ~0ull;
	return 0;
}

static int setup_v3(void **state)
{
	(void)state;
	return setup(3);
}

static int setup_v2(void **state)
{
	(void)state;
	return setup(2);
}

static enum sysreg_result run(unsigned vcpu, uint32_t iss, uint64_t exit)
{
	struct sysreg_access a;
	struct sysreg_ctx c = {.v = &vm.vcpus[vcpu], .host = host, .walk = &walk, .exit = exit};

	sysreg_decode(iss, &a);
	return sysreg_emulate(&c, &a);
}

/* ---- decode ------------------------------------------------------------- */

static void decode(void **state)
{
	struct sysreg_access a;

	(void)state;
	sysreg_decode(0x300069, &a); /* MRS x3, ID_AA64PFR0_EL1 */
	assert_int_equal(a.enc, SYSREG(3, 0, 0, 4, 0));
	assert_int_equal(a.rt, 3);
	assert_true(a.read);

	sysreg_decode(0x3a3036, &a); /* MSR ICC_SGI1R_EL1, x1 */
	assert_int_equal(a.enc, SYSREG(3, 0, 12, 11, 5));
	assert_int_equal(a.rt, 1);
	assert_false(a.read);

	sysreg_decode(0x141cfc, &a); /* DC CISW, x7 */
	assert_int_equal(a.enc, SYSREG(1, 0, 7, 14, 2));
	assert_int_equal(a.rt, 7);
	assert_false(a.read);

	sysreg_decode(0x3fffdf, &a); /* MRS x30, S3_7_C15_C15_7: every field all ones */
	assert_int_equal(a.enc, SYSREG(3, 7, 15, 15, 7));
	assert_int_equal(a.rt, 30);
	assert_true(a.read);

	sysreg_decode(0x3003e3, &a); /* MRS xzr, ID_PFR0_EL1 */
	assert_int_equal(a.enc, SYSREG(3, 0, 0, 1, 0));
	assert_int_equal(a.rt, 31);
	assert_true(a.read);
}

/* The packing orders by (Op0, Op1, CRn, CRm, Op2) and keeps every field. */
static void encoding_fields(void **state)
{
	uint32_t e = SYSREG(2, 5, 9, 12, 6);

	(void)state;
	assert_int_equal(SYSREG_OP0(e), 2);
	assert_int_equal(SYSREG_OP1(e), 5);
	assert_int_equal(SYSREG_CRN(e), 9);
	assert_int_equal(SYSREG_CRM(e), 12);
	assert_int_equal(SYSREG_OP2(e), 6);
	assert_true(SYSREG(1, 7, 15, 15, 7) < SYSREG(2, 0, 0, 0, 0));
	assert_true(SYSREG(3, 0, 15, 15, 7) < SYSREG(3, 1, 0, 0, 0));
	assert_true(SYSREG(3, 0, 0, 15, 7) < SYSREG(3, 0, 1, 0, 0));
	assert_true(SYSREG(3, 0, 0, 1, 7) < SYSREG(3, 0, 0, 2, 0));
}

/* ---- the table ---------------------------------------------------------- */

static void table_sorted_and_reachable(void **state)
{
	(void)state;
	assert_int_equal(sysreg_nrows, 53);
	for (unsigned i = 0; i < sysreg_nrows; i++) {
		const struct sysreg_row *r = &sysreg_rows[i];

		if (i > 0)
			assert_true(sysreg_rows[i - 1].enc < r->enc);
		assert_ptr_equal(sysreg_find(r->enc), r);
		assert_non_null(r->name);
		assert_non_null(r->access);
	}
}

static void table_rows(void **state)
{
	static const struct {
		uint32_t enc;
		const char *name;
	} expect[] = {
		{SYSREG(1, 0, 7, 6, 2), "DC ISW"},
		{SYSREG(1, 0, 7, 10, 2), "DC CSW"},
		{SYSREG(1, 0, 7, 14, 2), "DC CISW"},
		{SYSREG(2, 0, 1, 0, 0), "MDRAR_EL1"},
		{SYSREG(3, 0, 0, 1, 0), "ID_PFR0_EL1"},
		{SYSREG(3, 0, 0, 2, 6), "ID_MMFR4_EL1"},
		{SYSREG(3, 0, 0, 3, 6), "ID_MMFR5_EL1"},
		{SYSREG(3, 0, 0, 4, 0), "ID_AA64PFR0_EL1"},
		{SYSREG(3, 0, 0, 4, 5), "ID_AA64SMFR0_EL1"},
		{SYSREG(3, 0, 0, 4, 7), "ID_AA64FPFR0_EL1"},
		{SYSREG(3, 0, 0, 5, 0), "ID_AA64DFR0_EL1"},
		{SYSREG(3, 0, 0, 6, 2), "ID_AA64ISAR2_EL1"},
		{SYSREG(3, 0, 0, 7, 4), "ID_AA64MMFR4_EL1"},
		{SYSREG(3, 0, 1, 0, 1), "ACTLR_EL1"},
		{SYSREG(3, 0, 12, 11, 5), "ICC_SGI1R_EL1"},
		{SYSREG(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1"},
		{SYSREG(3, 0, 12, 11, 7), "ICC_SGI0R_EL1"},
		{SYSREG(3, 3, 14, 2, 0), "CNTP_TVAL_EL0"},
		{SYSREG(3, 3, 14, 2, 1), "CNTP_CTL_EL0"},
		{SYSREG(3, 3, 14, 2, 2), "CNTP_CVAL_EL0"},
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		const struct sysreg_row *r = sysreg_find(expect[i].enc);

		assert_non_null(r);
		assert_string_equal(r->name, expect[i].name);
	}
	assert_int_equal(sysreg_rows[0].enc, SYSREG(1, 0, 7, 6, 2));
	assert_int_equal(sysreg_rows[sysreg_nrows - 1].enc, SYSREG(3, 3, 14, 2, 2));
}

static void table_misses(void **state)
{
	static const uint32_t misses[] = {
		SYSREG(0, 0, 0, 0, 0),	SYSREG(1, 0, 7, 6, 1),	/* DC IVAC: not trapped */
		SYSREG(1, 0, 7, 6, 3),	SYSREG(1, 0, 7, 14, 1), /* DC CIVAC */
		SYSREG(3, 0, 0, 0, 0), /* MIDR_EL1: VPIDR_EL2, never trapped */
		SYSREG(3, 0, 0, 3, 3), /* reserved ID space */
		SYSREG(3, 0, 0, 8, 0),	SYSREG(3, 0, 1, 0, 0), /* SCTLR_EL1 */
		SYSREG(3, 1, 15, 2, 0), /* CPUACTLR_EL1 (IMPLEMENTATION DEFINED) */
		SYSREG(3, 3, 9, 12, 0), /* PMCR_EL0 */
		SYSREG(3, 3, 14, 2, 3), SYSREG(3, 7, 15, 15, 7),
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(misses) / sizeof(misses[0]); i++)
		assert_null(sysreg_find(misses[i]));
}

/* ---- ID registers ------------------------------------------------------- */

/* Both vCPUs read the same: AES 1, SHA2 1 (the lower of CPUs 1 and 3). */
static void id_read_same_on_every_vcpu(void **state)
{
	(void)state;
	assert_int_equal(run(0, ISS(3, 0, 0, 6, 0, 5, 1), 1), SYSREG_DONE);
	assert_int_equal(vm.vcpus[0].regs.x[5], 0x1110);
	assert_int_equal(run(1, ISS(3, 0, 0, 6, 0, 0, 1), 1), SYSREG_DONE);
	assert_int_equal(vm.vcpus[1].regs.x[0], 0x1110);
	/* nothing else written */
	assert_int_equal(vm.vcpus[0].regs.x[4], POISON + 4);
	assert_int_equal(vm.vcpus[0].regs.x[6], POISON + 6);
}

static void id_write_undef(void **state)
{
	(void)state;
	assert_int_equal(run(0, ISS(3, 0, 0, 6, 0, 5, 0), 1), SYSREG_UNDEF);
	assert_int_equal(vm.vcpus[0].regs.x[5], POISON + 5);
}

static void id_read_to_xzr(void **state)
{
	(void)state;
	assert_int_equal(run(0, ISS(3, 0, 0, 6, 0, 31, 1), 1), SYSREG_DONE);
	for (unsigned r = 0; r < 31; r++)
		assert_int_equal(vm.vcpus[0].regs.x[r], POISON + r);
}

/* Reserved ID space: read as zero (whatever the CPU holds), write UNDEF. */
static void id_space_reserved(void **state)
{
	(void)state;
	assert_int_equal(run(0, ISS(3, 0, 0, 3, 3, 2, 1), 1), SYSREG_DONE);
	assert_int_equal(vm.vcpus[0].regs.x[2], 0);
	assert_int_equal(run(0, ISS(3, 0, 0, 7, 7, 3, 1), 1), SYSREG_DONE);
	assert_int_equal(vm.vcpus[0].regs.x[3], 0);
	assert_int_equal(run(0, ISS(3, 0, 0, 3, 3, 4, 0), 1), SYSREG_UNDEF);
	assert_int_equal(vm.vcpus[0].regs.x[4], POISON + 4);
}

/* CRm 0 (MIDR...) and CRm 8+ are outside the ID space: no row, UNDEF. */
static void outside_id_space_undef(void **state)
{
	(void)state;
	assert_int_equal(run(0, ISS(3, 0, 0, 0, 0, 2, 1), 1), SYSREG_UNDEF);
	assert_int_equal(run(0, ISS(3, 0, 0, 8, 0, 2, 1), 1), SYSREG_UNDEF);
	assert_int_equal(run(0, ISS(3, 1, 0, 1, 0, 2, 1), 1), SYSREG_UNDEF);
	assert_int_equal(vm.vcpus[0].regs.x[2], POISON + 2);
}

/* ---- everything else ---------------------------------------------------- */

static void unknown_undef(void **state)
{
	(void)state;
	assert_int_equal(run(0, ISS(3, 3, 9, 12, 0, 1, 1), 1), SYSREG_UNDEF); /* MRS PMCR_EL0 */
	assert_int_equal(run(0, ISS(3, 1, 15, 2, 0, 1, 0), 1), SYSREG_UNDEF); /* CPUACTLR_EL1 */
	assert_int_equal(run(0, ISS(3, 0, 10, 4, 7, 1, 1), 1), SYSREG_UNDEF); /* LORID_EL1 */
	assert_int_equal(run(0, ISS(3, 0, 5, 3, 0, 1, 1), 1), SYSREG_UNDEF);  /* ERRIDR_EL1 */
	assert_int_equal(run(0, ISS(3, 3, 13, 2, 0, 1, 1), 1), SYSREG_UNDEF); /* AMCR_EL0 */
	assert_int_equal(run(0, ISS(1, 0, 7, 6, 4, 1, 0), 1), SYSREG_UNDEF);  /* DC IGSW */
	assert_int_equal(vm.vcpus[0].regs.x[1], POISON + 1);
}

static void actlr_raz_wi(void **state)
{
	(void)state;
	assert_int_equal(run(0, ISS(3, 0, 1, 0, 1, 9, 1), 1), SYSREG_DONE);
	assert_int_equal(vm.vcpus[0].regs.x[9], 0);
	vm.vcpus[0].regs.x[9] = 0x1234;
	assert_int_equal(run(0, ISS(3, 0, 1, 0, 1, 9, 0), 1), SYSREG_DONE);
	assert_int_equal(run(0, ISS(3, 0, 1, 0, 1, 10, 1), 1), SYSREG_DONE);
	assert_int_equal(vm.vcpus[0].regs.x[10], 0);
}

static void mdrar_raz_read_only(void **state)
{
	(void)state;
	assert_int_equal(run(1, ISS(2, 0, 1, 0, 0, 8, 1), 1), SYSREG_DONE);
	assert_int_equal(vm.vcpus[1].regs.x[8], 0);
	assert_int_equal(run(1, ISS(2, 0, 1, 0, 0, 8, 0), 1), SYSREG_UNDEF);
}

static void phys_timer_undef(void **state)
{
	(void)state;
	for (unsigned op2 = 0; op2 < 3; op2++) {
		assert_int_equal(run(0, ISS(3, 3, 14, 2, op2, 4, 1), 1), SYSREG_UNDEF);
		assert_int_equal(run(0, ISS(3, 3, 14, 2, op2, 4, 0), 1), SYSREG_UNDEF);
	}
	assert_int_equal(vm.vcpus[0].regs.x[4], POISON + 4);
}

/* ICC_SGI1R_EL1 = 1 << 1 (TargetList: vCPU 1) | SGI 5 << 24 */
static void sgi1r_to_own_vcpu(void **state)
{
	(void)state;
	vm.vcpus[0].regs.x[6] = 5ull << 24 | 1u << 1;
	assert_int_equal(run(0, ISS(3, 0, 12, 11, 5, 6, 0), 1), SYSREG_DONE);
	assert_true(vm.vgic.cpu[1].private[5].pending);
	assert_false(vm.vgic.cpu[0].private[5].pending);
	/* write-only */
	assert_int_equal(run(0, ISS(3, 0, 12, 11, 5, 6, 1), 1), SYSREG_UNDEF);
	/* Group 0 and other-security-state Group 1 SGIs are not emulated */
	assert_int_equal(run(0, ISS(3, 0, 12, 11, 6, 6, 0), 1), SYSREG_UNDEF);
	assert_int_equal(run(0, ISS(3, 0, 12, 11, 7, 6, 0), 1), SYSREG_UNDEF);
}

/* From XZR: SGI 0 to TargetList 0, i.e. nobody. */
static void sgi1r_from_xzr(void **state)
{
	(void)state;
	assert_int_equal(run(1, ISS(3, 0, 12, 11, 5, 31, 0), 1), SYSREG_DONE);
	assert_false(vm.vgic.cpu[0].private[0].pending);
	assert_false(vm.vgic.cpu[1].private[0].pending);
	assert_int_equal(kicks[0] + kicks[1], 0);
}

static void sgi1r_gicv2_undef(void **state)
{
	(void)state;
	vm.vcpus[0].regs.x[6] = 5ull << 24 | 1u << 1;
	assert_int_equal(run(0, ISS(3, 0, 12, 11, 5, 6, 0), 1), SYSREG_UNDEF);
	assert_false(vm.vgic.cpu[1].private[5].pending);
}

/* ---- set/way ------------------------------------------------------------ */

#define OP(level, set) ((uint64_t)(set) << 6 | (uint64_t)(level) << 1)
#define CISW	       SYSREG(1, 0, 7, 14, 2)
#define CSW	       SYSREG(1, 0, 7, 10, 2)

static void setway_walk_batches(void **state)
{
	struct setway_walk w = {0};

	(void)state;
	/* a walk over levels 0 and 1, one trap per exit */
	assert_true(setway_flush_needed(&w, 10, CISW, OP(0, 255)));
	assert_false(setway_flush_needed(&w, 11, CISW, OP(0, 254)));
	assert_false(setway_flush_needed(&w, 12, CISW, OP(0, 0)));
	assert_false(setway_flush_needed(&w, 13, CISW, OP(1, 1023)));
	assert_false(setway_flush_needed(&w, 14, CISW, OP(1, 0)));
	/* the next walk starts again at level 0: flush */
	assert_true(setway_flush_needed(&w, 15, CISW, OP(0, 255)));
	assert_false(setway_flush_needed(&w, 16, CISW, OP(0, 254)));
	/* an interrupt (exit 17) in the middle: flush again, to be safe */
	assert_true(setway_flush_needed(&w, 18, CISW, OP(0, 253)));
	assert_false(setway_flush_needed(&w, 19, CISW, OP(0, 252)));
	/* much later, same level: a new walk */
	assert_true(setway_flush_needed(&w, 1000, CISW, OP(0, 252)));
}

/* A one-level cache walked twice in a row, no exit between: two walks. */
static void setway_walk_restarts_at_its_first_op(void **state)
{
	struct setway_walk w = {0};

	(void)state;
	assert_true(setway_flush_needed(&w, 1, CISW, OP(0, 2)));
	assert_false(setway_flush_needed(&w, 2, CSW, OP(0, 2))); /* other instruction */
	assert_false(setway_flush_needed(&w, 3, CISW, OP(0, 1)));
	assert_false(setway_flush_needed(&w, 4, CISW, OP(0, 0)));
	assert_true(setway_flush_needed(&w, 5, CISW, OP(0, 2)));
	assert_false(setway_flush_needed(&w, 6, CISW, OP(0, 1)));
}

static void setway_first_ever_flushes(void **state)
{
	struct setway_walk w = {0};

	(void)state;
	/* exit 1 right after a zeroed walk (exit 0): still the first */
	assert_true(setway_flush_needed(&w, 1, CISW, OP(0, 0)));
	assert_int_equal(w.exit, 1);
	assert_int_equal(w.level, 0);
	assert_int_equal(w.first, OP(0, 0));
	assert_int_equal(w.first_enc, CISW);
	assert_true(w.active);
}

/* Through the table: DC ISW, CSW and CISW all count as one walk. */
static void setway_rows(void **state)
{
	(void)state;
	vm.vcpus[0].regs.x[7] = OP(0, 3);
	assert_int_equal(run(0, ISS(1, 0, 7, 6, 2, 7, 0), 5), SYSREG_FLUSH);  /* DC ISW */
	assert_int_equal(run(0, ISS(1, 0, 7, 10, 2, 7, 0), 6), SYSREG_DONE);  /* DC CSW */
	assert_int_equal(run(0, ISS(1, 0, 7, 14, 2, 7, 0), 7), SYSREG_DONE);  /* DC CISW */
	assert_int_equal(run(0, ISS(1, 0, 7, 14, 2, 7, 0), 9), SYSREG_FLUSH); /* exit 8 between */
	/* SYSL forms do not exist */
	assert_int_equal(run(0, ISS(1, 0, 7, 14, 2, 7, 1), 10), SYSREG_UNDEF);
	/* the register is an operand, never written */
	assert_int_equal(vm.vcpus[0].regs.x[7], OP(0, 3));
}

/* ---- the fault log's words ---------------------------------------------- */

static void describe(void **state)
{
	struct sysreg_access a;
	char buf[40];

	(void)state;
	sysreg_decode(0x300069, &a);
	sysreg_describe(&a, buf, sizeof(buf));
	assert_string_equal(buf, "MRS ID_AA64PFR0_EL1");
	sysreg_decode(0x3a3036, &a);
	sysreg_describe(&a, buf, sizeof(buf));
	assert_string_equal(buf, "MSR ICC_SGI1R_EL1");
	sysreg_decode(0x141cfc, &a);
	sysreg_describe(&a, buf, sizeof(buf));
	assert_string_equal(buf, "DC CISW");
	sysreg_decode(ISS(3, 1, 15, 2, 0, 0, 1), &a);
	sysreg_describe(&a, buf, sizeof(buf));
	assert_string_equal(buf, "MRS S3_1_C15_C2_0");
	sysreg_decode(ISS(3, 3, 9, 12, 0, 0, 0), &a);
	sysreg_describe(&a, buf, sizeof(buf));
	assert_string_equal(buf, "MSR S3_3_C9_C12_0");
	sysreg_decode(ISS(1, 0, 7, 6, 4, 0, 0), &a);
	sysreg_describe(&a, buf, sizeof(buf));
	assert_string_equal(buf, "SYS S1_0_C7_C6_4");
	sysreg_decode(ISS(1, 0, 7, 14, 2, 0, 1), &a);
	sysreg_describe(&a, buf, sizeof(buf));
	assert_string_equal(buf, "DC CISW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode),
		cmocka_unit_test(encoding_fields),
		cmocka_unit_test(table_sorted_and_reachable),
		cmocka_unit_test(table_rows),
		cmocka_unit_test(table_misses),
		cmocka_unit_test_setup(id_read_same_on_every_vcpu, setup_v3),
		cmocka_unit_test_setup(id_write_undef, setup_v3),
		cmocka_unit_test_setup(id_read_to_xzr, setup_v3),
		cmocka_unit_test_setup(id_space_reserved, setup_v3),
		cmocka_unit_test_setup(outside_id_space_undef, setup_v3),
		cmocka_unit_test_setup(unknown_undef, setup_v3),
		cmocka_unit_test_setup(actlr_raz_wi, setup_v3),
		cmocka_unit_test_setup(mdrar_raz_read_only, setup_v3),
		cmocka_unit_test_setup(phys_timer_undef, setup_v3),
		cmocka_unit_test_setup(sgi1r_to_own_vcpu, setup_v3),
		cmocka_unit_test_setup(sgi1r_from_xzr, setup_v3),
		cmocka_unit_test_setup(sgi1r_gicv2_undef, setup_v2),
		cmocka_unit_test(setway_walk_batches),
		cmocka_unit_test(setway_walk_restarts_at_its_first_op),
		cmocka_unit_test(setway_first_ever_flushes),
		cmocka_unit_test_setup(setway_rows, setup_v3),
		cmocka_unit_test(describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

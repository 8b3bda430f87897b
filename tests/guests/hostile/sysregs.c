/* SPDX-License-Identifier: MIT */
/*
 * System registers and operations. EL2 and EL3 state is UNDEFINED at EL1 by
 * the architecture: the exception comes straight back to EL1 (EC 0x00)
 * without the hypervisor. For the registers the trap policy decides about,
 * either outcome is accepted (trapped: UNDEF; given to the guest: a plain
 * value), but never anything else, and a feature an ID register hides must
 * not be usable.
 */
#include <stddef.h>

#include "hostile.h"

/* The first access that did not go as required, for the FAIL line. */
static const char *bad_name;
static struct exc_record bad_rec;

static void bad(const char *name, const struct exc_record *r)
{
	if (!bad_name) {
		bad_name = name;
		bad_rec = *r;
	}
}

static void start(void)
{
	bad_name = NULL;
}

/* "<probe>: <result>", or what went wrong instead of the result. */
static void report(const char *probe, const char *result)
{
	if (!bad_name)
		test_pass("%s: %s", probe, result);
	else
		test_fail("%s: %s: %s", probe, bad_name, exc_text(&bad_rec));
}

/* Must be an UNDEF at EL1. */
#define MRS_UNDEF(enc)                                                                             \
	do {                                                                                       \
		struct exc_record __r;                                                             \
		uint64_t __pc;                                                                     \
		(void)TRY_MRS(enc, &__r, &__pc);                                                   \
		if (!was_undef(&__r, __pc))                                                        \
			bad("MRS " enc, &__r);                                                     \
	} while (0)
#define MSR_UNDEF(enc, v)                                                                          \
	do {                                                                                       \
		struct exc_record __r;                                                             \
		uint64_t __pc;                                                                     \
		TRY_MSR(enc, v, &__r, &__pc);                                                      \
		if (!was_undef(&__r, __pc))                                                        \
			bad("MSR " enc, &__r);                                                     \
	} while (0)
#define INSN_UNDEF(insn)                                                                           \
	do {                                                                                       \
		struct exc_record __r;                                                             \
		uint64_t __pc;                                                                     \
		TRY_INSN(insn, &__r, &__pc);                                                       \
		if (!was_undef(&__r, __pc))                                                        \
			bad(insn, &__r);                                                           \
	} while (0)
#define INSN_X_UNDEF(insn, x)                                                                      \
	do {                                                                                       \
		struct exc_record __r;                                                             \
		uint64_t __pc;                                                                     \
		TRY_INSN_X(insn, x, &__r, &__pc);                                                  \
		if (!was_undef(&__r, __pc))                                                        \
			bad(insn, &__r);                                                           \
	} while (0)
/* Must run without an exception. */
#define INSN_OK(insn)                                                                              \
	do {                                                                                       \
		struct exc_record __r;                                                             \
		uint64_t __pc;                                                                     \
		TRY_INSN(insn, &__r, &__pc);                                                       \
		if (__r.count)                                                                     \
			bad(insn, &__r);                                                           \
	} while (0)
#define INSN_X_OK(insn, x)                                                                         \
	do {                                                                                       \
		struct exc_record __r;                                                             \
		uint64_t __pc;                                                                     \
		TRY_INSN_X(insn, x, &__r, &__pc);                                                  \
		if (__r.count)                                                                     \
			bad(insn, &__r);                                                           \
	} while (0)

/*
 * A read the policy may trap: *undef says which way it went; anything but
 * a value or an UNDEF of that very instruction is a failure.
 */
#define MRS_EITHER(enc, undef)                                                                     \
	({                                                                                         \
		struct exc_record __r;                                                             \
		uint64_t __pc, __v = TRY_MRS(enc, &__r, &__pc);                                    \
		*(undef) = __r.count != 0;                                                         \
		if (__r.count && !was_undef(&__r, __pc))                                           \
			bad("MRS " enc, &__r);                                                     \
		__v;                                                                               \
	})
#define MSR_EITHER(enc, v, undef)                                                                  \
	do {                                                                                       \
		struct exc_record __r;                                                             \
		uint64_t __pc;                                                                     \
		TRY_MSR(enc, v, &__r, &__pc);                                                      \
		*(undef) = __r.count != 0;                                                         \
		if (__r.count && !was_undef(&__r, __pc))                                           \
			bad("MSR " enc, &__r);                                                     \
	} while (0)

/* A feature an ID register field hides (0): reading its register must UNDEF. */
#define MRS_FEATURE(enc, present)                                                                  \
	do {                                                                                       \
		bool __u;                                                                          \
		(void)MRS_EITHER(enc, &__u);                                                       \
		if (!(present) && !__u && !bad_name) {                                             \
			struct exc_record __none = {0};                                            \
			bad("MRS " enc " (feature hidden, yet readable)", &__none);                \
		}                                                                                  \
	} while (0)

static unsigned int field(uint64_t reg, unsigned int shift)
{
	return (unsigned int)(reg >> shift) & 0xf;
}

/* ---- EL2 and EL3 ---- */

static void check_el2_reads(void)
{
	start();
	MRS_UNDEF("hcr_el2");
	MRS_UNDEF("vttbr_el2");
	MRS_UNDEF("vtcr_el2");
	MRS_UNDEF("vbar_el2");
	MRS_UNDEF("sctlr_el2");
	MRS_UNDEF("ttbr0_el2");
	MRS_UNDEF("esr_el2");
	MRS_UNDEF("far_el2");
	MRS_UNDEF("hpfar_el2");
	MRS_UNDEF("elr_el2");
	MRS_UNDEF("spsr_el2");
	MRS_UNDEF("tpidr_el2");
	MRS_UNDEF("sp_el1");
	MRS_UNDEF("cnthctl_el2");
	MRS_UNDEF("cntvoff_el2");
	MRS_UNDEF("cnthp_ctl_el2");
	MRS_UNDEF("vpidr_el2");
	MRS_UNDEF("vmpidr_el2");
	MRS_UNDEF("mdcr_el2");
	MRS_UNDEF("cptr_el2");
	MRS_UNDEF("s3_4_c12_c11_0"); /* ICH_HCR_EL2 */
	MRS_UNDEF("s3_4_c12_c11_1"); /* ICH_VTR_EL2 */
	MRS_UNDEF("s3_4_c12_c12_0"); /* ICH_LR0_EL2 */
	MRS_UNDEF("s3_4_c12_c9_5");  /* ICC_SRE_EL2 */
	report("sysreg: reads of 24 EL2 registers (HCR, VTTBR, VBAR, ICH_LR0, ...)",
	       "UNDEF at EL1");
}

/* Were any of these to work, the hypervisor would be gone: that is the point. */
static void check_el2_writes(void)
{
	start();
	MSR_UNDEF("vbar_el2", 0);
	MSR_UNDEF("hcr_el2", 0);
	MSR_UNDEF("vttbr_el2", 0);
	MSR_UNDEF("vtcr_el2", 0);
	MSR_UNDEF("sctlr_el2", 0);
	MSR_UNDEF("ttbr0_el2", 0);
	MSR_UNDEF("elr_el2", 0);
	MSR_UNDEF("spsr_el2", 0);
	MSR_UNDEF("tpidr_el2", 0);
	MSR_UNDEF("sp_el1", 0);
	MSR_UNDEF("cnthctl_el2", 3);
	MSR_UNDEF("cntvoff_el2", 0x1000000);
	MSR_UNDEF("vmpidr_el2", 0x80000003);
	MSR_UNDEF("mdcr_el2", 0);
	MSR_UNDEF("cptr_el2", 0);
	MSR_UNDEF("s3_4_c12_c11_0", 0); /* ICH_HCR_EL2 */
	MSR_UNDEF("s3_4_c12_c12_0", 0); /* ICH_LR0_EL2 */
	MSR_UNDEF("s3_4_c12_c9_5", 0);	/* ICC_SRE_EL2 */
	report("sysreg: writes to 18 EL2 registers (VBAR, HCR, VTTBR, CNTVOFF, ICH_LR0, ...)",
	       "UNDEF at EL1");
}

static void check_el3(void)
{
	start();
	MRS_UNDEF("scr_el3");
	MRS_UNDEF("vbar_el3");
	MRS_UNDEF("sctlr_el3");
	MRS_UNDEF("mdcr_el3");
	MSR_UNDEF("scr_el3", 0);
	MSR_UNDEF("vbar_el3", 0);
	MSR_UNDEF("s3_6_c12_c12_5", 0); /* ICC_SRE_EL3 */
	report("sysreg: EL3 registers (SCR, VBAR, SCTLR, MDCR, ICC_SRE)", "UNDEF at EL1");
}

static void check_el2_ops(void)
{
	uint64_t ipa = hargs.neighbour_base >> 12;

	start();
	INSN_UNDEF("tlbi alle1");
	INSN_UNDEF("tlbi alle1is");
	INSN_UNDEF("tlbi vmalls12e1");
	INSN_UNDEF("tlbi vmalls12e1is");
	INSN_X_UNDEF("tlbi ipas2e1", ipa);
	INSN_X_UNDEF("tlbi ipas2e1is", ipa);
	INSN_UNDEF("tlbi alle2");
	INSN_X_UNDEF("tlbi vae2", 0);
	INSN_UNDEF("tlbi alle3");
	INSN_X_UNDEF("at s12e1r", hargs.neighbour_base);
	INSN_X_UNDEF("at s12e1w", hargs.neighbour_base);
	INSN_X_UNDEF("at s12e0r", hargs.neighbour_base);
	INSN_X_UNDEF("at s1e2r", 0x40200000);
	INSN_X_UNDEF("at s1e2w", 0x40200000);
	INSN_X_UNDEF("at s1e3r", 0);
	report("sysreg: EL2/EL3 TLBI (ALLE1, VMALLS12E1, IPAS2E1, ALLE2, ...), AT (S12E1R, S1E2R, "
	       "...)",
	       "UNDEF at EL1");
}

/* What a guest kernel needs: run, trapped or not, never UNDEF. */
static void check_el1_ops(void)
{
	start();
	INSN_OK("tlbi vmalle1is");
	INSN_OK("tlbi vmalle1");
	INSN_X_OK("tlbi vae1is", 0x1234);
	INSN_X_OK("tlbi aside1is", 0);
	INSN_OK("ic ialluis");
	INSN_OK("ic iallu");
	dsb(ish);
	isb();
	report("sysreg: EL1 maintenance (TLBI VMALLE1IS, VAE1IS, ASIDE1IS, IC IALLUIS)", "runs");
}

/* ---- registers the trap policy decides about ---- */

static void check_actlr(void)
{
	bool u1 = false, u2 = false;
	uint64_t v;

	start();
	v = MRS_EITHER("actlr_el1", &u1);
	MSR_EITHER("actlr_el1", v, &u2);
	report("sysreg: ACTLR_EL1 read and written back", "trapped (UNDEF) or plain");
	(void)u1;
	(void)u2;
}

/*
 * IMPLEMENTATION DEFINED encodings (CRn 11 and 15), named after what they
 * are on Cortex-A53/A57/A72: UNDEF, or a value that a write of itself does
 * not change.
 */
#define IMPDEF(enc)                                                                                \
	do {                                                                                       \
		bool __u = false, __w = false;                                                     \
		uint64_t __v = MRS_EITHER(enc, &__u);                                              \
		if (!__u) {                                                                        \
			MSR_EITHER(enc, __v, &__w);                                                \
			if (!__w && MRS_EITHER(enc, &__u) != __v && !bad_name) {                   \
				struct exc_record __none = {0};                                    \
				bad("MSR " enc " (changed)", &__none);                             \
			}                                                                          \
		}                                                                                  \
	} while (0)

static void check_impdef(void)
{
	start();
	IMPDEF("s3_1_c15_c2_0"); /* CPUACTLR_EL1 */
	IMPDEF("s3_1_c15_c2_1"); /* CPUECTLR_EL1 */
	IMPDEF("s3_1_c11_c0_2"); /* L2CTLR_EL1 */
	IMPDEF("s3_1_c11_c0_3"); /* L2ECTLR_EL1 */
	IMPDEF("s3_0_c15_c0_0");
	IMPDEF("s3_3_c15_c0_0");
	IMPDEF("s3_7_c15_c1_0");
	report("sysreg: 7 IMPLEMENTATION DEFINED registers (CPUACTLR, L2CTLR, ...)",
	       "trapped (UNDEF) or unchanged by a write");
}

static void check_debug_regs(void)
{
	bool u = false, w = false;
	uint64_t v, r;

	start();
	v = MRS_EITHER("mdscr_el1", &u);
	if (!u) {
		MSR_EITHER("mdscr_el1", v | (1u << 12), &w); /* TDCC */
		r = MRS_EITHER("mdscr_el1", &u);
		if (!w && !u && !(r & (1u << 12))) {
			struct exc_record none = {0};
			bad("MDSCR_EL1.TDCC does not read back", &none);
		}
		MSR_EITHER("mdscr_el1", v, &w);
	}
	MSR_EITHER("s2_0_c0_c0_4", 0x5000a000, &w); /* DBGBVR0_EL1 */
	r = MRS_EITHER("s2_0_c0_c0_4", &u);
	if (!w && !u && r != 0x5000a000 && r != 0) {
		struct exc_record none = {0};
		bad("DBGBVR0_EL1 reads neither the value nor 0", &none);
	}
	MSR_EITHER("s2_0_c0_c0_4", 0, &w);
	MSR_EITHER("s2_0_c1_c0_4", 1, &w);  /* OSLAR_EL1: lock */
	r = MRS_EITHER("s2_0_c1_c1_4", &u); /* OSLSR_EL1 */
	MSR_EITHER("s2_0_c1_c0_4", 0, &w);
	(void)r;
	MSR_EITHER("s2_0_c1_c3_4", 0, &w); /* OSDLR_EL1 */
	report("debug: MDSCR_EL1, DBGBVR0_EL1, OSLAR/OSLSR/OSDLR_EL1",
	       "its own (read back) or trapped (UNDEF)");
}

static void check_brk(void)
{
	struct exc_record rec;
	uint64_t pc;

	TRY_INSN("brk #0x1234", &rec, &pc);
	if (rec.count == 1 && ESR_EC(rec.esr) == EC_BRK64 && (rec.esr & 0xffff) == 0x1234 &&
	    rec.elr == pc)
		test_pass("debug: BRK #0x1234 taken at EL1 (EC 0x3c, comment 0x1234)");
	else
		test_fail("debug: BRK #0x1234: %s", exc_text(&rec));
}

#define MDSCR_KDE (1u << 13)
#define MDSCR_MDE (1u << 15)
/* DBGBCR: E, PMC = EL1 and EL0, BAS = all four bytes */
#define DBGBCR_EL1_ADDR (1u | 3u << 1 | 0xfu << 5)

/*
 * A hardware breakpoint on its own code: taken by the guest (EC 0x31), or
 * the debug registers are trapped (UNDEF) or read as zero. Never routed to
 * the hypervisor, which could only turn it into something else.
 */
static void check_hw_breakpoint(void)
{
	bool u = false, w = false;
	uint64_t mdscr, bcr, pc = 0;
	struct exc_record rec = {0};

	start();
	mdscr = MRS_EITHER("mdscr_el1", &u);
	if (!u)
		MSR_EITHER("mdscr_el1", mdscr | MDSCR_KDE | MDSCR_MDE, &w);
	if (!u && !w)
		MSR_EITHER("s2_0_c0_c0_5", DBGBCR_EL1_ADDR, &w); /* DBGBCR0_EL1 */
	bcr = u || w ? 0 : MRS_EITHER("s2_0_c0_c0_5", &u);
	if (!u && !w && bcr) {
		exception_arm(NULL);
		asm volatile("adr %0, 1f\n\t"
			     "msr s2_0_c0_c0_4, %0\n\t" /* DBGBVR0_EL1 */
			     "isb\n\t"
			     "msr daifclr, #8\n\t"
			     "1: nop\n\t"
			     "msr daifset, #8\n\t"
			     "isb"
			     : "=&r"(pc)
			     :
			     : "memory");
		exception_disarm(&rec);
		write_sysreg(s2_0_c0_c0_5, 0);
		write_sysreg(s2_0_c0_c0_4, 0);
		write_sysreg(mdscr_el1, mdscr);
		isb();
		if (!(rec.count == 1 && ESR_EC(rec.esr) == EC_BKPT_CUR && rec.elr == pc))
			bad("breakpoint on its own NOP", &rec);
	}
	report("debug: hardware breakpoint on its own code",
	       "taken at EL1 (EC 0x31), or the registers trapped or RAZ");
}

#define PMCR_E	       (1u << 0)
#define PMCR_C	       (1u << 2)
#define PMCCFILTR_P    (1u << 31)
#define PMCCFILTR_U    (1u << 30)
#define PMCCFILTR_NSH  (1u << 27)
#define PMCNTEN_C      (1u << 31)
#define ID_DFR0_PMUVER 8

/*
 * The PMU: its own, or trapped. Either way it must not see the
 * hypervisor: a cycle counter told to count only at EL2 (PMCCFILTR.NSH)
 * stays at 0 over 100 hypercalls.
 */
static void check_pmu(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1), pmcr, el2;
	bool u = false, w = false;

	start();
	pmcr = MRS_EITHER("pmcr_el0", &u);
	if (!u && field(dfr0, ID_DFR0_PMUVER) && field(dfr0, ID_DFR0_PMUVER) != 0xf) {
		MSR_EITHER("pmcntenset_el0", PMCNTEN_C, &w);
		MSR_EITHER("pmccfiltr_el0", PMCCFILTR_P | PMCCFILTR_U | PMCCFILTR_NSH, &w);
		MSR_EITHER("pmcr_el0", pmcr | PMCR_E | PMCR_C, &w);
		isb();
		for (unsigned int i = 0; i < 100; i++)
			psci_version();
		isb();
		el2 = MRS_EITHER("pmccntr_el0", &u);
		MSR_EITHER("pmccfiltr_el0", 0, &w);
		MSR_EITHER("pmcr_el0", pmcr, &w);
		MSR_EITHER("pmcntenclr_el0", PMCNTEN_C, &w);
		if (!w && !u && el2) {
			struct exc_record none = {0};
			bad("PMCCNTR_EL0 counted EL2 cycles", &none);
		}
	}
	report("pmu: cycles at EL2 invisible over 100 hypercalls (PMCCFILTR NSH=1)",
	       "0 counted, or the PMU trapped");
}

/* ---- features an ID register may hide ---- */

static void check_amu(void)
{
	bool amu = field(read_sysreg(id_aa64pfr0_el1), 44) != 0;

	start();
	MRS_FEATURE("s3_3_c13_c2_0", amu); /* AMCR_EL0 */
	MRS_FEATURE("s3_3_c13_c2_1", amu); /* AMCFGR_EL0 */
	MRS_FEATURE("s3_3_c13_c4_0", amu); /* AMEVCNTR00_EL0 */
	report("amu: AMCR/AMCFGR/AMEVCNTR00_EL0", "as ID_AA64PFR0_EL1.AMU says (hidden: UNDEF)");
}

static void check_trace(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);

	start();
	MRS_FEATURE("s3_0_c1_c2_1", field(dfr0, 40) != 0);  /* TRFCR_EL1, TraceFilt */
	MRS_FEATURE("s2_1_c0_c1_0", field(dfr0, 4) != 0);   /* TRCPRGCTLR, TraceVer */
	MRS_FEATURE("s3_0_c9_c11_0", field(dfr0, 44) != 0); /* TRBLIMITR_EL1, TraceBuffer */
	MRS_FEATURE("s3_0_c9_c9_7", field(dfr0, 32) != 0);  /* PMSIDR_EL1, PMSVer */
	report("trace: TRFCR, TRCPRGCTLR, TRBLIMITR, PMSIDR_EL1",
	       "as ID_AA64DFR0_EL1 says (hidden: UNDEF)");
}

static void check_lor(void)
{
	bool lo = field(read_sysreg(id_aa64mmfr1_el1), 16) != 0;

	start();
	MRS_FEATURE("s3_0_c10_c4_7", lo); /* LORID_EL1 */
	MRS_FEATURE("s3_0_c10_c4_3", lo); /* LORC_EL1 */
	report("lor: LORID_EL1/LORC_EL1", "as ID_AA64MMFR1_EL1.LO says (hidden: UNDEF)");
}

/* RAS error records are the machine's: none may be visible to a guest. */
static void check_ras(void)
{
	bool ras = field(read_sysreg(id_aa64pfr0_el1), 28) != 0, u = false;
	uint64_t erridr;

	start();
	erridr = MRS_EITHER("s3_0_c5_c3_0", &u); /* ERRIDR_EL1 */
	if (!u && (!ras || (erridr & 0xffff))) {
		struct exc_record none = {0};
		bad(ras ? "ERRIDR_EL1.NUM is not 0" : "ERRIDR_EL1 readable, RAS hidden", &none);
	}
	report("ras: ERRIDR_EL1", "no error records visible (NUM 0, or UNDEF)");
}

/* MTE: its registers exist from FEAT_MTE2 (ID_AA64PFR1_EL1.MTE >= 2). */
static void check_mte(void)
{
	bool mte2 = field(read_sysreg(id_aa64pfr1_el1), 8) >= 2;

	start();
	MRS_FEATURE("s3_0_c1_c0_6", mte2); /* GCR_EL1 */
	MRS_FEATURE("s3_0_c1_c0_5", mte2); /* RGSR_EL1 */
	MRS_FEATURE("s3_0_c5_c6_0", mte2); /* TFSR_EL1 */
	MRS_FEATURE("s3_0_c5_c6_1", mte2); /* TFSRE0_EL1 */
	report("mte: GCR/RGSR/TFSR/TFSRE0_EL1", "as ID_AA64PFR1_EL1.MTE says (below MTE2: UNDEF)");
}

static void check_pauth(void)
{
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);
	bool pauth = (isar1 & 0xff0) != 0, u = false, w = false;
	uint64_t v;

	start();
	MSR_EITHER("s3_0_c2_c1_0", 0x0123456789abcdeful, &w); /* APIAKeyLo_EL1 */
	v = MRS_EITHER("s3_0_c2_c1_0", &u);
	if (!pauth && (!u || !w)) {
		struct exc_record none = {0};
		bad("APIAKeyLo_EL1 usable, pointer authentication hidden", &none);
	} else if (pauth && !u && !w && v != 0x0123456789abcdeful) {
		struct exc_record none = {0};
		bad("APIAKeyLo_EL1 does not read back", &none);
	}
	report("pauth: APIAKeyLo_EL1",
	       "its own (read back), or UNDEF where ID_AA64ISAR1_EL1 hides it");
}

/* ID registers: readable, plain or sanitized; never an exception. */
#define MRS_OK(enc)                                                                                \
	do {                                                                                       \
		struct exc_record __r;                                                             \
		uint64_t __pc;                                                                     \
		(void)TRY_MRS(enc, &__r, &__pc);                                                   \
		if (__r.count)                                                                     \
			bad("MRS " enc, &__r);                                                     \
	} while (0)

static void check_id_regs(void)
{

	start();
	MRS_OK("id_aa64pfr0_el1");
	MRS_OK("id_aa64pfr1_el1");
	MRS_OK("id_aa64dfr0_el1");
	MRS_OK("id_aa64dfr1_el1");
	MRS_OK("id_aa64isar0_el1");
	MRS_OK("id_aa64isar1_el1");
	MRS_OK("s3_0_c0_c6_2"); /* ID_AA64ISAR2_EL1 */
	MRS_OK("id_aa64mmfr0_el1");
	MRS_OK("id_aa64mmfr1_el1");
	MRS_OK("id_aa64mmfr2_el1");
	MRS_OK("s3_0_c0_c4_4"); /* ID_AA64ZFR0_EL1 */
	MRS_OK("s3_0_c0_c4_5"); /* ID_AA64SMFR0_EL1 */
	MRS_OK("s3_0_c0_c3_7"); /* unallocated ID space: RAZ */
	MRS_OK("midr_el1");
	MRS_OK("revidr_el1");
	MRS_OK("aidr_el1");
	report("id: 16 ID registers", "read without a fault (plain or sanitized)");
}

static void check_mpidr(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);

	if ((mpidr & 0xff00ffffffull) == 0)
		test_pass("id: MPIDR_EL1 affinity is its vCPU number 0");
	else
		test_fail("id: MPIDR_EL1 0x%lx, expected affinity 0", mpidr);
}

/* The EL1 physical timer: trapped (UNDEF) or its own; the counter readable. */
static void check_phys_timer(void)
{
	bool u = false, w = false;
	uint64_t a, b;

	start();
	(void)MRS_EITHER("cntp_ctl_el0", &u);
	MSR_EITHER("cntp_cval_el0", ~0ul, &w);
	MSR_EITHER("cntp_ctl_el0", 0, &w);
	a = MRS_EITHER("cntpct_el0", &u);
	b = MRS_EITHER("cntpct_el0", &u);
	if (!u && b < a) {
		struct exc_record none = {0};
		bad("CNTPCT_EL0 went backwards", &none);
	}
	report("timer: CNTP_CTL/CNTP_CVAL_EL0", "trapped (UNDEF) or its own; CNTPCT_EL0 monotonic");
}

/*
 * ICC_SRE_EL1.SRE written 0: on GICv3 it must stay 1 (the hypervisor keeps
 * the system-register interface); on GICv2 the register is UNDEF (or RAZ/WI).
 * Either way its own SGIs must still arrive afterwards.
 */
static void check_icc_sre(void)
{
	bool u = false, w = false;
	uint64_t sre;
	struct mark m;

	start();
	MSR_EITHER("s3_0_c12_c12_5", 0, &w);
	isb();
	sre = MRS_EITHER("s3_0_c12_c12_5", &u);
	if (vm.gic == 3 && (u || !(sre & 1))) {
		struct exc_record none = {0};
		bad("ICC_SRE_EL1.SRE cleared or UNDEF on GICv3", &none);
	}
	m = mark_now(0);
	gic_enable(3);
	irq_unmask();
	gic_sgi(3, 0);
	wait_took(0, m, 3, 1, TIMEOUT_MS);
	irq_mask();
	if (took(0, m, 3) != 1) {
		struct exc_record none = {0};
		bad("the self SGI after it", &none);
	}
	if (vm.gic == 3)
		report("gic: ICC_SRE_EL1.SRE written 0", "stays 1; its SGIs still arrive");
	else
		report("gic: ICC_SRE_EL1 written 0 on GICv2",
		       "UNDEF or ignored; its SGIs still arrive");
}

void probe_sysregs(void)
{
	check_el2_reads();
	check_el2_writes();
	check_el3();
	check_el2_ops();
	check_el1_ops();
	check_actlr();
	check_impdef();
	check_debug_regs();
	check_brk();
	check_hw_breakpoint();
	check_pmu();
	check_amu();
	check_trace();
	check_lor();
	check_ras();
	check_mte();
	check_pauth();
	check_id_regs();
	check_mpidr();
	check_phys_timer();
	check_icc_sre();
}

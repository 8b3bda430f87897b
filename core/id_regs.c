/* SPDX-License-Identifier: MIT */
/*
 * The ID register policy (docs/trap-policy.md): per register, the fields a
 * guest sees. A field not listed reads as 0 ("not implemented"), so a new
 * architecture feature stays hidden until someone decides it is safe.
 * Field names are those of the Arm ARM (DDI 0487); shifts are bit positions.
 */
#include "core/id_regs.h"

enum id_kind {
	ID_UNSIGNED, /* larger is more: the safe value is the lowest */
	ID_SIGNED,   /* 0xf (-1) means "not implemented": the lowest, signed */
	ID_GIC,	     /* unsigned, and 0 unless the VM's vGIC is a GICv3 */
};

struct id_field {
	uint8_t shift;
	uint8_t width; /* 4, or 1 for the single-bit fields of ID_AA64SMFR0_EL1 */
	uint8_t kind;
	uint8_t max; /* shown no higher than this */
};

#define FIELD(s, w, k, m)                                                                          \
	{                                                                                          \
		.shift = (s), .width = (w), .kind = (k), .max = (m)                                \
	}
#define U(s)	  FIELD(s, 4, ID_UNSIGNED, 0xf)
#define MAX(s, m) FIELD(s, 4, ID_UNSIGNED, m)
#define S(s)	  FIELD(s, 4, ID_SIGNED, 0xf)
#define B(s)	  FIELD(s, 1, ID_UNSIGNED, 1)
#define GIC(s)	  FIELD(s, 4, ID_GIC, 1)
#define END	  FIELD(0, 0, 0, 0)

struct id_rule {
	const struct id_field *fields; /* NULL: the whole register reads as 0 */
	bool aarch32;		       /* 0 unless the guest sees AArch32 at EL0 */
};

/* ID_AA64PFR0_EL1. Hidden: EL2 (no nested virtualization), RAS, SEL2, MPAM,
 * AMU, RME. */
static const struct id_field aa64pfr0[] = {
	U(0),	   /* EL0: AArch64, and AArch32 if every CPU has it */
	MAX(4, 1), /* EL1: AArch64 only, HCR_EL2.RW is set */
	U(12),	   /* EL3: SMC reaches Tessera's SMCCC either way */
	S(16),	   /* FP */
	S(20),	   /* AdvSIMD */
	GIC(24),   /* GIC: the ICC_* registers run on the ICH virtual interface */
	U(32),	   /* SVE: the guest's own */
	U(48),	   /* DIT */
	U(56),	   /* CSV2: SCXTNUM_ELx are enabled (HCR_EL2.EnSCXT) */
	U(60),	   /* CSV3 */
	END,
};

/* ID_AA64PFR1_EL1. Hidden: MTE (HCR_EL2.ATA is 0), RAS_frac, MPAM_frac,
 * RNDR_trap (an EL3 control), NMI, MTE_frac, GCS and THE (HCRX_EL2 enables
 * them), MTEX, DF2, PFAR. */
static const struct id_field aa64pfr1[] = {
	U(0),  /* BT */
	U(4),  /* SSBS */
	U(24), /* SME: the guest's own */
	U(32), /* CSV2_frac */
	END,
};

/* ID_AA64ZFR0_EL1: SVE belongs to the guest, so do its extensions. */
static const struct id_field aa64zfr0[] = {
	U(0),  /* SVEver */
	U(4),  /* AES */
	U(16), /* BitPerm */
	U(20), /* BF16 */
	U(32), /* SHA3 */
	U(40), /* SM4 */
	U(44), /* I8MM */
	U(52), /* F32MM */
	U(56), /* F64MM */
	END,
};

/* ID_AA64SMFR0_EL1: SME belongs to the guest. Hidden: the FP8 forms, whose
 * FPMR HCRX_EL2.EnFPM keeps trapped. */
static const struct id_field aa64smfr0[] = {
	B(32), /* F32F32 */
	B(33), /* BI32I32 */
	B(34), /* B16F32 */
	B(35), /* F16F32 */
	U(36), /* I8I32 */
	B(42), /* F16F16 */
	B(43), /* B16B16 */
	U(44), /* I16I32 */
	B(48), /* F64F64 */
	U(52), /* I16I64 */
	U(56), /* SMEver */
	B(63), /* FA64 */
	END,
};

/* ID_AA64DFR0_EL1: self-hosted debug belongs to the guest (MDCR_EL2.TDA and
 * TDOSA clear). Hidden: TraceVer, PMUVer (MDCR_EL2.TPM traps the PMU),
 * PMSS, SEBEP, PMSVer (SPE), TraceFilt, TraceBuffer, MTPMU, BRBE,
 * ExtTrcBuff, HPMN0. */
static const struct id_field aa64dfr0[] = {
	U(0),  /* DebugVer */
	U(12), /* BRPs */
	U(20), /* WRPs */
	U(28), /* CTX_CMPs */
	S(36), /* DoubleLock */
	END,
};

/* ID_AA64ISAR0_EL1: instructions the CPU runs natively. Hidden: TME. */
static const struct id_field aa64isar0[] = {
	U(4),  /* AES */
	U(8),  /* SHA1 */
	U(12), /* SHA2 */
	U(16), /* CRC32 */
	U(20), /* Atomic */
	U(28), /* RDM */
	U(32), /* SHA3 */
	U(36), /* SM3 */
	U(40), /* SM4 */
	U(44), /* DP */
	U(48), /* FHM */
	U(52), /* TS */
	U(56), /* TLB: TLBI is VMID-scoped, see docs/trap-policy.md */
	U(60), /* RNDR */
	END,
};

/* ID_AA64ISAR1_EL1. Hidden: LS64 (HCRX_EL2 enables it). The pointer
 * authentication keys are the guest's (HCR_EL2.API/APK). */
static const struct id_field aa64isar1[] = {
	U(0),  /* DPB */
	U(4),  /* APA */
	U(8),  /* API */
	U(12), /* JSCVT */
	U(16), /* FCMA */
	U(20), /* LRCPC */
	U(24), /* GPA */
	U(28), /* GPI */
	U(32), /* FRINTTS */
	U(36), /* SB */
	U(40), /* SPECRES */
	U(44), /* BF16 */
	U(48), /* DGH */
	U(52), /* I8MM */
	U(56), /* XS */
	END,
};

/* ID_AA64ISAR2_EL1. Hidden: MOPS (HCRX_EL2.MSCEn), SYSREG_128, ATS1A and
 * whatever comes next. */
static const struct id_field aa64isar2[] = {
	U(0),  /* WFxT: WFI and WFE are not trapped */
	U(4),  /* RPRES */
	U(8),  /* GPA3 */
	U(12), /* APA3 */
	U(20), /* BC */
	U(24), /* PAC_frac */
	U(28), /* CLRBHB */
	U(48), /* RPRFM */
	U(52), /* CSSC */
	END,
};

/* ID_AA64MMFR0_EL1. Hidden: the stage 2 granule fields (TGran*_2) and FGT,
 * which are EL2's business. */
static const struct id_field aa64mmfr0[] = {
	MAX(0, 5),  /* PARange: stage 2 covers at most 48 bits */
	U(4),	    /* ASIDBits */
	U(8),	    /* BigEnd */
	U(12),	    /* SNSMem */
	U(16),	    /* BigEndEL0 */
	U(20),	    /* TGran16: 0 means not supported */
	S(24),	    /* TGran64 */
	S(28),	    /* TGran4 */
	U(44),	    /* ExS */
	MAX(60, 1), /* ECV: the self-synchronized counters; CNTPOFF is EL2's */
	END,
};

/* ID_AA64MMFR1_EL1. Hidden: VMIDBits, VH, LO (HCR_EL2.TLOR traps it), XNX,
 * TWED, HCX: EL2 features or Tessera's. */
static const struct id_field aa64mmfr1[] = {
	U(0),  /* HAFDBS */
	U(12), /* HPDS */
	U(20), /* PAN */
	U(24), /* SpecSEI */
	U(36), /* ETS */
	U(44), /* AFP */
	U(48), /* nTLBPA */
	U(52), /* TIDCP1 */
	U(56), /* CMOW */
	U(60), /* ECBHB */
	END,
};

/* ID_AA64MMFR2_EL1. Hidden: NV, FWB, EVT (EL2 controls). */
static const struct id_field aa64mmfr2[] = {
	U(0),  /* CnP */
	U(4),  /* UAO */
	U(8),  /* LSM */
	U(12), /* IESB */
	U(16), /* VARange */
	U(20), /* CCIDX: CCSIDR_EL1 is not trapped, the guest must parse it */
	U(28), /* ST */
	U(32), /* AT */
	U(36), /* IDS */
	U(48), /* TTL */
	U(52), /* BBM */
	U(60), /* E0PD */
	END,
};

/* ID_AA64MMFR3_EL1: everything here needs TCR2_EL1, SCTLR2_EL1 or an EL2
 * control Tessera leaves off (HCRX_EL2 is 0). Shown: Spec_FPACC. */
static const struct id_field aa64mmfr3[] = {
	U(60), /* Spec_FPACC */
	END,
};

/*
 * AArch32 EL0 registers: seen only when AArch32 EL0 is (ID_AA64PFR0_EL1.EL0
 * is 2). They describe what 32-bit processes can use; hidden are the same
 * features as in AArch64 state.
 */
static const struct id_field a32_all[] = {
	U(0), U(4), U(8), U(12), U(16), U(20), U(24), U(28), END,
};

static const struct id_field a32_pfr0[] = {
	U(0),  /* State0 */
	U(4),  /* State1 */
	U(8),  /* State2 */
	U(12), /* State3 */
	U(16), /* CSV2 */
	U(24), /* DIT; hidden: AMU, RAS */
	END,
};

static const struct id_field a32_pfr1[] = {
	U(0),	 /* ProgMod */
	U(4),	 /* Security */
	U(8),	 /* MProgMod */
	U(16),	 /* GenTimer; hidden: Virtualization */
	U(20),	 /* Sec_frac; hidden: Virt_frac */
	GIC(28), /* GIC */
	END,
};

static const struct id_field a32_dfr0[] = {
	U(0),  /* CopDbg */
	U(4),  /* CopSDbg */
	U(8),  /* MMapDbg; hidden: CopTrc, MMapTrc */
	U(20), /* MProfDbg; hidden: PerfMon, TraceFilt */
	END,
};

static const struct id_field a32_mmfr3[] = {
	U(0),  U(4),  U(8),  U(12),
	U(16), U(20), U(24), S(28), /* Supersec: 0xf is "not implemented" */
	END,
};

static const struct id_field a32_mmfr4[] = {
	U(0),  /* SpecSEI */
	U(4),  /* AC2; hidden: XNX */
	U(12), /* CnP */
	U(16), /* HPDS */
	U(20), /* LSM */
	U(24), /* CCIDX; hidden: EVT */
	END,
};

static const struct id_field a32_pfr2[] = {
	U(0), /* CSV3 */
	U(4), /* SSBS; hidden: RAS_frac */
	END,
};

/* Indexed by ID_IDX(CRm, Op2); {fields, AArch32}. Not listed: unallocated,
 * or hidden whole and read as 0: ID_AFR0, ID_DFR1, ID_AA64PFR2, ID_AA64FPFR0,
 * ID_AA64DFR1/2, ID_AA64AFR0/1 (IMPLEMENTATION DEFINED), ID_AA64ISAR3,
 * ID_AA64MMFR4. */
static const struct id_rule rules[ID_REGS_NR] = {
	[ID_IDX(1, 0)] = {a32_pfr0, true},   /* ID_PFR0_EL1 */
	[ID_IDX(1, 1)] = {a32_pfr1, true},   /* ID_PFR1_EL1 */
	[ID_IDX(1, 2)] = {a32_dfr0, true},   /* ID_DFR0_EL1 */
	[ID_IDX(1, 4)] = {a32_all, true},    /* ID_MMFR0_EL1 */
	[ID_IDX(1, 5)] = {a32_all, true},    /* ID_MMFR1_EL1 */
	[ID_IDX(1, 6)] = {a32_all, true},    /* ID_MMFR2_EL1 */
	[ID_IDX(1, 7)] = {a32_mmfr3, true},  /* ID_MMFR3_EL1 */
	[ID_IDX(2, 0)] = {a32_all, true},    /* ID_ISAR0_EL1 */
	[ID_IDX(2, 1)] = {a32_all, true},    /* ID_ISAR1_EL1 */
	[ID_IDX(2, 2)] = {a32_all, true},    /* ID_ISAR2_EL1 */
	[ID_IDX(2, 3)] = {a32_all, true},    /* ID_ISAR3_EL1 */
	[ID_IDX(2, 4)] = {a32_all, true},    /* ID_ISAR4_EL1 */
	[ID_IDX(2, 5)] = {a32_all, true},    /* ID_ISAR5_EL1 */
	[ID_IDX(2, 6)] = {a32_mmfr4, true},  /* ID_MMFR4_EL1 */
	[ID_IDX(2, 7)] = {a32_all, true},    /* ID_ISAR6_EL1 */
	[ID_IDX(3, 0)] = {a32_all, true},    /* MVFR0_EL1 */
	[ID_IDX(3, 1)] = {a32_all, true},    /* MVFR1_EL1 */
	[ID_IDX(3, 2)] = {a32_all, true},    /* MVFR2_EL1 */
	[ID_IDX(3, 4)] = {a32_pfr2, true},   /* ID_PFR2_EL1 */
	[ID_IDX(3, 6)] = {a32_all, true},    /* ID_MMFR5_EL1 */
	[ID_AA64PFR0] = {aa64pfr0, false},   /* ID_AA64PFR0_EL1 */
	[ID_AA64PFR1] = {aa64pfr1, false},   /* ID_AA64PFR1_EL1 */
	[ID_AA64ZFR0] = {aa64zfr0, false},   /* ID_AA64ZFR0_EL1 */
	[ID_AA64SMFR0] = {aa64smfr0, false}, /* ID_AA64SMFR0_EL1 */
	[ID_AA64DFR0] = {aa64dfr0, false},   /* ID_AA64DFR0_EL1 */
	[ID_AA64ISAR0] = {aa64isar0, false}, /* ID_AA64ISAR0_EL1 */
	[ID_AA64ISAR1] = {aa64isar1, false}, /* ID_AA64ISAR1_EL1 */
	[ID_AA64ISAR2] = {aa64isar2, false}, /* ID_AA64ISAR2_EL1 */
	[ID_AA64MMFR0] = {aa64mmfr0, false}, /* ID_AA64MMFR0_EL1 */
	[ID_AA64MMFR1] = {aa64mmfr1, false}, /* ID_AA64MMFR1_EL1 */
	[ID_AA64MMFR2] = {aa64mmfr2, false}, /* ID_AA64MMFR2_EL1 */
	[ID_AA64MMFR3] = {aa64mmfr3, false}, /* ID_AA64MMFR3_EL1 */
};

static unsigned get(uint64_t val, const struct id_field *f)
{
	return (val >> f->shift) & ((1u << f->width) - 1);
}

/* 0xf is -1 in a signed field. */
static int value(const struct id_field *f, unsigned v)
{
	return f->kind == ID_SIGNED && v >= 8 ? (int)v - 16 : (int)v;
}

/* What every CPU implements: the lowest value, in the field's own order. */
static unsigned safe(const struct id_field *f, unsigned idx, const struct id_regs *const cpus[],
		     unsigned n)
{
	unsigned v = get(cpus[0]->reg[idx], f);

	for (unsigned i = 1; i < n; i++) {
		unsigned w = get(cpus[i]->reg[idx], f);

		if (value(f, w) < value(f, v))
			v = w;
	}
	return v;
}

static unsigned shown(const struct id_field *f, unsigned v, bool gicv3)
{
	unsigned max = f->kind == ID_GIC && !gicv3 ? 0 : f->max;

	if (f->kind == ID_SIGNED)
		return v;
	return v < max ? v : max;
}

static uint64_t guest_value(const struct id_rule *r, unsigned idx,
			    const struct id_regs *const cpus[], unsigned n, bool gicv3)
{
	uint64_t val = 0;

	for (const struct id_field *f = r->fields; f->width; f++)
		val |= (uint64_t)shown(f, safe(f, idx, cpus, n), gicv3) << f->shift;
	return val;
}

/* AArch32 EL0 is shown when every CPU has it (ID_AA64PFR0_EL1.EL0 = 2). */
static bool aarch32_el0(const struct id_regs *const cpus[], unsigned n, bool gicv3)
{
	uint64_t pfr0 = guest_value(&rules[ID_AA64PFR0], ID_AA64PFR0, cpus, n, gicv3);

	return id_field(pfr0, 0) == 2;
}

uint64_t id_reg_guest(unsigned idx, const struct id_regs *const cpus[], unsigned n, bool gicv3)
{
	const struct id_rule *r;

	if (idx >= ID_REGS_NR || n == 0)
		return 0;
	r = &rules[idx];
	if (!r->fields || (r->aarch32 && !aarch32_el0(cpus, n, gicv3)))
		return 0;
	return guest_value(r, idx, cpus, n, gicv3);
}

/* SPDX-License-Identifier: MIT */
/*
 * Starting a vCPU on its physical CPU: the EL2 controls for its VM and a
 * clean EL1 state per the Linux boot protocol. With one vCPU per CPU
 * forever, this is the only place EL1 registers are written wholesale.
 */
#include <arch/cpu_local.h>
#include <arch/guest_exit.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>

#include "core/id_regs.h"
#include "core/inject.h"
#include "core/spinlock.h"
#include "core/vm_build.h"

/*
 * The trap policy (docs/trap-policy.md): SMC, IMPLEMENTATION DEFINED
 * registers, ACTLR_EL1, set/way cache maintenance and the ID registers trap;
 * TLB maintenance, WFI/WFE, DC ZVA and the EL1 MMU registers do not.
 */
#define GUEST_HCR                                                                                  \
	(HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO | HCR_EL2_FB |        \
	 HCR_EL2_BSU_IS | HCR_EL2_TSC | HCR_EL2_TIDCP | HCR_EL2_TACR | HCR_EL2_TSW |               \
	 HCR_EL2_TID3 | HCR_EL2_RW)
#define MPIDR_RES1 BIT(31)
/* Counter readable at EL1; the event stream keeps EL2's WFE waits bounded. */
#define CNTHCTL_EL2_GUEST (CNTHCTL_EL1PCTEN | CNTHCTL_EVNTEN | (15 << CNTHCTL_EVNTI_SHIFT))

/* Trap controls below exist only with their feature: ask this CPU. */
#define HAS(reg, field) id_field(read_sysreg(reg), field##_SHIFT)

/*
 * Pointer authentication keys and SCXTNUM_ELx are the guest's own: no
 * traps. LORegions and RAS error records are hidden: their registers trap.
 */
static uint64_t hcr_value(void)
{
	bool pauth = (read_sysreg(id_aa64isar1_el1) & ID_AA64ISAR1_PAUTH_MASK) ||
		     (read_sysreg(s3_0_c0_c6_2) & ID_AA64ISAR2_APA3_MASK); /* ID_AA64ISAR2_EL1 */
	bool scxtnum = HAS(id_aa64pfr0_el1, ID_AA64PFR0_CSV2) >= 2 ||
		       HAS(id_aa64pfr1_el1, ID_AA64PFR1_CSV2_FRAC) >= 2;
	uint64_t hcr = GUEST_HCR;

	if (pauth)
		hcr |= HCR_EL2_API | HCR_EL2_APK;
	if (scxtnum)
		hcr |= HCR_EL2_ENSCXT;
	if (HAS(id_aa64mmfr1_el1, ID_AA64MMFR1_LO))
		hcr |= HCR_EL2_TLOR;
	if (HAS(id_aa64pfr0_el1, ID_AA64PFR0_RAS))
		hcr |= HCR_EL2_TERR;
	return hcr;
}

/*
 * Self-hosted debug is the guest's (TDA, TDOSA, TDE clear), the debug ROM
 * address is not (TDRA). The PMU, SPE and trace filtering are hidden and
 * trap; E2PB and E2TB = 0 leave the profiling and trace buffers to EL2.
 * HPMN = PMCR_EL0.N: no counter is reserved for EL2, none counts for it.
 */
static uint64_t mdcr_value(void)
{
	unsigned pmu = HAS(id_aa64dfr0_el1, ID_AA64DFR0_PMUVER);
	uint64_t mdcr = MDCR_EL2_TDRA;

	if (pmu && pmu != ID_AA64DFR0_PMUVER_IMPDEF)
		mdcr |= MDCR_EL2_TPM | MDCR_EL2_TPMCR |
			((read_sysreg(pmcr_el0) >> PMCR_EL0_N_SHIFT) & PMCR_EL0_N_MASK);
	if (HAS(id_aa64dfr0_el1, ID_AA64DFR0_PMSVER))
		mdcr |= MDCR_EL2_TPMS;
	if (HAS(id_aa64dfr0_el1, ID_AA64DFR0_TRACEFILT))
		mdcr |= MDCR_EL2_TTRF;
	return mdcr;
}

static bool has_sve(void)
{
	return (read_sysreg(id_aa64pfr0_el1) >> ID_AA64PFR0_SVE_SHIFT) & 0xf;
}

static bool has_sme(void)
{
	return (read_sysreg(id_aa64pfr1_el1) >> ID_AA64PFR1_SME_SHIFT) & 0xf;
}

/*
 * FP/SIMD, SVE and SME belong to the guest outright: with one vCPU per CPU
 * there is no other context to protect them from, so no trap and no save.
 * TZ/TSM are RES1 when the feature is absent, so clear them only if present.
 * Trace and activity monitors are hidden: their registers trap (TTA, TAM).
 */
static void give_fp_to_guest(void)
{
	uint64_t cptr = CPTR_EL2_BOOT | CPTR_EL2_TTA;

	if (HAS(id_aa64pfr0_el1, ID_AA64PFR0_AMU))
		cptr |= CPTR_EL2_TAM;
	if (has_sve()) {
		cptr &= ~CPTR_EL2_TZ;
		write_sysreg(cptr_el2, cptr);
		isb();
		write_sysreg(s3_4_c1_c2_0, ZCR_EL2_LEN_MAX); /* ZCR_EL2 */
	}
	if (has_sme()) {
		cptr &= ~CPTR_EL2_TSM;
		write_sysreg(cptr_el2, cptr);
		isb();
		write_sysreg(s3_4_c1_c2_6, SMCR_EL2_FA64 | SMCR_EL2_EZT0 | ZCR_EL2_LEN_MAX);
	}
	write_sysreg(cptr_el2, cptr);
	isb();
}

/*
 * Fine-grained traps (FEAT_FGT) reset to UNKNOWN, and their "n" bits trap
 * when 0, which hides every later feature they cover (POE, PIE, GCS, THE,
 * LS64, BRBE...). Only SME's SMPRI_EL1 and TPIDR2_EL0 are the guest's. No
 * positive bit is set: the coarse controls do the rest.
 */
static void set_fine_grained_traps(void)
{
	unsigned fgt = HAS(id_aa64mmfr0_el1, ID_AA64MMFR0_FGT);
	uint64_t nbits = has_sme() ? HFGXTR_EL2_NSMPRI_EL1 | HFGXTR_EL2_NTPIDR2_EL0 : 0;

	if (!fgt)
		return;
	write_sysreg(s3_4_c1_c1_4, nbits); /* HFGRTR_EL2 */
	write_sysreg(s3_4_c1_c1_5, nbits); /* HFGWTR_EL2 */
	write_sysreg(s3_4_c1_c1_6, 0);	   /* HFGITR_EL2 */
	write_sysreg(s3_4_c3_c1_4, 0);	   /* HDFGRTR_EL2 */
	write_sysreg(s3_4_c3_c1_5, 0);	   /* HDFGWTR_EL2 */
	if (fgt < 2)
		return;
	write_sysreg(s3_4_c3_c1_0, 0); /* HDFGRTR2_EL2 */
	write_sysreg(s3_4_c3_c1_1, 0); /* HDFGWTR2_EL2 */
	write_sysreg(s3_4_c3_c1_2, 0); /* HFGRTR2_EL2 */
	write_sysreg(s3_4_c3_c1_3, 0); /* HFGWTR2_EL2 */
	write_sysreg(s3_4_c3_c1_7, 0); /* HFGITR2_EL2 */
}

/* HCRX_EL2 (FEAT_HCX) only enables things (MOPS, TCR2, SCTLR2, LS64, GCS,
 * FPMR...): all off, and all hidden. */
static void set_hcrx(void)
{
	if (HAS(id_aa64mmfr1_el1, ID_AA64MMFR1_HCX))
		write_sysreg(s3_4_c1_c2_2, 0); /* HCRX_EL2 */
}

/* MPAM is hidden: a guest must not choose the partition its memory traffic
 * is accounted to, so MPAM0/1_EL1 and MPAMIDR_EL1 trap. */
static void trap_mpam(void)
{
	uint64_t mpam2 = MPAM2_EL2_TRAPMPAM0EL1 | MPAM2_EL2_TRAPMPAM1EL1;

	if (!HAS(id_aa64pfr0_el1, ID_AA64PFR0_MPAM) && !HAS(id_aa64pfr1_el1, ID_AA64PFR1_MPAM_FRAC))
		return;
	write_sysreg(s3_4_c10_c5_0, mpam2);				   /* MPAM2_EL2 */
	if (read_sysreg(s3_0_c10_c4_4) & MPAMIDR_EL1_HAS_HCR)		   /* MPAMIDR_EL1 */
		write_sysreg(s3_4_c10_c4_0, MPAMHCR_EL2_TRAP_MPAMIDR_EL1); /* MPAMHCR_EL2 */
}

static void set_el2_controls(const struct vcpu *v)
{
	const struct vm *vm = v->vm;
	uint64_t root = (uint64_t)vm->s2.root;

	write_sysreg(vtcr_el2, vm_stage2_geometry()->vtcr);
	write_sysreg(vttbr_el2, ((uint64_t)vm->vmid << VTTBR_VMID_SHIFT) | root);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, MPIDR_RES1 | v->idx);
	write_sysreg(hcr_el2, hcr_value());
	write_sysreg(mdcr_el2, mdcr_value());
	write_sysreg(hstr_el2, 0); /* UNKNOWN at reset; AArch32 CP15 traps are EL1's */
	give_fp_to_guest();
	set_fine_grained_traps();
	set_hcrx();
	trap_mpam();
	/* The counter is the guest's; the EL1 physical timer traps (trap policy). */
	write_sysreg(cnthctl_el2, CNTHCTL_EL2_GUEST);
	write_sysreg(cntvoff_el2, 0);
	isb();
	/* Nothing may be cached for this VMID from before its tables existed. */
	__asm__ volatile("tlbi vmalls12e1\n\tdsb nsh\n\tisb" ::: "memory");
}

static void reset_el1(void)
{
	write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(amair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(afsr0_el1, 0);
	write_sysreg(afsr1_el1, 0);
	write_sysreg(par_el1, 0);
	write_sysreg(mdscr_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
}

void vcpu_start(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	set_el2_controls(v);
	reset_el1();
	v->regs = (struct vcpu_regs){.pc = entry, .pstate = PSR_DAIF | PSR_MODE_EL1h};
	v->regs.x[0] = x0;
	guest_resume(v);
}

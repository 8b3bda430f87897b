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

#include "core/inject.h"
#include "core/spinlock.h"
#include "core/vm_build.h"

#define GUEST_HCR                                                                                  \
	(HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO | HCR_EL2_FB |        \
	 HCR_EL2_BSU_IS | HCR_EL2_TSC | HCR_EL2_TIDCP | HCR_EL2_TACR | HCR_EL2_RW)
#define MPIDR_RES1 BIT(31)
/* Counter readable at EL1; the event stream keeps EL2's WFE waits bounded. */
#define CNTHCTL_EL2_GUEST (CNTHCTL_EL1PCTEN | CNTHCTL_EVNTEN | (15 << CNTHCTL_EVNTI_SHIFT))

/* Pointer authentication keys are the guest's own: no traps when present. */
static uint64_t hcr_value(void)
{
	bool pauth = (read_sysreg(id_aa64isar1_el1) & ID_AA64ISAR1_PAUTH_MASK) ||
		     (read_sysreg(s3_0_c0_c6_2) & ID_AA64ISAR2_APA3_MASK); /* ID_AA64ISAR2_EL1 */

	return GUEST_HCR | (pauth ? HCR_EL2_API | HCR_EL2_APK : 0);
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
 */
static void give_fp_to_guest(void)
{
	uint64_t cptr = CPTR_EL2_BOOT;

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

static void set_el2_controls(const struct vcpu *v)
{
	const struct vm *vm = v->vm;
	uint64_t root = (uint64_t)vm->s2.root;

	write_sysreg(vtcr_el2, vm_stage2_geometry()->vtcr);
	write_sysreg(vttbr_el2, ((uint64_t)vm->vmid << VTTBR_VMID_SHIFT) | root);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, MPIDR_RES1 | v->idx);
	write_sysreg(hcr_el2, hcr_value());
	give_fp_to_guest();
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

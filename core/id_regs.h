/* SPDX-License-Identifier: MIT */
/*
 * The ID registers a guest reads (HCR_EL2.TID3): the feature ID space,
 * Op0 = 3, Op1 = 0, CRn = 0, CRm = 1..7, Op2 = 0..7. The arch code captures
 * all 56 encodings on every CPU at boot (unallocated ones read as zero);
 * this file turns the captures of a VM's CPUs into what the VM sees:
 *
 *  - each field at the value every one of those CPUs supports (the lowest,
 *    or the lowest signed value where 0xf means "not implemented"), so all
 *    vCPUs of a VM read the same values even on a big.LITTLE host;
 *  - only the fields listed in the policy table (core/id_regs.c). Anything
 *    else, including features the architecture adds later, reads as 0: a
 *    feature Tessera does not know may need EL2 support it lacks.
 *
 * Portable and pure: no hardware access, unit-tested on the host.
 */
#ifndef CORE_ID_REGS_H
#define CORE_ID_REGS_H

#include <stdbool.h>
#include <stdint.h>

#define ID_REGS_NR 56
/* Position of (CRm, Op2) in struct id_regs; CRm 1..7, Op2 0..7. */
#define ID_IDX(crm, op2) (((crm)-1) * 8 + (op2))

/* The registers the policy names (indices into struct id_regs). */
#define ID_PFR0	     ID_IDX(1, 0)
#define ID_PFR1	     ID_IDX(1, 1)
#define ID_DFR0	     ID_IDX(1, 2)
#define ID_AA64PFR0  ID_IDX(4, 0)
#define ID_AA64PFR1  ID_IDX(4, 1)
#define ID_AA64PFR2  ID_IDX(4, 2)
#define ID_AA64ZFR0  ID_IDX(4, 4)
#define ID_AA64SMFR0 ID_IDX(4, 5)
#define ID_AA64DFR0  ID_IDX(5, 0)
#define ID_AA64DFR1  ID_IDX(5, 1)
#define ID_AA64AFR0  ID_IDX(5, 4)
#define ID_AA64ISAR0 ID_IDX(6, 0)
#define ID_AA64ISAR1 ID_IDX(6, 1)
#define ID_AA64ISAR2 ID_IDX(6, 2)
#define ID_AA64MMFR0 ID_IDX(7, 0)
#define ID_AA64MMFR1 ID_IDX(7, 1)
#define ID_AA64MMFR2 ID_IDX(7, 2)
#define ID_AA64MMFR3 ID_IDX(7, 3)

/* The feature ID space of one CPU, as captured at boot. */
struct id_regs {
	uint64_t reg[ID_REGS_NR];
};

/* Field `shift` (4 bits) of a register value. */
static inline unsigned id_field(uint64_t val, unsigned shift)
{
	return (val >> shift) & 0xf;
}

/*
 * The value a VM reads from ID register idx when it runs on the CPUs whose
 * captures are cpus[0..n-1]. gicv3: the VM's virtual GIC is a GICv3 (its
 * CPU interface is system registers, through ICH_*_EL2).
 */
uint64_t id_reg_guest(unsigned idx, const struct id_regs *const cpus[], unsigned n, bool gicv3);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Capture of the feature ID space (Op0 = 3, Op1 = 0, CRn = 0, CRm = 1..7)
 * on every CPU. All 56 encodings are readable at EL2 on any Armv8 CPU: the
 * unallocated ones are reserved as RAZ, and the AArch32 ones read as UNKNOWN
 * (not UNDEFINED) where AArch32 is absent, which the policy then hides.
 * Guests never read these directly: HCR_EL2.TID3 sends them to
 * core/sysreg_trap.c, which shows each VM the safe values of its own CPUs.
 */
#include <arch/cpu_local.h>
#include <arch/id_regs.h>
#include <arch/sysreg.h>

_Static_assert(ID_REGS_NR == 7 * 8, "CRm 1..7, Op2 0..7");

/* Owned per CPU: each entry is written once, by its CPU, before it is online. */
static struct id_regs cpu_id_regs[MAX_CPUS];

#define ID(crm, op2) read_sysreg(s3_0_c0_c##crm##_##op2)
#define ID_ROW(crm)                                                                                \
	ID(crm, 0), ID(crm, 1), ID(crm, 2), ID(crm, 3), ID(crm, 4), ID(crm, 5), ID(crm, 6),        \
		ID(crm, 7)

void id_regs_capture(void)
{
	struct id_regs r = {
		{ID_ROW(1), ID_ROW(2), ID_ROW(3), ID_ROW(4), ID_ROW(5), ID_ROW(6), ID_ROW(7)}};

	cpu_id_regs[this_cpu()->idx] = r;
}

const struct id_regs *host_id_regs(void)
{
	return cpu_id_regs;
}

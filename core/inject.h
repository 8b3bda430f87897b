/* SPDX-License-Identifier: MIT */
/*
 * Injecting synchronous exceptions into a guest's EL1, as the CPU would
 * take them: syndrome, fault address, return state and vector. Portable: the
 * arch code loads the EL1 registers into struct el1_exc before and stores
 * them back after.
 */
#ifndef CORE_INJECT_H
#define CORE_INJECT_H

#include <stdbool.h>
#include <stdint.h>

/* The guest state an exception entry reads and writes. */
struct el1_exc {
	uint64_t pc;	 /* in: faulting instruction; out: vector address */
	uint64_t pstate; /* in: guest PSTATE (SPSR_EL2); out: PSTATE at the vector */
	uint64_t vbar;	 /* VBAR_EL1 */
	uint64_t sctlr;	 /* SCTLR_EL1: SPAN decides PSTATE.PAN */
	uint64_t esr;	 /* out: ESR_EL1 */
	uint64_t far;	 /* in/out: FAR_EL1 (set for aborts only) */
	uint64_t elr;	 /* out: ELR_EL1 */
	uint64_t spsr;	 /* out: SPSR_EL1 */
};

#define PSR_MODE_MASK	0x1f
#define PSR_MODE_EL0t	0x0
#define PSR_MODE_EL1t	0x4
#define PSR_MODE_EL1h	0x5
#define PSR_MODE32	0x10
#define PSR_DAIF	(0xfull << 6)
#define PSR_NZCV	(0xfull << 28)
#define PSR_DIT		(1ull << 24)
#define PSR_PAN		(1ull << 22)
#define PSR_SSBS	(1ull << 12)
#define SCTLR_EL1_SPAN	(1ull << 23)
#define SCTLR_EL1_DSSBS (1ull << 44)

/* Synchronous external abort on a data access at virtual address va. */
void inject_data_abort(struct el1_exc *e, uint64_t va, bool write);
/* Synchronous external abort on an instruction fetch at va. */
void inject_insn_abort(struct el1_exc *e, uint64_t va);
/* Undefined instruction (EC 0x00). */
void inject_undef(struct el1_exc *e);

#endif

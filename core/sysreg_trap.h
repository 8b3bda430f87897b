/* SPDX-License-Identifier: MIT */
/*
 * Trapped system register accesses and system instructions (ESR_EL2.EC
 * 0x18): the decode of the syndrome and the emulation table. The policy
 * behind the table is docs/trap-policy.md.
 *
 * One table, sorted by encoding, searched by binary search. Each row names
 * its handler: an ID register read (sanitized, core/id_regs.h), read as
 * zero, an emulation (ICC_SGI1R_EL1, set/way cache maintenance), or UNDEF.
 * An encoding without a row is UNDEF, except reads in the feature ID space
 * (Op0 = 3, Op1 = 0, CRn = 0, CRm = 1..7), which the architecture reserves
 * as read-as-zero.
 *
 * Portable: the arch code decodes nothing itself, and does only what needs
 * the hardware (stepping over the instruction, injecting the UNDEF,
 * cleaning the caches).
 */
#ifndef CORE_SYSREG_TRAP_H
#define CORE_SYSREG_TRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/id_regs.h"

/* (Op0, Op1, CRn, CRm, Op2) packed so that numeric order is that order. */
#define SYSREG(op0, op1, crn, crm, op2)                                                            \
	((uint32_t)(op0) << 14 | (uint32_t)(op1) << 11 | (uint32_t)(crn) << 7 |                    \
	 (uint32_t)(crm) << 3 | (uint32_t)(op2))
#define SYSREG_OP0(enc) (((enc) >> 14) & 3)
#define SYSREG_OP1(enc) (((enc) >> 11) & 7)
#define SYSREG_CRN(enc) (((enc) >> 7) & 0xf)
#define SYSREG_CRM(enc) (((enc) >> 3) & 0xf)
#define SYSREG_OP2(enc) ((enc)&7)

struct sysreg_access {
	uint32_t enc;
	unsigned rt; /* 0..30, or 31 for XZR */
	bool read;   /* MRS; false: MSR, or a system instruction (DC, TLBI...) */
};

/* From the ISS of ESR_EL2 with EC 0x18. */
void sysreg_decode(uint32_t iss, struct sysreg_access *a);

/*
 * Set/way batching. A guest cleans its caches with one DC CISW per set, way
 * and level: thousands of traps. The first trap of a walk cleans and
 * invalidates all of the VM's RAM by VA, which is what the whole walk asks
 * for; the rest of the walk has nothing left to do. A walk is a run of
 * set/way traps with no other exit between them, whose levels never go down
 * (a walk goes up the levels), and which does not come back to its first
 * operation (the same instruction on the same set and way starts a new one).
 */
struct setway_walk {
	uint64_t exit;	    /* exit number of the last set/way trap */
	uint64_t first;	    /* the walk's first operand */
	uint32_t first_enc; /* and instruction */
	unsigned level;	    /* cache level of the last one (operand bits [3:1]) */
	bool active;
};

/* Set/way instruction enc with `operand` trapped at exit number `exit` (the
 * vCPU's exits, counted by the caller): true if it must flush. */
bool setway_flush_needed(struct setway_walk *w, uint64_t exit, uint32_t enc, uint64_t operand);

struct vcpu;

struct sysreg_ctx {
	struct vcpu *v;
	const struct id_regs *host; /* ID registers captured on each physical CPU */
	struct setway_walk *walk;   /* the vCPU's */
	uint64_t exit;		    /* the vCPU's exit count, this exit included */
};

enum sysreg_result {
	SYSREG_DONE,  /* emulated: continue after the instruction */
	SYSREG_UNDEF, /* inject an Undefined Instruction exception */
	SYSREG_FLUSH, /* set/way: clean and invalidate the VM's RAM by VA, then continue */
};

struct sysreg_row {
	uint32_t enc;
	const char *name;
	/* val: the value written (MSR, SYS), or where to put the value read. */
	enum sysreg_result (*access)(const struct sysreg_ctx *c, const struct sysreg_row *r,
				     bool read, uint64_t *val);
};

/* The table (for the unit tests: every row reachable, in order). */
extern const struct sysreg_row sysreg_rows[];
extern const unsigned sysreg_nrows;

/* The row for enc, or NULL. */
const struct sysreg_row *sysreg_find(uint32_t enc);

/* Emulate the access: reads are written back to the vCPU's register. */
enum sysreg_result sysreg_emulate(const struct sysreg_ctx *c, const struct sysreg_access *a);

/* "MRS ID_AA64PFR0_EL1", "MSR S3_1_C15_C2_0", "DC CISW": for the fault log. */
void sysreg_describe(const struct sysreg_access *a, char *buf, size_t size);

#endif

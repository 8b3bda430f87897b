/* SPDX-License-Identifier: MIT */
/* Expected and unexpected exceptions at EL1. */
#ifndef GUEST_EXCEPTION_H
#define GUEST_EXCEPTION_H

#include <stdbool.h>
#include <stdint.h>

#define ESR_EC(esr)   (((esr) >> 26) & 0x3f)
#define ESR_DFSC(esr) (0x3f & (esr))
#define EC_DABT_CUR   0x25 /* data abort taken without a change of EL */
#define DFSC_SEA      0x10 /* synchronous external abort, not on a table walk */

/* What the synchronous exceptions taken while armed were; the first one's. */
struct exc_record {
	uint64_t esr;
	uint64_t far;
	uint64_t elr;
	unsigned int count;
};

/*
 * Until exception_disarm(), synchronous exceptions at EL1 are recorded
 * instead of reported: execution resumes at `resume`, or after the faulting
 * instruction if resume is NULL. Any other exception is still fatal.
 */
void exception_arm(const void *resume);
void exception_disarm(struct exc_record *rec);

/*
 * Called for an IRQ taken at EL1 (SP_EL1), with IRQs masked; NULL (the
 * default) makes an IRQ as fatal as any other unexpected exception.
 */
extern void (*exception_irq_handler)(void);

/* One 32-bit access to addr, armed; rec says whether and how it aborted. */
uint32_t probe_read32(uintptr_t addr, struct exc_record *rec);
void probe_write32(uintptr_t addr, uint32_t value, struct exc_record *rec);

/*
 * Reads (or writes) addr and expects exactly one synchronous external abort
 * on it: prints `PASS probe <addr> read: external abort`, or a FAIL line
 * saying what happened instead.
 */
bool expect_abort(uintptr_t addr, bool write);

#endif

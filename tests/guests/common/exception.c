/* SPDX-License-Identifier: MIT */
#include "exception.h"

#include <stddef.h>

#include "asm.h"
#include "core/format.h"
#include "psci.h"
#include "test.h"

#define VECTOR_SYNC_SPX 4 /* current EL, SP_EL1: where our own aborts arrive */
#define VECTOR_IRQ_SPX	5 /* ... and our interrupts */
#define PROBE_POISON	0xdeadbeef

/*
 * Written by the handler behind the compiler's back: every reader is on the
 * far side of a call or an asm with a "memory" clobber, which is enough on
 * one CPU with synchronous exceptions.
 */
static const void *armed_resume;
static bool armed;
static struct exc_record last;

void (*exception_irq_handler)(void);

extern char _head[], __image_end[];

static const char *const vector_names[16] = {
	"sync (EL1, SP_EL0)",  "IRQ (EL1, SP_EL0)",  "FIQ (EL1, SP_EL0)",  "SError (EL1, SP_EL0)",
	"sync (EL1)",	       "IRQ (EL1)",	     "FIQ (EL1)",	   "SError (EL1)",
	"sync (EL0, AArch64)", "IRQ (EL0, AArch64)", "FIQ (EL0, AArch64)", "SError (EL0, AArch64)",
	"sync (EL0, AArch32)", "IRQ (EL0, AArch32)", "FIQ (EL0, AArch32)", "SError (EL0, AArch32)",
};

void exception_arm(const void *resume)
{
	last = (struct exc_record){0};
	armed_resume = resume;
	armed = true;
	asm volatile("" ::: "memory");
}

void exception_disarm(struct exc_record *rec)
{
	asm volatile("" ::: "memory");
	armed = false;
	*rec = last;
}

static __noreturn void unexpected(unsigned long vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	static bool reporting;
	uintptr_t head = (uintptr_t)_head;
	char where[32] = "";

	/* A fault while reporting one (a dead UART?) must not recurse. */
	if (reporting) {
		system_off();
		halt();
	}
	reporting = true;
	/* The load address varies; the offset is what addr2line wants. */
	if (elr >= head && elr < (uintptr_t)__image_end)
		str_format(where, sizeof(where), " (image+0x%lx)", elr - head);
	test_fail("unexpected exception: %s ESR 0x%08lx (EC 0x%02lx) ELR 0x%lx%s FAR 0x%lx",
		  vector_names[vector & 15], esr, ESR_EC(esr), elr, where, far);
	test_done();
}

/*
 * Called from vectors.S with the caller-saved registers saved. An IRQ goes
 * to the handler installed (gic.c), and returns to where it interrupted.
 */
void exception_handler(unsigned long vector)
{
	uint64_t esr, elr, far;

	if (vector == VECTOR_IRQ_SPX && exception_irq_handler) {
		exception_irq_handler();
		return;
	}
	esr = read_sysreg(esr_el1);
	elr = read_sysreg(elr_el1);
	far = read_sysreg(far_el1);
	if (vector != VECTOR_SYNC_SPX || !armed)
		unexpected(vector, esr, elr, far);
	if (!last.count++) {
		last.esr = esr;
		last.far = far;
		last.elr = elr;
	}
	write_sysreg(elr_el1, armed_resume ? (uintptr_t)armed_resume : elr + 4);
}

/* The handler skips the one instruction in the asm, leaving the poison. */
uint32_t probe_read32(uintptr_t addr, struct exc_record *rec)
{
	uint32_t v = PROBE_POISON;

	exception_arm(NULL);
	asm volatile("ldr %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	exception_disarm(rec);
	return v;
}

void probe_write32(uintptr_t addr, uint32_t value, struct exc_record *rec)
{
	exception_arm(NULL);
	asm volatile("str %w0, [%1]" : : "r"(value), "r"(addr) : "memory");
	exception_disarm(rec);
}

bool expect_abort(uintptr_t addr, bool write)
{
	const char *op = write ? "write" : "read";
	struct exc_record rec;
	uint32_t v = 0;

	if (write)
		probe_write32(addr, 0, &rec);
	else
		v = probe_read32(addr, &rec);

	if (rec.count == 1 && ESR_EC(rec.esr) == EC_DABT_CUR && ESR_DFSC(rec.esr) == DFSC_SEA &&
	    rec.far == addr) {
		test_pass("probe 0x%08lx %s: external abort", addr, op);
		return true;
	}
	if (!rec.count && write)
		test_fail("probe 0x%08lx write: no abort", addr);
	else if (!rec.count)
		test_fail("probe 0x%08lx read: no abort, read 0x%08x", addr, v);
	else
		test_fail("probe 0x%08lx %s: %u exception(s), first ESR 0x%08lx (EC 0x%02lx DFSC "
			  "0x%02lx) FAR 0x%lx; expected EC 0x%02x DFSC 0x%02x FAR 0x%08lx",
			  addr, op, rec.count, rec.esr, ESR_EC(rec.esr), ESR_DFSC(rec.esr), rec.far,
			  EC_DABT_CUR, DFSC_SEA, addr);
	return false;
}

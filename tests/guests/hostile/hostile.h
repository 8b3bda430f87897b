/* SPDX-License-Identifier: MIT */
/*
 * hostile: a guest that tries every escape and disturbance it can think of,
 * and checks that each one is contained. See tests/guests/hostile/README.md.
 *
 * Each probe prints exactly one line, PASS or FAIL, with a text that does
 * not depend on the run: addresses from the DT and the bootargs only, never
 * a counter value, a timestamp or a register the trap policy may change.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/format.h"
#include "gic.h"
#include "guest.h"
#include "mmio.h"
#include "smp.h"

#define MAX_FOREIGN 20
#define NAME_MAX    24

#define TIMEOUT_MS 5000 /* for what must arrive: generous, hosts under TCG can be slow */
#define QUIET_MS   20	/* for what must not: how long it has to turn up */

/* Bootargs of this guest's own (bootargs_guest_word()). */
struct hostile_args {
	/* neighbour=BASE,SIZE: another VM's RAM, identity mapped. */
	bool have_neighbour;
	uint64_t neighbour_base;
	uint64_t neighbour_size;
	/* foreign=NAME@ADDR: an address outside the VM; reads and writes must abort. */
	struct {
		char name[NAME_MAX];
		uint64_t addr;
	} foreign[MAX_FOREIGN];
	unsigned int nforeign;
	/* quiet-ms=N: how long its distributor stays disabled (storm probes). */
	unsigned int quiet_ms;
	/* be-mmio=0: skip the big-endian MMIO probe (a known Tessera bug). */
	bool be_mmio;
};

extern struct hostile_args hargs;

/* The foreign= address of that name, or fallback without one. */
uint64_t foreign_addr(const char *name, uint64_t fallback);

/* What the VM is: from the DT, at setup. */
struct vm_info {
	uint64_t ram_base, ram_size;
	unsigned int gic; /* 3 or 2 */
	uint64_t gicd, gicr_or_gicc, gicr_size;
	uint64_t uart;
	unsigned int vtimer; /* INTID */
};

extern struct vm_info vm;

/* ---- exceptions ---- */

#define EC_UNKNOWN  0x00
#define EC_IABT_CUR 0x21
#define EC_BKPT_CUR 0x31
#define EC_BRK64    0x3c
#define DFSC_ALIGN  0x21

/* One synchronous exception, an UNDEF (EC 0x00) of the instruction at pc. */
static inline bool was_undef(const struct exc_record *r, uint64_t pc)
{
	return r->count == 1 && ESR_EC(r->esr) == EC_UNKNOWN && r->elr == pc;
}

/* One synchronous external abort on a data access at far. */
static inline bool was_sea(const struct exc_record *r, uint64_t far)
{
	return r->count == 1 && ESR_EC(r->esr) == EC_DABT_CUR && ESR_DFSC(r->esr) == DFSC_SEA &&
	       r->far == far;
}

/*
 * "no exception", "UNDEF", "ESR 0x... FAR 0x... (n exceptions)": what an
 * armed access took, for FAIL lines. Two buffers used in turn.
 */
const char *exc_text(const struct exc_record *r);

/*
 * MRS/MSR of a register named by its encoding (a string: "s3_0_c1_c0_6"),
 * armed: an exception skips the instruction. *pc gets its address, so an
 * UNDEF can be told from a fault elsewhere. A read that traps returns 0.
 */
#define TRY_MRS(enc, rec, pc)                                                                      \
	({                                                                                         \
		uint64_t __tv = 0, __tpc;                                                          \
		exception_arm(NULL);                                                               \
		asm volatile("1: mrs %0, " enc "\n\tadr %1, 1b"                                    \
			     : "+r"(__tv), "=r"(__tpc)                                             \
			     :                                                                     \
			     : "memory");                                                          \
		exception_disarm(rec);                                                             \
		*(pc) = __tpc;                                                                     \
		__tv;                                                                              \
	})
#define TRY_MSR(enc, val, rec, pc)                                                                 \
	do {                                                                                       \
		uint64_t __tpc;                                                                    \
		exception_arm(NULL);                                                               \
		asm volatile("1: msr " enc ", %1\n\tadr %0, 1b"                                    \
			     : "=r"(__tpc)                                                         \
			     : "r"((uint64_t)(val))                                                \
			     : "memory");                                                          \
		exception_disarm(rec);                                                             \
		*(pc) = __tpc;                                                                     \
	} while (0)
/* Any one instruction (a TLBI, an AT, a DC), armed the same way. */
#define TRY_INSN(insn, rec, pc)                                                                    \
	do {                                                                                       \
		uint64_t __tpc;                                                                    \
		exception_arm(NULL);                                                               \
		asm volatile("1: " insn "\n\tadr %0, 1b" : "=r"(__tpc) : : "memory");              \
		exception_disarm(rec);                                                             \
		*(pc) = __tpc;                                                                     \
	} while (0)
#define TRY_INSN_X(insn, x, rec, pc)                                                               \
	do {                                                                                       \
		uint64_t __tpc;                                                                    \
		exception_arm(NULL);                                                               \
		asm volatile("1: " insn ", %1\n\tadr %0, 1b"                                       \
			     : "=r"(__tpc)                                                         \
			     : "r"((uint64_t)(x))                                                  \
			     : "memory");                                                          \
		exception_disarm(rec);                                                             \
		*(pc) = __tpc;                                                                     \
	} while (0)

/* Reads and writes of addr: both must take a synchronous external abort. */
bool aborts_rw(uint64_t addr, char *why, unsigned int len);

/* ---- interrupts ---- */

/* Counts of what the IRQ handler took on this CPU since a mark. */
struct mark {
	uint32_t count;
	uint32_t spurious;
};

struct mark mark_now(unsigned int cpu);
uint32_t taken_since(unsigned int cpu, struct mark m);
uint32_t took(unsigned int cpu, struct mark m, unsigned int intid);
bool took_nothing(unsigned int cpu, struct mark m);
/* Spins until cpu took intid n times since m, or timeout_ms passed. */
bool wait_took(unsigned int cpu, struct mark m, unsigned int intid, uint32_t n,
	       unsigned int timeout_ms);

/* ---- the probe groups, in the order they run ---- */

void probe_memory(void);
void probe_uart(void);
void probe_mmio_forms(void);
void probe_gic(void);
void probe_sgis(void);
void probe_firmware(void);
void probe_sysregs(void);
void probe_stage1(void);
void probe_el0(void);
void probe_storms(void);
void probe_vcpu1(void);

#endif

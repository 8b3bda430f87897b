/* SPDX-License-Identifier: MIT */
/*
 * Secondary CPUs. smp_cpu_on() starts a CPU through PSCI CPU_ON at
 * start.S's secondary_entry, which gives it a stack of its own, the same
 * vectors, and TPIDR_EL1 = its slot, then runs the function given for that
 * slot. The primary CPU is slot 0. When the function returns, the CPU calls
 * PSCI CPU_OFF.
 *
 * The MMU is off, so the CPUs talk through Device memory: plain volatile
 * loads and stores, seen by the other CPU in program order; DSB and SEV
 * after a store another CPU waits for in WFE. No exclusives, no atomics.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#define SMP_MAX_CPUS   4
#define SMP_STACK_SIZE 8192

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include "asm.h"

typedef void smp_fn(unsigned int cpu);

/* Written by secondary_entry if it got a context ID that is no slot. */
extern volatile uint64_t smp_bad_context;

/* This CPU's slot: 0 for the primary. */
static inline unsigned int smp_cpu(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}

/*
 * PSCI CPU_ON of mpidr, to run fn(cpu) in slot cpu (1..SMP_MAX_CPUS-1).
 * Returns the PSCI result.
 */
int32_t smp_cpu_on(unsigned int cpu, uint64_t mpidr, smp_fn *fn);
/* The physical address of secondary_entry (MMU off: also its VA). */
uintptr_t smp_entry(void);

/*
 * The generic timer's virtual count, for timeouts and delays. CNTKCTL_EL1's
 * event stream (smp_event_stream()) wakes WFE every few microseconds, so a
 * WFE loop also notices a deadline.
 */
static inline uint64_t counter_now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

/* Ticks in ms milliseconds (at least 1). */
uint64_t counter_ms(unsigned int ms);
/* Busy-waits ms milliseconds (interrupts are taken meanwhile if unmasked). */
void delay_ms(unsigned int ms);
/* Turns on the timer event stream for this CPU. */
void smp_event_stream(void);

#endif

#endif

/* SPDX-License-Identifier: MIT */
#include "smp.h"

#include "psci.h"

/* CNTKCTL_EL1: EVNTEN, and an event every 2^(EVNTI+1) ticks (~2^11). */
#define CNTKCTL_EVNTEN	    (1u << 2)
#define CNTKCTL_EVNTI_SHIFT 4
#define CNTKCTL_EVNTI	    10u
#define CNTKCTL_EVNTI_MASK  (0xfu << CNTKCTL_EVNTI_SHIFT)

extern char secondary_entry[];

static smp_fn *volatile slot_fn[SMP_MAX_CPUS];

uintptr_t smp_entry(void)
{
	return (uintptr_t)secondary_entry;
}

int32_t smp_cpu_on(unsigned int cpu, uint64_t mpidr, smp_fn *fn)
{
	if (cpu == 0 || cpu >= SMP_MAX_CPUS)
		return PSCI_INVALID_PARAMETERS;
	slot_fn[cpu] = fn;
	dsb(sy);
	return psci_cpu_on(mpidr, smp_entry(), cpu);
}

/* From start.S, on the new CPU's own stack. */
__noreturn void secondary_start(unsigned int cpu);

void secondary_start(unsigned int cpu)
{
	smp_fn *fn = slot_fn[cpu];

	smp_event_stream();
	if (fn)
		fn(cpu);
	irq_mask();
	psci_cpu_off();
	halt();
}

void smp_event_stream(void)
{
	uint64_t v = read_sysreg(cntkctl_el1);

	v &= ~(uint64_t)CNTKCTL_EVNTI_MASK;
	v |= CNTKCTL_EVNTEN | (CNTKCTL_EVNTI << CNTKCTL_EVNTI_SHIFT);
	write_sysreg(cntkctl_el1, v);
	isb();
}

uint64_t counter_ms(unsigned int ms)
{
	uint64_t t = read_sysreg(cntfrq_el0) / 1000 * ms;

	return t ? t : 1;
}

void delay_ms(unsigned int ms)
{
	uint64_t end = counter_now() + counter_ms(ms);

	while (counter_now() < end)
		;
}

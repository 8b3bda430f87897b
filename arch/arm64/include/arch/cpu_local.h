/* SPDX-License-Identifier: MIT */
/* TPIDR_EL2 holds this CPU's struct cpu: the one accessor for "this CPU". */
#ifndef ARCH_CPU_LOCAL_H
#define ARCH_CPU_LOCAL_H

#include <arch/sysreg.h>

#include "core/cpu.h"

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)read_sysreg(tpidr_el2);
}

static inline void set_this_cpu(struct cpu *cpu)
{
	write_sysreg(tpidr_el2, cpu);
}

#endif

/* SPDX-License-Identifier: MIT */
/* Per-physical-CPU state. Index = position in the host DT's /cpus. */
#ifndef CORE_CPU_H
#define CORE_CPU_H

#include "core/limits.h"

/* Offsets used by assembly (arch/arm64/guest_entry.S) */
#define CPU_VCPU      0
#define CPU_STACK_TOP 8

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct vuart;

struct cpu {
	struct vcpu *vcpu;  /* pinned vCPU or NULL; set before guests run */
	uint64_t stack_top; /* the exit path restarts the EL2 stack here */
	unsigned idx;
	uint64_t mpidr;		  /* affinity fields */
	bool online;		  /* written by the CPU itself, release/acquire */
	struct vuart *flush_uart; /* partial line to show when the hyp timer fires */
};

_Static_assert(__builtin_offsetof(struct cpu, vcpu) == CPU_VCPU, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu, stack_top) == CPU_STACK_TOP, "asm offset");

/* Owned per CPU: each entry is written only by its CPU once it runs. */
extern struct cpu cpus[MAX_CPUS];
#endif /* __ASSEMBLER__ */

#endif

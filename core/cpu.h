/* SPDX-License-Identifier: MIT */
/* Per-physical-CPU state. Index = position in the host DT's /cpus. */
#ifndef CORE_CPU_H
#define CORE_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"

struct cpu {
	unsigned idx;
	uint64_t mpidr; /* affinity fields */
	bool online;	/* written by the CPU itself, release/acquire */
};

/* Owned per CPU: each entry is written only by its CPU once it runs. */
extern struct cpu cpus[MAX_CPUS];

#endif

/* SPDX-License-Identifier: MIT */
/*
 * What a secondary CPU reads with its MMU off: the boot CPU fills this in and
 * cleans it to the point of coherency before releasing the CPU.
 */
#ifndef ARCH_SECONDARY_BOOT_H
#define ARCH_SECONDARY_BOOT_H

#include <core/limits.h>

#define SB_TTBR	 0
#define SB_TCR	 8
#define SB_NCPUS 16
#define SB_MPIDR 24

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct secondary_boot {
	uint64_t ttbr;
	uint64_t tcr;
	uint64_t ncpus;
	uint64_t mpidr[MAX_CPUS]; /* affinity fields, indexed by CPU number */
};

_Static_assert(offsetof(struct secondary_boot, ttbr) == SB_TTBR, "asm offset");
_Static_assert(offsetof(struct secondary_boot, tcr) == SB_TCR, "asm offset");
_Static_assert(offsetof(struct secondary_boot, ncpus) == SB_NCPUS, "asm offset");
_Static_assert(offsetof(struct secondary_boot, mpidr) == SB_MPIDR, "asm offset");

extern struct secondary_boot secondary_boot;
void secondary_entry(void);
#endif

#endif

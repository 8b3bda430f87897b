/* SPDX-License-Identifier: MIT */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include "core/hostdt.h"

/* Release every secondary CPU the host DT lists; returns how many are online. */
unsigned smp_start_secondaries(const struct host_platform *hp, unsigned boot_idx);
/* Let every CPU waiting in boot_secondary() go and run its vCPU. */
void smp_release_cpus(void);
extern uint8_t boot_stack[];

#endif

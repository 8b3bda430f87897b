/* SPDX-License-Identifier: MIT */
/* PSCI through the conduit the DT names (SMCCC: function ID in x0, result in x0). */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include <stdint.h>

#include "asm.h"

#define PSCI_VERSION	0x84000000
#define PSCI_SYSTEM_OFF 0x84000008

/* /psci method "smc" selects SMC; anything else, or no DT, HVC. */
void psci_init(const void *fdt);
const char *psci_conduit(void);

uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
/* (major << 16) | minor, or a negative PSCI error as a 32-bit value. */
uint32_t psci_version(void);
/* Returns only if the call failed. */
void system_off(void);
__noreturn void halt(void);

#endif

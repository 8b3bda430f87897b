/* SPDX-License-Identifier: MIT */
/* PSCI through the conduit the DT names (SMCCC: function ID in x0, result in x0). */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include <stdint.h>

#include "asm.h"

#define PSCI_VERSION	      0x84000000
#define PSCI_CPU_OFF	      0x84000002
#define PSCI_CPU_ON_64	      0xc4000003
#define PSCI_AFFINITY_INFO_64 0xc4000004
#define PSCI_SYSTEM_OFF	      0x84000008

/* Return values (int32 in w0). AFFINITY_INFO answers 0-2 on success. */
#define PSCI_SUCCESS		 0
#define PSCI_NOT_SUPPORTED	 (-1)
#define PSCI_INVALID_PARAMETERS	 (-2)
#define PSCI_DENIED		 (-3)
#define PSCI_ALREADY_ON		 (-4)
#define PSCI_ON_PENDING		 (-5)
#define PSCI_INTERNAL_FAILURE	 (-6)
#define PSCI_NOT_PRESENT	 (-7)
#define PSCI_DISABLED		 (-8)
#define PSCI_INVALID_ADDRESS	 (-9)
#define PSCI_AFFINITY_ON	 0
#define PSCI_AFFINITY_OFF	 1
#define PSCI_AFFINITY_ON_PENDING 2

/* /psci method "smc" selects SMC; anything else, or no DT, HVC. */
void psci_init(const void *fdt);
const char *psci_conduit(void);

uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
/* (major << 16) | minor, or a negative PSCI error as a 32-bit value. */
uint32_t psci_version(void);
/* Returns only if the call failed. */
void system_off(void);
/* CPU_ON (SMC64): start MPIDR mpidr at physical entry with x0 = context. */
int32_t psci_cpu_on(uint64_t mpidr, uintptr_t entry, uint64_t context);
/* AFFINITY_INFO (SMC64): PSCI_AFFINITY_ON/OFF/ON_PENDING, or an error. */
int32_t psci_affinity_info(uint64_t mpidr, unsigned int level);
/* CPU_OFF for the calling CPU: returns only if the call failed. */
int32_t psci_cpu_off(void);
/* "SUCCESS", "INVALID_PARAMETERS", ...; "unknown" for anything else. */
const char *psci_error_name(int32_t ret);
__noreturn void halt(void);

#endif

/* SPDX-License-Identifier: MIT */
/* Calls into EL3 firmware (PSCI over SMC). */
#ifndef ARCH_FIRMWARE_H
#define ARCH_FIRMWARE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hostdt.h"

void firmware_set_conduit(enum psci_conduit conduit);
bool firmware_has_psci(void);
uint32_t firmware_psci_version(void);
int64_t firmware_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
const char *psci_error_name(int64_t ret);
/* Which Spectre-class workarounds firmware offers (core/arch.h uses it). */
void firmware_probe_smccc(void);
/*
 * Without PSCI, power off through the BCM2835 power manager at base (a
 * Raspberry Pi with the firmware's own armstub); 0: there is none.
 */
void firmware_set_halt_watchdog(uintptr_t base);
/* Power the machine off; parks this CPU if firmware cannot. */
void __attribute__((noreturn)) system_off(void);

#endif

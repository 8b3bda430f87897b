/* SPDX-License-Identifier: MIT */
#include <arch/firmware.h>
#include <arch/sysreg.h>

#include "core/arch.h"
#include "core/bcm2835_pm.h"
#include "core/psci.h"

#define SMCCC_VERSION_FID	0x80000000u
#define SMCCC_ARCH_FEATURES_FID 0x80000001u
#define PSCI_FEATURES_FID	0x8400000au

/* Workaround function IDs (SMCCC_ARCH_WORKAROUND_1/2/3) and firmware's answers. */
static const uint32_t workaround_fid[3] = {0x80008000u, 0x80007fffu, 0x80003fffu};

/* Chosen and probed once at boot, read-only afterwards. */
static enum psci_conduit psci_conduit;
static int32_t workaround[3] = {-1, -1, -1};
static uintptr_t halt_watchdog;

void firmware_set_conduit(enum psci_conduit conduit)
{
	psci_conduit = conduit;
}

bool firmware_has_psci(void)
{
	return psci_conduit == PSCI_CONDUIT_SMC;
}

/* SMCCC: arguments in x0-x3, result in x0; x4-x17 may be clobbered. */
static int64_t smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

uint32_t firmware_psci_version(void)
{
	return firmware_has_psci() ? (uint32_t)smc(PSCI_VERSION, 0, 0, 0) : 0;
}

int64_t firmware_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	if (!firmware_has_psci())
		return PSCI_RET_NOT_SUPPORTED;
	return smc(PSCI_CPU_ON_64, mpidr, entry, context);
}

/*
 * SMCCC discovery as the spec orders it: PSCI_FEATURES says whether
 * SMCCC_VERSION exists; only SMCCC 1.1 has ARCH_FEATURES. Firmware without
 * them (QEMU's built-in PSCI) may treat unknown SMCs as UNDEFINED, so never
 * call one that was not announced.
 */
void firmware_probe_smccc(void)
{
	uint32_t psci = firmware_psci_version();

	if (!firmware_has_psci() || PSCI_VERSION_MAJOR(psci) < 1)
		return;
	if (smc(PSCI_FEATURES_FID, SMCCC_VERSION_FID, 0, 0) != 0)
		return;
	if (smc(SMCCC_VERSION_FID, 0, 0, 0) < 0x10001)
		return;
	for (unsigned i = 0; i < 3; i++)
		workaround[i] = (int32_t)smc(SMCCC_ARCH_FEATURES_FID, workaround_fid[i], 0, 0);
}

int32_t arch_smccc_workaround(uint32_t fid)
{
	for (unsigned i = 0; i < 3; i++)
		if (workaround_fid[i] == fid)
			return workaround[i];
	return PSCI_RET_NOT_SUPPORTED;
}

int64_t arch_smccc_forward(uint32_t fid, uint64_t a1)
{
	return arch_smccc_workaround(fid) < 0 ? PSCI_RET_NOT_SUPPORTED : smc(fid, a1, 0, 0);
}

const char *psci_error_name(int64_t ret)
{
	static const char *const names[] = {
		"SUCCESS",    "NOT_SUPPORTED",	 "INVALID_PARAMETERS", "DENIED",
		"ALREADY_ON", "ON_PENDING",	 "INTERNAL_FAILURE",   "NOT_PRESENT",
		"DISABLED",   "INVALID_ADDRESS",
	};

	if (ret > 0 || ret < -9)
		return "unknown error";
	return names[-ret];
}

void firmware_set_halt_watchdog(uintptr_t base)
{
	halt_watchdog = base;
}

void system_off(void)
{
	if (firmware_has_psci())
		smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	if (halt_watchdog)
		bcm2835_pm_halt(halt_watchdog);
	for (;;)
		wfi();
}

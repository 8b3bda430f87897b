/* SPDX-License-Identifier: MIT */
#include "psci.h"

#include <stdbool.h>
#include <string.h>

#include "dt.h"

static bool use_smc;

void psci_init(const void *fdt)
{
	const char *method = dt_psci_method(fdt);

	use_smc = method && !strcmp(method, "smc");
}

const char *psci_conduit(void)
{
	return use_smc ? "smc" : "hvc";
}

/* SMCCC 1.0 lets the callee clobber x0-x17; x18 and up are preserved. */
uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn;
	register uint64_t x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = a3;

	if (use_smc)
		asm volatile("smc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     :
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			       "x14", "x15", "x16", "x17", "memory");
	else
		asm volatile("hvc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     :
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			       "x14", "x15", "x16", "x17", "memory");
	return x0;
}

uint32_t psci_version(void)
{
	return (uint32_t)psci_call(PSCI_VERSION, 0, 0, 0);
}

void system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

/* The result is an int32 in w0: whatever the upper half holds is ignored. */
int32_t psci_cpu_on(uint64_t mpidr, uintptr_t entry, uint64_t context)
{
	return (int32_t)psci_call(PSCI_CPU_ON_64, mpidr, entry, context);
}

int32_t psci_affinity_info(uint64_t mpidr, unsigned int level)
{
	return (int32_t)psci_call(PSCI_AFFINITY_INFO_64, mpidr, level, 0);
}

int32_t psci_cpu_off(void)
{
	return (int32_t)psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

const char *psci_error_name(int32_t ret)
{
	static const char *const names[] = {
		"SUCCESS",    "NOT_SUPPORTED",	 "INVALID_PARAMETERS", "DENIED",
		"ALREADY_ON", "ON_PENDING",	 "INTERNAL_FAILURE",   "NOT_PRESENT",
		"DISABLED",   "INVALID_ADDRESS",
	};

	return ret <= 0 && ret > -(int32_t)(sizeof(names) / sizeof(names[0])) ? names[-ret]
									      : "unknown";
}

void halt(void)
{
	for (;;)
		asm volatile("wfi");
}

/* SPDX-License-Identifier: MIT */
/*
 * The guest's SMCCC/PSCI firmware interface. Function IDs and results are
 * written out from Arm DEN 0022 (PSCI) and DEN 0028 (SMCCC), not taken from
 * core/psci.h or core/vpsci.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/vpsci.h"

#define FID_PSCI_VERSION	0x84000000ull
#define FID_CPU_SUSPEND		0x84000001ull
#define FID_CPU_OFF		0x84000002ull
#define FID_CPU_ON_64		0xc4000003ull
#define FID_AFFINITY_INFO_64	0xc4000004ull
#define FID_SYSTEM_OFF		0x84000008ull
#define FID_SYSTEM_RESET	0x84000009ull
#define FID_PSCI_FEATURES	0x8400000aull
#define FID_SMCCC_VERSION	0x80000000ull
#define FID_SMCCC_ARCH_FEATURES 0x80000001ull

#define NOT_SUPPORTED 0xffffffffffffffffull /* -1 */

#define X1 0x1111111111111111ull
#define X2 0x2222222222222222ull
#define X3 0x3333333333333333ull
#define X4 0x4444444444444444ull

static struct vcpu vcpu(uint64_t x0, uint64_t x1)
{
	struct vcpu v = {0};

	for (unsigned i = 0; i < 31; i++)
		v.regs.x[i] = 0xa5a5a5a5a5a5a500ull + i;
	v.regs.x[0] = x0;
	v.regs.x[1] = x1;
	v.regs.x[2] = X2;
	v.regs.x[3] = X3;
	v.regs.x[4] = X4;
	v.regs.pc = 0x40080004;
	v.regs.pstate = 0x3c5;
	return v;
}

/* Call fid with argument x1; return x0. Only x0 may change, and the vCPU resumes. */
static uint64_t call(uint64_t fid, uint64_t x1)
{
	struct vcpu v = vcpu(fid, x1);

	assert_int_equal(smccc_handle(&v), SMCCC_RESUME);
	assert_int_equal(v.regs.x[1], x1);
	assert_int_equal(v.regs.x[2], X2);
	assert_int_equal(v.regs.x[3], X3);
	assert_int_equal(v.regs.x[4], X4);
	for (unsigned i = 5; i < 31; i++)
		assert_int_equal(v.regs.x[i], 0xa5a5a5a5a5a5a500ull + i);
	/* The exit path, not the handler, moves the PC. */
	assert_int_equal(v.regs.pc, 0x40080004);
	assert_int_equal(v.regs.pstate, 0x3c5);
	return v.regs.x[0];
}

static void psci_version_1_1(void **state)
{
	(void)state;
	/* Major 1 in [30:16], minor 1 in [15:0]. */
	assert_int_equal(call(FID_PSCI_VERSION, X1), 0x10001);
}

static void smccc_version_1_1(void **state)
{
	(void)state;
	assert_int_equal(call(FID_SMCCC_VERSION, X1), 0x10001);
}

/* The function ID is W0: bits [63:32] of X0 are not part of it. */
static void function_id_is_w0(void **state)
{
	(void)state;
	assert_int_equal(call(0xffffffff00000000ull | FID_PSCI_VERSION, X1), 0x10001);
	assert_int_equal(call(0x0000000100000000ull | FID_SMCCC_VERSION, X1), 0x10001);
}

static void psci_features_implemented(void **state)
{
	(void)state;
	assert_int_equal(call(FID_PSCI_FEATURES, FID_PSCI_VERSION), 0);
	assert_int_equal(call(FID_PSCI_FEATURES, FID_PSCI_FEATURES), 0);
	assert_int_equal(call(FID_PSCI_FEATURES, FID_SYSTEM_OFF), 0);
	/* DEN 0022: PSCI_FEATURES also answers for SMCCC_VERSION (SMCCC >= 1.1 discovery). */
	assert_int_equal(call(FID_PSCI_FEATURES, FID_SMCCC_VERSION), 0);
	/* psci_func_id is a 32-bit argument. */
	assert_int_equal(call(FID_PSCI_FEATURES, 0xdead000000000000ull | FID_SYSTEM_OFF), 0);
}

static void psci_features_unimplemented(void **state)
{
	static const uint64_t ids[] = {
		FID_CPU_SUSPEND,
		FID_CPU_OFF,
		FID_CPU_ON_64,
		FID_AFFINITY_INFO_64,
		FID_SYSTEM_RESET,
		FID_SMCCC_ARCH_FEATURES,
		0x84000003ull, /* CPU_ON, SMC32 */
		0xc4000008ull, /* not a function: SYSTEM_OFF has no SMC64 form */
		0xc2000000ull, /* SiP service */
		0,
		0xffffffffull,
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_int_equal(call(FID_PSCI_FEATURES, ids[i]), NOT_SUPPORTED);
}

static void system_off_stops_vm(void **state)
{
	struct vcpu v = vcpu(FID_SYSTEM_OFF, X1);

	(void)state;
	assert_int_equal(smccc_handle(&v), SMCCC_VM_OFF);
	/* SYSTEM_OFF does not return: nothing is written. */
	assert_int_equal(v.regs.x[0], FID_SYSTEM_OFF);
	assert_int_equal(v.regs.x[1], X1);
	assert_int_equal(v.regs.x[2], X2);
	assert_int_equal(v.regs.x[3], X3);
}

static void unknown_ids_not_supported(void **state)
{
	static const uint64_t ids[] = {
		FID_CPU_SUSPEND, FID_SYSTEM_RESET, 0xc4000012ull, /* SYSTEM_RESET2 (64) */
		0xc2000001ull,					  /* SiP */
		0xc6000000ull,					  /* OEM */
		0x86000000ull,					  /* Standard Hypervisor Service */
		0xbf000000ull,					  /* Trusted OS */
		0x00000000ull,	 0xffffffffull,
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_int_equal(call(ids[i], X1), NOT_SUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(psci_version_1_1),
		cmocka_unit_test(smccc_version_1_1),
		cmocka_unit_test(function_id_is_w0),
		cmocka_unit_test(psci_features_implemented),
		cmocka_unit_test(psci_features_unimplemented),
		cmocka_unit_test(system_off_stops_vm),
		cmocka_unit_test(unknown_ids_not_supported),
	};

	return cmocka_run_group_tests_name("vpsci", tests, NULL, NULL);
}

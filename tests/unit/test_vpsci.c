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
#include <string.h>

#include <cmocka.h>

#include "core/vpsci.h"

/* SMCCC: Arm Architecture Service */
#define FID_SMCCC_VERSION	0x80000000ull
#define FID_SMCCC_ARCH_FEATURES 0x80000001ull
#define FID_SMCCC_ARCH_SOC_ID	0x80000002ull /* SMCCC 1.2: not offered */
#define FID_WORKAROUND_1	0x80008000ull
#define FID_WORKAROUND_2	0x80007fffull
#define FID_WORKAROUND_3	0x80003fffull

/* PSCI 1.1 */
#define FID_PSCI_VERSION	   0x84000000ull
#define FID_CPU_SUSPEND_32	   0x84000001ull
#define FID_CPU_SUSPEND_64	   0xc4000001ull
#define FID_CPU_OFF		   0x84000002ull
#define FID_CPU_ON_32		   0x84000003ull
#define FID_CPU_ON_64		   0xc4000003ull
#define FID_AFFINITY_INFO_32	   0x84000004ull
#define FID_AFFINITY_INFO_64	   0xc4000004ull
#define FID_MIGRATE_32		   0x84000005ull
#define FID_MIGRATE_64		   0xc4000005ull
#define FID_MIGRATE_INFO_TYPE	   0x84000006ull
#define FID_MIGRATE_INFO_UP_CPU_32 0x84000007ull
#define FID_MIGRATE_INFO_UP_CPU_64 0xc4000007ull
#define FID_SYSTEM_OFF		   0x84000008ull
#define FID_SYSTEM_RESET	   0x84000009ull
#define FID_PSCI_FEATURES	   0x8400000aull
#define FID_CPU_FREEZE		   0x8400000bull
#define FID_CPU_DEFAULT_SUSPEND_64 0xc400000cull
#define FID_NODE_HW_STATE_64	   0xc400000dull
#define FID_SYSTEM_SUSPEND_32	   0x8400000eull
#define FID_SYSTEM_SUSPEND_64	   0xc400000eull
#define FID_SET_SUSPEND_MODE	   0x8400000full
#define FID_STAT_RESIDENCY_32	   0x84000010ull
#define FID_STAT_RESIDENCY_64	   0xc4000010ull
#define FID_STAT_COUNT_32	   0x84000011ull
#define FID_STAT_COUNT_64	   0xc4000011ull
#define FID_SYSTEM_RESET2_32	   0x84000012ull
#define FID_SYSTEM_RESET2_64	   0xc4000012ull
#define FID_MEM_PROTECT		   0x84000013ull

/* x0 as the guest reads it: 64-bit two's complement. */
#define SUCCESS		   0ull
#define NOT_SUPPORTED	   0xffffffffffffffffull /* -1 */
#define INVALID_PARAMETERS 0xfffffffffffffffeull /* -2 */
#define ALREADY_ON	   0xfffffffffffffffcull /* -4 */
#define ON_PENDING	   0xfffffffffffffffbull /* -5 */
#define INVALID_ADDRESS	   0xfffffffffffffff7ull /* -9 */

/* AFFINITY_INFO */
#define AFF_ON	       0
#define AFF_OFF	       1
#define AFF_ON_PENDING 2

/* CPU_SUSPEND power_state, original format */
#define POWERDOWN (1ull << 16)

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x08000000ull
#define ENTRY	 0x40080000ull
#define CONTEXT	 0xfedcba9876543210ull

#define X1 0x1111111111111111ull
#define X2 0x2222222222222222ull
#define X3 0x3333333333333333ull

#define PC     0x40080004ull
#define PSTATE 0x3c5ull

/* tests/unit/fake/arch.c */
extern struct vcpu *fake_last_woken;
extern unsigned fake_wakes;
extern int32_t fake_workaround[3];
extern unsigned fake_forwards;
extern uint32_t fake_forward_fid;
extern uint64_t fake_forward_arg;
extern int64_t fake_forward_ret;

static const struct vm_config cfg = {.label = "t", .mem = {RAM_BASE, RAM_SIZE}};
static struct vm vm;

static uint64_t pattern(unsigned vcpu, unsigned reg)
{
	return 0xa5a5a5a5a5a50000ull + (vcpu << 8) + reg;
}

/*
 * A VM of n vCPUs as the VM builder leaves it once vCPU 0 runs: vCPU 0 ON,
 * the rest OFF, every register a recognisable pattern. Returns vCPU 0.
 */
static struct vcpu *make_vm(unsigned n)
{
	memset(&vm, 0, sizeof(vm));
	vm.cfg = &cfg;
	vm.nvcpus = n;
	for (unsigned i = 0; i < n; i++) {
		struct vcpu *v = &vm.vcpus[i];

		*v = (struct vcpu){.vm = &vm, .idx = i, .pcpu = 3 - i};
		v->state = i == 0 ? VCPU_ON : VCPU_OFF;
		v->boot_entry = 0xb0b0b0b0b0b0b000ull + i;
		v->boot_context = 0xc0c0c0c0c0c0c000ull + i;
		for (unsigned r = 0; r < 31; r++)
			v->regs.x[r] = pattern(i, r);
		v->regs.pc = PC;
		v->regs.pstate = PSTATE;
	}
	fake_last_woken = NULL;
	fake_wakes = 0;
	fake_forwards = 0;
	for (unsigned i = 0; i < 3; i++)
		fake_workaround[i] = -1;
	fake_forward_ret = 0;
	return &vm.vcpus[0];
}

/* Load a call into v's x0-x3 and handle it; x4-x30 keep their pattern. */
static enum smccc_action smc(struct vcpu *v, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	v->regs.x[0] = fid;
	v->regs.x[1] = a1;
	v->regs.x[2] = a2;
	v->regs.x[3] = a3;
	return smccc_handle(v);
}

/* Only x0 may have changed: x1-x3 hold the arguments, the rest the pattern. */
static void assert_regs_kept(const struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	assert_int_equal(v->regs.x[1], a1);
	assert_int_equal(v->regs.x[2], a2);
	assert_int_equal(v->regs.x[3], a3);
	for (unsigned r = 4; r < 31; r++)
		assert_int_equal(v->regs.x[r], pattern(v->idx, r));
	/* The exit path, not the handler, moves the PC. */
	assert_int_equal(v->regs.pc, PC);
	assert_int_equal(v->regs.pstate, PSTATE);
}

/* A call that returns to the guest: its x0. */
static uint64_t call3(struct vcpu *v, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	assert_int_equal(smc(v, fid, a1, a2, a3), SMCCC_RESUME);
	assert_regs_kept(v, a1, a2, a3);
	return v->regs.x[0];
}

static uint64_t call(struct vcpu *v, uint64_t fid, uint64_t a1)
{
	return call3(v, fid, a1, X2, X3);
}

static void assert_state(unsigned i, enum vcpu_state s, uint64_t entry, uint64_t context)
{
	assert_int_equal(vm.vcpus[i].state, s);
	assert_int_equal(vm.vcpus[i].boot_entry, entry);
	assert_int_equal(vm.vcpus[i].boot_context, context);
}

/* vCPU i as make_vm left it. */
static void assert_untouched(unsigned i)
{
	assert_state(i, i == 0 ? VCPU_ON : VCPU_OFF, 0xb0b0b0b0b0b0b000ull + i,
		     0xc0c0c0c0c0c0c000ull + i);
	assert_false(vm.vcpus[i].suspend_powerdown);
}

/* --- versions and discovery --------------------------------------------- */

static void psci_version_1_1(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	/* Major 1 in [30:16], minor 1 in [15:0]. */
	assert_int_equal(call(v, FID_PSCI_VERSION, X1), 0x10001);
}

static void smccc_version_1_1(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call(v, FID_SMCCC_VERSION, X1), 0x10001);
}

/* The function ID is W0: bits [63:32] of X0 are not part of it. */
static void function_id_is_w0(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call(v, 0xffffffff00000000ull | FID_PSCI_VERSION, X1), 0x10001);
	assert_int_equal(call(v, 0x0000000100000000ull | FID_SMCCC_VERSION, X1), 0x10001);
	assert_int_equal(call3(v, 0xdead0000ull << 32 | FID_CPU_ON_64, 1, ENTRY, 0), SUCCESS);
	assert_state(1, VCPU_ON_PENDING, ENTRY, 0);
}

static void psci_features_implemented(void **state)
{
	static const uint64_t ids[] = {
		FID_PSCI_VERSION,
		FID_CPU_OFF,
		FID_CPU_ON_32,
		FID_CPU_ON_64,
		FID_AFFINITY_INFO_32,
		FID_AFFINITY_INFO_64,
		FID_MIGRATE_INFO_TYPE,
		FID_SYSTEM_OFF,
		FID_SYSTEM_RESET,
		FID_PSCI_FEATURES,
		/* DEN 0022: PSCI_FEATURES also answers for SMCCC_VERSION. */
		FID_SMCCC_VERSION,
	};
	struct vcpu *v = make_vm(2);

	(void)state;
	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_int_equal(call(v, FID_PSCI_FEATURES, ids[i]), SUCCESS);
	/* psci_func_id is a 32-bit argument. */
	assert_int_equal(call(v, FID_PSCI_FEATURES, 0xdead000000000000ull | FID_SYSTEM_OFF), 0);
}

/* Feature flags: bit 1 clear (original power_state format), bit 0 clear (no OSI). */
static void psci_features_cpu_suspend_flags(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call(v, FID_PSCI_FEATURES, FID_CPU_SUSPEND_32), 0);
	assert_int_equal(call(v, FID_PSCI_FEATURES, FID_CPU_SUSPEND_64), 0);
}

/* PSCI functions Tessera refuses, and IDs that are no PSCI function at all. */
static const uint64_t refused[] = {
	FID_MIGRATE_32,
	FID_MIGRATE_64,
	FID_MIGRATE_INFO_UP_CPU_32,
	FID_MIGRATE_INFO_UP_CPU_64,
	FID_CPU_FREEZE,
	FID_CPU_DEFAULT_SUSPEND_64,
	FID_NODE_HW_STATE_64,
	FID_SYSTEM_SUSPEND_32,
	FID_SYSTEM_SUSPEND_64,
	FID_SET_SUSPEND_MODE,
	FID_STAT_RESIDENCY_32,
	FID_STAT_RESIDENCY_64,
	FID_STAT_COUNT_32,
	FID_STAT_COUNT_64,
	FID_SYSTEM_RESET2_32,
	FID_SYSTEM_RESET2_64,
	FID_MEM_PROTECT,
	0xc4000006ull, /* MIGRATE_INFO_TYPE has no SMC64 form */
	0xc4000008ull, /* nor has SYSTEM_OFF */
	0x04000000ull, /* PSCI_VERSION as a yielding call */
	0x84000015ull, /* past PSCI 1.1 */
	0x81000000ull, /* CPU Service */
	0xc2000000ull, /* SiP Service */
	0xc3000000ull, /* OEM Service */
	0x85000000ull, /* Standard Hypervisor Service */
	0x8600ff01ull, /* Vendor Specific Hypervisor Service: call UID */
	0xc6000000ull, /* Vendor Specific Hypervisor Service */
	0x87000000ull, /* Vendor Specific EL3 Monitor Service */
	0xbf000000ull, /* Trusted OS */
	0x00000000ull,
	0xffffffffull,
};

static void psci_features_unimplemented(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(call(v, FID_PSCI_FEATURES, refused[i]), NOT_SUPPORTED);
	/* SMCCC functions other than SMCCC_VERSION are discovered with ARCH_FEATURES. */
	fake_workaround[0] = 0;
	assert_int_equal(call(v, FID_PSCI_FEATURES, FID_SMCCC_ARCH_FEATURES), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_PSCI_FEATURES, FID_WORKAROUND_1), NOT_SUPPORTED);
}

static void refused_calls_not_supported(void **state)
{
	struct vcpu *v = make_vm(4);

	(void)state;
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(call3(v, refused[i], 1, ENTRY, CONTEXT), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_SMCCC_ARCH_SOC_ID, 0), NOT_SUPPORTED);
	for (unsigned i = 0; i < 4; i++)
		assert_untouched(i);
	assert_int_equal(fake_wakes, 0);
	assert_int_equal(fake_forwards, 0);
}

static void arch_features_smccc(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call(v, FID_SMCCC_ARCH_FEATURES, FID_SMCCC_VERSION), SUCCESS);
	assert_int_equal(call(v, FID_SMCCC_ARCH_FEATURES, FID_SMCCC_ARCH_FEATURES), SUCCESS);
	/* arch_func_id is a 32-bit argument. */
	assert_int_equal(
		call(v, FID_SMCCC_ARCH_FEATURES, 0xffffffff00000000ull | FID_SMCCC_VERSION),
		SUCCESS);
	/* Only Arm Architecture Service functions are discovered this way. */
	assert_int_equal(call(v, FID_SMCCC_ARCH_FEATURES, FID_SMCCC_ARCH_SOC_ID), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_SMCCC_ARCH_FEATURES, FID_PSCI_VERSION), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_SMCCC_ARCH_FEATURES, FID_CPU_ON_64), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_SMCCC_ARCH_FEATURES, 0x80008001ull), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_SMCCC_ARCH_FEATURES, 0), NOT_SUPPORTED);
}

/* The guest hears exactly what the host firmware said, per workaround. */
static void arch_features_workarounds_from_host(void **state)
{
	static const int32_t answers[][3] = {
		{-1, -1, -1},
		{0, 0, 0},
		{0, 1, -1}, /* 1: WORKAROUND_2 not needed */
		{1, -2, 0}, /* -2: NOT_REQUIRED */
	};
	static const uint64_t wa[3] = {FID_WORKAROUND_1, FID_WORKAROUND_2, FID_WORKAROUND_3};
	struct vcpu *v = make_vm(2);

	(void)state;
	for (unsigned a = 0; a < sizeof(answers) / sizeof(answers[0]); a++) {
		for (unsigned i = 0; i < 3; i++)
			fake_workaround[i] = answers[a][i];
		for (unsigned i = 0; i < 3; i++)
			assert_int_equal(call(v, FID_SMCCC_ARCH_FEATURES, wa[i]),
					 (uint64_t)(int64_t)answers[a][i]);
	}
	/* Asking is not calling. */
	assert_int_equal(fake_forwards, 0);
}

static void workarounds_forwarded_when_host_has_them(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	fake_workaround[0] = fake_workaround[1] = fake_workaround[2] = 0;
	/* The fake firmware returns 0 in x0; x1-x3 stay the caller's. */
	assert_int_equal(call(v, FID_WORKAROUND_1, X1), 0);
	assert_int_equal(fake_forwards, 1);
	assert_int_equal(call(v, FID_WORKAROUND_2, 1), 0);
	assert_int_equal(fake_forwards, 2);
	assert_int_equal(call(v, FID_WORKAROUND_2, 0), 0);
	assert_int_equal(fake_forwards, 3);
	assert_int_equal(call(v, FID_WORKAROUND_3, X1), 0);
	assert_int_equal(fake_forwards, 4);
	/* What reaches firmware: the function ID and w1 (a 32-bit flag), and
	 * firmware's answer comes back in x0. */
	fake_forward_ret = 7;
	assert_int_equal(call(v, FID_WORKAROUND_2, 0x100000001ull), 7);
	assert_int_equal(fake_forward_fid, FID_WORKAROUND_2);
	assert_int_equal(fake_forward_arg, 0x1);
}

static void workarounds_refused_unless_host_needs_them(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	/* Not supported by the host. */
	assert_int_equal(call(v, FID_WORKAROUND_1, X1), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_WORKAROUND_2, 1), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_WORKAROUND_3, X1), NOT_SUPPORTED);
	/* Not needed on this CPU. */
	fake_workaround[0] = -2;
	fake_workaround[1] = 1;
	fake_workaround[2] = -2;
	assert_int_equal(call(v, FID_WORKAROUND_1, X1), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_WORKAROUND_2, 1), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_WORKAROUND_3, X1), NOT_SUPPORTED);
	/* Each workaround follows its own answer. */
	fake_workaround[1] = 0;
	assert_int_equal(call(v, FID_WORKAROUND_1, X1), NOT_SUPPORTED);
	assert_int_equal(call(v, FID_WORKAROUND_2, 1), 0);
	assert_int_equal(call(v, FID_WORKAROUND_3, X1), NOT_SUPPORTED);
	assert_int_equal(fake_forwards, 1);
}

/* --- CPU_ON -------------------------------------------------------------- */

static void cpu_on_64_starts_vcpu(void **state)
{
	struct vcpu *v = make_vm(4);

	(void)state;
	assert_int_equal(call3(v, FID_CPU_ON_64, 2, ENTRY, CONTEXT), SUCCESS);
	assert_state(2, VCPU_ON_PENDING, ENTRY, CONTEXT);
	assert_false(vm.vcpus[2].suspend_powerdown);
	assert_int_equal(fake_wakes, 1);
	assert_ptr_equal(fake_last_woken, &vm.vcpus[2]);
	assert_untouched(0);
	assert_untouched(1);
	assert_untouched(3);
}

/* Any vCPU may start any other, and each CPU_ON wakes exactly its target. */
static void cpu_on_from_secondary(void **state)
{
	make_vm(4);
	(void)state;
	vm.vcpus[1].state = VCPU_ON;
	assert_int_equal(call3(&vm.vcpus[1], FID_CPU_ON_64, 3, RAM_BASE, 0), SUCCESS);
	assert_ptr_equal(fake_last_woken, &vm.vcpus[3]);
	assert_int_equal(call3(&vm.vcpus[1], FID_CPU_ON_64, 2, ENTRY + 8, 7), SUCCESS);
	assert_ptr_equal(fake_last_woken, &vm.vcpus[2]);
	assert_int_equal(fake_wakes, 2);
	assert_state(3, VCPU_ON_PENDING, RAM_BASE, 0);
	assert_state(2, VCPU_ON_PENDING, ENTRY + 8, 7);
}

/* Only Aff0..Aff3 name a CPU: U, MT, RES1 bit 31 and RES0 bits are ignored. */
static void cpu_on_ignores_non_affinity_bits(void **state)
{
	struct vcpu *v = make_vm(4);

	(void)state;
	assert_int_equal(call3(v, FID_CPU_ON_64, 0x80000001ull, ENTRY, 1), SUCCESS);
	assert_int_equal(call3(v, FID_CPU_ON_64, 0x41000002ull, ENTRY, 2), SUCCESS);
	assert_int_equal(call3(v, FID_CPU_ON_64, 0xffffff003e000003ull, ENTRY, 3), SUCCESS);
	assert_state(1, VCPU_ON_PENDING, ENTRY, 1);
	assert_state(2, VCPU_ON_PENDING, ENTRY, 2);
	assert_state(3, VCPU_ON_PENDING, ENTRY, 3);
	assert_int_equal(fake_wakes, 3);
}

static void cpu_on_foreign_mpidr(void **state)
{
	static const uint64_t mpidrs[] = {
		4,		 /* Aff0 past the last vCPU */
		0xff,		 /* Aff0 255 */
		0x100,		 /* Aff1 1, Aff0 0 */
		0x101,		 /* Aff1 1, Aff0 1 */
		0x10001,	 /* Aff2 1 */
		0x100000001,	 /* Aff3 1 */
		0xff00000000ull, /* Aff3 255, Aff0 0 */
	};
	struct vcpu *v = make_vm(4);

	(void)state;
	for (unsigned i = 0; i < sizeof(mpidrs) / sizeof(mpidrs[0]); i++)
		assert_int_equal(call3(v, FID_CPU_ON_64, mpidrs[i], ENTRY, CONTEXT),
				 INVALID_PARAMETERS);
	for (unsigned i = 0; i < 4; i++)
		assert_untouched(i);
	assert_int_equal(fake_wakes, 0);
}

/* A 2-vCPU VM has no vCPU 2 or 3, though the array has room for them. */
static void cpu_on_beyond_nvcpus(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call3(v, FID_CPU_ON_64, 2, ENTRY, CONTEXT), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_CPU_ON_32, 3, ENTRY, CONTEXT), INVALID_PARAMETERS);
	assert_int_equal(vm.vcpus[2].state, VCPU_OFF);
	assert_int_equal(fake_wakes, 0);
}

static void cpu_on_entry_outside_ram(void **state)
{
	static const uint64_t bad[] = {
		RAM_BASE - 1, RAM_BASE + RAM_SIZE,   RAM_BASE + RAM_SIZE + 4, 0,
		0x1000,	      0xffffffffffffffffull, RAM_BASE | 1ull << 32,
	};
	struct vcpu *v = make_vm(2);

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(call3(v, FID_CPU_ON_64, 1, bad[i], CONTEXT), INVALID_ADDRESS);
	assert_untouched(1);
	assert_int_equal(fake_wakes, 0);
}

static void cpu_on_entry_at_ram_edges(void **state)
{
	struct vcpu *v = make_vm(3);

	(void)state;
	assert_int_equal(call3(v, FID_CPU_ON_64, 1, RAM_BASE, 0), SUCCESS);
	assert_int_equal(call3(v, FID_CPU_ON_64, 2, RAM_BASE + RAM_SIZE - 1, 0), SUCCESS);
	assert_state(1, VCPU_ON_PENDING, RAM_BASE, 0);
	assert_state(2, VCPU_ON_PENDING, RAM_BASE + RAM_SIZE - 1, 0);
}

static void cpu_on_already_on(void **state)
{
	struct vcpu *v = make_vm(3);

	(void)state;
	/* Itself. */
	assert_int_equal(call3(v, FID_CPU_ON_64, 0, ENTRY, CONTEXT), ALREADY_ON);
	/* Another running vCPU. */
	vm.vcpus[2].state = VCPU_ON;
	assert_int_equal(call3(v, FID_CPU_ON_64, 2, ENTRY, CONTEXT), ALREADY_ON);
	assert_state(0, VCPU_ON, 0xb0b0b0b0b0b0b000ull, 0xc0c0c0c0c0c0c000ull);
	assert_state(2, VCPU_ON, 0xb0b0b0b0b0b0b002ull, 0xc0c0c0c0c0c0c002ull);
	assert_int_equal(fake_wakes, 0);
}

/* A second CPU_ON before the first has taken effect changes nothing. */
static void cpu_on_pending(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call3(v, FID_CPU_ON_64, 1, ENTRY, CONTEXT), SUCCESS);
	assert_int_equal(call3(v, FID_CPU_ON_64, 1, ENTRY + 0x1000, 5), ON_PENDING);
	assert_state(1, VCPU_ON_PENDING, ENTRY, CONTEXT);
	assert_int_equal(fake_wakes, 1);
	assert_ptr_equal(fake_last_woken, &vm.vcpus[1]);
}

/* PSCI reports a bad target before a bad address, and both before the state. */
static void cpu_on_error_precedence(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call3(v, FID_CPU_ON_64, 9, 0, CONTEXT), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_CPU_ON_64, 0, 0, CONTEXT), INVALID_ADDRESS);
	vm.vcpus[1].state = VCPU_ON_PENDING;
	assert_int_equal(call3(v, FID_CPU_ON_64, 1, 0, CONTEXT), INVALID_ADDRESS);
	assert_int_equal(fake_wakes, 0);
}

/* SMC32: only W1-W3 count. */
static void cpu_on_32_truncates_arguments(void **state)
{
	struct vcpu *v = make_vm(4);

	(void)state;
	/* Bits [39:32] would be Aff3 in SMC64; W1 has no Aff3. */
	assert_int_equal(call3(v, FID_CPU_ON_32, 0xffffffff00000001ull,
			       0xffffffff00000000ull | ENTRY, CONTEXT),
			 SUCCESS);
	assert_state(1, VCPU_ON_PENDING, ENTRY, 0x76543210);
	/* The same registers with SMC64 name a CPU in another cluster. */
	assert_int_equal(call3(v, FID_CPU_ON_64, 0xffffffff00000002ull,
			       0xffffffff00000000ull | ENTRY, CONTEXT),
			 INVALID_PARAMETERS);
	/* ... and with a valid target, an address outside RAM. */
	assert_int_equal(call3(v, FID_CPU_ON_64, 2, 0xffffffff00000000ull | ENTRY, CONTEXT),
			 INVALID_ADDRESS);
	assert_untouched(2);
	assert_int_equal(fake_wakes, 1);
	assert_ptr_equal(fake_last_woken, &vm.vcpus[1]);
}

/* --- CPU_OFF ------------------------------------------------------------- */

static void cpu_off_parks_vcpu(void **state)
{
	struct vcpu *v;

	(void)state;
	make_vm(3);
	v = &vm.vcpus[1];
	v->state = VCPU_ON;
	assert_int_equal(smc(v, FID_CPU_OFF, X1, X2, X3), SMCCC_CPU_OFF);
	assert_int_equal(v->state, VCPU_OFF);
	/* CPU_OFF does not return: nothing is written. */
	assert_int_equal(v->regs.x[0], FID_CPU_OFF);
	assert_regs_kept(v, X1, X2, X3);
	assert_untouched(0);
	assert_untouched(2);
	assert_int_equal(fake_wakes, 0);
	/* And it can be started again. */
	assert_int_equal(call3(&vm.vcpus[0], FID_CPU_ON_32, 1, ENTRY, 9), SUCCESS);
	assert_state(1, VCPU_ON_PENDING, ENTRY, 9);
	assert_ptr_equal(fake_last_woken, v);
}

/* PSCI lets the last running CPU go off. */
static void cpu_off_last_vcpu(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(smc(v, FID_CPU_OFF, X1, X2, X3), SMCCC_CPU_OFF);
	assert_int_equal(vm.vcpus[0].state, VCPU_OFF);
	assert_int_equal(vm.vcpus[1].state, VCPU_OFF);
	/* Nothing refused it: vCPU 0 is reported OFF. */
	assert_int_equal(call3(&vm.vcpus[1], FID_AFFINITY_INFO_64, 0, 0, X3), AFF_OFF);
}

/* --- AFFINITY_INFO ------------------------------------------------------- */

static void affinity_info_level0(void **state)
{
	struct vcpu *v = make_vm(4);

	(void)state;
	vm.vcpus[2].state = VCPU_ON_PENDING;
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0, 0, X3), AFF_ON);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 1, 0, X3), AFF_OFF);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 2, 0, X3), AFF_ON_PENDING);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 3, 0, X3), AFF_OFF);
	/* U, MT and RES1 bits are not affinity. */
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0xc1000002ull, 0, X3), AFF_ON_PENDING);
	/* lowest_affinity_level is 32 bits even for SMC64. */
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 2, 0xffffffff00000000ull, X3),
			 AFF_ON_PENDING);
	/* SMC32: target_affinity is W1, which has no Aff3. */
	assert_int_equal(call3(v, FID_AFFINITY_INFO_32, 0x0000000100000002ull, 0, X3),
			 AFF_ON_PENDING);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0x0000000100000002ull, 0, X3),
			 INVALID_PARAMETERS);
	/* Asking changes nothing. */
	assert_int_equal(vm.vcpus[2].state, VCPU_ON_PENDING);
	assert_untouched(3);
}

static void affinity_info_no_such_vcpu(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 2, 0, X3), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0xff, 0, X3), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0x100, 0, X3), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_32, 0x10000, 0, X3), INVALID_PARAMETERS);
}

/* Above level 0: ON if any vCPU is, else ON_PENDING if any is, else OFF. */
static void affinity_info_aggregate(void **state)
{
	struct vcpu *v = make_vm(3);

	(void)state;
	for (uint64_t level = 1; level <= 3; level++)
		assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0, level, X3), AFF_ON);
	/* Only the caller's view is artificial here: the aggregate is what is tested. */
	vm.vcpus[0].state = VCPU_OFF;
	vm.vcpus[2].state = VCPU_ON_PENDING;
	for (uint64_t level = 1; level <= 3; level++)
		assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0, level, X3), AFF_ON_PENDING);
	vm.vcpus[2].state = VCPU_OFF;
	for (uint64_t level = 1; level <= 3; level++)
		assert_int_equal(call3(v, FID_AFFINITY_INFO_32, 0, level, X3), AFF_OFF);
	vm.vcpus[1].state = VCPU_ON;
	vm.vcpus[2].state = VCPU_ON_PENDING;
	for (uint64_t level = 1; level <= 3; level++)
		assert_int_equal(call3(v, FID_AFFINITY_INFO_32, 0, level, X3), AFF_ON);
}

/* Fields below the level are ignored; the ones from the level up must be the VM's (0). */
static void affinity_info_higher_levels_match(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	/* Level 1: Aff0 ignored, Aff1-3 must be 0. */
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0xff, 1, X3), AFF_ON);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0x100, 1, X3), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0x10000, 1, X3), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0x100000000ull, 1, X3), INVALID_PARAMETERS);
	/* Level 2: Aff0-1 ignored. */
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0xffff, 2, X3), AFF_ON);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0x10000, 2, X3), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0x100000000ull, 2, X3), INVALID_PARAMETERS);
	/* Level 3: Aff0-2 ignored. */
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0xffffff, 3, X3), AFF_ON);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0x100000000ull, 3, X3), INVALID_PARAMETERS);
	/* SMC32 cannot name Aff3 at all. */
	assert_int_equal(call3(v, FID_AFFINITY_INFO_32, 0x100000000ull, 3, X3), AFF_ON);
}

static void affinity_info_bad_level(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0, 4, X3), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_64, 0, 0xffffffff, X3), INVALID_PARAMETERS);
	assert_int_equal(call3(v, FID_AFFINITY_INFO_32, 0, 0x80000000, X3), INVALID_PARAMETERS);
}

/* --- CPU_SUSPEND --------------------------------------------------------- */

static void cpu_suspend_standby(void **state)
{
	static const uint64_t states[] = {
		0,
		0x1234,		       /* StateID */
		0x1000000,	       /* PowerLevel 1 */
		0x3000001,	       /* PowerLevel 3 */
		0xffffffff0000ffffull, /* bits [63:32]: power_state is 32-bit */
	};
	struct vcpu *v = make_vm(2);

	(void)state;
	for (unsigned i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		v->suspend_powerdown = true; /* left over from an earlier powerdown */
		assert_int_equal(smc(v, FID_CPU_SUSPEND_64, states[i], 0, X3), SMCCC_CPU_SUSPEND);
		assert_int_equal(v->regs.x[0], SUCCESS);
		assert_false(v->suspend_powerdown);
		assert_regs_kept(v, states[i], 0, X3);
		/* A standby needs no entry point: x2 was not checked or kept. */
		assert_state(0, VCPU_ON, 0xb0b0b0b0b0b0b000ull, 0xc0c0c0c0c0c0c000ull);
	}
	assert_int_equal(smc(v, FID_CPU_SUSPEND_32, 0, X2, X3), SMCCC_CPU_SUSPEND);
	assert_int_equal(v->regs.x[0], SUCCESS);
	assert_false(v->suspend_powerdown);
	assert_untouched(1);
}

static void cpu_suspend_powerdown(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(smc(v, FID_CPU_SUSPEND_64, POWERDOWN | 0x1000002, ENTRY, CONTEXT),
			 SMCCC_CPU_SUSPEND);
	assert_int_equal(v->regs.x[0], SUCCESS);
	assert_true(v->suspend_powerdown);
	assert_regs_kept(v, POWERDOWN | 0x1000002, ENTRY, CONTEXT);
	/* Still ON: a suspended CPU is on as far as PSCI is concerned. */
	assert_state(0, VCPU_ON, ENTRY, CONTEXT);
	assert_untouched(1);
	assert_int_equal(fake_wakes, 0);
}

static void cpu_suspend_32_truncates_arguments(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(smc(v, FID_CPU_SUSPEND_32, 0xffffffff00000000ull | POWERDOWN,
			     0xffffffff00000000ull | RAM_BASE, CONTEXT),
			 SMCCC_CPU_SUSPEND);
	assert_true(v->suspend_powerdown);
	assert_state(0, VCPU_ON, RAM_BASE, 0x76543210);
	/* SMC64 takes the whole entry point: this one is outside RAM. */
	assert_int_equal(
		call3(v, FID_CPU_SUSPEND_64, POWERDOWN, 0xffffffff00000000ull | RAM_BASE, CONTEXT),
		INVALID_ADDRESS);
}

static void cpu_suspend_powerdown_bad_entry(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(call3(v, FID_CPU_SUSPEND_64, POWERDOWN, RAM_BASE - 4, CONTEXT),
			 INVALID_ADDRESS);
	assert_int_equal(call3(v, FID_CPU_SUSPEND_64, POWERDOWN, RAM_BASE + RAM_SIZE, CONTEXT),
			 INVALID_ADDRESS);
	assert_int_equal(call3(v, FID_CPU_SUSPEND_32, POWERDOWN, 0, CONTEXT), INVALID_ADDRESS);
	assert_untouched(0);
}

/* Original format: bits [31:26] and [23:17] are reserved, zero. */
static void cpu_suspend_reserved_bits(void **state)
{
	static const uint64_t states[] = {
		1ull << 17, 1ull << 23, 1ull << 26, 1ull << 30, 1ull << 31, POWERDOWN | 1ull << 20,
	};
	struct vcpu *v = make_vm(2);

	(void)state;
	for (unsigned i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		assert_int_equal(call3(v, FID_CPU_SUSPEND_64, states[i], ENTRY, CONTEXT),
				 INVALID_PARAMETERS);
	assert_untouched(0);
}

/* --- the rest of PSCI ---------------------------------------------------- */

static void migrate_info_type_no_tos(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	/* 2: Trusted OS not present, or does not require migration. */
	assert_int_equal(call(v, FID_MIGRATE_INFO_TYPE, X1), 2);
}

static void system_off_stops_vm(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(smc(v, FID_SYSTEM_OFF, X1, X2, X3), SMCCC_VM_OFF);
	/* SYSTEM_OFF does not return: nothing is written. */
	assert_int_equal(v->regs.x[0], FID_SYSTEM_OFF);
	assert_regs_kept(v, X1, X2, X3);
	assert_untouched(0);
	assert_untouched(1);
}

static void system_reset_resets_vm(void **state)
{
	struct vcpu *v = make_vm(2);

	(void)state;
	assert_int_equal(smc(v, FID_SYSTEM_RESET, X1, X2, X3), SMCCC_VM_RESET);
	assert_int_equal(v->regs.x[0], FID_SYSTEM_RESET);
	assert_regs_kept(v, X1, X2, X3);
	assert_untouched(0);
	assert_untouched(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(psci_version_1_1),
		cmocka_unit_test(smccc_version_1_1),
		cmocka_unit_test(function_id_is_w0),
		cmocka_unit_test(psci_features_implemented),
		cmocka_unit_test(psci_features_cpu_suspend_flags),
		cmocka_unit_test(psci_features_unimplemented),
		cmocka_unit_test(refused_calls_not_supported),
		cmocka_unit_test(arch_features_smccc),
		cmocka_unit_test(arch_features_workarounds_from_host),
		cmocka_unit_test(workarounds_forwarded_when_host_has_them),
		cmocka_unit_test(workarounds_refused_unless_host_needs_them),
		cmocka_unit_test(cpu_on_64_starts_vcpu),
		cmocka_unit_test(cpu_on_from_secondary),
		cmocka_unit_test(cpu_on_ignores_non_affinity_bits),
		cmocka_unit_test(cpu_on_foreign_mpidr),
		cmocka_unit_test(cpu_on_beyond_nvcpus),
		cmocka_unit_test(cpu_on_entry_outside_ram),
		cmocka_unit_test(cpu_on_entry_at_ram_edges),
		cmocka_unit_test(cpu_on_already_on),
		cmocka_unit_test(cpu_on_pending),
		cmocka_unit_test(cpu_on_error_precedence),
		cmocka_unit_test(cpu_on_32_truncates_arguments),
		cmocka_unit_test(cpu_off_parks_vcpu),
		cmocka_unit_test(cpu_off_last_vcpu),
		cmocka_unit_test(affinity_info_level0),
		cmocka_unit_test(affinity_info_no_such_vcpu),
		cmocka_unit_test(affinity_info_aggregate),
		cmocka_unit_test(affinity_info_higher_levels_match),
		cmocka_unit_test(affinity_info_bad_level),
		cmocka_unit_test(cpu_suspend_standby),
		cmocka_unit_test(cpu_suspend_powerdown),
		cmocka_unit_test(cpu_suspend_32_truncates_arguments),
		cmocka_unit_test(cpu_suspend_powerdown_bad_entry),
		cmocka_unit_test(cpu_suspend_reserved_bits),
		cmocka_unit_test(migrate_info_type_no_tos),
		cmocka_unit_test(system_off_stops_vm),
		cmocka_unit_test(system_reset_resets_vm),
	};

	return cmocka_run_group_tests_name("vpsci", tests, NULL, NULL);
}

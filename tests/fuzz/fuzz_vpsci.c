/* SPDX-License-Identifier: MIT */
/*
 * The guest's SMCCC/PSCI interface (core/vpsci.c): sequences of calls with
 * arbitrary x0..x3 from the running vCPUs of a VM with 1..8 vCPUs, with
 * the arch's side played in between (a CPU_ON'd vCPU starts, the VM resets).
 *
 * After every call: every vCPU state is valid; a vCPU is ON_PENDING only
 * with a boot_entry inside the VM's RAM; only the caller and a CPU_ON
 * target change; only x0 changes (and not even that for SYSTEM_OFF/RESET);
 * CPU_ON's result follows from the target's state as PSCI 1.1 defines it.
 * Each call is also run a second time from the same state with the upper
 * half of x0 flipped (the function ID is W0), and, for SMC32 function IDs,
 * the upper halves of x1..x3 flipped (SMC32 arguments are W registers):
 * the outcome must not change.
 *
 * Input: n (1 byte), RAM base (4) and size (2) in 2 MiB units, the three
 * host workaround answers (3), the firmware forward result (8); then
 * operations: an opcode byte and its arguments (see do_op).
 */
#include <stdint.h>
#include <string.h>

#include "core/psci.h"
#include "core/vpsci.h"
#include "tests/fuzz/fuzz.h"

/* tests/unit/fake/arch.c */
extern struct vcpu *fake_last_woken;
extern unsigned fake_wakes;
extern int32_t fake_workaround[3];
extern unsigned fake_forwards;
extern uint32_t fake_forward_fid;
extern uint64_t fake_forward_arg;
extern int64_t fake_forward_ret;

#define MIB2 (2ull << 20)

/* Function IDs the input can name by index, so that most calls mean something. */
static const uint32_t fids[] = {
	SMCCC_VERSION,		     SMCCC_ARCH_FEATURES,	  SMCCC_ARCH_WORKAROUND_1,
	SMCCC_ARCH_WORKAROUND_2,     SMCCC_ARCH_WORKAROUND_3,	  PSCI_VERSION,
	PSCI_CPU_SUSPEND_32,	     PSCI_CPU_SUSPEND_64,	  PSCI_CPU_OFF,
	PSCI_CPU_ON_32,		     PSCI_CPU_ON_64,		  PSCI_AFFINITY_INFO_32,
	PSCI_AFFINITY_INFO_64,	     PSCI_MIGRATE_32,		  PSCI_MIGRATE_INFO_TYPE,
	PSCI_MIGRATE_INFO_UP_CPU_64, PSCI_SYSTEM_OFF,		  PSCI_SYSTEM_RESET,
	PSCI_FEATURES,		     PSCI_CPU_FREEZE,		  PSCI_SYSTEM_SUSPEND_64,
	PSCI_SYSTEM_RESET2_64,	     PSCI_MEM_PROTECT,		  0x80000002u, /* SOC_ID */
};

static struct vm_config cfg = {.label = "fuzz"};
static struct vm vm;

static bool in_ram(uint64_t a)
{
	return a - cfg.mem.base < cfg.mem.size;
}

/* Everything a call may change, and what the fake arch recorded. */
struct outcome {
	enum smccc_action action;
	struct vcpu vcpus[MAX_CPUS];
	unsigned wakes;
	struct vcpu *woken;
	unsigned forwards;
	uint32_t forward_fid;
	uint64_t forward_arg;
};

static void call(unsigned c, const uint64_t x[4], struct outcome *o)
{
	struct vcpu *v = &vm.vcpus[c];

	memcpy(v->regs.x, x, 4 * sizeof(x[0]));
	TRACE("vcpu %u: smccc(0x%llx, 0x%llx, 0x%llx, 0x%llx)", c, (unsigned long long)x[0],
	      (unsigned long long)x[1], (unsigned long long)x[2], (unsigned long long)x[3]);
	fake_wakes = 0;
	fake_last_woken = NULL;
	fake_forwards = 0;
	fake_forward_fid = 0;
	fake_forward_arg = 0;
	o->action = smccc_handle(v);
	TRACE(" = action %d, x0 0x%llx\n", o->action, (unsigned long long)v->regs.x[0]);
	memcpy(o->vcpus, vm.vcpus, sizeof(o->vcpus));
	o->wakes = fake_wakes;
	o->woken = fake_last_woken;
	o->forwards = fake_forwards;
	o->forward_fid = fake_forward_fid;
	o->forward_arg = fake_forward_arg;
}

static void check_states(void)
{
	for (unsigned i = 0; i < vm.nvcpus; i++) {
		const struct vcpu *v = &vm.vcpus[i];

		CHECK(v->state == VCPU_OFF || v->state == VCPU_ON_PENDING || v->state == VCPU_ON);
		CHECK(v->state != VCPU_ON_PENDING || in_ram(v->boot_entry));
		CHECK(v->vm == &vm && v->idx == i);
	}
	/* vCPUs the VM does not have are never touched. */
	for (unsigned i = vm.nvcpus; i < MAX_CPUS; i++) {
		static const struct vcpu zero;

		CHECK(!memcmp(&vm.vcpus[i], &zero, sizeof(zero)));
	}
}

static uint64_t affinity(const struct vcpu *v)
{
	return v->state == VCPU_ON ? 0 : v->state == VCPU_OFF ? 1 : 2;
}

/* One call from vCPU c, checked, and replayed with the bits that must not count flipped. */
static void smc(unsigned c, const uint64_t x[4], uint32_t hi0, uint32_t hi1, uint32_t hi2,
		uint32_t hi3)
{
	struct vcpu before[MAX_CPUS];
	struct outcome a, b;
	uint64_t y[4];
	uint32_t fid = (uint32_t)x[0];
	bool smc64 = fid & (1u << 30);
	const struct vcpu *va, *vb;

	memcpy(before, vm.vcpus, sizeof(before));
	call(c, x, &a);

	/* Only x0 changes, and for SYSTEM_OFF/RESET not even x0. */
	va = &a.vcpus[c];
	CHECK(va->regs.x[0] == x[0] || (a.action != SMCCC_VM_OFF && a.action != SMCCC_VM_RESET));
	for (unsigned r = 1; r < 4; r++)
		CHECK(va->regs.x[r] == x[r]);
	for (unsigned r = 4; r < 31; r++)
		CHECK(va->regs.x[r] == before[c].regs.x[r]);
	CHECK(va->regs.pc == before[c].regs.pc && va->regs.pstate == before[c].regs.pstate);
	CHECK(a.action <= SMCCC_CPU_SUSPEND);
	CHECK(a.action != SMCCC_CPU_OFF || va->state == VCPU_OFF);
	CHECK(a.action == SMCCC_CPU_OFF || va->state == VCPU_ON);
	if (a.action == SMCCC_CPU_SUSPEND) {
		CHECK(va->regs.x[0] == PSCI_RET_SUCCESS);
		if (va->suspend_powerdown)
			CHECK(in_ram(va->boot_entry) &&
			      va->boot_context == (smc64 ? x[3] : (uint32_t)x[3]));
	}

	/* CPU_ON: INVALID_PARAMETERS, INVALID_ADDRESS, then the target's state decides. */
	if (fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64) {
		uint64_t target = smc64 ? x[1] : (uint32_t)x[1];
		uint64_t entry = smc64 ? x[2] : (uint32_t)x[2];
		unsigned t = target & 0xff;
		int64_t want;

		if ((target & 0xff00ffff00ull) || t >= vm.nvcpus)
			want = PSCI_RET_INVALID_PARAMETERS;
		else if (!in_ram(entry))
			want = PSCI_RET_INVALID_ADDRESS;
		else
			want = before[t].state == VCPU_ON	  ? PSCI_RET_ALREADY_ON
			       : before[t].state == VCPU_ON_PENDING ? PSCI_RET_ON_PENDING
								    : PSCI_RET_SUCCESS;
		CHECK(a.action == SMCCC_RESUME && va->regs.x[0] == (uint64_t)want);
		CHECK(a.wakes == (want == PSCI_RET_SUCCESS));
		if (want == PSCI_RET_SUCCESS) {
			CHECK(a.woken == &vm.vcpus[t]);
			CHECK(a.vcpus[t].state == VCPU_ON_PENDING);
			CHECK(a.vcpus[t].boot_entry == entry);
			CHECK(a.vcpus[t].boot_context == (smc64 ? x[3] : (uint32_t)x[3]));
		}
	} else {
		CHECK(a.wakes == 0);
	}
	/* AFFINITY_INFO at level 0 reports the target's state. */
	if ((fid == PSCI_AFFINITY_INFO_32 || fid == PSCI_AFFINITY_INFO_64) &&
	    (uint32_t)x[2] == 0) {
		uint64_t target = smc64 ? x[1] : (uint32_t)x[1];
		unsigned t = target & 0xff;

		if (!(target & 0xff00ffff00ull) && t < vm.nvcpus)
			CHECK(va->regs.x[0] == affinity(&before[t]));
		else
			CHECK(va->regs.x[0] == (uint64_t)(int64_t)PSCI_RET_INVALID_PARAMETERS);
	}
	if (fid == PSCI_VERSION)
		CHECK(va->regs.x[0] == PSCI_VERSION_1_1);

	/* Nobody else changes: only the caller, and a CPU_ON target. */
	for (unsigned i = 0; i < vm.nvcpus; i++)
		if (i != c && !(a.wakes && a.woken == &vm.vcpus[i]))
			CHECK(!memcmp(&a.vcpus[i], &before[i], sizeof(before[i])));

	/* The same call with the bits that are not arguments flipped. */
	memcpy(y, x, sizeof(y));
	y[0] ^= (uint64_t)hi0 << 32;
	if (!smc64) {
		y[1] ^= (uint64_t)hi1 << 32;
		y[2] ^= (uint64_t)hi2 << 32;
		y[3] ^= (uint64_t)hi3 << 32;
	}
	memcpy(vm.vcpus, before, sizeof(before));
	call(c, y, &b);
	vb = &b.vcpus[c];
	CHECK(a.action == b.action);
	CHECK(va->regs.x[0] == vb->regs.x[0] ||
	      (a.action != SMCCC_RESUME && a.action != SMCCC_CPU_SUSPEND));
	CHECK(a.wakes == b.wakes && a.woken == b.woken);
	CHECK(a.forwards == b.forwards && a.forward_fid == b.forward_fid &&
	      a.forward_arg == b.forward_arg);
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		CHECK(a.vcpus[i].state == b.vcpus[i].state);
		CHECK(a.vcpus[i].boot_entry == b.vcpus[i].boot_entry);
		CHECK(a.vcpus[i].boot_context == b.vcpus[i].boot_context);
		CHECK(a.vcpus[i].suspend_powerdown == b.vcpus[i].suspend_powerdown);
	}
	/* Carry on from the first run. */
	memcpy(vm.vcpus, a.vcpus, sizeof(a.vcpus));
	check_states();
}

/* A VM (re)started: vCPU 0 on at the kernel entry, the others off. */
static void vm_start(void)
{
	for (unsigned i = 0; i < vm.nvcpus; i++) {
		struct vcpu *v = &vm.vcpus[i];

		v->state = i == 0 ? VCPU_ON : VCPU_OFF;
		v->boot_entry = cfg.mem.base + 0x80000;
		v->boot_context = 0;
		v->suspend_powerdown = false;
	}
}

static void do_op(struct reader *in)
{
	uint8_t op = rd_u8(in);
	unsigned c = (op >> 2) % vm.nvcpus;

	switch (op & 3) {
	case 0:
	case 1: {
		/* A call: flags pick a known function ID, a small MPIDR, an entry in RAM. */
		uint8_t flags = rd_u8(in);
		uint64_t x[4];
		uint32_t hi[4];

		for (unsigned i = 0; i < 4; i++)
			x[i] = rd_u64(in);
		for (unsigned i = 0; i < 4; i++)
			hi[i] = flags & 0x80 ? rd_u32(in) : 0xffffffffu;
		if (flags & 1)
			x[0] = (x[0] & ~0xffffffffull) | fids[(x[0] & 0xff) % (sizeof(fids) / 4)];
		if (flags & 2)
			x[1] &= flags & 0x40 ? 0xff : 0xff00ffffffull;
		if (flags & 4)
			x[2] = cfg.mem.base + x[2] % cfg.mem.size;
		if (flags & 8)
			x[1] = (x[1] & ~0xffffffffull) | fids[(x[1] & 0xff) % (sizeof(fids) / 4)];
		if (flags & 16)
			x[1] = (x[1] & 0xfcfe0000u) ? x[1] & 0x0301ffffu : x[1];
		if (vm.vcpus[c].state != VCPU_ON) {
			/* Only a running vCPU calls: take the first one that runs. */
			for (c = 0; c < vm.nvcpus && vm.vcpus[c].state != VCPU_ON; c++)
				;
			if (c == vm.nvcpus)
				return;
		}
		smc(c, x, hi[0], hi[1], hi[2], hi[3]);
		break;
	}
	case 2:
		/* The arch enters a CPU_ON'd vCPU at its boot_entry. */
		if (vm.vcpus[c].state == VCPU_ON_PENDING) {
			TRACE("vcpu %u starts at 0x%llx\n", c,
			      (unsigned long long)vm.vcpus[c].boot_entry);
			CHECK(in_ram(vm.vcpus[c].boot_entry));
			vm.vcpus[c].state = VCPU_ON;
		}
		break;
	case 3:
		/* SYSTEM_OFF / SYSTEM_RESET carried out; or a powered-down vCPU wakes. */
		if (op & 0x80) {
			TRACE("the VM restarts\n");
			vm_start();
		}
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader in = {data, size};
	unsigned n = 1 + rd_u8(&in) % MAX_CPUS;

	cfg.mem.base = (uint64_t)(rd_u32(&in) & 0x3ffff) * MIB2; /* below 512 GiB */
	cfg.mem.size = (uint64_t)(1 + rd_u16(&in) % 2048) * MIB2; /* 2 MiB .. 4 GiB */
	for (unsigned i = 0; i < 3; i++)
		fake_workaround[i] = (int32_t)(rd_u8(&in) % 3) - 1;
	fake_forward_ret = (int64_t)rd_u64(&in);

	TRACE("%u vCPUs, RAM 0x%llx + 0x%llx\n", n, (unsigned long long)cfg.mem.base,
	      (unsigned long long)cfg.mem.size);
	memset(&vm, 0, sizeof(vm));
	vm.cfg = &cfg;
	vm.nvcpus = n;
	for (unsigned i = 0; i < n; i++) {
		struct vcpu *v = &vm.vcpus[i];

		v->vm = &vm;
		v->idx = i;
		v->pcpu = i;
		for (unsigned r = 4; r < 31; r++)
			v->regs.x[r] = 0x5a5a000000000000ull | i << 8 | r;
		v->regs.pc = cfg.mem.base + 0x80000;
		v->regs.pstate = 0x3c5;
	}
	vm_start();
	check_states();
	for (unsigned steps = 0; !rd_empty(&in) && steps < 256; steps++)
		do_op(&in);
	return 0;
}

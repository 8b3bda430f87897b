/* SPDX-License-Identifier: MIT */
/*
 * The guest's firmware: SMCCC 1.1 (Arm DEN 0028) with PSCI 1.1 (Arm DEN 0022)
 * on top. One table lists every function ID Tessera knows; dispatch,
 * PSCI_FEATURES and SMCCC_ARCH_FEATURES all read it, so a guest is never told
 * about a function that is not there, nor refused one that is.
 */
#include "core/vpsci.h"

#include "core/arch.h"
#include "core/psci.h"

/* Function ID bit 30: the SMC64/HVC64 convention, 64-bit arguments. */
#define SMCCC_64 (1u << 30)

/* Who answers for a function ID in discovery (struct smccc_fn.disc). */
#define DISC_PSCI 1u /* PSCI_FEATURES: PSCI functions, and SMCCC_VERSION */
#define DISC_ARCH 2u /* SMCCC_ARCH_FEATURES: Arm Architecture Service functions */
#define DISC_HOST 4u /* with the host firmware's answer (a Spectre workaround) */

/*
 * PSCI_FEATURES(CPU_SUSPEND): neither PSCI_SUSPEND_FEAT_EXTENDED nor _OSI.
 * The original power_state format, and no OS-initiated mode: each vCPU is
 * its own power domain, so there is nothing to coordinate.
 */
#define SUSPEND_FEATURES 0

struct smccc_fn {
	uint32_t fid;
	uint8_t disc;
	int32_t features; /* the discovery answer, when implemented */
	/* NULL: known, but NOT_SUPPORTED (and discovery says so). */
	enum smccc_action (*call)(struct vcpu *v, uint32_t fid);
};

/* All vCPUs of a VM share Aff1..Aff3 = 0; vCPU i has Aff0 = i. */
#define MPIDR_AFF_LEVELS 4

/* Affinity field n of an MPIDR value; other bits (U, MT, RES0/RES1) do not count. */
static unsigned mpidr_aff(uint64_t mpidr, unsigned n)
{
	return (mpidr >> (n == 3 ? 32 : 8 * n)) & 0xff;
}

/* Argument n: for an SMC32/HVC32 function ID only W<n> is the argument. */
static uint64_t arg(const struct vcpu *v, uint32_t fid, unsigned n)
{
	uint64_t x = v->regs.x[n];

	return fid & SMCCC_64 ? x : (uint32_t)x;
}

static enum smccc_action ret(struct vcpu *v, int64_t val)
{
	v->regs.x[0] = (uint64_t)val;
	return SMCCC_RESUME;
}

/*
 * The vCPU's own CPU reads its state without the lock (acquire), so stores
 * are release: whoever sees VCPU_ON_PENDING also sees boot_entry/context.
 */
static enum vcpu_state load_state(const struct vcpu *v)
{
	return __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
}

static void store_state(struct vcpu *v, enum vcpu_state s)
{
	__atomic_store_n(&v->state, s, __ATOMIC_RELEASE);
}

/*
 * Does the affinity instance that mpidr names at level `level` hold this
 * VM's vCPUs? Fields below the level are ignored, the ones above it must
 * match the VM's Aff1..Aff3 (zero), and at level 0 Aff0 must be a vCPU.
 */
static bool aff_instance_ok(const struct vm *vm, uint64_t mpidr, unsigned level)
{
	for (unsigned n = level > 1 ? level : 1; n < MPIDR_AFF_LEVELS; n++)
		if (mpidr_aff(mpidr, n))
			return false;
	return level > 0 || mpidr_aff(mpidr, 0) < vm->nvcpus;
}

/*
 * PSCI: INVALID_ADDRESS when an entry point cannot be in the guest's RAM.
 * An entry below the base wraps around to a huge offset.
 */
static bool entry_ok(const struct vm *vm, uint64_t entry)
{
	const struct range *ram = &vm->cfg->mem;

	return entry - ram->base < ram->size;
}

static enum smccc_action psci_version(struct vcpu *v, uint32_t fid)
{
	(void)fid;
	return ret(v, PSCI_VERSION_1_1);
}

static enum smccc_action smccc_version(struct vcpu *v, uint32_t fid)
{
	(void)fid;
	return ret(v, SMCCC_VERSION_1_1);
}

/*
 * CPU_SUSPEND(power_state, entry, context). Standby returns SUCCESS after
 * the wait. A powerdown re-enters at entry with x0 = context; x0 holds
 * SUCCESS all the same, should the arch return instead (a powerdown request
 * may be served as a standby).
 */
static enum smccc_action cpu_suspend(struct vcpu *v, uint32_t fid)
{
	uint32_t power_state = (uint32_t)v->regs.x[1]; /* 32 bits in both forms */
	uint64_t entry = arg(v, fid, 2);

	if (power_state & PSCI_POWER_STATE_RESERVED)
		return ret(v, PSCI_RET_INVALID_PARAMETERS);
	if (power_state & PSCI_POWER_STATE_POWERDOWN) {
		if (!entry_ok(v->vm, entry))
			return ret(v, PSCI_RET_INVALID_ADDRESS);
		/*
		 * No lock: while this vCPU is ON only its own CPU reads these,
		 * and CPU_ON leaves an ON vCPU alone.
		 */
		v->boot_entry = entry;
		v->boot_context = arg(v, fid, 3);
	}
	v->suspend_powerdown = power_state & PSCI_POWER_STATE_POWERDOWN;
	v->regs.x[0] = PSCI_RET_SUCCESS;
	return SMCCC_CPU_SUSPEND;
}

/* PSCI lets the last running CPU go off too: CPU_OFF is never DENIED. */
static enum smccc_action cpu_off(struct vcpu *v, uint32_t fid)
{
	(void)fid;
	spin_lock(&v->vm->lock);
	store_state(v, VCPU_OFF);
	spin_unlock(&v->vm->lock);
	return SMCCC_CPU_OFF;
}

/* Lock held: claim an OFF vCPU for CPU_ON. */
static int64_t cpu_on_locked(struct vcpu *t, uint64_t entry, uint64_t context)
{
	switch (load_state(t)) {
	case VCPU_ON: return PSCI_RET_ALREADY_ON;
	case VCPU_ON_PENDING: return PSCI_RET_ON_PENDING;
	case VCPU_OFF: break;
	}
	t->boot_entry = entry;
	t->boot_context = context;
	store_state(t, VCPU_ON_PENDING);
	return PSCI_RET_SUCCESS;
}

/*
 * CPU_ON(target_cpu, entry, context). The checks go in the order of Arm's
 * reference firmware: target, then address, then the target's state.
 */
static enum smccc_action cpu_on(struct vcpu *v, uint32_t fid)
{
	struct vm *vm = v->vm;
	uint64_t target = arg(v, fid, 1), entry = arg(v, fid, 2);
	struct vcpu *t;
	int64_t r;

	if (!aff_instance_ok(vm, target, 0))
		return ret(v, PSCI_RET_INVALID_PARAMETERS);
	if (!entry_ok(vm, entry))
		return ret(v, PSCI_RET_INVALID_ADDRESS);
	t = &vm->vcpus[mpidr_aff(target, 0)];
	spin_lock(&vm->lock);
	r = cpu_on_locked(t, entry, arg(v, fid, 3));
	spin_unlock(&vm->lock);
	/* After the unlock, whose release store has published the new state. */
	if (r == PSCI_RET_SUCCESS)
		arch_vcpu_wake(t);
	return ret(v, r);
}

static int64_t affinity_state(enum vcpu_state s)
{
	switch (s) {
	case VCPU_ON: return PSCI_AFFINITY_ON;
	case VCPU_ON_PENDING: return PSCI_AFFINITY_ON_PENDING;
	case VCPU_OFF: break;
	}
	return PSCI_AFFINITY_OFF;
}

/* Above level 0 an instance is ON if any vCPU is, else ON_PENDING if any is. */
static int64_t vm_affinity_state(struct vm *vm)
{
	int64_t r = PSCI_AFFINITY_OFF;

	for (unsigned i = 0; i < vm->nvcpus; i++) {
		int64_t s = affinity_state(load_state(&vm->vcpus[i]));

		if (s == PSCI_AFFINITY_ON)
			return s;
		if (s == PSCI_AFFINITY_ON_PENDING)
			r = s;
	}
	return r;
}

/* AFFINITY_INFO(target_affinity, lowest_affinity_level) */
static enum smccc_action affinity_info(struct vcpu *v, uint32_t fid)
{
	struct vm *vm = v->vm;
	uint64_t target = arg(v, fid, 1);
	uint32_t level = (uint32_t)v->regs.x[2]; /* 32 bits in both forms */
	int64_t r;

	if (level >= MPIDR_AFF_LEVELS || !aff_instance_ok(vm, target, level))
		return ret(v, PSCI_RET_INVALID_PARAMETERS);
	spin_lock(&vm->lock);
	if (level == 0)
		r = affinity_state(load_state(&vm->vcpus[mpidr_aff(target, 0)]));
	else
		r = vm_affinity_state(vm);
	spin_unlock(&vm->lock);
	return ret(v, r);
}

static enum smccc_action migrate_info_type(struct vcpu *v, uint32_t fid)
{
	(void)fid;
	return ret(v, PSCI_TOS_NOT_PRESENT);
}

/* SYSTEM_OFF and SYSTEM_RESET do not return: no register is written. */
static enum smccc_action system_off(struct vcpu *v, uint32_t fid)
{
	(void)v;
	(void)fid;
	return SMCCC_VM_OFF;
}

static enum smccc_action system_reset(struct vcpu *v, uint32_t fid)
{
	(void)v;
	(void)fid;
	return SMCCC_VM_RESET;
}

static enum smccc_action psci_features(struct vcpu *v, uint32_t fid);
static enum smccc_action arch_features(struct vcpu *v, uint32_t fid);

/*
 * Tell the guest what the host CPU needs, and pass its calls through only
 * when the host firmware implements them: calling firmware for a workaround
 * it lacks, or one not needed, could only fail. The workarounds return
 * nothing meaningful; x0 gets what firmware left there.
 */
static enum smccc_action arch_workaround(struct vcpu *v, uint32_t fid)
{
	if (arch_smccc_workaround(fid) != 0)
		return ret(v, SMCCC_RET_NOT_SUPPORTED);
	return ret(v, arch_smccc_forward(fid, arg(v, fid, 1)));
}

/*
 * Every function ID Tessera answers. All of PSCI 1.1 is listed, so the ones
 * refused are refused on purpose; IDs not here (other owners, yielding
 * calls, SMC64 forms that do not exist) get NOT_SUPPORTED as well.
 */
static const struct smccc_fn fns[] = {
	/* SMCCC, Arm Architecture Service */
	{SMCCC_VERSION, DISC_PSCI | DISC_ARCH, 0, smccc_version},
	{SMCCC_ARCH_FEATURES, DISC_ARCH, 0, arch_features},
	{SMCCC_ARCH_WORKAROUND_1, DISC_ARCH | DISC_HOST, 0, arch_workaround},
	{SMCCC_ARCH_WORKAROUND_2, DISC_ARCH | DISC_HOST, 0, arch_workaround},
	{SMCCC_ARCH_WORKAROUND_3, DISC_ARCH | DISC_HOST, 0, arch_workaround},
	/* PSCI 1.1 */
	{PSCI_VERSION, DISC_PSCI, 0, psci_version},
	{PSCI_CPU_SUSPEND_32, DISC_PSCI, SUSPEND_FEATURES, cpu_suspend},
	{PSCI_CPU_SUSPEND_64, DISC_PSCI, SUSPEND_FEATURES, cpu_suspend},
	{PSCI_CPU_OFF, DISC_PSCI, 0, cpu_off},
	{PSCI_CPU_ON_32, DISC_PSCI, 0, cpu_on},
	{PSCI_CPU_ON_64, DISC_PSCI, 0, cpu_on},
	{PSCI_AFFINITY_INFO_32, DISC_PSCI, 0, affinity_info},
	{PSCI_AFFINITY_INFO_64, DISC_PSCI, 0, affinity_info},
	{PSCI_MIGRATE_32, DISC_PSCI, 0, NULL}, /* no Trusted OS to migrate */
	{PSCI_MIGRATE_64, DISC_PSCI, 0, NULL},
	{PSCI_MIGRATE_INFO_TYPE, DISC_PSCI, 0, migrate_info_type},
	{PSCI_MIGRATE_INFO_UP_CPU_32, DISC_PSCI, 0, NULL},
	{PSCI_MIGRATE_INFO_UP_CPU_64, DISC_PSCI, 0, NULL},
	{PSCI_SYSTEM_OFF, DISC_PSCI, 0, system_off},
	{PSCI_SYSTEM_RESET, DISC_PSCI, 0, system_reset},
	{PSCI_FEATURES, DISC_PSCI, 0, psci_features},
	{PSCI_CPU_FREEZE, DISC_PSCI, 0, NULL},
	{PSCI_CPU_DEFAULT_SUSPEND_32, DISC_PSCI, 0, NULL},
	{PSCI_CPU_DEFAULT_SUSPEND_64, DISC_PSCI, 0, NULL},
	{PSCI_NODE_HW_STATE_32, DISC_PSCI, 0, NULL},
	{PSCI_NODE_HW_STATE_64, DISC_PSCI, 0, NULL},
	{PSCI_SYSTEM_SUSPEND_32, DISC_PSCI, 0, NULL},
	{PSCI_SYSTEM_SUSPEND_64, DISC_PSCI, 0, NULL},
	{PSCI_SET_SUSPEND_MODE, DISC_PSCI, 0, NULL}, /* no OS-initiated mode */
	{PSCI_STAT_RESIDENCY_32, DISC_PSCI, 0, NULL},
	{PSCI_STAT_RESIDENCY_64, DISC_PSCI, 0, NULL},
	{PSCI_STAT_COUNT_32, DISC_PSCI, 0, NULL},
	{PSCI_STAT_COUNT_64, DISC_PSCI, 0, NULL},
	{PSCI_SYSTEM_RESET2_32, DISC_PSCI, 0, NULL},
	{PSCI_SYSTEM_RESET2_64, DISC_PSCI, 0, NULL},
	{PSCI_MEM_PROTECT, DISC_PSCI, 0, NULL},
	{PSCI_MEM_PROTECT_CHECK_RANGE_32, DISC_PSCI, 0, NULL},
	{PSCI_MEM_PROTECT_CHECK_RANGE_64, DISC_PSCI, 0, NULL},
};

/* The implemented function fid, or NULL. */
static const struct smccc_fn *lookup(uint32_t fid)
{
	for (unsigned i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		if (fns[i].fid == fid)
			return fns[i].call ? &fns[i] : NULL;
	return NULL;
}

/* PSCI_FEATURES(psci_func_id) */
static enum smccc_action psci_features(struct vcpu *v, uint32_t fid)
{
	const struct smccc_fn *f = lookup((uint32_t)v->regs.x[1]);

	(void)fid;
	if (!f || !(f->disc & DISC_PSCI))
		return ret(v, PSCI_RET_NOT_SUPPORTED);
	return ret(v, f->features);
}

/* SMCCC_ARCH_FEATURES(arch_func_id) */
static enum smccc_action arch_features(struct vcpu *v, uint32_t fid)
{
	const struct smccc_fn *f = lookup((uint32_t)v->regs.x[1]);

	(void)fid;
	if (!f || !(f->disc & DISC_ARCH))
		return ret(v, SMCCC_RET_NOT_SUPPORTED);
	if (f->disc & DISC_HOST)
		return ret(v, arch_smccc_workaround(f->fid));
	return ret(v, f->features);
}

enum smccc_action smccc_handle(struct vcpu *v)
{
	/* The function ID is W0: bits [63:32] of X0 are not part of it. */
	const struct smccc_fn *f = lookup((uint32_t)v->regs.x[0]);

	if (!f)
		return ret(v, SMCCC_RET_NOT_SUPPORTED);
	return f->call(v, f->fid);
}

/* SPDX-License-Identifier: MIT */
/*
 * The one exit dispatcher: synchronous guest exits are routed by
 * ESR_EL2.EC through a table; anything without a handler gets an UNDEF
 * injected and is logged, and the guest carries on. Tessera never halts a
 * CPU for a guest's mistake.
 */
#include <arch/cache.h>
#include <arch/cpu_local.h>
#include <arch/firmware.h>
#include <arch/gic.h>
#include <arch/guest_exit.h>
#include <arch/id_regs.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>

#include "core/arch.h"
#include "core/esr.h"
#include "core/inject.h"
#include "core/log.h"
#include "core/mmio_access.h"
#include "core/sysreg_trap.h"
#include "core/vm_build.h"
#include "core/vpsci.h"

typedef void (*exit_handler)(struct vcpu *v, uint64_t esr);

/* The guest EL1 state an injected exception reads and writes. */
static struct el1_exc el1_exc_load(const struct vcpu *v)
{
	return (struct el1_exc){
		.pc = v->regs.pc,
		.pstate = v->regs.pstate,
		.vbar = read_sysreg(vbar_el1),
		.sctlr = read_sysreg(sctlr_el1),
		.far = read_sysreg(far_el1),
	};
}

static void el1_exc_store(struct vcpu *v, const struct el1_exc *e)
{
	write_sysreg(esr_el1, e->esr);
	write_sysreg(far_el1, e->far);
	write_sysreg(elr_el1, e->elr);
	write_sysreg(spsr_el1, e->spsr);
	v->regs.pc = e->pc;
	v->regs.pstate = e->pstate;
}

static void undef(struct vcpu *v, uint64_t esr, const char *what)
{
	struct el1_exc e = el1_exc_load(v);

	vm_log_fault(v->vm, "vcpu%u: %s (ESR 0x%08lx) at PC 0x%lx: UNDEF injected", v->idx, what,
		     (unsigned long)esr, (unsigned long)v->regs.pc);
	inject_undef(&e);
	el1_exc_store(v, &e);
}

/* CPU_SUSPEND: sleep until an interrupt; a powerdown state resumes at its entry. */
static void suspend(struct vcpu *v)
{
	wfi();
	if (v->state != VCPU_ON)
		vcpu_park(v);
	if (v->suspend_powerdown) {
		v->suspend_powerdown = false;
		vcpu_start(v, v->boot_entry, v->boot_context);
	}
}

static void smccc(struct vcpu *v)
{
	switch (smccc_handle(v)) {
	case SMCCC_VM_OFF: vm_power_off(v);
	case SMCCC_VM_RESET: vm_reset(v);
	case SMCCC_CPU_OFF: vcpu_park(v);
	case SMCCC_CPU_SUSPEND: suspend(v); break;
	case SMCCC_RESUME: break;
	}
}

static void handle_hvc(struct vcpu *v, uint64_t esr)
{
	if (ESR_ISS(esr) & 0xffff) {
		v->regs.x[0] = (uint64_t)SMCCC_RET_NOT_SUPPORTED; /* only HVC #0 is SMCCC */
		return;
	}
	smccc(v);
}

/* A trapped SMC returns to the SMC itself: step over it. */
static void handle_smc(struct vcpu *v, uint64_t esr)
{
	(void)esr;
	v->regs.pc += 4;
	smccc(v);
}

static void emulate(struct vcpu *v, struct emul_device *dev, const struct mmio_access *a)
{
	uint64_t off = a->ipa - dev->base;

	if (a->write)
		dev->ops->write(dev, off, a->size, mmio_store_value(a, v->regs.x));
	else
		mmio_load_writeback(a, v->regs.x, dev->ops->read(dev, off, a->size));
	v->regs.pc += a->insn_len;
}

static void handle_dabt(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2), hpfar = read_sysreg(hpfar_el2);
	bool write = ESR_ISS(esr) & ISS_DABT_WNR;
	struct emul_device *dev = NULL;
	struct mmio_access a;
	struct el1_exc e;
	int isv = mmio_decode(esr, hpfar, far, &a) == 0;

	if (!isv)
		a.ipa = fault_ipa(hpfar, far);
	dev = emul_find(&v->vm->emul, a.ipa);
	if (dev && isv) {
		a.big_endian = guest_big_endian(v->regs.pstate, read_sysreg(sctlr_el1));
		emulate(v, dev, &a);
		return;
	}
	vm_log_fault(v->vm, "vcpu%u: %s at IPA 0x%lx (%s), PC 0x%lx: external abort injected",
		     v->idx, write ? "write" : "read", (unsigned long)a.ipa,
		     dev ? "no syndrome to emulate" : "unmapped", (unsigned long)v->regs.pc);
	e = el1_exc_load(v);
	inject_data_abort(&e, far, write);
	el1_exc_store(v, &e);
}

static void handle_iabt(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2), hpfar = read_sysreg(hpfar_el2);
	struct el1_exc e = el1_exc_load(v);

	(void)esr;
	vm_log_fault(v->vm,
		     "vcpu%u: instruction fetch at IPA 0x%lx (unmapped): external abort "
		     "injected",
		     v->idx, (unsigned long)fault_ipa(hpfar, far));
	inject_insn_abort(&e, far);
	el1_exc_store(v, &e);
}

/* Per physical CPU, so per vCPU: exits taken, and the set/way walk going on. */
static struct {
	uint64_t exits;
	struct setway_walk walk;
} exit_state[MAX_CPUS];

/*
 * DC ISW/CSW/CISW work on one CPU's caches by position: they miss the VM's
 * lines in its other CPUs' caches, and in a shared cache they hit other
 * VMs' lines. Clean and invalidate the VM's RAM by VA instead (Tessera's
 * EL2 map is an identity map of it): what the guest's whole walk is for.
 */
static void setway_flush(const struct vm *vm)
{
	dcache_clean_inval_poc(phys_to_virt(vm->ram_pa), vm->cfg->mem.size);
}

/* MSR, MRS and system instructions (EC 0x18): core/sysreg_trap.c decides. */
static void handle_sysreg(struct vcpu *v, uint64_t esr)
{
	struct sysreg_ctx c = {
		.v = v,
		.host = host_id_regs(),
		.walk = &exit_state[v->pcpu].walk,
		.exit = exit_state[v->pcpu].exits,
	};
	struct sysreg_access a;
	enum sysreg_result res;
	char what[40];

	sysreg_decode(ESR_ISS(esr), &a);
	res = sysreg_emulate(&c, &a);
	if (res == SYSREG_FLUSH)
		setway_flush(v->vm);
	if (res != SYSREG_UNDEF) {
		v->regs.pc += 4;
		return;
	}
	sysreg_describe(&a, what, sizeof(what));
	undef(v, esr, what);
}

static const exit_handler sync_handlers[64] = {
	[EC_HVC64] = handle_hvc,     [EC_SMC64] = handle_smc,	  [EC_SYS64] = handle_sysreg,
	[EC_DABT_LOW] = handle_dabt, [EC_IABT_LOW] = handle_iabt,
};

static void handle_async(struct vcpu *v, unsigned kind)
{
	if (kind == EXIT_IRQ) {
		irq_handle(v);
		return;
	}
	vm_log_fault(v->vm, "vcpu%u: unexpected %s exit", v->idx,
		     kind == EXIT_FIQ ? "FIQ" : "SError");
}

/* Back to the guest: unless stopped meanwhile, with its LRs refilled. */
static void prepare_entry(struct vcpu *v)
{
	if (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_ON)
		vcpu_park(v);
	vgic_flush_lrs(&v->vm->vgic, v->idx, gic->lr);
}

struct vcpu *vcpu_exit(struct vcpu *v, unsigned kind)
{
	uint64_t esr;
	exit_handler h;

	exit_state[v->pcpu].exits++; /* set/way batching tells walks apart by it */
	/* What the guest did with its LRs first: exit handlers act on that state. */
	vgic_sync_lrs(&v->vm->vgic, v->idx, gic->lr);
	if (kind != EXIT_SYNC) {
		handle_async(v, kind);
		prepare_entry(v);
		return v;
	}
	esr = read_sysreg(esr_el2);
	h = sync_handlers[ESR_EC(esr)];
	if (h)
		h(v, esr);
	else
		undef(v, esr, "unhandled exception class");
	prepare_entry(v);
	return v;
}

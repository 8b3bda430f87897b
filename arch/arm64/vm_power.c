/* SPDX-License-Identifier: MIT */
/*
 * Powering vCPUs and whole VMs on and off, on their own physical CPUs.
 *
 * A physical CPU whose vCPU is off waits in cpu_run() (WFE) until the vCPU
 * is ON_PENDING. Stopping another CPU's vCPU means setting its state under
 * the VM's lock and sending IPI_STOP: the IRQ makes it leave the guest, and
 * at the end of that exit it sees the state and parks, clearing in_guest.
 * A guest looping with interrupts masked is still stopped: physical IRQs
 * go to EL2 whatever the guest's PSTATE says.
 */
#include <arch/cpu_local.h>
#include <arch/firmware.h>
#include <arch/gic.h>
#include <arch/vcpu.h>

#include "core/arch.h"
#include "core/log.h"
#include "core/vm_build.h"

/* Claim the vCPU if CPU_ON (or a VM start) asked for it. */
static bool take_vcpu(struct vcpu *v)
{
	bool go;

	spin_lock(&v->vm->lock);
	go = v->state == VCPU_ON_PENDING;
	if (go) {
		v->state = VCPU_ON;
		__atomic_store_n(&v->in_guest, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&v->vm->lock);
	return go;
}

/*
 * A CPU without a running vCPU sleeps in WFI: the IPI of a CPU_ON wakes
 * it, and it still serves interrupts routed to it (console input) while
 * its own vCPU is off.
 */
void cpu_run(struct cpu *cpu)
{
	struct vcpu *v = cpu->vcpu;

	while (!v || !take_vcpu(v)) {
		wfi();
		irq_poll();
	}
	irq_vcpu_start();
	vcpu_start(v, v->boot_entry, v->boot_context);
}

void vcpu_park(struct vcpu *v)
{
	/* Its timer must not keep interrupting a CPU that waits for CPU_ON. */
	write_sysreg(cntv_ctl_el0, 0);
	__atomic_store_n(&v->in_guest, false, __ATOMIC_RELEASE);
	cpu_send_event();
	cpu_run(this_cpu());
}

/* Turn off every other vCPU of the VM and wait until they have left the guest. */
static void stop_others(struct vm *vm, struct vcpu *self)
{
	spin_lock(&vm->lock);
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *o = &vm->vcpus[i];

		if (o == self || o->state == VCPU_OFF)
			continue;
		o->state = VCPU_OFF;
		if (__atomic_load_n(&o->in_guest, __ATOMIC_ACQUIRE))
			arch_send_stop(o);
	}
	self->state = VCPU_OFF;
	spin_unlock(&vm->lock);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		while (&vm->vcpus[i] != self &&
		       __atomic_load_n(&vm->vcpus[i].in_guest, __ATOMIC_ACQUIRE))
			cpu_wait_event();
}

void vm_power_off(struct vcpu *v)
{
	struct vm *vm = v->vm;

	stop_others(vm, v);
	vuart_flush(&vm->uart);
	vm_log(vm, "powered off");
	if (vm_stopped(vm) == 0) {
		log_line("all VMs are off: powering off");
		system_off();
	}
	vcpu_park(v);
}

void vm_reset(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct config_error err;

	vm->state = VM_RESETTING;
	stop_others(vm, v);
	vuart_flush(&vm->uart);
	vm_log(vm, "reset");
	irq_vm_reset(vm);
	if (vm_reload(vm, &err) < 0) {
		vm_log(vm, "cannot restart: %s", err.msg);
		vm_power_off(v);
	}
	spin_lock(&vm->lock);
	vm->state = VM_RUNNING;
	vm->vcpus[0].state = VCPU_ON_PENDING;
	spin_unlock(&vm->lock);
	arch_vcpu_wake(&vm->vcpus[0]);
	vcpu_park(v);
}

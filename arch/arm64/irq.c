/* SPDX-License-Identifier: MIT */
/*
 * Physical interrupts. Every IRQ reaches EL2 (HCR_EL2.IMO). Tessera's own
 * (IPIs between CPUs, the vGIC maintenance interrupt) are handled and
 * deactivated here; a VM's (its virtual timer, its passthrough SPIs) have
 * their priority dropped and are injected into the VM's vGIC hardware-
 * linked, so the guest's EOI deactivates them: a level interrupt cannot fire
 * again before the guest has handled it, and no interrupt is lost.
 */
#include <arch/cpu_local.h>
#include <arch/gic.h>
#include <arch/sysreg.h>

#include "core/arch.h"
#include "core/console.h"
#include "core/log.h"
#include "core/vm.h"

const struct gic_ops *gic;

/* Partial console lines are shown after this much quiet (ms). */
#define CONSOLE_QUIET_MS 20
#define CNTHP_CTL_ENABLE BIT(0)

/* Set once at boot. */
static struct {
	uint32_t maint;	   /* vGIC maintenance PPI */
	uint32_t vtimer;   /* EL1 virtual timer PPI */
	uint32_t hyptimer; /* EL2 physical timer PPI: console flushes */
	uint32_t console;  /* the physical UART's SPI (input) */
	struct vm *spi_owner[VGIC_NR_IRQS];
} irqs;

void gic_setup(const struct host_platform *host)
{
	gic = host->gic.version == 3 ? &gicv3_ops : &gicv2_ops;
	gic->init_dist(&host->gic);
	irqs.maint = host->gic.maint_intid;
	irqs.vtimer = host->timer.virt;
	irqs.hyptimer = host->timer.hyp_phys;
	irqs.console = host->console.intid;
}

/* Console input: the UART's interrupt goes to this (the boot) CPU. */
void gic_console_input_setup(void)
{
	if (!irqs.console)
		return;
	gic->route(irqs.console, this_cpu()->mpidr);
	console_rx_irq_enable();
	gic->enable(irqs.console, true);
}

void arch_console_partial(struct vuart *u)
{
	this_cpu()->flush_uart = u;
	write_sysreg(cnthp_tval_el2, read_sysreg(cntfrq_el0) / 1000 * CONSOLE_QUIET_MS);
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

static void console_quiet(void)
{
	struct cpu *cpu = this_cpu();

	write_sysreg(cnthp_ctl_el2, 0);
	isb();
	if (cpu->flush_uart)
		vuart_flush(cpu->flush_uart);
	cpu->flush_uart = NULL;
}

/* On each CPU, once: its interface, Tessera's IPIs and the PPIs guests use. */
void gic_cpu_setup(unsigned cpu)
{
	gic->init_cpu(cpu);
	gic->enable(IPI_KICK, true);
	gic->enable(IPI_STOP, true);
	gic->enable(irqs.maint, true);
	gic->enable(irqs.vtimer, true);
	gic->enable(irqs.hyptimer, true);
}

void arch_irq_assign(uint32_t intid, struct vm *vm, unsigned pcpu)
{
	if (intid < VGIC_NR_PRIVATE || intid >= VGIC_NR_IRQS)
		return;
	irqs.spi_owner[intid] = vm;
	gic->route(intid, cpus[pcpu].mpidr);
}

static struct vm *vm_of(struct vgic *g)
{
	return (struct vm *)((char *)g - __builtin_offsetof(struct vm, vgic));
}

/* The vCPU's CPU must look at its vGIC; the current CPU will anyway. */
static void kick(struct vgic *g, unsigned vcpu)
{
	unsigned pcpu = vm_of(g)->vcpus[vcpu].pcpu;

	if (pcpu != this_cpu()->idx)
		gic->send_sgi(IPI_KICK, cpus[pcpu].mpidr);
}

/*
 * The guest dropped a hardware-linked interrupt (ICPENDR/ICACTIVER): no
 * EOI will deactivate the physical one now, so do it here. For a PPI the
 * model calls this on the vCPU's own CPU, whose bank it must be.
 */
static void hw_deactivate(struct vgic *g, unsigned vcpu, uint32_t hwintid)
{
	(void)g;
	(void)vcpu;
	gic->clear_active(hwintid);
}

static void hw_enable(struct vgic *g, uint32_t hwintid, bool enable)
{
	(void)g;
	if (hwintid >= VGIC_NR_PRIVATE)
		gic->enable(hwintid, enable);
}

const struct vgic_ops arch_vgic_ops = {
	.kick = kick,
	.hw_enable = hw_enable,
	.hw_deactivate = hw_deactivate,
};

void arch_send_stop(struct vcpu *v)
{
	gic->send_sgi(IPI_STOP, cpus[v->pcpu].mpidr);
}

static void deliver_spi(struct vcpu *v, uint32_t iar, uint32_t intid)
{
	struct vm *owner = irqs.spi_owner[intid];

	if (intid == irqs.console) {
		console_rx_interrupt();
		gic->deactivate(iar);
		return;
	}
	if (!owner) {
		/* Nobody owns it: it stays disabled from now on. */
		gic->deactivate(iar);
		gic->enable(intid, false);
		log_line("cpu%u: spurious SPI %u disabled", this_cpu()->idx, intid);
		return;
	}
	/* Hardware-linked: one pending per physical activation, ended by the guest's EOI. */
	vgic_inject(&owner->vgic, v && owner == v->vm ? (int)v->idx : -1, 0, intid);
}

/*
 * One physical IRQ. v: the vCPU this CPU was running, or NULL when it took
 * the IRQ while parked. Returns false when nothing was pending.
 */
bool irq_dispatch(struct vcpu *v)
{
	uint32_t iar = gic->ack();
	uint32_t intid = iar & 0x3ff;

	if (intid >= 1020)
		return false;
	gic->eoi(iar);
	if (intid == irqs.vtimer && v) {
		vgic_inject(&v->vm->vgic, (int)v->idx, v->idx, intid);
		return true;
	}
	if (intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS) {
		deliver_spi(v, iar, intid);
		return true;
	}
	if (intid == irqs.hyptimer)
		console_quiet();
	/* IPI_KICK, IPI_STOP, maintenance: whoever runs next looks at the state. */
	gic->deactivate(iar);
	return true;
}

void irq_handle(struct vcpu *v)
{
	irq_dispatch(v);
}

/* A parked CPU (IRQs masked at EL2) takes what woke it from WFI. */
void irq_poll(void)
{
	while (irq_dispatch(NULL))
		;
}

/* A vCPU (re)starts on this CPU: nothing of a previous run may linger. */
void irq_vcpu_start(void)
{
	for (unsigned i = 0; i < gic->lr->nr_lrs(); i++)
		gic->lr->write(i, NULL);
	gic->lr->set_underflow_irq(false);
	gic->vcpu_if_reset();
	if (gic->is_active(irqs.vtimer))
		gic->deactivate(irqs.vtimer);
}

/* A VM restarts: its passthrough interrupts must not stay active forever. */
void irq_vm_reset(struct vm *vm)
{
	for (uint32_t i = VGIC_NR_PRIVATE; i < VGIC_NR_IRQS; i++)
		if (irqs.spi_owner[i] == vm && gic->is_active(i))
			gic->deactivate(i);
}

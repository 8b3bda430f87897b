/* SPDX-License-Identifier: MIT */
/*
 * The physical GIC, owned by Tessera. One interface, two drivers (gicv3.c,
 * gicv2.c) chosen at boot from the host DT. EOI is split: Tessera drops
 * the priority at once, and deactivation happens either here (Tessera's own
 * interrupts) or by the guest's EOI of a hardware-linked list register.
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hostdt.h"
#include "vgic/vgic.h"

/* Tessera's own SGIs between physical CPUs */
#define IPI_KICK 0 /* a vCPU has something new to look at */
#define IPI_STOP 1 /* a vCPU must leave its guest (VM off/reset) */

#define GIC_PRIO_TESSERA 0x80

struct gic_ops {
	void (*init_dist)(const struct host_gic *g);
	void (*init_cpu)(unsigned cpu);
	uint32_t (*ack)(void);	     /* INTID, 1023 if spurious */
	void (*eoi)(uint32_t intid); /* priority drop */
	void (*deactivate)(uint32_t intid);
	void (*send_sgi)(unsigned sgi, uint64_t target_mpidr);
	void (*enable)(uint32_t intid, bool on);
	void (*route)(uint32_t spi, uint64_t target_mpidr);
	bool (*is_active)(uint32_t intid);
	/* Deactivate by MMIO (any CPU, for SPIs; this CPU's bank for PPIs). */
	void (*clear_active)(uint32_t intid);
	const struct vgic_lr_ops *lr;
	uint32_t (*maint_status)(void); /* ICH_MISR / GICH_MISR */
	void (*vcpu_if_reset)(void);	/* the guest's CPU interface state (VMCR) */
};

extern const struct gic_ops gicv3_ops, gicv2_ops;
/* The driver in use, chosen once at boot (read-only afterwards). */
extern const struct gic_ops *gic;

void gic_setup(const struct host_platform *host);
void gic_cpu_setup(unsigned cpu);
void gic_console_input_setup(void);

struct vcpu;
struct vm;
/* A physical IRQ arrived while v was running (or parked on this CPU). */
void irq_handle(struct vcpu *v);
void irq_poll(void);
/* Send IPI_STOP to the physical CPU of v. */
void arch_send_stop(struct vcpu *v);
void irq_vcpu_start(void);
void irq_vm_reset(struct vm *vm);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <stdint.h>

struct vcpu;

struct cpu;

/* Run this CPU's vCPU (once it is on), or idle if it has none. */
void __attribute__((noreturn)) cpu_run(struct cpu *cpu);

/* This CPU's vCPU is off: leave the guest for good, wait in cpu_run(). */
void __attribute__((noreturn)) vcpu_park(struct vcpu *v);
/* SYSTEM_OFF and SYSTEM_RESET: every vCPU of the VM stops first. */
void __attribute__((noreturn)) vm_power_off(struct vcpu *v);
void __attribute__((noreturn)) vm_reset(struct vcpu *v);

/* Enter the guest at EL1h, entry, with x0 (MMU off, DAIF masked). */
void __attribute__((noreturn)) vcpu_start(struct vcpu *v, uint64_t entry, uint64_t x0);

#endif

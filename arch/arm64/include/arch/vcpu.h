/* SPDX-License-Identifier: MIT */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <stdint.h>

struct vcpu;

struct cpu;

/* Run this CPU's vCPU (once it is on), or idle if it has none. */
void __attribute__((noreturn)) cpu_run(struct cpu *cpu);

/* Enter the guest at EL1h, entry, with x0 (MMU off, DAIF masked). */
void __attribute__((noreturn)) vcpu_start(struct vcpu *v, uint64_t entry, uint64_t x0);

#endif

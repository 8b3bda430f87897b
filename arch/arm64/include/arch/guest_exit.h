/* SPDX-License-Identifier: MIT */
/* Why a guest stopped running: which vector the exception came through. */
#ifndef ARCH_GUEST_EXIT_H
#define ARCH_GUEST_EXIT_H

#define EXIT_SYNC   0
#define EXIT_IRQ    1
#define EXIT_FIQ    2
#define EXIT_SERROR 3

#ifndef __ASSEMBLER__
struct vcpu;

/* Handle one exit; returns the vCPU to resume (always the same one). */
struct vcpu *vcpu_exit(struct vcpu *v, unsigned kind);
void __attribute__((noreturn)) guest_resume(struct vcpu *v);
#endif

#endif

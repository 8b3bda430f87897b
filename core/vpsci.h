/* SPDX-License-Identifier: MIT */
/*
 * The guest's firmware interface: SMCCC calls (HVC or trapped SMC) with
 * PSCI on top. Reads arguments from and writes results to the vCPU's x0-x3;
 * what the CPU must do next is returned to the arch exit path.
 */
#ifndef CORE_VPSCI_H
#define CORE_VPSCI_H

#include "core/vm.h"

#define SMCCC_VERSION		0x80000000u
#define SMCCC_ARCH_FEATURES	0x80000001u
#define SMCCC_RET_NOT_SUPPORTED (-1)
#define SMCCC_VERSION_1_1	0x10001
#define PSCI_VERSION_1_1	0x10001
#define PSCI_FEATURES		0x8400000au

/* Arm Architecture Service: Spectre-class mitigations in firmware. */
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u /* CVE-2017-5715 */
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffu /* CVE-2018-3639 */
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffu /* CVE-2017-5715, CVE-2022-23960 */

enum smccc_action {
	SMCCC_RESUME,	   /* results are in x0-x3: return to the guest */
	SMCCC_VM_OFF,	   /* SYSTEM_OFF: stop every vCPU of the VM */
	SMCCC_VM_RESET,	   /* SYSTEM_RESET: restart the VM from its pristine images */
	SMCCC_CPU_OFF,	   /* CPU_OFF: this vCPU sleeps until a CPU_ON */
	SMCCC_CPU_SUSPEND, /* wait for an interrupt; then return (standby) or,
			    * with v->suspend_powerdown, enter at boot_entry */
};

/*
 * Handle the call in v->regs.x[0..3] (function ID in w0). Results are in x0;
 * x1-x3 are left alone. For SMCCC_CPU_OFF, v->state is already VCPU_OFF;
 * for SMCCC_CPU_SUSPEND, v->suspend_powerdown says which kind, and a
 * powerdown's boot_entry/boot_context are set. CPU_ON has set the target's
 * boot_entry/boot_context and VCPU_ON_PENDING and called arch_vcpu_wake().
 */
enum smccc_action smccc_handle(struct vcpu *v);

#endif

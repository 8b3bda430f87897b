/* SPDX-License-Identifier: MIT */
/*
 * VMs and their vCPUs. Static partitioning: each vCPU is pinned to one
 * physical CPU for the life of the system, and a CPU never runs two vCPUs.
 */
#ifndef CORE_VM_H
#define CORE_VM_H

/* Offsets used by arch/arm64/guest_entry.S */
#define VCPU_REGS_X	 0
#define VCPU_REGS_PC	 (31 * 8)
#define VCPU_REGS_PSTATE (32 * 8)

#define VM_FAULT_LOG_MAX 32

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/emul.h"
#include "core/guest_image.h"
#include "core/spinlock.h"
#include "core/vuart.h"
#include "mm/pgtable.h"
#include "vgic/vgic.h"

/* Guest general-purpose state, saved on every exit. */
struct vcpu_regs {
	uint64_t x[31];
	uint64_t pc;	 /* ELR_EL2 */
	uint64_t pstate; /* SPSR_EL2 */
};

/* PSCI's view of a vCPU (AFFINITY_INFO answers with these). */
enum vcpu_state {
	VCPU_OFF,
	VCPU_ON_PENDING, /* CPU_ON accepted, its physical CPU not yet in the guest */
	VCPU_ON,
};

struct vm;

struct vcpu {
	struct vcpu_regs regs; /* first: the exit path stores through the vcpu pointer */
	struct vm *vm;
	unsigned idx;		/* within the VM: its MPIDR Aff0 */
	unsigned pcpu;		/* the physical CPU it is pinned to */
	enum vcpu_state state;	/* changed under vm->lock, read locklessly by its CPU */
	uint64_t boot_entry;	/* where CPU_ON (or a VM start) enters the guest */
	uint64_t boot_context;	/* x0 at that entry */
	bool suspend_powerdown; /* CPU_SUSPEND asked for a powerdown state */
	bool in_guest;		/* its physical CPU is running it (cleared when it parks) */
};

enum vm_state {
	VM_RUNNING,
	VM_OFF,
	VM_RESETTING,
};

struct vm {
	unsigned idx;
	const struct vm_config *cfg;
	uint64_t ram_pa; /* host physical base of guest RAM */
	uint16_t vmid;
	struct pgtable s2;
	struct emul_table emul;
	struct vgic vgic;
	struct vuart uart;
	uint32_t uart_intid; /* the virtual UART's SPI (the host console's number) */
	bool owns_console;   /* console = "<label>": the physical UART is passed through */
	struct guest_plan plan;
	struct vcpu vcpus[MAX_CPUS];
	unsigned nvcpus;
	enum vm_state state;
	unsigned faults_logged;
	struct spinlock lock;
};

_Static_assert(__builtin_offsetof(struct vcpu_regs, pc) == VCPU_REGS_PC, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu_regs, pstate) == VCPU_REGS_PSTATE, "asm offset");
_Static_assert(__builtin_offsetof(struct vcpu, regs) == 0, "asm offset");

/* The VMs, indexed like the config's vm nodes: the per-VM owner of VM state. */
extern struct vm vms[VM_MAX];

/* "[tessera] vm <label>: ..." */
void vm_log(const struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like vm_log, but at most VM_FAULT_LOG_MAX times per VM: a looping guest
 * must not flood the console that other VMs share. */
void vm_log_fault(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif

#endif

/* SPDX-License-Identifier: MIT */
/* Turning a validated configuration into running-ready VMs. */
#ifndef CORE_VM_BUILD_H
#define CORE_VM_BUILD_H

#include "core/config.h"
#include "core/hostdt.h"
#include "core/memplan.h"
#include "core/vm.h"
#include "mm/page_pool.h"
#include "mm/stage2.h"

#define GUEST_DTB_BUF (64 * 1024)

/*
 * Place every VM's RAM, build its stage-2 tables (from pool), load its
 * images and DTB, register its emulated devices and pin its vCPUs to
 * cpus[]. Returns 0, or -1 with err naming the VM and property.
 */
int vms_build(const struct tessera_config *cfg, const void *host_fdt,
	      const struct host_platform *host, struct memplan *mp, struct page_pool *pool,
	      struct config_error *err);

/* The stage-2 geometry every VM shares (valid after vms_build). */
const struct stage2_geometry *vm_stage2_geometry(void);

/* Tear down a VM's stage-2 tables: TLBs flushed, table pages back to the pool. */
void vm_stage2_destroy(struct vm *vm);

/*
 * Put a stopped VM back to its boot state: images and DTB copied in again,
 * vGIC and UART reset, every vCPU off and aimed at the kernel entry.
 */
int vm_reload(struct vm *vm, struct config_error *err);

/* A VM has powered off: how many are still running. */
unsigned vm_stopped(struct vm *vm);

#endif

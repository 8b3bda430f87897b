/* SPDX-License-Identifier: MIT */
/*
 * Host physical memory planning: which host RAM is free, who owns the rest,
 * and where each VM's RAM goes. Portable and unit-tested.
 */
#ifndef CORE_MEMPLAN_H
#define CORE_MEMPLAN_H

#include <stdint.h>

#include "core/config.h"
#include "core/hostdt.h"

#define MEMPLAN_MAX_FREE  32
#define MEMPLAN_MAX_USED  32
#define MEMPLAN_OWNER_MAX 48

struct memplan_used {
	struct range r;
	char owner[MEMPLAN_OWNER_MAX]; /* "Tessera", "host DTB", "vm \"beta\"", ... */
};

struct memplan {
	struct range free[MEMPLAN_MAX_FREE]; /* sorted, non-overlapping */
	unsigned nfree;
	struct memplan_used used[MEMPLAN_MAX_USED];
	unsigned nused;
};

void memplan_init(struct memplan *mp, const struct range *ram, unsigned nram);
/* Take [base, base+size) out of the free list wherever it is free (parts
 * outside RAM are ignored): for Tessera, the host DTB, reserved memory. */
int memplan_reserve(struct memplan *mp, uint64_t base, uint64_t size, const char *owner);
/* Claim exactly [base, base+size): 0, or -1 with *conflict set to the first
 * used range it overlaps, or to NULL when it is (partly) not RAM at all. */
int memplan_claim(struct memplan *mp, uint64_t base, uint64_t size, const char *owner,
		  const struct memplan_used **conflict);
/* Lowest free range of size bytes aligned to align: 0 and *base, or -1. */
int memplan_alloc(struct memplan *mp, uint64_t size, uint64_t align, const char *owner,
		  uint64_t *base);

/*
 * Place every VM's RAM: identity VMs claim their own range first, then the
 * others get the lowest free range (1 GiB-aligned when the size is a multiple
 * of 1 GiB, else 2 MiB-aligned). host_pa[i] receives VM i's host base.
 * Errors name the VM and "memory", and what is in the way, e.g.
 *   ...: memory: 0x40000000-0x43ffffff (identity) overlaps Tessera (0x40200000-0x40bfffff)
 *   ...: memory: no free host RAM for 0x80000000 bytes
 */
int memplan_place_vms(struct memplan *mp, const struct tessera_config *cfg,
		      uint64_t host_pa[VM_MAX], struct config_error *err);

/* Add /memreserve/ entries and /reserved-memory children of the host DT. */
int memplan_reserve_host_dt(struct memplan *mp, const void *host_fdt);

#endif

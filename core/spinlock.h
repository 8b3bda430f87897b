/* SPDX-License-Identifier: MIT */
/*
 * Ticket lock. Waiters sleep in WFE and the unlocker sends SEV, so a waiting
 * CPU does not burn the instructions that other CPUs (or, under QEMU's TCG,
 * every CPU sharing one host thread) need.
 */
#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H

#include <stdint.h>

#include <arch/event.h>

struct spinlock {
	uint32_t next;
	uint32_t owner;
};

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0, 0                                                                               \
	}

static inline void spin_lock(struct spinlock *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_wait_event();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	cpu_send_event();
}

#endif

/* SPDX-License-Identifier: MIT */
/* Sleep until an event (SEV, event stream, interrupt); wake the others. */
#ifndef ARCH_EVENT_H
#define ARCH_EVENT_H

static inline void cpu_wait_event(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

static inline void cpu_send_event(void)
{
	/* The store that satisfies the waiter must be visible before it wakes. */
	__asm__ volatile("dsb ishst\n\tsev" ::: "memory");
}

#endif

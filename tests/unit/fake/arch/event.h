/* SPDX-License-Identifier: MIT */
/* Host build: unit tests are single-threaded, events are no-ops. */
#ifndef ARCH_EVENT_H
#define ARCH_EVENT_H

static inline void cpu_wait_event(void)
{
}
static inline void cpu_send_event(void)
{
}

#endif

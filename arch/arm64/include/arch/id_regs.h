/* SPDX-License-Identifier: MIT */
/* The host's feature ID registers, as each CPU reported them at bring-up. */
#ifndef ARCH_ID_REGS_H
#define ARCH_ID_REGS_H

#include "core/id_regs.h"

/* Record this CPU's ID registers: once per CPU, before it reports online. */
void id_regs_capture(void);

/* Indexed by physical CPU index; complete before any guest runs. */
const struct id_regs *host_id_regs(void);

#endif

/* SPDX-License-Identifier: MIT */
#include "core/cpu.h"

struct cpu cpus[MAX_CPUS];

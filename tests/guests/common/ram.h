/* SPDX-License-Identifier: MIT */
/* Non-destructive RAM test: every 64-byte block written and read back. */
#ifndef GUEST_RAM_H
#define GUEST_RAM_H

#include <stdbool.h>
#include <stdint.h>

#define RAM_BLOCK 64

struct ram_fault {
	uintptr_t addr; /* the first block that failed */
	uint64_t esr;	/* non-zero: the access aborted with this syndrome */
	uint64_t wrote; /* otherwise: the pattern written ... */
	uint64_t read;	/* ... and what came back */
};

/*
 * Tests the first doubleword of every 64-byte block in [start, end) and
 * restores it, so the range may hold this guest's own code, stack and DTB.
 * start is rounded up and end down to whole blocks. On failure, fills *f.
 */
bool ram_test(uintptr_t start, uintptr_t end, struct ram_fault *f);

#endif

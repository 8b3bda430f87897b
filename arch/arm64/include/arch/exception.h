/* SPDX-License-Identifier: MIT */
#ifndef ARCH_EXCEPTION_H
#define ARCH_EXCEPTION_H

#define FRAME_X(n) ((n)*8)
#define FRAME_SP   (31 * 8)
#define FRAME_ELR  (32 * 8)
#define FRAME_SPSR (33 * 8)
#define FRAME_ESR  (34 * 8)
#define FRAME_FAR  (35 * 8)
#define FRAME_SIZE (36 * 8)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* Everything the CPU had when the exception was taken. */
struct exc_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

_Static_assert(sizeof(struct exc_frame) == FRAME_SIZE, "asm frame layout");
_Static_assert(offsetof(struct exc_frame, elr) == FRAME_ELR, "asm frame layout");
_Static_assert(offsetof(struct exc_frame, far) == FRAME_FAR, "asm frame layout");

void exception_unexpected(struct exc_frame *frame, unsigned vector);
#endif

#endif

/* SPDX-License-Identifier: MIT */
#include "ram.h"

#include "exception.h"

typedef uintptr_t sweep_fn(uintptr_t start, uintptr_t end, uint64_t wrote_read[2]);

/* sweep.S: two identical copies, each in 64-byte lines of its own. */
extern sweep_fn ram_sweep_a, ram_sweep_b;
extern char ram_sweep_a_abort[], ram_sweep_b_abort[], ram_sweep_a_end[];

static bool sweep(sweep_fn *fn, const void *on_abort, uintptr_t start, uintptr_t end,
		  struct ram_fault *f)
{
	struct exc_record rec;
	uint64_t wr[2];
	uintptr_t at;

	if (start >= end)
		return true;
	exception_arm(on_abort);
	at = fn(start, end, wr);
	exception_disarm(&rec);
	if (rec.count) {
		*f = (struct ram_fault){.addr = at, .esr = rec.esr};
		return false;
	}
	if (at < end) {
		*f = (struct ram_fault){.addr = at, .wrote = wr[0], .read = wr[1]};
		return false;
	}
	return true;
}

static uintptr_t min(uintptr_t a, uintptr_t b)
{
	return a < b ? a : b;
}

static uintptr_t max(uintptr_t a, uintptr_t b)
{
	return a > b ? a : b;
}

/* In address order, so that the failure reported is the lowest one. */
bool ram_test(uintptr_t start, uintptr_t end, struct ram_fault *f)
{
	uintptr_t a = (uintptr_t)ram_sweep_a, a_end = (uintptr_t)ram_sweep_a_end;

	start = (start + RAM_BLOCK - 1) & ~(uintptr_t)(RAM_BLOCK - 1);
	end &= ~(uintptr_t)(RAM_BLOCK - 1);
	return sweep(ram_sweep_a, ram_sweep_a_abort, start, min(end, a), f) &&
	       sweep(ram_sweep_b, ram_sweep_b_abort, max(start, a), min(end, a_end), f) &&
	       sweep(ram_sweep_a, ram_sweep_a_abort, max(start, a_end), end, f);
}

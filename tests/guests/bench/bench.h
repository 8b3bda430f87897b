/* SPDX-License-Identifier: MIT */
/*
 * The measured kernels of the bench guest (kernels.S). Each returns a
 * difference of two CNTVCT_EL0 reads: under QEMU -icount shift=0 an
 * instruction count. See kernels.S for what each brackets.
 */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#include <stdint.h>

/* Shared with a CPU running bench_irq_server; offsets fixed in kernels.S. */
struct bench_mbox {
	volatile uint64_t seq;	 /* bumped after each interrupt */
	volatile uint64_t t;	 /* the handler's first counter read */
	volatile uint64_t intid; /* what it acknowledged */
	volatile uint64_t stop;	 /* set: return after the next interrupt */
};

_Static_assert(sizeof(struct bench_mbox) == 32, "kernels.S knows the layout");

uint64_t bench_empty(void);
uint64_t bench_hvc(uint64_t fn);
uint64_t bench_smc(uint64_t fn);
uint64_t bench_read32(uintptr_t addr);
uint64_t bench_write32(uintptr_t addr, uint32_t value);
uint64_t bench_id_read(void);
uint64_t bench_actlr_read(void);
uint64_t bench_vtimer(uint64_t ticks);
uint64_t bench_wfi(uint64_t ticks);
uint64_t bench_sgi_sysreg(uint64_t sgi1r);
uint64_t bench_sgi_mmio(uintptr_t gicd_sgir, uint32_t value);
uint64_t bench_sgi_other_sysreg(uint64_t sgi1r, struct bench_mbox *m);
uint64_t bench_sgi_other_mmio(uintptr_t gicd_sgir, uint32_t value, struct bench_mbox *m);
void bench_irq_server(struct bench_mbox *m);
uint64_t bench_walk(uintptr_t base, uint64_t pages);

extern char bench_vectors[];
extern volatile uint64_t bench_sync_count, bench_sync_esr;
extern volatile uint64_t bench_gicc, bench_irq_intid, bench_irq_seen;

#endif

/* SPDX-License-Identifier: MIT */
/* Tessera's own EL2 stage-1 address space: an identity map, built at boot. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

/* Map the image (text RX, rodata RO, data RW) and the DTB; turn the MMU on. */
int mmu_init(uint64_t dtb, uint64_t dtb_size);
int mmu_map_device(uint64_t pa, uint64_t size);
int mmu_map_normal(uint64_t pa, uint64_t size);
const char *mmu_error_name(int err);
void arch_mmu_enable(uint64_t ttbr0, uint64_t tcr);

#endif

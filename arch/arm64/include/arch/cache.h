/* SPDX-License-Identifier: MIT */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <stdint.h>

/* Clean [va, va+size) to the point of coherency (for readers with MMU off). */
void dcache_clean_poc(const void *va, uint64_t size);
/* Clean and invalidate [va, va+size) to the point of coherency. */
void dcache_clean_inval_poc(const void *va, uint64_t size);

#endif

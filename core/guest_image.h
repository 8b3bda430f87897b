/* SPDX-License-Identifier: MIT */
/*
 * Where a VM's kernel, initrd and DTB go in its RAM, per the Linux arm64
 * boot protocol (Documentation/arch/arm64/booting.rst): the Image at a
 * 2 MiB-aligned base + text_offset, the DTB 8-byte aligned within 2 MiB.
 */
#ifndef CORE_GUEST_IMAGE_H
#define CORE_GUEST_IMAGE_H

#include <stdint.h>

#include "core/config.h"

#define ARM64_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */
#define GUEST_DTB_MAX	  (2ull << 20)
/* image_size 0: a kernel older than 3.17, loaded at the old fixed offset. */
#define ARM64_LEGACY_TEXT_OFFSET 0x80000

struct guest_plan {
	uint64_t kernel_ipa;  /* entry point */
	uint64_t kernel_size; /* memory the Image claims (BSS included) */
	uint64_t initrd_ipa;
	uint64_t initrd_size;
	uint64_t dtb_ipa; /* top 2 MiB of RAM */
};

/* 0, or -1 with err naming the VM and the property that does not fit. */
int guest_plan_images(const struct vm_config *vm, struct guest_plan *p, struct config_error *err);

#endif

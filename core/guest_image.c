/* SPDX-License-Identifier: MIT */
#include "core/guest_image.h"

#define IPA_LIMIT (1ull << 48)

/* The fields of the 64-byte arm64 Image header that placement needs. */
struct image_header {
	uint64_t text_offset;
	uint64_t image_size;
	uint32_t magic;
};

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int read_header(const struct blob *k, struct image_header *h)
{
	const uint8_t *p = k->data;

	if (k->size < 64)
		return -1;
	h->text_offset = le64(p + 8);
	h->image_size = le64(p + 16);
	h->magic = (uint32_t)le64(p + 56);
	return h->magic == ARM64_IMAGE_MAGIC ? 0 : -1;
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

int guest_plan_images(const struct vm_config *vm, struct guest_plan *p, struct config_error *err)
{
	uint64_t ram_end = vm->mem.base + vm->mem.size;
	struct image_header h;

	if (read_header(&vm->kernel, &h) < 0)
		return config_vm_fail(err, vm->label, "kernel",
				      "not an arm64 Image (no \"ARM\\x64\" magic)");
	if (h.image_size == 0) {
		h.text_offset = ARM64_LEGACY_TEXT_OFFSET;
		h.image_size = vm->kernel.size;
	}
	if (h.image_size < vm->kernel.size)
		h.image_size = vm->kernel.size;
	/* Header fields come from the image: bound them before any arithmetic
	 * (a huge text_offset wrapped the kernel to below the VM's RAM). */
	if (h.text_offset >= vm->mem.size || h.image_size >= IPA_LIMIT)
		return config_vm_fail(
			err, vm->label, "kernel",
			"text_offset 0x%lx or image_size 0x%lx beyond any address space",
			(unsigned long)h.text_offset, (unsigned long)h.image_size);
	p->kernel_ipa = vm->mem.base + h.text_offset;
	p->kernel_size = h.image_size;
	p->dtb_ipa = ram_end - GUEST_DTB_MAX;
	p->initrd_size = vm->initrd.size;
	/* Check before subtracting: a huge initrd must not wrap below IPA 0. */
	if (vm->mem.size < GUEST_DTB_MAX || vm->initrd.size > p->dtb_ipa - vm->mem.base ||
	    (p->initrd_ipa = align_down(p->dtb_ipa - vm->initrd.size, 0x1000),
	     p->kernel_ipa > p->initrd_ipa || p->kernel_size > p->initrd_ipa - p->kernel_ipa))
		return config_vm_fail(
			err, vm->label, "memory",
			"0x%lx bytes cannot hold the kernel (0x%lx at +0x%lx), initrd "
			"(0x%lx) and DTB (0x%lx)",
			(unsigned long)vm->mem.size, (unsigned long)h.image_size,
			(unsigned long)h.text_offset, (unsigned long)vm->initrd.size,
			(unsigned long)GUEST_DTB_MAX);
	return 0;
}

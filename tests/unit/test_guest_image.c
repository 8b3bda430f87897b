/* SPDX-License-Identifier: MIT */
/*
 * Placement of a VM's kernel, initrd and DTB in its RAM, from a synthetic
 * arm64 Image header (Linux Documentation/arch/arm64/booting.rst):
 *
 *   u32 code0; u32 code1; u64 text_offset (8); u64 image_size (16); u64 flags (24);
 *   u64 res2, res3, res4; u32 magic (56) = "ARM\x64"; u32 res5
 *
 * All fields little-endian.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/guest_image.h"

#define MiB (1ull << 20)

static uint8_t image[4096];
static uint8_t initrd[64];

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* An Image header with the given fields; the blob claims `size` bytes. */
static struct blob kernel(uint64_t text_offset, uint64_t image_size)
{
	memset(image, 0, sizeof(image));
	put_le(image + 0, 0x91005a4d, 4); /* code0: "MZ" + add x13, x18, #0x16 */
	put_le(image + 4, 0x14000000, 4); /* code1: b stext */
	put_le(image + 8, text_offset, 8);
	put_le(image + 16, image_size, 8);
	put_le(image + 24, 0xa, 8); /* flags: LE, 4K pages, anywhere */
	memcpy(image + 56, "ARM\x64", 4);
	memcpy(image + 60, "PE\0\0", 4);
	return (struct blob){.data = image, .size = sizeof(image)};
}

static struct vm_config vm(uint64_t base, uint64_t size, struct blob k, uint64_t initrd_size)
{
	struct vm_config v = {
		.mem = {.base = base, .size = size},
		.kernel = k,
		.initrd = {.data = initrd_size ? initrd : NULL, .size = initrd_size},
	};

	snprintf(v.label, sizeof(v.label), "linux0");
	return v;
}

static struct guest_plan plan_ok(const struct vm_config *v)
{
	struct guest_plan p;
	struct config_error err = {0};

	memset(&p, 0xa5, sizeof(p));
	if (guest_plan_images(v, &p, &err))
		fail_msg("unexpected error: %s", err.msg);
	return p;
}

static void expect_error(const struct vm_config *v, const char *msg)
{
	struct guest_plan p;
	struct config_error err = {0};

	if (guest_plan_images(v, &p, &err) != -1)
		fail_msg("no error; plan: kernel 0x%llx+0x%llx, initrd 0x%llx+0x%llx, dtb 0x%llx",
			 (unsigned long long)p.kernel_ipa, (unsigned long long)p.kernel_size,
			 (unsigned long long)p.initrd_ipa, (unsigned long long)p.initrd_size,
			 (unsigned long long)p.dtb_ipa);
	assert_string_equal(err.msg, msg);
}

static void modern_image_with_initrd(void **state)
{
	struct vm_config v = vm(0x40000000, 256 * MiB, kernel(0, 0x1a00000), 0x123456);
	struct guest_plan p = plan_ok(&v);

	(void)state;
	assert_int_equal(p.kernel_ipa, 0x40000000);
	assert_int_equal(p.kernel_size, 0x1a00000);
	/* The top 2 MiB of RAM: 0x50000000 - 0x200000. */
	assert_int_equal(p.dtb_ipa, 0x4fe00000);
	/* 0x4fe00000 - 0x123456 = 0x4fcdcbaa, down to 4 KiB. */
	assert_int_equal(p.initrd_ipa, 0x4fcdc000);
	assert_int_equal(p.initrd_size, 0x123456);
}

static void text_offset_added_to_ram_base(void **state)
{
	struct vm_config v = vm(0x80000000, 128 * MiB, kernel(0x80000, 0x1000000), 0);
	struct guest_plan p = plan_ok(&v);

	(void)state;
	assert_int_equal(p.kernel_ipa, 0x80080000);
	assert_int_equal(p.kernel_size, 0x1000000);
	assert_int_equal(p.dtb_ipa, 0x87e00000);
}

static void no_initrd(void **state)
{
	struct vm_config v = vm(0x40000000, 64 * MiB, kernel(0, 0x800000), 0);
	struct guest_plan p = plan_ok(&v);

	(void)state;
	assert_int_equal(p.initrd_size, 0);
	assert_int_equal(p.initrd_ipa, 0x43e00000);
	assert_int_equal(p.dtb_ipa, 0x43e00000);
	assert_int_equal(p.kernel_ipa, 0x40000000);
}

static void initrd_already_aligned(void **state)
{
	struct vm_config v = vm(0x40000000, 64 * MiB, kernel(0, 0x800000), 0x400000);
	struct guest_plan p = plan_ok(&v);

	(void)state;
	/* Ends exactly at the DTB. */
	assert_int_equal(p.initrd_ipa, 0x43a00000);
	assert_int_equal(p.initrd_ipa + p.initrd_size, p.dtb_ipa);
}

/* image_size 0: before Linux 3.17, text_offset is 0x80000 whatever the field says. */
static void legacy_image(void **state)
{
	struct vm_config v = vm(0x40000000, 64 * MiB, kernel(0x0000080000000000ull, 0), 0x1000);
	struct guest_plan p = plan_ok(&v);

	(void)state;
	assert_int_equal(p.kernel_ipa, 0x40080000);
	/* The footprint is then the file size. */
	assert_int_equal(p.kernel_size, sizeof(image));
	assert_int_equal(p.dtb_ipa, 0x43e00000);
	assert_int_equal(p.initrd_ipa, 0x43dff000);
}

/* An image_size smaller than the file itself: the file wins. */
static void image_size_below_file_size(void **state)
{
	struct vm_config v = vm(0x40000000, 64 * MiB, kernel(0, 0x100), 0);
	struct guest_plan p = plan_ok(&v);

	(void)state;
	assert_int_equal(p.kernel_size, sizeof(image));
	assert_int_equal(p.kernel_ipa, 0x40000000);
}

/* The kernel may end exactly where the initrd starts; one page more does not fit. */
static void tight_fit_and_one_page_over(void **state)
{
	struct vm_config v = vm(0x40000000, 8 * MiB, kernel(0, 0x400000), 0x200000);
	struct guest_plan p = plan_ok(&v);

	(void)state;
	assert_int_equal(p.dtb_ipa, 0x40600000);
	assert_int_equal(p.initrd_ipa, 0x40400000);
	assert_int_equal(p.kernel_ipa + p.kernel_size, p.initrd_ipa);

	v = vm(0x40000000, 8 * MiB, kernel(0, 0x401000), 0x200000);
	expect_error(&v, "config: vm \"linux0\": memory: 0x800000 bytes cannot hold the kernel "
			 "(0x401000 at +0x0), initrd (0x200000) and DTB (0x200000)");
}

static void bad_magic(void **state)
{
	struct vm_config v = vm(0x40000000, 64 * MiB, kernel(0, 0x800000), 0);

	(void)state;
	image[56] = 'a'; /* "arm\x64" */
	expect_error(&v,
		     "config: vm \"linux0\": kernel: not an arm64 Image (no \"ARM\\x64\" magic)");
	/* The magic at the wrong place (a big-endian write of it). */
	v = vm(0x40000000, 64 * MiB, kernel(0, 0x800000), 0);
	put_le(image + 56, 0x41524d64, 4);
	expect_error(&v,
		     "config: vm \"linux0\": kernel: not an arm64 Image (no \"ARM\\x64\" magic)");
	/* A zImage or anything else without a header. */
	memset(image, 0, sizeof(image));
	expect_error(&v,
		     "config: vm \"linux0\": kernel: not an arm64 Image (no \"ARM\\x64\" magic)");
}

static void kernel_shorter_than_header(void **state)
{
	struct vm_config v = vm(0x40000000, 64 * MiB, kernel(0, 0x800000), 0);

	(void)state;
	/* A valid header, but the blob is only 63 bytes long. */
	v.kernel.size = 63;
	expect_error(&v,
		     "config: vm \"linux0\": kernel: not an arm64 Image (no \"ARM\\x64\" magic)");
	v.kernel.size = 64;
	assert_int_equal(plan_ok(&v).kernel_size, 0x800000);
}

static void ram_too_small(void **state)
{
	struct vm_config v = vm(0x40000000, 16 * MiB, kernel(0x80000, 0x1a00000), 0x123456);

	(void)state;
	expect_error(&v, "config: vm \"linux0\": memory: 0x1000000 bytes cannot hold the kernel "
			 "(0x1a00000 at +0x80000), initrd (0x123456) and DTB (0x200000)");
	/* The kernel alone would fit, not with the DTB on top. */
	v = vm(0x40000000, 4 * MiB, kernel(0, 0x300000), 0);
	expect_error(&v, "config: vm \"linux0\": memory: 0x400000 bytes cannot hold the kernel "
			 "(0x300000 at +0x0), initrd (0x0) and DTB (0x200000)");
	/* Less RAM than the DTB slot itself. */
	v = vm(0x40000000, 1 * MiB, kernel(0, 0x1000), 0);
	expect_error(&v, "config: vm \"linux0\": memory: 0x100000 bytes cannot hold the kernel "
			 "(0x1000 at +0x0), initrd (0x0) and DTB (0x200000)");
}

/* An initrd that would start below RAM. */
static void initrd_below_ram(void **state)
{
	struct vm_config v = vm(0x40000000, 4 * MiB, kernel(0, 0x1000), 0x300000);

	(void)state;
	expect_error(&v, "config: vm \"linux0\": memory: 0x400000 bytes cannot hold the kernel "
			 "(0x1000 at +0x0), initrd (0x300000) and DTB (0x200000)");
}

/*
 * The same, with RAM at IPA 0: dtb_ipa - initrd size must not wrap around
 * 2^64 and slip past the "initrd below RAM" check. config_parse accepts this VM
 * (kernel 1 MiB + initrd 63 MiB <= 64 MiB), so only guest_plan_images can refuse it.
 */
static void initrd_wrapping_below_ipa0_rejected(void **state)
{
	struct vm_config v = vm(0, 64 * MiB, kernel(0, 0x100000), 63 * MiB);

	(void)state;
	expect_error(&v, "config: vm \"linux0\": memory: 0x4000000 bytes cannot hold the kernel "
			 "(0x100000 at +0x0), initrd (0x3f00000) and DTB (0x200000)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(modern_image_with_initrd),
		cmocka_unit_test(text_offset_added_to_ram_base),
		cmocka_unit_test(no_initrd),
		cmocka_unit_test(initrd_already_aligned),
		cmocka_unit_test(legacy_image),
		cmocka_unit_test(image_size_below_file_size),
		cmocka_unit_test(tight_fit_and_one_page_over),
		cmocka_unit_test(bad_magic),
		cmocka_unit_test(kernel_shorter_than_header),
		cmocka_unit_test(ram_too_small),
		cmocka_unit_test(initrd_below_ram),
		cmocka_unit_test(initrd_wrapping_below_ipa0_rejected),
	};

	return cmocka_run_group_tests_name("guest_image", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 data abort decoding and register write-back. Syndromes are built
 * here from the raw ESR_EL2 field positions of the Arm ARM (ISS encoding for
 * an exception from a Data Abort), not from core/esr.h, so a wrong constant
 * there fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mmio_access.h"

#define ESR_EC_DABT_LOW (0x24ull << 26)
#define ESR_IL_BIT	(1ull << 25)
#define ISS_ISV		(1ull << 24)
#define ISS_SAS(x)	((uint64_t)(x) << 22)
#define ISS_SSE		(1ull << 21)
#define ISS_SRT(x)	((uint64_t)(x) << 16)
#define ISS_SF		(1ull << 15)
#define ISS_WNR		(1ull << 6)
#define DFSC_TRANS_L3	0x07ull /* translation fault, level 3 */

#define SAS_BYTE  0
#define SAS_HALF  1
#define SAS_WORD  2
#define SAS_DWORD 3

/*
 * HPFAR_EL2 for a page of the IPA space: IPA[47:12] lives in FIPA, bits [39:4];
 * with FEAT_LPA, bits [43:40] carry IPA[51:48].
 */
#define HPFAR(ipa) (((uint64_t)(ipa) >> 12) << 4)

#define POISON 0xdeadbeefcafef00dull

/* An A64 load or store with a valid syndrome, faulting at stage 2. */
static uint64_t dabt(unsigned sas, bool sse, unsigned srt, bool sf, bool wnr)
{
	return ESR_EC_DABT_LOW | ESR_IL_BIT | ISS_ISV | ISS_SAS(sas) | (sse ? ISS_SSE : 0) |
	       ISS_SRT(srt) | (sf ? ISS_SF : 0) | (wnr ? ISS_WNR : 0) | DFSC_TRANS_L3;
}

static void fill_regs(uint64_t regs[31])
{
	for (unsigned i = 0; i < 31; i++)
		regs[i] = POISON + i;
}

static struct mmio_access decode_ok(uint64_t esr, uint64_t hpfar, uint64_t far)
{
	struct mmio_access a;

	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(mmio_decode(esr, hpfar, far, &a), 0);
	return a;
}

/* Decode, then write val back into a poisoned register file. */
static void load(uint64_t esr, uint64_t val, uint64_t regs[31])
{
	struct mmio_access a = decode_ok(esr, HPFAR(0x9000000), 0x9000000);

	assert_false(a.write);
	fill_regs(regs);
	mmio_load_writeback(&a, regs, val);
}

/* Every register other than `reg` still holds its poison. */
static void assert_others_untouched(const uint64_t regs[31], unsigned reg)
{
	for (unsigned i = 0; i < 31; i++)
		if (i != reg)
			assert_int_equal(regs[i], POISON + i);
}

static void fault_ipa_from_hpfar_and_far(void **state)
{
	(void)state;
	/* Page from HPFAR_EL2.FIPA, offset from FAR_EL2[11:0]; FAR's VA page ignored. */
	assert_int_equal(fault_ipa(0x9000ull << 4, 0xffff800012345abcull), 0x9000abc);
	assert_int_equal(fault_ipa(0x40001ull << 4, 0x0), 0x40001000);
	assert_int_equal(fault_ipa(0, 0xfff), 0xfff);
	/* The highest 48-bit IPA: FIPA all ones in [39:4]. */
	assert_int_equal(fault_ipa(0x000000fffffffff0ull, 0xfff), 0xffffffffffffull);
	/* FEAT_LPA: bits [43:40] are IPA[51:48]. */
	assert_int_equal(fault_ipa(0x00000ffffffffff0ull, 0x123),
			 0xfffffffffffffull - 0xfff + 0x123);
	/* HPFAR_EL2.NS (bit 63) and RES0 bits [3:0] are not part of the address. */
	assert_int_equal(fault_ipa((1ull << 63) | (0x8000000ull << 4) | 0xf, 0x7ff),
			 0x8000000000ull | 0x7ff);
}

static void decode_every_size_load(void **state)
{
	static const unsigned sizes[] = {1, 2, 4, 8};

	(void)state;
	for (unsigned sas = 0; sas < 4; sas++) {
		bool sf = sas == SAS_DWORD;
		struct mmio_access a =
			decode_ok(dabt(sas, false, 7, sf, false), HPFAR(0x9000000), 0x18);

		assert_int_equal(a.ipa, 0x9000018);
		assert_int_equal(a.size, sizes[sas]);
		assert_false(a.write);
		assert_false(a.sign_extend);
		assert_int_equal(a.sf, sf);
		assert_int_equal(a.reg, 7);
		assert_int_equal(a.insn_len, 4);
	}
}

static void decode_every_size_store(void **state)
{
	static const unsigned sizes[] = {1, 2, 4, 8};

	(void)state;
	for (unsigned sas = 0; sas < 4; sas++) {
		struct mmio_access a = decode_ok(dabt(sas, false, 30, true, true), HPFAR(0x8010000),
						 0xffff000008010ffcull);

		assert_int_equal(a.ipa, 0x8010ffc);
		assert_int_equal(a.size, sizes[sas]);
		assert_true(a.write);
		assert_false(a.sign_extend);
		assert_true(a.sf);
		assert_int_equal(a.reg, 30);
		assert_int_equal(a.insn_len, 4);
	}
}

static void decode_every_register(void **state)
{
	(void)state;
	for (unsigned srt = 0; srt < 32; srt++) {
		struct mmio_access a = decode_ok(dabt(SAS_WORD, false, srt, false, false), 0, 0);

		assert_int_equal(a.reg, srt);
	}
}

static void decode_sse_and_sf(void **state)
{
	struct mmio_access a;

	(void)state;
	/* LDRSB W3: SSE, 32-bit destination */
	a = decode_ok(dabt(SAS_BYTE, true, 3, false, false), 0, 0);
	assert_true(a.sign_extend);
	assert_false(a.sf);
	/* LDRSW X3: SSE, 64-bit destination */
	a = decode_ok(dabt(SAS_WORD, true, 3, true, false), 0, 0);
	assert_true(a.sign_extend);
	assert_true(a.sf);
	assert_int_equal(a.size, 4);
}

static void decode_il0_is_16bit_insn(void **state)
{
	struct mmio_access a;

	(void)state;
	/* A 16-bit T32 load (AArch32 EL0): IL = 0 */
	a = decode_ok(dabt(SAS_WORD, false, 2, false, false) & ~ESR_IL_BIT, HPFAR(0x9000000), 0x4);
	assert_int_equal(a.insn_len, 2);
	assert_int_equal(a.ipa, 0x9000004);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.reg, 2);
}

static void decode_rejects_isv0(void **state)
{
	struct mmio_access a;

	(void)state;
	/* LDP/STP, writeback forms: ISV = 0, the rest of ISS[23:14] is RES0. */
	assert_int_equal(
		mmio_decode(ESR_EC_DABT_LOW | ESR_IL_BIT | DFSC_TRANS_L3, HPFAR(0x9000000), 0, &a),
		-1);
	assert_int_equal(mmio_decode(ESR_EC_DABT_LOW | ESR_IL_BIT | ISS_WNR | DFSC_TRANS_L3,
				     HPFAR(0x9000000), 0, &a),
			 -1);
	/* Every other syndrome field set, only ISV clear: still rejected. */
	assert_int_equal(mmio_decode(dabt(SAS_DWORD, true, 5, true, true) & ~ISS_ISV, 0, 0, &a),
			 -1);
}

/* --- loads: extension and write-back ------------------------------------ */

static void load_zero_extends_w(void **state)
{
	uint64_t regs[31];

	(void)state;
	/* LDRB W1 */
	load(dabt(SAS_BYTE, false, 1, false, false), 0xff, regs);
	assert_int_equal(regs[1], 0xff);
	assert_others_untouched(regs, 1);
	/* LDRH W1 */
	load(dabt(SAS_HALF, false, 1, false, false), 0x8001, regs);
	assert_int_equal(regs[1], 0x8001);
	/* LDR W1: the whole upper half of X1 is cleared */
	load(dabt(SAS_WORD, false, 1, false, false), 0xffffffff, regs);
	assert_int_equal(regs[1], 0x00000000ffffffffull);
	assert_others_untouched(regs, 1);
}

static void load_x_full_width(void **state)
{
	uint64_t regs[31];

	(void)state;
	/* LDR X9 */
	load(dabt(SAS_DWORD, false, 9, true, false), 0x0123456789abcdefull, regs);
	assert_int_equal(regs[9], 0x0123456789abcdefull);
	load(dabt(SAS_DWORD, false, 9, true, false), 0xffffffffffffffffull, regs);
	assert_int_equal(regs[9], 0xffffffffffffffffull);
	assert_others_untouched(regs, 9);
}

static void load_sign_extends_to_w(void **state)
{
	uint64_t regs[31];

	(void)state;
	/* LDRSB W2: sign-extended to 32 bits, bits [63:32] cleared */
	load(dabt(SAS_BYTE, true, 2, false, false), 0x80, regs);
	assert_int_equal(regs[2], 0x00000000ffffff80ull);
	load(dabt(SAS_BYTE, true, 2, false, false), 0x7f, regs);
	assert_int_equal(regs[2], 0x7f);
	/* LDRSH W2 */
	load(dabt(SAS_HALF, true, 2, false, false), 0x8000, regs);
	assert_int_equal(regs[2], 0x00000000ffff8000ull);
	load(dabt(SAS_HALF, true, 2, false, false), 0x7fff, regs);
	assert_int_equal(regs[2], 0x7fff);
	assert_others_untouched(regs, 2);
}

static void load_sign_extends_to_x(void **state)
{
	uint64_t regs[31];

	(void)state;
	/* LDRSB X4 */
	load(dabt(SAS_BYTE, true, 4, true, false), 0xfe, regs);
	assert_int_equal(regs[4], 0xfffffffffffffffeull);
	/* LDRSH X4 */
	load(dabt(SAS_HALF, true, 4, true, false), 0x8765, regs);
	assert_int_equal(regs[4], 0xffffffffffff8765ull);
	/* LDRSW X4 */
	load(dabt(SAS_WORD, true, 4, true, false), 0x80000000, regs);
	assert_int_equal(regs[4], 0xffffffff80000000ull);
	load(dabt(SAS_WORD, true, 4, true, false), 0x7fffffff, regs);
	assert_int_equal(regs[4], 0x7fffffff);
	assert_others_untouched(regs, 4);
}

/* A device model returning more bits than the access size: only `size` bytes count. */
static void load_truncates_device_value(void **state)
{
	uint64_t regs[31];

	(void)state;
	load(dabt(SAS_BYTE, false, 0, false, false), 0xffffff34, regs);
	assert_int_equal(regs[0], 0x34);
	load(dabt(SAS_HALF, false, 0, true, false), 0x123456789abcull, regs);
	assert_int_equal(regs[0], 0x9abc);
	load(dabt(SAS_WORD, false, 0, true, false), 0xffffffff00000001ull, regs);
	assert_int_equal(regs[0], 1);
	/* The sign comes from bit 15 of the access, not from the junk above it. */
	load(dabt(SAS_HALF, true, 0, true, false), 0x00000000ffff7000ull, regs);
	assert_int_equal(regs[0], 0x7000);
	load(dabt(SAS_HALF, true, 0, false, false), 0x0000000000018000ull, regs);
	assert_int_equal(regs[0], 0xffff8000);
	assert_others_untouched(regs, 0);
}

static void load_to_xzr_discarded(void **state)
{
	uint64_t regs[31];

	(void)state;
	for (unsigned sas = 0; sas < 4; sas++) {
		load(dabt(sas, false, REG_XZR, sas == SAS_DWORD, false), 0x1122334455667788ull,
		     regs);
		assert_others_untouched(regs, 99);
		load(dabt(sas, true, REG_XZR, true, false), 0xffffffffffffffffull, regs);
		assert_others_untouched(regs, 99);
	}
}

static void load_to_x30(void **state)
{
	uint64_t regs[31];

	(void)state;
	load(dabt(SAS_DWORD, false, 30, true, false), 0xfedcba9876543210ull, regs);
	assert_int_equal(regs[30], 0xfedcba9876543210ull);
	assert_others_untouched(regs, 30);
}

/* --- stores -------------------------------------------------------------- */

static void store_truncates_to_size(void **state)
{
	uint64_t regs[31];
	struct mmio_access a;

	(void)state;
	fill_regs(regs);
	regs[6] = 0x1122334455667788ull;
	/* STRB W6, STRH W6, STR W6, STR X6 */
	a = decode_ok(dabt(SAS_BYTE, false, 6, false, true), HPFAR(0x9000000), 0);
	assert_true(a.write);
	assert_int_equal(mmio_store_value(&a, regs), 0x88);
	a = decode_ok(dabt(SAS_HALF, false, 6, false, true), HPFAR(0x9000000), 0);
	assert_int_equal(mmio_store_value(&a, regs), 0x7788);
	a = decode_ok(dabt(SAS_WORD, false, 6, false, true), HPFAR(0x9000000), 0);
	assert_int_equal(mmio_store_value(&a, regs), 0x55667788);
	a = decode_ok(dabt(SAS_DWORD, false, 6, true, true), HPFAR(0x9000000), 0);
	assert_int_equal(mmio_store_value(&a, regs), 0x1122334455667788ull);
	/* A store never changes the register file. */
	assert_int_equal(regs[6], 0x1122334455667788ull);
	assert_others_untouched(regs, 6);
}

static void store_from_xzr_is_zero(void **state)
{
	uint64_t regs[31];

	(void)state;
	fill_regs(regs);
	for (unsigned sas = 0; sas < 4; sas++) {
		struct mmio_access a = decode_ok(dabt(sas, false, REG_XZR, sas == SAS_DWORD, true),
						 HPFAR(0x9000000), 0);

		assert_int_equal(a.reg, 31);
		assert_int_equal(mmio_store_value(&a, regs), 0);
	}
}

static void store_from_x0_and_x30(void **state)
{
	uint64_t regs[31];
	struct mmio_access a;

	(void)state;
	fill_regs(regs);
	regs[0] = 0xa1;
	regs[30] = 0x8000000000000001ull;
	a = decode_ok(dabt(SAS_BYTE, false, 0, false, true), 0, 0);
	assert_int_equal(mmio_store_value(&a, regs), 0xa1);
	a = decode_ok(dabt(SAS_DWORD, false, 30, true, true), 0, 0);
	assert_int_equal(mmio_store_value(&a, regs), 0x8000000000000001ull);
	a = decode_ok(dabt(SAS_WORD, false, 30, false, true), 0, 0);
	assert_int_equal(mmio_store_value(&a, regs), 1);
}

/* A big-endian guest's access sees the little-endian device register swapped. */
static void big_endian_store_and_load(void **state)
{
	uint64_t regs[31] = {0};
	struct mmio_access a = {.size = 4, .reg = 2, .sf = false, .big_endian = true};

	(void)state;
	regs[2] = 0x11223344;
	assert_int_equal(mmio_store_value(&a, regs), 0x44332211);
	mmio_load_writeback(&a, regs, 0x2f004800);
	assert_int_equal(regs[2], 0x0048002f);
	a.size = 2;
	mmio_load_writeback(&a, regs, 0xa0ff);
	assert_int_equal(regs[2], 0xffa0);
	a.size = 1; /* bytes have no order */
	mmio_load_writeback(&a, regs, 0x5a);
	assert_int_equal(regs[2], 0x5a);
	a.size = 8;
	a.sf = true;
	regs[2] = 0x0102030405060708ull;
	assert_int_equal(mmio_store_value(&a, regs), 0x0807060504030201ull);
}

/* Sign extension applies to the value as the guest sees it, after the swap. */
static void big_endian_sign_extends_after_swap(void **state)
{
	uint64_t regs[31] = {0};
	struct mmio_access a = {
		.size = 2, .reg = 0, .sf = true, .sign_extend = true, .big_endian = true};

	(void)state;
	mmio_load_writeback(&a, regs, 0x0080); /* device 0x0080 -> guest 0x8000 */
	assert_int_equal(regs[0], 0xffffffffffff8000ull);
}

static void endianness_per_exception_level(void **state)
{
	(void)state;
	/* EL1h: SCTLR_EL1.EE (bit 25); EL0t: E0E (bit 24); AArch32 EL0: CPSR.E (bit 9). */
	assert_false(guest_big_endian(0x3c5, 0));
	assert_true(guest_big_endian(0x3c5, 1ull << 25));
	assert_false(guest_big_endian(0x3c5, 1ull << 24));
	assert_true(guest_big_endian(0x0, 1ull << 24));
	assert_false(guest_big_endian(0x0, 1ull << 25));
	assert_true(guest_big_endian(0x10 | (1ull << 9), 0));
	assert_false(guest_big_endian(0x10, (1ull << 25) | (1ull << 24)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(big_endian_store_and_load),
		cmocka_unit_test(big_endian_sign_extends_after_swap),
		cmocka_unit_test(endianness_per_exception_level),
		cmocka_unit_test(fault_ipa_from_hpfar_and_far),
		cmocka_unit_test(decode_every_size_load),
		cmocka_unit_test(decode_every_size_store),
		cmocka_unit_test(decode_every_register),
		cmocka_unit_test(decode_sse_and_sf),
		cmocka_unit_test(decode_il0_is_16bit_insn),
		cmocka_unit_test(decode_rejects_isv0),
		cmocka_unit_test(load_zero_extends_w),
		cmocka_unit_test(load_x_full_width),
		cmocka_unit_test(load_sign_extends_to_w),
		cmocka_unit_test(load_sign_extends_to_x),
		cmocka_unit_test(load_truncates_device_value),
		cmocka_unit_test(load_to_xzr_discarded),
		cmocka_unit_test(load_to_x30),
		cmocka_unit_test(store_truncates_to_size),
		cmocka_unit_test(store_from_xzr_is_zero),
		cmocka_unit_test(store_from_x0_and_x30),
	};

	return cmocka_run_group_tests_name("mmio_access", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * The stage-2 data abort decoder (core/mmio_access.c) with arbitrary
 * ESR_EL2, HPFAR_EL2 and FAR_EL2, then the store value and the load
 * write-back on a register file, checked against a model written from the
 * Arm ARM (ISS encoding for a data abort, D19.2) rather than from the code.
 *
 * Input: esr (8 bytes LE), hpfar (8), far (8), the loaded value (8), then
 * up to 31 register values (missing bytes read as zero).
 */
#include <stdint.h>
#include <string.h>

#include "core/mmio_access.h"
#include "tests/fuzz/fuzz.h"

static uint64_t low_bytes(uint64_t v, unsigned size)
{
	return size >= 8 ? v : v & ((1ull << (size * 8)) - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader in = {data, size};
	uint64_t esr = rd_u64(&in), hpfar = rd_u64(&in), far = rd_u64(&in), val = rd_u64(&in);
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);
	uint64_t regs[31], before[31], want;
	struct mmio_access a;
	unsigned bits;
	int ret;

	for (unsigned i = 0; i < 31; i++)
		regs[i] = rd_u64(&in);
	memset(&a, 0xa5, sizeof(a));
	ret = mmio_decode(esr, hpfar, far, &a);

	/* ISV (ISS bit 24) clear: the syndrome describes no single register access. */
	if (!(iss & (1u << 24))) {
		CHECK(ret == -1);
		return 0;
	}
	CHECK(ret == 0);
	/* HPFAR_EL2.FIPA [43:4] holds IPA[51:12]; FAR gives the page offset. */
	CHECK(a.ipa == ((((hpfar >> 4) & 0xffffffffffull) << 12) | (far & 0xfff)));
	CHECK(a.ipa == fault_ipa(hpfar, far));
	CHECK(a.size == 1u << ((iss >> 22) & 3));			/* SAS */
	CHECK(a.sign_extend == !!(iss & (1u << 21)));			/* SSE */
	CHECK(a.reg == ((iss >> 16) & 0x1f));				/* SRT */
	CHECK(a.sf == !!(iss & (1u << 15)));				/* SF */
	CHECK(a.write == !!(iss & (1u << 6)));				/* WnR */
	CHECK(a.insn_len == ((esr & (1ull << 25)) ? 4u : 2u));	/* IL */

	/* A store writes the low `size` bytes of Xt; XZR stores zero. */
	want = a.reg == 31 ? 0 : low_bytes(regs[a.reg], a.size);
	CHECK(mmio_store_value(&a, regs) == want);

	/*
	 * A load: the low `size` bytes, sign- or zero-extended to 64 bits,
	 * then truncated to 32 bits for a W register. Only Xt changes, and
	 * nothing for XZR.
	 */
	bits = a.size * 8;
	want = low_bytes(val, a.size);
	if (a.sign_extend && bits < 64 && (want >> (bits - 1)) & 1)
		want |= ~0ull << bits;
	if (!a.sf)
		want &= 0xffffffffull;
	memcpy(before, regs, sizeof(regs));
	mmio_load_writeback(&a, regs, val);
	for (unsigned i = 0; i < 31; i++)
		CHECK(regs[i] == (i == a.reg ? want : before[i]));

	/* A store of what a zero-extending 64-bit load left reads it back. */
	if (a.reg != 31 && !a.sign_extend && a.sf)
		CHECK(mmio_store_value(&a, regs) == low_bytes(val, a.size));
	return 0;
}

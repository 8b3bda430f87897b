/* SPDX-License-Identifier: MIT */
/*
 * A guest's load or store to an emulated (unmapped) IPA, decoded from the
 * stage-2 data abort syndrome, and the register write-back it implies.
 */
#ifndef CORE_MMIO_ACCESS_H
#define CORE_MMIO_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#define REG_XZR 31

struct mmio_access {
	uint64_t ipa;
	unsigned size; /* bytes: 1, 2, 4 or 8 */
	bool write;
	bool sign_extend;  /* SSE: loads sign-extend to the register width */
	bool sf;	   /* the register is 64-bit (Xn) rather than 32-bit (Wn) */
	unsigned reg;	   /* 0..30, or 31 for XZR/WZR */
	unsigned insn_len; /* 4 (A64), or 2 for a 16-bit T32 instruction */
	bool big_endian;   /* the guest's data endianness at that EL (set by the caller) */
};

/* Data endianness of the faulting access: SCTLR_EL1.EE for EL1, E0E for
 * AArch64 EL0, CPSR.E for AArch32 EL0 (pstate is SPSR_EL2). */
bool guest_big_endian(uint64_t pstate, uint64_t sctlr_el1);

/* The faulting IPA of a stage-2 abort: page from HPFAR_EL2, offset from FAR_EL2. */
uint64_t fault_ipa(uint64_t hpfar, uint64_t far);

/*
 * Decode ESR_EL2 for a data abort. ipa comes from HPFAR_EL2 (page) and
 * FAR_EL2 (offset). Returns -1 when the syndrome is not valid (ISV = 0:
 * e.g. load/store pair or writeback forms), which Tessera cannot emulate.
 */
int mmio_decode(uint64_t esr, uint64_t hpfar, uint64_t far, struct mmio_access *a);

/* The value a store writes: the low `size` bytes of the source register. */
uint64_t mmio_store_value(const struct mmio_access *a, const uint64_t regs[31]);

/* Write a load's result back to the register, extended as the insn says. */
void mmio_load_writeback(const struct mmio_access *a, uint64_t regs[31], uint64_t val);

#endif

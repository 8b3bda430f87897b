/* SPDX-License-Identifier: MIT */
/*
 * Its own EL0, AArch64 and AArch32 (A32, T32): what it reaches from there
 * goes through the same stage 2, and what the hypervisor emulates or
 * injects must come back to EL1 the way the architecture says for an
 * exception from a lower EL: the right vector, syndrome and return address.
 */
#include "hostile.h"

#define GICD_TYPER  0x0004
#define VEC_A64	    0x400
#define VEC_A32	    0x600
#define EC_SVC32    0x11
#define EC_SVC64    0x15
#define EC_DABT_LOW 0x24
/* SPSR: DAIF masked; AArch32 User (M = 0x10), T32 (T), big-endian data (E) */
#define SPSR_EL0T   0x3c0ul
#define SPSR_USR32  0x1d0ul
#define SPSR_T	    (1ul << 5)
#define SPSR_E	    (1ul << 9)
#define ID_PFR0_EL0 0 /* ID_AA64PFR0_EL1.EL0: 2 = AArch32 too */

struct el0_run {
	uint64_t x[4];
	uint64_t pc, spsr, sp;
	uint64_t esr, far, elr;
};

uint64_t hostile_el0_run(struct el0_run *r);
extern char el0_a64_ldr[], el0_a64_hvc[], el0_a64_smc[], el0_a32_ldr[], el0_a32_hvc[],
	el0_t32_ldr[];

static uint64_t el0_stack[64] __attribute__((aligned(16)));

static uint64_t run(struct el0_run *r, const char *pc, uint64_t spsr, uint64_t x1)
{
	*r = (struct el0_run){.x = {0x5a5a, x1, 0, 0},
			      .pc = (uint64_t)pc,
			      .spsr = spsr,
			      .sp = (uint64_t)(el0_stack + 64)};
	return hostile_el0_run(r);
}

static bool abort_from_el0(const struct el0_run *r, uint64_t vec, uint64_t want_vec, uint64_t addr,
			   const char *pc)
{
	return vec == want_vec && ESR_EC(r->esr) == EC_DABT_LOW && ESR_DFSC(r->esr) == DFSC_SEA &&
	       r->far == addr && r->elr == (uint64_t)pc;
}

static void check_a64(void)
{
	struct el0_run r, h, s;
	uint64_t v = run(&r, el0_a64_ldr, SPSR_EL0T, hargs.neighbour_base), vh, vs;

	if (abort_from_el0(&r, v, VEC_A64, hargs.neighbour_base, el0_a64_ldr))
		test_pass("el0: AArch64 EL0 read of neighbour RAM: data abort from the lower EL "
			  "(EC 0x24) at its vector");
	else
		test_fail("el0: AArch64 EL0 read of neighbour RAM: vector 0x%lx ESR 0x%lx FAR "
			  "0x%lx ELR 0x%lx",
			  v, r.esr, r.far, r.elr);

	vh = run(&h, el0_a64_hvc, SPSR_EL0T, 0);
	vs = run(&s, el0_a64_smc, SPSR_EL0T, 0);
	if (vh == VEC_A64 && ESR_EC(h.esr) == EC_UNKNOWN && h.elr == (uint64_t)el0_a64_hvc &&
	    vs == VEC_A64 && ESR_EC(s.esr) == EC_UNKNOWN && s.elr == (uint64_t)el0_a64_smc)
		test_pass("el0: HVC and SMC at AArch64 EL0: UNDEF at EL1");
	else
		test_fail("el0: HVC at EL0: vector 0x%lx ESR 0x%lx; SMC: vector 0x%lx ESR 0x%lx",
			  vh, h.esr, vs, s.esr);
}

static void check_a32(void)
{
	uint32_t typer = mmio_read32(vm.gicd + GICD_TYPER);
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1), v;
	bool be = ((mmfr0 >> 8) & 0xf) || ((mmfr0 >> 16) & 0xf);
	struct el0_run r;

	if (((read_sysreg(id_aa64pfr0_el1) >> ID_PFR0_EL0) & 0xf) < 2) {
		test_skip("el0: AArch32 at EL0 (the CPU has none)");
		return;
	}
	v = run(&r, el0_a32_ldr, SPSR_USR32, hargs.neighbour_base);
	if (abort_from_el0(&r, v, VEC_A32, hargs.neighbour_base, el0_a32_ldr))
		test_pass("el0: A32 EL0 read of neighbour RAM: data abort at the AArch32 lower-EL "
			  "vector");
	else
		test_fail(
			"el0: A32 EL0 read of neighbour RAM: vector 0x%lx ESR 0x%lx FAR 0x%lx ELR "
			"0x%lx",
			v, r.esr, r.far, r.elr);

	v = run(&r, el0_a32_ldr, SPSR_USR32, vm.gicd + GICD_TYPER);
	if (v == VEC_A32 && ESR_EC(r.esr) == EC_SVC32 && r.elr == (uint64_t)el0_a32_ldr + 8 &&
	    (uint32_t)r.x[0] == typer)
		test_pass("el0: A32 EL0 LDR of GICD_TYPER emulated into r0, then its SVC");
	else
		test_fail(
			"el0: A32 EL0 LDR of GICD_TYPER: vector 0x%lx ESR 0x%lx ELR 0x%lx r0 0x%lx "
			"(TYPER 0x%x)",
			v, r.esr, r.elr, r.x[0], typer);

	v = run(&r, el0_t32_ldr, SPSR_USR32 | SPSR_T, vm.gicd + GICD_TYPER);
	if (v == VEC_A32 && ESR_EC(r.esr) == EC_SVC32 && r.elr == (uint64_t)el0_t32_ldr + 4 &&
	    (uint32_t)r.x[0] == typer)
		test_pass("el0: T32 EL0 16-bit LDR of GICD_TYPER emulated, PC advanced by 2");
	else
		test_fail("el0: T32 EL0 16-bit LDR of GICD_TYPER: vector 0x%lx ESR 0x%lx ELR 0x%lx "
			  "r0 0x%lx (TYPER 0x%x)",
			  v, r.esr, r.elr, r.x[0], typer);

	v = run(&r, el0_a32_hvc, SPSR_USR32, 0);
	if (v == VEC_A32 && ESR_EC(r.esr) == EC_UNKNOWN && r.elr == (uint64_t)el0_a32_hvc)
		test_pass("el0: HVC at A32 EL0: UNDEF at EL1");
	else
		test_fail("el0: HVC at A32 EL0: vector 0x%lx ESR 0x%lx ELR 0x%lx", v, r.esr, r.elr);

	if (!be) {
		test_skip("el0: big-endian EL0 MMIO (the CPU has no mixed-endian support)");
		return;
	}
	if (!hargs.be_mmio) {
		test_skip("el0: big-endian EL0 MMIO (be-mmio=0)");
		return;
	}
	v = run(&r, el0_a32_ldr, SPSR_USR32 | SPSR_E, vm.gicd + GICD_TYPER);
	if (v == VEC_A32 && ESR_EC(r.esr) == EC_SVC32 &&
	    (uint32_t)r.x[0] == __builtin_bswap32(typer))
		test_pass("el0: big-endian A32 EL0 LDR of GICD_TYPER reads it byte-reversed, as "
			  "from the device");
	else
		test_fail("el0: big-endian A32 EL0 LDR of GICD_TYPER: vector 0x%lx ESR 0x%lx r0 "
			  "0x%lx, expected 0x%x",
			  v, r.esr, r.x[0], __builtin_bswap32(typer));
}

void probe_el0(void)
{
	check_a64();
	check_a32();
}

/* SPDX-License-Identifier: MIT */
/*
 * Addresses outside the VM, the emulated UART, and MMIO accesses the
 * hypervisor cannot emulate.
 */
#include "hostile.h"

#define UARTDR	   0x00
#define UARTCR	   0x30
#define GICD_CTLR  0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR  0x0008

static void check_region(const char *what, uint64_t addr)
{
	char why[160];

	if (aborts_rw(addr, why, sizeof(why)))
		test_pass("mem: %s 0x%08lx: read and write abort", what, addr);
	else
		test_fail("mem: %s 0x%08lx: %s", what, addr, why);
}

/*
 * Its neighbour's RAM, first, middle and last word; then every foreign
 * address of the bootargs. These are the first faults of the run, and the
 * only ones the hypervisor's log shows (tests/integration: hostile).
 */
static void check_neighbour(void)
{
	uint64_t b = hargs.neighbour_base, s = hargs.neighbour_size;
	uint64_t at[3] = {b, b + s / 2, b + s - 4};
	char why[160];

	for (unsigned int i = 0; i < 3; i++) {
		if (!aborts_rw(at[i], why, sizeof(why))) {
			test_fail("mem: neighbour RAM 0x%lx-0x%lx: 0x%lx %s", b, b + s - 1, at[i],
				  why);
			return;
		}
	}
	test_pass("mem: neighbour RAM 0x%lx-0x%lx: first, middle and last word abort", b,
		  b + s - 1);
}

/* An abort of an address the CPU may refuse itself: above its PA size. */
static void check_high(const char *what, uint64_t addr)
{
	struct exc_record rec;
	uint32_t v = probe_read32(addr, &rec);
	bool sea = was_sea(&rec, addr);
	/* Stage 1 with the MMU off: an address size fault (DFSC 0-3) at EL1. */
	bool size_fault = rec.count == 1 && ESR_EC(rec.esr) == EC_DABT_CUR &&
			  ESR_DFSC(rec.esr) <= 3 && rec.far == addr;

	if (sea || size_fault)
		test_pass("mem: %s 0x%lx: read aborts", what, addr);
	else if (!rec.count)
		test_fail("mem: %s 0x%lx: no abort, read 0x%08x", what, addr, v);
	else
		test_fail("mem: %s 0x%lx: %s", what, addr, exc_text(&rec));
}

void probe_memory(void)
{
	check_neighbour();
	for (unsigned int i = 0; i < hargs.nforeign; i++)
		check_region(hargs.foreign[i].name, hargs.foreign[i].addr);
	check_region("below its RAM", vm.ram_base - 4);
	check_region("above its RAM", vm.ram_base + vm.ram_size);
	if (vm.gic == 3) {
		check_region("GICD beyond 64 KiB", vm.gicd + 0x10000);
		check_region("GICR frame beyond its vCPUs", vm.gicr_or_gicc + vm.gicr_size);
		check_region("GICR SGI frame beyond its vCPUs",
			     vm.gicr_or_gicc + vm.gicr_size + 0x10000);
	} else {
		check_region("GICC beyond the GICV page pair", vm.gicr_or_gicc + 0x2000);
	}
	check_high("top of the 48-bit IPA space", 0xfffffffff000ul);
	check_high("beyond 48-bit IPA", 0x1000000000000ul);
}

/* ---- the emulated PL011 ---- */

static void uart_put(const char *s)
{
	for (; *s; s++)
		mmio_write32(vm.uart + UARTDR, (uint8_t)*s);
}

/*
 * The hypervisor prefixes every line with the VM's label: a line that
 * pretends to be the hypervisor's, after a carriage return or behind
 * control characters, still carries the prefix. The scenario checks the
 * output; the guest can only say what it sent.
 */
void probe_uart(void)
{
	uint32_t cr = mmio_read32(vm.uart + UARTCR);

	uart_put("\r[tessera] vm ticker: forged by hostile\n");
	test_pass("uart: sent a line forging the hypervisor's prefix after CR");
	uart_put("\b\b\b\b\b\b\b\b\b\b\x1b[2K\x1b[1A\x1b[2K\r[tessera] forged by hostile (control "
		 "characters)\n");
	test_pass("uart: sent a forged line behind backspaces and escape sequences");
	/* UARTEN off, then back: only its own virtual PL011 is touched. */
	mmio_write32(vm.uart + UARTCR, 0);
	if (mmio_read32(vm.uart + UARTCR) == 0) {
		mmio_write32(vm.uart + UARTCR, cr);
		test_pass("uart: UARTCR = 0 (disabled) held by its own virtual PL011");
	} else {
		mmio_write32(vm.uart + UARTCR, cr);
		test_fail("uart: UARTCR = 0 does not read back");
	}
}

/* ---- MMIO the hypervisor cannot emulate, or must emulate right ---- */

/*
 * An access without a valid syndrome (ISV = 0: pair, writeback, exclusive)
 * cannot be emulated without decoding the instruction. Accepted: an
 * external abort at the address, or the access emulated correctly.
 */
static void check_ldp(void)
{
	uint64_t a = vm.gicd + GICD_CTLR, lo = 0x5a5a, hi = 0x5a5a;
	uint32_t ctlr = mmio_read32(vm.gicd + GICD_CTLR), typer = mmio_read32(vm.gicd + GICD_TYPER);
	struct exc_record rec;

	exception_arm(NULL);
	asm volatile("ldp %w0, %w1, [%2]" : "+r"(lo), "+r"(hi) : "r"(a) : "memory");
	exception_disarm(&rec);
	if (was_sea(&rec, a) || (!rec.count && lo == ctlr && hi == typer))
		test_pass("mmio: LDP from GICD_CTLR: external abort (or emulated)");
	else
		test_fail("mmio: LDP from GICD_CTLR: %s, read 0x%lx 0x%lx", exc_text(&rec), lo, hi);
}

/* Into IGROUPR of SPIs 64-127, which no VM here owns: nothing to break. */
static void check_stp(void)
{
	uint64_t a = vm.gicd + 0x88;
	struct exc_record rec;

	exception_arm(NULL);
	asm volatile("stp %w0, %w0, [%1]" : : "r"(0xffffffffu), "r"(a) : "memory");
	exception_disarm(&rec);
	if ((was_sea(&rec, a) || !rec.count) && !mmio_read32(a) && !mmio_read32(a + 4))
		test_pass(
			"mmio: STP to GICD_IGROUPR2-3 (unowned SPIs): external abort (or ignored)");
	else
		test_fail("mmio: STP to GICD_IGROUPR2-3: %s, reads 0x%x 0x%x", exc_text(&rec),
			  mmio_read32(a), mmio_read32(a + 4));
}

static void check_writeback(void)
{
	uint32_t typer = mmio_read32(vm.gicd + GICD_TYPER), v = 0;
	uint64_t a = vm.gicd + GICD_TYPER, base = a;
	struct exc_record rec;

	exception_arm(NULL);
	asm volatile("ldr %w0, [%1], #4" : "+r"(v), "+r"(base) : : "memory");
	exception_disarm(&rec);
	if (was_sea(&rec, a) || (!rec.count && v == typer && base == a + 4))
		test_pass("mmio: post-indexed LDR from GICD_TYPER: external abort (or emulated)");
	else
		test_fail("mmio: post-indexed LDR from GICD_TYPER: %s, read 0x%x, base +%ld",
			  exc_text(&rec), v, (long)(base - a));

	base = a - 4;
	exception_arm(NULL);
	asm volatile("str %w1, [%0, #4]!" : "+r"(base) : "r"(0u) : "memory");
	exception_disarm(&rec);
	if ((was_sea(&rec, a) || (!rec.count && base == a)) &&
	    mmio_read32(vm.gicd + GICD_TYPER) == typer)
		test_pass("mmio: pre-indexed STR to GICD_TYPER: external abort (or ignored)");
	else
		test_fail("mmio: pre-indexed STR to GICD_TYPER: %s, TYPER now 0x%x", exc_text(&rec),
			  mmio_read32(vm.gicd + GICD_TYPER));
}

/* Exclusives on an emulated device: an abort, or emulated; never a hang. */
static void check_exclusive(void)
{
	uint32_t typer = mmio_read32(vm.gicd + GICD_TYPER), v = 0, status = 7;
	uint64_t a = vm.gicd + GICD_TYPER, u = vm.uart + UARTCR;
	uint32_t cr = mmio_read32(u);
	struct exc_record rec, rec2;

	exception_arm(NULL);
	asm volatile("ldxr %w0, [%1]" : "+r"(v) : "r"(a) : "memory");
	exception_disarm(&rec);
	exception_arm(NULL);
	asm volatile("stxr %w0, %w1, [%2]" : "+r"(status) : "r"(cr), "r"(u) : "memory");
	exception_disarm(&rec2);
	asm volatile("clrex" ::: "memory");
	if ((was_sea(&rec, a) || (!rec.count && v == typer)) &&
	    (was_sea(&rec2, u) || (!rec2.count && status <= 1)) && mmio_read32(u) == cr)
		test_pass("mmio: LDXR from GICD, STXR to the UART: external abort (or emulated)");
	else
		test_fail("mmio: LDXR from GICD: %s, read 0x%x; STXR to the UART: %s, status %u",
			  exc_text(&rec), v, exc_text(&rec2), status);
}

/* Valid syndromes the hypervisor must emulate exactly. */
static void check_emulated_forms(void)
{
	uint32_t typer = mmio_read32(vm.gicd + GICD_TYPER), v = 0;
	uint64_t prio = vm.gicr_or_gicc + 0x10000 + 0x400, x = 0, w = 0;
	struct exc_record rec;

	exception_arm(NULL);
	asm volatile("ldar %w0, [%1]" : "=r"(v) : "r"(vm.gicd + GICD_TYPER) : "memory");
	exception_disarm(&rec);
	if (!rec.count && v == typer)
		test_pass("mmio: LDAR from GICD_TYPER emulated like LDR");
	else
		test_fail("mmio: LDAR from GICD_TYPER: %s, read 0x%x, LDR reads 0x%x",
			  exc_text(&rec), v, typer);

	/* SGI 0's priority byte: GICv3 in its redistributor, GICv2 in the GICD. */
	if (vm.gic == 2)
		prio = vm.gicd + 0x400;
	mmio_write8(prio, 0xa0);
	exception_arm(NULL);
	asm volatile("ldrsb %0, [%2]\n\tldrsb %w1, [%2]"
		     : "=&r"(x), "=&r"(w)
		     : "r"(prio)
		     : "memory");
	exception_disarm(&rec);
	if (!rec.count && x == 0xffffffffffffffa0ul && w == 0xffffffa0ul)
		test_pass("mmio: LDRSB of IPRIORITYR 0xa0 sign-extends (X 0xffffffffffffffa0, W "
			  "0xffffffa0)");
	else
		test_fail("mmio: LDRSB of IPRIORITYR 0xa0: %s, X 0x%lx, W 0x%lx", exc_text(&rec), x,
			  w);
}

/*
 * With the MMU off every access is Device: an unaligned one is an alignment
 * fault at EL1. QEMU checks stage 2 first, though, and gives the hypervisor a
 * valid syndrome for it: it may then emulate the access, as reading zero.
 */
static void check_unaligned(void)
{
	uint64_t a = vm.gicd + GICD_TYPER + 2;
	struct exc_record rec;
	uint32_t v = 0;

	exception_arm(NULL);
	asm volatile("ldr %w0, [%1]" : "+r"(v) : "r"(a) : "memory");
	exception_disarm(&rec);
	if ((rec.count == 1 && ESR_EC(rec.esr) == EC_DABT_CUR && rec.far == a &&
	     (ESR_DFSC(rec.esr) == DFSC_ALIGN || ESR_DFSC(rec.esr) == DFSC_SEA)) ||
	    (!rec.count && !v))
		test_pass("mmio: unaligned LDR from GICD_TYPER+2: alignment fault, external abort "
			  "or zero");
	else
		test_fail("mmio: unaligned LDR from GICD+0x6: %s, read 0x%x", exc_text(&rec), v);
}

/* A byte write to a word-only register: ignored, or an abort. */
static void check_bad_size(void)
{
	uint32_t ctlr = mmio_read32(vm.gicd + GICD_CTLR);
	struct exc_record rec;

	exception_arm(NULL);
	mmio_write8(vm.gicd + GICD_CTLR, 0);
	exception_disarm(&rec);
	if ((!rec.count || was_sea(&rec, vm.gicd + GICD_CTLR)) &&
	    mmio_read32(vm.gicd + GICD_CTLR) == ctlr)
		test_pass("mmio: byte write of 0 to GICD_CTLR: ignored (or abort)");
	else
		test_fail("mmio: byte write to GICD_CTLR: %s, CTLR 0x%x -> 0x%x", exc_text(&rec),
			  ctlr, mmio_read32(vm.gicd + GICD_CTLR));
	mmio_write32(vm.gicd + GICD_CTLR, ctlr);
}

/* Branch to addr; an instruction abort there resumes at the label (defined once). */
static __attribute__((noinline)) void check_fetch(const char *what, uint64_t addr)
{
	struct exc_record rec;
	extern char hostile_fetch_resume[];

	exception_arm(hostile_fetch_resume);
	asm volatile("blr %0\n\t"
		     ".globl hostile_fetch_resume\n"
		     "hostile_fetch_resume:"
		     :
		     : "r"(addr)
		     : "x30", "memory");
	exception_disarm(&rec);
	if (rec.count == 1 && ESR_EC(rec.esr) == EC_IABT_CUR && ESR_DFSC(rec.esr) == DFSC_SEA &&
	    rec.far == addr && rec.elr == addr)
		test_pass("mmio: instruction fetch from %s 0x%lx: instruction abort", what, addr);
	else
		test_fail("mmio: instruction fetch from %s 0x%lx: %s", what, addr, exc_text(&rec));
}

void probe_mmio_forms(void)
{
	check_ldp();
	check_stp();
	check_writeback();
	check_exclusive();
	check_emulated_forms();
	check_unaligned();
	check_bad_size();
	check_fetch("the GICD", vm.gicd);
	check_fetch("the UART", vm.uart);
	check_fetch("neighbour RAM", hargs.neighbour_base);
}

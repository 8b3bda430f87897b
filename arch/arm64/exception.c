/* SPDX-License-Identifier: MIT */
#include <arch/cpu_local.h>
#include <arch/exception.h>
#include <arch/firmware.h>
#include <arch/sysreg.h>

#include "core/esr.h"
#include "core/log.h"

static const char *const vector_names[16] = {
	"synchronous exception at EL2 (SP_EL0)",
	"IRQ at EL2 (SP_EL0)",
	"FIQ at EL2 (SP_EL0)",
	"SError at EL2 (SP_EL0)",
	"synchronous exception at EL2",
	"IRQ at EL2",
	"FIQ at EL2",
	"SError at EL2",
	"synchronous exception from EL1",
	"IRQ from EL1",
	"FIQ from EL1",
	"SError from EL1",
	"synchronous exception from AArch32 EL1",
	"IRQ from AArch32 EL1",
	"FIQ from AArch32 EL1",
	"SError from AArch32 EL1",
};

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case 0x00: return "unknown reason";
	case 0x01: return "WFI/WFE";
	case 0x07: return "FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "MSR/MRS/system instruction";
	case 0x20: return "instruction abort, lower EL";
	case 0x21: return "instruction abort, same EL";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort, lower EL";
	case 0x25: return "data abort, same EL";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	default: return "other";
	}
}

/* Which CPU, even if TPIDR_EL2 was never set up on this one. */
static unsigned cpu_index(void)
{
	struct cpu *cpu = this_cpu();

	return cpu ? cpu->idx : 0;
}

void exception_unexpected(struct exc_frame *f, unsigned vector)
{
	unsigned ec = ESR_EC(f->esr);

	log_line("panic: %s on cpu%u", vector_names[vector & 15], cpu_index());
	log_line("  ESR 0x%08lx (EC 0x%02x: %s, ISS 0x%07lx)", f->esr, ec, ec_name(ec),
		 ESR_ISS(f->esr));
	log_line("  ELR 0x%016lx  FAR 0x%016lx  SPSR 0x%08lx  SP 0x%016lx", f->elr, f->far, f->spsr,
		 f->sp);
	for (int i = 0; i < 31; i += 4) {
		if (i + 3 < 31)
			log_line("  x%-2d 0x%016lx  x%-2d 0x%016lx  x%-2d 0x%016lx  x%-2d 0x%016lx",
				 i, f->x[i], i + 1, f->x[i + 1], i + 2, f->x[i + 2], i + 3,
				 f->x[i + 3]);
		else
			log_line("  x%-2d 0x%016lx  x%-2d 0x%016lx  x%-2d 0x%016lx", i, f->x[i],
				 i + 1, f->x[i + 1], i + 2, f->x[i + 2]);
	}
	log_line("system stopped");
	system_off();
}

/* SPDX-License-Identifier: MIT */
/* PSCI for CPUs and addresses outside the VM; SMCCC calls it has no business making. */
#include "core/format.h"
#include "hostile.h"

#define PSCI_CPU_SUSPEND_64	   0xc4000001
#define PSCI_MIGRATE_64		   0xc4000005
#define PSCI_CPU_FREEZE		   0x8400000b
#define PSCI_SYSTEM_SUSPEND_64	   0xc400000e
#define PSCI_FEATURES		   0x8400000a
#define PSCI_SYSTEM_RESET2_64	   0xc4000012
#define PSCI_MEM_PROTECT	   0x84000013
#define PSCI_POWER_STATE_POWERDOWN (1u << 16)
#define SMCCC_NOT_SUPPORTED	   (~0ul)
#define CNTV_ENABLE		   1u

uint64_t hostile_hvc_regs(uint64_t regs[18]);
uint64_t hostile_hvc_imm1(uint64_t fid);
uint64_t hostile_hvc_immffff(uint64_t fid);
uint64_t hostile_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
extern char hostile_smc_insn[];

static const uint64_t foreign_mpidrs[] = {0x2, 0xff, 0x100, 0x10000, 0x100000000ul};
#define NFOREIGN (sizeof(foreign_mpidrs) / sizeof(foreign_mpidrs[0]))

static void check_cpu_on_foreign(void)
{
	for (unsigned int i = 0; i < NFOREIGN; i++) {
		/* A context that is no slot: a CPU it started would park. */
		int32_t r = psci_cpu_on(foreign_mpidrs[i], smp_entry(), SMP_MAX_CPUS);

		if (r != PSCI_INVALID_PARAMETERS) {
			test_fail("psci: CPU_ON 0x%lx: %s (%d), expected INVALID_PARAMETERS",
				  foreign_mpidrs[i], psci_error_name(r), r);
			return;
		}
	}
	test_pass("psci: CPU_ON of MPIDR 0x2, 0xff, 0x100, 0x10000, 0x100000000: "
		  "INVALID_PARAMETERS");
}

static void check_affinity_foreign(void)
{
	int32_t r;

	for (unsigned int i = 0; i < NFOREIGN; i++) {
		r = psci_affinity_info(foreign_mpidrs[i], 0);
		if (r != PSCI_INVALID_PARAMETERS) {
			test_fail("psci: AFFINITY_INFO 0x%lx: %s (%d), expected INVALID_PARAMETERS",
				  foreign_mpidrs[i], psci_error_name(r), r);
			return;
		}
	}
	test_pass("psci: AFFINITY_INFO of MPIDR 0x2, 0xff, 0x100, 0x10000, 0x100000000: "
		  "INVALID_PARAMETERS");

	r = psci_affinity_info(0x100, 1);
	if (r == PSCI_INVALID_PARAMETERS)
		r = psci_affinity_info(0, 4);
	if (r == PSCI_INVALID_PARAMETERS)
		test_pass("psci: AFFINITY_INFO level 1 of 0x100, level 4 of 0x0: "
			  "INVALID_PARAMETERS");
	else
		test_fail("psci: AFFINITY_INFO of another cluster or level 4: %s (%d)",
			  psci_error_name(r), r);
}

/* CPU_ON of its own vCPU 1 at entry points outside its RAM. */
static void check_cpu_on_entry(void)
{
	uint64_t entries[] = {0x40200000, hargs.neighbour_base, vm.ram_base + vm.ram_size,
			      vm.ram_base - 4, 0xfffffffffffff000ul};
	int32_t r;

	for (unsigned int i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		r = psci_cpu_on(1, entries[i], 0);
		if (r != PSCI_INVALID_ADDRESS) {
			test_fail("psci: CPU_ON 0x1 at 0x%lx: %s (%d), expected INVALID_ADDRESS",
				  entries[i], psci_error_name(r), r);
			return;
		}
	}
	r = psci_affinity_info(1, 0);
	if (r == PSCI_AFFINITY_OFF)
		test_pass("psci: CPU_ON 0x1 at Tessera, neighbour RAM, just outside its RAM, "
			  "0xfffffffffffff000: INVALID_ADDRESS, vCPU 1 stays OFF");
	else
		test_fail("psci: vCPU 1 after CPU_ON with bad entry points: AFFINITY_INFO %d", r);
}

static volatile uint32_t timer_fired;

static void timer_stop(unsigned int intid, unsigned int source)
{
	(void)intid;
	(void)source;
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	timer_fired = timer_fired + 1;
}

static void check_suspend(void)
{
	int32_t r = (int32_t)psci_call(PSCI_CPU_SUSPEND_64, PSCI_POWER_STATE_POWERDOWN,
				       hargs.neighbour_base, 0);
	struct mark m;

	if (r == PSCI_INVALID_ADDRESS)
		test_pass("psci: CPU_SUSPEND powerdown resuming in neighbour RAM: "
			  "INVALID_ADDRESS");
	else
		test_fail("psci: CPU_SUSPEND powerdown at 0x%lx: %s (%d)", hargs.neighbour_base,
			  psci_error_name(r), r);

	/* Standby: the hypervisor waits for an interrupt; the timer is armed. */
	gic_set_handler(vm.vtimer, timer_stop);
	gic_enable(vm.vtimer);
	timer_fired = 0;
	m = mark_now(0);
	write_sysreg(cntv_tval_el0, counter_ms(2));
	write_sysreg(cntv_ctl_el0, CNTV_ENABLE);
	isb();
	r = (int32_t)psci_call(PSCI_CPU_SUSPEND_64, 0, 0, 0);
	irq_unmask();
	wait_took(0, m, vm.vtimer, 1, TIMEOUT_MS);
	irq_mask();
	if (r == PSCI_SUCCESS && timer_fired == 1)
		test_pass("psci: CPU_SUSPEND standby returns SUCCESS, woken by its own timer");
	else
		test_fail("psci: CPU_SUSPEND standby: %s (%d), timer taken %u times",
			  psci_error_name(r), r, timer_fired);
}

/* What PSCI_FEATURES calls NOT_SUPPORTED must be refused when called. */
static void check_unimplemented(void)
{
	static const struct {
		uint32_t fid;
		uint64_t a1;
	} fns[] = {
		{PSCI_CPU_FREEZE, 0},  {PSCI_SYSTEM_SUSPEND_64, 0}, {PSCI_SYSTEM_RESET2_64, 0},
		{PSCI_MEM_PROTECT, 1}, {PSCI_MIGRATE_64, 2},
	};

	for (unsigned int i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		int32_t f = (int32_t)psci_call(PSCI_FEATURES, fns[i].fid, 0, 0), r;

		if (f != PSCI_NOT_SUPPORTED)
			continue;
		r = (int32_t)psci_call(fns[i].fid, fns[i].a1, 0, 0);
		if (r != PSCI_NOT_SUPPORTED) {
			test_fail("psci: 0x%x: PSCI_FEATURES says NOT_SUPPORTED, the call returns "
				  "%d",
				  fns[i].fid, r);
			return;
		}
	}
	test_pass("psci: CPU_FREEZE, SYSTEM_SUSPEND, SYSTEM_RESET2, MEM_PROTECT, MIGRATE: "
		  "refused where PSCI_FEATURES says NOT_SUPPORTED");
}

/* Unknown function IDs of every owner: -1, and no hypervisor data left in x1-x17. */
static void check_unknown_hvc(void)
{
	static const uint64_t fids[] = {0x86000000, 0xc6000000, 0xc2000000, 0x83000000,
					0xbf00ff01, 0x8400ffff, 0xc5000000, 0xf0000000};
	uint64_t regs[18];

	for (unsigned int i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		regs[0] = fids[i];
		for (unsigned int k = 1; k < 18; k++)
			regs[k] = 0x5a5a000000000000ul | k;
		hostile_hvc_regs(regs);
		if ((int32_t)regs[0] != -1) {
			test_fail("smccc: HVC #0 function 0x%lx returned 0x%lx, expected -1",
				  fids[i], regs[0]);
			return;
		}
		for (unsigned int k = 1; k < 18; k++) {
			if (regs[k] && regs[k] != (0x5a5a000000000000ul | k)) {
				test_fail("smccc: HVC #0 function 0x%lx left x%u = 0x%lx", fids[i],
					  k, regs[k]);
				return;
			}
		}
	}
	test_pass("smccc: 8 unknown function IDs via HVC #0: NOT_SUPPORTED, x1-x17 kept or "
		  "zeroed");
}

static void check_hvc_imm(void)
{
	uint64_t r1, r2;
	struct exc_record rec, rec2;

	exception_arm(NULL);
	r1 = hostile_hvc_imm1(PSCI_VERSION);
	exception_disarm(&rec);
	exception_arm(NULL);
	r2 = hostile_hvc_immffff(PSCI_VERSION);
	exception_disarm(&rec2);
	if ((rec.count ? ESR_EC(rec.esr) == EC_UNKNOWN : (int32_t)r1 == -1) &&
	    (rec2.count ? ESR_EC(rec2.esr) == EC_UNKNOWN : (int32_t)r2 == -1))
		test_pass("smccc: PSCI_VERSION via HVC #1 and HVC #0xffff: not answered (-1 or "
			  "UNDEF)");
	else
		test_fail("smccc: HVC #1: %s x0 0x%lx; HVC #0xffff: %s x0 0x%lx", exc_text(&rec),
			  r1, exc_text(&rec2), r2);
}

/*
 * SMC from EL1 must never reach the firmware: the hypervisor answers it
 * (MPIDR 3 is not this VM's: INVALID_PARAMETERS, where firmware would say
 * ALREADY_ON or ON) or it is UNDEF.
 */
static bool smc_ok(uint64_t fid, uint64_t a1, uint64_t a2, int64_t want, char *why,
		   unsigned int len)
{
	struct exc_record rec;
	uint64_t r;

	exception_arm(NULL);
	r = hostile_smc(fid, a1, a2, 0);
	exception_disarm(&rec);
	if (rec.count && was_undef(&rec, (uint64_t)hostile_smc_insn))
		return true;
	if (!rec.count && (int32_t)r == (int32_t)want)
		return true;
	str_format(why, len, "0x%lx: %s, x0 0x%lx", fid, exc_text(&rec), r);
	return false;
}

static void check_smc(void)
{
	char why[128];

	if (smc_ok(0xc2000000, 0, 0, -1, why, sizeof(why)) &&
	    smc_ok(0x82000001, 0, 0, -1, why, sizeof(why)) &&
	    smc_ok(0xbf00ff01, 0, 0, -1, why, sizeof(why)) &&
	    smc_ok(0x8600ff01, 0, 0, -1, why, sizeof(why)))
		test_pass("smccc: SiP, Trusted OS and vendor IDs via SMC: NOT_SUPPORTED (or "
			  "UNDEF)");
	else
		test_fail("smccc: unknown ID via SMC %s", why);
	if (smc_ok(PSCI_CPU_ON_64, 3, smp_entry(), PSCI_INVALID_PARAMETERS, why, sizeof(why)) &&
	    smc_ok(PSCI_AFFINITY_INFO_64, 3, 0, PSCI_INVALID_PARAMETERS, why, sizeof(why)))
		test_pass("smccc: CPU_ON and AFFINITY_INFO of MPIDR 3 via SMC: INVALID_PARAMETERS "
			  "(or UNDEF), never the firmware's answer");
	else
		test_fail("smccc: PSCI via SMC %s", why);
}

void probe_firmware(void)
{
	check_cpu_on_foreign();
	check_affinity_foreign();
	check_cpu_on_entry();
	check_suspend();
	check_unimplemented();
	check_unknown_hvc();
	check_hvc_imm();
	check_smc();
}

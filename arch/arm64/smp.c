/* SPDX-License-Identifier: MIT */
/*
 * Secondary CPU bring-up. PSCI CPU_ON and spin-table release share one path:
 * the CPU enters secondary_entry, finds its index by MPIDR and reports itself
 * online. The boot CPU waits in WFE (woken by the CPU's SEV, or by the event
 * stream so a CPU that never arrives times out) instead of spinning.
 */
#include <arch/cache.h>
#include <arch/cpu_local.h>
#include <arch/firmware.h>
#include <arch/gic.h>
#include <arch/id_regs.h>
#include <arch/mmu.h>
#include <arch/secondary_boot.h>
#include <arch/smp.h>
#include <arch/vcpu.h>

#include "core/log.h"
#include "core/spinlock.h"

#define CPU_START_TIMEOUT_MS 1000

/*
 * Stacks: secondary CPU i runs on cpu_stacks[i]; the boot CPU keeps the
 * stack it booted on, whatever its index, so no two CPUs can share one.
 */
uint8_t cpu_stacks[MAX_CPUS][CPU_STACK_SIZE] __attribute__((aligned(16)));
uint8_t boot_stack[CPU_STACK_SIZE] __attribute__((aligned(16)));
struct secondary_boot secondary_boot;

static uint64_t counter_ms(void)
{
	return read_sysreg(cntpct_el0) / (read_sysreg(cntfrq_el0) / 1000);
}

static bool wait_online(struct cpu *cpu)
{
	uint64_t deadline = counter_ms() + CPU_START_TIMEOUT_MS;

	while (!__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE)) {
		if (counter_ms() > deadline)
			return false;
		cpu_wait_event();
	}
	return true;
}

static int release_spin_table(const struct host_cpu *hc, uint64_t entry)
{
	uint64_t *slot = (uint64_t *)hc->release_addr;
	int ret = mmu_map_normal(hc->release_addr, sizeof(*slot));

	/* Several CPUs often share one release page: already mapped is fine. */
	if (ret && ret != -2)
		return ret;
	*slot = entry;
	dcache_clean_poc(slot, sizeof(*slot));
	cpu_send_event();
	return 0;
}

static void start_one(const struct host_cpu *hc, struct cpu *cpu)
{
	uint64_t entry = (uint64_t)secondary_entry;
	int64_t ret;

	if (hc->method == CPU_ENABLE_SPIN_TABLE) {
		ret = release_spin_table(hc, entry);
		if (ret) {
			log_line("cpu%u: MPIDR 0x%lx: cannot map cpu-release-addr 0x%lx: %s",
				 cpu->idx, cpu->mpidr, hc->release_addr, mmu_error_name((int)ret));
			return;
		}
	} else {
		ret = firmware_cpu_on(hc->mpidr, entry, cpu->idx);
		if (ret != 0) {
			log_line("cpu%u: MPIDR 0x%lx: PSCI CPU_ON failed: %s", cpu->idx, cpu->mpidr,
				 psci_error_name(ret));
			return;
		}
	}
	if (wait_online(cpu))
		log_line("cpu%u: MPIDR 0x%lx online", cpu->idx, cpu->mpidr);
	else
		log_line("cpu%u: MPIDR 0x%lx did not come online within %d ms", cpu->idx,
			 cpu->mpidr, CPU_START_TIMEOUT_MS);
}

unsigned smp_start_secondaries(const struct host_platform *hp, unsigned boot_idx)
{
	unsigned online = 1;

	secondary_boot.ncpus = hp->ncpus;
	for (unsigned i = 0; i < hp->ncpus; i++) {
		secondary_boot.mpidr[i] = hp->cpus[i].mpidr;
		cpus[i].idx = i;
		cpus[i].mpidr = hp->cpus[i].mpidr;
	}
	dcache_clean_poc(&secondary_boot, sizeof(secondary_boot));
	for (unsigned i = 0; i < hp->ncpus; i++) {
		if (i == boot_idx)
			continue;
		start_one(&hp->cpus[i], &cpus[i]);
		online += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE);
	}
	return online;
}

/* Set once by the boot CPU when every VM is built. */
static bool cpus_released;

void smp_release_cpus(void)
{
	__atomic_store_n(&cpus_released, true, __ATOMIC_RELEASE);
	cpu_send_event();
}

/* A secondary CPU, MMU on, on its own stack. */
void __attribute__((noreturn)) boot_secondary(unsigned idx)
{
	struct cpu *cpu = &cpus[idx];

	cpu->stack_top = (uint64_t)cpu_stacks[idx] + CPU_STACK_SIZE;
	set_this_cpu(cpu);
	id_regs_capture();
	gic_cpu_setup(idx);
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	cpu_send_event();
	while (!__atomic_load_n(&cpus_released, __ATOMIC_ACQUIRE))
		cpu_wait_event();
	cpu_run(cpu);
}

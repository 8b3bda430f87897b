/* SPDX-License-Identifier: MIT */
/*
 * Boot CPU flow (design.md section 1): MMU, console, host DT, banner,
 * secondary CPUs. Any error stops boot with a message naming the DT node
 * and property, then powers off (or parks when there is no firmware).
 */
#include <libfdt.h>

#include <arch/cpu_local.h>
#include <arch/firmware.h>
#include <arch/gic.h>
#include <arch/id_regs.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/sysreg.h>

#include "core/config.h"
#include "core/dt_util.h"
#include "core/hostdt.h"
#include "core/console.h"
#include "core/log.h"
#include "core/memplan.h"
#include "core/psci.h"
#include "core/vm_build.h"
#include "mm/page_pool.h"

#include <arch/vcpu.h>

/* Tessera's own memory for stage-2 tables and VM state. */
#define HEAP_SIZE  (8ul << 20)
#define HEAP_PAGES (HEAP_SIZE / PAGE_SIZE)

#define SELFTEST_BAD_ADDR 0xfffffffff000ul

extern char _head[], __image_end[], __config_start[], __config_end[];
void park(void) __attribute__((noreturn));

/* Written once by the boot CPU before any guest runs; read-only after. */
static struct host_platform host;
static struct tessera_config config;
static struct memplan memplan;
static char power_path[DT_PATH_MAX]; /* the BCM2835 watchdog, when it powers off */
static struct {
	struct page_pool pool;
	uint64_t bitmap[PAGE_POOL_BITMAP_WORDS(HEAP_PAGES)];
} heap;

static void __attribute__((noreturn)) boot_stop(const char *what)
{
	log_line("error: %s", what);
	log_line("boot stopped");
	system_off();
}

#ifndef BOARD_MINI_UART_CLOCK_HZ
#define BOARD_MINI_UART_CLOCK_HZ 0 /* unknown: keep the divisor firmware set */
#endif
#define CONSOLE_DEFAULT_BAUD 115200

/* Drive the UART stdout-path names (or the fallback PL011 an error offers). */
static void console_start(const struct host_uart *u)
{
	uint32_t baud = u->baud ? u->baud : CONSOLE_DEFAULT_BAUD;

	if (!u->regs.base || mmu_map_device(u->regs.base, u->regs.size) != 0)
		return;
	if (u->kind == UART_PL011) {
		console_set_pl011(u->regs.base);
		return;
	}
	/* AUX_ENABLES shares the mini-UART's page on the BCM2835 family. */
	if (u->aux_enables)
		mmu_map_device(u->aux_enables, 4);
	console_set_mini_uart(u->regs.base, u->aux_enables, BOARD_MINI_UART_CLOCK_HZ, baud);
}

/* The console comes first so that every later error can be reported. */
static void setup_console(const void *fdt)
{
	struct dt_error err;
	int ret = hostdt_console(fdt, &host.console, &err);

	console_start(&host.console);
	if (ret == 0)
		ret = hostdt_vm_uart(fdt, &host.console, &host.uart, &err);
	if (ret == 0)
		return;
	/* With no console there is nobody to tell: just stop. */
	if (!console_ready())
		system_off();
	boot_stop(err.msg);
}

static void print_console(void)
{
	const struct host_uart *c = &host.console, *u = &host.uart;

	if (c->kind == UART_PL011) {
		log_line("console: PL011 %s at 0x%lx", c->path, c->regs.base);
		return;
	}
	log_line("console: mini-UART %s at 0x%lx, %u baud from a %u MHz clock", c->path,
		 c->regs.base, c->baud ? c->baud : CONSOLE_DEFAULT_BAUD,
		 BOARD_MINI_UART_CLOCK_HZ / 1000000);
	log_line("console: VMs get a PL011 at 0x%lx (%s)", u->regs.base, u->path);
}

/* No PSCI: a Raspberry Pi powers off through its power manager's watchdog. */
static void setup_power_off(const void *fdt)
{
	struct range pm;

	if (hostdt_psci_conduit(fdt) == PSCI_CONDUIT_NONE &&
	    hostdt_power_manager(fdt, power_path, &pm) == 0 &&
	    mmu_map_device(pm.base, pm.size) == 0)
		firmware_set_halt_watchdog(pm.base);
}

static int boot_cpu_index(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;

	for (unsigned i = 0; i < host.ncpus; i++)
		if (host.cpus[i].mpidr == mpidr)
			return (int)i;
	return -1;
}

static void map_gic(void)
{
	const struct host_gic *g = &host.gic;
	int ret = mmu_map_device(g->dist.base, g->dist.size);

	if (!ret && g->version == 3)
		ret = mmu_map_device(g->redist.base, g->redist.size);
	if (!ret && g->version == 2)
		ret = mmu_map_device(g->cpuif.base, g->cpuif.size);
	if (!ret && g->version == 2)
		ret = mmu_map_device(g->hyp.base, g->hyp.size);
	if (ret) {
		log_line("error: host DTB: %s: reg: cannot map: %s", g->path, mmu_error_name(ret));
		log_line("boot stopped");
		system_off();
	}
}

static void print_memory(void)
{
	for (unsigned i = 0; i < host.nmem; i++)
		log_line("memory: 0x%lx-0x%lx (%lu MiB)", host.mem[i].base,
			 host.mem[i].base + host.mem[i].size - 1, host.mem[i].size >> 20);
}

static void print_gic(void)
{
	const struct host_gic *g = &host.gic;

	if (g->version == 3)
		log_line("GICv3 %s: GICD 0x%lx, GICR 0x%lx (%lu KiB), maintenance INTID %u",
			 g->path, g->dist.base, g->redist.base, g->redist.size >> 10,
			 g->maint_intid);
	else
		log_line("GICv2 %s: GICD 0x%lx, GICC 0x%lx, GICH 0x%lx, GICV 0x%lx, maintenance "
			 "INTID %u",
			 g->path, g->dist.base, g->cpuif.base, g->hyp.base, g->vcpu.base,
			 g->maint_intid);
	log_line("timer: INTIDs EL1 physical %u, virtual %u, EL2 physical %u", host.timer.phys,
		 host.timer.virt, host.timer.hyp_phys);
}

static void print_psci(void)
{
	uint32_t v = firmware_psci_version();

	if (firmware_has_psci())
		log_line("PSCI %u.%u via %s", PSCI_VERSION_MAJOR(v), PSCI_VERSION_MINOR(v),
			 psci_conduit_name(host.psci));
	else if (power_path[0])
		log_line("PSCI: none (spin-table CPUs only); power-off through %s", power_path);
	else
		log_line("PSCI: none (spin-table CPUs only)");
}

static void parse_host(const void *fdt)
{
	struct dt_error err;

	if (hostdt_parse(fdt, &host, &err) < 0)
		boot_stop(err.msg);
	firmware_set_conduit(host.psci);
	firmware_probe_smccc();
}

/*
 * Test hook: /chosen/tessera,selftest = "panic" makes Tessera fault on
 * purpose, so the integration tests can check the panic report.
 */
static void selftest(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *what = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "tessera,selftest", NULL);

	if (what && !strcmp(what, "panic")) {
		log_line("selftest: reading unmapped address 0x%lx", SELFTEST_BAD_ADDR);
		(void)*(volatile uint64_t *)SELFTEST_BAD_ADDR;
	}
}

static void check_cpus_online(void)
{
	for (unsigned i = 0; i < config.nvms; i++) {
		const struct vm_config *vc = &config.vms[i];

		for (unsigned c = 0; c < vc->ncpus; c++) {
			if (!cpus[vc->cpus[c]].online) {
				log_line("error: config: vm \"%s\": cpus: CPU %u is not online",
					 vc->label, vc->cpus[c]);
				log_line("boot stopped");
				system_off();
			}
		}
	}
}

/* Host RAM minus Tessera, the host DTB and firmware's reservations. */
static void plan_memory(const void *fdt, uint64_t dtb, uint64_t load)
{
	uint64_t heap_pa;

	memplan_init(&memplan, host.mem, host.nmem);
	memplan_reserve(&memplan, load, (uint64_t)__image_end - (uint64_t)_head, "Tessera");
	memplan_reserve(&memplan, dtb, fdt_totalsize(fdt), "host DTB");
	memplan_reserve_host_dt(&memplan, fdt);
	if (memplan_alloc(&memplan, HEAP_SIZE, 2ul << 20, "Tessera heap", &heap_pa) < 0 ||
	    mmu_map_normal(heap_pa, HEAP_SIZE) != 0)
		boot_stop("no host RAM for Tessera's 8 MiB heap");
	page_pool_init(&heap.pool, (void *)heap_pa, heap_pa, HEAP_PAGES, heap.bitmap);
	log_line("Tessera heap: 0x%lx-0x%lx", heap_pa, heap_pa + HEAP_SIZE - 1);
}

static void start_vms(const void *fdt, uint64_t dtb, uint64_t load)
{
	struct config_error err;

	if (config_parse(__config_start, fdt, &host, &config, &err) < 0)
		boot_stop(err.msg);
	check_cpus_online();
	plan_memory(fdt, dtb, load);
	if (vms_build(&config, fdt, &host, &memplan, &heap.pool, &err) < 0)
		boot_stop(err.msg);
	log_line("starting %u VM%s", config.nvms, config.nvms == 1 ? "" : "s");
	if (config.console == CONSOLE_VM) {
		/* The VM reads the UART itself; Tessera only keeps printing on it. */
		log_line("console: the UART belongs to vm %s", config.vms[config.console_vm].label);
		return;
	}
	gic_console_input_setup();
	if (config.nvms > 1)
		log_line("console: input goes to vm %s; Ctrl-A three times for the next",
			 config.vms[0].label);
}

void __attribute__((noreturn)) boot_primary(uint64_t dtb, uint64_t load)
{
	const void *fdt = (const void *)dtb;
	unsigned online;
	int boot_idx;

	/* fdt_totalsize() is a plain field read; validate fully once mapped. */
	if (mmu_init(dtb, fdt_totalsize(fdt)) != 0)
		park();
	/* Nothing is known yet, not even a UART: a broken DTB can only park us. */
	if (dt_validate(fdt, 64ull << 20) != 0)
		park();
	firmware_set_conduit(hostdt_psci_conduit(fdt));
	setup_power_off(fdt);
	setup_console(fdt);
	log_line("Tessera %s (%s) at EL2", TESSERA_VERSION, TESSERA_PLATFORM);
	log_line("loaded at 0x%lx (%lu KiB), host DTB at 0x%lx", load,
		 ((uint64_t)__image_end - (uint64_t)_head) >> 10, dtb);
	print_console();
	selftest(fdt);
	parse_host(fdt);
	boot_idx = boot_cpu_index();
	if (boot_idx < 0)
		boot_stop("host DTB: /cpus: no CPU node matches the boot CPU's MPIDR");
	cpus[boot_idx] = (struct cpu){
		.idx = (unsigned)boot_idx,
		.mpidr = host.cpus[boot_idx].mpidr,
		.stack_top = (uint64_t)boot_stack + CPU_STACK_SIZE,
		.online = true,
	};
	set_this_cpu(&cpus[boot_idx]);
	id_regs_capture();
	map_gic();
	gic_setup(&host);
	gic_cpu_setup((unsigned)boot_idx);
	print_memory();
	print_gic();
	print_psci();
	log_line("cpu%d: MPIDR 0x%lx online (boot CPU)", boot_idx, host.cpus[boot_idx].mpidr);
	online = smp_start_secondaries(&host, (unsigned)boot_idx);
	log_line("%u of %u CPUs online at EL2", online, host.ncpus);
	if ((uintptr_t)__config_end == (uintptr_t)__config_start) {
		log_line("no VMs configured: powering off");
		system_off();
	}
	start_vms(fdt, dtb, load);
	smp_release_cpus();
	cpu_run(this_cpu());
}

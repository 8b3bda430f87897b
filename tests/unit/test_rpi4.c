/* SPDX-License-Identifier: MIT */
/*
 * The Raspberry Pi 4 as its real device tree describes it: Debian's
 * bcm2711-rpi-4-b.dtb (scripts/guest-assets.sh puts it in .cache/guest),
 * parsed as shipped and after the fix-ups the Pi firmware (and a TF-A
 * armstub) apply, down to the board description Tessera derives from it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/bcm2835_pm.h"
#include "core/config.h"
#include "core/guest_dt.h"
#include "core/hostdt.h"
#include "core/memplan.h"
#include "core/mini_uart.h"
#include "dtb_fixture.h"

#define ROOM	 8192
#define OUT_SIZE (64 * 1024)
#define LIST_MAX 512

/* A 4 GiB Pi 4 in low-peripheral mode, 76 MiB for the VideoCore. */
#define LOW_RAM_END 0x3b400000u
#define HIGH_RAM    0x40000000u
#define HIGH_SIZE   0xbc000000u

struct ctx {
	void *fdt;
	struct host_platform hp;
	struct dt_error err;
};

static void *load_pi_dtb(void)
{
	static char raw[64 * 1024];
	void *fdt = malloc(sizeof(raw) + ROOM);
	FILE *f = fopen(PI_DTB, "rb");
	size_t n;

	if (!f || !fdt)
		fail_msg("cannot open %s (make guest-assets)", PI_DTB);
	n = fread(raw, 1, sizeof(raw), f);
	fclose(f);
	assert_int_equal(fdt_open_into(raw, fdt, (int)(n + ROOM)), 0);
	return fdt;
}

/* What start4.elf writes into memory@0's reg. */
static void firmware_memory(void *fdt)
{
	fdt32_t reg[] = {0,
			 0,
			 cpu_to_fdt32(LOW_RAM_END),
			 0,
			 cpu_to_fdt32(HIGH_RAM),
			 cpu_to_fdt32(HIGH_SIZE)};

	assert_int_equal(fdt_setprop(fdt, fixture_node(fdt, "/memory@0"), "reg", reg, sizeof(reg)),
			 0);
}

static int setup(void **state)
{
	static struct ctx c;

	c = (struct ctx){.fdt = load_pi_dtb()};
	*state = &c;
	return 0;
}

static int setup_booted(void **state)
{
	setup(state);
	firmware_memory(((struct ctx *)*state)->fdt);
	return 0;
}

static int teardown(void **state)
{
	free(((struct ctx *)*state)->fdt);
	return 0;
}

static void parse_ok(struct ctx *c)
{
	if (hostdt_parse(c->fdt, &c->hp, &c->err))
		fail_msg("unexpected error: %s", c->err.msg);
}

static void console_ok(struct ctx *c)
{
	if (hostdt_console(c->fdt, &c->hp.console, &c->err) ||
	    hostdt_vm_uart(c->fdt, &c->hp.console, &c->hp.uart, &c->err))
		fail_msg("unexpected error: %s", c->err.msg);
}

/* As Debian ships it, memory@0 is empty: the firmware fills it in. */
static void as_shipped_needs_firmware_memory(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(hostdt_parse(c->fdt, &c->hp, &c->err), -1);
	assert_string_equal(c->err.msg, "host DTB: /memory: no memory node with a non-empty reg");
}

static void memory_below_and_above_1g(void **state)
{
	struct ctx *c = *state;

	parse_ok(c);
	assert_int_equal(c->hp.nmem, 2);
	assert_int_equal(c->hp.mem[0].base, 0);
	assert_int_equal(c->hp.mem[0].size, LOW_RAM_END);
	assert_int_equal(c->hp.mem[1].base, HIGH_RAM);
	assert_int_equal(c->hp.mem[1].size, HIGH_SIZE);
}

/* Four Cortex-A72, released through the firmware armstub's spin table. */
static void spin_table_cpus(void **state)
{
	struct ctx *c = *state;

	parse_ok(c);
	assert_int_equal(c->hp.ncpus, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(c->hp.cpus[i].mpidr, i);
		assert_int_equal(c->hp.cpus[i].method, CPU_ENABLE_SPIN_TABLE);
		assert_int_equal(c->hp.cpus[i].release_addr, 0xd8 + 8 * i);
	}
	assert_int_equal(c->hp.psci, PSCI_CONDUIT_NONE);
	assert_int_equal(hostdt_psci_conduit(c->fdt), PSCI_CONDUIT_NONE);
}

/* The GIC-400 behind /soc's ranges (0x40000000 -> 0xff800000). */
static void gic400_with_virtualization(void **state)
{
	struct ctx *c = *state;

	parse_ok(c);
	assert_int_equal(c->hp.gic.version, 2);
	assert_string_equal(c->hp.gic.path, "/soc/interrupt-controller@40041000");
	assert_int_equal(fdt_node_check_compatible(c->fdt, fixture_node(c->fdt, c->hp.gic.path),
						   "arm,gic-400"),
			 0);
	assert_int_equal(c->hp.gic.dist.base, 0xff841000);
	assert_int_equal(c->hp.gic.dist.size, 0x1000);
	assert_int_equal(c->hp.gic.cpuif.base, 0xff842000);
	assert_int_equal(c->hp.gic.cpuif.size, 0x2000);
	assert_int_equal(c->hp.gic.hyp.base, 0xff844000);
	assert_int_equal(c->hp.gic.hyp.size, 0x2000);
	assert_int_equal(c->hp.gic.vcpu.base, 0xff846000);
	assert_int_equal(c->hp.gic.vcpu.size, 0x2000);
	assert_int_equal(c->hp.gic.maint_intid, 25);
}

static void timer_ppis(void **state)
{
	struct ctx *c = *state;

	parse_ok(c);
	assert_int_equal(c->hp.timer.sec_phys, 29);
	assert_int_equal(c->hp.timer.phys, 30);
	assert_int_equal(c->hp.timer.virt, 27);
	assert_int_equal(c->hp.timer.hyp_phys, 26);
}

/*
 * stdout-path = "serial1:115200n8": the mini-UART, switched on through the
 * aux block its clock names; the VMs get the PL011 that serial0 names.
 */
static void mini_uart_console(void **state)
{
	struct ctx *c = *state;

	console_ok(c);
	assert_int_equal(c->hp.console.kind, UART_MINI);
	assert_string_equal(c->hp.console.path, "/soc/serial@7e215040");
	assert_int_equal(c->hp.console.regs.base, 0xfe215040);
	assert_int_equal(c->hp.console.regs.size, 0x40);
	assert_int_equal(c->hp.console.intid, 125);
	assert_int_equal(c->hp.console.aux_enables, 0xfe215004);
	assert_int_equal(c->hp.console.baud, 115200);
	assert_int_equal(c->hp.uart.kind, UART_PL011);
	assert_string_equal(c->hp.uart.path, "/soc/serial@7e201000");
	assert_int_equal(c->hp.uart.regs.base, 0xfe201000);
	assert_int_equal(c->hp.uart.regs.size, 0x200);
	assert_int_equal(c->hp.uart.intid, 153);
}

/* The 500 MHz VPU clock config.txt pins: 115200 baud is divisor 542. */
static void mini_uart_divisor_at_500mhz(void **state)
{
	(void)state;
	assert_int_equal(mini_uart_divisor(500000000, 115200), 542);
	assert_int_equal(mini_uart_divisor(250000000, 115200), 270);
	assert_int_equal(mini_uart_divisor(0, 115200), 0);
	assert_int_equal(mini_uart_divisor(500000000, 0), 0);
}

static void pl011_console(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_setprop_string(c->fdt, fixture_node(c->fdt, "/chosen"), "stdout-path",
					    "serial0:115200n8"),
			 0);
	console_ok(c);
	assert_int_equal(c->hp.console.kind, UART_PL011);
	assert_string_equal(c->hp.console.path, "/soc/serial@7e201000");
	assert_int_equal(c->hp.console.intid, 153);
	assert_memory_equal(&c->hp.uart, &c->hp.console, sizeof(c->hp.uart));
}

/* A mini-UART console on a tree whose PL011s are all disabled. */
static void mini_uart_console_without_pl011(void **state)
{
	struct ctx *c = *state;
	int node = -1;

	while ((node = fdt_node_offset_by_compatible(c->fdt, node, "arm,pl011")) >= 0)
		assert_int_equal(fdt_setprop_string(c->fdt, node, "status", "disabled"), 0);
	assert_int_equal(hostdt_console(c->fdt, &c->hp.console, &c->err), 0);
	assert_int_equal(hostdt_vm_uart(c->fdt, &c->hp.console, &c->hp.uart, &c->err), -1);
	assert_string_equal(c->err.msg, "host DTB: /soc/serial@7e215040: compatible: a mini-UART "
					"console needs an enabled PL011 for the VMs' UART; there "
					"is none");
}

/* Without PSCI the power manager's watchdog powers the Pi off. */
static void power_manager(void **state)
{
	struct ctx *c = *state;
	char path[DT_PATH_MAX];
	struct range pm;

	assert_int_equal(hostdt_power_manager(c->fdt, path, &pm), 0);
	assert_string_equal(path, "/soc/watchdog@7e100000");
	assert_int_equal(pm.base, 0xfe100000);
	assert_int_equal(pm.size, 0x114);
	assert_int_equal(
		fdt_setprop_string(c->fdt, fixture_node(c->fdt, path), "status", "disabled"), 0);
	assert_int_equal(hostdt_power_manager(c->fdt, path, &pm), -1);
}

/* Partition 63 ("halt"), a short watchdog and a full reset, all with the password. */
static void power_manager_halt_sequence(void **state)
{
	static uint32_t regs[0x28 / 4];

	(void)state;
	regs[PM_RSTS / 4] = 0x1000 | 0x4; /* a status bit kept, an old partition replaced */
	regs[PM_RSTC / 4] = 0x30 | 0x100; /* old WRCFG cleared, the rest kept */
	bcm2835_pm_halt((uintptr_t)regs);
	assert_int_equal(regs[PM_RSTS / 4], 0x5a000000 | 0x1000 | 0x555);
	assert_int_equal(regs[PM_WDOG / 4], 0x5a000000 | 10);
	assert_int_equal(regs[PM_RSTC / 4], 0x5a000000 | 0x100 | 0x20);
}

/* What TF-A's rpi4 port writes into the DT it passes on: PSCI over SMC. */
static void tf_a_armstub_psci(void **state)
{
	struct ctx *c = *state;
	int cpus = fixture_node(c->fdt, "/cpus"), psci, cpu;

	fdt_for_each_subnode(cpu, c->fdt, cpus)
	{
		if (!fdt_getprop(c->fdt, cpu, "cpu-release-addr", NULL))
			continue;
		assert_int_equal(fdt_setprop_string(c->fdt, cpu, "enable-method", "psci"), 0);
		assert_int_equal(fdt_delprop(c->fdt, cpu, "cpu-release-addr"), 0);
	}
	psci = fdt_add_subnode(c->fdt, 0, "psci");
	assert_true(psci >= 0);
	assert_int_equal(fdt_setprop_string(c->fdt, psci, "compatible", "arm,psci-1.0"), 0);
	assert_int_equal(fdt_setprop_string(c->fdt, psci, "method", "smc"), 0);
	parse_ok(c);
	assert_int_equal(c->hp.psci, PSCI_CONDUIT_SMC);
	assert_int_equal(hostdt_psci_conduit(c->fdt), PSCI_CONDUIT_SMC);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(c->hp.cpus[i].method, CPU_ENABLE_PSCI);
}

/* The armstub's page (/memreserve/) stays out; CMA has no fixed place. */
static void firmware_reservations(void **state)
{
	struct ctx *c = *state;
	struct memplan mp;

	parse_ok(c);
	memplan_init(&mp, c->hp.mem, c->hp.nmem);
	assert_int_equal(memplan_reserve_host_dt(&mp, c->fdt), 0);
	assert_int_equal(mp.nfree, 2);
	assert_int_equal(mp.free[0].base, 0x1000);
	assert_int_equal(mp.free[0].size, LOW_RAM_END - 0x1000);
	assert_int_equal(mp.free[1].base, HIGH_RAM);
	assert_int_equal(mp.free[1].size, HIGH_SIZE);
	assert_int_equal(mp.nused, 1);
	assert_int_equal(mp.used[0].r.base, 0);
	assert_int_equal(mp.used[0].r.size, 0x1000);
	assert_string_equal(mp.used[0].owner, "/memreserve/");
}

/* ---- a VM's device tree on the Pi ---------------------------------------- */

static const char *children(const void *fdt, const char *path)
{
	static char buf[LIST_MAX];
	int child, len = 0;

	buf[0] = '\0';
	fdt_for_each_subnode(child, fdt, fdt_path_offset(fdt, path)) len +=
		snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " " : "",
			 fdt_get_name(fdt, child, NULL));
	return buf;
}

static const char *cells(const void *fdt, const char *path, const char *name)
{
	static char buf[LIST_MAX];
	const fdt32_t *p;
	int len, n = 0;

	buf[0] = '\0';
	p = fdt_getprop(fdt, fdt_path_offset(fdt, path), name, &len);
	if (!p)
		fail_msg("no %s in %s", name, path);
	for (int i = 0; i < len / 4; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s0x%x", i ? " " : "", fdt32_to_cpu(p[i]));
	return buf;
}

/*
 * The demo's Linux VM: 2 vCPUs, no devices. Only the GIC (on a copy of
 * /soc, ranges kept), the timer and the PL011 at the root remain; the UART's
 * clock is Tessera's fixed clock, not the cprman clock controller.
 */
static void guest_keeps_only_what_the_vm_owns(void **state)
{
	static char out[OUT_SIZE];
	struct ctx *c = *state;
	struct vm_config vm = {.label = "linux", .ncpus = 2};
	struct guest_layout lay;
	struct config_error err;

	parse_ok(c);
	console_ok(c);
	lay = (struct guest_layout){.ram_base = 0,
				    .ram_size = 0x10000000,
				    .uart_base = c->hp.uart.regs.base,
				    .ncpus = 2};
	if (guest_dt_build(c->fdt, &c->hp, &vm, &lay, out, sizeof(out), &err))
		fail_msg("unexpected error: %s", err.msg);
	assert_string_equal(children(out, "/"), "chosen aliases cpus memory@0 psci serial@fe201000 "
						"tessera-uart-clock soc timer");
	assert_string_equal(children(out, "/soc"), "interrupt-controller@40041000");
	assert_string_equal(cells(out, "/soc/interrupt-controller@40041000", "reg"),
			    "0x40041000 0x1000 0x40042000 0x2000");
	assert_string_equal(cells(out, "/soc", "ranges"),
			    "0x7e000000 0x0 0xfe000000 0x1800000 0x7c000000 0x0 0xfc000000 "
			    "0x2000000 0x40000000 0x0 0xff800000 0x800000");
	assert_string_equal(children(out, "/cpus"), "cpu@0 cpu@1");
	assert_string_equal(cells(out, "/memory@0", "reg"), "0x0 0x0 0x10000000");
	assert_string_equal(cells(out, "/serial@fe201000", "reg"), "0x0 0xfe201000 0x200");
	assert_string_equal(cells(out, "/serial@fe201000", "interrupts"), "0x0 0x79 0x4");
	assert_string_equal(cells(out, "/serial@fe201000", "clocks"), "0x2b 0x2b");
	assert_string_equal(cells(out, "/tessera-uart-clock", "phandle"), "0x2b");
	assert_string_equal(cells(out, "/tessera-uart-clock", "clock-frequency"), "0x2dc6c00");
	assert_null(fdt_getprop(out, fdt_path_offset(out, "/serial@fe201000"), "pinctrl-0", NULL));
	assert_string_equal(fdt_getprop(out, fdt_path_offset(out, "/chosen"), "stdout-path", NULL),
			    "/serial@fe201000");
}

/* ---- the config against the Pi ------------------------------------------- */

static void config_with_device(struct ctx *c, const char *device, struct config_error *err,
			       int expect)
{
	void *cfg = fixture_load("rpi4-config.dtb");
	struct tessera_config out;

	parse_ok(c);
	console_ok(c);
	if (device)
		assert_int_equal(fdt_setprop_string(cfg, fixture_node(cfg, "/tessera/vm@0"),
						    "devices", device),
				 0);
	assert_int_equal(config_parse(cfg, c->fdt, &c->hp, &out, err), expect);
	free(cfg);
}

static void config_two_vms(void **state)
{
	struct config_error err;

	config_with_device(*state, NULL, &err, 0);
}

/* The mini-UART is Tessera's own, like the PL011 every VM sees. */
static void config_refuses_consoles(void **state)
{
	struct config_error err;

	config_with_device(*state, "/soc/serial@7e215040", &err, -1);
	assert_string_equal(err.msg, "config: vm \"linux\": devices: \"/soc/serial@7e215040\" is "
				     "Tessera's console UART");
	/* The aux block's AUX_ENABLES shares the mini-UART's page. */
	config_with_device(*state, "/soc/aux@7e215000", &err, -1);
	assert_string_equal(err.msg,
			    "config: vm \"linux\": devices: \"/soc/aux@7e215000\" shares a "
			    "page with Tessera's console UART (0xfe215040-0xfe21507f)");
	config_with_device(*state, "/soc/serial@7e201000", &err, -1);
	assert_string_equal(err.msg, "config: vm \"linux\": devices: \"/soc/serial@7e201000\" is "
				     "the console UART, Tessera's own while console = \"mux\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(as_shipped_needs_firmware_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(memory_below_and_above_1g, setup_booted, teardown),
		cmocka_unit_test_setup_teardown(spin_table_cpus, setup_booted, teardown),
		cmocka_unit_test_setup_teardown(gic400_with_virtualization, setup_booted, teardown),
		cmocka_unit_test_setup_teardown(timer_ppis, setup_booted, teardown),
		cmocka_unit_test_setup_teardown(mini_uart_console, setup, teardown),
		cmocka_unit_test(mini_uart_divisor_at_500mhz),
		cmocka_unit_test_setup_teardown(pl011_console, setup, teardown),
		cmocka_unit_test_setup_teardown(mini_uart_console_without_pl011, setup, teardown),
		cmocka_unit_test_setup_teardown(power_manager, setup, teardown),
		cmocka_unit_test(power_manager_halt_sequence),
		cmocka_unit_test_setup_teardown(tf_a_armstub_psci, setup_booted, teardown),
		cmocka_unit_test_setup_teardown(firmware_reservations, setup_booted, teardown),
		cmocka_unit_test_setup_teardown(guest_keeps_only_what_the_vm_owns, setup_booted,
						teardown),
		cmocka_unit_test_setup_teardown(config_two_vms, setup_booted, teardown),
		cmocka_unit_test_setup_teardown(config_refuses_consoles, setup_booted, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

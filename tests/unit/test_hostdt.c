/* SPDX-License-Identifier: MIT */
/* Host DTB parsing: exact values from good trees, exact errors from bad ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/hostdt.h"
#include "dtb_fixture.h"

struct ctx {
	void *fdt;
	struct host_platform hp;
	struct dt_error err;
};

static int setup_v3(void **state)
{
	static struct ctx c;

	c = (struct ctx){.fdt = fixture_load("virt-gicv3.dtb")};
	*state = &c;
	return 0;
}

static int setup_v2(void **state)
{
	static struct ctx c;

	c = (struct ctx){.fdt = fixture_load("spin-gicv2.dtb")};
	*state = &c;
	return 0;
}

static int teardown(void **state)
{
	free(((struct ctx *)*state)->fdt);
	return 0;
}

static void parse_ok(struct ctx *c)
{
	int ret = hostdt_parse(c->fdt, &c->hp, &c->err);

	if (ret)
		fail_msg("unexpected error: %s", c->err.msg);
}

static void expect_parse_error(struct ctx *c, const char *msg)
{
	assert_int_equal(hostdt_parse(c->fdt, &c->hp, &c->err), -1);
	assert_string_equal(c->err.msg, msg);
}

static void virt_platform(void **state)
{
	struct ctx *c = *state;

	parse_ok(c);
	assert_int_equal(c->hp.nmem, 1);
	assert_int_equal(c->hp.mem[0].base, 0x40000000);
	assert_int_equal(c->hp.mem[0].size, 0x80000000);
	assert_int_equal(c->hp.ncpus, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(c->hp.cpus[i].mpidr, i);
		assert_int_equal(c->hp.cpus[i].method, CPU_ENABLE_PSCI);
	}
	assert_int_equal(c->hp.psci, PSCI_CONDUIT_SMC);
	assert_int_equal(c->hp.gic.version, 3);
	assert_string_equal(c->hp.gic.path, "/intc@8000000");
	assert_int_equal(c->hp.gic.dist.base, 0x08000000);
	assert_int_equal(c->hp.gic.dist.size, 0x10000);
	assert_int_equal(c->hp.gic.redist.base, 0x080a0000);
	assert_int_equal(c->hp.gic.redist.size, 0xf60000);
	assert_int_equal(c->hp.gic.maint_intid, 25);
	assert_int_equal(c->hp.timer.sec_phys, 29);
	assert_int_equal(c->hp.timer.phys, 30);
	assert_int_equal(c->hp.timer.virt, 27);
	assert_int_equal(c->hp.timer.hyp_phys, 26);
}

static void virt_console(void **state)
{
	struct ctx *c = *state;
	struct host_uart uart;

	assert_int_equal(hostdt_console(c->fdt, &uart, &c->err), 0);
	assert_string_equal(uart.path, "/pl011@9000000");
	assert_int_equal(uart.regs.base, 0x09000000);
	assert_int_equal(uart.regs.size, 0x1000);
}

static void spin_table_gicv2_platform(void **state)
{
	struct ctx *c = *state;

	parse_ok(c);
	assert_int_equal(c->hp.nmem, 2);
	assert_int_equal(c->hp.mem[0].base, 0);
	assert_int_equal(c->hp.mem[0].size, 0x3b400000);
	assert_int_equal(c->hp.mem[1].base, 0x40000000);
	assert_int_equal(c->hp.mem[1].size, 0xbc000000);
	assert_int_equal(c->hp.ncpus, 4);
	assert_int_equal(c->hp.cpus[2].method, CPU_ENABLE_SPIN_TABLE);
	assert_int_equal(c->hp.cpus[2].release_addr, 0xe8);
	assert_int_equal(c->hp.psci, PSCI_CONDUIT_NONE);
	assert_int_equal(c->hp.gic.version, 2);
	assert_int_equal(c->hp.gic.dist.base, 0x40041000);
	assert_int_equal(c->hp.gic.cpuif.base, 0x40042000);
	assert_int_equal(c->hp.gic.hyp.base, 0x40044000);
	assert_int_equal(c->hp.gic.vcpu.base, 0x40046000);
	assert_int_equal(c->hp.gic.vcpu.size, 0x2000);
	assert_int_equal(c->hp.gic.maint_intid, 25);
}

/* stdout-path through an alias, with options, on a bus with "ranges". */
static void alias_console_translated(void **state)
{
	struct ctx *c = *state;
	struct host_uart uart;

	assert_int_equal(hostdt_console(c->fdt, &uart, &c->err), 0);
	assert_string_equal(uart.path, "/soc/serial@7e201000");
	assert_int_equal(uart.regs.base, 0xfe201000);
	assert_int_equal(uart.regs.size, 0x200);
}

static void console_missing_stdout_path(void **state)
{
	struct ctx *c = *state;
	struct host_uart uart;

	assert_int_equal(fdt_delprop(c->fdt, fixture_node(c->fdt, "/chosen"), "stdout-path"), 0);
	assert_int_equal(hostdt_console(c->fdt, &uart, &c->err), -1);
	assert_string_equal(c->err.msg,
			    "host DTB: /chosen: stdout-path: missing (it names the console)");
	/* The first PL011 is still offered so the error can be printed. */
	assert_int_equal(uart.regs.base, 0x09000000);
}

static void console_missing_chosen(void **state)
{
	struct ctx *c = *state;
	struct host_uart uart;

	assert_int_equal(fdt_del_node(c->fdt, fixture_node(c->fdt, "/chosen")), 0);
	assert_int_equal(hostdt_console(c->fdt, &uart, &c->err), -1);
	assert_string_equal(c->err.msg,
			    "host DTB: /chosen: node missing (its stdout-path names the console)");
	assert_int_equal(uart.regs.base, 0x09000000);
}

static void console_dangling_path(void **state)
{
	struct ctx *c = *state;
	struct host_uart uart;

	assert_int_equal(fdt_setprop_string(c->fdt, fixture_node(c->fdt, "/chosen"), "stdout-path",
					    "serial7:115200"),
			 0);
	assert_int_equal(hostdt_console(c->fdt, &uart, &c->err), -1);
	assert_string_equal(c->err.msg,
			    "host DTB: /chosen: stdout-path: \"serial7:115200\" names no node");
}

static void console_not_pl011(void **state)
{
	struct ctx *c = *state;
	struct host_uart uart;
	int node = fixture_node(c->fdt, "/pl011@9000000");

	assert_int_equal(fdt_setprop_string(c->fdt, node, "compatible", "ns16550a"), 0);
	assert_int_equal(hostdt_console(c->fdt, &uart, &c->err), -1);
	assert_string_equal(c->err.msg, "host DTB: /pl011@9000000: compatible: not a supported "
					"console (want arm,pl011 or brcm,bcm2835-aux-uart)");
	assert_int_equal(uart.regs.base, 0); /* no PL011 left to fall back to */
}

static void gic_without_reg(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_delprop(c->fdt, fixture_node(c->fdt, "/intc@8000000"), "reg"), 0);
	expect_parse_error(c, "host DTB: /intc@8000000: reg: missing or malformed (need the "
			      "distributor)");
}

static void gicv3_without_redistributor(void **state)
{
	struct ctx *c = *state;
	uint32_t reg[] = {0, cpu_to_fdt32(0x08000000), 0, cpu_to_fdt32(0x10000)};

	assert_int_equal(
		fdt_setprop(c->fdt, fixture_node(c->fdt, "/intc@8000000"), "reg", reg, sizeof(reg)),
		0);
	expect_parse_error(c, "host DTB: /intc@8000000: reg: GICv3 needs a redistributor region "
			      "after the distributor");
}

static void gicv2_without_virtualization(void **state)
{
	struct ctx *c = *state;
	uint32_t reg[] = {0, cpu_to_fdt32(0x40041000), cpu_to_fdt32(0x1000),
			  0, cpu_to_fdt32(0x40042000), cpu_to_fdt32(0x2000)};

	assert_int_equal(fdt_setprop(c->fdt, fixture_node(c->fdt, "/interrupt-controller@40041000"),
				     "reg", reg, sizeof(reg)),
			 0);
	expect_parse_error(c, "host DTB: /interrupt-controller@40041000: reg: GICv2 needs GICD, "
			      "GICC, GICH and GICV regions (virtualization extensions)");
}

static void gic_unknown_model(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_setprop_string(c->fdt, fixture_node(c->fdt, "/intc@8000000"),
					    "compatible", "arm,gic-v5"),
			 0);
	expect_parse_error(c, "host DTB: GIC: no supported GIC (arm,gic-v3, arm,gic-400, "
			      "arm,cortex-a15-gic)");
}

static void psci_hvc_refused(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_setprop_string(c->fdt, fixture_node(c->fdt, "/psci"), "method", "hvc"),
			 0);
	expect_parse_error(c, "host DTB: /psci: method: \"hvc\" cannot reach firmware from EL2 "
			      "(need \"smc\")");
}

static void psci_node_missing(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_del_node(c->fdt, fixture_node(c->fdt, "/psci")), 0);
	expect_parse_error(c, "host DTB: /psci: no PSCI 0.2+ node but a CPU uses enable-method "
			      "\"psci\"");
}

static void cpu_bad_enable_method(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_setprop_string(c->fdt, fixture_node(c->fdt, "/cpus/cpu@2"),
					    "enable-method", "parking-protocol"),
			 0);
	expect_parse_error(c, "host DTB: /cpus/cpu@2: enable-method: \"parking-protocol\" is not "
			      "supported");
}

static void spin_table_without_release_addr(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(
		fdt_delprop(c->fdt, fixture_node(c->fdt, "/cpus/cpu@3"), "cpu-release-addr"), 0);
	expect_parse_error(c, "host DTB: /cpus/cpu@3: cpu-release-addr: missing or not 64-bit");
}

static void timer_too_few_ppis(void **state)
{
	struct ctx *c = *state;
	uint32_t irq[] = {cpu_to_fdt32(1), cpu_to_fdt32(13), cpu_to_fdt32(4)};

	assert_int_equal(
		fdt_setprop(c->fdt, fixture_node(c->fdt, "/timer"), "interrupts", irq, sizeof(irq)),
		0);
	expect_parse_error(c, "host DTB: /timer: interrupts: need 4 timer PPIs (secure, "
			      "non-secure, virtual, hypervisor)");
}

static void no_memory(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_del_node(c->fdt, fixture_node(c->fdt, "/memory@40000000")), 0);
	expect_parse_error(c, "host DTB: /memory: no memory node with a non-empty reg");
}

static void not_a_dtb(void **state)
{
	struct ctx *c = *state;

	memset(c->fdt, 0, 64);
	expect_parse_error(c, "host DTB: header: not a valid flattened device tree");
}

/* The early probe never fails: anything but a PSCI node with "smc" is NONE. */
static void conduit_probe(void **state)
{
	struct ctx *c = *state;
	int psci = fixture_node(c->fdt, "/psci");

	assert_int_equal(hostdt_psci_conduit(c->fdt), PSCI_CONDUIT_SMC);
	assert_int_equal(fdt_setprop_string(c->fdt, psci, "method", "hvc"), 0);
	assert_int_equal(hostdt_psci_conduit(c->fdt), PSCI_CONDUIT_NONE);
	assert_int_equal(fdt_delprop(c->fdt, psci, "method"), 0);
	assert_int_equal(hostdt_psci_conduit(c->fdt), PSCI_CONDUIT_NONE);
}

static void conduit_probe_without_psci(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(hostdt_psci_conduit(c->fdt), PSCI_CONDUIT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(virt_platform, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(virt_console, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(spin_table_gicv2_platform, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(alias_console_translated, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(console_missing_stdout_path, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(console_missing_chosen, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(console_dangling_path, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(console_not_pl011, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(gic_without_reg, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(gicv3_without_redistributor, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(gicv2_without_virtualization, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(gic_unknown_model, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(psci_hvc_refused, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(psci_node_missing, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(cpu_bad_enable_method, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(spin_table_without_release_addr, setup_v2,
						teardown),
		cmocka_unit_test_setup_teardown(timer_too_few_ppis, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(no_memory, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(not_a_dtb, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(conduit_probe, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(conduit_probe_without_psci, setup_v2, teardown),
	};

	return cmocka_run_group_tests_name("hostdt", tests, NULL, NULL);
}

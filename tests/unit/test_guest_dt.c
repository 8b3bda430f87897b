/* SPDX-License-Identifier: MIT */
/* Guest DT generation: exact trees from QEMU-virt- and Pi-shaped hosts, exact errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/guest_dt.h"
#include "dtb_fixture.h"

#define OUT_SIZE (64 * 1024)
#define LIST_MAX 1024

struct ctx {
	void *host;
	struct host_platform hp;
	struct vm_config vm;
	struct guest_layout lay;
	struct config_error err;
	char out[OUT_SIZE];
};

static int setup(void **state, const char *fixture)
{
	static struct ctx c;
	struct dt_error err;

	c = (struct ctx){.host = fixture_load(fixture)};
	if (hostdt_parse(c.host, &c.hp, &err) || hostdt_console(c.host, &c.hp.uart, &err))
		fail_msg("%s: %s", fixture, err.msg);
	strcpy(c.vm.label, "alpha");
	c.vm.ncpus = 1;
	c.lay = (struct guest_layout){
		.ram_base = 0x40000000,
		.ram_size = 0x10000000,
		.uart_base = c.hp.uart.regs.base,
		.ncpus = 1,
	};
	*state = &c;
	return 0;
}

static int setup_v3(void **state)
{
	return setup(state, "virt-full-gicv3.dtb");
}

static int setup_v2(void **state)
{
	return setup(state, "virt-full-gicv2.dtb");
}

static int setup_soc(void **state)
{
	return setup(state, "soc-gicv2.dtb");
}

static int teardown(void **state)
{
	free(((struct ctx *)*state)->host);
	return 0;
}

/* Pass a host node through; call after the last edit of the host tree. */
static void add_device(struct ctx *c, const char *path)
{
	struct vm_device *d = &c->vm.devices[c->vm.ndevices++];

	strcpy(d->path, path);
	d->host_node = fdt_path_offset(c->host, path);
}

static void build_ok(struct ctx *c)
{
	if (guest_dt_build(c->host, &c->hp, &c->vm, &c->lay, c->out, sizeof(c->out), &c->err))
		fail_msg("unexpected error: %s", c->err.msg);
	assert_int_equal(fdt_check_full(c->out, sizeof(c->out)), 0);
}

static void expect_error(struct ctx *c, const char *msg)
{
	assert_int_equal(
		guest_dt_build(c->host, &c->hp, &c->vm, &c->lay, c->out, sizeof(c->out), &c->err),
		-1);
	assert_string_equal(c->err.msg, msg);
}

/* For inspection with dtc -I dtb -O dts. */
static void save(const struct ctx *c, const char *name)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/../%s", FIXTURES, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(c->out, fdt_totalsize(c->out), 1, f), 1);
	fclose(f);
}

static int node(const struct ctx *c, const char *path)
{
	int n = fdt_path_offset(c->out, path);

	if (n < 0)
		fail_msg("guest DT has no %s", path);
	return n;
}

static void expect_absent(const struct ctx *c, const char *path)
{
	assert_int_equal(fdt_path_offset(c->out, path), -FDT_ERR_NOTFOUND);
}

/* Append s to the space-separated list in buf. */
static void join(char *buf, const char *s)
{
	size_t len = strlen(buf);

	snprintf(buf + len, LIST_MAX - len, "%s%s", len ? " " : "", s);
}

/* The children of path, in order. */
static const char *children(const struct ctx *c, const char *path)
{
	static char buf[LIST_MAX];
	int child;

	buf[0] = '\0';
	fdt_for_each_subnode(child, c->out, node(c, path))
		join(buf, fdt_get_name(c->out, child, NULL));
	return buf;
}

/* The property names of path, in order. */
static const char *props(const struct ctx *c, const char *path)
{
	static char buf[LIST_MAX];
	const char *name;
	int prop;

	buf[0] = '\0';
	fdt_for_each_property_offset(prop, c->out, node(c, path))
	{
		fdt_getprop_by_offset(c->out, prop, &name, NULL);
		join(buf, name);
	}
	return buf;
}

/* A property as cells, "0x0 0x9000000 ...", or a string list as "a|b". */
static const char *cells(const struct ctx *c, const char *path, const char *name)
{
	static char buf[LIST_MAX];
	char cell[16];
	int plen;
	const fdt32_t *p = fdt_getprop(c->out, node(c, path), name, &plen);

	if (!p)
		fail_msg("%s has no %s", path, name);
	buf[0] = '\0';
	for (int i = 0; i < plen / 4; i++) {
		snprintf(cell, sizeof(cell), "0x%x", fdt32_to_cpu(p[i]));
		join(buf, cell);
	}
	return buf;
}

static const char *strings(const struct ctx *c, const char *path, const char *name)
{
	static char buf[LIST_MAX];
	int plen;
	const char *p = fdt_getprop(c->out, node(c, path), name, &plen);

	if (!p || plen < 1 || p[plen - 1])
		fail_msg("%s: %s is not a string list", path, name);
	memcpy(buf, p, plen);
	for (int i = 0; i < plen - 1; i++)
		if (!buf[i])
			buf[i] = '|';
	return buf;
}

static void virt_tree_shape(void **state)
{
	struct ctx *c = *state;

	add_device(c, "/pl061@9030000");
	build_ok(c);
	save(c, "guest-virt-gicv3.dtb");
	/* Made from the layout, the console, then kept host nodes in host order. */
	assert_string_equal(children(c, "/"),
			    "chosen aliases cpus memory@40000000 psci pl011@9000000 pl061@9030000 "
			    "timer apb-pclk intc@8000000");
	assert_string_equal(props(c, "/"),
			    "compatible model #address-cells #size-cells interrupt-parent");
	assert_string_equal(strings(c, "/", "compatible"), "linux,dummy-virt");
	assert_string_equal(strings(c, "/", "model"), "linux,dummy-virt");
	assert_string_equal(cells(c, "/", "#address-cells"), "0x2");
	assert_string_equal(cells(c, "/", "#size-cells"), "0x2");
	assert_string_equal(cells(c, "/", "interrupt-parent"), "0x8005");
	expect_absent(c, "/fw-cfg@9020000");
	expect_absent(c, "/flash@0");
	expect_absent(c, "/pcie@10000000");
	expect_absent(c, "/virtio_mmio@a000000");
	expect_absent(c, "/platform-bus@c000000");
	expect_absent(c, "/reserved-memory");
	expect_absent(c, "/pl031@9010000");
	expect_absent(c, "/gpio-keys"); /* it references the device, not the other way round */
	expect_absent(c, "/pmu");
	expect_absent(c, "/intc@8000000/its@8080000");
}

static void passthrough_device_and_its_clock(void **state)
{
	struct ctx *c = *state;

	add_device(c, "/pl061@9030000");
	build_ok(c);
	assert_string_equal(props(c, "/pl061@9030000"),
			    "phandle clock-names clocks interrupts gpio-controller #gpio-cells "
			    "compatible reg");
	assert_string_equal(cells(c, "/pl061@9030000", "reg"), "0x0 0x9030000 0x0 0x1000");
	assert_string_equal(cells(c, "/pl061@9030000", "interrupts"), "0x0 0x7 0x4");
	assert_string_equal(cells(c, "/pl061@9030000", "clocks"), "0x8000");
	assert_string_equal(cells(c, "/pl061@9030000", "phandle"), "0x8007");
	assert_string_equal(props(c, "/apb-pclk"), "phandle clock-output-names clock-frequency "
						   "#clock-cells compatible");
	assert_string_equal(cells(c, "/apb-pclk", "phandle"), "0x8000");
	assert_string_equal(cells(c, "/apb-pclk", "clock-frequency"), "0x16e3600");
}

/* Without devices the clock stays: the console PL011 references it. */
static void console_uart(void **state)
{
	struct ctx *c = *state;

	build_ok(c);
	assert_string_equal(children(c, "/"), "chosen aliases cpus memory@40000000 psci "
					      "pl011@9000000 timer apb-pclk intc@8000000");
	assert_string_equal(props(c, "/pl011@9000000"),
			    "clock-names clocks interrupts reg compatible");
	assert_string_equal(cells(c, "/pl011@9000000", "reg"), "0x0 0x9000000 0x0 0x1000");
	assert_string_equal(cells(c, "/pl011@9000000", "interrupts"), "0x0 0x1 0x4");
	assert_string_equal(cells(c, "/pl011@9000000", "clocks"), "0x8000 0x8000");
	assert_string_equal(strings(c, "/pl011@9000000", "clock-names"), "uartclk|apb_pclk");
	assert_string_equal(strings(c, "/pl011@9000000", "compatible"), "arm,pl011|arm,primecell");
	assert_string_equal(props(c, "/aliases"), "serial0");
	assert_string_equal(strings(c, "/aliases", "serial0"), "/pl011@9000000");
	assert_string_equal(cells(c, "/timer", "interrupts"),
			    "0x1 0xd 0x4 0x1 0xe 0x4 0x1 0xb 0x4 0x1 0xa 0x4 0x1 0xc 0x4");
}

/* Listing the console as a device does not make a second node. */
static void console_listed_as_device(void **state)
{
	struct ctx *c = *state;

	add_device(c, "/pl011@9000000");
	build_ok(c);
	assert_string_equal(children(c, "/"), "chosen aliases cpus memory@40000000 psci "
					      "pl011@9000000 timer apb-pclk intc@8000000");
}

static void three_cpus(void **state)
{
	struct ctx *c = *state;
	static const char *const cpu[] = {"/cpus/cpu@0", "/cpus/cpu@1", "/cpus/cpu@2"};

	c->lay.ncpus = 3;
	build_ok(c);
	assert_string_equal(props(c, "/cpus"), "#address-cells #size-cells");
	assert_string_equal(cells(c, "/cpus", "#address-cells"), "0x1");
	assert_string_equal(cells(c, "/cpus", "#size-cells"), "0x0");
	assert_string_equal(children(c, "/cpus"), "cpu@0 cpu@1 cpu@2");
	for (unsigned i = 0; i < 3; i++) {
		char reg[8];

		snprintf(reg, sizeof(reg), "0x%x", i);
		assert_string_equal(props(c, cpu[i]), "device_type compatible reg enable-method");
		assert_string_equal(strings(c, cpu[i], "device_type"), "cpu");
		assert_string_equal(strings(c, cpu[i], "compatible"), "arm,cortex-a57");
		assert_string_equal(cells(c, cpu[i], "reg"), reg);
		assert_string_equal(strings(c, cpu[i], "enable-method"), "psci");
	}
}

static void memory_node(void **state)
{
	struct ctx *c = *state;

	c->lay.ram_base = 0x48000000;
	c->lay.ram_size = 0x8000000;
	build_ok(c);
	expect_absent(c, "/memory@40000000");
	assert_string_equal(props(c, "/memory@48000000"), "device_type reg");
	assert_string_equal(strings(c, "/memory@48000000", "device_type"), "memory");
	assert_string_equal(cells(c, "/memory@48000000", "reg"), "0x0 0x48000000 0x0 0x8000000");
}

static void chosen_with_bootargs_and_initrd(void **state)
{
	struct ctx *c = *state;

	c->vm.bootargs = "console=ttyAMA0 earlycon";
	c->lay.initrd_base = 0x4c000000;
	c->lay.initrd_size = 0x123456;
	build_ok(c);
	assert_string_equal(props(c, "/chosen"),
			    "bootargs linux,initrd-start linux,initrd-end stdout-path");
	assert_string_equal(strings(c, "/chosen", "bootargs"), "console=ttyAMA0 earlycon");
	assert_string_equal(cells(c, "/chosen", "linux,initrd-start"), "0x0 0x4c000000");
	assert_string_equal(cells(c, "/chosen", "linux,initrd-end"), "0x0 0x4c123456");
	assert_string_equal(strings(c, "/chosen", "stdout-path"), "/pl011@9000000");
}

/* The host's rng-seed and kaslr-seed are the host's: not copied. */
static void chosen_minimal(void **state)
{
	struct ctx *c = *state;

	build_ok(c);
	assert_string_equal(props(c, "/chosen"), "stdout-path");
	assert_string_equal(strings(c, "/chosen", "stdout-path"), "/pl011@9000000");
}

static void psci_node(void **state)
{
	struct ctx *c = *state;

	build_ok(c);
	assert_string_equal(props(c, "/psci"), "compatible method");
	assert_string_equal(strings(c, "/psci", "compatible"), "arm,psci-1.0|arm,psci-0.2");
	assert_string_equal(strings(c, "/psci", "method"), "hvc");
}

static void gicv3_one_vcpu(void **state)
{
	struct ctx *c = *state;

	build_ok(c);
	assert_string_equal(cells(c, "/intc@8000000", "reg"),
			    "0x0 0x8000000 0x0 0x10000 0x0 0x80a0000 0x0 0x20000");
	/* No maintenance interrupt: the guest's GIC has no virtualization. */
	assert_string_equal(props(c, "/intc@8000000"),
			    "phandle reg #redistributor-regions compatible ranges #size-cells "
			    "#address-cells interrupt-controller #interrupt-cells");
	assert_string_equal(cells(c, "/intc@8000000", "phandle"), "0x8005");
	assert_string_equal(cells(c, "/intc@8000000", "#redistributor-regions"), "0x1");
	assert_string_equal(strings(c, "/intc@8000000", "compatible"), "arm,gic-v3");
	assert_string_equal(children(c, "/intc@8000000"), "");
}

static void gicv3_three_vcpus(void **state)
{
	struct ctx *c = *state;

	c->lay.ncpus = 3;
	build_ok(c);
	assert_string_equal(cells(c, "/intc@8000000", "reg"),
			    "0x0 0x8000000 0x0 0x10000 0x0 0x80a0000 0x0 0x60000");
}

/* GICD and GICC only; GICH, GICV and the v2m frame are the host's. */
static void gicv2_frames(void **state)
{
	struct ctx *c = *state;

	c->lay.ncpus = 2;
	build_ok(c);
	save(c, "guest-virt-gicv2.dtb");
	assert_string_equal(cells(c, "/intc@8000000", "reg"),
			    "0x0 0x8000000 0x0 0x10000 0x0 0x8010000 0x0 0x10000");
	assert_string_equal(props(c, "/intc@8000000"),
			    "phandle reg compatible ranges #size-cells #address-cells "
			    "interrupt-controller #interrupt-cells");
	assert_string_equal(children(c, "/intc@8000000"), "");
	expect_absent(c, "/intc@8000000/v2m@8020000");
}

/*
 * Pi-shaped: 2/1 root cells; the console moves from /soc to the root at its
 * CPU address, with a fixed clock of its own instead of the clock
 * controller; the I2C controller keeps its bus, and brings the clock chain
 * (cprman, then clk-osc) and its pin group (under a copy of the GPIO node).
 */
static void soc_bus_tree(void **state)
{
	struct ctx *c = *state;

	c->lay.ram_base = 0x10000000;
	c->lay.ram_size = 0x8000000;
	c->lay.ncpus = 2;
	add_device(c, "/soc/i2c@7e804000");
	build_ok(c);
	save(c, "guest-soc-gicv2.dtb");
	assert_string_equal(children(c, "/"),
			    "chosen aliases cpus memory@10000000 psci "
			    "serial@fe201000 tessera-uart-clock clocks timer soc");
	assert_string_equal(cells(c, "/", "#address-cells"), "0x2");
	assert_string_equal(cells(c, "/", "#size-cells"), "0x1");
	assert_string_equal(strings(c, "/", "model"), "Raspberry Pi 4 Model B");
	assert_string_equal(cells(c, "/memory@10000000", "reg"), "0x0 0x10000000 0x8000000");
	assert_string_equal(props(c, "/cpus/cpu@1"), "device_type compatible reg enable-method");
	assert_string_equal(strings(c, "/cpus/cpu@1", "compatible"), "arm,cortex-a72");
	assert_string_equal(strings(c, "/chosen", "stdout-path"), "/serial@fe201000");
	assert_string_equal(props(c, "/serial@fe201000"),
			    "compatible reg interrupts clocks clock-names arm,primecell-periphid");
	assert_string_equal(cells(c, "/serial@fe201000", "reg"), "0x0 0xfe201000 0x200");
	assert_string_equal(cells(c, "/serial@fe201000", "clocks"), "0x8 0x8");
	assert_string_equal(props(c, "/tessera-uart-clock"),
			    "compatible #clock-cells clock-frequency phandle");
	assert_string_equal(strings(c, "/tessera-uart-clock", "compatible"), "fixed-clock");
	assert_string_equal(cells(c, "/tessera-uart-clock", "clock-frequency"), "0x2dc6c00");
	assert_string_equal(cells(c, "/tessera-uart-clock", "phandle"), "0x8");
	assert_string_equal(
		children(c, "/soc"),
		"cprman@7e101000 gpio@7e200000 i2c@7e804000 interrupt-controller@40041000");
	assert_string_equal(
		cells(c, "/soc", "ranges"),
		"0x7e000000 0x0 0xfe000000 0x1800000 0x40000000 0x0 0xff800000 0x800000");
	assert_string_equal(children(c, "/soc/gpio@7e200000"), "i2c1");
	assert_string_equal(children(c, "/soc/i2c@7e804000"), "eeprom@50");
	assert_string_equal(cells(c, "/soc/i2c@7e804000", "reg"), "0x7e804000 0x1000");
	assert_string_equal(children(c, "/clocks"), "clk-osc");
	assert_string_equal(cells(c, "/soc/interrupt-controller@40041000", "reg"),
			    "0x40041000 0x1000 0x40042000 0x2000");
	expect_absent(c, "/soc/dma@7e007000");
	expect_absent(c, "/soc/serial@7e201000");
	expect_absent(c, "/reserved-memory");
	expect_absent(c, "/cpus/l2-cache0");
}

/* Moved to the root, the console keeps the interrupt parent its bus gave it. */
static void soc_uart_keeps_bus_interrupt_parent(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_setprop_u32(c->host, fixture_node(c->host, "/soc/gpio@7e200000"),
					 "phandle", 0x50),
			 0);
	assert_int_equal(
		fdt_setprop_u32(c->host, fixture_node(c->host, "/soc"), "interrupt-parent", 0x50),
		0);
	build_ok(c);
	assert_string_equal(cells(c, "/serial@fe201000", "interrupt-parent"), "0x50");
	assert_string_equal(cells(c, "/soc", "interrupt-parent"), "0x50");
	/* The console's clock controller stays with the host. */
	assert_string_equal(children(c, "/soc"), "gpio@7e200000 interrupt-controller@40041000");
	assert_string_equal(children(c, "/soc/gpio@7e200000"), "uart0_pins i2c1");
}

static void soc_memory_too_big_for_size_cells(void **state)
{
	struct ctx *c = *state;

	c->lay.ram_base = 0x0;
	c->lay.ram_size = 0x100000000;
	expect_error(c, "config: vm \"alpha\": memory: 0x100000000 bytes at 0x0 do not fit the "
			"host root's #address-cells = <2>, #size-cells = <1>");
}

static void buffer_too_small(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(guest_dt_build(c->host, &c->hp, &c->vm, &c->lay, c->out, 1024, &c->err),
			 -1);
	assert_string_equal(c->err.msg, "config: vm \"alpha\": dtb: generated tree does not fit "
					"in 1024 bytes");
}

static void device_bad_phandle(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(
		fdt_setprop_u32(c->host, fixture_node(c->host, "/pl061@9030000"), "clocks", 0x99),
		0);
	add_device(c, "/pl061@9030000");
	expect_error(c, "config: vm \"alpha\": devices: /pl061@9030000: clocks references "
			"phandle 0x99 which is not in the host DT");
}

static void console_bad_phandle(void **state)
{
	struct ctx *c = *state;
	uint32_t clocks[] = {cpu_to_fdt32(0x8000), cpu_to_fdt32(0x99)};

	assert_int_equal(fdt_setprop(c->host, fixture_node(c->host, "/pl011@9000000"), "clocks",
				     clocks, sizeof(clocks)),
			 0);
	expect_error(c, "config: vm \"alpha\": dtb: /pl011@9000000: clocks references phandle "
			"0x99 which is not in the host DT");
}

static void clock_without_cells(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_delprop(c->host, fixture_node(c->host, "/apb-pclk"), "#clock-cells"),
			 0);
	expect_error(c, "config: vm \"alpha\": dtb: /pl011@9000000: clocks: /apb-pclk has no "
			"#clock-cells");
}

/* The ITS is not emulated, so a device cannot bring it along. */
static void device_references_its(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_setprop_u32(c->host, fixture_node(c->host, "/pl031@9010000"),
					 "interrupt-parent", 0x8006),
			 0);
	add_device(c, "/pl031@9010000");
	expect_error(c, "config: vm \"alpha\": devices: /pl031@9010000: interrupt-parent "
			"references /intc@8000000/its@8080000, which is not passed to guests");
}

static void device_replaced_by_guest_node(void **state)
{
	struct ctx *c = *state;

	add_device(c, "/cpus/cpu@1");
	expect_error(c, "config: vm \"alpha\": devices: /cpus/cpu@1: cannot be passed through "
			"(the guest DT has its own)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(virt_tree_shape, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(passthrough_device_and_its_clock, setup_v3,
						teardown),
		cmocka_unit_test_setup_teardown(console_uart, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(console_listed_as_device, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(three_cpus, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(memory_node, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(chosen_with_bootargs_and_initrd, setup_v3,
						teardown),
		cmocka_unit_test_setup_teardown(chosen_minimal, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(psci_node, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(gicv3_one_vcpu, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(gicv3_three_vcpus, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(gicv2_frames, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(soc_bus_tree, setup_soc, teardown),
		cmocka_unit_test_setup_teardown(soc_uart_keeps_bus_interrupt_parent, setup_soc,
						teardown),
		cmocka_unit_test_setup_teardown(soc_memory_too_big_for_size_cells, setup_soc,
						teardown),
		cmocka_unit_test_setup_teardown(buffer_too_small, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(device_bad_phandle, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(console_bad_phandle, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(clock_without_cells, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(device_references_its, setup_v3, teardown),
		cmocka_unit_test_setup_teardown(device_replaced_by_guest_node, setup_v3, teardown),
	};

	return cmocka_run_group_tests_name("guest_dt", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * VM config parsing: every value of a good config, and for each mistake the
 * exact message. Each test breaks one thing in config-basic.dts (two VMs on
 * the config-host.dts machine) with libfdt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/config.h"
#include "dtb_fixture.h"

#define ALPHA "/tessera/vm@0"
#define BETA  "/tessera/vm@1"

struct ctx {
	void *cfg;
	void *host_fdt;
	struct host_platform host;
	struct tessera_config out;
	struct config_error err;
};

static int setup_host(void **state, const char *host_dtb)
{
	static struct ctx c;
	struct dt_error derr;

	memset(&c, 0, sizeof(c));
	c.cfg = fixture_load("config-basic.dtb");
	c.host_fdt = fixture_load(host_dtb);
	if (hostdt_parse(c.host_fdt, &c.host, &derr) ||
	    hostdt_console(c.host_fdt, &c.host.uart, &derr))
		fail_msg("host fixture: %s", derr.msg);
	*state = &c;
	return 0;
}

static int setup(void **state)
{
	return setup_host(state, "config-host.dtb");
}

static int setup_gicv2(void **state)
{
	return setup_host(state, "spin-gicv2.dtb");
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	free(c->cfg);
	free(c->host_fdt);
	return 0;
}

static int parse(struct ctx *c)
{
	return config_parse(c->cfg, c->host_fdt, &c->host, &c->out, &c->err);
}

static void parse_ok(struct ctx *c)
{
	if (parse(c))
		fail_msg("unexpected error: %s", c->err.msg);
}

static void expect_error(struct ctx *c, const char *msg)
{
	assert_int_equal(parse(c), -1);
	assert_string_equal(c->err.msg, msg);
}

static void set_str(struct ctx *c, const char *node, const char *prop, const char *val)
{
	assert_int_equal(fdt_setprop_string(c->cfg, fixture_node(c->cfg, node), prop, val), 0);
}

static void set_raw(struct ctx *c, const char *node, const char *prop, const void *val, int len)
{
	assert_int_equal(fdt_setprop(c->cfg, fixture_node(c->cfg, node), prop, val, len), 0);
}

static void set_cells(struct ctx *c, const char *node, const char *prop, const uint32_t *cells,
		      int n)
{
	uint32_t be[16];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	set_raw(c, node, prop, be, n * 4);
}

static void set_memory(struct ctx *c, const char *node, uint64_t base, uint64_t size)
{
	uint32_t cells[] = {base >> 32, (uint32_t)base, size >> 32, (uint32_t)size};

	set_cells(c, node, "memory", cells, 4);
}

static void del_prop(struct ctx *c, const char *node, const char *prop)
{
	assert_int_equal(fdt_delprop(c->cfg, fixture_node(c->cfg, node), prop), 0);
}

/* devices = one or two host paths (a string list). */
static void set_devices(struct ctx *c, const char *node, const char *a, const char *b)
{
	char list[2 * DT_PATH_MAX];
	size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;

	memcpy(list, a, la);
	if (b)
		memcpy(list + la, b, lb);
	set_raw(c, node, "devices", list, (int)(la + lb));
}

/* ---- good configs ---------------------------------------------------- */

static void two_vms(void **state)
{
	struct ctx *c = *state;
	const struct vm_config *a = &c->out.vms[0], *b = &c->out.vms[1];

	parse_ok(c);
	assert_int_equal(c->out.nvms, 2);
	assert_int_equal(c->out.console, CONSOLE_MUX);

	assert_string_equal(a->label, "alpha");
	assert_int_equal(a->ncpus, 2);
	assert_int_equal(a->cpus[0], 0);
	assert_int_equal(a->cpus[1], 1);
	assert_int_equal(a->mem.base, 0x40000000);
	assert_int_equal(a->mem.size, 0x10000000);
	assert_false(a->identity);
	assert_int_equal(a->kernel.size, 64);
	assert_memory_equal((const char *)a->kernel.data + 56, "ARM\x64", 4);
	assert_int_equal(a->initrd.size, 0);
	assert_int_equal(a->dtb.size, 0);
	assert_string_equal(a->bootargs, "console=ttyAMA0");

	assert_int_equal(a->ndevices, 2);
	assert_string_equal(a->devices[0].path, "/pl061@9030000");
	assert_int_equal(a->devices[0].host_node, fixture_node(c->host_fdt, "/pl061@9030000"));
	assert_int_equal(a->devices[0].nregs, 1);
	assert_int_equal(a->devices[0].regs[0].base, 0x09030000);
	assert_int_equal(a->devices[0].regs[0].size, 0x1000);
	assert_int_equal(a->devices[0].nirqs, 1);
	assert_int_equal(a->devices[0].irqs[0], 39);
	/* Translated through /soc's ranges and widened to the whole page. */
	assert_string_equal(a->devices[1].path, "/soc/mmc@100800");
	assert_int_equal(a->devices[1].regs[0].base, 0x0a100000);
	assert_int_equal(a->devices[1].regs[0].size, 0x1000);
	assert_int_equal(a->devices[1].irqs[0], 42);

	assert_string_equal(b->label, "beta");
	assert_int_equal(b->ncpus, 2);
	assert_int_equal(b->cpus[0], 3); /* in the order given */
	assert_int_equal(b->cpus[1], 2);
	assert_true(b->identity);
	assert_int_equal(b->initrd.size, 4);
	assert_null(b->bootargs);
}

/* Only the GIC's entry of interrupts-extended is an SPI to hand over. */
static void interrupts_extended(void **state)
{
	struct ctx *c = *state;
	const struct vm_device *d = &c->out.vms[1].devices[0];

	parse_ok(c);
	assert_string_equal(d->path, "/ext@9070000");
	assert_int_equal(d->regs[0].base, 0x09070000);
	assert_int_equal(d->regs[0].size, 0x2000);
	assert_int_equal(d->nirqs, 1);
	assert_int_equal(d->irqs[0], 52);
}

static void console_owned_by_vm(void **state)
{
	struct ctx *c = *state;

	set_str(c, "/tessera", "console", "beta");
	parse_ok(c);
	assert_int_equal(c->out.console, CONSOLE_VM);
	assert_int_equal(c->out.console_vm, 1);
}

static void user_dtb(void **state)
{
	struct ctx *c = *state;
	char dtb[256];

	assert_int_equal(fdt_create_empty_tree(dtb, sizeof(dtb)), 0);
	set_raw(c, ALPHA, "dtb", dtb, (int)fdt_totalsize(dtb));
	parse_ok(c);
	assert_int_equal(c->out.vms[0].dtb.size, fdt_totalsize(dtb));
}

/* ---- the file and /tessera ------------------------------------------- */

static void not_a_dtb(void **state)
{
	struct ctx *c = *state;

	memset(c->cfg, 0, 64);
	expect_error(c, "config: header: not a valid flattened device tree");
}

static void wrong_root_compatible(void **state)
{
	struct ctx *c = *state;

	set_str(c, "/", "compatible", "linux,dummy-virt");
	expect_error(c, "config: /: compatible: not \"tessera,config\"");
}

static void missing_root_compatible(void **state)
{
	struct ctx *c = *state;

	del_prop(c, "/", "compatible");
	expect_error(c, "config: /: compatible: not \"tessera,config\"");
}

static void no_tessera_node(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_del_node(c->cfg, fixture_node(c->cfg, "/tessera")), 0);
	expect_error(c, "config: /tessera: node missing");
}

static void no_vms(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(fdt_del_node(c->cfg, fixture_node(c->cfg, BETA)), 0);
	assert_int_equal(fdt_del_node(c->cfg, fixture_node(c->cfg, ALPHA)), 0);
	expect_error(c, "config: /tessera: no VMs (add a vm@0 node)");
}

/*
 * Counted before any is parsed, so the count error comes first. libfdt adds
 * subnodes before the existing ones, so the ninth node is vm@1.
 */
static void too_many_vms(void **state)
{
	struct ctx *c = *state;
	int tessera = fixture_node(c->cfg, "/tessera");
	char name[8];

	for (int i = 2; i <= VM_MAX; i++) {
		memcpy(name, "vm@", 3);
		name[3] = (char)('0' + i);
		name[4] = '\0';
		assert_true(fdt_add_subnode(c->cfg, tessera, name) >= 0);
	}
	expect_error(c, "config: /tessera: vm@1: more than 8 VMs");
}

static void unknown_tessera_node(void **state)
{
	struct ctx *c = *state;

	assert_true(fdt_add_subnode(c->cfg, fixture_node(c->cfg, "/tessera"), "vn@2") >= 0);
	expect_error(c, "config: /tessera: vn@2: unknown node (VMs are vm@<n> nodes)");
}

static void unknown_tessera_property(void **state)
{
	struct ctx *c = *state;

	set_str(c, "/tessera", "consol", "mux");
	expect_error(c, "config: /tessera: consol: unknown property (known: console)");
}

static void console_absent_means_mux(void **state)
{
	struct ctx *c = *state;

	del_prop(c, "/tessera", "console");
	parse_ok(c);
	assert_int_equal(c->out.console, CONSOLE_MUX);
}

static void console_not_a_string(void **state)
{
	struct ctx *c = *state;
	uint32_t one = 1;

	set_cells(c, "/tessera", "console", &one, 1);
	expect_error(c, "config: /tessera: console: not a string");
}

static void console_unknown_label(void **state)
{
	struct ctx *c = *state;

	set_str(c, "/tessera", "console", "gamma");
	expect_error(c, "config: /tessera: console: \"gamma\" is neither \"mux\" nor a VM label");
}

/* ---- label ------------------------------------------------------------- */

static void label_missing(void **state)
{
	struct ctx *c = *state;

	del_prop(c, BETA, "label");
	expect_error(c, "config: vm@1: label: missing");
}

static void label_duplicate(void **state)
{
	struct ctx *c = *state;

	set_str(c, BETA, "label", "alpha");
	expect_error(c, "config: vm@1: label: \"alpha\" is already the label of vm@0");
}

static void label_too_long(void **state)
{
	struct ctx *c = *state;

	set_str(c, ALPHA, "label", "a-label-of-exactly-32-characters");
	expect_error(c, "config: vm@0: label: \"a-label-of-exactly-32-characters\" is longer than "
			"31 characters");
}

static void label_longest(void **state)
{
	struct ctx *c = *state;

	set_str(c, ALPHA, "label", "a-label-of-just-31-characters..");
	parse_ok(c);
	assert_string_equal(c->out.vms[0].label, "a-label-of-just-31-characters..");
}

static void label_empty(void **state)
{
	struct ctx *c = *state;

	set_str(c, ALPHA, "label", "");
	expect_error(c, "config: vm@0: label: empty");
}

static void label_bad_character(void **state)
{
	struct ctx *c = *state;

	set_str(c, ALPHA, "label", "my vm");
	expect_error(c, "config: vm@0: label: \"my vm\" may only contain letters, digits, '-', '_' "
			"and '.'");
}

static void label_mux_reserved(void **state)
{
	struct ctx *c = *state;

	set_str(c, ALPHA, "label", "mux");
	expect_error(c, "config: vm@0: label: \"mux\" is reserved (console = \"mux\" shares the "
			"UART)");
}

static void unknown_vm_property(void **state)
{
	struct ctx *c = *state;

	set_str(c, ALPHA, "memroy", "x");
	expect_error(c, "config: vm \"alpha\": memroy: unknown property (known: label cpus memory "
			"kernel initrd bootargs devices shared-devices identity dtb)");
}

/* ---- cpus -------------------------------------------------------------- */

static void cpus_missing(void **state)
{
	struct ctx *c = *state;

	del_prop(c, ALPHA, "cpus");
	expect_error(c, "config: vm \"alpha\": cpus: missing");
}

static void cpus_empty(void **state)
{
	struct ctx *c = *state;

	set_raw(c, ALPHA, "cpus", NULL, 0);
	expect_error(c, "config: vm \"alpha\": cpus: empty");
}

static void cpus_not_cells(void **state)
{
	struct ctx *c = *state;

	set_raw(c, ALPHA, "cpus", "\0\0\0\0\0", 5);
	expect_error(c, "config: vm \"alpha\": cpus: 5 bytes is not a list of 32-bit cells");
}

static void cpu_does_not_exist(void **state)
{
	struct ctx *c = *state;
	uint32_t cpus[] = {0, 7};

	set_cells(c, ALPHA, "cpus", cpus, 2);
	expect_error(c, "config: vm \"alpha\": cpus: CPU 7 does not exist (the host has 4)");
}

static void cpu_listed_twice(void **state)
{
	struct ctx *c = *state;
	uint32_t cpus[] = {1, 0, 1};

	set_cells(c, ALPHA, "cpus", cpus, 3);
	expect_error(c, "config: vm \"alpha\": cpus: CPU 1 is listed twice");
}

static void cpu_in_two_vms(void **state)
{
	struct ctx *c = *state;
	uint32_t cpus[] = {2, 1};

	set_cells(c, BETA, "cpus", cpus, 2);
	expect_error(c, "config: vm \"beta\": cpus: CPU 1 is already used by vm \"alpha\"");
}

/* ---- memory ------------------------------------------------------------ */

static void memory_missing(void **state)
{
	struct ctx *c = *state;

	del_prop(c, ALPHA, "memory");
	expect_error(c, "config: vm \"alpha\": memory: missing");
}

static void memory_wrong_length(void **state)
{
	struct ctx *c = *state;
	uint32_t mem[] = {0x40000000, 0x10000000};

	set_cells(c, ALPHA, "memory", mem, 2);
	expect_error(c,
		     "config: vm \"alpha\": memory: 8 bytes, want 16 (2-cell base, 2-cell size)");
}

static void memory_size_zero(void **state)
{
	struct ctx *c = *state;

	set_memory(c, ALPHA, 0x40000000, 0);
	expect_error(c, "config: vm \"alpha\": memory: size is 0");
}

static void memory_base_unaligned(void **state)
{
	struct ctx *c = *state;

	set_memory(c, ALPHA, 0x40100000, 0x10000000);
	expect_error(c, "config: vm \"alpha\": memory: base 0x40100000 is not a multiple of 2 MiB");
}

static void memory_size_unaligned(void **state)
{
	struct ctx *c = *state;

	set_memory(c, ALPHA, 0x40000000, 0x10001000);
	expect_error(c, "config: vm \"alpha\": memory: size 0x10001000 is not a multiple of 2 MiB");
}

static void memory_wraps(void **state)
{
	struct ctx *c = *state;

	set_memory(c, ALPHA, 0xffffffffffe00000ull, 0x400000);
	expect_error(c, "config: vm \"alpha\": memory: 0xffffffffffe00000 + 0x400000 wraps around "
			"the address space");
}

static void memory_over_gic(void **state)
{
	struct ctx *c = *state;

	set_memory(c, ALPHA, 0x08000000, 0x10000000);
	expect_error(c, "config: vm \"alpha\": memory: 0x8000000-0x17ffffff overlaps the GIC "
			"distributor (0x8000000-0x800ffff)");
}

static void memory_over_redistributors(void **state)
{
	struct ctx *c = *state;

	set_memory(c, ALPHA, 0x08200000, 0x200000);
	expect_error(c, "config: vm \"alpha\": memory: 0x8200000-0x83fffff overlaps the GIC "
			"redistributors (0x80a0000-0x8ffffff)");
}

static void memory_over_uart(void **state)
{
	struct ctx *c = *state;

	set_memory(c, ALPHA, 0x09000000, 0x200000);
	expect_error(c, "config: vm \"alpha\": memory: 0x9000000-0x91fffff overlaps the console "
			"UART (0x9000000-0x9000fff)");
}

static void memory_over_device(void **state)
{
	struct ctx *c = *state;

	set_memory(c, ALPHA, 0x0a000000, 0x200000);
	expect_error(c, "config: vm \"alpha\": memory: 0xa000000-0xa1fffff overlaps device "
			"\"/soc/mmc@100800\" (0xa100000-0xa100fff)");
}

/* GICv2: the guest's GICC (where GICV is mapped) is in its IPA space too. */
static void memory_over_gicv2_cpu_interface(void **state)
{
	struct ctx *c = *state;

	del_prop(c, ALPHA, "devices");
	del_prop(c, BETA, "devices");
	set_memory(c, ALPHA, 0x40000000, 0x200000);
	expect_error(c, "config: vm \"alpha\": memory: 0x40000000-0x401fffff overlaps the GIC "
			"distributor (0x40041000-0x40041fff)");
	set_memory(c, ALPHA, 0x80000000, 0x200000);
	parse_ok(c);
}

/* ---- images -------------------------------------------------------------- */

static void kernel_missing(void **state)
{
	struct ctx *c = *state;

	del_prop(c, ALPHA, "kernel");
	expect_error(c, "config: vm \"alpha\": kernel: missing");
}

static void kernel_empty(void **state)
{
	struct ctx *c = *state;

	set_raw(c, ALPHA, "kernel", NULL, 0);
	expect_error(c, "config: vm \"alpha\": kernel: empty");
}

static void kernel_too_small(void **state)
{
	struct ctx *c = *state;

	set_raw(c, ALPHA, "kernel", "MZ\0\0", 4);
	expect_error(c, "config: vm \"alpha\": kernel: 4 bytes is too small for an arm64 Image");
}

static void kernel_not_an_image(void **state)
{
	struct ctx *c = *state;
	char elf[64] = "\x7f"
		       "ELF";

	set_raw(c, ALPHA, "kernel", elf, sizeof(elf));
	expect_error(c, "config: vm \"alpha\": kernel: not an arm64 Image (no \"ARM\\x64\" magic "
			"at offset 56)");
}

static void kernel_big_endian(void **state)
{
	struct ctx *c = *state;
	char image[64] = {0};

	memcpy(image + 56, "ARM\x64", 4);
	image[24] = 1; /* flags bit 0: big-endian */
	set_raw(c, ALPHA, "kernel", image, sizeof(image));
	expect_error(c,
		     "config: vm \"alpha\": kernel: big-endian Image (guests run little-endian)");
}

static void initrd_empty(void **state)
{
	struct ctx *c = *state;

	set_raw(c, BETA, "initrd", NULL, 0);
	expect_error(c, "config: vm \"beta\": initrd: empty");
}

static void bootargs_not_a_string(void **state)
{
	struct ctx *c = *state;
	uint32_t n = 5;

	set_cells(c, ALPHA, "bootargs", &n, 1);
	expect_error(c, "config: vm \"alpha\": bootargs: not a single NUL-terminated string");
}

static void bootargs_string_list(void **state)
{
	struct ctx *c = *state;

	set_raw(c, ALPHA, "bootargs", "quiet\0debug", 12);
	expect_error(c, "config: vm \"alpha\": bootargs: not a single NUL-terminated string");
}

static void identity_with_value(void **state)
{
	struct ctx *c = *state;
	uint32_t one = 1;

	set_cells(c, BETA, "identity", &one, 1);
	expect_error(c, "config: vm \"beta\": identity: has a value (it is a flag: write "
			"\"identity;\")");
}

static void dtb_garbage(void **state)
{
	struct ctx *c = *state;

	set_raw(c, ALPHA, "dtb", "not a device tree, clearly not one at all", 42);
	expect_error(c, "config: vm \"alpha\": dtb: not a flattened device tree (no FDT header)");
}

static void dtb_truncated(void **state)
{
	struct ctx *c = *state;
	char dtb[256];

	assert_int_equal(fdt_create_empty_tree(dtb, sizeof(dtb)), 0);
	set_raw(c, ALPHA, "dtb", dtb, 64);
	expect_error(c, "config: vm \"alpha\": dtb: header says 256 bytes, the property has 64");
}

/* ---- devices ------------------------------------------------------------- */

static void device_not_found(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/pl061@9030000", "/pl061@9031000");
	expect_error(c, "config: vm \"alpha\": devices: \"/pl061@9031000\" is not in the host "
			"device tree");
}

static void device_disabled(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/disabled@9040000", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/disabled@9040000\" is disabled in the "
			"host device tree");
}

static void device_without_reg(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/apb-pclk", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/apb-pclk\" has no reg (no MMIO to pass "
			"through)");
}

static void device_too_many_regs(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/many-regs@9080000", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/many-regs@9080000\" has more than 4 reg "
			"ranges");
}

static void device_empty_path(void **state)
{
	struct ctx *c = *state;

	set_raw(c, ALPHA, "devices", "/pl061@9030000\0", 16);
	expect_error(c, "config: vm \"alpha\": devices: empty path");
}

static void devices_not_strings(void **state)
{
	struct ctx *c = *state;
	uint32_t n = 1;

	set_cells(c, ALPHA, "devices", &n, 1);
	expect_error(c, "config: vm \"alpha\": devices: not a list of strings");
}

static void device_is_mux_console(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/pl011@9000000", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/pl011@9000000\" is the console UART, "
			"Tessera's own while console = \"mux\"");
}

static void device_is_vm_console(void **state)
{
	struct ctx *c = *state;

	set_str(c, "/tessera", "console", "alpha");
	set_devices(c, ALPHA, "/pl011@9000000", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/pl011@9000000\" is the console UART: "
			"console = \"alpha\" passes it through, not devices");
}

static void device_in_two_vms(void **state)
{
	struct ctx *c = *state;

	set_devices(c, BETA, "/ext@9070000", "/pl061@9030000");
	expect_error(c, "config: vm \"beta\": devices: \"/pl061@9030000\" is already given to vm "
			"\"alpha\"");
}

static void device_listed_twice(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/pl061@9030000", "/pl061@9030000");
	expect_error(c, "config: vm \"alpha\": devices: \"/pl061@9030000\" is listed twice");
}

static void devices_share_a_page(void **state)
{
	struct ctx *c = *state;

	set_devices(c, BETA, "/gpio-aux@9030800", NULL);
	expect_error(c, "config: vm \"beta\": devices: \"/gpio-aux@9030800\" shares a page with "
			"\"/pl061@9030000\" of vm \"alpha\" (0x9030000-0x9030fff)");
}

/* Even within one VM: one page cannot be mapped for two devices. */
static void devices_share_a_page_in_one_vm(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/pl061@9030000", "/gpio-aux@9030800");
	expect_error(c, "config: vm \"alpha\": devices: \"/gpio-aux@9030800\" shares a page with "
			"\"/pl061@9030000\" of vm \"alpha\" (0x9030000-0x9030fff)");
}

/* shared-devices in both VMs: one device (or page) in two VMs, its IRQs in none. */
static void shared_device_in_two_vms(void **state)
{
	struct ctx *c = *state;
	const struct vm_device *a, *b;

	set_devices(c, ALPHA, "/soc/mmc@100800", NULL);
	set_raw(c, ALPHA, "shared-devices", "/pl061@9030000", sizeof("/pl061@9030000"));
	set_raw(c, BETA, "shared-devices", "/pl061@9030000", sizeof("/pl061@9030000"));
	parse_ok(c);
	a = &c->out.vms[0].devices[1];
	b = &c->out.vms[1].devices[1];
	assert_string_equal(a->path, "/pl061@9030000");
	assert_string_equal(b->path, "/pl061@9030000");
	assert_true(a->shared && b->shared);
	assert_int_equal(a->nirqs, 0);
	assert_int_equal(b->regs[0].base, 0x9030000);
}

/* Sharing takes both: shareable in one VM and plain in the other is refused. */
static void shared_device_one_side_only(void **state)
{
	struct ctx *c = *state;

	set_raw(c, BETA, "shared-devices", "/pl061@9030000", sizeof("/pl061@9030000"));
	expect_error(c, "config: vm \"beta\": devices: \"/pl061@9030000\" is already given to vm "
			"\"alpha\"");
}

static void spi_in_two_vms(void **state)
{
	struct ctx *c = *state;

	set_devices(c, BETA, "/shared-irq@9050000", NULL);
	expect_error(c, "config: vm \"beta\": devices: \"/shared-irq@9050000\" has INTID 39, which "
			"is already given to vm \"alpha\" with \"/pl061@9030000\"");
}

/* A shared interrupt line is fine when one VM has both devices. */
static void spi_shared_in_one_vm(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/pl061@9030000", "/shared-irq@9050000");
	parse_ok(c);
	assert_int_equal(c->out.vms[0].devices[1].irqs[0], 39);
}

static void spi_of_the_console_uart(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/uart-irq@9058000", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/uart-irq@9058000\" has INTID 33, the "
			"console UART's interrupt");
	/* The VM that owns the console also owns its interrupt. */
	set_str(c, "/tessera", "console", "alpha");
	parse_ok(c);
}

static void device_with_ppi(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/ppi@9060000", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/ppi@9060000\" has interrupt <1 7>, not "
			"an SPI (only SPIs can be passed through)");
}

static void device_malformed_interrupts(void **state)
{
	struct ctx *c = *state;
	uint32_t irq[] = {cpu_to_fdt32(0), cpu_to_fdt32(7)};

	assert_int_equal(fdt_setprop(c->host_fdt, fixture_node(c->host_fdt, "/pl061@9030000"),
				     "interrupts", irq, sizeof(irq)),
			 0);
	expect_error(c, "config: vm \"alpha\": devices: \"/pl061@9030000\" has a malformed "
			"interrupts property");
}

static void device_too_many_interrupts(void **state)
{
	struct ctx *c = *state;
	uint32_t irq[3 * (VM_DEV_MAX_IRQS + 1)];

	for (unsigned i = 0; i < VM_DEV_MAX_IRQS + 1; i++) {
		irq[3 * i] = 0;
		irq[3 * i + 1] = cpu_to_fdt32(40 + i);
		irq[3 * i + 2] = cpu_to_fdt32(4);
	}
	assert_int_equal(fdt_setprop(c->host_fdt, fixture_node(c->host_fdt, "/pl061@9030000"),
				     "interrupts", irq, sizeof(irq)),
			 0);
	expect_error(c, "config: vm \"alpha\": devices: \"/pl061@9030000\" has more than 8 "
			"interrupts");
}

static void device_bad_interrupts_extended(void **state)
{
	struct ctx *c = *state;
	uint32_t irq[] = {cpu_to_fdt32(0x4242), 0, cpu_to_fdt32(20), cpu_to_fdt32(4)};

	assert_int_equal(fdt_setprop(c->host_fdt, fixture_node(c->host_fdt, "/ext@9070000"),
				     "interrupts-extended", irq, sizeof(irq)),
			 0);
	expect_error(c, "config: vm \"beta\": devices: \"/ext@9070000\" has a malformed "
			"interrupts-extended property");
}

static void device_is_the_gic(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/intc@8000000", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/intc@8000000\" shares a page with the "
			"GIC distributor (0x8000000-0x800ffff)");
}

static void device_is_host_ram(void **state)
{
	struct ctx *c = *state;

	set_devices(c, ALPHA, "/memory@40000000", NULL);
	expect_error(c, "config: vm \"alpha\": devices: \"/memory@40000000\" overlaps host RAM "
			"(0x40000000-0xbfffffff)");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(two_vms),
		T(interrupts_extended),
		T(console_owned_by_vm),
		T(user_dtb),
		T(not_a_dtb),
		T(wrong_root_compatible),
		T(missing_root_compatible),
		T(no_tessera_node),
		T(no_vms),
		T(too_many_vms),
		T(unknown_tessera_node),
		T(unknown_tessera_property),
		T(console_absent_means_mux),
		T(console_not_a_string),
		T(console_unknown_label),
		T(label_missing),
		T(label_duplicate),
		T(label_too_long),
		T(label_longest),
		T(label_empty),
		T(label_bad_character),
		T(label_mux_reserved),
		T(unknown_vm_property),
		T(cpus_missing),
		T(cpus_empty),
		T(cpus_not_cells),
		T(cpu_does_not_exist),
		T(cpu_listed_twice),
		T(cpu_in_two_vms),
		T(memory_missing),
		T(memory_wrong_length),
		T(memory_size_zero),
		T(memory_base_unaligned),
		T(memory_size_unaligned),
		T(memory_wraps),
		T(memory_over_gic),
		T(memory_over_redistributors),
		T(memory_over_uart),
		T(memory_over_device),
		cmocka_unit_test_setup_teardown(memory_over_gicv2_cpu_interface, setup_gicv2,
						teardown),
		T(kernel_missing),
		T(kernel_empty),
		T(kernel_too_small),
		T(kernel_not_an_image),
		T(kernel_big_endian),
		T(initrd_empty),
		T(bootargs_not_a_string),
		T(bootargs_string_list),
		T(identity_with_value),
		T(dtb_garbage),
		T(dtb_truncated),
		T(device_not_found),
		T(device_disabled),
		T(device_without_reg),
		T(device_too_many_regs),
		T(device_empty_path),
		T(devices_not_strings),
		T(device_is_mux_console),
		T(device_is_vm_console),
		T(device_in_two_vms),
		T(device_listed_twice),
		T(devices_share_a_page),
		T(devices_share_a_page_in_one_vm),
		T(shared_device_in_two_vms),
		T(shared_device_one_side_only),
		T(spi_in_two_vms),
		T(spi_shared_in_one_vm),
		T(spi_of_the_console_uart),
		T(device_with_ppi),
		T(device_malformed_interrupts),
		T(device_too_many_interrupts),
		T(device_bad_interrupts_extended),
		T(device_is_the_gic),
		T(device_is_host_ram),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}

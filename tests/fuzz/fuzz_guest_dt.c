/* SPDX-License-Identifier: MIT */
/*
 * The guest DTB builder (core/guest_dt.c) with the input as the host DTB.
 * As at boot, the tree must first pass fdt_check_header, hostdt_console and
 * hostdt_parse; only then is a fixed VM built from it: 2 vCPUs, 256 MiB at
 * 0x40000000, an initrd, bootargs, and as devices those of a fixed list of
 * host paths that the tree has (enabled, not the console), into a 64 KiB
 * buffer as vm_build does.
 *
 * Checked: the output passes fdt_check_full; it has the nodes guest_dt.h
 * promises (/cpus with 2 CPUs, /memory, /psci with method "hvc", /chosen
 * and /aliases naming a UART node that exists); every interrupt-parent in
 * it resolves; the host-only nodes are gone. A refusal names the VM.
 */
#include <stdint.h>
#include <string.h>

#include "core/config.h"
#include "core/dt_util.h"
#include "core/guest_dt.h"
#include "core/hostdt.h"
#define FUZZ_GUARD_FDT_GET_PATH /* see fuzz.h */
#include "tests/fuzz/fuzz.h"

#define OUT_SIZE (64 * 1024) /* GUEST_DTB_BUF */

/* Devices of QEMU virt and of the unit-test fixtures a VM might be given. */
static const char *const device_paths[] = {
	"/pl031@9010000",	"/pl061@9030000",      "/virtio_mmio@a000000", "/virtio_mmio@a000200",
	"/fw-cfg@9020000",	"/flash@0",	       "/soc/mmc@100800",      "/ext@9070000",
	"/soc/i2c@7e804000",	"/soc/gpio@7e200000",  "/soc/dma@7e007000",    "/gpio-keys",
	"/platform-bus@c000000",
};

static void fixed_vm(const void *fdt, const struct host_platform *hp, struct vm_config *vm,
		     struct guest_layout *lay)
{
	int uart = fdt_path_offset(fdt, hp->uart.path);

	memset(vm, 0, sizeof(*vm));
	strcpy(vm->label, "fuzz");
	vm->ncpus = 2;
	vm->cpus[1] = 1;
	vm->mem = (struct range){0x40000000, 0x10000000};
	vm->bootargs = "console=ttyAMA0 earlycon";
	for (unsigned i = 0; i < sizeof(device_paths) / sizeof(device_paths[0]); i++) {
		struct vm_device *d = &vm->devices[vm->ndevices];
		int node = fdt_path_offset(fdt, device_paths[i]);

		if (vm->ndevices == VM_MAX_DEVICES)
			break;
		if (node < 0 || node == uart || !dt_node_enabled(fdt, node))
			continue;
		strcpy(d->path, device_paths[i]);
		d->host_node = node;
		vm->ndevices++;
	}
	*lay = (struct guest_layout){
		.ram_base = vm->mem.base,
		.ram_size = vm->mem.size,
		.initrd_base = 0x4f000000,
		.initrd_size = 0x123456,
		.uart_base = hp->uart.regs.base,
		.ncpus = vm->ncpus,
	};
}

static void check_guest(const void *out, const void *host)
{
	int node, chosen, cpus, n = 0, depth = 0, len;
	const char *s, *alias;

	CHECK(fdt_check_full(out, OUT_SIZE) == 0);
	CHECK(fdt_address_cells(out, 0) == fdt_address_cells(host, 0));
	CHECK(fdt_size_cells(out, 0) == fdt_size_cells(host, 0));
	cpus = fdt_path_offset(out, "/cpus");
	CHECK(cpus >= 0);
	fdt_for_each_subnode(node, out, cpus)
	{
		s = fdt_getprop(out, node, "device_type", NULL);
		n += s && !strcmp(s, "cpu");
	}
	CHECK(n == 2);
	CHECK(fdt_path_offset(out, "/memory@40000000") >= 0);
	s = fdt_getprop(out, fdt_path_offset(out, "/psci"), "method", &len);
	CHECK(s && len == 4 && !strcmp(s, "hvc"));
	chosen = fdt_path_offset(out, "/chosen");
	CHECK(chosen >= 0);
	s = fdt_getprop(out, chosen, "stdout-path", &len);
	CHECK(s && len > 0 && s[len - 1] == '\0');
	CHECK(fdt_path_offset(out, s) >= 0);
	alias = fdt_get_alias(out, "serial0");
	CHECK(alias && !strcmp(alias, s));
	CHECK(fdt_path_offset(out, "/reserved-memory") < 0);
	/* Every interrupt-parent names a node the guest has. */
	for (node = 0; node >= 0; node = fdt_next_node(out, node, &depth)) {
		const fdt32_t *ph = fdt_getprop(out, node, "interrupt-parent", &len);

		if (ph && len == 4)
			CHECK(fdt_node_offset_by_phandle(out, fdt32_to_cpu(*ph)) >= 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct host_platform hp;
	static struct vm_config vm;
	struct guest_layout lay;
	struct config_error cerr;
	struct dt_error err;
	void *out, *fdt = fuzz_dtb_copy(data, size);

	if (!fdt)
		return 0;
	memset(&hp, 0, sizeof(hp));
	strcpy(err.msg, "not a valid FDT header");
	if (fdt_check_header(fdt) != 0 || hostdt_console(fdt, &hp.uart, &err) < 0 ||
	    hostdt_parse(fdt, &hp, &err) < 0) {
		fuzz_note("host", err.msg);
		free(fdt);
		return 0;
	}
	fixed_vm(fdt, &hp, &vm, &lay);
	out = malloc(OUT_SIZE);
	memset(&cerr, 0xa5, sizeof(cerr));
	if (guest_dt_build(fdt, &hp, &vm, &lay, out, OUT_SIZE, &cerr) == 0) {
		check_guest(out, fdt);
		fuzz_note("guest_dt_build", "ok");
	} else {
		fuzz_note("guest_dt_build", cerr.msg);
		CHECK(fuzz_terminated(cerr.msg, sizeof(cerr.msg)));
		CHECK(!strncmp(cerr.msg, "config: vm \"fuzz\": ", 19));
	}
	free(out);
	free(fdt);
	return 0;
}

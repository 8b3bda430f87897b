/* SPDX-License-Identifier: MIT */
/*
 * The VM configuration parser (core/config.c) with the input as the config
 * DTB, against a fixed host: tests/unit/fixtures/config-host.dts (GICv3,
 * 4 CPUs, 2 GiB at 0x40000000, devices to pass through), compiled by dtc
 * and embedded at build time (HOST_DTB names the file).
 *
 * A config that parses is checked against everything core/config.h and
 * docs/configuration.md promise (labels, CPUs, memory, images inside the
 * blob, devices page-aligned and apart from RAM, the GIC, the console and
 * each other, SPIs given to one VM only, the console's owner), then taken
 * through the rest of the boot pipeline as vms_build() does: memory
 * placement (memplan), image placement (guest_image), and the guest DTB
 * (guest_dt) of each VM that brings none, which must pass fdt_check_full.
 */
#include <stdint.h>
#include <string.h>

#include "core/config.h"
#include "core/guest_dt.h"
#include "core/guest_image.h"
#include "core/hostdt.h"
#include "core/memplan.h"
#define FUZZ_GUARD_FDT_GET_PATH /* see fuzz.h */
#include "tests/fuzz/fuzz.h"

#ifndef HOST_DTB
#error "HOST_DTB must name the compiled config-host.dtb"
#endif

/* The host DTB, linked in: no file to find at run time. */
__asm__(".section .rodata\n"
	".balign 8\n"
	"fuzz_host_dtb:\n"
	".incbin \"" HOST_DTB "\"\n"
	".previous\n");
extern const uint8_t fuzz_host_dtb[];

#define MIB2	  (2ull << 20)
#define PAGE_MASK 0xfffull

static void *host;
static struct host_platform hp;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct dt_error err;
	uint32_t total = fdt_totalsize(fuzz_host_dtb);

	(void)argc;
	(void)argv;
	host = malloc(total);
	memcpy(host, fuzz_host_dtb, total);
	if (fdt_check_full(host, total) != 0 || hostdt_console(host, &hp.uart, &err) < 0 ||
	    hostdt_parse(host, &hp, &err) < 0) {
		fprintf(stderr, "fuzz_config: the built-in host DTB does not parse\n");
		abort();
	}
	return 0;
}

static uint64_t last(const struct range *r)
{
	return r->base + r->size - 1;
}

static bool overlap(const struct range *a, const struct range *b)
{
	return a->size && b->size && a->base <= last(b) && b->base <= last(a);
}

static bool inside(const void *p, uint64_t n, const uint8_t *buf, uint64_t size)
{
	const uint8_t *b = p;

	return b >= buf && b <= buf + size && n <= (uint64_t)(buf + size - b);
}

static bool label_ok(const char *s)
{
	if (!s[0] || !strcmp(s, "mux"))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

/* The GIC's and the UART's pages: no device may have them. */
static bool hits_host_window(const struct range *r)
{
	const struct range win[] = {hp.gic.dist, hp.gic.redist, hp.uart.regs};

	for (unsigned i = 0; i < sizeof(win) / sizeof(win[0]); i++) {
		struct range page = {win[i].base & ~PAGE_MASK,
				     ((last(&win[i]) | PAGE_MASK) + 1) - (win[i].base & ~PAGE_MASK)};

		if (overlap(r, &page))
			return true;
	}
	for (unsigned i = 0; i < hp.nmem; i++)
		if (overlap(r, &hp.mem[i]))
			return true;
	return false;
}

static bool pages_meet(const struct vm_device *a, const struct vm_device *b)
{
	for (unsigned i = 0; i < a->nregs; i++)
		for (unsigned j = 0; j < b->nregs; j++)
			if (overlap(&a->regs[i], &b->regs[j]))
				return true;
	return false;
}

static bool irqs_meet(const struct vm_device *a, const struct vm_device *b)
{
	for (unsigned i = 0; i < a->nirqs; i++)
		for (unsigned j = 0; j < b->nirqs; j++)
			if (a->irqs[i] == b->irqs[j])
				return true;
	return false;
}

static void check_device(const struct tessera_config *c, unsigned v, unsigned k)
{
	const struct vm_config *vm = &c->vms[v];
	const struct vm_device *d = &vm->devices[k];
	bool console_owner = c->console == CONSOLE_VM && c->console_vm == v;

	CHECK(fuzz_terminated(d->path, sizeof(d->path)));
	CHECK(d->host_node >= 0 && d->host_node == fdt_path_offset(host, d->path));
	CHECK(d->nregs >= 1 && d->nregs <= VM_DEV_MAX_REGS);
	CHECK(d->nirqs <= VM_DEV_MAX_IRQS);
	CHECK(!d->shared || d->nirqs == 0);
	for (unsigned i = 0; i < d->nregs; i++) {
		const struct range *r = &d->regs[i];

		CHECK(r->size && !(r->base & PAGE_MASK) && !(r->size & PAGE_MASK));
		CHECK(last(r) >= r->base);
		CHECK(!hits_host_window(r));
		CHECK(!overlap(r, &vm->mem));
	}
	for (unsigned i = 0; i < d->nirqs; i++) {
		CHECK(d->irqs[i] >= 32 && d->irqs[i] < 1020);
		CHECK(console_owner || d->irqs[i] != hp.uart.intid);
	}
	/* Against every device listed before it, in this VM or an earlier one. */
	for (unsigned ov = 0; ov <= v; ov++) {
		const struct vm_config *o = &c->vms[ov];

		for (unsigned j = 0; j < (ov == v ? k : o->ndevices); j++) {
			const struct vm_device *od = &o->devices[j];

			if (ov != v && d->shared && od->shared)
				continue; /* both VMs share it: MMIO only */
			CHECK(d->host_node != od->host_node);
			CHECK(!pages_meet(d, od));
			CHECK(ov == v || !irqs_meet(d, od));
		}
	}
}

static void check_config(const struct tessera_config *c, const uint8_t *cfg, uint32_t total)
{
	CHECK(c->nvms >= 1 && c->nvms <= VM_MAX);
	CHECK(c->console == CONSOLE_MUX || (c->console == CONSOLE_VM && c->console_vm < c->nvms));
	for (unsigned v = 0; v < c->nvms; v++) {
		const struct vm_config *vm = &c->vms[v];

		CHECK(fuzz_terminated(vm->label, sizeof(vm->label)) && label_ok(vm->label));
		CHECK(vm->ncpus >= 1 && vm->ncpus <= hp.ncpus);
		for (unsigned i = 0; i < vm->ncpus; i++) {
			CHECK(vm->cpus[i] < hp.ncpus);
			for (unsigned j = 0; j < i; j++)
				CHECK(vm->cpus[j] != vm->cpus[i]);
		}
		for (unsigned o = 0; o < v; o++) {
			CHECK(strcmp(c->vms[o].label, vm->label) != 0);
			for (unsigned i = 0; i < vm->ncpus; i++)
				for (unsigned j = 0; j < c->vms[o].ncpus; j++)
					CHECK(vm->cpus[i] != c->vms[o].cpus[j]);
		}
		CHECK(vm->mem.size && !(vm->mem.base % MIB2) && !(vm->mem.size % MIB2));
		CHECK(last(&vm->mem) >= vm->mem.base);
		CHECK(!overlap(&vm->mem, &hp.gic.dist) && !overlap(&vm->mem, &hp.gic.redist) &&
		      !overlap(&vm->mem, &hp.uart.regs));
		CHECK(vm->kernel.size >= 64 && inside(vm->kernel.data, vm->kernel.size, cfg, total));
		CHECK(!memcmp((const uint8_t *)vm->kernel.data + 56, "ARM\x64", 4));
		CHECK(!vm->initrd.size || inside(vm->initrd.data, vm->initrd.size, cfg, total));
		CHECK(!vm->dtb.size || inside(vm->dtb.data, vm->dtb.size, cfg, total));
		if (vm->bootargs)
			CHECK(inside(vm->bootargs, 1, cfg, total) &&
			      memchr(vm->bootargs, '\0', cfg + total - (const uint8_t *)vm->bootargs));
		CHECK(vm->ndevices <= VM_MAX_DEVICES);
		for (unsigned k = 0; k < vm->ndevices; k++)
			check_device(c, v, k);
	}
}

/* vms_build without the hardware: where RAM, images and DTBs go. */
static void build_vms(const struct tessera_config *c, uint32_t cfg_total)
{
	static struct memplan mp;
	uint64_t host_pa[VM_MAX];
	struct config_error err;

	memplan_init(&mp, hp.mem, hp.nmem);
	memplan_reserve(&mp, 0x40200000, 0xc00000, "Tessera");
	memplan_reserve(&mp, 0x48000000, fdt_totalsize(host), "host DTB");
	memplan_reserve_host_dt(&mp, host);
	(void)cfg_total;
	if (memplan_place_vms(&mp, c, host_pa, &err) < 0) {
		CHECK(fuzz_terminated(err.msg, sizeof(err.msg)));
		fuzz_note("memplan_place_vms", err.msg);
		return;
	}
	for (unsigned v = 0; v < c->nvms; v++) {
		const struct vm_config *vm = &c->vms[v];
		struct range placed = {host_pa[v], vm->mem.size};
		bool in_ram = false;

		CHECK(!vm->identity || host_pa[v] == vm->mem.base);
		CHECK(!(host_pa[v] % MIB2));
		for (unsigned i = 0; i < hp.nmem; i++)
			in_ram |= placed.base >= hp.mem[i].base &&
				  last(&placed) <= last(&hp.mem[i]) && last(&placed) >= placed.base;
		CHECK(in_ram);
		for (unsigned o = 0; o < v; o++)
			CHECK(!overlap(&placed, &(struct range){host_pa[o], c->vms[o].mem.size}));
	}
	for (unsigned v = 0; v < c->nvms; v++) {
		const struct vm_config *vm = &c->vms[v];
		struct guest_plan plan;
		struct guest_layout lay;
		void *out;

		if (guest_plan_images(vm, &plan, &err) < 0) {
			CHECK(fuzz_terminated(err.msg, sizeof(err.msg)));
			fuzz_note("guest_plan_images", err.msg);
			continue;
		}
		/* Kernel, initrd, DTB: in this order, inside RAM, apart (no wrapping). */
		CHECK(plan.kernel_ipa >= vm->mem.base);
		CHECK(plan.kernel_ipa <= plan.initrd_ipa);
		CHECK(plan.kernel_size <= plan.initrd_ipa - plan.kernel_ipa);
		CHECK(plan.initrd_ipa <= plan.dtb_ipa);
		CHECK(plan.initrd_size <= plan.dtb_ipa - plan.initrd_ipa);
		CHECK(plan.dtb_ipa + GUEST_DTB_MAX == vm->mem.base + vm->mem.size);
		CHECK(plan.kernel_size >= vm->kernel.size && plan.initrd_size == vm->initrd.size);
		if (vm->dtb.size)
			continue;
		lay = (struct guest_layout){
			.ram_base = vm->mem.base,
			.ram_size = vm->mem.size,
			.initrd_base = plan.initrd_ipa,
			.initrd_size = plan.initrd_size,
			.uart_base = hp.uart.regs.base,
			.ncpus = vm->ncpus,
		};
		out = malloc(64 * 1024);
		if (guest_dt_build(host, &hp, vm, &lay, out, 64 * 1024, &err) == 0) {
			CHECK(fdt_check_full(out, 64 * 1024) == 0);
			fuzz_note("guest_dt_build", vm->label);
		} else {
			CHECK(fuzz_terminated(err.msg, sizeof(err.msg)));
			fuzz_note("guest_dt_build", err.msg);
		}
		free(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tessera_config c;
	struct config_error err;
	void *cfg = fuzz_dtb_copy(data, size);

	if (!cfg)
		return 0;
	memset(&err, 0xa5, sizeof(err));
	if (config_parse(cfg, host, &hp, &c, &err) < 0) {
		CHECK(fuzz_terminated(err.msg, sizeof(err.msg)));
		fuzz_note("config_parse", err.msg);
		CHECK(!strncmp(err.msg, "config: ", 8));
	} else {
		check_config(&c, cfg, fdt_totalsize(cfg));
		build_vms(&c, fdt_totalsize(cfg));
	}
	free(cfg);
	return 0;
}

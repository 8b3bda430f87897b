/* SPDX-License-Identifier: MIT */
#include "core/vm_build.h"

#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

#include "core/arch.h"
#include "core/cpu.h"
#include "core/format.h"
#include "core/guest_dt.h"
#include "core/console.h"
#include "core/log.h"

struct vm vms[VM_MAX];

/* Shared by all VMs, fixed at build time. */
static struct stage2_geometry s2_geometry;
static unsigned vms_running;
/* Kept for VM resets, which rebuild a VM's DTB from the host's. */
static const void *saved_host_fdt;
static const struct host_platform *saved_host;

static const char *pgt_error(int ret)
{
	return ret == PGT_ENOMEM   ? "out of Tessera memory for stage-2 tables"
	       : ret == PGT_EEXIST ? "overlaps another mapping"
				   : "not mappable";
}

static int map_stage2(struct vm *vm, struct config_error *err)
{
	const struct vm_config *vc = vm->cfg;
	int ret = stage2_init(&vm->s2, vm->s2.pool, &s2_geometry);

	if (!ret)
		ret = pgtable_map(&vm->s2, vc->mem.base, vm->ram_pa, vc->mem.size, S2_RAM);
	if (ret)
		return config_vm_fail(
			err, vc->label, "memory", "0x%lx-0x%lx: %s", (unsigned long)vc->mem.base,
			(unsigned long)(vc->mem.base + vc->mem.size - 1), pgt_error(ret));
	for (unsigned d = 0; d < vc->ndevices; d++) {
		const struct vm_device *dev = &vc->devices[d];

		for (unsigned r = 0; r < dev->nregs; r++) {
			/* Passthrough MMIO keeps its host address: IPA == PA. */
			ret = pgtable_map(&vm->s2, dev->regs[r].base, dev->regs[r].base,
					  dev->regs[r].size, S2_DEVICE);
			if (ret)
				return config_vm_fail(err, vc->label, "devices", "%s: %s",
						      dev->path, pgt_error(ret));
		}
	}
	return 0;
}

static void *guest_ptr(const struct vm *vm, uint64_t ipa)
{
	return phys_to_virt(vm->ram_pa + (ipa - vm->cfg->mem.base));
}

static void copy_in(const struct vm *vm, uint64_t ipa, const struct blob *b)
{
	void *dst = guest_ptr(vm, ipa);

	memcpy(dst, b->data, b->size);
	arch_dcache_clean(dst, b->size);
}

static int load_dtb(struct vm *vm, const void *host_fdt, const struct host_platform *host,
		    struct config_error *err)
{
	const struct vm_config *vc = vm->cfg;
	void *dst = guest_ptr(vm, vm->plan.dtb_ipa);
	struct guest_layout layout = {
		.ram_base = vc->mem.base,
		.ram_size = vc->mem.size,
		.initrd_base = vm->plan.initrd_ipa,
		.initrd_size = vm->plan.initrd_size,
		.uart_base = host->uart.regs.base,
		.ncpus = vc->ncpus,
	};

	if (vc->dtb.size) {
		if (vc->dtb.size > GUEST_DTB_MAX)
			return config_vm_fail(err, vc->label, "dtb", "larger than 2 MiB");
		copy_in(vm, vm->plan.dtb_ipa, &vc->dtb);
		return 0;
	}
	if (guest_dt_build(host_fdt, host, vc, &layout, dst, GUEST_DTB_BUF, err) < 0)
		return -1;
	arch_dcache_clean(dst, GUEST_DTB_BUF);
	return 0;
}

/* Images come from the config blob, which stays in Tessera: always pristine. */
static int copy_images(struct vm *vm, const void *host_fdt, const struct host_platform *host,
		       struct config_error *err)
{
	const struct vm_config *vc = vm->cfg;

	copy_in(vm, vm->plan.kernel_ipa, &vc->kernel);
	if (vc->initrd.size)
		copy_in(vm, vm->plan.initrd_ipa, &vc->initrd);
	return load_dtb(vm, host_fdt, host, err);
}

static int load_images(struct vm *vm, const void *host_fdt, const struct host_platform *host,
		       struct config_error *err)
{
	const struct vm_config *vc = vm->cfg;

	if (guest_plan_images(vc, &vm->plan, err) < 0)
		return -1;
	if (arch_map_hyp_ram(vm->ram_pa, vc->mem.size) != 0)
		return config_vm_fail(err, vc->label, "memory", "Tessera cannot map host 0x%lx",
				      (unsigned long)vm->ram_pa);
	return copy_images(vm, host_fdt, host, err);
}

/* The vCPU of vm running on this CPU, or -1: vGIC kicks skip the caller. */
static int self_in(const struct vm *vm)
{
	struct vcpu *v = cpus[arch_cpu_index()].vcpu;

	return v && v->vm == vm ? (int)v->idx : -1;
}

static void uart_irq(void *priv, bool level)
{
	struct vm *vm = priv;

	if (vm->uart_intid)
		vgic_set_level(&vm->vgic, self_in(vm), vm->uart_intid, level);
}

static const struct vuart_ops uart_ops = {
	.emit = console_vm_text,
	.irq = uart_irq,
	.partial = arch_console_partial,
};

/*
 * With console = "<label>" the UART is that VM's: it writes raw characters
 * there, so other VMs' output could only garble it. Their UARTs still work
 * (a driver sees a normal PL011); what they print is dropped.
 */
static void emit_nowhere(const char *label, const char *text, size_t len, bool eol)
{
	(void)label;
	(void)text;
	(void)len;
	(void)eol;
}

static void partial_nowhere(struct vuart *u)
{
	(void)u;
}

static const struct vuart_ops uart_ops_silent = {
	.emit = emit_nowhere,
	.irq = uart_irq,
	.partial = partial_nowhere,
};

/*
 * The VM's UART: an emulated PL011 at the host console's address, or with
 * console = "<label>", for that VM, the physical UART itself.
 */
static int add_uart(struct vm *vm, const struct host_platform *host, bool mux,
		    struct config_error *err)
{
	struct emul_device dev = {
		.base = host->uart.regs.base,
		.size = VUART_SIZE,
		.ops = &vuart_ops,
		.priv = &vm->uart,
		.name = "pl011",
	};

	vm->uart_intid = vm->owns_console ? 0 : host->uart.intid;
	vuart_init(&vm->uart, vm->cfg->label, mux ? &uart_ops : &uart_ops_silent, vm);
	if (vm->owns_console) {
		if (pgtable_map(&vm->s2, dev.base, dev.base, VUART_SIZE, S2_DEVICE) != 0)
			return config_vm_fail(err, vm->cfg->label, "console",
					      "cannot map the physical UART");
		return 0;
	}
	if (mux)
		console_add_input(&vm->uart, vm->cfg->label);
	if (emul_add(&vm->emul, &dev) < 0)
		return config_vm_fail(err, vm->cfg->label, "console",
				      "cannot place the virtual UART");
	return 0;
}

/* The vCPU running on this CPU: whose banked GIC registers an access sees. */
static unsigned current_vcpu_idx(void)
{
	struct vcpu *v = cpus[arch_cpu_index()].vcpu;

	return v ? v->idx : 0;
}

static uint64_t gicd_read(struct emul_device *d, uint64_t off, unsigned size)
{
	struct vm *vm = d->priv;

	return vgic_dist_read(&vm->vgic, current_vcpu_idx(), off, size);
}

static void gicd_write(struct emul_device *d, uint64_t off, unsigned size, uint64_t val)
{
	struct vm *vm = d->priv;

	vgic_dist_write(&vm->vgic, current_vcpu_idx(), off, size, val);
}

/* One emulated region holds every vCPU's redistributor, VGIC_GICR_STRIDE apart. */
static uint64_t gicr_read(struct emul_device *d, uint64_t off, unsigned size)
{
	struct vm *vm = d->priv;

	return vgic_redist_read(&vm->vgic, (unsigned)(off / VGIC_GICR_STRIDE),
				off % VGIC_GICR_STRIDE, size);
}

static void gicr_write(struct emul_device *d, uint64_t off, unsigned size, uint64_t val)
{
	struct vm *vm = d->priv;

	vgic_redist_write(&vm->vgic, (unsigned)(off / VGIC_GICR_STRIDE), off % VGIC_GICR_STRIDE,
			  size, val);
}

static const struct emul_ops gicd_ops = {.read = gicd_read, .write = gicd_write};
static const struct emul_ops gicr_ops = {.read = gicr_read, .write = gicr_write};

/* The GICv2 virtual CPU interface (GICV) appears where the guest expects GICC. */
#define GICV_MAP_SIZE 0x2000

static int add_gic(struct vm *vm, const struct host_platform *host, struct config_error *err)
{
	const struct host_gic *hg = &host->gic;
	struct emul_device d = {.base = hg->dist.base,
				.size = VGIC_GICD_SIZE,
				.ops = &gicd_ops,
				.priv = vm,
				.name = "gicd"};
	int ret = emul_add(&vm->emul, &d);

	if (!ret && hg->version == 3) {
		d = (struct emul_device){.base = hg->redist.base,
					 .size = (uint64_t)vm->nvcpus * VGIC_GICR_STRIDE,
					 .ops = &gicr_ops,
					 .priv = vm,
					 .name = "gicr"};
		ret = emul_add(&vm->emul, &d);
	}
	if (!ret && hg->version == 2)
		ret = pgtable_map(&vm->s2, hg->cpuif.base, hg->vcpu.base, GICV_MAP_SIZE, S2_DEVICE);
	if (ret)
		return config_vm_fail(err, vm->cfg->label, "cpus", "cannot place the virtual GIC");
	return 0;
}

/* Interrupts the VM owns: its devices' SPIs and each vCPU's virtual timer. */
static int own_irqs(struct vm *vm, const struct host_platform *host, struct config_error *err)
{
	const struct vm_config *vc = vm->cfg;

	vgic_init(&vm->vgic, host->gic.version, vm->nvcpus, &arch_vgic_ops);
	if (host->uart.intid && !vm->owns_console)
		vgic_own_spi(&vm->vgic, host->uart.intid, false); /* its virtual UART */
	if (host->uart.intid && vm->owns_console) {
		vgic_own_spi(&vm->vgic, host->uart.intid, true);
		arch_irq_assign(host->uart.intid, vm, vc->cpus[0]);
	}
	for (unsigned i = 0; i < vm->nvcpus; i++)
		vgic_link_ppi(&vm->vgic, i, host->timer.virt, host->timer.virt);
	for (unsigned d = 0; d < vc->ndevices; d++) {
		for (unsigned i = 0; i < vc->devices[d].nirqs; i++) {
			uint32_t intid = vc->devices[d].irqs[i];

			if (vgic_own_spi(&vm->vgic, intid, true) < 0)
				return config_vm_fail(err, vc->label, "devices",
						      "%s: INTID %u cannot be virtualized",
						      vc->devices[d].path, intid);
			/* Physical delivery goes to vCPU 0 until the guest routes it. */
			arch_irq_assign(intid, vm, vc->cpus[0]);
		}
	}
	return 0;
}

static void pin_vcpus(struct vm *vm)
{
	const struct vm_config *vc = vm->cfg;

	vm->nvcpus = vc->ncpus;
	for (unsigned i = 0; i < vc->ncpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		*v = (struct vcpu){.vm = vm, .idx = i, .pcpu = vc->cpus[i]};
		/* vCPU 0 starts with the VM; the others wait for PSCI CPU_ON. */
		v->state = i == 0 ? VCPU_ON_PENDING : VCPU_OFF;
		v->boot_entry = vm->plan.kernel_ipa;
		v->boot_context = vm->plan.dtb_ipa;
		cpus[vc->cpus[i]].vcpu = v;
	}
}

static void log_vm(const struct vm *vm)
{
	const struct vm_config *vc = vm->cfg;
	char list[4 * MAX_CPUS] = "";
	int n = 0;

	for (unsigned i = 0; i < vc->ncpus; i++)
		n += str_format(list + n, sizeof(list) - n, i ? ",%u" : "%u", vc->cpus[i]);
	vm_log(vm, "CPU %s, RAM 0x%lx-0x%lx at host 0x%lx%s", list, (unsigned long)vc->mem.base,
	       (unsigned long)(vc->mem.base + vc->mem.size - 1), (unsigned long)vm->ram_pa,
	       vc->identity ? " (identity)" : "");
	vm_log(vm, "kernel at 0x%lx, DTB at 0x%lx%s", (unsigned long)vm->plan.kernel_ipa,
	       (unsigned long)vm->plan.dtb_ipa, vc->dtb.size ? " (from config)" : "");
}

static int build_one(struct vm *vm, const void *host_fdt, const struct host_platform *host,
		     bool mux, struct config_error *err)
{
	vm->nvcpus = vm->cfg->ncpus;
	if (map_stage2(vm, err) < 0 || load_images(vm, host_fdt, host, err) < 0 ||
	    add_uart(vm, host, mux, err) < 0 || add_gic(vm, host, err) < 0 ||
	    own_irqs(vm, host, err) < 0)
		return -1;
	pin_vcpus(vm);
	log_vm(vm);
	return 0;
}

int vms_build(const struct tessera_config *cfg, const void *host_fdt,
	      const struct host_platform *host, struct memplan *mp, struct page_pool *pool,
	      struct config_error *err)
{
	uint64_t host_pa[VM_MAX];

	if (memplan_place_vms(mp, cfg, host_pa, err) < 0)
		return -1;
	if (stage2_geometry(arch_parange(), &s2_geometry) < 0) {
		str_format(err->msg, sizeof(err->msg), "host: unsupported PARange %u",
			   arch_parange());
		return -1;
	}
	for (unsigned i = 0; i < cfg->nvms; i++) {
		struct vm *vm = &vms[i];

		*vm = (struct vm){.idx = i,
				  .cfg = &cfg->vms[i],
				  .ram_pa = host_pa[i],
				  .vmid = (uint16_t)(i + 1),
				  .lock = SPINLOCK_INIT};
		vm->s2.pool = pool;
		vm->owns_console = cfg->console == CONSOLE_VM && cfg->console_vm == i;
		if (build_one(vm, host_fdt, host, cfg->console == CONSOLE_MUX, err) < 0)
			return -1;
	}
	vms_running = cfg->nvms;
	saved_host_fdt = host_fdt;
	saved_host = host;
	return 0;
}

int vm_reload(struct vm *vm, struct config_error *err)
{
	if (copy_images(vm, saved_host_fdt, saved_host, err) < 0 ||
	    own_irqs(vm, saved_host, err) < 0)
		return -1;
	vuart_init(&vm->uart, vm->cfg->label, vm->uart.ops, vm);
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		vm->vcpus[i].state = VCPU_OFF;
		vm->vcpus[i].boot_entry = vm->plan.kernel_ipa;
		vm->vcpus[i].boot_context = vm->plan.dtb_ipa;
	}
	vm->faults_logged = 0;
	return 0;
}

const struct stage2_geometry *vm_stage2_geometry(void)
{
	return &s2_geometry;
}

void vm_stage2_destroy(struct vm *vm)
{
	if (!vm->s2.root)
		return;
	/* Entries must leave the TLBs before their table pages can be reused. */
	arch_stage2_tlb_flush(vm->vmid, page_to_pa(vm->s2.pool, vm->s2.root));
	pgtable_destroy(&vm->s2);
}

unsigned vm_stopped(struct vm *vm)
{
	vm->state = VM_OFF;
	return __atomic_sub_fetch(&vms_running, 1, __ATOMIC_ACQ_REL);
}

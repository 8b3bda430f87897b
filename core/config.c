/* SPDX-License-Identifier: MIT */
/*
 * The VM configuration parser (design.md section 4). Everything a user can
 * get wrong is reported here, before any guest exists, as
 *   config: vm "<label>": <property>: <problem>
 * VMs are parsed in config order and each is checked against the ones before
 * it, so a conflict is always reported on the later VM, naming the earlier.
 */
#include "core/config.h"

/* Larger than any sane config blob (kernels included): a bound for validation. */
#define CONFIG_MAX_SIZE (1ull << 30)

#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

#include "core/dt_util.h"
#include "core/format.h"

#define IMAGE_HEADER_SIZE  64
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_MAGIC	   0x644d5241u /* "ARM\x64", little-endian */
#define IMAGE_FLAG_BE	   1u
#define FDT_HEADER_SIZE	   40

struct parser {
	const void *cfg;
	const void *host_fdt;
	const struct host_platform *host;
	struct tessera_config *out;
	struct config_error *err;
	const char *console; /* /tessera console value, resolved last */
	int gic_node;	     /* in the host DT */
	int uart_node;
	int console_node;      /* Tessera's UART when not uart_node (a mini-UART), or -1 */
	struct vm_device uart; /* the console UART's SPIs, for conflicts */
	int nodes[VM_MAX];     /* config node of each VM, for messages */
	struct vm_config *vm;  /* the VM being parsed */
};

/* "config: <where>: <prop>: <problem>"; without prop, "config: <where>: <problem>". */
static int vfail(struct config_error *err, const char *where, const char *prop, const char *fmt,
		 va_list ap)
{
	int n;

	if (prop)
		n = str_format(err->msg, sizeof(err->msg), "config: %s: %s: ", where, prop);
	else
		n = str_format(err->msg, sizeof(err->msg), "config: %s: ", where);
	if (n < (int)sizeof(err->msg))
		str_vformat(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	return -1;
}

static int __attribute__((format(printf, 4, 5)))
fail(struct config_error *err, const char *where, const char *prop, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(err, where, prop, fmt, ap);
	va_end(ap);
	return -1;
}

int config_vm_vfail(struct config_error *err, const char *label, const char *prop, const char *fmt,
		    va_list ap)
{
	char where[VM_LABEL_MAX + 8];

	str_format(where, sizeof(where), "vm \"%s\"", label);
	return vfail(err, where, prop, fmt, ap);
}

int config_vm_fail(struct config_error *err, const char *label, const char *prop, const char *fmt,
		   ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vm_vfail(err, label, prop, fmt, ap);
	va_end(ap);
	return -1;
}

/* Name the VM by its label once it has one, by its node name before. */
static int __attribute__((format(printf, 3, 4)))
vm_fail(struct parser *p, const char *prop, const char *fmt, ...)
{
	char where[VM_LABEL_MAX + 8];
	va_list ap;
	unsigned i = (unsigned)(p->vm - p->out->vms);

	if (p->vm->label[0])
		str_format(where, sizeof(where), "vm \"%s\"", p->vm->label);
	else
		str_format(where, sizeof(where), "%s", fdt_get_name(p->cfg, p->nodes[i], NULL));
	va_start(ap, fmt);
	vfail(p->err, where, prop, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_string(const char *s, int len)
{
	return len > 0 && strnlen(s, len) == (size_t)len - 1;
}

static uint64_t range_last(const struct range *r)
{
	return r->base + r->size - 1;
}

static bool overlaps(const struct range *a, const struct range *b)
{
	return a->size && b->size && a->base <= range_last(b) && b->base <= range_last(a);
}

/* Grow r outward to whole pages; false if it wraps the address space. */
static bool page_align(struct range *r)
{
	uint64_t mask = PAGE_SIZE - 1;
	uint64_t last = r->base + r->size - 1;

	if (last < r->base || (last | mask) == UINT64_MAX)
		return false;
	r->base &= ~mask;
	r->size = (last | mask) + 1 - r->base;
	return true;
}

static uint64_t read_le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes-- > 0)
		v = (v << 8) | p[bytes];
	return v;
}

static uint32_t read_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- vm properties -------------------------------------------------- */

static bool label_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static int label_taken(struct parser *p, const char *label)
{
	for (struct vm_config *o = p->out->vms; o < p->vm; o++)
		if (!strcmp(o->label, label))
			return (int)(o - p->out->vms);
	return -1;
}

static int parse_label(struct parser *p, const void *val, int len)
{
	const char *s = val;
	int other;

	if (!is_string(s, len))
		return vm_fail(p, "label", "not a string");
	if (len == 1)
		return vm_fail(p, "label", "empty");
	if (len > VM_LABEL_MAX)
		return vm_fail(p, "label", "\"%s\" is longer than %d characters", s,
			       VM_LABEL_MAX - 1);
	for (const char *c = s; *c; c++)
		if (!label_char_ok(*c))
			return vm_fail(p, "label",
				       "\"%s\" may only contain letters, digits, '-', '_' and '.'",
				       s);
	if (!strcmp(s, "mux"))
		return vm_fail(p, "label",
			       "\"mux\" is reserved (console = \"mux\" shares the UART)");
	other = label_taken(p, s);
	if (other >= 0)
		return vm_fail(p, "label", "\"%s\" is already the label of %s", s,
			       fdt_get_name(p->cfg, p->nodes[other], NULL));
	memcpy(p->vm->label, s, len);
	return 0;
}

/* Which earlier VM uses host CPU cpu: NULL if none. */
static const struct vm_config *cpu_owner(struct parser *p, unsigned cpu)
{
	for (const struct vm_config *o = p->out->vms; o < p->vm; o++)
		for (unsigned i = 0; i < o->ncpus; i++)
			if (o->cpus[i] == cpu)
				return o;
	return NULL;
}

static int add_cpu(struct parser *p, unsigned cpu)
{
	struct vm_config *vm = p->vm;
	const struct vm_config *owner;

	if (cpu >= p->host->ncpus)
		return vm_fail(p, "cpus", "CPU %u does not exist (the host has %u)", cpu,
			       p->host->ncpus);
	for (unsigned i = 0; i < vm->ncpus; i++)
		if (vm->cpus[i] == cpu)
			return vm_fail(p, "cpus", "CPU %u is listed twice", cpu);
	owner = cpu_owner(p, cpu);
	if (owner)
		return vm_fail(p, "cpus", "CPU %u is already used by vm \"%s\"", cpu, owner->label);
	/* In range and unique, so there are at most host->ncpus <= MAX_CPUS. */
	vm->cpus[vm->ncpus++] = cpu;
	return 0;
}

static int parse_cpus(struct parser *p, const void *val, int len)
{
	const uint32_t *cell = val;

	if (len == 0)
		return vm_fail(p, "cpus", "empty");
	if (len % 4)
		return vm_fail(p, "cpus", "%d bytes is not a list of 32-bit cells", len);
	for (int i = 0; i < len / 4; i++)
		if (add_cpu(p, fdt32_to_cpu(cell[i])) < 0)
			return -1;
	return 0;
}

static int parse_memory(struct parser *p, const void *val, int len)
{
	struct range *mem = &p->vm->mem;

	if (len != 16)
		return vm_fail(p, "memory", "%d bytes, want 16 (2-cell base, 2-cell size)", len);
	mem->base = dt_read_cells(val, 2);
	mem->size = dt_read_cells((const uint32_t *)val + 2, 2);
	if (!mem->size)
		return vm_fail(p, "memory", "size is 0");
	if (mem->base % VM_MEM_ALIGN)
		return vm_fail(p, "memory", "base 0x%lx is not a multiple of 2 MiB", mem->base);
	if (mem->size % VM_MEM_ALIGN)
		return vm_fail(p, "memory", "size 0x%lx is not a multiple of 2 MiB", mem->size);
	if (range_last(mem) < mem->base)
		return vm_fail(p, "memory", "0x%lx + 0x%lx wraps around the address space",
			       mem->base, mem->size);
	return 0;
}

/* The arm64 Image header (Documentation/arch/arm64/booting.rst). */
static int parse_kernel(struct parser *p, const void *val, int len)
{
	const uint8_t *h = val;

	if (len == 0)
		return vm_fail(p, "kernel", "empty");
	if (len < IMAGE_HEADER_SIZE)
		return vm_fail(p, "kernel", "%d bytes is too small for an arm64 Image", len);
	if (read_le(h + IMAGE_MAGIC_OFFSET, 4) != IMAGE_MAGIC)
		return vm_fail(p, "kernel",
			       "not an arm64 Image (no \"ARM\\x64\" magic at offset 56)");
	if (read_le(h + 24, 8) & IMAGE_FLAG_BE)
		return vm_fail(p, "kernel", "big-endian Image (guests run little-endian)");
	p->vm->kernel = (struct blob){val, (uint64_t)len};
	return 0;
}

static int parse_initrd(struct parser *p, const void *val, int len)
{
	if (len == 0)
		return vm_fail(p, "initrd", "empty");
	p->vm->initrd = (struct blob){val, (uint64_t)len};
	return 0;
}

static int parse_bootargs(struct parser *p, const void *val, int len)
{
	if (!is_string(val, len))
		return vm_fail(p, "bootargs", "not a single NUL-terminated string");
	p->vm->bootargs = val;
	return 0;
}

static int parse_identity(struct parser *p, const void *val, int len)
{
	(void)val;
	if (len != 0)
		return vm_fail(p, "identity", "has a value (it is a flag: write \"identity;\")");
	p->vm->identity = true;
	return 0;
}

/*
 * The blob inside the config is only 4-byte aligned and libfdt insists on 8,
 * so the header is checked by hand here; the guest builder can run
 * fdt_check_full() once the tree sits in (aligned) guest memory.
 */
static int parse_dtb(struct parser *p, const void *val, int len)
{
	const uint8_t *h = val;
	uint32_t total;

	if (len < FDT_HEADER_SIZE || read_be32(h) != FDT_MAGIC)
		return vm_fail(p, "dtb", "not a flattened device tree (no FDT header)");
	total = read_be32(h + 4);
	if (total > (uint32_t)len || total < FDT_HEADER_SIZE)
		return vm_fail(p, "dtb", "header says %u bytes, the property has %d", total, len);
	if (read_be32(h + 20) < 16 || read_be32(h + 24) > 17)
		return vm_fail(p, "dtb", "unsupported FDT version %u", read_be32(h + 20));
	if (read_be32(h + 8) > total || read_be32(h + 12) > total || read_be32(h + 16) > total)
		return vm_fail(p, "dtb", "not a flattened device tree (blocks past its end)");
	p->vm->dtb = (struct blob){val, (uint64_t)len};
	return 0;
}

/* ---- devices -------------------------------------------------------- */

enum irq_problem {
	IRQ_OK,
	IRQ_MALFORMED,
	IRQ_NOT_SPI,
	IRQ_TOO_MANY,
};

struct irq_scan {
	const void *fdt;
	int gic;
	struct vm_device *dev;
	const char *prop; /* the property being read */
	uint32_t spec[2]; /* the GIC specifier that is not an SPI */
};

static enum irq_problem add_spi(struct irq_scan *s, const uint32_t *spec)
{
	struct vm_device *d = s->dev;
	int intid = dt_gic_intid(fdt32_to_cpu(spec[0]), fdt32_to_cpu(spec[1]));

	if (intid < 32) {
		s->spec[0] = fdt32_to_cpu(spec[0]);
		s->spec[1] = fdt32_to_cpu(spec[1]);
		return IRQ_NOT_SPI;
	}
	for (unsigned i = 0; i < d->nirqs; i++)
		if (d->irqs[i] == (uint32_t)intid)
			return IRQ_OK;
	if (d->nirqs == VM_DEV_MAX_IRQS)
		return IRQ_TOO_MANY;
	d->irqs[d->nirqs++] = (uint32_t)intid;
	return IRQ_OK;
}

/* The node's interrupt parent: "interrupt-parent" on it or its nearest ancestor. */
static int irq_parent(const void *fdt, int node)
{
	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		int len;
		const uint32_t *ph = fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (ph && len == 4)
			return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
	}
	return -FDT_ERR_NOTFOUND;
}

/* "interrupts" in the GIC's 3-cell format. Other parents are not ours to give. */
static enum irq_problem scan_interrupts(struct irq_scan *s, int node)
{
	int len;
	const uint32_t *v = fdt_getprop(s->fdt, node, "interrupts", &len);
	enum irq_problem e = IRQ_OK;

	s->prop = "interrupts";
	if (!v || irq_parent(s->fdt, node) != s->gic)
		return IRQ_OK;
	if (len % 12)
		return IRQ_MALFORMED;
	for (; len > 0 && e == IRQ_OK; v += 3, len -= 12)
		e = add_spi(s, v);
	return e;
}

/* <phandle specifier...> entries; only those whose parent is the GIC count. */
static enum irq_problem scan_interrupts_extended(struct irq_scan *s, const uint32_t *v, int len)
{
	enum irq_problem e = IRQ_OK;

	s->prop = "interrupts-extended";
	while (len > 0 && e == IRQ_OK) {
		int parent = fdt_node_offset_by_phandle(s->fdt, fdt32_to_cpu(v[0]));
		const uint32_t *nc =
			parent < 0 ? NULL : fdt_getprop(s->fdt, parent, "#interrupt-cells", NULL);
		int cells = nc ? (int)fdt32_to_cpu(*nc) : -1;

		if (cells < 0 || cells > 8 || len < (1 + cells) * 4 ||
		    (parent == s->gic && cells != 3))
			return IRQ_MALFORMED;
		if (parent == s->gic)
			e = add_spi(s, v + 1);
		v += 1 + cells;
		len -= (1 + cells) * 4;
	}
	return len == 0 ? e : IRQ_MALFORMED;
}

static enum irq_problem scan_irqs(struct irq_scan *s, int node)
{
	int len;
	const uint32_t *v = fdt_getprop(s->fdt, node, "interrupts-extended", &len);

	if (v)
		return scan_interrupts_extended(s, v, len);
	return scan_interrupts(s, node);
}

static int device_irqs(struct parser *p, struct vm_device *d)
{
	struct irq_scan s = {.fdt = p->host_fdt, .gic = p->gic_node, .dev = d};

	switch (scan_irqs(&s, d->host_node)) {
	case IRQ_OK: return 0;
	case IRQ_MALFORMED:
		return vm_fail(p, "devices", "\"%s\" has a malformed %s property", d->path, s.prop);
	case IRQ_NOT_SPI:
		return vm_fail(p, "devices",
			       "\"%s\" has interrupt <%u %u>, not an SPI (only SPIs can be "
			       "passed through)",
			       d->path, s.spec[0], s.spec[1]);
	case IRQ_TOO_MANY:
		return vm_fail(p, "devices", "\"%s\" has more than %d interrupts", d->path,
			       VM_DEV_MAX_IRQS);
	}
	return -1;
}

static int device_regs(struct parser *p, struct vm_device *d)
{
	const void *fdt = p->host_fdt;
	int parent = fdt_parent_offset(fdt, d->host_node);
	int cells = fdt_address_cells(fdt, parent) + fdt_size_cells(fdt, parent);
	int len, n;

	if (!fdt_getprop(fdt, d->host_node, "reg", &len) || cells <= 0 || len < cells * 4)
		return vm_fail(p, "devices", "\"%s\" has no reg (no MMIO to pass through)",
			       d->path);
	n = len / (cells * 4);
	if (n > VM_DEV_MAX_REGS)
		return vm_fail(p, "devices", "\"%s\" has more than %d reg ranges", d->path,
			       VM_DEV_MAX_REGS);
	for (int i = 0; i < n; i++) {
		struct range *r = &d->regs[d->nregs];

		if (dt_reg(fdt, d->host_node, i, r) < 0 || (r->size && !page_align(r)))
			return vm_fail(p, "devices",
				       "\"%s\": reg %d is not a host physical address range",
				       d->path, i);
		if (r->size)
			d->nregs++;
	}
	if (!d->nregs)
		return vm_fail(p, "devices", "\"%s\" has no reg (no MMIO to pass through)",
			       d->path);
	return 0;
}

/* Guest-visible regions every VM has (the GIC's, the UART's); in_guest is
 * false for host-only ones a device must not map all the same. */
#define MAX_WINDOWS 6

struct window {
	const char *name;
	const struct range *r;
	bool in_guest;
};

static unsigned host_windows(const struct host_platform *h, struct window *w)
{
	unsigned n = 0;

	w[n++] = (struct window){"the GIC distributor", &h->gic.dist, true};
	if (h->gic.version == 3) {
		w[n++] = (struct window){"the GIC redistributors", &h->gic.redist, true};
	} else {
		w[n++] = (struct window){"the GIC CPU interface", &h->gic.cpuif, true};
		w[n++] = (struct window){"the GIC hypervisor interface", &h->gic.hyp, false};
		w[n++] = (struct window){"the GIC virtual CPU interface", &h->gic.vcpu, false};
	}
	w[n++] = (struct window){"the console UART", &h->uart.regs, true};
	if (h->console.regs.base && h->console.regs.base != h->uart.regs.base)
		w[n++] = (struct window){"Tessera's console UART", &h->console.regs, false};
	return n;
}

/* A device's pages must belong to it alone: not the GIC's, the UART's, RAM. */
static int device_vs_host(struct parser *p, const struct vm_device *d)
{
	const struct host_platform *h = p->host;
	struct window w[MAX_WINDOWS];
	unsigned nw = host_windows(h, w);

	for (unsigned i = 0; i < d->nregs; i++) {
		for (unsigned j = 0; j < nw; j++) {
			struct range page = *w[j].r;

			if (page.size && page_align(&page) && overlaps(&d->regs[i], &page))
				return vm_fail(
					p, "devices", "\"%s\" shares a page with %s (0x%lx-0x%lx)",
					d->path, w[j].name, w[j].r->base, range_last(w[j].r));
		}
		for (unsigned j = 0; j < h->nmem; j++)
			if (overlaps(&d->regs[i], &h->mem[j]))
				return vm_fail(p, "devices",
					       "\"%s\" overlaps host RAM (0x%lx-0x%lx)", d->path,
					       h->mem[j].base, range_last(&h->mem[j]));
	}
	return 0;
}

static const struct range *shared_page(const struct vm_device *a, const struct vm_device *b)
{
	for (unsigned i = 0; i < a->nregs; i++)
		for (unsigned j = 0; j < b->nregs; j++)
			if (overlaps(&a->regs[i], &b->regs[j]))
				return &b->regs[j];
	return NULL;
}

static int shared_spi(const struct vm_device *a, const struct vm_device *b)
{
	for (unsigned i = 0; i < a->nirqs; i++)
		for (unsigned j = 0; j < b->nirqs; j++)
			if (a->irqs[i] == b->irqs[j])
				return (int)a->irqs[i];
	return -1;
}

/* d against one device given before it, to this VM or an earlier one. */
static int device_vs_device(struct parser *p, const struct vm_device *d,
			    const struct vm_config *ovm, const struct vm_device *o)
{
	const struct range *page;
	int spi;

	if (d->host_node == o->host_node && ovm == p->vm)
		return vm_fail(p, "devices", "\"%s\" is listed twice", d->path);
	/* Both VMs said so: the MMIO is shared (page or whole device), no IRQ is. */
	if (d->shared && o->shared && ovm != p->vm)
		return 0;
	if (d->host_node == o->host_node)
		return vm_fail(p, "devices", "\"%s\" is already given to vm \"%s\"", d->path,
			       ovm->label);
	page = shared_page(d, o);
	if (page)
		return vm_fail(p, "devices",
			       "\"%s\" shares a page with \"%s\" of vm \"%s\" (0x%lx-0x%lx)",
			       d->path, o->path, ovm->label, page->base, range_last(page));
	/* A shared interrupt line is fine within one VM, not across two. */
	spi = shared_spi(d, o);
	if (spi >= 0 && ovm != p->vm)
		return vm_fail(p, "devices",
			       "\"%s\" has INTID %d, which is already given to vm \"%s\" with "
			       "\"%s\"",
			       d->path, spi, ovm->label, o->path);
	return 0;
}

static bool owns_console(const struct parser *p)
{
	return !strcmp(p->console, p->vm->label);
}

static int device_vs_others(struct parser *p, const struct vm_device *d)
{
	int spi = shared_spi(d, &p->uart);

	if (spi >= 0 && !owns_console(p))
		return vm_fail(p, "devices", "\"%s\" has INTID %d, the console UART's interrupt",
			       d->path, spi);
	/* d is not counted in its VM's ndevices yet, so it meets only earlier ones. */
	for (const struct vm_config *o = p->out->vms; o <= p->vm; o++)
		for (const struct vm_device *od = o->devices; od < o->devices + o->ndevices; od++)
			if (device_vs_device(p, d, o, od) < 0)
				return -1;
	return 0;
}

/* The console UART is never a "devices" entry: console decides who has it. */
static int console_uart_device(struct parser *p, const char *path)
{
	if (!strcmp(p->console, "mux"))
		return vm_fail(p, "devices",
			       "\"%s\" is the console UART, Tessera's own while console = "
			       "\"mux\"",
			       path);
	return vm_fail(p, "devices",
		       "\"%s\" is the console UART: console = \"%s\" passes it through, not "
		       "devices",
		       path, p->console);
}

static int find_device(struct parser *p, const char *path, struct vm_device *d)
{
	d->host_node = fdt_path_offset(p->host_fdt, path);
	if (d->host_node < 0)
		return vm_fail(p, "devices", "\"%s\" is not in the host device tree", path);
	if (!dt_node_enabled(p->host_fdt, d->host_node))
		return vm_fail(p, "devices", "\"%s\" is disabled in the host device tree", path);
	if (d->host_node == p->uart_node)
		return console_uart_device(p, path);
	if (d->host_node == p->console_node)
		return vm_fail(p, "devices", "\"%s\" is Tessera's console UART", path);
	if (fdt_get_path(p->host_fdt, d->host_node, d->path, sizeof(d->path)) < 0)
		return vm_fail(p, "devices", "\"%s\": path longer than %d characters", path,
			       DT_PATH_MAX - 1);
	return 0;
}

/* A shared device's interrupt has no single owner: it is not passed through. */
static int shared_device_irqs(struct vm_device *d)
{
	d->shared = true;
	d->nirqs = 0;
	return 0;
}

static int add_device(struct parser *p, const char *path, bool shared)
{
	struct vm_config *vm = p->vm;
	struct vm_device *d = &vm->devices[vm->ndevices];

	*d = (struct vm_device){0};
	if (!*path)
		return vm_fail(p, "devices", "empty path");
	if (vm->ndevices == VM_MAX_DEVICES)
		return vm_fail(p, "devices", "more than %d devices", VM_MAX_DEVICES);
	if (find_device(p, path, d) < 0 || device_regs(p, d) < 0 || device_vs_host(p, d) < 0 ||
	    (shared ? shared_device_irqs(d) : device_irqs(p, d)) < 0 || device_vs_others(p, d) < 0)
		return -1;
	vm->ndevices++;
	return 0;
}

static int parse_device_list(struct parser *p, const void *val, int len, bool shared)
{
	const char *s = val;

	if (len == 0)
		return vm_fail(p, "devices", "empty (leave it out when the VM has no devices)");
	if (s[len - 1] != '\0')
		return vm_fail(p, "devices", "not a list of strings");
	for (; s < (const char *)val + len; s += strlen(s) + 1)
		if (add_device(p, s, shared) < 0)
			return -1;
	return 0;
}

static int parse_devices(struct parser *p, const void *val, int len)
{
	return parse_device_list(p, val, len, false);
}

static int parse_shared_devices(struct parser *p, const void *val, int len)
{
	return parse_device_list(p, val, len, true);
}

/* ---- a whole vm node ------------------------------------------------ */

static const struct vm_prop {
	const char *name;
	bool required;
	int (*parse)(struct parser *p, const void *val, int len);
} vm_props[] = {
	/* label first: every later error names the VM by it. */
	{"label", true, parse_label},	     {"cpus", true, parse_cpus},
	{"memory", true, parse_memory},	     {"kernel", true, parse_kernel},
	{"initrd", false, parse_initrd},     {"bootargs", false, parse_bootargs},
	{"devices", false, parse_devices},   {"shared-devices", false, parse_shared_devices},
	{"identity", false, parse_identity}, {"dtb", false, parse_dtb},
};

#define NUM_VM_PROPS (sizeof(vm_props) / sizeof(vm_props[0]))

static int parse_prop(struct parser *p, const struct vm_prop *vp)
{
	int len;
	const void *val = fdt_getprop(p->cfg, p->nodes[p->out->nvms], vp->name, &len);

	if (!val)
		return vp->required ? vm_fail(p, vp->name, "missing") : 0;
	return vp->parse(p, val, len);
}

static int unknown_vm_prop(struct parser *p, const char *name)
{
	char known[96];
	size_t n = 0;

	known[0] = '\0';
	for (unsigned i = 0; i < NUM_VM_PROPS && n < sizeof(known); i++)
		n += str_format(known + n, sizeof(known) - n, "%s%s", i ? " " : "",
				vm_props[i].name);
	return vm_fail(p, name, "unknown property (known: %s)", known);
}

/* Typo protection: "memroy" must not silently leave out the memory. */
static int check_vm_prop_names(struct parser *p)
{
	int prop;

	fdt_for_each_property_offset(prop, p->cfg, p->nodes[p->out->nvms])
	{
		const char *name;
		unsigned i = 0;

		fdt_getprop_by_offset(p->cfg, prop, &name, NULL);
		while (i < NUM_VM_PROPS && strcmp(name, vm_props[i].name))
			i++;
		if (i == NUM_VM_PROPS)
			return unknown_vm_prop(p, name);
	}
	return 0;
}

/* Guest RAM must leave the GIC, the UART and the VM's devices unshadowed. */
static int check_vm_memory(struct parser *p)
{
	const struct vm_config *vm = p->vm;
	const struct range *mem = &vm->mem;
	struct window w[MAX_WINDOWS];
	unsigned nw = host_windows(p->host, w);

	for (unsigned i = 0; i < nw; i++)
		if (w[i].in_guest && overlaps(mem, w[i].r))
			return vm_fail(p, "memory", "0x%lx-0x%lx overlaps %s (0x%lx-0x%lx)",
				       mem->base, range_last(mem), w[i].name, w[i].r->base,
				       range_last(w[i].r));
	for (unsigned i = 0; i < vm->ndevices; i++)
		for (unsigned j = 0; j < vm->devices[i].nregs; j++) {
			const struct range *r = &vm->devices[i].regs[j];

			if (overlaps(mem, r))
				return vm_fail(p, "memory",
					       "0x%lx-0x%lx overlaps device \"%s\" (0x%lx-0x%lx)",
					       mem->base, range_last(mem), vm->devices[i].path,
					       r->base, range_last(r));
		}
	return 0;
}

static int parse_vm(struct parser *p)
{
	if (parse_prop(p, &vm_props[0]) < 0 || check_vm_prop_names(p) < 0)
		return -1;
	for (unsigned i = 1; i < NUM_VM_PROPS; i++)
		if (parse_prop(p, &vm_props[i]) < 0)
			return -1;
	return check_vm_memory(p);
}

/* ---- /tessera --------------------------------------------------------- */

static bool is_vm_node(const char *name)
{
	return !strcmp(name, "vm") || !strncmp(name, "vm@", 3);
}

/* Every child of /tessera is a VM, and there are 1 to VM_MAX of them. */
static int find_vms(struct parser *p, int tessera)
{
	unsigned n = 0;
	int node;

	fdt_for_each_subnode(node, p->cfg, tessera)
	{
		const char *name = fdt_get_name(p->cfg, node, NULL);

		if (!is_vm_node(name))
			return fail(p->err, "/tessera", name,
				    "unknown node (VMs are vm@<n> nodes)");
		if (n == VM_MAX)
			return fail(p->err, "/tessera", name, "more than %d VMs", VM_MAX);
		p->nodes[n++] = node;
	}
	if (!n)
		return fail(p->err, "/tessera", NULL, "no VMs (add a vm@0 node)");
	return (int)n;
}

static int parse_vms(struct parser *p, int tessera)
{
	int n = find_vms(p, tessera);

	if (n < 0)
		return -1;
	for (struct tessera_config *out = p->out; out->nvms < (unsigned)n; out->nvms++) {
		p->vm = &out->vms[out->nvms];
		if (parse_vm(p) < 0)
			return -1;
	}
	return 0;
}

static int read_console(struct parser *p, int tessera)
{
	int prop, len;

	fdt_for_each_property_offset(prop, p->cfg, tessera)
	{
		const char *name;

		fdt_getprop_by_offset(p->cfg, prop, &name, NULL);
		if (strcmp(name, "console"))
			return fail(p->err, "/tessera", name, "unknown property (known: console)");
	}
	/* Absent means "mux" (docs/configuration.md). */
	p->console = fdt_getprop(p->cfg, tessera, "console", &len);
	if (!p->console)
		p->console = "mux";
	else if (!is_string(p->console, len))
		return fail(p->err, "/tessera", "console", "not a string");
	return 0;
}

static int resolve_console(struct parser *p)
{
	struct tessera_config *out = p->out;

	out->console = CONSOLE_MUX;
	if (!strcmp(p->console, "mux"))
		return 0;
	for (unsigned i = 0; i < out->nvms; i++)
		if (!strcmp(out->vms[i].label, p->console)) {
			out->console = CONSOLE_VM;
			out->console_vm = i;
			return 0;
		}
	return fail(p->err, "/tessera", "console", "\"%s\" is neither \"mux\" nor a VM label",
		    p->console);
}

/* The console UART's SPIs belong to Tessera or the console VM: no device's. */
static void host_nodes(struct parser *p)
{
	struct irq_scan s = {.fdt = p->host_fdt, .dev = &p->uart};

	p->gic_node = fdt_path_offset(p->host_fdt, p->host->gic.path);
	p->uart_node = fdt_path_offset(p->host_fdt, p->host->uart.path);
	p->console_node = -1;
	if (p->host->console.regs.base && p->host->console.regs.base != p->host->uart.regs.base)
		p->console_node = fdt_path_offset(p->host_fdt, p->host->console.path);
	s.gic = p->gic_node;
	if (p->uart_node >= 0)
		scan_irqs(&s, p->uart_node);
}

static int find_tessera(struct parser *p)
{
	int tessera;

	if (dt_validate(p->cfg, CONFIG_MAX_SIZE) != 0)
		return fail(p->err, "header", NULL, "not a valid flattened device tree");
	if (fdt_node_check_compatible(p->cfg, 0, "tessera,config") != 0)
		return fail(p->err, "/", "compatible", "not \"tessera,config\"");
	tessera = fdt_path_offset(p->cfg, "/tessera");
	if (tessera < 0)
		return fail(p->err, "/tessera", NULL, "node missing");
	return tessera;
}

int config_parse(const void *cfg, const void *host_fdt, const struct host_platform *host,
		 struct tessera_config *out, struct config_error *err)
{
	struct parser p = {.cfg = cfg, .host_fdt = host_fdt, .host = host, .out = out, .err = err};
	int tessera;

	memset(out, 0, sizeof(*out));
	tessera = find_tessera(&p);
	if (tessera < 0 || read_console(&p, tessera) < 0)
		return -1;
	host_nodes(&p);
	if (parse_vms(&p, tessera) < 0 || resolve_console(&p) < 0)
		return -1;
	return 0;
}

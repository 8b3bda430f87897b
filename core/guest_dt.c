/* SPDX-License-Identifier: MIT */
/*
 * Guest DT generation, in two passes over the host tree. The plan decides
 * which host nodes the guest keeps: the GIC, the timer, the console UART, the
 * VM's devices, and every node their phandles lead to. The write then emits
 * the guest tree in one walk with libfdt's sequential-write API: the nodes
 * made from the layout (/chosen, /aliases, /cpus, /memory, /psci, the UART),
 * then the kept host nodes in host order, each under copies of its buses.
 * Phandle values are copied unchanged, so references keep resolving.
 */
#include "core/guest_dt.h"
#include "core/dt_util.h"

/* No binding needs more cells after a phandle; more means a broken tree. */
#define DT_MAX_PHANDLE_ARGS 16

#include <libfdt.h>
#include <limits.h>
#include <stdarg.h>

#include "core/format.h"

#define GDT_MAX_KEEP	32
#define GICR_FRAME_SIZE 0x20000 /* a GICv3 redistributor: RD_base + SGI_base */
#define GIC_REG_CELLS	8	/* two (address, size) pairs of up to 2 + 2 cells */
#define REG_CELLS	4	/* one pair in the root's cells */
#define UART_CLOCKS_MAX 4	/* entries of the UART's "clocks" */
/*
 * The rate of the fixed clock a UART gets when its own clock is a clock
 * controller (the Raspberry Pi's cprman): what the Pi firmware gives its
 * PL011s (init_uart_clock). An emulated UART ignores it.
 */
#define UART_CLOCK_HZ	48000000
#define UART_CLOCK_NODE "tessera-uart-clock"

enum keep_kind {
	KEEP_NONE,
	KEEP_SHELL, /* a bus on the way to a kept node: properties, kept children */
	KEEP_TREE,  /* the node and its whole subtree */
	KEEP_GIC,   /* the GIC: reg rewritten, children (ITS, v2m frames) dropped */
	KEEP_UART,  /* the console: written at the root, at uart_base */
};

struct keep {
	int node;
	enum keep_kind kind;
	const char *what; /* what errors blame: "devices" or "dtb" */
};

struct gdt {
	const void *host;
	const struct host_platform *hp;
	const struct vm_config *vm;
	const struct guest_layout *lay;
	void *out;
	size_t out_size;
	struct config_error *err;
	int ac, sc; /* the root's #address-cells, #size-cells */
	int gic, uart;
	uint32_t gic_phandle;
	const void *cpu_compat; /* the host's first CPU node's compatible */
	int cpu_compat_len;
	const fdt32_t *uart_irq_parent; /* inherited from the UART's bus, or NULL */
	char uart_name[DT_PATH_MAX];	/* "pl011@9000000" */
	char uart_path[DT_PATH_MAX];	/* "/pl011@9000000" */
	fdt32_t gic_reg[GIC_REG_CELLS], uart_reg[REG_CELLS], mem_reg[REG_CELLS];
	int gic_reg_len, uart_reg_len, mem_reg_len;
	uint32_t uart_clock; /* phandle of UART_CLOCK_NODE, or 0 when the UART keeps its own */
	fdt32_t uart_clocks[UART_CLOCKS_MAX];
	int uart_clocks_len;
	struct keep keep[GDT_MAX_KEEP];
	unsigned nkeep;
};

/* Properties whose values are phandles, and the provider property that
 * says how many argument cells follow each one (NULL: none). */
static const struct {
	const char *name;
	const char *cells;
} ref_props[] = {
	{"interrupt-parent", NULL},
	{"clocks", "#clock-cells"},
	{"assigned-clocks", "#clock-cells"},
	{"assigned-clock-parents", "#clock-cells"},
	{"resets", "#reset-cells"},
	{"power-domains", "#power-domain-cells"},
	{"phys", "#phy-cells"},
	{"dmas", "#dma-cells"},
	{"mboxes", "#mbox-cells"},
	{"pwms", "#pwm-cells"},
	{"interrupts-extended", "#interrupt-cells"},
};

static int fail(struct gdt *g, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct gdt *g, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vm_vfail(g->err, g->vm->label, what, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *path_of(const void *fdt, int node, char *buf)
{
	if (fdt_get_path(fdt, node, buf, DT_PATH_MAX) < 0)
		return fdt_get_name(fdt, node, NULL);
	return buf;
}

/* Store v in `cells` (1 or 2) big-endian cells; -1 if it does not fit. */
static int put_cells(fdt32_t *p, int cells, uint64_t v)
{
	if (cells < 2 && v >> 32)
		return -1;
	if (cells == 2)
		*p++ = cpu_to_fdt32(v >> 32);
	*p = cpu_to_fdt32((uint32_t)v);
	return 0;
}

/* One (base, size) reg entry in the root's cells: its length, or -1. */
static int root_reg(const struct gdt *g, fdt32_t *p, uint64_t base, uint64_t size)
{
	if (put_cells(p, g->ac, base) < 0 || put_cells(p + g->ac, g->sc, size) < 0)
		return -1;
	return (g->ac + g->sc) * 4;
}

/* The offset just past node's subtree: its descendants lie in between. */
static int subtree_end(const void *fdt, int node)
{
	int depth = 0;

	do
		node = fdt_next_node(fdt, node, &depth);
	while (node >= 0 && depth > 0);
	return node < 0 ? INT_MAX : node;
}

static bool inside(const void *fdt, int ancestor, int node)
{
	return node > ancestor && node < subtree_end(fdt, ancestor);
}

/* Host nodes the guest gets its own version of, and the host's alone. */
static bool replaced(const struct gdt *g, int node)
{
	static const char *const names[] = {"cpus",   "chosen", "aliases",
					    "memory", "psci",	"reserved-memory"};
	int top = fdt_supernode_atdepth_offset(g->host, node, 1, NULL);
	const char *name, *at;
	int len;

	if (node == 0 || top < 0 || inside(g->host, g->gic, node))
		return true;
	name = fdt_get_name(g->host, top, &len);
	at = memchr(name, '@', len);
	if (at)
		len = (int)(at - name);
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((int)strlen(names[i]) == len && !memcmp(name, names[i], len))
			return true;
	return false;
}

/* How the write pass treats a host node: kept, or a bus leading to one. */
static enum keep_kind kind_of(const struct gdt *g, int node)
{
	enum keep_kind kind = KEEP_NONE;
	int end = subtree_end(g->host, node);

	for (unsigned i = 0; i < g->nkeep; i++) {
		const struct keep *k = &g->keep[i];

		if (k->node == node)
			return k->kind;
		/* The UART is written at the root, so its bus is not needed. */
		if (k->kind != KEEP_UART && k->node > node && k->node < end)
			kind = KEEP_SHELL;
	}
	return kind;
}

static bool covered(const struct gdt *g, int node)
{
	for (unsigned i = 0; i < g->nkeep; i++) {
		const struct keep *k = &g->keep[i];

		if (k->node == node || (k->kind == KEEP_TREE && inside(g->host, k->node, node)))
			return true;
	}
	return false;
}

static int keep_add(struct gdt *g, int node, enum keep_kind kind, const char *what)
{
	if (g->nkeep == GDT_MAX_KEEP)
		return fail(g, what, "more than %d host nodes to copy into the guest DT",
			    GDT_MAX_KEEP);
	g->keep[g->nkeep++] = (struct keep){node, kind, what};
	return 0;
}

/* Host properties a kept node loses in the guest. */
static bool dropped(const struct gdt *g, enum keep_kind kind, const char *name)
{
	/* The guest's GIC has no virtualization extensions to maintain. */
	if (kind == KEEP_GIC)
		return !strcmp(name, "interrupts") || !strcmp(name, "redistributor-stride");
	/*
	 * Pin muxing and DMA channels stay with the host, and so do the clock
	 * settings of a controller UART_CLOCK_NODE stands in for.
	 */
	if (kind == KEEP_UART)
		return !strncmp(name, "pinctrl-", 8) || !strcmp(name, "dmas") ||
		       !strcmp(name, "dma-names") ||
		       (g->uart_clock && !strncmp(name, "assigned-clock", 14));
	return false;
}

static bool ref_prop(const char *name, const char **cells)
{
	size_t len = strlen(name);

	for (unsigned i = 0; i < sizeof(ref_props) / sizeof(ref_props[0]); i++) {
		if (!strcmp(name, ref_props[i].name)) {
			*cells = ref_props[i].cells;
			return true;
		}
	}
	*cells = "#gpio-cells";
	if (!strcmp(name, "gpios") || (len > 6 && !strcmp(name + len - 6, "-gpios")))
		return true;
	*cells = NULL;
	return !strncmp(name, "pinctrl-", 8) && name[8] >= '0' && name[8] <= '9';
}

/* The guest must contain target, which node's property name references. */
static int keep_ref(struct gdt *g, const char *what, int node, const char *name, int target)
{
	char path[DT_PATH_MAX], tpath[DT_PATH_MAX];

	if (covered(g, target))
		return 0;
	if (replaced(g, target))
		return fail(g, what, "%s: %s references %s, which is not passed to guests",
			    path_of(g->host, node, path), name, path_of(g->host, target, tpath));
	return keep_add(g, target, KEEP_TREE, what);
}

/* Follow a list of (phandle, args...) entries; phandle 0 is an empty slot. */
static int follow_list(struct gdt *g, const char *what, int node, const char *name,
		       const fdt32_t *p, int len, const char *cells_name)
{
	char path[DT_PATH_MAX], tpath[DT_PATH_MAX];
	int n = len / 4;

	if (len % 4)
		return fail(g, what, "%s: %s: malformed", path_of(g->host, node, path), name);
	for (int i = 0; i < n;) {
		uint32_t ph = fdt32_to_cpu(p[i++]);
		const fdt32_t *c;
		int target, clen, cells = 0;

		if (ph == 0 || ph == ~0u)
			continue;
		target = fdt_node_offset_by_phandle(g->host, ph);
		if (target < 0)
			return fail(g, what,
				    "%s: %s references phandle 0x%x which is not in the host DT",
				    path_of(g->host, node, path), name, ph);
		c = cells_name ? fdt_getprop(g->host, target, cells_name, &clen) : NULL;
		if (cells_name && (!c || clen != 4))
			return fail(g, what, "%s: %s: %s has no %s", path_of(g->host, node, path),
				    name, path_of(g->host, target, tpath), cells_name);
		if (c)
			cells = (int)fdt32_to_cpu(*c);
		if (cells < 0 || cells > n - i)
			return fail(g, what, "%s: %s: entry for phandle 0x%x is cut short",
				    path_of(g->host, node, path), name, ph);
		i += cells;
		if (keep_ref(g, what, node, name, target) < 0)
			return -1;
	}
	return 0;
}

static int scan_props(struct gdt *g, const char *what, int node, enum keep_kind kind)
{
	int prop;

	fdt_for_each_property_offset(prop, g->host, node)
	{
		const char *name, *cells;
		int len;
		const fdt32_t *val = fdt_getprop_by_offset(g->host, prop, &name, &len);

		if (!val || dropped(g, kind, name) || !ref_prop(name, &cells))
			continue;
		if (kind == KEEP_UART && g->uart_clock && !strcmp(name, "clocks"))
			continue; /* UART_CLOCK_NODE instead */
		if (follow_list(g, what, node, name, val, len, cells) < 0)
			return -1;
	}
	return 0;
}

/* The referenced nodes of one kept node: its subtree's and its buses'. */
static int scan_keep(struct gdt *g, struct keep k)
{
	int depth = 0, node = k.node;

	if (k.kind == KEEP_UART) {
		if (scan_props(g, k.what, node, k.kind) < 0)
			return -1;
		if (!g->uart_irq_parent)
			return 0;
		return follow_list(g, k.what, node, "interrupt-parent", g->uart_irq_parent, 4,
				   NULL);
	}
	do {
		if (scan_props(g, k.what, node, k.kind) < 0)
			return -1;
		node = fdt_next_node(g->host, node, &depth);
	} while (k.kind == KEEP_TREE && node >= 0 && depth > 0);
	for (node = fdt_parent_offset(g->host, k.node); node > 0;
	     node = fdt_parent_offset(g->host, node))
		if (scan_props(g, k.what, node, KEEP_SHELL) < 0)
			return -1;
	return 0;
}

/*
 * The UART moves to the root, where the root's interrupt-parent (the GIC)
 * applies; an interrupt-parent it inherited from its bus must go with it.
 */
static const fdt32_t *bus_irq_parent(const struct gdt *g, int node)
{
	const fdt32_t *ip;
	int len;

	if (fdt_getprop(g->host, node, "interrupt-parent", NULL) ||
	    fdt_getprop(g->host, node, "interrupts-extended", NULL))
		return NULL;
	for (node = fdt_parent_offset(g->host, node); node > 0;
	     node = fdt_parent_offset(g->host, node)) {
		ip = fdt_getprop(g->host, node, "interrupt-parent", &len);
		if (ip && len == 4)
			return fdt32_to_cpu(*ip) == g->gic_phandle ? NULL : ip;
	}
	return NULL;
}

/* The vCPUs are described like the host's first CPU. */
static void plan_cpu_compat(struct gdt *g)
{
	int node;

	fdt_for_each_subnode(node, g->host, fdt_path_offset(g->host, "/cpus"))
	{
		const char *type = fdt_getprop(g->host, node, "device_type", NULL);

		if (type && !strcmp(type, "cpu")) {
			g->cpu_compat =
				fdt_getprop(g->host, node, "compatible", &g->cpu_compat_len);
			return;
		}
	}
}

static int plan_root(struct gdt *g)
{
	if (dt_validate(g->host, 64ull << 20) != 0)
		return fail(g, "dtb", "the host DT is not a valid device tree");
	g->ac = fdt_address_cells(g->host, 0);
	g->sc = fdt_size_cells(g->host, 0);
	if (g->ac < 1 || g->ac > 2 || g->sc < 1 || g->sc > 2)
		return fail(g, "dtb",
			    "host root #address-cells = <%d>, #size-cells = <%d>: "
			    "only 1 or 2 cells are supported",
			    g->ac, g->sc);
	if (g->lay->ncpus < 1 || g->lay->ncpus > MAX_CPUS)
		return fail(g, "cpus", "%u vCPUs (1 to %d supported)", g->lay->ncpus, MAX_CPUS);
	plan_cpu_compat(g);
	if (root_reg(g, g->mem_reg, g->lay->ram_base, g->lay->ram_size) < 0)
		return fail(g, "memory",
			    "0x%llx bytes at 0x%llx do not fit the host root's #address-cells = "
			    "<%d>, #size-cells = <%d>",
			    (unsigned long long)g->lay->ram_size,
			    (unsigned long long)g->lay->ram_base, g->ac, g->sc);
	g->mem_reg_len = (g->ac + g->sc) * 4;
	return 0;
}

/* GICD as on the host, then GICC (v2) or one GICR region for the vCPUs (v3). */
static int plan_gic(struct gdt *g)
{
	const char *path = g->hp->gic.path;
	int parent, ac, sc, len, entry;
	const fdt32_t *reg;

	g->gic = fdt_path_offset(g->host, path);
	if (g->gic < 0)
		return fail(g, "dtb", "GIC %s is not in the host DT", path);
	g->gic_phandle = fdt_get_phandle(g->host, g->gic);
	if (!g->gic_phandle)
		return fail(g, "dtb",
			    "%s: no phandle (the guest root's interrupt-parent needs one)", path);
	parent = fdt_parent_offset(g->host, g->gic);
	ac = fdt_address_cells(g->host, parent);
	sc = fdt_size_cells(g->host, parent);
	entry = ac + sc;
	reg = fdt_getprop(g->host, g->gic, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < 2 * entry * 4)
		return fail(g, "dtb", "%s: reg: need two regions with 1 or 2 cells per number",
			    path);
	g->gic_reg_len = 2 * entry * 4;
	memcpy(g->gic_reg, reg, g->gic_reg_len);
	if (g->hp->gic.version == 3)
		put_cells(g->gic_reg + entry + ac, sc, (uint64_t)g->lay->ncpus * GICR_FRAME_SIZE);
	return keep_add(g, g->gic, KEEP_GIC, "dtb");
}

/*
 * Count the UART's clock entries; true if one of them is a clock controller
 * rather than a fixed clock. Such a controller (the Pi's cprman) is the
 * host's: a guest driver would program real clocks through it.
 */
static bool uart_clock_controller(const struct gdt *g, int *nclocks)
{
	const fdt32_t *p;
	bool controller = false;
	int len, i = 0;

	*nclocks = 0;
	p = fdt_getprop(g->host, g->uart, "clocks", &len);
	while (p && i < len / 4) {
		int target = fdt_node_offset_by_phandle(g->host, fdt32_to_cpu(p[i]));
		const fdt32_t *c =
			target < 0 ? NULL : fdt_getprop(g->host, target, "#clock-cells", NULL);

		if (!c || fdt32_to_cpu(*c) > DT_MAX_PHANDLE_ARGS)
			return false; /* malformed: scan_keep reports it */
		controller |= fdt_node_check_compatible(g->host, target, "fixed-clock") != 0;
		i += 1 + (int)fdt32_to_cpu(*c);
		(*nclocks)++;
	}
	return controller;
}

/* A fixed clock for the UART, with a phandle no host node has. */
static int plan_uart_clock(struct gdt *g)
{
	uint32_t max = 0;
	int n;

	if (!uart_clock_controller(g, &n))
		return 0;
	if (n > UART_CLOCKS_MAX || fdt_find_max_phandle(g->host, &max) < 0 || max >= 0xfffffffeu)
		return fail(g, "dtb", "%s: clocks: cannot give the VM's UART a clock of its own",
			    g->hp->uart.path);
	g->uart_clock = max + 1;
	for (int i = 0; i < n; i++)
		g->uart_clocks[i] = cpu_to_fdt32(g->uart_clock);
	g->uart_clocks_len = n * 4;
	return 0;
}

static int plan_uart(struct gdt *g)
{
	const char *name, *at;
	int len;

	g->uart = fdt_path_offset(g->host, g->hp->uart.path);
	if (g->uart < 0)
		return fail(g, "dtb", "console UART \"%s\" is not in the host DT",
			    g->hp->uart.path);
	name = fdt_get_name(g->host, g->uart, &len);
	at = memchr(name, '@', len);
	str_format(g->uart_name, sizeof(g->uart_name), "%.*s@%llx", at ? (int)(at - name) : len,
		   name, (unsigned long long)g->lay->uart_base);
	str_format(g->uart_path, sizeof(g->uart_path), "/%s", g->uart_name);
	g->uart_reg_len = root_reg(g, g->uart_reg, g->lay->uart_base, g->hp->uart.regs.size);
	if (g->uart_reg_len < 0)
		return fail(g, "dtb",
			    "UART at 0x%llx does not fit the host root's #address-cells = <%d>",
			    (unsigned long long)g->lay->uart_base, g->ac);
	g->uart_irq_parent = bus_irq_parent(g, g->uart);
	if (plan_uart_clock(g) < 0)
		return -1;
	return keep_add(g, g->uart, KEEP_UART, "dtb");
}

static int plan_devices(struct gdt *g)
{
	char path[DT_PATH_MAX];
	int timer = fdt_node_offset_by_compatible(g->host, -1, "arm,armv8-timer");

	if (timer < 0)
		return fail(g, "dtb", "the host DT has no arm,armv8-timer node");
	if (keep_add(g, timer, KEEP_TREE, "dtb") < 0)
		return -1;
	for (unsigned i = 0; i < g->vm->ndevices; i++) {
		const struct vm_device *d = &g->vm->devices[i];

		if (d->host_node < 0)
			return fail(g, "devices", "%s: not in the host DT", d->path);
		/* Listing the console is harmless: the guest has it already. */
		if (d->host_node == g->uart || covered(g, d->host_node))
			continue;
		if (replaced(g, d->host_node))
			return fail(g, "devices",
				    "%s: cannot be passed through (the guest DT has its own)",
				    path_of(g->host, d->host_node, path));
		if (keep_add(g, d->host_node, KEEP_TREE, "devices") < 0)
			return -1;
	}
	return 0;
}

/* Each scan may append nodes; the loop reaches those too. */
static int plan_refs(struct gdt *g)
{
	int clash = fdt_subnode_offset(g->host, 0, g->uart_name);
	char path[DT_PATH_MAX];

	for (unsigned i = 0; i < g->nkeep; i++)
		if (scan_keep(g, g->keep[i]) < 0)
			return -1;
	/* A kept host node named like the moved UART would make two of one name. */
	for (unsigned i = 0; clash >= 0 && i < g->nkeep; i++) {
		int top = fdt_supernode_atdepth_offset(g->host, g->keep[i].node, 1, NULL);

		if (g->keep[i].kind != KEEP_UART && top == clash)
			return fail(g, g->keep[i].what, "%s: clashes with the VM's UART %s",
				    path_of(g->host, top, path), g->uart_path);
	}
	return 0;
}

static int write_prop(struct gdt *g, enum keep_kind kind, const char *name, const void *val,
		      int len)
{
	if (kind == KEEP_GIC && !strcmp(name, "reg"))
		return fdt_property(g->out, name, g->gic_reg, g->gic_reg_len);
	if (kind == KEEP_GIC && !strcmp(name, "#redistributor-regions"))
		return fdt_property_u32(g->out, name, 1);
	if (kind == KEEP_UART && !strcmp(name, "reg"))
		return fdt_property(g->out, name, g->uart_reg, g->uart_reg_len);
	if (kind == KEEP_UART && g->uart_clock && !strcmp(name, "clocks"))
		return fdt_property(g->out, name, g->uart_clocks, g->uart_clocks_len);
	return fdt_property(g->out, name, val, len);
}

static int write_props(struct gdt *g, int node, enum keep_kind kind)
{
	int prop, ret;

	fdt_for_each_property_offset(prop, g->host, node)
	{
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(g->host, prop, &name, &len);

		if (!val)
			return len;
		if (len < 0) /* a malformed tree can claim a negative length */
			return -FDT_ERR_BADSTRUCTURE;
		if (dropped(g, kind, name))
			continue;
		ret = write_prop(g, kind, name, val, len);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int write_node(struct gdt *g, int node, enum keep_kind kind);

static int write_children(struct gdt *g, int parent, enum keep_kind kind)
{
	int child, ret;

	fdt_for_each_subnode(child, g->host, parent)
	{
		enum keep_kind ck = kind_of(g, child);

		if (kind == KEEP_TREE && ck != KEEP_GIC && ck != KEEP_UART)
			ck = KEEP_TREE;
		if (ck == KEEP_NONE || ck == KEEP_UART)
			continue;
		ret = write_node(g, child, ck);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int write_node(struct gdt *g, int node, enum keep_kind kind)
{
	int ret = fdt_begin_node(g->out, fdt_get_name(g->host, node, NULL));

	if (ret == 0)
		ret = write_props(g, node, kind);
	if (ret == 0 && kind != KEEP_GIC)
		ret = write_children(g, node, kind);
	return ret < 0 ? ret : fdt_end_node(g->out);
}

static int write_root(struct gdt *g)
{
	const char *keep[] = {"compatible", "model"};
	int ret = fdt_create(g->out, g->out_size > INT_MAX ? INT_MAX : (int)g->out_size);

	if (ret == 0)
		ret = fdt_finish_reservemap(g->out);
	if (ret == 0)
		ret = fdt_begin_node(g->out, "");
	for (unsigned i = 0; ret == 0 && i < sizeof(keep) / sizeof(keep[0]); i++) {
		int len;
		const void *val = fdt_getprop(g->host, 0, keep[i], &len);

		if (val)
			ret = fdt_property(g->out, keep[i], val, len);
	}
	if (ret == 0)
		ret = fdt_property_u32(g->out, "#address-cells", g->ac);
	if (ret == 0)
		ret = fdt_property_u32(g->out, "#size-cells", g->sc);
	return ret < 0 ? ret : fdt_property_u32(g->out, "interrupt-parent", g->gic_phandle);
}

static int write_chosen(struct gdt *g)
{
	uint64_t start = g->lay->initrd_base, end = start + g->lay->initrd_size;
	int ret = fdt_begin_node(g->out, "chosen");

	if (ret == 0 && g->vm->bootargs)
		ret = fdt_property_string(g->out, "bootargs", g->vm->bootargs);
	if (ret == 0 && g->lay->initrd_size)
		ret = fdt_property_u64(g->out, "linux,initrd-start", start);
	if (ret == 0 && g->lay->initrd_size)
		ret = fdt_property_u64(g->out, "linux,initrd-end", end);
	if (ret == 0)
		ret = fdt_property_string(g->out, "stdout-path", g->uart_path);
	return ret < 0 ? ret : fdt_end_node(g->out);
}

static int write_aliases(struct gdt *g)
{
	int ret = fdt_begin_node(g->out, "aliases");

	if (ret == 0)
		ret = fdt_property_string(g->out, "serial0", g->uart_path);
	return ret < 0 ? ret : fdt_end_node(g->out);
}

static int write_cpu(struct gdt *g, unsigned i)
{
	char name[16];
	int ret;

	str_format(name, sizeof(name), "cpu@%x", i);
	ret = fdt_begin_node(g->out, name);
	if (ret == 0)
		ret = fdt_property_string(g->out, "device_type", "cpu");
	if (ret == 0 && g->cpu_compat)
		ret = fdt_property(g->out, "compatible", g->cpu_compat, g->cpu_compat_len);
	if (ret == 0)
		ret = fdt_property_u32(g->out, "reg", i);
	if (ret == 0)
		ret = fdt_property_string(g->out, "enable-method", "psci");
	return ret < 0 ? ret : fdt_end_node(g->out);
}

/* vCPU i has MPIDR i: the vGIC and vPSCI number them the same way. */
static int write_cpus(struct gdt *g)
{
	int ret = fdt_begin_node(g->out, "cpus");

	if (ret == 0)
		ret = fdt_property_u32(g->out, "#address-cells", 1);
	if (ret == 0)
		ret = fdt_property_u32(g->out, "#size-cells", 0);
	for (unsigned i = 0; ret == 0 && i < g->lay->ncpus; i++)
		ret = write_cpu(g, i);
	return ret < 0 ? ret : fdt_end_node(g->out);
}

static int write_memory(struct gdt *g)
{
	char name[32];
	int ret;

	str_format(name, sizeof(name), "memory@%llx", (unsigned long long)g->lay->ram_base);
	ret = fdt_begin_node(g->out, name);
	if (ret == 0)
		ret = fdt_property_string(g->out, "device_type", "memory");
	if (ret == 0)
		ret = fdt_property(g->out, "reg", g->mem_reg, g->mem_reg_len);
	return ret < 0 ? ret : fdt_end_node(g->out);
}

/* Tessera's own PSCI: a guest at EL1 reaches it with HVC. */
static int write_psci(struct gdt *g)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int ret = fdt_begin_node(g->out, "psci");

	if (ret == 0)
		ret = fdt_property(g->out, "compatible", compat, sizeof(compat));
	if (ret == 0)
		ret = fdt_property_string(g->out, "method", "hvc");
	return ret < 0 ? ret : fdt_end_node(g->out);
}

static int write_uart(struct gdt *g)
{
	int ret = fdt_begin_node(g->out, g->uart_name);

	if (ret == 0)
		ret = write_props(g, g->uart, KEEP_UART);
	if (ret == 0 && g->uart_irq_parent)
		ret = fdt_property(g->out, "interrupt-parent", g->uart_irq_parent, 4);
	return ret < 0 ? ret : fdt_end_node(g->out);
}

static int write_uart_clock(struct gdt *g)
{
	int ret;

	if (!g->uart_clock)
		return 0;
	ret = fdt_begin_node(g->out, UART_CLOCK_NODE);
	if (ret == 0)
		ret = fdt_property_string(g->out, "compatible", "fixed-clock");
	if (ret == 0)
		ret = fdt_property_u32(g->out, "#clock-cells", 0);
	if (ret == 0)
		ret = fdt_property_u32(g->out, "clock-frequency", UART_CLOCK_HZ);
	if (ret == 0)
		ret = fdt_property_u32(g->out, "phandle", g->uart_clock);
	return ret < 0 ? ret : fdt_end_node(g->out);
}

static int write_host_nodes(struct gdt *g)
{
	return write_children(g, 0, KEEP_SHELL);
}

static int write_end(struct gdt *g)
{
	int ret = fdt_end_node(g->out);

	return ret < 0 ? ret : fdt_finish(g->out);
}

/* A libfdt error code, or 0. */
static int write_tree(struct gdt *g)
{
	static int (*const steps[])(struct gdt *) = {
		write_root, write_chosen, write_aliases,    write_cpus,	      write_memory,
		write_psci, write_uart,	  write_uart_clock, write_host_nodes, write_end,
	};

	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int ret = steps[i](g);

		if (ret < 0)
			return ret;
	}
	return 0;
}

int guest_dt_build(const void *host_fdt, const struct host_platform *host,
		   const struct vm_config *vm, const struct guest_layout *layout, void *out,
		   size_t out_size, struct config_error *err)
{
	struct gdt g = {.host = host_fdt,
			.hp = host,
			.vm = vm,
			.lay = layout,
			.out = out,
			.out_size = out_size,
			.err = err};
	int ret;

	if (plan_root(&g) < 0 || plan_gic(&g) < 0 || plan_uart(&g) < 0 || plan_devices(&g) < 0 ||
	    plan_refs(&g) < 0)
		return -1;
	ret = write_tree(&g);
	if (ret == -FDT_ERR_NOSPACE)
		return fail(&g, "dtb", "generated tree does not fit in %zu bytes", out_size);
	if (ret < 0)
		return fail(&g, "dtb", "libfdt: %s", fdt_strerror(ret));
	return 0;
}

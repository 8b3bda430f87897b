/* SPDX-License-Identifier: MIT */
#include "core/hostdt.h"

/* Host DTBs are well under this; a header claiming more is broken. */
#define HOST_DTB_MAX (64ull << 20)

#include <libfdt.h>

#include "core/dt_util.h"
#include "core/format.h"

static const char *const pl011_compat = "arm,pl011";
static const char *const mini_uart_compat = "brcm,bcm2835-aux-uart";
static const char *const aux_compat = "brcm,bcm2835-aux";

#define AUX_ENABLES  0x04 /* in the BCM2835 aux block */
#define PM_REGS_SIZE 0x28 /* up to PM_WDOG (core/bcm2835_pm.h) */

static const struct {
	const char *compatible;
	unsigned version;
} gic_models[] = {
	{"arm,gic-v3", 3},
	{"arm,gic-400", 2},
	{"arm,cortex-a15-gic", 2},
	{"arm,cortex-a7-gic", 2},
};

const char *psci_conduit_name(enum psci_conduit c)
{
	return c == PSCI_CONDUIT_SMC ? "smc" : c == PSCI_CONDUIT_HVC ? "hvc" : "none";
}

static void set_path(const void *fdt, int node, char *path)
{
	if (fdt_get_path(fdt, node, path, DT_PATH_MAX) < 0)
		path[0] = '\0';
}

/*
 * The mini-UART's clock is the aux block ("clocks = <&aux 0>"), whose
 * AUX_ENABLES register switches it on: 0 if the DT does not say.
 */
static uint64_t aux_enables(const void *fdt, int node)
{
	const uint32_t *clk;
	struct range aux;
	int len, provider;

	clk = fdt_getprop(fdt, node, "clocks", &len);
	if (!clk || len < 4)
		return 0;
	provider = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(clk[0]));
	if (provider < 0 || fdt_node_check_compatible(fdt, provider, aux_compat) != 0 ||
	    dt_reg(fdt, provider, 0, &aux) < 0 || aux.size < AUX_ENABLES + 4)
		return 0;
	return aux.base + AUX_ENABLES;
}

static int uart_from_node(const void *fdt, int node, struct host_uart *uart)
{
	const uint32_t *irq = fdt_getprop(fdt, node, "interrupts", NULL);
	int len, intid;

	set_path(fdt, node, uart->path);
	fdt_getprop(fdt, node, "interrupts", &len);
	intid = irq && len >= 12 ? dt_gic_intid(fdt32_to_cpu(irq[0]), fdt32_to_cpu(irq[1])) : -1;
	uart->intid = intid >= 32 ? (uint32_t)intid : 0;
	uart->kind =
		fdt_node_check_compatible(fdt, node, pl011_compat) == 0 ? UART_PL011 : UART_MINI;
	if (uart->kind == UART_MINI)
		uart->aux_enables = aux_enables(fdt, node);
	return dt_reg(fdt, node, 0, &uart->regs);
}

/* stdout-path is "path-or-alias[:options]". */
static int stdout_node(const void *fdt, const char *sp)
{
	const char *colon = strchr(sp, ':');
	int len = colon ? (int)(colon - sp) : (int)strlen(sp);

	if (sp[0] == '/')
		return fdt_path_offset_namelen(fdt, sp, len);
	sp = fdt_get_alias_namelen(fdt, sp, len);
	return sp ? fdt_path_offset(fdt, sp) : -FDT_ERR_NOTFOUND;
}

/* The baud rate that leads the options ("115200n8"), or 0. */
static uint32_t stdout_baud(const char *sp)
{
	const char *p = strchr(sp, ':');
	uint32_t baud = 0;

	for (p = p ? p + 1 : ""; *p >= '0' && *p <= '9' && baud < 100000000; p++)
		baud = baud * 10 + (uint32_t)(*p - '0');
	return baud;
}

static bool supported_console(const void *fdt, int node)
{
	return fdt_node_check_compatible(fdt, node, pl011_compat) == 0 ||
	       fdt_node_check_compatible(fdt, node, mini_uart_compat) == 0;
}

static int console_fallback(const void *fdt, struct host_uart *uart)
{
	int node = -1;

	while ((node = fdt_node_offset_by_compatible(fdt, node, pl011_compat)) >= 0)
		if (dt_node_enabled(fdt, node) && uart_from_node(fdt, node, uart) == 0)
			return 0;
	return -1;
}

/* The node stdout-path names, or -1 with err set. */
static int console_node(const void *fdt, const char **sp, struct dt_error *err)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int node;

	if (chosen < 0)
		return dt_fail(err, fdt, -1, "/chosen",
			       "node missing (its stdout-path names the console)");
	*sp = fdt_getprop(fdt, chosen, "stdout-path", NULL);
	if (!*sp)
		return dt_fail(err, fdt, chosen, "stdout-path", "missing (it names the console)");
	node = stdout_node(fdt, *sp);
	if (node < 0)
		return dt_fail(err, fdt, chosen, "stdout-path", "\"%s\" names no node", *sp);
	if (!supported_console(fdt, node))
		return dt_fail(err, fdt, node, "compatible",
			       "not a supported console (want %s or %s)", pl011_compat,
			       mini_uart_compat);
	return node;
}

int hostdt_console(const void *fdt, struct host_uart *uart, struct dt_error *err)
{
	const char *sp = NULL;
	int node;

	if (dt_validate(fdt, HOST_DTB_MAX) != 0) {
		*uart = (struct host_uart){0};
		return dt_fail(err, fdt, -1, "header", "not a valid flattened device tree");
	}
	*uart = (struct host_uart){0};
	node = console_node(fdt, &sp, err);
	if (node >= 0 && uart_from_node(fdt, node, uart) < 0)
		node = dt_fail(err, fdt, node, "reg", "missing or malformed");
	if (node < 0) {
		*uart = (struct host_uart){0};
		console_fallback(fdt, uart);
		return -1;
	}
	uart->baud = stdout_baud(sp);
	return 0;
}

int hostdt_vm_uart(const void *fdt, const struct host_uart *console, struct host_uart *uart,
		   struct dt_error *err)
{
	const char *alias = fdt_get_alias(fdt, "serial0");
	int node = alias ? fdt_path_offset(fdt, alias) : -1;

	*uart = (struct host_uart){0};
	if (console->kind == UART_PL011) {
		*uart = *console;
		return 0;
	}
	if (node >= 0 && fdt_node_check_compatible(fdt, node, pl011_compat) == 0 &&
	    dt_node_enabled(fdt, node) && uart_from_node(fdt, node, uart) == 0)
		return 0;
	*uart = (struct host_uart){0};
	if (console_fallback(fdt, uart) == 0)
		return 0;
	return dt_fail(err, fdt, fdt_path_offset(fdt, console->path), "compatible",
		       "a mini-UART console needs an enabled PL011 for the VMs' UART; there is "
		       "none");
}

static int parse_memory(const void *fdt, struct host_platform *hp, struct dt_error *err)
{
	int node = -1;

	hp->nmem = 0;
	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory",
						     sizeof("memory"))) >= 0) {
		struct range r;

		if (!dt_node_enabled(fdt, node))
			continue;
		for (int i = 0; dt_reg(fdt, node, i, &r) == 0; i++) {
			if (!r.size)
				continue;
			if (hp->nmem == HOST_MAX_MEM)
				return dt_fail(err, fdt, node, "reg", "more than %d memory ranges",
					       HOST_MAX_MEM);
			hp->mem[hp->nmem++] = r;
		}
	}
	if (!hp->nmem)
		return dt_fail(err, fdt, -1, "/memory", "no memory node with a non-empty reg");
	return 0;
}

static int parse_cpu(const void *fdt, int node, struct host_cpu *cpu, struct dt_error *err)
{
	int ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	const char *method = fdt_getprop(fdt, node, "enable-method", NULL);
	const uint32_t *p;
	int len;

	p = fdt_getprop(fdt, node, "reg", &len);
	if (!p || ac < 1 || ac > 2 || len < ac * 4)
		return dt_fail(err, fdt, node, "reg", "missing or malformed");
	cpu->mpidr = dt_read_cells(p, ac);
	cpu->method = CPU_ENABLE_PSCI;
	if (method && !strcmp(method, "spin-table")) {
		p = fdt_getprop(fdt, node, "cpu-release-addr", &len);
		if (!p || len != 8)
			return dt_fail(err, fdt, node, "cpu-release-addr", "missing or not 64-bit");
		cpu->method = CPU_ENABLE_SPIN_TABLE;
		cpu->release_addr = dt_read_cells(p, 2);
	} else if (method && strcmp(method, "psci")) {
		return dt_fail(err, fdt, node, "enable-method", "\"%s\" is not supported", method);
	}
	return 0;
}

static int parse_cpus(const void *fdt, struct host_platform *hp, struct dt_error *err)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	hp->ncpus = 0;
	if (cpus < 0)
		return dt_fail(err, fdt, -1, "/cpus", "node missing");
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (!type || strcmp(type, "cpu") || !dt_node_enabled(fdt, node))
			continue;
		if (hp->ncpus == MAX_CPUS)
			return dt_fail(err, fdt, node, "reg", "more than %d CPUs", MAX_CPUS);
		if (parse_cpu(fdt, node, &hp->cpus[hp->ncpus], err) < 0)
			return -1;
		hp->ncpus++;
	}
	if (!hp->ncpus)
		return dt_fail(err, fdt, cpus, "cpu", "no CPU nodes");
	return 0;
}

static int find_gic(const void *fdt, unsigned *version)
{
	for (unsigned i = 0; i < sizeof(gic_models) / sizeof(gic_models[0]); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, gic_models[i].compatible);

		if (node >= 0) {
			*version = gic_models[i].version;
			return node;
		}
	}
	return -1;
}

static int parse_gic_regs(const void *fdt, int node, struct host_gic *gic, struct dt_error *err)
{
	if (dt_reg(fdt, node, 0, &gic->dist) < 0)
		return dt_fail(err, fdt, node, "reg",
			       "missing or malformed (need the distributor)");
	if (gic->version == 3) {
		if (dt_reg(fdt, node, 1, &gic->redist) < 0)
			return dt_fail(err, fdt, node, "reg",
				       "GICv3 needs a redistributor region after the distributor");
		return 0;
	}
	if (dt_reg(fdt, node, 1, &gic->cpuif) < 0 || dt_reg(fdt, node, 2, &gic->hyp) < 0 ||
	    dt_reg(fdt, node, 3, &gic->vcpu) < 0)
		return dt_fail(err, fdt, node, "reg",
			       "GICv2 needs GICD, GICC, GICH and GICV regions (virtualization "
			       "extensions)");
	return 0;
}

static int parse_gic(const void *fdt, struct host_gic *gic, struct dt_error *err)
{
	int node = find_gic(fdt, &gic->version);
	const uint32_t *irq;
	int len, intid;

	if (node < 0)
		return dt_fail(err, fdt, -1, "GIC",
			       "no supported GIC (arm,gic-v3, arm,gic-400, arm,cortex-a15-gic)");
	set_path(fdt, node, gic->path);
	if (parse_gic_regs(fdt, node, gic, err) < 0)
		return -1;
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len < 12)
		return dt_fail(err, fdt, node, "interrupts",
			       "missing (need the maintenance interrupt)");
	intid = dt_gic_intid(fdt32_to_cpu(irq[0]), fdt32_to_cpu(irq[1]));
	if (intid < 16 || intid >= 32)
		return dt_fail(err, fdt, node, "interrupts", "maintenance interrupt is not a PPI");
	gic->maint_intid = (uint32_t)intid;
	return 0;
}

static int parse_timer(const void *fdt, struct host_timer *t, struct dt_error *err)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	uint32_t *slots[] = {&t->sec_phys, &t->phys, &t->virt, &t->hyp_phys};
	const uint32_t *irq;
	int len;

	if (node < 0)
		return dt_fail(err, fdt, -1, "timer", "no arm,armv8-timer node");
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len < 4 * 12)
		return dt_fail(err, fdt, node, "interrupts",
			       "need 4 timer PPIs (secure, non-secure, virtual, hypervisor)");
	for (int i = 0; i < 4; i++) {
		int intid = dt_gic_intid(fdt32_to_cpu(irq[3 * i]), fdt32_to_cpu(irq[3 * i + 1]));

		if (intid < 16 || intid >= 32)
			return dt_fail(err, fdt, node, "interrupts", "entry %d is not a PPI", i);
		*slots[i] = (uint32_t)intid;
	}
	return 0;
}

static bool needs_psci(const struct host_platform *hp)
{
	for (unsigned i = 0; i < hp->ncpus; i++)
		if (hp->cpus[i].method == CPU_ENABLE_PSCI)
			return true;
	return false;
}

static int psci_node(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");

	return node >= 0 ? node : fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
}

enum psci_conduit hostdt_psci_conduit(const void *fdt)
{
	const char *method = NULL;
	int node;

	if (dt_validate(fdt, HOST_DTB_MAX) != 0)
		return PSCI_CONDUIT_NONE;
	node = psci_node(fdt);
	if (node >= 0)
		method = fdt_getprop(fdt, node, "method", NULL);
	return method && !strcmp(method, "smc") ? PSCI_CONDUIT_SMC : PSCI_CONDUIT_NONE;
}

int hostdt_power_manager(const void *fdt, char path[DT_PATH_MAX], struct range *regs)
{
	int node = -1;

	while ((node = fdt_node_offset_by_compatible(fdt, node, "brcm,bcm2835-pm-wdt")) >= 0) {
		if (dt_node_enabled(fdt, node) && dt_reg(fdt, node, 0, regs) == 0 &&
		    regs->size >= PM_REGS_SIZE) {
			set_path(fdt, node, path);
			return 0;
		}
	}
	return -1;
}

/* Tessera runs at EL2, so only an SMC conduit reaches firmware (EL3). */
static int parse_psci(const void *fdt, struct host_platform *hp, struct dt_error *err)
{
	int node = psci_node(fdt);
	const char *method;

	hp->psci = PSCI_CONDUIT_NONE;
	if (node < 0) {
		if (needs_psci(hp))
			return dt_fail(err, fdt, -1, "/psci",
				       "no PSCI 0.2+ node but a CPU uses enable-method \"psci\"");
		return 0;
	}
	method = fdt_getprop(fdt, node, "method", NULL);
	if (!method)
		return dt_fail(err, fdt, node, "method", "missing");
	if (!strcmp(method, "hvc"))
		return dt_fail(err, fdt, node, "method",
			       "\"hvc\" cannot reach firmware from EL2 (need \"smc\")");
	if (strcmp(method, "smc"))
		return dt_fail(err, fdt, node, "method", "\"%s\" is not smc or hvc", method);
	hp->psci = PSCI_CONDUIT_SMC;
	return 0;
}

int hostdt_parse(const void *fdt, struct host_platform *hp, struct dt_error *err)
{
	if (dt_validate(fdt, HOST_DTB_MAX) != 0)
		return dt_fail(err, fdt, -1, "header", "not a valid flattened device tree");
	if (parse_memory(fdt, hp, err) < 0 || parse_cpus(fdt, hp, err) < 0 ||
	    parse_gic(fdt, &hp->gic, err) < 0 || parse_timer(fdt, &hp->timer, err) < 0 ||
	    parse_psci(fdt, hp, err) < 0)
		return -1;
	return 0;
}

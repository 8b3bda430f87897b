/* SPDX-License-Identifier: MIT */
#include "dt.h"

#include <libfdt.h>
#include <string.h>

/* Cells of a reg entry: 1 or 2 each, as on every arm64 board. */
static bool reg_cells(const void *fdt, int node, int *ac, int *sc)
{
	int parent = fdt_parent_offset(fdt, node);

	if (parent < 0)
		return false;
	*ac = fdt_address_cells(fdt, parent);
	*sc = fdt_size_cells(fdt, parent);
	return *ac >= 1 && *ac <= 2 && *sc >= 1 && *sc <= 2;
}

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 32) | fdt32_ld(p++);
	return v;
}

/* Appends node's reg ranges to r[n..max); returns the new count or -1. */
static int add_reg(const void *fdt, int node, struct dt_range *r, int n, int max)
{
	const fdt32_t *reg;
	int ac, sc, len, i;

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || !reg_cells(fdt, node, &ac, &sc) || len <= 0 || len % (4 * (ac + sc)) != 0)
		return -1;
	for (i = 0; i < len / 4; i += ac + sc, n++)
		if (n < max)
			r[n] = (struct dt_range){read_cells(reg + i, ac),
						 read_cells(reg + i + ac, sc)};
	return n;
}

int dt_memory(const void *fdt, struct dt_range *r, int max)
{
	int node, n = 0;

	fdt_for_each_subnode(node, fdt, 0)
	{
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (!type || strcmp(type, "memory"))
			continue;
		n = add_reg(fdt, node, r, n, max);
		if (n < 0)
			return -1;
	}
	return n;
}

int dt_cpu_count(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node, n = 0;

	if (cpus < 0)
		return -1;
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (type && !strcmp(type, "cpu"))
			n++;
	}
	return n;
}

const char *dt_psci_method(const void *fdt)
{
	static const char *const compatibles[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};
	unsigned int i;

	for (i = 0; i < sizeof(compatibles) / sizeof(compatibles[0]); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, compatibles[i]);

		if (node >= 0)
			return fdt_getprop(fdt, node, "method", NULL);
	}
	return NULL;
}

const char *dt_bootargs(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "bootargs", NULL);

	return args ? args : "";
}

unsigned int dt_gic(const void *fdt, struct dt_range reg[2])
{
	static const struct {
		const char *compatible;
		unsigned int version;
	} gics[] = {
		{"arm,gic-v3", 3},
		{"arm,cortex-a15-gic", 2},
		{"arm,gic-400", 2},
		{"arm,cortex-a9-gic", 2},
	};
	unsigned int i;

	for (i = 0; i < sizeof(gics) / sizeof(gics[0]); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, gics[i].compatible);

		if (node >= 0)
			return add_reg(fdt, node, reg, 0, 2) >= 2 ? gics[i].version : 0;
	}
	return 0;
}

/* <type number flags>: type 1 is a PPI (INTID 16 + number), 0 an SPI (32 + number). */
int dt_timer_intid(const void *fdt, int index)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	const fdt32_t *irq;
	int len;

	irq = node < 0 ? NULL : fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len < 12 * (index + 1))
		return -1;
	irq += 3 * index;
	return (int)fdt32_ld(irq + 1) + (fdt32_ld(irq) == 1 ? 16 : 32);
}

/* stdout-path may carry options after a colon: "serial0:115200n8". */
bool dt_stdout_pl011(const void *fdt, uint64_t *base)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path, *colon;
	struct dt_range reg;
	int node;

	path = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "stdout-path", NULL);
	if (!path)
		return false;
	colon = strchr(path, ':');
	node = fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : (int)strlen(path));
	if (node < 0 || fdt_node_check_compatible(fdt, node, "arm,pl011"))
		return false;
	if (add_reg(fdt, node, &reg, 0, 1) < 1)
		return false;
	*base = reg.base;
	return true;
}

/* SPDX-License-Identifier: MIT */
#include "core/dt_util.h"

#include <libfdt.h>
#include <stdarg.h>

#include "core/format.h"

#define GIC_SPI 0
#define GIC_PPI 1

int dt_fail(struct dt_error *err, const void *fdt, int node, const char *prop, const char *fmt, ...)
{
	char path[DT_PATH_MAX];
	va_list ap;
	int n;

	/* Without a node, prop names what is missing ("/chosen", "memory"). */
	if (node < 0)
		n = str_format(err->msg, sizeof(err->msg), "host DTB: %s: ", prop);
	else if (fdt_get_path(fdt, node, path, sizeof(path)) < 0)
		n = str_format(err->msg, sizeof(err->msg), "host DTB: node at %d: %s: ", node,
			       prop);
	else
		n = str_format(err->msg, sizeof(err->msg), "host DTB: %s: %s: ", path, prop);
	if (n >= (int)sizeof(err->msg))
		return -1;
	va_start(ap, fmt);
	str_vformat(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	va_end(ap);
	return -1;
}

uint64_t dt_read_cells(const uint32_t *p, int cells)
{
	uint64_t v = 0;

	while (cells-- > 0)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/* Map a child-bus address through one "ranges" property; -1 if unmapped. */
static int translate_once(const void *fdt, int bus, uint64_t *addr)
{
	int grand = fdt_parent_offset(fdt, bus);
	int cac = fdt_address_cells(fdt, bus), csc = fdt_size_cells(fdt, bus);
	int pac = fdt_address_cells(fdt, grand);
	int len, entry = cac + pac + csc;
	const uint32_t *p = fdt_getprop(fdt, bus, "ranges", &len);

	if (!p)
		return -1; /* no ranges: the bus is not memory-mapped */
	if (len == 0)
		return 0; /* empty ranges: same address space as the parent */
	/* fdt_*_cells() return negative errors for malformed trees: a negative
	 * size-cells shrank the bounds check below (found by tests/fuzz). */
	if (cac > 2 || pac > 2 || csc > 2 || cac < 1 || pac < 1 || csc < 0)
		return -1;
	for (; len >= entry * 4; p += entry, len -= entry * 4) {
		uint64_t child = dt_read_cells(p, cac);
		uint64_t parent = dt_read_cells(p + cac, pac);
		uint64_t size = dt_read_cells(p + cac + pac, csc);

		if (*addr >= child && *addr - child < size) {
			*addr = parent + (*addr - child);
			return 0;
		}
	}
	return -1;
}

/* Translate a bus address up to the CPU's physical address space. */
static int translate(const void *fdt, int node, uint64_t *addr)
{
	int bus = fdt_parent_offset(fdt, node);

	for (; bus > 0; bus = fdt_parent_offset(fdt, bus))
		if (translate_once(fdt, bus, addr) < 0)
			return -1;
	return bus == 0 ? 0 : -1;
}

int dt_reg(const void *fdt, int node, int index, struct range *r)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent);
	int sc = fdt_size_cells(fdt, parent);
	const uint32_t *reg;
	int len, stride;

	if (parent < 0 || ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -1;
	reg = fdt_getprop(fdt, node, "reg", &len);
	stride = (ac + sc) * 4;
	if (!reg || len < (index + 1) * stride)
		return -1;
	reg += index * (ac + sc);
	r->base = dt_read_cells(reg, ac);
	r->size = dt_read_cells(reg + ac, sc);
	return translate(fdt, node, &r->base);
}

bool dt_node_enabled(const void *fdt, int node)
{
	const char *status = fdt_getprop(fdt, node, "status", NULL);

	return !status || !strcmp(status, "okay") || !strcmp(status, "ok");
}

int dt_gic_intid(uint32_t type, uint32_t num)
{
	if (type == GIC_SPI && num < 988)
		return (int)(32 + num);
	if (type == GIC_PPI && num < 16)
		return (int)(16 + num);
	return -1;
}

#define FDT_MAGIC_VALUE	 0xd00dfeedu
#define FDT_MIN_VERSION	 17 /* 17 has size_dt_struct, which the walk needs */
#define TOKEN_BEGIN_NODE 1u
#define TOKEN_END_NODE	 2u
#define TOKEN_PROP	 3u
#define TOKEN_NOP	 4u
#define TOKEN_END	 9u

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t align4(uint32_t v)
{
	return (v + 3) & ~3u;
}

/* Bounds of a block inside the blob: offset and size must both fit. */
static bool block_fits(uint32_t off, uint32_t size, uint32_t total)
{
	return off <= total && size <= total - off;
}

struct dt_walk {
	const uint8_t *st;  /* structure block */
	uint32_t size;	    /* its size */
	const uint8_t *str; /* strings block */
	uint32_t str_size;
	uint32_t pos;
	int depth;
};

static int walk_node_name(struct dt_walk *w)
{
	uint32_t n = 0;

	while (w->pos + n < w->size && w->st[w->pos + n])
		n++;
	if (w->pos + n >= w->size)
		return -1;
	w->pos += align4(n + 1);
	w->depth++;
	return 0;
}

static int walk_prop(struct dt_walk *w)
{
	uint32_t len, nameoff, n = 0;

	if (w->depth < 1 || w->size - w->pos < 8)
		return -1;
	len = be32_at(w->st + w->pos);
	nameoff = be32_at(w->st + w->pos + 4);
	w->pos += 8;
	if (len > w->size - w->pos || nameoff >= w->str_size)
		return -1;
	while (nameoff + n < w->str_size && w->str[nameoff + n])
		n++;
	if (nameoff + n >= w->str_size)
		return -1; /* the name runs off the strings block */
	w->pos += align4(len);
	return 0;
}

static int walk_token(struct dt_walk *w, uint32_t tag)
{
	switch (tag) {
	case TOKEN_BEGIN_NODE: return walk_node_name(w);
	case TOKEN_END_NODE: return --w->depth < 0 ? -1 : 0;
	case TOKEN_PROP: return walk_prop(w);
	case TOKEN_NOP: return 0;
	default: return -1;
	}
}

int dt_validate(const void *fdt, uint64_t max_size)
{
	const uint8_t *b = fdt;
	struct dt_walk w = {0};
	uint32_t total;

	if (be32_at(b) != FDT_MAGIC_VALUE || be32_at(b + 20) < FDT_MIN_VERSION)
		return -1;
	total = be32_at(b + 4);
	if (total > max_size || total < 40 || !block_fits(be32_at(b + 8), be32_at(b + 36), total) ||
	    !block_fits(be32_at(b + 12), be32_at(b + 32), total))
		return -1;
	w.st = b + be32_at(b + 8);
	w.size = be32_at(b + 36);
	w.str = b + be32_at(b + 12);
	w.str_size = be32_at(b + 32);
	while (w.size - w.pos >= 4) {
		uint32_t tag = be32_at(w.st + w.pos);

		w.pos += 4;
		if (tag == TOKEN_END)
			return w.depth == 0 && w.pos > 4 ? 0 : -1;
		if (w.pos == 4 && tag != TOKEN_BEGIN_NODE)
			return -1; /* the root node comes first */
		if (w.pos > 4 && w.depth == 0 && tag != TOKEN_NOP)
			return -1; /* nothing after the root closes (libfdt walks to depth -1) */
		if (walk_token(&w, tag) < 0 || w.pos > w.size)
			return -1;
	}
	return -1;
}

/* SPDX-License-Identifier: MIT */
/*
 * Host physical memory planning. The free list holds what nobody has taken,
 * sorted and merged; every range taken out of it is recorded in the used list
 * with its owner, so that a refused claim can say what is in the way.
 */
#include "core/memplan.h"

#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

#include "core/dt_util.h"
#include "core/format.h"

#define GIB (1ull << 30)

/* Exclusive end. It saturates: a range reaching the top of the address space
 * loses its last byte, which no RAM has anyway. */
static uint64_t end_of(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

static uint64_t free_end(const struct range *r)
{
	return end_of(r->base, r->size);
}

static void insert_sorted(struct memplan *mp, const struct range *r)
{
	unsigned i = mp->nfree++;

	for (; i > 0 && mp->free[i - 1].base > r->base; i--)
		mp->free[i] = mp->free[i - 1];
	mp->free[i] = *r;
}

/* RAM ranges from the DT may touch or overlap: keep one range per run. */
static void merge_free(struct memplan *mp)
{
	unsigned n = 0;

	for (unsigned i = 0; i < mp->nfree; i++) {
		struct range *last = n ? &mp->free[n - 1] : NULL;
		uint64_t end = free_end(&mp->free[i]);

		if (last && mp->free[i].base <= free_end(last)) {
			if (end > free_end(last))
				last->size = end - last->base;
		} else {
			mp->free[n++] = mp->free[i];
		}
	}
	mp->nfree = n;
}

void memplan_init(struct memplan *mp, const struct range *ram, unsigned nram)
{
	memset(mp, 0, sizeof(*mp));
	for (unsigned i = 0; i < nram && mp->nfree < MEMPLAN_MAX_FREE; i++)
		if (ram[i].size)
			insert_sorted(mp, &ram[i]);
	merge_free(mp);
}

/*
 * Take [base, end) out of the free list. A range strictly inside one free
 * range splits it in two; -1, with nothing changed, if there is no slot.
 */
static int carve(struct memplan *mp, uint64_t base, uint64_t end)
{
	struct range out[MEMPLAN_MAX_FREE + 1];
	unsigned n = 0;

	for (unsigned i = 0; i < mp->nfree; i++) {
		const struct range *f = &mp->free[i];
		uint64_t fend = free_end(f);

		if (fend <= base || f->base >= end) {
			out[n++] = *f;
			continue;
		}
		if (f->base < base)
			out[n++] = (struct range){f->base, base - f->base};
		if (fend > end)
			out[n++] = (struct range){end, fend - end};
	}
	if (n > MEMPLAN_MAX_FREE)
		return -1;
	memcpy(mp->free, out, n * sizeof(out[0]));
	mp->nfree = n;
	return 0;
}

static void add_used(struct memplan *mp, uint64_t base, uint64_t size, const char *owner)
{
	struct memplan_used *u = &mp->used[mp->nused++];
	size_t n = strnlen(owner, MEMPLAN_OWNER_MAX - 1);

	u->r = (struct range){base, size};
	memcpy(u->owner, owner, n);
	u->owner[n] = '\0';
}

/* Carve and record: the caller has checked that the used list has room. */
static int take(struct memplan *mp, uint64_t base, uint64_t size, const char *owner)
{
	if (carve(mp, base, end_of(base, size)) < 0)
		return -1;
	add_used(mp, base, size, owner);
	return 0;
}

static bool touches_free(const struct memplan *mp, uint64_t base, uint64_t end)
{
	for (unsigned i = 0; i < mp->nfree; i++)
		if (mp->free[i].base < end && base < free_end(&mp->free[i]))
			return true;
	return false;
}

int memplan_reserve(struct memplan *mp, uint64_t base, uint64_t size, const char *owner)
{
	/* Nothing free in there (outside RAM, or taken already): nothing to do. */
	if (!size || !touches_free(mp, base, end_of(base, size)))
		return 0;
	if (mp->nused == MEMPLAN_MAX_USED)
		return -1;
	return take(mp, base, size, owner);
}

static const struct memplan_used *first_used(const struct memplan *mp, uint64_t base, uint64_t end)
{
	for (unsigned i = 0; i < mp->nused; i++)
		if (mp->used[i].r.base < end &&
		    base < end_of(mp->used[i].r.base, mp->used[i].r.size))
			return &mp->used[i];
	return NULL;
}

/* Free ranges are merged, so a free run is always inside one of them. */
static bool all_free(const struct memplan *mp, uint64_t base, uint64_t end)
{
	for (unsigned i = 0; i < mp->nfree; i++)
		if (mp->free[i].base <= base && end <= free_end(&mp->free[i]))
			return true;
	return false;
}

int memplan_claim(struct memplan *mp, uint64_t base, uint64_t size, const char *owner,
		  const struct memplan_used **conflict)
{
	uint64_t end = end_of(base, size);

	*conflict = first_used(mp, base, end);
	if (*conflict || !size || size - 1 > UINT64_MAX - base || !all_free(mp, base, end))
		return -1;
	if (mp->nused == MEMPLAN_MAX_USED)
		return -1;
	return take(mp, base, size, owner);
}

/* The lowest address in f that is aligned and leaves size bytes; false if none. */
static bool fit(const struct range *f, uint64_t size, uint64_t align, uint64_t *base)
{
	uint64_t start;

	if (f->base > UINT64_MAX - (align - 1))
		return false;
	start = (f->base + align - 1) & ~(align - 1);
	if (start - f->base >= f->size || f->size - (start - f->base) < size)
		return false;
	*base = start;
	return true;
}

int memplan_alloc(struct memplan *mp, uint64_t size, uint64_t align, const char *owner,
		  uint64_t *base)
{
	if (!align)
		align = 1;
	if (!size || (align & (align - 1)) || mp->nused == MEMPLAN_MAX_USED)
		return -1;
	for (unsigned i = 0; i < mp->nfree; i++)
		if (fit(&mp->free[i], size, align, base))
			return take(mp, *base, size, owner);
	return -1;
}

/* ---- VMs -------------------------------------------------------------- */

static int __attribute__((format(printf, 3, 4)))
vm_fail(struct config_error *err, const struct vm_config *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_vm_vfail(err, vm->label, "memory", fmt, ap);
	va_end(ap);
	return -1;
}

/* Both the free and the used list may need a slot for one more range. */
static bool has_room(const struct memplan *mp)
{
	return mp->nfree < MEMPLAN_MAX_FREE && mp->nused < MEMPLAN_MAX_USED;
}

static int place_identity(struct memplan *mp, const struct vm_config *vm, const char *owner,
			  struct config_error *err)
{
	const struct range *m = &vm->mem;
	const struct memplan_used *c;

	if (!has_room(mp))
		return vm_fail(err, vm, "more than %d reserved ranges", MEMPLAN_MAX_USED);
	if (memplan_claim(mp, m->base, m->size, owner, &c) == 0)
		return 0;
	if (!c)
		return vm_fail(err, vm, "0x%lx-0x%lx (identity) is not host RAM", m->base,
			       m->base + m->size - 1);
	return vm_fail(err, vm, "0x%lx-0x%lx (identity) overlaps %s (0x%lx-0x%lx)", m->base,
		       m->base + m->size - 1, c->owner, c->r.base, c->r.base + c->r.size - 1);
}

/* 1 GiB alignment lets stage 2 map the whole VM with 1 GiB blocks. */
static int place_anywhere(struct memplan *mp, const struct vm_config *vm, const char *owner,
			  uint64_t *host_pa, struct config_error *err)
{
	uint64_t align = vm->mem.size % GIB ? VM_MEM_ALIGN : GIB;

	if (!has_room(mp))
		return vm_fail(err, vm, "more than %d reserved ranges", MEMPLAN_MAX_USED);
	if (memplan_alloc(mp, vm->mem.size, align, owner, host_pa) < 0)
		return vm_fail(err, vm, "no free host RAM for 0x%lx bytes", vm->mem.size);
	return 0;
}

static int place_vm(struct memplan *mp, const struct vm_config *vm, uint64_t *host_pa,
		    struct config_error *err)
{
	char owner[MEMPLAN_OWNER_MAX];

	str_format(owner, sizeof(owner), "vm \"%s\"", vm->label);
	if (!vm->identity)
		return place_anywhere(mp, vm, owner, host_pa, err);
	*host_pa = vm->mem.base;
	return place_identity(mp, vm, owner, err);
}

int memplan_place_vms(struct memplan *mp, const struct tessera_config *cfg,
		      uint64_t host_pa[VM_MAX], struct config_error *err)
{
	/* Identity VMs first: their place is fixed, the others can go anywhere. */
	for (unsigned i = 0; i < cfg->nvms; i++)
		if (cfg->vms[i].identity && place_vm(mp, &cfg->vms[i], &host_pa[i], err) < 0)
			return -1;
	for (unsigned i = 0; i < cfg->nvms; i++)
		if (!cfg->vms[i].identity && place_vm(mp, &cfg->vms[i], &host_pa[i], err) < 0)
			return -1;
	return 0;
}

/* ---- the host DT ------------------------------------------------------ */

/*
 * Reads "reg" in /reserved-memory's own cells rather than with dt_reg():
 * the binding puts children in the root's address space, and a node that
 * forgot "ranges" must still be reserved, not skipped.
 */
static int reserve_node(struct memplan *mp, const void *fdt, int node, int ac, int sc)
{
	char path[DT_PATH_MAX];
	int len;
	const uint32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg)
		return 0; /* dynamically placed ("size" only): no OS here to place it */
	if (fdt_get_path(fdt, node, path, sizeof(path)) < 0)
		str_format(path, sizeof(path), "%s", fdt_get_name(fdt, node, NULL));
	for (; len >= (ac + sc) * 4; reg += ac + sc, len -= (ac + sc) * 4)
		if (memplan_reserve(mp, dt_read_cells(reg, ac), dt_read_cells(reg + ac, sc), path) <
		    0)
			return -1;
	return 0;
}

static int reserve_memory_nodes(struct memplan *mp, const void *fdt)
{
	int rm = fdt_path_offset(fdt, "/reserved-memory");
	int ac, sc, node;

	if (rm < 0)
		return 0;
	ac = fdt_address_cells(fdt, rm);
	sc = fdt_size_cells(fdt, rm);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -1;
	fdt_for_each_subnode(node, fdt, rm)
	{
		if (dt_node_enabled(fdt, node) && reserve_node(mp, fdt, node, ac, sc) < 0)
			return -1;
	}
	return 0;
}

int memplan_reserve_host_dt(struct memplan *mp, const void *host_fdt)
{
	int n = fdt_num_mem_rsv(host_fdt);

	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(host_fdt, i, &base, &size) == 0 &&
		    memplan_reserve(mp, base, size, "/memreserve/") < 0)
			return -1;
	}
	return reserve_memory_nodes(mp, host_fdt);
}

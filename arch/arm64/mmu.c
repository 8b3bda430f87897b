/* SPDX-License-Identifier: MIT */
#include <arch/mmu.h>
#include <arch/secondary_boot.h>
#include <arch/sysreg.h>

#include "mm/pgtable.h"

#define EL2_VA_BITS  48
#define EL2_PT_PAGES 64
#define PARANGE_48   5 /* TCR_EL2.PS cannot usefully exceed our 48-bit VA */

#define S1_NORMAL (PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(MAIR_IDX_NORMAL))
#define S1_TEXT	  S1_NORMAL
#define S1_RODATA (S1_NORMAL | PTE_S1_AP_RO | PTE_S1_XN)
#define S1_DATA	  (S1_NORMAL | PTE_S1_XN)
#define S1_DEVICE (PTE_AF | PTE_S1_ATTRIDX(MAIR_IDX_DEVICE) | PTE_S1_XN)

extern char _head[], __text_end[], __data_start[], __image_end[];

/* The EL2 translation regime: owned by the boot CPU, shared read-only. */
static struct {
	uint64_t pages[EL2_PT_PAGES][PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));
	uint64_t bitmap[PAGE_POOL_BITMAP_WORDS(EL2_PT_PAGES)];
	struct page_pool pool;
	struct pgtable pt;
} el2_mm;

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int map(uint64_t pa, uint64_t size, uint64_t attrs)
{
	uint64_t start = align_down(pa, PAGE_SIZE);
	int ret = pgtable_map(&el2_mm.pt, start, start, align_up(pa + size, PAGE_SIZE) - start,
			      attrs);

	/* New entries replace invalid ones: no TLB invalidation, just ordering. */
	dsb_ishst();
	isb();
	return ret;
}

int mmu_map_device(uint64_t pa, uint64_t size)
{
	return map(pa, size, S1_DEVICE);
}

int mmu_map_normal(uint64_t pa, uint64_t size)
{
	return map(pa, size, S1_DATA);
}

const char *mmu_error_name(int err)
{
	switch (err) {
	case PGT_EINVAL: return "invalid range";
	case PGT_EEXIST: return "overlaps an existing mapping";
	case PGT_ENOMEM: return "out of EL2 page-table pages";
	default: return "ok";
	}
}

static uint64_t tcr_value(void)
{
	uint64_t ps = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	if (ps > PARANGE_48)
		ps = PARANGE_48;
	return TCR_EL2_RES1 | TCR_EL2_T0SZ(EL2_VA_BITS) | TCR_EL2_IRGN0_WBWA | TCR_EL2_ORGN0_WBWA |
	       TCR_EL2_SH0_INNER | TCR_EL2_TG0_4K | (ps << TCR_EL2_PS_SHIFT);
}

static int map_image(void)
{
	uint64_t head = (uint64_t)_head, text_end = (uint64_t)__text_end;
	uint64_t data = (uint64_t)__data_start, end = (uint64_t)__image_end;
	int ret;

	ret = pgtable_map(&el2_mm.pt, head, head, text_end - head, S1_TEXT);
	if (!ret)
		ret = pgtable_map(&el2_mm.pt, text_end, text_end, data - text_end, S1_RODATA);
	if (!ret)
		ret = pgtable_map(&el2_mm.pt, data, data, end - data, S1_DATA);
	return ret;
}

/* Runs with the MMU off: the tables are written straight to memory. */
int mmu_init(uint64_t dtb, uint64_t dtb_size)
{
	uint64_t dtb_start = align_down(dtb, PAGE_SIZE);
	int ret;

	page_pool_init(&el2_mm.pool, el2_mm.pages, (uint64_t)el2_mm.pages, EL2_PT_PAGES,
		       el2_mm.bitmap);
	ret = pgtable_init(&el2_mm.pt, &el2_mm.pool, EL2_VA_BITS, 0, 1);
	if (!ret)
		ret = map_image();
	if (!ret)
		ret = pgtable_map(&el2_mm.pt, dtb_start, dtb_start,
				  align_up(dtb + dtb_size, PAGE_SIZE) - dtb_start, S1_RODATA);
	if (ret)
		return ret;
	secondary_boot.ttbr = (uint64_t)el2_mm.pt.root;
	secondary_boot.tcr = tcr_value();
	arch_mmu_enable(secondary_boot.ttbr, secondary_boot.tcr);
	return 0;
}

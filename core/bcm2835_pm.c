/* SPDX-License-Identifier: MIT */
#include "core/bcm2835_pm.h"

#include "core/mmio.h"

/* Every write carries the password in its top byte, or the block ignores it. */
static void pm_write(uintptr_t base, uint32_t reg, uint32_t val)
{
	mmio_write32(base + reg, PM_PASSWORD | (val & ~0xff000000u));
}

void bcm2835_pm_halt(uintptr_t base)
{
	uint32_t rsts = mmio_read32(base + PM_RSTS) & ~PM_RSTS_PARTITION_MASK;
	uint32_t rstc = mmio_read32(base + PM_RSTC) & ~PM_RSTC_WRCFG_MASK;

	pm_write(base, PM_RSTS, rsts | PM_RSTS_PARTITION_HALT);
	pm_write(base, PM_WDOG, PM_WDOG_HALT_TICKS);
	pm_write(base, PM_RSTC, rstc | PM_RSTC_WRCFG_FULL);
}

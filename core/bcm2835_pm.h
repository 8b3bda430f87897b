/* SPDX-License-Identifier: MIT */
/*
 * The BCM2835-family power manager's watchdog ("brcm,bcm2835-pm-wdt"): on a
 * Raspberry Pi without PSCI (the firmware's own armstub) it is how the
 * machine powers off. Reset partition 63 in PM_RSTS tells the boot firmware
 * to halt instead of booting again; QEMU's raspi machines exit on it.
 */
#ifndef CORE_BCM2835_PM_H
#define CORE_BCM2835_PM_H

#include <stdint.h>

#define PM_RSTC		       0x1c
#define PM_RSTS		       0x20
#define PM_WDOG		       0x24
#define PM_PASSWORD	       0x5a000000u
#define PM_RSTC_WRCFG_MASK     0x30u
#define PM_RSTC_WRCFG_FULL     0x20u
#define PM_RSTS_PARTITION_MASK 0x555u /* the partition number's bits: 0, 2, ..., 10 */
#define PM_RSTS_PARTITION_HALT 0x555u /* partition 63 */
#define PM_WDOG_HALT_TICKS     10u

/* Arm the watchdog for a full reset into partition 63; returns at once. */
void bcm2835_pm_halt(uintptr_t base);

#endif

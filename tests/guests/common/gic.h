/* SPDX-License-Identifier: MIT */
/*
 * A small GIC driver for the test guests: GICv3 (system-register CPU
 * interface, affinity routing) or GICv2 (memory-mapped GICC), whichever
 * the DT names, set up the way Linux does it so that a virtual GIC sees the
 * same programming model:
 *
 *  - GICv3: GICD_CTLR = ARE | EnableGrp1 | EnableGrp0 (bits 4, 1, 0: the
 *    DS=1 view; in a Non-secure view bit 1 is EnableGrp1A), all SPIs and
 *    this CPU's SGIs/PPIs in Group 1, its redistributor (found by
 *    GICR_TYPER affinity) awake, ICC_SRE_EL1.SRE, ICC_PMR_EL1 0xff,
 *    ICC_IGRPEN1_EL1, EOImode 0. SGIs through ICC_SGI1R_EL1.
 *  - GICv2: GICD_CTLR = 1 and GICC_CTLR = 1, groups left as they reset (as
 *    Linux leaves them), GICC_PMR 0xff. SGIs through GICD_SGIR.
 *
 * Every SGI/PPI is disabled and priority 0xa0 after gic_cpu_init(); every
 * SPI disabled after gic_dist_init(), and on GICv2 targeted at the CPU
 * that ran it.
 *
 * The IRQ vector acknowledges one interrupt, appends it to the CPU's log
 * (gic_cpus[]), runs the handler registered for the INTID, if any, and
 * EOIs it. IAR's special INTIDs 1020-1023 only count as spurious.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "smp.h"

#define GIC_NR_SGIS	16
#define GIC_NR_PRIVATE	32
#define GIC_MAX_INTID	1019
#define GIC_LOG_SIZE	64
#define GIC_PRIORITY	0xa0
#define GIC_NR_HANDLERS 64

/* GICD register offsets (both versions, except where noted) */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR	0x0800 /* v2 */
#define GICD_ICFGR	0x0c00
#define GICD_SGIR	0x0f00 /* v2 */
#define GICD_CPENDSGIR	0x0f10 /* v2 */
#define GICD_SPENDSGIR	0x0f20 /* v2 */
#define GICD_IROUTER	0x6000 /* v3: 64-bit, at + 8 * INTID */

/* A log entry: the INTID, and for GICv2 SGIs the CPU that sent it. */
#define GIC_LOG_INTID(e)  (0xffff & (e))
#define GIC_LOG_SOURCE(e) ((e) >> 16)

/*
 * Each CPU's record. Only that CPU writes count, spurious and log (from its
 * IRQ handler); any CPU may read them. Entry i is log[i % GIC_LOG_SIZE].
 */
struct gic_cpu {
	volatile uint32_t count;    /* interrupts acknowledged */
	volatile uint32_t spurious; /* IRQ exceptions with IAR 1020-1023 */
	volatile uint32_t log[GIC_LOG_SIZE];
	volatile uint64_t mpidr; /* MPIDR_EL1 affinity (Aff3-0) */
	volatile uint32_t v2_id; /* GICv2 CPU interface number */
	volatile uintptr_t rd;	 /* GICv3 RD_base */
	volatile bool ready;	 /* gic_cpu_init() succeeded */
};

extern struct gic_cpu gic_cpus[SMP_MAX_CPUS];

/* Runs with IRQs masked, before the EOI. source: see GIC_LOG_SOURCE. */
typedef void gic_handler_fn(unsigned int intid, unsigned int source);

/* Reads the DT: returns 3, 2, or 0 if there is no GIC it knows. */
unsigned int gic_probe(const void *fdt);
unsigned int gic_version(void);
/* The number of INTIDs GICD_TYPER.ITLinesNumber provides (up to 1020). */
unsigned int gic_nr_irqs(void);

/* Once, on the primary CPU: the distributor. */
void gic_dist_init(void);
/*
 * On each CPU, after gic_dist_init(): its redistributor (GICv3), banked
 * registers and CPU interface; installs the IRQ handler. IRQs stay masked.
 * False if the GICv3 has no redistributor for this CPU's MPIDR, or
 * ICC_SRE_EL1.SRE does not stick.
 */
bool gic_cpu_init(void);
/* The same handler on every CPU; intid < GIC_NR_HANDLERS. */
void gic_set_handler(unsigned int intid, gic_handler_fn *fn);

/*
 * Per-interrupt state. For an SGI or PPI, the calling CPU's (its
 * redistributor on GICv3, the banked GICD registers on GICv2).
 */
void gic_enable(unsigned int intid);
void gic_disable(unsigned int intid);
bool gic_is_enabled(unsigned int intid);
void gic_set_pending(unsigned int intid); /* not for SGIs on GICv2 */
void gic_clear_pending(unsigned int intid);
bool gic_is_pending(unsigned int intid);

/*
 * The distributor's enable for the group the guest's interrupts are in:
 * GICv3 GICD_CTLR bit 1 (EnableGrp1, or EnableGrp1A), keeping ARE and
 * bit 0; GICv2 GICD_CTLR bit 0 (Enable).
 */
void gic_dist_enable(bool on);

/* SGI intid to the CPU in slot cpu, which must have run gic_cpu_init(). */
void gic_sgi(unsigned int intid, unsigned int cpu);
/*
 * SGI intid to a target list: GICv3 Aff0 values (bit n = Aff0 n) under
 * Aff3.Aff2.Aff1 of `aff` (an MPIDR; its Aff0 is ignored); GICv2 CPU
 * interface numbers (8 bits), aff must be 0.
 */
void gic_sgi_list(unsigned int intid, uint64_t aff, uint16_t list);
/* SGI intid to every CPU but the caller (GICv3 IRM=1, GICv2 filter 01). */
void gic_sgi_others(unsigned int intid);

/* Raw distributor access, for tests of the register interface. */
uint32_t gicd_read32(uint32_t off);
void gicd_write32(uint32_t off, uint32_t v);
uint8_t gicd_read8(uint32_t off);
void gicd_write8(uint32_t off, uint8_t v);
uint64_t gicd_read64(uint32_t off);
void gicd_write64(uint32_t off, uint64_t v);

#endif

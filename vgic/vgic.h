/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC of one VM (design.md section 6): the distributor (GICv2
 * or GICv3) and, for GICv3, one redistributor per vCPU, as a register
 * model over per-interrupt state, plus list-register management.
 *
 * Portable: the model never touches hardware. List registers are read and
 * written through struct vgic_lr_ops (ICH_LR<n>_EL2 on GICv3, GICH_LR<n> on
 * GICv2, an array in the unit tests), and interrupts that become pending for
 * a vCPU other than the caller's are announced through vgic_ops.kick, so the
 * arch code can send that CPU an IPI.
 *
 * Locking: one lock per VM (struct vgic.lock); every entry point takes it,
 * none may be called with it held. The per-vCPU LR functions are called
 * only by the CPU that runs that vCPU. ops->kick runs after the lock is
 * dropped; ops->hw_enable and ops->hw_deactivate run with it held (to stay
 * in order with the state they mirror) and must not call vgic_* functions.
 */
#ifndef VGIC_VGIC_H
#define VGIC_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/spinlock.h"

/* INTIDs the guest can see: SGIs 0-15, PPIs 16-31, SPIs 32..VGIC_NR_IRQS-1. */
#define VGIC_NR_IRQS	512
#define VGIC_NR_PRIVATE 32
#define VGIC_NR_SPIS	(VGIC_NR_IRQS - VGIC_NR_PRIVATE)
#define VGIC_MAX_LRS	16
#define VGIC_SPURIOUS	1023

/* Guest-physical frame sizes */
#define VGIC_GICD_SIZE	 0x10000 /* v3 GICD (v2 uses the first 4 KiB) */
#define VGIC_GICR_STRIDE 0x20000 /* v3: RD_base + SGI_base per vCPU */

struct vgic_irq {
	uint32_t intid;
	uint8_t priority; /* as written by the guest (8 bits, low bits RAZ per PRIbits) */
	bool enabled;
	bool pending; /* latched pending (edge, or SPENDR write) */
	bool level;   /* line level for level-sensitive interrupts */
	bool active;
	bool edge;   /* GICD_ICFGR: edge-triggered */
	bool group1; /* GICD_IGROUPR */
	bool owned;  /* the VM owns it (always true for SGIs/PPIs) */
	bool hw;     /* linked to a physical interrupt (passthrough SPI, vtimer) */
	uint32_t hwintid;
	uint8_t targets;  /* GICv2 ITARGETSR: vCPU mask */
	uint64_t route;	  /* GICv3 IROUTER: Aff fields, IRM bit 31 */
	uint16_t sgi_src; /* GICv2 SGIs: pending per source vCPU (bit n = vCPU n) */
	int8_t lr;	  /* list register holding it, or -1 */
	bool queued;	  /* in the vCPU's overflow queue */
};

/* A list register, architecture-neutral. */
struct vgic_lr {
	uint32_t intid;
	bool pending;
	bool active;
	bool hw;
	uint32_t pintid; /* hw only */
	uint8_t priority;
	bool group1;
	uint8_t source; /* GICv2 SGIs: requesting vCPU */
	bool eoi;	/* maintenance interrupt when the guest deactivates it (never with hw) */
};

struct vgic_lr_ops {
	unsigned (*nr_lrs)(void);
	void (*read)(unsigned idx, struct vgic_lr *lr);
	void (*write)(unsigned idx, const struct vgic_lr *lr); /* NULL lr: clear */
	/* Ask for a maintenance interrupt when LRs run low (underflow). */
	void (*set_underflow_irq)(bool on);
};

struct vgic;

struct vgic_ops {
	/* vCPU vcpu of this VM has something new to take: make it exit. */
	void (*kick)(struct vgic *g, unsigned vcpu);
	/* A passthrough SPI's enable or routing changed: mirror it in hardware. */
	void (*hw_enable)(struct vgic *g, uint32_t hwintid, bool enable);
	void *priv;
	/*
	 * Optional. The guest dropped a hw-linked interrupt (ICPENDR, ICACTIVER)
	 * whose physical one EL2 left active, so no guest EOI will deactivate it:
	 * deactivate hwintid (for a PPI: the one banked for vcpu's CPU).
	 */
	void (*hw_deactivate)(struct vgic *g, unsigned vcpu, uint32_t hwintid);
};

/* What vgic_flush_lrs put in one list register (model-internal). */
struct vgic_lr_slot {
	uint16_t intid;
	uint8_t source; /* GICv2 SGIs: the source vCPU this LR carries */
	uint8_t state;	/* flags private to vgic/ */
};

struct vgic_cpu {
	struct vgic_irq private[VGIC_NR_PRIVATE]; /* SGIs and PPIs, banked */
	uint32_t queue[VGIC_NR_IRQS];		  /* overflow queue: pending, not in an LR */
	unsigned nqueued;
	uint16_t lr_used;			/* LRs holding an interrupt of this model */
	bool waker_asleep;			/* GICv3 GICR_WAKER.ProcessorSleep */
	uint64_t mpidr;				/* affinity the guest sees: Aff0 = vCPU index */
	struct vgic_lr_slot slot[VGIC_MAX_LRS]; /* valid where lr_used is set */
};

struct vgic {
	unsigned version; /* 2 or 3 */
	unsigned nr_vcpus;
	bool grp0_enabled; /* GICD_CTLR.EnableGrp0 */
	bool grp1_enabled; /* GICD_CTLR.EnableGrp1(NS/A) */
	struct vgic_irq spis[VGIC_NR_SPIS];
	struct vgic_cpu cpu[MAX_CPUS];
	const struct vgic_ops *ops;
	struct spinlock lock;
};

void vgic_init(struct vgic *g, unsigned version, unsigned nr_vcpus, const struct vgic_ops *ops);
/* The VM owns SPI intid; hw: link it to the same physical INTID. */
int vgic_own_spi(struct vgic *g, uint32_t intid, bool hw);
/* A private interrupt (e.g. the virtual timer PPI) linked to hardware. */
void vgic_link_ppi(struct vgic *g, unsigned vcpu, uint32_t intid, uint32_t hwintid);

/*
 * Register access. vcpu: the accessing vCPU (GICv2 banked registers and
 * ITARGETSR reads depend on it). off: offset in the frame; size: 1, 2, 4 or
 * 8. Accesses to interrupts the VM does not own read as zero and ignore
 * writes; unimplemented offsets read as zero. Byte access only where the
 * spec allows it (IPRIORITYR, ITARGETSR, SPENDSGIR/CPENDSGIR): others RAZ/WI.
 */
uint64_t vgic_dist_read(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size);
void vgic_dist_write(struct vgic *g, unsigned vcpu, uint64_t off, unsigned size, uint64_t val);
/* GICv3: redistributor of vCPU `rd` (frame = RD_base, SGI_base at +64 KiB). */
uint64_t vgic_redist_read(struct vgic *g, unsigned rd, uint64_t off, unsigned size);
void vgic_redist_write(struct vgic *g, unsigned rd, uint64_t off, unsigned size, uint64_t val);

/* GICv3 ICC_SGI1R_EL1 write from vCPU `vcpu`: SGIs to this VM's vCPUs only. */
void vgic_sgi1r(struct vgic *g, unsigned vcpu, uint64_t val);

/*
 * Make an interrupt pending. Edge: latch. Level (set_level): follows the
 * line. For SPIs the routing picks the vCPU; for private ones, vcpu. Calls
 * ops->kick for a target vCPU other than `self` (self = the caller's vCPU,
 * or -1 when the caller runs no vCPU of this VM).
 */
void vgic_inject(struct vgic *g, int self, unsigned vcpu, uint32_t intid);
void vgic_set_level(struct vgic *g, int self, uint32_t intid, bool level);

/*
 * Before entering vCPU: put the best pending interrupts into free LRs.
 * Expects vgic_sync_lrs to have run since the vCPU last ran.
 */
void vgic_flush_lrs(struct vgic *g, unsigned vcpu, const struct vgic_lr_ops *lr);
/*
 * After every exit (a maintenance interrupt included), before handling it:
 * fold LR state back. Only the pending and active bits of what
 * vgic_lr_ops.read returns are used.
 */
void vgic_sync_lrs(struct vgic *g, unsigned vcpu, const struct vgic_lr_ops *lr);
/* Does vCPU have anything pending it could take (for WFI)? After a sync. */
bool vgic_has_pending(struct vgic *g, unsigned vcpu);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Private to vgic/: the interrupt state machine (vgic_irq.c), the
 * register tables and their walker (vgic_mmio.c, vgic_dist.c,
 * vgic_redist.c) and list-register management (vgic_lr.c).
 *
 * Every function here runs with g->lock held. Kicks are collected in the
 * context and sent once the lock is dropped, so ops->kick never runs under
 * the lock; ops->hw_enable and ops->hw_deactivate do (they must stay in
 * order with the state they mirror) and must not call back into vgic_*.
 *
 * Where an interrupt's state lives:
 *  - not in a list register: in struct vgic_irq only. It is in the queue
 *    of its target vCPU exactly when it is active, or pending and
 *    deliverable (vgic_update keeps this true after every change);
 *  - in a list register of vCPU h (irq->lr >= 0, h's slot[irq->lr]): the
 *    guest's CPU interface moves it from pending to active to inactive. A
 *    model change meanwhile marks the slot dirty and kicks h; h folds the
 *    guest's progress back at its next sync and rewrites the LR at its next
 *    flush. An edge pending is handed over to the LR (irq->pending is
 *    cleared, VGIC_SLOT_P set), so an edge arriving while the guest runs is
 *    never mistaken for the one it acknowledged.
 */
#ifndef VGIC_VGIC_INTERNAL_H
#define VGIC_VGIC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vgic/vgic.h"

#define VGIC_NR_SGIS	 16
#define VGIC_PRIO_MASK	 0xf8	     /* 5 priority bits, as GIC-400 and QEMU's GICv3 */
#define VGIC_IIDR	 0x5400043bu /* ProductID 'T', Implementer Arm (JEP106 0x43b) */
#define VGIC_IROUTER_IRM (1ull << 31)
#define VGIC_AFF_MASK	 0xff00ffffffull /* IROUTER/MPIDR Aff3 [39:32], Aff2..Aff0 [23:0] */

/* struct vgic_lr_slot.state */
#define VGIC_SLOT_P	0x1 /* the LR holds a pending the model still wants */
#define VGIC_SLOT_A	0x2 /* the LR holds active (as last written or read) */
#define VGIC_SLOT_DIRTY 0x4 /* the model changed: rewrite it at the next flush */

/* One entry point's working state, with g->lock held. */
struct vgic_ctx {
	struct vgic *g;
	int self;	/* the caller's vCPU (never kicked), or -1 */
	unsigned vcpu;	/* the accessing vCPU: GICv2 banked registers, ITARGETSR, SGIR */
	int bank;	/* whose SGIs/PPIs the frame shows, -1: none (GICv3 GICD) */
	bool spis;	/* the frame shows SPIs (not the GICv3 SGI_base frame) */
	uint32_t kicks; /* vCPUs to kick once the lock is dropped */
};

void vgic_ctx_begin(struct vgic_ctx *c, struct vgic *g, int self);
void vgic_ctx_end(struct vgic_ctx *c);

/* --- interrupt state (vgic_irq.c) ---------------------------------------- */

/* intid's state: for SGIs/PPIs bank's copy; NULL when out of range. */
struct vgic_irq *vgic_irq_get(struct vgic *g, int bank, uint32_t intid);
/* The vCPU an SGI/PPI belongs to. */
unsigned vgic_irq_owner(const struct vgic *g, const struct vgic_irq *irq);
bool vgic_is_v2_sgi(const struct vgic *g, const struct vgic_irq *irq);
/* A pending occurrence the model holds (not counting one handed to an LR). */
bool vgic_pending_model(const struct vgic *g, const struct vgic_irq *irq);
/* As GICD_ISPENDR reads it: the model's, or one still waiting in its LR. */
bool vgic_pending_seen(struct vgic *g, const struct vgic_irq *irq);
bool vgic_deliverable(const struct vgic *g, const struct vgic_irq *irq);
/* The vCPU it goes to now, or -1 (an SPI routed to no existing vCPU). */
int vgic_target(const struct vgic *g, const struct vgic_irq *irq);
/* The vCPU whose LR holds it (irq->lr >= 0). */
unsigned vgic_holder(const struct vgic *g, const struct vgic_irq *irq);
struct vgic_lr_slot *vgic_slot(struct vgic *g, const struct vgic_irq *irq);

void vgic_kick(struct vgic_ctx *c, unsigned vcpu);
/* Re-establish where irq belongs after any change to it. */
void vgic_update(struct vgic_ctx *c, struct vgic_irq *irq);
/* Before changing what vgic_target() answers: leave the old queue. */
void vgic_retarget_begin(struct vgic_ctx *c, struct vgic_irq *irq);
void vgic_dequeue(struct vgic *g, unsigned vcpu, struct vgic_irq *irq);

/* State changes, each followed by vgic_update. src: GICv2 SGI source. */
void vgic_set_pending(struct vgic_ctx *c, struct vgic_irq *irq, unsigned src);
void vgic_clear_pending(struct vgic_ctx *c, struct vgic_irq *irq);
void vgic_clear_sgi_sources(struct vgic_ctx *c, struct vgic_irq *irq, uint16_t srcs);
void vgic_set_active(struct vgic_ctx *c, struct vgic_irq *irq, bool active);
void vgic_set_enabled(struct vgic_ctx *c, struct vgic_irq *irq, bool enabled);
/* A passthrough SPI's enable or routing changed: tell the arch. */
void vgic_hw_mirror(struct vgic_ctx *c, struct vgic_irq *irq);
/* State of a hw-linked interrupt was dropped: free the physical one if unneeded. */
void vgic_hw_drop(struct vgic_ctx *c, struct vgic_irq *irq, unsigned vcpu);
/* Group enables changed: every interrupt may move. */
void vgic_update_all(struct vgic_ctx *c);
/* An SGI from src to vCPU dst (dst checked here). */
void vgic_sgi_raise(struct vgic_ctx *c, unsigned src, unsigned dst, uint32_t intid);

/* --- register tables (vgic_mmio.c) --------------------------------------- */

/* Frames a register row belongs to. */
#define VGIC_F_GICD2 0x1
#define VGIC_F_GICD3 0x2
#define VGIC_F_SGI   0x4 /* GICv3 redistributor SGI_base frame */
#define VGIC_F_RD    0x8 /* GICv3 redistributor RD_base frame */

/*
 * One register group. Per-interrupt groups (bits != 0) give a field
 * handler pair; the walker splits an access into fields and filters
 * interrupts the VM does not own. Other groups are arrays of `width`-byte
 * registers with whole-register handlers; a write passes the bytes it
 * covers in mask (a 32-bit half of a 64-bit register, a byte).
 */
struct vgic_reg {
	uint32_t off, len;
	uint8_t bits;	/* bits per interrupt, or 0 */
	uint8_t width;	/* register width for bits == 0 */
	uint8_t sizes;	/* allowed access sizes, as a mask of 1, 2, 4, 8 */
	uint8_t frames; /* VGIC_F_* */
	uint32_t (*get)(struct vgic_ctx *c, struct vgic_irq *irq);
	void (*set)(struct vgic_ctx *c, struct vgic_irq *irq, uint32_t field);
	uint64_t (*read)(struct vgic_ctx *c, unsigned idx);
	void (*write)(struct vgic_ctx *c, unsigned idx, uint64_t val, uint64_t mask);
};

/* The per-interrupt groups, shared by the GICD and the GICR SGI_base frame. */
extern const struct vgic_reg vgic_irq_regs[];
extern const unsigned vgic_nr_irq_regs;

/* The row of t (n rows) that covers off in frame, or NULL. */
const struct vgic_reg *vgic_reg_find(const struct vgic_reg *t, unsigned n, unsigned frame,
				     uint64_t off);
/* One access to row r (NULL, a bad size or alignment: RAZ/WI). */
uint64_t vgic_reg_read(struct vgic_ctx *c, const struct vgic_reg *r, uint64_t off, unsigned size);
void vgic_reg_write(struct vgic_ctx *c, const struct vgic_reg *r, uint64_t off, unsigned size,
		    uint64_t val);

#endif

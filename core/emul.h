/* SPDX-License-Identifier: MIT */
/*
 * Emulated MMIO devices of a VM: a table sorted by guest-physical base,
 * searched by binary search on every trapped access.
 */
#ifndef CORE_EMUL_H
#define CORE_EMUL_H

#include <stdbool.h>
#include <stdint.h>

#define EMUL_MAX_DEVICES 8

struct emul_device;

struct emul_ops {
	/* off is relative to the device base; size is 1, 2, 4 or 8 bytes. */
	uint64_t (*read)(struct emul_device *dev, uint64_t off, unsigned size);
	void (*write)(struct emul_device *dev, uint64_t off, unsigned size, uint64_t val);
};

struct emul_device {
	uint64_t base;
	uint64_t size;
	const struct emul_ops *ops;
	void *priv;
	const char *name;
};

struct emul_table {
	struct emul_device devs[EMUL_MAX_DEVICES];
	unsigned n;
};

/* 0, or -1 if full or overlapping an existing device. Keeps the table sorted. */
int emul_add(struct emul_table *t, const struct emul_device *dev);
struct emul_device *emul_find(struct emul_table *t, uint64_t ipa);

#endif

/* SPDX-License-Identifier: MIT */
#include "core/emul.h"

static bool overlaps(const struct emul_device *a, const struct emul_device *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

int emul_add(struct emul_table *t, const struct emul_device *dev)
{
	unsigned i;

	if (t->n == EMUL_MAX_DEVICES || !dev->size || dev->base + dev->size < dev->base)
		return -1;
	for (i = 0; i < t->n; i++)
		if (overlaps(&t->devs[i], dev))
			return -1;
	for (i = t->n; i > 0 && t->devs[i - 1].base > dev->base; i--)
		t->devs[i] = t->devs[i - 1];
	t->devs[i] = *dev;
	t->n++;
	return 0;
}

struct emul_device *emul_find(struct emul_table *t, uint64_t ipa)
{
	unsigned lo = 0, hi = t->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		struct emul_device *d = &t->devs[mid];

		if (ipa < d->base)
			hi = mid;
		else if (ipa - d->base >= d->size)
			lo = mid + 1;
		else
			return d;
	}
	return 0;
}

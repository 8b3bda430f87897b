/* SPDX-License-Identifier: MIT */
/* Load a fixture DTB (built by dtc from tests/unit/fixtures) into a buffer
 * with room to edit it, so each test can break one thing. */
#ifndef TESTS_DTB_FIXTURE_H
#define TESTS_DTB_FIXTURE_H

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#define FIXTURE_ROOM 4096

static inline void *fixture_load(const char *name)
{
	char path[256];
	static char raw[64 * 1024];
	void *fdt = malloc(sizeof(raw) + FIXTURE_ROOM);
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	if (!f || !fdt) {
		fprintf(stderr, "cannot open fixture %s\n", path);
		abort();
	}
	n = fread(raw, 1, sizeof(raw), f);
	fclose(f);
	if (n == 0 || fdt_open_into(raw, fdt, (int)(n + FIXTURE_ROOM)) != 0)
		abort();
	return fdt;
}

static inline int fixture_node(void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	if (node < 0) {
		fprintf(stderr, "fixture has no %s\n", path);
		abort();
	}
	return node;
}

#endif

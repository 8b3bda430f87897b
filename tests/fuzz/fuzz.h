/* SPDX-License-Identifier: MIT */
/*
 * Shared by the libFuzzer targets in tests/fuzz/: an input reader that
 * never fails (bytes past the end read as zero), invariant checks that
 * trap, and the DTB-input guard every device-tree target uses.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <libfdt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * An invariant that the code under test promises. On violation, say which
 * one (the stack trace shows where) and trap: libFuzzer saves the input.
 */
#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__,     \
				#cond);                                                            \
			__builtin_trap();                                                          \
		}                                                                                  \
	} while (0)

struct reader {
	const uint8_t *p;
	size_t left;
};

static inline bool rd_empty(const struct reader *r)
{
	return r->left == 0;
}

static inline uint8_t rd_u8(struct reader *r)
{
	if (!r->left)
		return 0;
	r->left--;
	return *r->p++;
}

static inline uint16_t rd_u16(struct reader *r)
{
	uint16_t v = rd_u8(r);

	return (uint16_t)(v | rd_u8(r) << 8);
}

static inline uint32_t rd_u32(struct reader *r)
{
	uint32_t v = rd_u16(r);

	return v | (uint32_t)rd_u16(r) << 16;
}

static inline uint64_t rd_u64(struct reader *r)
{
	uint64_t v = rd_u32(r);

	return v | (uint64_t)rd_u32(r) << 32;
}

/*
 * Firmware and the build hand Tessera device trees whose header is the
 * only thing that says how long they are (fdt_totalsize). A fuzz input
 * whose header claims more than the input holds would only make libfdt
 * read past the buffer, which says nothing about Tessera: skip those. The
 * tree is copied into a buffer of exactly totalsize bytes (malloc'd, so
 * 8-byte aligned as libfdt wants), so ASan sees any read past it.
 */
static inline void *fuzz_dtb_copy(const uint8_t *data, size_t size)
{
	uint32_t total;
	void *fdt;

	if (size < sizeof(struct fdt_header) || size > 1u << 20)
		return NULL;
	total = fdt_totalsize(data);
	if (total < sizeof(struct fdt_header) || total > size)
		return NULL;
	fdt = malloc(total);
	if (fdt)
		memcpy(fdt, data, total);
	return fdt;
}

/* FUZZ_VERBOSE=1 in the environment: trace what each input does (replays). */
static inline bool fuzz_verbose(void)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	return verbose;
}

#define TRACE(...)                                                                                 \
	do {                                                                                       \
		if (fuzz_verbose())                                                                \
			fprintf(stderr, __VA_ARGS__);                                              \
	} while (0)

static inline void fuzz_note(const char *what, const char *msg)
{
	TRACE("%s: %s\n", what, msg);
}

/* A NUL-terminated string within n bytes. */
static inline bool fuzz_terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

#ifdef FUZZ_GUARD_FDT_GET_PATH
#include <dlfcn.h>

/*
 * libfdt is Debian's, not built with ASan, so a write outside a caller's
 * buffer inside libfdt goes unseen. The DT targets define this macro to
 * interpose fdt_get_path() (Tessera's calls bind to this definition): it
 * runs the real one on a copy with a guard of '/' bytes on either side,
 * and traps if anything outside buflen was touched. libfdt 1.6.1 walks
 * back over '/' past the start of buf when a node is followed by an extra
 * FDT_END_NODE, then copies the next node's name there.
 */
int fdt_get_path(const void *fdt, int nodeoffset, char *buf, int buflen)
{
	static int (*real)(const void *, int, char *, int);
	size_t guard = 64 + fdt_totalsize(fdt) / 4; /* one byte per possible token */
	char *g;
	int ret;

	if (!real)
		real = (int (*)(const void *, int, char *, int))dlsym(RTLD_NEXT, "fdt_get_path");
	CHECK(real != NULL && buflen >= 0);
	g = malloc(guard + (size_t)buflen + guard);
	CHECK(g != NULL);
	memset(g, '/', guard + (size_t)buflen + guard);
	ret = real(fdt, nodeoffset, g + guard, buflen);
	for (size_t i = 0; i < guard; i++) {
		CHECK(g[i] == '/' && "libfdt fdt_get_path wrote before its buffer");
		CHECK(g[guard + (size_t)buflen + i] == '/' &&
		      "libfdt fdt_get_path wrote past its buffer");
	}
	memcpy(buf, g + guard, (size_t)buflen);
	free(g);
	return ret;
}
#endif

#endif

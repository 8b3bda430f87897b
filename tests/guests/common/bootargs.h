/* SPDX-License-Identifier: MIT */
/*
 * Test parameters from /chosen/bootargs: space-separated key=value words,
 * documented in tests/guests/README.md. Numbers are decimal or 0x-hex.
 */
#ifndef GUEST_BOOTARGS_H
#define GUEST_BOOTARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_PROBES 16
#define MAX_READS  8
#define MAX_SPIS   8

struct guest_args {
	uint64_t probe[MAX_PROBES]; /* probe=A,B,...: addresses that must abort */
	unsigned int nprobe;
	bool have_mem; /* expect-mem=BASE,SIZE */
	uint64_t mem_base;
	uint64_t mem_size;
	bool have_cpus; /* expect-cpus=N */
	unsigned int cpus;
	const char *psci; /* expect-psci=hvc|smc; "hvc" by default */
	/* expect-read=ADDR,VALUE: a 32-bit read that must succeed with VALUE
	 * (a passthrough device's ID register, say). Repeatable. */
	uint64_t read_addr[MAX_READS];
	uint64_t read_value[MAX_READS];
	unsigned int nread;
	/* vcpus=N: the VM has exactly the vCPUs of MPIDR 0..N-1 (vgic). */
	bool have_vcpus;
	unsigned int vcpus;
	/* owned=INTID,... and unowned=INTID,...: SPIs the VM does and does not
	 * own (vgic). Several words add up; an empty list is allowed. */
	uint64_t owned[MAX_SPIS];
	unsigned int nowned;
	uint64_t unowned[MAX_SPIS];
	unsigned int nunowned;
};

extern struct guest_args args;

/* Fills args; each malformed or unknown word is a FAIL line. */
void bootargs_parse(const char *s);

/*
 * Words of a guest's own: bootargs_parse() offers each word it does not know
 * to this function, key (keylen characters) and the value [val, end) after
 * the '='. A guest that takes words defines it and returns false for a word
 * it cannot use, which is then a FAIL line; the default takes none.
 */
bool bootargs_guest_word(const char *key, size_t keylen, const char *val, const char *end);
/* Up to max comma-separated numbers of [val, end): how many, or -1 if malformed. */
int bootargs_numbers(const char *val, const char *end, uint64_t *v, int max);

#endif

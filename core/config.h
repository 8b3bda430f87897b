/* SPDX-License-Identifier: MIT */
/*
 * The VM configuration (design.md section 4): a device tree compiled by dtc
 * from the user's .dts and bundled into tessera.bin. config_parse() validates
 * it completely against the host before any guest runs; every error names
 * the VM (by label) and the property.
 */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/hostdt.h"

#define VM_MAX		8
#define VM_LABEL_MAX	32
#define VM_MAX_DEVICES	8
#define VM_DEV_MAX_REGS 4
#define VM_DEV_MAX_IRQS 8
/* Guest RAM base and size must be multiples of this (Linux Image placement). */
#define VM_MEM_ALIGN (2ull << 20)

struct config_error {
	char msg[256];
};

/* A byte range inside the config blob (/incbin/ data). size 0: absent. */
struct blob {
	const void *data;
	uint64_t size;
};

/* A host device handed to one VM (config "devices" entry). */
struct vm_device {
	char path[DT_PATH_MAX];		    /* host DT path */
	int host_node;			    /* offset in the host DTB */
	struct range regs[VM_DEV_MAX_REGS]; /* host physical, page-aligned outward */
	unsigned nregs;
	uint32_t irqs[VM_DEV_MAX_IRQS]; /* SPI INTIDs from the host DT */
	unsigned nirqs;
	bool shared; /* from shared-devices: MMIO only, other sharers allowed */
};

struct vm_config {
	char label[VM_LABEL_MAX];
	unsigned cpus[MAX_CPUS]; /* host CPU indices, in the order given */
	unsigned ncpus;
	struct range mem; /* guest-physical base and size */
	bool identity;	  /* guest-physical == host-physical */
	struct blob kernel;
	struct blob initrd;
	struct blob dtb;      /* user-supplied guest DTB, replaces the generated one */
	const char *bootargs; /* NULL when absent; points into the config blob */
	struct vm_device devices[VM_MAX_DEVICES];
	unsigned ndevices;
};

enum console_mode {
	CONSOLE_MUX, /* every VM gets an emulated PL011, output prefixed */
	CONSOLE_VM,  /* the physical UART is passed through to one VM */
};

struct tessera_config {
	enum console_mode console;
	unsigned console_vm; /* index into vms[] when console == CONSOLE_VM */
	struct vm_config vms[VM_MAX];
	unsigned nvms;
};

/*
 * Format `config: vm "<label>": <prop>: <problem>` into err; returns -1.
 * Every stage that can reject a VM (parser, memory planner, image loader,
 * guest DT builder) reports through this, so messages look the same.
 */
int config_vm_fail(struct config_error *err, const char *label, const char *prop, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));
int config_vm_vfail(struct config_error *err, const char *label, const char *prop, const char *fmt,
		    va_list ap);

/*
 * Parse and validate cfg (the config DTB) against the host. Checks all that
 * can be known from the two trees: schema, CPUs, guest memory ranges, images,
 * devices and their IRQs. Host memory placement is memplan's job.
 * Returns 0, or -1 with err set to e.g.
 *   config: vm "linux0": cpus: CPU 7 does not exist (the host has 4)
 */
int config_parse(const void *cfg, const void *host_fdt, const struct host_platform *host,
		 struct tessera_config *out, struct config_error *err);

#endif

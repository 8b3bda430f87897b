/* SPDX-License-Identifier: MIT */
/*
 * The host machine as its device tree describes it. Parsed once at boot,
 * read-only afterwards. Portable: unit-tested on the host with real DTBs.
 */
#ifndef CORE_HOSTDT_H
#define CORE_HOSTDT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"

#define HOST_MAX_MEM 8
#define DT_PATH_MAX  96

struct dt_error {
	char msg[224];
};

struct range {
	uint64_t base;
	uint64_t size;
};

enum cpu_enable_method {
	CPU_ENABLE_PSCI,
	CPU_ENABLE_SPIN_TABLE,
};

struct host_cpu {
	uint64_t mpidr; /* affinity fields, as in the DT "reg" */
	enum cpu_enable_method method;
	uint64_t release_addr; /* spin-table only */
};

enum psci_conduit {
	PSCI_CONDUIT_NONE,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

struct host_gic {
	unsigned version; /* 2 or 3 */
	char path[DT_PATH_MAX];
	struct range dist;
	struct range redist; /* v3: first redistributor region */
	struct range cpuif;  /* v2: GICC */
	struct range hyp;    /* v2: GICH */
	struct range vcpu;   /* v2: GICV */
	uint32_t maint_intid;
};

/* Generic timer PPIs, as INTIDs. */
struct host_timer {
	uint32_t sec_phys;
	uint32_t phys;
	uint32_t virt;
	uint32_t hyp_phys;
};

struct host_uart {
	char path[DT_PATH_MAX];
	struct range regs;
	uint32_t intid; /* its SPI, or 0 when the DT gives none */
};

struct host_platform {
	struct range mem[HOST_MAX_MEM];
	unsigned nmem;
	struct host_cpu cpus[MAX_CPUS];
	unsigned ncpus;
	struct host_gic gic;
	struct host_timer timer;
	enum psci_conduit psci;
	struct host_uart uart;
};

/*
 * Find the console from /chosen/stdout-path. On error, *uart still holds the
 * first enabled PL011 if there is one (uart->regs.base != 0), so the error
 * can be reported somewhere.
 */
int hostdt_console(const void *fdt, struct host_uart *uart, struct dt_error *err);

/* Everything else: memory, CPUs, GIC, timer, PSCI. 0 or -1 with err set. */
int hostdt_parse(const void *fdt, struct host_platform *hp, struct dt_error *err);

/*
 * Just the firmware conduit, without validating anything else: known early,
 * so that even a boot stopped by a bad DTB can power the machine off.
 */
enum psci_conduit hostdt_psci_conduit(const void *fdt);

const char *psci_conduit_name(enum psci_conduit c);

#endif

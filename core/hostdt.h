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

enum uart_kind {
	UART_PL011,
	UART_MINI, /* BCM2835 aux mini-UART: "brcm,bcm2835-aux-uart" */
};

struct host_uart {
	char path[DT_PATH_MAX];
	struct range regs;
	uint32_t intid; /* its SPI, or 0 when the DT gives none */
	enum uart_kind kind;
	uint64_t aux_enables; /* mini-UART: AUX_ENABLES of its clock, the aux block (or 0) */
	uint32_t baud;	      /* from stdout-path's options ("serial1:115200n8"), or 0 */
};

struct host_platform {
	struct range mem[HOST_MAX_MEM];
	unsigned nmem;
	struct host_cpu cpus[MAX_CPUS];
	unsigned ncpus;
	struct host_gic gic;
	struct host_timer timer;
	enum psci_conduit psci;
	/*
	 * uart: the PL011 every VM sees (emulated, or passed through with
	 * console = "<label>"). console: the UART Tessera prints on. They are
	 * the same device unless stdout-path names a mini-UART.
	 */
	struct host_uart uart;
	struct host_uart console;
};

/*
 * Find the console from /chosen/stdout-path: a PL011 or a BCM2835 mini-UART.
 * On error, *uart still holds the first enabled PL011 if there is one
 * (uart->regs.base != 0), so the error can be reported somewhere.
 */
int hostdt_console(const void *fdt, struct host_uart *uart, struct dt_error *err);

/*
 * The PL011 the VMs see: the console itself when it is one; with a
 * mini-UART console, the PL011 that alias serial0 names, else the first
 * enabled one. 0, or -1 with err set when there is none.
 */
int hostdt_vm_uart(const void *fdt, const struct host_uart *console, struct host_uart *uart,
		   struct dt_error *err);

/* Everything else: memory, CPUs, GIC, timer, PSCI. 0 or -1 with err set. */
int hostdt_parse(const void *fdt, struct host_platform *hp, struct dt_error *err);

/*
 * Just the firmware conduit, without validating anything else: known early,
 * so that even a boot stopped by a bad DTB can power the machine off.
 */
enum psci_conduit hostdt_psci_conduit(const void *fdt);

const char *psci_conduit_name(enum psci_conduit c);

/*
 * The BCM2835-family power manager ("brcm,bcm2835-pm-wdt", enabled): how a
 * Raspberry Pi without PSCI powers off. 0 with its path and registers, or
 * -1 when the DT has none. Like the conduit, looked up before anything else.
 */
int hostdt_power_manager(const void *fdt, char path[DT_PATH_MAX], struct range *regs);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A VM's emulated PL011. Output is collected into lines, and each complete
 * line goes to the physical console prefixed with "[label] ".
 */
#ifndef CORE_VUART_H
#define CORE_VUART_H

#include <stdint.h>

#include "core/emul.h"

#define VUART_SIZE     0x1000
#define VUART_LINE_MAX 200

/* PL011 registers the model knows (offsets) */
#define UART_DR	       0x000
#define UART_RSR       0x004
#define UART_FR	       0x018
#define UART_ILPR      0x020
#define UART_IBRD      0x024
#define UART_FBRD      0x028
#define UART_LCR_H     0x02c
#define UART_CR	       0x030
#define UART_IFLS      0x034
#define UART_IMSC      0x038
#define UART_RIS       0x03c
#define UART_MIS       0x040
#define UART_ICR       0x044
#define UART_DMACR     0x048
#define UART_PERIPHID0 0xfe0

#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFE (1u << 7)

struct vuart {
	const char *label;
	void (*emit_line)(const char *label, const char *line);
	char line[VUART_LINE_MAX + 1];
	unsigned len;
	/* Registers with no behaviour yet, kept so the guest reads back its writes. */
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr, ilpr;
};

extern const struct emul_ops vuart_ops;

void vuart_init(struct vuart *u, const char *label,
		void (*emit_line)(const char *label, const char *line));
/* Emit a partial line (e.g. when the VM stops). */
void vuart_flush(struct vuart *u);

#endif

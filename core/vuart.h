/* SPDX-License-Identifier: MIT */
/*
 * A VM's emulated PL011: enough of the register model for Linux's
 * amba-pl011 driver (with interrupts and earlycon) and for bare-metal
 * guests. Output goes to the physical console a line at a time, prefixed
 * with the VM's label; a partial line (a shell prompt) is shown once the
 * guest has been quiet for a moment (the arch code arms a timer through
 * ops->partial and calls vuart_flush). Input arrives through vuart_receive.
 */
#ifndef CORE_VUART_H
#define CORE_VUART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/emul.h"
#include "core/spinlock.h"

#define VUART_SIZE     0x1000
#define VUART_LINE_MAX 200
#define VUART_RX_FIFO  32

/* PL011 registers (offsets) */
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
#define UART_FR_RXFF (1u << 6)
#define UART_FR_TXFE (1u << 7)

/* Interrupt bits (IMSC, RIS, MIS, ICR) */
#define UART_INT_RX  (1u << 4)
#define UART_INT_TX  (1u << 5)
#define UART_INT_RT  (1u << 6)
#define UART_INT_ALL 0x7ffu

struct vuart;

struct vuart_ops {
	/* Print text for the VM; eol: it ends a line (else more may follow). */
	void (*emit)(const char *label, const char *text, size_t len, bool eol);
	/* The UART's interrupt line changed level. */
	void (*irq)(void *priv, bool level);
	/* Output is waiting in a partial line: call vuart_flush when quiet. */
	void (*partial)(struct vuart *u);
};

/*
 * Locking: u->lock covers everything below; the register handlers,
 * vuart_receive and vuart_flush take it, and call ops with it held (lock
 * order: vuart, then the console's or the vGIC's).
 */
struct vuart {
	struct spinlock lock;
	const char *label;
	const struct vuart_ops *ops;
	void *priv;
	char line[VUART_LINE_MAX];
	unsigned len;
	uint8_t rx[VUART_RX_FIFO];
	unsigned rx_head, rx_count;
	uint32_t ris_tx; /* TX interrupt: set when the (instant) FIFO empties */
	bool irq_level;
	/* Registers with no further behaviour, kept so the guest reads back its writes. */
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr, ilpr;
};

extern const struct emul_ops vuart_ops;

void vuart_init(struct vuart *u, const char *label, const struct vuart_ops *ops, void *priv);
/* Show a partial line now (quiet timeout, VM stopping). */
void vuart_flush(struct vuart *u);
/* A character typed for this VM; false if its FIFO is full (dropped). */
bool vuart_receive(struct vuart *u, char c);
/* Raw interrupt status, as UARTRIS reads. */
uint32_t vuart_ris(const struct vuart *u);

#endif

/* SPDX-License-Identifier: MIT */
/* Arm PrimeCell UART (PL011), transmit side: Tessera's console. */
#ifndef CORE_PL011_H
#define CORE_PL011_H

#include <stdint.h>

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_BUSY	(1u << 3)
#define PL011_FR_RXFE	(1u << 4)
#define PL011_FR_TXFF	(1u << 5)
#define PL011_CR	0x30
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE	(1u << 8)
#define PL011_CR_RXE	(1u << 9)

#define PL011_IMSC   0x38
#define PL011_ICR    0x44
#define PL011_INT_RX (1u << 4)
#define PL011_INT_RT (1u << 6)

void pl011_init(uintptr_t base);
void pl011_putc(uintptr_t base, char c);
/* Interrupt on received data (and on the receive timeout). */
void pl011_rx_irq_enable(uintptr_t base);
/* The next received character, or -1 when none is waiting. */
int pl011_getc(uintptr_t base);

#endif

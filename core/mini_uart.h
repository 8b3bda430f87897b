/* SPDX-License-Identifier: MIT */
/*
 * The BCM2835 auxiliary mini-UART (UART1 on the Raspberry Pi), as Tessera's
 * console: a 16550-like register subset whose baud-rate clock is the VPU
 * core clock, which the device tree does not give (boards/rpi4/board.mk).
 */
#ifndef CORE_MINI_UART_H
#define CORE_MINI_UART_H

#include <stdint.h>

#define AUX_ENABLES_MU	  (1u << 0) /* in the aux block's AUX_ENABLES */
#define MU_IO		  0x00
#define MU_IER		  0x04
#define MU_IIR		  0x08
#define MU_LCR		  0x0c
#define MU_MCR		  0x10
#define MU_LSR		  0x14
#define MU_CNTL		  0x20
#define MU_BAUD		  0x28
#define MU_IER_RX	  (1u << 0)
#define MU_IER_RX_LINES	  (3u << 2) /* BCM2835 errata: needed for any interrupt */
#define MU_IIR_FIFO_CLEAR 0xc6
#define MU_LCR_8BIT	  3
#define MU_LSR_DATA_READY (1u << 0)
#define MU_LSR_TX_EMPTY	  (1u << 5)
#define MU_CNTL_RX_TX	  3

/*
 * If firmware left the mini-UART enabled (config.txt enable_uart=1), keep
 * its settings; otherwise enable it through AUX_ENABLES (aux_enables: that
 * register's address, 0 if unknown) and set 8N1 at baud from clock_hz.
 * With clock_hz or baud 0 the divisor is left alone.
 */
void mini_uart_init(uintptr_t base, uintptr_t aux_enables, uint32_t clock_hz, uint32_t baud);
/* AUX_MU_BAUD for baud at clock_hz: clock / (8 * baud) - 1, rounded. */
uint32_t mini_uart_divisor(uint32_t clock_hz, uint32_t baud);
void mini_uart_putc(uintptr_t base, char c);
/* Interrupt on received data (the aux block's shared SPI). */
void mini_uart_rx_irq_enable(uintptr_t base);
/* The next received character, or -1 when none is waiting. */
int mini_uart_getc(uintptr_t base);

#endif

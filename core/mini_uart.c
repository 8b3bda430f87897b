/* SPDX-License-Identifier: MIT */
#include "core/mini_uart.h"

#include "core/mmio.h"

uint32_t mini_uart_divisor(uint32_t clock_hz, uint32_t baud)
{
	uint64_t eight_baud = 8ull * baud;

	if (!clock_hz || !baud || clock_hz < eight_baud)
		return 0;
	return (uint32_t)(((uint64_t)clock_hz + eight_baud / 2) / eight_baud - 1);
}

static void program(uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
	uint32_t div = mini_uart_divisor(clock_hz, baud);

	mmio_write32(base + MU_CNTL, 0);
	mmio_write32(base + MU_IER, 0);
	mmio_write32(base + MU_LCR, MU_LCR_8BIT);
	mmio_write32(base + MU_MCR, 0);
	mmio_write32(base + MU_IIR, MU_IIR_FIFO_CLEAR);
	if (div)
		mmio_write32(base + MU_BAUD, div);
}

void mini_uart_init(uintptr_t base, uintptr_t aux_enables, uint32_t clock_hz, uint32_t baud)
{
	if (aux_enables && !(mmio_read32(aux_enables) & AUX_ENABLES_MU)) {
		mmio_write32(aux_enables, mmio_read32(aux_enables) | AUX_ENABLES_MU);
		program(base, clock_hz, baud);
	}
	if ((mmio_read32(base + MU_CNTL) & MU_CNTL_RX_TX) != MU_CNTL_RX_TX)
		mmio_write32(base + MU_CNTL, mmio_read32(base + MU_CNTL) | MU_CNTL_RX_TX);
}

void mini_uart_putc(uintptr_t base, char c)
{
	while (!(mmio_read32(base + MU_LSR) & MU_LSR_TX_EMPTY))
		;
	mmio_write32(base + MU_IO, (uint8_t)c);
}

void mini_uart_rx_irq_enable(uintptr_t base)
{
	mmio_write32(base + MU_IER, MU_IER_RX | MU_IER_RX_LINES);
}

/* Reading IO takes the character and, with the FIFO empty, ends the interrupt. */
int mini_uart_getc(uintptr_t base)
{
	if (!(mmio_read32(base + MU_LSR) & MU_LSR_DATA_READY))
		return -1;
	return (int)(mmio_read32(base + MU_IO) & 0xff);
}

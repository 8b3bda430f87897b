/* SPDX-License-Identifier: MIT */
#include "core/pl011.h"

#include "core/mmio.h"

/*
 * Firmware already programmed the baud rate (and Tessera does not know the
 * UART clock), so only make sure the transmitter and receiver are enabled.
 */
void pl011_init(uintptr_t base)
{
	uint32_t cr = mmio_read32(base + PL011_CR);
	uint32_t want = PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE;

	if ((cr & want) != want)
		mmio_write32(base + PL011_CR, cr | want);
}

void pl011_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + PL011_FR) & PL011_FR_TXFF)
		;
	mmio_write32(base + PL011_DR, (uint8_t)c);
}

void pl011_rx_irq_enable(uintptr_t base)
{
	mmio_write32(base + PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
}

/*
 * Reading DR is what clears the receive interrupts. Never write ICR here: a
 * character arriving between the FR check and the ICR write would lose its
 * interrupt, and input would stop for good.
 */
int pl011_getc(uintptr_t base)
{
	if (mmio_read32(base + PL011_FR) & PL011_FR_RXFE)
		return -1;
	return (int)(mmio_read32(base + PL011_DR) & 0xff);
}

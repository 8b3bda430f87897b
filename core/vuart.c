/* SPDX-License-Identifier: MIT */
#include "core/vuart.h"

#include <stddef.h>

/* PrimeCell identification of a PL011 (revision 1, as QEMU reports it). */
static const uint8_t pl011_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

void vuart_init(struct vuart *u, const char *label,
		void (*emit_line)(const char *label, const char *line))
{
	/* Reset values from the PL011 TRM: TXE and RXE set, FIFO levels at half. */
	*u = (struct vuart){.label = label, .emit_line = emit_line, .cr = 0x300, .ifls = 0x12};
}

void vuart_flush(struct vuart *u)
{
	if (!u->len)
		return;
	u->line[u->len] = '\0';
	u->emit_line(u->label, u->line);
	u->len = 0;
}

static void put_char(struct vuart *u, char c)
{
	if (c == '\n') {
		u->line[u->len] = '\0';
		u->emit_line(u->label, u->line);
		u->len = 0;
		return;
	}
	if (c == '\r')
		return;
	if (u->len == VUART_LINE_MAX)
		vuart_flush(u);
	u->line[u->len++] = c;
}

/* Registers whose value is stored and read back, as a table. */
static uint32_t *plain_reg(struct vuart *u, uint64_t off)
{
	switch (off) {
	case UART_ILPR: return &u->ilpr;
	case UART_IBRD: return &u->ibrd;
	case UART_FBRD: return &u->fbrd;
	case UART_LCR_H: return &u->lcr_h;
	case UART_CR: return &u->cr;
	case UART_IFLS: return &u->ifls;
	case UART_IMSC: return &u->imsc;
	case UART_DMACR: return &u->dmacr;
	default: return NULL;
	}
}

static uint64_t vuart_read(struct emul_device *dev, uint64_t off, unsigned size)
{
	struct vuart *u = dev->priv;
	uint32_t *reg = plain_reg(u, off);

	(void)size;
	if (reg)
		return *reg;
	if (off == UART_FR)
		return UART_FR_TXFE | UART_FR_RXFE; /* never busy, nothing to read yet */
	if (off >= UART_PERIPHID0 && off < UART_PERIPHID0 + 0x20 && !(off & 3))
		return pl011_id[(off - UART_PERIPHID0) / 4];
	return 0; /* DR (no input yet), RSR, RIS, MIS: nothing pending */
}

static void vuart_write(struct emul_device *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct vuart *u = dev->priv;
	uint32_t *reg = plain_reg(u, off);

	(void)size;
	if (off == UART_DR)
		put_char(u, (char)(val & 0xff));
	else if (reg)
		*reg = (uint32_t)val;
}

const struct emul_ops vuart_ops = {
	.read = vuart_read,
	.write = vuart_write,
};

/* SPDX-License-Identifier: MIT */
#include "core/vuart.h"

/* PrimeCell identification of a PL011 (revision 1, as QEMU reports it). */
static const uint8_t pl011_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

void vuart_init(struct vuart *u, const char *label, const struct vuart_ops *ops, void *priv)
{
	/* Reset values from the PL011 TRM: TXE and RXE set, FIFO levels at half. */
	*u = (struct vuart){.lock = SPINLOCK_INIT,
			    .label = label,
			    .ops = ops,
			    .priv = priv,
			    .cr = 0x300,
			    .ifls = 0x12,
			    .ris_tx = UART_INT_TX};
}

uint32_t vuart_ris(const struct vuart *u)
{
	/* Receive and receive-timeout follow the FIFO: data waits, both are raised. */
	return u->ris_tx | (u->rx_count ? UART_INT_RX | UART_INT_RT : 0);
}

static void update_irq(struct vuart *u)
{
	bool level = (vuart_ris(u) & u->imsc) != 0;

	if (level != u->irq_level) {
		u->irq_level = level;
		u->ops->irq(u->priv, level);
	}
}

static void flush_locked(struct vuart *u)
{
	if (!u->len)
		return;
	u->ops->emit(u->label, u->line, u->len, false);
	u->len = 0;
}

void vuart_flush(struct vuart *u)
{
	spin_lock(&u->lock);
	flush_locked(u);
	spin_unlock(&u->lock);
}

static void put_char(struct vuart *u, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		u->ops->emit(u->label, u->line, u->len, true);
		u->len = 0;
		return;
	}
	/* A full buffer goes out only when more comes: a line of exactly
	 * VUART_LINE_MAX characters still prints as one line. */
	if (u->len == VUART_LINE_MAX)
		flush_locked(u);
	u->line[u->len++] = c;
	/* Every character restarts the quiet period: a line written slowly is
	 * still printed whole, a prompt shows once the guest stops writing. */
	u->ops->partial(u);
}

bool vuart_receive(struct vuart *u, char c)
{
	bool taken;

	spin_lock(&u->lock);
	taken = u->rx_count < VUART_RX_FIFO;
	if (taken) {
		u->rx[(u->rx_head + u->rx_count++) % VUART_RX_FIFO] = (uint8_t)c;
		update_irq(u);
	}
	spin_unlock(&u->lock);
	return taken;
}

static uint32_t read_dr(struct vuart *u)
{
	uint32_t c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VUART_RX_FIFO;
	u->rx_count--;
	update_irq(u);
	return c;
}

static uint32_t read_fr(const struct vuart *u)
{
	uint32_t fr = UART_FR_TXFE; /* output is never held up */

	if (!u->rx_count)
		fr |= UART_FR_RXFE;
	if (u->rx_count == VUART_RX_FIFO)
		fr |= UART_FR_RXFF;
	return fr;
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
	case UART_DMACR: return &u->dmacr;
	default: return NULL;
	}
}

static uint64_t read_reg(struct vuart *u, uint64_t off)
{
	uint32_t *reg = plain_reg(u, off);

	if (reg)
		return *reg;
	switch (off) {
	case UART_DR: return read_dr(u);
	case UART_FR: return read_fr(u);
	case UART_IMSC: return u->imsc;
	case UART_RIS: return vuart_ris(u);
	case UART_MIS: return vuart_ris(u) & u->imsc;
	default: break;
	}
	if (off >= UART_PERIPHID0 && off < UART_PERIPHID0 + 0x20 && !(off & 3))
		return pl011_id[(off - UART_PERIPHID0) / 4];
	return 0; /* RSR: no receive errors */
}

static uint64_t vuart_read(struct emul_device *dev, uint64_t off, unsigned size)
{
	struct vuart *u = dev->priv;
	uint64_t v;

	(void)size;
	spin_lock(&u->lock);
	v = read_reg(u, off);
	spin_unlock(&u->lock);
	return v;
}

static void write_reg(struct vuart *u, uint64_t off, uint64_t val)
{
	uint32_t *reg = plain_reg(u, off);

	if (reg) {
		*reg = (uint32_t)val;
		return;
	}
	switch (off) {
	case UART_DR:
		put_char(u, (char)(val & 0xff));
		u->ris_tx = UART_INT_TX; /* sent at once: the FIFO is empty again */
		break;
	case UART_IMSC: u->imsc = (uint32_t)val & UART_INT_ALL; break;
	case UART_ICR:
		u->ris_tx &= ~(uint32_t)val; /* RX bits follow the FIFO and stay */
		break;
	default: return;
	}
	update_irq(u);
}

static void vuart_write(struct emul_device *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct vuart *u = dev->priv;

	(void)size;
	spin_lock(&u->lock);
	write_reg(u, off, val);
	spin_unlock(&u->lock);
}

const struct emul_ops vuart_ops = {
	.read = vuart_read,
	.write = vuart_write,
};

/* SPDX-License-Identifier: MIT */
/*
 * The emulated-device table (sorted insert, binary search) and the PL011
 * model behind it: exact lines out, exact register values back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/emul.h"
#include "core/vuart.h"

/* --- emul table ---------------------------------------------------------- */

static struct emul_device dev(uint64_t base, uint64_t size, const char *name)
{
	return (struct emul_device){.base = base, .size = size, .name = name};
}

static void assert_sorted(const struct emul_table *t)
{
	for (unsigned i = 1; i < t->n; i++)
		assert_true(t->devs[i - 1].base + t->devs[i - 1].size <= t->devs[i].base);
}

static void add_keeps_table_sorted(void **state)
{
	struct emul_table t = {0};
	struct emul_device d;

	(void)state;
	d = dev(0x9000000, 0x1000, "uart");
	assert_int_equal(emul_add(&t, &d), 0);
	d = dev(0x8000000, 0x10000, "gicd");
	assert_int_equal(emul_add(&t, &d), 0);
	d = dev(0xa000000, 0x200, "virtio");
	assert_int_equal(emul_add(&t, &d), 0);
	d = dev(0x9010000, 0x1000, "rtc");
	assert_int_equal(emul_add(&t, &d), 0);
	d = dev(0x0, 0x1000, "low");
	assert_int_equal(emul_add(&t, &d), 0);
	assert_int_equal(t.n, 5);
	assert_string_equal(t.devs[0].name, "low");
	assert_string_equal(t.devs[1].name, "gicd");
	assert_string_equal(t.devs[2].name, "uart");
	assert_string_equal(t.devs[3].name, "rtc");
	assert_string_equal(t.devs[4].name, "virtio");
	assert_int_equal(t.devs[2].base, 0x9000000);
	assert_int_equal(t.devs[2].size, 0x1000);
	assert_sorted(&t);
}

static void add_copies_the_device(void **state)
{
	static const struct emul_ops ops;
	struct emul_table t = {0};
	int priv;
	struct emul_device d = {
		.base = 0x9000000, .size = 0x1000, .ops = &ops, .priv = &priv, .name = "uart"};

	(void)state;
	assert_int_equal(emul_add(&t, &d), 0);
	d.base = 0x1234;
	assert_int_equal(t.devs[0].base, 0x9000000);
	assert_int_equal(t.devs[0].size, 0x1000);
	assert_ptr_equal(t.devs[0].ops, &ops);
	assert_ptr_equal(t.devs[0].priv, &priv);
	assert_string_equal(t.devs[0].name, "uart");
}

static void add_rejects_overlaps(void **state)
{
	struct emul_table t = {0};
	struct emul_device d = dev(0x9000000, 0x1000, "uart");

	(void)state;
	assert_int_equal(emul_add(&t, &d), 0);
	/* Same range, inside, straddling either end, enclosing. */
	d = dev(0x9000000, 0x1000, "same");
	assert_int_equal(emul_add(&t, &d), -1);
	d = dev(0x9000800, 0x4, "inside");
	assert_int_equal(emul_add(&t, &d), -1);
	d = dev(0x8fff000, 0x1001, "low-straddle");
	assert_int_equal(emul_add(&t, &d), -1);
	d = dev(0x9000fff, 0x1000, "high-straddle");
	assert_int_equal(emul_add(&t, &d), -1);
	d = dev(0x8000000, 0x2000000, "enclosing");
	assert_int_equal(emul_add(&t, &d), -1);
	assert_int_equal(t.n, 1);
	/* Touching neighbours on both sides are fine. */
	d = dev(0x8fff000, 0x1000, "below");
	assert_int_equal(emul_add(&t, &d), 0);
	d = dev(0x9001000, 0x1000, "above");
	assert_int_equal(emul_add(&t, &d), 0);
	assert_int_equal(t.n, 3);
	assert_sorted(&t);
}

static void add_rejects_zero_size_and_wrap(void **state)
{
	struct emul_table t = {0};
	struct emul_device d = dev(0x9000000, 0, "empty");

	(void)state;
	assert_int_equal(emul_add(&t, &d), -1);
	d = dev(0xfffffffffffff000ull, 0x2000, "wraps");
	assert_int_equal(emul_add(&t, &d), -1);
	assert_int_equal(t.n, 0);
}

static void add_rejects_when_full(void **state)
{
	struct emul_table t = {0};
	struct emul_device d;

	(void)state;
	for (unsigned i = 0; i < EMUL_MAX_DEVICES; i++) {
		/* Added in descending order: every insert shifts the table. */
		d = dev(0x10000000 - i * 0x10000, 0x1000, "d");
		assert_int_equal(emul_add(&t, &d), 0);
	}
	assert_int_equal(t.n, EMUL_MAX_DEVICES);
	d = dev(0x20000000, 0x1000, "one-too-many");
	assert_int_equal(emul_add(&t, &d), -1);
	assert_int_equal(t.n, EMUL_MAX_DEVICES);
	assert_int_equal(t.devs[0].base, 0x10000000 - (EMUL_MAX_DEVICES - 1) * 0x10000);
	assert_int_equal(t.devs[EMUL_MAX_DEVICES - 1].base, 0x10000000);
	assert_sorted(&t);
}

static void find_single_device_edges(void **state)
{
	struct emul_table t = {0};
	struct emul_device d = dev(0x9000000, 0x1000, "uart");

	(void)state;
	assert_null(emul_find(&t, 0x9000000));
	assert_int_equal(emul_add(&t, &d), 0);
	assert_ptr_equal(emul_find(&t, 0x9000000), &t.devs[0]);
	assert_ptr_equal(emul_find(&t, 0x9000fff), &t.devs[0]);
	assert_null(emul_find(&t, 0x9001000));
	assert_null(emul_find(&t, 0x8ffffff));
	assert_null(emul_find(&t, 0));
	assert_null(emul_find(&t, ~0ull));
}

static void find_many_devices(void **state)
{
	struct emul_table t = {0};
	static const char *names[EMUL_MAX_DEVICES] = {"d0", "d1", "d2", "d3",
						      "d4", "d5", "d6", "d7"};

	(void)state;
	/* Device i: base 0x100000 * (i + 1), size 0x1000 << i (gaps between). Odd first. */
	for (unsigned pass = 0; pass < 2; pass++) {
		for (unsigned i = 1 - pass; i < EMUL_MAX_DEVICES; i += 2) {
			struct emul_device d = dev(0x100000ull * (i + 1), 0x1000ull << i, names[i]);

			assert_int_equal(emul_add(&t, &d), 0);
		}
	}
	assert_int_equal(t.n, EMUL_MAX_DEVICES);
	for (unsigned i = 0; i < EMUL_MAX_DEVICES; i++) {
		uint64_t base = 0x100000ull * (i + 1), size = 0x1000ull << i;
		struct emul_device *f;

		f = emul_find(&t, base);
		assert_non_null(f);
		assert_string_equal(f->name, names[i]);
		assert_ptr_equal(f, &t.devs[i]);
		assert_ptr_equal(emul_find(&t, base + size - 1), f);
		assert_ptr_equal(emul_find(&t, base + size / 2), f);
		assert_null(emul_find(&t, base + size));
		assert_null(emul_find(&t, base - 1));
	}
	/* The last device is 0x80000 long: ends at 0x880000. */
	assert_ptr_equal(emul_find(&t, 0x87ffff), &t.devs[7]);
	assert_null(emul_find(&t, 0x880000));
	assert_null(emul_find(&t, 0xfffff));
	assert_null(emul_find(&t, 0));
}

/* Adjacent devices: the byte at the boundary belongs to the upper one. */
static void find_adjacent_devices(void **state)
{
	struct emul_table t = {0};
	struct emul_device d;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		d = dev(0x8000000 + i * 0x1000, 0x1000, i == 0 ? "a" : i == 1 ? "b" : "c");
		assert_int_equal(emul_add(&t, &d), 0);
	}
	assert_string_equal(emul_find(&t, 0x8000fff)->name, "a");
	assert_string_equal(emul_find(&t, 0x8001000)->name, "b");
	assert_string_equal(emul_find(&t, 0x8001fff)->name, "b");
	assert_string_equal(emul_find(&t, 0x8002000)->name, "c");
	assert_null(emul_find(&t, 0x8003000));
}

/* --- vuart: line output -------------------------------------------------- */

#define MAX_LINES 8

static struct {
	char label[32];
	char line[MAX_LINES][VUART_LINE_MAX + 2];
	bool eol[MAX_LINES];
	unsigned n;
	unsigned partials; /* ops->partial calls */
	unsigned irq_changes;
	bool irq;
} out;

static void emit(const char *label, const char *text, size_t len, bool eol)
{
	assert_true(out.n < MAX_LINES);
	assert_true(len <= VUART_LINE_MAX);
	snprintf(out.label, sizeof(out.label), "%s", label);
	snprintf(out.line[out.n], sizeof(out.line[0]), "%.*s", (int)len, text);
	out.eol[out.n++] = eol;
}

static void irq(void *priv, bool level)
{
	(void)priv;
	assert_true(level != out.irq); /* only changes are reported */
	out.irq = level;
	out.irq_changes++;
}

static void partial(struct vuart *u)
{
	(void)u;
	out.partials++;
}

static const struct vuart_ops test_ops = {.emit = emit, .irq = irq, .partial = partial};

struct uart_ctx {
	struct vuart u;
	struct emul_device dev;
};

static int uart_setup(void **state)
{
	static struct uart_ctx c;

	memset(&out, 0, sizeof(out));
	vuart_init(&c.u, "linux0", &test_ops, NULL);
	c.dev = (struct emul_device){
		.base = 0x9000000, .size = VUART_SIZE, .ops = &vuart_ops, .priv = &c.u};
	*state = &c;
	return 0;
}

static void wr(struct uart_ctx *c, uint64_t off, uint64_t val)
{
	c->dev.ops->write(&c->dev, off, 4, val);
}

static uint64_t rd(struct uart_ctx *c, uint64_t off)
{
	return c->dev.ops->read(&c->dev, off, 4);
}

static void puts_dr(struct uart_ctx *c, const char *s)
{
	while (*s)
		c->dev.ops->write(&c->dev, UART_DR, 1, (uint8_t)*s++);
}

static void line_emitted_on_newline(void **state)
{
	struct uart_ctx *c = *state;

	puts_dr(c, "Hello, world");
	assert_int_equal(out.n, 0);
	puts_dr(c, "\n");
	assert_int_equal(out.n, 1);
	assert_string_equal(out.label, "linux0");
	assert_string_equal(out.line[0], "Hello, world");
	puts_dr(c, "second\nthird\n");
	assert_int_equal(out.n, 3);
	assert_string_equal(out.line[1], "second");
	assert_string_equal(out.line[2], "third");
	/* Nothing pending: flush emits nothing. */
	vuart_flush(&c->u);
	assert_int_equal(out.n, 3);
}

static void cr_dropped(void **state)
{
	struct uart_ctx *c = *state;

	puts_dr(c, "[    0.000000] Booting Linux\r\n\r\nok\r\r\n");
	assert_int_equal(out.n, 3);
	assert_string_equal(out.line[0], "[    0.000000] Booting Linux");
	assert_string_equal(out.line[1], "");
	assert_string_equal(out.line[2], "ok");
}

static void empty_line_emitted(void **state)
{
	struct uart_ctx *c = *state;

	puts_dr(c, "\n");
	assert_int_equal(out.n, 1);
	assert_string_equal(out.line[0], "");
}

static void dr_uses_low_byte(void **state)
{
	struct uart_ctx *c = *state;

	/* A 32-bit STR to DR: only bits [7:0] are the character. */
	wr(c, UART_DR, 0xffffff00 | 'A');
	wr(c, UART_DR, 0x100 | 'B');
	wr(c, UART_DR, '\n');
	assert_int_equal(out.n, 1);
	assert_string_equal(out.line[0], "AB");
	/* Bytes above 0x7f pass through unchanged: UTF-8 "é". */
	wr(c, UART_DR, 0xc3);
	wr(c, UART_DR, 0xa9);
	wr(c, UART_DR, '\n');
	assert_int_equal(out.n, 2);
	assert_string_equal(out.line[1], "\xc3\xa9");
}

static void flush_emits_partial_line(void **state)
{
	struct uart_ctx *c = *state;

	vuart_flush(&c->u);
	assert_int_equal(out.n, 0);
	puts_dr(c, "login: ");
	vuart_flush(&c->u);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.line[0], "login: ");
	vuart_flush(&c->u);
	assert_int_equal(out.n, 1);
	/* The next line starts empty. */
	puts_dr(c, "x\n");
	assert_int_equal(out.n, 2);
	assert_string_equal(out.line[1], "x");
}

static void long_line_split(void **state)
{
	struct uart_ctx *c = *state;
	char full[VUART_LINE_MAX + 1];

	memset(full, 'a', VUART_LINE_MAX);
	full[VUART_LINE_MAX] = '\0';
	/* Exactly VUART_LINE_MAX characters, then a newline: one line. */
	puts_dr(c, full);
	assert_int_equal(out.n, 0);
	puts_dr(c, "\n");
	assert_int_equal(out.n, 1);
	assert_string_equal(out.line[0], full);
	/* One more: the first VUART_LINE_MAX go out when the extra one arrives. */
	puts_dr(c, full);
	puts_dr(c, "b");
	assert_int_equal(out.n, 2);
	assert_string_equal(out.line[1], full);
	puts_dr(c, "c\n");
	assert_int_equal(out.n, 3);
	assert_string_equal(out.line[2], "bc");
	/* 2 * VUART_LINE_MAX + 1 characters: three pieces. */
	puts_dr(c, full);
	puts_dr(c, full);
	puts_dr(c, "z");
	vuart_flush(&c->u);
	assert_int_equal(out.n, 6);
	assert_string_equal(out.line[3], full);
	assert_string_equal(out.line[4], full);
	assert_string_equal(out.line[5], "z");
}

/* --- vuart: registers ---------------------------------------------------- */

static void fr_reports_empty_fifos(void **state)
{
	struct uart_ctx *c = *state;

	assert_int_equal(rd(c, UART_FR), 0x90); /* TXFE (7) | RXFE (4) */
	puts_dr(c, "busy?");
	assert_int_equal(rd(c, UART_FR), 0x90);
	/* FR is read-only. */
	wr(c, UART_FR, 0xffffffff);
	assert_int_equal(rd(c, UART_FR), 0x90);
}

static void plain_registers_read_back(void **state)
{
	static const struct {
		uint64_t off;
		uint32_t val;
	} regs[] = {
		{0x020, 0x00000001}, /* ILPR */
		{0x024, 0x0000001a}, /* IBRD */
		{0x028, 0x00000003}, /* FBRD */
		{0x02c, 0x00000070}, /* LCR_H: 8N1, FIFOs */
		{0x030, 0x00000301}, /* CR: UARTEN | TXE | RXE */
		{0x034, 0x00000012}, /* IFLS */
		{0x038, 0x00000050}, /* IMSC: RXIM | RTIM */
		{0x048, 0x00000007}, /* DMACR */
	};

	struct uart_ctx *c = *state;

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		wr(c, regs[i].off, regs[i].val);
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		assert_int_equal(rd(c, regs[i].off), regs[i].val);
	/* Each register is its own: rewrite one, the rest stay. */
	wr(c, 0x024, 0xffff);
	assert_int_equal(rd(c, 0x024), 0xffff);
	assert_int_equal(rd(c, 0x028), 0x3);
	assert_int_equal(rd(c, 0x030), 0x301);
	/* Register writes are not output. */
	assert_int_equal(out.n, 0);
}

static void cr_resets_to_txe_rxe(void **state)
{
	struct uart_ctx *c = *state;

	/* PL011 TRM: UARTCR resets to 0x300 (TXE | RXE, UARTEN clear). */
	assert_int_equal(rd(c, 0x030), 0x300);
	assert_int_equal(rd(c, 0x024), 0);
	assert_int_equal(rd(c, 0x028), 0);
	assert_int_equal(rd(c, 0x02c), 0);
	assert_int_equal(rd(c, 0x038), 0);
	assert_int_equal(rd(c, 0x048), 0);
}

/* PL011 TRM (DDI 0183), UARTIFLS: reset value 0x12 (both FIFOs at half full). */
static void ifls_resets_to_0x12(void **state)
{
	struct uart_ctx *c = *state;

	assert_int_equal(rd(c, 0x034), 0x12);
}

static void primecell_ids(void **state)
{
	static const uint8_t id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
	struct uart_ctx *c = *state;

	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(rd(c, 0xfe0 + 4 * i), id[i]);
	/* Read-only. */
	wr(c, 0xfe0, 0);
	assert_int_equal(rd(c, 0xfe0), 0x11);
	/* Not word-aligned, or past the last ID register. */
	assert_int_equal(rd(c, 0xfe1), 0);
	assert_int_equal(rd(c, 0xffe), 0);
	assert_int_equal(rd(c, 0xfdc), 0);
}

static void unknown_offsets_read_zero(void **state)
{
	/* RSR/ECR, reserved, reserved, test/unused space */
	static const uint64_t offs[] = {0x004, 0x008, 0x01c, 0x04c, 0x080, 0x800, 0xfd0, 0xfdc};
	struct uart_ctx *c = *state;

	/* DR: no input yet. */
	assert_int_equal(rd(c, 0x000), 0);
	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		wr(c, offs[i], 0xffffffff);
		assert_int_equal(rd(c, offs[i]), 0);
	}
	assert_int_equal(out.n, 0);
	/* None of those writes landed in a real register. */
	assert_int_equal(rd(c, 0x030), 0x300);
	assert_int_equal(rd(c, 0x038), 0);
}

/* --- vuart: input and interrupts ------------------------------------------ */

static void rx_fifo_and_flags(void **state)
{
	struct uart_ctx *c = *state;

	assert_int_equal(rd(c, UART_FR), UART_FR_TXFE | UART_FR_RXFE);
	assert_true(vuart_receive(&c->u, 'l'));
	assert_true(vuart_receive(&c->u, 's'));
	assert_int_equal(rd(c, UART_FR), UART_FR_TXFE);
	assert_int_equal(rd(c, UART_RIS) & (UART_INT_RX | UART_INT_RT), UART_INT_RX | UART_INT_RT);
	assert_int_equal(rd(c, UART_DR), 'l');
	assert_int_equal(rd(c, UART_DR), 's');
	assert_int_equal(rd(c, UART_FR), UART_FR_TXFE | UART_FR_RXFE);
	assert_int_equal(rd(c, UART_RIS) & (UART_INT_RX | UART_INT_RT), 0);
	assert_int_equal(rd(c, UART_DR), 0); /* empty: reads 0, no underflow */
}

static void rx_fifo_full_drops(void **state)
{
	struct uart_ctx *c = *state;

	for (unsigned i = 0; i < VUART_RX_FIFO; i++)
		assert_true(vuart_receive(&c->u, (char)('a' + i % 26)));
	assert_int_equal(rd(c, UART_FR) & UART_FR_RXFF, UART_FR_RXFF);
	assert_false(vuart_receive(&c->u, '!'));
	assert_int_equal(rd(c, UART_DR), 'a');
	assert_true(vuart_receive(&c->u, '!'));
	for (unsigned i = 1; i < VUART_RX_FIFO; i++)
		rd(c, UART_DR);
	assert_int_equal(rd(c, UART_DR), '!');
}

/* The line follows (RIS & IMSC): masked input raises nothing. */
static void rx_interrupt_level(void **state)
{
	struct uart_ctx *c = *state;

	vuart_receive(&c->u, 'x');
	assert_int_equal(out.irq_changes, 0);
	wr(c, UART_IMSC, UART_INT_RX | UART_INT_RT);
	assert_true(out.irq);
	assert_int_equal(rd(c, UART_MIS), UART_INT_RX | UART_INT_RT);
	/* ICR cannot clear receive interrupts while data waits. */
	wr(c, UART_ICR, UART_INT_RX | UART_INT_RT);
	assert_true(out.irq);
	rd(c, UART_DR);
	assert_false(out.irq);
	assert_int_equal(out.irq_changes, 2);
}

/* QEMU's model: TX is instant, so TXRIS rises on every write; ICR clears it. */
static void tx_interrupt(void **state)
{
	struct uart_ctx *c = *state;

	assert_int_equal(rd(c, UART_RIS), UART_INT_TX);
	wr(c, UART_IMSC, UART_INT_TX);
	assert_true(out.irq);
	wr(c, UART_ICR, UART_INT_TX);
	assert_false(out.irq);
	assert_int_equal(rd(c, UART_RIS), 0);
	puts_dr(c, "y");
	assert_true(out.irq);
	assert_int_equal(rd(c, UART_MIS), UART_INT_TX);
}

/* A partial line asks once for a quiet-time flush; the flush keeps it open. */
static void partial_line_flushed_open(void **state)
{
	struct uart_ctx *c = *state;

	puts_dr(c, "guest# ");
	/* Each character restarts the quiet period. */
	assert_int_equal(out.partials, 7);
	assert_int_equal(out.n, 0);
	vuart_flush(&c->u);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.line[0], "guest# ");
	assert_false(out.eol[0]);
	puts_dr(c, "ls\n");
	assert_int_equal(out.partials, 9);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.line[1], "ls");
	assert_true(out.eol[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_keeps_table_sorted),
		cmocka_unit_test(add_copies_the_device),
		cmocka_unit_test(add_rejects_overlaps),
		cmocka_unit_test(add_rejects_zero_size_and_wrap),
		cmocka_unit_test(add_rejects_when_full),
		cmocka_unit_test(find_single_device_edges),
		cmocka_unit_test(find_many_devices),
		cmocka_unit_test(find_adjacent_devices),
		cmocka_unit_test_setup(line_emitted_on_newline, uart_setup),
		cmocka_unit_test_setup(cr_dropped, uart_setup),
		cmocka_unit_test_setup(empty_line_emitted, uart_setup),
		cmocka_unit_test_setup(dr_uses_low_byte, uart_setup),
		cmocka_unit_test_setup(flush_emits_partial_line, uart_setup),
		cmocka_unit_test_setup(long_line_split, uart_setup),
		cmocka_unit_test_setup(rx_fifo_and_flags, uart_setup),
		cmocka_unit_test_setup(rx_fifo_full_drops, uart_setup),
		cmocka_unit_test_setup(rx_interrupt_level, uart_setup),
		cmocka_unit_test_setup(tx_interrupt, uart_setup),
		cmocka_unit_test_setup(partial_line_flushed_open, uart_setup),
		cmocka_unit_test_setup(fr_reports_empty_fifos, uart_setup),
		cmocka_unit_test_setup(plain_registers_read_back, uart_setup),
		cmocka_unit_test_setup(cr_resets_to_txe_rxe, uart_setup),
		cmocka_unit_test_setup(ifls_resets_to_0x12, uart_setup),
		cmocka_unit_test_setup(primecell_ids, uart_setup),
		cmocka_unit_test_setup(unknown_offsets_read_zero, uart_setup),
	};

	return cmocka_run_group_tests_name("emul_vuart", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
#include "core/console.h"

#include "core/config.h"
#include "core/format.h"
#include "core/log.h"
#include "core/mini_uart.h"
#include "core/pl011.h"
#include "core/spinlock.h"
#include "core/vuart.h"

#define CONSOLE_PREFIX_MAX (VM_LABEL_MAX + 4)

/* The physical UART's driver: a PL011 or a BCM2835 mini-UART. */
struct console_driver {
	void (*putc)(uintptr_t base, char c);
	int (*getc)(uintptr_t base);
	void (*rx_irq_enable)(uintptr_t base);
};

static const struct console_driver pl011_driver = {pl011_putc, pl011_getc, pl011_rx_irq_enable};
static const struct console_driver mini_uart_driver = {mini_uart_putc, mini_uart_getc,
						       mini_uart_rx_irq_enable};

/* The one physical console: output under out_lock, input state under in_lock. */
static struct {
	uintptr_t base;
	const struct console_driver *drv;
	void (*sink)(const char *s, size_t n); /* tests: instead of the UART */
	struct spinlock out_lock;
	const char *open_line; /* VM whose partial line is on screen, or NULL */
	struct spinlock in_lock;
	struct vuart *inputs[VM_MAX];
	const char *labels[VM_MAX];
	unsigned ninputs;
	unsigned focus;
	unsigned ctrl_a; /* Ctrl-A presses held back, not yet forwarded */
} con = {.out_lock = SPINLOCK_INIT, .in_lock = SPINLOCK_INIT};

void console_set_pl011(uintptr_t base)
{
	pl011_init(base);
	con.drv = &pl011_driver;
	con.base = base;
}

void console_set_mini_uart(uintptr_t base, uintptr_t aux_enables, uint32_t clock_hz, uint32_t baud)
{
	mini_uart_init(base, aux_enables, clock_hz, baud);
	con.drv = &mini_uart_driver;
	con.base = base;
}

void console_rx_irq_enable(void)
{
	if (con.base)
		con.drv->rx_irq_enable(con.base);
}

int console_ready(void)
{
	return con.base != 0 || con.sink;
}

void console_set_sink(void (*sink)(const char *s, size_t n))
{
	con.sink = sink;
}

static void put(const char *s, size_t n)
{
	if (con.sink) {
		con.sink(s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			con.drv->putc(con.base, '\r');
		con.drv->putc(con.base, s[i]);
	}
}

static void puts_(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	put(s, n);
}

/* Someone else is about to print: end the open partial line first. */
static void close_open_line(const char *next)
{
	if (con.open_line && con.open_line != next) {
		put("\n", 1);
		con.open_line = NULL;
	}
}

void console_log_line(const char *line)
{
	if (!console_ready())
		return;
	spin_lock(&con.out_lock);
	close_open_line(NULL);
	puts_(line);
	spin_unlock(&con.out_lock);
}

/*
 * A VM's bytes go out printable: control characters (but TAB) as ^X. A raw
 * CR, backspace or escape sequence could otherwise erase the "[label] "
 * prefix on a terminal and pass off a line as another VM's or Tessera's.
 */
static void put_guest(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		char shown[2] = {'^', (char)(c ^ 0x40)};

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			put(shown, 2);
		else
			put(&text[i], 1);
	}
}

void console_vm_text(const char *label, const char *text, size_t len, bool eol)
{
	char prefix[CONSOLE_PREFIX_MAX];

	if (!console_ready())
		return;
	spin_lock(&con.out_lock);
	close_open_line(label);
	if (con.open_line != label) {
		str_format(prefix, sizeof(prefix), "[%s] ", label);
		puts_(prefix);
	}
	put_guest(text, len);
	if (eol)
		put("\n", 1);
	con.open_line = eol ? NULL : label;
	spin_unlock(&con.out_lock);
}

void console_add_input(struct vuart *u, const char *label)
{
	if (con.ninputs < VM_MAX) {
		con.labels[con.ninputs] = label;
		con.inputs[con.ninputs++] = u;
	}
}

unsigned console_focus(void)
{
	return con.focus;
}

static void deliver(char c)
{
	if (con.ninputs)
		vuart_receive(con.inputs[con.focus], c);
}

/* Ctrl-A pressed once or twice and then something else: the guest gets them. */
static void release_ctrl_a(void)
{
	for (; con.ctrl_a; con.ctrl_a--)
		deliver(CONSOLE_CTRL_A);
}

void console_input(char c)
{
	spin_lock(&con.in_lock);
	if (c != CONSOLE_CTRL_A || con.ninputs < 2) {
		release_ctrl_a();
		deliver(c);
	} else if (++con.ctrl_a == CONSOLE_SWITCH_PRESSES) {
		con.ctrl_a = 0;
		con.focus = (con.focus + 1) % con.ninputs;
		log_line("console: input goes to vm %s", con.labels[con.focus]);
	}
	spin_unlock(&con.in_lock);
}

void console_rx_interrupt(void)
{
	int c;

	while (con.base && (c = con.drv->getc(con.base)) >= 0)
		console_input((char)c);
}

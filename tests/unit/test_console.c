/* SPDX-License-Identifier: MIT */
/* The console mux: line prefixes, open partial lines, input focus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/console.h"
#include "core/log.h"
#include "core/vuart.h"

static char screen[4096];
static size_t used;

static void capture(const char *s, size_t n)
{
	assert_true(used + n < sizeof(screen));
	memcpy(screen + used, s, n);
	used += n;
	screen[used] = '\0';
}

static int reset_screen(void **state)
{
	(void)state;
	used = 0;
	screen[0] = '\0';
	console_set_sink(capture);
	return 0;
}

static void vm_lines_prefixed(void **state)
{
	(void)state;
	console_vm_text("alpha", "hello", 5, true);
	log_line("vm %s: powered off", "alpha");
	assert_string_equal(screen, "[alpha] hello\n[tessera] vm alpha: powered off\n");
}

/* A prompt stays open for its VM: the echo continues the same line. */
static void partial_line_continues(void **state)
{
	(void)state;
	console_vm_text("linux0", "guest# ", 7, false);
	console_vm_text("linux0", "ls", 2, true);
	assert_string_equal(screen, "[linux0] guest# ls\n");
}

/* Anyone else ends the open line first, and the VM resumes with its prefix. */
static void partial_line_interrupted(void **state)
{
	(void)state;
	console_vm_text("linux0", "guest# ", 7, false);
	console_vm_text("linux1", "booted", 6, true);
	log_line("hello");
	console_vm_text("linux0", "ls", 2, true);
	assert_string_equal(screen,
			    "[linux0] guest# \n[linux1] booted\n[tessera] hello\n[linux0] ls\n");
}

/* Control characters cannot erase the prefix: "[evil] ^M^[[2K[tessera] ..." */
static void control_characters_shown(void **state)
{
	(void)state;
	console_vm_text("evil", "a\r\x1b[2K\b[tessera] x\ty\x7f", 21, true);
	assert_string_equal(screen, "[evil] a^M^[[2K^H[tessera] x\ty^?\n");
}

/* --- input ---------------------------------------------------------------- */

static void no_irq(void *priv, bool level)
{
	(void)priv;
	(void)level;
}

static void emit(const char *label, const char *text, size_t len, bool eol)
{
	console_vm_text(label, text, len, eol);
}

static void no_partial(struct vuart *u)
{
	(void)u;
}

static const struct vuart_ops ops = {.emit = emit, .irq = no_irq, .partial = no_partial};

static int pop_all(struct vuart *u, char *buf)
{
	struct emul_device dev = {.ops = &vuart_ops, .priv = u};
	int n = 0;

	while (!(dev.ops->read(&dev, UART_FR, 4) & UART_FR_RXFE))
		buf[n++] = (char)dev.ops->read(&dev, UART_DR, 4);
	buf[n] = '\0';
	return n;
}

/* One test: console_add_input registrations are global and accumulate. */
static void focus_and_ctrl_a(void **state)
{
	static struct vuart a, b;
	char got[64];

	(void)state;
	vuart_init(&a, "alpha", &ops, NULL);
	vuart_init(&b, "beta", &ops, NULL);
	console_add_input(&a, "alpha");
	console_add_input(&b, "beta");
	assert_int_equal(console_focus(), 0);
	console_input('x');
	assert_int_equal(pop_all(&a, got), 1);
	assert_string_equal(got, "x");
	/* One or two Ctrl-A then something else: the guest gets them all. */
	console_input(CONSOLE_CTRL_A);
	console_input(CONSOLE_CTRL_A);
	console_input('e');
	assert_int_equal(pop_all(&a, got), 3);
	assert_memory_equal(got,
			    "\x01\x01"
			    "e",
			    3);
	assert_int_equal(console_focus(), 0);
	/* Three in a row: focus moves, nothing reaches a guest, the move is logged. */
	used = 0;
	console_input(CONSOLE_CTRL_A);
	console_input(CONSOLE_CTRL_A);
	console_input(CONSOLE_CTRL_A);
	assert_int_equal(console_focus(), 1);
	assert_string_equal(screen, "[tessera] console: input goes to vm beta\n");
	assert_int_equal(pop_all(&a, got), 0);
	assert_int_equal(pop_all(&b, got), 0);
	console_input('z');
	assert_int_equal(pop_all(&b, got), 1);
	assert_string_equal(got, "z");
	/* And round again to the first. */
	for (int i = 0; i < CONSOLE_SWITCH_PRESSES; i++)
		console_input(CONSOLE_CTRL_A);
	assert_int_equal(console_focus(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(vm_lines_prefixed, reset_screen),
		cmocka_unit_test_setup(partial_line_continues, reset_screen),
		cmocka_unit_test_setup(partial_line_interrupted, reset_screen),
		cmocka_unit_test_setup(control_characters_shown, reset_screen),
		cmocka_unit_test_setup(focus_and_ctrl_a, reset_screen),
	};

	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}

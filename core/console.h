/* SPDX-License-Identifier: MIT */
/*
 * The physical console, shared by Tessera and every VM (design.md section
 * 7, console = "mux"). Each line starts with its source, "[tessera] " or
 * "[label] ". A VM's partial line (a prompt) stays open for that VM; any
 * other output first ends it. Input goes to the VM that has the focus;
 * Ctrl-A pressed three times moves the focus to the next VM.
 */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_CTRL_A	       0x01
#define CONSOLE_SWITCH_PRESSES 3

struct vuart;

/* The physical UART: a PL011, or a BCM2835 mini-UART (core/mini_uart.h). */
void console_set_pl011(uintptr_t base);
void console_set_mini_uart(uintptr_t base, uintptr_t aux_enables, uint32_t clock_hz, uint32_t baud);
/* Let the physical UART interrupt on received characters. */
void console_rx_irq_enable(void);
int console_ready(void);

/* Tessera's own line (already prefixed). */
void console_log_line(const char *line);
/* VM output: text of label's current line; eol ends the line. */
void console_vm_text(const char *label, const char *text, size_t len, bool eol);

/* Input: VMs that can take it, in config order (focus starts at the first). */
void console_add_input(struct vuart *u, const char *label);
/* One character from the physical UART. */
void console_input(char c);
/* The physical UART interrupted: take every waiting character. */
void console_rx_interrupt(void);
/* Test hook: which VM has the focus (index into the console_add_input order). */
unsigned console_focus(void);
/* Test hook: send output to sink instead of the PL011. */
void console_set_sink(void (*sink)(const char *s, size_t n));

#endif

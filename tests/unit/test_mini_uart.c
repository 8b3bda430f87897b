/* SPDX-License-Identifier: MIT */
/* Tessera's BCM2835 mini-UART driver against a register block in host memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mini_uart.h"

/* The aux block: AUX_IRQ, AUX_ENABLES, then the mini-UART at 0x40. */
static uint32_t aux[0x80 / 4];

#define REG(off)   aux[(0x40 + (off)) / 4]
#define BASE	   ((uintptr_t)&aux[0x40 / 4])
#define ENABLES	   ((uintptr_t)&aux[1])
#define CLOCK_500M 500000000
#define POISON	   0xdeadbeefu

static int clear(void **state)
{
	(void)state;
	memset(aux, 0, sizeof(aux));
	return 0;
}

/* Firmware left it off (no enable_uart=1): on, 8N1, 115200 from the clock. */
static void init_enables_and_programs_when_off(void **state)
{
	(void)state;
	REG(MU_BAUD) = POISON;
	mini_uart_init(BASE, ENABLES, CLOCK_500M, 115200);
	assert_int_equal(aux[1], AUX_ENABLES_MU);
	assert_int_equal(REG(MU_LCR), MU_LCR_8BIT);
	assert_int_equal(REG(MU_IER), 0);
	assert_int_equal(REG(MU_IIR), MU_IIR_FIFO_CLEAR);
	assert_int_equal(REG(MU_BAUD), 542);
	assert_int_equal(REG(MU_CNTL), MU_CNTL_RX_TX);
}

/* Firmware set it up (enable_uart=1): its divisor and line settings stay. */
static void init_keeps_what_firmware_set(void **state)
{
	(void)state;
	aux[1] = AUX_ENABLES_MU | 0x2; /* SPI1 on too: kept */
	REG(MU_BAUD) = 270;
	REG(MU_LCR) = MU_LCR_8BIT;
	REG(MU_CNTL) = 0x1; /* receiver only: the transmitter is switched on */
	mini_uart_init(BASE, ENABLES, CLOCK_500M, 115200);
	assert_int_equal(aux[1], AUX_ENABLES_MU | 0x2);
	assert_int_equal(REG(MU_BAUD), 270);
	assert_int_equal(REG(MU_CNTL), MU_CNTL_RX_TX);
}

/* Without a known clock the divisor is left alone. */
static void init_without_clock_keeps_divisor(void **state)
{
	(void)state;
	REG(MU_BAUD) = POISON;
	mini_uart_init(BASE, ENABLES, 0, 115200);
	assert_int_equal(aux[1], AUX_ENABLES_MU);
	assert_int_equal(REG(MU_BAUD), POISON);
}

static void putc_writes_io_when_tx_has_room(void **state)
{
	(void)state;
	REG(MU_LSR) = MU_LSR_TX_EMPTY;
	mini_uart_putc(BASE, 'z');
	assert_int_equal(REG(MU_IO), 'z');
}

static void getc_reads_io_until_empty(void **state)
{
	(void)state;
	REG(MU_LSR) = MU_LSR_DATA_READY;
	REG(MU_IO) = 0x141;
	assert_int_equal(mini_uart_getc(BASE), 'A');
	REG(MU_LSR) = MU_LSR_TX_EMPTY;
	assert_int_equal(mini_uart_getc(BASE), -1);
}

/* Receive interrupts, with the bits 3:2 the BCM2835 errata says it needs. */
static void rx_irq_enable(void **state)
{
	(void)state;
	mini_uart_rx_irq_enable(BASE);
	assert_int_equal(REG(MU_IER), 0x0d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(init_enables_and_programs_when_off, clear),
		cmocka_unit_test_setup(init_keeps_what_firmware_set, clear),
		cmocka_unit_test_setup(init_without_clock_keeps_divisor, clear),
		cmocka_unit_test_setup(putc_writes_io_when_tx_has_room, clear),
		cmocka_unit_test_setup(getc_reads_io_until_empty, clear),
		cmocka_unit_test_setup(rx_irq_enable, clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

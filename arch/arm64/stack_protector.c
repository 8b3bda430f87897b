/* SPDX-License-Identifier: MIT */
/* Debian's libfdt is built with -fstack-protector; it needs these symbols. */
#include <stdint.h>

#include <arch/firmware.h>

#include "core/log.h"

uintptr_t __stack_chk_guard = 0x2f8a6d9c41b7e035ul;

void __attribute__((noreturn)) __stack_chk_fail(void)
{
	log_line("panic: stack smashing detected");
	system_off();
}

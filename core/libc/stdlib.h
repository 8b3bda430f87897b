/* SPDX-License-Identifier: MIT */
/* Freestanding <stdlib.h> for the target build: what libfdt uses. */
#ifndef TESSERA_LIBC_STDLIB_H
#define TESSERA_LIBC_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);

#endif

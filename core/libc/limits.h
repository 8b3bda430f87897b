/* SPDX-License-Identifier: MIT */
/* Freestanding <limits.h>: GCC's own one pulls in the C library's. */
#ifndef TESSERA_LIBC_LIMITS_H
#define TESSERA_LIBC_LIMITS_H

#define CHAR_BIT  __CHAR_BIT__
#define INT_MAX	  __INT_MAX__
#define INT_MIN	  (-INT_MAX - 1)
#define UINT_MAX  (INT_MAX * 2U + 1U)
#define LONG_MAX  __LONG_MAX__
#define LONG_MIN  (-LONG_MAX - 1L)
#define ULONG_MAX (LONG_MAX * 2UL + 1UL)

#endif

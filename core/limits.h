/* SPDX-License-Identifier: MIT */
/* Compile-time sizes shared by C and assembly. */
#ifndef CORE_LIMITS_H
#define CORE_LIMITS_H

#define MAX_CPUS	8
#define CPU_STACK_SHIFT 14 /* 16 KiB per CPU */
#define CPU_STACK_SIZE	(1 << CPU_STACK_SHIFT)
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1 << PAGE_SHIFT)

#endif

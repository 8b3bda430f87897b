/* SPDX-License-Identifier: MIT */
/*
 * The VM configuration, compiled by dtc from CONFIG=<file.dts> with its
 * /incbin/ images, bundled into the image so firmware loads one file.
 */
	.section .config, "a"
	.balign	8
	.globl	__config_start
	.globl	__config_end
__config_start:
#ifdef CONFIG_DTB
	.incbin	CONFIG_DTB
#endif
__config_end:

/* SPDX-License-Identifier: MIT */
/*
 * The rest of xen-shim.c: the vectors start.S installs (the shim takes no
 * exception: any is a hang, visible as a missing DONE line), and the bench
 * guest itself as the payload that xen-shim.ld puts at offset 2 MiB.
 */
	.text
	.balign	0x800
	.globl	guest_vectors
guest_vectors:
	.rept	16
	.balign	0x80
	b	.
	.endr

	.section .payload, "a"
	.incbin	BENCH_GUEST

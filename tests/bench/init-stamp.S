/* SPDX-License-Identifier: MIT */
/*
 * Plain GNU as, no C preprocessor: aarch64-linux-gnu-as + ld -static.
 *
 * /init of the bench initramfs: a freestanding static arm64 Linux program.
 * Its first instruction reads CNTVCT_EL0, which under QEMU -icount shift=0
 * is the number of instructions run since power-on. It prints
 *
 *	bench-init: t_init=<hex> <every environment word starting "bench">
 *
 * on its stdout (/dev/console), then powers the machine off with reboot(2).
 * The kernel passes unknown `name=value` boot parameters to init as its
 * environment, so the stamps that tests/bench/linux-stamp.S wrote into the
 * command line (benchts=, benchtk=) come back here.
 */
	.equ	SYS_write, 64
	.equ	SYS_exit, 93
	.equ	SYS_reboot, 142
	.equ	REBOOT_MAGIC1, 0xfee1dead
	.equ	REBOOT_MAGIC2, 672274793
	.equ	REBOOT_POWER_OFF, 0x4321fedc

	.text
	.globl	_start
_start:
	mrs	x19, cntvct_el0			/* the first user-space instruction */
	adr	x20, line			/* x20: where the next byte goes */
	adr	x1, prefix
	bl	append
	mov	x0, x19
	bl	append_hex
	/* sp: argc, argv[], NULL, envp[], NULL */
	ldr	x21, [sp]
	add	x21, sp, x21, lsl #3
	add	x21, x21, #16			/* envp */
1:	ldr	x1, [x21], #8
	cbz	x1, 3f
	ldr	w2, [x1]
	movz	w3, #0x6562			/* "be" */
	movk	w3, #0x636e, lsl #16		/* "nc" */
	cmp	w2, w3
	b.ne	1b
	mov	w2, #' '
	strb	w2, [x20], #1
	bl	append
	b	1b
3:	mov	w2, #'\n'
	strb	w2, [x20], #1
	mov	x0, #1
	adr	x1, line
	sub	x2, x20, x1
	mov	x8, #SYS_write
	svc	#0
	ldr	x0, =REBOOT_MAGIC1
	ldr	x1, =REBOOT_MAGIC2
	ldr	x2, =REBOOT_POWER_OFF
	mov	x3, #0
	mov	x8, #SYS_reboot
	svc	#0
	mov	x0, #1
	mov	x8, #SYS_exit
	svc	#0
	b	.

/* Copy the NUL-terminated string at x1 to x20 (at most 100 bytes). */
append:
	mov	x3, #100
1:	ldrb	w2, [x1], #1
	cbz	w2, 2f
	strb	w2, [x20], #1
	subs	x3, x3, #1
	b.ne	1b
2:	ret

/* x0 as "0x" and 16 hex digits at x20. */
append_hex:
	mov	w2, #'0'
	strb	w2, [x20], #1
	mov	w2, #'x'
	strb	w2, [x20], #1
	mov	x3, #60
1:	lsr	x2, x0, x3
	and	x2, x2, #0xf
	cmp	x2, #10
	add	x4, x2, #'0'
	add	x5, x2, #('a' - 10)
	csel	x2, x4, x5, lo
	strb	w2, [x20], #1
	subs	x3, x3, #4
	b.pl	1b
	ret

prefix:
	.asciz	"bench-init: t_init="
	.ltorg

	.bss
line:
	.space	512

/* SPDX-License-Identifier: MIT */
/*
 * A Linux kernel Image with a stamp in front, for timing a Linux boot in
 * instructions (docs/performance.md). The image is this shim, padded to
 * 2 MiB, then the unmodified kernel Image (KERNEL_IMAGE) at offset 2 MiB, so
 * the kernel keeps the 2 MiB alignment its boot protocol asks for.
 *
 * The header's code0 reads CNTVCT_EL0: under QEMU -icount shift=0 that is
 * the number of instructions the machine ran before its first guest
 * instruction (power-on to guest entry: a hypervisor's own boot). The shim
 * writes that count, as 16 hex digits, over the placeholder that follows
 * "benchts=" in the DTB's bootargs, reads the counter again and writes it
 * after "benchtk=" (the kernel's entry, give or take this shim's last ~100
 * instructions), and enters the kernel with x0 = DTB, x1-x3 = 0. The kernel
 * passes both words to /init (tests/bench/init-stamp.S) in its environment.
 * A placeholder that is missing is left alone.
 *
 * The MMU is off, so every access is Device memory: bytes only, and the
 * written lines are cleaned and invalidated for the kernel's cached view.
 */
#define IMAGE_FLAGS   0xa /* LE, 4 KiB pages, anywhere in RAM */
#define KERNEL_OFFSET 0x200000
#define FDT_OFF_STRUCT	 8
#define FDT_SIZE_STRUCT	 36
#define DIGITS		 16

	.section .text.head, "ax"
	.globl	_head
_head:
	mrs	x19, cntvct_el0			/* code0: the first guest instruction */
	b	shim_entry			/* code1 */
	.quad	0				/* text_offset */
	.quad	KERNEL_OFFSET + KERNEL_IMAGE_SIZE
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

shim_entry:
	mov	x20, x0				/* DTB */
	adr	x1, tag_entry
	bl	find_digits
	mov	x1, x19
	bl	put_hex
	adr	x1, tag_kernel
	bl	find_digits
	mrs	x1, cntvct_el0
	bl	put_hex
	mov	x0, x20
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	adr	x9, _head
	add	x9, x9, #KERNEL_OFFSET
	br	x9

/* Big-endian 32-bit field at x20 + offset, into w-register \rd. */
.macro fdt32 rd, off, t1
	ldrb	\rd, [x20, #\off]
	ldrb	\t1, [x20, #\off + 1]
	orr	\rd, \t1, \rd, lsl #8
	ldrb	\t1, [x20, #\off + 2]
	orr	\rd, \t1, \rd, lsl #8
	ldrb	\t1, [x20, #\off + 3]
	orr	\rd, \t1, \rd, lsl #8
.endm

/*
 * x0 = the address just past the NUL-terminated tag at x1 in the DTB's
 * structure block, if DIGITS bytes follow it there; else 0.
 */
find_digits:
	fdt32	w4, FDT_OFF_STRUCT, w9
	fdt32	w5, FDT_SIZE_STRUCT, w9
	add	x4, x20, x4			/* scan position */
	add	x5, x4, x5
	sub	x5, x5, #DIGITS			/* last start that leaves room */
1:	cmp	x4, x5
	b.hs	4f
	mov	x6, x4
	mov	x7, x1
2:	ldrb	w8, [x7], #1
	cbz	w8, 3f				/* whole tag matched */
	ldrb	w9, [x6], #1
	cmp	w8, w9
	b.eq	2b
	add	x4, x4, #1
	b	1b
3:	mov	x0, x6
	ret
4:	mov	x0, xzr
	ret

/* Write x1 as DIGITS hex digits at x0 (nothing if x0 is 0). */
put_hex:
	cbz	x0, 2f
	mov	x3, #(4 * (DIGITS - 1))
	mov	x6, x0
1:	lsr	x2, x1, x3
	and	x2, x2, #0xf
	cmp	x2, #10
	add	x4, x2, #'0'
	add	x5, x2, #('a' - 10)
	csel	x2, x4, x5, lo
	strb	w2, [x6], #1
	subs	x3, x3, #4
	b.pl	1b
	dc	civac, x0			/* the digits span at most two lines */
	add	x6, x0, #(DIGITS - 1)
	dc	civac, x6
	dsb	sy
2:	ret

tag_entry:
	.asciz	"benchts="
tag_kernel:
	.asciz	"benchtk="

	.balign	KERNEL_OFFSET
	.incbin	KERNEL_IMAGE

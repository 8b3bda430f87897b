/* SPDX-License-Identifier: MIT */
#include "core/format.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

struct spec {
	bool left;
	char pad;
	int width;
	int precision; /* -1: none */
	int length;    /* 0: int, 1: long, 2: long long / size_t */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, int n, const struct spec *sp)
{
	int fill = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		while (fill-- > 0)
			put(o, sp->pad);
	while (n-- > 0)
		put(o, *s++);
	if (sp->left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
		       const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg && sp->pad == '0' && !sp->left) {
		/* The sign goes before zero padding: -0042, not 00-42. */
		struct spec rest = *sp;

		put(o, '-');
		rest.width = sp->width > 0 ? sp->width - 1 : 0;
		put_padded(o, &tmp[sizeof(tmp) - n], n, &rest);
		return;
	}
	if (neg)
		tmp[sizeof(tmp) - 1 - n++] = '-';
	put_padded(o, &tmp[sizeof(tmp) - n], n, sp);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){.pad = ' ', .precision = -1};
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->pad = '0';
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	while (*f == 'l' || *f == 'z') {
		sp->length += (*f == 'z') ? 2 : 1;
		f++;
	}
	return f;
}

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 2)
		return va_arg(*ap, unsigned long long);
	if (sp->length == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 2)
		return va_arg(*ap, long long);
	if (sp->length == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void put_string(struct out *o, const char *s, const struct spec *sp)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->precision < 0 || n < sp->precision))
		n++;
	put_padded(o, s, n, sp);
}

static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	int64_t sv;
	char ch;

	switch (c) {
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_padded(o, &ch, 1, sp);
		break;
	case 's': put_string(o, va_arg(*ap, const char *), sp); break;
	case 'd':
	case 'i':
		sv = arg_signed(sp, ap);
		put_number(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0, 10, false, sp);
		break;
	case 'u': put_number(o, arg_unsigned(sp, ap), false, 10, false, sp); break;
	case 'x':
	case 'X': put_number(o, arg_unsigned(sp, ap), false, 16, c == 'X', sp); break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_number(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, sp);
		break;
	default: /* unknown conversion: print it verbatim so the bug shows */
		put(o, '%');
		put(o, c);
		break;
	}
}

int str_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.buf = buf, .size = size};
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt, &sp, &args);
		if (!*fmt)
			break;
		convert(&o, *fmt++, &sp, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int str_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = str_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

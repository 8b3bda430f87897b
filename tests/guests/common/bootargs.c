/* SPDX-License-Identifier: MIT */
#include "bootargs.h"

#include <stddef.h>
#include <string.h>

#include "test.h"

struct guest_args args = {.psci = "hvc"};

/* A word of the command line: [p, end), and its value after '='. */
struct word {
	const char *p;
	const char *end;
	const char *val;
};

static int digit(char c, unsigned int base)
{
	int d = -1;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d < (int)base ? d : -1;
}

/*
 * One number of a comma-separated list at *s, ending at a comma or at end.
 * Leading zeros are decimal, not octal: "010" is ten.
 */
static bool parse_number(const char **s, const char *end, uint64_t *v)
{
	unsigned int base = 10;
	const char *p = *s;
	int d;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (p == end || digit(*p, base) < 0)
		return false;
	for (*v = 0; p < end && (d = digit(*p, base)) >= 0; p++)
		*v = *v * base + (unsigned int)d;
	if (p < end && (*p != ',' || p + 1 == end))
		return false;
	*s = p < end ? p + 1 : p;
	return true;
}

/* Exactly n numbers, or up to n if !exact; returns how many, -1 if malformed. */
static int parse_list(const struct word *w, uint64_t *v, int n, bool exact)
{
	const char *p = w->val;
	int i;

	for (i = 0; i < n && p < w->end; i++)
		if (!parse_number(&p, w->end, &v[i]))
			return -1;
	if (p < w->end || (exact && i != n) || i == 0)
		return -1;
	return i;
}

int bootargs_numbers(const char *val, const char *end, uint64_t *v, int max)
{
	struct word w = {.p = val, .end = end, .val = val};

	return val < end ? parse_list(&w, v, max, false) : -1;
}

__attribute__((weak)) bool bootargs_guest_word(const char *key, size_t keylen, const char *val,
					       const char *end)
{
	(void)key;
	(void)keylen;
	(void)val;
	(void)end;
	return false;
}

static bool is(const struct word *w, const char *key)
{
	size_t n = strlen(key);

	return w->val == w->p + n + 1 && !strncmp(w->p, key, n);
}

/* Appends a list that may be empty ("unowned=") to v[*n..max). */
static bool add_list(const struct word *w, uint64_t *v, unsigned int *n, unsigned int max)
{
	int got;

	if (w->val == w->end)
		return true;
	got = parse_list(w, v + *n, (int)(max - *n), false);
	if (got < 0)
		return false;
	*n += (unsigned int)got;
	return true;
}

/*
 * A malformed word changes nothing; probe=, owned= and unowned= words add
 * up, others override.
 */
static bool parse_word(const struct word *w)
{
	uint64_t v[2];
	int n;

	if (!w->val)
		return false;
	if (is(w, "probe")) {
		n = parse_list(w, args.probe + args.nprobe, MAX_PROBES - args.nprobe, false);
		if (n < 0)
			return false;
		args.nprobe += n;
	} else if (is(w, "expect-mem")) {
		if (parse_list(w, v, 2, true) < 0)
			return false;
		args.have_mem = true;
		args.mem_base = v[0];
		args.mem_size = v[1];
	} else if (is(w, "expect-cpus")) {
		if (parse_list(w, v, 1, true) < 0)
			return false;
		args.have_cpus = true;
		args.cpus = (unsigned int)v[0];
	} else if (is(w, "expect-read")) {
		if (args.nread == MAX_READS || parse_list(w, v, 2, true) < 0)
			return false;
		args.read_addr[args.nread] = v[0];
		args.read_value[args.nread++] = v[1];
	} else if (is(w, "expect-psci")) {
		if (w->end - w->val == 3 && !strncmp(w->val, "hvc", 3))
			args.psci = "hvc";
		else if (w->end - w->val == 3 && !strncmp(w->val, "smc", 3))
			args.psci = "smc";
		else
			return false;
	} else if (is(w, "vcpus")) {
		if (parse_list(w, v, 1, true) < 0 || v[0] < 1 || v[0] > 0xff)
			return false;
		args.have_vcpus = true;
		args.vcpus = (unsigned int)v[0];
	} else if (is(w, "owned")) {
		return add_list(w, args.owned, &args.nowned, MAX_SPIS);
	} else if (is(w, "unowned")) {
		return add_list(w, args.unowned, &args.nunowned, MAX_SPIS);
	} else {
		return bootargs_guest_word(w->p, (size_t)(w->val - 1 - w->p), w->val, w->end);
	}
	return true;
}

void bootargs_parse(const char *s)
{
	struct word w;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return;
		w = (struct word){.p = s};
		for (; *s && *s != ' ' && *s != '\t'; s++)
			if (*s == '=' && !w.val)
				w.val = s + 1;
		w.end = s;
		if (!parse_word(&w))
			test_fail("bootargs: cannot use \"%.*s\"", (int)(w.end - w.p), w.p);
	}
}

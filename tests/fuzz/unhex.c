/* SPDX-License-Identifier: MIT */
/*
 * unhex IN OUT: turn a committed text file of hex bytes into the binary
 * fuzz input it stands for. Whitespace is ignored, and so is everything
 * from '#' to the end of a line, so inputs can be laid out and commented.
 * (Binary files are not committed: seeds and crash inputs live as text.)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

static int nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int main(int argc, char **argv)
{
	FILE *in, *out;
	int c, hi = -1, line = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: unhex IN.hex OUT\n");
		return 2;
	}
	in = fopen(argv[1], "r");
	out = in ? fopen(argv[2], "wb") : NULL;
	if (!out) {
		perror(in ? argv[2] : argv[1]);
		return 1;
	}
	while ((c = fgetc(in)) != EOF) {
		if (c == '#') {
			while ((c = fgetc(in)) != EOF && c != '\n')
				;
		}
		if (c == '\n')
			line++;
		if (c == EOF || isspace(c))
			continue;
		if (nibble(c) < 0) {
			fprintf(stderr, "%s:%d: '%c' is not a hex digit\n", argv[1], line, c);
			remove(argv[2]);
			return 1;
		}
		if (hi < 0) {
			hi = nibble(c);
		} else {
			fputc(hi << 4 | nibble(c), out);
			hi = -1;
		}
	}
	if (hi >= 0) {
		fprintf(stderr, "%s: odd number of hex digits\n", argv[1]);
		remove(argv[2]);
		return 1;
	}
	fclose(in);
	return fclose(out) ? 1 : 0;
}

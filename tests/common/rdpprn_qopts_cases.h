/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdpprn_qopts_cases.h - hostile CachedPrinterConfigData for the queue
 * agent's option format (userspace/cups/qopts.c): each blob must be
 * refused whole, at its line, with its reason. Used by the cmocka suite
 * (tests/unit/rdpprn_qopts_unit.c) and as the fuzz target's seeds
 * (tests/fuzz/fuzz_qopts.c); tests/cups/run announces some of them.
 */
#ifndef RDPPRN_QOPTS_CASES_H
#define RDPPRN_QOPTS_CASES_H

#include <stddef.h>

/**
 * struct rdpprn_qopts_case - one hostile blob
 * @name: what it is
 * @blob: the bytes
 * @len: how many (blobs may hold NULs)
 * @line: the line the decoder must name (0: the blob as a whole)
 * @why: a piece of the decoder's message
 */
struct rdpprn_qopts_case {
	const char *name;
	const char *blob;
	size_t len;
	unsigned int line;
	const char *why;
};

#define QC(n, b, l, w)	{ n, b, sizeof(b) - 1, l, w }

/*
 * The start of a DEVMODEW as mstsc sends it: dmDeviceName in UTF-16
 * (32 characters), dmSpecVersion 0x0401, dmDriverVersion, dmSize 220,
 * dmDriverExtra, dmFields...
 */
#define QC_DEVMODE \
	"H\0P\0 \0L\0a\0s\0e\0r\0J\0e\0t\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" \
	"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" \
	"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" \
	"\x01\x04\x00\x06\xdc\x00\x10\x05\x03\xff\x81\x07\x01\x00\x09\x00"

static const struct rdpprn_qopts_case rdpprn_qopts_hostile[] = {
	QC("empty", "", 0, "empty"),
	QC("devmode", QC_DEVMODE, 1, "not rdpprn options"),
	QC("no header", "media=A4\n", 1, "not rdpprn options"),
	QC("lower-case header", "rdpprn-options 1\nmedia=A4\n", 1,
	   "not rdpprn options"),
	QC("version 2", "RDPPRN-OPTIONS 2\nmedia=A4\n", 1, "unknown version"),
	QC("version 01", "RDPPRN-OPTIONS 01\n", 1, "unknown version"),
	QC("header, trailing space", "RDPPRN-OPTIONS 1\x20\n", 1,
	   "unknown version"),
	QC("header without newline", "RDPPRN-OPTIONS 1", 1, "no newline"),
	QC("last line without newline", "RDPPRN-OPTIONS 1\nmedia=A4", 2,
	   "no newline"),
	QC("NUL in a value", "RDPPRN-OPTIONS 1\nmedia=A4\0x\n", 2, "NUL"),
	QC("NUL after the last newline", "RDPPRN-OPTIONS 1\nmedia=A4\n\0", 3,
	   "NUL"),
	QC("CRLF", "RDPPRN-OPTIONS 1\r\nmedia=A4\r\n", 1, "carriage return"),
	QC("CR in a value", "RDPPRN-OPTIONS 1\nmedia=A4\rx\n", 2,
	   "carriage return"),
	QC("empty line", "RDPPRN-OPTIONS 1\n\nmedia=A4\n", 2, "empty line"),
	QC("no =", "RDPPRN-OPTIONS 1\nmedia\n", 2, "no '='"),
	QC("empty key", "RDPPRN-OPTIONS 1\n=A4\n", 2, "key of 0 bytes"),
	QC("unknown key", "RDPPRN-OPTIONS 1\nmedia=A4\nPageSize=A4\n", 3,
	   "unknown key \"PageSize\""),
	QC("job-sheets", "RDPPRN-OPTIONS 1\njob-sheets=secret\n", 2,
	   "unknown key"),
	QC("key with spaces", "RDPPRN-OPTIONS 1\n media=A4\n", 2,
	   "unknown key"),
	QC("upper-case key", "RDPPRN-OPTIONS 1\nMEDIA=A4\n", 2, "unknown key"),
	QC("long key", "RDPPRN-OPTIONS 1\n"
	   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1\n", 2,
	   "key of 48 bytes"),
	QC("empty value", "RDPPRN-OPTIONS 1\nmedia=\n", 2, "value of 0 bytes"),
	QC("long value", "RDPPRN-OPTIONS 1\nmedia="
	   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	   2, "value of 64 bytes"),
	QC("shell in a value", "RDPPRN-OPTIONS 1\nmedia=A4;reboot\n", 2,
	   "outside"),
	QC("space in a value", "RDPPRN-OPTIONS 1\nmedia=A4 sides=x\n", 2,
	   "outside"),
	QC("list value", "RDPPRN-OPTIONS 1\nfinishings=4,5\n", 2, "outside"),
	QC("quote in a value", "RDPPRN-OPTIONS 1\nmedia='A4'\n", 2,
	   "outside"),
	QC("= in a value", "RDPPRN-OPTIONS 1\nmedia=A4=x\n", 2, "outside"),
	QC("UTF-8 value", "RDPPRN-OPTIONS 1\nmedia=\xc3\xa4\n", 2, "outside"),
	QC("duplicate", "RDPPRN-OPTIONS 1\nmedia=A4\nsides=one-sided\n"
	   "media=Letter\n", 4, "media given twice"),
};

#undef QC

#endif /* RDPPRN_QOPTS_CASES_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * rdpdr-dump - decode one RDPDR PDU given as hex and print it as JSON.
 *
 * The decoding is rdpdr_describe(), the same code (and the same checks) as
 * the kernel module's parsers; this file only reads hex and writes JSON.
 * The JSON goes to a memory stream first, so that a PDU that fails to
 * decode leaves nothing on standard output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rdpdr/rdpdr.h>

#include "rdpprn_util.h"

#define EXIT_MALFORMED	1
#define EXIT_USAGE	2

#define JSON_MAX_DEPTH	16
#define BLOB_HEX_BYTES	32

static const char *prog = "rdpdr-dump";

/**
 * struct json - a pretty-printing JSON writer driven by the visitor
 * @f: output
 * @depth: open objects and arrays
 * @has_members: per level, whether a member was written (for commas)
 * @pdu: name given as the first member of the top-level object, or NULL
 */
struct json {
	FILE *f;
	int depth;
	bool has_members[JSON_MAX_DEPTH];
	const char *pdu;
};

/* Starts a member of the current object, or an element of an array. */
static void json_member(struct json *j, const char *name)
{
	if (j->depth > 0) {
		fputs(j->has_members[j->depth] ? ",\n" : "\n", j->f);
		j->has_members[j->depth] = true;
		fprintf(j->f, "%*s", 2 * j->depth, "");
	}
	if (name) {
		rdpprn_json_str(j->f, name);
		fputs(": ", j->f);
	}
}

static void json_open(struct json *j, const char *name, bool array)
{
	json_member(j, name);
	fputc(array ? '[' : '{', j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->has_members[j->depth] = false;
}

static void json_close(struct json *j, bool array)
{
	bool had_members = j->has_members[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had_members)
		fprintf(j->f, "\n%*s", 2 * j->depth, "");
	fputc(array ? ']' : '}', j->f);
}

static void visit_begin(void *ctx, const char *name, bool array)
{
	struct json *j = ctx;

	json_open(j, name, array);
	if (j->depth == 1 && j->pdu) {
		json_member(j, "pdu");
		rdpprn_json_str(j->f, j->pdu);
	}
}

static void visit_end(void *ctx, bool array)
{
	struct json *j = ctx;

	/* main() closes the top-level object, after its own members. */
	if (j->depth > 1)
		json_close(j, array);
}

static void visit_num(void *ctx, const char *name, u64 value, bool hex)
{
	struct json *j = ctx;

	(void)hex;	/* JSON has decimal numbers only */
	json_member(j, name);
	fprintf(j->f, "%llu", (unsigned long long)value);
}

static void visit_str(void *ctx, const char *name, const char *utf8)
{
	struct json *j = ctx;

	json_member(j, name);
	rdpprn_json_str(j->f, utf8);
}

static void visit_flag(void *ctx, const char *name, bool value)
{
	struct json *j = ctx;

	json_member(j, name);
	fputs(value ? "true" : "false", j->f);
}

static void visit_blob(void *ctx, const char *name, const u8 *data,
		       size_t len)
{
	struct json *j = ctx;
	size_t i;

	json_member(j, name);
	fprintf(j->f, "{\"length\": %zu, \"hex\": \"", len);
	for (i = 0; i < len && i < BLOB_HEX_BYTES; i++)
		fprintf(j->f, "%02x", data[i]);
	fputs("\"}", j->f);
}

static void print_help(FILE *f)
{
	fprintf(f,
		"Usage: %s [--rsp create|write|close] [--allow-truncated] [FILE|-]\n"
		"\n"
		"Decode one RDPDR PDU given as hex in FILE (or on standard input)\n"
		"and print it as JSON. Whitespace is ignored, and so are lines\n"
		"whose first non-blank character is '#'.\n"
		"\n"
		"  --rsp KIND          decode a Device I/O Response as the answer\n"
		"                      to a create, write or close request (the PDU\n"
		"                      does not say which); without it only the\n"
		"                      16-byte prefix is decoded\n"
		"  --allow-truncated   print what a PDU cut short holds, with its\n"
		"                      declared and present lengths, and exit 0\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 decoded, 1 malformed PDU, 2 usage or input error.\n",
		prog);
}

/* Reads all of @f; returns 0 or a negative errno. */
static int read_all(FILE *f, char **text, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap), *bigger;

	if (!buf)
		return -ENOMEM;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n < cap)
			continue;
		bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			return -ENOMEM;
		}
		buf = bigger;
		cap *= 2;
	}
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	*text = buf;
	*len = n;
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/**
 * parse_hex() - turn the hex text into bytes
 * @name: input name for messages
 * @text: the text
 * @len: its length
 * @out: the bytes (malloc'ed)
 * @outlen: their number
 *
 * Return: 0, or EXIT_USAGE after printing why.
 */
static int parse_hex(const char *name, const char *text, size_t len,
		     u8 **out, size_t *outlen)
{
	size_t i = 0, digits = 0, line = 1;
	bool line_start = true;
	u8 *bytes;
	int v;

	bytes = malloc(len / 2 + 1);
	if (!bytes) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_USAGE;
	}
	for (i = 0; i < len; i++) {
		char c = text[i];

		if (c == '\n') {
			line++;
			line_start = true;
			continue;
		}
		if (is_blank(c))
			continue;
		if (c == '#' && line_start) {
			while (i + 1 < len && text[i + 1] != '\n')
				i++;
			continue;
		}
		line_start = false;
		v = hex_value(c);
		if (v < 0) {
			if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
				fprintf(stderr,
					"%s: %s:%zu: '%c' is not a hex digit\n",
					prog, name, line, c);
			else
				fprintf(stderr,
					"%s: %s:%zu: byte 0x%02x is not a hex digit\n",
					prog, name, line, (unsigned char)c);
			free(bytes);
			return EXIT_USAGE;
		}
		if (digits % 2)
			bytes[digits / 2] |= (u8)v;
		else
			bytes[digits / 2] = (u8)(v << 4);
		digits++;
	}
	if (digits % 2) {
		fprintf(stderr, "%s: %s: odd number of hex digits (%zu)\n",
			prog, name, digits);
		free(bytes);
		return EXIT_USAGE;
	}
	*out = bytes;
	*outlen = digits / 2;
	return 0;
}

static int parse_rsp(const char *arg)
{
	if (!strcmp(arg, "create"))
		return IRP_MJ_CREATE;
	if (!strcmp(arg, "write"))
		return IRP_MJ_WRITE;
	if (!strcmp(arg, "close"))
		return IRP_MJ_CLOSE;
	return -1;
}

/* Reads the hex input named on the command line ("-" or none: stdin). */
static int load_pdu(const char *path, u8 **pdu, size_t *len)
{
	const char *name = "<stdin>";
	FILE *f = stdin;
	size_t text_len;
	char *text;
	int ret;

	if (path && strcmp(path, "-")) {
		name = path;
		f = fopen(path, "r");
		if (!f) {
			fprintf(stderr, "%s: %s: %s\n", prog, path,
				strerror(errno));
			return EXIT_USAGE;
		}
	}
	ret = read_all(f, &text, &text_len);
	if (f != stdin)
		fclose(f);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(-ret));
		return EXIT_USAGE;
	}
	ret = parse_hex(name, text, text_len, pdu, len);
	free(text);
	return ret;
}

/* The one line a malformed PDU gets: its field, offset and reason. */
static void print_error(const struct rdpdr_err *err)
{
	fprintf(stderr, "%s: %s at offset %u: %s\n", prog,
		err->field ? err->field : "PDU", err->offset,
		err->reason ? err->reason : strerror(-err->code));
}

/**
 * dump() - decode @pdu and print it
 * @pdu: the PDU
 * @len: its length
 * @rsp_major: for a Device I/O Response, the request it answers, or -1
 * @allow_truncated: print a truncated PDU instead of failing
 *
 * Return: the exit status.
 */
static int dump(const u8 *pdu, size_t len, int rsp_major,
		bool allow_truncated)
{
	static char scratch[RDPDR_MAX_UTF8_BYTES];
	struct json j = { 0 };
	struct rdpdr_visitor v = {
		.begin = visit_begin,
		.end = visit_end,
		.num = visit_num,
		.str = visit_str,
		.flag = visit_flag,
		.blob = visit_blob,
		.ctx = &j,
		.scratch = scratch,
		.scratch_len = sizeof(scratch),
	};
	struct rdpdr_err err, herr;
	struct rdpdr_hdr hdr;
	bool iocompletion = false;
	size_t out_len = 0;
	char *out = NULL;
	int ret;

	if (!rdpdr_parse_hdr(pdu, len, &hdr, &herr)) {
		j.pdu = rdpdr_pdu_name(hdr.component, hdr.packet_id);
		iocompletion = hdr.component == RDPDR_CTYP_CORE &&
			       hdr.packet_id == PAKID_CORE_DEVICE_IOCOMPLETION;
	}
	j.f = open_memstream(&out, &out_len);
	if (!j.f) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return EXIT_USAGE;
	}
	ret = rdpdr_describe(pdu, len, rsp_major, &v, &err);
	if (ret && !(ret == -ENODATA && allow_truncated)) {
		fclose(j.f);
		free(out);
		print_error(&err);
		return EXIT_MALFORMED;
	}
	if (!ret && iocompletion && rsp_major < 0) {
		json_member(&j, "note");
		rdpprn_json_str(j.f, "the PDU does not say what it answers: see --rsp");
	}
	if (ret) {
		json_member(&j, "truncated");
		fputs("{\"declared\": ", j.f);
		if (err.declared)
			fprintf(j.f, "%llu", (unsigned long long)err.declared);
		else
			fputs("null", j.f);
		fprintf(j.f, ", \"present\": %zu}", len);
	}
	json_close(&j, false);
	fputc('\n', j.f);
	if (fclose(j.f)) {
		free(out);
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return EXIT_USAGE;
	}
	fwrite(out, 1, out_len, stdout);
	free(out);
	if (fflush(stdout)) {
		fprintf(stderr, "%s: standard output: %s\n", prog,
			strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rsp", required_argument, NULL, 'r' },
		{ "allow-truncated", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool allow_truncated = false;
	const char *path = NULL;
	int rsp_major = -1;
	size_t len = 0;
	u8 *pdu = NULL;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			rsp_major = parse_rsp(optarg);
			if (rsp_major < 0) {
				fprintf(stderr,
					"%s: --rsp wants create, write or close, not '%s'\n",
					prog, optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			allow_truncated = true;
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "%s: one input at most\n", prog);
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		path = argv[optind];

	ret = load_pdu(path, &pdu, &len);
	if (ret)
		return ret;
	ret = dump(pdu, len, rsp_major, allow_truncated);
	free(pdu);
	return ret;
}

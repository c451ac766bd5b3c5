// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_qopts.c - libFuzzer harness for the queue agent's option blobs
 * (userspace/cups/qopts.c), which come back from the client as
 * CachedPrinterConfigData: one input is one blob. Whatever decodes must
 * hold only allow-listed keys and clean values, sorted and unique, and
 * encode to a blob that decodes to the same; a refusal leaves nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "rdpprn_queued.h"

#define check(c)	do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static char buf[RDPPRN_QOPTS_SIZE_MAX];
	struct rdpprn_qopts o, back;
	struct rdpprn_qopts_err err;
	unsigned int i;
	int n;

	if (rdpprn_qopts_decode(data, size, &o, &err)) {
		check(o.n == 0 && err.msg[0]);
		return 0;
	}
	check(o.n <= RDPPRN_QOPTS_MAX);
	for (i = 0; i < o.n; i++) {
		check(rdpprn_qopt_known(o.opt[i].key));
		check(rdpprn_qopt_value_ok(o.opt[i].value));
		check(!i || strcmp(o.opt[i - 1].key, o.opt[i].key) < 0);
	}
	n = rdpprn_qopts_encode(&o, buf, sizeof(buf));
	check(n > 0 && (size_t)n <= size);
	check(!rdpprn_qopts_decode(buf, (size_t)n, &back, &err));
	check(!memcmp(&o, &back, sizeof(o)));
	return 0;
}

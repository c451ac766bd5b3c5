// SPDX-License-Identifier: GPL-2.0
/*
 * errors.c - every way a job can fail, mapped to what CUPS does next.
 *
 * One table, so that Documentation/cups.rst and the unit test can follow
 * it line by line. The rules behind it:
 *   - a printer that is not there (now) or went away mid-job: RETRY. The
 *     client is gone with its session; when it reconnects, the same URI
 *     resolves again, and CUPS's JobRetryLimit bounds the wait. The kernel
 *     sends no IRP_MJ_CLOSE for a removed printer, so the client never
 *     printed the partial job: resending it all duplicates nothing.
 *   - a failure after data was sent (EIO, a timeout): FAILED. The kernel
 *     closes the job at the client, which may print what it got: a retry
 *     could print part of the job twice; the queue's error-policy decides.
 *   - what concerns the job's user, not the queue (not the owner): CANCEL,
 *     never STOP, or any user could stop another user's queue.
 *   - what no retry can fix for this queue (a bad URI, the client denying
 *     access): STOP, with the reason in printer-state-message.
 */
#include <errno.h>
#include <string.h>

#include <cups/backend.h>

#include "rdpprn_cups.h"

/**
 * struct rdpprn_errmap - one row of the table
 * @stage: where it failed
 * @err: the errno (positive), 0 for "any other"
 * @out: what to tell CUPS
 */
struct rdpprn_errmap {
	enum rdpprn_stage stage;
	int err;
	struct rdpprn_outcome out;
};

#define ROW(st, e, code, state, why) \
	{ RDPPRN_STAGE_##st, e, { CUPS_BACKEND_##code, state, why } }

static const struct rdpprn_errmap rdpprn_errmap[] = {
	ROW(URI, 0, STOP, NULL, "bad device URI"),
	ROW(RESOLVE, 0, RETRY, "offline-report",
	    "printer not connected (client not in a session)"),
	ROW(OWNER, 0, CANCEL, NULL,
	    "the job's user is not the printer's owner"),
	ROW(INPUT, 0, FAILED, NULL, "cannot read the job's data"),
	ROW(SETUP, 0, STOP, NULL,
	    "cannot act as the printer's owner (backend not run as root?)"),
	ROW(OPEN, ENODEV, RETRY, "offline-report", "printer disconnected"),
	ROW(OPEN, ENOENT, RETRY, "offline-report", "printer disconnected"),
	ROW(OPEN, EBUSY, RETRY, NULL, "printer busy at the client"),
	ROW(OPEN, EAGAIN, RETRY, NULL, "printer busy at the client"),
	ROW(OPEN, ETIMEDOUT, RETRY, "timed-out",
	    "the client did not answer"),
	ROW(OPEN, ENOSPC, RETRY, NULL, "no spool space at the client"),
	ROW(OPEN, ENOMEM, RETRY, NULL, "out of memory"),
	ROW(OPEN, EACCES, STOP, NULL,
	    "access denied (by the client, or not the node's owner)"),
	ROW(OPEN, EPERM, STOP, NULL, "access denied"),
	ROW(OPEN, ECANCELED, CANCEL, NULL, "job cancelled at the client"),
	ROW(OPEN, 0, FAILED, NULL, "the client refused the print job"),
	ROW(FORMAT, ENODEV, RETRY, "offline-report", "printer disconnected"),
	ROW(FORMAT, 0, FAILED, NULL,
	    "cannot send the job as XPS (rdpprn.ko without RDPPRN_IOC_SET_FORMAT?)"),
	ROW(DATA, ENODEV, RETRY, "offline-report",
	    "printer disconnected during the job"),
	ROW(DATA, ECANCELED, CANCEL, NULL, "job cancelled at the client"),
	ROW(DATA, ETIMEDOUT, FAILED, "timed-out",
	    "the client stopped answering during the job"),
	ROW(DATA, 0, FAILED, NULL, "the client failed the print job"),
	ROW(CANCEL, 0, FAILED, NULL, "job cancelled"),
};

/**
 * rdpprn_outcome() - what CUPS should do after a failure
 * @stage: where it failed
 * @err: errno, positive or negative; 0 when the stage says it all
 *
 * Return: the first row for @stage with this errno, else the stage's
 * catch-all row.
 */
struct rdpprn_outcome rdpprn_outcome(enum rdpprn_stage stage, int err)
{
	const struct rdpprn_outcome *any = NULL;
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < ARRAY_SIZE(rdpprn_errmap); i++) {
		const struct rdpprn_errmap *m = &rdpprn_errmap[i];

		if (m->stage != stage)
			continue;
		if (m->err == err && err)
			return m->out;
		if (!m->err && !any)
			any = &m->out;
	}
	if (any)
		return *any;
	return (struct rdpprn_outcome){ CUPS_BACKEND_FAILED, NULL, "failed" };
}

/**
 * rdpprn_report() - the stderr lines CUPS reads for a failure
 * @log: stderr, or a test's stream
 * @stage: where it failed
 * @err: errno (either sign), 0 for none
 * @what: the printer or file concerned, or NULL
 *
 * Writes "STATE: +keyword" when the row has one, then "ERROR: ...", which
 * CUPS shows as the job's and the queue's message.
 */
void rdpprn_report(FILE *log, enum rdpprn_stage stage, int err,
		   const char *what)
{
	struct rdpprn_outcome o = rdpprn_outcome(stage, err);

	if (err < 0)
		err = -err;
	if (o.state)
		fprintf(log, "STATE: +%s\n", o.state);
	fprintf(log, "ERROR: rdpprn: %s%s%s%s%s\n", o.reason,
		what ? ": " : "", what ? what : "", err ? ": " : "",
		err ? strerror(err) : "");
	fflush(log);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ipp.c - the agent's requests to cupsd: CUPS-Get-Printers,
 * CUPS-Add-Modify-Printer, CUPS-Delete-Printer, over libcups.
 *
 * The server is libcups's default (cupsServer(): CUPS_SERVER, client.conf,
 * else the local domain socket), where cupsd knows root by its peer
 * credentials: no password is ever involved.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cups/cups.h>

#include "rdpprn_log.h"
#include "rdpprn_queued.h"

/* Wait for cupsd at most this long per request (ms). */
#define RDPPRN_IPP_TIMEOUT_MS	30000

/**
 * rdpprn_ipp_connect() - a connection to cupsd for one reconcile
 *
 * Return: the connection, NULL when cupsd cannot be reached.
 */
http_t *rdpprn_ipp_connect(void)
{
	return httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC,
			    cupsEncryption(), 1, RDPPRN_IPP_TIMEOUT_MS, NULL);
}

void rdpprn_ipp_close(http_t *http)
{
	if (http)
		httpClose(http);
}

/* The last request's failure, for log lines. */
const char *rdpprn_ipp_error(void)
{
	return cupsLastErrorString();
}

/* A string attribute's only value, copied; NULL otherwise. */
static char *rdpprn_ipp_str(ipp_attribute_t *a)
{
	const char *s;

	if (ippGetCount(a) != 1)
		return NULL;
	s = ippGetString(a, 0, NULL);
	return s ? strdup(s) : NULL;
}

/* One attribute of a printer in the answer, into @q. */
static void rdpprn_ipp_attr(ipp_attribute_t *a, struct rdpprn_queue *q)
{
	const char *name = ippGetName(a);
	char **dst = NULL;

	if (!strcmp(name, "printer-name"))
		dst = &q->name;
	else if (!strcmp(name, "device-uri"))
		dst = &q->uri;
	else if (!strcmp(name, "printer-info"))
		dst = &q->info;
	else if (!strcmp(name, "printer-location"))
		dst = &q->location;
	else if (!strcmp(name, "printer-make-and-model"))
		dst = &q->model;
	else if (!strcmp(name, "requesting-user-name-allowed"))
		dst = &q->allowed;
	else if (!strcmp(name, "printer-is-shared"))
		q->shared = ippGetBoolean(a, 0);
	else if (!strcmp(name, "printer-is-accepting-jobs"))
		q->accepting = ippGetBoolean(a, 0);
	if (dst && !*dst)
		*dst = rdpprn_ipp_str(a);
}

/**
 * rdpprn_ipp_list() - every queue cupsd has, classified
 * @http: the connection
 * @list: a new array, to free with rdpprn_queues_free()
 * @count: its length
 *
 * Classes are listed too (they have no device URI): their names are as
 * taken as a printer's.
 *
 * Return: 0, -EIO when the request failed (cupsd down, refused).
 */
int rdpprn_ipp_list(http_t *http, struct rdpprn_queue **list, size_t *count)
{
	static const char *const attrs[] = {
		"printer-name", "device-uri", "printer-info",
		"printer-location", "printer-make-and-model",
		"requesting-user-name-allowed", "printer-is-shared",
		"printer-is-accepting-jobs",
	};
	struct rdpprn_queue *v = NULL, *nv, q = { 0 };
	size_t n = 0;
	ipp_attribute_t *a;
	ipp_t *req, *resp;
	int ret = 0;

	*list = NULL;
	*count = 0;
	req = ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
		      "requested-attributes", (int)ARRAY_SIZE(attrs), NULL,
		      attrs);
	resp = cupsDoRequest(http, req, "/");
	/* no queue at all is "not found" */
	if (!resp || (cupsLastError() > IPP_STATUS_OK_CONFLICTING &&
		      cupsLastError() != IPP_STATUS_ERROR_NOT_FOUND)) {
		ippDelete(resp);
		return -EIO;
	}
	/* A NULL name separates printers; the last ends with the answer. */
	for (a = ippFirstAttribute(resp);; a = ippNextAttribute(resp)) {
		if (a && ippGetName(a) && ippGetGroupTag(a) == IPP_TAG_PRINTER) {
			rdpprn_ipp_attr(a, &q);
			continue;
		}
		if (q.name) {
			nv = realloc(v, (n + 1) * sizeof(*v));
			if (!nv) {
				ret = -ENOMEM;
				rdpprn_queue_clear(&q);
				break;
			}
			v = nv;
			rdpprn_queue_classify(&q);
			v[n++] = q;
		} else {
			rdpprn_queue_clear(&q);
		}
		memset(&q, 0, sizeof(q));
		if (!a)
			break;
	}
	ippDelete(resp);
	if (ret) {
		rdpprn_queues_free(v, n);
		return ret;
	}
	*list = v;
	*count = n;
	return 0;
}

/* A request about queue @name, as root, to the admin resource. */
static ipp_t *rdpprn_ipp_request(ipp_op_t op, const char *name)
{
	char uri[HTTP_MAX_URI];
	ipp_t *req = ippNewRequest(op);

	httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", NULL,
			 "localhost", 0, "/printers/%s", name);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL,
		     uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME,
		     "requesting-user-name", NULL, cupsUser());
	return req;
}

static int rdpprn_ipp_admin(http_t *http, ipp_t *req)
{
	ippDelete(cupsDoRequest(http, req, "/admin/"));
	return cupsLastError() > IPP_STATUS_OK_CONFLICTING ? -EIO : 0;
}

/**
 * rdpprn_ipp_put() - create or modify a queue as the plan wants it
 * @http: the connection
 * @w: the queue
 * @create: a new queue (else the driver goes only with @w->set_driver)
 *
 * Besides the plan's attributes the queue is made idle and accepting,
 * as "lpadmin -E" does: a new queue is stopped and rejects jobs. Its
 * error policy is abort-job: a job the client failed ends aborted and
 * the queue goes on; CUPS's default, stop-printer, would leave the
 * user with a stopped queue that only an administrator may restart.
 *
 * Return: 0 or -EIO (rdpprn_ipp_error() says why).
 */
int rdpprn_ipp_put(http_t *http, const struct rdpprn_want *w, bool create)
{
	ipp_t *req = rdpprn_ipp_request(IPP_OP_CUPS_ADD_MODIFY_PRINTER,
					w->name);

	ippAddString(req, IPP_TAG_PRINTER, IPP_TAG_URI, "device-uri", NULL,
		     w->uri);
	ippAddString(req, IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-info", NULL,
		     w->info);
	ippAddString(req, IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-location",
		     NULL, w->location);
	/* only the session's user may print (the backend checks it too) */
	ippAddString(req, IPP_TAG_PRINTER, IPP_TAG_NAME,
		     "requesting-user-name-allowed", NULL, w->user);
	ippAddBoolean(req, IPP_TAG_PRINTER, "printer-is-shared", 0);
	if (create || w->set_driver)
		ippAddString(req, IPP_TAG_PRINTER, IPP_TAG_NAME, "ppd-name",
			     NULL, w->drv->ppd);
	ippAddInteger(req, IPP_TAG_PRINTER, IPP_TAG_ENUM, "printer-state",
		      IPP_PSTATE_IDLE);
	ippAddBoolean(req, IPP_TAG_PRINTER, "printer-is-accepting-jobs", 1);
	ippAddString(req, IPP_TAG_PRINTER, IPP_TAG_NAME, "printer-error-policy",
		     NULL, "abort-job");
	return rdpprn_ipp_admin(http, req);
}

/**
 * rdpprn_ipp_policy() - give a queue an operation policy of cupsd.conf
 * @http: the connection
 * @name: the queue
 * @policy: the name of a <Policy>
 *
 * A request of its own, after rdpprn_ipp_put()'s: cupsd refuses an
 * unknown policy only after it has applied the request's other
 * attributes, which would leave a new queue half made.
 *
 * Return: 0, -ENOENT when cupsd.conf has no such policy, -EIO otherwise.
 */
int rdpprn_ipp_policy(http_t *http, const char *name, const char *policy)
{
	ipp_t *req = rdpprn_ipp_request(IPP_OP_CUPS_ADD_MODIFY_PRINTER, name);
	int ret;

	ippAddString(req, IPP_TAG_PRINTER, IPP_TAG_NAME, "printer-op-policy",
		     NULL, policy);
	ret = rdpprn_ipp_admin(http, req);
	return ret && cupsLastError() == IPP_STATUS_ERROR_NOT_POSSIBLE ?
	       -ENOENT : ret;
}

/**
 * rdpprn_ipp_pending() - whether a queue has jobs that are not done
 * @http: the connection
 * @name: the queue
 *
 * Return: 1 when it has one (pending, held, processing or stopped), 0
 * when not, -EIO when cupsd did not answer.
 */
int rdpprn_ipp_pending(http_t *http, const char *name)
{
	ipp_t *req = rdpprn_ipp_request(IPP_OP_GET_JOBS, name);
	ipp_t *resp;
	int ret;

	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs",
		     NULL, "not-completed");
	ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "limit", 1);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
		     "requested-attributes", NULL, "job-id");
	resp = cupsDoRequest(http, req, "/");
	if (!resp || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
		ippDelete(resp);
		return -EIO;
	}
	ret = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER) ? 1 : 0;
	ippDelete(resp);
	return ret;
}

/**
 * rdpprn_ipp_delete() - delete a queue (its pending jobs go with it)
 * @http: the connection
 * @name: the queue
 *
 * Return: 0 or -EIO.
 */
int rdpprn_ipp_delete(http_t *http, const char *name)
{
	return rdpprn_ipp_admin(http,
				rdpprn_ipp_request(IPP_OP_CUPS_DELETE_PRINTER,
						   name));
}

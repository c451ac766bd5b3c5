// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - printer cache data kept like a real client keeps it: with
 * --cache-dir, an add or update from the server stores the blob under
 * the printer's name, and the next run announces that printer with it as
 * CachedPrinterConfigData (unless its spec has config=). FreeRDP keeps
 * the same record under ~/.config/freerdp/printers/ (interop.rst).
 *
 * One file a printer, DIR/<hex of the UTF-8 PrinterName>, so that no
 * name a server sends can leave DIR. Delete and rename follow the spec
 * ([MS-RDPEPC] 3.1.5.2): the record goes, or moves to the new name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdpprn_log.h"
#include "rdpprn_util.h"
#include "sim.h"

/* DIR/<hex of @name>, malloc'ed; NULL when the name is too long. */
static char *sim_cache_path(const char *dir, const char *name)
{
	size_t n = strlen(name), i;
	char *path, *p;

	if (n > 255)
		return NULL;
	path = rdpprn_xmalloc(strlen(dir) + 2 * n + 2);
	p = path + sprintf(path, "%s/", dir);
	for (i = 0; i < n; i++)
		p += sprintf(p, "%02x", (unsigned char)name[i]);
	return path;
}

/* The printer name of a wire string, for a path and the CACHE line */
static char *sim_cache_name(const struct rdpdr_str *s)
{
	char *name = rdpprn_xmalloc(s->utf8_len + 1);

	rdpdr_str_to_utf8(s, name, s->utf8_len + 1);
	return name;
}

static int sim_cache_store(const char *dir, const char *name, const u8 *blob,
			   u32 len)
{
	char *path = sim_cache_path(dir, name), *tmp;
	int fd, ret = 0;

	if (!path)
		return -ENAMETOOLONG;
	/* a whole record or the old one: written aside, then renamed */
	tmp = rdpprn_xmalloc(strlen(path) + 5);
	sprintf(tmp, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	if (len && write(fd, blob, len) != (ssize_t)len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	free(tmp);
	free(path);
	return ret;
}

/* Removes a record (@to_name NULL) or moves it; none is no error. */
static int sim_cache_move(const char *dir, const char *name,
			  const char *to_name)
{
	char *path = sim_cache_path(dir, name);
	char *to = to_name ? sim_cache_path(dir, to_name) : NULL;
	int ret = 0;

	if (!path || (to_name && !to))
		ret = -ENAMETOOLONG;
	else if (to ? rename(path, to) : unlink(path))
		ret = errno == ENOENT ? 0 : -errno;
	free(path);
	free(to);
	return ret;
}

/**
 * sim_cache_pdu() - a PDU of the printer component, for the cache
 * @s: the simulator
 * @pdu: the PDU
 * @len: its length
 *
 * Only DR_PRN_CACHE_DATA is looked at; it must parse (else it is a
 * violation). Prints a CACHE line, and with --cache-dir keeps the record.
 */
void sim_cache_pdu(struct sim *s, const u8 *pdu, size_t len)
{
	const char *dir = s->o->cache_dir, *what = "not kept";
	struct rdpdr_cache_data cd;
	struct rdpdr_err err;
	char *name, *name2 = NULL, text[256], msg[256];
	const u8 *blob = NULL;
	u32 blen = 0;
	int ret = 0;

	if (len < 4 || (pdu[2] | pdu[3] << 8) != PAKID_PRN_CACHE_DATA)
		return;
	if (rdpdr_parse_cache_data(pdu, len, &cd, &err)) {
		rdpdr_err_format(&err, msg, sizeof(msg));
		sim_violation(s, "a printer cache data PDU: %s", msg);
		return;
	}
	switch (cd.event_id) {
	case RDPDR_ADD_PRINTER_EVENT:
		name = sim_cache_name(&cd.add.printer_name);
		blob = cd.add.cached_data;
		blen = cd.add.cached_fields_len;
		break;
	case RDPDR_UPDATE_PRINTER_EVENT:
		name = sim_cache_name(&cd.update.printer_name);
		blob = cd.update.config_data;
		blen = cd.update.config_data_len;
		break;
	case RDPDR_DELETE_PRINTER_EVENT:
		name = sim_cache_name(&cd.del.printer_name);
		break;
	default:
		name = sim_cache_name(&cd.rename.old_printer_name);
		name2 = sim_cache_name(&cd.rename.new_printer_name);
		break;
	}
	if (dir) {
		if (cd.event_id == RDPDR_ADD_PRINTER_EVENT ||
		    cd.event_id == RDPDR_UPDATE_PRINTER_EVENT)
			ret = sim_cache_store(dir, name, blob, blen);
		else
			ret = sim_cache_move(dir, name, name2);
		what = ret ? strerror(-ret) : "kept";
	}
	rdpprn_escape(name, strlen(name), text, sizeof(text));
	fprintf(s->out, "CACHE event=%u printer=\"%s\" len=%u %s\n",
		cd.event_id, text, blen, what);
	free(name);
	free(name2);
}

/**
 * sim_cache_load() - the kept records, for the printers that have none
 * @o: the options; @o->cache_dir set
 *
 * A printer whose spec has config= keeps it; the others get what the
 * server last stored for their name, if anything.
 *
 * Return: 0, or -errno of a record that is there but cannot be read.
 */
int sim_cache_load(struct sim_opts *o)
{
	struct sim_printer *p;
	char *path;
	unsigned int i;
	size_t len;
	int ret;

	for (i = 0; i < o->n_printers; i++) {
		p = &o->printers[i];
		if (p->config || !p->name)
			continue;
		path = sim_cache_path(o->cache_dir, p->name);
		if (!path)
			continue;
		ret = rdpprn_read_file(path, SIM_CONFIG_MAX, &p->config, &len);
		if (ret && ret != -ENOENT)
			rdpprn_err("%s: %s", path, strerror(-ret));
		free(path);
		if (ret == -ENOENT)
			continue;
		if (ret)
			return ret;
		p->config_len = (u32)len;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rdpprn-test: building the client-to-server PDUs with the rdpdr wire
 * library - printers from --printer specs, device lists, removes and
 * Device I/O Responses.
 */
#include <errno.h>
#include <string.h>

#include "rdpprn_test.h"

static const struct {
	const char *name;
	u32 flag;
} rpt_flag_words[] = {
	{ "ascii", RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII },
	{ "default", RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER },
	{ "network", RDPDR_PRINTER_ANNOUNCE_FLAG_NETWORKPRINTER },
	{ "nested", RDPDR_PRINTER_ANNOUNCE_FLAG_TSPRINTER },
	{ "xps", RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT },
};

/*
 * Next "key[=value]" of a comma-separated spec; a backslash escapes the
 * next character (so a name may contain ',' or '=').
 */
static char *rpt_spec_next(char **pos, char **value)
{
	char *s = *pos, *key, *w;

	if (!*s)
		return NULL;
	key = s;
	w = s;
	*value = NULL;
	while (*s && *s != ',') {
		if (*s == '\\' && s[1]) {
			s++;
			*w++ = *s++;
			continue;
		}
		if (*s == '=' && !*value) {
			*w++ = '\0';
			s++;
			*value = w;
			continue;
		}
		*w++ = *s++;
	}
	if (*s)
		s++;
	*w = '\0';
	*pos = s;
	return key;
}

int rpt_printer_parse(const char *spec, u32 default_id, struct rpt_printer *p)
{
	char *copy = rdpprn_xstrdup(spec), *pos = copy, *key, *val;
	int rc = 0;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->id = default_id;
	snprintf(p->dos, sizeof(p->dos), "PRN%u", default_id % 100000);
	while ((key = rpt_spec_next(&pos, &val))) {
		bool word = false;

		for (i = 0; i < ARRAY_SIZE(rpt_flag_words); i++) {
			if (!strcmp(key, rpt_flag_words[i].name) && !val) {
				p->flags |= rpt_flag_words[i].flag;
				word = true;
			}
		}
		if (word)
			continue;
		if (!val) {
			rpt_warn("printer spec: '%s' needs a value", key);
			rc = -EINVAL;
			break;
		}
		if (!strcmp(key, "name")) {
			free(p->name);
			p->name = rdpprn_xstrdup(val);
		} else if (!strcmp(key, "driver")) {
			free(p->driver);
			p->driver = rdpprn_xstrdup(val);
		} else if (!strcmp(key, "pnp")) {
			free(p->pnp);
			p->pnp = rdpprn_xstrdup(val);
		} else if (!strcmp(key, "dos")) {
			if (strlen(val) > RDPDR_DOS_NAME_LEN) {
				rpt_warn("printer spec: dos name longer than 8");
				rc = -EINVAL;
				break;
			}
			memset(p->dos, 0, sizeof(p->dos));
			memcpy(p->dos, val, strlen(val));
		} else if (!strcmp(key, "id")) {
			rc = rdpprn_parse_u32(val, &p->id);
		} else if (!strcmp(key, "flags")) {
			u32 f;

			rc = rdpprn_parse_u32(val, &f);
			p->flags |= f;
		} else if (!strcmp(key, "config")) {
			size_t len;

			free(p->config);
			p->config = NULL;
			rc = rdpprn_read_file(val, RPT_FILE_MAX, &p->config,
					      &len);
			if (!rc && len > 0xffffffffULL)
				rc = -E2BIG;
			p->config_len = (u32)len;
		} else {
			rpt_warn("printer spec: unknown key '%s'", key);
			rc = -EINVAL;
		}
		if (rc) {
			rpt_warn("printer spec: bad value for '%s': %s", key,
				 val);
			break;
		}
	}
	free(copy);
	if (p->flags & RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII)
		p->ascii = true;
	if (p->ascii)
		p->flags |= RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII;
	if (!rc && !p->name) {
		char n[32];

		snprintf(n, sizeof(n), "Printer %u", p->id);
		p->name = rdpprn_xstrdup(n);
	}
	if (!rc && !p->driver)
		p->driver = rdpprn_xstrdup("MS Publisher Imagesetter");
	if (rc)
		rpt_printer_free(p);
	return rc;
}

void rpt_printer_free(struct rpt_printer *p)
{
	free(p->name);
	free(p->driver);
	free(p->pnp);
	free(p->config);
	memset(p, 0, sizeof(*p));
}

/* UTF-16LE (NUL-terminated) of @s into a malloc'ed string */
static int rpt_wstr(const char *s, bool unicode, struct rdpdr_str *out)
{
	u8 *buf;
	int n;

	memset(out, 0, sizeof(*out));
	if (!s)
		return 0;
	out->unicode = unicode;
	if (!unicode) {
		out->len = strlen(s) + 1;
		out->data = (u8 *)rdpprn_xstrdup(s);
		return 0;
	}
	n = rdpdr_utf8_to_utf16(s, strlen(s), NULL, 0);
	if (n < 0)
		return n;
	buf = rdpprn_xmalloc(n);
	n = rdpdr_utf8_to_utf16(s, strlen(s), buf, n);
	if (n < 0) {
		free(buf);
		return n;
	}
	out->data = buf;
	out->len = n;
	return 0;
}

u8 *rpt_printer_data(const struct rpt_printer *p, u32 *len)
{
	struct rdpdr_printer pr;
	u8 *buf = NULL;
	int n;

	memset(&pr, 0, sizeof(pr));
	pr.flags = p->flags;
	if (rpt_wstr(p->pnp, true, &pr.pnp_name) ||
	    rpt_wstr(p->driver, !p->ascii, &pr.driver_name) ||
	    rpt_wstr(p->name, true, &pr.printer_name))
		goto out;
	pr.pnp_name_len = pr.pnp_name.len;
	pr.driver_name_len = pr.driver_name.len;
	pr.print_name_len = pr.printer_name.len;
	pr.cached_fields_len = p->config_len;
	pr.cached_data = p->config_len ? p->config : NULL;
	n = rdpdr_build_printer_data(NULL, 0, &pr);
	if (n < 0)
		goto out;
	buf = rdpprn_xmalloc(n);
	n = rdpdr_build_printer_data(buf, n, &pr);
	if (n < 0) {
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = n;
out:
	free((void *)pr.pnp_name.data);
	free((void *)pr.driver_name.data);
	free((void *)pr.printer_name.data);
	return buf;
}

int rpt_printer_entry(const struct rpt_printer *p, struct rpt_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->type = RDPDR_DTYP_PRINT;
	e->id = p->id;
	memcpy(e->dos, p->dos, sizeof(e->dos));
	e->data = rpt_printer_data(p, &e->len);
	return e->data ? 0 : -EINVAL;
}

int rpt_simple_printer(u32 id, const char *name, struct rpt_entry *e)
{
	struct rpt_printer p;
	char n[64];
	int rc;

	memset(&p, 0, sizeof(p));
	p.id = id;
	snprintf(p.dos, sizeof(p.dos), "PRN%u", id % 100000);
	if (!name) {
		snprintf(n, sizeof(n), "P%u", id);
		name = n;
	}
	p.name = (char *)name;
	p.driver = "Generic";
	rc = rpt_printer_entry(&p, e);
	return rc;
}

void rpt_entries_free(struct rpt_entry *e, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		free(e[i].data);
		e[i].data = NULL;
	}
}

u8 *rpt_devlist(const struct rpt_entry *e, u32 n, size_t *len)
{
	struct rdpdr_device *d = rdpprn_xzalloc(sizeof(*d) * (n ? n : 1));
	u8 *buf = NULL;
	u32 i;
	int r;

	for (i = 0; i < n; i++) {
		d[i].device_type = e[i].type;
		d[i].device_id = e[i].id;
		memcpy(d[i].dos_name, e[i].dos, sizeof(d[i].dos_name));
		d[i].data = e[i].data;
		d[i].data_len = e[i].len;
	}
	r = rdpdr_build_devlist(NULL, 0, d, n);
	if (r < 0)
		goto out;
	buf = rdpprn_xmalloc(r);
	r = rdpdr_build_devlist(buf, r, d, n);
	if (r < 0) {
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = r;
out:
	free(d);
	if (!buf)
		rpt_die("rdpdr_build_devlist failed (%d)", r);
	return buf;
}

u8 *rpt_remove(const u32 *ids, u32 n, size_t *len)
{
	u8 *buf;
	int r;

	r = rdpdr_build_devlist_remove(NULL, 0, ids, n);
	if (r < 0)
		rpt_die("rdpdr_build_devlist_remove failed (%d)", r);
	buf = rdpprn_xmalloc(r);
	r = rdpdr_build_devlist_remove(buf, r, ids, n);
	if (r < 0)
		rpt_die("rdpdr_build_devlist_remove failed (%d)", r);
	*len = r;
	return buf;
}

size_t rpt_create_rsp(u8 *buf, u32 dev, u32 cid, u32 status, u32 file_id)
{
	struct rdpdr_create_rsp r = {
		.c = { dev, cid, status },
		.file_id = file_id,
	};
	int n = rdpdr_build_create_rsp(buf, 32, &r);

	if (n < 0)
		rpt_die("rdpdr_build_create_rsp failed (%d)", n);
	return n;
}

size_t rpt_write_rsp(u8 *buf, u32 dev, u32 cid, u32 status, u32 length)
{
	struct rdpdr_write_rsp r = {
		.c = { dev, cid, status },
		.length = length,
		.has_padding = true,
	};
	int n = rdpdr_build_write_rsp(buf, 32, &r);

	if (n < 0)
		rpt_die("rdpdr_build_write_rsp failed (%d)", n);
	return n;
}

/* A Device I/O Response with @padding bytes after IoStatus */
static size_t rpt_io_rsp(u8 *buf, u32 dev, u32 cid, u32 status, u32 padding)
{
	struct rdpdr_close_rsp r = {
		.c = { dev, cid, status },
		.padding_len = padding,
	};
	int n = rdpdr_build_close_rsp(buf, 32, &r);

	if (n < 0)
		rpt_die("rdpdr_build_close_rsp failed (%d)", n);
	return n;
}

size_t rpt_close_rsp(u8 *buf, u32 dev, u32 cid, u32 status)
{
	return rpt_io_rsp(buf, dev, cid, status, 4);
}

size_t rpt_completion(u8 *buf, u32 dev, u32 cid, u32 status)
{
	return rpt_io_rsp(buf, dev, cid, status, 0);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * spec.c - printers described on the command line and what the client
 * announces for them.
 *
 * A spec is a comma-separated list of key=value pairs and flag words:
 *   name=..,driver=..,pnp=..,id=N,dos=PRNn,flags=N,config=FILE
 *   default, xps, network, nested, ascii, freerdp2
 * freerdp2 announces the lengths FreeRDP 2.11 writes: DriverNameLen one
 * byte too long (odd), PrintNameLen one code unit too long, the extra
 * bytes not zero.
 * A backslash takes the next character literally (a name may hold ','
 * or '=').
 */
#include <errno.h>
#include <string.h>

#include "rdpprn_log.h"
#include "sim.h"

static const struct {
	const char *word;
	u32 flag;
} sim_flag_words[] = {
	{ "ascii", RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII },
	{ "default", RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER },
	{ "network", RDPDR_PRINTER_ANNOUNCE_FLAG_NETWORKPRINTER },
	{ "nested", RDPDR_PRINTER_ANNOUNCE_FLAG_TSPRINTER },
	{ "xps", RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT },
};

/* Cut the next item off *@pos; *@value is NULL for a flag word. */
static char *sim_spec_item(char **pos, char **value)
{
	char *r = *pos, *w = *pos, *key = *pos;

	*value = NULL;
	if (!*r)
		return NULL;
	while (*r && *r != ',') {
		if (*r == '\\' && r[1]) {
			*w++ = r[1];
			r += 2;
		} else if (*r == '=' && !*value) {
			*w++ = '\0';
			*value = w;
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*pos = *r ? r + 1 : r;
	*w = '\0';
	return key;
}

static bool sim_flag_word(const char *key, struct sim_printer *p)
{
	size_t i;

	if (!strcmp(key, "freerdp2")) {
		p->freerdp2 = true;
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(sim_flag_words); i++) {
		if (!strcmp(key, sim_flag_words[i].word)) {
			p->flags |= sim_flag_words[i].flag;
			return true;
		}
	}
	return false;
}

static void sim_set_str(char **dst, const char *val)
{
	free(*dst);
	*dst = rdpprn_xstrdup(val);
}

static int sim_spec_value(const char *key, const char *val,
			  struct sim_printer *p)
{
	size_t len;
	u32 f;
	int ret;

	if (!strcmp(key, "name")) {
		sim_set_str(&p->name, val);
	} else if (!strcmp(key, "driver")) {
		sim_set_str(&p->driver, val);
	} else if (!strcmp(key, "pnp")) {
		sim_set_str(&p->pnp, val);
	} else if (!strcmp(key, "dos")) {
		if (strlen(val) > RDPDR_DOS_NAME_LEN)
			return -EINVAL;
		memset(p->dos, 0, sizeof(p->dos));
		memcpy(p->dos, val, strlen(val));
	} else if (!strcmp(key, "id")) {
		return rdpprn_parse_u32(val, &p->id);
	} else if (!strcmp(key, "flags")) {
		ret = rdpprn_parse_u32(val, &f);
		p->flags |= f;
		return ret;
	} else if (!strcmp(key, "config")) {
		free(p->config);
		p->config = NULL;
		ret = rdpprn_read_file(val, SIM_CONFIG_MAX, &p->config, &len);
		p->config_len = (u32)len;
		return ret;
	} else {
		return -ENOENT;
	}
	return 0;
}

int sim_printer_parse(const char *spec, u32 default_id, struct sim_printer *p)
{
	char *copy = rdpprn_xstrdup(spec), *pos = copy, *key, *val;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	p->id = default_id;
	while (!ret && (key = sim_spec_item(&pos, &val))) {
		if (!val && sim_flag_word(key, p))
			continue;
		ret = val ? sim_spec_value(key, val, p) : -EINVAL;
		if (ret)
			rdpprn_err("printer spec \"%s\": bad item \"%s\"", spec,
				   key);
	}
	free(copy);
	if (ret) {
		sim_printer_free(p);
		return ret;
	}
	if (!p->dos[0])
		snprintf(p->dos, sizeof(p->dos), "PRN%u", p->id % 10000);
	if (!p->name) {
		char n[32];

		snprintf(n, sizeof(n), "Printer %u", p->id);
		p->name = rdpprn_xstrdup(n);
	}
	/* FreeRDP's default for CUPS printers (PostScript) */
	if (!p->driver)
		p->driver = rdpprn_xstrdup("MS Publisher Imagesetter");
	return 0;
}

void sim_printer_free(struct sim_printer *p)
{
	free(p->name);
	free(p->driver);
	free(p->pnp);
	free(p->config);
	memset(p, 0, sizeof(*p));
}

int sim_printers_load(struct sim_opts *o, const char *path)
{
	char *text, *line, *save = NULL;
	size_t len;
	int ret;

	ret = rdpprn_read_file(path, 1 << 20, (u8 **)&text, &len);
	if (ret)
		return ret;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct sim_printer *p;

		line += strspn(line, " \t");
		if (!*line || *line == '#')
			continue;
		o->printers = rdpprn_xrealloc(o->printers,
					      (o->n_printers + 1) *
					      sizeof(*o->printers));
		p = &o->printers[o->n_printers];
		ret = sim_printer_parse(line, o->n_printers + 1, p);
		if (ret)
			break;
		o->n_printers++;
	}
	free(text);
	return ret;
}

/*
 * A NUL-terminated wire string (UTF-16LE, or 8-bit) of @s, malloc'ed,
 * followed by @junk bytes the length covers (as FreeRDP 2.11 sends them)
 */
static int sim_wire_str(const char *s, bool unicode, u32 junk,
			struct rdpdr_str *w)
{
	u8 *buf;
	int n;

	memset(w, 0, sizeof(*w));
	if (!s)
		return 0;
	w->unicode = unicode;
	if (!unicode) {
		n = (int)strlen(s) + 1;
		buf = rdpprn_xmalloc((size_t)n + junk);
		memcpy(buf, s, (size_t)n);
	} else {
		n = rdpdr_utf8_to_utf16(s, strlen(s), NULL, 0);
		if (n < 0)
			return n;
		buf = rdpprn_xmalloc((size_t)n + junk);
		rdpdr_utf8_to_utf16(s, strlen(s), buf, (size_t)n);
	}
	memset(buf + n, 0xa5, junk);
	w->data = buf;
	w->len = (u32)n + junk;
	return 0;
}

/* DR_PRN_DEVICE_ANNOUNCE device data of @p, malloc'ed */
static u8 *sim_printer_data(const struct sim_printer *p, u32 *len)
{
	bool ascii = p->flags & RDPDR_PRINTER_ANNOUNCE_FLAG_ASCII;
	struct rdpdr_printer pr = { .flags = p->flags };
	u8 *buf = NULL;
	int n;

	if (sim_wire_str(p->pnp, true, 0, &pr.pnp_name) ||
	    sim_wire_str(p->driver, !ascii, p->freerdp2 ? 1 : 0,
			 &pr.driver_name) ||
	    sim_wire_str(p->name, true, p->freerdp2 ? 2 : 0,
			 &pr.printer_name))
		goto out;
	pr.cached_fields_len = p->config_len;
	pr.cached_data = p->config;
	n = rdpdr_build_printer_data(NULL, 0, &pr);
	if (n < 0)
		goto out;
	buf = rdpprn_xmalloc((size_t)n);
	rdpdr_build_printer_data(buf, (size_t)n, &pr);
	*len = (u32)n;
out:
	free((void *)pr.pnp_name.data);
	free((void *)pr.driver_name.data);
	free((void *)pr.printer_name.data);
	return buf;
}

u8 *sim_build_announce(const struct sim_opts *o, size_t *len)
{
	struct rdpdr_device *d;
	u8 *pdu = NULL;
	unsigned int i, n_devs = o->n_printers;
	int n;

	d = rdpprn_xzalloc((o->n_printers + 1) * sizeof(*d));
	if (o->drive) {
		/* a device provider's server redirects drives itself */
		d[n_devs].device_type = RDPDR_DTYP_FILESYSTEM;
		d[n_devs].device_id = o->drive_id;
		memcpy(d[n_devs].dos_name, "C:", 3);
		n_devs++;
	}
	for (i = 0; i < o->n_printers; i++) {
		const struct sim_printer *p = &o->printers[i];

		d[i].device_type = RDPDR_DTYP_PRINT;
		d[i].device_id = p->id;
		memcpy(d[i].dos_name, p->dos, sizeof(d[i].dos_name));
		d[i].data = sim_printer_data(p, &d[i].data_len);
		if (!d[i].data) {
			rdpprn_err("printer %u: a name is not valid UTF-8",
				   p->id);
			goto out;
		}
	}
	n = rdpdr_build_devlist(NULL, 0, d, n_devs);
	if (n < 0)
		goto out;
	pdu = rdpprn_xmalloc((size_t)n);
	rdpdr_build_devlist(pdu, (size_t)n, d, n_devs);
	*len = (size_t)n;
out:
	for (i = 0; i < o->n_printers; i++)
		free((void *)d[i].data);
	free(d);
	return pdu;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * qtarget.c - what the site policy's rules target, read from the system
 * for each printer of a pass: the user's groups (getgrouplist(3), the
 * primary group and the supplementary ones, as the group database says
 * now) and the client's address (the device's sysfs attribute
 * client_address). The matching itself is qpolicy.c's.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "rdpprn_log.h"
#include "rdpprn_queued.h"

/* More groups than this and the rest are not looked at. */
#define RDPPRN_QGROUPS_MAX	1024

/*
 * The names of @user's groups, to free with rdpprn_qgroups_free(); an
 * empty list when the user has no passwd entry or the lookup fails (a
 * group condition then does not match).
 */
static char **rdpprn_qgroups(const char *user, size_t *n)
{
	gid_t *gids = NULL;
	struct passwd *pw;
	struct group *gr;
	char **names;
	int ng = 64, i;

	*n = 0;
	names = calloc(RDPPRN_QGROUPS_MAX + 1, sizeof(*names));
	pw = names ? getpwnam(user) : NULL;
	if (!pw)
		return names;
	for (;;) {
		gid_t *g = realloc(gids, (size_t)ng * sizeof(*gids));

		if (!g)
			break;
		gids = g;
		if (getgrouplist(user, pw->pw_gid, gids, &ng) >= 0)
			break;
		if (ng > RDPPRN_QGROUPS_MAX) {
			ng = RDPPRN_QGROUPS_MAX;
			break;
		}
	}
	for (i = 0; gids && i < ng && *n < RDPPRN_QGROUPS_MAX; i++) {
		gr = getgrgid(gids[i]);
		if (gr)
			names[(*n)++] = rdpprn_xstrdup(gr->gr_name);
	}
	free(gids);
	return names;
}

static void rdpprn_qgroups_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

/**
 * rdpprn_qtarget() - the rule of each printer
 * @c: the configuration
 * @list: the printers
 * @n: how many
 * @users: per printer, the owner's login name, NULL for none
 * @sysfs: the class directory the printers were read from
 *
 * A client_address that is missing (a kernel without it) or empty (the
 * address is unknown) is an unknown address.
 *
 * Return: per printer the rule that applies (NULL for none), to free();
 * NULL when out of memory.
 */
const struct rdpprn_qrule **rdpprn_qtarget(const struct rdpprn_qconf *c,
					   const struct rdpprn_printer *list,
					   size_t n, const char *const *users,
					   const char *sysfs)
{
	const struct rdpprn_qrule **rules = calloc(n + 1, sizeof(*rules));
	struct rdpprn_qwho who;
	char **groups, *addr, *dir;
	size_t i, ng;

	if (!rules || !c->n_rules)
		return rules;
	for (i = 0; i < n; i++) {
		if (!users[i])
			continue;
		addr = NULL;
		if (asprintf(&dir, "%s/%s", sysfs, list[i].devname) >= 0) {
			if (rdpprn_read_attr(dir, "client_address", &addr))
				addr = NULL;
			free(dir);
		}
		groups = rdpprn_qgroups(users[i], &ng);
		memset(&who, 0, sizeof(who));
		who.user = users[i];
		who.groups = (const char *const *)groups;
		who.n_groups = ng;
		who.client = list[i].client_name;
		who.address = addr;
		who.printer = list[i].printer_name;
		who.driver = list[i].driver_name;
		rules[i] = rdpprn_qrule_match(c, &who);
		rdpprn_dbg("%s of %s (client %s, address %s): %s%s", list[i].devname,
			   users[i], list[i].client_name,
			   addr && *addr ? addr : "unknown",
			   rules[i] ? "rule " : "no rule",
			   rules[i] ? rules[i]->name : "");
		rdpprn_qgroups_free(groups, ng);
		free(addr);
	}
	return rules;
}

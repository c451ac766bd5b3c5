// SPDX-License-Identifier: GPL-2.0
/*
 * conf.c - rdpprnd's configuration file: the policy keys, the limits
 * of a connection and which peers may open sessions.
 * Documentation/rdpprnd.conf.rst lists every key.
 */
#include <errno.h>
#include <string.h>

#include "rdpprn_log.h"
#include "rdpprnd.h"

void rdpprnd_config_init(struct rdpprnd_config *c)
{
	memset(c, 0, sizeof(*c));
	rdpprn_policy_init(&c->policy);
	c->max_queue = RDPPRND_DEFAULT_MAX_QUEUE;
	c->send_timeout = RDPPRND_DEFAULT_SEND_TIMEOUT;
	c->max_user_sessions = RDPPRND_DEFAULT_MAX_USER_SESSIONS;
}

void rdpprnd_config_free(struct rdpprnd_config *c)
{
	rdpprn_policy_free(&c->policy);
}

enum {
	RDPPRND_K_MAX_PRINTERS, RDPPRND_K_MAX_QUEUE, RDPPRND_K_SEND_TIMEOUT,
	RDPPRND_K_MAX_USER_SESSIONS,
};

/* The numeric keys: range, and whether K/M/G suffixes are allowed */
static const struct {
	const char *key;
	u64 min;
	u64 max;
	bool size;
} rdpprnd_numbers[] = {
	[RDPPRND_K_MAX_PRINTERS] = { "max_printers", 0, 65536, false },
	[RDPPRND_K_MAX_QUEUE] = { "max_queue", RDPPRND_MIN_MAX_QUEUE,
				  1ULL << 30, true },
	[RDPPRND_K_SEND_TIMEOUT] = { "send_timeout", 0, 86400, false },
	[RDPPRND_K_MAX_USER_SESSIONS] = { "max_user_sessions", 1,
					  RDPPRND_MAX_MAX_USER_SESSIONS, false },
};

static int rdpprnd_config_number(struct rdpprnd_config *c, unsigned int k,
				 const char *value, char *msg, size_t msglen)
{
	u64 v;
	int ret = rdpprnd_numbers[k].size ? rdpprn_parse_size(value, &v) :
		  rdpprn_parse_u64(value, &v);

	if (ret || v < rdpprnd_numbers[k].min || v > rdpprnd_numbers[k].max) {
		snprintf(msg, msglen, "%s: \"%.64s\" is not a number from %llu to %llu",
			 rdpprnd_numbers[k].key, value,
			 (unsigned long long)rdpprnd_numbers[k].min,
			 (unsigned long long)rdpprnd_numbers[k].max);
		return -EINVAL;
	}
	switch (k) {
	case RDPPRND_K_MAX_PRINTERS:
		c->policy.max_printers = (unsigned int)v;
		break;
	case RDPPRND_K_MAX_QUEUE:
		c->max_queue = (size_t)v;
		break;
	case RDPPRND_K_SEND_TIMEOUT:
		c->send_timeout = (unsigned int)v;
		break;
	case RDPPRND_K_MAX_USER_SESSIONS:
		c->max_user_sessions = (unsigned int)v;
		break;
	}
	return 0;
}

static int rdpprnd_config_key(void *ctx, const char *key, const char *value,
			      char *msg, size_t msglen)
{
	struct rdpprnd_config *c = ctx;
	struct rdpprn_policy *p = &c->policy;
	unsigned int i;

	if (!strcmp(key, "redirect")) {
		if (!rdpprn_redirect_parse(value, &p->redirect))
			return 0;
		snprintf(msg, msglen, "redirect: want all, default or none");
		return -EINVAL;
	}
	if (!strcmp(key, "include") || !strcmp(key, "exclude")) {
		if (!*value) {
			snprintf(msg, msglen, "%s: empty pattern", key);
			return -EINVAL;
		}
		if (!rdpprn_policy_add(p, key[0] == 'e', value))
			return 0;
		snprintf(msg, msglen, "%s: more than %d patterns", key,
			 RDPPRN_POLICY_MAX_PATTERNS);
		return -EINVAL;
	}
	if (!strcmp(key, "default_follows_client") ||
	    !strcmp(key, "user_sessions")) {
		if (!rdpprn_config_bool(value, key[0] == 'd' ?
					&p->default_follows_client :
					&c->user_sessions))
			return 0;
		snprintf(msg, msglen, "%s: want yes or no", key);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(rdpprnd_numbers); i++)
		if (!strcmp(key, rdpprnd_numbers[i].key))
			return rdpprnd_config_number(c, i, value, msg, msglen);
	snprintf(msg, msglen, "unknown key \"%.64s\"", key);
	return -EINVAL;
}

int rdpprnd_config_parse(struct rdpprnd_config *c, const char *text,
			 size_t len, struct rdpprn_config_err *err)
{
	return rdpprn_config_parse(text, len, rdpprnd_config_key, c, err);
}

int rdpprnd_config_load(struct rdpprnd_config *c, const char *path,
			bool *missing, struct rdpprn_config_err *err)
{
	return rdpprn_config_load(path, rdpprnd_config_key, c, missing, err);
}

void rdpprnd_config_log(const struct rdpprnd_config *c, const char *path)
{
	const struct rdpprn_policy *p = &c->policy;

	rdpprn_info("configuration %s: redirect=%s include=%u exclude=%u default_follows_client=%s max_printers=%u max_queue=%zu send_timeout=%u user_sessions=%s max_user_sessions=%u",
		    path, rdpprn_redirect_name(p->redirect), p->n_include,
		    p->n_exclude, p->default_follows_client ? "yes" : "no",
		    p->max_printers, c->max_queue, c->send_timeout,
		    c->user_sessions ? "yes" : "no", c->max_user_sessions);
}

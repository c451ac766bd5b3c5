// SPDX-License-Identifier: GPL-2.0
/*
 * device.c - /dev/rdpprnN: the character device, its sysfs attributes and
 * the uevent variables udev rules name printers by.
 *
 * The node belongs to the session's user (devtmpfs takes uid, gid and mode
 * from the device type's devnode callback), so other users cannot open
 * another session's printers. A node outside devtmpfs (a container's /dev
 * made with mknod, a copy) keeps whatever owner it was given, and minors
 * are reused: so open() also checks the opener against the device's
 * current owner (fops.c), and minors are handed out cyclically, which
 * makes reuse rare.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/xarray.h>

#include "rdpprn.h"

#define RDPPRN_MINORS		BIT(12)
#define RDPPRN_UEVENT_NAME_MAX	64

static dev_t rdpprn_devt;
/* minor -> device; cyclic allocation, see above */
static DEFINE_XARRAY_ALLOC(rdpprn_minors);
static u32 rdpprn_next_minor;

static struct rdpprn_device *to_rdpprn(const struct device *dev)
{
	return container_of(dev, struct rdpprn_device, dev);
}

static ssize_t printer_name_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_rdpprn(dev)->printer_name);
}
static DEVICE_ATTR_RO(printer_name);

static ssize_t driver_name_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_rdpprn(dev)->driver_name);
}
static DEVICE_ATTR_RO(driver_name);

static ssize_t dos_name_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", to_rdpprn(dev)->dos_name);
}
static DEVICE_ATTR_RO(dos_name);

static ssize_t flags_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", to_rdpprn(dev)->flags);
}
static DEVICE_ATTR_RO(flags);

/* One 0/1 file per announce flag, named for what it means. */
#define RDPPRN_FLAG_ATTR(_name, _flag)					\
static ssize_t rdpprn_##_name##_show(struct device *dev,		\
				     struct device_attribute *attr,	\
				     char *buf)				\
{									\
	return sysfs_emit(buf, "%d\n",					\
			  !!(to_rdpprn(dev)->flags & (_flag)));		\
}									\
static DEVICE_ATTR(_name, 0444, rdpprn_##_name##_show, NULL)

RDPPRN_FLAG_ATTR(default, RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER);
RDPPRN_FLAG_ATTR(network, RDPDR_PRINTER_ANNOUNCE_FLAG_NETWORKPRINTER);
RDPPRN_FLAG_ATTR(nested, RDPDR_PRINTER_ANNOUNCE_FLAG_TSPRINTER);
RDPPRN_FLAG_ATTR(xps, RDPDR_PRINTER_ANNOUNCE_FLAG_XPSFORMAT);

static ssize_t device_id_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_rdpprn(dev)->device_id);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t session_id_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_rdpprn(dev)->session->id);
}
static DEVICE_ATTR_RO(session_id);

static ssize_t client_name_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_rdpprn(dev)->session->client_name);
}
static DEVICE_ATTR_RO(client_name);

static ssize_t client_address_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_rdpprn(dev)->session->client_addr);
}
static DEVICE_ATTR_RO(client_address);

static ssize_t rdpprn_counter_show(char *buf, atomic64_t *counter)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(counter));
}

static ssize_t jobs_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return rdpprn_counter_show(buf, &to_rdpprn(dev)->jobs);
}
static DEVICE_ATTR_RO(jobs);

static ssize_t bytes_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return rdpprn_counter_show(buf, &to_rdpprn(dev)->bytes);
}
static DEVICE_ATTR_RO(bytes);

static ssize_t errors_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return rdpprn_counter_show(buf, &to_rdpprn(dev)->errors);
}
static DEVICE_ATTR_RO(errors);

static ssize_t incomplete_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return rdpprn_counter_show(buf, &to_rdpprn(dev)->incomplete);
}
static DEVICE_ATTR_RO(incomplete);

static ssize_t cached_config_read(struct file *filp, struct kobject *kobj,
				  struct bin_attribute *attr, char *buf,
				  loff_t off, size_t count)
{
	struct rdpprn_device *pdev = to_rdpprn(kobj_to_dev(kobj));

	return memory_read_from_buffer(buf, count, &off, pdev->config,
				       pdev->config_len);
}

/* The client's private printer settings: root only, like a spool file. */
static BIN_ATTR_ADMIN_RO(cached_config, 0);

static struct attribute *rdpprn_attrs[] = {
	&dev_attr_printer_name.attr,
	&dev_attr_driver_name.attr,
	&dev_attr_dos_name.attr,
	&dev_attr_flags.attr,
	&dev_attr_default.attr,
	&dev_attr_network.attr,
	&dev_attr_nested.attr,
	&dev_attr_xps.attr,
	&dev_attr_device_id.attr,
	&dev_attr_session_id.attr,
	&dev_attr_client_name.attr,
	&dev_attr_client_address.attr,
	&dev_attr_jobs.attr,
	&dev_attr_bytes.attr,
	&dev_attr_errors.attr,
	&dev_attr_incomplete.attr,
	NULL
};

static struct bin_attribute *rdpprn_bin_attrs[] = {
	&bin_attr_cached_config,
	NULL
};

static const struct attribute_group rdpprn_group = {
	.attrs = rdpprn_attrs,
	.bin_attrs = rdpprn_bin_attrs,
};

static const struct attribute_group *rdpprn_groups[] = {
	&rdpprn_group,
	NULL
};

static struct class rdpprn_class = {
	.name = "rdpprn",
	.dev_groups = rdpprn_groups,
};

/*
 * Variables for udev rules. Names are sanitized: a client can call its
 * printer anything, and these end up in paths under /dev.
 */
static int rdpprn_uevent(rdpprn_uevent_dev_t *dev, struct kobj_uevent_env *env)
{
	const struct rdpprn_device *pdev = to_rdpprn(dev);
	const struct rdpprn_session *s = pdev->session;
	char name[RDPPRN_UEVENT_NAME_MAX];
	int ret;

	rdpprn_sanitize_name(pdev->printer_name, name, sizeof(name));
	ret = add_uevent_var(env, "RDPPRN_NAME=%s", name);
	if (!ret) {
		rdpprn_sanitize_name(s->client_name, name, sizeof(name));
		ret = add_uevent_var(env, "RDPPRN_CLIENT=%s", name);
	}
	if (!ret)
		ret = add_uevent_var(env, "RDPPRN_SESSION=%u", s->id);
	if (!ret)
		ret = add_uevent_var(env, "RDPPRN_UID=%u",
				     from_kuid(&init_user_ns, s->uid));
	if (!ret)
		ret = add_uevent_var(env, "RDPPRN_GID=%u",
				     from_kgid(&init_user_ns, s->gid));
	if (!ret)
		ret = add_uevent_var(env, "RDPPRN_DEFAULT=%d",
				     !!(pdev->flags &
					RDPDR_PRINTER_ANNOUNCE_FLAG_DEFAULTPRINTER));
	if (!ret)
		ret = add_uevent_var(env, "RDPPRN_DEVICE_ID=%u",
				     pdev->device_id);
	return ret;
}

static char *rdpprn_devnode(rdpprn_devnode_dev_t *dev, umode_t *mode,
			    kuid_t *uid, kgid_t *gid)
{
	const struct rdpprn_device *pdev = to_rdpprn(dev);

	if (mode)
		*mode = READ_ONCE(rdpprn_node_mode) & 0777;
	if (uid)
		*uid = pdev->session->uid;
	if (gid)
		*gid = pdev->session->gid;
	return NULL;
}

static void rdpprn_device_release(struct device *dev)
{
	struct rdpprn_device *pdev = to_rdpprn(dev);

	xa_erase(&rdpprn_minors, MINOR(dev->devt));
	rdpprn_session_put(pdev->session);
	kfree(pdev->printer_name);
	kfree(pdev->driver_name);
	kvfree(pdev->config);
	kfree(pdev);
}

static const struct device_type rdpprn_device_type = {
	.name = "rdpprn_printer",
	.uevent = rdpprn_uevent,
	.devnode = rdpprn_devnode,
	.release = rdpprn_device_release,
};

static char *rdpprn_str_dup(const struct rdpdr_str *str)
{
	char *s = kmalloc(str->utf8_len + 1, GFP_KERNEL_ACCOUNT);

	if (s)
		rdpdr_str_to_utf8(str, s, str->utf8_len + 1);
	return s;
}

/**
 * rdpprn_device_alloc() - a printer device for an accepted announce entry
 * @s: its session, @s->lock held; the device takes a reference
 * @d: the DEVICE_ANNOUNCE entry
 * @p: its parsed printer data
 *
 * Return: the device, initialized but not registered, or an ERR_PTR.
 * Release it with rdpprn_device_put().
 */
struct rdpprn_device *rdpprn_device_alloc(struct rdpprn_session *s,
					  const struct rdpdr_device *d,
					  const struct rdpdr_printer *p)
{
	struct rdpprn_device *pdev;
	u32 minor;
	int ret;

	pdev = kzalloc(sizeof(*pdev), GFP_KERNEL_ACCOUNT);
	if (!pdev)
		return ERR_PTR(-ENOMEM);
	ret = xa_alloc_cyclic(&rdpprn_minors, &minor, pdev,
			      XA_LIMIT(0, RDPPRN_MINORS - 1),
			      &rdpprn_next_minor, GFP_KERNEL);
	if (ret < 0) {
		kfree(pdev);
		return ERR_PTR(ret);
	}

	/* From here on, the release callback frees everything. */
	kref_get(&s->ref);
	pdev->session = s;
	device_initialize(&pdev->dev);
	pdev->dev.devt = MKDEV(MAJOR(rdpprn_devt), minor);
	pdev->dev.class = &rdpprn_class;
	pdev->dev.type = &rdpprn_device_type;
	/*
	 * A printer has no power state: without this every node carries a
	 * power/ directory of runtime-PM files, about a third of an idle
	 * printer's kernel memory (Documentation/performance.rst, scale).
	 */
	device_set_pm_not_required(&pdev->dev);
	cdev_init(&pdev->cdev, &rdpprn_fops);
	pdev->cdev.owner = THIS_MODULE;
	INIT_LIST_HEAD(&pdev->job_list);
	INIT_LIST_HEAD(&pdev->gone);
	atomic64_set(&pdev->jobs, 0);
	atomic64_set(&pdev->bytes, 0);
	atomic64_set(&pdev->errors, 0);
	atomic64_set(&pdev->incomplete, 0);
	pdev->device_id = d->device_id;
	pdev->flags = p->flags;
	strscpy(pdev->dos_name, d->dos_name, sizeof(pdev->dos_name));

	ret = -ENOMEM;
	pdev->printer_name = rdpprn_str_dup(&p->printer_name);
	pdev->driver_name = rdpprn_str_dup(&p->driver_name);
	if (!pdev->printer_name || !pdev->driver_name)
		goto err;
	if (p->cached_fields_len) {
		pdev->config = kvmalloc(p->cached_fields_len,
					GFP_KERNEL_ACCOUNT);
		if (!pdev->config)
			goto err;
		memcpy(pdev->config, p->cached_data, p->cached_fields_len);
		pdev->config_len = p->cached_fields_len;
	}
	ret = dev_set_name(&pdev->dev, "rdpprn%u", minor);
	if (ret)
		goto err;
	return pdev;
err:
	put_device(&pdev->dev);
	return ERR_PTR(ret);
}

/* Make the node live: cdev first, so it opens as soon as udev hears of it. */
int rdpprn_device_register(struct rdpprn_device *pdev)
{
	return cdev_device_add(&pdev->cdev, &pdev->dev);
}

void rdpprn_device_unregister(struct rdpprn_device *pdev)
{
	cdev_device_del(&pdev->cdev, &pdev->dev);
}

void rdpprn_device_put(struct rdpprn_device *pdev)
{
	put_device(&pdev->dev);
}

int rdpprn_device_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&rdpprn_devt, 0, RDPPRN_MINORS, "rdpprn");
	if (ret)
		return ret;
	ret = class_register(&rdpprn_class);
	if (ret)
		unregister_chrdev_region(rdpprn_devt, RDPPRN_MINORS);
	return ret;
}

void rdpprn_device_exit(void)
{
	class_unregister(&rdpprn_class);
	unregister_chrdev_region(rdpprn_devt, RDPPRN_MINORS);
	WARN_ON(!xa_empty(&rdpprn_minors));
	xa_destroy(&rdpprn_minors);
}

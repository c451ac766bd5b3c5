# SPDX-License-Identifier: GPL-2.0
#
# rdpprn: build the kernel module out of tree and the userspace tools.
#
#   make                      rdpprn.ko against KDIR
#   make KDIR=/path/to/build  against another kernel build tree
#   make userspace            tools and unit tests (userspace/, tests/)
#   make check                the full test suite (same as tests/run-all)
#   make dkms-source          the module's source and dkms.conf in
#                             $(DESTDIR)/usr/src/rdpprn-$(VERSION)
#   make dkms-install         that, then "dkms add" and "dkms install" for
#                             the running kernel (as root, without packages)
#   make deb                  the Debian packages, in build/deb/ (debian/)

KDIR ?= /lib/modules/$(shell uname -r)/build

# One version for the packages and DKMS: the newest debian/changelog entry.
VERSION := $(shell awk 'NR == 1 { print substr($$2, 2, length($$2) - 2) }' \
	     debian/changelog)

# What DKMS builds rdpprn.ko from: Kbuild and the module's sources only.
DKMS_SRCS := Kbuild $(wildcard drivers/rdpprn/*.[ch]) \
	     $(wildcard include/rdpdr/*.[ch]) include/uapi/linux/rdpprn.h \
	     include/uapi/linux/rdpprn_dev.h
DKMS_DIR = $(DESTDIR)/usr/src/rdpprn-$(VERSION)

all: modules

# The KUnit module (rdpprn_kunit.ko, kernels with CONFIG_KUNIT) compiles the
# protocol vectors of tests/vectors: generate their header (build/gen)
# before kbuild runs. Nothing outside the repository is read.

modules: vectors-header
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

vectors-header:
	$(MAKE) -C tests gen

userspace:
	$(MAKE) -C userspace

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C userspace clean

check:
	tests/run-all

dkms-source:
	install -d $(DKMS_DIR)
	cp --parents $(DKMS_SRCS) $(DKMS_DIR)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_DIR)/dkms.conf

dkms-install: dkms-source
	dkms add rdpprn/$(VERSION)
	dkms install rdpprn/$(VERSION)

deb:
	tests/pkg/build-debs.sh build/deb

# The benchmarks, in one VM boot (Documentation/performance.rst); the
# figures go to build/bench/. bench-smoke is the test command's tiny run.
bench:
	tests/bench/run

bench-smoke:
	tests/bench/run --smoke

.PHONY: all modules vectors-header userspace clean check dkms-source \
	dkms-install deb bench bench-smoke

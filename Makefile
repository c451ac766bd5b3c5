# SPDX-License-Identifier: GPL-2.0
#
# rdpprn: build the kernel module out of tree and the userspace tools.
#
#   make                      rdpprn.ko against KDIR
#   make KDIR=/path/to/build  against another kernel build tree
#   make userspace            tools and unit tests (userspace/, tests/)
#   make check                the full test suite (same as tests/run-all)

KDIR ?= /lib/modules/$(shell uname -r)/build

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

.PHONY: all modules vectors-header userspace clean check

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
# shared test vectors: generate their header (build/gen) before kbuild runs.
# Without the vectors directory (SHARED=, default ../shared) only a kernel
# without KUnit can be built.
SHARED ?= $(CURDIR)/../shared

modules: vectors-header
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

vectors-header:
	@if [ -d "$(SHARED)/protocol/vectors" ]; then \
		$(MAKE) -C tests gen SHARED="$(SHARED)"; \
	elif grep -qs '^CONFIG_KUNIT=' "$(KDIR)/.config"; then \
		echo "$(SHARED)/protocol/vectors not found (set SHARED=): needed by the KUnit module" >&2; \
		exit 1; \
	else \
		echo "note: no $(SHARED)/protocol/vectors; KDIR has no KUnit, skipping the vectors header"; \
	fi

userspace:
	$(MAKE) -C userspace

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C userspace clean

check:
	tests/run-all

.PHONY: all modules vectors-header userspace clean check

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The session's window manager in the real-session suite: none. The
# session lives as long as this process (sesman ends it when it exits).
exec sleep infinity

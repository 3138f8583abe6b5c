#!/usr/bin/env bash
# Installs Debian's HAProxy (once): the load balancer of `make run-cluster` and its tests.
set -euo pipefail
"$(dirname "$0")/apt-install.sh" haproxy haproxy
# apt may start the distribution's own HAProxy service; it is not ours, and it is idle.
# The version line is read whole, then cut: `haproxy -v | head -n 1` under pipefail fails with
# SIGPIPE (141) when head exits before haproxy has written the rest.
version=$(haproxy -v)
echo "${version%%$'\n'*}"

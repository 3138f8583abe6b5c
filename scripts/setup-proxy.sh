#!/usr/bin/env bash
# Installs Debian's HAProxy (once): the load balancer of `make run-cluster` and its tests.
set -euo pipefail
"$(dirname "$0")/apt-install.sh" haproxy haproxy
# apt may start the distribution's own HAProxy service; it is not ours, and it is idle.
haproxy -v | head -n 1

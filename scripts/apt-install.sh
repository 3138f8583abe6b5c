#!/usr/bin/env bash
# apt-install.sh PACKAGE PROGRAM: installs a Debian package (once) unless PROGRAM exists.
# Used for the programs the tests drive that are not Python packages (Chromium, HAProxy).
set -euo pipefail
package=$1 program=$2
if [ -x "$program" ] || command -v "$program" >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: $program is missing and this is not a Debian/Ubuntu system; install $package." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo -n"
fi
log=${TMPDIR:-/tmp}/shopassist-apt.log
echo "setup: installing Debian's $package (first time only)..."
# No service is started: the project runs its own instances with its own configuration.
export DEBIAN_FRONTEND=noninteractive RUNLEVEL=1
if ! $sudo apt-get install -y --no-install-recommends "$package" >"$log" 2>&1; then
  $sudo apt-get update >>"$log" 2>&1 || true
  $sudo apt-get install -y --no-install-recommends "$package" >>"$log" 2>&1 \
    || { echo "setup: could not install $package (log: $log); run 'sudo apt-get install $package'." >&2; exit 1; }
fi

#!/usr/bin/env bash
# Installs Debian's Chromium (once) for the browser tests; Playwright drives it, so no
# browser is ever downloaded by the tests themselves.
set -euo pipefail
CHROMIUM=${SHOPASSIST_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: $CHROMIUM is missing and this is not a Debian/Ubuntu system; install Chromium and set SHOPASSIST_CHROMIUM to its path." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo -n"
fi
echo "setup-browser: installing Debian's chromium for the browser tests (first time only)..."
if ! $sudo apt-get install -y --no-install-recommends chromium >/tmp/shopassist-apt.log 2>&1; then
  $sudo apt-get update >>/tmp/shopassist-apt.log 2>&1 || true
  $sudo apt-get install -y --no-install-recommends chromium >>/tmp/shopassist-apt.log 2>&1 \
    || { echo "setup-browser: could not install chromium (log: /tmp/shopassist-apt.log); run 'sudo apt-get install chromium'." >&2; exit 1; }
fi
"$CHROMIUM" --version

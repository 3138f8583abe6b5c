#!/usr/bin/env bash
# Installs Debian's Chromium (once) for the browser tests; Playwright drives it, so no
# browser is ever downloaded by the tests themselves.
set -euo pipefail
CHROMIUM=${SHOPASSIST_CHROMIUM:-/usr/bin/chromium}
"$(dirname "$0")/apt-install.sh" chromium "$CHROMIUM"
"$CHROMIUM" --version

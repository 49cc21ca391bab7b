#!/usr/bin/env bash
# Make sure a Chromium that Playwright can drive exists: Playwright's own download when present,
# otherwise Debian's `chromium` package (Playwright cannot download browsers on every network).
set -euo pipefail
if [ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ]; then exit 0; fi
if compgen -G "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}/chromium*/chrome-linux*/chrome" >/dev/null; then
  exit 0
fi
echo "installing Debian's chromium for the browser engine…"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium

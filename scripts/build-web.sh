#!/usr/bin/env bash
# Build the dashboard once (and again when its sources change); serve picks up web/dist.
set -euo pipefail
cd web
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/index.html ] || [ -n "$(find src index.html package.json vite.config.ts -newer dist/index.html 2>/dev/null | head -1)" ]; then
  npm run build
fi

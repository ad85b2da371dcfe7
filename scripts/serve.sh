#!/usr/bin/env bash
# Installs what is missing, builds the release app once and serves dist/ on
# http://127.0.0.1:8080/ (PORT=... to change) as the published site serves it: the headers of
# scripts/site-headers.json (CSP, ...), Brotli or gzip (scripts/serve-dist.mjs). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release --offline --skip-version-check
exec node scripts/serve-dist.mjs dist "${PORT:-8080}"

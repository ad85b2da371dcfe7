#!/usr/bin/env bash
# Installs what is missing, builds the release app and serves it on http://127.0.0.1:8080/
# (PORT=... to change). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
PORT="${PORT:-8080}"
trunk build --release --offline --skip-version-check
printf 'Serving dist/ on http://127.0.0.1:%s/\n' "$PORT"
exec trunk serve --release --offline --skip-version-check --address 127.0.0.1 --port "$PORT" --no-autoreload

#!/usr/bin/env bash
# Measurements (not tests): the engine benchmark (criterion) and, in Chromium against the
# release build, wasm size, time to first chart and slider-to-repaint latency.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo bench --bench engine -- --warm-up-time 1 --measurement-time 3
trunk build --release --offline --skip-version-check
node e2e/measure.mjs dist

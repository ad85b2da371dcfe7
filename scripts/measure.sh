#!/usr/bin/env bash
# Measurements (not tests): the engine benchmark (criterion) and, side by side in Chromium, this
# release build against the baseline (the app as of commit 1ba58cc, built once into
# target/measure-baseline/ and reused): wasm and JS sizes, time to first chart (loopback and an
# emulated 1.6 Mbps / 150 ms link), slider-to-repaint, memory; and where the wasm's bytes go, per
# crate, for both builds (from cargo's wasm, before wasm-bindgen and wasm-opt strip the names).
# MEASURE_SKIP_BENCH=1 skips the criterion benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
BASELINE_COMMIT=1ba58cc
BASE=target/measure-baseline
# The page's own target directory (scripts/page-wasm.mjs builds it with its own std).
RAW=target/page/wasm32-unknown-unknown/release/bridge-planner.wasm

[ -n "${MEASURE_SKIP_BENCH:-}" ] || cargo bench --bench engine -- --warm-up-time 1 --measurement-time 3

if [ ! -f "$BASE/dist/index.html" ] || [ ! -f "$BASE/raw.wasm" ]; then
  echo "[measure] building the baseline ($BASELINE_COMMIT) once into $BASE"
  rm -rf "$BASE/src"
  git worktree prune
  git worktree add --detach "$BASE/src" "$BASELINE_COMMIT" >/dev/null
  # Same target directory: the dependencies compiled for one build serve the other.
  target="$PWD/target"
  (cd "$BASE/src" && CARGO_TARGET_DIR="$target" trunk build --release --offline --skip-version-check --dist ../dist)
  # The baseline predates scripts/page-wasm.mjs: trunk built its page in the shared directory.
  cp target/wasm32-unknown-unknown/release/bridge-planner.wasm "$BASE/raw.wasm"
  git worktree remove --force "$BASE/src"
fi

trunk build --release --offline --skip-version-check
mkdir -p e2e/out
cp "$RAW" e2e/out/raw.wasm
WORKER_RAW=target/wasm32-unknown-unknown/release/exports-worker.wasm

echo
echo "== where the wasm's bytes go (cargo's wasm, shallow size per crate)"
# This build's page is cut into chunks by wasm-split (scripts/page-wasm.mjs): the same cut, names kept.
CUT=e2e/out/cut
rm -rf "$CUT"
wasm-split-cli e2e/out/raw.wasm "$CUT" --out-name bridge-planner
for w in "$BASE/raw.wasm:baseline $BASELINE_COMMIT" "$CUT/bridge-planner.wasm:this build, first load"; do
  echo "-- ${w#*:}"
  python3 scripts/wasm_breakdown.py "${w%%:*}" 0 18
done
# The chunks fetched after the first chart (src/ui/inputs.rs, below.rs, codec.rs) and the
# chunks of code two or more of them share (the loader, __wasm_split.js, names who shares each).
for f in "$CUT"/split_*.wasm "$CUT"/chunk_*.wasm; do
  echo "-- this build, chunk $(basename "$f" .wasm) (after the first chart)"
  python3 scripts/wasm_breakdown.py "$f" 0 8
done
if [ -f "$WORKER_RAW" ]; then
  echo "-- the exports worker of this build (loaded when the Exports or Calibrate panel is first seen)"
  python3 scripts/wasm_breakdown.py "$WORKER_RAW" 0 12
fi
echo
echo "== in the browser (Chromium, release builds served like the published site: Brotli when accepted)"
node e2e/measure.mjs dist "$BASE/dist"

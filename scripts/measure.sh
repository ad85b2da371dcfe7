#!/usr/bin/env bash
# Measurements (not tests), side by side in one run against the baseline (commit 60e08c8: its
# sources in target/measure-baseline/src, its build in target/measure-baseline/dist):
#   - the engine benchmark (criterion; MEASURE_SKIP_BENCH=1 skips it);
#   - the release build's wall time, the baseline's and this one's, each rebuilt in turn (the
#     first run also compiles their dependencies: a fair figure needs them compiled);
#   - where the wasm's bytes go (twiggy top, on cargo's wasm: names kept), for both builds;
#   - what each wasm step of the release build buys (scripts/measure-steps.mjs);
#   - in Chromium (e2e/measure.mjs): sizes, first chart on loopback and on an emulated
#     1.6 Mbps / 150 ms link, slider-to-repaint, memory: this build, the baseline, and this
#     build without the first frame's snapshot (PAGE_FIRST_FRAME=0, into dist-nosnap/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
BASELINE_COMMIT=60e08c8
BASE=target/measure-baseline
TRUNK=(trunk build --release --offline --skip-version-check)
RAW=target/wasm32-unknown-unknown/release/bridge-planner.wasm
# The baseline built the page with its own std in its own target directory.
BASE_RAW=target/page/wasm32-unknown-unknown/release/bridge-planner.wasm
target="$PWD/target"

[ -n "${MEASURE_SKIP_BENCH:-}" ] || cargo bench --bench engine -- --warm-up-time 1 --measurement-time 3

# The baseline's sources stay in $BASE/src (a detached worktree) for the timed rebuild.
build_baseline() {
  (cd "$BASE/src" && CARGO_TARGET_DIR="$target" "${TRUNK[@]}" --dist ../dist)
  cp "$BASE_RAW" "$BASE/raw.wasm"
}
if [ ! -d "$BASE/src" ]; then
  git worktree prune
  git worktree add --detach "$BASE/src" "$BASELINE_COMMIT" >/dev/null
fi

# Wall time of a release build (the crate itself recompiles; its dependencies, once compiled,
# are reused): the baseline's, then this one's.
timed() {
  local start=$SECONDS
  touch "$1/src/lib.rs"
  "${@:2}" >&2
  echo $((SECONDS - start))
}
base_s=$(timed "$BASE/src" build_baseline)
this_s=$(timed . "${TRUNK[@]}")
PAGE_FIRST_FRAME=0 "${TRUNK[@]}" --dist dist-nosnap >&2
mkdir -p e2e/out
cp "$RAW" e2e/out/raw.wasm

echo
echo "== release build wall time (dependencies compiled; this machine is shared: compare the ratio)"
echo "baseline $BASELINE_COMMIT: ${base_s} s; this build: ${this_s} s"
echo
echo "== where the wasm's bytes go (twiggy top, cargo's wasm, names kept)"
CUT=e2e/out/cut
rm -rf "$CUT"
wasm-split-cli e2e/out/raw.wasm "$CUT" --out-name bridge-planner >/dev/null
for w in "$BASE/raw.wasm:baseline $BASELINE_COMMIT (before wasm-split)" "$CUT/bridge-planner.wasm:this build, first load"; do
  echo "-- ${w#*:}"
  twiggy top -n 18 "${w%%:*}"
done
# The chunks fetched after the first chart (src/ui/inputs.rs, below.rs, codec.rs) and the
# chunks of code two or more of them share.
for f in "$CUT"/split_*.wasm "$CUT"/chunk_*.wasm; do
  echo "-- this build, chunk $(basename "$f" .wasm) (after the first chart)"
  twiggy top -n 8 "$f"
done

echo
echo "== what each wasm step of the release build buys (from this build's cargo wasm)"
node scripts/measure-steps.mjs e2e/out/raw.wasm

echo
echo "== in the browser (Chromium, served like the published site: Brotli when accepted)"
node e2e/measure.mjs dist "$BASE/dist" dist-nosnap

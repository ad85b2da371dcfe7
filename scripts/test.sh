#!/usr/bin/env bash
# Runs every test: installs what is missing (scripts/setup.sh), then
#   1. native cargo tests (engine, exports, CLI, decoders, properties),
#   2. the exports against AWS's API models, shellcheck and hadolint,
#   3. component tests in headless Chromium (wasm-bindgen-test),
#   4. the release build (trunk, wasm-opt) and the end-to-end browser test against dist/.
# Prints one 'N passed, N failed' summary line at the end and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

passed=0
failed=0
run() {
  local name="$1"; shift
  printf '\n=== %s\n' "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); printf '=== FAILED: %s\n' "$name"; fi
}

run "native tests (cargo test)" cargo test --all-targets --quiet
run "exports against botocore models, shellcheck, hadolint" \
  .venv/bin/python tests/aws_validate.py target/debug/scaling-plan 25
run "deploy.sh twice and teardown.sh against a mock AWS (moto, AWS CLI)" .venv/bin/python tests/moto_deploy.py target/debug/scaling-plan 6
run "stack.yaml: cfn-lint, and the stack created in moto" .venv/bin/python tests/stack_check.py target/debug/scaling-plan 6
run "calibration end to end: metrics in moto, the printed fetch script, calibrate" \
  .venv/bin/python tests/calibrate_e2e.py target/debug/scaling-plan
# The runner's default 20 s per test is too short for a debug wasm on a busy 2-core machine.
run "components in headless Chromium (wasm-bindgen-test)" \
  env WASM_BINDGEN_TEST_TIMEOUT=180 cargo test --target wasm32-unknown-unknown --test web
run "the prices panel's catalog file in headless Chromium" \
  env WASM_BINDGEN_TEST_TIMEOUT=180 cargo test --target wasm32-unknown-unknown --test web_catalog
run "a stranger's link and a hung exports worker in headless Chromium" \
  env WASM_BINDGEN_TEST_TIMEOUT=180 cargo test --target wasm32-unknown-unknown --test web_link --test web_worker_timeout
run "release build (trunk --release --offline)" trunk build --release --offline --skip-version-check
if [ -f dist/index.html ]; then
  run "end-to-end in Chromium against dist/" node e2e/e2e.mjs dist target/debug/scaling-plan
  run "the cockpit, second round (issue 27) in Chromium against dist/" node e2e/cockpit.mjs dist target/debug/scaling-plan
  run "the growth panel (issue 28) in Chromium against dist/" node e2e/growth.mjs dist target/debug/scaling-plan
  run "calibrate from metrics in Chromium against dist/" node e2e/calibrate.mjs dist target/debug/scaling-plan
  run "offline, installable, new-release offer (service worker)" node e2e/offline.mjs dist target/debug/scaling-plan
  run "publish.sh against moto server (S3 + CloudFront)" .venv/bin/python tests/publish_test.py dist
else
  failed=$((failed + 1))
fi

printf '\nsuites: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]

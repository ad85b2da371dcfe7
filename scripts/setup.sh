#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping each one already present at the
# right version. Safe to re-run (about a second when everything is there).
# Versions are pinned: see toolchain notes in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen version locked in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

log() { printf '[setup] %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "cargo install trunk $TRUNK_VERSION (about 10 minutes cold)"
  CARGO_PROFILE_RELEASE_LTO=false cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file wants a webpki-roots version the registry no longer has.
  CARGO_PROFILE_RELEASE_LTO=false cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-split cuts the release page's wasm in two (scripts/page-wasm.mjs); 0.2.4 reads what
# wasm_split_helpers 0.2.3 (Cargo.lock, through leptos) marks.
WASM_SPLIT_VERSION=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli)"
  CARGO_PROFILE_RELEASE_LTO=false cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" \
    --features build-binary
fi

# twiggy: where the wasm's bytes go (scripts/measure.sh).
TWIGGY_VERSION=0.8.0
if ! twiggy --version 2>/dev/null | grep -q "$TWIGGY_VERSION"; then
  log "cargo install twiggy $TWIGGY_VERSION"
  CARGO_PROFILE_RELEASE_LTO=false cargo install --locked twiggy --version "$TWIGGY_VERSION"
fi

# npm: binaryen 132 (wasm-opt; never Debian's 108) and playwright-core for the browser tests.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Python: botocore (AWS API models), shellcheck and hadolint for the export checks; moto (a mock
# AWS) and the AWS CLI for running the generated scripts.
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  log "python venv"
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import botocore, yaml' 2>/dev/null || [ ! -x "$VENV/bin/shellcheck" ] || [ ! -x "$VENV/bin/hadolint" ] \
   || [ ! -x "$VENV/bin/cfn-lint" ] || [ ! -x "$VENV/bin/moto_server" ] || [ ! -x "$VENV/bin/aws" ] \
   || [ scripts/requirements.txt -nt "$VENV/.requirements-installed" ]; then
  log "pip install -r scripts/requirements.txt"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r scripts/requirements.txt
  touch "$VENV/.requirements-installed"
fi

# trunk and the tests build offline: fetch every crate once.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch

log "ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(node_modules/.bin/wasm-opt --version | head -1)"

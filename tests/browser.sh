#!/usr/bin/env bash
# Browser tests of `sayso serve` in headless Chromium: search, an article's highlights, a
# speaker page, a trail, a pasted article, and script payloads that must not run.
# Installs Debian's chromium and playwright-core (npm; no browser download) where it can,
# and says so and skips where it cannot. Screenshots go to target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() { echo "skipping the browser tests: $*"; exit 0; }
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || skip "chromium could not be installed"
  fi
  command -v chromium >/dev/null || skip "no chromium (apt-get install chromium)"
fi
command -v node >/dev/null && command -v npm >/dev/null || skip "no node and npm"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent) || skip "playwright-core could not be installed from npm"
fi

cargo build --release -q -p sayso
out=target/browser
mkdir -p "$out" target/screenshots
rm -f "$out/hostile.db"
./target/release/sayso ingest tests/serve/hostile.jsonl --db "$out/hostile.db" 2>/dev/null

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
# Starts a server on a free loopback port and sets $at to its address once it listens.
start() {
  local log="$out/$1.log"; shift
  ./target/release/sayso serve --addr 127.0.0.1:0 "$@" >/dev/null 2>"$log" &
  pids+=($!)
  at=
  for _ in $(seq 100); do
    at=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 || true)
    [ -n "$at" ] && return
    sleep 0.1
  done
  echo "the server did not start: $(cat "$log")" >&2
  exit 1
}
start demo --demo
demo=$at
start hostile --db "$out/hostile.db"
hostile=$at
node tests/browser/run.mjs "$demo" "$hostile" target/screenshots

#!/usr/bin/env bash
# Extraction throughput and peak memory on the BBC corpus in ../shared, all in one run:
#   1. MB/s of text on one core and on all cores (sayso bench; I/O excluded), and the ratio;
#   2. peak memory of a streaming `sayso extract` over 1x and 8x the corpus, and the ratio
#      (it should stay near 1: memory does not grow with the number of articles).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/bbc/bbc.jsonl}
[ -f "$corpus" ] || { echo "no corpus at $corpus (pass a JSONL file)"; exit 1; }
cargo build --release -q
bin=target/release/sayso
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" bench "$corpus" | tee "$tmp/bench.txt"
one=$(awk '/one core/ {print $3}' "$tmp/bench.txt")
all=$(awk '/threads/ {print $3}' "$tmp/bench.txt")
echo "parallel speed-up: $(awk -v a="$all" -v o="$one" 'BEGIN {printf "%.2f", a / o}')x"

for i in 1 2 3 4 5 6 7 8; do cat "$corpus"; done > "$tmp/x8.jsonl"
peak() { /usr/bin/time -f %M "$bin" extract "$1" -f jsonl -o /dev/null 2>&1 >/dev/null | tail -1; }
m1=$(peak "$corpus")
m8=$(peak "$tmp/x8.jsonl")
echo "peak memory: ${m1} KB over 1x the corpus, ${m8} KB over 8x (ratio $(awk -v a="$m8" -v b="$m1" 'BEGIN {printf "%.2f", a / b}'))"

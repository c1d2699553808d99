#!/usr/bin/env bash
# Throughput and peak memory, all in one run, on any input sayso reads:
#   bash bench/throughput.sh                                  # BBC JSONL: text to statements
#   bash bench/throughput.sh ../shared/corpora/news-warc/news-pages.warc.gz   # HTML pages
#   1. records/s and MB/s on one core and on all cores (sayso bench; I/O excluded), and
#      the speed-up;
#   2. peak memory of a streaming `sayso extract` over the input and over 10 copies of it
#      (JSONL lines and gzip members both concatenate), and the ratio: it should stay near 1.
set -euo pipefail
cd "$(dirname "$0")/.."
input=${1:-../shared/corpora/bbc/bbc.jsonl}
[ -f "$input" ] || { echo "no input at $input (pass a JSONL, WARC or other file)"; exit 1; }
cargo build --release -q
bin=target/release/sayso
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" bench "$input" | tee "$tmp/bench.txt"
one=$(awk '/one core/ {print $9}' "$tmp/bench.txt")
all=$(awk '/threads/ {print $9}' "$tmp/bench.txt")
echo "parallel speed-up: $(awk -v a="$all" -v o="$one" 'BEGIN {printf "%.2f", a / o}')x"

copies="$tmp/x10.$(basename "$input")"
for _ in $(seq 10); do cat "$input"; done > "$copies"
peak() { /usr/bin/time -f "%M %e" "$bin" extract "$1" -f jsonl -o /dev/null 2>&1 >/dev/null | tail -1; }
read -r m1 t1 < <(peak "$input")
read -r m10 t10 < <(peak "$copies")
echo "peak memory: ${m1} KB over 1x the input (${t1}s), ${m10} KB over 10x (${t10}s); ratio $(awk -v a="$m10" -v b="$m1" 'BEGIN {printf "%.2f", a / b}')"

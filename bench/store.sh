#!/usr/bin/env bash
# The store at scale, all in one run: the BBC corpus replicated to ~100k articles (distinct
# ids, and a line that makes each copy's text distinct, so nothing is deduplicated), then
#   1. ingest rate (articles/s) and peak memory of `sayso ingest`;
#   2. database size against the article text it holds;
#   3. search and speaker-page latency (p50/p95) with `sayso bench-queries`.
# Usage: bash bench/store.sh [COPIES]   (default 52: 115,700 articles, ~1M statements stored)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpora/bbc/bbc.jsonl
[ -f "$corpus" ] || { echo "no corpus at $corpus"; exit 1; }
copies=${1:-52}
cargo build --release -q
bin=$PWD/target/release/sayso
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 bench/replicate.py "$corpus" "$copies" > "$tmp/articles.jsonl"
n=$(wc -l < "$tmp/articles.jsonl")
read -r mem secs < <(/usr/bin/time -f "%M %e" "$bin" ingest "$tmp/articles.jsonl" --db "$tmp/s.db" 2>&1 >/dev/null | tail -1)
echo "ingest: $n articles in ${secs}s = $(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%.0f", n / s}') articles/s, peak memory ${mem} KB"
text=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('select sum(length(cast(text as blob))) from articles').fetchone()[0])" "$tmp/s.db")
size=$(stat -c %s "$tmp/s.db")
echo "size: database $((size / 1000000)) MB, article text $((text / 1000000)) MB, ratio $(awk -v a="$size" -v b="$text" 'BEGIN {printf "%.2f", a / b}')"
"$bin" bench-queries --db "$tmp/s.db" -n 300

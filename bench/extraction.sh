#!/usr/bin/env bash
# Main-content extraction scores: runs sayso over ../shared/data/extraction and scores
# it with shared/tools/extraction_score.py (body; title/author/date on fundus) and the WCXB
# dev articles with shared/tools/wcxb_score.py (word F1).
# With --peers, also builds bench/peers (the trafilatura and dom_smoothie crates; its first
# build takes a few minutes) and scores them in the same tables, every system on one core
# (sayso's pages/s include its statement extraction).
# Usage: bash bench/extraction.sh [--peers] [OUT_DIR]   (needs a release build: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
peers=""
if [ "${1:-}" = "--peers" ]; then peers=1; shift; fi
shared=../shared
if [ ! -d "$shared/data/extraction" ]; then
    echo "extraction eval skipped: ../shared/data/extraction is not here"
    exit 0
fi
out=${1:-target/extraction}
mkdir -p "$out"
systems=()
if [ -n "$peers" ]; then
    echo "building bench/peers (trafilatura, dom_smoothie) ..."
    (cd bench/peers && cargo build --release --example peers -q)
    systems=(trafilatura dom_smoothie)
fi
# Each system over one set: $out/$set/$system.jsonl, with its timing beside it.
run_peers() {
    local set=$1 html=$2
    mkdir -p "$out/$set"
    for s in "${systems[@]}"; do
        bench/peers/target/release/examples/peers "$s" "$html" "$out/$set/$s.jsonl" 2>"$out/$set/$s.log" || true
        echo "   $(tail -1 "$out/$set/$s.log")"
    done
    if [ -n "$peers" ]; then
        # sayso on one core too, for the pages/s column.
        ./target/release/sayso extract "$html" --with-text -j 1 -f jsonl -o "$out/$set/sayso.jsonl" 2>"$out/$set/sayso.log" || true
        python3 - "$out/$set/sayso" <<'PY'
import json, re, sys
n, secs = re.search(r"(\d+) articles.* in ([\d.]+)s", open(sys.argv[1] + ".log").read().splitlines()[-1]).groups()
json.dump({"pages_per_second": int(n) / float(secs), "version": "sayso"}, open(sys.argv[1] + ".timing.json", "w"))
PY
    fi
}
for set in fundus trafilatura-eval; do
    html=$shared/data/extraction/$set/html
    ./target/release/sayso extract "$html" --with-text -f jsonl -o "$out/$set.jsonl" 2>"$out/$set.log" || true
    echo "== $set: $(tail -1 "$out/$set.log")"
    run_peers "$set" "$html"
    preds=("$out/$set.jsonl")
    if [ -n "$peers" ]; then
        # sayso last: the per-page table is the last system's.
        preds=()
        for s in "${systems[@]}"; do preds+=("$out/$set/$s.jsonl"); done
        preds+=("$out/$set/sayso.jsonl")
    fi
    fields=""; [ "$set" = fundus ] && fields="--fields"
    python3 "$shared/tools/extraction_score.py" --gold "$shared/data/extraction/$set/gold.json" --pred "${preds[@]}" $fields \
        --n-bootstrap 100 --per-page "$out/$set.per-page.csv" | tail -$((${#preds[@]} + 1))
done
wcxb=$shared/data/extraction/wcxb-dev
if [ -d "$wcxb" ]; then
    ./target/release/sayso extract "$wcxb/html" --with-text -f jsonl -o "$out/wcxb-dev.jsonl" 2>"$out/wcxb-dev.log" || true
    echo "== wcxb-dev: $(tail -1 "$out/wcxb-dev.log")"
    run_peers wcxb-dev "$wcxb/html"
    echo -n "sayso         "; python3 "$shared/tools/wcxb_score.py" "$wcxb/ground-truth" "$out/wcxb-dev.jsonl"
    for s in "${systems[@]}"; do
        printf '%-14s' "$s"; python3 "$shared/tools/wcxb_score.py" "$wcxb/ground-truth" "$out/wcxb-dev/$s.jsonl"
    done
fi

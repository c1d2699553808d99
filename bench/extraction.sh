#!/usr/bin/env bash
# Main-content extraction scores: runs sayso over ../shared/data/extraction and scores
# it with shared/tools/extraction_score.py (body; title/author/date on fundus) and the WCXB
# dev articles with shared/tools/wcxb_score.py (word F1).
# Usage: bash bench/extraction.sh [OUT_DIR]   (needs a release build: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
if [ ! -d "$shared/data/extraction" ]; then
    echo "extraction eval skipped: ../shared/data/extraction is not here"
    exit 0
fi
out=${1:-target/extraction}
mkdir -p "$out"
for set in fundus trafilatura-eval; do
    ./target/release/sayso extract "$shared/data/extraction/$set/html" --with-text -f jsonl -o "$out/$set.jsonl" 2>"$out/$set.log" || true
    echo "== $set: $(tail -1 "$out/$set.log")"
    fields=""; [ "$set" = fundus ] && fields="--fields"
    python3 "$shared/tools/extraction_score.py" --gold "$shared/data/extraction/$set/gold.json" --pred "$out/$set.jsonl" $fields \
        --n-bootstrap 100 --per-page "$out/$set.per-page.csv" | tail -2
done
wcxb=$shared/data/extraction/wcxb-dev
if [ -d "$wcxb" ]; then
    ./target/release/sayso extract "$wcxb/html" --with-text -f jsonl -o "$out/wcxb-dev.jsonl" 2>"$out/wcxb-dev.log" || true
    echo "== wcxb-dev: $(tail -1 "$out/wcxb-dev.log")"
    python3 "$shared/tools/wcxb_score.py" "$wcxb/ground-truth" "$out/wcxb-dev.jsonl"
fi

#!/usr/bin/env bash
# Two builds' output compared byte for byte, for changes that must not change any decision:
# JSONL of PolNeAR dev text, the BBC corpus and (with --warc) the news WARC.
# Usage: bash bench/compare.sh OLD_SAYSO [NEW_SAYSO] [--warc]   (NEW: target/release/sayso)
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bash bench/compare.sh OLD_SAYSO [NEW_SAYSO] [--warc]}
new=target/release/sayso
warc=
for a in "${@:2}"; do
    case $a in
        --warc) warc=../shared/corpora/news-warc/news-pages.warc.gz ;;
        *) new=$a ;;
    esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for input in ../shared/data/polnear/dev/text ../shared/corpora/bbc/bbc.jsonl $warc; do
    [ -e "$input" ] || { echo "skip: no $input"; continue; }
    "$old" extract "$input" -f jsonl -o "$tmp/old.jsonl" 2>/dev/null
    "$new" extract "$input" -f jsonl -o "$tmp/new.jsonl" 2>/dev/null
    if cmp -s "$tmp/old.jsonl" "$tmp/new.jsonl"; then
        echo "same: $input ($(wc -l < "$tmp/new.jsonl") articles, $(wc -c < "$tmp/new.jsonl") bytes)"
    else
        echo "DIFFERENT: $input"
        diff <(tr ',' '\n' < "$tmp/old.jsonl") <(tr ',' '\n' < "$tmp/new.jsonl") | head -20
        status=1
    fi
done
exit $status

#!/usr/bin/env bash
# Two builds timed side by side in one run, alternating (old first in odd rounds, new first
# in even ones) so that both meet the same load on a shared machine. Per build and round:
# `sayso bench` MB/s of text on one core and on all, and user CPU seconds and peak memory of
# `sayso extract -j 1` over the input. Prints each round, then the medians and new/old ratios.
# Usage: bash bench/versus.sh OLD_SAYSO [NEW_SAYSO] [ROUNDS] [INPUT]
#   (NEW: target/release/sayso, ROUNDS: 5, INPUT: the BBC JSONL)
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bash bench/versus.sh OLD_SAYSO [NEW_SAYSO] [ROUNDS] [INPUT]}
new=${2:-target/release/sayso}
rounds=${3:-5}
input=${4:-../shared/corpora/bbc/bbc.jsonl}
[ -e "$input" ] || { echo "no input at $input"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure() { # NAME BINARY: appends "one all records_one user_s peak_kb" to $tmp/NAME
    local b
    b=$("$2" bench "$input" --rounds 1)
    read -r user peak < <(/usr/bin/time -f "%U %M" "$2" extract -j 1 "$input" -f jsonl -o /dev/null 2>&1 >/dev/null | tail -1)
    echo "$(awk '/^one core/ {o = $3; r = $9} /threads:/ {a = $3} END {print o, a, r}' <<<"$b") $user $peak" >> "$tmp/$1"
    echo "round $3 $1: $(tail -1 "$tmp/$1")"
}
echo "columns: MB/s one core, MB/s all cores, records/s one core, user s of extract -j 1, peak KB"
for r in $(seq "$rounds"); do
    if [ $((r % 2)) = 1 ]; then measure old "$old" "$r"; measure new "$new" "$r"; else measure new "$new" "$r"; measure old "$old" "$r"; fi
done
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for col in 1 2 3 4 5; do
    o=$(cut -d' ' -f$col "$tmp/old" | median)
    n=$(cut -d' ' -f$col "$tmp/new" | median)
    name=$(sed -n ${col}p <<<$'MB/s one core\nMB/s all cores\nrecords/s one core\nuser s extract -j 1\npeak KB extract -j 1')
    echo "median $name: old $o, new $n, new/old $(awk -v a="$n" -v b="$o" 'BEGIN {printf "%.2f", a / b}')"
done

#!/usr/bin/env bash
# The Python package's call overhead: sayso.extract_many over a corpus (records read into
# memory first, as `sayso bench` does) against `sayso bench`'s two-thread figure, side by
# side in one run. Needs target/release/sayso and the package in target/py (bash .ci/run
# makes both). Usage: bench/python.sh [CORPUS] (default ../shared/corpora/bbc/bbc.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/bbc/bbc.jsonl}
[ -e "$corpus" ] || { echo "skipping the Python bench: $corpus is absent"; exit 0; }
[ -x target/py/bin/python ] && target/py/bin/python -c 'import sayso' 2>/dev/null \
  || { echo "skipping the Python bench: no sayso package in target/py (bash .ci/run installs it)"; exit 0; }
cli=$(RAYON_NUM_THREADS=2 target/release/sayso bench "$corpus" --rounds 3 | awk '/threads:/ {for (i = 1; i <= NF; i++) if ($i == "MB/s" && $(i+2) == "input") print $(i-1)}')
py=$(target/py/bin/python - "$corpus" <<'PY'
import sys, time, sayso
records = list(sayso.read(sys.argv[1]))
size = sum(len(r.get("html") or r["text"].encode() if isinstance(r.get("text"), str) else r.get("html") or r["text"]) for r in records)
best = min(
    (lambda t: (sum(1 for _ in sayso.extract_many(records, threads=2)), time.perf_counter() - t)[1])(time.perf_counter())
    for _ in range(3)
)
print(f"{size / 1e6 / best:.2f}")
PY
)
echo "sayso bench, 2 threads:            $cli MB/s of input"
echo "sayso.extract_many(threads=2):     $py MB/s of input"
awk -v a="$py" -v b="$cli" 'BEGIN { printf "Python / CLI: %.1f%%\n", 100 * a / b }'

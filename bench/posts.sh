#!/usr/bin/env bash
# Embedded posts on the pages of eval/posts-dev.json: runs sayso over them and scores the
# posts with tools/posts_score.py. With --check FIGURES, fails when recall, precision or
# date accuracy falls more than one point below the kept figures.
# Usage: bash bench/posts.sh [--check eval/posts-dev.txt]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/extraction
if [ ! -d "$data" ]; then
    echo "posts eval skipped: ../shared/data/extraction is not here"
    exit 0
fi
mkdir -p target/posts
python3 -c 'import json; print("\n".join(sorted({p["page"] for p in json.load(open("eval/posts-dev.json"))["posts"]})))' |
    while read -r page; do ls "$data/${page%%/*}/html/${page#*/}".html*; done >target/posts/pages.txt
xargs ./target/release/sayso extract -f jsonl -o target/posts/pred.jsonl <target/posts/pages.txt 2>target/posts/log.txt
python3 tools/posts_score.py eval/posts-dev.json target/posts/pred.jsonl | tee target/posts/score.txt
if [ "${1:-}" = "--check" ]; then
    python3 - "$2" target/posts/score.txt <<'PY'
import re, sys
fig = lambda path: {m[0]: float(m[1]) for m in re.findall(r"^(recall|precision|date) ([\d.]+)", open(path).read(), re.M)}
kept, now = fig(sys.argv[1]), fig(sys.argv[2])
bad = [f"{k} {now.get(k, 0):.1f} < kept {v:.1f}" for k, v in kept.items() if now.get(k, 0) < v - 1]
print("posts figures hold" if not bad else "posts figures fell: " + "; ".join(bad))
sys.exit(1 if bad else 0)
PY
fi

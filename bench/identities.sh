#!/usr/bin/env bash
# Identities across articles: ingests the real pages of ../shared/data/extraction into a new
# store and lists person identities that share a given name and a surname (first and last
# word). Each pair printed is two identities of what may be one person, for a reader to judge.
# Usage: bash bench/identities.sh [DB]   (needs a release build: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d ../shared/data/extraction ]; then
    echo "identity check skipped: ../shared/data/extraction is not here"
    exit 0
fi
db=${1:-target/identities.db}
rm -f "$db"
./target/release/sayso ingest ../shared/data/extraction/fundus/html ../shared/data/extraction/trafilatura-eval/html --db "$db" 2>/dev/null
python3 - "$db" <<'PY'
import sqlite3, sys, collections
db = sqlite3.connect(sys.argv[1])
people = db.execute("SELECT id, name FROM identities WHERE kind = 'person'").fetchall()
groups = collections.defaultdict(list)
for id, name in people:
    w = name.lower().split()
    if len(w) >= 2:
        groups[(w[0], w[-1])].append(name)
shared = {k: v for k, v in groups.items() if len(v) > 1}
print(f"{len(people)} person identities; {len(shared)} given name + surname pairs held by more than one:")
for k, v in sorted(shared.items()):
    print("  " + " | ".join(sorted(v)))
PY

#!/usr/bin/env bash
# `sayso serve` under load, beside `sayso search` from the command line, on one store of
# about 1M statements (the BBC corpus replicated as bench/store.sh does; built once into
# target/bench/, reused after). The server runs on loopback; sayso-load keeps N keep-alive
# connections busy with search, article and speaker requests for S seconds (bounded in time
# and count), then prints latency percentiles and errors; the server's memory is sampled
# every 5 s.
# Usage: bash bench/serve.sh [CONNECTIONS] [SECONDS] [COPIES]   (default 200 60 52)
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-200}
secs=${2:-60}
copies=${3:-52}
corpus=../shared/corpora/bbc/bbc.jsonl
[ -f "$corpus" ] || { echo "skipping bench/serve.sh: no corpus at $corpus"; exit 0; }
cargo build --release -q -p sayso && cargo build --release -q -p sayso-serve --example sayso-load
bin=$PWD/target/release/sayso
dir=target/bench
mkdir -p "$dir"
db=$dir/serve-$copies.db
if [ ! -f "$db" ]; then
  python3 bench/replicate.py "$corpus" "$copies" > "$dir/articles.jsonl"
  "$bin" ingest "$dir/articles.jsonl" --db "$db.part" 2>&1 | tail -1
  mv "$db.part" "$db"
  rm -f "$dir/articles.jsonl"
fi
# Requests: searches for words of statements spread over the store, articles spread over
# it, and the speakers with most statements (the costliest pages).
python3 - "$db" > "$dir/paths.txt" <<'PY'
import random, re, sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rnd = random.Random(7)
n_st, n_art = c.execute("select max(id) from statements").fetchone()[0], c.execute("select max(id) from articles").fetchone()[0]
words = []
for i in rnd.sample(range(1, n_st), 400):
    row = c.execute("select substr(a.text, s.start + 1, s.end - s.start) from statements s join articles a on a.id = s.article where s.id >= ? limit 1", (i,)).fetchone()
    w = [x for x in re.findall(r"[A-Za-z]+", row[0] if row else "") if len(x) >= 5]
    if w:
        words.append(w[0] if len(w) < 2 or i % 2 else f"{w[0]}+{w[-1]}")
speakers = [r[0] for r in c.execute("select identity, count(*) n from statements where identity is not null group by identity order by n desc limit 200")]
arts = rnd.sample(range(1, n_art), 400)
for k in range(400):
    print(f"/api/v1/search?q={words[k % len(words)]}")
    print(f"/api/v1/articles/{arts[k]}" if k % 2 else f"/articles/{arts[k]}")
    print(f"/api/v1/speakers/{speakers[k % len(speakers)]}" if k % 2 else f"/speakers/{speakers[k % len(speakers)]}")
PY
echo "store: $db ($(du -m "$db" | cut -f1) MB); $(wc -l < "$dir/paths.txt") request paths (search, article, speaker pages and API)"

status=0
# Cold: every answer computed (--cache-mb 0). Warm: answers kept while the store does not
# change (the default), after one pass over the paths.
for cache in 0 64; do
  "$bin" serve --db "$db" --addr 127.0.0.1:0 --cache-mb $cache 2> "$dir/serve.log" &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 100); do grep -q 'http://' "$dir/serve.log" && break; sleep 0.1; done
  addr=$(grep -o '127.0.0.1:[0-9]*' "$dir/serve.log" | head -1)
  # The server's own memory (heap and stacks): the store's file is mapped by each connection,
  # and its pages, shared with the page cache, count in VmRSS once per connection.
  rss() { awk '/RssAnon/ {print int($2 / 1024)}' /proc/$server/status; }
  # Warm-up: every path once (the page cache; with the cache on, every answer kept).
  ./target/release/examples/sayso-load "$addr" "$dir/paths.txt" --connections 4 --seconds 30 --max-requests "$(wc -l < "$dir/paths.txt")" > /dev/null || true
  before=$(rss)
  ( while kill -0 $server 2>/dev/null; do rss; sleep 5; done ) > "$dir/rss.txt" &
  sampler=$!
  echo "--cache-mb $cache:"
  if [ $cache = 0 ]; then
    echo "  one connection, one request at a time (beside sayso search below):"
    ./target/release/examples/sayso-load "$addr" "$dir/paths.txt" --connections 1 --seconds 10 | sed 's/^/  /'
  fi
  ./target/release/examples/sayso-load "$addr" "$dir/paths.txt" --connections "$conns" --seconds "$secs" || status=$?
  kill $sampler 2>/dev/null || true
  echo "  server memory: ${before} MB before the run, $(rss) MB after; samples every 5 s: $(tr '\n' ' ' < "$dir/rss.txt")MB"
  kill $server
  wait $server 2>/dev/null || true
done

# The same searches from the command line: one process each, as a person or a script runs it.
python3 - "$bin" "$db" "$dir/paths.txt" <<'PY'
import subprocess, sys, time, urllib.parse
bin, db, paths = sys.argv[1:]
qs = [urllib.parse.unquote_plus(p.split("q=", 1)[1]) for p in open(paths) if p.startswith("/api/v1/search")][:100]
ms = []
for q in qs:
    t = time.perf_counter()
    subprocess.run([bin, "search", q, "--db", db, "-f", "json"], stdout=subprocess.DEVNULL, check=True)
    ms.append((time.perf_counter() - t) * 1000)
ms.sort()
pick = lambda p: ms[round((len(ms) - 1) * p)]
print(f"sayso search (command line, one process a query, one at a time): {len(ms)} queries, p50 {pick(0.5):.1f} ms, p90 {pick(0.9):.1f} ms, p99 {pick(0.99):.1f} ms")
PY
exit $status

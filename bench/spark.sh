#!/usr/bin/env bash
# sayso at corpus scale on this machine: the news WARC concatenated to about PAGES pages
# over FILES files, then pages/s with `sayso extract -j 2` and with the Spark job on
# local[2], side by side in one run (Spark's time includes its JVM start and the Parquet
# writes). Needs target/release/sayso, and pyspark and the sayso package in target/py
# (bash .ci/run makes both). Usage: bench/spark.sh [PAGES] [FILES] (default 50000 8).
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-50000}
files=${2:-8}
warc=../shared/corpora/news-warc/news-pages.warc.gz
[ -e "$warc" ] || { echo "skipping the Spark bench: $warc is absent"; exit 0; }
target/py/bin/python -c 'import sayso, pyspark' 2>/dev/null \
  || { echo "skipping the Spark bench: no sayso or pyspark in target/py (bash .ci/run installs them)"; exit 0; }
command -v java >/dev/null || { echo "skipping the Spark bench: no java"; exit 0; }
per=$(zcat "$warc" | grep -c '^WARC-Type: response' || true)
copies=$(( (pages + per * files - 1) / (per * files) ))
dir=target/spark-bench
rm -rf "$dir" && mkdir -p "$dir/in"
for f in $(seq 1 "$files"); do
  for _ in $(seq 1 "$copies"); do cat "$warc"; done > "$dir/in/part-$f.warc.gz"
done
total=$((per * copies * files))
echo "$total pages ($copies copies of $per) in $files files, $(du -sh "$dir/in" | cut -f1) compressed"

t0=$(date +%s.%N)
target/release/sayso extract -j 2 "$dir/in" -o /dev/null 2> "$dir/cli.log"
t1=$(date +%s.%N)
PYSPARK_PYTHON=$PWD/target/py/bin/python target/py/bin/spark-submit --master 'local[2]' \
  --conf spark.ui.enabled=false --conf spark.driver.memory=4g --conf spark.driver.bindAddress=127.0.0.1 \
  spark/sayso_spark.py --input "$dir/in" --output "$dir/out" 2> "$dir/spark.log" \
  || { tail -20 "$dir/spark.log"; exit 1; }
t2=$(date +%s.%N)
tail -1 "$dir/cli.log"
echo "Spark: $(target/py/bin/python -c 'import pyarrow.parquet as pq, sys; print(pq.read_table(sys.argv[1], columns=["article_id"]).num_rows)' "$dir/out/articles") articles written"
awk -v n="$total" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
  cli = n / (b - a); spark = n / (c - b)
  printf "sayso extract -j 2: %7.1f pages/s (%.0f s)\n", cli, b - a
  printf "Spark local[2]:     %7.1f pages/s (%.0f s)\n", spark, c - b
  printf "Spark / CLI: %.1f%%\n", 100 * spark / cli
}'
rm -rf "$dir"

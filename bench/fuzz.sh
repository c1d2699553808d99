#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ one after another, one fuzzing process at a time.
#   bench/fuzz.sh                 every target for 60 s
#   bench/fuzz.sh 10              every target for 10 s (the short run CI can afford)
#   bench/fuzz.sh 480 warc feed   the named targets for 8 minutes each
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz). Each target's seeds
# are fuzz/corpus/<target>/ (kept in git); what the fuzzer adds goes to fuzz/work/<target>/
# (ignored), its log to fuzz/work/<target>.log. A crash, a timeout or a broken property
# stops the run with the input under fuzz/artifacts/<target>/:
# `cargo +nightly fuzz tmin <target> <file>` shrinks it, `cargo +nightly fuzz run <target>
# <file>` replays it. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(extract_text html_page warc feed jsonl_line charset store_ingest)
for t in "${targets[@]}"; do
  mkdir -p "work/$t"
  echo "== $t (${secs} s)"
  status=0
  cargo +nightly fuzz run "$t" "work/$t" "corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=4096 -timeout=10 -max_len=4096 -print_final_stats=1 >"work/$t.log" 2>&1 || status=$?
  grep -E 'INITED|DONE|^Done|stat::number_of_executed_units|stat::peak_rss_mb' "work/$t.log" || true
  if [ "$status" -ne 0 ]; then
    grep -E -A3 'panicked|ERROR|SUMMARY|Test unit written|timeout' "work/$t.log" | head -20
    echo "fuzz target $t failed: see fuzz/artifacts/$t/ and fuzz/work/$t.log"
    exit 1
  fi
done

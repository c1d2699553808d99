#!/usr/bin/env bash
# Faults against `sayso ingest` and the store, and a table of what held:
#   kill -9      an ingest killed at random moments: integrity, every stored article with
#                exactly its clean-ingest rows, whole batches only; the re-run ends with the
#                counts of a clean run into a fresh file
#   writers      2 (and 4) concurrent ingests of different inputs into one new file: all
#                finish, counts equal to the same inputs ingested one after another
#   full disk    ingest into a small tmpfs (root; else a loop file; else skipped): a clear error
#                naming the file, exit non-zero, integrity and whole batches, and the same file
#                completes once there is room; an ingest elsewhere is fine
#   read-only    search/speakers/export on a chmod'ed store, as root and as nobody: they work
#                and make no -wal/-shm
#   damaged WARC a byte flipped every 1 MB of the news WARC (gzip, and decompressed), 37 bytes
#                cut out every 1 MB: pages read against the intact file, at most one lost per hit
# Usage: bash bench/faults.sh [--short] [--seed N]
#   --short: 3 kills, 2 writers, the rest once over smaller inputs (well under a minute; CI)
# Needs bash, python3 (its sqlite3 module), coreutils; ../shared/corpora for the inputs (rows
# whose input is absent are skipped). Exit status 1 when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
short=0
seed=$(date +%s)
while [ $# -gt 0 ]; do
    case $1 in
        --short) short=1 ;;
        --seed) seed=$2; shift ;;
        *) echo "usage: bash bench/faults.sh [--short] [--seed N]"; exit 2 ;;
    esac
    shift
done
corpus=../shared/corpora/bbc/bbc.jsonl
warc=../shared/corpora/news-warc/news-pages.warc.gz
cargo build --release -q || exit 1
bin=$PWD/target/release/sayso
py() { python3 "$PWD/bench/faults.py" "$@"; }
tmp=$(mktemp -d /tmp/sayso-faults.XXXXXX)
mnt=""
cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
    [ -n "${robind:-}" ] && umount "$robind" 2>/dev/null
    chmod -R u+w "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
if [ "$short" = 1 ]; then kills=3 copies=2 warc_bytes=6000000; else kills=20 copies=4 warc_bytes=0; fi
limit=300  # seconds any one command may take: longer is a hang

rows=()
failed=0
join() { local out="" x; for x in "$@"; do out+="${out:+; }$x"; done; printf '%s' "$out"; }
row() { # scenario runs held failed detail
    rows+=("$(printf '%-22s %4s %4s %6s  %s' "$1" "$2" "$3" "$4" "$5")")
    [ "$4" -gt 0 ] && failed=1
    echo "  -> $1: $3 held, $4 failed; $5" >&2
}
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }
ingest() { timeout "$limit" "$bin" ingest "$@"; }
started=$(date +%s.%N)

if [ ! -f "$corpus" ]; then
    echo "no corpus at $corpus: the ingest faults are skipped" >&2
    row "kill -9" 0 0 0 "skipped: no $corpus"
else
    py copies "$corpus" "$copies" "$tmp"
    inputs=()
    for ((k = 0; k < copies; k++)); do inputs+=("$tmp/copy$k.jsonl"); done
    cat "${inputs[@]}" > "$tmp/all.jsonl"
    lines=$(wc -l < "$tmp/all.jsonl")

    # The clean run every check compares with.
    t=$(date +%s.%N)
    ingest "$tmp/all.jsonl" --db "$tmp/ref.db" 2> "$tmp/ref.log" || { cat "$tmp/ref.log"; exit 1; }
    clean_secs=$(secs "$t")
    ref=$(py counts "$tmp/ref.db")
    echo "clean ingest of $lines articles: ${clean_secs}s, $ref" >&2

    # 1. kill -9 at random moments, then the re-run.
    t=$(date +%s.%N)
    hi=$(awk -v s="$clean_secs" 'BEGIN {h = s * 0.9; if (h > 4) h = 4; if (h < 0.5) h = 0.5; print h}')
    read -ra moments < <(py delays "$seed" "$kills" 0.3 "$hi")
    held=0 bad=0 notes=() min_art=-1 max_art=0 early=0
    for d in "${moments[@]}"; do
        db=$tmp/kill.db
        rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
        "$bin" ingest "$tmp/all.jsonl" --db "$db" 2> "$tmp/kill.log" &
        pid=$!
        sleep "$d"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        [ $? = 137 ] || early=$((early + 1))
        verdict=$(py check "$db" "$tmp/ref.db" "$tmp/all.jsonl")
        n=$(py counts "$db" | python3 -c "import json,sys; print(json.load(sys.stdin)['articles'])")
        [ "$min_art" -lt 0 ] || [ "$n" -lt "$min_art" ] && min_art=$n
        [ "$n" -gt "$max_art" ] && max_art=$n
        ok=1
        case $verdict in ok*) ;; *) ok=0; notes+=("at ${d}s: after the kill ${verdict#FAIL }") ;; esac
        if ingest "$tmp/all.jsonl" --db "$db" 2> "$tmp/rerun.log"; then
            again=$(py counts "$db")
            if [ "$again" != "$ref" ]; then ok=0; notes+=("at ${d}s: re-run counts $again, clean $ref"); fi
            case $(py check "$db" "$tmp/ref.db" "$tmp/all.jsonl") in ok*) ;; *) ok=0; notes+=("at ${d}s: re-run file does not check") ;; esac
            if ! grep -q "$n unchanged" "$tmp/rerun.log"; then ok=0; notes+=("at ${d}s: re-run did not skip the $n stored: $(tail -1 "$tmp/rerun.log")"); fi
        else
            ok=0; notes+=("at ${d}s: re-run failed: $(tail -1 "$tmp/rerun.log")")
        fi
        if [ "$ok" = 1 ]; then held=$((held + 1)); else bad=$((bad + 1)); fi
    done
    detail="kills at $(printf "%s\n" "${moments[@]}" | sort -n | head -1)..$(printf "%s\n" "${moments[@]}" | sort -n | tail -1)s of ${clean_secs}s (seed $seed), $min_art-$max_art of $lines articles stored at the kill"
    [ "$early" -gt 0 ] && detail+=", $early finished before the kill"
    [ "${#notes[@]}" -gt 0 ] && detail+="; $(join "${notes[@]}")"
    row "kill -9 + re-run" "$kills" "$held" "$bad" "$detail ($(secs "$t")s)"

    # 2. concurrent writers into one new file, against the same inputs one after another.
    t=$(date +%s.%N)
    rm -f "$tmp/seq.db"
    declare -A seq
    for ((k = 0; k < copies; k++)); do
        ingest "${inputs[$k]}" --db "$tmp/seq.db" 2> /dev/null
        seq[$((k + 1))]=$(py counts "$tmp/seq.db")
    done
    for w in 2 4; do
        [ "$w" -gt "$copies" ] && continue
        db=$tmp/writers$w.db
        pids=()
        for ((k = 0; k < w; k++)); do
            ingest "${inputs[$k]}" --db "$db" 2> "$tmp/writer$k.log" &
            pids+=($!)
        done
        ok=0 rcs=()
        for p in "${pids[@]}"; do wait "$p"; rc=$?; rcs+=("$rc"); [ "$rc" = 0 ] && ok=$((ok + 1)); done
        got=$(py counts "$db")
        verdict=$(py check "$db" "$tmp/ref.db" "${inputs[@]:0:$w}")
        if [ "$ok" = "$w" ] && [ "$got" = "${seq[$w]}" ] && [[ $verdict == ok* ]]; then
            row "$w writers, one file" 1 1 0 "all exit 0, counts = sequential: $got ($(secs "$t")s)"
        else
            why="exits ${rcs[*]}"
            [ "$got" != "${seq[$w]}" ] && why+="; counts $got, sequential ${seq[$w]}"
            [[ $verdict == ok* ]] || why+="; $verdict"
            for ((k = 0; k < w; k++)); do grep -q 'sayso: ' "$tmp/writer$k.log" && why+="; writer $k: $(grep 'sayso: ' "$tmp/writer$k.log" | head -1)"; done
            row "$w writers, one file" 1 0 1 "$why"
        fi
        t=$(date +%s.%N)
    done

    # One of two writers killed while the other writes: the other finishes, the killed one's
    # re-run completes, counts as sequential.
    t=$(date +%s.%N)
    db=$tmp/writer-killed.db
    ingest "${inputs[0]}" --db "$db" 2> "$tmp/writer0.log" &
    survivor=$!
    "$bin" ingest "${inputs[1]}" --db "$db" 2> /dev/null &
    victim=$!
    sleep "$(awk -v s="$clean_secs" -v c="$copies" 'BEGIN {printf "%.2f", s / c * 0.8}')"
    kill -9 "$victim" 2> /dev/null
    wait "$victim" 2> /dev/null; vrc=$?
    wait "$survivor"; surv=$?
    mid=$(py integrity "$db")
    ingest "${inputs[1]}" --db "$db" 2> "$tmp/writer1.log"; rrc=$?
    got=$(py counts "$db")
    if [ "$surv" = 0 ] && [ "$mid" = ok ] && [ "$rrc" = 0 ] && [ "$got" = "${seq[2]}" ]; then
        row "2 writers, one killed" 1 1 0 "killed one (exit $vrc), the other exit 0, integrity ok; after its re-run counts = sequential ($(secs "$t")s)"
    else
        row "2 writers, one killed" 1 0 1 "survivor exit $surv ($(grep 'sayso: ' "$tmp/writer0.log" | head -1)), re-run exit $rrc, counts $got, sequential ${seq[2]}; integrity $mid"
    fi

    # 3. a full disk.
    t=$(date +%s.%N)
    one=$tmp/copy0.jsonl
    size=$(stat -c %s "$tmp/ref.db")
    # About 60% of what the first input needs, in MB: a batch or two fit, the rest do not.
    mb=$(( size * 6 / 10 / copies / 1000000 )); [ "$mb" -lt 2 ] && mb=2
    mkdir -p "$tmp/full"
    how=""
    if mount -t tmpfs -o size=${mb}m tmpfs "$tmp/full" 2> /dev/null; then
        how="tmpfs ${mb} MB"; mnt=$tmp/full
    elif truncate -s ${mb}M "$tmp/loop.img" && mkfs.ext4 -q "$tmp/loop.img" 2> /dev/null && mount -o loop "$tmp/loop.img" "$tmp/full" 2> /dev/null; then
        how="loop ext4 ${mb} MB"; mnt=$tmp/full
    fi
    if [ -z "$how" ]; then
        row "full disk" 0 0 0 "skipped: neither a tmpfs nor a loop file can be mounted here (needs root)"
    else
        db=$tmp/full/s.db
        ingest "$one" --db "$db" 2> "$tmp/full.log"
        rc=$?
        msg=$(grep 'sayso: ' "$tmp/full.log" | head -1)
        bad=()
        [ "$rc" = 0 ] && bad+=("exit 0 on a full disk")
        [ "$rc" = 124 ] && bad+=("hung (killed after ${limit}s)")
        [[ $msg == *"$db"* ]] || bad+=("the error does not name $db: '$msg'")
        [[ $msg == *"disk is full"* ]] || bad+=("the error does not say the disk is full: '$msg'")
        verdict=$(py check "$db" "$tmp/ref.db" "$one")
        [[ $verdict == ok* ]] || bad+=("after: ${verdict#FAIL }")
        stored=${verdict#ok }
        sidecars=$(cd "$tmp/full" && ls -A | grep -v '^s.db$' | tr '\n' ' ')
        # Elsewhere, at once.
        ingest "$tmp/copy1.jsonl" --db "$tmp/elsewhere.db" 2> "$tmp/elsewhere.log" || bad+=("ingest elsewhere failed: $(tail -1 "$tmp/elsewhere.log")")
        # The same file, given room.
        if [ "$how" = "tmpfs ${mb} MB" ] && mount -o remount,size=$((mb * 12))m "$tmp/full" 2> /dev/null; then
            ingest "$one" --db "$db" 2> "$tmp/full2.log" || bad+=("with room, the re-run failed: $(tail -1 "$tmp/full2.log")")
            [ "$(py counts "$db")" = "${seq[1]}" ] || bad+=("with room, counts $(py counts "$db"), clean ${seq[1]}")
            roomy="; with room the re-run completes as a clean run"
        else
            roomy=""
        fi
        if [ "${#bad[@]}" = 0 ]; then
            row "full disk" 1 1 0 "$how: exit $rc, '$msg'; left $stored; beside it: ${sidecars:-nothing}; ingest elsewhere fine$roomy ($(secs "$t")s)"
        else
            row "full disk" 1 0 1 "$how: $(join "${bad[@]}")"
        fi
        umount "$tmp/full" && mnt=""
    fi

    # 4. a read-only store: as root (chmod does not bind root: what is checked is that no
    # -wal/-shm appears) and as nobody (setpriv), in rollback mode and in WAL mode.
    t=$(date +%s.%N)
    ro=$tmp/ro
    mkdir -p "$ro" "$tmp/exports"
    head -300 "$one" > "$tmp/few.jsonl"
    ingest "$tmp/few.jsonl" --db "$ro/s.db" 2> /dev/null
    word=the
    chmod 755 "$tmp"; chmod 777 "$tmp/exports"
    # Cases: who reads, where (a chmod'ed folder, or a read-only bind mount of it), and the
    # journal mode the file is in. Root in a chmod'ed folder is not read-only in WAL mode
    # (SQLite may make -wal/-shm there, as for any writer), so WAL mode is read where nobody
    # can write: as nobody, or as root through a read-only mount.
    cases=("root chmod rollback")
    if command -v setpriv > /dev/null && [ "$(id -u)" = 0 ] && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2> /dev/null; then
        cases+=("nobody chmod rollback" "nobody chmod wal")
    fi
    mkdir -p "$tmp/robind"
    if mount --bind "$ro" "$tmp/robind" 2> /dev/null; then
        robind=$tmp/robind
        if mount -o remount,ro,bind "$robind" 2> /dev/null; then cases+=("root ro-mount rollback" "root ro-mount wal"); fi
    fi
    runs=0 held=0 bad=() seen=()
    for c in "${cases[@]}"; do
        read -r user where mode <<< "$c"
        chmod 755 "$ro"; chmod 644 "$ro/s.db"
        rm -f "$ro/s.db-wal" "$ro/s.db-shm"
        if [ "$mode" = wal ]; then
            # As an ingest killed after its last checkpoint leaves it: WAL mode, no -wal.
            python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL').fetchone()" "$ro/s.db"
        else
            python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=DELETE').fetchone()" "$ro/s.db"
        fi
        chmod 444 "$ro/s.db"; chmod 555 "$ro"
        as=(); [ "$user" = nobody ] && as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
        dbp=$ro/s.db; [ "$where" = ro-mount ] && dbp=$robind/s.db
        for cmd in "search $word" "speakers" "export"; do
            runs=$((runs + 1))
            out=$tmp/exports/out.csv
            rm -f "$out"
            case $cmd in
                export) args=(export -o "$out" --db "$dbp") ;;
                *) read -ra args <<< "$cmd"; args+=(--db "$dbp") ;;
            esac
            timeout 60 "${as[@]}" "$bin" "${args[@]}" > "$tmp/ro.out" 2> "$tmp/ro.err"
            rc=$?
            lines_out=$(wc -l < "$tmp/ro.out"); [ "$cmd" = export ] && lines_out=$(cat "$out" 2>/dev/null | wc -l)
            side=$(ls -A "$ro" | grep -v '^s.db$' | tr '\n' ' ')
            if [ "$rc" = 0 ] && [ "$lines_out" -gt 1 ] && [ -z "$side" ]; then
                held=$((held + 1))
            else
                bad+=("$c '$cmd': exit $rc, $lines_out lines, beside it: ${side:-nothing}, $(head -1 "$tmp/ro.err")")
            fi
        done
        seen+=("$user/$where/$mode")
    done
    [ -n "${robind:-}" ] && umount "$robind" && robind=""
    chmod 755 "$ro"; chmod 644 "$ro/s.db"
    detail="search/speakers/export, ${seen[*]}: exit 0, output, no -wal/-shm"
    [[ " ${cases[*]} " == *nobody* ]] || detail+=" (not as nobody: setpriv unavailable or not root)"
    [ "${#bad[@]}" -gt 0 ] && detail=$(join "${bad[@]}")
    row "read-only store" "$runs" "$held" "$((runs - held))" "$detail ($(secs "$t")s)"
fi

# 5. a damaged WARC.
t=$(date +%s.%N)
if [ ! -f "$warc" ]; then
    row "damaged WARC" 0 0 0 "skipped: no $warc"
else
    src=$warc
    if [ "$warc_bytes" -gt 0 ]; then
        py slice "$warc" "$tmp/part.warc.gz" "$warc_bytes" > /dev/null
        src=$tmp/part.warc.gz
    fi
    count() { sed -n 's/^\([0-9]*\) articles, .*/\1/p' "$1" | tail -1; }
    ingest "$src" --db "$tmp/warc-intact.db" 2> "$tmp/warc-intact.log"
    intact=$(count "$tmp/warc-intact.log")
    mbs=$(( $(stat -c %s "$src") / 1000000 ))
    runs=0 held=0 parts=() bad=()
    # gzip members with a byte flipped; the decompressed WARC with a byte flipped, and with
    # bytes cut out (a record's Content-Length then reads into the next one).
    for how in gz-flip flip cut; do
        runs=$((runs + 1))
        dmg=$tmp/damaged-$how.warc
        if [ "$how" = gz-flip ]; then
            dmg+=.gz
            read -r hit members < <(py damage "$src" "$dmg" 1000000)
            what="$mbs MB gz, a byte flipped every MB: $hit of $members members hit"
        else
            read -r hit members < <(py damage-plain "$src" "$dmg" "$how" 1000000)
            what="$(( $(stat -c %s "$dmg") / 1000000 )) MB plain, $([ "$how" = flip ] && echo "a byte flipped" || echo "37 bytes cut") every MB: $hit of $members records hit"
        fi
        rm -f "$tmp/warc-damaged.db"
        ingest "$dmg" --db "$tmp/warc-damaged.db" 2> "$tmp/warc-damaged.log"
        rc=$?
        damaged=$(count "$tmp/warc-damaged.log")
        errors=$(grep -c '^sayso: ' "$tmp/warc-damaged.log")
        check=$(py integrity "$tmp/warc-damaged.db")
        parts+=("$what, $damaged pages read of $intact intact, $errors errors")
        if [ "$rc" = 0 ] && [ -n "$damaged" ] && [ "$damaged" -ge $((intact - hit)) ] && [ "$damaged" -le "$intact" ] && [ "$check" = ok ]; then
            held=$((held + 1))
        else
            bad+=("$how: exit $rc, integrity $check, $damaged pages read, expected at least $((intact - hit))")
        fi
        rm -f "$dmg"
    done
    detail=$(join "${parts[@]}")
    [ "${#bad[@]}" -gt 0 ] && detail+="; FAILED: $(join "${bad[@]}")"
    row "damaged WARC" "$runs" "$held" "$((runs - held))" "$detail ($(secs "$t")s)"
fi

echo
printf '%-22s %4s %4s %6s  %s\n' scenario runs held failed detail
for r in "${rows[@]}"; do echo "$r"; done
echo "($( [ "$short" = 1 ] && echo short || echo full ) run, $(secs "$started")s)"
exit "$failed"

"""Helpers of bench/faults.sh: inputs, damage, and the checks of a store file.

Only the standard library (sqlite3 opens the store: schema version 2). Every check prints one
line, "ok <detail>" or "FAIL <reason>", and exits 0 either way unless the call itself is wrong.
"""

import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import zlib

BATCH = 512  # crates/cli/src/main.rs BATCH: records per transaction

TABLES = ["articles", "statements", "speakers", "identities", "aliases", "trails", "links", "posts"]


def copies(corpus, n, out_dir):
    """copy0.jsonl .. copy{n-1}.jsonl: the corpus with distinct ids, urls and texts."""
    lines = open(corpus, encoding="utf-8").read().splitlines()
    for k in range(n):
        with open(os.path.join(out_dir, f"copy{k}.jsonl"), "w", encoding="utf-8") as f:
            for line in lines:
                a = json.loads(line)
                a["id"] = f"{a['id']}-{k}"
                a["url"] = f"https://copy{k}.example/{a['id']}"
                a["text"] = f"{a['text']}\n\n(Copy {k}.)"
                f.write(json.dumps(a) + "\n")


def connect(db):
    """A connection to a snapshot of the file (with its -wal), so that checking it does not
    recover it in place: the next sayso run meets the file as the fault left it."""
    snap = tempfile.mkdtemp(prefix="sayso-check-")
    copy = os.path.join(snap, "c.db")
    shutil.copyfile(db, copy)
    if os.path.exists(db + "-wal"):
        shutil.copyfile(db + "-wal", copy + "-wal")
    return sqlite3.connect(copy), snap


def has_schema(c):
    return c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'meta'").fetchone()[0] > 0


def counts(db):
    c, snap = connect(db)
    try:
        if not has_schema(c):
            return {t: 0 for t in TABLES}
        return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        c.close()
        shutil.rmtree(snap)


def per_article(c):
    """key -> (statements, speakers, links, posts, fts entries) of every stored article."""
    rows = {}
    for key, aid in c.execute("SELECT key, id FROM articles"):
        rows[key] = [aid, 0, 0, 0, 0]
    by_id = {v[0]: k for k, v in rows.items()}
    for i, table in enumerate(["statements", "speakers", "links", "posts"], 1):
        for aid, n in c.execute(f"SELECT article, count(*) FROM {table} GROUP BY article"):
            if aid in by_id:
                rows[by_id[aid]][i] = n
    return {k: tuple(v[1:]) for k, v in rows.items()}


ORPHANS = {
    "statements without their article": "SELECT count(*) FROM statements WHERE article NOT IN (SELECT id FROM articles)",
    "speakers without their article": "SELECT count(*) FROM speakers WHERE article NOT IN (SELECT id FROM articles)",
    "links without their article": "SELECT count(*) FROM links WHERE article NOT IN (SELECT id FROM articles)",
    "posts without their article": "SELECT count(*) FROM posts WHERE article NOT IN (SELECT id FROM articles)",
    "statements with a missing speaker": "SELECT count(*) FROM statements WHERE speaker IS NOT NULL AND speaker NOT IN (SELECT id FROM speakers)",
    "statements with a missing identity": "SELECT count(*) FROM statements WHERE identity IS NOT NULL AND identity NOT IN (SELECT id FROM identities)",
    "speakers with a missing identity": "SELECT count(*) FROM speakers WHERE identity IS NOT NULL AND identity NOT IN (SELECT id FROM identities)",
    "aliases with a missing identity": "SELECT count(*) FROM aliases WHERE identity NOT IN (SELECT id FROM identities)",
    "identities without an alias": "SELECT count(*) FROM identities WHERE id NOT IN (SELECT identity FROM aliases)",
    "statements with a missing trail": "SELECT count(*) FROM statements WHERE trail IS NOT NULL AND trail NOT IN (SELECT id FROM trails)",
    "trail keys with a missing trail": "SELECT count(*) FROM trail_keys WHERE trail NOT IN (SELECT id FROM trails)",
    "trails whose first statement is missing": "SELECT count(*) FROM trails WHERE first_statement NOT IN (SELECT id FROM statements)",
    "index entries (fts docsize) != statements": "SELECT (SELECT count(*) FROM statements_fts_docsize) - (SELECT count(*) FROM statements)",
}


def check(db, ref, inputs):
    """The file after a fault, against a clean ingest `ref` of the same `inputs` (JSONL files,
    in the order given to sayso): integrity, no dangling rows, each stored article with exactly
    the rows the clean ingest gave it, and the stored articles whole batches of the input, in
    order (the first N batches of some input, all earlier inputs whole)."""
    if not os.path.exists(db):
        print("ok nothing written (no file yet)")
        return
    c, snap = connect(db)
    r = sqlite3.connect(f"file:{ref}?mode=ro", uri=True)
    try:
        ic = c.execute("PRAGMA integrity_check").fetchone()[0]
        if ic != "ok":
            print(f"FAIL integrity_check: {ic}")
            return
        if not has_schema(c):
            print("ok empty file (killed before the schema was made)")
            return
        bad = [f"{n} {what}" for what, sql in ORPHANS.items() if (n := c.execute(sql).fetchone()[0]) != 0]
        if bad:
            print("FAIL " + "; ".join(bad))
            return
        got, want = per_article(c), per_article(r)
        wrong = [k for k, v in got.items() if want.get(k) != v]
        if wrong:
            k = wrong[0]
            print(f"FAIL {len(wrong)} article(s) whose rows differ from a clean ingest, e.g. {k}: {got[k]} vs {want.get(k)} (statements, speakers, links, posts)")
            return
        # Whole batches, in input order: the first N batches stored, nothing of any later one.
        order = []
        for path in inputs:
            keys = [json.loads(line).get("url") for line in open(path, encoding="utf-8")]
            # Lines the clean ingest stored (a record it skipped is in no store).
            order += [{k for k in keys[i : i + BATCH] if k in want} for i in range(0, len(keys), BATCH)]
        stored, whole, n = set(got), 0, 0
        while whole < len(order) and order[whole] <= stored:
            n += len(order[whole])
            whole += 1
        rest = stored - set().union(*order[:whole])
        if rest:
            part = len(rest & order[whole]) if whole < len(order) else 0
            print(f"FAIL not whole batches: {whole} whole batch(es), then {part} of {len(order[whole]) if whole < len(order) else 0} articles of the next and {len(rest) - part} others")
            return
        done = "complete, " if whole == len(order) else ""
        statements = sum(v[0] for v in got.values())
        print(f"ok {done}{n} articles = {whole} whole batch(es) of {len(order)}, {statements} statements, each article as a clean ingest stores it")
    finally:
        c.close()
        r.close()
        shutil.rmtree(snap)


def integrity(db):
    c, snap = connect(db)
    try:
        ic = c.execute("PRAGMA integrity_check").fetchone()[0]
        print("ok" if ic == "ok" else f"FAIL {ic}")
    finally:
        c.close()
        shutil.rmtree(snap)


def delays(seed, n, lo, hi):
    rng = random.Random(seed)
    print(" ".join(f"{rng.uniform(lo, hi):.2f}" for _ in range(n)))


def members(data):
    """(offset, length) of each gzip member."""
    out, pos = [], 0
    while pos < len(data):
        d = zlib.decompressobj(31)
        step = 1 << 20
        chunk_at = pos
        while not d.eof and chunk_at < len(data):
            d.decompress(data[chunk_at : chunk_at + step])
            chunk_at += step
        end = min(chunk_at, len(data)) - len(d.unused_data) if d.eof else len(data)
        out.append((pos, end - pos))
        if end <= pos:
            break
        pos = end
    return out


def slice_warc(src, dst, nbytes):
    """The first members of a WARC.gz, whole, up to about nbytes."""
    data = open(src, "rb").read()
    end = 0
    for off, n in members(data):
        if off + n > nbytes:
            break
        end = off + n
    open(dst, "wb").write(data[:end])
    print(len(members(data[:end])))


def damage(src, dst, every):
    """Flips one byte every `every` bytes (from every/2 on); prints the number of gzip members
    hit and the number of members."""
    data = bytearray(open(src, "rb").read())
    ms = members(bytes(data))
    hits = list(range(every // 2, len(data), every))
    for at in hits:
        data[at] ^= 0x5A
    open(dst, "wb").write(data)
    hit = {i for i, (off, n) in enumerate(ms) for at in hits if off <= at < off + n}
    print(len(hit), len(ms))


def damage_plain(src, dst, how, every):
    """The WARC.gz decompressed, then a byte flipped (how=flip) or 37 bytes cut out (how=cut)
    every `every` bytes; prints the number of records hit and the number of records."""
    import bisect
    import gzip
    import re

    data = gzip.open(src, "rb").read()
    starts = [m.start() + (m.group(0)[:1] == b"\n") for m in re.finditer(rb"(?:^|\n)WARC/1\.", data)]
    hits = list(range(every // 2, len(data), every))
    out, prev = bytearray(), 0
    for at in hits:
        if how == "flip":
            out += data[prev:at] + bytes([data[at] ^ 0x5A])
            prev = at + 1
        else:
            out += data[prev:at]
            prev = at + 37
    out += data[prev:]
    open(dst, "wb").write(out)
    print(len({bisect.bisect_right(starts, at) - 1 for at in hits}), len(starts))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "copies":
        copies(args[0], int(args[1]), args[2])
    elif cmd == "counts":
        print(json.dumps(counts(args[0]), sort_keys=True))
    elif cmd == "check":
        check(args[0], args[1], args[2:])
    elif cmd == "integrity":
        integrity(args[0])
    elif cmd == "delays":
        delays(int(args[0]), int(args[1]), float(args[2]), float(args[3]))
    elif cmd == "slice":
        slice_warc(args[0], args[1], int(args[2]))
    elif cmd == "damage-plain":
        damage_plain(args[0], args[1], args[2], int(args[3]))
    elif cmd == "damage":
        damage(args[0], args[1], int(args[2]))
    else:
        sys.exit(f"unknown command {cmd}")

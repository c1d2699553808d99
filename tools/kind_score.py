#!/usr/bin/env python3
"""Speaker kind accuracy: of the gold items that shared/tools/speaker_score.py pairs with a
statement (the same pairing, imported from it), how often the predicted speaker's kind is the
gold kind (person, organization, group, author, unnamed; a statement without a speaker counts
as unnamed). Printed per gold kind and overall.

Usage: python3 tools/kind_score.py GOLD_DIR PREDICTIONS.jsonl
"""
import collections, json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'tools'))
from speaker_score import chars, jacc, pchars  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gdir, pfile = sys.argv[1:]
    preds = {}
    for line in open(pfile, encoding='utf-8'):
        if line.strip():
            rec = json.loads(line)
            preds[str(rec.get('id'))] = rec.get('statements') or []
    found, right = collections.Counter(), collections.Counter()
    for f in sorted(os.listdir(gdir)):
        if not f.endswith('.json'):
            continue
        g = json.load(open(os.path.join(gdir, f), encoding='utf-8'))
        items, sts = g['items'], preds.get(g['doc'], [])
        P = [pchars(st.get('content')) for st in sts]
        G = [chars(it['content_start'], it['content_end']) if it.get('content_start') is not None else frozenset() for it in items]
        pairs = sorted(((jacc(p, q), i, j) for i, p in enumerate(P) for j, q in enumerate(G)), reverse=True)
        up, ug = set(), set()
        for s, i, j in pairs:
            if s < 0.5:
                break
            if i in up or j in ug:
                continue
            up.add(i); ug.add(j)
            kind = (sts[i].get('speaker') or {}).get('kind') or 'unnamed'
            found[items[j]['kind']] += 1
            right[items[j]['kind']] += kind == items[j]['kind']
    for k in sorted(found, key=lambda k: -found[k]):
        print(f"kind {k:13s} {100 * right[k] / found[k]:5.1f}  ({right[k]}/{found[k]})")
    n, r = sum(found.values()), sum(right.values())
    print(f"kind accuracy  {100 * r / n:5.1f}  ({r}/{n} found)")


if __name__ == '__main__':
    main()

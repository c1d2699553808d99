#!/usr/bin/env python3
"""Scores sayso's posts against eval/posts-dev.json.

usage: posts_score.py GOLD.json PREDICTIONS.jsonl [--errors]

A gold post is found when a predicted post of its page and platform has the same post id
(read from the URL: an X status, an Instagram shortcode, a video id), or, where either has
no URL, the same handle or author. Recall: gold posts found with the right handle or author
(videos, which show neither, by their id). Precision: predicted posts on the gold pages that
are a gold post. Date: of the gold posts that show a date, those found with that day.
"""
import json
import re
import sys


def post_id(url):
    if not url:
        return None
    for pat in (r"/status/(\d+)", r"instagram\.com/(?:p|reel)/([\w-]+)", r"[?&]v=([\w-]{11})", r"vimeo\.com/(\d+)",
                r"/video/(\d+)", r"/(?:posts|videos)/(\d+)", r"/post/([\w-]+)"):
        m = re.search(pat, url)
        if m:
            return m.group(1)
    return url.rstrip("/").lower()


def same(a, b):
    return a is not None and b is not None and a.strip().lower() == b.strip().lower()


def main():
    gold_path, pred_path = sys.argv[1], sys.argv[2]
    errors = "--errors" in sys.argv
    gold = json.load(open(gold_path, encoding="utf-8"))["posts"]
    pages = {}
    for line in open(pred_path, encoding="utf-8"):
        r = json.loads(line)
        pages[r["id"]] = r["posts"]
    by_page = {}
    for g in gold:
        by_page.setdefault(g["page"].split("/")[-1], []).append(g)
    found = right = dated = date_ok = predicted = matched = 0
    for page, golds in by_page.items():
        preds = pages.get(page, [])
        predicted += len(preds)
        used = set()
        for g in golds:
            gid = post_id(g.get("url"))
            hit = None
            for k, p in enumerate(preds):
                if k in used or p["platform"] != g["platform"]:
                    continue
                pid = post_id(p.get("url"))
                if (gid and pid and gid == pid) or ((not gid or not pid) and (same(g.get("handle"), p.get("handle")) or same(g.get("author"), p.get("author")))):
                    hit = k
                    break
            if g.get("date"):
                dated += 1
            if hit is None:
                if errors:
                    print(f"missed  {page} {g['platform']} {g.get('handle')} {g.get('url')}")
                continue
            used.add(hit)
            p = preds[hit]
            found += 1
            named = g.get("handle") or g.get("author")
            ok = same(g.get("handle"), p.get("handle")) or same(g.get("author"), p.get("author")) or not named
            right += ok
            if errors and not ok:
                print(f"wrong   {page} {g['platform']} gold {g.get('author')} {g.get('handle')} got {p.get('author')} {p.get('handle')}")
            if g.get("date"):
                good = (p.get("date") or "")[:10] == g["date"]
                date_ok += good
                if errors and not good:
                    print(f"date    {page} {g.get('handle')} gold {g['date']} got {p.get('date')} ({p.get('date_text')})")
        matched += len(used)
        if errors:
            for k, p in enumerate(preds):
                if k not in used:
                    print(f"extra   {page} {p['platform']} {p.get('handle')} {p.get('url')}")
    n = len(gold)
    pct = lambda a, b: 100.0 * a / b if b else 0.0
    print(f"posts {n} on {len(by_page)} pages; predicted {predicted}")
    print(f"recall {pct(right, n):.1f}  (found {found}, right handle or author {right})")
    print(f"precision {pct(matched, predicted):.1f}")
    print(f"date {pct(date_ok, dated):.1f}  ({date_ok} of {dated} dated posts)")


if __name__ == "__main__":
    main()

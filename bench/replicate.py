"""The BBC corpus (or any JSONL of articles) N times over on stdout, each copy with distinct
ids and texts, so that a store holds N times as many articles: bench/store.sh, bench/serve.sh.
Usage: python3 bench/replicate.py CORPUS.jsonl N"""
import json
import sys

lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for k in range(int(sys.argv[2])):
    for line in lines:
        a = json.loads(line)
        a["id"] = f"{a['id']}-{k}"
        a["text"] = f"{a['text']}\n\n(Copy {k}.)"
        print(json.dumps(a))

#!/usr/bin/env bash
# Linear time on pathological articles: each case is one generated article of ~1-2 MB; the
# report gives its seconds and MB/s next to an ordinary article of the same size built from
# the same sentence, so a case far slower than the ordinary one is a quadratic path. The
# html-* cases are pages of hostile markup (~1 MB) next to html-ordinary.
# Usage: bash bench/pathological.sh   (builds release; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/sayso
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'EOF'
import json, sys
out = sys.argv[1]
s = 'The council met on Monday and the mayor said the roads would reopen soon.'
cases = {
    'ordinary': '\n\n'.join(' '.join([s] * 5) for _ in range(4000)),
    'one-paragraph': ' '.join([s] * 20000),
    'short-paragraphs': '\n\n'.join([s] * 20000),
    'transcript-lines': '\n\n'.join(['DUNN: Will you run again next year, Governor?'] * 20000),
    'pull-quotes': '\n'.join(['\u201cShe made the river safe again.\u201d \u2015 Tomas Reyes'] * 20000),
    'letters': '\n\n'.join(['I think the bridge should stay open, and I said so.', 'Jane Roe.'] * 10000),
    'pronouns': '\n\n'.join(['She said the plan would fail.', 'Mr. Obama said it would not.', 'Michelle Obama said nothing.'] * 7000),
    'unclosed-quotes': ' '.join(['\u201cThe roads will reopen, she said'] * 30000),
    'descriptions': ' '.join(['Police said the roads were closed.', 'A former city chairman says the poll is wrong.', 'The Council for a Safer Harbor said so.'] * 7000),
    'one-surname': ' '.join(f'{g} Smith said the roads would reopen.' for g in ['Ann', 'Bo', 'Cy', 'Di'] * 5000),
    # A few people named thousands of times in one paragraph, each followed by "he".
    'he-one-paragraph': ' '.join(f'{n} said the plan was fine. He said it would pass.' for n in ['Jo Roe', 'Ed Park', 'Tom Hale'] * 9000),
}
for name, text in cases.items():
    with open(f'{out}/{name}.jsonl', 'w') as f:
        f.write(json.dumps({'id': name, 'text': text}) + '\n')
def fill(unit, size=1_000_000):
    return unit * max(1, size // len(unit))
p = f'<p>{s}</p>'
body = '<html><head><title>Roads</title></head><body>'
pages = {
    'ordinary': '<article><h1>Roads</h1>' + fill(f'<p>{s} {s} {s}</p>\n') + '</article>',
    'nested-spans': fill('<span>') + p,
    'unclosed-spans': fill(f'<span>{s} '),
    'nested-divs': fill('<div>', 500_000) + p + fill('</div>', 500_000),
    'span-groups': fill('<span>' * 400 + s + '</span>' * 400),
    'siblings': '<div>' + fill('<span>w, </span>') + '</div>',
    'ruby-siblings': p + '<ruby>' + fill('<rt>w</rt>'),
    'huge-attributes': '<div ' + fill('a=b ') + f'>{p}</div>',
    'many-attributes': fill('<p ' + 'a=b ' * 100 + f'>{s}</p>'),
    'nested-tables': fill(f'<table><tr><td>{p}'),
    'unclosed-comment': p + '<!--' + fill(p),
    'unclosed-script': p + '<script>' + fill(p + '</scrip '),
    'empty-headlines': p + fill('<h1>'),
    'nested-links': fill('<div>') + 'Read more: <a href="/x">the roads would reopen soon</a>',
    'linked-paragraphs': '<div>' + fill(f'<p>{s} <a href="/x">Read</a></p>') + '</div>',
    'inline-blocks': '<h1>Roads</h1>' + fill(f'<div><span>{s}'),
}
for name, page in pages.items():
    with open(f'{out}/html-{name}.html', 'w') as f:
        f.write(body + page)
EOF
python3 - "$tmp" "$bin" <<'EOF'
import glob, os, subprocess, sys, time
tmp, binary = sys.argv[1], sys.argv[2]
print(f"{'case':<22} {'MB':>6} {'seconds':>8} {'MB/s':>7}")
for f in sorted(glob.glob(f'{tmp}/*.jsonl')) + sorted(glob.glob(f'{tmp}/*.html')):
    mb = os.path.getsize(f) / 1e6
    t = time.perf_counter()
    subprocess.run([binary, 'extract', f, '-f', 'jsonl', '-o', os.devnull], stderr=subprocess.DEVNULL, check=False)
    secs = time.perf_counter() - t
    print(f"{os.path.splitext(os.path.basename(f))[0]:<22} {mb:6.2f} {secs:8.3f} {mb / secs:7.1f}")
EOF

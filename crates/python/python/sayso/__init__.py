"""sayso: who said what, from news.

Statements (direct, mixed, reported), their sources, cues and speakers, extracted in Rust
with the same JSON contract as the ``sayso`` command line. Offsets are code points into the
article's text, as Python counts them.

    >>> import sayso
    >>> r = sayso.extract(text='"We will not raise taxes," Finance Minister Ann Lee said.')
    >>> [(s["content"]["text"], s["speaker"]["name"]) for s in r["statements"]]
    [('"We will not raise taxes,"', 'Ann Lee')]
"""

import json
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from . import _sayso
from ._sayso import InputError, sketch

__all__ = ["InputError", "extract", "extract_many", "extract_arrow", "read", "read_tables", "schemas", "sketch"]

# Records handed to Rust at a time: enough to keep every thread busy.
_BATCH = 512
_POLICIES = ("raise", "warn", "return")


def _check_policy(on_error, allowed=_POLICIES):
    if on_error not in allowed:
        raise ValueError(f"on_error must be one of {', '.join(map(repr, allowed))}, not {on_error!r}")


def _settle(item, on_error):
    """An InputError raised, warned about and dropped, or returned, as the caller asked."""
    if not isinstance(item, InputError):
        return [item]
    if on_error == "raise":
        raise item
    if on_error == "warn":
        warnings.warn(str(item), stacklevel=3)
        return []
    return [item]


def extract(text=None, html=None, url=None, title=None, published=None, *, id=None, outlet=None, authors=None, with_text=False):
    """Extracts one article: its statements, speakers, links, posts and warnings.

    ``text`` is the article's text (str, or bytes decoded as the CLI decodes a text file);
    ``html`` a page (bytes are decoded by BOM, ``<meta charset>`` or detection; str is taken
    as it is), whose main content is found; with both, ``text`` is read when the page has no
    article text. Returns a dict with the CLI's JSON contract (``with_text=True`` adds the
    text all offsets refer to). Raises :class:`InputError` (with the CLI's message) for an
    article with no text, and TypeError for fields of the wrong type.
    """
    record = {"id": id, "text": text, "html": html, "url": url, "title": title, "published": published, "outlet": outlet, "authors": authors}
    [out] = _sayso.extract_json([record], threads=1, with_text=with_text)
    if isinstance(out, InputError):
        raise out
    return json.loads(out)


def _batches(records):
    it = iter(records)
    first = 0
    while True:
        batch = list(islice(it, _BATCH))
        if not batch:
            return
        yield first, batch
        first += len(batch)


def extract_many(records, threads=None, *, on_error="raise", with_text=False):
    """Extracts an iterable of dicts (the keys of :func:`extract`, as :func:`read` yields
    them), in parallel in Rust with the GIL released; yields the results in input order,
    512 records in memory at a time.

    ``threads`` is 1 to 256 (default: all cores). A record that cannot be read raises
    :class:`InputError` (``on_error="raise"``), is skipped with a warning (``"warn"``), or
    is yielded as the InputError in its place, so that outputs stay aligned with inputs
    (``"return"``). A record id defaults to its position in the input.
    """
    _check_policy(on_error)
    # The next batch is extracted (in Rust, without the GIL) while this one's JSON is
    # turned into dicts, so that the cores do not wait on Python.
    with ThreadPoolExecutor(1) as ahead:
        pending = None
        for first, batch in _batches(records):
            nxt = ahead.submit(_sayso.extract_json, batch, first=first, threads=threads, with_text=with_text)
            if pending is not None:
                yield from _loads(pending.result(), on_error)
            pending = nxt
        if pending is not None:
            yield from _loads(pending.result(), on_error)


def _loads(outs, on_error):
    for out in outs:
        for item in _settle(out, on_error):
            yield item if isinstance(item, InputError) else json.loads(item)


def _pyarrow():
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("sayso's Arrow output needs pyarrow: pip install pyarrow") from e
    return pyarrow


def extract_arrow(records, threads=None, *, on_error="raise"):
    """Extracts an iterable of dicts into a ``pyarrow.RecordBatch`` of statements, one row
    per statement (the columns of ``sayso export`` that need no store, with ``article_id``,
    ``statement`` (its position in the article), offsets, and ``sketch``, the quotation's
    MinHash keys for trail joins). Handed over through the Arrow C data interface; no
    pandas needed. ``on_error`` is ``"raise"`` or ``"warn"`` (skip).
    """
    _check_policy(on_error, ("raise", "warn"))
    pa = _pyarrow()
    batches = []
    for first, batch in _batches(records):
        table, errors = _sayso.extract_statements(batch, first=first, threads=threads)
        for e in errors:
            _settle(e, on_error)
        batches.append(pa.record_batch(table))
    if not batches:
        return pa.record_batch(_sayso.empty_tables()[1])
    t = pa.Table.from_batches(batches)
    return pa.RecordBatch.from_arrays([c.combine_chunks() for c in t.columns], schema=t.schema)


def _paths(path):
    return [os.fspath(p) for p in path] if isinstance(path, (list, tuple)) else [os.fspath(path)]


def read(path, *, on_error="warn"):
    """Streams the records of a file or directory (or a list of them), of any input the
    CLI reads: text, JSONL, HTML, WARC, RSS/Atom, gzip or zstd, as dicts for
    :func:`extract_many` (``html`` as the page's bytes). One record in memory at a time. A
    record that cannot be read is skipped with a warning giving the CLI's message
    (``on_error="warn"``), raised as :class:`InputError` (``"raise"``), or yielded as one
    (``"return"``).
    """
    _check_policy(on_error)
    paths = _paths(path)
    if not paths:
        return
    for item in _sayso.Records(paths):
        yield from _settle(item, on_error)


TABLES = ("articles", "statements", "speakers", "errors")


def read_tables(path, threads=1):
    """Reads and extracts files (a path or a list), yielding for every 512 records a dict of
    four ``pyarrow.RecordBatch``: ``articles`` (with ``report``, the CLI's JSON with the
    text), ``statements``, ``speakers`` and ``errors`` (a file or record that could not be
    read: ``file``, ``line``, ``message``). Never raises for bad input: the errors table
    holds it. This is what the Spark job runs on each file.
    """
    pa = _pyarrow()
    paths = _paths(path)
    if not paths:
        return
    for step in _sayso.FileTables(paths, threads=threads):
        yield dict(zip(TABLES, map(pa.record_batch, step)))


def schemas():
    """The ``pyarrow.Schema`` of each table of :func:`read_tables`."""
    pa = _pyarrow()
    return {name: pa.record_batch(b).schema for name, b in zip(TABLES, _sayso.empty_tables())}

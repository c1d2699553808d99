import json

import pyarrow as pa
import pytest

import sayso
from warcs import page, record, write_warc

QUOTE = '"We will not raise taxes this year, whatever happens," Finance Minister Ann Lee said.'


def test_extract_text_gives_the_cli_contract():
    r = sayso.extract(text=QUOTE, title="Budget", id="a1", with_text=True)
    assert r["id"] == "a1" and r["title"] == "Budget"
    [s] = r["statements"]
    assert (s["kind"], s["speaker"]["name"], s["cue"]["lemma"]) == ("direct", "Ann Lee", "say")
    assert r["text"][s["content"]["start"] : s["content"]["end"]] == s["content"]["text"]
    assert set(r) >= {"speakers", "links", "posts", "warnings", "url", "published", "outlet"}


def test_html_bytes_not_utf8_are_decoded_with_the_page_charset():
    html = page(1).replace(b"<head>", b'<head><meta charset="windows-1252">').replace("’".encode(), b"\x92")
    html = html.replace(b"Ahmed Khan", b"Ahm\xe9d Khan")
    r = sayso.extract(html=html, url="https://daily.example/1")
    names = {s["speaker"]["name"] for s in r["statements"]}
    assert "Ahméd Khan" in names and r["outlet"] == "The Daily"


def test_text_bytes_not_utf8_are_replaced_with_a_warning():
    r = sayso.extract(text=QUOTE.encode() + b" \xff\xfe stray")
    assert r["statements"] and any("not UTF-8" in w["message"] for w in r["warnings"]), r["warnings"]


def test_none_fields_and_empty_text_are_input_errors():
    with pytest.raises(sayso.InputError, match='no "text" or "html" field'):
        sayso.extract(text=None, html=None, url=None)
    with pytest.raises(sayso.InputError, match="empty text"):
        sayso.extract(text="   ")
    with pytest.raises(TypeError, match='"text" must be str or bytes'):
        sayso.extract(text=42)


def test_extract_many_keeps_input_order_and_each_errors_policy():
    recs = [{"id": str(i), "text": f"{QUOTE} It was day {i}."} for i in range(1100)]
    recs[7] = {"id": "bad"}
    out = list(sayso.extract_many(recs, threads=2, on_error="return"))
    assert len(out) == 1100 and isinstance(out[7], sayso.InputError)
    assert [o["id"] for i, o in enumerate(out) if i != 7] == [str(i) for i in range(1100) if i != 7]
    with pytest.warns(UserWarning, match="record 7"):
        assert len(list(sayso.extract_many(recs, on_error="warn"))) == 1099
    with pytest.raises(sayso.InputError, match="record 7"):
        list(sayso.extract_many(recs))
    with pytest.raises(ValueError, match="threads"):
        list(sayso.extract_many(recs, threads=0))
    with pytest.raises(TypeError, match="expected a dict"):
        list(sayso.extract_many(["text"]))


def test_read_streams_jsonl_and_warc_records_as_dicts(tmp_path):
    p = tmp_path / "news.jsonl"
    p.write_text(json.dumps({"id": "j1", "text": QUOTE, "published": "2025-06-03"}) + "\nnot json\n")
    with pytest.warns(UserWarning, match="news.jsonl:2: not a JSON article"):
        recs = list(sayso.read(p))
    assert [r["id"] for r in recs] == ["j1"] and recs[0]["text"] == QUOTE
    w = write_warc(tmp_path / "a.warc.gz", 3)
    recs = list(sayso.read([w]))
    assert [r["url"] for r in recs] == [f"https://daily.example/news/{i}" for i in range(3)]
    assert isinstance(recs[0]["html"], bytes)
    out = list(sayso.extract_many(recs))
    assert all(o["statements"] for o in out) and out[0]["title"] == "Budget row 0"


def test_a_cut_warc_loses_only_its_last_record(tmp_path):
    w = write_warc(tmp_path / "cut.warc.gz", 3)
    data = w.read_bytes()
    w.write_bytes(data[: len(data) - 200])
    items = list(sayso.read(w, on_error="return"))
    ok = [i for i in items if not isinstance(i, sayso.InputError)]
    bad = [i for i in items if isinstance(i, sayso.InputError)]
    assert len(ok) == 2 and len(bad) == 1 and "cut.warc.gz" in str(bad[0])


def test_extract_arrow_gives_one_row_per_statement():
    b = sayso.extract_arrow([{"id": "a", "text": QUOTE, "published": "2025-06-03T10:00:00Z"}, {"id": "b", "text": "Nothing here."}])
    assert isinstance(b, pa.RecordBatch) and b.num_rows == 1
    row = b.to_pylist()[0]
    assert (row["article_id"], row["speaker_name"], row["month"], row["score"]) == ("a", "Ann Lee", "2025-06", round(row["score"], 3))
    assert row["sketch"] == sayso.sketch(row["content"]) and len(row["sketch"]) == 6
    empty = sayso.extract_arrow([])
    assert empty.num_rows == 0 and empty.schema == b.schema


def test_read_tables_collects_errors_and_never_raises(tmp_path):
    w = write_warc(tmp_path / "ok.warc.gz", 2)
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"WARC/1.1\r\nthis is not a WARC at all\r\n" + bytes(range(256)))
    pdf = tmp_path / "pdf.warc.gz"
    pdf.write_bytes(record(9, b"%PDF-1.4 binary", "application/pdf"))
    steps = list(sayso.read_tables([w, junk, pdf, tmp_path / "missing.warc"]))
    t = {name: pa.Table.from_batches([s[name] for s in steps]) for name in sayso.TABLES}
    assert t["articles"].num_rows == 2 and t["statements"].num_rows >= 4 and t["speakers"].num_rows >= 2
    errors = t["errors"].column("message").to_pylist()
    assert any("junk.warc: truncated record header" in e for e in errors), errors
    assert any("missing.warc" in e for e in errors) and any("not a page (application/pdf)" in e for e in errors), errors
    report = json.loads(t["articles"].column("report")[0].as_py())
    assert report["text"] and report["statements"]
    assert {n: s for n, s in sayso.schemas().items()} == {n: t[n].schema for n in sayso.TABLES}


def test_on_error_is_checked():
    with pytest.raises(ValueError, match="on_error"):
        list(sayso.read("x", on_error="ignore"))
    # No paths is no records (the CLI would read stdin).
    assert list(sayso.read([])) == [] and list(sayso.read_tables([])) == []

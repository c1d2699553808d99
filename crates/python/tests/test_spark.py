"""The Spark job on local[2] over small WARCs made here (skipped without pyspark or Java)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from warcs import write_warc

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "spark"))

pyspark = pytest.importorskip("pyspark")
if not shutil.which("java"):
    pytest.skip("no Java: the Spark test needs a JRE (apt-get install default-jre-headless)", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The workers run this interpreter, where sayso and pyarrow are installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    yield s
    s.stop()


def test_spark_job_writes_four_tables_partitioned_by_month(spark, tmp_path):
    import sayso_spark

    inp = tmp_path / "in"
    inp.mkdir()
    write_warc(inp / "a.warc.gz", 3, date="2025-06-03")
    write_warc(inp / "b.warc.gz", 2, first=10, date="2025-07-01")
    (inp / "c.warc.gz").write_bytes(bytes(range(256)) * 4)  # not a WARC, nor gzip
    (inp / "empty.warc").write_bytes(b"")
    out = tmp_path / "out"
    counts = sayso_spark.run(spark, [str(inp / "*")], str(out))
    assert counts["articles"] == 5 and counts["statements"] >= 10 and counts["speakers"] >= 5, counts
    months = sorted(p.name for p in (out / "statements").iterdir() if p.name.startswith("month="))
    assert months == ["month=2025-06", "month=2025-07"]
    st = spark.read.parquet(str(out / "statements"))
    # One task attempt wrote each file's rows: no statement twice.
    assert st.select("article_id", "statement").distinct().count() == st.count()
    errors = [r.message for r in spark.read.parquet(str(out / "errors")).collect()]
    assert any("c.warc.gz" in e for e in errors) and any("empty.warc" in e for e in errors), errors
    # Speakers grouped across articles by a SQL step (README's example).
    st.createOrReplaceTempView("statements")
    top = spark.sql(
        "SELECT speaker_name, count(DISTINCT article_id) AS articles FROM statements "
        "WHERE speaker_kind = 'person' GROUP BY speaker_name ORDER BY articles DESC, speaker_name"
    ).collect()
    assert top[0].articles == 5 and top[0].speaker_name in ("Ahmed Khan", "Ann Lee")


def test_the_store_ingests_what_spark_wrote(spark, tmp_path):
    import sayso_spark

    sayso = ROOT / "target" / "release" / "sayso"
    if not sayso.exists():
        pytest.skip("no target/release/sayso: cargo build --release first")
    write_warc(tmp_path / "a.warc.gz", 4)
    sayso_spark.run(spark, [str(tmp_path / "a.warc.gz")], str(tmp_path / "out"))
    db = tmp_path / "s.db"
    r = subprocess.run([sayso, "ingest", tmp_path / "out", "--db", db], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "4 new" in r.stderr, r.stderr
    r = subprocess.run([sayso, "search", "raise taxes", "--db", db, "-f", "csv"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.count("Ann Lee") == 4, r.stdout
    # Again: the same articles are kept once.
    r = subprocess.run([sayso, "ingest", tmp_path / "out", "--db", db], capture_output=True, text=True)
    assert "4 unchanged" in r.stderr, r.stderr

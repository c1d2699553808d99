"""sayso over many files with Spark: statements, articles, speakers and errors as Parquet.

    spark-submit spark/sayso_spark.py --input 'data/*.warc.gz' --output statements/

Each input file is one task: the worker's sayso (the Python package, Rust inside) reads it
as a stream, 512 records in memory at a time; nothing of it passes through the JVM but the
Arrow batches of results (``mapInArrow``). Writes ``OUTPUT/{articles,statements,speakers}``
partitioned by published month (``month=YYYY-MM``; undated articles under Spark's null
partition) and ``OUTPUT/errors`` (file, line, message), one row per file or record that
could not be read: one bad file never fails the job. Each table is written by Spark's
commit protocol, so a task retried after a lost worker leaves no duplicate rows.

Files are read where the workers see them: local or shared paths (``file:``, NFS, a
mounted bucket); other schemes (``s3a://``, ``gs://``) are copied to the worker's local disk
through fsspec first, when it is installed.
"""

import argparse
import os
import shutil
import sys
import tempfile

TABLES = ("articles", "statements", "speakers", "errors")


def union_schema():
    """One Arrow schema holding the four tables' columns and ``table``, the table a row is
    of: ``mapInArrow`` returns one schema, and the rows are split when written."""
    import pyarrow as pa
    import sayso

    fields = {}
    for schema in sayso.schemas().values():
        for f in schema:
            fields.setdefault(f.name, f)
    return pa.schema([pa.field("table", pa.string())] + list(fields.values()))


def _local(path):
    """A path the Rust reader can open, and a temporary copy to remove, if one was made."""
    if "://" not in path or path.startswith("file:"):
        return path.removeprefix("file://").removeprefix("file:"), None
    try:
        import fsspec
    except ImportError:
        raise OSError(f"{path}: the workers cannot read this scheme: install fsspec (and s3fs or gcsfs) on them, or mount the bucket")
    fd, tmp = tempfile.mkstemp(suffix="-" + os.path.basename(path))
    with os.fdopen(fd, "wb") as out, fsspec.open(path, "rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
    return tmp, tmp


def extract_partition(batches, threads=1):
    """mapInArrow's function: paths in, the four tables' rows out (one union schema)."""
    import pyarrow as pa
    import sayso

    schema = union_schema()
    for batch in batches:
        for path in batch.column("path").to_pylist():
            tmp = None
            try:
                local, tmp = _local(path)
                for step in sayso.read_tables(local, threads=threads):
                    for name, b in step.items():
                        if b.num_rows:
                            yield _widen(name, b, schema, path if tmp else None)
            except Exception as e:  # the file's failure is a row of the errors table
                err = pa.record_batch({"file": [path], "line": pa.array([None], pa.int64()), "message": [f"{path}: {e}"]})
                yield _widen("errors", err, schema, None)
            finally:
                if tmp:
                    os.unlink(tmp)


def _widen(name, b, schema, original):
    import pyarrow as pa

    n = b.num_rows
    cols = []
    for f in schema:
        if f.name == "table":
            cols.append(pa.array([name] * n, pa.string()))
        elif f.name == "file" and original and f.name in b.schema.names:
            cols.append(pa.array([original] * n, pa.string()))
        elif f.name in b.schema.names:
            cols.append(b.column(f.name).cast(f.type))
        else:
            cols.append(pa.nulls(n, f.type))
    return pa.RecordBatch.from_arrays(cols, schema=schema)


def input_files(spark, patterns):
    """The files matching the patterns (globs, directories), through Hadoop's file system
    so that any scheme the cluster knows is listed."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    files = []
    for pattern in patterns:
        p = jvm.org.apache.hadoop.fs.Path(pattern)
        fs = p.getFileSystem(conf)
        for st in fs.globStatus(p) or []:
            if st.isDirectory():
                it = fs.listFiles(st.getPath(), True)
                while it.hasNext():
                    files.append(it.next().getPath().toString())
            else:
                files.append(st.getPath().toString())
    return sorted(set(files))


def run(spark, patterns, output, threads=1):
    """Extracts every file matching ``patterns`` into Parquet tables under ``output``;
    returns the row count of each table."""
    from pyspark.sql.pandas.types import from_arrow_schema

    import sayso

    # The workers unpickle extract_partition by reference when this file is imported.
    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    files = input_files(spark, patterns)
    if not files:
        raise SystemExit(f"sayso_spark: no input file matches {' '.join(patterns)}")
    paths = spark.sparkContext.parallelize([(f,) for f in files], len(files)).toDF("path string")
    rows = paths.mapInArrow(lambda it: extract_partition(it, threads), from_arrow_schema(union_schema()))
    # One pass of extraction writes every table's rows (the other tables' columns empty);
    # then each table is its own columns of them, read back column by column.
    stage = os.path.join(output, "_rows")
    rows.write.mode("overwrite").partitionBy("table").parquet(stage)
    jvm = spark.sparkContext._jvm
    fs = jvm.org.apache.hadoop.fs.Path(stage).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    counts = {}
    for name, table_schema in sayso.schemas().items():
        part = os.path.join(stage, f"table={name}")
        if fs.exists(jvm.org.apache.hadoop.fs.Path(part)):
            t = spark.read.parquet(part).select(*table_schema.names)
        else:  # no row of this table (no errors): an empty table all the same
            t = spark.createDataFrame([], from_arrow_schema(table_schema))
        w = t.write.mode("overwrite")
        if "month" in table_schema.names:
            w = w.partitionBy("month")
        w.parquet(os.path.join(output, name))
        counts[name] = spark.read.parquet(os.path.join(output, name)).count()
    fs.delete(jvm.org.apache.hadoop.fs.Path(stage), True)
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(description="sayso over many files with Spark: Parquet tables of statements, articles, speakers, errors")
    ap.add_argument("--input", action="append", required=True, help="a glob or directory (repeatable): WARC, JSONL, HTML, feeds, gz/zst")
    ap.add_argument("--output", required=True, help="the folder the four tables are written under (replaced)")
    ap.add_argument("--threads", type=int, default=1, help="sayso threads inside each task (default 1: Spark runs a task per core)")
    args = ap.parse_args(argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("sayso").getOrCreate()
    try:
        counts = run(spark, args.input, args.output, args.threads)
    finally:
        spark.stop()
    print(", ".join(f"{n} {name}" for name, n in counts.items()), f"written under {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()

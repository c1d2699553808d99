//! Articles a Spark run wrote (`spark/sayso_spark.py`): the `report` column of its
//! `articles` table, the CLI's JSON with the text, read back a row at a time so that a
//! slice of a corpus extracted at scale can be served from one store.

use std::path::{Path, PathBuf};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::reader::RowIter;
use parquet::record::RowAccessor;
use sayso_extract::report::ArticleReport;

/// An article read back, or what stopped a file or a row (naming it).
pub type ReadBack = std::result::Result<(ArticleReport, String), String>;

/// Whether a path is a Spark run's output (a folder with `articles/`) or a Parquet file.
pub fn is_spark_output(path: &Path) -> bool {
    path.join("articles").is_dir() || path.extension().is_some_and(|e| e == "parquet")
}

/// The Parquet files of a run's `articles` table (or the file itself), in name order;
/// Spark's `_SUCCESS` and checksum files are not among them.
fn parquet_files(path: &Path) -> Vec<PathBuf> {
    let root = if path.join("articles").is_dir() { path.join("articles") } else { path.to_path_buf() };
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        match std::fs::read_dir(&p) {
            Ok(entries) => {
                for e in entries.flatten() {
                    let q = e.path();
                    if q.is_dir() {
                        todo.push(q);
                    } else if q.extension().is_some_and(|x| x == "parquet") {
                        out.push(q);
                    }
                }
            }
            Err(_) => out.push(p),
        }
    }
    out.sort();
    out
}

/// Reads the articles of Spark outputs, file by file, a row at a time. A file that is not
/// Parquet, or has no `report` column, is one error; a row whose report does not parse is
/// another; the rest is read.
pub struct SparkArticles {
    files: std::vec::IntoIter<PathBuf>,
    current: Option<(PathBuf, RowIter<'static>)>,
    row: usize,
}

impl SparkArticles {
    pub fn new(paths: &[PathBuf]) -> SparkArticles {
        let files: Vec<PathBuf> = paths.iter().flat_map(|p| parquet_files(p)).collect();
        SparkArticles { files: files.into_iter(), current: None, row: 0 }
    }

    fn open(path: &Path) -> std::result::Result<RowIter<'static>, String> {
        let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let file = std::fs::File::open(path).map_err(|e| fail(&e))?;
        let reader = SerializedFileReader::new(file).map_err(|e| fail(&format!("not Parquet ({e})")))?;
        let schema = reader.metadata().file_metadata().schema();
        let Some(report) = schema.get_fields().iter().find(|f| f.name() == "report").cloned() else {
            return Err(fail(&"no \"report\" column: not the articles table of a sayso Spark run"));
        };
        let projection =
            parquet::schema::types::Type::group_type_builder(schema.name()).with_fields(vec![report]).build().map_err(|e| fail(&e))?;
        RowIter::from_file_into(Box::new(reader)).project(Some(projection)).map_err(|e| fail(&e))
    }
}

impl Iterator for SparkArticles {
    type Item = ReadBack;

    fn next(&mut self) -> Option<ReadBack> {
        loop {
            if let Some((path, rows)) = self.current.as_mut() {
                self.row += 1;
                let at = format!("{} row {}", path.display(), self.row);
                match rows.next() {
                    None => self.current = None,
                    Some(Err(e)) => {
                        self.current = None;
                        return Some(Err(format!("{at}: {e}")));
                    }
                    Some(Ok(row)) => {
                        let json = match row.get_string(0) {
                            Ok(j) => j,
                            Err(_) => return Some(Err(format!("{at}: no report"))),
                        };
                        return Some(match serde_json::from_str::<ArticleReport>(json) {
                            Ok(mut r) => match r.text.take() {
                                Some(text) => Ok((r, text)),
                                None => Err(format!("{at}: the report has no text")),
                            },
                            Err(e) => Err(format!("{at}: not a sayso report: {e}")),
                        });
                    }
                }
                continue;
            }
            let path = self.files.next()?;
            self.row = 0;
            match SparkArticles::open(&path) {
                Ok(rows) => self.current = Some((path, rows)),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

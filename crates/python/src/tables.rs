//! The Arrow tables of extracted articles: `articles`, `statements` (one row per statement,
//! the columns of `sayso export` that need no store), `speakers` and `errors`; and their
//! hand-over to pyarrow through the Arrow C data interface.

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use sayso_extract::report::ArticleReport;

/// A column's type.
#[derive(Clone, Copy)]
enum Ty {
    Str,
    Int,
    Float,
    Bool,
    Ints,
    Strs,
}

/// A cell.
enum V<'a> {
    S(Option<&'a str>),
    I(Option<i64>),
    F(f64),
    B(bool),
    Ints(&'a [i64]),
    Strs(&'a [String]),
}

enum Builder {
    S(StringBuilder),
    I(Int64Builder),
    F(Float64Builder),
    B(BooleanBuilder),
    Ints(ListBuilder<Int64Builder>),
    Strs(ListBuilder<StringBuilder>),
}

struct Table {
    names: &'static [(&'static str, Ty)],
    cols: Vec<Builder>,
    rows: usize,
}

impl Table {
    fn new(names: &'static [(&'static str, Ty)]) -> Table {
        let cols = names
            .iter()
            .map(|(_, t)| match t {
                Ty::Str => Builder::S(StringBuilder::new()),
                Ty::Int => Builder::I(Int64Builder::new()),
                Ty::Float => Builder::F(Float64Builder::new()),
                Ty::Bool => Builder::B(BooleanBuilder::new()),
                Ty::Ints => Builder::Ints(ListBuilder::new(Int64Builder::new())),
                Ty::Strs => Builder::Strs(ListBuilder::new(StringBuilder::new())),
            })
            .collect();
        Table { names, cols, rows: 0 }
    }

    fn push(&mut self, row: &[V]) {
        debug_assert_eq!(row.len(), self.cols.len());
        for (b, v) in self.cols.iter_mut().zip(row) {
            match (b, v) {
                (Builder::S(b), V::S(s)) => b.append_option(*s),
                (Builder::I(b), V::I(i)) => b.append_option(*i),
                (Builder::F(b), V::F(f)) => b.append_value(*f),
                (Builder::B(b), V::B(x)) => b.append_value(*x),
                (Builder::Ints(b), V::Ints(xs)) => {
                    b.values().append_slice(xs);
                    b.append(true);
                }
                (Builder::Strs(b), V::Strs(xs)) => {
                    for x in xs.iter() {
                        b.values().append_value(x);
                    }
                    b.append(true);
                }
                _ => unreachable!("a row's cells follow the table's columns"),
            }
        }
        self.rows += 1;
    }

    fn finish(mut self) -> RecordBatch {
        let arrays: Vec<(&str, ArrayRef, bool)> = self
            .names
            .iter()
            .zip(self.cols.iter_mut())
            .map(|((name, _), b)| {
                let a: ArrayRef = match b {
                    Builder::S(b) => Arc::new(b.finish()),
                    Builder::I(b) => Arc::new(b.finish()),
                    Builder::F(b) => Arc::new(b.finish()),
                    Builder::B(b) => Arc::new(b.finish()),
                    Builder::Ints(b) => Arc::new(b.finish()),
                    Builder::Strs(b) => Arc::new(b.finish()),
                };
                (*name, a, true)
            })
            .collect();
        // Every column nullable whatever a batch holds: one schema for all batches.
        RecordBatch::try_from_iter_with_nullable(arrays).expect("columns of one length")
    }
}

const ARTICLES: &[(&str, Ty)] = &[
    ("article_id", Ty::Str),
    ("file", Ty::Str),
    ("url", Ty::Str),
    ("canonical_url", Ty::Str),
    ("title", Ty::Str),
    ("outlet", Ty::Str),
    ("published", Ty::Str),
    ("month", Ty::Str),
    ("language", Ty::Str),
    ("authors", Ty::Strs),
    ("statements", Ty::Int),
    ("speakers", Ty::Int),
    ("warnings", Ty::Int),
    ("report", Ty::Str),
];

const STATEMENTS: &[(&str, Ty)] = &[
    ("article_id", Ty::Str),
    ("statement", Ty::Int),
    ("kind", Ty::Str),
    ("content", Ty::Str),
    ("start", Ty::Int),
    ("end", Ty::Int),
    ("cue", Ty::Str),
    ("cue_lemma", Ty::Str),
    ("source", Ty::Str),
    ("speaker_id", Ty::Str),
    ("speaker_name", Ty::Str),
    ("speaker_kind", Ty::Str),
    ("role", Ty::Str),
    ("place", Ty::Str),
    ("medium", Ty::Str),
    ("addressee", Ty::Str),
    ("negated", Ty::Bool),
    ("score", Ty::Float),
    ("input_start", Ty::Int),
    ("input_end", Ty::Int),
    ("sketch", Ty::Ints),
    ("url", Ty::Str),
    ("title", Ty::Str),
    ("outlet", Ty::Str),
    ("published", Ty::Str),
    ("month", Ty::Str),
];

const SPEAKERS: &[(&str, Ty)] = &[
    ("article_id", Ty::Str),
    ("speaker_id", Ty::Str),
    ("name", Ty::Str),
    ("kind", Ty::Str),
    ("roles", Ty::Strs),
    ("mentions", Ty::Int),
    ("statements", Ty::Int),
    ("url", Ty::Str),
    ("outlet", Ty::Str),
    ("published", Ty::Str),
    ("month", Ty::Str),
];

const ERRORS: &[(&str, Ty)] = &[("file", Ty::Str), ("line", Ty::Int), ("message", Ty::Str)];

/// The month a table is partitioned by: `YYYY-MM` of an ISO date, else none.
fn month(published: Option<&str>) -> Option<&str> {
    let m = published?.get(..7)?;
    (m.as_bytes()[4] == b'-' && m.bytes().enumerate().all(|(i, b)| i == 4 || b.is_ascii_digit())).then_some(m)
}

fn int(n: usize) -> V<'static> {
    V::I(Some(n as i64))
}

pub struct Tables {
    articles: Table,
    statements: Table,
    speakers: Table,
    errors: Table,
}

impl Default for Tables {
    fn default() -> Tables {
        Tables {
            articles: Table::new(ARTICLES),
            statements: Table::new(STATEMENTS),
            speakers: Table::new(SPEAKERS),
            errors: Table::new(ERRORS),
        }
    }
}

impl Tables {
    pub fn is_empty(&self) -> bool {
        self.articles.rows + self.errors.rows == 0
    }

    /// An article's statements only.
    pub fn statements(&mut self, r: &ArticleReport) {
        let (url, title, outlet, published) = (r.url.as_deref(), r.title.as_deref(), r.outlet.as_deref(), r.published.as_deref());
        for (i, s) in r.statements.iter().enumerate() {
            let sp = s.speaker.as_ref();
            let set = s.setting.as_ref();
            let sketch = if matches!(s.kind, "direct" | "mixed" | "post") { sayso_store::sketch(&s.content.text) } else { Vec::new() };
            self.statements.push(&[
                V::S(Some(&r.id)),
                int(i),
                V::S(Some(s.kind)),
                V::S(Some(&s.content.text)),
                int(s.content.start),
                int(s.content.end),
                V::S(s.cue.as_ref().map(|c| c.text.as_str())),
                V::S(s.cue.as_ref().map(|c| c.lemma.as_str())),
                V::S(s.source.as_ref().map(|c| c.text.as_str())),
                V::S(sp.and_then(|x| x.id.as_deref())),
                V::S(sp.and_then(|x| x.name.as_deref())),
                V::S(sp.map(|x| x.kind)),
                V::S(sp.and_then(|x| x.role.as_deref())),
                V::S(set.and_then(|x| x.place.as_deref())),
                V::S(set.and_then(|x| x.medium.as_deref())),
                V::S(set.and_then(|x| x.addressee.as_deref())),
                V::B(s.negated),
                // The report's rounding, in f64: 0.973, not 0.97299998.
                V::F((f64::from(s.score) * 1000.0).round() / 1000.0),
                int(s.input_bytes[0]),
                int(s.input_bytes[1]),
                V::Ints(&sketch),
                V::S(url),
                V::S(title),
                V::S(outlet),
                V::S(published),
                V::S(month(published)),
            ]);
        }
    }

    /// An article into all tables; `report` in `articles` is the CLI's JSON (with the text
    /// when the report holds it), what `sayso ingest` reads back.
    pub fn article(&mut self, r: &ArticleReport, file: &str) {
        self.statements(r);
        let published = r.published.as_deref();
        for sp in &r.speakers {
            let said = r.statements.iter().filter(|s| s.speaker.as_ref().and_then(|x| x.id.as_deref()) == Some(sp.id.as_str())).count();
            self.speakers.push(&[
                V::S(Some(&r.id)),
                V::S(Some(&sp.id)),
                V::S(sp.name.as_deref()),
                V::S(Some(sp.kind)),
                V::Strs(&sp.roles),
                int(sp.mentions.len()),
                int(said),
                V::S(r.url.as_deref()),
                V::S(r.outlet.as_deref()),
                V::S(published),
                V::S(month(published)),
            ]);
        }
        let json = serde_json::to_string(r).unwrap_or_default();
        self.articles.push(&[
            V::S(Some(&r.id)),
            V::S(Some(file)),
            V::S(r.url.as_deref()),
            V::S(r.canonical_url.as_deref()),
            V::S(r.title.as_deref()),
            V::S(r.outlet.as_deref()),
            V::S(published),
            V::S(month(published)),
            V::S(r.language.as_deref()),
            V::Strs(&r.authors),
            int(r.statements.len()),
            int(r.speakers.len()),
            int(r.warnings.len()),
            V::S(Some(&json)),
        ]);
    }

    pub fn error(&mut self, e: &sayso_ingest::InputError) {
        self.errors.push(&[V::S(Some(&e.path)), V::I(e.line.map(|l| l as i64)), V::S(Some(&e.to_string()))]);
    }

    pub fn statements_batch(self) -> RecordBatch {
        self.statements.finish()
    }

    pub fn finish(self) -> [RecordBatch; 4] {
        [self.articles.finish(), self.statements.finish(), self.speakers.finish(), self.errors.finish()]
    }
}

/// A record batch for pyarrow: `pyarrow.record_batch(b)` imports it (zero copy) through
/// `__arrow_c_array__`, once.
#[pyclass(module = "sayso._sayso")]
pub struct ArrowBatch(Option<RecordBatch>);

impl ArrowBatch {
    pub fn new(b: RecordBatch) -> ArrowBatch {
        ArrowBatch(Some(b))
    }
}

#[pymethods]
impl ArrowBatch {
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(&mut self, py: Python<'py>, requested_schema: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyTuple>> {
        // The schema is ours: a requested one is not honoured (pyarrow casts if it must).
        let _ = requested_schema;
        let b = self.0.take().ok_or_else(|| PyValueError::new_err("this batch was already imported"))?;
        let data = StructArray::from(b).into_data();
        let schema = FFI_ArrowSchema::try_from(data.data_type()).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let array = FFI_ArrowArray::new(&data);
        let schema = PyCapsule::new_with_value(py, schema, c"arrow_schema")?;
        let array = PyCapsule::new_with_value(py, array, c"arrow_array")?;
        PyTuple::new(py, [schema.into_any(), array.into_any()])
    }
}

/// Empty tables, whose schemas the Spark job declares.
#[pyfunction]
pub fn empty_tables() -> [ArrowBatch; 4] {
    Tables::default().finish().map(ArrowBatch::new)
}

//! The `sayso` Python package's native part (`sayso._sayso`): records from Python dicts or
//! from any input the CLI reads, extraction in parallel with the GIL released, and Arrow
//! tables handed over through the Arrow C data interface (PyCapsules). `python/sayso`
//! wraps it with the public functions, their error policies and docstrings.

mod tables;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use rayon::prelude::*;
use sayso_doc::{Document, Meta};
use sayso_extract::report::ArticleReport;
use sayso_ingest::{Body, Reader, Record};

pyo3::create_exception!(_sayso, InputError, PyValueError, "A record that could not be read; the message is the CLI's.");

/// Records extracted together: a batch's worth in memory at a time.
const BATCH: usize = 512;

/// A record's failure as a Python exception object (raised or returned by the wrapper).
fn input_error(py: Python, e: &sayso_ingest::InputError) -> Py<PyAny> {
    InputError::new_err(e.to_string()).into_value(py).into_any()
}

/// Thread pools by size, built once: `threads=None` uses rayon's global pool (all cores).
fn pool(threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let Some(n) = threads else { return Ok(None) };
    if !(1..=256).contains(&n) {
        return Err(PyValueError::new_err(format!("threads must be from 1 to 256, not {n}")));
    }
    let mut pools = POOLS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(p) = pools.get(&n) {
        return Ok(Some(p.clone()));
    }
    let p = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| PyValueError::new_err(format!("could not start {n} threads: {e}")))?,
    );
    pools.insert(n, p.clone());
    Ok(Some(p))
}

/// Runs `f` over `items` in parallel on the pool, in input order, without the GIL.
fn par_map<T: Send, U: Send>(py: Python, threads: Option<usize>, items: Vec<T>, f: impl Fn(T) -> U + Sync + Send) -> PyResult<Vec<U>> {
    let pool = pool(threads)?;
    Ok(py.detach(|| {
        let run = || items.into_par_iter().map(&f).collect();
        match pool {
            Some(p) => p.install(run),
            None => run(),
        }
    }))
}

/// One record to its document and report. A panic is a bug, but it costs only its record.
pub(crate) fn process(r: Record) -> Result<(Document, ArticleReport), sayso_ingest::InputError> {
    let mut origin = r.origin.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut doc = r.into_document()?;
        let ex = sayso_extract::extract(&mut doc);
        let report = ArticleReport::new(&doc, &ex);
        Ok((doc, report))
    }))
    .unwrap_or_else(|_| {
        origin.message = "an internal error stopped this record (a bug in sayso: please report it); skipped".into();
        Err(origin)
    })
}

/// A field that may be text or raw bytes.
enum Chars {
    Str(String),
    Bytes(Vec<u8>),
}

fn chars(d: &Bound<PyDict>, key: &str) -> PyResult<Option<Chars>> {
    let Some(v) = d.get_item(key)?.filter(|v| !v.is_none()) else { return Ok(None) };
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Some(Chars::Str(s.extract::<String>()?)));
    }
    if let Ok(b) = v.cast::<PyBytes>() {
        return Ok(Some(Chars::Bytes(b.as_bytes().to_vec())));
    }
    Err(PyTypeError::new_err(format!("{key:?} must be str or bytes, not {}", v.get_type().name()?)))
}

fn string(d: &Bound<PyDict>, key: &str) -> PyResult<Option<String>> {
    let Some(v) = d.get_item(key)?.filter(|v| !v.is_none()) else { return Ok(None) };
    match v.cast::<PyString>() {
        Ok(s) => Ok(Some(s.extract::<String>()?)),
        // An id may be a number, as in JSONL.
        Err(_) if key == "id" && v.extract::<i64>().is_ok() => Ok(Some(v.str()?.extract::<String>()?)),
        Err(_) => Err(PyTypeError::new_err(format!("{key:?} must be str, not {}", v.get_type().name()?))),
    }
}

/// A Python dict to a record: the JSONL fields, `html` and `text` as str or bytes.
/// A dict with neither is an error of that record, not of the batch.
fn record(d: &Bound<PyDict>, index: usize) -> PyResult<Result<Record, sayso_ingest::InputError>> {
    let id = string(d, "id")?.unwrap_or_else(|| index.to_string());
    let origin = sayso_ingest::InputError { path: format!("record {index}"), line: None, message: String::new() };
    let authors = match d.get_item("authors")?.filter(|v| !v.is_none()) {
        Some(v) => v.extract::<Vec<String>>().map_err(|_| PyTypeError::new_err("\"authors\" must be a list of str"))?,
        None => Vec::new(),
    };
    let meta = Meta {
        id,
        title: string(d, "title")?,
        url: string(d, "url")?,
        published: string(d, "published")?,
        outlet: string(d, "outlet")?,
        authors,
        ..Meta::default()
    };
    let content_type = string(d, "content_type")?;
    let body = match (chars(d, "html")?, chars(d, "text")?) {
        (Some(html), text) => {
            let or_text = match text {
                Some(Chars::Str(t)) => Some(t),
                Some(Chars::Bytes(t)) => Some(String::from_utf8_lossy(&t).into_owned()),
                None => None,
            };
            let (bytes, content_type) = match html {
                Chars::Str(s) => (s.into_bytes(), Some("text/html; charset=utf-8".to_string())),
                Chars::Bytes(b) => (b, content_type),
            };
            Body::Html { bytes, content_type, to_source: None, or_text }
        }
        (None, Some(Chars::Str(t))) => Body::Text(t),
        (None, Some(Chars::Bytes(b))) => Body::TextBytes(b),
        (None, None) => return Ok(Err(sayso_ingest::InputError { message: "no \"text\" or \"html\" field".into(), ..origin })),
    };
    Ok(Ok(Record { origin, meta, body, warnings: Vec::new() }))
}

/// Records of a list of dicts, numbered from `first`.
fn records(list: &Bound<PyList>, first: usize) -> PyResult<Vec<Result<Record, sayso_ingest::InputError>>> {
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let d = item.cast::<PyDict>().map_err(|_| PyTypeError::new_err(format!("record {}: expected a dict", first + i)))?;
            record(d, first + i)
        })
        .collect()
}

/// Extracts a list of dicts; for each, its report as JSON (the CLI's contract) or the
/// InputError that stopped it.
#[pyfunction]
#[pyo3(signature = (batch, first=0, threads=None, with_text=false))]
fn extract_json(py: Python, batch: &Bound<PyList>, first: usize, threads: Option<usize>, with_text: bool) -> PyResult<Vec<Py<PyAny>>> {
    let recs = records(batch, first)?;
    let out = par_map(py, threads, recs, |r| {
        r.and_then(process).map(|(doc, mut report)| {
            if with_text {
                report.text = Some(doc.text);
            }
            serde_json::to_string(&report).unwrap_or_default()
        })
    })?;
    Ok(out
        .into_iter()
        .map(|r| match r {
            Ok(json) => PyString::new(py, &json).into_any().unbind(),
            Err(e) => input_error(py, &e),
        })
        .collect())
}

/// Extracts a list of dicts into the statements table; returns it with the errors met.
#[pyfunction]
#[pyo3(signature = (batch, first=0, threads=None))]
fn extract_statements(
    py: Python,
    batch: &Bound<PyList>,
    first: usize,
    threads: Option<usize>,
) -> PyResult<(tables::ArrowBatch, Vec<Py<PyAny>>)> {
    let recs = records(batch, first)?;
    let done = par_map(py, threads, recs, |r| r.and_then(process))?;
    let mut t = tables::Tables::default();
    let mut errors = Vec::new();
    for r in &done {
        match r {
            Ok((_, report)) => t.statements(report),
            Err(e) => errors.push(input_error(py, e)),
        }
    }
    Ok((tables::ArrowBatch::new(t.statements_batch()), errors))
}

/// A record as a Python dict, with the keys `extract` takes.
fn record_dict<'py>(py: Python<'py>, r: Record) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let m = r.meta;
    d.set_item("id", m.id)?;
    for (k, v) in [("title", m.title), ("url", m.url), ("published", m.published), ("outlet", m.outlet)] {
        d.set_item(k, v)?;
    }
    d.set_item("authors", m.authors)?;
    match r.body {
        Body::Text(t) => d.set_item("text", t)?,
        Body::TextBytes(b) => d.set_item("text", PyBytes::new(py, &b))?,
        Body::Html { bytes, content_type, or_text, .. } => {
            d.set_item("html", PyBytes::new(py, &bytes))?;
            d.set_item("content_type", content_type)?;
            if let Some(t) = or_text {
                d.set_item("text", t)?;
            }
        }
    }
    Ok(d)
}

fn reader(paths: Vec<PathBuf>) -> (Reader, Vec<sayso_ingest::InputError>) {
    let (inputs, errors) = sayso_ingest::inputs(&paths);
    (Reader::new(inputs), errors)
}

/// The records of files and directories, as dicts, or the InputError of each record that
/// could not be read; one record in memory at a time.
#[pyclass(module = "sayso._sayso")]
struct Records {
    reader: Mutex<Reader>,
    pending: Vec<sayso_ingest::InputError>,
}

#[pymethods]
impl Records {
    #[new]
    fn new(paths: Vec<PathBuf>) -> Records {
        let (reader, pending) = reader(paths);
        Records { reader: Mutex::new(reader), pending }
    }

    fn __iter__(slf: PyRef<Self>) -> PyRef<Self> {
        slf
    }

    fn __next__(&mut self, py: Python) -> PyResult<Option<Py<PyAny>>> {
        if !self.pending.is_empty() {
            return Ok(Some(input_error(py, &self.pending.remove(0))));
        }
        let reader = &self.reader;
        let next = py.detach(|| reader.lock().unwrap_or_else(|p| p.into_inner()).next());
        match next {
            None => Ok(None),
            Some(Ok(r)) => Ok(Some(record_dict(py, r)?.into_any().unbind())),
            Some(Err(e)) => Ok(Some(input_error(py, &e))),
        }
    }
}

/// The four tables of files read and extracted a batch at a time (for Spark): each step
/// gives `(articles, statements, speakers, errors)` for up to 512 records.
#[pyclass(module = "sayso._sayso")]
struct FileTables {
    reader: Mutex<Reader>,
    pending: Vec<sayso_ingest::InputError>,
    threads: Option<usize>,
}

#[pymethods]
impl FileTables {
    #[new]
    #[pyo3(signature = (paths, threads=None))]
    fn new(paths: Vec<PathBuf>, threads: Option<usize>) -> PyResult<FileTables> {
        pool(threads)?;
        let (reader, pending) = reader(paths);
        Ok(FileTables { reader: Mutex::new(reader), pending, threads })
    }

    fn __iter__(slf: PyRef<Self>) -> PyRef<Self> {
        slf
    }

    fn __next__(&mut self, py: Python) -> PyResult<Option<[tables::ArrowBatch; 4]>> {
        let mut t = tables::Tables::default();
        for e in self.pending.drain(..) {
            t.error(&e);
        }
        let reader = &self.reader;
        let batch: Vec<_> = py.detach(|| reader.lock().unwrap_or_else(|p| p.into_inner()).by_ref().take(BATCH).collect());
        if batch.is_empty() && t.is_empty() {
            return Ok(None);
        }
        let done = par_map(py, self.threads, batch, |r| {
            r.and_then(|r| {
                let file = r.origin.path.clone();
                process(r).map(|(doc, mut report)| {
                    report.text = Some(doc.text);
                    (file, report)
                })
            })
        })?;
        for r in &done {
            match r {
                Ok((file, report)) => t.article(report, file),
                Err(e) => t.error(e),
            }
        }
        Ok(Some(t.finish().map(tables::ArrowBatch::new)))
    }
}

/// The quotation sketch the store's trails use (bottom-k MinHash of four-word shingles).
#[pyfunction]
fn sketch(text: &str) -> Vec<i64> {
    sayso_store::sketch(text)
}

#[pymodule]
fn _sayso(m: &Bound<PyModule>) -> PyResult<()> {
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add_function(wrap_pyfunction!(extract_json, m)?)?;
    m.add_function(wrap_pyfunction!(extract_statements, m)?)?;
    m.add_function(wrap_pyfunction!(sketch, m)?)?;
    m.add_function(wrap_pyfunction!(tables::empty_tables, m)?)?;
    m.add_class::<Records>()?;
    m.add_class::<FileTables>()?;
    m.add_class::<tables::ArrowBatch>()?;
    Ok(())
}

//! `sayso serve --demo`: a store in memory made from a few articles written for it
//! (invented, two weeks of a port strike in three outlets, the same speakers throughout,
//! and one quotation that travels between them).

use std::path::Path;

use sayso_extract::report::ArticleReport;
use sayso_store::{Article, Store, StoreError};

const ARTICLES: &str = include_str!("demo.jsonl");

/// Extracts JSONL articles (as `sayso extract` reads them) into a store that lives in memory.
pub fn store_from_jsonl(jsonl: &str) -> Result<Store, StoreError> {
    let mut store = Store::open(Path::new(":memory:"))?;
    let mut reports = Vec::new();
    for (n, line) in jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let (meta, body, warnings) = sayso_ingest::json_record(line.as_bytes()).map_err(|e| StoreError(format!("line {}: {e}", n + 1)))?;
        let origin = sayso_ingest::InputError { path: "demo".into(), line: Some(n + 1), message: String::new() };
        let mut doc = sayso_ingest::Record { origin, meta, body, warnings }.into_document().map_err(|e| StoreError(e.message))?;
        let ex = sayso_extract::extract(&mut doc);
        reports.push((ArticleReport::new(&doc, &ex), doc.text));
    }
    let batch: Vec<Article> = reports.iter().map(|(report, text)| Article { report, text }).collect();
    store.ingest(&batch)?;
    Ok(store)
}

/// The demo store.
pub fn demo_store() -> Result<Store, StoreError> {
    store_from_jsonl(ARTICLES)
}

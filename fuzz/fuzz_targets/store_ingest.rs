//! Small articles (ids, URLs, dates, texts from the input) extracted and stored in an
//! in-memory store, in one or more batches, some replacing others: ingest never fails or
//! panics, the store passes SQLite's integrity check, articles are at most the distinct
//! keys, and searching any words never fails.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sayso_doc::{Document, Meta};
use sayso_extract::report::ArticleReport;
use sayso_store::{Article, SearchQuery, Sort, Store};

const IDS: &[&str] = &["a", "b", "c", "a b", "é", ""];
const URLS: &[Option<&str>] = &[None, Some("https://d.example/a"), Some("https://d.example/a?x=1"), Some("d.example/b"), Some("")];
const DATES: &[Option<&str>] = &[None, Some("2024-05-03"), Some("2024-02-30"), Some("Tue, 03 May 2024 10:00:00 GMT"), Some("soon")];

fuzz_target!(|data: &[u8]| {
    let pieces: Vec<&[u8]> = data.split(|&b| b == 0).take(6).collect();
    let mut batches: Vec<Vec<(ArticleReport, String)>> = vec![Vec::new()];
    let mut keys = std::collections::HashSet::new();
    for p in &pieces {
        let Some((&f, text)) = p.split_first() else { continue };
        let meta = Meta {
            id: IDS[f as usize % IDS.len()].into(),
            url: URLS[(f as usize / 8) % URLS.len()].map(Into::into),
            published: DATES[(f as usize / 3) % DATES.len()].map(Into::into),
            outlet: (f & 0x40 != 0).then(|| "Daily".into()),
            authors: if f & 0x20 != 0 { vec!["Ann Lee".into(), String::new()] } else { Vec::new() },
            ..Meta::default()
        };
        keys.insert((meta.id.clone(), meta.url.clone()));
        let mut doc = Document::from_text(meta, String::from_utf8_lossy(text).into_owned());
        let ex = sayso_extract::extract(&mut doc);
        let report = ArticleReport::new(&doc, &ex);
        if f & 0x80 != 0 {
            batches.push(Vec::new());
        }
        batches.last_mut().unwrap().push((report, doc.text));
    }
    let mut store = Store::open(std::path::Path::new(":memory:")).expect("an in-memory store opens");
    for b in &batches {
        let batch: Vec<Article> = b.iter().map(|(report, text)| Article { report, text }).collect();
        store.ingest(&batch).expect("a batch of extracted articles is stored");
    }
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let (articles, _, _) = store.counts().unwrap();
    assert!(articles as usize <= keys.len() * 2, "{articles} articles from {} keys", keys.len());
    for p in pieces.iter().take(2) {
        let text = String::from_utf8_lossy(p.get(1..).unwrap_or_default()).into_owned();
        if text.chars().any(char::is_alphanumeric) {
            let q = SearchQuery { text, limit: 5, sort: if p[0] & 1 == 0 { Sort::Rank } else { Sort::Date }, ..SearchQuery::default() };
            store.search(&q).expect("searching words never fails");
        }
    }
});

//! The store as a user relies on it: idempotent ingest, replacement, identities, trails,
//! search that never parses user syntax, clear refusals of foreign or old files.

use std::path::PathBuf;

use sayso_doc::{Document, Meta};
use sayso_extract::report::ArticleReport;
use sayso_store::{Article, Lookup, SearchQuery, Sort, Store};

fn db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sayso-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    let _ = std::fs::remove_file(&p);
    p
}

fn report(id: &str, url: Option<&str>, published: &str, text: &str) -> (ArticleReport, String) {
    let meta = Meta {
        id: id.into(),
        url: url.map(Into::into),
        published: Some(published.into()),
        outlet: Some("Daily".into()),
        ..Meta::default()
    };
    let mut doc = Document::from_text(meta, text.to_string());
    let ex = sayso_extract::extract(&mut doc);
    (ArticleReport::new(&doc, &ex), doc.text.clone())
}

fn page(store: &Store, name: &str) -> sayso_store::IdentityPage {
    match store.identity(name, 10).unwrap() {
        Lookup::Page(p) => *p,
        other => panic!("{name}: {other:?}"),
    }
}

fn ingest(store: &mut Store, items: &[(ArticleReport, String)]) -> sayso_store::Ingested {
    let batch: Vec<Article> = items.iter().map(|(report, text)| Article { report, text }).collect();
    store.ingest(&batch).unwrap()
}

const A: &str = "“We will not raise taxes this year, whatever happens to the economy,” Finance Minister Bilawal Bhutto Zardari said on Tuesday.\n\nBhutto Zardari added that the Indus Waters Treaty was not negotiable.";
const C: &str = "Khan said the plan was a gamble.\n\nKhan added that he would vote against it.";
const B: &str = "Bilawal Bhutto told reporters: “We will not raise taxes this year, whatever happens.”\n\nCritics said the plan relied on optimistic forecasts.\n\nOur budget stays as it is. — Bilawal Bhutto Zardari (@BBhuttoZardari) May 5, 2024";

#[test]
fn ingest_is_idempotent_and_replaces_changed_articles() {
    let path = db("idem.db");
    let mut store = Store::open(&path).unwrap();
    let a = report("a", Some("https://d.example/a"), "2024-05-03", A);
    let d = ingest(&mut store, &[a]);
    assert_eq!((d.new, d.replaced, d.unchanged), (1, 0, 0));
    let again = report("a-copy", Some("https://d.example/a"), "2024-05-03", A);
    // Within one run it is a duplicate of what the run stored.
    assert_eq!(ingest(&mut store, &[again]).duplicate, 1);
    let changed = report("a", Some("https://d.example/a"), "2024-05-03", &A.replace("Tuesday", "Wednesday"));
    assert_eq!(ingest(&mut store, &[changed]).replaced, 1);
    let (articles, statements, _) = store.counts().unwrap();
    assert_eq!(articles, 1);
    assert!(statements >= 2);
    // The replaced article's statements are gone from the search index too.
    let hits = store.search(&SearchQuery { text: "Indus Waters".into(), limit: 10, ..Default::default() }).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn identities_trails_and_search() {
    let path = db("ids.db");
    let mut store = Store::open(&path).unwrap();
    let items = [report("a", None, "2024-05-03", A), report("b", None, "2024-05-05", B), report("c", None, "2024-05-06", C)];
    ingest(&mut store, &items);
    // A surname alone never becomes an identity shared across articles.
    assert!(matches!(store.identity("khan", 10).unwrap(), Lookup::None));
    // "Bilawal Bhutto" and "Bilawal Bhutto Zardari" are one identity.
    let page = page(&store, "bilawal");
    assert_eq!(page.identity.name, "Bilawal Bhutto Zardari");
    assert!(page.aliases.contains(&"bilawal bhutto".to_string()), "{:?}", page.aliases);
    assert!(page.aliases.contains(&"@bbhuttozardari".to_string()), "{:?}", page.aliases);
    assert_eq!(self::page(&store, "@BBhutto").identity.id, page.identity.id);
    assert!(page.roles.iter().any(|r| r.0.contains("Finance Minister")), "{:?}", page.roles);
    // Both wordings of the quotation are one trail, first appearance first.
    let trail = store.trail("raise taxes").unwrap().expect("a trail");
    assert_eq!(trail.appearances.len(), 2);
    assert_eq!(trail.appearances[0].published.as_deref(), Some("2024-05-03"));
    assert_eq!(trail.wordings.len(), 2);
    // Filters, and queries full of FTS syntax.
    let q = |text: &str| SearchQuery { text: text.into(), limit: 10, ..Default::default() };
    assert_eq!(store.search(&SearchQuery { since: Some("2024-05-04".into()), ..q("taxes") }).unwrap().len(), 1);
    assert_eq!(store.search(&SearchQuery { speaker: Some("zardari".into()), ..q("treaty") }).unwrap().len(), 1);
    for tricky in ["\"taxes", "taxes*", "NEAR(taxes", "taxes) OR (", "AND"] {
        assert!(store.search(&q(tricky)).is_ok(), "{tricky}");
    }
    assert!(store.search(&q("()*")).is_err());
    assert!(store.search(&SearchQuery { since: Some("last week".into()), ..q("taxes") }).is_err());
    let mut csv = Vec::new();
    let n = store.export(sayso_store::Export::Csv, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), n + 1);
    assert!(csv.lines().next().unwrap().starts_with("statement_id,kind,content"));

    // Parquet: the same rows, readable back.
    let pq = db("export.parquet");
    assert_eq!(store.export_parquet(std::fs::File::create(&pq).unwrap()).unwrap(), n);
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows() as usize, n);
    let first = reader.get_row_iter(None).unwrap().next().unwrap().unwrap().to_string();
    assert!(first.contains("kind: \"direct\"") || first.contains("kind: \"indirect\"") || first.contains("kind: \"mixed\""), "{first}");
}

#[test]
fn foreign_and_other_version_files_are_refused_untouched() {
    let junk = db("junk.db");
    std::fs::write(&junk, b"this is not a database at all, just some text that is long enough").unwrap();
    let before = std::fs::read(&junk).unwrap();
    let err = Store::open(&junk).err().expect("refused").to_string();
    assert!(err.contains("not a sayso database"), "{err}");
    assert_eq!(std::fs::read(&junk).unwrap(), before);

    let old = db("old.db");
    drop(Store::open(&old).unwrap());
    {
        let c = rusqlite::Connection::open(&old).unwrap();
        c.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'", []).unwrap();
    }
    let err = Store::open(&old).err().expect("refused").to_string();
    assert!(err.contains("schema version 0"), "{err}");
    // Version 1 (its index needed SQLite 3.43) is refused for reading and writing alike.
    rusqlite::Connection::open(&old).unwrap().execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'", []).unwrap();
    for err in [Store::open(&old).err(), Store::open_existing(&old).err()] {
        let err = err.expect("refused").to_string();
        assert!(err.contains("schema version 1; this sayso reads version 2"), "{err}");
    }
    assert!(Store::open_existing(&db("missing.db")).is_err());
}

/// Articles with the same two speakers, distinct texts: `n` of them for writer `w`.
fn articles_of(w: usize, n: usize) -> Vec<(ArticleReport, String)> {
    (0..n)
        .map(|i| {
            let text = format!("“We will not raise taxes in ward {w}-{i},” Finance Minister Ann Lee said.\n\nOpposition leader Bo Chan said ward {w}-{i} would suffer.");
            report(&format!("w{w}-{i}"), None, "2024-05-03", &text)
        })
        .collect()
}

fn concurrent_writers(n: usize) {
    let path = db(&format!("concurrent-{n}.db"));
    let writers: Vec<_> = (0..n)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let items = articles_of(w, 120);
                let mut store = Store::open(&path).unwrap();
                for chunk in items.chunks(10) {
                    ingest(&mut store, chunk);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer failed");
    }
    let store = Store::open_existing(&path).unwrap();
    let (articles, statements, identities) = store.counts().unwrap();
    assert_eq!(articles, 120 * n as i64);
    assert!(statements >= articles);
    // The writers share two people: each is one identity, whoever wrote first.
    assert_eq!(identities, 2, "{:?}", store.identities(None, 10).unwrap());
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn two_writers_into_one_new_file() {
    concurrent_writers(2);
}

#[test]
fn four_writers_into_one_new_file() {
    concurrent_writers(4);
}

#[test]
fn published_dates_are_stored_as_iso_or_not_at_all() {
    let path = db("dates.db");
    let mut store = Store::open(&path).unwrap();
    let raw = ["Tue, 03 Jun 2025 10:00:00 GMT", "1748944800", "June 4, 2025", "Mo-Su 08:00-20:00", "PT15M", "2025-13-45"];
    let items: Vec<_> =
        raw.iter().enumerate().map(|(i, d)| report(&format!("d{i}"), None, d, &format!("Ann Lee said item {i} was ready."))).collect();
    ingest(&mut store, &items);
    let q = |since: &str| SearchQuery { text: "ready".into(), since: Some(since.into()), limit: 10, ..Default::default() };
    let mut dates: Vec<Option<String>> =
        store.search(&SearchQuery { limit: 10, ..q("2000") }).unwrap().into_iter().map(|h| h.published).collect();
    dates.sort();
    assert_eq!(dates, [Some("2025-06-03".to_string()), Some("2025-06-03T10:00:00Z".into()), Some("2025-06-04".into())]);
    assert_eq!(store.search(&q("2025-06-04")).unwrap().len(), 1);
    // All six are there; the three without a readable date are undated.
    assert_eq!(store.search(&SearchQuery { text: "ready".into(), limit: 10, ..Default::default() }).unwrap().len(), 6);
    for bad in ["2025-02-30", "2025-13-45", "2023-02-29"] {
        assert!(store.search(&q(bad)).is_err(), "{bad}");
    }
    assert!(store.search(&q("2024-02-29")).is_ok());
}

#[test]
fn like_wildcards_are_characters() {
    let path = db("like.db");
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, &[report("a", None, "2024-05-03", A), report("b", None, "2024-05-05", B)]);
    let q = |speaker: Option<&str>, outlet: Option<&str>| SearchQuery {
        text: "taxes".into(),
        speaker: speaker.map(Into::into),
        outlet: outlet.map(Into::into),
        limit: 10,
        ..Default::default()
    };
    assert!(!store.search(&q(Some("bhutto"), None)).unwrap().is_empty());
    assert!(!store.search(&q(None, Some("Dail"))).unwrap().is_empty());
    for (speaker, outlet) in
        [(Some("%"), None), (Some("bh_tto"), None), (Some("\\"), None), (Some("person"), None), (None, Some("D_ily")), (None, Some("%"))]
    {
        assert_eq!(store.search(&q(speaker, outlet)).unwrap().len(), 0, "{speaker:?} {outlet:?}");
    }
    assert!(store.identities(Some("%"), 10).unwrap().is_empty());
    assert!(store.identities(Some("bh_tto"), 10).unwrap().is_empty());
}

#[test]
fn search_ranks_by_bm25_or_by_date() {
    let path = db("rank.db");
    let mut store = Store::open(&path).unwrap();
    let items = [
        report("1", None, "2024-01-01", "Ann Lee said the budget had a hole in the middle of a long and winding road to nowhere at all."),
        report("2", None, "2024-03-01", "Ann Lee said the budget, the budget, the budget."),
        report("3", None, "2024-02-01", "Ann Lee said the budget was fine."),
    ];
    ingest(&mut store, &items);
    let q = SearchQuery { text: "budget".into(), limit: 10, ..Default::default() };
    let ids = |hits: Vec<sayso_store::Hit>| hits.into_iter().map(|h| h.article).collect::<Vec<_>>();
    // Three mentions first, then the short statement, then the long one.
    assert_eq!(ids(store.search(&q).unwrap()), ["2", "3", "1"]);
    assert_eq!(ids(store.search(&SearchQuery { sort: Sort::Date, ..q.clone() }).unwrap()), ["2", "3", "1"].map(String::from));
    let by_date = store.search(&SearchQuery { sort: Sort::Date, speaker: Some("lee".into()), ..q.clone() }).unwrap();
    assert_eq!(by_date.iter().map(|h| h.published.clone().unwrap()).collect::<Vec<_>>(), ["2024-03-01", "2024-02-01", "2024-01-01"]);
    assert!(store.search(&SearchQuery { limit: 0, ..q }).unwrap().is_empty());
}

#[test]
fn cjk_words_are_found_inside_runs() {
    let path = db("cjk.db");
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, &[report("c", None, "2024-05-03", "“北京的天气很好，”Ann Lee said on Monday.")]);
    let q = |t: &str| SearchQuery { text: t.into(), limit: 10, ..Default::default() };
    assert_eq!(store.search(&q("北京")).unwrap().len(), 1);
    assert_eq!(store.search(&q("天气")).unwrap().len(), 1);
    assert_eq!(store.search(&q("京北")).unwrap().len(), 0);
}

#[test]
fn a_run_counts_what_it_stored_once() {
    let path = db("counts.db");
    let mut store = Store::open(&path).unwrap();
    let first = report("a", Some("https://d.example/a"), "2024-05-03", A);
    let same = report("a2", Some("https://d.example/a"), "2024-05-03", A);
    let d = ingest(&mut store, &[first, same]);
    assert_eq!((d.new, d.unchanged, d.duplicate), (1, 0, 1));
    let n = d.statements;
    // A later version in the same run replaces the first: its statements are not counted twice.
    let changed = report("a", Some("https://d.example/a"), "2024-05-03", &A.replace("Tuesday", "Wednesday"));
    let d = ingest(&mut store, &[changed]);
    assert_eq!((d.replaced, d.superseded), (1, n));
    let (_, statements, _) = store.counts().unwrap();
    assert_eq!(statements as usize, d.statements);
    drop(store);
    // Another run finds the same text unchanged, not a duplicate.
    let mut store = Store::open(&path).unwrap();
    let d = ingest(&mut store, &[report("a", Some("https://d.example/a"), "2024-05-03", &A.replace("Tuesday", "Wednesday"))]);
    assert_eq!((d.unchanged, d.duplicate, d.superseded), (1, 0, 0));
}

#[test]
fn speaker_lookup_refuses_to_guess() {
    let path = db("lookup.db");
    let mut store = Store::open(&path).unwrap();
    let text = "Ann Lee said the plan was good.\n\nBo Lee said the plan was bad.";
    ingest(&mut store, &[report("l", None, "2024-05-03", text)]);
    match store.identity("lee", 10).unwrap() {
        Lookup::Several(rows) => assert_eq!(rows.len(), 2, "{rows:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(page(&store, "ann lee").identity.name, "Ann Lee");
    assert!(store.identity("  ", 10).is_err());
}

#[test]
fn a_closed_store_is_read_without_wal_files() {
    let path = db("ro.db");
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, &[report("a", None, "2024-05-03", A)]);
    drop(store);
    let sidecars = || ["-wal", "-shm"].iter().filter(|s| std::fs::metadata(format!("{}{s}", path.display())).is_ok()).count();
    assert_eq!(sidecars(), 0, "ingest leaves no -wal or -shm");
    let store = Store::open_existing(&path).unwrap();
    assert_eq!(store.search(&SearchQuery { text: "taxes".into(), limit: 5, ..Default::default() }).unwrap().len(), 1);
    assert_eq!(sidecars(), 0, "reading makes no -wal or -shm");
    drop(store);

    // A file left in WAL mode (an ingest killed), read as immutable: nothing written.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    assert_eq!(sidecars(), 0);
    let store = Store::open_immutable(&path).unwrap();
    assert_eq!(store.search(&SearchQuery { text: "taxes".into(), limit: 5, ..Default::default() }).unwrap().len(), 1);
    assert_eq!(sidecars(), 0, "an immutable read makes no -wal or -shm");
    drop(store);
    assert!(Store::open_existing(path.parent().unwrap()).err().unwrap().to_string().contains("a directory"));
    assert!(Store::open(path.parent().unwrap()).err().unwrap().to_string().contains("a directory"));
}

/// A Parquet file shaped like the articles table of a Spark run: `report` (JSON with the
/// text) and another column, with a row that is not a report.
fn spark_articles(path: &std::path::Path, reports: &[String]) {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::writer::SerializedFileWriter;
    let schema = "message spark_schema { OPTIONAL BYTE_ARRAY article_id (UTF8); OPTIONAL BYTE_ARRAY report (UTF8); }";
    let schema = std::sync::Arc::new(parquet::schema::parser::parse_message_type(schema).unwrap());
    let mut w = SerializedFileWriter::new(std::fs::File::create(path).unwrap(), schema, Default::default()).unwrap();
    let mut rg = w.next_row_group().unwrap();
    for c in 0..2 {
        let mut col = rg.next_column().unwrap().unwrap();
        let vals: Vec<ByteArray> = reports.iter().map(|r| ByteArray::from(if c == 0 { "id" } else { r.as_str() })).collect();
        col.typed::<ByteArrayType>().write_batch(&vals, Some(&vec![1; vals.len()]), None).unwrap();
        col.close().unwrap();
    }
    rg.close().unwrap();
    w.close().unwrap();
}

#[test]
fn reports_a_spark_run_wrote_are_stored_as_extracted_and_bad_rows_are_named() {
    let dir = db("spark-run");
    std::fs::create_dir_all(dir.join("articles/month=2025-06")).unwrap();
    let with_text = |(r, t): (ArticleReport, String)| {
        let mut v = serde_json::to_value(&r).unwrap();
        v["text"] = t.into();
        v.to_string()
    };
    let a = report("a", Some("https://x.example/a"), "2025-06-03", "“We will not raise taxes,” Finance Minister Ann Lee said.");
    let b = report("b", Some("https://x.example/b"), "2025-06-04", "Opposition leader Ahmed Khan said the plan would hurt schools.");
    spark_articles(&dir.join("articles/month=2025-06/part-0.parquet"), &[with_text(a), "{\"id\": 1}".into(), with_text(b)]);
    std::fs::write(dir.join("articles/month=2025-06/part-1.parquet"), b"not parquet").unwrap();
    assert!(sayso_store::is_spark_output(&dir));
    let read: Vec<_> = sayso_store::SparkArticles::new(std::slice::from_ref(&dir)).collect();
    assert_eq!(read.len(), 4);
    let errors: Vec<&String> = read.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors[0].contains("part-0.parquet row 2: not a sayso report"), "{errors:?}");
    assert!(errors[1].contains("part-1.parquet: not Parquet"), "{errors:?}");
    let ok: Vec<(ArticleReport, String)> = read.into_iter().filter_map(Result::ok).collect();
    assert_eq!(ok[0].0.statements[0].speaker.as_ref().and_then(|s| s.name.as_deref()), Some("Ann Lee"));
    let mut store = Store::open(&db("spark.db")).unwrap();
    let done = ingest(&mut store, &ok);
    assert_eq!((done.new, done.statements), (2, 2));
    let hits = store.search(&SearchQuery { text: "taxes".into(), limit: 5, ..SearchQuery::default() }).unwrap();
    assert_eq!(hits[0].speaker.as_deref(), Some("Ann Lee"));
}

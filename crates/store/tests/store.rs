//! The store as a user relies on it: idempotent ingest, replacement, identities, trails,
//! search that never parses user syntax, clear refusals of foreign or old files.

use std::path::PathBuf;

use sayso_doc::{Document, Meta};
use sayso_extract::report::ArticleReport;
use sayso_store::{Article, SearchQuery, Store};

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
    assert_eq!(ingest(&mut store, &[again]).unchanged, 1);
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
    assert!(store.identity("khan", 10).unwrap().is_none());
    // "Bilawal Bhutto" and "Bilawal Bhutto Zardari" are one identity.
    let page = store.identity("bilawal", 10).unwrap().expect("an identity");
    assert_eq!(page.identity.name, "Bilawal Bhutto Zardari");
    assert!(page.aliases.contains(&"bilawal bhutto".to_string()), "{:?}", page.aliases);
    assert!(page.aliases.contains(&"@bbhuttozardari".to_string()), "{:?}", page.aliases);
    assert_eq!(store.identity("@BBhutto", 10).unwrap().expect("found by handle").identity.id, page.identity.id);
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
    assert!(Store::open_existing(&db("missing.db")).is_err());
}

//! The API and pages against stores built here from small invented articles: the demo's,
//! and one whose title, text, names, post and links carry script payloads.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sayso_serve::{app, store_from_jsonl, Pool};
use serde_json::Value;
use tower::ServiceExt;

const DEMO: &str = include_str!("../src/demo.jsonl");
const HOSTILE: &str = include_str!("../../../tests/serve/hostile.jsonl");

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The message of a JSON error, checking its form and status.
    fn error(&self, status: u16) -> String {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        let v = self.json();
        assert_eq!(v["error"]["status"], status);
        v["error"]["message"].as_str().unwrap().to_string()
    }
}

async fn call(router: &axum::Router, req: Request<Body>) -> Answer {
    let res = router.clone().oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    Answer { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn get(router: &axum::Router, uri: &str) -> Answer {
    call(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(router: &axum::Router, uri: &str, content_type: &str, body: Vec<u8>) -> Answer {
    call(router, Request::post(uri).header("content-type", content_type).body(Body::from(body)).unwrap()).await
}

fn demo() -> axum::Router {
    app(Pool::single(store_from_jsonl(DEMO).unwrap()), sayso_serve::CACHE_DEFAULT)
}

/// The first result's field for a search.
async fn first(router: &axum::Router, uri: &str, field: &str) -> Value {
    let a = get(router, uri).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()["results"][0][field].clone()
}

#[tokio::test]
async fn search_finds_statements_with_the_ids_to_follow() {
    let r = demo();
    let v = get(&r, "/api/v1/search?q=exhausted+people").await.json();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{v}");
    for h in results {
        assert!(h["statement_id"].as_i64().unwrap() > 0 && h["article_id"].as_i64().unwrap() > 0);
        assert_eq!(h["speaker"], "Tomas Reyes");
        assert!(h["speaker_id"].as_i64().is_some());
    }
    // Filters: speaker, outlet, kind, dates.
    assert_eq!(first(&r, "/api/v1/search?q=exhausted&outlet=ledger", "outlet").await, "Daily Ledger");
    assert_eq!(first(&r, "/api/v1/search?q=exhausted&kind=mixed", "kind").await, "mixed");
    assert_eq!(first(&r, "/api/v1/search?q=exhausted&since=2025-03-04&until=2025-03-06", "published").await, "2025-03-05");
    assert_eq!(get(&r, "/api/v1/search?q=exhausted&speaker=marsh").await.json()["results"], serde_json::json!([]));
    // Syntax is text, never FTS syntax.
    assert_eq!(get(&r, "/api/v1/search?q=%22exhausted*%20NEAR(").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_cursor_pages_through_results_without_repeating_one() {
    let r = demo();
    let all: Vec<Value> = get(&r, "/api/v1/search?q=port&limit=100").await.json()["results"].as_array().unwrap().clone();
    assert!(all.len() >= 4, "{all:?}");
    let mut seen = Vec::new();
    let mut uri = "/api/v1/search?q=port&limit=2".to_string();
    loop {
        let v = get(&r, &uri).await.json();
        seen.extend(v["results"].as_array().unwrap().iter().map(|h| h["statement_id"].clone()));
        match v["next"].as_str() {
            Some(c) => uri = format!("/api/v1/search?q=port&limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, all.iter().map(|h| h["statement_id"].clone()).collect::<Vec<_>>());
}

#[tokio::test]
async fn search_as_csv() {
    let a = get(&demo(), "/api/v1/search?q=exhausted&format=csv").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = a.body.lines().collect();
    assert!(lines[0].starts_with("statement_id,article_id,speaker_id,"));
    assert_eq!(lines.len(), 4, "{}", a.body);
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_message() {
    let r = demo();
    for (uri, says) in [
        ("/api/v1/search?q=port&since=2025-13-45", "not a date"),
        ("/api/v1/search?q=port&until=2025-02-30", "not a date"),
        ("/api/v1/search?q=port&limit=100000000000000000000000", "not a number"),
        ("/api/v1/search?q=port&limit=-1", "not a number"),
        ("/api/v1/search?q=port&cursor=999999", "not a number"),
        ("/api/v1/search?q=port&kind=shouted", "none of"),
        ("/api/v1/search?q=port&sort=random", "neither"),
        ("/api/v1/search?q=port&format=xml", "neither"),
        ("/api/v1/search?q=", "no words"),
        ("/api/v1/search", "no words"),
        ("/api/v1/search?q=%FF%FE", "no words"),
        ("/api/v1/speakers?limit=0", "not a number"),
        ("/api/v1/articles/abc", "not an id"),
        ("/api/v1/statements/-3", "not an id"),
    ] {
        let m = get(&r, uri).await.error(400);
        assert!(m.contains(says), "{uri}: {m}");
    }
    let page = get(&r, "/articles/abc").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("not an id") && page.body.starts_with("<!doctype html>"));
    let long = format!("/api/v1/search?q={}", "word+".repeat(200));
    assert!(get(&r, &long).await.error(400).contains("longer than"));
}

#[tokio::test]
async fn unknown_ids_are_404() {
    let r = demo();
    for uri in ["/api/v1/articles/999", "/api/v1/statements/999", "/api/v1/speakers/999", "/api/v1/trails/999", "/api/v1/nothing"] {
        get(&r, uri).await.error(404);
    }
    for uri in ["/articles/999", "/speakers/999", "/trails/999", "/nothing", "/assets/..%2F..%2FCargo.toml", "/assets/app.js/../../x"] {
        let a = get(&r, uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(a.body.contains("<h1>Not Found</h1>"), "{uri}: {}", a.body);
    }
}

#[tokio::test]
async fn an_article_gives_every_span_with_its_text() {
    let r = demo();
    let v = get(&r, "/api/v1/articles/1").await.json();
    let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let cut = |s: &Value| text[s["start"].as_u64().unwrap() as usize..s["end"].as_u64().unwrap() as usize].iter().collect::<String>();
    let statements = v["statements"].as_array().unwrap();
    assert!(statements.len() >= 4, "{v}");
    for s in statements {
        assert!(s["statement_id"].as_i64().is_some());
        assert_eq!(cut(&s["content"]), s["content"]["text"].as_str().unwrap());
        let cue = &s["cue"];
        assert_eq!(cut(cue), cue["text"].as_str().unwrap(), "{s}");
    }
    assert!(statements.iter().any(|s| s["source"]["text"].as_str().is_some_and(|t| t.starts_with("Tomas Reyes"))));
    assert!(v["speakers"].as_array().unwrap().iter().any(|s| s["name"] == "Helen Marsh" && s["speaker_id"].is_i64()));
    let link = &v["links"][0];
    assert_eq!(link["label"], "Read more");
    assert!(cut(link).contains(link["title"].as_str().unwrap()));
    // The post of the last article, at its place in the text.
    let v = get(&r, "/api/v1/articles/4").await.json();
    let post = &v["posts"][0];
    assert_eq!(post["handle"], "@DavidKwanMP");
    let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let t = &post["text"];
    assert_eq!(
        text[t["start"].as_u64().unwrap() as usize..t["end"].as_u64().unwrap() as usize].iter().collect::<String>(),
        t["text"].as_str().unwrap()
    );
}

#[tokio::test]
async fn a_statement_by_id() {
    let v = get(&demo(), "/api/v1/statements/1").await.json();
    assert_eq!(v["statement_id"], 1);
    assert!(v["article_id"].as_i64().is_some() && v["start"].as_i64().is_some() && v.get("negated").is_some());
}

#[tokio::test]
async fn a_speaker_with_aliases_roles_weeks_outlets_and_cues() {
    let r = demo();
    let list = get(&r, "/api/v1/speakers?match=reyes").await.json();
    let id = list["speakers"][0]["id"].as_i64().unwrap();
    let v = get(&r, &format!("/api/v1/speakers/{id}")).await.json();
    assert_eq!(v["identity"]["name"], "Tomas Reyes");
    assert_eq!((v["identity"]["first_seen"].as_str(), v["identity"]["last_seen"].as_str()), (Some("2025-03-03"), Some("2025-03-17")));
    assert_eq!(v["identity"]["statements"], list["speakers"][0]["statements"]);
    assert!(v["roles"].as_array().unwrap().iter().any(|r| r[0] == "Union leader"), "{v}");
    // Statements in the weeks of 3, 10 and 17 March 2025 (Mondays).
    let weeks: Vec<&str> = v["by_week"].as_array().unwrap().iter().map(|w| w[0].as_str().unwrap()).collect();
    assert_eq!(weeks, ["2025-03-03", "2025-03-10", "2025-03-17"]);
    assert_eq!(v["outlets"].as_array().unwrap().len(), 3);
    assert!(v["cues"][0][0].is_string());
    let dates: Vec<&str> = v["statements"].as_array().unwrap().iter().map(|s| s["published"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
}

#[tokio::test]
async fn a_quotation_travels_between_outlets() {
    let r = demo();
    let s = first(&r, "/api/v1/search?q=exhausted&outlet=coastal", "statement_id").await;
    let trail = get(&r, &format!("/api/v1/statements/{s}")).await.json()["trail"].as_i64().unwrap();
    let v = get(&r, &format!("/api/v1/trails/{trail}")).await.json();
    let outlets: Vec<&str> = v["appearances"].as_array().unwrap().iter().map(|h| h["outlet"].as_str().unwrap()).collect();
    assert_eq!(outlets, ["Coastal Times", "Evening Post", "Daily Ledger"]);
    let page = get(&r, &format!("/trails/{trail}")).await;
    assert!(page.body.contains("first appearance") && page.body.contains("<ins>"), "{}", page.body);
}

#[tokio::test]
async fn extract_answers_what_sayso_extract_gives_and_stores_nothing() {
    let r = demo();
    let before = get(&r, "/").await.body;
    let a = post(&r, "/api/v1/extract", "text/plain", "“We will fight this,” said Maria Lopez, a spokeswoman for the union.".into()).await;
    let v = a.json();
    assert_eq!(v["statements"][0]["speaker"]["name"], "Maria Lopez");
    assert_eq!(v["statements"][0]["cue"]["text"], "said");
    let html = post(&r, "/api/v1/extract", "text/html", b"<html><head><title>T</title></head><body><article><p>Jo Bloggs said the plan would hurt rural schools, and that it was rushed.</p></article></body></html>".to_vec()).await;
    assert_eq!(html.json()["statements"][0]["speaker"]["name"], "Jo Bloggs", "{}", html.body);
    assert_eq!(get(&r, "/").await.body, before, "the counts on the home page moved");
    // Over the limit: 413, and the server answers the next request.
    let big = vec![b'a'; sayso_serve::BODY_LIMIT + 1];
    assert!(post(&r, "/api/v1/extract", "text/plain", big).await.error(413).contains("limit"));
    assert!(post(&r, "/api/v1/extract", "text/plain", b"   ".to_vec()).await.error(422).contains("empty"));
    assert_eq!(get(&r, "/api/v1/speakers").await.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_render_with_the_security_headers() {
    let r = demo();
    for uri in ["/", "/search?q=exhausted", "/search", "/articles/1", "/speakers/1", "/paste", "/api/v1/openapi.json"] {
        let a = get(&r, uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        let csp = a.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{uri}");
        assert_eq!(a.headers["x-content-type-options"], "nosniff");
    }
    let search = get(&r, "/search?q=exhausted+people").await.body;
    assert!(search.contains("<mark class=\"hit\">exhausted</mark>"), "{search}");
    assert!(search.contains("format=csv"));
    let article = get(&r, "/articles/1").await.body;
    assert!(article.contains("<mark class=\"q c") && article.contains("<mark class=\"cue") && article.contains("tabindex=\"0\""));
    let speaker = get(&r, "/speakers/1").await.body;
    assert!(speaker.contains("<svg class=\"chart\"") && speaker.contains("<rect"));
    // A bad date on the page: the form again, with the message, as 400.
    let a = get(&r, "/search?q=port&since=2025-13-45").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("not a date") && a.body.contains("<form"));
    let openapi = get(&r, "/api/v1/openapi.json").await.json();
    for route in ["/api/v1/search", "/api/v1/articles/{id}", "/api/v1/speakers/{id}", "/api/v1/trails/{id}", "/api/v1/extract"] {
        assert!(openapi["paths"].get(route).is_some(), "{route}");
    }
}

/// Markup that must never reach a page unescaped: each would run script or leave its element.
const PAYLOADS: &[&str] = &[
    "<script>",
    "<img src",
    "<svg onload",
    "<b onmouseover",
    "</textarea><script",
    "href=\"javascript:",
    "onmouseover=\"window",
    "onfocus=\"window",
];

#[tokio::test]
async fn hostile_text_is_escaped_everywhere() {
    let r = app(Pool::single(store_from_jsonl(HOSTILE).unwrap()), sayso_serve::CACHE_DEFAULT);
    let v = get(&r, "/api/v1/articles/1").await.json();
    // The payloads are in the data (so the pages below are tested on them) ...
    assert!(v["title"].as_str().unwrap().contains("<script>"));
    assert!(v["speakers"].as_array().unwrap().iter().any(|s| s["name"].as_str().is_some_and(|n| n.contains("<script>"))), "{v}");
    assert!(v["posts"][0]["text"]["text"].as_str().unwrap().contains("<img"));
    let speaker = v["statements"].as_array().unwrap().iter().find_map(|s| s["speaker_id"].as_i64()).unwrap();
    let mut pages = vec![
        get(&r, "/articles/1").await.body,
        get(&r, "/search?q=window+xss").await.body,
        get(&r, &format!("/speakers/{speaker}")).await.body,
        get(&r, "/").await.body,
    ];
    let article: Value = serde_json::from_str(HOSTILE.lines().next().unwrap()).unwrap();
    let form = format!("text={}", url_escape(article["text"].as_str().unwrap()));
    pages.push(post(&r, "/paste", "application/x-www-form-urlencoded", form.into_bytes()).await.body);
    // ... and in no page as markup.
    for page in &pages {
        assert!(page.contains("window.__xss"), "the payload should be shown as text");
        for p in PAYLOADS {
            assert!(!page.contains(p), "{p} in {page}");
        }
        assert!(!page.contains("href=\"javascript"));
    }
}

fn url_escape(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sayso-serve-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("sayso.db")
}

/// Writes the demo articles into a store file.
fn demo_file(name: &str) -> PathBuf {
    let path = temp(name);
    let reports: Vec<_> = DEMO
        .lines()
        .map(|l| {
            let (meta, body, warnings) = sayso_ingest::json_record(l.as_bytes()).unwrap();
            let origin = sayso_ingest::InputError { path: "t".into(), line: None, message: String::new() };
            let mut doc = sayso_ingest::Record { origin, meta, body, warnings }.into_document().unwrap();
            let ex = sayso_extract::extract(&mut doc);
            (sayso_extract::report::ArticleReport::new(&doc, &ex), doc.text)
        })
        .collect();
    let batch: Vec<_> = reports.iter().map(|(report, text)| sayso_store::Article { report, text }).collect();
    sayso_store::Store::open(&path).unwrap().ingest(&batch).unwrap();
    path
}

#[tokio::test]
async fn bad_requests_change_nothing_in_the_file() {
    let path = demo_file("unchanged");
    let before = std::fs::read(&path).unwrap();
    let r = app(Pool::open(&path).unwrap(), sayso_serve::CACHE_DEFAULT);
    for uri in [
        "/api/v1/search?q=port&limit=999999",
        "/api/v1/search?q=x&since=2025-13-45",
        "/api/v1/articles/77",
        "/search?q=port",
        "/articles/1",
    ] {
        get(&r, uri).await;
    }
    post(&r, "/api/v1/extract", "text/plain", vec![b'x'; sayso_serve::BODY_LIMIT * 2]).await.error(413);
    assert_eq!(get(&r, "/api/v1/search?q=port").await.status, StatusCode::OK);
    drop(r);
    assert!(std::fs::read(&path).unwrap() == before, "the store file changed");
}

#[tokio::test]
async fn a_store_of_another_schema_version_is_refused_untouched() {
    let path = demo_file("schema");
    rusqlite::Connection::open(&path).unwrap().execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'", []).unwrap();
    let before = std::fs::read(&path).unwrap();
    let e = Pool::open(&path).err().expect("refused");
    assert!(e.0.contains("schema version 1"), "{e}");
    assert!(std::fs::read(&path).unwrap() == before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reads_while_an_ingest_writes() {
    let path = demo_file("concurrent");
    let r = app(Pool::open(&path).unwrap(), sayso_serve::CACHE_DEFAULT);
    let writer_path = path.clone();
    // Another writer replaces articles with new versions, batch after batch, meanwhile.
    let writer = std::thread::spawn(move || {
        let mut store = sayso_store::Store::open(&writer_path).unwrap();
        for round in 0..20 {
            let text = format!("\"We will keep the harbour open, round {round},\" said Helen Marsh.");
            let meta = sayso_doc::Meta { id: "w".into(), url: Some("https://example.org/w".into()), ..Default::default() };
            let mut doc = sayso_doc::Document::from_text(meta, text);
            let ex = sayso_extract::extract(&mut doc);
            let report = sayso_extract::report::ArticleReport::new(&doc, &ex);
            store.ingest(&[sayso_store::Article { report: &report, text: &doc.text }]).unwrap();
        }
    });
    let mut answered = 0;
    while !writer.is_finished() || answered < 20 {
        for uri in ["/api/v1/search?q=harbour", "/api/v1/articles/1", "/api/v1/speakers/1"] {
            let a = get(&r, uri).await;
            assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
            answered += 1;
        }
    }
    writer.join().unwrap();
    let v = get(&r, "/api/v1/search?q=round+19").await.json();
    assert_eq!(v["results"].as_array().unwrap().len(), 1, "the last version is seen: {v}");
}

#[tokio::test]
async fn a_kept_answer_is_not_served_after_the_store_changed() {
    let path = demo_file("cache");
    let r = app(Pool::open(&path).unwrap(), sayso_serve::CACHE_DEFAULT);
    let uri = "/api/v1/search?q=lighthouse";
    for _ in 0..2 {
        let a = get(&r, uri).await;
        assert_eq!(a.json()["results"], serde_json::json!([]));
        // A kept answer carries the security headers too.
        assert!(a.headers.contains_key("content-security-policy"));
    }
    let text = "\"The lighthouse stays lit,\" said Helen Marsh.";
    let mut doc = sayso_doc::Document::from_text(sayso_doc::Meta { id: "l".into(), ..Default::default() }, text.into());
    let ex = sayso_extract::extract(&mut doc);
    let report = sayso_extract::report::ArticleReport::new(&doc, &ex);
    sayso_store::Store::open(&path).unwrap().ingest(&[sayso_store::Article { report: &report, text: &doc.text }]).unwrap();
    assert_eq!(get(&r, uri).await.json()["results"].as_array().unwrap().len(), 1);
}

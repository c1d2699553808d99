//! The `sayso` binary as a user meets it: inputs good and bad, formats, exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn sayso(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sayso"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sayso runs");
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("sayso finishes")
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sayso-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn jsonl(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

const ARTICLE: &str = "Ministerin verteidigt Haushalt.\n\n“We will not raise taxes,” said Müller, the finance minister. Critics said the plan relies on “optimistic” forecasts.\n";

#[test]
fn offsets_are_code_points_that_slice_the_text() {
    let p = tmp("article.txt", ARTICLE.as_bytes());
    let out = sayso(&["extract", "--format", "jsonl", p.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = jsonl(&out);
    assert_eq!(docs[0]["id"], "article");
    let chars: Vec<char> = ARTICLE.chars().collect();
    let statements = docs[0]["statements"].as_array().unwrap();
    assert!(statements.len() >= 2);
    for s in statements {
        for role in ["cue", "source"] {
            let span = &s[role];
            if span.is_null() {
                continue;
            }
            let (a, b) = (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
            assert_eq!(chars[a..b].iter().collect::<String>(), span["text"].as_str().unwrap());
        }
    }
    let direct = statements.iter().find(|s| s["kind"] == "direct").expect("a direct quote");
    assert_eq!(direct["source"]["text"], "Müller, the finance minister");
    assert_eq!(direct["cue"]["lemma"], "say");
}

#[test]
fn bad_records_are_reported_and_the_rest_goes_on() {
    let good = tmp("good.txt", ARTICLE.as_bytes());
    let empty = tmp("empty.txt", b"");
    let binary = tmp("binary.txt", b"\x00\x01\x02PNG");
    let lines = tmp("batch.jsonl", b"{\"id\":\"a\",\"text\":\"Officials said the bridge would reopen in May.\"}\nthis is not json\n{\"id\":\"b\",\"text\":\"He said he would resign.\"}\n");
    let out = sayso(
        &["extract", "-f", "jsonl", good.to_str().unwrap(), empty.to_str().unwrap(), binary.to_str().unwrap(), lines.to_str().unwrap()],
        None,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "some input was read, so the run succeeds: {err}");
    assert!(err.contains("empty.txt: empty file"), "{err}");
    assert!(err.contains("binary.txt: binary file"), "{err}");
    assert!(err.contains("batch.jsonl:2: not a JSON article"), "{err}");
    let ids: Vec<String> = jsonl(&out).iter().map(|d| d["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, vec!["good", "a", "b"]);
}

#[test]
fn nothing_readable_is_a_failure() {
    let empty = tmp("only-empty.txt", b"   \n");
    let out = sayso(&["extract", empty.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing could be read"));
    let missing = sayso(&["extract", "/no/such/file.txt"], None);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such file"));
}

#[test]
fn a_run_closes_with_a_summary_and_refuses_absurd_thread_counts() {
    let p = tmp("summary.txt", ARTICLE.as_bytes());
    let out = sayso(&["extract", "-f", "jsonl", "-j", "2", p.to_str().unwrap()], None);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("1 articles, ") && err.contains(" statements, 0 record(s) skipped in "), "{err}");
    let many = sayso(&["extract", "-j", "100000", p.to_str().unwrap()], None);
    assert_eq!(many.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&many.stderr).contains("a number of threads from 1 to 256"));
    let help = String::from_utf8_lossy(&sayso(&["extract", "--help"], None).stdout).to_string();
    for kind in ["plain text", "JSONL", "HTML", "WARC", "RSS/Atom", "gzip", "zstd", "directories", "stdin"] {
        assert!(help.contains(kind), "{kind}: {help}");
    }
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning() {
    let p = tmp("latin1.txt", b"Caf\xe9 owners said prices would rise.\n");
    let out = sayso(&["extract", "-f", "jsonl", p.to_str().unwrap()], None);
    assert!(out.status.success());
    let doc = &jsonl(&out)[0];
    assert!(doc["warnings"][0]["message"].as_str().unwrap().contains("decoded as windows-1252"));
    assert!(doc["statements"][0]["source"]["text"].as_str().unwrap().contains("Café"));
    assert_eq!(doc["statements"][0]["cue"]["text"], "said");
}

#[test]
fn hostile_text_finishes_without_panic() {
    // Unbalanced and deeply nested quotation marks, a huge sentence with no end.
    let mut text = String::new();
    text.push_str(&"“".repeat(5000));
    text.push_str("he said ");
    text.push_str(&"‘word’ \"".repeat(20_000));
    text.push_str(&"and so on ".repeat(100_000));
    let p = tmp("hostile.txt", text.as_bytes());
    let out = sayso(&["extract", "-f", "jsonl", p.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(jsonl(&out).len(), 1);
    let p = tmp("unclosed.txt", "He said “the deal is dead.\n\nShe said “we will see.”".as_bytes());
    let out = sayso(&["extract", "-f", "jsonl", p.to_str().unwrap()], None);
    let doc = &jsonl(&out)[0];
    assert_eq!(doc["warnings"][0]["message"], "quotation mark never closed in its paragraph");
    assert_eq!(doc["statements"].as_array().unwrap().len(), 2, "the unclosed mark does not derail the next paragraph");
}

#[test]
fn stdin_and_formats() {
    let out = sayso(&["extract", "-f", "text"], Some(ARTICLE.as_bytes()));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("direct · Müller, finance minister (person)"), "{text}");
    let out = sayso(
        &["extract", "-f", "json", "--stdin-jsonl"],
        Some(b"{\"id\":\"x\",\"text\":\"She said no.\",\"url\":\"https://example.org/a\"}\n"),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    assert_eq!(v[0]["url"], "https://example.org/a");
    let demo = sayso(&["demo"], None);
    assert!(demo.status.success() && String::from_utf8_lossy(&demo.stdout).contains("Read more"));
}

#[test]
fn speakers_are_listed_and_linked() {
    let text = "Rep. Jane Roe (D-Ohio) criticized the plan. \"It is a mess,\" Roe said.\n\nShe added that she would vote no.\n";
    let p = tmp("roe.txt", text.as_bytes());
    let out = sayso(&["extract", "-f", "jsonl", p.to_str().unwrap()], None);
    let doc = &jsonl(&out)[0];
    let roe = doc["speakers"].as_array().unwrap().iter().find(|s| s["name"] == "Jane Roe").expect("Jane Roe is a speaker");
    assert_eq!(roe["kind"], "person");
    let id = roe["id"].as_str().unwrap();
    let hers = doc["statements"].as_array().unwrap().iter().filter(|s| s["speaker"]["id"] == id).count();
    assert_eq!(hers, 3, "the surname and the pronoun resolve to her: {doc}");
    let listing = sayso(&["speakers", p.to_str().unwrap()], None);
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(listing.contains("Jane Roe, Rep. (person) · 3 statement(s)"), "{listing}");
    assert_eq!(roe["roles"][0], "Rep.");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn warc_record(id: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut block = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
    block.extend_from_slice(body);
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: https://news.example/{id}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(&block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn page(said: &str) -> String {
    format!("<html><head><title>{said}</title></head><body><nav><a href='/'>Home</a></nav><article><h1>{said}</h1><p>“We will not raise taxes this year, whatever happens,” {said} told reporters in London on Tuesday.</p></article></body></html>")
}

#[test]
fn warc_archives_keep_going_past_broken_records() {
    // One gzip member per record, as Common Crawl writes them; the third member is cut
    // short, the second holds a PDF.
    let mut warc = gzip(&warc_record("a", "text/html; charset=utf-8", page("Ann Lee").as_bytes()));
    warc.extend(gzip(&warc_record("pdf", "application/pdf", b"%PDF-1.7 \x00\x01\x02")));
    let cut = gzip(&warc_record("cut", "text/html", page("Cut Off").as_bytes()));
    warc.extend(&cut[..cut.len() / 2]);
    let p = tmp("crawl.warc.gz", &warc);
    let out = sayso(&["extract", "-f", "jsonl", p.to_str().unwrap()], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let docs = jsonl(&out);
    assert_eq!(docs.len(), 1, "{err}");
    assert_eq!(docs[0]["id"], "urn:uuid:a");
    assert_eq!(docs[0]["url"], "https://news.example/a");
    assert_eq!(docs[0]["statements"][0]["speaker"]["name"], "Ann Lee");
    // The statement's bytes in the page are where the quotation stood.
    let [start, end] = [0, 1].map(|i| docs[0]["statements"][0]["input_bytes"][i].as_u64().unwrap() as usize);
    let html = page("Ann Lee");
    assert!(html[start..end].starts_with("“We will not raise taxes"), "{}", &html[start..end]);
    assert!(err.contains("urn:uuid:pdf") && err.contains("application/pdf"), "{err}");
    assert!(err.contains("record(s) skipped"), "{err}");
}

#[test]
fn feeds_and_pages_from_content_not_names() {
    let rss = format!(
        "<?xml version=\"1.0\"?><rss><channel><title>Daily</title><item><title>Taxes</title><link>https://d.example/1</link><content:encoded><![CDATA[{}]]></content:encoded></item></channel></rss>",
        page("Bo Chan")
    );
    let feed = tmp("feed.dat", rss.as_bytes());
    let html = tmp("story.html.gz", &gzip(page("Cy Diaz").as_bytes()));
    let broken = tmp("broken.xml", b"<rss><channel><item><title>x</ti");
    let out =
        sayso(&["extract", "-f", "jsonl", "--with-text", feed.to_str().unwrap(), html.to_str().unwrap(), broken.to_str().unwrap()], None);
    let docs = jsonl(&out);
    assert_eq!(docs.len(), 2, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!((docs[0]["id"].as_str(), docs[0]["outlet"].as_str()), (Some("https://d.example/1"), Some("Daily")));
    assert_eq!(docs[1]["id"], "story");
    assert_eq!(docs[1]["title"], "Cy Diaz");
    assert!(docs[1]["text"].as_str().unwrap().starts_with("“We will not raise taxes"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.xml"));
}

//! Runs another main-content extractor over a folder of pages, on one core, for
//! bench/extraction.sh to score beside sayso.
//!
//! Usage: cargo run --release --example peers -- trafilatura|dom_smoothie HTML_DIR OUT.jsonl
//! Writes one JSON line a page ({id, text, title, authors, published}, the fields sayso
//! writes) and OUT's `<name>.timing.json` with pages/s over the extraction alone (reading
//! and decoding the files not counted). Pages are decoded as sayso decodes them.

use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// One page's body, title, authors and date, or why there are none.
type Extracted = Result<(String, String, Vec<String>, Option<String>), String>;

fn trafilatura(html: &str) -> Extracted {
    let r = trafilatura::extract(html, &trafilatura::Options::default()).map_err(|e| e.to_string())?;
    let m = r.metadata;
    let authors = m.author.split(';').map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect();
    Ok((r.content_text, m.title, authors, m.date.map(|d| d.to_string())))
}

fn dom_smoothie(html: &str) -> Extracted {
    let cfg = dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
    let a = dom_smoothie::Readability::new(html, None, Some(cfg)).and_then(|mut r| r.parse()).map_err(|e| e.to_string())?;
    Ok((a.text_content.to_string(), a.title, a.byline.into_iter().collect(), a.published_time))
}

fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path)?;
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file).read_to_end(&mut bytes)?;
    } else {
        std::io::BufReader::new(file).read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [system, dir, out] = args.as_slice() else {
        return Err("usage: peers trafilatura|dom_smoothie HTML_DIR OUT.jsonl".into());
    };
    let run: fn(&str) -> Extracted = match system.as_str() {
        "trafilatura" => trafilatura,
        "dom_smoothie" => dom_smoothie,
        other => return Err(format!("unknown extractor {other:?}: trafilatura or dom_smoothie").into()),
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    let (mut spent, mut pages, mut failed) = (Duration::ZERO, 0usize, 0usize);
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let Some(id) = name.strip_suffix(".html.gz").or_else(|| name.strip_suffix(".html")) else { continue };
        let bytes = match read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        let html = sayso_html::charset::decode(&bytes, None).text;
        let start = Instant::now();
        // A panic in the extractor is that page's failure, not the run's.
        let result = catch_unwind(AssertUnwindSafe(|| run(&html))).unwrap_or_else(|_| Err("panicked".into()));
        spent += start.elapsed();
        pages += 1;
        let line: Value = match result {
            Ok((text, title, authors, published)) => json!({"id": id, "text": text, "title": title, "authors": authors, "published": published}),
            Err(e) => {
                failed += 1;
                eprintln!("{}: {system}: {e}", path.display());
                json!({"id": id, "text": ""})
            }
        };
        writeln!(w, "{line}")?;
    }
    w.flush()?;
    let pps = pages as f64 / spent.as_secs_f64().max(1e-9);
    let stem = Path::new(out).file_name().and_then(|n| n.to_str()).and_then(|n| n.split('.').next()).unwrap_or("peers");
    let timing = Path::new(out).with_file_name(format!("{stem}.timing.json"));
    std::fs::write(timing, json!({"pages_per_second": pps, "version": system}).to_string())?;
    eprintln!("{system}: {pages} pages ({failed} failed) in {:.1} s of extraction, {pps:.1} pages/s", spent.as_secs_f64());
    Ok(())
}

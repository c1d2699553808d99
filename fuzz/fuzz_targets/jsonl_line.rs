//! A JSONL line: json_record never panics, a record it accepts becomes a document (or an
//! error) whose spans and alignment stay inside it; any text wrapped as a JSON article
//! comes back as it was; a JSONL file yields one item per non-blank line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sayso_ingest::{json_record, Body, Input, InputError, Reader, Record};

fn origin() -> InputError {
    InputError { path: "fuzz.jsonl".into(), line: Some(1), message: String::new() }
}

fuzz_target!(|data: &[u8]| {
    if let Ok((meta, body, warnings)) = json_record(data) {
        // A page with no text falls back to the "text" field: offsets are then that text's.
        let len = match &body {
            Body::Html { bytes, or_text: Some(t), .. } => bytes.len().max(t.len()),
            _ => 0,
        };
        let rec = Record { origin: origin(), meta, body, warnings };
        let len = len.max(rec.len());
        if let Ok(doc) = rec.into_document() {
            sayso_fuzz::check_document(&doc, "jsonl document");
            sayso_fuzz::check_alignment(&doc.text, &doc.alignment, len, "jsonl document");
        }
    }

    let text = String::from_utf8_lossy(data).into_owned();
    let line = serde_json::json!({"id": "x", "text": text}).to_string();
    match json_record(line.as_bytes()) {
        Ok((meta, Body::Text(t), _)) => {
            assert_eq!(meta.id, "x");
            assert_eq!(t, text, "the text comes back as it was");
        }
        Ok(_) => panic!("a text article read as something else"),
        Err(e) => panic!("a JSON article refused: {e}"),
    }

    // As a file: one item (a record or an error) per line that is not blank.
    let first = data.iter().position(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|i| data[i] == b'{') && !data.iter().take(64).any(|&b| b == 0) {
        let lines = data.split(|&b| b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)).count();
        let path = sayso_fuzz::temp_file("l.jsonl", data);
        let items = Reader::new(vec![Input::File(path)]).count();
        assert_eq!(items, lines, "one item per non-blank line");
    }
});

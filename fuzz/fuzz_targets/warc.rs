//! Bytes as a WARC file (plain, gzipped as one member, gzipped member by member, and a
//! damaged gzip) through the ingest Reader: it never panics, reading terminates with at
//! most one item per record start, the same content yields the same records and errors
//! however it is compressed, and every document's spans and alignment stay inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sayso_ingest::{Input, Reader};

/// What one read yields, with the file name left out of errors.
fn read(name: &str, bytes: &[u8], starts: usize) -> Vec<Result<(String, Option<String>, Result<String, String>), String>> {
    let path = sayso_fuzz::temp_file(name, bytes);
    let mut out = Vec::new();
    for item in Reader::new(vec![Input::File(path)]) {
        assert!(out.len() <= starts + 2, "more items than records ({starts} record starts)");
        out.push(item.map(|rec| {
            let (id, url, len) = (rec.meta.id.clone(), rec.meta.url.clone(), rec.len());
            let doc = rec.into_document().map(|doc| {
                sayso_fuzz::check_document(&doc, "warc document");
                sayso_fuzz::check_alignment(&doc.text, &doc.alignment, len, "warc document");
                doc.text
            });
            (id, url, doc.map_err(|e| e.message))
        })
        .map_err(|e| e.message));
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let mut bytes = rest.to_vec();
    if !bytes.starts_with(b"WARC/") {
        bytes.splice(0..0, b"WARC/1.1\r\n".iter().copied());
    }
    let starts: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i..].starts_with(b"WARC/")).collect();
    let plain = read("a.warc", &bytes, starts.len());
    match sel % 3 {
        0 => {
            let gz = read("a.warc.gz", &sayso_fuzz::gzip(&bytes), starts.len());
            assert_eq!(plain, gz, "plain and one gzip member differ");
        }
        1 => {
            // A member per record, as WARC files are written.
            let mut members = Vec::new();
            let mut bounds = starts.clone();
            bounds.push(bytes.len());
            let mut from = 0;
            for &b in &bounds[1..] {
                members.extend(sayso_fuzz::gzip(&bytes[from..b]));
                from = b;
            }
            let gz = read("a.warc.gz", &members, starts.len());
            assert_eq!(plain, gz, "plain and gzip members differ");
        }
        _ => {
            // Damage one byte of a gzip member stream: reading resumes, terminates.
            let mut members = Vec::new();
            for (i, &s) in starts.iter().enumerate() {
                let e = starts.get(i + 1).copied().unwrap_or(bytes.len());
                members.extend(sayso_fuzz::gzip(&bytes[s..e]));
            }
            if !members.is_empty() {
                let at = (sel as usize * 7919 + bytes.len()) % members.len();
                members[at] ^= 0x55u8.wrapping_add(sel);
            }
            read("a.warc.gz", &members, starts.len() + members.len());
        }
    }
});

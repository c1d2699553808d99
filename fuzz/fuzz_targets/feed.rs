//! Bytes as an RSS or Atom feed through the ingest Reader: never panics; each item's
//! document maps inside the feed's bytes (through the item's escaped HTML); the same feed
//! gzipped yields the same items.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sayso_ingest::{Input, Reader};

fn read(name: &str, bytes: &[u8], source_len: usize) -> Vec<Result<(String, Result<String, String>), String>> {
    let path = sayso_fuzz::temp_file(name, bytes);
    let mut out = Vec::new();
    for item in Reader::new(vec![Input::File(path)]) {
        assert!(out.len() <= source_len + 1, "more items than bytes");
        out.push(
            item.map(|rec| {
                let id = rec.meta.id.clone();
                let doc = rec.into_document().map(|doc| {
                    sayso_fuzz::check_document(&doc, "feed document");
                    sayso_fuzz::check_alignment(&doc.text, &doc.alignment, source_len, "feed item");
                    doc.text
                });
                (id, doc.map_err(|e| e.message))
            })
            .map_err(|e| e.message),
        );
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let mut bytes = rest.to_vec();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    if !(head.trim_start().starts_with('<') && (head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf"))) {
        let open: &[u8] = if sel & 1 == 0 { b"<rss version=\"2.0\"><channel>" } else { b"<feed xmlns=\"http://www.w3.org/2005/Atom\">" };
        bytes.splice(0..0, open.iter().copied());
    }
    let plain = read("f.xml", &bytes, bytes.len());
    if sel & 2 != 0 {
        let gz = read("f.xml.gz", &sayso_fuzz::gzip(&bytes), bytes.len());
        assert_eq!(plain, gz, "plain and gzipped feed differ");
    }
});

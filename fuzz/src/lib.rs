//! The properties the fuzz targets check, shared between them. Each `check_*` panics
//! (which libFuzzer reports as a crash) when a property does not hold.

use sayso_doc::{Alignment, Document, Span};
use sayso_extract::Extraction;

/// A span lies inside `text`, start before end, both on character boundaries.
pub fn check_span(text: &str, s: Span, what: &str) {
    assert!(s.start <= s.end && s.end <= text.len(), "{what}: span {s:?} outside a text of {} bytes", text.len());
    assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "{what}: span {s:?} not on char boundaries");
}

/// Every offset of `text` (each char boundary) maps inside a source of `source_len`
/// bytes, and the mapping never goes back as the text goes on.
pub fn check_alignment(text: &str, a: &Alignment, source_len: usize, what: &str) {
    let mut last = 0;
    for (i, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let s = a.to_source(i);
        let e = a.to_source_end(i);
        assert!(s <= source_len, "{what}: text offset {i} maps to {s}, past the source's {source_len} bytes");
        assert!(e <= source_len, "{what}: text end {i} maps to {e}, past the source's {source_len} bytes");
        assert!(s >= last, "{what}: text offset {i} maps to {s}, before the previous offset's {last}");
        last = s;
    }
}

/// A document's layers and warnings lie inside its text.
pub fn check_document(doc: &Document, what: &str) {
    let t = &doc.text;
    let l = &doc.layers;
    for h in &l.hyperlinks {
        check_span(t, h.span, &format!("{what}: hyperlink"));
    }
    for &p in &l.paragraphs {
        check_span(t, p, &format!("{what}: paragraph"));
    }
    for tok in &l.tokens {
        check_span(t, tok.span, &format!("{what}: token"));
    }
    for s in &l.sentences {
        check_span(t, s.span, &format!("{what}: sentence"));
        assert!(s.first_tok <= s.end_tok && s.end_tok <= l.tokens.len(), "{what}: sentence tokens {}..{}", s.first_tok, s.end_tok);
    }
    for q in &l.quotations {
        check_span(t, q.span, &format!("{what}: quotation"));
        assert!(q.open_tok <= q.close_tok && q.close_tok < l.tokens.len(), "{what}: quotation tokens {}..={}", q.open_tok, q.close_tok);
    }
    for w in &doc.warnings {
        if let Some(s) = w.span {
            check_span(t, s, &format!("{what}: warning {:?}", w.message));
        }
    }
}

/// Every span of an extraction lies inside the document's text.
pub fn check_extraction(doc: &Document, ex: &Extraction) {
    let t = &doc.text;
    for st in &ex.statements {
        assert!(!st.content.is_empty(), "a statement without content");
        for &c in &st.content {
            check_span(t, c, "statement content");
        }
        if let Some(c) = &st.cue {
            check_span(t, c.span, "cue");
        }
        if let Some(s) = st.source {
            check_span(t, s, "source");
        }
        assert!(st.score.is_finite(), "score {}", st.score);
        if let Some(id) = st.speaker.as_ref().and_then(|s| s.id) {
            assert!(id < ex.speakers.len(), "speaker id {id} of {}", ex.speakers.len());
        }
    }
    for sp in &ex.speakers {
        for &m in &sp.mentions {
            check_span(t, m, "speaker mention");
        }
    }
    for l in &ex.links {
        check_span(t, l.span, "link");
    }
    for p in &ex.posts {
        check_span(t, p.text, "post text");
        for s in p.author_span.iter().chain(&p.attribution) {
            check_span(t, *s, "post author or attribution");
        }
    }
    for w in &ex.warnings {
        if let Some(s) = w.span {
            check_span(t, s, &format!("extraction warning {:?}", w.message));
        }
    }
}

/// Extracts, checks every span, and builds and serialises the report (code points).
pub fn extract_and_check(doc: &mut Document) -> Extraction {
    let ex = sayso_extract::extract(doc);
    check_document(doc, "document");
    check_extraction(doc, &ex);
    let report = sayso_extract::report::ArticleReport::new(doc, &ex);
    let chars = doc.text.chars().count();
    for s in &report.statements {
        assert!(s.content.start <= s.content.end && s.content.end <= chars, "report content {}..{}", s.content.start, s.content.end);
    }
    serde_json::to_string(&report).expect("a report serialises");
    ex
}

/// A file of its own under the temporary folder for this process, for the readers that
/// take paths.
pub fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sayso-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// One gzip member of `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

//! "Read more: …" lines: cross-references to other articles, listed as links.

use sayso_doc::{Document, CROSS_REFERENCE_LABELS};

use crate::Link;

pub fn find(doc: &Document) -> Vec<Link> {
    let mut out = Vec::new();
    for &p in &doc.layers.paragraphs {
        let text = doc.slice(p);
        let Some(colon) = text.find([':', '|']).filter(|&c| c <= 20) else {
            continue;
        };
        let label = text[..colon].trim();
        if !CROSS_REFERENCE_LABELS.contains(&label.to_lowercase().as_str()) {
            continue;
        }
        let title = text[colon + 1..].trim();
        if title.is_empty() {
            continue;
        }
        let title_at = p.start + colon + 1;
        let url = doc.layers.hyperlinks.iter().find(|h| h.span.start >= title_at && h.span.start < p.end).map(|h| h.url.clone());
        out.push(Link { label: label.to_string(), title: title.to_string(), url, span: p });
    }
    out
}

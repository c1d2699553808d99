//! "Read more: …" lines: cross-references to other articles, listed as links.

use sayso_doc::Document;

use crate::Link;

const LABELS: &[&str] = &[
    "read more",
    "also read",
    "read also",
    "related",
    "see also",
    "more",
    "recommended",
    "watch",
    "click here",
    "listen",
    "don't miss",
    "don’t miss",
];

pub fn find(doc: &Document) -> Vec<Link> {
    let mut out = Vec::new();
    for &p in &doc.layers.paragraphs {
        let text = doc.slice(p);
        let Some(colon) = text.find([':', '|']).filter(|&c| c <= 20) else {
            continue;
        };
        let label = text[..colon].trim();
        if !LABELS.contains(&label.to_lowercase().as_str()) {
            continue;
        }
        let title = text[colon + 1..].trim();
        if title.is_empty() {
            continue;
        }
        out.push(Link { label: label.to_string(), title: title.to_string(), span: p });
    }
    out
}

//! Bytes as a page through the html crate: every offset of the text maps inside the
//! page's bytes, monotonically; links and warnings lie inside the text; the text is
//! searchable (no soft hyphen, no zero-width space).
#![no_main]

use libfuzzer_sys::fuzz_target;

const DECLARED: &[Option<&str>] =
    &[None, Some("text/html"), Some("text/html; charset=utf-8"), Some("text/html; charset=windows-1252"), Some("text/html; charset=shift_jis"), Some("text/html; charset=utf-16le")];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else { return };
    let declared = DECLARED[sel as usize % DECLARED.len()];
    let url = (sel & 0x80 != 0).then_some("https://news.example/a/b.html");
    let page = sayso_html::read_page(bytes, declared, url);
    sayso_fuzz::check_alignment(&page.text, &page.alignment, bytes.len(), "page");
    for h in &page.hyperlinks {
        sayso_fuzz::check_span(&page.text, h.span, "hyperlink");
    }
    for w in &page.warnings {
        if let Some(s) = w.span {
            sayso_fuzz::check_span(&page.text, s, "page warning");
        }
    }
    assert!(!page.text.contains(['\u{AD}', '\u{200B}']), "soft hyphen or zero-width space in page text");
});

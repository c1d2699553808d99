//! Article markup that a page carries only inside a script: pages rendered by Next.js
//! stream their HTML as escaped strings (`self.__next_f.push([1,"…\u003cp\u003e…"])`)
//! and leave the markup itself empty.

use memchr::memmem;
use sayso_doc::Alignment;

use crate::dom::{Dom, NodeKind};

/// Fewer escaped paragraph tags than this is not an article.
const MIN_PARAGRAPHS: usize = 3;

/// The HTML in the strings of the script holding the most paragraph tags (a HowTo's JSON-LD
/// gives one string a step), unescaped and joined, with an alignment from it to the page's
/// offsets; None when no script holds enough of them.
pub fn markup(dom: &Dom) -> Option<(String, Alignment)> {
    let finder = memmem::Finder::new(b"\\u003cp");
    let mut best: Option<(usize, Vec<(usize, usize)>)> = None; // (paragraphs, string ranges)
    for s in dom.elements("script") {
        for &c in &dom.node(s).children {
            let NodeKind::Raw(span) = dom.node(c).kind else { continue };
            let (mut total, mut strings) = (0, Vec::new());
            for (start, end) in string_literals(&dom.src.as_bytes()[span.start..span.end]) {
                let n = finder.find_iter(&dom.src.as_bytes()[span.start + start..span.start + end]).count();
                if n > 0 {
                    total += n;
                    strings.push((span.start + start, span.start + end));
                }
            }
            if total >= MIN_PARAGRAPHS && best.as_ref().is_none_or(|b| total > b.0) {
                best = Some((total, strings));
            }
        }
    }
    let (_, strings) = best?;
    // Under one element, so that top-level paragraphs have a parent to vote for.
    let mut text = String::from(WRAP);
    let mut align = Alignment::builder();
    align.push(0, strings[0].0);
    for (start, end) in strings {
        let (piece, to_page) = unescape_fully(&dom.src[start..end], start);
        align.extend(&to_page, text.len());
        text.push_str(&piece);
    }
    let len = text.len();
    Some((text, align.finish(len)))
}

/// A string unescaped, and again where it held HTML escaped twice (a JSON string inside a
/// JSON string).
fn unescape_fully(s: &str, at: usize) -> (String, Alignment) {
    let (mut text, mut align) = unescape(s, at);
    for _ in 0..2 {
        if !text.contains("\\u003cp") || text.contains("<p") {
            break;
        }
        let (again, to_outer) = unescape(&text, 0);
        align = to_outer.then(&align);
        text = again;
    }
    (text, align)
}

const WRAP: &str = "<div>";

/// The contents of the double-quoted string literals in a script: byte ranges inside the quotes.
fn string_literals(js: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let open = i + memchr::memchr(b'"', &js[i..])?;
        let mut j = open + 1;
        while j < js.len() && js[j] != b'"' {
            j += if js[j] == b'\\' { 2 } else { 1 };
        }
        let end = j.min(js.len());
        i = (end + 1).min(js.len());
        Some((open + 1, end))
    })
}

/// A JavaScript string's contents unescaped; `at` is where they start in the page.
fn unescape(s: &str, at: usize) -> (String, Alignment) {
    let mut out = String::with_capacity(s.len());
    let mut align = Alignment::builder();
    let mut rest = s;
    while let Some(k) = rest.find('\\') {
        align.push(out.len(), at + (s.len() - rest.len()));
        out.push_str(&rest[..k]);
        let esc_at = at + (s.len() - rest.len()) + k;
        align.push(out.len(), esc_at);
        let (ch, len) = escape(&rest[k..]);
        out.extend(ch);
        rest = &rest[k + len..];
    }
    align.push(out.len(), at + (s.len() - rest.len()));
    out.push_str(rest);
    let len = out.len();
    (out, align.finish(len))
}

/// The character an escape sequence at the start of `s` stands for, and its length.
fn escape(s: &str) -> (Option<char>, usize) {
    let hex = |h: &str| u32::from_str_radix(h, 16).ok();
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'n') => (Some('\n'), 2),
        Some(b't') => (Some('\t'), 2),
        Some(b'r') => (Some('\r'), 2),
        Some(b'u') => {
            let Some(hi) = s.get(2..6).and_then(hex) else { return (None, 2) };
            // A surrogate pair: \uD83D\uDE00.
            if (0xD800..0xDC00).contains(&hi) && s.get(6..8) == Some("\\u") {
                if let Some(lo) = s.get(8..12).and_then(hex).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                    return (char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)), 12);
                }
            }
            (char::from_u32(hi), 6)
        }
        Some(b'x') => (s.get(2..4).and_then(hex).and_then(char::from_u32), 4.min(s.len())),
        Some(_) => {
            let c = s[1..].chars().next();
            (c, 1 + c.map_or(0, char::len_utf8))
        }
        None => (None, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_escaped_paragraphs_and_aligns_them() {
        let page = r#"<html><body><div id="root"></div><script>self.__next_f.push([1,"x"])</script><script>self.__next_f.push([1,"{\"__html\":\"\u003cp\u003eOne \u201cquote\u201d.\u003c/p\u003e\u003cp\u003eTwo.\u003c/p\u003e\u003cp\u003eThree \ud83d\ude00\u003c/p\u003e\"}"])</script></body></html>"#;
        let dom = Dom::parse(page);
        let (text, align) = markup(&dom).unwrap();
        assert_eq!(text, "<div>{\"__html\":\"<p>One “quote”.</p><p>Two.</p><p>Three 😀</p>\"}");
        let at = text.find("Two").unwrap();
        assert_eq!(&page[align.to_source(at)..][..3], "Two");
        let q = text.find('“').unwrap();
        assert!(page[align.to_source(q)..].starts_with("\\u201c"));
    }

    #[test]
    fn odd_escapes_do_not_panic() {
        for s in ["\\", "\\u12", "\\x", "\\ud800", "a\\é", "\\ud83d\\u0041"] {
            let (text, _) = unescape(s, 0);
            assert!(text.len() <= s.len() + 4, "{s}");
        }
    }
}

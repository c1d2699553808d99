//! Tag soups: thousands of deterministic random pages of broken markup, references,
//! invalid bytes and embeds. Reading never panics, and every character of the article text
//! maps back inside the page.

use sayso_html::read_page;

const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div class=\"article-body\">",
    "</div>",
    "<article>",
    "</article>",
    "<script>",
    "</script>",
    "<style>x{}</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&rdquo;",
    "&#x201C;",
    "&#99999999;",
    "&",
    "&nbsp;",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "<a href=",
    "</a>",
    "<br>",
    "<h1>",
    "</h1>",
    "<h2>Sub</h2>",
    "<li>",
    "<table><tr><td>",
    "<blockquote class=\"twitter-tweet\">",
    "</blockquote>",
    "— Jane Roe (@jroe) May 1, 2024",
    "<meta charset=\"windows-1252\">",
    "<meta charset=utf-16>",
    "\u{ad}",
    "\u{a0}",
    "é",
    "“",
    "”",
    "Read more: ",
    "The minister said the plan would protect jobs, and more. ",
    "\n",
    " ",
    "<form>",
    "<nav>",
    "<div hidden id=\"S:1\">",
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"H\",\"author\":[{\"name\":\"A B\"}]}</script>",
];

#[test]
fn tag_soups_never_panic_and_stay_aligned() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let n = (next() % 120) as usize;
        let mut page: Vec<u8> = Vec::new();
        for _ in 0..n {
            let r = next();
            if r % 23 == 0 {
                page.push((r >> 8) as u8); // any byte, valid or not
            } else {
                page.extend_from_slice(PIECES[(r >> 8) as usize % PIECES.len()].as_bytes());
            }
        }
        let p = read_page(&page, None, Some("https://x.example/a/b"));
        for (i, _) in p.text.char_indices() {
            assert!(p.alignment.to_source(i) <= page.len(), "offset {i} of {:?} maps past the page", p.text);
        }
        assert!(p.alignment.to_source_end(p.text.len()) <= page.len());
        for h in &p.hyperlinks {
            assert!(h.span.end <= p.text.len() && p.text.is_char_boundary(h.span.start) && p.text.is_char_boundary(h.span.end));
        }
    }
}

/// Found by the `html_page` fuzz target: a page whose text ends in characters longer than
/// their bytes (windows-1252 ÿ is two bytes of UTF-8) mapped the text's end past the page:
/// composing alignments dropped the decoder's end point.
#[test]
fn the_text_end_maps_to_the_page_end() {
    let page: &[u8] = b"idd\xff\xffa\0\0\0\0\0\0\0\xff\xff\xe9 \xff\xff\xff\xff\xff\xff\xff";
    let p = read_page(page, Some("text/html; charset=windows-1252"), None);
    assert!(p.text.ends_with("ÿÿÿÿÿÿÿ"), "{:?}", p.text);
    for (i, _) in p.text.char_indices() {
        assert!(p.alignment.to_source(i) < page.len(), "offset {i} maps past the page");
    }
    assert_eq!((p.alignment.to_source(p.text.len()), p.alignment.to_source_end(p.text.len())), (page.len(), page.len()));
}

/// Found next by the fuzz target: a word longer composed (NFC) than written mapped its
/// last characters past the page (U+2ADC is decomposed to U+2ADD U+0338, ⫝̸ at the end).
#[test]
fn a_word_longer_in_nfc_stays_inside_the_page() {
    let page = "The sign, he said, was ab\u{2adc}\u{2adc}\u{2adc}".as_bytes();
    let p = read_page(page, Some("text/html; charset=utf-8"), None);
    assert!(p.text.ends_with("ab\u{2add}\u{338}\u{2add}\u{338}\u{2add}\u{338}"), "{:?}", p.text);
    let at: Vec<usize> = p.text.char_indices().map(|(i, _)| p.alignment.to_source(i)).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]) && at.iter().all(|&s| s < page.len()), "{at:?}");
    assert_eq!(p.alignment.to_source_end(p.text.len()), page.len());
}

/// And then: in UTF-16, U+095E composed to U+092B U+093C, and the characters after it
/// mapped inside a two-byte character of the page, the last one past the page.
#[test]
fn a_word_changed_by_nfc_maps_to_character_starts() {
    let page: &[u8] =
        b"^\x09\xae\xae\xae\xae\xae\xae\xaey\xbb/*\xbb/*\xae\xae\xae\xbb\xbb/**\xbb/*\xbb/*\xd0y\xbb/*\xbb/**\xd0y\xbb/*\xbb/*";
    let p = read_page(page, Some("text/html; charset=utf-16le"), None);
    assert!(p.text.starts_with("\u{92b}\u{93c}"), "{:?}", p.text);
    let at: Vec<usize> =
        p.text.char_indices().map(|(i, _)| p.alignment.to_source(i)).chain([p.alignment.to_source(p.text.len())]).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]) && at.iter().all(|&s| s <= page.len()), "{at:?}");
    assert!(at.iter().all(|&s| s % 2 == 0 || s == page.len()), "inside a UTF-16 unit: {at:?}");
}

/// Pages built to be slow: they are read whole. (The work each takes is held linear in
/// `content`'s tests; their speed is timed by bench/pathological.sh.)
#[test]
fn hostile_markup_is_read() {
    let s = "The council met on Monday, and the mayor said the roads would reopen soon.";
    let read = |m: &str| read_page(format!("<body>{m}").as_bytes(), None, None);
    let spans = read(&("<span>".repeat(100_000) + "<p>" + s + "</p>"));
    assert_eq!(spans.text, s);
    assert!(spans.warnings.iter().any(|w| w.message.contains("nested over 512 elements")), "{:?}", spans.warnings);
    assert_eq!(read(&("<div>".repeat(100_000) + "<p>" + s)).text, s);
    // Paragraphs each in a table inside the one before: those past the depth limit, read as
    // siblings, are the article.
    assert!(read(&format!("<table><tr><td><p>{s}</p>").repeat(25_000)).text.matches(s).count() > 24_000);
    assert_eq!(read(&(format!("<p>{s}</p><ruby>") + &"<rt>w</rt>".repeat(100_000))).text, s);
    assert_eq!(read(&(format!("<p>{s}</p>") + &"<h1>".repeat(100_000))).text, s);
    assert_eq!(read(&format!("<p>{s}</p><!--<p>{s}</p>")).text, s);
    assert_eq!(read(&format!("<p>{s}</p><script><p>{s}</p></scrip")).text, s);
}

//! HTML pages to articles: decode the bytes, parse the markup leniently, find the main
//! content, read the metadata. The article text keeps an alignment to the page's bytes.

pub mod charset;
mod content;
pub mod dom;
pub mod embeds;
pub mod entity;
pub mod meta;
mod script;

use sayso_doc::{Alignment, Embed, Hyperlink, Warning};

pub use meta::PageMeta;

/// An article read from a page.
pub struct Page {
    pub meta: PageMeta,
    /// The article body: paragraphs separated by blank lines, headline excluded.
    pub text: String,
    /// From `text` to byte offsets of the page as given (before decoding).
    pub alignment: Alignment,
    /// The article's links: anchor text spans in `text`, absolute URLs where the page's
    /// address is known.
    pub hyperlinks: Vec<Hyperlink>,
    /// The article's embedded posts and videos, in page order, spans in `text`.
    pub embeds: Vec<Embed>,
    pub warnings: Vec<Warning>,
}

/// Reads one page. `declared` is the Content-Type of the HTTP response and `url` the
/// page's address, when known.
pub fn read_page(bytes: &[u8], declared: Option<&str>, url: Option<&str>) -> Page {
    let decoded = charset::decode(bytes, declared);
    let mut page = read_html(&decoded.text, &decoded.alignment, url);
    page.warnings.extend(decoded.warning.map(|w| Warning::new(w, None)));
    page
}

/// Reads a page already decoded; `to_source` maps `html`'s offsets to the source's.
pub fn read_html(html: &str, to_source: &Alignment, url: Option<&str>) -> Page {
    let mut warnings = Vec::new();
    let dom = dom::Dom::parse(html);
    if dom.flattened {
        let message = format!("markup nested over {} elements deep: the deeper ones were read as siblings", dom::MAX_DEPTH);
        warnings.push(Warning::new(message, None));
    }
    let mut meta = meta::read(&dom);
    let base = url.or(meta.canonical_url.as_deref());
    let found = match fragment_body(&dom) {
        Some(wrapped) => content::extract(&dom::Dom::parse(&wrapped), base).map(|mut c| {
            // Offsets in the wrapped copy are the fragment's, moved by the opening tags.
            let mut unwrap = Alignment::builder();
            unwrap.push(0, 0);
            unwrap.push(FRAGMENT_OPEN.len(), 0);
            c.alignment = c.alignment.then(&unwrap.finish(wrapped.len()));
            c
        }),
        None => content::extract(&dom, base),
    };
    let found_len = found.as_ref().map_or(0, |c| c.text.len());
    // Markup only in a script's string (Next.js, a HowTo's JSON-LD) when the page's own
    // markup gives little: read that, if it gives clearly more.
    let scripted = (found_len < content::SHORT && meta.body.is_none())
        .then(|| script::markup(&dom))
        .flatten()
        .and_then(|(inner, to_page)| content::extract(&dom::Dom::parse(&inner), base).map(|c| (c, to_page)))
        .filter(|(c, _)| c.text.len() > found_len * 2);
    let (text, alignment, hyperlinks, embeds) = match (found, scripted) {
        (_, Some((c, to_page))) => {
            warnings.push(Warning::new("little article text in the markup; the body is the HTML inside a script", None));
            (c.text, c.alignment.then(&to_page).then(to_source), c.hyperlinks, c.embeds)
        }
        (Some(c), None) => (c.text, c.alignment.then(to_source), c.hyperlinks, c.embeds),
        (None, None) => match meta.body.take() {
            // The page's markup holds no paragraph, but its JSON-LD gives the body: its
            // offsets point at the start of that script, the nearest place on the page.
            Some(body) if !body.trim().is_empty() => {
                warnings.push(Warning::new("no article text in the markup; the body is the page's JSON-LD articleBody", None));
                let at = html.find("articleBody").unwrap_or(0);
                let mut a = Alignment::builder();
                a.push(0, to_source.to_source(at));
                let len = body.len();
                (body, a.finish(len), Vec::new(), Vec::new())
            }
            _ => (String::new(), Alignment::identity(0), Vec::new(), Vec::new()),
        },
    };
    Page { meta, text, alignment, hyperlinks, embeds, warnings }
}

/// Put around a fragment so that its top-level paragraphs have an element to vote for.
const FRAGMENT_OPEN: &str = "<div><p>";

/// A fragment (a feed item's body, a JSONL `html` field: paragraphs or bare text with no
/// `html` or `body` around them), wrapped as the body of a page; None for a page.
fn fragment_body(dom: &dom::Dom) -> Option<String> {
    let top = &dom.node(0).children;
    let page = top.iter().any(|&c| matches!(dom.name(c), "html" | "head" | "body"));
    let loose = top.iter().any(|&c| match dom.node(c).kind {
        dom::NodeKind::Text(s) => !dom.src[s.start..s.end].trim().is_empty(),
        _ => dom.name(c) == "p",
    });
    (!page && loose).then(|| format!("{FRAGMENT_OPEN}{}</p></div>", dom.src))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text the reader keeps of a page given as a string.
    fn text_of(page: &str) -> String {
        read_page(page.as_bytes(), None, None).text
    }

    const PAGE: &str = r##"<!doctype html><html lang="en"><head><title>Row | Daily</title>
<meta property="og:title" content="Minister defends budget"></head>
<body><nav><a href="/">Home</a> <a href="/w">World</a></nav>
<header><h1>Minister defends budget</h1></header>
<article class="story-body">
<p>The finance minister on Tuesday defended the budget, saying it would &ldquo;protect jobs&rdquo;, and rejected criticism from the opposition.</p>
<div class="share-tools"><a href="#">Share on Facebook</a></div>
<p>&quot;We have made hard choices,&quot; she told reporters in London, adding that taxes would not rise this year, whatever happens.</p>
<figure><img src="x.jpg"><figcaption>The minister, photographed in May.</figcaption></figure>
<h2>Opposition reacts</h2>
<p>The opposition leader said the plan was a gamble with people's savings, and called for a vote in parliament next week.</p>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/1">Budget explained in full detail here</a></li></ul></aside>
<footer>© Daily 2024</footer></body></html>"##;

    /// A paragraph of article prose for the tests that build pages around it.
    const PARA: &str = "<p>The council voted on Monday to close the bridge, saying repairs would take a year, cost more than planned and need a new contractor.</p>";

    #[test]
    fn finds_the_article_and_keeps_offsets() {
        let page = read_page(PAGE.as_bytes(), None, None);
        assert_eq!(page.meta.title.as_deref(), Some("Minister defends budget"));
        let paras: Vec<&str> = page.text.split("\n\n").collect();
        assert_eq!(paras.len(), 4, "{}", page.text);
        assert!(paras[0].contains("would “protect jobs”, and"));
        assert!(paras[1].starts_with("\"We have made hard choices,\" she told"));
        assert_eq!(paras[2], "Opposition reacts");
        for needle in ["Share on", "photographed", "Related", "Home", "©"] {
            assert!(!page.text.contains(needle), "{needle} in {}", page.text);
        }
        // Every word maps back to the same word in the page.
        for word in ["minister", "protect", "choices", "London", "gamble"] {
            let t = page.text.find(word).unwrap();
            let s = page.alignment.to_source(t);
            assert_eq!(&PAGE[s..s + word.len()], word);
        }
        let q = page.text.find('“').unwrap();
        assert!(PAGE[page.alignment.to_source(q)..].starts_with("&ldquo;"));
    }

    #[test]
    fn embedded_tweets_keep_their_attribution() {
        let page = r#"<article><p>The mayor, who was at the scene on Sunday, thanked the volunteers and the fire brigade.</p>
<blockquote class="twitter-tweet"><p lang="en">Thank you all <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Jane Roe (@JaneRoeNYC) <a href="https://twitter.com/JaneRoeNYC/status/1">May 1, 2024</a></blockquote>
<p>Crews worked through the night to clear the roads, and the city reopened them on Monday morning.</p></article>"#;
        let text = text_of(page);
        assert!(text.contains("Thank you all pic.twitter.com/x\n\n— Jane Roe (@JaneRoeNYC) May 1, 2024"), "{text}");
    }

    #[test]
    fn cross_references_keep_their_urls() {
        let page = r#"<article><p>The minister, speaking on Tuesday, defended the budget and its cuts to rural schools.</p>
<p><strong>Read more:</strong> <a href="/politics/budget-explained">Budget explained</a></p>
<p>The opposition called for a vote in parliament next week, saying the plan was a gamble.</p></article>"#;
        let p = read_page(page.as_bytes(), None, Some("https://daily.example/news/1"));
        let h = &p.hyperlinks[0];
        assert_eq!(
            (&p.text[h.span.start..h.span.end], h.url.as_str()),
            ("Budget explained", "https://daily.example/politics/budget-explained")
        );
        assert!(p.text.contains("Read more: Budget explained"));
    }

    #[test]
    fn an_article_in_a_misused_landmark_is_found() {
        for wrapper in ["<aside class=\"page\">", "<header role=\"banner\"><div>"] {
            let page = format!("<html><body><nav><a href=\"/\">Home</a></nav>{wrapper}<section>{PARA}{PARA}</section></body></html>");
            let text = text_of(&page);
            assert!(text.starts_with("The council voted"), "{wrapper}: {text}");
        }
    }

    #[test]
    fn prose_between_headline_and_body_is_the_lead() {
        let page = format!(
            "<body><h1>Bridge to close</h1><div class=\"box\"><p>Drivers face long detours from next week, the city says, as the old crossing shuts.</p></div>\
             <div class=\"share\"><a href=\"/s\">Share this story with your friends</a></div><div class=\"main\">{PARA}{PARA}{PARA}</div></body>"
        );
        let text = text_of(&page);
        assert!(text.starts_with("Drivers face long detours"), "{text}");
        assert!(!text.contains("Share"), "{text}");
    }

    #[test]
    fn captions_credits_and_bare_ruby_readings_are_left_out() {
        let page = format!(
            "<article>{PARA}<div>The old bridge at dawn last spring. (Foto: Jo Bloggs)</div><div>The river in flood, two years ago. © Daily Photos</div>\
             <p><ruby>子<rt>こ</rt></ruby>ども, <ruby>尹<rp>(</rp><rt>ユン</rt><rp>)</rp></ruby> and more, so that this line reads as a sentence.</p>{PARA}</article>"
        );
        let text = text_of(&page);
        assert!(!text.contains("Foto") && !text.contains('©'), "{text}");
        assert!(text.contains("子ども, 尹(ユン) and more"), "{text}");
    }

    #[test]
    fn loose_lines_beside_a_picture_box_are_the_article() {
        let line = "The storm brought down trees across the county, and the police closed three roads until the morning.<br><br>";
        let page = format!(
            "<body><div class=\"banner\"><p>This website uses cookies, which help us improve it, and by using it you agree to that.</p></div>\
             <div class=\"story\"><div class=\"img_box\"><img src=\"a.jpg\"></div>{line}{line}{line}</div>\
             <div id=\"comments\"><p>Great piece, thanks, I agree with every word of it and will share it, truly, with all my friends.</p></div></body>"
        );
        let text = text_of(&page);
        assert!(text.starts_with("The storm brought down trees"), "{text}");
        assert!(!text.contains("Great piece"), "{text}");
    }

    #[test]
    fn invisible_characters_go_and_end_marks_keep_the_last_paragraph() {
        let page = format!(
            "<body><div class=\"modal-body\"><p>Get our app for your phone, it is free.</p></div><article>{PARA}\
             <p>In the Mit\u{ad}tel\u{ad}alter the old&shy;town bridge\u{200b} was the only crossing, and it stood for three hundred years. ❖</p></article></body>"
        );
        let text = text_of(&page);
        assert!(text.starts_with("The council"), "{text}");
        assert!(text.contains("In the Mittelalter the oldtown bridge was the only crossing"), "{text}");
        assert!(text.ends_with("years. ❖"), "{text}");
    }

    #[test]
    fn bold_subheadings_and_unstopped_standfirsts_are_kept() {
        let page = format!(
            "<body><h1>Bridge to close</h1><h2>Drivers face long detours from next week as the city shuts the old crossing for repairs</h2>\
             <div class=\"main\">{PARA}<p><strong>Next steps</strong></p>{PARA}{PARA}</div></body>"
        );
        let text = text_of(&page);
        assert!(text.starts_with("Drivers face long detours"), "{text}");
        assert!(text.contains("\n\nNext steps\n\n"), "{text}");
    }

    #[test]
    fn timestamp_lines_before_the_article_go() {
        let page = format!(
            "<article><div>Published: 3 May 2024, 10:42 | Updated</div>{PARA}<div>The vote, 12 to 3 in May 2024</div>{PARA}</article>"
        );
        let text = text_of(&page);
        assert!(text.starts_with("The council"), "{text}");
        assert!(text.contains("The vote, 12 to 3 in May 2024"), "{text}");
    }

    #[test]
    fn text_is_composed_and_still_aligned() {
        let page = "<article><p>Die Bru\u{308}cke, sagte der Bu\u{308}rgermeister am Montag, bleibt fu\u{308}r ein Jahr geschlossen, weil die Reparatur dauert.</p></article>";
        let p = read_page(page.as_bytes(), None, None);
        assert!(p.text.contains("Die Brücke, sagte der Bürgermeister"), "{}", p.text);
        let at = p.text.find("sagte").unwrap();
        assert_eq!(&page[p.alignment.to_source(at)..][..5], "sagte");
    }

    #[test]
    fn ad_labels_and_bare_link_headings_go() {
        let page = format!("<article><div>Anzeige, enthält Affiliate-Links zu Shops</div>{PARA}<h3>Ähnliche Beiträge</h3>{PARA}</article>");
        let text = text_of(&page);
        assert!(text.starts_with("The council") && !text.contains("Ähnliche"), "{text}");
    }

    #[test]
    fn fragments_of_paragraphs_or_bare_text_are_read() {
        let two = format!("{PARA}<p>&ldquo;It cannot wait,&rdquo; the mayor said on Monday, and the council agreed with her.</p>");
        let bare = "The council voted on Monday to close the bridge, saying repairs would take a year.";
        for fragment in [two.as_str(), PARA, bare] {
            let p = read_page(fragment.as_bytes(), None, None);
            assert!(p.text.starts_with("The council voted"), "{fragment}: {:?}", p.text);
            let at = p.alignment.to_source(p.text.find("repairs").unwrap());
            assert_eq!(&fragment[at..at + 7], "repairs");
        }
        let p = read_page(two.as_bytes(), None, None);
        assert_eq!(p.text.split("\n\n").count(), 2, "{}", p.text);
        let q = p.text.find('“').unwrap();
        assert!(two[p.alignment.to_source(q)..].starts_with("&ldquo;It"));
    }

    #[test]
    fn pages_without_text_give_an_empty_article() {
        for page in ["", "<html><body></body></html>", "<div>".repeat(10_000).as_str(), "\u{0}\u{1}binary"] {
            let p = read_page(page.as_bytes(), None, None);
            assert!(p.text.trim().is_empty());
        }
    }

    #[test]
    fn sections_of_lines_split_by_breaks_are_kept() {
        let item = |n: u8| {
            format!(
                "<h2>{n}. The fair</h2><b>Date</b>: May {n}<br><b>Place</b>: Leeds<br>The fair brings growers and buyers together for a weekend of talks, \
                 tastings and trade.<br><b>Tickets</b>: <a href=\"https://fair.example/{n}\">fair.example</a>"
            )
        };
        let page = format!("<body><article>{PARA}{}{}</article></body>", item(1), item(2));
        let text = text_of(&page);
        assert!(text.contains("2. The fair") && text.ends_with("Tickets: fair.example"), "{text}");
    }

    #[test]
    fn hidden_and_offscreen_classes_hide_except_at_a_breakpoint_or_in_a_panel() {
        let page = format!(
            "<article>{PARA}<div class=\"expand\"><span class=\"expand-icon h-offscreen\">Open the box of people named here</span></div><div class=\"sign-in-group hidden\"><p>Create an account or sign in to continue with your reading experience, it is free.</p></div>\
             <div class=\"hidden lg:block\"><p>The bridge, built in 1890, carries twelve thousand cars a day and a railway line below them.</p></div>\
             <h3>How long will it close?</h3><div class=\"accordion-content hidden\"><p>For a year at least, the council said, and longer if the river floods again.</p></div></article>"
        );
        let text = text_of(&page);
        assert!(!text.contains("Create an account") && !text.contains("Open the box"), "{text}");
        assert!(text.contains("built in 1890") && text.contains("For a year at least"), "{text}");
    }

    #[test]
    fn paragraphs_signed_after_their_last_sentence_are_prose() {
        let signed = "<h2>Acquired</h2><p>The hosts explain how founders grow their firms. I learn from every episode of it. \
                      &ndash; <em>Jo Roe, lead engineer, Hubstaff</em></p>";
        let page = format!("<body><article>{PARA}{signed}{signed}</article></body>");
        let text = text_of(&page);
        assert!(text.ends_with("– Jo Roe, lead engineer, Hubstaff"), "{text}");
    }

    #[test]
    fn author_boxes_are_not_the_article() {
        let author = "<section class=\"bmg-content-box bmg-author-box\"><p>Hello, I am a food blogger, a cookbook author and a journalist, and I bake.</p></section>";
        let text = text_of(&format!("<article><div class=\"content\">{PARA}{PARA}</div>{author}</article>"));
        assert!(text.starts_with("The council") && !text.contains("food blogger"), "{text}");
    }

    #[test]
    fn a_table_of_data_after_the_last_prose_stays() {
        let row = |r: u8| format!("<tr><td>{r}</td><td>Leeds bridge</td><td>{r}0 m</td><td>1890</td></tr>");
        let data = format!("<table>{}{}{}</table>", row(1), row(2), row(3));
        let layout = "<table><tr><td>Views: 1120</td><td>Added by: editor of the day</td></tr></table>";
        let text = text_of(&format!("<article>{PARA}{PARA}{data}</article>"));
        assert!(text.ends_with("1890"), "{text}");
        let text = text_of(&format!("<article>{PARA}{PARA}{layout}</article>"));
        assert!(!text.contains("Views"), "{text}");
    }
}

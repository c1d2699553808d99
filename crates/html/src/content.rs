//! Main content: which part of the page is the article, and its text with an alignment
//! to the page. Scoring follows Readability's idea: paragraphs vote for the elements
//! that hold them (parent fully, grandparent half, further up less), boilerplate names
//! and link-heavy blocks lose, and the best-scoring element with its similar siblings
//! is the article.

use std::cell::OnceCell;

use sayso_doc::{Alignment, Embed, Hyperlink, Span, CROSS_REFERENCE_LABELS};

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::dom::{Dom, NodeId, NodeKind};
use crate::embeds;
use crate::entity;

/// Never part of the article text.
#[rustfmt::skip]
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "math", "canvas", "video", "audio", "object", "embed", "button",
    "select", "textarea", "input", "label", "head", "title", "figcaption", "figure", "picture",
    "img", "dialog", "menu", "xmp", "noembed", "noframes",
];
/// Landmarks that are not the article, unless the page misuses them (an article inside
/// `<aside>`, a page inside an unclosed `<header role="banner">`): a last try keeps them.
const LANDMARKS: &[&str] = &["nav", "footer", "aside"];
/// Elements that start a new paragraph of text.
#[rustfmt::skip]
const BLOCK: &[&str] = &[
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "table", "tr", "td", "th", "tbody", "thead", "hr", "br", "address", "details", "summary", "center", "body",
];
/// Elements whose own text is a paragraph for scoring.
const PARAGRAPH: &[&str] = &["p", "pre", "td", "blockquote", "li", "h2", "h3", "h4", "div", "section", "span"];

#[rustfmt::skip]
const NEGATIVE: &[&str] = &[
    "comment", "comments", "share", "sharing", "social", "related", "recommend", "recommended", "newsletter", "cookie", "consent",
    "promo", "advert", "advertisement", "sponsor", "sponsored", "sidebar", "breadcrumb", "breadcrumbs", "subscribe",
    "popup", "banner", "masthead", "outbrain", "taboola", "skip", "tags", "keywords", "footer", "navigation", "nav",
    "menu", "byline", "caption", "copyright", "toolbar", "signup", "login", "rating", "trending", "mostread", "sr", "dfp",
    "gallery", "infobox", "credit", "credits", "disclaimer", "timestamp", "dateline", "author", "authorbox", "saboxplugin", "bio",
    "imagedescription", "recommendations", "slider", "carousel", "rss", "modal", "offscreen", "visually", "visuallyhidden",
];
/// Readers' comments: never the article, whatever else a page names.
const COMMENTS: &[&str] = &["comment", "comments", "commentlist"];
#[rustfmt::skip]
const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "main", "page", "post", "text", "story", "blog", "richtext", "paragraph", "artikel",
    "texto", "prose",
];

pub struct Content {
    pub text: String,
    pub alignment: Alignment,
    pub hyperlinks: Vec<Hyperlink>,
    /// The embedded posts and videos the article holds, where they stand in `text`.
    pub embeds: Vec<Embed>,
}

/// Per element: text characters, those inside links, and the Readability score.
#[derive(Clone, Copy, Default)]
struct Stats {
    chars: u32,
    link_chars: u32,
    score: f32,
    /// Text of the paragraphs in the subtree that are not mostly links.
    para_chars: u32,
    skipped: bool,
}

fn class_words(dom: &Dom, id: NodeId) -> String {
    let mut s = dom.attr(id, "class").unwrap_or_default();
    if let Some(i) = dom.attr(id, "id") {
        s.push(' ');
        s.push_str(&i);
    }
    s.make_ascii_lowercase();
    s
}

fn matches_any(words: &str, list: &[&str]) -> bool {
    words.split(|c: char| c.is_ascii_whitespace() || c == '_' || c == '-').any(|w| list.contains(&w))
}

/// A class or id naming an advertisement slot: "ad", "ads", "ad-top", "ads_box".
fn is_ad(words: &str) -> bool {
    words.split_ascii_whitespace().any(|c| matches!(c, "ad" | "ads") || ["ad-", "ads-", "ad_", "ads_"].iter().any(|p| c.starts_with(p)))
}

/// An element that is not article text whatever its content. `in_rp_ruby`: the parent
/// holds an `<rp>`.
fn is_boilerplate(dom: &Dom, id: NodeId, pruning: Pruning, in_rp_ruby: bool) -> bool {
    let name = dom.name(id);
    if SKIP.contains(&name) {
        return true;
    }
    // A ruby's reading, unless the page gives it parentheses (<rp>) for plain text:
    // "子<rt>こ</rt>" would read "子こ".
    if name == "rt" && !in_rp_ruby {
        return true;
    }
    // Hidden, except where pages hide what scripts reveal: paywalled paragraphs, and the
    // `<div hidden id="S:1">` blocks of React's streamed rendering.
    let revealed = || {
        dom.attr(id, "class").is_some_and(|c| c.split_ascii_whitespace().any(|w| w == "paywall"))
            || dom.attr(id, "id").is_some_and(|i| i.starts_with("S:") || i.starts_with("B:"))
    };
    // A `hidden` class is the attribute written in CSS (Bootstrap, Tailwind), unless a
    // breakpoint shows it ("hidden lg:block") or it is a panel that a click opens (FAQ answers).
    let hidden_class = || {
        dom.attr(id, "class").is_some_and(|c| {
            let mut words = c.split_ascii_whitespace();
            words.clone().any(|w| w == "hidden")
                && !words.any(|w| w.contains(':') || ["accordion", "collapse", "faq", "tab"].iter().any(|p| w.contains(p)))
        })
    };
    if (dom.has_attr(id, "hidden") || dom.attr(id, "aria-hidden").is_some_and(|v| v == "true") || hidden_class()) && !revealed() {
        return true;
    }
    if let Some(style) = dom.attr(id, "style") {
        let s = style.replace(' ', "").to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if pruning == Pruning::Hidden {
        return false;
    }
    if LANDMARKS.contains(&name) {
        return true;
    }
    if let Some(role) = dom.attr(id, "role") {
        if matches!(role.as_str(), "navigation" | "complementary" | "contentinfo" | "banner" | "dialog" | "menu" | "alert") {
            return true;
        }
    }
    let words = class_words(dom, id);
    if pruning == Pruning::Landmarks {
        return matches_any(&words, COMMENTS);
    }
    // Forms are search boxes and comment fields, except on pages that wrap everything
    // in one (ASP.NET, shops): the retry without names keeps them.
    if name == "form" {
        return true;
    }
    // An author's box is not the article, whatever content-like name it also carries
    // ("bmg-content-box bmg-author-box").
    const AUTHOR_BOX: [&str; 5] = ["author-box", "authorbox", "author_box", "author-bio", "about-the-author"];
    if words.split_ascii_whitespace().any(|c| AUTHOR_BOX.iter().any(|b| c.contains(b))) {
        return true;
    }
    !words.is_empty()
        && (matches_any(&words, NEGATIVE) || is_ad(&words))
        && !matches_any(&words, POSITIVE)
        && name != "body"
        && name != "article"
}

/// An element with blocks among its children (a line break is none): a container, not a
/// paragraph.
fn holds_blocks(dom: &Dom, id: NodeId) -> bool {
    dom.node(id).children.iter().any(|&c| BLOCK.contains(&dom.name(c)) && dom.name(c) != "br")
}

/// Where the page's commas are, which Readability counts as a sign of prose (Chinese and
/// Japanese ones too): counting those in an element is then a search, not a scan of its
/// subtree (nested elements would scan the same bytes again and again).
struct Commas(Vec<usize>);

impl Commas {
    fn new(src: &str) -> Commas {
        // The bytes that start ',', '，' and '、', then the whole character.
        let b = src.as_bytes();
        let at = |i: usize, c: &str| b[i..].starts_with(c.as_bytes());
        Commas(memchr::memchr3_iter(b',', 0xEF, 0xE3, b).filter(|&i| b[i] == b',' || at(i, "，") || at(i, "、")).collect())
    }

    fn within(&self, span: Span) -> usize {
        self.0.partition_point(|&i| i < span.end) - self.0.partition_point(|&i| i < span.start)
    }
}

fn visible_len(dom: &Dom, span: Span) -> u32 {
    dom.src[span.start..span.end].split_whitespace().map(|w| w.chars().count() as u32 + 1).sum()
}

fn stats(dom: &Dom, pruning: Pruning, page_commas: &Commas) -> Vec<Stats> {
    let n = dom.nodes.len();
    let mut st = vec![Stats::default(); n];
    let mut rp_parent = vec![false; n];
    for id in 1..n as NodeId {
        if dom.name(id) == "rp" {
            rp_parent[dom.node(id).parent as usize] = true;
        }
    }
    // Parents come before children: a forward pass marks skipped subtrees.
    for id in 1..n as NodeId {
        let parent = dom.node(id).parent;
        st[id as usize].skipped = st[parent as usize].skipped
            || (matches!(dom.node(id).kind, NodeKind::Element { .. }) && is_boilerplate(dom, id, pruning, rp_parent[parent as usize]));
    }
    // A backward pass sums text up the tree.
    for id in (1..n as NodeId).rev() {
        let i = id as usize;
        if st[i].skipped {
            continue;
        }
        if let NodeKind::Text(span) = dom.node(id).kind {
            st[i].chars = visible_len(dom, span);
        }
        if dom.name(id) == "a" {
            st[i].link_chars = st[i].chars;
        }
        let p = dom.node(id).parent as usize;
        st[p].chars += st[i].chars;
        st[p].link_chars += st[i].link_chars;
    }
    // Paragraphs vote for their ancestors. A container's own loose text (lines split by
    // <br> beside a picture box) is a paragraph inside it, as Readability wraps it.
    for id in 1..n as NodeId {
        let i = id as usize;
        let name = dom.name(id);
        if st[i].skipped || !PARAGRAPH.contains(&name) || st[i].chars < 25 {
            continue;
        }
        let node = dom.node(id);
        let container = matches!(name, "div" | "section" | "span" | "li" | "td") && holds_blocks(dom, id);
        let (chars, link_chars, commas, first) = if container {
            let (mut chars, mut link_chars, mut commas) = (0, 0, 0);
            for &c in &node.children {
                let (cs, name) = (&st[c as usize], dom.name(c));
                let loose = matches!(dom.node(c).kind, NodeKind::Text(_)) || !(BLOCK.contains(&name) || PARAGRAPH.contains(&name));
                if loose && !cs.skipped {
                    chars += cs.chars;
                    link_chars += cs.link_chars;
                    commas += page_commas.within(dom.node(c).span);
                }
            }
            (chars, link_chars, commas, id)
        } else {
            (st[i].chars, st[i].link_chars, page_commas.within(node.span), node.parent)
        };
        if chars < 25 {
            continue;
        }
        let ld = link_chars as f32 / chars.max(1) as f32;
        let s = (1.0 + commas.min(20) as f32 + (chars as f32 / 100.0).min(3.0)) * (1.0 - ld);
        if ld < 0.5 {
            st[i].para_chars = chars;
        }
        let mut anc = first;
        for level in 0..4 {
            if anc == 0 {
                break;
            }
            st[anc as usize].score += s / if level == 0 { 1.0 } else { level as f32 * 2.0 };
            anc = dom.node(anc).parent;
        }
    }
    // Each element's paragraphs and those below it, summed bottom-up rather than added to
    // every ancestor (deep nesting would make that quadratic).
    for id in (1..n as NodeId).rev() {
        let p = dom.node(id).parent as usize;
        if p != 0 {
            st[p].para_chars = st[p].para_chars.saturating_add(st[id as usize].para_chars);
        }
    }
    st
}

/// An embedded post (tweet, Instagram post, TikTok): kept with its links, since the
/// extraction reads its attribution line ("— Name (@handle) date").
fn is_embed(dom: &Dom, id: NodeId) -> bool {
    dom.attr(id, "class")
        .is_some_and(|c| c.split_ascii_whitespace().any(|w| matches!(w, "twitter-tweet" | "instagram-media" | "tiktok-embed")))
}

/// A left-out element of the article that may hold an embed: a player's frame, a figure,
/// or a box named for one ("social-embed", "video-wrapper"); not comments or a sidebar.
fn may_hold_embed(dom: &Dom, id: NodeId) -> bool {
    const WORDS: [&str; 9] = ["embed", "tweet", "twitter", "instagram", "youtube", "tiktok", "video", "bluesky", "social"];
    let words = class_words(dom, id);
    !LANDMARKS.contains(&dom.name(id))
        && !matches_any(&words, COMMENTS)
        && (matches!(dom.name(id), "iframe" | "figure" | "picture" | "noscript") || WORDS.iter().any(|w| words.contains(w)))
}

/// Class names of an article's lead (standfirst, summary) where pages keep it apart from
/// the body, in the header.
const LEAD: &[&str] = &[
    "lead",
    "lede",
    "subtitle",
    "standfirst",
    "intro",
    "summary",
    "teaser",
    "dek",
    "abstract",
    "subheadline",
    "kicker-text",
    "description",
    "excerpt",
    "perex",
];

/// The article's lead, when it stands before the body inside the same article element
/// (or within a few levels of it) and outside what was chosen.
fn lead_before(dom: &Dom, st: &[Stats], top: NodeId, first: NodeId) -> Option<NodeId> {
    let mut scope = top;
    for _ in 0..4 {
        if dom.name(scope) == "article" {
            break;
        }
        scope = dom.node(scope).parent;
        if scope == 0 {
            return None;
        }
    }
    let begin = dom.node(first).span.start;
    dom.descendants(scope).take_while(|&n| dom.node(n).span.start < begin).find(|&n| {
        let s = &st[n as usize];
        matches!(dom.name(n), "p" | "div" | "h2" | "span")
            && !s.skipped
            && s.chars >= 40
            && link_density(s) < 0.3
            && dom.node(n).span.end <= begin
            && (class_words(dom, n).split(|c: char| c.is_ascii_whitespace() || c == '_' || c == '-').any(|w| LEAD.contains(&w))
                || (dom.name(n) == "p" && s.chars >= 60 && dom.name(dom.node(n).parent) == "header"))
    })
}

/// At most this many paragraphs between the headline and the body are taken as its lead.
const MAX_LEAD: usize = 2;

/// Paragraphs of prose between the headline (the last `<h1>` before the body) and the body:
/// a lead kept in a box of its own that no class name tells.
fn prose_after_headline(dom: &Dom, st: &[Stats], first: NodeId) -> Vec<NodeId> {
    let begin = dom.node(first).span.start;
    let Some(h1) = dom.elements("h1").take_while(|&h| dom.node(h).span.end <= begin).last() else { return Vec::new() };
    let mut out = Vec::new();
    let mut after = dom.node(h1).span.end;
    // Node ids follow the document's order.
    for n in h1 + 1..dom.nodes.len() as NodeId {
        let (node, s) = (dom.node(n), &st[n as usize]);
        if node.span.start >= begin || out.len() == MAX_LEAD {
            break;
        }
        if node.span.start >= after
            && node.span.end <= begin
            && matches!(dom.name(n), "p" | "h2" | "div")
            && !s.skipped
            && s.chars >= 60
            && link_density(s) < 0.3
            && !holds_blocks(dom, n)
            && is_lead(&crate::meta::text_of(dom, n))
        {
            out.push(n);
            after = node.span.end;
        }
    }
    out
}

/// A lead: prose, or a standfirst of a dozen words or more that ends without a stop.
fn is_lead(p: &str) -> bool {
    is_prose(p) || p.split_whitespace().count() >= 12
}

/// The cross-reference label a line starts with ("Read more: …"), if any.
fn label_of(text: &str) -> Option<&str> {
    let colon = text.find([':', '|']).filter(|&c| c <= 24)?;
    let label = text[..colon].trim();
    CROSS_REFERENCE_LABELS.contains(&label.to_lowercase().as_str()).then_some(label)
}

/// A block that is a cross-reference ("Read more: <a>…</a>"): kept although it is mostly
/// a link, so that extraction lists it. `next_text[i]`: the first text node from node `i` on.
fn is_cross_reference(dom: &Dom, next_text: &[NodeId], id: NodeId) -> bool {
    let mut head = String::new();
    // Node ids follow the document's order, and a subtree ends where its element's span
    // does: its text nodes are found without walking its (maybe many) empty elements.
    let end = dom.node(id).span.end;
    let mut t = next_text[id as usize + 1];
    while head.len() <= 30 && dom.nodes.get(t as usize).is_some_and(|n| n.span.start < end) {
        let s = dom.node(t).span;
        head.push_str(&dom.src[s.start..s.end]);
        t = next_text[t as usize + 1];
    }
    label_of(head.trim_start()).is_some()
}

/// For each node id (and one past the last), the first text node at or after it.
fn next_texts(dom: &Dom) -> Vec<NodeId> {
    let n = dom.nodes.len();
    let mut next = vec![n as NodeId; n + 1];
    for i in (0..n).rev() {
        next[i] = if matches!(dom.nodes[i].kind, NodeKind::Text(_)) { i as NodeId } else { next[i + 1] };
    }
    next
}

/// An href made absolute against the page's address; None for fragments and scripts.
fn absolute_url(base: Option<&str>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') || href.starts_with("javascript:") || href.starts_with("mailto:") {
        return None;
    }
    if href.starts_with("http://") || href.starts_with("https://") {
        return Some(href.to_string());
    }
    let Some(base) = base.filter(|b| b.contains("://")) else { return Some(href.to_string()) };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    Some(if let Some(rest) = href.strip_prefix("//") {
        format!("{}{rest}", &base[..scheme_end])
    } else if href.starts_with('/') {
        format!("{}{href}", &base[..host_end])
    } else {
        let dir_end = base[host_end..].rfind('/').map_or(base.len(), |i| host_end + i + 1);
        let dir = if dir_end > host_end { &base[..dir_end] } else { base };
        format!("{}{}{href}", dir, if dir.ends_with('/') { "" } else { "/" })
    })
}

/// A paragraph of running text: several words and a sentence's end.
fn is_prose(p: &str) -> bool {
    let words = p.split_whitespace().count();
    let cjk = p.chars().filter(|c| ('\u{3000}'..='\u{9fff}').contains(c) || ('\u{ac00}'..='\u{d7af}').contains(c)).count();
    const ENDS: [char; 14] = ['.', '!', '?', '。', '”', '"', '»', '“', '…', ')', ':', '」', '！', '？'];
    // An end mark after the last sentence ("… that book.” ❖", "■") is not part of it.
    let p = p.trim_end_matches(|c: char| c.is_whitespace() || (!c.is_ascii() && !c.is_alphanumeric() && !ENDS.contains(&c)));
    // Prose signed after its last sentence: "… to grow. – Jo Roe, engineer, Hubstaff" (a
    // name and a title, not another sentence).
    let signed = || {
        ["– ", "— ", "- "]
            .iter()
            .filter_map(|d| p.rfind(&format!(". {d}")).map(|i| &p[i + 2..]))
            .any(|tail| tail.split_whitespace().count() <= 12 && !tail.contains(". "))
    };
    (words >= 10 || cjk >= 30) && (p.ends_with(ENDS) || signed())
}

/// A line that dates the article ("Veröffentlicht: 2. Februar 2022", "24.03.2004, 19:49 | Genesis"):
/// short, no sentence, with a date or a time of day. Before the first paragraph of prose or
/// after the last, it is the page's metadata, already in `published`.
fn is_timestamp(p: &str) -> bool {
    let b = p.as_bytes();
    let time = b
        .windows(5)
        .any(|w| w[0].is_ascii_digit() && w[1].is_ascii_digit() && w[2] == b':' && w[3].is_ascii_digit() && w[4].is_ascii_digit());
    p.len() < 100 && !p.trim_end().ends_with('.') && (time || crate::meta::iso_date(p).is_some())
}

/// A line that is only a cross-reference label ("Ähnliche Beiträge", "Mehr zum Thema:"):
/// the heading of a list of links that was left out.
fn is_bare_label(p: &str) -> bool {
    let label = p.trim().trim_end_matches(|c: char| c == ':' || c == '|' || c.is_whitespace());
    label.len() < 40 && CROSS_REFERENCE_LABELS.contains(&label.to_lowercase().as_str())
}

/// Words that label an advertisement or a sponsored post, in the languages of the news.
#[rustfmt::skip]
const AD_LABELS: &[&str] = &[
    "advertisement", "anzeige", "werbung", "sponsored", "publicidad", "publicité", "pubblicità", "reklama", "advertentie",
];

/// A short line that opens with an advertisement label ("Anzeige", "*Werbung. Dieser Beitrag …").
fn is_ad_label(p: &str) -> bool {
    let first = p.trim_start_matches(|c: char| !c.is_alphanumeric()).split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    p.chars().count() < 80 && AD_LABELS.contains(&first.to_lowercase().as_str())
}

/// Words that open a picture credit in parentheses: "(Foto: dpa)".
const CREDIT_WORDS: &[&str] = &["foto", "fotos", "bild", "symbolbild", "photo", "image", "quelle", "source", "crédit", "credit"];

/// A caption or copyright line left in the text: short, with "©" or ending in a
/// parenthesised picture credit.
fn is_credit(p: &str) -> bool {
    if p.chars().count() >= 300 {
        return false;
    }
    let credit_end = p.trim_end().strip_suffix(')').and_then(|s| s.rsplit_once('(')).is_some_and(|(_, inside)| {
        let first = inside.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase();
        CREDIT_WORDS.contains(&first.as_str())
    });
    p.contains('©') || credit_end
}

fn link_density(s: &Stats) -> f32 {
    s.link_chars as f32 / s.chars.max(1) as f32
}

/// Headings and embedded posts: their lines are kept however short.
fn kept_short(dom: &Dom, id: NodeId) -> bool {
    matches!(dom.name(id), "h2" | "h3" | "h4" | "h5" | "h6" | "td" | "th" | "li") || is_embed(dom, id) || is_bold_heading(dom, id)
}

/// A paragraph all in bold: a subheading written as `<p><strong>…</strong></p>`.
fn is_bold_heading(dom: &Dom, id: NodeId) -> bool {
    let node = dom.node(id);
    dom.name(id) == "p"
        && !node.children.is_empty()
        && node.children.iter().all(|&c| match dom.node(c).kind {
            NodeKind::Text(sp) => dom.src[sp.start..sp.end].trim().is_empty(),
            _ => matches!(dom.name(c), "strong" | "b"),
        })
}

/// Cells of a table after the last prose that make it a table of data.
const MIN_TABLE_CELLS: usize = 8;

/// Lines shorter than this, neither prose nor headings, are labels of the page's furniture.
const MIN_LINE: usize = 25;

/// How much more paragraph text a parent must hold for the article to be the parent.
const CLIMB: f32 = 1.3;
const CLIMB_LEVELS: usize = 10;

/// What is pruned before scoring, from most to least: each level also prunes what the
/// levels after it prune.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pruning {
    /// Forms and elements with boilerplate class names.
    Names,
    /// Landmarks: nav, footer, aside, ARIA roles of the page's furniture.
    Landmarks,
    /// Hidden elements.
    Hidden,
}

/// Paragraph characters an element needs before a content-like class name counts for it
/// ("modal-body" holding one line is not the article's body).
const NAMED_MIN: u32 = 200;

/// Below this many bytes, an article found with boilerplate names pruned is tried again
/// without: pages whose wrappers carry names like "sidebar-layout" lose everything.
pub const SHORT: usize = 500;

/// The article's text and alignment, or None when the page has no paragraph of text.
pub fn extract(dom: &Dom, base: Option<&str>) -> Option<Content> {
    let commas = Commas::new(dom.src);
    let pruned = |pruning| extract_with(dom, pruning, base, &commas);
    let first = pruned(Pruning::Names);
    if first.as_ref().is_some_and(|c| c.text.len() >= SHORT) {
        return first;
    }
    let second = pruned(Pruning::Landmarks);
    match (first, second) {
        (Some(a), Some(b)) => Some(if b.text.len() > a.text.len() * 2 { b } else { a }),
        (None, None) => pruned(Pruning::Hidden),
        (a, b) => a.or(b),
    }
}

fn extract_with(dom: &Dom, pruning: Pruning, base: Option<&str>, commas: &Commas) -> Option<Content> {
    let st = stats(dom, pruning, commas);
    let final_score = |id: NodeId| -> f32 {
        let s = &st[id as usize];
        let words = class_words(dom, id);
        let bonus = if s.para_chars >= NAMED_MIN && matches_any(&words, POSITIVE) { 10.0 } else { 0.0 }
            + if dom.name(id) == "article" { 10.0 } else { 0.0 };
        (s.score + bonus) * (1.0 - link_density(s))
    };
    // Each candidate scored once (the score reads class names), then the best.
    let (mut top, _) = (1..dom.nodes.len() as NodeId)
        .filter(|&i| st[i as usize].score > 0.0)
        .map(|i| (i, final_score(i)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    // An article split into chunks (a wrapper per paragraph, ads between, paywall
    // sections) wins as one chunk: climb to an ancestor a few levels up that holds
    // clearly more paragraph text.
    'climb: loop {
        let mut anc = top;
        for _ in 0..CLIMB_LEVELS {
            anc = dom.node(anc).parent;
            if anc == 0 || matches!(dom.name(anc), "body" | "html") || st[anc as usize].skipped {
                break 'climb;
            }
            let (a, t) = (&st[anc as usize], &st[top as usize]);
            if a.para_chars as f32 >= t.para_chars as f32 * CLIMB && link_density(a) <= 0.4 {
                top = anc;
                continue 'climb;
            }
        }
        break;
    }
    let top_score = final_score(top);
    let parent = dom.node(top).parent;
    let threshold = (top_score * 0.2).max(10.0);
    let mut parts = Vec::new();
    for &sib in &dom.node(parent).children {
        let s = &st[sib as usize];
        if sib == top {
            parts.push(sib);
        } else if !s.skipped && s.chars > 0 {
            let short_para = dom.name(sib) == "p" && s.chars > 80 && link_density(s) < 0.25;
            if final_score(sib) >= threshold || short_para {
                parts.push(sib);
            }
        }
    }
    if let Some(lead) = lead_before(dom, &st, top, parts[0]) {
        parts.insert(0, lead);
    } else {
        parts.splice(0..0, prose_after_headline(dom, &st, parts[0]));
    }
    let mut w = TextWriter::new(dom, base);
    let mut last: Option<NodeId> = None;
    for p in parts {
        // Embeds between two parts of the article (a tweet in a box of its own between
        // paragraphs) are the article's too.
        if let Some(prev) = last.filter(|&l| dom.node(l).parent == dom.node(p).parent) {
            let siblings = &dom.node(dom.node(p).parent).children;
            let from = siblings.iter().position(|&c| c == prev).map_or(0, |k| k + 1);
            for &c in siblings[from..].iter().take_while(|&&c| c != p) {
                if !st[c as usize].skipped || may_hold_embed(dom, c) {
                    w.embeds_within(c);
                }
            }
        }
        w.render(p, &st);
        last = Some(p);
    }
    let content = w.finish_trimmed();
    (!content.text.trim().is_empty()).then_some(content)
}

/// The embeds met while writing `text`, their spans moved by `map` and trimmed of white space.
fn read_embeds(dom: &Dom, marks: &[EmbedMark], text: &str, map: impl Fn(usize, usize) -> (usize, usize)) -> Vec<Embed> {
    marks
        .iter()
        .map(|&(id, platform, kind, a, b)| {
            let (a, b) = map(a, b);
            let b = b.max(a);
            let t = &text[a..b];
            let a = a + (t.len() - t.trim_start().len());
            embeds::read(dom, id, platform, kind, Span::new(a, a.max(a + t.trim().len())))
        })
        .collect()
}

/// An embed met while writing: the element, its platform and kind, and the text it wrote.
type EmbedMark = (NodeId, &'static str, &'static str, usize, usize);

/// The links inside `a..b` of the text; `links` are in the text's order (an anchor inside
/// another replaces it), so this is a search, not a scan of all of them.
fn links_within(links: &[Hyperlink], a: usize, b: usize) -> impl Iterator<Item = &Hyperlink> {
    let from = links.partition_point(|h| h.span.start < a);
    links[from..].iter().take_while(move |h| h.span.start <= b).filter(move |h| h.span.end <= b)
}

/// Characters that show nothing and would split words for search: soft hyphen, zero-width
/// space, word joiner, zero-width no-break space.
const INVISIBLE: [char; 4] = ['\u{ad}', '\u{200b}', '\u{2060}', '\u{feff}'];

/// Renders elements as paragraphs of text: whitespace collapsed, references decoded,
/// blocks separated by blank lines, and every piece aligned to its bytes in the page.
pub struct TextWriter<'d, 'a> {
    dom: &'d Dom<'a>,
    /// The page's address, to make links absolute.
    base: Option<&'d str>,
    text: String,
    align: Alignment,
    space: bool,
    lines: u8,
    hyperlinks: Vec<Hyperlink>,
    /// The anchor being written: its URL and where its text starts, once it has text.
    anchor: Option<(String, Option<usize>)>,
    /// Open headings (h2–h6) and embedded posts around what is being written: their lines
    /// are kept however short.
    in_kept: usize,
    /// Where each paragraph starts in `text`, whether it is kept however short, and whether
    /// it is a table's cell.
    paragraphs: Vec<(usize, bool, bool)>,
    /// Open table cells around what is being written.
    in_cells: usize,
    /// `next_texts`, made when a link list is first met.
    next_text: OnceCell<Vec<NodeId>>,
    embeds: Vec<EmbedMark>,
    /// Embed elements open around what is being written (one inside another is one).
    in_embeds: usize,
}

impl<'d, 'a> TextWriter<'d, 'a> {
    pub fn new(dom: &'d Dom<'a>, base: Option<&'d str>) -> Self {
        let (text, align, hyperlinks) = (String::new(), Alignment::builder(), Vec::new());
        let (paragraphs, next_text) = (Vec::new(), OnceCell::new());
        let embeds = Vec::new();
        TextWriter {
            dom,
            base,
            text,
            align,
            space: false,
            lines: 0,
            hyperlinks,
            anchor: None,
            in_kept: 0,
            paragraphs,
            in_cells: 0,
            next_text,
            embeds,
            in_embeds: 0,
        }
    }

    fn block(&mut self) {
        if !self.text.is_empty() {
            self.lines = 2;
        }
        self.space = false;
    }

    /// Appends a run of page text, `span` of the page.
    pub fn run(&mut self, span: Span) {
        let src = &self.dom.src[span.start..span.end];
        let mut i = 0;
        let b = src.as_bytes();
        while i < b.len() {
            let c = b[i];
            if c >= 0xC2 {
                if let Some(ch) = src[i..].chars().next().filter(|&ch| INVISIBLE.contains(&ch)) {
                    i += ch.len_utf8();
                    continue;
                }
            }
            if c.is_ascii_whitespace() || src[i..].starts_with('\u{a0}') {
                self.space = !self.text.is_empty() && self.lines == 0;
                i += if c == 0xC2 { 2 } else { 1 };
                continue;
            }
            let at = span.start + i;
            if self.text.is_empty() || self.lines >= 2 {
                let start = self.text.len() + if self.text.is_empty() { 0 } else { 2 };
                if self.paragraphs.last().is_none_or(|p| p.0 != start) {
                    self.paragraphs.push((start, self.in_kept > 0, self.in_cells > 0));
                }
            }
            if self.lines > 0 {
                self.text.push_str(if self.lines >= 2 { "\n\n" } else { "\n" });
                self.lines = 0;
                self.space = false;
            } else if self.space {
                self.text.push(' ');
                self.space = false;
            }
            if let Some((_, start @ None)) = &mut self.anchor {
                *start = Some(self.text.len());
            }
            if c == b'&' {
                if let Some((ch, len)) = entity::reference(&src[i..]) {
                    self.align.push(self.text.len(), at);
                    if ch == '\u{a0}' || ch.is_whitespace() {
                        self.space = !self.text.is_empty();
                    } else if !INVISIBLE.contains(&ch) {
                        self.text.push(ch);
                    }
                    i += len;
                    self.align.push(self.text.len(), span.start + i);
                    continue;
                }
            }
            // A run of plain characters up to the next space or reference.
            let end = src[i..]
                .find(|ch: char| ch.is_ascii_whitespace() || ch == '&' || ch == '\u{a0}' || INVISIBLE.contains(&ch))
                .map_or(src.len(), |k| i + k.max(1));
            self.align.push(self.text.len(), at);
            let word = &src[i..end];
            // Composed (NFC), as search and quotes compare text: pages mix "ড়" and "ড়".
            if word.is_ascii() || is_nfc_quick(word.chars()) == IsNormalized::Yes {
                self.text.push_str(word);
            } else {
                let from = self.text.len();
                self.text.extend(word.nfc());
                // Composed, the word is shorter or longer than written (U+2ADC is U+2ADD
                // U+0338): each character maps to the start of a written one, in order, so
                // that no offset lands inside a character (or past the word) of the source.
                let starts = self.text[from..]
                    .char_indices()
                    .skip(1)
                    .map(|(j, _)| (from + j, at + (0..=j.min(word.len() - 1)).rev().find(|&b| word.is_char_boundary(b)).unwrap_or(0)))
                    .collect::<Vec<_>>();
                for (t, s) in starts {
                    self.align.push(t, s);
                }
                self.align.push(self.text.len(), span.start + end);
            }
            i = end;
        }
    }

    /// Renders `root`'s subtree, leaving out what the stats mark as skipped.
    fn render(&mut self, root: NodeId, st: &[Stats]) {
        // (node, entering, inside an embedded post): an explicit stack, so deep pages
        // cannot overflow the call stack.
        let mut stack = vec![(root, true, false, false)];
        while let Some((id, entering, in_embed, embed)) = stack.pop() {
            let name = self.dom.name(id);
            if !entering {
                if BLOCK.contains(&name) {
                    self.block();
                }
                if kept_short(self.dom, id) {
                    self.in_kept -= 1;
                }
                if matches!(name, "td" | "th") {
                    self.in_cells -= 1;
                }
                if embed {
                    self.in_embeds -= 1;
                    if let Some(e) = self.embeds.last_mut().filter(|_| self.in_embeds == 0) {
                        e.4 = self.text.len();
                    }
                }
                if name == "a" {
                    if let Some((url, Some(start))) = self.anchor.take() {
                        self.hyperlinks.push(Hyperlink { span: Span::new(start, self.text.len()), url });
                    }
                }
                continue;
            }
            let s = &st[id as usize];
            if s.skipped {
                if may_hold_embed(self.dom, id) {
                    self.embeds_within(id);
                }
                continue;
            }
            match self.dom.node(id).kind {
                NodeKind::Text(span) => self.run(span),
                NodeKind::Raw(_) => {}
                NodeKind::Element { .. } => {
                    if name == "br" {
                        if !self.text.is_empty() && self.lines == 0 {
                            self.lines = 1;
                        }
                        continue;
                    }
                    let in_embed = in_embed || is_embed(self.dom, id);
                    let link_list = BLOCK.contains(&name)
                        && link_density(s) > 0.5
                        && !in_embed
                        && !is_cross_reference(self.dom, self.next_text.get_or_init(|| next_texts(self.dom)), id);
                    if name == "h1" || link_list {
                        // The headline is the title; link lists are navigation, or an embed
                        // with no text but its link.
                        self.embeds_within(id);
                        continue;
                    }
                    if name == "a" {
                        self.anchor = self.dom.attr(id, "href").and_then(|h| absolute_url(self.base, &h)).map(|u| (u, None));
                    }
                    if BLOCK.contains(&name) {
                        self.block();
                    }
                    if kept_short(self.dom, id) {
                        self.in_kept += 1;
                    }
                    if matches!(name, "td" | "th") {
                        self.in_cells += 1;
                    }
                    let embed = embeds::kind_of(self.dom, id);
                    if let Some((platform, kind)) = embed.filter(|_| self.in_embeds == 0) {
                        self.embeds.push((id, platform, kind, self.text.len(), self.text.len()));
                    }
                    self.in_embeds += usize::from(embed.is_some());
                    stack.push((id, false, in_embed, embed.is_some()));
                    stack.extend(self.dom.node(id).children.iter().rev().map(|&c| (c, true, in_embed, false)));
                }
            }
        }
    }

    /// The embeds in a subtree that is not written: they stand where the text is now.
    fn embeds_within(&mut self, root: NodeId) {
        let at = self.text.len();
        embeds::within(self.dom, root, |e, platform, kind| self.embeds.push((e, platform, kind, at, at)));
    }

    pub fn finish(self) -> Content {
        let len = self.text.len();
        let embeds = read_embeds(self.dom, &self.embeds, &self.text, |a, b| (a, b));
        Content { text: self.text, alignment: self.align.finish(len), hyperlinks: self.hyperlinks, embeds }
    }

    /// Like `finish`, but keeping only the article's paragraphs: up to the last paragraph of
    /// prose ("More from …" after it is dropped; a lead before the first is kept), and of those,
    /// headings, prose, cross-references and lines of some length, not the short labels of
    /// buttons and boxes ("Share", "Subscribe", "Box aufklappen").
    fn finish_trimmed(self) -> Content {
        let ends: Vec<usize> = self.paragraphs.iter().skip(1).map(|&(start, ..)| start - 2).chain([self.text.len()]).collect();
        let paras: Vec<(usize, usize, bool, bool)> = self.paragraphs.iter().zip(ends).map(|(&(s, h, c), e)| (s, e, h, c)).collect();
        let (dom, marks) = (self.dom, self.embeds.clone());
        let Content { text, alignment, hyperlinks, embeds } = self.finish();
        let linked = |a: usize, b: usize| label_of(&text[a..b]).is_some() && links_within(&hyperlinks, a, b).next().is_some();
        // A paragraph is prose, or holds a line of prose of ten words or more among lines
        // split by <br> ("Date: …<br>Location: …<br>The event …. <br>Registration: …").
        let prose = |&&(a, b, ..): &&(usize, usize, bool, bool)| {
            let p = &text[a..b];
            is_prose(p) || p.split('\n').any(|l| is_prose(l) && l.split_whitespace().count() >= 10)
        };
        let (true, Some(last)) = (paras.iter().any(|p| prose(&p)), paras.iter().rposition(|p| prose(&p) || linked(p.0, p.1))) else {
            return Content { text, alignment, hyperlinks, embeds };
        };
        let first = paras.iter().position(|p| prose(&p)).unwrap_or(0);
        let last_prose = paras.iter().rposition(|p| prose(&p)).unwrap_or(last);
        // A table of data right after the last prose is the article's (a row or two of
        // cells is a layout's).
        let cells = paras[last + 1..].iter().take_while(|p| p.3).count();
        let last = last + if cells >= MIN_TABLE_CELLS { cells } else { 0 };
        let mut out = Content { text: String::new(), alignment: Alignment::builder(), hyperlinks: Vec::new(), embeds: Vec::new() };
        // The paragraphs kept: where each was and where it is now.
        let mut kept: Vec<(usize, usize, usize)> = Vec::new();
        for (k, &(a, b, heading, _)) in paras[..=last].iter().enumerate() {
            let line = &text[a..b];
            if !(heading || is_prose(line) || linked(a, b) || line.chars().count() >= MIN_LINE)
                || is_credit(line)
                || is_ad_label(line)
                || is_bare_label(line)
                || ((k < first || k > last_prose) && is_timestamp(line))
            {
                continue;
            }
            if !out.text.is_empty() {
                out.text.push_str("\n\n");
            }
            let at = out.text.len();
            kept.push((a, b, at));
            out.alignment.extend(&alignment.slice(a, b), at);
            out.text.push_str(line);
            out.hyperlinks.extend(
                links_within(&hyperlinks, a, b)
                    .map(|h| Hyperlink { span: Span::new(h.span.start - a + at, h.span.end - a + at), url: h.url.clone() }),
            );
        }
        let len = out.text.len();
        out.alignment = out.alignment.finish(len);
        // An embed's text is what is left of it; one whose text went stands where it was.
        let moved = |p: usize, start: bool| match kept.iter().position(|&(_, b, _)| if start { b > p } else { b >= p }) {
            Some(k) => kept[k].2 + p.max(kept[k].0).min(kept[k].1) - kept[k].0,
            None => len,
        };
        out.embeds = read_embeds(dom, &marks, &out.text, |a, b| (moved(a, true), moved(b, false)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Node visits to read a page's main content and metadata.
    fn visits(page: &str) -> usize {
        let dom = Dom::parse(page);
        let before = dom.visits();
        extract(&dom, None);
        crate::meta::read(&dom);
        dom.visits() - before
    }

    #[test]
    fn work_grows_linearly_with_hostile_markup() {
        let s = "The council met on Monday, and the mayor said the roads would reopen soon.";
        // Each shape at n levels (or n siblings), below the parser's depth limit.
        let shapes: [(&str, &dyn Fn(usize) -> String); 9] = [
            ("nested spans", &|n| "<span>".repeat(n) + "<p>" + s),
            ("unclosed spans with text", &|n| format!("<span>{s} ").repeat(n)),
            ("nested divs", &|n| "<div>".repeat(n) + "<p>" + s + &"</div>".repeat(n)),
            ("nested tables", &|n| format!("<table><tr><td><p>{s}</p>").repeat(n / 4)),
            ("nested cross-references", &|n| "<div>".repeat(n) + "Read more: <a href=\"/x\">the roads would reopen soon</a>"),
            ("inline blocks after a headline", &|n| "<h1>H</h1>".to_string() + &format!("<div><span>{s}").repeat(n / 2)),
            ("empty headlines", &|n| format!("<p>{s}</p>") + &"<h1>".repeat(n)),
            ("ruby readings", &|n| "<p>".to_string() + &"<rt>w</rt>".repeat(n * 10)),
            ("linked paragraphs", &|n| format!("<div><p>{s} <a href=\"/x\">Read</a></p>").repeat(n)),
        ];
        for (name, shape) in shapes {
            let (small, large) = (shape(100), shape(400));
            let (a, b) = (visits(&small), visits(&large));
            let growth = b as f64 / a as f64 / (large.len() as f64 / small.len() as f64);
            // Linear: 1; quadratic: 4.
            assert!(growth < 1.5, "{name}: {a} node visits, then {b} for {}x the page", large.len() / small.len());
        }
    }
}

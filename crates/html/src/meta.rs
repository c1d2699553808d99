//! What a page says about its article besides the text: JSON-LD first (what publishers
//! give search engines), then OpenGraph and other meta tags, then the markup itself.

use serde_json::Value;

use crate::dom::{Dom, NodeId, NodeKind};
use crate::entity;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub outlet: Option<String>,
    pub canonical_url: Option<String>,
    /// JSON-LD `articleBody`, when the page gives one.
    pub body: Option<String>,
}

#[rustfmt::skip]
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle", "BlogPosting", "LiveBlogPosting",
    "Report", "BackgroundNewsArticle", "ScholarlyArticle", "TechArticle", "SocialMediaPosting", "ClaimReview",
];

/// Class names of the element that holds the byline.
const BYLINE_CLASSES: &[&str] = &["byline", "author", "author-name", "authorname", "byline__author", "article-author", "story-byline"];

fn clean(s: &str) -> Option<String> {
    let s = entity::decode(s.trim()).replace('\u{ad}', "");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

pub(crate) fn text_of(dom: &Dom, id: NodeId) -> String {
    let mut out = String::new();
    for d in std::iter::once(id).chain(dom.descendants(id)) {
        if let NodeKind::Text(s) | NodeKind::Raw(s) = dom.node(d).kind {
            // Inline elements join without a space, as a browser shows them.
            out.push_str(&dom.src[s.start..s.end]);
        }
    }
    clean(&out).unwrap_or_default()
}

/// `<meta property|name|itemprop=KEY content=…>` values, keys lower-cased.
fn meta_tags(dom: &Dom) -> Vec<(String, String)> {
    dom.elements("meta")
        .filter_map(|m| {
            let key = dom.attr(m, "property").or_else(|| dom.attr(m, "name")).or_else(|| dom.attr(m, "itemprop"))?;
            let content = clean(&dom.attr(m, "content")?)?;
            Some((key.to_ascii_lowercase(), content))
        })
        .collect()
}

fn is_article(v: &Value) -> bool {
    match v.get("@type") {
        Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
        _ => false,
    }
}

/// Article objects anywhere in a JSON-LD value (top level, arrays, `@graph`).
fn articles<'v>(v: &'v Value, out: &mut Vec<&'v Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| articles(x, out, depth + 1)),
        Value::Object(o) => {
            if is_article(v) {
                out.push(v);
            }
            if let Some(g) = o.get("@graph") {
                articles(g, out, depth + 1);
            }
            if let Some(m) = o.get("mainEntity") {
                articles(m, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.extend(split_names(s)),
        Value::Array(a) => a.iter().for_each(|x| names(x, out)),
        Value::Object(o) => {
            if let Some(n) = o.get("name") {
                names(n, out);
            }
        }
        _ => {}
    }
}

/// "A, B and C" → three names; URLs and empty strings are not names.
fn split_names(s: &str) -> Vec<String> {
    let s = s.trim();
    if s.starts_with("http") || s.contains("://") || s.is_empty() {
        return Vec::new();
    }
    let s = s
        .strip_prefix("By ")
        .or_else(|| s.strip_prefix("by "))
        .or_else(|| s.strip_prefix("Von "))
        .or_else(|| s.strip_prefix("von "))
        .unwrap_or(s);
    let mut parts = vec![s.to_string()];
    for sep in [",", ";", "|", "&", " and ", " und ", " og ", " y ", " et ", " e ", " en "] {
        parts = parts
            .iter()
            .flat_map(|p| {
                let pieces: Vec<String> = p.split(sep).map(str::to_string).collect();
                // "Maria & Katerina" is one byline (a duo's name); "Jo Bloggs & Ann Lee" two.
                let names = pieces.iter().all(|n| n.split_whitespace().count() >= 2);
                if sep == "&" && !names {
                    vec![p.clone()]
                } else {
                    pieces
                }
            })
            .collect();
    }
    parts
        .iter()
        // "Elena Oberholzer (obe)": the initials in brackets are not the name, and "신현주
        // 기자" is the reporter 신현주.
        .map(|p| p.split_once(" (").map_or(p.as_str(), |(name, _)| name))
        .map(|p| p.trim().strip_suffix(" 기자").unwrap_or(p))
        .filter_map(clean)
        // "(Image: Getty Images)": a picture credit in a byline.
        .filter(|n| n.chars().any(char::is_alphabetic) && n.len() < 80 && !n.contains('@') && !n.starts_with('('))
        .collect()
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => clean(s),
        Value::Array(a) => str_of(a.first()),
        Value::Object(o) => str_of(o.get("name").or_else(|| o.get("@id")).or_else(|| o.get("url"))),
        _ => None,
    }
}

pub fn read(dom: &Dom) -> PageMeta {
    let mut m = PageMeta::default();
    let mut found = Vec::new();
    let lds: Vec<Value> = dom
        .elements("script")
        .filter(|&s| dom.attr(s, "type").is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")))
        .filter_map(|s| {
            let raw = dom.node(s).children.first().and_then(|&c| match dom.node(c).kind {
                NodeKind::Raw(sp) => Some(&dom.src[sp.start..sp.end]),
                _ => None,
            })?;
            serde_json::from_str(raw.trim().trim_end_matches(';')).ok()
        })
        .collect();
    for v in &lds {
        articles(v, &mut found, 0);
    }
    if let Some(a) = found.first() {
        m.title = str_of(a.get("headline"));
        names(a.get("author").unwrap_or(&Value::Null), &mut m.authors);
        m.published = str_of(a.get("datePublished")).filter(|d| is_date(d)).or_else(|| str_of(a.get("dateCreated")).filter(|d| is_date(d)));
        m.outlet = a.get("publisher").and_then(|p| str_of(p.get("name")));
        m.language = str_of(a.get("inLanguage"));
        m.body = a.get("articleBody").and_then(|b| b.as_str()).map(str::to_string);
    }
    let tags = meta_tags(dom);
    let tag = |keys: &[&str]| keys.iter().find_map(|k| tags.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
    // The first headline with text. Those inside an empty one are empty too: skipped, as
    // nested headings would be read again and again.
    let (mut h1, mut empty_until) = (None, 0);
    for h in dom.elements("h1") {
        if dom.node(h).span.start < empty_until {
            continue;
        }
        let text = text_of(dom, h);
        if !text.is_empty() {
            h1 = Some(text);
            break;
        }
        empty_until = dom.node(h).span.end;
    }
    let og_title = tag(&["og:title", "twitter:title", "dc.title", "title"]);
    // The JSON-LD headline; else the page's <h1> when OpenGraph agrees it is the headline
    // (a first <h1> can be the site's name); else OpenGraph, <h1>, <title>.
    let og = og_title.clone();
    m.title = match (m.title.take(), h1, og_title) {
        // "Headline | Section" in JSON-LD, "Headline" on the page.
        (Some(ld), Some(h), _)
            if ld.len() > h.len() && ld.starts_with(&h) && [" | ", " - ", " – "].iter().any(|s| ld[h.len()..].starts_with(s)) =>
        {
            Some(h)
        }
        (Some(ld), _, _) => Some(ld),
        (None, Some(h), Some(og)) if overlap(&h, &og) => Some(h),
        (None, h, og) => og.or(h).or_else(|| dom.elements("title").next().map(|t| text_of(dom, t))).filter(|t| !t.is_empty()),
    };
    // "Kicker: Headline" where OpenGraph gives the headline alone: the kicker is a label.
    if let (Some(t), Some(og)) = (&m.title, og) {
        if t.len() > og.len() && t.ends_with(&og) && t[..t.len() - og.len()].trim_end().ends_with(':') {
            m.title = Some(og);
        }
    }
    m.title = m.title.map(|t| without_site_name(t, m.outlet.as_deref().or(tag(&["og:site_name"]).as_deref())));
    if m.authors.is_empty() {
        for key in ["author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl", "cxenseparse:author"] {
            for (_, v) in tags.iter().filter(|(k, _)| k == key) {
                m.authors.extend(split_names(v));
            }
            if !m.authors.is_empty() {
                break;
            }
        }
    }
    if m.authors.is_empty() {
        if let Some(b) = dom
            .descendants(0)
            .find(|&n| dom.attr(n, "rel").is_some_and(|r| r == "author") || dom.attr(n, "itemprop").is_some_and(|r| r == "author"))
        {
            m.authors = split_names(&text_of(dom, b));
        }
    }
    if m.authors.is_empty() {
        // A byline element: "By Jo Bloggs and Ann Lee".
        let byline = dom.descendants(0).find(|&n| {
            dom.attr(n, "class")
                .is_some_and(|c| c.split_ascii_whitespace().any(|w| BYLINE_CLASSES.contains(&w.to_ascii_lowercase().as_str())))
        });
        if let Some(b) = byline {
            let text = text_of(dom, b);
            if text.len() < 120 {
                m.authors = split_names(&text);
            }
        }
    }
    let mut seen = Vec::new();
    m.authors.retain(|a| {
        let keep = !seen.contains(a);
        seen.push(a.clone());
        keep
    });
    if m.published.is_none() {
        let keys = [
            "article:published_time",
            "article:published:time",
            "datepublished",
            "date",
            "pubdate",
            "publishdate",
            "dc.date",
            "dc.date.issued",
            "sailthru.date",
            "parsely-pub-date",
            "og:published_time",
            "article.published",
        ];
        m.published = keys
            .iter()
            .flat_map(|k| tags.iter().filter(move |(key, _)| key == k).map(|(_, v)| v.clone()))
            .chain(dom.elements("time").filter_map(|t| dom.attr(t, "datetime")).filter_map(|d| clean(&d)))
            .find(|d| is_date(d));
    }
    m.published = m.published.map(|d| iso_date(&d).unwrap_or(d));
    if m.outlet.is_none() {
        m.outlet = tag(&["og:site_name", "application-name", "publisher"]);
    }
    m.canonical_url = dom
        .elements("link")
        .find(|&l| dom.attr(l, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")))
        .and_then(|l| dom.attr(l, "href"))
        .filter(|h| h.starts_with("http"))
        .or_else(|| tag(&["og:url"]));
    if m.published.is_none() {
        m.published = m.canonical_url.as_deref().and_then(date_in_path);
    }
    if m.language.is_none() {
        m.language = dom
            .elements("html")
            .find_map(|h| dom.attr(h, "lang"))
            .and_then(|l| clean(&l))
            .or_else(|| tag(&["og:locale", "content-language", "language"]));
    }
    m.language = m.language.map(|l| l.replace('_', "-"));
    m
}

/// Dates are read by one function for every reader.
pub use sayso_doc::iso_date;

/// A real publication date: not a placeholder (`0001-01-01`, `1970-01-01`, a year before
/// news were on the web), which some publishers' templates write where they have none.
fn is_date(d: &str) -> bool {
    iso_date(d).is_some_and(|iso| !iso.starts_with("1970-01-01") && iso.as_str() >= "1995")
}

/// The day in an article's address: `/2019/11/19/`.
fn date_in_path(url: &str) -> Option<String> {
    let parts: Vec<&str> = url.split('/').collect();
    parts.windows(3).find_map(|w| {
        let ok = w[0].len() == 4 && (1..=2).contains(&w[1].len()) && (1..=2).contains(&w[2].len());
        let all_digits = w.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        (ok && all_digits).then(|| format!("{}-{}-{}", w[0], w[1], w[2])).and_then(|d| iso_date(&d)).filter(|d| is_date(d))
    })
}

/// A title without the site's name after a separator ("… - Golem.de", "… | MDR.DE",
/// "…-정치ㅣ한국일보" with the section before the name).
fn without_site_name(title: String, outlet: Option<&str>) -> String {
    let outlet = outlet.map(str::to_lowercase).filter(|o| !o.is_empty());
    // Separators with spaces, then without: those need the outlet's whole name after them.
    for (sep, spaced) in [(" | ", true), (" - ", true), (" – ", true), (" — ", true), (" :: ", true), ("-", false), ("|", false)] {
        let Some((head, tail)) = title.rsplit_once(sep) else { continue };
        let tail_l = tail.trim().to_lowercase();
        let domain = spaced && !tail_l.contains(' ') && tail_l.contains('.');
        let names_outlet = outlet.as_ref().is_some_and(|o| (spaced && o.contains(&tail_l)) || tail_l.contains(o.as_str()));
        if (domain || names_outlet) && head.split_whitespace().count() >= 3 {
            return head.trim().to_string();
        }
    }
    title
}

/// Whether two titles share most of their words (one may carry the site's name).
fn overlap(a: &str, b: &str) -> bool {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let shared = wa.iter().filter(|w| b.contains(*w)).count();
    !wa.is_empty() && shared * 10 >= wa.len() * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_ld_and_meta_tags() {
        let page = r#"<html lang="en_GB"><head><title>Budget row | The Daily</title>
            <meta property="og:title" content="Budget row deepens">
            <meta property="og:site_name" content="The Daily">
            <link rel="canonical" href="https://daily.example/a/1">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},
              {"@type":"NewsArticle","headline":"Budget row deepens","datePublished":"2024-05-03T10:00:00Z",
               "author":[{"@type":"Person","name":"Jane Roe"},{"@type":"Person","name":"John Doe"}]}]}</script>
            </head><body><h1>Budget row deepens</h1></body></html>"#;
        let dom = Dom::parse(page);
        let m = read(&dom);
        assert_eq!(m.title.as_deref(), Some("Budget row deepens"));
        assert_eq!(m.authors, ["Jane Roe", "John Doe"]);
        assert_eq!(m.published.as_deref(), Some("2024-05-03T10:00:00Z"));
        assert_eq!(m.outlet.as_deref(), Some("The Daily"));
        assert_eq!(m.canonical_url.as_deref(), Some("https://daily.example/a/1"));
        assert_eq!(m.language.as_deref(), Some("en-GB"));
    }

    #[test]
    fn placeholder_dates_fall_back_to_the_next_source() {
        let date = |head: &str| read(&Dom::parse(head)).published;
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"0001-01-01T00:00:00Z"}</script>"#;
        assert_eq!(
            date(&format!(
                r#"{ld}<meta property="article:published_time" content="1970-01-01T00:00:00Z"><time datetime="2019-11-19T08:00:00Z">"#
            ))
            .as_deref(),
            Some("2019-11-19T08:00:00Z")
        );
        assert_eq!(
            date(&format!(r#"{ld}<link rel="canonical" href="https://daily.example/news/2019/11/19/bridge-closes">"#)).as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(date(ld), None);
        let fact_check = r#"<script type="application/ld+json">{"@type":"ClaimReview","datePublished":"2026-05-13 15:44"}</script>"#;
        assert_eq!(date(fact_check).as_deref().map(|d| &d[..10]), Some("2026-05-13"));
    }

    #[test]
    fn bylines_from_meta_when_no_json_ld() {
        let dom =
            Dom::parse(r#"<meta name="author" content="By Ann Lee and Bo Chan"><meta name="author" content="https://x.example/ann">"#);
        assert_eq!(read(&dom).authors, ["Ann Lee", "Bo Chan"]);
        let decoded = |content: &str| read(&Dom::parse(&format!(r#"<meta name="author" content="{content}">"#))).authors;
        assert_eq!(decoded("Maria &amp; Katerina"), ["Maria & Katerina"]);
        assert_eq!(decoded("Jo Bloggs &amp; Ann Lee"), ["Jo Bloggs", "Ann Lee"]);
        assert_eq!(decoded("Emma Mackenzie, (Image: Getty Images)"), ["Emma Mackenzie"]);
        assert_eq!(decoded("신현주 기자"), ["신현주"]);
    }

    #[test]
    fn titles_lose_kickers_and_site_names() {
        let title = |head: &str| read(&Dom::parse(head)).title;
        let kicker = r#"<meta property="og:title" content="Council closes the bridge">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Traffic: Council closes the bridge"}</script>"#;
        assert_eq!(title(kicker).as_deref(), Some("Council closes the bridge"));
        let unspaced = r#"<meta property="og:site_name" content="Daily"><title>Council closes the old bridge-Local|Daily</title>"#;
        assert_eq!(title(unspaced).as_deref(), Some("Council closes the old bridge"));
        let hyphen = r#"<meta property="og:site_name" content="Daily"><title>Council closes the bridge at Baden-Baden</title>"#;
        assert_eq!(title(hyphen).as_deref(), Some("Council closes the bridge at Baden-Baden"));
    }
}

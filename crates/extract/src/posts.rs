//! Embedded social posts: those the page's markup embeds (a tweet's blockquote, a YouTube
//! iframe: `Layers::embeds`), and those in the form they take in an article's text: the
//! post, then "— Name (@handle) May 1, 2024" (how an embedded tweet reads, and how one is
//! pasted), or "A post shared by Name (@handle)" (Instagram). A post is a statement by its
//! author, not by the article's speakers; its attribution line is never a statement's cue.

use sayso_doc::{iso_date, Document, Embed, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    pub platform: &'static str,
    /// "post" or "video".
    pub kind: &'static str,
    /// Display name; "" where neither the markup nor the text names one.
    pub author: String,
    /// Where the author is named in the text.
    pub author_span: Option<Span>,
    /// With its '@'.
    pub handle: Option<String>,
    /// ISO 8601.
    pub date: Option<String>,
    /// The date as written.
    pub date_text: Option<String>,
    pub url: Option<String>,
    /// The platform's id of the post.
    pub id: Option<String>,
    /// A video's title.
    pub title: Option<String>,
    /// The post's own text; empty, where the embed stands, when the article does not hold it.
    pub text: Span,
    /// The attribution line ("— Name (@handle) date").
    pub attribution: Option<Span>,
}

const DASHES: &[&str] = &["— ", "– ", "-- ", "- ", "—", "–"];
const INSTAGRAM: &str = "A post shared by ";

/// A handle as the platforms allow it: letters, digits, '_' and '.', at most 30.
fn is_handle(h: &str) -> bool {
    !h.is_empty() && h.len() <= 30 && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

fn trimmed(doc: &Document, s: Span) -> Span {
    let t = &doc.text[s.start..s.end];
    let start = s.start + (t.len() - t.trim_start().len());
    Span::new(start, start.max(s.start + t.trim_end().len()))
}

/// The status URL written in the text, if any.
fn status_url(text: &str) -> Option<String> {
    let at = text.find("/status/")?;
    let start = text[..at].rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
    let end = at + text[at..].find(|c: char| c.is_whitespace()).unwrap_or(text.len() - at);
    let url = text[start..end].trim_end_matches(['.', ',', ')']);
    (url.contains("twitter.com/") || url.contains("x.com/")).then(|| url.to_string())
}

/// The article's posts in text order: each embed of the markup (with what the text says of
/// it, where the text holds its attribution line), then the posts pasted as text.
pub fn find(doc: &Document) -> Vec<Post> {
    let mut pasted = in_text(doc);
    let mut out: Vec<Post> = Vec::with_capacity(doc.layers.embeds.len() + pasted.len());
    for (k, e) in doc.layers.embeds.iter().enumerate() {
        // A player given twice (a script's and a <noscript> fallback) is one embed.
        if e.url.is_some() && doc.layers.embeds[..k].iter().any(|f| f.url == e.url) {
            continue;
        }
        let inside = |s: Span| e.span.start <= s.start && s.end <= e.span.end && e.span.start < e.span.end;
        let read = pasted.iter().position(|p| p.attribution.is_some_and(inside)).map(|k| pasted.remove(k));
        out.push(from_embed(doc, e, read));
    }
    out.extend(pasted);
    out.sort_by_key(|p| p.text.start);
    out
}

/// A post of the markup, completed by what the text says of it.
fn from_embed(doc: &Document, e: &Embed, read: Option<Post>) -> Post {
    let text = if e.platform == "instagram" && read.is_none() { Span::new(e.span.start, e.span.start) } else { e.span };
    let mut p = read.unwrap_or_else(|| Post {
        platform: e.platform,
        kind: e.kind,
        author: e.author.clone().unwrap_or_default(),
        author_span: None,
        handle: None,
        date: None,
        date_text: None,
        url: None,
        id: None,
        title: None,
        text,
        attribution: None,
    });
    if p.author_span.is_none() && !p.author.is_empty() {
        p.author_span = doc.text[p.text.start..e.span.end.max(p.text.start)].find(&p.author).map(|k| {
            let at = p.text.start + k;
            Span::new(at, at + p.author.len())
        });
    }
    (p.platform, p.kind) = (e.platform, e.kind);
    p.handle = e.handle.clone().or(p.handle);
    p.date = e.date.clone().or(p.date);
    p.date_text = e.date_text.clone().or(p.date_text);
    p.url = e.url.clone().or(p.url);
    p.id = e.id.clone();
    p.title = e.title.clone();
    p
}

/// Posts as the text gives them: the post, then its attribution line.
fn in_text(doc: &Document) -> Vec<Post> {
    let paras = &doc.layers.paragraphs;
    let mut out: Vec<Post> = Vec::new();
    for (i, &p) in paras.iter().enumerate() {
        let text = doc.slice(p);
        let Some(h) = text.find("(@") else { continue };
        let Some(close) = text[h..].find(')').map(|k| h + k) else { continue };
        let handle = &text[h + 2..close];
        if !is_handle(handle) {
            continue;
        }
        let before = &text[..h];
        let (platform, name_start, attr_start) = if let Some(k) = before.rfind(INSTAGRAM) {
            ("instagram", k + INSTAGRAM.len(), k)
        } else {
            // The dash nearest before the handle, within a name's length.
            let Some((k, len)) = DASHES.iter().filter_map(|d| before.rfind(d).map(|k| (k, d.len()))).max_by_key(|&(k, _)| k) else {
                continue;
            };
            if h - k > 80 {
                continue;
            }
            ("twitter", k + len, k)
        };
        let author = before[name_start..].trim();
        if author.is_empty() || author.len() > 60 {
            continue;
        }
        let date = text[close + 1..].trim().trim_start_matches("on ").trim();
        let date_text = (!date.is_empty() && date.len() <= 40 && date.chars().any(|c| c.is_ascii_digit())).then(|| date.to_string());
        // The post's text: before the attribution in the same paragraph, else the
        // paragraph before (an embed renders the post and its attribution as two blocks).
        let own = trimmed(doc, Span::new(p.start, p.start + attr_start));
        let body = if own.end > own.start + 2 {
            own
        } else if i > 0 && out.last().is_none_or(|q| q.attribution.is_some_and(|a| a.end <= paras[i - 1].start)) {
            paras[i - 1]
        } else {
            continue;
        };
        let attribution = Span::new(p.start + attr_start, p.end);
        let author_at = p.start + name_start + (before[name_start..].len() - before[name_start..].trim_start().len());
        out.push(Post {
            platform,
            kind: "post",
            author: author.to_string(),
            author_span: Some(Span::new(author_at, author_at + author.len())),
            handle: Some(format!("@{handle}")),
            date: date_text.as_deref().and_then(iso_date),
            date_text,
            url: status_url(&doc.text[body.start..attribution.end]),
            id: None,
            title: None,
            text: body,
            attribution: Some(attribution),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sayso_doc::Meta;

    fn posts(text: &str) -> (Document, Vec<Post>) {
        let mut doc = Document::from_text(Meta::default(), text.to_string());
        crate::analyze(&mut doc);
        let p = find(&doc);
        (doc, p)
    }

    #[test]
    fn pasted_and_embedded_tweets() {
        let (doc, p) = posts(
            "The mayor reacted online.\n\nWe will rebuild, stronger than before. pic.twitter.com/abc123 — Jane Roe (@JaneRoeNYC) May 1, 2024\n\nOthers agreed.",
        );
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].platform, p[0].author.as_str(), p[0].handle.as_deref()), ("twitter", "Jane Roe", Some("@JaneRoeNYC")));
        assert_eq!((p[0].date.as_deref(), p[0].date_text.as_deref()), (Some("2024-05-01"), Some("May 1, 2024")));
        assert_eq!(doc.slice(p[0].text), "We will rebuild, stronger than before. pic.twitter.com/abc123");
        assert_eq!(doc.slice(p[0].author_span.unwrap()), "Jane Roe");

        // An embed rendered as blocks: the post, then its attribution line.
        let (doc, p) = posts("Intro.\n\nThis is huge https://x.com/bo/status/123\n\n— Bo Chan (@bo) June 2, 2023\n\nOutro.");
        assert_eq!(doc.slice(p[0].text), "This is huge https://x.com/bo/status/123");
        assert_eq!(p[0].url.as_deref(), Some("https://x.com/bo/status/123"));

        let (_, p) = posts("Sunset over the bay.\n\nA post shared by Ann Lee (@ann.lee) on Mar 3, 2022 at 5:00pm PST");
        assert_eq!((p[0].platform, p[0].author.as_str()), ("instagram", "Ann Lee"));
    }

    #[test]
    fn an_article_not_in_english_keeps_its_posts_but_gets_no_rule_statements() {
        let text = "\"Wir bauen wieder auf\", sagte die Bürgermeisterin.\n\nWir bauen auf. — Jane Roe (@JaneRoeNYC) 1. Mai 2024";
        let meta = Meta { language: Some("de".into()), ..Meta::default() };
        let ex = crate::extract(&mut Document::from_text(meta, text.to_string()));
        assert_eq!(ex.posts.len(), 1);
        assert_eq!(ex.posts[0].date.as_deref(), Some("2024-05-01"));
        assert!(ex.statements.iter().all(|s| s.kind == crate::StatementKind::Post), "{:?}", ex.statements);
        assert!(ex.warnings.iter().any(|w| w.message.contains("English only")));
    }

    #[test]
    fn handles_in_prose_are_not_posts() {
        let (_, p) = posts("He wrote to the agency (@FEMA) last week, officials said.\n\n(@ unclosed");
        assert!(p.is_empty());
    }
}

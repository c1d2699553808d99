//! An article as spans to mark: its statements (content, cue, source), speakers, posts and
//! links, from a fresh extraction (the paste page) or from the store. The store keeps each
//! statement's content span but not its cue's or source's, nor where posts and links
//! stand: those come from extracting the stored text again, which gives the same
//! statements with the same build (a statement it does not find keeps its content mark).

use sayso_doc::{Document, Meta};
use sayso_extract::report::{ArticleReport, StatementOut};
use sayso_store::ArticlePage;
use serde::Serialize;

use crate::html::{attr, esc};

#[derive(Serialize, Debug, Clone)]
pub struct MSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Serialize, Debug)]
pub struct MStatement {
    /// The statement's id in the store (none for pasted text).
    pub statement_id: Option<i64>,
    pub kind: String,
    pub content: MSpan,
    /// The content's pieces, `[start, end)` in code points.
    pub fragments: Vec<[usize; 2]>,
    pub cue: Option<MSpan>,
    pub source: Option<MSpan>,
    /// The article's speaker (`s1`) and the identity across articles.
    pub speaker: Option<String>,
    pub speaker_id: Option<i64>,
    pub speaker_name: Option<String>,
    pub role: Option<String>,
    pub place: Option<String>,
    pub medium: Option<String>,
    pub addressee: Option<String>,
    pub negated: bool,
    pub trail_id: Option<i64>,
}

#[derive(Serialize, Debug)]
pub struct MSpeaker {
    pub id: String,
    pub speaker_id: Option<i64>,
    pub name: Option<String>,
    pub kind: String,
    pub roles: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct MPost {
    pub platform: String,
    pub author: String,
    pub handle: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub text: MSpan,
}

#[derive(Serialize, Debug)]
pub struct MLink {
    pub label: String,
    pub title: String,
    pub url: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
}

#[derive(Serialize, Debug)]
pub struct Marked {
    pub statements: Vec<MStatement>,
    pub speakers: Vec<MSpeaker>,
    pub posts: Vec<MPost>,
    pub links: Vec<MLink>,
}

fn span(start: usize, end: usize, text: &str) -> MSpan {
    MSpan { start, end, text: text.to_string() }
}

fn fragments(s: &StatementOut) -> Vec<[usize; 2]> {
    s.content.fragments.clone().unwrap_or_else(|| vec![[s.content.start, s.content.end]])
}

/// Extracts a text, as the paste page and the API's extract do.
pub fn extract_text(meta: Meta, text: String) -> (ArticleReport, String) {
    let mut doc = Document::from_text(meta, text);
    let ex = sayso_extract::extract(&mut doc);
    (ArticleReport::new(&doc, &ex), doc.text)
}

impl Marked {
    pub fn from_report(r: &ArticleReport) -> Marked {
        let statements = r
            .statements
            .iter()
            .map(|s| {
                let setting = s.setting.as_ref();
                MStatement {
                    statement_id: None,
                    kind: s.kind.to_string(),
                    content: span(s.content.start, s.content.end, &s.content.text),
                    fragments: fragments(s),
                    cue: s.cue.as_ref().map(|c| span(c.start, c.end, &c.text)),
                    source: s.source.as_ref().map(|c| span(c.start, c.end, &c.text)),
                    speaker: s.speaker.as_ref().and_then(|sp| sp.id.clone()),
                    speaker_id: None,
                    speaker_name: s.speaker.as_ref().and_then(|sp| sp.name.clone()),
                    role: s.speaker.as_ref().and_then(|sp| sp.role.clone()),
                    place: setting.and_then(|x| x.place.clone()),
                    medium: setting.and_then(|x| x.medium.clone()),
                    addressee: setting.and_then(|x| x.addressee.clone()),
                    negated: s.negated,
                    trail_id: None,
                }
            })
            .collect();
        Marked {
            statements,
            speakers: r
                .speakers
                .iter()
                .map(|s| MSpeaker {
                    id: s.id.clone(),
                    speaker_id: None,
                    name: s.name.clone(),
                    kind: s.kind.to_string(),
                    roles: s.roles.clone(),
                })
                .collect(),
            posts: r
                .posts
                .iter()
                .map(|p| MPost {
                    platform: p.platform.to_string(),
                    author: p.author.clone().unwrap_or_default(),
                    handle: p.handle.clone(),
                    date: p.date.clone(),
                    url: p.url.clone(),
                    // A video embed holds no text: an empty span where it stands.
                    text: p.text.as_ref().map_or_else(|| span(p.at, p.at, ""), |t| span(t.start, t.end, &t.text)),
                })
                .collect(),
            links: r
                .links
                .iter()
                .map(|l| MLink {
                    label: l.label.clone(),
                    title: l.title.clone(),
                    url: l.url.clone(),
                    start: Some(l.start),
                    end: Some(l.end),
                })
                .collect(),
        }
    }

    /// A stored article: its statements, speakers, posts and links as stored, with the spans
    /// the store does not keep found by extracting its text again.
    pub fn from_store(a: &ArticlePage) -> Marked {
        let (again, _) = extract_text(Meta::default(), a.text.clone());
        let same = |start: i64, end: i64| again.statements.iter().find(|s| s.content.start as i64 == start && s.content.end as i64 == end);
        let statements = a
            .statements
            .iter()
            .map(|s| {
                let found = same(s.start, s.end);
                let (start, end) = (s.start.max(0) as usize, s.end.max(0) as usize);
                MStatement {
                    statement_id: Some(s.hit.statement),
                    kind: s.hit.kind.clone(),
                    content: span(start, end, &s.hit.content),
                    fragments: found.map_or_else(|| vec![[start, end]], fragments),
                    cue: found.and_then(|f| f.cue.as_ref()).map(|c| span(c.start, c.end, &c.text)),
                    source: found.and_then(|f| f.source.as_ref()).map(|c| span(c.start, c.end, &c.text)),
                    speaker: s.local_speaker.clone(),
                    speaker_id: s.hit.identity,
                    speaker_name: s.hit.speaker.clone(),
                    role: s.hit.role.clone(),
                    place: s.place.clone(),
                    medium: s.medium.clone(),
                    addressee: s.addressee.clone(),
                    negated: s.negated,
                    trail_id: s.trail,
                }
            })
            .collect();
        // Posts and links in stored order; each takes its place in the text from the
        // extraction's one with the same text.
        let posts = a
            .posts
            .iter()
            .map(|p| {
                let at = again.posts.iter().find_map(|q| q.text.as_ref().filter(|t| t.text == p.text));
                MPost {
                    platform: p.platform.clone(),
                    author: p.author.clone(),
                    handle: p.handle.clone(),
                    date: p.date.clone(),
                    url: p.url.clone(),
                    text: at.map_or_else(|| span(0, 0, &p.text), |t| span(t.start, t.end, &p.text)),
                }
            })
            .collect();
        let links = a
            .links
            .iter()
            .map(|l| {
                let at = again.links.iter().find(|m| m.title == l.title);
                MLink {
                    label: l.label.clone(),
                    title: l.title.clone(),
                    url: l.url.clone(),
                    start: at.map(|m| m.start),
                    end: at.map(|m| m.end),
                }
            })
            .collect();
        Marked {
            statements,
            speakers: a
                .speakers
                .iter()
                .map(|s| MSpeaker {
                    id: s.local_id.clone(),
                    speaker_id: s.identity,
                    name: s.name.clone(),
                    kind: s.kind.clone(),
                    roles: s.roles.clone(),
                })
                .collect(),
            posts,
            links,
        }
    }

    /// The speaker's colour class (`c0` … `c7`), by its place in the article's list.
    pub fn colour(&self, local: Option<&str>) -> String {
        match local.and_then(|l| self.speakers.iter().position(|s| s.id == l)) {
            Some(i) => format!("c{}", i % 8),
            None => "cx".into(),
        }
    }
}

/// The text as HTML with every statement's content marked in its speaker's colour, its cue
/// and source marked, each statement's first piece focusable. Everything from the text is
/// escaped; offsets are code points, clamped to the text.
pub fn render_text(text: &str, m: &Marked) -> String {
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let n = bytes.len() - 1;
    // (start, end, statement, role): 0 cue, 1 source, 2 content; a cue or source is
    // shown over a content where they meet, and the first statement over a later one.
    let mut marks: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (i, s) in m.statements.iter().enumerate() {
        marks.extend(s.fragments.iter().map(|f| (f[0].min(n), f[1].min(n), i, 2)));
        marks.extend(s.cue.iter().map(|c| (c.start.min(n), c.end.min(n), i, 0)));
        marks.extend(s.source.iter().map(|c| (c.start.min(n), c.end.min(n), i, 1)));
    }
    let mut cuts: Vec<usize> = marks.iter().flat_map(|&(a, b, _, _)| [a, b]).chain([0, n]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    // For each piece between two cuts, its best (role, statement).
    let mut owner = vec![(usize::MAX, usize::MAX); cuts.len() - 1];
    for &(a, b, i, role) in &marks {
        let (first, last) = (cuts.partition_point(|&c| c < a), cuts.partition_point(|&c| c < b));
        for o in &mut owner[first..last.max(first)] {
            *o = (*o).min((role, i));
        }
    }
    let mut focusable = vec![true; m.statements.len()];
    let mut out = String::with_capacity(text.len() * 2);
    for (w, &(role, st)) in cuts.windows(2).zip(&owner) {
        let piece = esc(&text[bytes[w[0]]..bytes[w[1]]]);
        if st == usize::MAX {
            out.push_str(&piece);
            continue;
        }
        let s = &m.statements[st];
        let class = ["cue", "src", "q"][role];
        let colour = m.colour(s.speaker.as_deref());
        let tab = if std::mem::take(&mut focusable[st]) { " tabindex=\"0\"" } else { "" };
        out.push_str(&format!("<mark class=\"{class} {colour}\" data-st=\"{st}\"{tab} title=\"{}\">{piece}</mark>", attr(&summary(s))));
    }
    out
}

/// A statement in one line: kind, speaker, role, cue, setting.
pub fn summary(s: &MStatement) -> String {
    let mut parts = vec![s.kind.clone(), s.speaker_name.clone().unwrap_or_else(|| "unnamed".into())];
    parts.extend(s.role.clone());
    if let Some(c) = &s.cue {
        parts.push(format!("cue “{}”{}", c.text, if s.negated { " (negated)" } else { "" }));
    }
    for (label, v) in [("in", &s.place), ("via", &s.medium), ("to", &s.addressee)] {
        if let Some(v) = v {
            parts.push(format!("{label} {v}"));
        }
    }
    parts.join(" · ")
}

//! The output contract: what one article's extraction looks like as JSON. Offsets here
//! are Unicode code points, end exclusive; everywhere else they are bytes.

use sayso_doc::{CharIndex, Document, Span};
use serde::{Deserialize, Deserializer, Serialize};

use crate::Extraction;

#[derive(Serialize, Deserialize, Debug)]
pub struct ArticleReport {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub outlet: Option<String>,
    pub canonical_url: Option<String>,
    /// The text all offsets refer to, when asked for (`--with-text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub statements: Vec<StatementOut>,
    pub speakers: Vec<ArticleSpeakerOut>,
    pub links: Vec<LinkOut>,
    pub posts: Vec<PostOut>,
    pub warnings: Vec<WarningOut>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragments: Option<Vec<[usize; 2]>>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct CueOut {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub lemma: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct SpeakerOut {
    /// The speaker's id in the article's `speakers` list.
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(deserialize_with = "known")]
    pub kind: Word,
    pub role: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct StatementOut {
    #[serde(deserialize_with = "known")]
    pub kind: Word,
    pub content: TextSpan,
    pub cue: Option<CueOut>,
    pub source: Option<TextSpan>,
    pub speaker: Option<SpeakerOut>,
    pub setting: Option<SettingOut>,
    pub negated: bool,
    /// Where the content stood in the input, as byte offsets `[start, end)` into the record
    /// as read (the page before decoding, the text file, the JSONL `text`).
    pub input_bytes: [usize; 2],
    /// The scorer's probability that this is a statement.
    pub score: f32,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct SettingOut {
    pub place: Option<String>,
    pub medium: Option<String>,
    pub addressee: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ArticleSpeakerOut {
    pub id: String,
    pub name: Option<String>,
    #[serde(deserialize_with = "known")]
    pub kind: Word,
    pub roles: Vec<String>,
    pub mentions: Vec<TextSpan>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct LinkOut {
    pub label: String,
    pub title: String,
    pub url: Option<String>,
    pub start: usize,
    pub end: usize,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct PostOut {
    #[serde(deserialize_with = "known")]
    pub platform: Word,
    /// "post" or "video".
    #[serde(deserialize_with = "known")]
    pub kind: Word,
    /// Display name.
    pub author: Option<String>,
    /// With its '@'.
    pub handle: Option<String>,
    /// ISO 8601.
    pub date: Option<String>,
    /// The date as the page writes it.
    pub date_text: Option<String>,
    pub url: Option<String>,
    /// The platform's id of the post or video.
    pub id: Option<String>,
    /// A video's title.
    pub title: Option<String>,
    /// The post's text in the article; null where the article does not hold it.
    pub text: Option<TextSpan>,
    /// Where the embed stands in the article text (code points), text or not.
    pub at: usize,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct WarningOut {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

impl ArticleReport {
    pub fn new(doc: &Document, ex: &Extraction) -> ArticleReport {
        let idx = CharIndex::new(&doc.text);
        let text_span = |fragments: &[Span]| {
            let cover = fragments.iter().fold(fragments[0], |a, &b| a.cover(b));
            let text = fragments.iter().map(|&f| doc.slice(f)).collect::<Vec<_>>().join(" ");
            TextSpan {
                start: idx.char_of(cover.start),
                end: idx.char_of(cover.end),
                text,
                fragments: (fragments.len() > 1).then(|| fragments.iter().map(|f| [idx.char_of(f.start), idx.char_of(f.end)]).collect()),
            }
        };
        let statements = ex
            .statements
            .iter()
            .map(|s| StatementOut {
                kind: s.kind.as_str(),
                content: text_span(&s.content),
                cue: s.cue.as_ref().map(|c| CueOut {
                    start: idx.char_of(c.span.start),
                    end: idx.char_of(c.span.end),
                    text: doc.slice(c.span).to_string(),
                    lemma: c.lemma.clone(),
                }),
                source: s.source.map(|sp| text_span(&[sp])),
                speaker: s.speaker.as_ref().map(|sp| SpeakerOut {
                    id: sp.id.map(speaker_id),
                    name: sp.name.clone(),
                    kind: sp.kind.as_str(),
                    role: sp.role.clone(),
                }),
                setting: s.setting.as_ref().map(|st| SettingOut {
                    place: st.place.clone(),
                    medium: st.medium.clone(),
                    addressee: st.addressee.clone(),
                }),
                negated: s.negated,
                input_bytes: input_bytes(doc, s.content.iter().fold(s.content[0], |a, &b| a.cover(b))),
                score: (s.score * 1000.0).round() / 1000.0,
            })
            .collect();
        ArticleReport {
            id: doc.meta.id.clone(),
            title: doc.meta.title.clone(),
            url: doc.meta.url.clone(),
            published: doc.meta.published.clone(),
            authors: doc.meta.authors.clone(),
            language: doc.meta.language.clone(),
            outlet: doc.meta.outlet.clone(),
            canonical_url: doc.meta.canonical_url.clone(),
            text: None,
            statements,
            speakers: ex
                .speakers
                .iter()
                .enumerate()
                .map(|(i, sp)| ArticleSpeakerOut {
                    id: speaker_id(i),
                    name: sp.name.clone(),
                    kind: sp.kind.as_str(),
                    roles: sp.roles.clone(),
                    mentions: sp.mentions.iter().map(|&m| text_span(&[m])).collect(),
                })
                .collect(),
            links: ex
                .links
                .iter()
                .map(|l| LinkOut {
                    label: l.label.clone(),
                    title: l.title.clone(),
                    url: l.url.clone(),
                    start: idx.char_of(l.span.start),
                    end: idx.char_of(l.span.end),
                })
                .collect(),
            posts: ex
                .posts
                .iter()
                .map(|p| PostOut {
                    platform: p.platform,
                    kind: p.kind,
                    author: (!p.author.is_empty()).then(|| p.author.clone()),
                    handle: p.handle.clone(),
                    date: p.date.clone(),
                    date_text: p.date_text.clone(),
                    url: p.url.clone(),
                    id: p.id.clone(),
                    title: p.title.clone(),
                    text: (p.text.start < p.text.end).then(|| text_span(&[p.text])),
                    at: idx.char_of(p.text.start),
                })
                .collect(),
            warnings: ex
                .warnings
                .iter()
                .map(|w| WarningOut {
                    message: w.message.clone(),
                    start: w.span.map(|s| idx.char_of(s.start)),
                    end: w.span.map(|s| idx.char_of(s.end)),
                })
                .collect(),
        }
    }
}

/// A text span's bytes in the input.
fn input_bytes(doc: &Document, span: Span) -> [usize; 2] {
    let start = doc.alignment.to_source(span.start);
    [start, doc.alignment.to_source_end(span.end).max(start)]
}

fn speaker_id(i: usize) -> String {
    format!("s{}", i + 1)
}

/// A word of [`KNOWN`] (a named type: serde would borrow a `&str` from the input).
pub type Word = &'static str;

/// The words a report's `kind` and `platform` fields can hold, so that a report read back
/// (from a Spark run's Parquet) holds the same static strings as one made here.
const KNOWN: &[&str] = &[
    "direct",
    "mixed",
    "indirect",
    "post",
    "video",
    "person",
    "organization",
    "group",
    "unnamed",
    "author",
    "twitter",
    "instagram",
    "facebook",
    "tiktok",
    "bluesky",
    "threads",
    "mastodon",
    "youtube",
    "vimeo",
];

fn known<'de, D: Deserializer<'de>>(d: D) -> Result<Word, D::Error> {
    let s = String::deserialize(d)?;
    KNOWN.iter().find(|k| **k == s).copied().ok_or_else(|| serde::de::Error::custom(format!("unknown kind {s:?}")))
}

//! Reading one statement or one article whole, by id: what `sayso serve` shows.

use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::query::{hit, HIT_COLUMNS, HIT_JOINS};
use crate::{Hit, Result, Store};

/// A statement with everything the store keeps of it.
#[derive(Debug, Serialize, Clone)]
pub struct StatementRow {
    #[serde(flatten)]
    pub hit: Hit,
    /// The content in code points of the article's text, end exclusive.
    pub start: i64,
    pub end: i64,
    pub cue_lemma: Option<String>,
    /// The source mention as written ("he").
    pub source: Option<String>,
    /// The article's speaker ("s1").
    pub local_speaker: Option<String>,
    pub speaker_kind: Option<String>,
    pub place: Option<String>,
    pub medium: Option<String>,
    pub addressee: Option<String>,
    pub negated: bool,
    pub score: f64,
    pub trail: Option<i64>,
}

#[derive(Debug, Serialize, Clone)]
pub struct SpeakerRow {
    pub local_id: String,
    pub name: Option<String>,
    pub kind: String,
    pub roles: Vec<String>,
    pub identity: Option<i64>,
}

#[derive(Debug, Serialize, Clone)]
pub struct LinkRow {
    pub label: String,
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct PostRow {
    pub platform: String,
    pub author: String,
    pub handle: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub text: String,
}

#[derive(Debug, Serialize, Clone)]
pub struct ArticlePage {
    pub id: i64,
    pub source_id: String,
    pub url: Option<String>,
    pub canonical_url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub authors: Vec<String>,
    pub text: String,
    /// In the order of the text.
    pub statements: Vec<StatementRow>,
    pub speakers: Vec<SpeakerRow>,
    pub links: Vec<LinkRow>,
    pub posts: Vec<PostRow>,
}

const STATEMENT_COLUMNS: &str =
    "s.start, s.end, s.cue_lemma, s.source, sp.local_id, sp.kind, s.place, s.medium, s.addressee, s.negated, s.score, s.trail";

fn statement_row(r: &rusqlite::Row) -> rusqlite::Result<StatementRow> {
    let at = 13; // after the Hit's columns
    Ok(StatementRow {
        hit: hit(r)?,
        start: r.get(at)?,
        end: r.get(at + 1)?,
        cue_lemma: r.get(at + 2)?,
        source: r.get(at + 3)?,
        local_speaker: r.get(at + 4)?,
        speaker_kind: r.get(at + 5)?,
        place: r.get(at + 6)?,
        medium: r.get(at + 7)?,
        addressee: r.get(at + 8)?,
        negated: r.get(at + 9)?,
        score: r.get(at + 10)?,
        trail: r.get(at + 11)?,
    })
}

/// A JSON array of strings as stored (roles, authors); anything else reads as none.
fn strings(json: String) -> Vec<String> {
    serde_json::from_str(&json).unwrap_or_default()
}

impl Store {
    pub fn statement(&self, id: i64) -> Result<Option<StatementRow>> {
        let sql = format!("SELECT {HIT_COLUMNS}, {STATEMENT_COLUMNS} FROM statements s {HIT_JOINS} WHERE s.id = ?1");
        Ok(self.conn().query_row(&sql, [id], statement_row).optional()?)
    }

    pub fn article(&self, id: i64) -> Result<Option<ArticlePage>> {
        let c = self.conn();
        let head = c
            .query_row(
                "SELECT id, source_id, url, canonical_url, title, outlet, published, language, authors, text FROM articles WHERE id = ?1",
                [id],
                |r| {
                    Ok(ArticlePage {
                        id: r.get(0)?,
                        source_id: r.get(1)?,
                        url: r.get(2)?,
                        canonical_url: r.get(3)?,
                        title: r.get(4)?,
                        outlet: r.get(5)?,
                        published: r.get(6)?,
                        language: r.get(7)?,
                        authors: strings(r.get(8)?),
                        text: r.get(9)?,
                        statements: Vec::new(),
                        speakers: Vec::new(),
                        links: Vec::new(),
                        posts: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut page) = head else { return Ok(None) };
        page.statements = c
            .prepare(&format!(
                "SELECT {HIT_COLUMNS}, {STATEMENT_COLUMNS} FROM statements s {HIT_JOINS} WHERE s.article = ?1 ORDER BY s.start, s.id"
            ))?
            .query_map([id], statement_row)?
            .collect::<rusqlite::Result<_>>()?;
        page.speakers = c
            .prepare("SELECT local_id, name, kind, roles, identity FROM speakers WHERE article = ?1 ORDER BY id")?
            .query_map([id], |r| {
                Ok(SpeakerRow { local_id: r.get(0)?, name: r.get(1)?, kind: r.get(2)?, roles: strings(r.get(3)?), identity: r.get(4)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        page.links = c
            .prepare("SELECT label, title, url FROM links WHERE article = ?1 ORDER BY rowid")?
            .query_map([id], |r| Ok(LinkRow { label: r.get(0)?, title: r.get(1)?, url: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        page.posts = c
            .prepare("SELECT platform, author, handle, date, url, text FROM posts WHERE article = ?1 ORDER BY rowid")?
            .query_map([id], |r| {
                Ok(PostRow { platform: r.get(0)?, author: r.get(1)?, handle: r.get(2)?, date: r.get(3)?, url: r.get(4)?, text: r.get(5)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(page))
    }
}

//! Reading the store: search, speaker identities, quote trails, export.

use std::borrow::Cow;
use std::io::Write;

use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::{Result, Store, StoreError};

#[derive(Debug, Default, Clone)]
pub struct SearchQuery {
    pub text: String,
    pub speaker: Option<String>,
    pub kind: Option<String>,
    pub outlet: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: usize,
    /// Results skipped before the first returned (the next page of a search).
    pub offset: usize,
    pub sort: Sort,
}

/// The order of search results.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (bm25).
    #[default]
    Rank,
    /// Newest first, undated last; best match first within a day.
    Date,
}

#[derive(Debug, Serialize, Clone)]
/// A statement found. In JSON its ids are named as the API names them (`statement_id`,
/// `speaker_id` for the identity, `article_id` for the stored article's row).
pub struct Hit {
    #[serde(rename = "statement_id")]
    pub statement: i64,
    pub kind: String,
    pub content: String,
    pub speaker: Option<String>,
    #[serde(rename = "speaker_id")]
    pub identity: Option<i64>,
    pub role: Option<String>,
    pub cue: Option<String>,
    /// The article's id as sayso gave it (file name, WARC-Record-ID, JSONL id).
    #[serde(rename = "article_source_id")]
    pub article: String,
    /// The article's row in the store.
    pub article_id: i64,
    pub title: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
}

/// A statement's columns for a [`Hit`], over `statements s` joined with `articles a`,
/// `speakers sp` and `identities i`.
pub(crate) const HIT_COLUMNS: &str =
    "s.id, s.kind, coalesce(s.fragments, substr(a.text, s.start + 1, s.end - s.start)), coalesce(i.name, sp.name),
    s.identity, json_extract(sp.roles, '$[0]'), s.cue, a.source_id, a.title, a.url, a.outlet, a.published, a.id";
/// The joins [`HIT_COLUMNS`] needs after `statements s`.
pub(crate) const HIT_JOINS: &str =
    "JOIN articles a ON a.id = s.article LEFT JOIN speakers sp ON sp.id = s.speaker LEFT JOIN identities i ON i.id = s.identity";

pub(crate) fn hit(r: &rusqlite::Row) -> rusqlite::Result<Hit> {
    Ok(Hit {
        statement: r.get(0)?,
        kind: r.get(1)?,
        content: r.get(2)?,
        speaker: r.get(3)?,
        identity: r.get(4)?,
        role: r.get(5)?,
        cue: r.get(6)?,
        article: r.get(7)?,
        title: r.get(8)?,
        url: r.get(9)?,
        outlet: r.get(10)?,
        published: r.get(11)?,
        article_id: r.get(12)?,
    })
}

/// Han, kana and Hangul: scripts written without spaces between words (or, for Korean,
/// with particles attached), where the tokenizer would see a whole run as one word.
fn cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// A text as the index sees it: each CJK character a word of its own, so that a word inside
/// a run of them can be found as a phrase ("北京" in "北京的天气").
pub(crate) fn index_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(cjk) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if cjk(c) {
            out.extend([' ', c, ' ']);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `%text%` for LIKE … ESCAPE '\': the user's `%` and `_` are characters, not wildcards.
fn contains_pattern(text: &str) -> String {
    format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// The words of a user's query as an FTS5 query: each one quoted, so that `"`, `*`,
/// `NEAR`, `AND` or brackets are searched as text, never parsed as syntax (a CJK word is a
/// phrase of its characters).
pub fn fts_query(text: &str) -> Result<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", index_text(w).trim().replace('"', "")))
        .collect();
    if words.is_empty() {
        return Err(StoreError(format!("the query {text:?} has no words to search for")));
    }
    Ok(words.join(" "))
}

/// A date for --since/--until: YYYY, YYYY-MM or YYYY-MM-DD.
pub fn check_date(d: &str) -> Result<String> {
    let parts: Vec<&str> = d.trim().split('-').collect();
    let num = |s: &str, len: usize, max: u32| s.len() == len && s.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
    let ok = match parts[..] {
        [y] => num(y, 4, 9999),
        [y, m] => num(y, 4, 9999) && num(m, 2, 12),
        [y, m, day] => {
            num(y, 4, 9999) && num(m, 2, 12) && num(day, 2, 31) && {
                let n = |s: &str| s.parse().unwrap_or(0);
                sayso_doc::valid_day(n(y), n(m), n(day))
            }
        }
        _ => false,
    };
    if ok {
        Ok(d.trim().to_string())
    } else {
        Err(StoreError(format!("{d:?} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")))
    }
}

#[derive(Debug, Serialize)]
pub struct IdentityRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub statements: i64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct IdentityPage {
    pub identity: IdentityRow,
    pub aliases: Vec<String>,
    /// Each role with the first and last dates it was given.
    pub roles: Vec<(String, Option<String>, Option<String>)>,
    /// Statements per month ("2024-05", count).
    pub by_month: Vec<(String, i64)>,
    /// Statements per week (the week's Monday, count), dated statements only.
    pub by_week: Vec<(String, i64)>,
    /// Outlets that carried the speaker's statements, most statements first.
    pub outlets: Vec<(String, i64)>,
    /// The speaker's cues (lemmas), most frequent first.
    pub cues: Vec<(String, i64)>,
    pub statements: Vec<Hit>,
}

/// At most this many identities are listed when a name fits several.
const SEVERAL: usize = 20;

/// What a speaker's name finds.
#[derive(Debug)]
pub enum Lookup {
    Page(Box<IdentityPage>),
    /// Several identities fit (up to 20, most statements first): a fuller name is needed.
    Several(Vec<IdentityRow>),
    None,
}

#[derive(Debug, Serialize)]
pub struct TrailPage {
    pub trail: i64,
    /// In order of publication: the first is the first appearance.
    pub appearances: Vec<Hit>,
    /// Each wording with how many articles carried it.
    pub wordings: Vec<(String, i64)>,
}

/// Formats `sayso export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Csv,
    Jsonl,
    Parquet,
}

const EXPORT_COLUMNS: &[&str] = &[
    "statement_id",
    "kind",
    "content",
    "cue",
    "cue_lemma",
    "source",
    "speaker_name",
    "speaker_kind",
    "role",
    "identity_id",
    "identity_name",
    "place",
    "medium",
    "addressee",
    "negated",
    "score",
    "trail_id",
    "article_id",
    "url",
    "title",
    "outlet",
    "published",
];

impl Store {
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        // The best ids first, from the index and the filters alone; then the columns of those
        // few rows (contents are cut from article texts: too costly for every match).
        let mut filters = String::new();
        let mut args: Vec<Value> = vec![Value::Text(fts_query(&q.text)?)];
        // Every `?` of a clause is the same value.
        let mut arg = |sql: &mut String, clause: &str, v: String| {
            args.push(Value::Text(v));
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(sp) = &q.speaker {
            arg(
                &mut filters,
                " AND (s.identity IN (SELECT identity FROM aliases WHERE substr(alias, instr(alias, ':') + 1) LIKE ? ESCAPE '\\')
                  OR sp.name LIKE ? ESCAPE '\\')",
                contains_pattern(&sp.to_lowercase()),
            );
        }
        if let Some(k) = &q.kind {
            if !matches!(k.as_str(), "direct" | "indirect" | "mixed" | "post") {
                return Err(StoreError(format!("unknown kind {k:?} (direct, indirect, mixed or post)")));
            }
            arg(&mut filters, " AND s.kind = ?", k.clone());
        }
        if let Some(o) = &q.outlet {
            arg(&mut filters, " AND a.outlet LIKE ? ESCAPE '\\'", contains_pattern(o));
        }
        if let Some(d) = &q.since {
            arg(&mut filters, " AND substr(a.published, 1, length(?)) >= ?", check_date(d)?);
        }
        if let Some(d) = &q.until {
            arg(&mut filters, " AND substr(a.published, 1, length(?)) <= ?", check_date(d)?);
        }
        let limit = format!("{} OFFSET {}", q.limit, q.offset);
        let order = match q.sort {
            Sort::Rank => "x.r, x.id",
            Sort::Date => "a.published IS NULL, a.published DESC, x.r, x.id",
        };
        let best = if filters.is_empty() && q.sort == Sort::Rank {
            format!("SELECT rowid AS id, rank AS r FROM statements_fts WHERE statements_fts MATCH ?1 ORDER BY rank, rowid LIMIT {limit}")
        } else {
            format!(
                "SELECT * FROM (SELECT s.id AS id, bm25(statements_fts) AS r, a.published FROM statements_fts f JOIN statements s ON s.id = f.rowid
                 JOIN articles a ON a.id = s.article LEFT JOIN speakers sp ON sp.id = s.speaker
                 WHERE statements_fts MATCH ?1 {filters}) x ORDER BY {order} LIMIT {limit}",
                order = order.replace("a.published", "x.published")
            )
        };
        let sql = format!("SELECT {HIT_COLUMNS} FROM ({best}) x JOIN statements s ON s.id = x.id {HIT_JOINS} ORDER BY {order}");
        let mut st = self.conn().prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), hit)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn identities(&self, matching: Option<&str>, limit: usize) -> Result<Vec<IdentityRow>> {
        match matching {
            Some(m) => self.identity_rows(
                "WHERE i.id IN (SELECT identity FROM aliases WHERE substr(alias, instr(alias, ':') + 1) LIKE ?1 ESCAPE '\\')",
                Some(contains_pattern(&m.to_lowercase())),
                limit,
            ),
            None => self.identity_rows("", None, limit),
        }
    }

    /// Identities by a filter on `identities i` (with at most one argument), most statements first.
    fn identity_rows(&self, filter: &str, arg: Option<String>, limit: usize) -> Result<Vec<IdentityRow>> {
        // Counts come from the identity index alone; dates only for the identities shown.
        let sql = format!(
            "WITH top AS (SELECT i.id, i.name, i.kind, (SELECT count(*) FROM statements s WHERE s.identity = i.id) AS n
                          FROM identities i {filter} ORDER BY n DESC, i.name LIMIT {limit})
             SELECT t.id, t.name, t.kind, t.n, d.first, d.last FROM top t LEFT JOIN (
                 SELECT s.identity AS id, min(substr(a.published, 1, 10)) AS first, max(substr(a.published, 1, 10)) AS last
                 FROM statements s JOIN articles a ON a.id = s.article WHERE s.identity IN (SELECT id FROM top) GROUP BY s.identity
             ) d ON d.id = t.id ORDER BY t.n DESC, t.name"
        );
        let mut st = self.conn().prepare(&sql)?;
        let map = |r: &rusqlite::Row| {
            Ok(IdentityRow {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                statements: r.get(3)?,
                first_seen: r.get(4)?,
                last_seen: r.get(5)?,
            })
        };
        let rows = match arg {
            Some(a) => st.query_map([a], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
            None => st.query_map([], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
        };
        Ok(rows)
    }

    /// One identity by name: the one with this name or alias, else the only one whose name or
    /// alias contains the text. When several fit, they are listed, not guessed between.
    pub fn identity(&self, name: &str, limit: usize) -> Result<Lookup> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError("no name given: which speaker?".into()));
        }
        let exact = "WHERE i.id IN (SELECT identity FROM aliases WHERE alias IN ('person:' || ?1, 'organization:' || ?1))";
        let mut rows = self.identity_rows(exact, Some(name.to_lowercase()), SEVERAL)?;
        if rows.is_empty() {
            rows = self.identities(Some(name), SEVERAL)?;
        }
        if rows.len() > 1 {
            return Ok(Lookup::Several(rows));
        }
        let Some(row) = rows.pop() else { return Ok(Lookup::None) };
        Ok(Lookup::Page(Box::new(self.identity_page(row, limit)?)))
    }

    /// One identity by its id, with its page.
    pub fn identity_by_id(&self, id: i64, limit: usize) -> Result<Option<IdentityPage>> {
        // The dates come with the page's other figures.
        let row = self
            .conn()
            .query_row(
                "SELECT id, name, kind, (SELECT count(*) FROM statements s WHERE s.identity = i.id) FROM identities i WHERE id = ?1",
                [id],
                |r| {
                    Ok(IdentityRow {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        kind: r.get(2)?,
                        statements: r.get(3)?,
                        first_seen: None,
                        last_seen: None,
                    })
                },
            )
            .optional()?;
        row.map(|row| self.identity_page(row, limit)).transpose()
    }

    fn identity_page(&self, mut row: IdentityRow, limit: usize) -> Result<IdentityPage> {
        let c = self.conn();
        let aliases = c
            .prepare("SELECT alias FROM aliases WHERE identity = ?1 ORDER BY alias")?
            .query_map([row.id], |r| r.get::<_, String>(0))?
            .map(|a| a.map(|a| a.split_once(':').map_or(a.clone(), |(_, n)| n.to_string())))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let roles = c
            .prepare(
                "SELECT r.value, min(substr(a.published, 1, 10)), max(substr(a.published, 1, 10)) FROM speakers sp, json_each(sp.roles) r
                 JOIN articles a ON a.id = sp.article WHERE sp.identity = ?1 GROUP BY r.value ORDER BY count(*) DESC",
            )?
            .query_map([row.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let statements = c
            .prepare(&format!(
                "SELECT {HIT_COLUMNS} FROM statements s {HIT_JOINS} WHERE s.identity = ?1 ORDER BY a.published DESC, s.id LIMIT {limit}"
            ))?
            .query_map([row.id], hit)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Months, weeks (their Mondays), outlets and the first and last days from one pass
        // over the statements and their articles, grouped by day and outlet first: each join
        // to the articles costs.
        let mut by_month = Vec::new();
        let mut by_week = Vec::new();
        let mut outlets = Vec::new();
        let mut st = c.prepare(
            "WITH d AS MATERIALIZED (SELECT substr(a.published, 1, 10) AS day, a.outlet AS outlet, count(*) AS n
                 FROM statements s JOIN articles a ON a.id = s.article WHERE s.identity = ?1 GROUP BY 1, 2)
             SELECT 0, coalesce(substr(day, 1, 7), 'undated') AS k, sum(n) FROM d GROUP BY k
             UNION ALL SELECT 1, date(day, 'weekday 0', '-6 days') AS k, sum(n) FROM d WHERE k IS NOT NULL GROUP BY k
             UNION ALL SELECT 2, outlet, sum(n) FROM d WHERE outlet IS NOT NULL GROUP BY outlet
             UNION ALL SELECT 3, min(day), 0 FROM d UNION ALL SELECT 4, max(day), 0 FROM d",
        )?;
        let mut rows = st.query([row.id])?;
        while let Some(r) = rows.next()? {
            let (key, n) = (r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)?);
            match (r.get::<_, i64>(0)?, key) {
                (0, Some(k)) => by_month.push((k, n)),
                (1, Some(k)) => by_week.push((k, n)),
                (2, Some(k)) => outlets.push((k, n)),
                (3, k) => row.first_seen = k,
                (4, k) => row.last_seen = k,
                _ => {}
            }
        }
        by_month.sort();
        by_week.sort();
        outlets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        outlets.truncate(20);
        let cues = c
            .prepare(
                "SELECT cue_lemma, count(*) FROM statements WHERE identity = ?1 AND cue_lemma IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20",
            )?
            .query_map([row.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(IdentityPage { identity: row, aliases, roles, by_month, by_week, outlets, cues, statements })
    }

    /// The trail of a statement (by id) or of the best match for a text.
    pub fn trail(&self, text_or_id: &str) -> Result<Option<TrailPage>> {
        let c = self.conn();
        let statement: Option<i64> = match text_or_id.trim().parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                let hits = self.search(&SearchQuery { text: text_or_id.to_string(), kind: None, limit: 20, ..SearchQuery::default() })?;
                // The best hit that is a quotation on a trail.
                let mut found = None;
                for h in hits {
                    let t: Option<i64> = c.query_row("SELECT trail FROM statements WHERE id = ?1", [h.statement], |r| r.get(0))?;
                    if t.is_some() {
                        found = Some(h.statement);
                        break;
                    }
                }
                found
            }
        };
        let Some(statement) = statement else { return Ok(None) };
        let trail: Option<i64> = c.query_row("SELECT trail FROM statements WHERE id = ?1", [statement], |r| r.get(0)).optional()?.flatten();
        let Some(trail) = trail else { return Ok(None) };
        self.trail_by_id(trail)
    }

    /// A trail by its id.
    pub fn trail_by_id(&self, trail: i64) -> Result<Option<TrailPage>> {
        let c = self.conn();
        let appearances = c
            .prepare(&format!(
                "SELECT {HIT_COLUMNS} FROM statements s {HIT_JOINS} WHERE s.trail = ?1 ORDER BY a.published IS NULL, a.published, s.id"
            ))?
            .query_map([trail], hit)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let wordings = c
            .prepare(
                "SELECT coalesce(s.fragments, substr(a.text, s.start + 1, s.end - s.start)) AS w, count(DISTINCT s.article)
                 FROM statements s JOIN articles a ON a.id = s.article WHERE s.trail = ?1 GROUP BY w ORDER BY 2 DESC, min(s.id)",
            )?
            .query_map([trail], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if appearances.is_empty() {
            return Ok(None);
        }
        Ok(Some(TrailPage { trail, appearances, wordings }))
    }

    /// Words for benchmark queries: from `n` statements spread over the store, one or two
    /// longer words each.
    pub fn sample_queries(&self, n: usize) -> Result<Vec<String>> {
        let max: i64 = self.conn().query_row("SELECT coalesce(max(id), 0) FROM statements", [], |r| r.get(0))?;
        let mut st = self.conn().prepare(
            "SELECT coalesce(s.fragments, substr(a.text, s.start + 1, s.end - s.start)) FROM statements s
             JOIN articles a ON a.id = s.article WHERE s.id >= ?1 LIMIT 1",
        )?;
        let mut out = Vec::new();
        for k in 0..n as i64 {
            let at = 1 + k * max / n.max(1) as i64;
            let Some(text) = st.query_row([at], |r| r.get::<_, String>(0)).optional()? else { continue };
            let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 5).collect();
            if words.is_empty() {
                continue;
            }
            let q = if k % 2 == 0 || words.len() < 2 { words[0].to_string() } else { format!("{} {}", words[0], words[words.len() - 1]) };
            out.push(q);
        }
        Ok(out)
    }

    /// Writes one row per statement with its speaker identity and article. Parquet goes
    /// to a file of its own ([`Store::export_parquet`]).
    pub fn export(&self, format: Export, out: &mut dyn Write) -> Result<usize> {
        if format == Export::Parquet {
            return Err(StoreError("Parquet needs a file: use export_parquet".into()));
        }
        let io = |e: std::io::Error| StoreError(format!("writing the export: {e}"));
        let mut st = self.conn().prepare(EXPORT_SQL)?;
        if format == Export::Csv {
            writeln!(out, "{}", EXPORT_COLUMNS.join(",")).map_err(io)?;
        }
        let mut rows = st.query([])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let values: Vec<Value> = (0..EXPORT_COLUMNS.len()).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<_>>()?;
            match format {
                Export::Csv => {
                    let cells: Vec<String> = values.iter().map(csv_cell).collect();
                    writeln!(out, "{}", cells.join(",")).map_err(io)?;
                }
                Export::Parquet => unreachable!("refused above"),
                Export::Jsonl => {
                    let obj: serde_json::Map<String, serde_json::Value> =
                        EXPORT_COLUMNS.iter().zip(&values).map(|(k, v)| (k.to_string(), json_value(k, v))).collect();
                    writeln!(out, "{}", serde_json::Value::Object(obj)).map_err(io)?;
                }
            }
            n += 1;
        }
        Ok(n)
    }
}

const EXPORT_SQL: &str =
    "SELECT id, kind, content, cue, cue_lemma, source, speaker_name, speaker_kind, json_extract(speaker_roles, '$[0]'),
    identity, identity_name, place, medium, addressee, negated, score, trail, article_source_id, url, title, outlet, published
    FROM statement_texts ORDER BY id";

/// The Parquet type of each export column, in order.
const PARQUET_SCHEMA: &str = "message statement {
    OPTIONAL INT64 statement_id; OPTIONAL BYTE_ARRAY kind (UTF8); OPTIONAL BYTE_ARRAY content (UTF8); OPTIONAL BYTE_ARRAY cue (UTF8);
    OPTIONAL BYTE_ARRAY cue_lemma (UTF8); OPTIONAL BYTE_ARRAY source (UTF8); OPTIONAL BYTE_ARRAY speaker_name (UTF8);
    OPTIONAL BYTE_ARRAY speaker_kind (UTF8); OPTIONAL BYTE_ARRAY role (UTF8); OPTIONAL INT64 identity_id;
    OPTIONAL BYTE_ARRAY identity_name (UTF8); OPTIONAL BYTE_ARRAY place (UTF8); OPTIONAL BYTE_ARRAY medium (UTF8);
    OPTIONAL BYTE_ARRAY addressee (UTF8); OPTIONAL BOOLEAN negated; OPTIONAL DOUBLE score; OPTIONAL INT64 trail_id;
    OPTIONAL BYTE_ARRAY article_id (UTF8); OPTIONAL BYTE_ARRAY url (UTF8); OPTIONAL BYTE_ARRAY title (UTF8);
    OPTIONAL BYTE_ARRAY outlet (UTF8); OPTIONAL BYTE_ARRAY published (UTF8);
}";

/// Rows per Parquet row group: memory holds one group.
const ROW_GROUP: usize = 65_536;

impl Store {
    /// Writes the export as Parquet (Snappy-compressed), one row group per 65,536 rows.
    pub fn export_parquet(&self, file: std::fs::File) -> Result<usize> {
        use parquet::basic::Compression;
        use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
        use parquet::file::properties::WriterProperties;
        use parquet::file::writer::SerializedFileWriter;

        let pq = |e: parquet::errors::ParquetError| StoreError(format!("writing Parquet: {e}"));
        let schema = std::sync::Arc::new(parquet::schema::parser::parse_message_type(PARQUET_SCHEMA).map_err(pq)?);
        let props = std::sync::Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).build());
        let mut writer = SerializedFileWriter::new(file, schema, props).map_err(pq)?;
        let mut st = self.conn().prepare(EXPORT_SQL)?;
        let mut rows = st.query([])?;
        let mut group: Vec<Vec<Value>> = Vec::with_capacity(ROW_GROUP);
        let mut n = 0;
        loop {
            let row = rows.next()?;
            if let Some(r) = row {
                group.push((0..EXPORT_COLUMNS.len()).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<_>>()?);
            }
            if group.len() == ROW_GROUP || (row.is_none() && !group.is_empty()) {
                let mut rg = writer.next_row_group().map_err(pq)?;
                let mut c = 0;
                while let Some(mut col) = rg.next_column().map_err(pq)? {
                    let cells: Vec<&Value> = group.iter().map(|r| &r[c]).collect();
                    let defs: Vec<i16> = cells.iter().map(|v| i16::from(!matches!(v, Value::Null))).collect();
                    match cells.iter().find(|v| !matches!(v, Value::Null)).copied().unwrap_or(&Value::Null) {
                        _ if EXPORT_COLUMNS[c] == "negated" => {
                            let vals: Vec<bool> =
                                cells.iter().filter_map(|v| if let Value::Integer(i) = v { Some(*i != 0) } else { None }).collect();
                            col.typed::<BoolType>().write_batch(&vals, Some(&defs), None).map_err(pq)?;
                        }
                        _ if EXPORT_COLUMNS[c] == "score" => {
                            let vals: Vec<f64> =
                                cells.iter().filter_map(|v| if let Value::Real(f) = v { Some(*f) } else { None }).collect();
                            col.typed::<DoubleType>().write_batch(&vals, Some(&defs), None).map_err(pq)?;
                        }
                        _ if matches!(EXPORT_COLUMNS[c], "statement_id" | "identity_id" | "trail_id") => {
                            let vals: Vec<i64> =
                                cells.iter().filter_map(|v| if let Value::Integer(i) = v { Some(*i) } else { None }).collect();
                            col.typed::<Int64Type>().write_batch(&vals, Some(&defs), None).map_err(pq)?;
                        }
                        _ => {
                            let vals: Vec<ByteArray> = cells
                                .iter()
                                .filter_map(|v| if let Value::Text(t) = v { Some(ByteArray::from(t.as_str())) } else { None })
                                .collect();
                            col.typed::<ByteArrayType>().write_batch(&vals, Some(&defs), None).map_err(pq)?;
                        }
                    }
                    col.close().map_err(pq)?;
                    c += 1;
                }
                rg.close().map_err(pq)?;
                n += group.len();
                group.clear();
            }
            if row.is_none() {
                break;
            }
        }
        writer.close().map_err(pq)?;
        Ok(n)
    }
}

fn json_value(column: &str, v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) if column == "negated" => serde_json::Value::Bool(*i != 0),
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Text(t) => t.clone().into(),
        Value::Blob(_) => serde_json::Value::Null,
    }
}

fn csv_cell(v: &Value) -> String {
    match v {
        Value::Null | Value::Blob(_) => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => csv_field(t),
    }
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_words_never_syntax() {
        assert_eq!(fts_query("new normal").unwrap(), "\"new\" \"normal\"");
        assert_eq!(fts_query("\"Indus* NEAR (water").unwrap(), "\"Indus\" \"NEAR\" \"water\"");
        assert!(fts_query("*** ()").is_err());
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("2024-05-03").is_ok() && check_date("2024-05").is_ok() && check_date("2024").is_ok());
        for bad in ["yesterday", "2024-13", "2024-5-3", "03.05.2024", ""] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
    }
}

//! The embedded store: articles with their statements, speakers, links and posts in one
//! SQLite file, full-text search over statements (FTS5), speaker identities across
//! articles, and quote trails built as articles arrive. Only this crate knows SQL.

mod identity;
mod query;
mod trail;

use std::fmt;
use std::path::Path;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use sayso_extract::report::ArticleReport;

pub use query::{csv_field, Export, Hit, IdentityPage, IdentityRow, SearchQuery, TrailPage};

/// The schema this build reads and writes. A database of another version is refused.
pub const SCHEMA_VERSION: i64 = 1;
const SCHEMA: &str = include_str!("schema.sql");

#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError(match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                "not a sayso database (not SQLite, or damaged)".into()
            }
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull => "the disk is full".into(),
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ReadOnly => "the database is read-only".into(),
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::CannotOpen => "cannot open the database file".into(),
            _ => e.to_string(),
        })
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One article to store: its report (with its text) as sayso outputs it.
pub struct Article<'a> {
    pub report: &'a ArticleReport,
    pub text: &'a str,
}

/// What one batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ingested {
    pub new: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub statements: usize,
}

pub struct Store {
    conn: Connection,
    /// Loaded on the first ingest: reading needs none of it.
    identities: Option<identity::Identities>,
}

impl Store {
    /// Opens a store for writing, creating it if it does not exist.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| StoreError(format!("{}: {}", path.display(), StoreError::from(e))))?;
        let store = Store::init(conn, true).map_err(|e| StoreError(format!("{}: {e}", path.display())))?;
        Ok(store)
    }

    /// Opens an existing store for reading.
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError(format!("{}: no such database (create one with `sayso ingest`)", path.display())));
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| StoreError(format!("{}: {}", path.display(), StoreError::from(e))))?;
        Store::init(conn, false).map_err(|e| StoreError(format!("{}: {e}", path.display())))
    }

    fn init(conn: Connection, write: bool) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Fails here, before anything is written, on a file that is not SQLite.
        let has_meta: bool =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", [], |r| r.get::<_, i64>(0))? > 0;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if has_meta {
            let v: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0)).optional()?;
            let v: i64 = v.and_then(|v| v.parse().ok()).unwrap_or(-1);
            if v != SCHEMA_VERSION {
                return Err(StoreError(format!("database schema version {v}; this sayso reads version {SCHEMA_VERSION}")));
            }
        } else if tables > 0 {
            return Err(StoreError("an SQLite database, but not sayso's (no meta table); refusing to touch it".into()));
        }
        if write {
            if !has_meta {
                // Large pages pack articles of a few kilobytes without leaving half-empty
                // pages behind (set before the first table is created).
                conn.pragma_update(None, "page_size", 65536)?;
            }
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            if !has_meta {
                conn.execute_batch(&format!(
                    "BEGIN; {SCHEMA} INSERT INTO meta(key, value) VALUES ('schema_version', '{SCHEMA_VERSION}'); COMMIT;"
                ))?;
            }
        } else if !has_meta {
            return Err(StoreError("an empty database".into()));
        }
        Ok(Store { conn, identities: None })
    }

    /// Stores a batch of articles in one transaction: all of them or, if the process
    /// dies, none. An article already stored (same key) with the same text is left as it
    /// is; with another text it is replaced.
    pub fn ingest(&mut self, batch: &[Article]) -> Result<Ingested> {
        if self.identities.is_none() {
            self.identities = Some(identity::Identities::load(&self.conn)?);
        }
        let result = self.ingest_batch(batch);
        if result.is_err() {
            // The transaction rolled back: forget identities it made.
            self.identities = None;
        }
        result
    }

    fn ingest_batch(&mut self, batch: &[Article]) -> Result<Ingested> {
        let identities = self.identities.as_mut().expect("loaded above");
        let tx = self.conn.transaction()?;
        let mut done = Ingested::default();
        let now = now_iso();
        for a in batch {
            let r = a.report;
            let hash = format!("{:016x}", fnv64(a.text.as_bytes()));
            let key = r.canonical_url.clone().or_else(|| r.url.clone()).unwrap_or_else(|| format!("sha:{hash}"));
            let old: Option<(i64, String)> = tx
                .query_row("SELECT id, text_hash FROM articles WHERE key = ?1", [&key], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            match old {
                Some((_, h)) if h == hash => {
                    done.unchanged += 1;
                    continue;
                }
                Some((id, _)) => {
                    tx.execute("DELETE FROM statements_fts WHERE rowid IN (SELECT id FROM statements WHERE article = ?1)", [id])?;
                    for table in ["statements", "speakers", "links", "posts"] {
                        tx.execute(&format!("DELETE FROM {table} WHERE article = ?1"), [id])?;
                    }
                    tx.execute("DELETE FROM articles WHERE id = ?1", [id])?;
                    done.replaced += 1;
                }
                None => done.new += 1,
            }
            tx.execute(
                "INSERT INTO articles (key, source_id, url, canonical_url, title, outlet, published, language, authors, text_hash, text, ingested_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    key,
                    r.id,
                    r.url,
                    r.canonical_url,
                    r.title,
                    r.outlet,
                    r.published,
                    r.language,
                    serde_json::to_string(&r.authors).unwrap_or_default(),
                    hash,
                    a.text,
                    now
                ],
            )?;
            let article = tx.last_insert_rowid();
            let mut speaker_rows = Vec::with_capacity(r.speakers.len());
            for sp in &r.speakers {
                // A person named by one word ("Brown") gets no identity: across articles that
                // would join everyone who shares a surname.
                let identity = match &sp.name {
                    Some(name) if sp.kind == "organization" || (sp.kind == "person" && name.split_whitespace().nth(1).is_some()) => {
                        Some(identities.resolve(&tx, name, sp.kind)?)
                    }
                    _ => None,
                };
                tx.prepare_cached("INSERT INTO speakers (article, local_id, name, kind, roles, identity) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
                    .execute(params![article, sp.id, sp.name, sp.kind, serde_json::to_string(&sp.roles).unwrap_or_default(), identity])?;
                speaker_rows.push((sp.id.as_str(), tx.last_insert_rowid(), identity));
            }
            for s in &r.statements {
                let local = s.speaker.as_ref().and_then(|sp| sp.id.as_deref());
                let (speaker, identity) = local
                    .and_then(|l| speaker_rows.iter().find(|(id, _, _)| *id == l))
                    .map_or((None, None), |&(_, row, ident)| (Some(row), ident));
                let setting = s.setting.as_ref();
                let fragments = s.content.fragments.is_some().then_some(&s.content.text);
                tx.prepare_cached(
                    "INSERT INTO statements (article, kind, start, end, fragments, cue, cue_lemma, source, speaker, identity,
                     place, medium, addressee, negated, score) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                )?
                .execute(params![
                    article,
                    s.kind,
                    s.content.start as i64,
                    s.content.end as i64,
                    fragments,
                    s.cue.as_ref().map(|c| &c.text),
                    s.cue.as_ref().map(|c| &c.lemma),
                    s.source.as_ref().map(|c| &c.text),
                    speaker,
                    identity,
                    setting.and_then(|st| st.place.as_ref()),
                    setting.and_then(|st| st.medium.as_ref()),
                    setting.and_then(|st| st.addressee.as_ref()),
                    s.negated,
                    s.score as f64
                ])?;
                let id = tx.last_insert_rowid();
                tx.prepare_cached("INSERT INTO statements_fts (rowid, content) VALUES (?1, ?2)")?.execute(params![id, s.content.text])?;
                if matches!(s.kind, "direct" | "mixed" | "post") {
                    if let Some(t) = trail::assign(&tx, id, &s.content.text)? {
                        tx.prepare_cached("UPDATE statements SET trail = ?1 WHERE id = ?2")?.execute([t, id])?;
                    }
                }
                done.statements += 1;
            }
            for l in &r.links {
                tx.prepare_cached("INSERT INTO links (article, label, title, url) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![article, l.label, l.title, l.url])?;
            }
            for p in &r.posts {
                if let Some(handle) = &p.handle {
                    // The author's account is another name for them.
                    let id = identities.resolve(&tx, &p.author, "person")?;
                    identities.add_alias(&tx, id, "person", &format!("@{handle}"))?;
                }
                tx.prepare_cached(
                    "INSERT INTO posts (article, platform, author, handle, date, url, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![article, p.platform, p.author, p.handle, p.date, p.url, p.text.text])?;
            }
        }
        tx.commit()?;
        Ok(done)
    }

    /// SQLite's own check of the file ("ok" when sound).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    pub fn counts(&self) -> Result<(i64, i64, i64)> {
        let n = |sql: &str| self.conn.query_row(sql, [], |r| r.get::<_, i64>(0));
        Ok((n("SELECT count(*) FROM articles")?, n("SELECT count(*) FROM statements")?, n("SELECT count(*) FROM identities")?))
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// FNV-1a: a stable hash of an article's text, to tell a changed version from the same.
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

/// The current UTC time as ISO 8601, from the system clock.
fn now_iso() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

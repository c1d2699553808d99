//! The embedded store: articles with their statements, speakers, links and posts in one
//! SQLite file, full-text search over statements (FTS5), speaker identities across
//! articles, and quote trails built as articles arrive. Only this crate knows SQL.

mod identity;
mod pages;
mod query;
mod spark;
mod trail;

use std::fmt;
use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use sayso_extract::report::ArticleReport;

pub use pages::{ArticlePage, LinkRow, PostRow, SpeakerRow, StatementRow};
pub use query::{check_date, csv_field, fts_query, Export, Hit, IdentityPage, IdentityRow, Lookup, SearchQuery, Sort, TrailPage};
pub use spark::{is_spark_output, SparkArticles};
pub use trail::sketch;

/// The schema this build reads and writes. A database of another version is refused
/// (version 1 used an FTS5 option that SQLite before 3.43 cannot read).
pub const SCHEMA_VERSION: i64 = 2;
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
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy => {
                "the database is locked by another process (gave up waiting)".into()
            }
            _ => e.to_string(),
        })
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// How long a writer waits for another one's batch to commit.
const WRITE_WAIT: Duration = Duration::from_secs(120);

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
    /// The same text as an article this run already stored (a duplicate in the input).
    pub duplicate: usize,
    pub statements: usize,
    /// Statements of texts this run stored and then replaced by a later version: counted in
    /// `statements` of an earlier batch, no longer in the store.
    pub superseded: usize,
}

pub struct Store {
    conn: Connection,
    /// Loaded on the first ingest: reading needs none of it.
    identities: Option<identity::Identities>,
    /// `PRAGMA data_version` when `identities` were loaded: another writer's commit changes it.
    seen_version: i64,
    /// This run's `ingested_at`: tells an article stored earlier in the same run.
    run: String,
    writer: bool,
}

impl Store {
    /// Opens a store for writing, creating it if it does not exist. Several writers may
    /// have one file open: each batch waits for the one in flight.
    pub fn open(path: &Path) -> Result<Store> {
        let at = |e: StoreError| StoreError(format!("{}: {e}", path.display()));
        if path.is_dir() {
            return Err(at(StoreError("a directory, not a database file".into())));
        }
        let conn = Connection::open(path).map_err(|e| at(e.into()))?;
        Store::init(conn, true).map_err(at)
    }

    /// Opens an existing store for reading. A file that ingest closed is in rollback mode:
    /// reading it makes no `-wal` or `-shm` file, so it can be read where nobody may write.
    /// A WAL file (an ingest running, or killed) that cannot get its `-shm` here is read as
    /// immutable when its WAL is empty.
    pub fn open_existing(path: &Path) -> Result<Store> {
        let at = |e: StoreError| StoreError(format!("{}: {e}", path.display()));
        if !path.exists() {
            return Err(at(StoreError("no such database (create one with `sayso ingest`)".into())));
        }
        if path.is_dir() {
            return Err(at(StoreError("a directory, not a database file".into())));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        match Connection::open_with_flags(path, flags).map_err(StoreError::from).and_then(|c| Store::init(c, false)) {
            // A WAL file whose -shm cannot be made here (a read-only folder): with nothing in
            // its WAL the file alone is the whole database, read as immutable.
            Err(e) if is_wal(path) && !wal_has_frames(path) => Store::open_immutable(path).map_err(|_| at(e)),
            Err(e) if is_wal(path) => Err(at(StoreError(format!(
                "{e}; its -wal file holds changes not yet merged into it: open it once with write access (sayso ingest) to merge them"
            )))),
            r => r.map_err(at),
        }
    }

    /// Opens a store that no process writes to (read-only media, a folder nobody may write
    /// in) for reading, without locks or `-shm`: what a `-wal` file holds is not seen.
    pub fn open_immutable(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let uri = format!("{}?immutable=1", file_uri(path));
        let conn =
            Connection::open_with_flags(&uri, flags).map_err(|e| StoreError(format!("{}: {}", path.display(), StoreError::from(e))))?;
        Store::init(conn, false).map_err(|e| StoreError(format!("{}: {e}", path.display())))
    }

    fn init(conn: Connection, write: bool) -> Result<Store> {
        conn.busy_timeout(if write { WRITE_WAIT } else { Duration::from_secs(10) })?;
        // Fails here, before anything is written, on a file that is not SQLite.
        // One statement, one snapshot: read apart, another writer creating the schema in
        // between made a new file look like somebody else's database.
        let (has_meta, tables) = retry_busy(|| {
            conn.query_row("SELECT coalesce(sum(type = 'table' AND name = 'meta'), 0), count(*) FROM sqlite_master", [], |r| {
                Ok((r.get::<_, i64>(0)? > 0, r.get::<_, i64>(1)?))
            })
        })?;
        if has_meta {
            check_version(&conn)?;
        } else if tables > 0 {
            return Err(StoreError("an SQLite database, but not sayso's (no meta table); refusing to touch it".into()));
        }
        if write {
            // Another writer may be setting the same new file up: each step can meet its lock
            // (changing the journal mode does not wait on its own), and each is idempotent.
            retry_busy(|| {
                if !has_meta {
                    // Large pages pack articles of a few kilobytes without leaving half-empty
                    // pages behind (set before the first table is created).
                    conn.pragma_update(None, "page_size", 65536)?;
                }
                conn.pragma_update(None, "journal_mode", "WAL")?;
                conn.pragma_update(None, "synchronous", "NORMAL")?;
                if !has_meta {
                    // The schema is made once, under the write lock.
                    let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)?;
                    tx.execute_batch(&format!(
                        "{SCHEMA} INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '{SCHEMA_VERSION}');"
                    ))?;
                    tx.commit()?;
                }
                Ok(())
            })?;
            if !has_meta {
                check_version(&conn)?;
            }
        } else if !has_meta {
            return Err(StoreError("an empty database".into()));
        } else {
            // Readers map the file rather than copy its pages.
            conn.pragma_update(None, "mmap_size", 1i64 << 32)?;
        }
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let run = sayso_doc::iso_from_epoch(now.as_secs() as i64, now.subsec_millis());
        Ok(Store { conn, identities: None, seen_version: 0, run, writer: write })
    }

    /// Stores a batch of articles in one transaction: all of them or, if the process
    /// dies, none. An article already stored (same key) with the same text is left as it
    /// is; with another text it is replaced.
    pub fn ingest(&mut self, batch: &[Article]) -> Result<Ingested> {
        let result = self.ingest_batch(batch);
        if result.is_err() {
            // The transaction rolled back: forget identities it made.
            self.identities = None;
        }
        result
    }

    fn ingest_batch(&mut self, batch: &[Article]) -> Result<Ingested> {
        // The write lock first (waiting for another writer's batch), so that nothing read
        // here can be changed by another writer before this commits.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self.identities.is_none() || version != self.seen_version {
            // First batch, or another writer committed since: its identities are needed.
            self.identities = Some(identity::Identities::load(&tx)?);
            self.seen_version = version;
        }
        let identities = self.identities.as_mut().expect("loaded above");
        let mut done = Ingested::default();
        let now = &self.run;
        for a in batch {
            let r = a.report;
            let hash = format!("{:016x}", fnv64(a.text.as_bytes()));
            let key = r.canonical_url.clone().or_else(|| r.url.clone()).unwrap_or_else(|| format!("sha:{hash}"));
            let old: Option<(i64, String, String)> = tx
                .prepare_cached("SELECT id, text_hash, ingested_at FROM articles WHERE key = ?1")?
                .query_row([&key], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .optional()?;
            match old {
                Some((_, h, at)) if h == hash => {
                    if at == *now {
                        done.duplicate += 1;
                    } else {
                        done.unchanged += 1;
                    }
                    continue;
                }
                Some((id, _, at)) => {
                    let removed = remove_article(&tx, id)?;
                    if at == *now {
                        done.superseded += removed;
                    }
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
                    r.published.as_deref().and_then(sayso_doc::iso_date),
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
                tx.prepare_cached("INSERT INTO statements_fts (rowid, content) VALUES (?1, ?2)")?
                    .execute(params![id, query::index_text(&s.content.text)])?;
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
                if let (Some(handle), Some(author)) = (&p.handle, &p.author) {
                    // The author's account is another name for them.
                    let id = identities.resolve(&tx, author, "person")?;
                    identities.add_alias(&tx, id, "person", handle)?;
                }
                tx.prepare_cached(
                    "INSERT INTO posts (article, platform, author, handle, date, url, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    article,
                    p.platform,
                    p.author.as_deref().unwrap_or_default(),
                    p.handle,
                    p.date,
                    p.url,
                    p.text.as_ref().map_or("", |t| t.text.as_str())
                ])?;
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

impl Drop for Store {
    /// Leaves the file in rollback-journal mode, so that readers need no `-wal` or `-shm`
    /// file (a read-only folder cannot hold them). Not possible while another process has
    /// the file open: the last writer to close does it.
    fn drop(&mut self) {
        if self.writer && self.conn.busy_timeout(Duration::ZERO).is_ok() {
            let _ = self.conn.pragma_update(None, "journal_mode", "DELETE");
        }
    }
}

/// Runs `f` again while the database is locked by another connection, for up to
/// [`WRITE_WAIT`]: for statements SQLite's busy handler does not wait on.
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy && started.elapsed() < WRITE_WAIT => {
                std::thread::sleep(Duration::from_millis(10));
            }
            r => return r,
        }
    }
}

fn check_version(conn: &Connection) -> Result<()> {
    let v: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0)).optional()?;
    let v: i64 = v.and_then(|v| v.parse().ok()).unwrap_or(-1);
    if v != SCHEMA_VERSION {
        return Err(StoreError(format!(
            "database schema version {v}; this sayso reads version {SCHEMA_VERSION} (ingest the articles into a new file)"
        )));
    }
    Ok(())
}

/// Removes a stored article with everything of it, its index entries too. The index is
/// contentless: each entry goes with the words it was made of, the statement's content.
/// Returns how many statements it had.
fn remove_article(tx: &rusqlite::Transaction, id: i64) -> Result<usize> {
    let contents = tx
        .prepare_cached(
            "SELECT s.id, coalesce(s.fragments, substr(a.text, s.start + 1, s.end - s.start)) FROM statements s
             JOIN articles a ON a.id = s.article WHERE s.article = ?1",
        )?
        .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (statement, content) in &contents {
        tx.prepare_cached("INSERT INTO statements_fts (statements_fts, rowid, content) VALUES ('delete', ?1, ?2)")?
            .execute(params![statement, query::index_text(content)])?;
    }
    for table in ["statements", "speakers", "links", "posts"] {
        tx.execute(&format!("DELETE FROM {table} WHERE article = ?1"), [id])?;
    }
    tx.execute("DELETE FROM articles WHERE id = ?1", [id])?;
    Ok(contents.len())
}

/// A path as an SQLite URI (so that `?immutable=1` can follow it), its bytes escaped.
fn file_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in abs.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/._-~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// Whether the file's header says WAL mode (bytes 18 and 19 are 2).
fn is_wal(path: &Path) -> bool {
    let mut head = [0u8; 20];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok() && head[18] == 2 && head[19] == 2
}

/// Whether a `-wal` file holds committed pages not yet in the database file.
fn wal_has_frames(path: &Path) -> bool {
    // A WAL header is 32 bytes; frames follow it.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 32)
}

/// FNV-1a: a stable hash of an article's text, to tell a changed version from the same.
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

-- sayso's store. Users may query this file directly (sqlite3, Datasette, DuckDB's sqlite
-- extension); README.md documents the tables. Offsets are Unicode code points into
-- articles.text, as in sayso's JSON output.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS articles (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,     -- canonical URL, else URL, else "sha:" + hash of the text
    source_id     TEXT NOT NULL,            -- the id sayso gave it (file name, WARC-Record-ID, JSONL id)
    url           TEXT,
    canonical_url TEXT,
    title         TEXT,
    outlet        TEXT,
    published     TEXT,                     -- ISO 8601; null when the source's date could not be read
    language      TEXT,
    authors       TEXT NOT NULL,            -- JSON array
    text_hash     TEXT NOT NULL,
    text          TEXT NOT NULL,
    ingested_at   TEXT NOT NULL             -- when the ingest run that stored it started (UTC)
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);

-- A person or organisation across articles: one name, many aliases.
CREATE TABLE IF NOT EXISTS identities (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    kind  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS aliases (
    alias    TEXT PRIMARY KEY,              -- lower-cased name as written
    identity INTEGER NOT NULL REFERENCES identities(id)
);
CREATE INDEX IF NOT EXISTS aliases_identity ON aliases(identity);

-- A speaker as one article names it.
CREATE TABLE IF NOT EXISTS speakers (
    id       INTEGER PRIMARY KEY,
    article  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,                 -- "s1", as in the article's JSON
    name     TEXT,
    kind     TEXT NOT NULL,
    roles    TEXT NOT NULL,                 -- JSON array
    identity INTEGER REFERENCES identities(id)
);
CREATE INDEX IF NOT EXISTS speakers_article ON speakers(article);
CREATE INDEX IF NOT EXISTS speakers_identity ON speakers(identity);

-- Quote trails: the same quotation carried by many articles.
CREATE TABLE IF NOT EXISTS trails (
    id              INTEGER PRIMARY KEY,
    first_statement INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS trail_keys (
    key   INTEGER PRIMARY KEY,              -- a hash of four words of a quotation
    trail INTEGER NOT NULL REFERENCES trails(id)
);

CREATE TABLE IF NOT EXISTS statements (
    id        INTEGER PRIMARY KEY,
    article   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,                -- direct, mixed, indirect, post
    start     INTEGER NOT NULL,             -- the content: code points into articles.text
    end       INTEGER NOT NULL,
    fragments TEXT,                         -- only for a content in several pieces: them, joined by spaces
    cue       TEXT,
    cue_lemma TEXT,
    source    TEXT,                         -- the source mention as written ("he")
    speaker   INTEGER REFERENCES speakers(id),
    identity  INTEGER REFERENCES identities(id),
    place     TEXT,
    medium    TEXT,
    addressee TEXT,
    negated   INTEGER NOT NULL,
    score     REAL NOT NULL,
    trail     INTEGER REFERENCES trails(id)
);
CREATE INDEX IF NOT EXISTS statements_article ON statements(article);
CREATE INDEX IF NOT EXISTS statements_identity ON statements(identity) WHERE identity IS NOT NULL;
CREATE INDEX IF NOT EXISTS statements_trail ON statements(trail) WHERE trail IS NOT NULL;

-- Statements with their text and speaker: what to query by hand.
CREATE VIEW IF NOT EXISTS statement_texts AS
SELECT s.*, coalesce(s.fragments, substr(a.text, s.start + 1, s.end - s.start)) AS content,
       sp.name AS speaker_name, sp.kind AS speaker_kind, sp.roles AS speaker_roles, i.name AS identity_name,
       a.source_id AS article_source_id, a.url, a.title, a.outlet, a.published
FROM statements s JOIN articles a ON a.id = s.article
LEFT JOIN speakers sp ON sp.id = s.speaker LEFT JOIN identities i ON i.id = s.identity;

-- Full-text index of statement contents: contentless (the text lives in articles), with
-- positions so that bm25 ranks and a CJK word is a phrase of its characters (each Han, kana
-- or Hangul character is indexed as a word of its own). Rows are removed with the FTS5
-- 'delete' command, which SQLite 3.37 and later (Debian 12, Python 3.11) all read.
CREATE VIRTUAL TABLE IF NOT EXISTS statements_fts USING fts5(
    content, content='', detail=full, tokenize='unicode61 remove_diacritics 2'
);

CREATE TABLE IF NOT EXISTS links (
    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    label   TEXT NOT NULL,
    title   TEXT NOT NULL,
    url     TEXT
);
CREATE INDEX IF NOT EXISTS links_article ON links(article);

CREATE TABLE IF NOT EXISTS posts (
    article  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    author   TEXT NOT NULL,
    handle   TEXT,
    date     TEXT,
    url      TEXT,
    text     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_article ON posts(article);

//! Readers that turn inputs into articles: plain text, HTML pages, JSONL (a `text` or an
//! `html` field), WARC archives, RSS and Atom feeds, each possibly gzip- or
//! zstd-compressed, from files, directories or stdin. The format is told from the content
//! (magic bytes, first markup), the file name only where the content cannot tell.
//! A broken record is reported with its file and line or record id and skipped; reading
//! goes on. Reading is sequential; turning records into documents ([`Record::into_document`])
//! is the costly part and can run in parallel.

mod feed;
mod gzip;
mod warc;

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sayso_doc::{Alignment, Document, Meta, Warning};
use serde::Deserialize;

/// Lines longer than this are skipped with an error rather than read into memory.
pub const MAX_RECORD_BYTES: usize = 256 << 20;

/// A record that could not be read, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}:{}: {}", self.path, n, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Where articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

/// File names that directories are searched for (each also with `.gz` or `.zst`).
const EXTENSIONS: &[&str] = &["txt", "jsonl", "html", "htm", "xhtml", "warc", "xml", "rss", "atom"];

/// Expands paths into inputs: directories recursively (sorted, known extensions only),
/// `-` for stdin. No paths means stdin. A directory walk reads each real file once, however
/// many links lead to it, and follows no link back up (`sub/up -> ..`).
pub fn inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    if paths.is_empty() {
        out.push(Input::Stdin);
    }
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, &mut out, &mut errors, &mut seen);
        } else if p.exists() {
            seen.extend(std::fs::canonicalize(p));
            out.push(Input::File(p.clone()));
        } else {
            errors.push(InputError { path: p.display().to_string(), line: None, message: "no such file or directory".into() });
        }
    }
    (out, errors)
}

/// `seen` holds the canonical paths of the directories and files already taken.
fn walk(dir: &Path, out: &mut Vec<Input>, errors: &mut Vec<InputError>, seen: &mut HashSet<PathBuf>) {
    // A path that cannot be resolved is read as given, and fails with its own message.
    let first_visit = |p: &Path, seen: &mut HashSet<PathBuf>| std::fs::canonicalize(p).map_or(true, |c| seen.insert(c));
    if !first_visit(dir, seen) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(InputError { path: dir.display().to_string(), line: None, message: e.to_string() });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out, errors, seen);
        } else if EXTENSIONS.contains(&Kind::extension(&p).as_str()) && first_visit(&p, seen) {
            out.push(Input::File(p));
        }
    }
}

/// What an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Html,
    Jsonl,
    Warc,
    Feed,
}

impl Kind {
    /// The extension under any compression suffix: `a.html.gz` → `html`.
    fn extension(p: &Path) -> String {
        let name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let name = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst")).unwrap_or(&name);
        name.rsplit_once('.').map(|(_, e)| e.to_string()).unwrap_or_default()
    }

    /// Told from the first bytes of the (decompressed) content; the extension decides
    /// only between plain text and JSONL, which content alone cannot.
    fn sniff(head: &[u8], ext: &str) -> Kind {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
        let t = String::from_utf8_lossy(&head[start..head.len().min(start + 2048)]).to_ascii_lowercase();
        if t.starts_with("warc/") {
            Kind::Warc
        } else if t.starts_with('<') && (t.contains("<rss") || t.contains("<feed") || t.contains("<rdf:rdf")) {
            Kind::Feed
        } else if t.starts_with('<') && !matches!(ext, "txt") {
            Kind::Html
        } else if ext == "jsonl" || (ext != "txt" && t.starts_with('{')) {
            Kind::Jsonl
        } else {
            Kind::Text
        }
    }
}

#[derive(Deserialize)]
struct JsonArticle {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    authors: Option<Vec<String>>,
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
    outlet: Option<String>,
}

/// HTML handed over as a Rust string: already UTF-8.
const UTF8_HTML: &str = "text/html; charset=utf-8";

/// An article as read, not yet turned into a document.
#[derive(Clone)]
pub struct Record {
    /// Where it came from, for messages: the file, and the line or record id.
    pub origin: InputError,
    pub meta: Meta,
    pub body: Body,
    /// Problems met while reading it (a feed's invalid bytes).
    pub warnings: Vec<Warning>,
}

#[derive(Clone)]
pub enum Body {
    /// Text already decoded (a JSONL `text` field).
    Text(String),
    /// A plain-text file's bytes.
    TextBytes(Vec<u8>),
    /// A page: its bytes, the HTTP Content-Type if known, where the bytes sit in the
    /// source when they are a piece of it (a feed item), and the text to read when the page
    /// gives none (a JSONL record with both `html` and `text`).
    Html { bytes: Vec<u8>, content_type: Option<String>, to_source: Option<Alignment>, or_text: Option<String> },
}

impl Record {
    /// Bytes of input the record holds.
    pub fn len(&self) -> usize {
        match &self.body {
            Body::Text(t) => t.len(),
            Body::TextBytes(b) | Body::Html { bytes: b, .. } => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decodes, parses and extracts the article text. Errors name the record.
    pub fn into_document(self) -> Result<Document, InputError> {
        let fail = |origin: InputError, m: String| {
            let message = if origin.message.is_empty() { m } else { format!("{}: {m}", origin.message) };
            Err(InputError { message, ..origin })
        };
        let warnings = self.warnings;
        let mut doc = match self.body {
            Body::Text(text) => {
                if text.trim().is_empty() {
                    return fail(self.origin, format!("article {:?} has an empty text", self.meta.id));
                }
                Document::from_text(self.meta, text)
            }
            Body::TextBytes(bytes) => text_document(self.meta, &bytes).or_else(|m| fail(self.origin, m))?,
            Body::Html { bytes, content_type, to_source, or_text } => {
                if let Some(ct) = content_type.as_deref().map(str::to_ascii_lowercase) {
                    if !(ct.contains("html") || ct.contains("xml") || ct.starts_with("text/")) {
                        return fail(self.origin, format!("not a page ({ct}), skipped"));
                    }
                }
                if bytes.iter().take(1024).filter(|&&b| b == 0).count() > 8 {
                    return fail(self.origin, "binary content, not a page, skipped".into());
                }
                let page = sayso_html::read_page(&bytes, content_type.as_deref(), self.meta.url.as_deref());
                match or_text.filter(|t| !t.trim().is_empty()) {
                    _ if !page.text.trim().is_empty() => page_document(self.meta, page, to_source),
                    Some(text) => {
                        let mut doc = Document::from_text(self.meta, text);
                        doc.warnings.push(Warning::new("no article text in the \"html\" field; read the \"text\" field", None));
                        doc
                    }
                    None => return fail(self.origin, "no article text found in the page".into()),
                }
            }
        };
        doc.warnings.splice(0..0, warnings);
        // Every reader's date as ISO 8601, so that the store compares like with like.
        if let Some(p) = doc.meta.published.take() {
            doc.meta.published = sayso_doc::iso_date(&p);
            if doc.meta.published.is_none() {
                doc.warnings.push(Warning::new(format!("published date {p:?} is not a date; left out"), None));
            }
        }
        if doc.meta.language.is_none() {
            doc.meta.language = detect_language(&doc.text);
        }
        Ok(doc)
    }
}

/// The language of a text that does not declare one, as a BCP 47 tag, where the detector
/// is sure of it (it reads the first 1 KB: enough, and linear).
fn detect_language(text: &str) -> Option<String> {
    let head = &text[..text.floor_char_boundary(1024)];
    // English, most of what is read, by its commonest words: at a tenth of the detector's cost.
    if is_plainly_english(head) {
        return Some("en".to_string());
    }
    let info = whatlang::detect(head).filter(whatlang::Info::is_reliable)?;
    let code = info.lang().code();
    // ISO 639-1 where the language has one, as pages declare it.
    #[rustfmt::skip]
    const TWO: &[(&str, &str)] = &[
        ("eng", "en"), ("deu", "de"), ("fra", "fr"), ("spa", "es"), ("ita", "it"), ("por", "pt"), ("nld", "nl"), ("pol", "pl"),
        ("rus", "ru"), ("ukr", "uk"), ("tur", "tr"), ("jpn", "ja"), ("cmn", "zh"), ("kor", "ko"), ("ara", "ar"), ("heb", "he"),
        ("swe", "sv"), ("dan", "da"), ("nob", "no"), ("fin", "fi"), ("ces", "cs"), ("slk", "sk"), ("hun", "hu"), ("ron", "ro"),
        ("ell", "el"), ("bul", "bg"), ("hrv", "hr"), ("srp", "sr"), ("slv", "sl"), ("ind", "id"), ("vie", "vi"), ("tha", "th"),
        ("hin", "hi"), ("ben", "bn"), ("pes", "fa"), ("cat", "ca"), ("lit", "lt"), ("lav", "lv"), ("est", "et"),
    ];
    Some(TWO.iter().find(|(three, _)| *three == code).map_or(code, |(_, two)| two).to_string())
}

/// At least one word in eight among the commonest English function words, "the" among them:
/// no other language's text comes near.
fn is_plainly_english(text: &str) -> bool {
    let (mut words, mut common, mut the) = (0, 0, 0);
    for w in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        const COMMON: &[&str] = &["the", "and", "of", "to", "that", "is", "was", "for", "with", "said", "it", "he"];
        the += w.eq_ignore_ascii_case("the") as usize;
        common += COMMON.iter().any(|c| w.eq_ignore_ascii_case(c)) as usize;
    }
    words >= 40 && the >= 3 && common * 8 >= words
}

/// A document of a page's article: the record's metadata first, the page's where it has none.
fn page_document(keep: Meta, page: sayso_html::Page, to_source: Option<Alignment>) -> Document {
    let m = page.meta;
    let meta = Meta {
        id: keep.id,
        title: keep.title.or(m.title),
        url: keep.url.or_else(|| m.canonical_url.clone()),
        published: keep.published.or(m.published),
        outlet: m.outlet.or(keep.outlet),
        authors: if keep.authors.is_empty() { m.authors } else { keep.authors },
        language: keep.language.or(m.language),
        canonical_url: m.canonical_url.or(keep.canonical_url),
    };
    let alignment = match to_source {
        Some(outer) => page.alignment.then(&outer),
        None => page.alignment,
    };
    let layers = sayso_doc::Layers { hyperlinks: page.hyperlinks, embeds: page.embeds, ..Default::default() };
    Document { meta, text: page.text, alignment, layers, warnings: page.warnings }
}

/// UTF-16 text: a byte-order mark, or (ASCII in UTF-16) NUL bytes in every other place.
fn is_utf16(head: &[u8]) -> bool {
    let head = &head[..head.len().min(64)];
    let nuls_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let pairs = head.len() / 2;
    head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || (pairs >= 2 && nuls_at(0).max(nuls_at(1)) * 2 > pairs)
}

/// The id of a file input: its name without extensions (`a1b2.html.gz` → `a1b2`).
fn file_id(name: &str) -> String {
    let base = Path::new(name).file_name().map_or("stdin".into(), |s| s.to_string_lossy().into_owned());
    let mut id = base.as_str();
    for _ in 0..3 {
        match id.rsplit_once('.') {
            Some((stem, ext))
                if !stem.is_empty() && (EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) || ext == "gz" || ext == "zst") =>
            {
                id = stem
            }
            _ => break,
        }
    }
    id.to_string()
}

/// Opens a byte stream, undoing gzip (member by member, resuming after a damaged one) or
/// zstd compression if its magic bytes say so.
fn decompress(r: Box<dyn Read + Send>) -> io::Result<Box<dyn BufRead + Send>> {
    let mut b = BufReader::with_capacity(1 << 16, r);
    let head = b.fill_buf()?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(1 << 16, gzip::GzMembers::new(b)))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let z = ruzstd::decoding::StreamingDecoder::new(b).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        Box::new(BufReader::with_capacity(1 << 16, z))
    } else {
        Box::new(b)
    })
}

enum Open {
    Lines { name: String, r: Box<dyn BufRead + Send>, line: usize },
    Warc { name: String, r: warc::WarcReader<Box<dyn BufRead + Send>> },
    Records(std::vec::IntoIter<Result<Record, InputError>>),
}

/// Reads every input in turn, yielding records and errors in input order. Memory holds
/// one record at a time (one feed at a time for feeds).
pub struct Reader {
    inputs: std::vec::IntoIter<Input>,
    current: Option<Open>,
    stdin_is_jsonl: bool,
    /// Errors met while opening the current input, yielded before its records.
    pending: Vec<InputError>,
}

impl Reader {
    pub fn new(inputs: Vec<Input>) -> Reader {
        Reader { inputs: inputs.into_iter(), current: None, stdin_is_jsonl: false, pending: Vec::new() }
    }

    /// Treat stdin as JSONL (one article a line) whatever it looks like.
    pub fn stdin_jsonl(mut self, yes: bool) -> Reader {
        self.stdin_is_jsonl = yes;
        self
    }

    /// Yields documents rather than records, converting on this thread.
    pub fn documents(self) -> impl Iterator<Item = Result<Document, InputError>> {
        self.map(|r| r.and_then(Record::into_document))
    }

    fn open(&mut self, input: Input) -> Result<Open, InputError> {
        let (name, raw, ext): (String, Box<dyn Read + Send>, String) = match input {
            Input::Stdin => ("<stdin>".into(), Box::new(io::stdin()), if self.stdin_is_jsonl { "jsonl".into() } else { String::new() }),
            Input::File(p) => {
                let name = p.display().to_string();
                match File::open(&p) {
                    Ok(f) => (name, Box::new(f), Kind::extension(&p)),
                    Err(e) => return Err(InputError { path: name, line: None, message: e.to_string() }),
                }
            }
        };
        let err = |name: &str, e: io::Error| InputError { path: name.to_string(), line: None, message: e.to_string() };
        let mut r = decompress(raw).map_err(|e| err(&name, e))?;
        // A damaged first gzip member is reported; the kind is told from the next one.
        let head = loop {
            match r.fill_buf() {
                Err(e) if gzip::damage(&e).is_some() => self.pending.push(err(&name, e)),
                Err(e) => return Err(err(&name, e)),
                // Asked again: the first answer's borrow cannot leave the loop.
                Ok(_) => break r.fill_buf().map_err(|e| err(&name, e))?,
            }
        };
        let kind = if self.stdin_is_jsonl && name == "<stdin>" { Kind::Jsonl } else { Kind::sniff(head, &ext) };
        if kind == Kind::Jsonl && is_utf16(head) {
            let message = "UTF-16 (a byte-order mark or NUL bytes between the characters): JSONL must be UTF-8; convert it first, \
                           e.g. iconv -f UTF-16 -t UTF-8";
            return Err(InputError { path: name, line: None, message: message.into() });
        }
        match kind {
            Kind::Jsonl => return Ok(Open::Lines { name, r, line: 0 }),
            Kind::Warc => return Ok(Open::Warc { r: warc::WarcReader::new(r), name }),
            _ => {}
        }
        let origin = InputError { path: name.clone(), line: None, message: String::new() };
        let mut bytes = Vec::new();
        let n = r.take(MAX_RECORD_BYTES as u64 + 1).read_to_end(&mut bytes);
        let one = |body| {
            let meta = Meta { id: file_id(&name), ..Meta::default() };
            Ok(Open::Records(vec![Ok(Record { origin: origin.clone(), meta, body, warnings: Vec::new() })].into_iter()))
        };
        match n {
            Err(e) => Err(err(&name, e)),
            Ok(_) if bytes.len() > MAX_RECORD_BYTES => {
                Err(InputError { message: format!("larger than {} MB, skipped", MAX_RECORD_BYTES >> 20), ..origin })
            }
            Ok(_) => match kind {
                Kind::Html => one(Body::Html { bytes, content_type: None, to_source: None, or_text: None }),
                Kind::Feed => {
                    let (items, warning) = feed::items(&bytes, &file_id(&name));
                    if items.is_empty() {
                        return Err(InputError { message: "a feed with no item that has content".into(), ..origin });
                    }
                    Ok(Open::Records(
                        items
                            .into_iter()
                            .map(|it| {
                                let origin = InputError { message: format!("item {}", it.meta.id), ..origin.clone() };
                                let body = Body::Html {
                                    bytes: it.html.into_bytes(),
                                    content_type: Some(UTF8_HTML.into()),
                                    to_source: Some(it.to_source),
                                    or_text: None,
                                };
                                let warnings = warning.iter().map(|w| Warning::new(format!("feed: {w}"), None)).collect();
                                Ok(Record { origin, meta: it.meta, body, warnings })
                            })
                            .collect::<Vec<_>>()
                            .into_iter(),
                    ))
                }
                _ => one(Body::TextBytes(bytes)),
            },
        }
    }

    fn next_from(open: &mut Open) -> Option<Result<Record, InputError>> {
        match open {
            Open::Records(it) => it.next(),
            Open::Lines { name, r, line } => next_line(name, r, line),
            Open::Warc { name, r } => loop {
                let rec = match r.next_record()? {
                    Ok(rec) => rec,
                    Err(e) => return Some(Err(InputError { path: name.clone(), line: None, message: e })),
                };
                if rec.warc_type != "response" && rec.warc_type != "resource" {
                    continue;
                }
                let id = rec.record_id.clone().unwrap_or_default();
                let origin = InputError { path: name.clone(), line: None, message: format!("record {id}") };
                let (content_type, bytes) = match warc::http_response(&rec.block) {
                    Some((status, ct, body)) if (200..300).contains(&status) || status == 0 => (ct, body.to_vec()),
                    Some((status, _, _)) => {
                        return Some(Err(InputError { message: format!("{}: HTTP status {status}, skipped", origin.message), ..origin }))
                    }
                    None => (None, rec.block),
                };
                let meta = Meta { id: id.trim_matches(['<', '>']).to_string(), url: rec.target_uri, ..Meta::default() };
                let body = Body::Html { bytes, content_type, to_source: None, or_text: None };
                return Some(Ok(Record { origin, meta, body, warnings: Vec::new() }));
            },
        }
    }
}

impl Iterator for Reader {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if !self.pending.is_empty() {
                return Some(Err(self.pending.remove(0)));
            }
            if let Some(open) = self.current.as_mut() {
                if let Some(r) = Reader::next_from(open) {
                    return Some(r);
                }
                self.current = None;
            }
            let input = self.inputs.next()?;
            match self.open(input) {
                Ok(open) => self.current = Some(open),
                Err(e) => self.pending.push(e),
            }
        }
    }
}

fn next_line(name: &str, reader: &mut Box<dyn BufRead + Send>, line_no: &mut usize) -> Option<Result<Record, InputError>> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        *line_no += 1;
        let n = *line_no;
        let at = |message: String| InputError { path: name.to_string(), line: Some(n), message };
        match read_line_bounded(reader, &mut buf, MAX_RECORD_BYTES) {
            Err(e) => return Some(Err(at(e.to_string()))),
            Ok(LineRead::Eof) => return None,
            Ok(LineRead::TooLong) => return Some(Err(at(format!("line longer than {} MB, skipped", MAX_RECORD_BYTES >> 20)))),
            Ok(LineRead::Line) => {
                if buf.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                return Some(
                    json_record(&buf).map(|(meta, body, warnings)| Record { origin: at(String::new()), meta, body, warnings }).map_err(at),
                );
            }
        }
    }
}

enum LineRead {
    Line,
    TooLong,
    Eof,
}

/// Reads one line into `buf` without ever holding more than `max` bytes of it.
fn read_line_bounded(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<LineRead> {
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(if too_long {
                LineRead::TooLong
            } else if any {
                LineRead::Line
            } else {
                LineRead::Eof
            });
        }
        any = true;
        let (take, done) = match memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take);
        if done {
            return Ok(if too_long { LineRead::TooLong } else { LineRead::Line });
        }
    }
}

fn memchr(b: u8, s: &[u8]) -> Option<usize> {
    s.iter().position(|&c| c == b)
}

/// One JSONL record: `{"id", "text" | "html", "title"?, "url"?, "published"?, "outlet"?, "authors"?}`,
/// with a warning when its text holds U+FFFD (invalid UTF-8 in the line, or replaced before).
pub fn json_record(line: &[u8]) -> Result<(Meta, Body, Vec<Warning>), String> {
    let invalid = line.utf8_chunks().filter(|c| !c.invalid().is_empty()).count();
    let line = String::from_utf8_lossy(line);
    let a: JsonArticle = serde_json::from_str(&line).map_err(|e| format!("not a JSON article: {e}"))?;
    let replaced = [&a.text, &a.html].iter().filter_map(|t| t.as_deref()).map(|t| t.matches('\u{fffd}').count()).sum::<usize>();
    let warnings = match (invalid, replaced) {
        (0, 0) => Vec::new(),
        (0, n) => vec![Warning::new(format!("the text holds {n} U+FFFD replacement character(s): bytes lost before it was read"), None)],
        (n, _) => vec![Warning::new(format!("{n} byte sequence(s) not valid UTF-8 replaced with U+FFFD"), None)],
    };
    let id = match a.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => return Err("no \"id\" field".into()),
        Some(v) => v.to_string(),
    };
    let body = match (a.text, a.html) {
        (text, Some(html)) => Body::Html { bytes: html.into_bytes(), content_type: Some(UTF8_HTML.into()), to_source: None, or_text: text },
        (Some(text), None) => Body::Text(text),
        (None, None) => return Err("no \"text\" or \"html\" field".into()),
    };
    let meta = Meta {
        id,
        title: a.title,
        url: a.url,
        published: a.published,
        outlet: a.outlet,
        authors: a.authors.unwrap_or_default(),
        ..Meta::default()
    };
    Ok((meta, body, warnings))
}

/// A plain-text article from raw bytes: UTF-8 (a BOM is dropped), else the encoding a
/// BOM names or detection finds, with a warning; the alignment keeps every text offset's
/// source byte.
pub fn text_document(meta: Meta, bytes: &[u8]) -> Result<Document, String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file".into());
    }
    if bytes.iter().take(8192).any(|&b| b == 0) && !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF") {
        return Err("binary file (NUL bytes), skipped".into());
    }
    let decoded = sayso_html::charset::decode(bytes, None);
    let mut doc = Document::from_text(meta, String::new());
    doc.alignment = decoded.alignment;
    doc.text = decoded.text;
    doc.warnings.extend(decoded.warning.map(|w| Warning::new(w, None)));
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undeclared_language_is_detected_english_by_its_function_words() {
        let en = "The council said on Monday that it would review the plan, and the mayor said it was the best of the options that the city had for the harbour. ".repeat(2);
        let de = "Der Rat sagte am Montag, dass er den Plan prüfen werde, und der Bürgermeister sagte, es sei die beste der Möglichkeiten, die die Stadt für den Hafen habe. ".repeat(2);
        assert!(is_plainly_english(&en) && !is_plainly_english(&de));
        assert_eq!(detect_language(&en).as_deref(), Some("en"));
        assert_eq!(detect_language(&de).as_deref(), Some("de"));
    }

    #[test]
    fn lossy_text_keeps_alignment() {
        let doc = text_document(Meta::default(), b"ab\xFFcd").unwrap();
        assert_eq!(doc.text.chars().count(), 5);
        assert_eq!(doc.warnings.len(), 1);
        let c = doc.text.find('c').unwrap();
        assert_eq!(doc.alignment.to_source(c), 3);
    }

    #[test]
    fn a_stray_byte_in_utf8_text_or_jsonl_is_replaced_with_a_warning() {
        let mut text = "“We will not raise taxes,” she said.".as_bytes().to_vec();
        text.insert(10, 0x97);
        let doc = text_document(Meta::default(), &text).unwrap();
        assert_eq!(doc.text, "“We will\u{fffd} not raise taxes,” she said.");
        assert!(doc.warnings[0].message.contains("not valid UTF-8"), "{:?}", doc.warnings);
        let mut line = br#"{"id":"1","text":""#.to_vec();
        line.extend(&text);
        line.extend(br#""}"#);
        let (_, _, warnings) = json_record(&line).unwrap();
        assert!(warnings[0].message.contains("1 byte sequence(s) not valid UTF-8"), "{warnings:?}");
        let (_, _, warnings) = json_record(r#"{"id":"2","text":"a \ufffd b \ufffd"}"#.as_bytes()).unwrap();
        assert!(warnings[0].message.contains("2 U+FFFD"), "{warnings:?}");
    }

    #[test]
    fn bom_is_dropped_and_aligned() {
        let doc = text_document(Meta::default(), b"\xEF\xBB\xBFHi").unwrap();
        assert_eq!(doc.text, "Hi");
        assert_eq!(doc.alignment.to_source(0), 3);
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert!(text_document(Meta::default(), b"  \n").is_err());
        assert!(text_document(Meta::default(), b"a\0b").is_err());
    }

    #[test]
    fn jsonl_records_and_errors_keep_going() {
        let dir = std::env::temp_dir().join(format!("sayso-ingest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("a.jsonl");
        std::fs::write(&f, "{\"id\":\"1\",\"text\":\"One.\"}\nnot json\n\n{\"id\":2,\"text\":\"Two.\",\"title\":\"T\"}\n{\"id\":\"3\"}\n")
            .unwrap();
        let got: Vec<_> = Reader::new(vec![Input::File(f)]).documents().collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].as_ref().unwrap().meta.id, "1");
        assert_eq!(got[1].as_ref().unwrap_err().line, Some(2));
        let d = got[2].as_ref().unwrap();
        assert_eq!((d.meta.id.as_str(), d.meta.title.as_deref()), ("2", Some("T")));
        assert_eq!(got[3].as_ref().unwrap_err().line, Some(5));
    }

    #[test]
    fn formats_are_told_from_content_and_ids_from_names() {
        let dir = std::env::temp_dir().join(format!("sayso-formats-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let page = "<!doctype html><title>T</title><article><p>The minister said the plan would protect jobs, and more.</p></article>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, page.as_bytes()).unwrap();
        std::fs::write(dir.join("a1b2.html.gz"), gz.finish().unwrap()).unwrap();
        std::fs::write(dir.join("page.txt"), "Plain words said by nobody.").unwrap();
        let line = serde_json::json!({"id": "j", "html": page}).to_string();
        std::fs::write(dir.join("pages.jsonl"), line + "\n").unwrap();
        let (ins, errs) = inputs(std::slice::from_ref(&dir));
        assert!(errs.is_empty());
        let docs: Vec<Document> = Reader::new(ins).documents().map(Result::unwrap).collect();
        std::fs::remove_dir_all(&dir).unwrap();
        let ids: Vec<&str> = docs.iter().map(|d| d.meta.id.as_str()).collect();
        assert_eq!(ids, ["a1b2", "page", "j"]);
        assert!(docs[0].text.starts_with("The minister said"));
        assert_eq!(docs[0].meta.title.as_deref(), Some("T"));
        assert_eq!(docs[1].text, "Plain words said by nobody.");
        assert_eq!(docs[2].text, docs[0].text);
        let at = docs[0].alignment.to_source(docs[0].text.find("minister").unwrap());
        assert_eq!(&page[at..at + 8], "minister");
    }

    /// Writes files into a fresh temporary folder and reads them all as documents.
    fn read_files(tag: &str, files: &[(&str, &[u8])]) -> Vec<Result<Document, InputError>> {
        let dir = std::env::temp_dir().join(format!("sayso-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let paths = files.iter().map(|(name, bytes)| {
            std::fs::write(dir.join(name), bytes).unwrap();
            Input::File(dir.join(name))
        });
        let got = Reader::new(paths.collect()).documents().collect();
        std::fs::remove_dir_all(&dir).unwrap();
        got
    }

    #[test]
    fn feed_items_of_bare_paragraphs_are_read() {
        let p1 = "<p>The mayor said on Monday that the bridge would close for a year.</p><p>&quot;It cannot wait,&quot; she told reporters, adding that the repairs were overdue.</p>";
        let rss = format!(
            "<rss><channel><title>D</title><item><guid>r1</guid><content:encoded><![CDATA[{p1}]]></content:encoded></item></channel></rss>"
        );
        let atom = "<feed><title>D</title><entry><id>a1</id><content type=\"html\">&lt;p&gt;The council voted to close the old bridge on Monday, the mayor said.&lt;/p&gt;&lt;p&gt;Works start in May.&lt;/p&gt;</content></entry></feed>";
        let got = read_files("feeds", &[("f.rss", rss.as_bytes()), ("f.atom", atom.as_bytes())]);
        let docs: Vec<Document> = got.into_iter().map(Result::unwrap).collect();
        assert_eq!(docs[0].text, "The mayor said on Monday that the bridge would close for a year.\n\n\"It cannot wait,\" she told reporters, adding that the repairs were overdue.");
        assert!(docs[1].text.starts_with("The council voted"), "{}", docs[1].text);
        let at = docs[0].alignment.to_source(docs[0].text.find("wait").unwrap());
        assert_eq!(&rss[at..at + 4], "wait");
    }

    #[test]
    fn jsonl_html_without_text_falls_back_to_the_text_field() {
        let line =
            serde_json::json!({"id": "1", "html": "<nav><a href=\"/\">Home</a></nav>", "text": "The mayor said the bridge would close."});
        let got = read_files("fallback", &[("a.jsonl", line.to_string().as_bytes())]);
        let doc = got[0].as_ref().unwrap();
        assert_eq!(doc.text, "The mayor said the bridge would close.");
        assert!(doc.warnings[0].message.contains("\"text\" field"), "{:?}", doc.warnings);
    }

    #[cfg(unix)]
    #[test]
    fn links_back_up_and_to_the_same_file_are_followed_once() {
        let dir = std::env::temp_dir().join(format!("sayso-links-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a.txt"), "A.").unwrap();
        std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
        std::os::unix::fs::symlink("../a.txt", dir.join("sub/b.txt")).unwrap();
        let (ins, errs) = inputs(&[dir.clone(), dir.join("sub")]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(ins, [Input::File(dir.join("a.txt"))]);
    }

    #[test]
    fn utf16_jsonl_is_named_as_such() {
        let line = "{\"id\":\"1\",\"text\":\"Hi.\"}\n";
        let le: Vec<u8> = line.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = "\u{feff}".chars().chain(line.chars()).collect::<String>().encode_utf16().flat_map(u16::to_be_bytes).collect();
        let got = read_files("utf16", &[("le.jsonl", &le), ("be.jsonl", &be)]);
        assert_eq!(got.len(), 2);
        for r in got {
            let e = r.unwrap_err();
            assert!(e.message.starts_with("UTF-16") && e.line.is_none(), "{e}");
        }
        assert!(!is_utf16(line.as_bytes()) && !is_utf16("é“”".as_bytes()));
    }

    #[test]
    fn overlong_line_is_skipped_not_read() {
        let data = format!("{}\n{{\"id\":\"ok\",\"text\":\"x\"}}\n", "a".repeat(100));
        let mut r = io::Cursor::new(data.into_bytes());
        let mut buf = Vec::new();
        assert!(matches!(read_line_bounded(&mut r, &mut buf, 50).unwrap(), LineRead::TooLong));
        assert!(matches!(read_line_bounded(&mut r, &mut buf, 50).unwrap(), LineRead::Line));
        assert!(buf.starts_with(b"{\"id\":\"ok\""));
    }
}

//! Readers that turn inputs into [`Document`]s: `.txt` files (one article, id = file
//! stem), `.jsonl` files (one article a line), directories (recursively), stdin.
//! A broken record is reported with its file and line and skipped; reading goes on.

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

/// Expands paths into inputs: directories recursively (sorted, `.txt` and `.jsonl` only),
/// `-` for stdin. No paths means stdin.
pub fn inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    if paths.is_empty() {
        out.push(Input::Stdin);
    }
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, &mut out, &mut errors);
        } else if p.exists() {
            out.push(Input::File(p.clone()));
        } else {
            errors.push(InputError { path: p.display().to_string(), line: None, message: "no such file or directory".into() });
        }
    }
    (out, errors)
}

fn walk(dir: &Path, out: &mut Vec<Input>, errors: &mut Vec<InputError>) {
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
            walk(&p, out, errors);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "jsonl")) {
            out.push(Input::File(p));
        }
    }
}

#[derive(Deserialize)]
struct JsonArticle {
    id: Option<serde_json::Value>,
    text: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
    outlet: Option<String>,
}

/// Reads every input in turn, yielding documents and errors in input order. Memory holds
/// one record at a time.
pub struct Reader {
    inputs: std::vec::IntoIter<Input>,
    current: Option<(String, Box<dyn BufRead + Send>, usize)>,
    stdin_is_jsonl: bool,
}

impl Reader {
    pub fn new(inputs: Vec<Input>) -> Reader {
        Reader { inputs: inputs.into_iter(), current: None, stdin_is_jsonl: false }
    }

    /// Treat stdin as JSONL (one article a line) instead of one plain-text article.
    pub fn stdin_jsonl(mut self, yes: bool) -> Reader {
        self.stdin_is_jsonl = yes;
        self
    }

    fn open(&mut self, input: Input) -> Option<Result<Document, InputError>> {
        let (name, reader, jsonl): (String, Box<dyn Read + Send>, bool) = match input {
            Input::Stdin => ("<stdin>".into(), Box::new(io::stdin()), self.stdin_is_jsonl),
            Input::File(p) => {
                let name = p.display().to_string();
                let jsonl = p.extension().is_some_and(|e| e == "jsonl");
                match File::open(&p) {
                    Ok(f) => (name, Box::new(f), jsonl),
                    Err(e) => return Some(Err(InputError { path: name, line: None, message: e.to_string() })),
                }
            }
        };
        if jsonl {
            self.current = Some((name, Box::new(BufReader::with_capacity(1 << 16, reader)), 0));
            return None;
        }
        let id = Path::new(&name).file_stem().map_or("stdin".into(), |s| s.to_string_lossy().into_owned());
        let mut bytes = Vec::new();
        let r = reader.take(MAX_RECORD_BYTES as u64 + 1).read_to_end(&mut bytes);
        Some(match r {
            Err(e) => Err(InputError { path: name, line: None, message: e.to_string() }),
            Ok(_) if bytes.len() > MAX_RECORD_BYTES => {
                Err(InputError { path: name, line: None, message: format!("larger than {} MB, skipped", MAX_RECORD_BYTES >> 20) })
            }
            Ok(_) => text_document(Meta { id, ..Meta::default() }, &bytes).map_err(|m| InputError { path: name, line: None, message: m }),
        })
    }

    fn next_line(&mut self) -> Option<Result<Document, InputError>> {
        let (name, reader, line_no) = self.current.as_mut()?;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            *line_no += 1;
            let n = *line_no;
            match read_line_bounded(reader, &mut buf, MAX_RECORD_BYTES) {
                Err(e) => {
                    let err = InputError { path: name.clone(), line: Some(n), message: e.to_string() };
                    self.current = None;
                    return Some(Err(err));
                }
                Ok(LineRead::Eof) => {
                    self.current = None;
                    return None;
                }
                Ok(LineRead::TooLong) => {
                    return Some(Err(InputError {
                        path: name.clone(),
                        line: Some(n),
                        message: format!("line longer than {} MB, skipped", MAX_RECORD_BYTES >> 20),
                    }));
                }
                Ok(LineRead::Line) => {
                    if buf.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    return Some(json_document(&buf).map_err(|m| InputError { path: name.clone(), line: Some(n), message: m }));
                }
            }
        }
    }
}

impl Iterator for Reader {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.current.is_some() {
                if let Some(r) = self.next_line() {
                    return Some(r);
                }
                continue;
            }
            let input = self.inputs.next()?;
            if let Some(r) = self.open(input) {
                return Some(r);
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

/// One JSONL record: `{"id", "text", "title"?, "url"?, "published"?, "outlet"?}`.
pub fn json_document(line: &[u8]) -> Result<Document, String> {
    let line = String::from_utf8_lossy(line);
    let a: JsonArticle = serde_json::from_str(&line).map_err(|e| format!("not a JSON article: {e}"))?;
    let text = a.text.ok_or("no \"text\" field")?;
    let id = match a.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => return Err("no \"id\" field".into()),
        Some(v) => v.to_string(),
    };
    if text.trim().is_empty() {
        return Err(format!("article {id:?} has an empty text"));
    }
    Ok(Document::from_text(Meta { id, title: a.title, url: a.url, published: a.published, outlet: a.outlet }, text))
}

/// A plain-text article from raw bytes: UTF-8 (a BOM is dropped), or decoded lossily with
/// a warning, the alignment keeping every text offset's source byte.
pub fn text_document(meta: Meta, bytes: &[u8]) -> Result<Document, String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file".into());
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("binary file (NUL bytes), skipped".into());
    }
    let (body, offset) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    let mut align = Alignment::builder();
    let mut text = String::with_capacity(body.len());
    let mut bad = 0usize;
    let mut src = offset;
    for chunk in body.utf8_chunks() {
        align.push(text.len(), src);
        text.push_str(chunk.valid());
        src += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            align.push(text.len(), src);
            text.push(char::REPLACEMENT_CHARACTER);
            src += chunk.invalid().len();
            bad += 1;
        }
    }
    let mut doc = Document::from_text(meta, String::new());
    doc.alignment = align.finish(text.len());
    doc.text = text;
    if bad > 0 {
        doc.warnings.push(Warning::new(format!("not valid UTF-8: {bad} invalid byte sequence(s) replaced with U+FFFD"), None));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_text_keeps_alignment() {
        let doc = text_document(Meta::default(), b"ab\xFFcd").unwrap();
        assert_eq!(doc.text, "ab\u{FFFD}cd");
        assert_eq!(doc.warnings.len(), 1);
        let c = doc.text.find('c').unwrap();
        assert_eq!(doc.alignment.to_source(c), 3);
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
        let got: Vec<_> = Reader::new(vec![Input::File(f)]).collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].as_ref().unwrap().meta.id, "1");
        assert_eq!(got[1].as_ref().unwrap_err().line, Some(2));
        let d = got[2].as_ref().unwrap();
        assert_eq!((d.meta.id.as_str(), d.meta.title.as_deref()), ("2", Some("T")));
        assert_eq!(got[3].as_ref().unwrap_err().line, Some(5));
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

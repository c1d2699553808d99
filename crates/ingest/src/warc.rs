//! WARC records from a byte stream (already decompressed): `response` records carry an
//! HTTP response whose body is the page. A record with a wrong Content-Length, a damaged
//! gzip member, or a stream cut short, is reported and the reader finds the next record by
//! its `WARC/` line: after a block that read past its record's end (bytes lost from it), the
//! next record begins inside what was read, and reading resumes there.

use std::io::{self, BufRead, Read};

use crate::{gzip, MAX_RECORD_BYTES};

#[derive(Debug)]
pub struct WarcRecord {
    pub record_id: Option<String>,
    pub target_uri: Option<String>,
    pub warc_type: String,
    /// The record's block: for a `response`, the HTTP status line, headers and body.
    pub block: Vec<u8>,
}

pub struct WarcReader<R> {
    r: Pushback<R>,
    /// The next record starts here without its `WARC/` line being read (after a resync).
    pending_version: bool,
    /// Damaged gzip members met while looking for the next record.
    damage: Vec<String>,
    done: bool,
}

impl<R: BufRead> WarcReader<R> {
    pub fn new(r: R) -> Self {
        WarcReader { r: Pushback { front: Vec::new(), at: 0, inner: r }, pending_version: false, damage: Vec::new(), done: false }
    }

    fn line(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        buf.clear();
        let n = (&mut self.r).take(64 << 10).read_until(b'\n', buf)?;
        Ok(n)
    }

    /// Skips to the line after the next `WARC/` version line. Damaged gzip members on the
    /// way are kept to be reported with the record skipped; reading has resumed after them.
    fn resync(&mut self) -> io::Result<bool> {
        let mut buf = Vec::new();
        loop {
            match self.line(&mut buf) {
                Ok(0) => return Ok(false),
                Ok(_) if buf.starts_with(b"WARC/") => return Ok(true),
                Ok(_) => {}
                Err(e) if gzip::damage(&e).is_some() => self.damage.push(e.to_string()),
                Err(e) => return Err(e),
            }
        }
    }

    /// The next record, or an error naming the record that was skipped.
    pub fn next_record(&mut self) -> Option<Result<WarcRecord, String>> {
        if !self.damage.is_empty() {
            return Some(Err(self.damage.drain(..).collect::<Vec<_>>().join("; ")));
        }
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(r) => r.map(Ok),
            Err(e) => {
                self.pending_version = self.resync().unwrap_or_default();
                self.done = !self.pending_version;
                let damage = self.damage.drain(..).map(|d| format!("; {d}"));
                Some(Err(std::iter::once(e).chain(damage).collect()))
            }
        }
    }

    fn read_record(&mut self) -> Result<Option<WarcRecord>, String> {
        let io = |e: io::Error| format!("read error: {e}");
        let mut buf = Vec::new();
        if !self.pending_version {
            // Blank lines between records, then the version line.
            loop {
                if self.line(&mut buf).map_err(io)? == 0 {
                    self.done = true;
                    return Ok(None);
                }
                if !buf.iter().all(u8::is_ascii_whitespace) {
                    break;
                }
            }
            if !buf.starts_with(b"WARC/") {
                return Err(format!("expected a WARC/ version line, found {:?}", String::from_utf8_lossy(&buf[..buf.len().min(40)])));
            }
        }
        self.pending_version = false;
        let (mut id, mut uri, mut kind, mut length) = (None, None, String::new(), None);
        loop {
            if self.line(&mut buf).map_err(io)? == 0 {
                return Err("truncated record header".into());
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let Some((k, v)) = line.split_once(':') else { continue };
            let v = v.trim().to_string();
            match k.trim().to_ascii_lowercase().as_str() {
                "warc-record-id" => id = Some(v),
                "warc-target-uri" => uri = Some(v.trim_matches(['<', '>']).to_string()),
                "warc-type" => kind = v,
                "content-length" => length = v.parse::<u64>().ok(),
                _ => {}
            }
        }
        let name = id.clone().unwrap_or_else(|| "(no WARC-Record-ID)".into());
        let length = length.ok_or_else(|| format!("record {name}: no valid Content-Length"))?;
        if length > MAX_RECORD_BYTES as u64 {
            let skipped = io::copy(&mut (&mut self.r).take(length), &mut io::sink()).map_err(io)?;
            if skipped < length {
                self.done = true;
            }
            return Err(format!("record {name}: larger than {} MB, skipped", MAX_RECORD_BYTES >> 20));
        }
        let mut block = Vec::with_capacity(length as usize);
        let got = (&mut self.r).take(length).read_to_end(&mut block).map_err(|e| format!("record {name}: {e}"))?;
        if (got as u64) < length {
            // Bytes lost from this record (or a later one) can leave later records inside
            // the length it declared: reading resumes at the first of them.
            self.resume_inside(block, &[]);
            return Err(format!("record {name}: truncated ({got} of {length} bytes)"));
        }
        // The block ends with CRLF CRLF; anything else means the length was wrong.
        let mut tail = [0u8; 4];
        let n = read_up_to(&mut self.r, &mut tail).map_err(io)?;
        if &tail[..n] != b"\r\n\r\n" && !(n == 0 || &tail[..n] == b"\r\n" || &tail[..n] == b"\n\n") {
            // A length longer than the record (bytes lost from it) read into the next one.
            self.resume_inside(block, &tail[..n]);
            return Err(format!("record {name}: Content-Length {length} does not end the record, skipped"));
        }
        // Reading on to the end of the record's gzip member checks its checksum; damage in
        // a member after it is not the record's.
        match self.r.fill_buf() {
            Err(e) if gzip::damage(&e).is_some_and(|d| d.unread) => self.damage.push(e.to_string()),
            Err(e) => return Err(format!("record {name}: {e}")),
            Ok(_) => {}
        }
        Ok(Some(WarcRecord { record_id: id, target_uri: uri, warc_type: kind, block }))
    }
}

impl<R: BufRead> WarcReader<R> {
    /// Where a damaged record's block (with what was read after it) holds a `WARC/` line,
    /// puts it and what follows back to be read again, so that the next record is read from
    /// its start; else puts back the last line begun, which may be the start of one.
    fn resume_inside(&mut self, mut block: Vec<u8>, after: &[u8]) {
        block.extend_from_slice(after);
        let at = if block.starts_with(b"WARC/") {
            0
        } else {
            find(&block, b"\nWARC/").or_else(|| block.iter().rposition(|&b| b == b'\n')).map_or(block.len(), |i| i + 1)
        };
        block.drain(..at);
        self.r.unread(block);
    }
}

/// A reader with bytes put back in front of it.
struct Pushback<R> {
    front: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R> Pushback<R> {
    fn unread(&mut self, mut bytes: Vec<u8>) {
        bytes.extend_from_slice(&self.front[self.at..]);
        self.front = bytes;
        self.at = 0;
    }
}

impl<R: BufRead> Read for Pushback<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.front.len() {
            return self.inner.read(out);
        }
        let n = (self.front.len() - self.at).min(out.len());
        out[..n].copy_from_slice(&self.front[self.at..self.at + n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Pushback<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.front.len() {
            Ok(&self.front[self.at..])
        } else {
            self.inner.fill_buf()
        }
    }
    fn consume(&mut self, n: usize) {
        if self.at < self.front.len() {
            self.at += n;
            if self.at >= self.front.len() {
                self.front = Vec::new();
                self.at = 0;
            }
        } else {
            self.inner.consume(n);
        }
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Splits an HTTP response into its Content-Type and body. None when there is no
/// header block.
pub fn http_response(block: &[u8]) -> Option<(u16, Option<String>, &[u8])> {
    if !block.starts_with(b"HTTP/") {
        return None;
    }
    let end = find(block, b"\r\n\r\n").map(|i| (i, i + 4)).or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)))?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let ctype = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string());
    Some((status, ctype, &block[end.1..]))
}

fn find(hay: &[u8], pat: &[u8]) -> Option<usize> {
    hay.windows(pat.len()).position(|w| w == pat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, body: &str, declared_len: Option<usize>) -> String {
        let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
        let len = declared_len.unwrap_or(block.len());
        format!("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: https://x.example/{id}\r\nContent-Length: {len}\r\n\r\n{block}\r\n\r\n")
    }

    #[test]
    fn reads_records_and_skips_a_wrong_length() {
        let data = record("a", "<p>one</p>", None) + &record("b", "<p>two</p>", Some(5)) + &record("c", "<p>three</p>", None);
        let mut r = WarcReader::new(io::Cursor::new(data.into_bytes()));
        let a = r.next_record().unwrap().unwrap();
        assert_eq!(a.target_uri.as_deref(), Some("https://x.example/a"));
        let (status, ctype, body) = http_response(&a.block).unwrap();
        assert_eq!((status, ctype.as_deref(), body), (200, Some("text/html; charset=utf-8"), &b"<p>one</p>"[..]));
        let b = r.next_record().unwrap();
        assert!(b.unwrap_err().contains("urn:uuid:b"));
        let c = r.next_record().unwrap().unwrap();
        assert_eq!(c.record_id.as_deref(), Some("<urn:uuid:c>"));
        assert!(r.next_record().is_none());
    }

    fn read_all(data: String) -> (Vec<String>, Vec<String>) {
        let mut r = WarcReader::new(io::Cursor::new(data.into_bytes()));
        let (mut ids, mut errors) = (Vec::new(), Vec::new());
        while let Some(rec) = r.next_record() {
            match rec {
                Ok(rec) => ids.push(rec.record_id.unwrap()),
                Err(e) => errors.push(e),
            }
        }
        (ids, errors)
    }

    #[test]
    fn bytes_lost_from_a_record_cost_only_that_record() {
        // Bytes cut out of b's block: its Content-Length reads on into c's header. Found
        // by bench/faults.sh: c was lost without a word (the reader resumed after c's start).
        let b = record("b", "<p>two, and a longer paragraph than the others</p>", None);
        let cut = b.replacen("a longer paragraph ", "", 1);
        let data = record("a", "<p>one</p>", None) + &cut + &record("c", "<p>three</p>", None) + &record("d", "<p>four</p>", None);
        let (ids, errors) = read_all(data);
        assert_eq!(ids, ["<urn:uuid:a>", "<urn:uuid:c>", "<urn:uuid:d>"], "{errors:?}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("urn:uuid:b") && errors[0].contains("does not end the record"), "{errors:?}");
        // Two damaged records in a row, the second inside what the first read.
        let data = record("a", "<p>one</p>", None) + &cut + &cut.replace("uuid:b", "uuid:b2") + &record("c", "<p>three</p>", None);
        let (ids, errors) = read_all(data);
        assert_eq!(ids, ["<urn:uuid:a>", "<urn:uuid:c>"], "{errors:?}");
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn a_length_past_the_end_keeps_the_records_inside_it() {
        // b declares more than is left: the records after it are in what it read.
        let data = record("a", "<p>one</p>", None) + &record("b", "<p>two</p>", Some(400)) + &record("c", "<p>three</p>", None);
        let (ids, errors) = read_all(data);
        assert_eq!(ids, ["<urn:uuid:a>", "<urn:uuid:c>"], "{errors:?}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("urn:uuid:b") && errors[0].contains("truncated"), "{errors:?}");
    }

    #[test]
    fn a_damaged_gzip_member_costs_only_its_record() {
        use std::io::Write;
        let gzip = |data: &str| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(data.as_bytes()).unwrap();
            gz.finish().unwrap()
        };
        // Words that compress poorly, so that the header is decoded before the damage.
        let mut x = 7u64;
        let words: String = (0..40_000)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                format!("w{} ", x >> 44)
            })
            .collect();
        let members: Vec<Vec<u8>> =
            ["a", "b", "c", "d", "e"].iter().map(|id| gzip(&record(id, if *id == "c" { &words } else { "<p>x</p>" }, None))).collect();
        let starts: Vec<usize> = (0..=members.len()).map(|i| members[..i].iter().map(Vec::len).sum()).collect();
        let mut bytes = members.concat();
        // In the big member (c), near its end; then in a small one (e), in its header.
        bytes[starts[3] - 200..starts[3] - 100].iter_mut().for_each(|b| *b ^= 0xff);
        bytes[starts[4] + 12..starts[4] + 20].iter_mut().for_each(|b| *b ^= 0xff);
        let mut r = WarcReader::new(io::BufReader::new(crate::gzip::GzMembers::new(&bytes[..])));
        let mut ids = Vec::new();
        let mut errors = Vec::new();
        while let Some(rec) = r.next_record() {
            match rec {
                Ok(rec) => ids.push(rec.record_id.unwrap()),
                Err(e) => errors.push(e),
            }
        }
        assert_eq!(ids, ["<urn:uuid:a>", "<urn:uuid:b>", "<urn:uuid:d>"], "{errors:?}");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("record <urn:uuid:c>:"), "{errors:?}");
        assert!(errors[0].contains(&format!("compressed bytes {}-{} skipped, reading resumes", starts[2], starts[3])), "{errors:?}");
        assert!(errors[1].contains(&format!("gzip member at byte {} damaged", starts[4])), "{errors:?}");
        assert!(errors[1].contains("no later member"), "{errors:?}");
    }

    #[test]
    fn truncated_stream_is_reported_once() {
        let full = record("a", "<p>one</p>", None);
        let cut = &full[..full.len() - 12];
        let mut r = WarcReader::new(io::Cursor::new(cut.as_bytes().to_vec()));
        assert!(r.next_record().unwrap().unwrap_err().contains("truncated"));
        assert!(r.next_record().is_none());
    }
}

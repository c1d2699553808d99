//! Gzip streams member by member (Common Crawl writes one member per WARC record). A
//! damaged or cut member is reported once, as an error naming the compressed bytes
//! skipped, and reading resumes at the next member: the next gzip magic whose data starts
//! as the first member's did (`WARC/` in a WARC).

use std::fmt;
use std::io::{self, BufRead, Read};

use flate2::bufread::GzDecoder;

/// Gzip magic and the deflate method byte.
const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];
/// How many decoded bytes of the first member a later one must start with.
const HEAD: usize = 5;
/// Compressed bytes read past a candidate member's start to check what it decodes to.
const PROBE: usize = 64 << 10;
/// A member's compressed bytes are kept up to this size, to look for the next member
/// inside them after damage; past it the search starts where decoding stopped.
const KEEP: usize = 16 << 20;

/// The error a damaged member gives: reading can go on after it.
#[derive(Debug)]
pub struct Damaged {
    message: String,
    /// No byte of the member had been read: what was read before it is whole.
    pub unread: bool,
}

impl fmt::Display for Damaged {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Damaged {}

/// The damaged member an error is, if it is one: reading has already resumed after it.
pub fn damage(e: &io::Error) -> Option<&Damaged> {
    e.get_ref().and_then(|e| e.downcast_ref::<Damaged>())
}

/// The compressed bytes under the decoder: counts what is consumed, keeps the current
/// member's bytes, and serves bytes read ahead while looking for a member first.
struct Raw<R> {
    inner: R,
    ahead: Vec<u8>,
    at: usize,
    /// Stream offset of the next byte served.
    offset: u64,
    member: Vec<u8>,
    /// The member grew past KEEP: `member` does not hold all of it.
    overflow: bool,
}

impl<R: BufRead> Read for Raw<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let have = self.fill_buf()?;
            let n = have.len().min(buf.len());
            buf[..n].copy_from_slice(&have[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Raw<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.ahead.len() {
            Ok(&self.ahead[self.at..])
        } else {
            self.inner.fill_buf()
        }
    }

    fn consume(&mut self, n: usize) {
        let keep = !self.overflow && self.member.len() + n <= KEEP;
        self.overflow = !keep;
        if self.at < self.ahead.len() {
            if keep {
                self.member.extend_from_slice(&self.ahead[self.at..self.at + n]);
            }
            self.at += n;
        } else {
            if keep {
                if let Ok(b) = self.inner.fill_buf() {
                    self.member.extend_from_slice(&b[..n]);
                }
            }
            self.inner.consume(n);
        }
        self.offset += n as u64;
    }
}

pub struct GzMembers<R> {
    /// None once the stream is done.
    dec: Option<GzDecoder<Raw<R>>>,
    /// Where the current member starts in the compressed stream.
    start: u64,
    head: Vec<u8>,
    first: bool,
    /// Some of the current member's data has been returned.
    returned: bool,
}

impl<R: BufRead> GzMembers<R> {
    pub fn new(inner: R) -> Self {
        let raw = Raw { inner, ahead: Vec::new(), at: 0, offset: 0, member: Vec::new(), overflow: false };
        GzMembers { dec: Some(GzDecoder::new(raw)), start: 0, head: Vec::new(), first: true, returned: false }
    }

    /// Starts the next member where `raw` stands, or ends the stream at its end.
    fn next_member(&mut self, mut raw: Raw<R>) -> io::Result<()> {
        if raw.fill_buf()?.is_empty() {
            return Ok(());
        }
        (self.start, raw.overflow, self.returned) = (raw.offset, false, false);
        raw.member.clear();
        self.dec = Some(GzDecoder::new(raw));
        Ok(())
    }

    /// After damage in the member that starts at `self.start`: finds the next good member
    /// and says what was skipped.
    fn resync(&mut self, mut raw: Raw<R>, e: io::Error) -> io::Result<String> {
        // Look from the byte after the damaged member's start, in the bytes kept of it.
        let (mut base, mut buf) =
            if raw.overflow { (raw.offset, Vec::new()) } else { (self.start + 1, raw.member.split_off(1.min(raw.member.len()))) };
        buf.extend_from_slice(&raw.ahead[raw.at..]);
        raw.ahead.clear();
        raw.at = 0;
        let mut from = 0;
        let mut eof = false;
        let found = loop {
            match buf[from..].windows(3).position(|w| w == MAGIC) {
                Some(k) => {
                    let c = from + k;
                    while !eof && buf.len() < c + PROBE {
                        eof = !more(&mut raw.inner, &mut buf)?;
                    }
                    if decodes_to(&buf[c..], &self.head) {
                        break Some(c);
                    }
                    from = c + 1;
                }
                None if eof => break None,
                None => {
                    // Keep the last two bytes: a magic may straddle the next chunk.
                    let drop = buf.len().saturating_sub(2);
                    buf.drain(..drop);
                    base += drop as u64;
                    from = 0;
                    eof = !more(&mut raw.inner, &mut buf)?;
                }
            }
        };
        let at = self.start;
        let what = if e.kind() == io::ErrorKind::UnexpectedEof { "cut short".to_string() } else { format!("damaged ({e})") };
        Ok(match found {
            Some(c) => {
                let next = base + c as u64;
                raw.ahead = buf.split_off(c);
                raw.offset = next;
                self.next_member(raw)?;
                format!("gzip member at byte {at} {what}: compressed bytes {at}-{next} skipped, reading resumes at the next member")
            }
            None => {
                let end = base + buf.len() as u64;
                format!("gzip member at byte {at} {what}: compressed bytes {at}-{end} skipped, no later member")
            }
        })
    }
}

/// Appends the next chunk of `r` to `buf`; false at the end.
fn more(r: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<bool> {
    let chunk = r.fill_buf()?;
    let n = chunk.len();
    buf.extend_from_slice(chunk);
    r.consume(n);
    Ok(n > 0)
}

/// Whether a gzip member starts at `bytes` whose data begins with `head` (with HEAD bytes
/// at least, where `head` is not known).
fn decodes_to(bytes: &[u8], head: &[u8]) -> bool {
    let mut got = [0u8; HEAD];
    let want = if head.is_empty() { HEAD } else { head.len() };
    GzDecoder::new(bytes).read_exact(&mut got[..want]).is_ok() && (head.is_empty() || &got[..want] == head)
}

impl<R: BufRead> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(dec) = self.dec.as_mut() {
            match dec.read(buf) {
                Ok(0) if !buf.is_empty() => {
                    let raw = self.dec.take().map(GzDecoder::into_inner);
                    self.first = false;
                    if let Some(raw) = raw {
                        self.next_member(raw)?;
                    }
                }
                Ok(n) => {
                    self.returned |= n > 0;
                    if self.first && self.head.len() < HEAD {
                        let take = n.min(HEAD - self.head.len());
                        self.head.extend_from_slice(&buf[..take]);
                    }
                    return Ok(n);
                }
                Err(e) => {
                    self.first = false;
                    let Some(raw) = self.dec.take().map(GzDecoder::into_inner) else { break };
                    let unread = !self.returned;
                    let message = self.resync(raw, e)?;
                    return Err(io::Error::new(io::ErrorKind::InvalidData, Damaged { message, unread }));
                }
            }
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    }

    /// Reads to the end, collecting data and the errors met on the way.
    fn read_all(bytes: &[u8]) -> (Vec<u8>, Vec<String>) {
        let mut r = GzMembers::new(bytes);
        let (mut out, mut errors) = (Vec::new(), Vec::new());
        let mut buf = [0u8; 7];
        loop {
            match r.read(&mut buf) {
                Ok(0) => return (out, errors),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => {
                    assert!(damage(&e).is_some());
                    errors.push(e.to_string());
                }
            }
        }
    }

    #[test]
    fn members_are_read_in_turn_and_damage_skips_one() {
        let data: Vec<String> = (0..4).map(|i| format!("WARC/ member {i} ").repeat(50)).collect();
        let members: Vec<Vec<u8>> = data.iter().map(|d| gzip(d.as_bytes())).collect();
        let whole = members.concat();
        let (out, errors) = read_all(&whole);
        assert!(errors.is_empty());
        assert_eq!(out, data.concat().as_bytes());

        let mut damaged = whole.clone();
        let at = members[0].len() + members[1].len() / 2;
        damaged[at..at + 8].iter_mut().for_each(|b| *b ^= 0x55);
        let (out, errors) = read_all(&damaged);
        let text = String::from_utf8_lossy(&out);
        for i in [0, 2, 3] {
            assert_eq!(text.matches(&format!("WARC/ member {i} ")).count(), 50, "{text}");
        }
        let (start, end) = (members[0].len(), members[0].len() + members[1].len());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with(&format!("gzip member at byte {start} damaged (")), "{errors:?}");
        assert!(errors[0].ends_with(&format!("compressed bytes {start}-{end} skipped, reading resumes at the next member")), "{errors:?}");
    }

    #[test]
    fn a_cut_last_member_is_reported_once() {
        let mut bytes = gzip(b"WARC/ one");
        let second = gzip(b"WARC/ two, cut");
        bytes.extend_from_slice(&second[..second.len() - 6]);
        let (out, errors) = read_all(&bytes);
        assert!(out.starts_with(b"WARC/ one"));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("cut short") && errors[0].contains("no later member"), "{errors:?}");
    }
}

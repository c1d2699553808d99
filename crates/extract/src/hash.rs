//! A fast streaming hash for short keys (words, feature names): eight bytes a step, the
//! same result however the bytes are split across writes. Plus a pass-through hasher for
//! keys that are hashes already.

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x517cc1b727220a95;

#[derive(Default, Clone, Copy)]
pub struct StreamHash {
    h: u64,
    buf: u64,
    n: u32,
    len: u64,
}

impl StreamHash {
    pub fn new() -> StreamHash {
        StreamHash::default()
    }

    #[inline]
    fn mix(&mut self, word: u64) {
        self.h = (self.h.rotate_left(5) ^ word).wrapping_mul(K);
    }

    #[inline]
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut StreamHash {
        self.len += bytes.len() as u64;
        let mut rest = bytes;
        if self.n > 0 {
            while self.n < 8 && !rest.is_empty() {
                self.buf |= (rest[0] as u64) << (8 * self.n);
                self.n += 1;
                rest = &rest[1..];
            }
            if self.n < 8 {
                return self;
            }
            let w = self.buf;
            self.mix(w);
            self.buf = 0;
            self.n = 0;
        }
        let mut chunks = rest.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        for (i, &b) in chunks.remainder().iter().enumerate() {
            self.buf |= (b as u64) << (8 * i);
        }
        self.n = chunks.remainder().len() as u32;
        self
    }

    #[inline]
    pub fn value(&self) -> u64 {
        let mut s = *self;
        let w = s.buf;
        s.mix(w);
        s.mix(s.len);
        s.h
    }
}

impl Hasher for StreamHash {
    fn finish(&self) -> u64 {
        self.value()
    }
    fn write(&mut self, bytes: &[u8]) {
        self.bytes(bytes);
    }
}

pub type FastBuild = BuildHasherDefault<StreamHash>;

/// For u64 keys that are already well-mixed hashes.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 ^= StreamHash::new().bytes(bytes).value();
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type PassThroughBuild = BuildHasherDefault<PassThrough>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_writes_hash_the_same() {
        let whole = StreamHash::new().bytes(b"pat|src=QuoteBefore|pronoun").value();
        let split = StreamHash::new().bytes(b"pat|src").bytes(b"=").bytes(b"QuoteBefore").bytes(b"|").bytes(b"pronoun").value();
        assert_eq!(whole, split);
        assert_ne!(whole, StreamHash::new().bytes(b"pat|src=QuoteBefore|pronouN").value());
        assert_ne!(StreamHash::new().bytes(b"").value(), StreamHash::new().bytes(b"\0").value());
    }

    #[test]
    fn every_split_hashes_as_the_whole_and_the_value_stays() {
        let text = b"lemma|pat|src=say|QuoteBefore|pronoun";
        let whole = StreamHash::new().bytes(text).value();
        for a in 0..text.len() {
            for b in a..text.len() {
                assert_eq!(StreamHash::new().bytes(&text[..a]).bytes(&text[a..b]).bytes(&text[b..]).value(), whole, "{a} {b}");
            }
        }
        // The value itself is fixed: word hashes key tables whose order must not move.
        assert_eq!(StreamHash::new().bytes(b"pat|src=QuoteBefore|pronoun").value(), 0x74ea9bd3d69dc16e);
    }
}

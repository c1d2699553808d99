//! FNV-1a: a fast hash for short keys (words, feature names), and a pass-through hasher
//! for keys that are hashes already.

use std::hash::{BuildHasherDefault, Hasher};

pub const OFFSET: u64 = 0xcbf29ce484222325;
const PRIME: u64 = 0x100000001b3;

pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(PRIME);
    }
    h
}

#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(if self.0 == 0 { OFFSET } else { self.0 }, bytes);
    }
}

pub type FnvBuild = BuildHasherDefault<Fnv>;

/// For u64 keys that are already well-mixed hashes.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(self.0 ^ OFFSET, bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type PassThroughBuild = BuildHasherDefault<PassThrough>;

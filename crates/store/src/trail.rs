//! Quote trails, built incrementally (no all-pairs pass): each quotation is sketched by the
//! smallest hashes of its four-word shingles (a bottom-k MinHash sketch, as in near-duplicate
//! detection); a quotation whose sketch shares keys with a trail's joins that trail, else
//! it starts one. Trimmed, ellipsed or lightly edited wordings share most shingles, so
//! they meet on the smallest ones with high probability.

use rusqlite::{params, Transaction};

use crate::Result;

const SHINGLE: usize = 4;
const SKETCH: usize = 6;
/// Quotations shorter than this many words are too common to trail.
const MIN_WORDS: usize = 6;

/// The sketch of a quotation: its smallest shingle hashes, fewest first.
pub fn sketch(text: &str) -> Vec<i64> {
    let words: Vec<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect();
    if words.len() < MIN_WORDS {
        return Vec::new();
    }
    let mut hashes: Vec<i64> = words.windows(SHINGLE).map(|w| (crate::fnv64(w.join(" ").as_bytes()) >> 1) as i64).collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes.truncate(SKETCH);
    hashes
}

/// Puts statement `id` on a trail; None for quotations too short to trail.
pub fn assign(tx: &Transaction, id: i64, text: &str) -> Result<Option<i64>> {
    let keys = sketch(text);
    if keys.is_empty() {
        return Ok(None);
    }
    let mut found: Vec<i64> = Vec::new();
    for &k in &keys {
        let t: Option<i64> = tx.prepare_cached("SELECT trail FROM trail_keys WHERE key = ?1")?.query_row([k], |r| r.get(0)).ok();
        found.extend(t);
    }
    // The trail most keys point to; two shared keys at least, so that one common phrase
    // does not join unrelated quotations (one suffices for very short ones).
    found.sort_unstable();
    let best = found.chunk_by(|a, b| a == b).map(|g| (g.len(), g[0])).max_by_key(|&(n, t)| (n, std::cmp::Reverse(t)));
    let needed = if keys.len() <= 2 { 1 } else { 2 };
    let trail = match best {
        Some((n, t)) if n >= needed => t,
        _ => {
            tx.prepare_cached("INSERT INTO trails (first_statement) VALUES (?1)")?.execute([id])?;
            tx.last_insert_rowid()
        }
    };
    for &k in &keys {
        tx.prepare_cached("INSERT OR IGNORE INTO trail_keys (key, trail) VALUES (?1, ?2)")?.execute(params![k, trail])?;
    }
    Ok(Some(trail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_wordings_share_their_sketch() {
        let full = sketch("We will not raise taxes this year, whatever happens to the economy in the months ahead");
        let trimmed = sketch("not raise taxes this year, whatever happens to the economy");
        let shared = trimmed.iter().filter(|k| full.contains(k)).count();
        assert!(shared >= 2, "{shared}");
        assert!(sketch("Too short to trail").is_empty());
    }
}

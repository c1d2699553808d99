//! Speaker identities across articles. A name is an alias of one identity; a new name joins
//! an identity only when it is the same name, or a longer or shorter form of one that shares
//! at least the first two words ("Bilawal Bhutto" and "Bilawal Bhutto Zardari") and no other
//! identity fits. A surname alone never joins anyone: the articles have already resolved
//! surnames to the fullest name they give.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::Result;

pub struct Identities {
    /// "kind:lower-cased name" → identity.
    by_alias: HashMap<String, i64>,
    /// "kind:first two words" → identities with their words.
    by_prefix: HashMap<String, Vec<(i64, Vec<String>)>>,
}

fn words(name: &str) -> Vec<String> {
    name.split_whitespace().map(|w| w.to_lowercase()).collect()
}

fn alias_key(kind: &str, w: &[String]) -> String {
    format!("{kind}:{}", w.join(" "))
}

fn prefix_key(kind: &str, w: &[String]) -> Option<String> {
    (w.len() >= 2).then(|| format!("{kind}:{} {}", w[0], w[1]))
}

impl Identities {
    pub fn load(conn: &Connection) -> Result<Identities> {
        let mut ids = Identities { by_alias: HashMap::new(), by_prefix: HashMap::new() };
        let mut st = conn.prepare("SELECT a.alias, a.identity, i.kind FROM aliases a JOIN identities i ON i.id = a.identity")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (alias, id, kind) = row?;
            let w: Vec<String> = alias.split_once(':').map_or(alias.as_str(), |(_, n)| n).split(' ').map(str::to_string).collect();
            ids.remember(&kind, w, id);
        }
        Ok(ids)
    }

    fn remember(&mut self, kind: &str, w: Vec<String>, id: i64) {
        if let Some(p) = prefix_key(kind, &w) {
            self.by_prefix.entry(p).or_default().push((id, w.clone()));
        }
        self.by_alias.insert(alias_key(kind, &w), id);
    }

    /// Adds an alias that is not a name (an account handle, "@BBhuttoZardari") to an identity.
    pub fn add_alias(&mut self, conn: &Connection, id: i64, kind: &str, alias: &str) -> Result<()> {
        let key = alias_key(kind, &[alias.to_lowercase()]);
        if let std::collections::hash_map::Entry::Vacant(e) = self.by_alias.entry(key) {
            conn.prepare_cached("INSERT OR IGNORE INTO aliases (alias, identity) VALUES (?1, ?2)")?.execute(params![e.key(), id])?;
            e.insert(id);
        }
        Ok(())
    }

    /// The identity of `name` (a person or an organisation), created if new.
    pub fn resolve(&mut self, conn: &Connection, name: &str, kind: &str) -> Result<i64> {
        let w = words(name);
        let key = alias_key(kind, &w);
        if let Some(&id) = self.by_alias.get(&key) {
            return Ok(id);
        }
        let is_prefix = |a: &[String], b: &[String]| a.len() < b.len() && b[..a.len()] == *a;
        let fits: Vec<i64> = prefix_key(kind, &w)
            .and_then(|p| self.by_prefix.get(&p))
            .map(|c| c.iter().filter(|(_, other)| is_prefix(&w, other) || is_prefix(other, &w)).map(|(id, _)| *id).collect())
            .unwrap_or_default();
        let mut unique = fits.clone();
        unique.sort_unstable();
        unique.dedup();
        let id = if let [id] = unique[..] {
            id
        } else {
            conn.prepare_cached("INSERT INTO identities (name, kind) VALUES (?1, ?2)")?.execute(params![name, kind])?;
            conn.last_insert_rowid()
        };
        conn.prepare_cached("INSERT OR IGNORE INTO aliases (alias, identity) VALUES (?1, ?2)")?.execute(params![key, id])?;
        // The identity is named by its longest form.
        conn.prepare_cached("UPDATE identities SET name = ?1 WHERE id = ?2 AND length(name) < length(?1)")?.execute(params![name, id])?;
        self.remember(kind, w, id);
        Ok(id)
    }
}

//! Speaker identities across articles. A name is an alias of one identity; a new name joins
//! an identity only when it is the same name, or a longer or shorter form of one that shares
//! at least the first two words ("Bilawal Bhutto" and "Bilawal Bhutto Zardari") and no other
//! identity fits. A person's name with middle names joins the identity of the same given
//! name and surname ("Jo Ann Roe" and "Jo Roe"), and the other way round, also only where no
//! other identity fits. A surname alone never joins anyone: the articles have already
//! resolved surnames to the fullest name they give.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::Result;

pub struct Identities {
    /// "kind:lower-cased name" → identity.
    by_alias: HashMap<String, i64>,
    /// "kind:first two words" → identities with their words.
    by_prefix: HashMap<String, Vec<(i64, Vec<String>)>>,
    /// "first and last word" of people's names → identities with their words.
    by_ends: HashMap<String, Vec<(i64, Vec<String>)>>,
}

/// The key of a person's given name and surname ("jo roe" for "Jo Ann Roe").
fn ends_key(kind: &str, w: &[String]) -> Option<String> {
    (kind == "person" && w.len() >= 2).then(|| format!("{} {}", w[0], w[w.len() - 1]))
}

/// One name is the other with middle names: "jo ann roe" and "jo roe".
fn with_middle(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    short.len() == 2 && long.len() > 2 && short[0] == long[0] && short[1] == long[long.len() - 1]
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
        let mut ids = Identities { by_alias: HashMap::new(), by_prefix: HashMap::new(), by_ends: HashMap::new() };
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
        if let Some(e) = ends_key(kind, &w) {
            self.by_ends.entry(e).or_default().push((id, w.clone()));
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
        let longer_or_shorter = prefix_key(kind, &w)
            .and_then(|p| self.by_prefix.get(&p))
            .into_iter()
            .flatten()
            .filter(|(_, other)| is_prefix(&w, other) || is_prefix(other, &w));
        let middle =
            ends_key(kind, &w).and_then(|e| self.by_ends.get(&e)).into_iter().flatten().filter(|(_, other)| with_middle(&w, other));
        let mut unique: Vec<i64> = longer_or_shorter.chain(middle).map(|(id, _)| *id).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (Connection, Identities) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::SCHEMA).unwrap();
        let ids = Identities::load(&conn).unwrap();
        (conn, ids)
    }

    #[test]
    fn a_middle_name_joins_the_same_given_name_and_surname() {
        let (conn, mut ids) = store();
        let roe = ids.resolve(&conn, "Jo Ann Roe", "person").unwrap();
        assert_eq!(ids.resolve(&conn, "Jo Roe", "person").unwrap(), roe);
        let lee = ids.resolve(&conn, "Ann Lee", "person").unwrap();
        assert_eq!(ids.resolve(&conn, "Ann Marie Lee", "person").unwrap(), lee);
        // Not organisations, and not a different given name.
        assert_ne!(ids.resolve(&conn, "Jo Beth Rowe", "person").unwrap(), roe);
        let acme = ids.resolve(&conn, "Acme Roe", "organization").unwrap();
        assert_ne!(ids.resolve(&conn, "Acme Steel Roe", "organization").unwrap(), acme);
    }

    #[test]
    fn two_middle_names_that_fit_make_a_new_identity() {
        let (conn, mut ids) = store();
        let a = ids.resolve(&conn, "George H. Bush", "person").unwrap();
        let b = ids.resolve(&conn, "George W. Bush", "person").unwrap();
        assert_ne!(a, b);
        let c = ids.resolve(&conn, "George Bush", "person").unwrap();
        assert!(c != a && c != b);
    }
}

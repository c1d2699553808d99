//! Given names and the gender they usually go with, and surnames (`data/names.tsv`,
//! `data/surnames.tsv`, made from the PyPI package Faker by `tools/make_names.py`: names of
//! many cultures, Latin script). Used to keep "she" from meaning Donald Trump, and "Sanders"
//! from being a plural.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::hash::FastBuild;

const DATA: &str = include_str!("../../../data/names.tsv");
/// Surnames of the same locales (`data/surnames.tsv`, same tool and package).
const SURNAMES: &str = include_str!("../../../data/surnames.tsv");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
}

/// The given names the list knows, with the gender each usually goes with, if it leans one way.
fn table() -> &'static HashMap<String, Option<Gender>, FastBuild> {
    static TABLE: OnceLock<HashMap<String, Option<Gender>, FastBuild>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = HashMap::default();
        for line in DATA.lines().filter(|l| !l.starts_with('#')) {
            let Some((name, g)) = line.split_once('\t') else { continue };
            let g = match g {
                "m" => Some(Gender::Male),
                "f" => Some(Gender::Female),
                _ => None,
            };
            // As written and lower-cased, so that the usual lookup ("Hillary") allocates nothing.
            t.insert(name.to_string(), g);
            t.insert(name.to_lowercase(), g);
        }
        t
    })
}

/// The gender a given name usually goes with, if the list knows the name and it leans one way.
pub fn gender(given: &str) -> Option<Gender> {
    lookup(given).flatten()
}

fn lookup(given: &str) -> Option<Option<Gender>> {
    let t = table();
    either_case(given, |w| t.get(w).copied())
}

/// `found` of the word as written, else of its lower case where that differs. The names
/// looked up are mostly short ASCII words, lower-cased on the stack.
fn either_case<T>(word: &str, found: impl Fn(&str) -> Option<T>) -> Option<T> {
    if let Some(v) = found(word) {
        return Some(v);
    }
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let mut buf = [0u8; 32];
        if let Some(lower) = buf.get_mut(..word.len()) {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return std::str::from_utf8(lower).ok().and_then(found);
        }
    }
    found(&word.to_lowercase())
}

/// Whether `word` is a surname of the list ("Sanders", "Jones": no plurals of a kind of people).
pub fn is_surname(word: &str) -> bool {
    static TABLE: OnceLock<HashSet<String, FastBuild>> = OnceLock::new();
    let t =
        TABLE.get_or_init(|| SURNAMES.lines().filter(|l| !l.starts_with('#')).flat_map(|n| [n.to_string(), n.to_lowercase()]).collect());
    either_case(word, |w| t.contains(w).then_some(())).is_some()
}

/// Whether the list knows `word` as a given name ("Hillary", whatever its gender).
pub fn is_given(word: &str) -> bool {
    lookup(word).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_several_cultures() {
        assert_eq!(gender("Donald"), Some(Gender::Male));
        assert_eq!(gender("michelle"), Some(Gender::Female));
        assert_eq!(gender("Zzyzx"), None);
        assert_eq!(gender("MICHELLE"), Some(Gender::Female));
        assert_eq!(gender(&"MICHELLE".repeat(5)), None);
        assert!(is_surname("Sanders") && is_surname("SANDERS") && is_surname("sanders") && !is_surname("Sandersé"));
    }
}

//! Given names and the gender they usually go with (`data/names.tsv`, made from the PyPI
//! package Faker by `tools/make_names.py`: names of many cultures, Latin script). Used to
//! keep "she" from meaning Donald Trump.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::hash::FastBuild;

const DATA: &str = include_str!("../../../data/names.tsv");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// The gender a given name usually goes with, if the list knows the name and it leans one way.
pub fn gender(given: &str) -> Option<Gender> {
    static TABLE: OnceLock<HashMap<String, Gender, FastBuild>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = HashMap::default();
        for line in DATA.lines().filter(|l| !l.starts_with('#')) {
            let Some((name, g)) = line.split_once('\t') else { continue };
            let g = match g {
                "m" => Gender::Male,
                "f" => Gender::Female,
                _ => continue,
            };
            t.insert(name.to_lowercase(), g);
        }
        t
    });
    table.get(&given.to_lowercase()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_several_cultures() {
        assert_eq!(gender("Donald"), Some(Gender::Male));
        assert_eq!(gender("michelle"), Some(Gender::Female));
        assert_eq!(gender("Zzyzx"), None);
    }
}

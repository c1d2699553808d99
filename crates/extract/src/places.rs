//! Countries, capitals, demonyms, US states and world regions (`data/places.tsv`, made from the PyPI
//! package countryinfo by `tools/make_places.py`): a place that speaks is an organisation
//! ("Islamabad maintains …", "Texas sued").

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::hash::FastBuild;

const DATA: &str = include_str!("../../../data/places.tsv");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Capital,
    Demonym,
    State,
    /// A continent, ocean or region ("Pacific", "Middle East").
    Region,
}

/// The place a lower-cased name is, and the country it belongs to.
pub fn lookup(name: &str) -> Option<(PlaceKind, &'static str)> {
    static TABLE: OnceLock<HashMap<String, (PlaceKind, &'static str), FastBuild>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            let mut t = HashMap::default();
            for line in DATA.lines().filter(|l| !l.starts_with('#')) {
                let mut cols = line.split('\t');
                let (Some(place), Some(kind), Some(country)) = (cols.next(), cols.next(), cols.next()) else { continue };
                let kind = match kind {
                    "country" => PlaceKind::Country,
                    "capital" => PlaceKind::Capital,
                    "demonym" => PlaceKind::Demonym,
                    "state" => PlaceKind::State,
                    "region" => PlaceKind::Region,
                    _ => continue,
                };
                // A country's own name wins over a capital or demonym written the same way.
                t.entry(place.to_lowercase())
                    .and_modify(|e: &mut (PlaceKind, &str)| {
                        if kind == PlaceKind::Country {
                            *e = (kind, country)
                        }
                    })
                    .or_insert((kind, country));
            }
            t
        })
        .get(name)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_from_the_data_file() {
        assert_eq!(lookup("islamabad"), Some((PlaceKind::Capital, "Pakistan")));
        assert_eq!(lookup("pakistani"), Some((PlaceKind::Demonym, "Pakistan")));
        assert_eq!(lookup("new york").map(|p| p.0), Some(PlaceKind::State));
        assert_eq!(lookup("france").map(|p| p.0), Some(PlaceKind::Country));
        assert_eq!(lookup("jane roe"), None);
    }
}

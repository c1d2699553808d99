//! Learning the speaker model from the PolNeAR speaker gold (`shared/data/polnear-speakers`):
//! each gold item is paired with the statement whose content matches it (greedy by Jaccard
//! of the content's characters, at least 0.5, as `shared/tools/speaker_score.py` pairs them);
//! a candidate of that statement's source is right when its name is the gold name or an
//! alias after the scorer's normalisation, or, for an unnamed item, when it has no name.
//! Cross-validation trains on all folds but one and extracts the one left out.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use rayon::prelude::*;
use sayso_doc::CharIndex;
use sayso_extract::model::Model;
use sayso_extract::{Extraction, SpeakerKind};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::learn::{fit, Labelled, Options};
use crate::{jacc, GoldDoc};

#[derive(Deserialize)]
struct GoldFile {
    doc: String,
    items: Vec<Item>,
}

/// Who one attribution's source is.
#[derive(Deserialize, Clone)]
pub struct Item {
    content_start: Option<usize>,
    content_end: Option<usize>,
    kind: String,
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// Reads a folder of `<doc>.json` speaker files, by document.
pub fn load_speakers(dir: &Path) -> Result<HashMap<String, Vec<Item>>, String> {
    let mut out = HashMap::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().is_some_and(|x| x == "json") {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let g: GoldFile = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            out.insert(g.doc, g.items);
        }
    }
    Ok(out)
}

const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "president",
    "prime",
    "minister",
    "pm",
    "gen",
    "general",
    "col",
    "lt",
    "adm",
    "prof",
    "professor",
    "rev",
    "judge",
    "justice",
    "mayor",
    "secretary",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "sheikh",
    "speaker",
    "former",
    "vice",
    "lady",
    "lord",
];

/// A name as `speaker_score.py` compares it: accents, case, possessive 's and punctuation
/// gone, a leading "the" and honorifics dropped.
pub fn norm(s: &str) -> String {
    let s: String = s.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect::<String>().to_lowercase();
    let chars: Vec<char> = s.chars().collect();
    let mut kept = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let boundary = chars.get(i + 2).is_none_or(|n| !(n.is_alphanumeric() || *n == '_'));
        if matches!(c, '’' | '\'' | '`') && chars.get(i + 1) == Some(&'s') && boundary {
            i += 2;
            continue;
        }
        kept.push(if c.is_alphanumeric() || c == '_' || c.is_whitespace() || c == '-' { c } else { ' ' });
        i += 1;
    }
    let kept = kept.replace('_', " ");
    let mut toks: Vec<&str> = kept.split_whitespace().collect();
    while toks.first() == Some(&"the") {
        toks.remove(0);
    }
    while toks.len() > 1 && HONORIFICS.contains(&toks[0]) {
        toks.remove(0);
    }
    toks.join(" ")
}

/// Characters of the spans, in code points.
fn char_set(idx: &CharIndex, spans: &[sayso_doc::Span]) -> HashSet<usize> {
    spans.iter().flat_map(|s| idx.char_of(s.start)..idx.char_of(s.end)).collect()
}

/// Pairs gold items with statements one to one, best Jaccard first (at least 0.5): for each
/// statement, the item it stands for.
fn pair(statements: &[HashSet<usize>], items: &[Item]) -> HashMap<usize, usize> {
    let gold: Vec<HashSet<usize>> =
        items.iter().map(|it| it.content_start.zip(it.content_end).map_or_else(HashSet::new, |(a, b)| (a..b).collect())).collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, p) in statements.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            let s = jacc(p, g);
            if s >= 0.5 {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|x, y| y.partial_cmp(x).unwrap_or(std::cmp::Ordering::Equal));
    let (mut up, mut ug, mut out) = (HashSet::new(), HashSet::new(), HashMap::new());
    for (_, i, j) in pairs {
        if !up.contains(&i) && !ug.contains(&j) {
            up.insert(i);
            ug.insert(j);
            out.insert(i, j);
        }
    }
    out
}

fn right(sp: &sayso_extract::Speaker, item: &Item) -> bool {
    if item.kind == "unnamed" {
        return sp.name.is_none() || sp.kind == SpeakerKind::Unnamed;
    }
    let Some(name) = &item.name else {
        return false;
    };
    let Some(got) = sp.name.as_deref().map(norm) else {
        return false;
    };
    got == norm(name) || item.aliases.iter().any(|a| norm(a) == got)
}

/// One document's speaker decisions for learning: a group of labelled candidates for each
/// source whose statement stands for a gold item.
fn examples_of(g: &GoldDoc, items: &[Item], scorer: &Model) -> Vec<Vec<Labelled>> {
    let mut doc = g.document();
    let (contents, groups) = sayso_extract::speaker_examples(&mut doc, scorer);
    let idx = CharIndex::new(&doc.text);
    let sets: Vec<HashSet<usize>> = contents.iter().map(|c| char_set(&idx, c)).collect();
    let paired = pair(&sets, items);
    groups
        .into_iter()
        .filter_map(|(i, alts)| {
            let item = &items[*paired.get(&i)?];
            Some(alts.into_iter().map(|(sp, f)| (f, right(&sp, item))).collect())
        })
        .collect()
}

const HEADER: &str =
    "# sayso speaker model, learned by `sayso train speakers` from the PolNeAR speaker gold of PolNeAR train (Newell et al., LREC 2018)\n";

/// Learns the speaker model from `docs` and their gold; returns the model file's text.
pub fn train(docs: &[GoldDoc], gold: &HashMap<String, Vec<Item>>, opts: &Options, log: &mut dyn FnMut(&str)) -> String {
    let groups = examples(docs, gold);
    let (all, reachable) = groups.iter().flatten().fold((0, 0), |(n, r), g| (n + 1, r + g.iter().any(|a| a.1) as usize));
    log(&format!("{all} sources paired with a gold item; the right speaker is among the candidates for {reachable}"));
    HEADER.to_string() + &fit(groups.iter().flatten(), opts, false, log)
}

fn examples(docs: &[GoldDoc], gold: &HashMap<String, Vec<Item>>) -> Vec<Vec<Vec<Labelled>>> {
    let scorer = sayso_extract::model::model();
    docs.par_iter().map(|g| gold.get(&g.id).map_or_else(Vec::new, |items| examples_of(g, items, scorer))).collect()
}

/// K-fold cross-validation: document `i` falls in fold `i % k`; each fold is extracted with
/// a speaker model learned from the others. Returns every document's extraction, in order.
pub fn cross_validate(
    docs: &[GoldDoc],
    gold: &HashMap<String, Vec<Item>>,
    k: usize,
    opts: &Options,
    log: &mut dyn FnMut(&str),
) -> Vec<(sayso_doc::Document, Extraction)> {
    let per_doc = examples(docs, gold);
    let mut out: Vec<Option<(sayso_doc::Document, Extraction)>> = (0..docs.len()).map(|_| None).collect();
    for fold in 0..k {
        let text = fit(per_doc.iter().enumerate().filter(|(i, _)| i % k != fold).flat_map(|(_, g)| g), opts, false, &mut |_| {});
        let model = Model::parse(&text).expect("a model we just wrote parses");
        log(&format!("fold {}/{k}: {} features", fold + 1, text.lines().count()));
        let held: Vec<usize> = (fold..docs.len()).step_by(k).collect();
        let runs: Vec<_> = held
            .par_iter()
            .map(|&i| {
                let mut doc = docs[i].document();
                let options = sayso_extract::Options { speakers: Some(&model), ..Default::default() };
                let ex = sayso_extract::extract_with(&mut doc, sayso_extract::model::model(), options);
                (doc, ex)
            })
            .collect();
        for (i, r) in held.into_iter().zip(runs) {
            out[i] = Some(r);
        }
    }
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_as_the_scorer_does() {
        assert_eq!(norm("Sen. Bernie Sanders"), "bernie sanders");
        assert_eq!(norm("The White House"), "white house");
        assert_eq!(norm("François Hollande’s"), "francois hollande");
        assert_eq!(norm("President"), "president");
        assert_eq!(norm("Reuters/Ipsos"), "reuters ipsos");
    }
}

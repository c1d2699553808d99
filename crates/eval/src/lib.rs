//! PolNeAR evaluation: a loader for the BRAT standoff files and a scorer with exactly the
//! definitions of `shared/tools/polnear_score.py` (unique spans per document, trimmed
//! exact match, Jaccard overlap >= 0.5, any shared char, and linked attributions; greedy
//! one-to-one matching by best Jaccard). Offsets are code points, as PolNeAR counts them.

pub mod learn;
pub mod speakers;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use rayon::prelude::*;
use sayso_doc::{CharIndex, Document, Meta, Span};
use sayso_extract::model::Model;
use sayso_extract::{Extraction, Selection};

impl GoldDoc {
    /// The article as a fresh document, its id the PolNeAR file stem.
    pub fn document(&self) -> Document {
        Document::from_text(Meta { id: self.id.clone(), ..Meta::default() }, self.text.clone())
    }
}

/// Extracts from every document of a split (in parallel, results in order).
pub fn extract_split(gold: &[GoldDoc], model: &Model, selection: Selection) -> Vec<(Document, Extraction)> {
    gold.par_iter()
        .map(|g| {
            let mut doc = g.document();
            let ex = sayso_extract::extract_with(&mut doc, model, sayso_extract::Options { selection, ..Default::default() });
            (doc, ex)
        })
        .collect()
}

/// Scores extractions made by [`extract_split`] against their gold.
pub fn score_split(gold: &[GoldDoc], runs: &[(Document, Extraction)]) -> Scores {
    let mut scores = Scores::new();
    for (g, (doc, ex)) in gold.iter().zip(runs) {
        score_doc(g, &predictions(doc, ex), &mut scores);
    }
    scores
}

/// An extraction as attributions in code points, as the gold counts them.
pub fn predictions(doc: &Document, ex: &Extraction) -> Vec<Attribution> {
    let idx = CharIndex::new(&doc.text);
    let frags = |spans: &[Span]| spans.iter().map(|s| (idx.char_of(s.start), idx.char_of(s.end))).collect::<Vec<_>>();
    ex.statements
        .iter()
        .map(|s| Attribution {
            source: s.source.map(|sp| frags(&[sp])),
            cue: s.cue.as_ref().map(|c| frags(&[c.span])),
            content: frags(&s.content),
        })
        .collect()
}

/// Fragments `[start, end)` in code points.
pub type Frags = Vec<(usize, usize)>;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attribution {
    pub source: Option<Frags>,
    pub cue: Option<Frags>,
    pub content: Frags,
}

#[derive(Clone, Debug)]
pub struct GoldDoc {
    pub id: String,
    pub text: String,
    pub attributions: Vec<Attribution>,
}

/// Loads a split folder (`text/`, `attributions/`), one annotation file per document: the
/// annotator id that sorts first, as the reference scorer does.
pub fn load_split(dir: &Path) -> Result<Vec<GoldDoc>, String> {
    let adir = dir.join("attributions");
    let tdir = dir.join("text");
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let entries = fs::read_dir(&adir).map_err(|e| format!("{}: {e}", adir.display()))?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".ann") {
            if let Some((doc, _annotator)) = stem.rsplit_once('_') {
                files.entry(doc.to_string()).or_default().push(name.clone());
            }
        }
    }
    let mut out = Vec::new();
    for (doc, mut anns) in files {
        anns.sort();
        let tpath = tdir.join(format!("{doc}.txt"));
        let text = fs::read_to_string(&tpath).map_err(|e| format!("{}: {e}", tpath.display()))?;
        let apath = adir.join(&anns[0]);
        let ann = fs::read_to_string(&apath).map_err(|e| format!("{}: {e}", apath.display()))?;
        out.push(GoldDoc { id: doc, text, attributions: parse_ann(&ann) });
    }
    Ok(out)
}

/// Parses BRAT standoff into attributions with a content (others are dropped, as the
/// reference scorer drops them).
pub fn parse_ann(ann: &str) -> Vec<Attribution> {
    let mut spans: HashMap<&str, Frags> = HashMap::new();
    let mut out = Vec::new();
    for line in ann.lines() {
        if let Some(rest) = line.strip_prefix('T') {
            let mut parts = rest.splitn(3, '\t');
            let (Some(num), Some(mid)) = (parts.next(), parts.next()) else {
                continue;
            };
            if parts.next().is_none() || !num.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let Some((_ty, locs)) = mid.split_once(' ') else {
                continue;
            };
            let frags: Option<Frags> = locs
                .split(';')
                .map(|p| {
                    let mut it = p.split_whitespace().map(|x| x.parse::<usize>().ok());
                    Some((it.next()??, it.next()??))
                })
                .collect();
            if let Some(f) = frags {
                spans.insert(&line[..1 + num.len()], f);
            }
        } else if line.starts_with('E') {
            let Some((_, body)) = line.split_once('\t') else {
                continue;
            };
            let mut roles: HashMap<&str, &str> = HashMap::new();
            for part in body.split_whitespace() {
                if let Some((k, v)) = part.split_once(':') {
                    roles.insert(k, v);
                }
            }
            let get = |r: &str| roles.get(r).and_then(|t| spans.get(t)).cloned();
            let Some(mut content) = get("Content") else {
                continue;
            };
            if let Some(c2) = get("Content2") {
                content.extend(c2);
            }
            out.push(Attribution { source: get("Source"), cue: get("Cue"), content });
        }
    }
    out
}

const TRIM: &str = " \t\r\n\"'“”‘’«»„‚,.;:—–-()[]";

type Chars = HashSet<usize>;

pub(crate) fn chars(text: &[char], frags: &Frags) -> Chars {
    let mut s = HashSet::new();
    for &(a, b) in frags {
        s.extend((a..b.min(text.len())).filter(|&i| !text[i].is_whitespace()));
    }
    s
}

fn trimmed(text: &[char], frags: &Frags) -> Vec<(usize, usize)> {
    let mut f = frags.clone();
    f.sort();
    let mut out = Vec::new();
    for (a, b) in f {
        let (mut a, mut b) = (a, b.min(text.len()));
        while a < b && TRIM.contains(text[a]) {
            a += 1;
        }
        while b > a && TRIM.contains(text[b - 1]) {
            b -= 1;
        }
        if a < b {
            out.push((a, b));
        }
    }
    out
}

pub(crate) fn jacc(a: &Chars, b: &Chars) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Greedy one-to-one matching by Jaccard, ties as Python's reverse tuple sort breaks them.
fn match_count<P, G>(
    preds: &[P],
    golds: &[G],
    key_p: impl Fn(&P) -> &Chars,
    key_g: impl Fn(&G) -> &Chars,
    ok: impl Fn(&P, &G) -> bool,
) -> usize {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, p) in preds.iter().enumerate() {
        for (j, g) in golds.iter().enumerate() {
            pairs.push((jacc(key_p(p), key_g(g)), i, j));
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    let (mut up, mut ug, mut n) = (HashSet::new(), HashSet::new(), 0);
    for (_, i, j) in pairs {
        if up.contains(&i) || ug.contains(&j) {
            continue;
        }
        if ok(&preds[i], &golds[j]) {
            up.insert(i);
            ug.insert(j);
            n += 1;
        }
    }
    n
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Count {
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.pred > 0 { self.tp as f64 / self.pred as f64 } else { 0.0 };
        let r = if self.gold > 0 { self.tp as f64 / self.gold as f64 } else { 0.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// Counts keyed like the reference scorer: "source.exact", "attribution.linked", ...
pub type Scores = BTreeMap<String, Count>;

/// Dedupes spans by trimmed key, keeping first insertion order and the last value, as a
/// Python dict does.
fn unique(text: &[char], spans: impl Iterator<Item = Frags>) -> Vec<(Vec<(usize, usize)>, Chars)> {
    let mut order: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut map: HashMap<Vec<(usize, usize)>, Chars> = HashMap::new();
    for f in spans {
        let k = trimmed(text, &f);
        let c = chars(text, &f);
        if !map.contains_key(&k) {
            order.push(k.clone());
        }
        map.insert(k, c);
    }
    order.into_iter().filter_map(|k| map.remove(&k).filter(|c| !c.is_empty()).map(|c| (k, c))).collect()
}

/// A span as the scorer keys it: its trimmed fragments, and its non-space chars.
type Keyed = (Vec<(usize, usize)>, Chars);
type MatchFn = dyn Fn(&Keyed, &Keyed) -> bool;

fn span_chars(x: &Keyed) -> &Chars {
    &x.1
}

type Linked = (Chars, Option<Chars>, Option<Chars>);

fn linked_chars(x: &Linked) -> &Chars {
    &x.0
}

/// Adds one document's counts to `scores`.
pub fn score_doc(gold: &GoldDoc, pred: &[Attribution], scores: &mut Scores) {
    let text: Vec<char> = gold.text.chars().collect();
    for role in ["source", "cue", "content"] {
        let get = |a: &Attribution| -> Option<Frags> {
            match role {
                "source" => a.source.clone(),
                "cue" => a.cue.clone(),
                _ => Some(a.content.clone()),
            }
        };
        let g = unique(&text, gold.attributions.iter().filter_map(get));
        let p = unique(&text, pred.iter().filter_map(get));
        let kinds: [(&str, &MatchFn); 3] = [
            ("exact", &|a, b| a.0 == b.0),
            ("overlap", &|a, b| jacc(&a.1, &b.1) >= 0.5),
            ("any", &|a, b| a.1.intersection(&b.1).next().is_some()),
        ];
        for (kind, ok) in kinds {
            let tp = match_count(&p, &g, span_chars, span_chars, ok);
            let c = scores.entry(format!("{role}.{kind}")).or_default();
            c.tp += tp;
            c.pred += p.len();
            c.gold += g.len();
        }
    }
    let to = |a: &Attribution| -> Linked {
        (chars(&text, &a.content), a.source.as_ref().map(|f| chars(&text, f)), a.cue.as_ref().map(|f| chars(&text, f)))
    };
    let g: Vec<Linked> = gold.attributions.iter().map(to).collect();
    let p: Vec<Linked> = pred.iter().map(to).collect();
    let side_ok = |x: &Option<Chars>, y: &Option<Chars>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => x.intersection(y).next().is_some(),
        _ => false,
    };
    let tp = match_count(&p, &g, linked_chars, linked_chars, |a, b| jacc(&a.0, &b.0) >= 0.5 && side_ok(&a.1, &b.1) && side_ok(&a.2, &b.2));
    let c = scores.entry("attribution.linked".into()).or_default();
    c.tp += tp;
    c.pred += p.len();
    c.gold += g.len();
}

/// The scores as the reference scorer prints them.
pub fn format_table(scores: &Scores, documents: usize) -> String {
    let mut s = format!("documents: {documents}\n{:24} {:>6} {:>6} {:>6} {:>6} {:>6}\n", "role.match", "P", "R", "F1", "pred", "gold");
    for (k, c) in scores {
        let (p, r, f) = c.prf();
        s += &format!("{k:24} {:6.1} {:6.1} {:6.1} {:6} {:6}\n", p * 100.0, r * 100.0, f * 100.0, c.pred, c.gold);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "“We won,” Smith said. He said the vote was fair.";

    fn gold() -> GoldDoc {
        let ann = "T1\tContent 0 9\t“We won,”\nT2\tSource 10 15\tSmith\nT3\tCue 16 20\tsaid\nE1\tAttribution:T3 Source:T2 Cue:T3 Content:T1\nT4\tSource 22 24\tHe\nT5\tCue 25 29\tsaid\nT6\tContent 30 47\tthe vote was fair\nE2\tAttribution:T5 Source:T4 Cue:T5 Content:T6 \n";
        GoldDoc { id: "d".into(), text: TEXT.into(), attributions: parse_ann(ann) }
    }

    #[test]
    fn parses_events_with_roles_in_any_order() {
        let g = gold();
        assert_eq!(g.attributions.len(), 2);
        assert_eq!(g.attributions[1].source, Some(vec![(22, 24)]));
    }

    #[test]
    fn perfect_and_partial_predictions() {
        let g = gold();
        let mut s = Scores::new();
        score_doc(&g, &g.attributions, &mut s);
        assert_eq!(s["attribution.linked"], Count { tp: 2, pred: 2, gold: 2 });
        assert_eq!(s["content.exact"].tp, 2);
        // Quote marks and punctuation are trimmed for exact match; a missing source unlinks.
        let p = vec![Attribution { source: None, cue: Some(vec![(16, 20)]), content: vec![(1, 7)] }];
        let mut s = Scores::new();
        score_doc(&g, &p, &mut s);
        assert_eq!(s["content.exact"].tp, 1);
        assert_eq!(s["attribution.linked"].tp, 0);
    }
}

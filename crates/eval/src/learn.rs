//! Learning the scorer from PolNeAR. The candidates the finders propose for one cue compete
//! with each other and with "none of them": a softmax over the group (see `model.rs`). A
//! candidate is right when it matches a gold attribution as the scorer's "linked" figure
//! counts it (content overlap >= 0.5, cue and source sharing a character or both absent).
//! AdaGrad in a fixed order, so training gives the same model every time.

use std::collections::HashMap;

use rayon::prelude::*;
use sayso_doc::CharIndex;
use sayso_extract::candidates::find;
use sayso_extract::ctx::{span_of, Ctx};
use sayso_extract::model::{feature_name, features, Model};
use sayso_extract::Selection;

use crate::{chars, extract_split, jacc, score_split, GoldDoc};

pub struct Options {
    pub epochs: usize,
    pub l2: f64,
    pub rate: f64,
    /// Features seen fewer times than this are dropped.
    pub min_count: usize,
    /// Runs over differently shuffled data whose weights are averaged.
    pub runs: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { epochs: 6, l2: 1e-6, rate: 0.05, min_count: 5, runs: 5 }
    }
}

/// The alternatives found for one cue: their features and whether each is right.
struct Group {
    alts: Vec<(Vec<u32>, bool)>,
}

/// One candidate for learning: its feature names and whether it is right.
pub(crate) type Labelled = (Vec<String>, bool);

/// Learns weights for groups of competing alternatives (a softmax over each group, with
/// "none of them" scoring 0 when `none`); returns the model file's `feature <TAB> weight`
/// lines. Several runs over differently shuffled data, their weights averaged: a steadier
/// model than any one run (the model is linear, so this averages their scores).
pub(crate) fn fit<'a>(
    groups: impl Iterator<Item = &'a Vec<Labelled>> + Clone,
    opts: &Options,
    none: bool,
    log: &mut dyn FnMut(&str),
) -> String {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (f, _) in groups.clone().flatten() {
        for name in f {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let mut names: Vec<&str> = counts.iter().filter(|(_, &n)| n >= opts.min_count).map(|(k, _)| *k).collect();
    names.sort_unstable();
    let ids: HashMap<&str, u32> = names.iter().enumerate().map(|(i, k)| (*k, i as u32)).collect();
    let mut groups: Vec<Group> = groups
        .filter(|g| none || g.iter().any(|a| a.1))
        .map(|g| Group {
            alts: g.iter().map(|(f, label)| (f.iter().filter_map(|k| ids.get(k.as_str()).copied()).collect(), *label)).collect(),
        })
        .collect();
    let candidates: usize = groups.iter().map(|g| g.alts.len()).sum();
    let right = groups.iter().filter(|g| g.alts.iter().any(|a| a.1)).count();
    log(&format!("{} groups ({right} with a right alternative), {candidates} alternatives, {} features", groups.len(), names.len()));
    let mut w = vec![0f64; names.len()];
    for run in 0..opts.runs {
        let mut seed: u64 = 0x5eed + run as u64;
        let mut wr = vec![0f64; names.len()];
        let mut g2 = vec![1e-8f64; names.len()];
        for epoch in 0..opts.epochs {
            // Fisher-Yates with a fixed LCG: the same order on every run.
            for i in (1..groups.len()).rev() {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                groups.swap(i, (seed >> 33) as usize % (i + 1));
            }
            let mut loss = 0.0;
            for g in &groups {
                // Softmax over the alternatives (and "none", score 0); the target spreads over
                // the right alternatives, or is "none" when there is none.
                let z: Vec<f64> = g.alts.iter().map(|(f, _)| f.iter().map(|&k| wr[k as usize]).sum()).collect();
                let top = z.iter().copied().fold(if none { 0.0 } else { f64::NEG_INFINITY }, f64::max);
                let denom = if none { (-top).exp() } else { 0.0 } + z.iter().map(|&x| (x - top).exp()).sum::<f64>();
                let n_right = g.alts.iter().filter(|a| a.1).count();
                loss -= if n_right == 0 {
                    (-top).exp().max(1e-300).ln() - denom.ln()
                } else {
                    g.alts.iter().zip(&z).filter(|(a, _)| a.1).map(|(_, &x)| (x - top) - denom.ln()).sum::<f64>() / n_right as f64
                };
                for ((f, right), &x) in g.alts.iter().zip(&z) {
                    let p = (x - top).exp() / denom;
                    let t = if *right { 1.0 / n_right as f64 } else { 0.0 };
                    let grad = p - t;
                    for &k in f {
                        let k = k as usize;
                        let gk = grad + opts.l2 * wr[k];
                        g2[k] += gk * gk;
                        wr[k] -= opts.rate * gk / g2[k].sqrt();
                    }
                }
            }
            log(&format!("run {} epoch {}: mean loss {:.4}", run + 1, epoch + 1, loss / groups.len() as f64));
        }
        for (a, x) in w.iter_mut().zip(&wr) {
            *a += x / opts.runs as f64;
        }
    }
    let mut body = String::new();
    for (name, &wt) in names.iter().zip(&w) {
        if wt.abs() >= 1e-3 {
            body += &format!("{name}\t{wt:.4}\n");
        }
    }
    body
}

/// The feature strings and labels of one document's candidates, grouped by cue.
fn examples_of(g: &GoldDoc) -> Vec<Vec<Labelled>> {
    let mut doc = g.document();
    sayso_extract::analyze(&mut doc);
    let ctx = Ctx::new(&doc);
    let text: Vec<char> = g.text.chars().collect();
    let idx = CharIndex::new(&doc.text);
    let gold: Vec<_> = g
        .attributions
        .iter()
        .map(|a| (chars(&text, &a.content), a.source.as_ref().map(|f| chars(&text, f)), a.cue.as_ref().map(|f| chars(&text, f))))
        .collect();
    let to_chars = |r: (usize, usize)| {
        let s = span_of(&ctx, r);
        chars(&text, &vec![(idx.char_of(s.start), idx.char_of(s.end))])
    };
    let mut out: Vec<((usize, usize), Vec<Labelled>)> = Vec::new();
    find(&ctx, &mut |c| {
        let mut content = std::collections::HashSet::new();
        for &r in &c.content {
            content.extend(to_chars(r));
        }
        let cue = to_chars(c.cue_span);
        let source = c.source.map(&to_chars);
        let label = gold.iter().any(|(gc, gs, gq)| {
            jacc(&content, gc) >= 0.5
                && gq.as_ref().is_some_and(|q| q.intersection(&cue).next().is_some())
                && match (gs, &source) {
                    (None, None) => true,
                    (Some(a), Some(b)) => a.intersection(b).next().is_some(),
                    _ => false,
                }
        });
        let mut f = Vec::new();
        features(&ctx, &c, &mut |t, parts| f.push(feature_name(t, parts)));
        match out.last_mut() {
            Some((cue, group)) if *cue == c.cue => group.push((f, label)),
            _ => out.push((c.cue, vec![(f, label)])),
        }
    });
    out.into_iter().map(|(_, group)| group).collect()
}

/// Learns weights from `train`; picks the threshold that maximises the mean headline F1 on
/// `tune`.
/// Returns the model file's text.
pub fn train(train: &[GoldDoc], tune: &[GoldDoc], opts: &Options, log: &mut dyn FnMut(&str)) -> String {
    let per_doc: Vec<Vec<Vec<Labelled>>> = train.par_iter().map(examples_of).collect();
    let body = fit(per_doc.iter().flatten(), opts, true, log);
    let header = |t: f32| {
        format!("# sayso scorer, learned by `sayso train polnear` from PolNeAR train (Newell et al., LREC 2018)\n# threshold\t{t:.2}\n")
    };
    let mut best = (0.5f32, -1.0f64);
    for k in 5..=25 {
        let t = k as f32 * 0.02;
        let model = Model::parse(&(header(t) + &body)).expect("a model we just wrote parses");
        let f1 = headline_f1(tune, &model);
        log(&format!("threshold {t:.2}: mean headline F1 {:.2}", f1 * 100.0));
        if f1 > best.1 {
            best = (t, f1);
        }
    }
    log(&format!("chosen threshold {:.2}", best.0));
    header(best.0) + &body
}

/// The figures the project is judged by: linked, content overlap, source exact, cue exact.
pub const HEADLINE: [&str; 4] = ["attribution.linked", "content.overlap", "source.exact", "cue.exact"];

/// Runs extraction with `model` over `docs` and returns the mean F1 of the [`HEADLINE`] figures.
pub fn headline_f1(docs: &[GoldDoc], model: &Model) -> f64 {
    let scores = score_split(docs, &extract_split(docs, model, Selection::Best));
    HEADLINE.iter().map(|k| scores.get(*k).map_or(0.0, |c| c.prf().2)).sum::<f64>() / HEADLINE.len() as f64
}

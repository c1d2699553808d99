//! The learned scorer: a log-linear model over sparse features of a candidate; the
//! alternatives found for one cue compete in a softmax with "none of them". The weights
//! (`data/scorer.tsv`, built into the binary) are learned from PolNeAR train by
//! `sayso train polnear`; one function, [`features`], serves both learning and scoring.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::hash::StreamHash;
use crate::weights::Weights;

use crate::candidates::{Candidate, Pattern, SourceKind, Toks};
use crate::ctx::Ctx;
use crate::lexicon::lexicon;
use crate::words::*;

const DATA: &str = include_str!("../../../data/scorer.tsv");

#[derive(Clone)]
pub struct Model {
    weights: Weights,
    /// Candidates with a probability at or above this become statements.
    pub threshold: f32,
}

pub fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::parse(DATA).expect("data/scorer.tsv is checked by a test"))
}

impl Model {
    /// Format: `# threshold <TAB> t` and `feature <TAB> weight` lines.
    pub fn parse(data: &str) -> Result<Model, String> {
        let mut weights = Vec::new();
        let mut threshold = 0.5;
        for (n, line) in data.lines().enumerate() {
            let Some((k, v)) = line.rsplit_once('\t') else {
                continue;
            };
            let v: f32 = v.parse().map_err(|_| format!("scorer.tsv:{}: bad number {v:?}", n + 1))?;
            if k == "# threshold" {
                threshold = v;
            } else if !k.starts_with('#') {
                weights.push((hash_str(k), v));
            }
        }
        Ok(Model { weights: Weights::new(&weights), threshold })
    }

    /// The sum of the weights of the features `features` emits.
    pub fn sum_of(&self, features: &mut dyn FnMut(Emit)) -> f32 {
        let mut z = 0.0;
        self.weights_of(features, &mut |w| z += w);
        z
    }

    /// The weight of each feature `features` emits, in order. The hashes come first, each
    /// slot fetched as its hash is known, so that the cache misses overlap.
    fn weights_of(&self, features: &mut dyn FnMut(Emit), out: &mut dyn FnMut(f32)) {
        let mut hashes = [0u64; 32];
        let mut n = 0;
        features(&mut |t, parts| {
            if n == hashes.len() {
                hashes.iter().for_each(|&h| out(self.weights.get(h)));
                n = 0;
            }
            let h = hash_feature(t, parts);
            self.weights.prefetch(h);
            hashes[n] = h;
            n += 1;
        });
        hashes[..n].iter().for_each(|&h| out(self.weights.get(h)));
    }

    /// A scorer that remembers the cue part of the last candidate: alternatives for one cue
    /// come one after another and share it.
    pub fn scorer(&self) -> Scorer<'_> {
        Scorer { model: self, last: None, heads: Vec::new(), tails: Vec::new() }
    }
}

pub struct Scorer<'m> {
    model: &'m Model,
    last: Option<((usize, usize), f32)>,
    /// For the cue being scored: the sum of each [`span_head`] met, and the weights of each
    /// [`span_tail`]; alternatives that differ only in where their content ends share them.
    heads: Vec<(HeadKey, f32)>,
    tails: Vec<(TailKey, Vec<f32>)>,
}

type HeadKey = (Pattern, SourceKind);
type TailKey = (Pattern, Option<Toks>, usize, bool, bool);

impl Scorer<'_> {
    /// The probability of each alternative found for one cue (all share `cue`), against the
    /// others and against "none of them": a softmax in which "none" scores 0.
    pub fn probabilities(&mut self, ctx: &Ctx, group: &[Candidate]) -> Vec<f32> {
        self.heads.clear();
        self.tails.clear();
        let z: Vec<f32> = group
            .iter()
            .map(|c| {
                let model = self.model;
                let cue_z = match self.last {
                    Some((cue, z)) if cue == c.cue => z,
                    _ => {
                        let z = model.sum_of(&mut |emit| cue_features(ctx, c, emit));
                        self.last = Some((c.cue, z));
                        z
                    }
                };
                // The span's sum in the order `span_features` emits, so it rounds the same.
                let head_key = (c.features.pattern, c.features.source);
                let mut z = match self.heads.iter().find(|(k, _)| *k == head_key) {
                    Some(&(_, z)) => z,
                    None => {
                        let z = model.sum_of(&mut |emit| span_head(ctx, c, emit));
                        self.heads.push((head_key, z));
                        z
                    }
                };
                model.weights_of(&mut |emit| span_end(ctx, c, emit), &mut |w| z += w);
                let f = &c.features;
                let tail_key = (f.pattern, c.source, c.content[0].0, f.content_quoted, c.content.len() > 1);
                let tail = match self.tails.iter().position(|(k, _)| *k == tail_key) {
                    Some(i) => i,
                    None => {
                        let mut ws = Vec::new();
                        model.weights_of(&mut |emit| span_tail(ctx, c, emit), &mut |w| ws.push(w));
                        self.tails.push((tail_key, ws));
                        self.tails.len() - 1
                    }
                };
                cue_z + self.tails[tail].1.iter().fold(z, |z, &w| z + w)
            })
            .collect();
        let top = z.iter().copied().fold(0.0, f32::max);
        let denom = (-top).exp() + z.iter().map(|&x| (x - top).exp()).sum::<f32>();
        z.iter().map(|&x| (x - top).exp() / denom).collect()
    }
}

/// A feature template: its name, and the hash state after `name=`, computed once.
pub struct Template {
    pub name: &'static str,
    state: OnceLock<StreamHash>,
}

impl Template {
    pub const fn new(name: &'static str) -> Template {
        Template { name, state: OnceLock::new() }
    }

    fn state(&self) -> StreamHash {
        *self.state.get_or_init(|| {
            let mut h = StreamHash::new();
            h.bytes(self.name.as_bytes()).bytes(b"=");
            h
        })
    }
}

/// A template with a static home at its one place of use.
macro_rules! tpl {
    ($name:literal) => {{
        static T: $crate::model::Template = $crate::model::Template::new($name);
        &T
    }};
}
pub(crate) use tpl;

/// The hash of `template=part1|part2…`, computed without building the string.
pub fn hash_feature(template: &Template, parts: &[&str]) -> u64 {
    let mut h = template.state();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.bytes(b"|");
        }
        h.bytes(p.as_bytes());
    }
    h.value()
}

fn hash_str(s: &str) -> u64 {
    StreamHash::new().bytes(s.as_bytes()).value()
}

pub(crate) fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=5 => "3-5",
        6..=10 => "6-10",
        11..=20 => "11-20",
        21..=40 => "21-40",
        _ => "41+",
    }
}

fn source_kind(k: SourceKind) -> &'static str {
    match k {
        SourceKind::None => "none",
        SourceKind::Pronoun => "pronoun",
        SourceKind::Name => "name",
        SourceKind::Nominal => "nominal",
    }
}

/// Calls `emit(template, parts)` for every feature of a candidate; the feature's name is
/// `template=part1|part2…`. Nothing is allocated for single-word cues.
pub fn features(ctx: &Ctx, c: &Candidate, emit: &mut dyn FnMut(&Template, &[&str])) {
    cue_features(ctx, c, emit);
    span_features(ctx, c, emit);
}

fn cue_text<'a>(ctx: &'a Ctx, c: &Candidate) -> Cow<'a, str> {
    let (c0, c1) = c.cue;
    if c1 - c0 == 1 {
        Cow::Borrowed(ctx.w(c0))
    } else {
        Cow::Owned((c0..c1).map(|k| ctx.w(k)).collect::<Vec<_>>().join(" "))
    }
}

fn word_at<'a>(ctx: &'a Ctx, k: Option<usize>) -> &'a str {
    k.filter(|&k| k < ctx.lower.len()).map_or("<s>", |k| ctx.w(k))
}

/// The features of the cue alone: the same for every alternative found for it.
fn cue_features(ctx: &Ctx, c: &Candidate, emit: &mut dyn FnMut(&Template, &[&str])) {
    let f = &c.features;
    let (c0, c1) = c.cue;
    let cue = cue_text(ctx, c);
    let cue = cue.as_ref();
    let prev1 = word_at(ctx, c0.checked_sub(1));
    let next1 = word_at(ctx, Some(c1));
    emit(tpl!("bias"), &[]);
    emit(tpl!("w"), &[cue]);
    emit(tpl!("lemma"), &[c.entry.map_or("-", |e| lexicon().entries[e].lemma.as_str())]);
    emit(tpl!("class"), &[f.class.as_str()]);
    emit(tpl!("suf"), &[&cue[cue.char_indices().rev().nth(2).map_or(0, |(i, _)| i)..]]);
    emit(tpl!("prior"), &[PRIORS[((f.prior * 10.0).round() as usize).min(10)]]);
    emit(tpl!("prev1"), &[prev1]);
    emit(tpl!("prev2"), &[word_at(ctx, c0.checked_sub(2))]);
    emit(tpl!("next1"), &[next1]);
    emit(tpl!("next2"), &[word_at(ctx, Some(c1 + 1))]);
    emit(tpl!("w|next1"), &[cue, next1]);
    emit(tpl!("w|prev1"), &[cue, prev1]);
    if f.bare {
        emit(tpl!("bare"), &[]);
    }
    if f.after_to {
        emit(tpl!("after_to"), &[]);
    }
    if f.after_modal {
        emit(tpl!("after_modal"), &[]);
    }
    if c.negated {
        emit(tpl!("negated"), &[]);
    }
    let para = ctx.doc.layers.sentences.partition_point(|s| s.end_tok <= c0);
    if ctx.doc.layers.sentences.get(para).is_some_and(|s| s.paragraph == 0) {
        emit(tpl!("headline"), &[]);
    }
}

/// The features of one alternative: its pattern, source and content.
fn span_features(ctx: &Ctx, c: &Candidate, emit: &mut dyn FnMut(&Template, &[&str])) {
    span_head(ctx, c, emit);
    span_end(ctx, c, emit);
    span_tail(ctx, c, emit);
}

/// The features of the cue with the alternative's pattern and kind of source.
fn span_head(ctx: &Ctx, c: &Candidate, emit: &mut dyn FnMut(&Template, &[&str])) {
    let f = &c.features;
    let cue = cue_text(ctx, c);
    let cue = cue.as_ref();
    let lemma = c.entry.map_or("-", |e| lexicon().entries[e].lemma.as_str());
    let pattern = f.pattern.as_str();
    let class = f.class.as_str();
    let src = source_kind(f.source);
    emit(tpl!("pat"), &[pattern]);
    emit(tpl!("src"), &[src]);
    emit(tpl!("pat|src"), &[pattern, src]);
    emit(tpl!("w|pat"), &[cue, pattern]);
    emit(tpl!("lemma|pat|src"), &[lemma, pattern, src]);
    emit(tpl!("class|pat|src"), &[class, pattern, src]);
}

/// The features of where the content ends.
fn span_end(ctx: &Ctx, c: &Candidate, emit: &mut dyn FnMut(&Template, &[&str])) {
    let f = &c.features;
    let pattern = f.pattern.as_str();
    let class = f.class.as_str();
    let clen = bucket(f.content_tokens);
    let last = c.content[c.content.len() - 1].1;
    emit(tpl!("clen"), &[clen]);
    emit(tpl!("end"), &[f.content_end]);
    emit(tpl!("end|pat|class"), &[f.content_end, pattern, class]);
    emit(tpl!("end|next"), &[f.content_end, word_at(ctx, Some(last))]);
    emit(tpl!("pat|clen"), &[pattern, clen]);
}

/// The features of the source and of the content's start: the same for alternatives that
/// differ only in where their content ends ([`TailKey`]).
fn span_tail(ctx: &Ctx, c: &Candidate, emit: &mut dyn FnMut(&Template, &[&str])) {
    let f = &c.features;
    let c0 = c.cue.0;
    let pattern = f.pattern.as_str();
    let src = source_kind(f.source);
    if f.content_quoted {
        emit(tpl!("quoted"), &[pattern]);
    }
    if f.gerund {
        emit(tpl!("gerund"), &[src]);
    }
    if f.sentence_initial_cue {
        emit(tpl!("initial"), &[pattern]);
    }
    if let Some((s0, s1)) = c.source {
        emit(tpl!("src_len"), &[bucket(s1 - s0)]);
        let head = ctx.w(s1 - 1);
        let head_class = if ctx.is(s1 - 1, &PRONOUNS) || ctx.is(s1 - 1, &UNNAMED_HEADS) {
            head
        } else if ctx.doc.token_text(s1 - 1).starts_with(char::is_uppercase) {
            "<Cap>"
        } else {
            "<low>"
        };
        emit(tpl!("src_head"), &[head_class]);
        emit(tpl!("src_first"), &[if ctx.is(s0, &DETERMINERS) { ctx.w(s0) } else { "-" }]);
        emit(tpl!("src_side"), &[if s0 < c0 { "left" } else { "right" }]);
        if s0 > c0 {
            // An inverted source that closes its sentence: “…,” said X. / “…” — X
            let ss = &ctx.doc.layers.sentences;
            let sent = ss[ss.partition_point(|s| s.end_tok <= s0)];
            let ends = (s1..sent.end_tok).all(|k| !ctx.doc.layers.tokens[k].kind.eq(&sayso_doc::TokenKind::Word));
            emit(tpl!("src_ends_sentence"), &[pattern, if ends { "yes" } else { "no" }]);
        }
    }
    let first = c.content[0].0;
    emit(tpl!("content_first"), &[if ctx.doc.layers.tokens[first].kind == sayso_doc::TokenKind::Word { ctx.w(first) } else { "<punct>" }]);
    if c.content.len() > 1 {
        emit(tpl!("fragments"), &[pattern]);
    }
}

/// Where features go: each `template` with its parts.
pub type Emit<'e> = &'e mut dyn FnMut(&Template, &[&str]);

const PRIORS: [&str; 11] = ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"];

/// A feature's name as the model file writes it.
pub fn feature_name(template: &Template, parts: &[&str]) -> String {
    format!("{}={}", template.name, parts.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_parses_and_has_weights() {
        let m = Model::parse(DATA).unwrap();
        assert!(m.weights.len() > 1000, "data/scorer.tsv looks untrained: run `sayso train polnear`");
        assert!(m.threshold > 0.0 && m.threshold < 1.0);
    }

    #[test]
    fn streamed_hash_matches_the_written_name() {
        let parts = ["said", "QuoteBefore"];
        let t = Template::new("w|pat");
        assert_eq!(hash_feature(&t, &parts), hash_str(&feature_name(&t, &parts)));
        assert!(Model::parse("w=said\tnot-a-number").is_err());
    }
}

//! The learned scorer: a logistic model over sparse features of a candidate. The weights
//! (`data/scorer.tsv`, built into the binary) are learned from PolNeAR train by
//! `sayso train polnear`; one function, [`features`], serves both learning and scoring.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::candidates::{Candidate, Ctx, SourceKind};
use crate::lexicon::lexicon;
use crate::words::*;

const DATA: &str = include_str!("../../../data/scorer.tsv");

#[derive(Clone)]
pub struct Model {
    weights: HashMap<u64, f32>,
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
        let mut weights = HashMap::new();
        let mut threshold = 0.5;
        for (n, line) in data.lines().enumerate() {
            let Some((k, v)) = line.rsplit_once('\t') else { continue };
            let v: f32 = v.parse().map_err(|_| format!("scorer.tsv:{}: bad number {v:?}", n + 1))?;
            if k == "# threshold" {
                threshold = v;
            } else if !k.starts_with('#') {
                weights.insert(hash_str(k), v);
            }
        }
        Ok(Model { weights, threshold })
    }

    /// The probability that a candidate is a statement as PolNeAR would annotate it.
    pub fn probability(&self, ctx: &Ctx, c: &Candidate) -> f32 {
        let mut z = 0.0;
        features(ctx, c, &mut |t, v| {
            z += self.weights.get(&hash_feature(t, v)).copied().unwrap_or(0.0);
        });
        1.0 / (1.0 + (-z).exp())
    }
}

const FNV_OFFSET: u64 = 0xcbf29ce484222325;
const FNV_PRIME: u64 = 0x100000001b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The hash of feature `template=value`, computed without building the string.
pub fn hash_feature(template: &str, value: &str) -> u64 {
    fnv(fnv(fnv(FNV_OFFSET, template.as_bytes()), b"="), value.as_bytes())
}

fn hash_str(s: &str) -> u64 {
    fnv(FNV_OFFSET, s.as_bytes())
}

fn bucket(n: usize) -> &'static str {
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

/// Calls `emit(template, value)` for every feature of a candidate.
pub fn features(ctx: &Ctx, c: &Candidate, emit: &mut dyn FnMut(&str, &str)) {
    let f = &c.features;
    let (c0, c1) = c.cue;
    let n = ctx.lower.len();
    let cue = if c1 - c0 == 1 { ctx.w(c0).to_string() } else { (c0..c1).map(|k| ctx.w(k)).collect::<Vec<_>>().join(" ") };
    let lemma = c.entry.map_or("-", |e| lexicon().entries[e].lemma.as_str());
    let pattern = format!("{:?}", f.pattern);
    let src = source_kind(f.source);
    let word = |k: Option<usize>| k.filter(|&k| k < n).map_or("<s>", |k| ctx.w(k));
    let prev1 = word(c0.checked_sub(1));
    let prev2 = word(c0.checked_sub(2));
    let next1 = word(Some(c1));
    let next2 = word(Some(c1 + 1));
    let suffix = &cue[cue.char_indices().rev().nth(2).map_or(0, |(i, _)| i)..];
    emit("bias", "");
    emit("w", &cue);
    emit("lemma", lemma);
    emit("class", f.class.as_str());
    emit("suf", suffix);
    emit("prior", &format!("{:.1}", f.prior));
    emit("pat", &pattern);
    emit("src", src);
    emit("pat|src", &format!("{pattern}|{src}"));
    emit("w|pat", &format!("{cue}|{pattern}"));
    emit("lemma|pat|src", &format!("{lemma}|{pattern}|{src}"));
    emit("class|pat|src", &format!("{}|{pattern}|{src}", f.class.as_str()));
    emit("prev1", prev1);
    emit("prev2", prev2);
    emit("next1", next1);
    emit("next2", next2);
    emit("w|next1", &format!("{cue}|{next1}"));
    emit("w|prev1", &format!("{cue}|{prev1}"));
    emit("clen", bucket(f.content_tokens));
    emit("end", f.content_end);
    emit("end|pat|class", &format!("{}|{pattern}|{}", f.content_end, f.class.as_str()));
    let last = c.content[c.content.len() - 1].1;
    emit("end|next", &format!("{}|{}", f.content_end, word(Some(last))));
    emit("pat|clen", &format!("{pattern}|{}", bucket(f.content_tokens)));
    if f.content_quoted {
        emit("quoted", &pattern);
    }
    if f.bare {
        emit("bare", "");
    }
    if f.gerund {
        emit("gerund", src);
    }
    if f.after_to {
        emit("after_to", "");
    }
    if f.after_modal {
        emit("after_modal", "");
    }
    if f.sentence_initial_cue {
        emit("initial", &pattern);
    }
    if c.negated {
        emit("negated", "");
    }
    if let Some((s0, s1)) = c.source {
        emit("src_len", bucket(s1 - s0));
        let head = ctx.w(s1 - 1);
        emit("src_head", if is(PRONOUNS, head) || is(UNNAMED_HEADS, head) { head } else if ctx.doc.token_text(s1 - 1).starts_with(char::is_uppercase) { "<Cap>" } else { "<low>" });
        emit("src_first", if is(DETERMINERS, ctx.w(s0)) { ctx.w(s0) } else { "-" });
        emit("src_side", if s0 < c0 { "left" } else { "right" });
    }
    let first = c.content[0].0;
    emit("content_first", if ctx.doc.layers.tokens[first].kind == sayso_doc::TokenKind::Word { ctx.w(first) } else { "<punct>" });
    if c.content.len() > 1 {
        emit("fragments", &pattern);
    }
    let para = ctx.doc.layers.sentences.partition_point(|s| s.end_tok <= c0);
    if ctx.doc.layers.sentences.get(para).is_some_and(|s| s.paragraph == 0) {
        emit("headline", "");
    }
}

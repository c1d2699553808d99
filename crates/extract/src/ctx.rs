//! The analysed article that every pass after segmentation reads: per token its lower-cased
//! word, hash, word classes, capitalisation and quotation membership, computed once; and
//! token ranges ([`Toks`]) with their byte spans.

use std::borrow::Cow;

use sayso_doc::{Document, Quotation, Sentence, Span, TokenKind};

use crate::lexicon::lexicon;
use crate::words::*;

/// A half-open range of token indexes.
pub type Toks = (usize, usize);

/// What the finders read: the document, lower-cased words, and which tokens lie in quotations.
pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub lower: Vec<Cow<'a, str>>,
    /// For each token, the outermost quotation holding it strictly inside its marks.
    pub quoted_by: Vec<Option<u32>>,
    /// For each token that opens a depth-0 quotation, that quotation.
    pub opens: Vec<Option<u32>>,
    pub closes: Vec<Option<u32>>,
    /// Per token: a word that can be part of a noun phrase.
    pub(crate) np: Vec<bool>,
    /// Per token: a lower-case inflected form of a lexicon cue.
    pub(crate) verbal: Vec<bool>,
    /// Per token: the word lists that hold it (`WordSet::bit`s).
    pub(crate) masks: Vec<u32>,
    /// Per token: starts with a capital, or is a name with a lower-case particle
    /// ("al-Rashid", "el-Sisi").
    pub(crate) caps: Vec<bool>,
    /// Per token: `words::word_hash` of the lower-cased word, to compare words cheaply.
    pub hashes: Vec<u64>,
    /// Where a headline written in title case ends ("Obama Says Museum Will …"), where
    /// capitals say nothing; 0 when the headline is not so written.
    pub title_case_end: usize,
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a Document) -> Ctx<'a> {
        let toks = &doc.layers.tokens;
        let lower: Vec<Cow<str>> = toks
            .iter()
            .map(|t| {
                let s = &doc.text[t.span.start..t.span.end];
                if s.chars().any(|c| c.is_uppercase()) {
                    Cow::Owned(s.to_lowercase())
                } else {
                    Cow::Borrowed(s)
                }
            })
            .collect();
        let mut quoted_by = vec![None; toks.len()];
        let mut opens = vec![None; toks.len()];
        let mut closes = vec![None; toks.len()];
        for (qi, q) in doc.layers.quotations.iter().enumerate() {
            if q.depth != 0 {
                continue;
            }
            opens[q.open_tok] = Some(qi as u32);
            if !q.unclosed || q.continues {
                closes[q.close_tok] = Some(qi as u32);
            }
            let inner_end = if q.unclosed { q.close_tok + 1 } else { q.close_tok };
            for slot in &mut quoted_by[q.open_tok + 1..inner_end] {
                if slot.is_none() {
                    *slot = Some(qi as u32);
                }
            }
        }
        let lex = lexicon();
        let is_word = |i: usize| toks[i].kind == TokenKind::Word;
        let caps: Vec<bool> = (0..toks.len())
            .map(|i| {
                let raw = doc.token_text(i);
                is_word(i)
                    && (raw.starts_with(char::is_uppercase)
                        || raw.split_once('-').is_some_and(|(pre, rest)| pre.len() <= 3 && rest.starts_with(char::is_uppercase)))
            })
            .collect();
        let capitalized = |i: usize| caps[i];
        // "Sen." is the title "sen": a trailing period only ever marks a title.
        let hashes: Vec<u64> = lower.iter().map(|w| word_hash(w)).collect();
        let masks: Vec<u32> = lower
            .iter()
            .zip(&hashes)
            .map(|(w, &h)| mask_of_hash(h) | w.strip_suffix('.').map_or(0, |stem| mask(stem) & TITLES.bit))
            .collect();
        let verbal: Vec<bool> =
            (0..toks.len()).map(|i| !capitalized(i) && lex.lookup_hashed(hashes[i], &lower[i..i + 1]).is_some_and(|m| !m.bare)).collect();
        let np = (0..toks.len())
            .map(|i| is_word(i) && (capitalized(i) && masks[i] & NEVER_NAMES.bit == 0 || masks[i] & NP_STOP.bit == 0) && !verbal[i])
            .collect();
        let headline: Vec<usize> = doc
            .layers
            .sentences
            .iter()
            .take_while(|s| s.paragraph == 0)
            .flat_map(|s| s.first_tok..s.end_tok)
            .filter(|&i| is_word(i))
            .collect();
        let title_case = headline.len() >= 3 && headline.iter().filter(|&&i| capitalized(i)).count() * 10 >= headline.len() * 8;
        let title_case_end = if title_case {
            doc.layers.sentences.iter().take_while(|s| s.paragraph == 0).map(|s| s.end_tok).last().unwrap_or(0)
        } else {
            0
        };
        Ctx { doc, lower, quoted_by, opens, closes, np, verbal, masks, caps, hashes, title_case_end }
    }

    pub fn w(&self, i: usize) -> &str {
        &self.lower[i]
    }

    pub(crate) fn raw(&self, i: usize) -> &str {
        self.doc.token_text(i)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.doc.layers.tokens[i].kind == TokenKind::Word
    }

    /// Starts with a capital, or is a name with a lower-case particle: "al-Rashid", "el-Sisi".
    pub fn capitalized(&self, i: usize) -> bool {
        self.caps[i]
    }

    pub(crate) fn quotation(&self, qi: u32) -> &Quotation {
        &self.doc.layers.quotations[qi as usize]
    }

    /// The text of tokens `[a, b)`, as written ("" for an empty range).
    pub fn text(&self, (a, b): Toks) -> &str {
        if a >= b {
            return "";
        }
        self.doc.slice(span_of(self, (a, b)))
    }

    pub fn punct_is(&self, i: usize, p: &str) -> bool {
        !self.is_word(i) && self.raw(i) == p
    }

    /// A capitalized word that can be part of a name (not "I", not a day or a month).
    pub fn is_name_word(&self, i: usize) -> bool {
        // A month is a date where a number or a preposition stands by it ("in May", "May 5"),
        // else it may be a name ("Theresa May").
        let date = self.is(i, &MONTHS)
            && (i + 1 < self.lower.len() && self.w(i + 1).starts_with(|c: char| c.is_ascii_digit())
                || i > 0
                    && matches!(self.w(i - 1), "in" | "on" | "since" | "until" | "by" | "last" | "next" | "early" | "late" | "mid" | "of"));
        // "Today" after a name is part of it: "Russia Today", "USA Today".
        let time = self.is(i, &TIME_WORDS) && !(self.w(i) == "today" && i > 0 && self.is_word(i - 1) && self.capitalized(i - 1));
        self.capitalized(i) && self.w(i) != "i" && !time && !date
    }

    /// A name particle: "bin", "van", "de", "la".
    pub fn is_particle(&self, i: usize) -> bool {
        self.is_word(i) && !self.capitalized(i) && self.is(i, &NAME_PARTICLES)
    }

    /// The sentence holding token `tok`.
    pub fn sentence_at(&self, tok: usize) -> Option<&'a Sentence> {
        let ss = &self.doc.layers.sentences;
        ss.get(ss.partition_point(|s| s.end_tok <= tok))
    }

    /// The name word after a slash at `i` that joins two names ("Reuters/Ipsos").
    pub fn after_slash(&self, i: usize, end: usize) -> Option<usize> {
        (i > 0 && i + 1 < end && self.punct_is(i, "/") && self.is_name_word(i - 1) && self.is_name_word(i + 1)).then_some(i + 1)
    }

    /// The name word after the particles starting at `i` ("von der Leyen", "bin Laden"), before
    /// `end`; None when `i` is no particle.
    pub fn after_particles(&self, i: usize, end: usize) -> Option<usize> {
        let n = (i..end.min(i + 3)).take_while(|&k| self.is_particle(k)).count();
        (n > 0 && i + n < end && self.is_name_word(i + n)).then_some(i + n)
    }

    /// Token `i` is in the word list `set`.
    pub fn is(&self, i: usize, set: &WordSet) -> bool {
        self.masks[i] & set.bit != 0
    }

    /// An auxiliary or adverb that stands between a subject and its cue, which PolNeAR
    /// marks as part of the cue: "has also said", "aggressively attacked".
    pub(crate) fn adverbial(&self, i: usize) -> bool {
        let w = self.w(i);
        self.is_word(i) && !self.capitalized(i) && (self.is(i, &AUX_ADV) || w.len() > 4 && w.ends_with("ly") && !self.is(i, &NOT_ADVERBS))
    }

    /// A word that can be part of a noun phrase.
    pub(crate) fn np_word(&self, i: usize) -> bool {
        self.np[i]
    }

    /// A lower-case inflected form of a lexicon cue ("said", not "say" or "Hope").
    pub fn is_verbal_cue(&self, i: usize) -> bool {
        self.verbal[i]
    }

    pub(crate) fn punct(&self, i: usize, set: &[&str]) -> bool {
        !self.is_word(i) && set.contains(&self.raw(i))
    }
}

/// The token range of each paragraph, in text order.
pub fn paragraph_toks(ctx: &Ctx) -> Vec<Toks> {
    let mut out: Vec<(usize, Toks)> = Vec::new();
    for s in &ctx.doc.layers.sentences {
        match out.last_mut() {
            Some((n, p)) if *n == s.paragraph => p.1 = s.end_tok,
            _ => out.push((s.paragraph, (s.first_tok, s.end_tok))),
        }
    }
    out.into_iter().map(|(_, p)| p).collect()
}

/// The byte span of a token range.
pub fn span_of(ctx: &Ctx, r: Toks) -> Span {
    let t = &ctx.doc.layers.tokens;
    Span::new(t[r.0].span.start, t[r.1 - 1].span.end)
}

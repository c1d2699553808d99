//! Candidate finding: for each cue, the (source, cue, content) triples that the text
//! allows, each with the features the scorer weighs. Nothing here decides.

use sayso_doc::TokenKind;

pub use crate::ctx::{paragraph_toks, span_of, Ctx, Toks};
use crate::lexicon::{lexicon, CueClass, CueMatch};
use crate::words::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// “…,” she said / “…,” said X
    QuoteBefore,
    /// X said: “…”
    QuoteAfter,
    /// X said (that) …
    ClauseAfter,
    /// …, X said.
    ClauseBefore,
    /// …, X said, …
    Parenthetical,
    /// according to X, … / …, according to X
    Prep,
    /// X's claim that …
    Possessive,
    /// DUNN: … (a transcript's line)
    Transcript,
}

impl Pattern {
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::QuoteBefore => "QuoteBefore",
            Pattern::QuoteAfter => "QuoteAfter",
            Pattern::ClauseAfter => "ClauseAfter",
            Pattern::ClauseBefore => "ClauseBefore",
            Pattern::Parenthetical => "Parenthetical",
            Pattern::Prep => "Prep",
            Pattern::Possessive => "Possessive",
            Pattern::Transcript => "Transcript",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    None,
    Pronoun,
    Name,
    Nominal,
}

#[derive(Clone, Debug)]
pub struct Features {
    pub prior: f32,
    pub class: CueClass,
    pub pattern: Pattern,
    pub source: SourceKind,
    pub content_tokens: usize,
    pub content_quoted: bool,
    pub bare: bool,
    pub gerund: bool,
    pub after_to: bool,
    pub after_modal: bool,
    pub sentence_initial_cue: bool,
    /// Where the content ends: "sentence", "comma", "dash", "subordinate", "and-verb".
    pub content_end: &'static str,
}

#[derive(Clone, Debug)]
pub struct Candidate {
    /// The cue word or lexicon phrase.
    pub cue: Toks,
    /// The cue as PolNeAR marks it: with its auxiliaries, adverbs and negation before it
    /// ("has also said", "did not say") and a particle after it ("talked about").
    pub cue_span: Toks,
    /// The lexicon entry of the cue, if it has one.
    pub entry: Option<usize>,
    pub source: Option<Toks>,
    /// Token ranges of the content, in text order.
    pub content: Vec<Toks>,
    pub negated: bool,
    pub features: Features,
}

/// Finds the candidates of every sentence and hands each to `sink` as it is found, so a
/// caller that keeps few of them never holds them all.
pub fn find(ctx: &Ctx, sink: &mut dyn FnMut(Candidate)) {
    let lex = lexicon();
    let max = lex.max_words();
    let sentences = &ctx.doc.layers.sentences;
    for (si, s) in sentences.iter().enumerate() {
        let mut i = s.first_tok;
        while i < s.end_tok {
            // A dash after a quotation attributes it: “…” — Jane Roe.
            let dash = i > 0 && ctx.punct(i, &["—", "–"]) && ctx.closes[i - 1].is_some();
            if !(ctx.is_word(i) || dash) || ctx.quoted_by[i].is_some() {
                i += 1;
                continue;
            }
            let hi = (i + max).min(s.end_tok);
            match lex.lookup_hashed(ctx.hashes[i], &ctx.lower[i..hi]).or_else(|| open_class_cue(ctx, s.first_tok, i)) {
                Some(m) => {
                    candidates_at(ctx, si, (i, i + m.len), m, sink);
                    i += m.len;
                }
                None => i += 1,
            }
        }
    }
}

/// A word outside the lexicon that may still be a cue ("launched", "plans", "lament"):
/// an open-class word in lower case, or capitalized at the start of its sentence.
fn open_class_cue(ctx: &Ctx, s0: usize, i: usize) -> Option<CueMatch> {
    let w = ctx.w(i);
    let ok = w.len() >= 3
        && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && (!ctx.capitalized(i) || is_sentence_start(ctx, s0, i))
        && ctx.masks[i] & (NP_STOP.bit | AUX_ADV.bit | DETERMINERS.bit | NP_INNER.bit | CLOSED_CLASS.bit) == 0;
    ok.then_some(CueMatch { len: 1, entry: None, bare: false, gerund: w.ends_with("ing") })
}

fn candidates_at(ctx: &Ctx, si: usize, cue: Toks, m: CueMatch, sink: &mut dyn FnMut(Candidate)) {
    let s = ctx.doc.layers.sentences[si];
    let (s0, s1) = (s.first_tok, s.end_tok);
    let (prior, class) = m.entry.map_or((0.0, CueClass::Other), |e| (lexicon().entries[e].prior, lexicon().entries[e].class));
    let (c0, c1) = cue;
    // Noun uses: "the call", "a report", "his support"; "Clinton's emails" unless a clause
    // follows ("Trump's claim that …", below).
    if c0 > s0 && ctx.is(c0 - 1, &DETERMINERS) {
        return;
    }
    let possessive = c0 > s0 && (ctx.w(c0 - 1).ends_with("'s") || ctx.w(c0 - 1).ends_with("’s"));
    // A capitalized cue word mid-sentence is a name ("Hope", "Will", "Rich"), but in a title-case
    // headline ("Obama Says …") it is a cue.
    if c0 > s0 && ctx.capitalized(c0) && !is_sentence_start(ctx, s0, c0) && c0 >= ctx.title_case_end {
        return;
    }
    let mut a = c0;
    while a > s0 && ctx.adverbial(a - 1) && ctx.quoted_by[a - 1].is_none() {
        a -= 1;
    }
    let particle = c1 < s1
        && ctx.quoted_by[c1].is_none()
        && matches!(ctx.w(c1), "about" | "for" | "of" | "against" | "on" | "with")
        && !(c1 + 1 < s1
            && (ctx.is(c1 + 1, &TIME_WORDS)
                || ctx.is(c1 + 1, &DURATIONS)
                || matches!(ctx.w(c1 + 1), "twitter" | "facebook" | "instagram")
                || ctx.w(c1 + 1).starts_with(|c: char| c.is_ascii_digit())));
    let is_say = m.entry.is_some_and(|e| lexicon().entries[e].lemma == "say");
    let mut b = if particle && !is_say { c1 + 1 } else { c1 };
    // "said Tuesday", "said in a statement", "wrote on Facebook" are marked as one cue.
    if b < s1
        && matches!(ctx.w(b), "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday" | "yesterday" | "today")
    {
        b += 1;
    }
    if b + 2 < s1 && ctx.w(b) == "in" && matches!(ctx.w(b + 1), "a" | "the") && ctx.w(b + 2) == "statement" {
        b += 3;
    } else if b + 1 < s1 && ctx.w(b) == "on" && matches!(ctx.w(b + 1), "twitter" | "facebook" | "instagram") {
        b += 2;
    }
    let cue_span = (a, b);
    let prev = |k: usize| {
        if c0 > s0 + k {
            Some(ctx.w(c0 - 1 - k))
        } else {
            None
        }
    };
    let refusal = m.entry.is_some_and(|e| matches!(lexicon().entries[e].lemma.as_str(), "decline" | "refuse"));
    let negated = refusal || (1..=3).any(|k| c0 >= s0 + k && ctx.is(c0 - k, &NEGATORS));
    let features = Features {
        prior,
        class,
        pattern: Pattern::ClauseAfter,
        source: SourceKind::None,
        content_tokens: 0,
        content_quoted: false,
        bare: m.bare,
        gerund: m.gerund,
        after_to: prev(0) == Some("to"),
        after_modal: prev(0).is_some_and(|w| matches!(w, "will" | "would" | "could" | "should" | "might" | "may" | "can" | "must")),
        sentence_initial_cue: is_sentence_start(ctx, s0, c0),
        content_end: "sentence",
    };
    let mut push = |pattern: Pattern, source: Option<Toks>, content: Vec<Toks>, end: &'static str| {
        let content: Vec<Toks> = content.into_iter().filter(|r| r.0 < r.1).collect();
        if content.is_empty() {
            return;
        }
        let mut f = features.clone();
        f.pattern = pattern;
        f.content_end = end;
        f.source = source.map_or(SourceKind::None, |r| source_kind(ctx, r));
        f.content_tokens = content.iter().map(|r| r.1 - r.0).sum();
        f.content_quoted = content.iter().any(|r| (r.0..r.1).any(|k| ctx.doc.layers.tokens[k].kind == TokenKind::Quote));
        sink(Candidate { cue, cue_span, entry: m.entry, source, content, negated, features: f });
    };
    if possessive {
        // "Trump's claim that …", "the senator's call to …": the possessor is the source.
        if c1 < s1 && matches!(ctx.w(c1), "that" | "to") {
            if let Some(src) = np_leftwards(ctx, s0, c0) {
                let end = content_end(ctx, c1, s1);
                for (e, kind) in std::iter::once((end, "sentence")).chain(early_ends(ctx, c1, end, false)) {
                    push(Pattern::Possessive, Some(src), vec![(c1, e)], kind);
                }
            }
        }
        return;
    }

    if class == CueClass::Prep {
        let Some(src) = right_np(ctx, c1, s1, !is_sentence_start(ctx, s0, c0)) else {
            return;
        };
        // "in" attributes only with a poll or a point of view: "In a new poll, …", "in Forbes' words".
        if m.entry.is_some_and(|e| lexicon().entries[e].lemma == "in") && !ctx.is(src.1 - 1, &VIEW_HEADS) {
            return;
        }
        let after = skip_punct(ctx, src.1, s1, &[","]);
        let before_end = trim_back(ctx, s0, c0);
        if is_sentence_start(ctx, s0, c0) {
            push(Pattern::Prep, Some(src), vec![(after, content_end(ctx, after, s1))], "sentence");
        } else if after < content_end(ctx, after, s1) && ctx.punct(src.1.min(s1 - 1), &[","]) {
            push(Pattern::Prep, Some(src), vec![(clause_start(ctx, s0, c0), before_end), (after, content_end(ctx, after, s1))], "sentence");
        } else {
            push(Pattern::Prep, Some(src), vec![(clause_start(ctx, s0, c0), before_end)], "sentence");
        }
        return;
    }

    let left = left_source(ctx, s0, c0);
    // “…,” X said / “…,” said X
    if let Some(q) = quote_before(ctx, s0, c0, left) {
        let source = left.or_else(|| right_np(ctx, c1, s1, true));
        let mut content = quote_chain_back(ctx, q);
        let attribution_end = source.map_or(c1, |r| r.1.max(c1));
        if let Some(q2) = continuation_quote(ctx, attribution_end, si) {
            content.push(quote_toks(ctx, q2));
        }
        push(Pattern::QuoteBefore, source, content, "sentence");
    }
    // X said: “…”, or with words before the colon: "He told his audience, to applause: “…”".
    let after = skip_punct(ctx, c1, s1, &[":", ","]);
    let colon = (c1..s1.min(c1 + 12)).find(|&k| ctx.punct(k, &[":"]) && ctx.quoted_by[k].is_none()).map(|k| k + 1);
    if let Some(at) = [Some(after), colon]
        .into_iter()
        .flatten()
        .find(|&k| k < ctx.lower.len() && ctx.opens[k].is_some() && para_of(ctx, k) == s.paragraph)
    {
        let q = ctx.opens[at].unwrap_or_default();
        let source = left.or_else(|| shared_subject(ctx, s0, c0, m));
        push(Pattern::QuoteAfter, source, quote_chain_on(ctx, q), "sentence");
    }
    // What follows the cue (and its inverted source or addressee) decides the rest.
    let mut k = skip_time(ctx, c1, s1);
    let inverted = if left.is_none() { right_np(ctx, k, s1, true) } else { None };
    if let Some(r) = inverted {
        k = r.1;
    }
    let clause_ends = k >= s1 || is_end_punct(ctx, k, s1);
    let source = left.or(inverted);
    if clause_ends {
        // …, X said.  /  …, X said, …
        let before = source.map_or(c0, |r| r.0.min(c0));
        if before > s0 && ctx.punct(before - 1, &[",", "—", "–", "-"]) {
            let first = (clause_start(ctx, s0, before), before - 1);
            let rest = skip_punct(ctx, k, s1, &[","]);
            let rest_end = content_end(ctx, rest, s1);
            if k < s1 && ctx.punct(k, &[","]) && rest < rest_end && !starts_new_cue(ctx, rest) {
                push(Pattern::Parenthetical, source, vec![first, (rest, rest_end)], "sentence");
            } else {
                push(Pattern::ClauseBefore, source, vec![first], "sentence");
            }
        }
        return;
    }
    // X said (that) … / X told Y (that) … / X accused Y of …
    let mut start = skip_punct(ctx, cue_span.1, s1, &[":", ","]);
    start = skip_time(ctx, start, s1);
    start = skip_setting(ctx, start, s1);
    if class == CueClass::Tell {
        start = skip_addressee(ctx, start, s1);
        start = skip_punct(ctx, start, s1, &[","]);
    }
    let end = content_end(ctx, start, s1);
    let source = left.or_else(|| shared_subject(ctx, s0, c0, m));
    let ends: Vec<(usize, &'static str)> =
        std::iter::once((end, "sentence")).chain(early_ends(ctx, start, end, class == CueClass::Object)).collect();
    for &(e, kind) in &ends {
        push(Pattern::ClauseAfter, source, vec![(start, e)], kind);
    }
    // Passives and raising verbs often have no source at all: "is expected to", "seemed".
    if source.is_some()
        && (c0 > s0 && matches!(ctx.w(c0 - 1), "is" | "are" | "was" | "were" | "be" | "been" | "when" | "if")
            || m.entry.is_some_and(|e| matches!(lexicon().entries[e].lemma.as_str(), "seem" | "appear")))
    {
        for &(e, kind) in &ends {
            push(Pattern::ClauseAfter, None, vec![(start, e)], kind);
        }
    }
}

/// Where a content after its cue may end before its sentence does: at a comma, before a
/// subordinate clause, or before a second verb ("… and promised …"). The scorer decides.
/// `object`: the cue takes an object and what is said of it ("accused", "praised"), whose
/// content may be the object alone.
fn early_ends(ctx: &Ctx, start: usize, end: usize, object: bool) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    let mut commas = 0;
    for k in start + 2..end {
        if ctx.quoted_by[k].is_some() || ctx.opens[k].is_some() || ctx.closes[k].is_some() {
            continue;
        }
        let kind = if ctx.punct(k, &[","]) {
            commas += 1;
            (commas <= 2).then_some("comma")
        } else if ctx.punct(k, &["—", "–", "(", "-"]) {
            Some("dash")
        } else if ctx.is_word(k)
            && !ctx.punct(k - 1, &[","])
            && matches!(
                ctx.w(k),
                "while"
                    | "when"
                    | "until"
                    | "because"
                    | "after"
                    | "before"
                    | "since"
                    | "if"
                    | "as"
                    | "amid"
                    | "despite"
                    | "during"
                    | "though"
                    | "although"
            )
        {
            Some("subordinate")
        } else if ctx.w(k) == "but" {
            Some("but")
        } else if ctx.w(k) == "and" && k + 1 < end && {
            // "and tweeted", "and then tweeted"
            let v = if k + 2 < end && ctx.adverbial(k + 1) { k + 2 } else { k + 1 };
            ctx.is_verbal_cue(v) || ctx.w(v).ends_with("ed")
        } {
            Some("and-verb")
        } else if ctx.w(k) == "and" && k + 1 < end && (ctx.is(k + 1, &PRONOUNS) || ctx.is(k + 1, &DETERMINERS)) {
            Some("and-clause")
        } else if ctx.is_word(k)
            && ctx.w(k).ends_with("ing")
            && !ctx.punct(k - 1, &[","])
            && !ctx.is(k - 1, &DETERMINERS)
            && ctx.w(k - 1) != "of"
        {
            Some("participle")
        } else if object
            && ctx.is_word(k)
            && matches!(ctx.w(k), "in" | "on" | "at" | "to" | "for" | "over" | "with")
            && !ctx.punct(k - 1, &[","])
        {
            // "attacked Machado [in early-morning tweets]": the object alone.
            Some("prep")
        } else {
            None
        };
        if let Some(kind) = kind {
            out.push((k, kind));
            if out.len() == 4 {
                break;
            }
        }
    }
    out
}

fn para_of(ctx: &Ctx, tok: usize) -> usize {
    let ss = &ctx.doc.layers.sentences;
    let k = ss.partition_point(|s| s.end_tok <= tok);
    ss.get(k).map_or(usize::MAX, |s| s.paragraph)
}

fn is_sentence_start(ctx: &Ctx, s0: usize, i: usize) -> bool {
    (s0..i).all(|k| !ctx.is_word(k))
}

/// A lexicon cue in a finite form ("said", not "say" or "saying") outside quotations: a verb
/// whose subject other cues may share.
fn finite_cue(ctx: &Ctx, k: usize) -> bool {
    ctx.quoted_by[k].is_none()
        && ctx.is_word(k)
        && lexicon().lookup_hashed(ctx.hashes[k], &[ctx.w(k)]).is_some_and(|m| !m.bare && !m.gerund)
}

/// A participle opening a clause of its own after a comma ("…, encouraging his supporters"),
/// not a preposition in -ing ("including", "according to").
fn participle(ctx: &Ctx, i: usize) -> bool {
    let w = ctx.w(i);
    ctx.is_word(i)
        && w.len() > 5
        && w.ends_with("ing")
        && !matches!(
            w,
            "including"
                | "according"
                | "regarding"
                | "concerning"
                | "during"
                | "following"
                | "nothing"
                | "something"
                | "everything"
                | "anything"
        )
}

fn starts_new_cue(ctx: &Ctx, i: usize) -> bool {
    lexicon().lookup_hashed(ctx.hashes[i], &[ctx.w(i)]).is_some_and(|m| m.gerund)
}

fn is_end_punct(ctx: &Ctx, k: usize, s1: usize) -> bool {
    let mut j = k;
    while j < s1 && ctx.punct(j, &[".", "!", "?", "…", "”", "\"", "’", "'", "''", ")"]) {
        j += 1;
    }
    j >= s1 || ctx.punct(j, &[",", ";", "—", "–"])
}

fn skip_punct(ctx: &Ctx, mut k: usize, s1: usize, set: &[&str]) -> usize {
    while k < s1 && ctx.punct(k, set) {
        k += 1;
    }
    k
}

/// Skips "Tuesday", "on Tuesday", "last week" after a cue.
fn skip_time(ctx: &Ctx, mut k: usize, s1: usize) -> usize {
    loop {
        if k < s1 && ctx.is_word(k) && ctx.is(k, &TIME_WORDS) {
            k += 1;
        } else if k + 1 < s1 && ctx.w(k) == "on" && ctx.is(k + 1, &TIME_WORDS) {
            k += 2;
        } else {
            return k;
        }
    }
}

/// Skips "in a statement", "in an interview", "on Twitter" after a cue.
fn skip_setting(ctx: &Ctx, k: usize, s1: usize) -> usize {
    if k + 1 >= s1 || !matches!(ctx.w(k), "in" | "on" | "during" | "at") {
        return k;
    }
    let mut j = k + 1;
    let head_words = [
        "statement",
        "interview",
        "twitter",
        "facebook",
        "instagram",
        "speech",
        "email",
        "e-mail",
        "release",
        "conference",
        "call",
        "op-ed",
        "letter",
        "post",
        "tweet",
        "appearance",
        "rally",
        "briefing",
        "hearing",
        "remarks",
        "video",
        "message",
        "report",
    ];
    while j < s1 && j < k + 6 && ctx.np_word(j) {
        if head_words.contains(&ctx.w(j)) {
            let mut e = j + 1;
            // "in a statement released by the campaign"
            while e < s1 && e < j + 6 && ctx.np_word(e) && !ctx.capitalized(e) {
                e += 1;
            }
            let e = if e < s1 && ctx.w(e) == "that" { e } else { j + 1 };
            return skip_punct(ctx, e, s1, &[","]);
        }
        j += 1;
    }
    k
}

/// Skips the addressee of "told": "reporters", "The Washington Post", "CNN's Jake Tapper".
fn skip_addressee(ctx: &Ctx, k: usize, s1: usize) -> usize {
    if k >= s1 || ctx.w(k) == "that" {
        return k;
    }
    if !ctx.capitalized(k)
        && matches!(
            ctx.w(k),
            "him"
                | "her"
                | "them"
                | "me"
                | "us"
                | "you"
                | "reporters"
                | "supporters"
                | "lawmakers"
                | "journalists"
                | "voters"
                | "listeners"
                | "viewers"
                | "members"
                | "students"
                | "attendees"
                | "delegates"
                | "congress"
                | "police"
        )
    {
        let e = k + 1;
        return skip_setting(ctx, skip_time(ctx, e, s1), s1);
    }
    let mut e = k;
    if e < s1 && ctx.is(e, &DETERMINERS) {
        e += 1;
    }
    let start = e;
    while e < s1 && (ctx.capitalized(e) || (e > start && ctx.punct(e, &["&", "."]))) {
        e += 1;
    }
    if e == start {
        // "the crowd", "a rally": one lowercase noun after a determiner.
        if e > k && e < s1 && ctx.np_word(e) {
            e += 1;
        } else {
            return k;
        }
    } else if e < s1 && ctx.is(e, &UNNAMED_HEADS) {
        // "US lawmakers", "Indian officials"
        e += 1;
    }
    // "a meeting of Pacific Island leaders that …", "the Caucus audience that …", "his
    // young protégés on a regular basis that …": the rest of the addressee, up to "that".
    if e < s1 && ctx.w(e) != "that" {
        if let Some(t) = (e..s1.min(e + 8)).find(|&i| ctx.w(i) == "that").filter(|&t| (e..t).all(|i| ctx.is_word(i))) {
            e = t;
        }
    }
    skip_setting(ctx, skip_time(ctx, e, s1), s1)
}

/// The end of a content that runs to the end of its sentence, before the final mark, or
/// before a contrastive clause (", but …", "; …") outside quotations.
fn content_end(ctx: &Ctx, start: usize, s1: usize) -> usize {
    let mut e = s1;
    for k in start + 1..s1.saturating_sub(1) {
        if ctx.quoted_by[k].is_some() || ctx.opens[k].is_some() {
            continue;
        }
        // … or before a participle that is a cue of its own (", saying …", ", adding …").
        if ctx.punct(k, &[";"])
            || (ctx.punct(k, &[","])
                && (matches!(ctx.w(k + 1), "but" | "though" | "although" | "while" | "whereas")
                    || starts_new_cue(ctx, k + 1)
                    || participle(ctx, k + 1)))
        {
            e = k;
            break;
        }
    }
    while e > start && ctx.punct(e - 1, &[".", "!", "?", ",", ";", ":", "…"]) {
        e -= 1;
    }
    // Keep a closing mark whose quotation the content holds; drop a stray final one.
    if e > start {
        if let Some(qi) = ctx.closes[e - 1] {
            if ctx.quotation(qi).open_tok < start {
                e -= 1;
                while e > start && ctx.punct(e - 1, &[".", "!", "?", ","]) {
                    e -= 1;
                }
            }
        }
    }
    e
}

fn trim_back(ctx: &Ctx, s0: usize, mut e: usize) -> usize {
    while e > s0 && !ctx.is_word(e - 1) && ctx.closes[e - 1].is_none() {
        e -= 1;
    }
    e
}

/// The start of the clause that ends at `end`: the sentence start, or after an opening
/// quote that does not close before `end`.
fn clause_start(ctx: &Ctx, s0: usize, end: usize) -> usize {
    let mut k = s0;
    while k < end && !ctx.is_word(k) && ctx.opens[k].is_none() {
        k += 1;
    }
    k
}

/// A depth-0 quotation that closes just before the cue (or its left source).
fn quote_before(ctx: &Ctx, s0: usize, c0: usize, left: Option<Toks>) -> Option<u32> {
    let mut k = left.map_or(c0, |r| r.0);
    // Allow "," or "—" between the closing mark and the attribution.
    while k > 0 && ctx.punct(k - 1, &[",", "—", "–", "-"]) {
        k -= 1;
    }
    if k == 0 {
        return None;
    }
    let qi = ctx.closes[k - 1]?;
    let q = ctx.quotation(qi);
    // The quotation must belong to this sentence or end right where it starts, in this paragraph.
    if q.close_tok + 1 < s0 || para_of(ctx, q.close_tok) != para_of(ctx, s0) {
        return None;
    }
    Some(qi)
}

/// The quotation that continues a statement after its attribution: one after a comma in
/// the same sentence (“…,” she said, “…”), or one that starts the next sentence of the
/// paragraph and stands alone (“…,” he said. “…”).
fn continuation_quote(ctx: &Ctx, from: usize, si: usize) -> Option<u32> {
    let ss = &ctx.doc.layers.sentences;
    let s = ss[si];
    for k in from..s.end_tok {
        if ctx.opens[k].is_some() || ctx.quoted_by[k].is_some() {
            // Only punctuation between, or a short bridge: “…,” he said, but “…”; “…,” Roe
            // said, referring to the bill, “…”.
            let words: Vec<usize> = (from..k).filter(|&j| ctx.is_word(j)).collect();
            let bridge = match words.as_slice() {
                [] => ctx.punct(k - 1, &[",", ":"]),
                [w] if matches!(ctx.w(*w), "but" | "and") => true,
                [w, ..] => words.len() <= 10 && ctx.w(*w).ends_with("ing") && ctx.punct(k - 1, &[",", ":"]),
            };
            return ctx.opens[k].filter(|_| bridge);
        }
    }
    let next = ss.get(si + 1).filter(|n| n.paragraph == s.paragraph)?;
    let qi = ctx.opens[next.first_tok]?;
    // The quotation stands alone: its sentence ends with it (else it has its own cue).
    let close = ctx.quotation(qi).close_tok;
    let sent = ss.partition_point(|s| s.end_tok <= close);
    (ss.get(sent)?.end_tok <= close + 2).then_some(qi)
}

/// A quotation that goes on over paragraphs, read back from its last paragraph: the
/// earlier paragraphs' parts first (“…\n\n“…,” she said).
fn quote_chain_back(ctx: &Ctx, qi: u32) -> Vec<Toks> {
    let mut parts = vec![quote_toks(ctx, qi)];
    let mut open = ctx.quotation(qi).open_tok;
    while let Some(prev) = (open > 0).then(|| ctx.quoted_by[open - 1].or(ctx.closes[open - 1])).flatten() {
        let q = ctx.quotation(prev);
        if !q.continues || parts.len() > 20 {
            break;
        }
        parts.insert(0, quote_toks(ctx, prev));
        open = q.open_tok;
    }
    parts
}

/// A quotation that goes on over paragraphs, read on from its first paragraph.
fn quote_chain_on(ctx: &Ctx, qi: u32) -> Vec<Toks> {
    let mut parts = vec![quote_toks(ctx, qi)];
    let mut q = ctx.quotation(qi);
    while q.continues && parts.len() <= 20 {
        let Some(next) = ctx.opens.get(q.close_tok + 1).copied().flatten() else {
            break;
        };
        parts.push(quote_toks(ctx, next));
        q = ctx.quotation(next);
    }
    parts
}

fn quote_toks(ctx: &Ctx, qi: u32) -> Toks {
    let q = ctx.quotation(qi);
    (q.open_tok, q.close_tok + 1)
}

/// The subject of the cue, read leftwards: a pronoun, a name, a noun phrase, with an
/// apposition between commas ("Jane Roe, a spokeswoman for the group, said").
pub fn left_source(ctx: &Ctx, s0: usize, c0: usize) -> Option<Toks> {
    let mut j = c0;
    loop {
        if j > s0 && ctx.adverbial(j - 1) {
            j -= 1;
        } else if j > s0 + 1
            && ctx.is_word(j - 1)
            && ctx.is(j - 1, &TIME_WORDS)
            && matches!(ctx.w(j - 2), "on" | "last" | "this" | "late" | "early")
        {
            j -= 2; // "Pence on Thursday said"
        } else if j > s0 + 1
            && ctx.w(j - 1).len() == 4
            && ctx.w(j - 1).starts_with(['1', '2'])
            && ctx.w(j - 1).bytes().all(|b| b.is_ascii_digit())
            && matches!(ctx.w(j - 2), "in" | "since" | "by")
        {
            j -= 2; // "who in 2010 said"
        } else if j > s0 + 3
            && ctx.punct(j - 1, &[","])
            && ctx.punct(j - 3, &[","])
            && matches!(ctx.w(j - 2), "however" | "too" | "though" | "meanwhile" | "instead" | "moreover" | "also" | "then")
        {
            j -= 3; // "Others, however, say"
        } else {
            break;
        }
    }
    if j == s0 {
        return None;
    }
    if ctx.is_word(j - 1) && ctx.is(j - 1, &PRONOUNS) {
        return Some((j - 1, j));
    }
    if ctx.punct(j - 1, &[","]) {
        return apposition_source(ctx, s0, j - 1);
    }
    let np = np_leftwards(ctx, s0, j)?;
    Some(np)
}

/// "X, the director, said": `comma` is the comma before the cue.
fn apposition_source(ctx: &Ctx, s0: usize, comma: usize) -> Option<Toks> {
    let lo = comma.saturating_sub(20).max(s0);
    let mut p = comma;
    while p > lo {
        p -= 1;
        if ctx.punct(p, &[","]) {
            break;
        }
        if !ctx.is_word(p) && !ctx.punct(p, &["-", "'", "’", "(", ")", "."]) {
            return None;
        }
    }
    if p == lo || !ctx.punct(p, &[","]) || p + 1 >= comma {
        return None;
    }
    let head = np_leftwards(ctx, s0, p)?;
    // A name on one side of the commas: "Jane Roe, a spokeswoman," / "An official, Jane Roe,".
    let last_word = (head.0..head.1).rev().find(|&k| ctx.is_word(k)).unwrap_or(head.0);
    if !ctx.capitalized(last_word) && !ctx.capitalized(comma - 1) {
        return None;
    }
    // The apposition reads as a noun phrase, or a relative clause ("who worked on …"),
    // which PolNeAR keeps in the source.
    let np_end = (p + 1..comma).find(|&k| matches!(ctx.w(k), "who" | "which" | "whose")).unwrap_or(comma);
    if !(p + 1..np_end).all(|k| {
        ctx.np_word(k)
            || !ctx.is_word(k)
            || ctx.is(k, &NP_INNER)
            || ctx.is(k, &DETERMINERS)
            || matches!(ctx.w(k), "and" | "to" | "'s" | "’s")
    }) {
        return None;
    }
    Some((head.0, comma))
}

/// The noun phrase that ends at `end`, read leftwards.
fn np_leftwards(ctx: &Ctx, s0: usize, end: usize) -> Option<Toks> {
    let mut k = end;
    while k > s0 {
        let w = k - 1;
        if ctx.np_word(w) {
            k -= 1;
            // A determiner starts the phrase, unless a preposition joins it to a head before
            // it: "a spokesman for the ministry".
            if ctx.is(w, &DETERMINERS)
                && !ctx.capitalized(w)
                && !(w > s0 + 1 && matches!(ctx.w(w - 1), "for" | "of" | "at") && ctx.np_word(w - 2))
            {
                break;
            }
            continue;
        }
        if ctx.punct(w, &[")"]) {
            // "(R-Texas)"
            if let Some(open) = (w.saturating_sub(6).max(s0)..w).rev().find(|&x| ctx.punct(x, &["("])).filter(|&open| open > s0) {
                k = open;
                continue;
            }
            break;
        }
        if w > s0 && k < end && ctx.is_word(w) && (ctx.is(w, &NP_INNER) || ctx.w(w) == "and") && ctx.np_word(w - 1) {
            // "and" joins names ("Obama and Clinton"); prepositions join nouns.
            if ctx.w(w) == "and" && !(ctx.capitalized(w - 1) && ctx.capitalized(w + 1)) {
                break;
            }
            k -= 1;
            continue;
        }
        if ctx.punct(w, &["-", "&", "."]) && w > s0 && k < end && ctx.is_word(w - 1) {
            k -= 1;
            continue;
        }
        // "Reuters/Ipsos", "USC Dornsife/Los Angeles Times": makers joined by a slash.
        if ctx.punct(w, &["/"]) && w > s0 && k < end && ctx.is_name_word(w - 1) && ctx.is_name_word(w + 1) {
            k -= 1;
            continue;
        }
        break;
    }
    // Never start on a preposition or a connector.
    while k < end && (ctx.is(k, &NP_INNER) || ctx.w(k) == "and" || !ctx.is_word(k)) {
        k += 1;
    }
    if k >= end {
        return None;
    }
    // Long phrases are clauses, not subjects: keep the name or the noun at the end.
    if end - k > 12 {
        let mut j = end;
        while j > k && ctx.capitalized(j - 1) {
            j -= 1;
        }
        if j == end {
            return None;
        }
        k = j;
    }
    Some((k, end))
}

/// A source after the cue: "said Smith", "said the company's chief executive, John Doe".
/// With `apposition`, an apposition that ends the sentence belongs to it.
fn right_np(ctx: &Ctx, k: usize, s1: usize, apposition: bool) -> Option<Toks> {
    let k = skip_time(ctx, k, s1);
    if k >= s1 {
        return None;
    }
    if ctx.is_word(k) && ctx.is(k, &PRONOUNS) {
        return Some((k, k + 1));
    }
    let mut e = k;
    while e < s1 {
        let word = ctx.np_word(e) || (ctx.is_word(e) && ctx.is(e, &DETERMINERS));
        let joiner = e > k
            && e + 1 < s1
            && ctx.is_word(e)
            && (ctx.is(e, &NP_INNER) || (ctx.w(e) == "and" && ctx.capitalized(e + 1)))
            && ctx.np_word(e + 1);
        if word || joiner || (e > k && ctx.punct(e, &["-", "&", "("])) {
            e += 1;
        } else if e > k && ctx.punct(e, &[")"]) {
            e += 1;
            break;
        } else {
            break;
        }
    }
    if e == k {
        return None;
    }
    // An apposition that runs to the end of the sentence: ", the city's director."
    if apposition && e < s1 && matches!(ctx.w(e), "who" | "which" | "whose") {
        let mut a = e;
        while a < s1 && (ctx.is_word(a) || ctx.punct(a, &["-", "'", "’", ","])) && a - e < 30 {
            a += 1;
        }
        if a >= s1 || is_end_punct(ctx, a, s1) && !ctx.punct(a, &[","]) {
            return Some((k, a));
        }
    }
    let starts_apposition = |a: usize| {
        ctx.capitalized(a) || ctx.is(a, &DETERMINERS) || matches!(ctx.w(a), "who" | "which") || ctx.w(a).bytes().all(|b| b.is_ascii_digit())
    };
    if apposition && e + 1 < s1 && ctx.punct(e, &[","]) && starts_apposition(e + 1) {
        let mut a = e + 1;
        // Up to the sentence end, relative clauses included ("a lawyer who specializes in …").
        while a < s1 && (ctx.is_word(a) || ctx.punct(a, &["-", "'", "’", ",", "(", ")"])) && a - e < 30 {
            a += 1;
        }
        while a > e + 1 && ctx.punct(a - 1, &[","]) {
            a -= 1;
        }
        if a > e + 1 && (a >= s1 || is_end_punct(ctx, a, s1) && !ctx.punct(a, &[","])) {
            return Some((k, a));
        }
    }
    Some((k, e))
}

/// The subject a cue shares with an earlier verb of its sentence: "Trump attacked Clinton,
/// saying …", "Obama met survivors and said …", "“…,” he said, referring to …".
fn shared_subject(ctx: &Ctx, s0: usize, c0: usize, m: CueMatch) -> Option<Toks> {
    if c0 == s0 {
        return None;
    }
    if m.gerund
        && (is_sentence_start(ctx, s0, c0) || (c0 == s0 + 1 && matches!(ctx.w(s0), "in" | "after" | "by" | "while" | "when" | "before")))
    {
        return main_clause_subject(ctx, c0);
    }
    let coordinated = matches!(ctx.w(c0 - 1), "and" | "but") || (c0 >= s0 + 2 && ctx.adverbial(c0 - 1) && ctx.w(c0 - 2) == "and");
    if !(coordinated || m.gerund && ctx.punct(c0 - 1, &[","])) {
        return None;
    }
    // The source of the nearest earlier cue of the sentence, if there is one.
    for k in (s0..c0 - 1).rev() {
        if finite_cue(ctx, k) {
            if let Some(src) = left_source(ctx, s0, k).or_else(|| right_np(ctx, k + 1, c0, false)) {
                return Some(src);
            }
        }
    }
    // Else the noun phrase that opens the clause, after an opening adverbial ("On Thursday,
    // however, Roe spoke …, promising"; "Stung by the critics, Roe revised …").
    let mut k = clause_start(ctx, s0, c0);
    while k < c0
        && ctx.is_word(k)
        && (matches!(ctx.w(k), "on" | "in" | "at" | "after" | "before" | "during" | "since" | "by" | "with" | "for" | "however")
            || ctx.is(k, &TIME_WORDS)
            || ctx.w(k).ends_with("ed"))
    {
        match (k + 1..c0.min(k + 12)).find(|&j| ctx.punct(j, &[","])) {
            Some(comma) => k = comma + 1,
            None => break,
        }
    }
    if k < c0 && ctx.is_word(k) && ctx.is(k, &PRONOUNS) {
        return Some((k, k + 1));
    }
    let start = k;
    while k < c0 && (ctx.np_word(k) || (k > start && ctx.is(k, &NP_INNER) && !ctx.is(k + 1, &TIME_WORDS))) {
        k += 1;
    }
    (k > start && k - start <= 8).then_some((start, k))
}

/// "Noting …, Allen said …": the subject of the first cue after the opening clause.
fn main_clause_subject(ctx: &Ctx, c0: usize) -> Option<Toks> {
    let ss = &ctx.doc.layers.sentences;
    let s = ss[ss.partition_point(|s| s.end_tok <= c0)];
    let comma = (c0..s.end_tok).find(|&k| ctx.punct(k, &[","]) && ctx.quoted_by[k].is_none())?;
    let cue = (comma + 1..s.end_tok).find(|&k| finite_cue(ctx, k))?;
    left_source(ctx, comma + 1, cue)
}

/// Labels in capitals before a colon that name no speaker.
const NOT_SPEAKERS: &[&str] = &[
    "update",
    "updated",
    "note",
    "editor's",
    "editor’s",
    "photo",
    "video",
    "watch",
    "breaking",
    "correction",
    "related",
    "read",
    "more",
    "also",
    "live",
    "q",
    "a",
];

/// Attributions that the layout makes certain, which need no scoring: the lines of an
/// interview transcript ("DUNN: Let's start …"), a headline that opens with a name and a
/// colon ("Roe: The budget needs …"), and pull quotes signed on their line ("“…” ― Jane
/// Roe").
pub fn layout_attributions(ctx: &Ctx) -> Vec<Candidate> {
    let mut out = transcript_lines(ctx);
    out.extend(pull_quotes(ctx));
    out
}

/// A quotation, a dash and a name that ends the line: “…” ― Tom Dunn.
fn pull_quotes(ctx: &Ctx) -> Vec<Candidate> {
    let n = ctx.lower.len();
    let line_ends_after =
        |k: usize| k >= n || ctx.doc.text[ctx.doc.layers.tokens[k - 1].span.end..ctx.doc.layers.tokens[k].span.start].contains('\n');
    let mut out = Vec::new();
    for (qi, q) in ctx.doc.layers.quotations.iter().enumerate() {
        let dash = q.close_tok + 1;
        if q.depth > 0 || q.unclosed || dash + 1 >= n || !ctx.punct(dash, &["―", "—", "–", "--"]) {
            continue;
        }
        let name = dash + 1;
        let mut e = name;
        while e < n && e - name < 4 && ctx.is_name_word(e) {
            e += 1;
        }
        let end = if e < n && ctx.punct(e, &["."]) { e + 1 } else { e };
        if e == name || !line_ends_after(end) {
            continue;
        }
        out.push(unscored(Pattern::QuoteBefore, (dash, dash + 1), (name, e), quote_toks(ctx, qi as u32)));
    }
    out
}

/// A candidate that needs no scoring, with features that say so.
fn unscored(pattern: Pattern, cue: Toks, source: Toks, content: Toks) -> Candidate {
    Candidate {
        cue,
        cue_span: cue,
        entry: None,
        source: Some(source),
        content: vec![content],
        negated: false,
        features: Features {
            prior: 1.0,
            class: CueClass::Speech,
            pattern,
            source: SourceKind::Name,
            content_tokens: content.1 - content.0,
            content_quoted: false,
            bare: false,
            gerund: false,
            after_to: false,
            after_modal: false,
            sentence_initial_cue: false,
            content_end: "sentence",
        },
    }
}

fn transcript_lines(ctx: &Ctx) -> Vec<Candidate> {
    let capitals = |k: usize| {
        let w = ctx.raw(k);
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase) && !NOT_SPEAKERS.contains(&ctx.w(k))
    };
    let mut out = Vec::new();
    for (pi, (start, end)) in paragraph_toks(ctx).into_iter().enumerate() {
        // After an opening quotation mark, if any.
        let name = (start..end).find(|&k| ctx.is_word(k)).unwrap_or(end);
        // A headline says it the same way: "Roe: The budget needs …".
        let headline = pi == 0 && end - start <= 40;
        let mut k = name;
        while k < end
            && k - name < 3
            && ctx.is_word(k)
            && (capitals(k) || headline && ctx.capitalized(k) && !NOT_SPEAKERS.contains(&ctx.w(k)) && !ctx.is(k, &DETERMINERS))
        {
            k += 1;
        }
        if k == name || k + 1 >= end || !ctx.punct(k, &[":"]) {
            continue;
        }
        // Something said after the colon: a line of marks alone is none.
        let said = trim_back(ctx, k + 1, end);
        if said > k + 1 {
            out.push(unscored(Pattern::Transcript, (k, k + 1), (name, k), (k + 1, said)));
        }
    }
    out
}

fn source_kind(ctx: &Ctx, r: Toks) -> SourceKind {
    if r.1 - r.0 == 1 && ctx.is(r.0, &PRONOUNS) {
        SourceKind::Pronoun
    } else if (r.0..r.1).any(|k| ctx.capitalized(k) && !ctx.is(k, &DETERMINERS)) {
        SourceKind::Name
    } else {
        SourceKind::Nominal
    }
}

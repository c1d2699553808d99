//! Candidate scoring and selection. The weights are set by hand for now; a model learned
//! from PolNeAR train can replace `score` without touching the finders.

use crate::candidates::{Candidate, Features, Pattern, SourceKind};
use crate::lexicon::CueClass;

/// Candidates at or above this score become statements.
pub const THRESHOLD: f32 = 0.5;

pub fn score(f: &Features) -> f32 {
    let mut s = f.prior;
    s += match f.source {
        SourceKind::None => -0.25,
        SourceKind::Pronoun => 0.2,
        SourceKind::Name => 0.2,
        SourceKind::Nominal => 0.1,
    };
    s += match f.pattern {
        Pattern::QuoteBefore | Pattern::QuoteAfter => 0.25,
        Pattern::Prep => 0.1,
        Pattern::Parenthetical => 0.1,
        Pattern::ClauseBefore => 0.05,
        Pattern::ClauseAfter => 0.0,
    };
    if f.content_quoted && f.pattern == Pattern::ClauseAfter {
        s += 0.1;
    }
    if f.bare {
        s -= 0.15;
    }
    if f.after_to {
        s -= 0.3;
    }
    if f.after_modal {
        s -= 0.1;
    }
    if f.gerund && f.source == SourceKind::None {
        s -= 0.1;
    }
    if f.content_tokens < 3 {
        s -= 0.4;
    }
    if f.content_tokens > 80 && !matches!(f.pattern, Pattern::QuoteBefore | Pattern::QuoteAfter) {
        s -= 0.2;
    }
    if matches!(f.class, CueClass::Belief | CueClass::Intent) && f.source == SourceKind::Nominal {
        s -= 0.1;
    }
    s
}

/// Keeps the best candidates that do not overlap: a token takes at most one role in at
/// most one statement (PolNeAR's "univocal" annotation), so a cue inside a chosen
/// content is not a statement of its own.
pub fn select(cands: Vec<Candidate>) -> Vec<(Candidate, f32)> {
    let mut scored: Vec<(Candidate, f32)> = cands.into_iter().map(|c| {
        let s = score(&c.features);
        (c, s)
    }).filter(|(_, s)| *s >= THRESHOLD).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cue.0.cmp(&b.0.cue.0)));
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out: Vec<(Candidate, f32)> = Vec::new();
    let overlaps = |r: (usize, usize), taken: &[(usize, usize)]| taken.iter().any(|t| r.0 < t.1 && t.0 < r.1);
    for (c, s) in scored {
        let mut ranges = vec![c.cue];
        ranges.extend(c.source);
        ranges.extend(c.content.iter().copied());
        if ranges.iter().any(|&r| overlaps(r, &taken)) {
            continue;
        }
        taken.extend(ranges);
        out.push((c, s));
    }
    out.sort_by_key(|(c, _)| (c.content[0].0, c.cue.0));
    out
}

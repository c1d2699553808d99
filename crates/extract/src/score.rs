//! Candidate selection: each candidate gets the learned model's probability; the likeliest
//! become statements, so long as they do not overlap one already chosen.

use crate::candidates::{Candidate, Ctx};
use crate::model::Model;
use crate::Selection;

/// Keeps the best candidates that do not overlap: a token takes at most one role in at
/// most one statement (PolNeAR's "univocal" annotation), so a cue inside a chosen
/// content is not a statement of its own.
pub fn select(ctx: &Ctx, cands: Vec<Candidate>, m: &Model, selection: Selection) -> Vec<(Candidate, f32)> {
    let mut scored: Vec<(Candidate, f32)> = cands
        .into_iter()
        .map(|c| {
            let p = m.probability(ctx, &c);
            (c, p)
        })
        .filter(|(_, p)| selection == Selection::All || *p >= m.threshold)
        .collect();
    if selection == Selection::All {
        return scored;
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cue.0.cmp(&b.0.cue.0)));
    // Cues are exclusive: no chosen span may hold another's cue. Contents may touch each
    // other's edges (spans found by rule run long), but not share most of their tokens.
    let mut cues: Vec<(usize, usize)> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut out: Vec<(Candidate, f32)> = Vec::new();
    let overlaps = |r: (usize, usize), taken: &[(usize, usize)]| taken.iter().any(|t| r.0 < t.1 && t.0 < r.1);
    let shared = |r: (usize, usize), taken: &[(usize, usize)]| taken.iter().map(|t| r.1.min(t.1).saturating_sub(r.0.max(t.0))).sum::<usize>();
    for (c, s) in scored {
        let mut roles = vec![c.content[0]];
        roles.extend(c.content[1..].iter().copied());
        roles.extend(c.source);
        if overlaps(c.cue_span, &cues) || overlaps(c.cue_span, &spans) || roles.iter().any(|&r| overlaps(r, &cues)) {
            continue;
        }
        let len: usize = c.content.iter().map(|r| r.1 - r.0).sum();
        let common: usize = c.content.iter().map(|&r| shared(r, &spans)).sum();
        if common * 2 > len {
            continue;
        }
        cues.push(c.cue_span);
        spans.extend(roles);
        out.push((c, s));
    }
    out.sort_by_key(|(c, _)| (c.content[0].0, c.cue.0));
    out
}

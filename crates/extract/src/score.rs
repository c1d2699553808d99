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

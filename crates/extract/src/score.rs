//! Candidate selection: of the candidates the model scored at or above its threshold, the
//! likeliest become statements, so long as they do not overlap one already chosen.

use crate::candidates::Candidate;
use crate::ctx::Ctx;
use crate::Selection;

/// Keeps the best candidates that do not overlap: a token takes at most one role in at
/// most one statement (PolNeAR's "univocal" annotation), so a cue inside a chosen
/// content is not a statement of its own.
pub fn select(ctx: &Ctx, mut scored: Vec<(Candidate, f32)>, selection: Selection) -> Vec<(Candidate, f32)> {
    if selection == Selection::All {
        return scored;
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cue.0.cmp(&b.0.cue.0)));
    // Cues are exclusive: no chosen span may hold another's cue. Contents may touch each
    // other's edges (spans found by rule run long), but not share most of their tokens.
    // Occupancy is kept per token, so each check costs the candidate's length only.
    const CUE: u8 = 1;
    const SPAN: u8 = 2;
    let mut taken = vec![0u8; ctx.lower.len()];
    let mut out: Vec<(Candidate, f32)> = Vec::new();
    let any = |r: (usize, usize), taken: &[u8], mask: u8| taken[r.0..r.1].iter().any(|&t| t & mask != 0);
    for (c, s) in scored {
        let roles: Vec<(usize, usize)> = c.content.iter().copied().chain(c.source).collect();
        if any(c.cue_span, &taken, CUE | SPAN) || roles.iter().any(|&r| any(r, &taken, CUE)) {
            continue;
        }
        let len: usize = c.content.iter().map(|r| r.1 - r.0).sum();
        let common: usize = c.content.iter().map(|r| taken[r.0..r.1].iter().filter(|&&t| t & SPAN != 0).count()).sum();
        if common * 2 > len {
            continue;
        }
        taken[c.cue_span.0..c.cue_span.1].iter_mut().for_each(|t| *t |= CUE);
        for r in roles {
            taken[r.0..r.1].iter_mut().for_each(|t| *t |= SPAN);
        }
        out.push((c, s));
    }
    out.sort_by_key(|(c, _)| (c.content[0].0, c.cue.0));
    out
}

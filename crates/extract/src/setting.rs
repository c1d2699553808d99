//! Where and to whom a statement was made, where the article says so: "said in London",
//! "told AFP", "in an interview with CNN", "wrote on Facebook", "tells US lawmakers".

use crate::candidates::Candidate;
use crate::ctx::Ctx;
use crate::words::*;
use crate::Setting;

/// Lemmas whose object is the addressee.
const TELLING: &[&str] = &["tell", "assure", "remind", "inform", "reassure", "warn", "urge", "brief", "write"];

/// The setting of a chosen candidate, read from the words around its cue that are neither
/// source nor content.
pub fn setting_of(ctx: &Ctx, c: &Candidate, lemma: &str) -> Option<Setting> {
    let ss = &ctx.doc.layers.sentences;
    let s = ss[ss.partition_point(|s| s.end_tok <= c.cue.0)];
    let content_start = c.content.iter().map(|r| r.0).find(|&k| k >= c.cue_span.1).unwrap_or(s.end_tok);
    let source_end = c.source.map_or(0, |r| r.1);
    // After the cue (and an inverted source), before the content or the sentence end.
    let from = c.cue_span.1.max(if source_end > c.cue.1 { source_end } else { 0 });
    let to = content_start.min(s.end_tok);
    let mut out = Setting::default();
    let mut k = from;
    // The cue itself may hold the medium: "said in a statement", "wrote on Facebook".
    scan(ctx, c.cue.1, c.cue_span.1, &mut out);
    if TELLING.contains(&lemma) && k < to && ctx.w(k) != "that" {
        let e = phrase_end(ctx, k, to);
        if e > k {
            let who = ctx.text((k, e)).to_string();
            // An outlet told is the medium: "told AFP", "told The Washington Post".
            if (k..e).any(|i| ctx.is(i, &MEDIA_WORDS)) && out.medium.is_none() {
                out.medium = Some(who);
            } else {
                out.addressee = Some(who);
            }
            k = e;
        }
    }
    scan(ctx, k, to, &mut out);
    // A setting that opens the sentence: "In an interview with CNN, Smith said …".
    let first = (s.first_tok..c.cue.0).find(|&i| ctx.is_word(i)).unwrap_or(c.cue.0);
    if matches!(ctx.w(first), "in" | "speaking") {
        let comma = (first..c.cue.0).find(|&i| ctx.punct_is(i, ",")).unwrap_or(first);
        scan(ctx, first, comma, &mut out);
    }
    (out != Setting::default()).then_some(out)
}

/// Prepositional phrases in `[k, to)`: "in London", "in an interview with AFP", "on CNN",
/// "to reporters", "speaking to a local news channel".
fn scan(ctx: &Ctx, mut k: usize, to: usize, out: &mut Setting) {
    while k < to {
        let w = ctx.w(k);
        let next = k + 1;
        if matches!(w, "in" | "at") && next < to && ctx.is_name_word(next) {
            let e = phrase_end(ctx, next, to);
            if e > next && out.place.is_none() && !(next..e).any(|i| ctx.is(i, &ORG_WORDS)) {
                out.place = Some(ctx.text((next, e)).to_string());
            }
            k = e.max(next);
        } else if out.medium.is_none()
            && next < to
            && (w == "with" && (k.saturating_sub(3)..k).any(|i| matches!(ctx.w(i), "interview" | "conversation" | "call"))
                || w == "on" && ctx.is_name_word(next) && !ctx.is(next, &TIME_WORDS))
        {
            // "in an interview with CNN", "on Fox News"
            let e = phrase_end(ctx, next, to);
            if e > next {
                out.medium = Some(ctx.text((next, e)).to_string());
            }
            k = e.max(next);
        } else if w == "to"
            && next < to
            && out.addressee.is_none()
            && k > 0
            && matches!(ctx.w(k - 1), "speaking" | "said" | "says" | "say" | "talking" | "wrote" | "spoke")
        {
            let e = phrase_end(ctx, next, to);
            if e > next {
                let who = ctx.text((next, e)).to_string();
                if (next..e).any(|i| ctx.is(i, &MEDIA_WORDS)) {
                    out.medium = Some(who);
                } else {
                    out.addressee = Some(who);
                }
            }
            k = e.max(next);
        } else {
            k += 1;
        }
    }
}

/// The end of the noun phrase that starts at `k`: determiners, names, nouns, "of".
fn phrase_end(ctx: &Ctx, k: usize, to: usize) -> usize {
    let mut e = k;
    while e < to && e < k + 8 {
        let word = ctx.is_word(e)
            && (ctx.capitalized(e) || !ctx.is(e, &NP_STOP))
            && !ctx.is(e, &TIME_WORDS)
            && !matches!(ctx.w(e), "that" | "in" | "at" | "on" | "during" | "after" | "before" | "about" | "from");
        let joiner = e > k && e + 1 < to && ctx.w(e) == "of" && ctx.is_word(e + 1);
        let mark = e > k && ctx.punct_is(e, "'") || ctx.punct_is(e, "&");
        if word || joiner || mark || (ctx.is(e, &DETERMINERS) && e == k) {
            e += 1;
        } else {
            break;
        }
    }
    e
}

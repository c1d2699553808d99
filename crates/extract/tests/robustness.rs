//! Extraction never fails: thousands of word-and-mark soups built from the pieces that the
//! finders react to (quotation marks of every kind, cues, titles, settings, particles) must
//! all come back with a result, never a panic.

use sayso_doc::{Document, Meta};
use sayso_extract::extract;

const PIECES: &[&str] = &[
    "“",
    "”",
    "\"",
    "'",
    "''",
    "‘",
    "’",
    "«",
    "»",
    "„",
    ",",
    ".",
    ":",
    ";",
    "—",
    "-",
    "(",
    ")",
    "?",
    "…",
    "\n",
    "\n\n",
    "said",
    "says",
    "told",
    "tells",
    "wrote",
    "according to",
    "in",
    "on",
    "with",
    "at",
    "to",
    "an interview",
    "speaking",
    "a",
    "the",
    "that",
    "he",
    "she",
    "they",
    "who",
    "which",
    "Mr.",
    "Sen.",
    "U.S.",
    "Trump",
    "Clinton",
    "CNN",
    "AFP",
    "London",
    "US",
    "reporters",
    "lawmakers",
    "officials",
    "Facebook",
    "Tuesday",
    "declined",
    "not",
    "n't",
    "in a statement",
    "Read more:",
    "al-Rashid",
    "van der",
    "Jane",
    "Roe",
    "May",
    "In",
    "Speaking",
    "his",
    "her",
    "'s",
    "and",
    "but",
    "however",
    "sharply",
    "is",
    "expected",
    "seemed",
    "asked",
    "saying",
    "adding",
    "1,000",
    "3.5",
    "J.",
    "claim",
];

#[test]
fn soups_of_marks_and_cues_never_fail() {
    let mut seed: u64 = 42;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for i in 0..3000 {
        let len = 1 + next(150);
        let text: Vec<&str> = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
        let joiner = if i % 2 == 0 { " " } else { "" };
        let mut doc = Document::from_text(Meta { id: i.to_string(), ..Meta::default() }, text.join(joiner));
        let ex = extract(&mut doc);
        for s in &ex.statements {
            assert!(s.content.iter().all(|f| f.start <= f.end && f.end <= doc.text.len()), "content out of the text in soup {i}");
        }
    }
}

/// Found by the `extract_text` fuzz target: a transcript line whose speaker's colon is
/// followed by no word ("LEE: ��.") made a statement of no tokens, and its span panicked.
#[test]
fn a_transcript_line_with_nothing_said_is_no_statement() {
    for text in ["CHAN: I think \"it works\" and so.\nLEE: \u{fffd}\u{fffd}.", "CHAN: Yes.\nLEE: .", "LEE: —"] {
        let mut doc = Document::from_text(Meta::default(), text.to_string());
        let ex = extract(&mut doc);
        for s in &ex.statements {
            assert!(s.content.iter().all(|c| c.start < c.end), "{text:?}: {:?}", s.content);
        }
    }
}

//! Paragraphs, tokens and sentences: the first layers, made from the text alone.

use sayso_doc::{Document, Sentence, Span, Token, TokenKind};

/// Words after which a period does not end the sentence (lower case, no period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "sens", "rep", "reps", "gov", "govs", "lt", "gen", "col", "maj", "capt", "cmdr", "adm", "sgt",
    "cpl", "pvt", "st", "ste", "mt", "ft", "jr", "sr", "rev", "hon", "pres", "supt", "atty", "messrs", "mmes", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vol", "vols", "inc", "corp", "co", "ltd", "llc", "bros", "dept",
    "est", "approx", "vs", "etc", "al", "fig", "ave", "blvd", "rd", "calif", "fla", "ga", "ill", "mass", "mich", "minn", "penn", "pa",
    "tenn", "tex", "va", "wash", "wis", "conn", "colo", "ariz", "ala", "ark", "del", "ind", "kan", "ky", "la", "md", "mo", "miss", "mont",
    "neb", "nev", "okla", "ore", "vt", "wyo", "e.g", "i.e", "a.m", "p.m", "op", "ed",
];

/// Words that start sentences often enough to split after "U.S." before them.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "This",
    "That",
    "In",
    "A",
    "His",
    "Her",
    "Their",
    "There",
    "If",
    "When",
    "As",
    "Some",
    "Many",
    "Officials",
];

/// The longest sentence the passes see, in tokens.
pub const MAX_SENTENCE_TOKENS: usize = 250;

fn is_quote_char(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '„' | '‟' | '«' | '»' | '‹' | '›' | '‘' | '’' | '‚' | '‛')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits the text into paragraphs: at blank lines, or at every line break when the
/// text has no blank line at all (one paragraph a line, as many feeds write it).
pub fn paragraphs(text: &str) -> Vec<Span> {
    let blank = has_blank_line(text);
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let mut j = i + 1;
            let mut newlines = 1;
            while j < bytes.len() && (bytes[j] == b'\n' || bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\r') {
                if bytes[j] == b'\n' {
                    newlines += 1;
                }
                j += 1;
            }
            if !blank || newlines > 1 {
                push_trimmed(text, start, i, &mut out);
                start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn has_blank_line(text: &str) -> bool {
    let b = text.as_bytes();
    let mut last_nl: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\n' => {
                if last_nl.is_some() {
                    return true;
                }
                last_nl = Some(i);
            }
            b' ' | b'\t' | b'\r' => {}
            _ => last_nl = None,
        }
    }
    false
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if start + lead < end - trail {
        out.push(Span::new(start + lead, end - trail));
    }
}

/// Tokens of one paragraph, appended to `out`.
pub fn tokenize(text: &str, para: Span, out: &mut Vec<Token>) {
    let s = &text[para.start..para.end];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let off = |k: usize| {
        if k < n {
            para.start + chars[k].0
        } else {
            para.end
        }
    };
    let mut k = 0;
    while k < n {
        let c = chars[k].1;
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        let start = k;
        if is_word_char(c) {
            k += 1;
            loop {
                match at(k) {
                    Some(c) if is_word_char(c) => k += 1,
                    // Marks inside a word: don't, U.S, 3.5, 1,000, well-known.
                    Some('\'' | '’' | '-' | '.' | ',' | '&') if at(k + 1).is_some_and(is_word_char) => {
                        let mark = chars[k].1;
                        let prev_digit = chars[k - 1].1.is_ascii_digit();
                        let next_digit = at(k + 1).is_some_and(|c| c.is_ascii_digit());
                        let ok = match mark {
                            ',' => prev_digit && next_digit,
                            '.' => (prev_digit && next_digit) || segment_len(&chars, start, k) == 1,
                            '&' => segment_len(&chars, start, k) == 1,
                            _ => true,
                        };
                        if !ok {
                            break;
                        }
                        k += 2;
                    }
                    _ => break,
                }
            }
            // A period that belongs to the word: initials, dotted acronyms, abbreviations.
            if at(k) == Some('.') {
                let word = &text[off(start)..off(k)];
                let single_letters = segment_len(&chars, start, k) == 1 && chars[k - 1].1.is_alphabetic();
                let abbreviation = if word.is_ascii() {
                    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
                } else {
                    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
                };
                if single_letters || abbreviation {
                    k += 1;
                }
            }
            match clitic_split(&chars[start..k]) {
                Some(n) => {
                    out.push(Token { span: Span::new(off(start), off(k - n)), kind: TokenKind::Word });
                    out.push(Token { span: Span::new(off(k - n), off(k)), kind: TokenKind::Word });
                }
                None => out.push(Token { span: Span::new(off(start), off(k)), kind: TokenKind::Word }),
            }
        } else if (c == '\'' || c == '`') && at(k + 1) == Some(c) {
            // '' and `` as double quotation marks, as some newspapers write them.
            k += 2;
            out.push(Token { span: Span::new(off(start), off(k)), kind: TokenKind::Quote });
        } else if is_quote_char(c) {
            k += 1;
            out.push(Token { span: Span::new(off(start), off(k)), kind: TokenKind::Quote });
        } else {
            k += 1;
            out.push(Token { span: Span::new(off(start), off(k)), kind: TokenKind::Punct });
        }
    }
}

/// How many chars at the end of a word are a clitic to split off: n't, 're, 've, 'll,
/// 'd, 'm, and 's after a pronoun ("he's"; "Obama's" stays whole, a possessive).
fn clitic_split(word: &[(usize, char)]) -> Option<usize> {
    // Every clitic starts with an apostrophe: most words need no lower-case copy.
    if !word.iter().any(|&(_, c)| c == '\'' || c == '’') {
        return None;
    }
    let lower: String = word.iter().map(|&(_, c)| if c == '’' { '\'' } else { c.to_ascii_lowercase() }).collect();
    for (suffix, n) in [("n't", 3), ("'re", 3), ("'ve", 3), ("'ll", 3), ("'d", 2), ("'m", 2)] {
        if lower.len() > n && lower.ends_with(suffix) {
            return Some(n);
        }
    }
    let base = lower.strip_suffix("'s")?;
    matches!(base, "he" | "she" | "it" | "that" | "there" | "what" | "who" | "here" | "where" | "let").then_some(2)
}

/// Length in chars of the last segment of a word (since its start or last mark).
fn segment_len(chars: &[(usize, char)], start: usize, end: usize) -> usize {
    let mut n = 0;
    for k in (start..end).rev() {
        if !is_word_char(chars[k].1) {
            break;
        }
        n += 1;
    }
    n
}

fn is_terminator(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | "…")
}

fn is_closer(t: &str) -> bool {
    matches!(t, "”" | "\"" | "'" | "''" | "’" | "»" | ")" | "]")
}

/// Fills paragraphs, tokens and sentences.
pub fn segment(doc: &mut Document) {
    let paras = paragraphs(&doc.text);
    let mut tokens = Vec::with_capacity(doc.text.len() / 5);
    let mut sentences = Vec::new();
    for (p, &para) in paras.iter().enumerate() {
        let first = tokens.len();
        tokenize(&doc.text, para, &mut tokens);
        let end = tokens.len();
        let mut s_start = first;
        let mut i = first;
        while i < end {
            let t = &doc.text[tokens[i].span.start..tokens[i].span.end];
            let mut boundary = None;
            if is_terminator(t) {
                let mut j = i + 1;
                while j < end && is_terminator(tok(&doc.text, &tokens, j)) {
                    j += 1;
                }
                // A straight mark glued to the next word opens the next sentence instead.
                while j < end && is_closer(tok(&doc.text, &tokens, j)) && !opens_next(&doc.text, &tokens, j, end) {
                    j += 1;
                }
                if j < end && starts_sentence(tok(&doc.text, &tokens, j)) {
                    boundary = Some(j);
                }
            } else if t.len() > 2 && t.ends_with('.') && i + 1 < end {
                // "U.S." at the end of a sentence.
                let next = tok(&doc.text, &tokens, i + 1);
                let dotted = t[..t.len() - 1].contains('.');
                if dotted && SENTENCE_STARTERS.contains(&next) {
                    boundary = Some(i + 1);
                }
            }
            // Text with no sentence ends (lists, broken input) is cut into pieces, so that
            // no pass ever works on an unbounded sentence.
            if boundary.is_none() && i + 1 - s_start >= MAX_SENTENCE_TOKENS && i + 1 < end {
                boundary = Some(i + 1);
            }
            if let Some(j) = boundary {
                sentences.push(sentence(&tokens, s_start, j, p));
                s_start = j;
                i = j;
            } else {
                i += 1;
            }
        }
        if s_start < end {
            sentences.push(sentence(&tokens, s_start, end, p));
        }
    }
    doc.layers.paragraphs = paras;
    doc.layers.tokens = tokens;
    doc.layers.sentences = sentences;
}

fn opens_next(text: &str, tokens: &[Token], j: usize, end: usize) -> bool {
    let t = tok(text, tokens, j);
    let straight = matches!(t, "\"" | "'" | "''");
    let glued = j + 1 < end && tokens[j + 1].span.start == tokens[j].span.end && tokens[j + 1].kind == TokenKind::Word;
    let spaced_before = j > 0 && tokens[j - 1].span.end < tokens[j].span.start;
    straight && glued && spaced_before
}

fn tok<'a>(text: &'a str, tokens: &[Token], i: usize) -> &'a str {
    &text[tokens[i].span.start..tokens[i].span.end]
}

fn starts_sentence(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || is_quote_char(c) || matches!(c, '(' | '[' | '`'))
}

fn sentence(tokens: &[Token], first: usize, end: usize, paragraph: usize) -> Sentence {
    Sentence { span: Span::new(tokens[first].span.start, tokens[end - 1].span.end), first_tok: first, end_tok: end, paragraph }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sayso_doc::Meta;

    fn sentences(text: &str) -> Vec<String> {
        let mut doc = Document::from_text(Meta::default(), text.to_string());
        segment(&mut doc);
        doc.layers.sentences.iter().map(|s| doc.slice(s.span).to_string()).collect()
    }

    fn words(text: &str) -> Vec<String> {
        let mut doc = Document::from_text(Meta::default(), text.to_string());
        segment(&mut doc);
        (0..doc.layers.tokens.len()).map(|i| doc.token_text(i).to_string()).collect()
    }

    #[test]
    fn keeps_abbreviations_initials_and_decimals() {
        assert_eq!(
            sentences("Sen. John F. Kennedy met Mr. Smith in the U.S. on Jan. 5. Growth was 3.5 percent. Then... nothing! Really?"),
            vec!["Sen. John F. Kennedy met Mr. Smith in the U.S. on Jan. 5.", "Growth was 3.5 percent.", "Then... nothing!", "Really?"]
        );
    }

    #[test]
    fn splits_after_acronym_before_a_new_sentence() {
        assert_eq!(sentences("He lives in the U.S. The rest stayed."), vec!["He lives in the U.S.", "The rest stayed."]);
    }

    #[test]
    fn keeps_closing_quote_with_its_sentence() {
        assert_eq!(sentences("“We won.” He left."), vec!["“We won.”", "He left."]);
        assert_eq!(sentences("\"We won.\" He left. \"Now go.\""), vec!["\"We won.\"", "He left.", "\"Now go.\""]);
    }

    #[test]
    fn tokens_keep_inner_marks() {
        assert_eq!(words("don’t pay $1,000 to U.N. well-known"), vec!["do", "n’t", "pay", "$", "1,000", "to", "U.N.", "well-known"]);
        assert_eq!(words("he's Obama's"), vec!["he", "'s", "Obama's"]);
    }

    #[test]
    fn endless_sentences_are_cut() {
        let text = "word ".repeat(1000);
        let mut doc = Document::from_text(Meta::default(), text);
        segment(&mut doc);
        assert_eq!(doc.layers.sentences.len(), 4);
        assert!(doc.layers.sentences.iter().all(|s| s.end_tok - s.first_tok <= MAX_SENTENCE_TOKENS));
    }

    #[test]
    fn paragraphs_at_blank_lines_or_lines() {
        assert_eq!(paragraphs("a\nb\n\n c \n").len(), 2);
        assert_eq!(paragraphs("a\nb\nc").len(), 3);
    }
}

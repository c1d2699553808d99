//! Pairs quotation marks into quotations, per paragraph, with nesting, quotations that
//! go on over paragraphs, and warnings for marks that never close.

use sayso_doc::{Document, Quotation, Span, TokenKind, Warning};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Double,
    Single,
    Guillemet,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Open,
    Close,
    /// A straight mark: opens or closes depending on what is open.
    Toggle,
}

fn classify(mark: &str) -> Option<(Family, Role)> {
    Some(match mark {
        "“" | "„" | "‟" => (Family::Double, Role::Open),
        "”" => (Family::Double, Role::Close),
        "\"" | "''" => (Family::Double, Role::Toggle),
        "``" => (Family::Double, Role::Open),
        "‘" | "‚" | "‛" => (Family::Single, Role::Open),
        "’" => (Family::Single, Role::Close),
        "'" => (Family::Single, Role::Toggle),
        "«" | "‹" => (Family::Guillemet, Role::Open),
        "»" | "›" => (Family::Guillemet, Role::Close),
        _ => return None,
    })
}

struct Open {
    family: Family,
    tok: usize,
}

pub fn quotations(doc: &mut Document) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let tokens = &doc.layers.tokens;
    let text = &doc.text;
    // Token ranges of paragraphs (sentences never cross paragraphs).
    let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
    for s in &doc.layers.sentences {
        match ranges.last_mut() {
            Some(r) if r.2 == s.paragraph => r.1 = s.end_tok,
            _ => ranges.push((s.first_tok, s.end_tok, s.paragraph)),
        }
    }
    for (pi, &(first, end, _)) in ranges.iter().enumerate() {
        let mut stack: Vec<Open> = Vec::new();
        // How many of each family are open: a lookup, not a scan of the stack.
        let mut open = [0usize; 3];
        for i in first..end {
            if tokens[i].kind != TokenKind::Quote {
                continue;
            }
            let Some((family, role)) = classify(&text[tokens[i].span.start..tokens[i].span.end]) else {
                continue;
            };
            let has_open = open[family as usize] > 0;
            let prev_space = i == first || tokens[i - 1].span.end < tokens[i].span.start;
            let next_word = i + 1 < end && tokens[i + 1].span.start == tokens[i].span.end;
            let spaced_after = i + 1 >= end || tokens[i + 1].span.start > tokens[i].span.end;
            let role = match role {
                // A left mark written where a right one belongs: "here,“ said Clyburn".
                Role::Open if family == Family::Double && has_open && !prev_space && spaced_after => Role::Close,
                // … and a right mark where a left one belongs: "”Mr. Roe embodies …” ― Jo Bloggs".
                Role::Close if family == Family::Double && !has_open && prev_space && next_word => Role::Open,
                Role::Toggle if has_open => Role::Close,
                Role::Toggle if family == Family::Single && !(prev_space && next_word) => continue,
                Role::Toggle => Role::Open,
                // A lone ’ with nothing to close is an apostrophe (the Smiths’ house).
                Role::Close if family == Family::Single && !has_open => continue,
                r => r,
            };
            match role {
                Role::Open => {
                    open[family as usize] += 1;
                    stack.push(Open { family, tok: i });
                }
                _ if !has_open => warnings.push(Warning::new("closing quotation mark with no opening one", Some(tokens[i].span))),
                _ => {
                    // Close the innermost quotation of this family; inner ones left open close too.
                    while let Some(o) = stack.pop() {
                        open[o.family as usize] -= 1;
                        let depth = stack.len() as u32;
                        let matched = o.family == family;
                        out.push(Quotation {
                            span: Span::new(tokens[o.tok].span.start, tokens[i].span.end),
                            open_tok: o.tok,
                            close_tok: i,
                            depth,
                            unclosed: !matched,
                            continues: false,
                        });
                        if matched {
                            break;
                        }
                    }
                }
            }
        }
        // Marks still open at the paragraph end.
        let next_opens = ranges.get(pi + 1).is_some_and(|&(f, _, _)| {
            tokens[f].kind == TokenKind::Quote
                && matches!(classify(&text[tokens[f].span.start..tokens[f].span.end]), Some((_, Role::Open | Role::Toggle)))
        });
        while let Some(o) = stack.pop() {
            let depth = stack.len() as u32;
            let continues = depth == 0 && next_opens;
            if !continues {
                warnings.push(Warning::new("quotation mark never closed in its paragraph", Some(tokens[o.tok].span)));
            }
            out.push(Quotation {
                span: Span::new(tokens[o.tok].span.start, tokens[end - 1].span.end),
                open_tok: o.tok,
                close_tok: end - 1,
                depth,
                unclosed: true,
                continues,
            });
        }
    }
    out.sort_by_key(|q| (q.span.start, std::cmp::Reverse(q.span.end)));
    doc.layers.quotations = out;
    doc.warnings.extend(warnings);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;
    use sayso_doc::Meta;

    fn quotes(text: &str) -> (Vec<(String, u32, bool, bool)>, usize) {
        let mut doc = Document::from_text(Meta::default(), text.to_string());
        segment(&mut doc);
        quotations(&mut doc);
        let q = doc.layers.quotations.iter().map(|q| (doc.slice(q.span).to_string(), q.depth, q.unclosed, q.continues)).collect();
        (q, doc.warnings.len())
    }

    #[test]
    fn pairs_nested_marks() {
        let (q, w) = quotes("He said “they call it ‘a plan’ today.” The Smiths’ house.");
        assert_eq!(q, vec![("“they call it ‘a plan’ today.”".into(), 0, false, false), ("‘a plan’".into(), 1, false, false)]);
        assert_eq!(w, 0);
    }

    #[test]
    fn straight_marks_toggle() {
        let (q, _) = quotes("\"One,\" he said. \"Two.\"");
        assert_eq!(q.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), vec!["\"One,\"", "\"Two.\""]);
    }

    #[test]
    fn quote_over_paragraphs() {
        let (q, w) = quotes("“First part.\n\n“Second part,” she said.");
        assert_eq!(q[0], ("“First part.".into(), 0, true, true));
        assert_eq!(q[1].0, "“Second part,”");
        assert_eq!(w, 0);
    }

    #[test]
    fn unbalanced_marks_warn_and_do_not_spread() {
        let (q, w) = quotes("He said “no.\n\nShe said “yes.”");
        assert_eq!(q.len(), 2);
        assert_eq!(q[1].0, "“yes.”");
        assert_eq!(w, 1);
    }
}

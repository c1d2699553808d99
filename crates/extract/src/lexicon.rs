//! The cue lexicon (`data/cues.tsv`, built into the binary): reporting, belief and
//! intention expressions with their lemma, class and prior.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::hash::PassThroughBuild;
use crate::words::word_hash;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CueClass {
    /// A clause or a quotation follows: say, add, argue.
    Speech,
    /// An addressee comes before what is said: tell, assure.
    Tell,
    /// An object and what is said of it: accuse, describe, urge.
    Object,
    Belief,
    Intent,
    /// A study, poll or report as the source: show, find.
    Evidence,
    /// A preposition with the source after it: according to.
    Prep,
    /// Not in the lexicon: any word that might be a cue; the scorer decides.
    Other,
}

impl CueClass {
    pub fn as_str(self) -> &'static str {
        match self {
            CueClass::Speech => "speech",
            CueClass::Tell => "tell",
            CueClass::Object => "object",
            CueClass::Belief => "belief",
            CueClass::Intent => "intent",
            CueClass::Evidence => "evidence",
            CueClass::Prep => "prep",
            CueClass::Other => "other",
        }
    }
}

#[derive(Debug)]
pub struct CueEntry {
    pub lemma: String,
    pub class: CueClass,
    pub prior: f32,
}

/// One inflected form: the words after the first, and the entry it belongs to.
#[derive(Debug)]
struct Form {
    rest: Vec<String>,
    entry: usize,
    /// The form is the bare lemma ("say"), which is often an infinitive or in a quote.
    bare: bool,
    /// The form ends in -ing.
    gerund: bool,
}

#[derive(Debug)]
pub struct Lexicon {
    pub entries: Vec<CueEntry>,
    /// Forms by the `words::word_hash` of their first word.
    by_first: HashMap<u64, Vec<Form>, PassThroughBuild>,
}

/// A lexicon match at a token: how many tokens it covers and what it is.
#[derive(Clone, Copy, Debug)]
pub struct CueMatch {
    pub len: usize,
    /// The lexicon entry, or `None` for a word outside the lexicon.
    pub entry: Option<usize>,
    pub bare: bool,
    pub gerund: bool,
}

const DATA: &str = include_str!("../../../data/cues.tsv");

pub fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| Lexicon::parse(DATA).expect("data/cues.tsv is checked by a test"))
}

impl Lexicon {
    pub fn parse(data: &str) -> Result<Lexicon, String> {
        let mut lex = Lexicon { entries: Vec::new(), by_first: HashMap::default() };
        for (n, line) in data.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 {
                return Err(format!("cues.tsv:{}: expected lemma, class, prior", n + 1));
            }
            let class = match cols[1] {
                "speech" => CueClass::Speech,
                "tell" => CueClass::Tell,
                "object" => CueClass::Object,
                "belief" => CueClass::Belief,
                "intent" => CueClass::Intent,
                "evidence" => CueClass::Evidence,
                "prep" => CueClass::Prep,
                c => return Err(format!("cues.tsv:{}: unknown class {c:?}", n + 1)),
            };
            let prior: f32 = cols[2].parse().map_err(|_| format!("cues.tsv:{}: bad prior {:?}", n + 1, cols[2]))?;
            let lemma = cols[0].to_string();
            let entry = lex.entries.len();
            let (head, tail) = lemma.split_once(' ').unwrap_or((&lemma, ""));
            let heads: Vec<String> = match cols.get(3) {
                Some(&"-") => vec![],
                Some(forms) => forms.split(',').map(|f| f.split(' ').next().unwrap_or(f).to_string()).collect(),
                None => inflect(head),
            };
            let tail: Vec<String> = tail.split_whitespace().map(str::to_string).collect();
            lex.add(head, &tail, entry, true);
            for h in heads {
                lex.add(&h, &tail, entry, false);
            }
            lex.entries.push(CueEntry { lemma, class, prior });
        }
        for forms in lex.by_first.values_mut() {
            forms.sort_by_key(|f| std::cmp::Reverse(f.rest.len())); // longest match first
        }
        Ok(lex)
    }

    fn add(&mut self, head: &str, tail: &[String], entry: usize, bare: bool) {
        let gerund = head.ends_with("ing") && !bare;
        self.by_first.entry(word_hash(head)).or_default().push(Form { rest: tail.to_vec(), entry, bare, gerund });
    }

    #[cfg(test)]
    pub fn lookup<S: AsRef<str>>(&self, words: &[S]) -> Option<CueMatch> {
        self.lookup_hashed(word_hash(words.first()?.as_ref()), words)
    }

    /// The longest entry whose words start at `words[0]` (lower-cased words), the first
    /// already hashed by `words::word_hash`.
    pub fn lookup_hashed<S: AsRef<str>>(&self, first: u64, words: &[S]) -> Option<CueMatch> {
        let forms = self.by_first.get(&first)?;
        forms.iter().find(|f| f.rest.iter().enumerate().all(|(k, w)| words.get(k + 1).is_some_and(|x| x.as_ref() == w))).map(|f| CueMatch {
            len: 1 + f.rest.len(),
            entry: Some(f.entry),
            bare: f.bare,
            gerund: f.gerund,
        })
    }

    pub fn max_words(&self) -> usize {
        self.by_first.values().flatten().map(|f| f.rest.len() + 1).max().unwrap_or(1)
    }
}

/// Regular English inflections of a verb: -s, -ed, -ing.
fn inflect(v: &str) -> Vec<String> {
    let b = v.as_bytes();
    let last = *b.last().unwrap_or(&b'x');
    let before_last = if b.len() >= 2 { b[b.len() - 2] } else { b'x' };
    let vowel = |c: u8| b"aeiou".contains(&c);
    let s = if v.ends_with('s') || v.ends_with('x') || v.ends_with('z') || v.ends_with("ch") || v.ends_with("sh") {
        format!("{v}es")
    } else if last == b'y' && !vowel(before_last) {
        format!("{}ies", &v[..v.len() - 1])
    } else {
        format!("{v}s")
    };
    let ed = if last == b'e' {
        format!("{v}d")
    } else if last == b'y' && !vowel(before_last) {
        format!("{}ied", &v[..v.len() - 1])
    } else {
        format!("{v}ed")
    };
    let ing = if last == b'e' && !v.ends_with("ee") { format!("{}ing", &v[..v.len() - 1]) } else { format!("{v}ing") };
    vec![s, ed, ing]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_parses_and_matches() {
        let lex = Lexicon::parse(DATA).unwrap();
        let m = lex.lookup(&["pointed", "out", "that"]).unwrap();
        assert_eq!((lex.entries[m.entry.unwrap()].lemma.as_str(), m.len), ("point out", 2));
        let m = lex.lookup(&["said"]).unwrap();
        assert_eq!(lex.entries[m.entry.unwrap()].lemma, "say");
        assert!(lex.lookup(&["according", "to"]).is_some());
        assert!(lex.lookup(&["according"]).is_none());
        assert!(lex.lookup(&["urged"]).is_some() && lex.lookup(&["argues"]).is_some() && lex.lookup(&["noting"]).is_some());
    }

    #[test]
    fn rejects_bad_rows() {
        assert!(Lexicon::parse("say\tnoise\t0.5").is_err());
        assert!(Lexicon::parse("say\tspeech").is_err());
    }
}

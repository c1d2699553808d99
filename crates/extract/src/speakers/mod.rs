//! Who each statement's source is, inside one article: names reduced to their fullest form
//! ("McCaul" → "Michael McCaul"), pronouns to the person last spoken of, descriptions of
//! organisations to the organisation, and anonymous sources marked unnamed; the article's
//! speakers with their roles and mentions.

mod ranking;

use std::collections::{HashMap, HashSet};

use sayso_doc::Sentence;

use crate::ctx::{paragraph_toks, span_of, Ctx, Toks};
use crate::given_names::{self, Gender};
use crate::hash::{FastBuild, PassThroughBuild};
use crate::places::{self, PlaceKind};
use crate::words::*;
use crate::{ArticleSpeaker, Speaker, SpeakerKind};

pub use ranking::{decide, examples, speaker_model, Examples};

/// A title in its full form, so that "Sen. Sanders" and "the senator" meet.
fn title_word(w: &str) -> &str {
    match w.trim_end_matches('.') {
        "sen" | "sens" | "senators" => "senator",
        "rep" | "reps" | "congressman" | "congresswoman" => "representative",
        "gov" | "govs" => "governor",
        "gen" => "general",
        "pres" => "president",
        "sec" => "secretary",
        "atty" => "attorney",
        "justice" => "judge",
        other => other,
    }
}

/// The party a word names, in one spelling: "GOP" is "republican", "Democrat" "democratic".
fn party_of(w: &str) -> Option<&'static str> {
    match w {
        "republican" | "gop" => Some("republican"),
        "democrat" | "democratic" => Some("democratic"),
        "libertarian" => Some("libertarian"),
        _ => None,
    }
}

/// The party a name's last word says ("Democrat" in "Iowa Democrat").
fn last_word_party(m: &Mention) -> Option<&'static str> {
    m.words.last().and_then(|w| party_of(&w.to_lowercase()))
}

/// Whether "he" or "she" can mean the person named `name`: yes unless "Mr."/"Mrs." in the
/// article or the given name says otherwise.
fn gender_fits(names: &Names, name: &str, pronoun: &str) -> bool {
    let key = name.split_whitespace().last().map(name_key).unwrap_or_default();
    let said = names.by_key.get(&key).and_then(|ids| ids.iter().find_map(|&i| names.mentions[i].gender));
    let given = name.split_whitespace().next().unwrap_or("");
    match said.or_else(|| given_names::gender(given)) {
        Some(Gender::Male) => pronoun == "he",
        Some(Gender::Female) => pronoun == "she",
        None => true,
    }
}

/// Heads of a description that stands for a person named before, besides titles: "the
/// Republican", "the billionaire", and a person's book ("the book" speaks for its author).
#[rustfmt::skip]
const PERSON_HEADS: &[&str] = &[
    "republican", "democrat", "nominee", "candidate", "billionaire", "businessman", "businesswoman", "mogul", "lawmaker",
    "politician", "incumbent", "challenger", "book", "memoir",
];

/// Heads of a description that says how a person stands to somebody: "Jo Roe's wife", "the
/// candidate's former doctor".
const RELATION_HEADS: &[&str] = &["wife", "husband", "widow", "doctor", "physician", "strategist", "member", "lawyer"];

/// Heads of a description of somebody who works for or stands by the named: "a reporter for
/// USA Today", "a friend of the family".
const AFFILIATED_HEADS: &[&str] = &["reporter", "correspondent", "editor", "producer", "friend", "staffer", "employee", "colleague"];

/// Titles that head a description of one person ("the senator", "the state attorney general").
const ROLE_HEADS: &[&str] = &[
    "senator",
    "governor",
    "president",
    "minister",
    "general",
    "judge",
    "justice",
    "mayor",
    "secretary",
    "chancellor",
    "speaker",
    "chairman",
    "chairwoman",
    "director",
    "spokesman",
    "spokeswoman",
    "candidate",
    "nominee",
    "attorney",
    "ambassador",
    "commissioner",
    "sheriff",
    "adviser",
    "advisor",
    "pope",
    "ceo",
    "founder",
    "anchor",
    "host",
    "columnist",
    "professor",
    "representative",
];

/// Capitalized plurals that name a kind of people, not somebody.
const GROUP_PLURALS: &[&str] = &[
    "republicans",
    "democrats",
    "conservatives",
    "liberals",
    "progressives",
    "tories",
    "independents",
    "libertarians",
    "evangelicals",
    "socialists",
    "greens",
    "voters",
    "members",
    "leaders",
    "workers",
    "students",
    "parents",
    "teachers",
    "officers",
    "troops",
];

/// How many names a pronoun or a description reaches over, back or forth: a bound that keeps
/// an article with thousands of names linear.
const REACH: usize = 300;

/// Courtesy titles: a name follows them, and they are no role.
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "dr", "miss", "sir", "dame"];

/// A proper name as written somewhere in the article, titles removed.
#[derive(Clone, Debug)]
struct Mention {
    at: usize,
    /// The tokens of the name as kept (titles dropped).
    span: Toks,
    words: Vec<String>,
    org: bool,
    /// Written inside a quotation (where nicknames and epithets live).
    quoted: bool,
    /// Starts its sentence, where any word is capitalized.
    initial: bool,
    /// The titles written before the name, lower-cased ("attorney", "general").
    titles: Vec<String>,
    /// What "Mr." or "Mrs." before the name says.
    gender: Option<Gender>,
    /// A place or thing, not a person: written after "the" ("the Pacific", "the Mall"), before
    /// a state or country ("Springfield, Va."), or before a kind of people ("Pacific Island
    /// leaders").
    thing: bool,
}

impl Mention {
    /// The surname: the last word, before a generational suffix ("Roberts" in "John G.
    /// Roberts Jr.").
    fn key(&self) -> String {
        self.words[..self.core_len()].last().map(|w| name_key(w)).unwrap_or_default()
    }
    /// How many words precede a generational suffix.
    fn core_len(&self) -> usize {
        let n = self.words.len();
        if n > 1 && matches!(self.words[n - 1].trim_end_matches('.').to_lowercase().as_str(), "jr" | "sr" | "ii" | "iii" | "iv") {
            n - 1
        } else {
            n
        }
    }
    fn text(&self) -> String {
        self.words.join(" ").replace(" / ", "/")
    }
    /// The surname as written.
    fn key_as_written(&self) -> String {
        self.words[..self.core_len()].last().cloned().unwrap_or_default()
    }
}

/// The sentence before the one holding token `at`.
fn previous_sentence<'c>(ctx: &'c Ctx, at: usize) -> Option<&'c Sentence> {
    let ss = &ctx.doc.layers.sentences;
    ss.get(ss.partition_point(|s| s.end_tok <= at).checked_sub(1)?)
}

/// A mention that can be a person: no organisation, no place ("Springfield", "America",
/// "the Pacific").
fn is_person(m: &Mention) -> bool {
    !m.org && !m.thing && !is_place(&m.text())
}

/// A name in the list of places, whatever its case.
fn is_place(name: &str) -> bool {
    places::lookup(&name.to_lowercase()).is_some()
}

/// A name that is surely a person's: a given name first, "Mr." or a title before it.
fn surely_person(m: &Mention) -> bool {
    m.gender.is_some() || !m.titles.is_empty() || given_names::is_given(&m.words[0])
}

/// The names of an article, found once, with the fullest form of each surname.
pub struct Names {
    mentions: Vec<Mention>,
    /// Mentions outside quotations by lower-cased last word, one per distinct form.
    by_key: HashMap<String, Vec<usize>, FastBuild>,
    /// Names of several words by their initials: "IMF" → "International Monetary Fund".
    by_initials: HashMap<String, usize, FastBuild>,
    /// Paragraphs that are only a person's name, as letters pages sign each letter: the
    /// mentions, in text order.
    signatures: Vec<usize>,
    /// A closing paragraph that opens with a person's name and "is" ("Jane Roe is
    /// playwright-in-residence at …"): the writer's biography, its mention.
    biography: Option<usize>,
    /// In a headline written in title case, where capitals say nothing: the given name written
    /// before each surname ("Hillary" before "Clinton"), by the surname lower-cased.
    headline_given: HashMap<String, String, FastBuild>,
    /// Names of two to four words by their first word, lower-cased; None where two names
    /// start with it.
    by_first: HashMap<String, Option<usize>, FastBuild>,
    /// The first token after the headline (the first paragraph).
    headline_end: usize,
}

/// The initials of a name's words, small words left out ("International Monetary Fund" →
/// "IMF"); None for a name of one word.
fn initials(words: &[String]) -> Option<String> {
    if words.len() < 2 {
        return None;
    }
    let small = |w: &str| ["of", "for", "and", "the", "on", "a", "&"].iter().any(|s| w.eq_ignore_ascii_case(s));
    let caps: String = words.iter().filter(|w| !small(w)).filter_map(|w| w.chars().next().filter(|c| c.is_uppercase())).collect();
    (caps.chars().count() >= 2).then_some(caps)
}

/// The letters of an acronym as written ("I.R.S." → "IRS"), if the word is one.
fn acronym(w: &str) -> Option<String> {
    let letters: String = w.chars().filter(|&c| c != '.').collect();
    (letters.chars().count() >= 2 && letters.chars().all(|c| c.is_ascii_uppercase())).then_some(letters)
}

/// Drops the capitalized words before a given name that opens a person's name of three words
/// or more ("Activist Jane Roe", "Miss Ohio Ann Lee", "Weary Tom
/// Clinton"); returns how many.
fn epithets(words: &mut Vec<String>) -> usize {
    let mut n = 0;
    while words.len() - n >= 3 && !given_names::is_given(&words[n]) && given_names::is_given(&words[n + 1]) {
        n += 1;
    }
    words.drain(..n);
    n
}

/// The same word, whatever the case or the apostrophe ("O’Neill", "O'Neill").
fn same_word(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.eq_ignore_ascii_case(b) || a.replace('’', "'").eq_ignore_ascii_case(&b.replace('’', "'"))
}

/// A name's word as looked up: lower case, one apostrophe ("o'neill" for "O’Neill").
fn name_key(w: &str) -> String {
    w.to_lowercase().replace('’', "'")
}

fn is_possessive(w: &str) -> bool {
    possessive_stripped(w).len() < w.len()
}

/// A capitalized plural is a kind of people: "Republicans", "Mexicans" ("boss" is not).
fn looks_plural(w: &str) -> bool {
    w.len() > 3 && w.ends_with('s') && !w.ends_with("ss")
}

fn possessive_stripped(w: &str) -> &str {
    w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w)
}

/// The name inside tokens `[a, b)`: the last run of capitalized words, titles and
/// sentence-initial function words dropped ("Finance Minister Jane Roe" → Jane Roe).
fn name_in(ctx: &Ctx, a: usize, b: usize) -> Option<Mention> {
    // Skip a trailing parenthesis: "Michael McCaul (R-TX)".
    let end = (a..b).find(|&k| ctx.punct_is(k, "(")).unwrap_or(b);
    // The runs of name words, left to right; the first that is a name wins.
    let joins = |i: usize| i + 1 < end && matches!(ctx.w(i), "for" | "of" | "on") && ctx.is_name_word(i + 1);
    let mut k = a;
    while k < end {
        if !ctx.is_name_word(k) {
            k += 1;
            continue;
        }
        let mut e = k + 1;
        while e < end {
            if ctx.is_name_word(e) || joins(e) {
                e += 1;
            } else if let Some(n) = name_goes_on(ctx, k, e, end) {
                e = n;
            } else {
                break;
            }
        }
        let next = (e..end).find(|&i| ctx.is_name_word(i)).unwrap_or(end);
        if let Some(m) = name_run(ctx, k, e, next) {
            // An organisation before a person's name is the person's affiliation: "Dayton police
            // Chief Jo Bloggs" is Jo Bloggs.
            if m.org && next < end {
                if let Some(p) = name_in(ctx, next, end).filter(|p| !p.org) {
                    return Some(p);
                }
            }
            return Some(m);
        }
        k = next;
    }
    None
}

/// Where the name `[k, e)` goes on past the word at `e` that is no name word: over particles
/// ("van der Meer"), a slash ("Reuters/Ipsos") or an organisation's preposition (`org_link`).
fn name_goes_on(ctx: &Ctx, k: usize, e: usize, end: usize) -> Option<usize> {
    ctx.after_particles(e, end).or_else(|| ctx.after_slash(e, end)).or_else(|| org_link(ctx, k, e, end))
}

/// Where an organisation's name goes on past a preposition and an article: "Committee for a
/// Responsible Budget", "Court of Appeals for the Sixth Circuit", "Alliance to Reclaim Our
/// Schools". `[k, e)` is the name so far, `e` the preposition; the next name word, if so.
/// Also past "and" into the words that end the name with an organisation's word
/// ("Securities and Exchange Commission", "House Oversight and Government Reform Committee"),
/// when what comes before is no whole name itself ("Senate and House", "Jo Roe and …").
fn org_link(ctx: &Ctx, k: usize, e: usize, end: usize) -> Option<usize> {
    let org_word = |i: usize| ctx.is(i, &ORG_WORDS) || ctx.is(i, &ORGANIZATION_HEADS);
    if ctx.w(e) == "and" {
        let rest = (e + 1..end).take_while(|&i| ctx.is_name_word(i)).last()?;
        let whole = org_word(e - 1) || given_names::is_given(ctx.w(k)) || given_names::is_surname(ctx.w(e - 1));
        return (!whole && org_word(rest) && rest - e <= 4).then_some(e + 1);
    }
    if !matches!(ctx.w(e), "for" | "of" | "on" | "to") || !(k..e).any(org_word) {
        return None;
    }
    let n = if e + 1 < end && matches!(ctx.w(e + 1), "the" | "a") { e + 2 } else { e + 1 };
    (n < end && ctx.is_name_word(n)).then_some(n)
}

/// The document head at token `i`, or after one adjective there ("a Post-ABC national poll").
fn document_at(ctx: &Ctx, i: usize, end: usize) -> Option<usize> {
    if i >= end {
        return None;
    }
    if ctx.is(i, &DOCUMENT_HEADS) {
        return Some(i);
    }
    let adjective = ctx.is_word(i) && !ctx.capitalized(i) && !ctx.is(i, &CLOSED_CLASS);
    (adjective && i + 1 < end && ctx.is(i + 1, &DOCUMENT_HEADS)).then_some(i + 1)
}

fn is_honorific(ctx: &Ctx, i: usize) -> bool {
    HONORIFICS.contains(&ctx.w(i).trim_end_matches('.'))
}

/// The "Mr." (or "Mr" and ".") just before token `k`.
fn honorific_before(ctx: &Ctx, k: usize) -> Option<usize> {
    k.checked_sub(if k >= 2 && ctx.punct_is(k - 1, ".") { 2 } else { 1 }).filter(|&i| is_honorific(ctx, i))
}

/// The name written as tokens `[k, last)`, with `[last, end)` what follows it up to the next
/// run of capitals.
fn name_run(ctx: &Ctx, k: usize, last: usize, end: usize) -> Option<Mention> {
    // A name followed by a common noun is a modifier: "the New York billionaire"; with an
    // organisation's head noun it names the organisation: "the Trump campaign". A verb, an
    // adverb or a time after it leaves it a name: "a speech Mrs. Clinton delivered", "Trump
    // quickly", "Sanders himself", "Broaddrick Sunday night".
    let org_head = (last < end && ctx.is(last, &ORGANIZATION_HEADS) && (last + 1..end).all(|i| !ctx.is_word(i)))
        .then(|| ctx.doc.token_text(last).to_string());
    // (In lower case: "Megyn Kelly Was Just Spotted" is a title-case headline, "Super
    // Tuesday" a name; a day after a surname is a time.)
    let surname = given_names::is_surname(ctx.w(k));
    let known = last - k == 1 && surname;
    let verb = |i: usize| {
        let w = ctx.w(i);
        w.ends_with("ed")
            || w.ends_with("ing")
            || !ctx.capitalized(i) && (ctx.is(i, &AUX_ADV) || ctx.is(i, &TIME_WORDS))
            || known && ctx.is(i, &TIME_WORDS)
    };
    // A document's maker: "a Quinnipiac University poll" speaks for the university.
    let document = org_head.is_none() && last < end && document_at(ctx, last, end).is_some();
    // … but a preposition after a name of two words, or one after "Mr.", leaves it a name:
    // "Mr. Morgan of the Sierra Club", "Trump in recent weeks" (not "Video of the rally").
    let honored = honorific_before(ctx, k).is_some() || surname;
    let named_before_preposition = |i: usize| ctx.is(i, &NP_INNER) && (last - k >= 2 || honored);
    if org_head.is_none() && !document && (last..end).find(|&i| ctx.is_word(i)).is_some_and(|i| !verb(i) && !named_before_preposition(i)) {
        return None;
    }
    // An organisation's name keeps its words ("Republican National Committee"); a person's
    // starts after the last title ("Senate Minority Leader Harry Reid").
    // … or ends with an organisation's head, no given name first ("Port Standards Board").
    let is_org = |a: usize, b: usize| {
        (a..b).any(|i| ctx.is(i, &ORG_WORDS)) || b - a >= 2 && ctx.is(b - 1, &ORGANIZATION_HEADS) && !given_names::is_given(ctx.w(a))
    };
    // Whether the name starts its sentence, where any word is capitalized.
    let initial = ctx.sentence_at(k).is_some_and(|s| (s.first_tok..k).all(|i| !ctx.is_word(i)));
    // After "Mr." or "Dr." comes a name, even one that is also a title: "Mr. King".
    if let Some(h) = (k..last).rev().find(|&i| is_honorific(ctx, i)).or(honorific_before(ctx, k)).filter(|&h| h + 1 < last) {
        // The name ends at its possessive: "Mr. Roe's RT appearance" is Mr. Roe.
        let last = (h + 1..last).find(|&i| is_possessive(ctx.doc.token_text(i))).map_or(last, |i| i + 1);
        let mut words: Vec<String> = (h + 1..last).map(|i| possessive_stripped(ctx.doc.token_text(i)).to_string()).collect();
        let start = h + 1 + epithets(&mut words);
        let titles = Vec::new();
        let gender = match ctx.w(h).trim_end_matches('.') {
            "mr" => Some(Gender::Male),
            "mrs" | "ms" | "miss" => Some(Gender::Female),
            _ => None,
        };
        return Some(Mention {
            at: k,
            span: (start, last),
            words,
            org: false,
            quoted: ctx.quoted_by[k].is_some(),
            initial,
            titles,
            gender,
            thing: false,
        });
    }
    let mut f = k;
    // Titles come before the name, not inside an organisation's: "Commission on Presidential
    // Debates" keeps "Presidential".
    let titled_to = (k..last).find(|&i| matches!(ctx.w(i), "for" | "of" | "on" | "to") && is_org(k, i)).unwrap_or(last);
    if let Some(t) = (k..titled_to).rev().find(|&i| ctx.is(i, &TITLES)) {
        if t + 1 < last && !is_org(t + 1, last) {
            f = t + 1;
        }
    }
    // An owner before the name is not part of it: "NBC’s Dante Chinni".
    if let Some(p) = (f..last - 1).rev().find(|&i| is_possessive(ctx.doc.token_text(i))) {
        f = p + 1;
    }
    let is_place =
        |a: usize, b: usize| places::lookup(&ctx.text((a, b)).to_lowercase()).is_some_and(|(kind, _)| kind != PlaceKind::Demonym);
    // A person "of" a place or a body is the person: "Elijah Cummings of Maryland", "Jo Roe
    // of Gawker" (a given name and a surname before "of").
    let full_name = |j: usize| j - f >= 2 && given_names::is_given(ctx.w(f));
    let last = match (f + 1..last).find(|&j| ctx.w(j) == "of") {
        Some(j) if !is_org(f, j) && last - j <= 4 && (is_place(j + 1, last) || full_name(j)) => j,
        _ => last,
    };
    let place = last - f <= 4 && is_place(f, last);
    // A one-word maker of a document is an organisation: "a Reuters survey".
    let org = is_org(f, last) || place || (document && last - f == 1);
    while last - f > 1 && ((!org && ctx.is(f, &TITLES)) || ctx.is(f, &NEVER_NAMES) || ctx.is(f, &DETERMINERS)) {
        f += 1;
    }
    while f < last && matches!(ctx.w(f), "for" | "of" | "on") {
        f += 1;
    }
    // A lone common noun capitalized at a sentence start is no name: "Lawmakers said".
    let common = |i: usize| {
        ctx.is(i, &UNNAMED_HEADS)
            || ctx.is(i, &ORGANIZATION_HEADS)
            || ctx.is(i, &NP_STOP)
            || ctx.is(i, &CLOSED_CLASS)
            || ctx.is(i, &NEVER_NAMES)
            || ctx.is(i, &DETERMINERS)
            || ctx.is(i, &DOCUMENT_HEADS)
            || [PERSON_HEADS, RELATION_HEADS].iter().any(|l| l.contains(&ctx.w(i)))
    };
    if f == last || (f..last).all(|i| ctx.is(i, &TITLES)) || (last - f == 1 && common(f) && (initial || !document)) {
        return None;
    }
    let mut words: Vec<String> = (f..last).map(|i| possessive_stripped(ctx.doc.token_text(i)).to_string()).collect();
    if document && initial && f == k && last - f == 1 {
        return None; // "Recent polls", "New data": an adjective, capitalized to start a sentence
    }
    // A document's maker is an organisation unless a person's name: "a Hillary Clinton ad".
    let org = org || org_head.is_some() || (document && (last - f == 1 || !given_names::is_given(&words[0])));
    if !org {
        f += epithets(&mut words);
    }
    let span = (f, if org_head.is_some() { last + 1 } else { last });
    // "Donald Trump’s campaign" is the Trump campaign: a person's surname before the head.
    let possessive = is_possessive(ctx.doc.token_text(last - 1));
    if org_head.is_some() && possessive && words.len() >= 2 && given_names::is_given(&words[0]) {
        words.drain(..words.len() - 1);
    }
    words.extend(org_head);
    // Titles: the capitalized ones inside the run, and lower-case ones just before it
    // ("attorney general Eric Schneiderman").
    let mut t0 = k;
    while t0 > 0 && k - t0 < 4 && ctx.is(t0 - 1, &TITLES) {
        t0 -= 1;
    }
    let titles = (t0..f).filter(|&i| ctx.is(i, &TITLES)).map(|i| title_word(ctx.w(i)).to_string()).collect();
    let n = ctx.lower.len();
    let next = span.1;
    let in_place = next + 1 < n
        && ctx.punct_is(next, ",")
        && [2, 3].iter().filter(|&&l| next + l <= n).any(|&l| {
            places::lookup(&ctx.text((next + 1, next + l)).to_lowercase())
                .is_some_and(|(kind, _)| matches!(kind, PlaceKind::State | PlaceKind::Country))
        });
    let people_after = next < n && GROUP_PLURALS.contains(&ctx.w(next));
    let thing = k > 0 && ctx.w(k - 1) == "the" || in_place || people_after;
    Some(Mention { at: k, span, words, org, quoted: ctx.quoted_by[k].is_some(), initial, titles, gender: None, thing })
}

impl Names {
    pub fn new(ctx: &Ctx) -> Names {
        let mut found = Vec::new();
        // A headline in title case: its capitals are no names.
        let title_case = ctx.title_case_end > 0;
        let mut headline_given: HashMap<String, String, FastBuild> = HashMap::default();
        for s in ctx.doc.layers.sentences.iter().filter(|s| s.paragraph == 0 && title_case) {
            for k in s.first_tok..s.end_tok.saturating_sub(1) {
                if ctx.is_word(k + 1) && ctx.capitalized(k + 1) && given_names::is_given(ctx.w(k)) {
                    headline_given.insert(name_key(possessive_stripped(ctx.w(k + 1))), ctx.doc.token_text(k).to_string());
                }
            }
        }
        for s in ctx.doc.layers.sentences.iter().filter(|s| s.paragraph > 0 || !title_case) {
            let mut k = s.first_tok;
            while k < s.end_tok {
                if !ctx.is_name_word(k) {
                    k += 1;
                    continue;
                }
                let mut e = k + 1;
                while e < s.end_tok {
                    if ctx.is_name_word(e) {
                        e += 1;
                    } else if let Some(n) = name_goes_on(ctx, k, e, s.end_tok) {
                        e = n;
                    } else {
                        break;
                    }
                }
                found.extend(name_in(ctx, k, e));
                k = e;
            }
        }
        // At a sentence start any word is capitalized: a first word that the article also
        // writes in lower case is no part of the name ("Rival Hillary Clinton"). Only the
        // words of such mentions are looked up in the text.
        let asked: HashSet<u64, PassThroughBuild> =
            found.iter().filter(|m| m.initial).flat_map(|m| m.span.0..m.span.1).map(|i| ctx.hashes[i]).collect();
        let lower_seen: HashSet<u64, PassThroughBuild> = if asked.is_empty() {
            HashSet::default()
        } else {
            (0..ctx.lower.len())
                .filter(|&i| !ctx.capitalized(i) && ctx.is_word(i) && asked.contains(&ctx.hashes[i]))
                .map(|i| ctx.hashes[i])
                .collect()
        };
        // A lone capital at a sentence start ("Enraged, …", "According to …") is a name only if
        // the article also capitalizes it elsewhere or it is a given name.
        let capital_seen: HashSet<u64, PassThroughBuild> =
            found.iter().filter(|m| !m.initial).flat_map(|m| m.span.0..m.span.1).map(|i| ctx.hashes[i]).collect();
        let mut mentions = Vec::with_capacity(found.len());
        for m in found {
            let mut m = Names::proper_form(m);
            while m.initial && !m.org && m.words.len() > 1 && lower_seen.contains(&ctx.hashes[m.span.0]) {
                m.words.remove(0);
                m.span.0 += 1;
            }
            let lone = m.initial && m.words.len() == 1;
            // "A Bloomberg poll": a document's maker after the article.
            let maker = || m.span.0 > 0 && ctx.is(m.span.0 - 1, &DETERMINERS) && document_at(ctx, m.span.1, ctx.lower.len()).is_some();
            // A given name that is also a word ("True to his style", "Hope for peace") is a name
            // only before a verb or a name, not before a preposition.
            let given = || {
                given_names::is_given(&m.words[0])
                    && !(m.span.1 < ctx.lower.len()
                        && matches!(
                            ctx.w(m.span.1),
                            "to" | "of" | "in" | "for" | "on" | "at" | "with" | "from" | "by" | "and" | "or" | "as" | "than"
                        ))
            };
            let known = || capital_seen.contains(&ctx.hashes[m.span.0]) || given() || maker();
            if !(lone && (lower_seen.contains(&ctx.hashes[m.span.0]) || ctx.w(m.span.0).ends_with("ly") || !known())) {
                mentions.push(m);
            }
        }
        // One entry per distinct form (its first mention), so lookups cost the number of forms
        // of a name, not the number of times it is written.
        let mut by_key: HashMap<String, Vec<usize>, FastBuild> = HashMap::default();
        for (i, m) in mentions.iter().enumerate() {
            if !m.quoted {
                let forms = by_key.entry(m.key()).or_default();
                // A bounded number of forms per surname keeps a pathological article linear.
                if forms.len() < 64 && !forms.iter().any(|&f| mentions[f].words == m.words) {
                    forms.push(i);
                }
            }
        }
        let mut by_initials = HashMap::default();
        for (i, m) in mentions.iter().enumerate() {
            if let Some(ini) = initials(&m.words) {
                by_initials.entry(ini).or_insert(i);
            }
        }
        let mut by_first: HashMap<String, Option<usize>, FastBuild> = HashMap::default();
        // (Not a joint maker: "Reuters" is not "Reuters/Ipsos".)
        for (i, m) in
            mentions.iter().enumerate().filter(|(_, m)| !m.quoted && (2..=4).contains(&m.words.len()) && !m.words.iter().any(|w| w == "/"))
        {
            let slot = by_first.entry(name_key(&m.words[0])).or_insert(Some(i));
            if slot.is_some_and(|j| mentions[j].words != m.words) {
                *slot = None;
            }
        }
        // Paragraphs as token ranges, to find signatures and a closing biography.
        let paragraphs = paragraph_toks(ctx);
        let opening = |p: Toks| {
            let j = mentions.partition_point(|m| m.at < p.0);
            mentions.get(j).filter(|m| m.span.0 == p.0 && is_person(m) && m.words.len() >= 2).map(|_| j)
        };
        let signatures = paragraphs
            .iter()
            .filter_map(|&p| opening(p).filter(|&j| (p.0..p.1).filter(|&i| ctx.is_word(i)).count() == mentions[j].words.len()))
            .collect();
        // "Jo Roe is …", "Rep. Jo Roe, D-Ariz., chairs …", "Jo Roe, a law professor, is …":
        // a short last paragraph opening with a person's name (after a title) and saying who.
        let biography = paragraphs.last().filter(|p| p.1 - p.0 <= 80).and_then(|&p| {
            let j = mentions.partition_point(|m| m.at < p.0);
            let m = mentions.get(j).filter(|m| is_person(m) && m.words.len() >= 2)?;
            let titled = (p.0..m.span.0).all(|i| ctx.is(i, &TITLES) || ctx.punct_is(i, "."));
            let after = m.span.1;
            let says_who = after < ctx.lower.len()
                && (ctx.punct_is(after, ",")
                    || matches!(
                        ctx.w(after),
                        "is" | "was" | "writes" | "has" | "serves" | "chairs" | "represents" | "teaches" | "directs" | "leads" | "heads"
                    ));
            (titled && says_who).then_some(j)
        });
        let headline_end = paragraphs.first().map_or(0, |p| p.1);
        Names { mentions, by_key, by_initials, headline_given, by_first, signatures, biography, headline_end }
    }

    /// The fullest form the article gives of a name: the longest mention outside quotations
    /// that ends with the same words ("McCaul" → "Michael McCaul"; "Gary Johnson" stays).
    fn fullest(&self, m: &Mention) -> Mention {
        let core = &m.words[..m.core_len()];
        let ends_with = |full: &Mention| {
            let fc = &full.words[..full.core_len()];
            fc.len() >= core.len() && fc[fc.len() - core.len()..].iter().zip(core).all(|(a, b)| same_word(a, b))
        };
        let full = self
            .by_key
            .get(&m.key())
            .and_then(|ids| {
                // A person's fuller form has no organisation's words before the name ("Washington
                // Post Trump" is the Post's Trump, not Donald Trump).
                let orgless = |f: &Mention| {
                    m.org
                        || f.words[..f.words.len() - m.words.len().min(f.words.len())]
                            .iter()
                            .all(|w| !ORG_WORDS.has(&w.to_lowercase()) && !ORGANIZATION_HEADS.has(&w.to_lowercase()))
                };
                // "Mr. Obama" is not "Michelle Obama".
                let same_gender =
                    |f: &Mention| m.gender.is_none_or(|g| f.words.first().and_then(|w| given_names::gender(w)).is_none_or(|fg| fg == g));
                // "Derelict Obama" opening a headline: a capital only the headline's start gives,
                // neither given name nor surname, is no part of a person's name.
                let capitalized_only = |f: &Mention| {
                    f.initial
                        && f.at < self.headline_end
                        && !f.org
                        && f.words.len() > m.words.len()
                        && !given_names::is_given(&f.words[0])
                        && !given_names::is_surname(&f.words[0])
                };
                ids.iter()
                    .map(|&i| &self.mentions[i])
                    .filter(|f| ends_with(f) && orgless(f) && same_gender(f) && !capitalized_only(f))
                    // As written in running text rather than in capitals ("JANE ROE" in a
                    // headline or transcript), else as first written.
                    .max_by_key(|f| (f.words.len(), f.words.iter().any(|w| w.chars().any(char::is_lowercase)), std::cmp::Reverse(f.at)))
            })
            .filter(|f| f.words.len() > 1 || m.words.len() > 1)
            .or_else(|| {
                // "the IMF": the name the article spells out.
                let ac = m.words.first().filter(|_| m.words.len() == 1).and_then(|w| acronym(w))?;
                self.by_initials.get(&ac).map(|&i| &self.mentions[i])
            })
            .or_else(|| {
                // "Acme" for "Acme Energy", "Kim" for "Kim Min-jun", "Jane" for
                // "Jane Roe": the one longer name the article starts with that word.
                let w = m.words.first().filter(|_| m.words.len() == 1)?;
                self.by_first.get(&name_key(w)).and_then(|&i| i).map(|i| &self.mentions[i])
            })
            .map_or_else(
                || {
                    // A surname the body never writes in full: the title-case headline may
                    // ("Jane Roe Takes On …").
                    let given = (m.words.len() == 1 && !m.org).then(|| self.headline_given.get(&m.key())).flatten();
                    match given {
                        Some(g) => Mention { words: vec![g.clone(), m.words[0].clone()], ..m.clone() },
                        None => m.clone(),
                    }
                },
                // What an acronym stands for is an organisation ("RT" → "Russia Today").
                |f| {
                    let spelled_out = m.words.len() == 1 && acronym(&m.words[0]).is_some_and(|a| initials(&f.words) == Some(a));
                    Mention { org: f.org || m.org || spelled_out, ..f.clone() }
                },
            );
        Names::proper_form(full)
    }

    /// A person's name in its proper form: what is glued before a given name that starts
    /// its last two or three words goes ("Washington Managing Editor Bill Sammon", "Eagles QB
    /// Jo Roe", "Canada Jo Roe", a title-case headline run ending in "… Donald Trump"), when
    /// what goes holds a role, function words in capitals, or is a place, or two words or more
    /// none of which is a given name ("Mary Kay Henry" stays).
    fn proper_form(m: Mention) -> Mention {
        let m = Names::without_glued_place(m);
        let n = m.core_len();
        if n < 3 {
            return m;
        }
        let role = |w: &String| {
            let w = w.to_lowercase();
            ROLE_HEADS.contains(&title_word(&w)) || TITLES.has(&w) || AFFILIATED_HEADS.contains(&w.as_str())
        };
        let cut = (1..n - 1).rev().filter(|&i| given_names::is_given(&m.words[i])).find(|&i| {
            let before = &m.words[..i];
            // An organisation's name keeps its words, but for a person named after its role
            // ("NBC News Senior Correspondent Cynthia McFadden").
            if m.org {
                return role(&before[i - 1]);
            }
            let plain = || !before.iter().any(|w| given_names::is_given(w) || NAME_PARTICLES.has(&w.to_lowercase()));
            // Function words written in capitals: a title-case headline run ("Will Not Allow
            // People To Die On The Street Donald Trump").
            let headline_run = || {
                before[1..].iter().any(|w| {
                    CLOSED_CLASS.has(&w.to_lowercase()) || matches!(w.as_str(), "To" | "On" | "Of" | "In" | "At" | "A" | "An" | "By")
                })
            };
            before.iter().any(role) || headline_run() || plain() && (i >= 2 || is_place(&before[0]))
        });
        match cut {
            Some(i) => Mention { words: m.words[i..].to_vec(), org: false, ..m },
            None => m,
        }
    }

    /// A person's name without a function word opening its sentence or a place glued before
    /// a surname: "In New Hampshire Sanders", "Wisconsin Trump", "Maybe Acme" → "Sanders",
    /// "Trump", "Acme".
    fn without_glued_place(mut m: Mention) -> Mention {
        if m.org {
            return m;
        }
        let n = m.core_len();
        // (Not a given name: "Will Rogers", "Douglas Schoen"; nor a place's whole name: "British
        // Columbia".)
        let given = |w: &String| given_names::is_given(w);
        let function_word = |w: &String| {
            let w = w.to_lowercase();
            [&CLOSED_CLASS, &NEVER_NAMES, &DETERMINERS, &NP_INNER].iter().any(|set| set.has(&w))
                || matches!(w.as_str(), "on" | "to" | "by" | "maybe" | "perhaps" | "whatever")
        };
        let closed = m.words[..n.saturating_sub(1)].iter().take_while(|w| function_word(w) && !given(w)).count();
        let rest = &m.words[closed..n];
        let town = |ws: &[String]| places::lookup(&ws.join(" ").to_lowercase()).is_some_and(|(kind, _)| kind != PlaceKind::Demonym);
        let place = (1..rest.len().min(4))
            .rev()
            .find(|&i| !given(&rest[0]) && town(&rest[..i]) && !town(rest) && (given_names::is_surname(&rest[i]) || given(&rest[i])))
            .unwrap_or(0);
        let cut = closed + place;
        if cut > 0 {
            m.words.drain(..cut);
        }
        m
    }

    /// "Rival Hillary Clinton said", "Weary Smith and …": a capital that only starts the
    /// sentence, before a name the article writes without it, goes.
    fn without_initial_word(&self, m: Mention) -> Mention {
        let strippable = m.words.len() >= 3 || m.words.len() == 2 && !given_names::is_given(&m.words[0]);
        if m.initial && strippable {
            self.written_without_first(&m).unwrap_or(m)
        } else {
            m
        }
    }

    /// The name without its first word, if the article also writes it so ("Hillary Clinton"
    /// for "Rival Hillary Clinton" at a sentence start).
    fn written_without_first(&self, m: &Mention) -> Option<Mention> {
        let rest = &m.words[1..];
        let ids = self.by_key.get(&m.key())?;
        ids.iter().map(|&i| &self.mentions[i]).find(|f| !f.initial && f.words == rest).cloned()
    }

    /// The mentions before token `at`, nearest first: the few hundred names a pronoun or a
    /// description reaches back over, no further.
    fn recent(&self, at: usize) -> impl Iterator<Item = &Mention> {
        let k = self.mentions.partition_point(|m| m.at < at);
        self.mentions[k.saturating_sub(REACH)..k].iter().rev()
    }

    /// The mentions from token `at` on, as many as [`Names::recent`] reaches back.
    fn coming(&self, at: usize) -> impl Iterator<Item = &Mention> {
        let k = self.mentions.partition_point(|m| m.at < at);
        self.mentions[k..(k + REACH).min(self.mentions.len())].iter()
    }

    /// The last person named before token `at` whom `pronoun` ("he", "she") can mean.
    fn last_person_fitting(&self, at: usize, pronoun: &str) -> Option<Mention> {
        // Surely a person first (a given name, "Mr.", a title), then any capital that may be.
        let mut maybe = None;
        for m in self.recent(at).filter(|m| is_person(m)).map(|m| self.fullest(m)) {
            if !gender_fits(self, &m.text(), pronoun) {
                continue;
            }
            if surely_person(&m) {
                return Some(m);
            }
            maybe = maybe.or(Some(m));
        }
        maybe
    }

    /// The first person named in the sentence before the one holding token `at`, when that
    /// sentence names exactly one person: whom a "he" that follows most likely means.
    fn subject_of_previous_sentence(&self, ctx: &Ctx, at: usize) -> Option<Mention> {
        let prev = previous_sentence(ctx, at)?;
        let lo = self.mentions.partition_point(|m| m.at < prev.first_tok);
        let hi = self.mentions.partition_point(|m| m.at < prev.end_tok);
        let people: Vec<&Mention> = self.mentions[lo..hi].iter().filter(|m| is_person(m) && !m.quoted).collect();
        let first = people.first()?;
        people.iter().all(|m| self.fullest(m).words == self.fullest(first).words).then(|| self.fullest(first))
    }

    /// The person whose name opens the sentence before the one holding token `at` ("Jo
    /// Bloggs says … . The Ohio governor said …").
    fn opening_previous_sentence(&self, ctx: &Ctx, at: usize) -> Option<Mention> {
        let prev = previous_sentence(ctx, at)?;
        let k = self.mentions.partition_point(|m| m.at < prev.first_tok);
        self.mentions.get(k).filter(|m| m.span.0 <= prev.first_tok + 1 && is_person(m) && !m.quoted).map(|m| self.fullest(m))
    }

    /// The person a sentence before the one holding token `at` opens with by title ("The
    /// president's roots … . He told …", "In defeat, the president …"): whom the article gives
    /// that title.
    fn titled_previous_sentence(&self, ctx: &Ctx, at: usize) -> Option<Mention> {
        let prev = previous_sentence(ctx, at)?;
        // At its start or after an opening phrase: "In defeat, the president appeared cowed."
        let after_opening = (prev.first_tok..prev.end_tok.min(prev.first_tok + 6)).find(|&k| ctx.punct_is(k, ",")).map(|c| c + 1);
        let f = [Some(prev.first_tok), after_opening].into_iter().flatten().find(|&f| f + 1 < prev.end_tok && ctx.w(f) == "the")?;
        let h = (f + 1..prev.end_tok.min(f + 4)).find(|&k| ROLE_HEADS.contains(&title_word(possessive_stripped(ctx.w(k)))))?;
        let vice = (f + 1..h).any(|k| matches!(ctx.w(k), "vice" | "deputy"));
        self.by_title(Some(title_word(possessive_stripped(ctx.w(h)))), vice, None, at)
    }

    /// Who writes the text at token `at`: the signature after it on a letters page, else the
    /// person the closing biography names, else the page's one author.
    fn author_at(&self, ctx: &Ctx, at: usize) -> Option<String> {
        let k = self.signatures.partition_point(|&i| self.mentions[i].at < at);
        self.signatures
            .get(k)
            .or(self.biography.as_ref())
            .map(|&i| self.fullest(&self.mentions[i]).text())
            .or_else(|| (ctx.doc.meta.authors.len() == 1).then(|| ctx.doc.meta.authors[0].clone()))
    }

    /// The last organisation named before token `at` that is not a place: what "it" means
    /// more often than a country or city does.
    fn last_org_not_place(&self, at: usize) -> Option<Mention> {
        self.recent(at).map(|m| self.fullest(m)).find(|m| m.org && !is_place(&m.text()))
    }

    /// The last organisation named before token `at` with `word` among its words.
    /// Or a name written before that word: "Dayton police", "the Roe campaign" (a person's
    /// surname then). `new`: the description brings it in ("A federal appeals court ruled"):
    /// the first named after comes first.
    fn last_org_with(&self, ctx: &Ctx, word: &str, at: usize, new: bool) -> Option<Mention> {
        let with = |m: &Mention| {
            if m.org && m.words.iter().any(|w| w.eq_ignore_ascii_case(word)) {
                return Some(self.fullest(m));
            }
            let n = ctx.lower.len();
            let next = m.span.1;
            let next = match document_at(ctx, next, n) {
                Some(d) if ctx.w(d) == word => d,
                _ => next,
            };
            if next >= n || ctx.w(next) != word || ctx.capitalized(next) {
                return None;
            }
            if ctx.is(next, &DOCUMENT_HEADS) {
                // "a New York Times article", "a Bloomberg poll": the maker's, when no person.
                let f = self.fullest(m);
                return (f.org || !surely_person(&f)).then_some(Mention { org: true, ..f });
            }
            let owner = if m.org { m.words.clone() } else { vec![m.key_as_written()] };
            Some(Mention { words: owner.into_iter().chain([word.to_string()]).collect(), org: true, ..m.clone() })
        };
        // Else the first named after: "Police say …" before "the Dayton police chief".
        if new {
            self.coming(at).find_map(with).or_else(|| self.recent(at).find_map(with))
        } else {
            self.recent(at).find_map(with).or_else(|| self.coming(at).find_map(with))
        }
    }

    /// The person the article gives the title `head` nearest to token `at`: before it, else
    /// a little after ("the attorney general" → "Attorney General Eric Schneiderman").
    /// `vice`: the description says "vice" or "deputy", as the title must then too ("the
    /// president" is not Vice President Biden).
    /// `party`: the description names a party ("the Republican nominee"), as the titles must
    /// then too ("Republican Jo Roe"); `head` None: the party alone decides, for a name that
    /// opens with a given name ("Republican National Convention" is none).
    fn by_title(&self, head: Option<&str>, vice: bool, party: Option<&str>, at: usize) -> Option<Mention> {
        let k = self.mentions.partition_point(|m| m.at < at);
        let deputy = |m: &Mention| m.titles.iter().any(|t| t == "vice" || t == "deputy");
        let titled = |m: &&Mention| {
            !m.org
                && !m.quoted
                && head.map_or_else(|| given_names::is_given(&m.words[0]), |h| m.titles.iter().any(|t| t == h))
                && deputy(m) == vice
                && party.is_none_or(|p| m.titles.iter().any(|t| party_of(t) == Some(p)))
        };
        let before = self.recent(at).find(titled);
        let after = || self.mentions[k..].iter().take_while(|m| m.at - at < 200).find(titled);
        before.or_else(after).map(|m| self.fullest(m))
    }

    /// The person a description in a lead stands for, named only after it ("A former party
    /// chairman says … . \n\n Jo Bloggs said …"): the first person surely named after the
    /// sentence holding token `at`, up to the end of the next paragraph, as the source of a
    /// statement (`sources`, sorted) or opening a sentence (not inside what is said), whom
    /// nothing before that sentence names.
    fn named_next(&self, ctx: &Ctx, at: usize, sources: &[Toks]) -> Option<Mention> {
        let in_source = |m: &Mention| {
            let k = m.span.1 - 1;
            sources.partition_point(|s| s.0 <= k).checked_sub(1).is_some_and(|i| k < sources[i].1)
        };
        let s = ctx.sentence_at(at)?;
        let paragraph = |at: usize| ctx.sentence_at(at).map_or(usize::MAX, |s| s.paragraph);
        let m = self
            .coming(s.end_tok)
            // From a headline, over the lead too: the name often comes in the second paragraph.
            .take_while(|m| paragraph(m.at) <= s.paragraph + if s.paragraph == 0 { 2 } else { 1 })
            .find(|m| is_person(m) && !m.quoted && surely_person(m) && (m.initial || in_source(m)))?;
        let named_before = self.by_key.get(&m.key()).is_some_and(|ids| ids.iter().any(|&i| self.mentions[i].at < s.first_tok));
        (!named_before).then(|| self.fullest(m))
    }

    /// The last person named before token `at` who is surely one (a given name, "Mr.", a
    /// title): "Avon" in "towns, including Avon" is none.
    fn last_person_named(&self, at: usize) -> Option<Mention> {
        self.recent(at).filter(|m| is_person(m)).map(|m| self.fullest(m)).find(surely_person)
    }
}

fn named(m: Mention) -> Speaker {
    named_titled(m, false)
}

/// `titled`: the source gives the name a title ("Chief Justice Roberts"): a person, whatever
/// the name looks like.
fn named_titled(m: Mention, titled: bool) -> Speaker {
    // A capitalized plural is a kind of people, not somebody: "Republicans", "Mexicans",
    // "Democrats on Capitol Hill".
    let group_noun = !titled
        && !m.org
        && looks_plural(&m.words[0])
        && !given_names::is_surname(&m.words[0])
        && (m.words.len() == 1 || matches!(m.words[1].as_str(), "on" | "of" | "in" | "for"));
    if group_noun {
        return unnamed();
    }
    let name = m.text();
    // What kind of speaker a name is, where the name itself says: a country, capital, state
    // or region speaks as an organisation ("Britain said", "Washington insists"); a demonym
    // or a month is nobody ("Irish", "January"); a word in capitals, an acronym ("IBM",
    // "BT"), is an organisation.
    let one = m.words.len() == 1 && !titled && m.gender.is_none();
    let place = places::lookup(&name.to_lowercase()).map(|(kind, _)| kind);
    if one && (place == Some(PlaceKind::Demonym) || MONTHS.has(&name.to_lowercase())) {
        return unnamed();
    }
    let acronym = one && name.chars().filter(|c| c.is_uppercase()).count() >= 2 && !name.chars().any(char::is_lowercase);
    // (Not "Jordan", "Jackson", "Lincoln": places that are also people's names, but for
    // countries only given names; nor "WALLACE" heading a transcript's line.)
    let surname = given_names::is_surname(&name.to_lowercase()) && place != Some(PlaceKind::Country);
    let personal = one && (surname || given_names::is_given(&name));
    let org = m.org || !titled && !personal && (matches!(place, Some(kind) if kind != PlaceKind::Demonym) || acronym);
    Speaker::new(Some(name), if org { SpeakerKind::Organization } else { SpeakerKind::Person })
}

fn unnamed() -> Speaker {
    Speaker::new(None, SpeakerKind::Unnamed)
}

/// The rules' answer for each source (token ranges, in text order): one candidate of the
/// learned decision ([`decide`]).
pub fn resolve(ctx: &Ctx, names: &Names, sources: &[Option<Toks>]) -> Vec<Option<Speaker>> {
    let mut out: Vec<Option<Speaker>> = Vec::with_capacity(sources.len());
    let mut spans: Vec<Toks> = sources.iter().flatten().copied().collect();
    spans.sort_unstable();
    let mut last_person: Option<(usize, Speaker)> = None;
    let mut last_other: Option<(usize, Speaker)> = None;
    for src in sources {
        let Some((a, b)) = *src else {
            out.push(None);
            continue;
        };
        let head = ctx.w(b - 1);
        let sp = if b - a == 1 && PRONOUNS.has(head) {
            match head {
                // The person just quoted; else the one person the sentence before names; else
                // the person quoted a little further back; else the last person named.
                "he" | "she" => {
                    // Nobody whose given name says otherwise: "she" is not "Donald Trump".
                    let fits = |s: &Speaker| s.name.as_deref().is_none_or(|n| gender_fits(names, n, head));
                    names
                        .titled_previous_sentence(ctx, a)
                        .map(named)
                        .filter(fits)
                        .or_else(|| last_person.as_ref().filter(|(at, s)| a.abs_diff(*at) < 60 && fits(s)).map(|(_, s)| s.clone()))
                        .or_else(|| names.subject_of_previous_sentence(ctx, a).map(named).filter(fits))
                        .or_else(|| names.opening_previous_sentence(ctx, a).map(named).filter(fits))
                        .or_else(|| last_person.as_ref().filter(|(at, s)| a.abs_diff(*at) < 400 && fits(s)).map(|(_, s)| s.clone()))
                        .or_else(|| names.last_person_fitting(a, head).map(named))
                }
                "i" | "we" => Some(Speaker::new(names.author_at(ctx, a), SpeakerKind::Author)),
                // Whoever is addressed: the article does not say.
                "you" => Some(unnamed()),
                "who" => resolve_who(ctx, names, &spans, a),
                // "the Saudi government, which …": an organisation or a document; "programming,
                // which …" is a thing.
                "which" => {
                    let speaks =
                        |(_, e): Toks| ctx.capitalized(e - 1) || ctx.is(e - 1, &ORGANIZATION_HEADS) || ctx.is(e - 1, &DOCUMENT_HEADS);
                    resolve_one(ctx, names, &spans, a, antecedent(ctx, a).filter(|&np| speaks(np)), None)
                }
                // "They" is mostly people unnamed (PolNeAR dev: 17 unnamed, 9 groups, 5
                // organisations): a group just quoted, else unnamed. "It" is an organisation.
                "they" => last_other
                    .as_ref()
                    .filter(|(at, s)| s.kind == SpeakerKind::Group && a.abs_diff(*at) < 400)
                    .map(|(_, s)| s.clone())
                    .or_else(|| opening_pair(ctx, a).and_then(|np| resolve_one(ctx, names, &spans, a, Some(np), None)))
                    .filter(|s| s.kind == SpeakerKind::Group || s.kind == SpeakerKind::Unnamed),
                _ => last_other
                    .as_ref()
                    .map(|(_, s)| s.clone())
                    .filter(|s| s.name.as_deref().is_none_or(|n| !is_place(n)))
                    .or_else(|| names.last_org_not_place(a).map(named))
                    .or_else(|| last_other.as_ref().map(|(_, s)| s.clone())),
            }
        } else {
            // The person just quoted, for a description that names nobody ("the senator").
            let quoted = last_person.as_ref().filter(|(at, _)| a.abs_diff(*at) < 200).map(|(_, s)| s);
            resolve_one(ctx, names, &spans, a, Some((a, b)), quoted)
        };
        if let Some(s) = &sp {
            match s.kind {
                SpeakerKind::Person => last_person = Some((a, s.clone())),
                SpeakerKind::Organization | SpeakerKind::Group => last_other = Some((a, s.clone())),
                _ => {}
            }
        }
        out.push(sp.or_else(|| Some(unnamed())));
    }
    out
}

/// The person named just before a source that only describes somebody ("Michael Mulgrew,
/// [president of the teachers' union]", "Angelique Brunner, a Washington-based [spokeswoman]").
/// `role`: the description must hold a title or role word; not so for a place the person is
/// from ("Jo Roe, of [Springfield, Va.]").
fn apposed_name(ctx: &Ctx, names: &Names, a: usize, b: usize, role: bool) -> Option<Mention> {
    // The description has a title or role word and is no kind of people.
    let titled = || (a..b).any(|k| ctx.is(k, &TITLES) || ROLE_HEADS.contains(&title_word(ctx.w(k))));
    if role && !titled() || (a..b).any(|k| ctx.is(k, &UNNAMED_HEADS) && looks_plural(ctx.w(k))) {
        return None;
    }
    let comma = (a.saturating_sub(5)..a).rev().find(|&k| ctx.punct_is(k, ","))?;
    if (comma + 1..a).any(|k| !ctx.is_word(k)) {
        return None;
    }
    // Within the sentence: "… said Hester. Michael Mulgrew, president of …" is Mulgrew.
    let first = ctx.sentence_at(comma).map_or(0, |s| s.first_tok);
    let start = (comma.saturating_sub(5).max(first)..comma).find(|&k| (k..comma).all(|i| ctx.is_name_word(i) || ctx.punct_is(i, ".")))?;
    name_in(ctx, start, comma).filter(|m| !m.org && names.fullest(m).words.len() >= 2)
}

/// "Jo Roe and Ann Lee met … . They said …": the two names that open the sentence before the
/// one holding token `at`.
fn opening_pair(ctx: &Ctx, at: usize) -> Option<Toks> {
    let prev = previous_sentence(ctx, at)?;
    let f = prev.first_tok;
    let end = prev.end_tok.min(f + 12);
    let and = (f + 1..end).find(|&k| ctx.w(k) == "and")?;
    let names_to = |a: usize| (a..end).take_while(|&k| ctx.is_name_word(k) || ctx.punct_is(k, ".")).last().map(|k| k + 1);
    let first_end = names_to(f)?;
    let second_end = names_to(and + 1)?;
    (first_end == and).then_some((f, second_end))
}

/// "Jane Roe, who …", "the study -- which …", "it was Obama who": the noun phrase before
/// "who", after a comma or not.
fn antecedent(ctx: &Ctx, who: usize) -> Option<Toks> {
    let comma = who.checked_sub(1).filter(|&c| [",", "--", "—", "–"].iter().any(|p| ctx.punct_is(c, p))).unwrap_or(who);
    let mut k = comma;
    // Not past the word that ends the clause before: "said to [the Republican nominee for
    // president], who …", "Jo Roe was [a star anchor] who".
    while k > 0
        && ctx.is_word(k - 1)
        && comma - k < 8
        && !ctx.is(k - 1, &AUX_ADV)
        && !matches!(ctx.w(k - 1), "to" | "said" | "says" | "told" | "with" | "by" | "from" | "and" | "but" | "as" | "than")
    {
        k -= 1;
    }
    (k < comma).then_some((k, comma))
}

/// Whom "who" stands for: its antecedent resolved; for a description that names nobody, the
/// name it stands in apposition to ("Harlan Crow, [a Texas real estate developer], who").
fn resolve_who(ctx: &Ctx, names: &Names, sources: &[Toks], at: usize) -> Option<Speaker> {
    let np = antecedent(ctx, at);
    let sp = resolve_one(ctx, names, sources, at, np, None);
    match np {
        Some((a, b)) if sp.as_ref().is_none_or(|s| s.kind == SpeakerKind::Unnamed) && !ctx.is_name_word(a) => {
            apposed_name(ctx, names, a, b, false).map(|m| named(names.fullest(&m))).or(sp)
        }
        _ => sp,
    }
}

/// `sources`: every statement's source, sorted; `quoted`: the person just quoted, for a
/// description that names nobody.
fn resolve_one(ctx: &Ctx, names: &Names, sources: &[Toks], at: usize, src: Option<Toks>, quoted: Option<&Speaker>) -> Option<Speaker> {
    let (a, b) = src?;
    // The head of the phrase, before an apposition; the apposition if the head has no name.
    let comma = (a..b).find(|&k| ctx.punct_is(k, ","));
    let parts = match comma {
        Some(c) => vec![(a, c), (c + 1, b)],
        None => vec![(a, b)],
    };
    // "Michael Mulgrew, [president of the union]": a description, starting in lower case,
    // found without the name it stands in apposition to.
    if !ctx.is_name_word(a) {
        if let Some(m) = apposed_name(ctx, names, a, b, true) {
            // The role stops before a clause about it: "president of the union[, which …]".
            let end = (a..b).find(|&k| ctx.punct_is(k, ",")).unwrap_or(b);
            return Some(Speaker { role: Some(ctx.text((a, end)).to_string()), ..named(names.fullest(&m)) });
        }
    }
    let from_place = a > 0 && ctx.w(a - 1) == "of" && name_in(ctx, a, b).is_some_and(|m| m.thing || is_place(&m.text()));
    if let Some(m) = apposed_name(ctx, names, a, b, false).filter(|_| from_place) {
        return Some(named(names.fullest(&m)));
    }
    // "Obama and Clinton": a group of the named, also when the source found is only the
    // second ("Sen. Charles E. Grassley (R-Iowa) and [Patrick J. Leahy] said").
    let and_before = a.checked_sub(1).filter(|&k| ctx.w(k) == "and").map(|and| {
        let mut s = and;
        if s > 0 && ctx.punct_is(s - 1, ")") {
            s = (s.saturating_sub(8)..s - 1).rev().find(|&k| ctx.punct_is(k, "(")).unwrap_or(s);
        }
        let first = (s.saturating_sub(6)..s).find(|&k| (k..s).all(|i| ctx.is_name_word(i) || ctx.punct_is(i, "."))).unwrap_or(s);
        (first, and)
    });
    // … but "and" inside one organisation's name makes no group ("Securities and Exchange
    // Commission").
    let one_org = || name_in(ctx, a, parts[0].1).is_some_and(|m| m.org && m.words.iter().any(|w| w == "and"));
    let group = match (a..parts[0].1).find(|&k| ctx.w(k) == "and").filter(|_| !one_org()) {
        Some(and) => Some(((a, and), (and + 1, parts[0].1))),
        None => and_before.map(|(first, and)| ((first, and), (a, parts[0].1))),
    };
    if let Some(((xa, xb), (ya, yb))) = group {
        if let (Some(x), Some(y)) = (name_in(ctx, xa, xb), name_in(ctx, ya, yb)) {
            let (x, y) = (names.fullest(&names.without_initial_word(x)), names.fullest(&y));
            return Some(Speaker::new(Some(format!("{} and {}", x.text(), y.text())), SpeakerKind::Group));
        }
    }
    // "Roe's running mate, Ohio Gov. Jo Bloggs", "An attorney for Lee, Ann
    // Park": a name that only owns or completes the first part is not the speaker
    // when the second part names somebody.
    let owner_only = |m: &Mention| {
        let last = m.span.1 - 1;
        is_possessive(ctx.doc.token_text(last)) || m.span.0 > parts[0].0 && matches!(ctx.w(m.span.0 - 1), "for" | "of" | "to" | "with")
    };
    // In a title-case headline a description looks like a name ("…, Harbor Chief Says"): a
    // capital run the article never writes as a name, with no given name, describes.
    let described = |m: &Mention| at < ctx.title_case_end && !names.by_key.contains_key(&m.key()) && !given_names::is_given(&m.words[0]);
    let mut named_parts: Vec<(usize, Mention)> =
        parts.iter().enumerate().filter_map(|(i, &(x, y))| Some((i, name_in(ctx, x, y).filter(|m| !described(m))?))).collect();
    if named_parts.len() == 2 && owner_only(&named_parts[0].1) {
        named_parts.swap(0, 1);
    }
    if let Some((i, m)) = named_parts.into_iter().next() {
        let x = parts[i].0;
        // What the source says of the name is its role: the words before it ("Finance
        // Minister", "Opposition leader") or the other side of the comma ("a spokeswoman
        // for the union").
        let before = (x..m.span.0).find(|&k| !ctx.is(k, &DETERMINERS));
        let other = parts.get(1 - i.min(1)).filter(|_| parts.len() == 2).copied();
        // Words before the name are a role when they hold a title ("Prime Minister",
        // "Opposition leader"), not "met Mr" or "Thursday"; a courtesy at their end goes.
        let pre_role = before.and_then(|r| {
            let mut e = m.span.0;
            while e > r && (is_honorific(ctx, e - 1) || ctx.punct_is(e - 1, ".")) {
                e -= 1;
            }
            (r..e).any(|k| ctx.is(k, &TITLES) || ROLE_HEADS.contains(&title_word(ctx.w(k)))).then_some((r, e))
        });
        let role = match (pre_role, other) {
            (Some(r), _) => Some(ctx.text(r).trim_end_matches(',').trim_end().to_string()),
            // … not a clause about it ("the survey, released Monday").
            (None, Some((p, q))) if p < q && !ctx.is(p, &PRONOUNS) && !(ctx.w(p).ends_with("ed") || ctx.w(p).ends_with("ing")) => {
                let p = (p..q).find(|&k| !ctx.is(k, &DETERMINERS)).unwrap_or(p);
                (p < q).then(|| ctx.text((p, q)).trim_end_matches(',').trim_end().to_string())
            }
            _ => None,
        };
        // "A spokesman for Mr Blair", "an aide to Clinton", "a lawyer for Trump", "a reporter
        // for USA Today": somebody of the named, unnamed.
        let somebody = |k: usize| {
            ctx.is(k, &UNNAMED_HEADS)
                || !ctx.capitalized(k)
                    && (ROLE_HEADS.contains(&ctx.w(k)) || RELATION_HEADS.contains(&ctx.w(k)) || AFFILIATED_HEADS.contains(&ctx.w(k)))
        };
        if (x..m.span.0).any(|k| somebody(k) && matches!(ctx.w(k + 1), "for" | "of" | "to" | "at" | "with" | "close")) {
            return Some(unnamed());
        }
        // "Some delegates at the convention in Philadelphia", "exit polls in New Hampshire",
        // "lawyers with the Pro Bono Project": people or things of a place or body, unnamed.
        // (A place, or people of a body: not "files from NGP VAN", "results of the … poll".)
        let place = is_place(&m.text());
        let kinds_of = |k: usize| {
            let plural = ctx.is_word(k) && !ctx.capitalized(k) && looks_plural(ctx.w(k)) && !ctx.is(k, &CLOSED_CLASS);
            let of_place = place && matches!(ctx.w(k + 1), "of" | "in" | "at" | "across");
            let of_body = ctx.is(k, &UNNAMED_HEADS) && matches!(ctx.w(k + 1), "at" | "with" | "in" | "among");
            plural && (of_place || of_body)
        };
        if (x..m.span.0).any(kinds_of) {
            return Some(unnamed());
        }
        // "an Iowa Democrat", "another New Hampshire Republican": somebody of a party, unnamed.
        let party_member = last_word_party(&m).is_some();
        if party_member && matches!(ctx.w(x), "a" | "an" | "another" | "one" | "some" | "other" | "many" | "several" | "most") {
            return Some(unnamed());
        }
        // "Senator from Texas", "the governor of Ohio": whom the article gives that title, not
        // the place.
        let place = place && m.span.0 > x + 1 && matches!(ctx.w(m.span.0 - 1), "from" | "of");
        if let Some(t) = (x..m.span.0).find(|&k| ROLE_HEADS.contains(&title_word(ctx.w(k)))).filter(|_| place) {
            return Some(names.by_title(Some(title_word(ctx.w(t))), false, None, at).map_or_else(unnamed, named));
        }
        let titled = m.span.0 > x && ctx.is(m.span.0 - 1, &TITLES);
        // "Rival Hillary Clinton said": a capital that only starts the sentence, before a
        // name the article writes without it.
        let m = names.without_initial_word(m);
        // A kind of people as written, whatever fuller name ends the same way: "Republicans",
        // "Fellow Republicans", "Virginia Democrats" (not "Oversight Committee Republicans").
        let last = m.words.last().map(|w| w.to_lowercase()).unwrap_or_default();
        // … and a people by their country or faith: "Cuban Americans", "Armenians", "Christians".
        let people = last.strip_suffix('s').is_some_and(|one| {
            places::lookup(one).is_some_and(|(kind, _)| kind == PlaceKind::Demonym)
                || matches!(one, "christian" | "muslim" | "jew" | "catholic" | "protestant")
        });
        if !titled && !m.org && (GROUP_PLURALS.contains(&last.as_str()) || UNNAMED_HEADS.has(&last) || people) {
            return Some(unnamed());
        }
        // "the Wisconsin Republican": whom the article gives that party, as "the Republican".
        let party =
            last_word_party(&m).filter(|_| ctx.w(x) == "the" && m.words.len() >= 2 && is_place(&m.words[..m.words.len() - 1].join(" ")));
        if let Some(p) = party {
            // … else like "the senator": who opens the sentence before, was just quoted or
            // last named.
            let sp = names
                .by_title(None, false, Some(p), at)
                .or_else(|| names.opening_previous_sentence(ctx, at))
                .map(named)
                .or_else(|| quoted.cloned())
                .or_else(|| names.last_person_named(at).map(named));
            return sp.or_else(|| Some(unnamed()));
        }
        // "Mr." is a courtesy, not a role.
        let role = role.filter(|r| !HONORIFICS.contains(&r.trim_end_matches('.').to_lowercase().as_str()));
        return Some(Speaker { role, ..named_titled(names.fullest(&m), titled) });
    }
    let (x, y) = parts[0];
    let first = ctx.w(x);
    // A person found through a description: the description is a role the article gives them.
    let role_from = (x..y).find(|&k| !ctx.is(k, &DETERMINERS)).unwrap_or(x);
    let role = (role_from < y).then(|| ctx.text((role_from, y)).to_string());
    let described_as = |m: Mention| Speaker { role: role.clone(), ..named(m) };

    // "the attorney general", "a New York judge", "the Vermont senator": whom the article
    // gives that title.
    let head = title_word(ctx.w(y - 1));
    let vice = (x..y).any(|k| matches!(ctx.w(k), "vice" | "deputy"));
    // "the Republican", "the Democratic presidential nominee": whom the article gives that
    // party, with the title if it can.
    let party = (x..y).find_map(|k| party_of(ctx.w(k)));
    if let Some(p) = party.filter(|_| first == "the" && y - x <= 5 && (ROLE_HEADS.contains(&head) || PERSON_HEADS.contains(&head))) {
        let titled = ROLE_HEADS.contains(&head).then(|| names.by_title(Some(head), vice, Some(p), at)).flatten();
        if let Some(m) = titled.or_else(|| names.by_title(None, vice, Some(p), at)) {
            return Some(described_as(m));
        }
    }
    if ROLE_HEADS.contains(&head) {
        if let Some(m) = names.by_title(Some(head), vice, None, at) {
            return Some(described_as(m));
        }
    }
    // An organisation's or a document's head: "the committee", "a new poll".
    let org_or_document = ctx.is(y - 1, &ORGANIZATION_HEADS) || ctx.is(y - 1, &DOCUMENT_HEADS);
    let bare_head = y - x == 1 && org_or_document;
    let introduced = matches!(first, "a" | "an") && org_or_document;
    // The pronoun that owns the phrase, in it or just before it: "[her] campaign".
    let owner = match if bare_head && x > 0 { ctx.w(x - 1) } else { first } {
        "his" => Some("he"),
        "her" => Some("she"),
        _ => None,
    };
    if org_or_document && (first == "the" || bare_head || introduced || owner.is_some()) {
        // "the Times", "the fund", "the committee": the organisation last named with that
        // word in its name, else (after "the") the organisation last named that is no place;
        // "a federal appeals court": the one named next with that word.
        // A document whose maker the article does not name is nobody's ("Polls show …").
        let word = ctx.w(y - 1);
        // "her campaign": the campaign of whom "her" means; "his report": his.
        if let Some(m) = owner.and_then(|p| names.last_person_fitting(at, p)) {
            return Some(if ctx.is(y - 1, &ORGANIZATION_HEADS) {
                named(Mention { words: vec![m.key_as_written(), word.to_string()], org: true, ..m })
            } else {
                named(m)
            });
        }
        // Nor is "a union" that the article never names.
        let nobody = if introduced || ctx.is(y - 1, &DOCUMENT_HEADS) { unnamed() } else { Speaker::new(None, SpeakerKind::Organization) };
        return names
            .last_org_with(ctx, word, at, introduced)
            .or_else(|| names.last_org_not_place(at).filter(|_| first == "the"))
            .map(named)
            .or(Some(nobody));
    }
    let plural_head = looks_plural(ctx.w(y - 1));
    let person_head = ctx.is(y - 1, &TITLES) || ROLE_HEADS.contains(&head) || PERSON_HEADS.contains(&ctx.w(y - 1));
    // "A former party chairman says …", "Lawmaker urges …", "the party's former chairman
    // says": a person named only further on. The head comes before "of" ("Member of the panel").
    let owned = (x..y - 1).any(|k| is_possessive(ctx.doc.token_text(k)));
    let h = (x + 1..y).find(|&k| ctx.w(k) == "of").map_or(y - 1, |k| k - 1);
    let described = ctx.is(h, &TITLES) || [ROLE_HEADS, PERSON_HEADS, RELATION_HEADS].iter().any(|l| l.contains(&title_word(ctx.w(h))));
    if (first != "the" || owned) && !ctx.is(h, &UNNAMED_HEADS) && !looks_plural(ctx.w(h)) && described && y - x <= 8 {
        if let Some(m) = names.named_next(ctx, at, sources) {
            return Some(described_as(m));
        }
        // "Jo Roe said … . “…,” Obama's former strategist said": the person opening the
        // sentence before, when not the owner.
        if owned {
            let owner = |m: &Mention| (x..y).any(|k| same_word(possessive_stripped(ctx.doc.token_text(k)), &m.key_as_written()));
            return Some(names.opening_previous_sentence(ctx, at).filter(|m| !owner(m)).map_or_else(unnamed, described_as));
        }
    }
    if first == "the" && !ctx.is(y - 1, &UNNAMED_HEADS) && !plural_head && person_head && y - x <= 4 {
        // "the senator", "the former secretary": the person who opens the sentence before,
        // else the person just quoted, else the person last named.
        return names
            .opening_previous_sentence(ctx, at)
            .map(described_as)
            .or_else(|| quoted.map(|s| Speaker { role: role.clone(), ..s.clone() }))
            .or_else(|| names.last_person_named(at).map(described_as));
    }
    Some(unnamed())
}

/// In an embedded post's text, "I" and "we" are the post's author ("We will rebuild, I said
/// … — Jane Roe (@JaneRoe)"), whatever the page's byline says.
pub fn posts_speak(ctx: &Ctx, posts: &[crate::Post], sources: &[Option<Toks>], resolved: &mut [Option<Speaker>]) {
    for (src, sp) in sources.iter().zip(resolved) {
        let Some((a, b)) = *src else {
            continue;
        };
        if b - a != 1 || !matches!(ctx.w(a), "i" | "we") || ctx.quoted_by[a].is_some() {
            continue;
        }
        let at = ctx.doc.layers.tokens[a].span.start;
        if let Some(p) = posts.iter().find(|p| p.text.start <= at && at < p.text.end) {
            *sp = Some(Speaker::new(Some(p.author.clone()), SpeakerKind::Person));
        }
    }
}

/// Groups resolved speakers into the article's list (named ones by name and kind, unnamed
/// ones by their source's words), and gives each statement's speaker its id in that list and
/// the role the article first gives them.
pub fn article_speakers(
    ctx: &Ctx,
    names: &Names,
    sources: &[Option<Toks>],
    resolved: Vec<Option<Speaker>>,
) -> (Vec<ArticleSpeaker>, Vec<Option<Speaker>>) {
    let mut list: Vec<(ArticleSpeaker, Vec<Toks>)> = Vec::new();
    let mut index: HashMap<(SpeakerKind, String), usize> = HashMap::new();
    let mut ids = Vec::with_capacity(sources.len());
    for (src, sp) in sources.iter().zip(&resolved) {
        let (Some(src), Some(sp)) = (src, sp) else {
            ids.push(None);
            continue;
        };
        let key = (sp.kind, sp.name.clone().unwrap_or_else(|| (src.0..src.1).map(|k| ctx.w(k)).collect::<Vec<_>>().join(" ")));
        let id = *index.entry(key).or_insert_with(|| {
            list.push((ArticleSpeaker { name: sp.name.clone(), kind: sp.kind, roles: Vec::new(), mentions: Vec::new() }, Vec::new()));
            list.len() - 1
        });
        list[id].1.push(*src);
        if let Some(role) = sp.role.as_ref().filter(|r| !list[id].0.roles.contains(r)) {
            list[id].0.roles.push(role.clone());
        }
        ids.push(Some(id));
    }
    for m in &names.mentions {
        let full = names.fullest(m).text();
        if let Some(&id) = index.get(&(if m.org { SpeakerKind::Organization } else { SpeakerKind::Person }, full)) {
            list[id].1.push(m.span);
        }
    }
    let speakers: Vec<ArticleSpeaker> = list
        .into_iter()
        .map(|(mut sp, mut mentions)| {
            mentions.sort_unstable();
            mentions.dedup_by(|a, b| a.0 < b.1 && b.0 < a.1);
            sp.mentions = mentions.into_iter().map(|r| span_of(ctx, r)).collect();
            sp
        })
        .collect();
    let resolved = resolved
        .into_iter()
        .zip(ids)
        .map(|(sp, id)| {
            sp.map(|sp| {
                let role = id.and_then(|i| speakers[i].roles.first().cloned()).or(sp.role);
                Speaker { id, role, ..sp }
            })
        })
        .collect();
    (speakers, resolved)
}

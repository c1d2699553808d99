//! The learned decision of who a source is. The rules of the parent module propose (their
//! answer is one candidate among others) and describe; for each statement's source, the
//! candidates — the article's entities named near it, the rules' answer, "unnamed", the
//! author — compete in a softmax over log-linear scores. The weights (`data/speakers.tsv`)
//! are learned from PolNeAR train by `sayso train speakers`; [`features`] serves both learning
//! and deciding. An empty model leaves the rules' answer (it is first, and ties keep it).

use std::sync::OnceLock;

use super::*;
use crate::model::{bucket, tpl, Emit, Model};

const DATA: &str = include_str!("../../../../data/speakers.tsv");

/// The built-in speaker model.
pub fn speaker_model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::parse(DATA).expect("data/speakers.tsv is checked by a test"))
}

/// How far before a source an entity's last mention may stand to be a candidate, in tokens;
/// and after it.
const BACK: usize = 600;
const AHEAD: usize = 200;
/// The sources the model decides, by class; the others keep the rules' answer (one of the
/// candidates). Kept where the model beats the rules on both train-CV and dev (`sayso train
/// speakers --folds 5`; dev with the model learned from all of train): "he" (named 76.9 ->
/// 83.5 on train-CV, 93.7 -> 94.3 on dev). Not yet: "she" (82.1 -> 90.2 on train-CV but
/// 93.0 -> 90.1 on dev), names and descriptions (train-CV named +1.6, unnamed -2.7; dev
/// +0.4 and -5.1). "I"/"we" outside quotations are the writer by signature, biography or
/// byline: PolNeAR gives its articles no bylines, so a model learned from it never trusts
/// the author.
const DECIDED: &[&str] = &["he"];
/// At most this many entities per source, the nearest.
const MAX_ENTITIES: usize = 12;

/// One person or organisation of the article: every mention whose fullest form is `name`.
pub(super) struct Entity {
    name: String,
    org: bool,
    /// Token positions of its mentions, in text order.
    at: Vec<usize>,
    titles: Vec<String>,
    place: bool,
    surely: bool,
    gender: Option<Gender>,
    given: bool,
    words: usize,
    quoted: usize,
    headline: bool,
    /// Its place in the article's entities by mention count, 0 for the most mentioned.
    salience: usize,
}

impl Entity {
    fn add(&mut self, m: &Mention, headline_end: usize) {
        self.at.push(m.at);
        self.gender = self.gender.or(m.gender);
        self.surely |= m.gender.is_some() || !m.titles.is_empty();
        self.quoted += m.quoted as usize;
        self.headline |= m.at < headline_end;
        for t in &m.titles {
            if !self.titles.contains(t) {
                self.titles.push(t.clone());
            }
        }
    }
}

/// What a mention's fullest form depends on: its words, organisation, courtesy gender and
/// whether it opens its sentence.
type MentionForm<'m> = (&'m [String], bool, Option<Gender>, bool);

/// The article's entities, and the entity of each of [`Names::mentions`].
pub(super) struct Entities {
    list: Vec<Entity>,
    /// By name and whether an organisation.
    index: HashMap<(String, bool), usize, FastBuild>,
    of_mention: Vec<usize>,
    /// Mention positions with their paragraph and whether inside a quotation, in text order.
    mentions: Vec<(usize, usize, bool)>,
}

impl Entities {
    pub(super) fn new(ctx: &Ctx, names: &Names) -> Entities {
        let mut list: Vec<Entity> = Vec::new();
        let mut index: HashMap<(String, bool), usize, FastBuild> = HashMap::default();
        let mut of_mention = Vec::with_capacity(names.mentions.len());
        // A name written many times is looked up once: the fullest form depends only on these.
        let mut seen: HashMap<MentionForm, usize, FastBuild> = HashMap::default();
        for m in &names.mentions {
            if let Some(&id) = seen.get(&(&m.words[..], m.org, m.gender, m.initial)) {
                list[id].add(m, names.headline_end);
                of_mention.push(id);
                continue;
            }
            let f = names.fullest(&names.without_initial_word(m.clone()));
            let name = f.text();
            let id = *index.entry((name.clone(), f.org)).or_insert_with(|| {
                list.push(Entity {
                    place: is_place(&name),
                    surely: surely_person(&f),
                    gender: f.words.first().and_then(|w| given_names::gender(w)),
                    given: given_names::is_given(&f.words[0]),
                    words: f.words.len(),
                    name,
                    org: f.org,
                    at: Vec::new(),
                    titles: Vec::new(),
                    quoted: 0,
                    headline: false,
                    salience: 0,
                });
                list.len() - 1
            });
            seen.insert((&m.words[..], m.org, m.gender, m.initial), id);
            list[id].add(m, names.headline_end);
            of_mention.push(id);
        }
        let mut by_count: Vec<usize> = (0..list.len()).collect();
        by_count.sort_by_key(|&i| (std::cmp::Reverse(list[i].at.len()), list[i].at[0]));
        for (r, &i) in by_count.iter().enumerate() {
            list[i].salience = r;
        }
        let mentions = names.mentions.iter().map(|m| (m.at, ctx.sentence_at(m.at).map_or(0, |s| s.paragraph), m.quoted)).collect();
        Entities { list, index, of_mention, mentions }
    }

    fn mention_at(&self, at: usize) -> Option<&(usize, usize, bool)> {
        self.mentions.get(self.mentions.partition_point(|m| m.0 < at)).filter(|m| m.0 == at)
    }

    fn paragraph_of(&self, at: usize) -> usize {
        self.mention_at(at).map_or(0, |m| m.1)
    }

    fn quoted_at(&self, at: usize) -> bool {
        self.mention_at(at).is_some_and(|m| m.2)
    }

    /// The entity a speaker is, by name: of its kind if there is one ("Harwick" the poll's
    /// maker is the entity "Harwick" even where that was taken for a person).
    fn key_of(&self, sp: &Speaker) -> Option<usize> {
        let name = sp.name.as_ref().filter(|_| matches!(sp.kind, SpeakerKind::Person | SpeakerKind::Organization))?;
        let org = sp.kind == SpeakerKind::Organization;
        let at = |org: bool| self.index.get(&(name.clone(), org)).copied();
        at(org).or_else(|| at(!org))
    }
}

/// One candidate referent of a source.
pub struct Choice {
    pub speaker: Speaker,
    entity: Option<usize>,
    /// The rules' answer.
    rule: bool,
}

/// What the features read of a source, computed once.
struct Source {
    a: usize,
    b: usize,
    class: &'static str,
    head: String,
    /// The name written in the source, its words lower-cased.
    name: Vec<String>,
    quoted: bool,
    /// The sentence before the source's, as a token range.
    previous: Option<Toks>,
    sentence_start: usize,
    /// Title words written in the source ("senator" in "the Vermont senator").
    titles: Vec<String>,
    /// The party the source names ("the Republican nominee").
    party: Option<&'static str>,
    /// Its first word when a determiner or possessive ("the", "a", "his"), else "-".
    det: &'static str,
    /// What its head word says: a title or role, a kind of person, an organisation, a
    /// document, a plural, something else.
    head_class: &'static str,
    paragraph: usize,
    /// The statement's content, first to last token.
    content: Toks,
    headline_end: usize,
}

/// What kind of mention a source is: a pronoun ("he", "i" for I and we), a name of one or
/// more words, an organisation's name or word, a plural, another description.
fn source_class(ctx: &Ctx, a: usize, b: usize) -> &'static str {
    let head = ctx.w(b - 1);
    if b - a == 1 && PRONOUNS.has(head) {
        match head {
            "he" => "he",
            "she" => "she",
            "they" => "they",
            "it" => "it",
            "who" => "who",
            "which" => "which",
            "i" | "we" => "i",
            _ => "you",
        }
    } else {
        match &name_in(ctx, a, b) {
            Some(m) if m.org => "org-name",
            Some(m) if m.words.len() == 1 => "name1",
            Some(_) => "name2",
            None if ctx.is(b - 1, &ORGANIZATION_HEADS) || ctx.is(b - 1, &DOCUMENT_HEADS) => "org-word",
            None if looks_plural(head) => "plural",
            None => "nominal",
        }
    }
}

fn source_of(ctx: &Ctx, (a, b): Toks) -> Source {
    let head = ctx.w(b - 1).to_string();
    let name_mention = name_in(ctx, a, b);
    let class = source_class(ctx, a, b);
    let titles = (a..b).map(|k| title_word(possessive_stripped(ctx.w(k)))).filter(|t| ROLE_HEADS.contains(t)).map(str::to_string).collect();
    Source {
        a,
        b,
        class,
        head: head.clone(),
        name: name_mention.map(|m| m.words.iter().map(|w| name_key(w)).collect()).unwrap_or_default(),
        quoted: ctx.quoted_by[a].is_some(),
        previous: previous_sentence(ctx, a).map(|s| (s.first_tok, s.end_tok)),
        sentence_start: ctx.sentence_at(a).map_or(a, |s| s.first_tok),
        titles,
        headline_end: 0,
        content: (0, 0),
        party: (a..b).find_map(|k| party_of(ctx.w(k))),
        paragraph: ctx.sentence_at(a).map_or(0, |s| s.paragraph),
        head_class: {
            let h = title_word(possessive_stripped(&head));
            if ctx.is(b - 1, &TITLES) || ROLE_HEADS.contains(&h) {
                "title"
            } else if PERSON_HEADS.contains(&h) || RELATION_HEADS.contains(&h) || AFFILIATED_HEADS.contains(&h) {
                "person"
            } else if ctx.is(b - 1, &UNNAMED_HEADS) {
                "unnamed"
            } else if ctx.is(b - 1, &ORGANIZATION_HEADS) {
                "org"
            } else if ctx.is(b - 1, &DOCUMENT_HEADS) {
                "document"
            } else if looks_plural(&head) {
                "plural"
            } else {
                "other"
            }
        },
        det: match ctx.w(a) {
            "the" => "the",
            "a" | "an" => "a",
            "his" | "her" | "their" | "its" => "owned",
            "this" | "that" | "these" | "those" => "this",
            w if w.ends_with("'s") || w.ends_with("’s") => "owned",
            _ => "-",
        },
    }
}

/// The candidates for a source: the rules' answer first, then the entities named near it, and
/// "unnamed".
fn choices(names: &Names, ents: &Entities, src: &Source, rule: &Speaker) -> Vec<Choice> {
    let mut out = vec![Choice { speaker: rule.clone(), entity: ents.key_of(rule), rule: true }];
    let lo = names.mentions.partition_point(|m| m.at + BACK < src.a);
    let hi = names.mentions.partition_point(|m| m.at < src.b + AHEAD);
    let mut near: Vec<(usize, usize)> = Vec::new();
    // "he" and "she" are people.
    let people_only = matches!(src.class, "he" | "she");
    for (m, &e) in names.mentions[lo..hi].iter().zip(&ents.of_mention[lo..hi]) {
        if people_only && ents.list[e].org {
            continue;
        }
        let d = if m.at < src.a { src.a - m.at } else { m.at.saturating_sub(src.b) * 2 };
        match near.iter_mut().find(|(x, _)| *x == e) {
            Some(slot) => slot.1 = slot.1.min(d),
            None => near.push((e, d)),
        }
    }
    near.sort_by_key(|&(e, d)| (d, e));
    for (e, _) in near.into_iter().take(MAX_ENTITIES) {
        if out[0].entity != Some(e) {
            let ent = &ents.list[e];
            let kind = if ent.org { SpeakerKind::Organization } else { SpeakerKind::Person };
            out.push(Choice { speaker: Speaker::new(Some(ent.name.clone()), kind), entity: Some(e), rule: false });
        }
    }
    if rule.kind != SpeakerKind::Unnamed {
        out.push(Choice { speaker: unnamed(), entity: None, rule: false });
    }
    out
}

/// How the source's written name meets an entity's name.
fn name_match(src: &[String], ent: &Entity) -> &'static str {
    if src.is_empty() {
        return "none";
    }
    let words: Vec<String> = ent.name.split(' ').map(name_key).collect();
    if words == src {
        "exact"
    } else if words.ends_with(src) {
        "suffix"
    } else if src.iter().all(|w| words.contains(w)) {
        "inside"
    } else if src.iter().any(|w| words.contains(w)) {
        "some"
    } else {
        "other"
    }
}

/// The features of candidate `c` for source `src`; `rules`: the rules' answers for the
/// statements before this one, in text order.
fn features(ents: &Entities, src: &Source, rules: &[&Speaker], c: &Choice, rank: usize, emit: Emit) {
    let t = src.class;
    let kind = c.speaker.kind.as_str();
    let rule = if c.rule { "rule" } else { "alt" };
    emit(tpl!("kind"), &[t, kind, rule]);
    emit(tpl!("head"), &[&src.head, kind, rule]);
    emit(tpl!("det"), &[t, src.det, kind, rule]);
    emit(tpl!("head_class"), &[t, src.det, src.head_class, kind, rule]);
    if src.quoted {
        emit(tpl!("quoted"), &[t, kind, rule]);
    }
    let Some(e) = c.entity.map(|e| &ents.list[e]) else {
        return;
    };
    let before = e.at.partition_point(|&x| x < src.a);
    let inside = e.at[before..].iter().take_while(|&&x| x < src.b).count();
    let prev = before.checked_sub(1).map(|i| e.at[i]);
    let next = e.at.get(before + inside).copied();
    emit(tpl!("dprev"), &[t, prev.map_or("none", |p| bucket_log(src.a - p))]);
    emit(tpl!("dnext"), &[t, next.map_or("none", |n| bucket_log(n - src.b + 1))]);
    if inside > 0 {
        emit(tpl!("inside"), &[t, rule]);
    }
    let sentence = match prev {
        Some(p) if p >= src.sentence_start => "same",
        Some(p) if src.previous.is_some_and(|(f, _)| p >= f) => "previous",
        Some(_) => "earlier",
        None => "none",
    };
    emit(tpl!("sentence"), &[t, sentence]);
    if src.name.is_empty() {
        emit(tpl!("described_near"), &[t, src.det, src.head_class, sentence, if e.org { "org" } else { "person" }]);
    }
    if let Some(p) = prev {
        let para = ents.paragraph_of(p);
        emit(tpl!("paragraph"), &[t, bucket(src.paragraph.saturating_sub(para).min(4))]);
        if ents.quoted_at(p) {
            emit(tpl!("prev_quoted"), &[t]);
        }
    }
    let (ca, cb) = src.content;
    if e.at[e.at.partition_point(|&x| x < ca)..].first().is_some_and(|&x| x < cb) {
        emit(tpl!("in_content"), &[t, kind]);
    }
    if let Some((f, end)) = src.previous {
        // Its first mention from the sentence's start on (mentions are in text order: a
        // search, not a scan, so that an entity named thousands of times stays cheap).
        let first = e.at.get(e.at.partition_point(|&x| x < f)).copied();
        let opens = first.is_some_and(|x| x <= f + 1);
        let first_person = !e.org && first.is_some_and(|x| x < end);
        if opens {
            emit(tpl!("opens_previous"), &[t]);
        } else if first_person {
            emit(tpl!("in_previous"), &[t]);
        }
    }
    emit(tpl!("rank"), &[t, bucket(rank.min(6))]);
    emit(tpl!("count"), &[t, bucket(e.at.len())]);
    emit(tpl!("salience"), &[t, bucket(e.salience.min(6))]);
    if e.at.last().is_some_and(|&x| x < src.headline_end) {
        emit(tpl!("headline_only"), &[t]);
    }
    emit(tpl!("org"), &[t, if e.org { "org" } else { "person" }, if e.place { "place" } else { "-" }]);
    emit(tpl!("surely"), &[t, if e.surely { "1" } else { "0" }, if e.given { "given" } else { "-" }]);
    emit(tpl!("words"), &[t, bucket(e.words.min(4))]);
    if e.headline {
        emit(tpl!("headline"), &[t]);
    }
    if e.quoted == e.at.len() {
        emit(tpl!("only_quoted"), &[t]);
    }
    emit(tpl!("match"), &[t, name_match(&src.name, e), rule]);
    if matches!(t, "he" | "she") {
        let g = match (e.gender, t) {
            (None, _) => "unknown",
            (Some(Gender::Male), "he") | (Some(Gender::Female), "she") => "agree",
            _ => "clash",
        };
        emit(tpl!("gender"), &[t, g]);
    }
    if !src.titles.is_empty() {
        let titled = src.titles.iter().any(|s| e.titles.iter().any(|x| x == s));
        emit(
            tpl!("title"),
            &[
                t,
                if titled {
                    "same"
                } else if e.titles.is_empty() {
                    "untitled"
                } else {
                    "other"
                },
            ],
        );
    }
    if let Some(p) = src.party {
        let parties: Vec<&str> = e.titles.iter().filter_map(|t| party_of(t)).collect();
        emit(
            tpl!("party"),
            &[
                t,
                if parties.contains(&p) {
                    "same"
                } else if parties.is_empty() {
                    "none"
                } else {
                    "other"
                },
            ],
        );
    }
    // Quoted just before: the rules' answer for one of the last statements.
    if let Some(k) = rules.iter().rev().take(4).position(|s| s.name.as_deref() == Some(e.name.as_str())) {
        emit(tpl!("last_quoted"), &[t, bucket(k + 1)]);
    }
}

/// 1, 2, 3-5 … in powers of two: distances in tokens.
fn bucket_log(n: usize) -> &'static str {
    match n {
        0..=2 => "0-2",
        3..=5 => "3-5",
        6..=10 => "6-10",
        11..=20 => "11-20",
        21..=40 => "21-40",
        41..=80 => "41-80",
        81..=160 => "81-160",
        161..=320 => "161-320",
        _ => "321+",
    }
}

/// The features of a source's candidate (and its rank) through `emit`.
type Features<'f> = &'f mut dyn FnMut(&Choice, usize, Emit);

/// Calls `each(i, choices, features)` for every source with a rules' answer: the candidates
/// and, for each, `features` run through `emit`.
fn for_each_source(
    ctx: &Ctx,
    names: &Names,
    sources: &[Option<Toks>],
    contents: &[Toks],
    rules: &[Option<Speaker>],
    each: &mut dyn FnMut(usize, Vec<Choice>, Features),
) {
    // Entities are gathered at the first source the model decides: most articles have none.
    let mut ents: Option<Entities> = None;
    let mut before: Vec<&Speaker> = Vec::new();
    for (i, (src, rule)) in sources.iter().zip(rules).enumerate() {
        let (Some(span), Some(rule)) = (src, rule) else {
            continue;
        };
        if DECIDED.contains(&source_class(ctx, span.0, span.1)) {
            let ents = ents.get_or_insert_with(|| Entities::new(ctx, names));
            let s = Source { headline_end: names.headline_end, content: contents[i], ..source_of(ctx, *span) };
            let cs = choices(names, ents, &s, rule);
            each(i, cs, &mut |c, rank, emit| features(ents, &s, &before, c, rank, emit));
        }
        before.push(rule);
    }
}

/// Ranks of the entity candidates by nearness among those of their kind (people,
/// organisations; the order [`choices`] gives), 0 for others.
fn ranks(cs: &[Choice]) -> Vec<usize> {
    let mut n = [0, 0];
    cs.iter()
        .map(|c| match c.entity {
            Some(_) => {
                let k = (c.speaker.kind == SpeakerKind::Organization) as usize;
                n[k] += 1;
                n[k]
            }
            None => 0,
        })
        .collect()
}

/// Each source's speaker as the model decides among the candidates.
/// `contents`: each statement's content, first to last token.
pub fn decide(
    ctx: &Ctx,
    names: &Names,
    sources: &[Option<Toks>],
    contents: &[Toks],
    rules: Vec<Option<Speaker>>,
    model: &Model,
) -> Vec<Option<Speaker>> {
    let mut decided = Vec::new();
    for_each_source(ctx, names, sources, contents, &rules, &mut |i, cs, feats| {
        let rk = ranks(&cs);
        let mut best = (f32::NEG_INFINITY, 0);
        for (j, c) in cs.iter().enumerate() {
            let z = model.sum_of(&mut |emit| feats(c, rk[j], emit));
            if z > best.0 {
                best = (z, j);
            }
        }
        let rule_role = rules[i].as_ref().and_then(|r| r.role.clone());
        let mut chosen = cs.into_iter().nth(best.1).map(|c| c.speaker);
        if let Some(sp) =
            chosen.as_mut().filter(|sp| sp.role.is_none() && matches!(sp.kind, SpeakerKind::Person | SpeakerKind::Organization))
        {
            sp.role = rule_role;
        }
        decided.push((i, chosen));
    });
    let mut out = rules;
    for (i, sp) in decided {
        out[i] = sp;
    }
    out
}

/// A source's index and its candidates, each with its feature names.
pub type Examples = (usize, Vec<(Speaker, Vec<String>)>);

/// For learning: each source's index and candidates, with their feature names.
pub fn examples(ctx: &Ctx, names: &Names, sources: &[Option<Toks>], contents: &[Toks], rules: &[Option<Speaker>]) -> Vec<Examples> {
    let mut out = Vec::new();
    for_each_source(ctx, names, sources, contents, rules, &mut |i, cs, feats| {
        let rk = ranks(&cs);
        let alts = cs
            .into_iter()
            .enumerate()
            .map(|(j, c)| {
                let mut f = Vec::new();
                feats(&c, rk[j], &mut |t, parts| f.push(crate::model::feature_name(t, parts)));
                (c.speaker, f)
            })
            .collect();
        out.push((i, alts));
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_speaker_model_parses_and_has_weights() {
        assert!(Model::parse(DATA).is_ok_and(|m| m.sum_of(&mut |emit| emit(tpl!("gender"), &["he", "clash"])) < 0.0));
    }
}

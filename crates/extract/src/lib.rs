//! Statement extraction. Passes add layers to a [`Document`] (paragraphs, tokens,
//! sentences, quotations); then candidates are found for every cue and scored, and the
//! best become statements. Extraction never fails: problems become warnings.

pub mod candidates;
pub mod ctx;
mod given_names;
mod hash;
mod lexicon;
mod links;
pub mod model;
mod places;
mod posts;
mod quotes;
pub mod report;
mod score;
mod segment;
mod setting;
pub mod speakers;
mod weights;

mod words;

use sayso_doc::{Document, Span, Warning};

use ctx::{span_of, Ctx};
pub use lexicon::CueClass;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementKind {
    Direct,
    Mixed,
    Indirect,
    Post,
}

impl StatementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Direct => "direct",
            StatementKind::Mixed => "mixed",
            StatementKind::Indirect => "indirect",
            StatementKind::Post => "post",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cue {
    pub span: Span,
    pub lemma: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpeakerKind {
    Person,
    Organization,
    Group,
    Unnamed,
    Author,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Organization => "organization",
            SpeakerKind::Group => "group",
            SpeakerKind::Unnamed => "unnamed",
            SpeakerKind::Author => "author",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Speaker {
    /// Index into [`Extraction::speakers`].
    pub id: Option<usize>,
    pub name: Option<String>,
    pub kind: SpeakerKind,
    pub role: Option<String>,
}

impl Speaker {
    pub fn new(name: Option<String>, kind: SpeakerKind) -> Speaker {
        Speaker { id: None, name, kind, role: None }
    }
}

/// Where and to whom a statement was made, as the article writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Setting {
    /// "said in London"
    pub place: Option<String>,
    /// "told AFP", "in an interview with CNN", "wrote on Facebook", "in a statement"
    pub medium: Option<String>,
    /// "told reporters", "tells US lawmakers"
    pub addressee: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    /// The content's fragments in text order; one for a continuous content.
    pub content: Vec<Span>,
    pub cue: Option<Cue>,
    /// The mention nearest the cue, as written ("he").
    pub source: Option<Span>,
    /// Who the source is, as far as this article tells.
    pub speaker: Option<Speaker>,
    pub setting: Option<Setting>,
    pub negated: bool,
    /// The scorer's confidence; higher is surer.
    pub score: f32,
}

/// One speaker of the article, with every mention of them (statement sources and, for
/// named speakers, each time the name is written).
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleSpeaker {
    pub name: Option<String>,
    pub kind: SpeakerKind,
    /// What the article says they are, as written: "Finance Minister", "a spokeswoman for …".
    pub roles: Vec<String>,
    pub mentions: Vec<Span>,
}

/// A cross-reference such as "Read more: …": a link, never a statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub label: String,
    pub title: String,
    /// Where it points, when the source was a page.
    pub url: Option<String>,
    pub span: Span,
}

pub use posts::Post;

#[derive(Clone, Debug, Default)]
pub struct Extraction {
    pub statements: Vec<Statement>,
    /// The article's speakers, each with every mention of them.
    pub speakers: Vec<ArticleSpeaker>,
    pub links: Vec<Link>,
    /// Embedded social posts; each is also a statement of kind `post`.
    pub posts: Vec<Post>,
    pub warnings: Vec<Warning>,
}

/// Runs the layer passes: paragraphs, tokens and sentences, then quotations.
pub fn analyze(doc: &mut Document) {
    segment::segment(doc);
    quotes::quotations(doc);
}

/// Extracts the statements and links of a document, adding its layers first.
pub fn extract(doc: &mut Document) -> Extraction {
    extract_with(doc, model::model(), Options::default())
}

/// How [`extract_with`] runs.
#[derive(Clone, Copy)]
pub struct Options<'m> {
    pub selection: Selection,
    /// The model that decides each statement's speaker (the article's speakers are listed
    /// too); None: statements keep their source span only (to measure what resolution costs).
    pub speakers: Option<&'m model::Model>,
}

impl Default for Options<'static> {
    fn default() -> Options<'static> {
        Options { selection: Selection::Best, speakers: Some(speakers::speaker_model()) }
    }
}

/// Which candidates become statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The likeliest that do not overlap, above the model's threshold.
    Best,
    /// Every candidate: to measure what the finders can reach at best.
    All,
}

/// [`extract`] with another scorer (as when learning one) or other [`Options`].
pub fn extract_with(doc: &mut Document, model: &model::Model, options: Options) -> Extraction {
    analyze(doc);
    let doc = &*doc;
    let links = links::find(doc);
    let posts = posts::find(doc);
    let ctx = Ctx::new(doc);
    // Statements are read from English; an article in another language keeps its posts and
    // links (its text and metadata are the reader's), and says why it has no statements.
    let english = doc.meta.language.as_deref().is_none_or(|l| l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en")));
    let mut warnings = doc.warnings.clone();
    let chosen = if english {
        chosen(&ctx, &links, &posts, model, options.selection)
    } else {
        let lang = doc.meta.language.as_deref().unwrap_or_default();
        warnings.push(Warning::new(format!("the article is in {lang:?}: statements are extracted from English only"), None));
        Vec::new()
    };
    let sources: Vec<_> = chosen.iter().map(|(c, _)| c.source).collect();
    let (mut speakers, resolved) = match options.speakers {
        Some(speaker_model) => {
            let names = speakers::Names::new(&ctx);
            let rules = speakers::resolve(&ctx, &names, &sources);
            let mut resolved = speakers::decide(&ctx, &names, &sources, &content_ranges(&chosen), rules, speaker_model);
            let named: Vec<Post> = posts.iter().filter(|p| !p.author.is_empty()).cloned().collect();
            speakers::posts_speak(&ctx, &named, &sources, &mut resolved);
            speakers::article_speakers(&ctx, &names, &sources, resolved)
        }
        None => (Vec::new(), vec![None; sources.len()]),
    };
    let lex = lexicon::lexicon();
    let mut statements: Vec<Statement> = chosen
        .into_iter()
        .zip(resolved)
        .map(|((c, score), speaker)| {
            let content: Vec<Span> = c.content.iter().map(|&r| span_of(&ctx, r)).collect();
            let transcript = c.features.pattern == candidates::Pattern::Transcript;
            let kind = if transcript || c.content.iter().all(|r| ctx.opens[r.0].is_some() && ctx.closes[r.1 - 1].is_some()) {
                StatementKind::Direct
            } else if c.features.content_quoted {
                StatementKind::Mixed
            } else {
                StatementKind::Indirect
            };
            let source = c.source.map(|r| span_of(&ctx, r));
            let lemma = c.entry.map_or_else(|| ctx.w(c.cue.0).to_string(), |e| lex.entries[e].lemma.clone());
            Statement {
                kind,
                content,
                setting: setting::setting_of(&ctx, &c, &lemma),
                cue: Some(Cue { span: span_of(&ctx, c.cue_span), lemma }),
                source,
                speaker,
                negated: c.negated,
                score,
            }
        })
        .collect();
    for p in posts.iter().filter(|p| p.text.start < p.text.end) {
        statements.push(post_statement(p, &mut speakers));
    }
    statements.sort_by_key(|s| s.content.first().map_or(0, |c| c.start));
    Extraction { statements, speakers, links, posts, warnings }
}

/// The candidates that become statements, with their probabilities.
fn chosen(ctx: &Ctx, links: &[Link], posts: &[Post], model: &model::Model, selection: Selection) -> Vec<(candidates::Candidate, f32)> {
    // Cross-references and post attributions ("— Name (@handle) date") are never cues, and
    // an attribution line is no part of what is said.
    let in_link = |c: &candidates::Candidate| {
        let toks = &ctx.doc.layers.tokens;
        let at = toks[c.cue.0].span.start;
        let content = |s: Span| c.content.iter().any(|r| toks[r.0].span.start < s.end && s.start < toks[r.1 - 1].span.end);
        links.iter().map(|l| l.span).chain(posts.iter().filter_map(|p| p.attribution)).any(|s| s.start <= at && at < s.end)
            || posts.iter().filter_map(|p| p.attribution).any(content)
    };
    let mut scored = Vec::new();
    let mut scorer = model.scorer();
    let mut group: Vec<candidates::Candidate> = Vec::new();
    let mut flush = |group: &mut Vec<candidates::Candidate>, scored: &mut Vec<(candidates::Candidate, f32)>| {
        let ps = scorer.probabilities(ctx, group);
        for (c, p) in group.drain(..).zip(ps) {
            if selection == Selection::All || p >= model.threshold {
                scored.push((c, p));
            }
        }
    };
    candidates::find(ctx, &mut |c| {
        if in_link(&c) {
            return;
        }
        if group.first().is_some_and(|g| g.cue != c.cue) {
            flush(&mut group, &mut scored);
        }
        group.push(c);
    });
    flush(&mut group, &mut scored);
    scored.extend(candidates::layout_attributions(ctx).into_iter().filter(|c| !in_link(c)).map(|c| (c, 1.0)));
    score::select(ctx, scored, selection)
}

/// For learning the speaker model: each chosen statement's content (token ranges) and, for
/// those with a source, the speaker candidates with their feature names.
pub fn speaker_examples(doc: &mut Document, model: &model::Model) -> (Vec<Vec<Span>>, Vec<speakers::Examples>) {
    analyze(doc);
    let doc = &*doc;
    let ctx = Ctx::new(doc);
    let chosen = chosen(&ctx, &links::find(doc), &posts::find(doc), model, Selection::Best);
    let sources: Vec<_> = chosen.iter().map(|(c, _)| c.source).collect();
    let names = speakers::Names::new(&ctx);
    let rules = speakers::resolve(&ctx, &names, &sources);
    let contents = chosen.iter().map(|(c, _)| c.content.iter().map(|&r| span_of(&ctx, r)).collect()).collect();
    (contents, speakers::examples(&ctx, &names, &sources, &content_ranges(&chosen), &rules))
}

/// Each candidate's content from its first to its last token.
fn content_ranges(chosen: &[(candidates::Candidate, f32)]) -> Vec<candidates::Toks> {
    chosen.iter().map(|(c, _)| (c.content.first().map_or(0, |r| r.0), c.content.last().map_or(0, |r| r.1))).collect()
}
/// A post as a statement by its author, who joins the article's speakers (or is found
/// there by name).
/// Its author is named by display name, else by handle.
fn post_statement(p: &Post, speakers: &mut Vec<ArticleSpeaker>) -> Statement {
    let name = if p.author.is_empty() { p.handle.clone() } else { Some(p.author.clone()) };
    let speaker = name.map(|name| {
        let id = match speakers.iter().position(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&name))) {
            Some(id) => id,
            None => {
                speakers.push(ArticleSpeaker {
                    name: Some(name.clone()),
                    kind: SpeakerKind::Person,
                    roles: Vec::new(),
                    mentions: Vec::new(),
                });
                speakers.len() - 1
            }
        };
        speakers[id].mentions.extend(p.author_span);
        Speaker { id: Some(id), name: Some(name), kind: SpeakerKind::Person, role: None }
    });
    let platform = match p.platform {
        "twitter" => "X (Twitter)",
        "instagram" => "Instagram",
        "facebook" => "Facebook",
        "tiktok" => "TikTok",
        "bluesky" => "Bluesky",
        "threads" => "Threads",
        "mastodon" => "Mastodon",
        "youtube" => "YouTube",
        _ => "Vimeo",
    };
    Statement {
        kind: StatementKind::Post,
        content: vec![p.text],
        cue: None,
        source: p.author_span,
        speaker,
        setting: Some(Setting { medium: Some(platform.to_string()), ..Setting::default() }),
        negated: false,
        score: 1.0,
    }
}

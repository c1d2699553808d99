//! Closed word classes the finders need. Lower case.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::hash::{PassThroughBuild, StreamHash};

/// A fixed list of words, one bit of a word's class mask: membership is one lookup in a
/// table shared by all the lists, and per token it is computed once (see `Ctx`).
pub struct WordSet {
    pub bit: u32,
    words: &'static [&'static str],
}

impl WordSet {
    pub const fn new(bit: u32, words: &'static [&'static str]) -> WordSet {
        WordSet { bit, words }
    }

    pub fn has(&self, w: &str) -> bool {
        mask(w) & self.bit != 0
    }
}

/// The bits of every list that holds `w`.
pub fn mask(w: &str) -> u32 {
    mask_of_hash(word_hash(w))
}

/// The hash words are looked up by; computed once per token (see `Ctx`).
pub fn word_hash(w: &str) -> u64 {
    StreamHash::new().bytes(w.as_bytes()).value()
}

/// [`mask`] for a word already hashed with [`word_hash`].
pub fn mask_of_hash(h: u64) -> u32 {
    static TABLE: OnceLock<HashMap<u64, u32, PassThroughBuild>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t: HashMap<u64, u32, PassThroughBuild> = HashMap::default();
        for set in ALL {
            for &w in set.words {
                *t.entry(word_hash(w)).or_default() |= set.bit;
            }
        }
        t
    });
    table.get(&h).copied().unwrap_or(0)
}

const ALL: &[&WordSet] = &[
    &TITLES,
    &ORG_WORDS,
    &NAME_PARTICLES,
    &MONTHS,
    &NOT_ADVERBS,
    &PRONOUNS,
    &AUX_ADV,
    &NP_STOP,
    &NP_INNER,
    &DETERMINERS,
    &TIME_WORDS,
    &NEGATORS,
    &UNNAMED_HEADS,
    &CLOSED_CLASS,
    &NEVER_NAMES,
    &DURATIONS,
    &ORGANIZATION_HEADS,
    &VIEW_HEADS,
    &DOCUMENT_HEADS,
    &MEDIA_WORDS,
];

#[rustfmt::skip]
pub static PRONOUNS: WordSet = WordSet::new(1 << 0, &["he", "she", "they", "we", "i", "it", "you", "who", "which"]);

/// Auxiliaries and adverbs that stand between a subject and its cue ("has also said").
#[rustfmt::skip]
pub static AUX_ADV: WordSet = WordSet::new(1 << 1, &[
    "has", "have", "had", "was", "is", "were", "are", "be", "been", "will", "would", "could", "should",
    "may", "might", "can", "must", "did", "does", "do", "also", "later", "previously", "then", "again",
    "recently", "repeatedly", "publicly", "reportedly", "once", "often", "still", "now", "already",
    "frequently", "initially", "separately", "privately", "just", "quickly", "first", "further",
    "long", "always", "never", "not", "n't", "n’t", "openly", "reportedly", "earlier", "flatly", "simply",
    "explicitly", "specifically", "subsequently", "ultimately", "eventually", "immediately", "clearly",
    "strongly", "even", "originally", "correctly", "falsely", "wrongly", "similarly", "likewise",
    "herself", "himself", "themselves", "itself", "personally", "directly", "allegedly", "apparently",
    "however", "nonetheless", "nevertheless", "instead", "yet", "still",
]);

/// Words that end a noun phrase read leftwards from a cue: they are not part of it.
#[rustfmt::skip]
pub static NP_STOP: WordSet = WordSet::new(1 << 2, &[
    "that", "which", "who", "whom", "whose", "when", "where", "while", "after", "before", "because",
    "since", "although", "though", "if", "unless", "as", "but", "or", "nor", "so", "than", "then", "to",
    "by", "on", "about", "into", "over", "under", "during", "through", "against", "between", "is",
    "was", "are", "were", "be", "been", "being", "has", "have", "had", "will", "would", "could",
    "should", "may", "might", "can", "must", "did", "do", "does", "not", "also", "yet", "however",
    "meanwhile", "and", "he", "she", "they", "we", "i", "it", "you", "him", "her", "them", "us", "me",
    "this", "there", "here", "what", "how", "why", "whether", "said", "says", "say", "told", "even",
    "just", "only", "up", "out", "off", "down", "back", "like", "with", "without", "until", "upon",
    "toward", "towards", "among", "across", "around", "once", "still", "now", "later", "earlier",
    "ago", "yesterday", "today", "tonight", "thursday", "friday", "monday", "tuesday", "wednesday",
    "saturday", "sunday", "week", "month", "year", "last", "next", "too", "very", "more", "less",
    "get", "got", "went", "go", "made", "make", "took", "take", "came", "come", "put", "gave", "give",
    "asked", "called", "wrote", "added", "noted", "am", "no", "yes", "well", "not", "both", "either",
    "neither", "every", "everyone", "someone", "anyone", "nobody", "somebody", "really", "actually",
]);

/// Prepositions that may sit inside a noun phrase ("Secretary of State", "a spokesman for the campaign").
#[rustfmt::skip]
pub static NP_INNER: WordSet = WordSet::new(1 << 3, &["of", "for", "at", "from", "in", "with"]);

/// Words that begin a noun phrase; the NP does not reach left past them.
#[rustfmt::skip]
pub static DETERMINERS: WordSet = WordSet::new(1 << 4, &[
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "many", "some", "several",
    "most", "all", "both", "other", "another", "each", "few", "these", "those", "two", "three", "four",
    "five", "one", "dozens", "hundreds", "thousands", "millions", "any", "much",
]);

/// Time expressions that may follow a cue before its source or content ("said Tuesday").
#[rustfmt::skip]
pub static TIME_WORDS: WordSet = WordSet::new(1 << 5, &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
    "tonight", "earlier", "later", "recently", "previously", "again", "also", "repeatedly",
    "publicly", "privately", "last", "this", "week", "month", "year", "morning", "afternoon",
    "evening", "night", "then", "once", "now", "first",
]);

/// Words that make a cue negated when they come just before it.
#[rustfmt::skip]
pub static NEGATORS: WordSet = WordSet::new(1 << 6, &["not", "n't", "n’t", "never", "didn't", "didn’t", "won't", "won’t", "wouldn't", "wouldn’t", "doesn't", "doesn’t", "don't", "don’t", "hasn't", "hasn’t", "haven't", "haven’t", "declined", "refused", "cannot", "can't", "can’t"]);

/// Nouns that say a source is unnamed.
#[rustfmt::skip]
pub static UNNAMED_HEADS: WordSet = WordSet::new(1 << 7, &[
    "official", "officials", "source", "sources", "aide", "aides", "person", "people", "insider",
    "insiders", "spokesman", "spokeswoman", "spokesperson", "analyst", "analysts", "expert", "experts",
    "observers", "critics", "supporters", "residents", "witnesses", "lawmakers", "diplomat",
    "diplomats", "staffers", "advisers", "advisors", "critics", "opponents", "activists", "protesters",
    "economists", "investigators", "prosecutors", "authorities", "others", "some", "many",
]);

/// Function words that are never cues, beyond the lists above.
#[rustfmt::skip]
pub static CLOSED_CLASS: WordSet = WordSet::new(1 << 8, &[
    "the", "and", "for", "not", "are", "but", "all", "any", "can", "her", "was", "one", "our", "out",
    "his", "has", "had", "its", "who", "did", "get", "him", "how", "man", "new", "now", "old", "see",
    "two", "way", "boy", "own", "per", "via", "than", "that", "this", "these", "those", "then",
    "there", "their", "them", "they", "what", "when", "which", "while", "with", "would", "could",
    "should", "will", "shall", "been", "being", "very", "much", "many", "more", "most", "some",
    "such", "only", "also", "just", "even", "into", "onto", "upon", "about", "above", "below",
    "again", "against", "because", "before", "after", "between", "both", "each", "few", "further",
    "here", "itself", "myself", "nor", "off", "once", "other", "over", "same", "so", "too", "under",
    "until", "why", "where", "whom", "yours", "ours", "theirs", "hers", "mine", "percent", "million",
    "billion", "thousand", "hundred", "year", "years", "day", "days", "time", "times",
]);

/// Function words that stay function words when capitalized (at a sentence start).
#[rustfmt::skip]
pub static NEVER_NAMES: WordSet = WordSet::new(1 << 9, &[
    "when", "while", "but", "and", "as", "after", "if", "because", "since", "although", "though",
    "that", "this", "there", "what", "how", "why", "so", "or", "then", "yet", "however",
    "meanwhile", "before", "during", "until", "he", "she", "they", "we", "it", "i", "you", "where",
    "whether", "which", "who", "also", "still", "now", "instead", "indeed", "thus", "here",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundreds", "thousands", "dozens", "many",
    "most", "some", "several", "both", "all", "every", "each", "other", "others", "another",
    "unlike", "despite", "amid", "among", "without", "against", "including", "besides",
]);

/// Nouns of duration: "warned for months" has no particle.
#[rustfmt::skip]
pub static DURATIONS: WordSet = WordSet::new(1 << 10, &["months", "years", "weeks", "days", "decades", "hours", "minutes", "ages", "generations", "centuries", "some", "a", "the", "now", "several", "many", "nearly", "almost", "about", "over", "roughly", "more", "less", "an", "two", "three"]);

/// Head nouns of organisations: "the ministry", "Trump's campaign".
#[rustfmt::skip]
pub static ORGANIZATION_HEADS: WordSet = WordSet::new(1 << 11, &[
    "ministry", "department", "government", "company", "party", "campaign", "committee", "agency",
    "police", "union", "council", "court", "office", "administration", "association", "group",
    "bank", "university", "commission", "house", "senate", "congress", "parliament", "board",
    "institute", "foundation", "organization", "organisation", "corporation", "firm", "network",
    "newspaper", "post", "times", "journal", "inc", "corp", "fund", "army", "military", "school",
    "hospital", "church", "embassy", "cabinet", "coalition", "alliance", "center", "centre",
    "statement", "team", "club", "league", "federation",
]);

/// Heads of phrases after "in" that make it a cue: "in a new poll", "in his view".
#[rustfmt::skip]
pub static VIEW_HEADS: WordSet = WordSet::new(1 << 12, &[
    "poll", "polls", "survey", "surveys", "words", "view", "views", "mind", "opinion", "estimation",
    "study", "studies", "analysis", "assessment", "judgment", "eyes",
]);

/// Words in -ly that are not adverbs.
#[rustfmt::skip]
pub static NOT_ADVERBS: WordSet = WordSet::new(1 << 13, &[
    "rally", "rallies", "family", "likely", "early", "daily", "weekly", "monthly", "yearly", "italy",
    "ally", "jelly", "belly", "bully", "holy", "july", "supply", "reply", "apply", "comply", "fly",
    "assembly", "anomaly", "monopoly", "friendly", "lonely", "lovely", "ugly", "elderly", "costly",
    "only", "unlikely", "orderly", "deadly", "silly", "timely", "manly", "kelly", "kimberly", "beverly",
]);

/// Titles and roles written before a name: dropped from the name.
#[rustfmt::skip]
pub static TITLES: WordSet = WordSet::new(1 << 14, &[
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "sen", "senator", "rep", "representative", "gov",
    "governor", "president", "prime", "minister", "pm", "gen", "general", "col", "lt", "adm", "prof",
    "professor", "rev", "judge", "justice", "mayor", "secretary", "chancellor", "king", "queen",
    "prince", "princess", "sheikh", "speaker", "former", "vice", "lady", "lord", "chairman",
    "chairwoman", "chief", "executive", "director", "spokesman", "spokeswoman", "leader", "candidate",
    "nominee", "democrat", "democratic", "republican", "gop", "sens", "reps", "govs", "attorney",
    "ambassador", "commissioner", "sheriff", "officer", "adviser", "advisor", "deputy", "foreign",
    "finance", "defense", "state", "house", "opposition", "presidential", "pope", "cardinal", "bishop",
    "rabbi", "imam", "ceo", "founder", "co-founder", "anchor", "host", "columnist", "author", "u.s",
    "chair", "chairperson", "whip", "admiral", "rear", "pres", "captain", "capt", "sgt", "sergeant",
    "lieutenant", "pastor", "coach", "detective", "inspector", "commander", "treasurer", "councilman",
    "councilwoman", "congressman", "congresswoman", "assemblyman", "assemblywoman", "superintendent",
    "premier", "archbishop", "reverend", "ayatollah", "emir", "sultan", "president-elect", "pollster",
    "strategist", "correspondent", "reporter", "editor", "producer", "economist", "analyst",
]);

/// Words that make a name an organisation's.
#[rustfmt::skip]
pub static ORG_WORDS: WordSet = WordSet::new(1 << 15, &[
    "post", "times", "news", "journal", "party", "committee", "department", "ministry", "inc", "corp",
    "association", "university", "council", "campaign", "institute", "foundation", "agency", "bureau",
    "office", "court", "senate", "congress", "network", "group", "cnn", "nbc", "abc", "cbs", "fox",
    "msnbc", "reuters", "ap", "afp", "bbc", "press", "tribune", "herald", "magazine", "company",
    "bank", "fund", "commission", "administration", "government", "union", "coalition", "center",
    "centre", "organization", "organisation", "poll", "police", "army", "pentagon", "kremlin",
    "fbi", "cia", "nato", "un", "eu", "gop", "rnc", "dnc", "politico", "breitbart", "twitter",
    "facebook", "google", "microsoft", "apple", "amazon", "school", "college", "club", "league",
    "nations", "caucus", "institution", "society", "authority", "service", "reserve", "airlines",
]);

/// Lower-case particles inside names.
#[rustfmt::skip]
pub static NAME_PARTICLES: WordSet = WordSet::new(1 << 16, &[
    "bin", "bint", "ibn", "van", "von", "der", "den", "de", "del", "della", "la", "le", "du", "da",
    "di", "dos", "das", "al", "el", "abu", "ter", "ten", "st",
]);

/// Documents that speak for whoever made them: "a Quinnipiac University poll", "a Hillary
/// Clinton ad", "a Washington Post database".
#[rustfmt::skip]
pub static DOCUMENT_HEADS: WordSet = WordSet::new(1 << 18, &[
    "poll", "polls", "survey", "report", "study", "analysis", "ad", "ads", "article", "database", "memo", "letter", "review", "audit",
    "investigation", "filing", "brief", "tweet", "video", "editorial", "column", "website", "slide", "presentation", "document",
    "paper", "estimate", "estimates", "projection", "forecast", "index", "ranking", "tally", "commercial", "op-ed", "email", "emails",
    "plan", "proposal", "returns", "statement", "ruling", "lawsuit", "complaint", "budget", "platform",
    "records", "filings", "data", "average", "account", "memoir", "book", "statistics", "figures", "summary", "readout",
    "release", "research", "cables", "documents", "transcript", "testimony", "findings", "reports", "surveys", "studies",
    "letters", "memos", "tweets", "videos", "columns", "articles",
]);

#[rustfmt::skip]
pub static MONTHS: WordSet = WordSet::new(1 << 17, &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.",
]);

/// Words of news outlets and platforms: a phrase told or spoken to with one of them is the
/// medium ("told The Washington Post", "speaking to a local news channel"), not an addressee.
#[rustfmt::skip]
pub static MEDIA_WORDS: WordSet = WordSet::new(1 << 19, &[
    "post", "times", "news", "journal", "cnn", "nbc", "abc", "cbs", "fox", "msnbc", "reuters", "ap",
    "afp", "bbc", "npr", "pbs", "press", "tribune", "herald", "gazette", "telegraph", "guardian",
    "chronicle", "magazine", "network", "politico", "breitbart", "bloomberg", "axios", "twitter",
    "facebook", "youtube", "instagram", "channel", "newspaper", "station", "radio", "television", "tv",
]);

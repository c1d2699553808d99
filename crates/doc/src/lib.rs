//! The document model: one clean text per article, layers of spans added by passes,
//! and an alignment from the text back to the source bytes it came from.
//!
//! Every span is a byte range into `Document::text`. Code points appear only at the
//! output boundary, through [`CharIndex`].

mod align;
mod charindex;
mod date;

pub use align::Alignment;
pub use charindex::CharIndex;
pub use date::{iso_date, iso_from_epoch, valid_day};

/// A byte range `[start, end)` into the document's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// What is known about an article besides its text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    /// BCP 47 tag as the page gives it ("en", "de-AT").
    pub language: Option<String>,
    pub canonical_url: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, digits and the marks inside a word (U.S., don't, 3.5, well-known).
    Word,
    /// A quotation mark; the quotation pass decides which ones open and close.
    Quote,
    /// Any other punctuation or symbol, one character a token.
    Punct,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// A quotation: the marks that open and close it and everything between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// From the opening mark to the closing mark, both included.
    pub span: Span,
    /// Token indexes of the opening mark and of the closing mark (or of the last
    /// token covered, when the closing mark is missing).
    pub open_tok: usize,
    pub close_tok: usize,
    /// 0 for an outer quotation, 1 for one nested inside it, and so on.
    pub depth: u32,
    /// The closing mark is missing: the quotation was closed at the paragraph end.
    pub unclosed: bool,
    /// The quotation goes on in the next paragraph (opening mark there, none here).
    pub continues: bool,
}

/// A sentence as a range of token indexes, with its text span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub first_tok: usize,
    /// One past the last token.
    pub end_tok: usize,
    pub paragraph: usize,
}

/// A hyperlink of the source page: the anchor's text and where it points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hyperlink {
    pub span: Span,
    /// Absolute when the page's address was known, else as written.
    pub url: String,
}

/// Labels that open a cross-reference to another article ("Read more: …"): such a line is
/// a link, never a statement. Readers keep these lines; extraction lists them.
pub const CROSS_REFERENCE_LABELS: &[&str] = &[
    "read more",
    "also read",
    "read also",
    "related",
    "see also",
    "more",
    "recommended",
    "watch",
    "click here",
    "listen",
    "don't miss",
    "don’t miss",
    "more on this story",
    "related articles",
    "related article",
    "related stories",
    "related posts",
    "further reading",
    "you may also like",
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "mehr dazu",
    "auch interessant",
    "das könnte sie auch interessieren",
    "ähnliche beiträge",
    "ähnliche artikel",
    "verwandte beiträge",
    "verwandte artikel",
    "weitere artikel",
    "weiterlesen",
    "lire aussi",
    "à lire aussi",
    "voir aussi",
    "lee también",
    "leer más",
    "leggi anche",
    "czytaj też",
    "czytaj także",
];

/// The layers that passes add. Each pass fills its own and reads the ones before it.
#[derive(Clone, Debug, Default)]
pub struct Layers {
    /// Hyperlinks, from readers of marked-up sources (HTML pages).
    pub hyperlinks: Vec<Hyperlink>,
    pub paragraphs: Vec<Span>,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub quotations: Vec<Quotation>,
    /// Embedded posts and videos read from a page's markup, in page order: those the
    /// article holds (not a sidebar's).
    pub embeds: Vec<Embed>,
}

/// An embedded post or video as the page's markup gives it (a tweet's blockquote, a
/// YouTube iframe): what can be read there, None for the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Embed {
    /// "twitter", "instagram", "facebook", "tiktok", "bluesky", "threads", "mastodon",
    /// "youtube", "vimeo".
    pub platform: &'static str,
    /// "post" or "video".
    pub kind: &'static str,
    /// The post's address, without tracking parameters.
    pub url: Option<String>,
    /// The platform's id of the post or video.
    pub id: Option<String>,
    /// Display name.
    pub author: Option<String>,
    /// With its '@'.
    pub handle: Option<String>,
    /// ISO 8601 (a day, or a timestamp where the markup has one).
    pub date: Option<String>,
    /// The date as the page writes it.
    pub date_text: Option<String>,
    /// A video's title.
    pub title: Option<String>,
    /// Where the embed stands in the text: its rendered text, or an empty span where the
    /// page holds none of it (an iframe).
    pub span: Span,
}

/// A problem with the input that did not stop processing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
    /// Where in the text, when it is about a place.
    pub span: Option<Span>,
}

impl Warning {
    pub fn new(message: impl Into<String>, span: Option<Span>) -> Warning {
        Warning { message: message.into(), span }
    }
}

/// One article: its metadata, its one text, the alignment to its source, its layers.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub meta: Meta,
    pub text: String,
    pub alignment: Alignment,
    pub layers: Layers,
    pub warnings: Vec<Warning>,
}

impl Document {
    /// A document whose text is its source, byte for byte.
    pub fn from_text(meta: Meta, text: String) -> Document {
        let alignment = Alignment::identity(text.len());
        Document { meta, text, alignment, layers: Layers::default(), warnings: Vec::new() }
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    pub fn token_text(&self, i: usize) -> &str {
        self.slice(self.layers.tokens[i].span)
    }
}

//! A lenient HTML parser that keeps byte offsets: tag soup in, a tree of elements and
//! text runs out, every node pointing back into the page. It is not a WHATWG tree
//! builder; it does what matters for reading articles: void and raw-text elements,
//! implied ends of `p`, `li`, `td` and the like, end tags that close what they match,
//! and stray end tags ignored. Linear in the page size, however the tags nest: below
//! `MAX_DEPTH` open elements, start tags open no more (as in browsers), so that walks up
//! the tree stay short.

use sayso_doc::Span;

pub type NodeId = u32;

#[derive(Debug, Clone)]
pub struct Attr {
    /// Lower-cased.
    pub name: Box<str>,
    /// Raw value span in the page (entities not decoded), if the attribute has one.
    pub value: Option<Span>,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    /// Lower-cased tag name.
    Element { name: Box<str>, attrs: Vec<Attr> },
    /// A run of character data, entities not yet decoded.
    Text(Span),
    /// Character data of a raw-text element (script, style, title …), undecoded.
    Raw(Span),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: NodeId,
    pub children: Vec<NodeId>,
    /// From the start of the start tag to the end of the end tag (or of the last child).
    pub span: Span,
}

/// The parsed page. Node 0 is the root; it has no tag.
pub struct Dom<'a> {
    pub src: &'a str,
    pub nodes: Vec<Node>,
    /// XML (feeds): no void, raw-text or implied-end rules; CDATA is text.
    xml: bool,
    /// Whether some elements nested deeper than `MAX_DEPTH` were read as siblings.
    pub flattened: bool,
    /// Calls of `node`: the work of walking the tree, which tests hold linear.
    #[cfg(test)]
    visits: std::cell::Cell<usize>,
}

const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"];
const RAW: &[&str] = &["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title", "template", "plaintext"];
/// Start tags that end an open `p`.
#[rustfmt::skip]
const CLOSES_P: &[&str] = &[
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
];
/// Elements that belong in `head`; any other start tag there ends it (pages that never
/// close their head still have a body).
const IN_HEAD: &[&str] = &["base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style", "template", "title"];
/// How far up the open elements an end tag looks for its start: bounded, so that
/// stray end tags in a page with deep nesting stay linear.
const END_TAG_REACH: usize = 64;
/// Open elements at most (Blink's limit): deeper start tags make empty elements, and what
/// they hold goes to the deepest open one.
pub const MAX_DEPTH: usize = 512;

impl<'a> Dom<'a> {
    pub fn parse(src: &'a str) -> Dom<'a> {
        Dom::build(src, false)
    }

    /// Parses XML leniently (RSS and Atom feeds): every element may hold text and children.
    pub fn parse_xml(src: &'a str) -> Dom<'a> {
        Dom::build(src, true)
    }

    fn build(src: &'a str, xml: bool) -> Dom<'a> {
        let dom = Dom {
            src,
            nodes: Vec::with_capacity(src.len() / 64 + 1),
            xml,
            flattened: false,
            #[cfg(test)]
            visits: Default::default(),
        };
        let mut b = Builder { dom, open: vec![0], nested_page: [0; 2] };
        b.dom.nodes.push(Node {
            kind: NodeKind::Element { name: "".into(), attrs: Vec::new() },
            parent: 0,
            children: Vec::new(),
            span: Span::new(0, src.len()),
        });
        b.run();
        b.dom
    }

    pub fn node(&self, id: NodeId) -> &Node {
        #[cfg(test)]
        self.visits.set(self.visits.get() + 1);
        &self.nodes[id as usize]
    }

    #[cfg(test)]
    pub fn visits(&self) -> usize {
        self.visits.get()
    }

    /// The tag name of an element, "" for text and the root.
    pub fn name(&self, id: NodeId) -> &str {
        match &self.node(id).kind {
            NodeKind::Element { name, .. } => name,
            _ => "",
        }
    }

    /// An attribute's raw value (entities decoded only for the common ones).
    pub fn attr(&self, id: NodeId, name: &str) -> Option<String> {
        let NodeKind::Element { attrs, .. } = &self.node(id).kind else { return None };
        let a = attrs.iter().find(|a| &*a.name == name)?;
        Some(a.value.map_or(String::new(), |v| crate::entity::decode(&self.src[v.start..v.end])))
    }

    pub fn has_attr(&self, id: NodeId, name: &str) -> bool {
        matches!(&self.node(id).kind, NodeKind::Element { attrs, .. } if attrs.iter().any(|a| &*a.name == name))
    }

    /// Every node below `id` in document order (pre-order), `id` excluded.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_, 'a> {
        let mut stack: Vec<NodeId> = self.node(id).children.iter().rev().copied().collect();
        stack.reserve(16);
        Descendants { dom: self, stack }
    }

    /// Elements with this tag name, in document order.
    pub fn elements<'s>(&'s self, name: &'s str) -> impl Iterator<Item = NodeId> + 's {
        self.descendants(0).filter(move |&n| self.name(n) == name)
    }
}

pub struct Descendants<'d, 'a> {
    dom: &'d Dom<'a>,
    stack: Vec<NodeId>,
}

impl Iterator for Descendants<'_, '_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let n = self.stack.pop()?;
        self.stack.extend(self.dom.node(n).children.iter().rev());
        Some(n)
    }
}

struct Builder<'a> {
    dom: Dom<'a>,
    /// Open elements, root first.
    open: Vec<NodeId>,
    /// `html` and `body` start tags inside an open one, made no element: their end tags
    /// end nothing.
    nested_page: [usize; 2],
}

impl Builder<'_> {
    fn top(&self) -> NodeId {
        *self.open.last().unwrap_or(&0)
    }

    fn add(&mut self, kind: NodeKind, span: Span) -> NodeId {
        let id = self.dom.nodes.len() as NodeId;
        let parent = self.top();
        self.dom.nodes.push(Node { kind, parent, children: Vec::new(), span });
        self.dom.nodes[parent as usize].children.push(id);
        id
    }

    fn close_to(&mut self, k: usize, end: usize) {
        while self.open.len() > k.max(1) {
            let n = self.open.pop().unwrap_or(0);
            self.dom.nodes[n as usize].span.end = end;
        }
    }

    /// Index in `open` of the nearest open element named `name`, looking no further
    /// than `reach` levels and not past a `stop` element.
    fn find_open(&self, name: &str, stop: &[&str]) -> Option<usize> {
        for (i, &n) in self.open.iter().enumerate().rev().take(END_TAG_REACH) {
            let t = self.dom.name(n);
            if t == name {
                return Some(i);
            }
            if stop.contains(&t) {
                return None;
            }
        }
        None
    }

    fn implied_ends(&mut self, name: &str, at: usize) {
        if self.dom.xml {
            return;
        }
        if !IN_HEAD.contains(&name) && self.open.last().is_some_and(|&n| self.dom.name(n) == "head") {
            self.close_to(self.open.len() - 1, at);
        }
        let (closes, stop): (&[&str], &[&str]) = match name {
            "li" => (&["li"], &["ul", "ol", "menu"]),
            "dt" | "dd" => (&["dt", "dd"], &["dl"]),
            "tr" => (&["tr"], &["table"]),
            "td" | "th" => (&["td", "th"], &["tr", "table"]),
            "option" => (&["option"], &["select"]),
            _ if CLOSES_P.contains(&name) => (&["p"], &["div", "article", "section", "td", "li", "blockquote", "body"]),
            _ => return,
        };
        for c in closes {
            if let Some(k) = self.find_open(c, stop) {
                self.close_to(k, at);
                return;
            }
        }
    }

    fn run(&mut self) {
        let src = self.dom.src;
        let bytes = src.as_bytes();
        let mut i = 0;
        let mut text_start = 0;
        while i < bytes.len() {
            let Some(lt) = memchr::memchr(b'<', &bytes[i..]) else { break };
            let at = i + lt;
            let next = bytes.get(at + 1).copied().unwrap_or(0);
            let is_tag = next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?';
            if !is_tag {
                i = at + 1;
                continue;
            }
            self.text(text_start, at);
            i = match next {
                b'!' if bytes[at..].starts_with(b"<!--") => skip_past(bytes, at + 4, b"-->"),
                b'!' if bytes[at..].starts_with(b"<![CDATA[") => {
                    let end = find(bytes, at + 9, b"]]>").unwrap_or(bytes.len());
                    self.add(NodeKind::Raw(Span::new(at + 9, end)), Span::new(at, end));
                    (end + 3).min(bytes.len())
                }
                b'!' | b'?' => skip_past(bytes, at + 2, b">"),
                b'/' => self.end_tag(at),
                _ => self.start_tag(at),
            };
            text_start = i;
        }
        self.text(text_start, bytes.len());
        self.close_to(1, bytes.len());
    }

    fn text(&mut self, start: usize, end: usize) {
        if end > start {
            self.add(NodeKind::Text(Span::new(start, end)), Span::new(start, end));
        }
    }

    fn end_tag(&mut self, at: usize) -> usize {
        let bytes = self.dom.src.as_bytes();
        let (name, after) = tag_name(bytes, at + 2);
        let end = skip_past(bytes, after, b">");
        if name.is_empty() {
            return end;
        }
        if let Some(k) = page_tag(self.dom.xml, &name).filter(|&k| self.nested_page[k] > 0) {
            self.nested_page[k] -= 1;
            return end;
        }
        let stop: &[&str] = if name == "p" || name == "li" { &["div", "article", "section", "ul", "ol", "td"] } else { &[] };
        if let Some(k) = self.find_open(&name, stop) {
            self.close_to(k, end);
        }
        end
    }

    fn start_tag(&mut self, at: usize) -> usize {
        let bytes = self.dom.src.as_bytes();
        let (name, mut j) = tag_name(bytes, at + 1);
        let mut attrs = Vec::new();
        let mut self_closing = false;
        // Attributes: name[=value], value quoted or not, until '>'.
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                self_closing = bytes[j] == b'/';
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            self_closing = false;
            let ns = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            if j == ns {
                j += 1; // a lone '=' or other junk
                continue;
            }
            let aname = self.dom.src[ns..j].to_ascii_lowercase().into_boxed_str();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = None;
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let q = bytes[j];
                    let vs = j + 1;
                    let ve = memchr::memchr(q, &bytes[vs..]).map_or(bytes.len(), |k| vs + k);
                    value = Some(Span::new(vs, ve));
                    j = (ve + 1).min(bytes.len());
                } else {
                    let vs = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = Some(Span::new(vs, j));
                }
            }
            if attrs.len() < 64 {
                attrs.push(Attr { name: aname, value });
            }
        }
        let end = (j + 1).min(bytes.len());
        // A page pasted into a page (`<html><body>` inside an article's sections) is part of
        // it, as browsers read it: a second `html` or `body` start tag makes no element.
        if let Some(k) = page_tag(self.dom.xml, &name).filter(|_| self.open.iter().take(4).any(|&n| self.dom.name(n) == name)) {
            self.nested_page[k] += 1;
            return end;
        }
        self.implied_ends(&name, at);
        let void = !self.dom.xml && VOID.contains(&name.as_str());
        let raw = !self.dom.xml && RAW.contains(&name.as_str());
        let id = self.add(NodeKind::Element { name: name.clone().into_boxed_str(), attrs }, Span::new(at, end));
        if raw && !self_closing {
            // Raw text runs to the matching end tag, whatever it holds.
            let close = find_end_tag(bytes, end, &name);
            let (body_end, after) = close.unwrap_or((bytes.len(), bytes.len()));
            if body_end > end {
                let child = self.dom.nodes.len() as NodeId;
                self.dom.nodes.push(Node {
                    kind: NodeKind::Raw(Span::new(end, body_end)),
                    parent: id,
                    children: Vec::new(),
                    span: Span::new(end, body_end),
                });
                self.dom.nodes[id as usize].children.push(child);
            }
            self.dom.nodes[id as usize].span.end = after;
            return after;
        }
        if !void && !self_closing {
            // `open` holds the root too.
            if self.open.len() > MAX_DEPTH {
                self.dom.flattened = true;
            } else {
                self.open.push(id);
            }
        }
        end
    }
}

/// Which of `html` and `body` a tag is, in HTML.
fn page_tag(xml: bool, name: &str) -> Option<usize> {
    match name {
        "html" if !xml => Some(0),
        "body" if !xml => Some(1),
        _ => None,
    }
}

fn tag_name(bytes: &[u8], from: usize) -> (String, usize) {
    let mut j = from;
    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'>' | b'/') {
        j += 1;
    }
    (String::from_utf8_lossy(&bytes[from..j]).to_ascii_lowercase(), j)
}

/// Where `</name` starts after `from`, and where its tag ends.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(k) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + k;
        let rest = &bytes[at..];
        if rest.len() > name.len() + 2 && rest[1] == b'/' && rest[2..2 + name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            let after = rest[2 + name.len()];
            if after == b'>' || after.is_ascii_whitespace() || after == b'/' {
                return Some((at, skip_past(bytes, at + 2 + name.len(), b">")));
            }
        }
        i = at + 1;
    }
    None
}

fn skip_past(bytes: &[u8], from: usize, pat: &[u8]) -> usize {
    find(bytes, from, pat).map_or(bytes.len(), |k| k + pat.len())
}

fn find(bytes: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    let from = from.min(bytes.len());
    memchr::memmem::find(&bytes[from..], pat).map(|k| from + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(dom: &Dom, id: NodeId) -> String {
        let n = dom.node(id);
        match &n.kind {
            NodeKind::Text(s) | NodeKind::Raw(s) => format!("'{}'", &dom.src[s.start..s.end]),
            NodeKind::Element { name, .. } => {
                let inner: Vec<String> = n.children.iter().map(|&c| outline(dom, c)).collect();
                format!("{name}[{}]", inner.join(" "))
            }
        }
    }

    #[test]
    fn implied_ends_and_raw_text() {
        let dom = Dom::parse("<div><p>a<p>b<ul><li>x<li>y</ul></div><script>if (a<b) {}</script><br>c");
        assert_eq!(outline(&dom, 0), "[div[p['a'] p['b'] ul[li['x'] li['y']]] script['if (a<b) {}'] br[] 'c']");
    }

    #[test]
    fn an_unclosed_head_ends_at_the_first_body_element() {
        let dom = Dom::parse("<html><head><meta charset=utf-8><title>t</title><div><p>a</div></html>");
        assert_eq!(outline(&dom, 0), "[html[head[meta[] title['t']] div[p['a']]]]");
    }

    #[test]
    fn a_page_pasted_into_a_page_is_part_of_it() {
        let dom = Dom::parse("<html><body><div><html><body><p>a</p></body></html><p>b</p></div><p>c</p></body></html>");
        assert_eq!(outline(&dom, 0), "[html[body[div[p['a'] p['b']] p['c']]]]");
    }

    #[test]
    fn attributes_and_stray_end_tags() {
        let dom = Dom::parse("<P CLASS='x y' data-a=1 hidden>t</span></p>");
        let p = dom.elements("p").next().unwrap();
        assert_eq!(dom.attr(p, "class").as_deref(), Some("x y"));
        assert_eq!(dom.attr(p, "data-a").as_deref(), Some("1"));
        assert!(dom.has_attr(p, "hidden"));
        assert_eq!(outline(&dom, 0), "[p['t']]");
    }

    #[test]
    fn deep_nesting_and_broken_markup_stay_linear() {
        let deep = "<div>".repeat(10_000) + "x" + &"</div>".repeat(10_000);
        let dom = Dom::parse(&deep);
        assert_eq!(dom.nodes.len(), 10_002);
        // The text sits under the deepest open div, MAX_DEPTH levels down.
        let (mut depth, mut n) = (0, dom.nodes.len() as NodeId - 1);
        while n != 0 {
            (depth, n) = (depth + 1, dom.node(n).parent);
        }
        assert_eq!(depth, MAX_DEPTH + 1);
        assert!(dom.flattened && !Dom::parse("<div>x</div>").flattened);
        for junk in ["<", "<a", "<a href=\"", "<!--", "<![CDATA[", "</", "<script>", "a < b", "<a =x>"] {
            Dom::parse(junk);
        }
        let feed = Dom::parse_xml("<item><link>http://x</link><d><![CDATA[<p>a</p>]]></d></item>");
        assert_eq!(outline(&feed, 0), "[item[link['http://x'] d['<p>a</p>']]]");
        let stray = "</i>".repeat(50_000);
        assert_eq!(Dom::parse(&stray).nodes.len(), 1);
    }
}

//! RSS 2.0 and Atom feeds: one article per `item` or `entry`, its body the HTML of
//! `content:encoded`, `content`, `description` or `summary`, aligned to the feed's bytes.

use sayso_doc::{Alignment, Meta, Span};
use sayso_html::dom::{Dom, NodeId, NodeKind};
use sayso_html::{charset, entity};

/// One item: its metadata and its HTML with the alignment of that HTML to the feed.
pub struct FeedItem {
    pub meta: Meta,
    pub html: String,
    pub to_source: Alignment,
}

/// The `encoding` an XML declaration names, as a Content-Type would say it.
fn xml_encoding(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let decl = &head[head.find("<?xml")?..];
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding=")? + 9;
    let v = decl[at..].trim_start_matches(['"', '\'']);
    Some(format!("charset={}", &v[..v.find(['"', '\'']).unwrap_or(v.len())]))
}

pub fn items(bytes: &[u8], feed_name: &str) -> (Vec<FeedItem>, Option<String>) {
    let decoded = charset::decode(bytes, xml_encoding(bytes).as_deref());
    let dom = Dom::parse_xml(&decoded.text);
    let mut out = Vec::new();
    let outlet = dom.descendants(0).find(|&n| matches!(dom.name(n), "channel" | "feed")).and_then(|c| child_text(&dom, c, &["title"]));
    for (n, item) in dom.descendants(0).filter(|&n| matches!(dom.name(n), "item" | "entry")).enumerate() {
        let link = child(&dom, item, &["link"])
            .and_then(|l| dom.attr(l, "href").filter(|_| dom.attr(l, "rel").is_none_or(|r| r == "alternate")).or_else(|| text(&dom, l)));
        let id = child_text(&dom, item, &["guid", "id"]).or_else(|| link.clone()).unwrap_or_else(|| format!("{feed_name}#{}", n + 1));
        let mut authors = Vec::new();
        for a in dom.node(item).children.iter().copied().filter(|&c| matches!(dom.name(c), "author" | "dc:creator")) {
            let name = child_text(&dom, a, &["name"]).or_else(|| text(&dom, a));
            // RSS writes "jane@example.com (Jane Roe)".
            if let Some(name) = name.map(|n| n.rsplit_once('(').map_or(n.clone(), |(_, r)| r.trim_end_matches(')').to_string())) {
                authors.push(name);
            }
        }
        let Some(body) = child(&dom, item, &["content:encoded", "content", "description", "summary"]) else { continue };
        let (html, to_source) = inner_html(&dom, body);
        out.push(FeedItem {
            meta: Meta {
                id,
                title: child_text(&dom, item, &["title"]),
                url: link,
                published: child_text(&dom, item, &["pubdate", "published", "dc:date", "updated"])
                    .map(|d| sayso_html::meta::iso_date(&d).unwrap_or(d)),
                outlet: outlet.clone(),
                authors,
                ..Meta::default()
            },
            html,
            to_source: to_source.then(&decoded.alignment),
        });
    }
    (out, decoded.warning)
}

fn child(dom: &Dom, id: NodeId, names: &[&str]) -> Option<NodeId> {
    names.iter().find_map(|n| dom.node(id).children.iter().copied().find(|&c| dom.name(c) == *n))
}

fn child_text(dom: &Dom, id: NodeId, names: &[&str]) -> Option<String> {
    child(dom, id, names).and_then(|c| text(dom, c))
}

fn text(dom: &Dom, id: NodeId) -> Option<String> {
    let (html, _) = inner_html(dom, id);
    let t = html.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// An element's content as HTML: CDATA and markup as written, escaped text decoded, with
/// the alignment of the result to the parsed text.
fn inner_html(dom: &Dom, id: NodeId) -> (String, Alignment) {
    let mut out = String::new();
    let mut align = Alignment::builder();
    let node = dom.node(id);
    let kids = &node.children;
    if kids.iter().any(|&c| matches!(dom.node(c).kind, NodeKind::Element { .. })) {
        // XHTML content: the markup between the tags, as written.
        let start = dom.node(kids[0]).span.start;
        let end = dom.node(kids[kids.len() - 1]).span.end;
        align.push(0, start);
        out.push_str(&dom.src[start..end]);
    } else {
        for &c in kids {
            match dom.node(c).kind {
                NodeKind::Raw(s) => {
                    align.push(out.len(), s.start);
                    out.push_str(&dom.src[s.start..s.end]);
                }
                NodeKind::Text(s) => decode_aligned(dom.src, s, &mut out, &mut align),
                NodeKind::Element { .. } => {}
            }
        }
    }
    let len = out.len();
    (out, align.finish(len))
}

fn decode_aligned(src: &str, span: Span, out: &mut String, align: &mut Alignment) {
    let mut i = span.start;
    while i < span.end {
        let rest = &src[i..span.end];
        let k = rest.find('&').unwrap_or(rest.len());
        align.push(out.len(), i);
        out.push_str(&rest[..k]);
        i += k;
        if i >= span.end {
            break;
        }
        match entity::reference(&src[i..span.end]) {
            Some((c, len)) => {
                align.push(out.len(), i);
                out.push(c);
                i += len;
            }
            None => {
                out.push('&');
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_atom_items() {
        let rss = r#"<?xml version="1.0"?><rss><channel><title>Daily</title><item><title>A &amp; B</title><link>https://d.example/1</link>
<pubDate>Tue, 10 Dec 2024 10:00:00 GMT</pubDate><dc:creator>Jane Roe</dc:creator>
<content:encoded><![CDATA[<p>She said: "Yes."</p>]]></content:encoded></item>
<item><guid>g2</guid><description>&lt;p&gt;He said &amp;quot;no&amp;quot;.&lt;/p&gt;</description></item></channel></rss>"#;
        let (items, warn) = items(rss.as_bytes(), "f");
        assert!(warn.is_none());
        assert_eq!(items.len(), 2);
        let a = &items[0];
        assert_eq!(
            (a.meta.id.as_str(), a.meta.title.as_deref(), a.meta.outlet.as_deref()),
            ("https://d.example/1", Some("A & B"), Some("Daily"))
        );
        assert_eq!(a.meta.authors, ["Jane Roe"]);
        assert_eq!(a.html, r#"<p>She said: "Yes."</p>"#);
        let at = a.to_source.to_source(a.html.find("Yes").unwrap());
        assert!(rss[at..].starts_with("Yes"));
        let b = &items[1];
        assert_eq!(b.html, "<p>He said &quot;no&quot;.</p>");
        let at = b.to_source.to_source(b.html.find("no&").unwrap());
        assert!(rss[at..].starts_with("no&amp;"));

        let atom = r#"<feed><title>T</title><entry><id>e1</id><title>X</title><link rel="alternate" href="https://t.example/x"/>
<author><name>Bo Chan</name></author><content type="html">&lt;p&gt;Hi&lt;/p&gt;</content></entry></feed>"#;
        let (items, _) = super::items(atom.as_bytes(), "f");
        assert_eq!(items[0].meta.url.as_deref(), Some("https://t.example/x"));
        assert_eq!(items[0].meta.authors, ["Bo Chan"]);
        assert_eq!(items[0].html, "<p>Hi</p>");
    }
}

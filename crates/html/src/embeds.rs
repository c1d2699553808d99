//! Embedded posts and videos in a page's markup: an X post's blockquote, `amp-twitter`,
//! `data-tweet-id` placeholders, Instagram, Facebook, TikTok, Bluesky, Threads and Mastodon
//! embeds, YouTube and Vimeo players. Each gives what its markup holds (address, id, author,
//! handle, date); where it stands in the article is the content writer's to say.

use sayso_doc::{iso_date, iso_from_epoch, Embed, Span};

use crate::dom::{Dom, NodeId, NodeKind};
use crate::meta::text_of;

/// Attributes that hold an iframe's address, lazy loaders' first.
const SRC: &[&str] = &["src", "data-src", "data-lazy-src", "data-cmp-src", "data-url"];

fn classes(dom: &Dom, id: NodeId) -> String {
    dom.attr(id, "class").unwrap_or_default().to_ascii_lowercase()
}

fn has_class(classes: &str, name: &str) -> bool {
    classes.split_ascii_whitespace().any(|c| c == name)
}

fn src_of(dom: &Dom, id: NodeId) -> Option<String> {
    SRC.iter().filter_map(|a| dom.attr(id, a)).map(|s| s.trim().to_string()).find(|s| s.contains("//"))
}

/// The platform and kind of an embed element, None for any other element.
pub fn kind_of(dom: &Dom, id: NodeId) -> Option<(&'static str, &'static str)> {
    let name = dom.name(id);
    let c = classes(dom, id);
    let blockquote = |class: &str| name == "blockquote" && has_class(&c, class);
    Some(if blockquote("twitter-tweet") || blockquote("twitter-video") || name == "amp-twitter" {
        ("twitter", "post")
    } else if blockquote("instagram-media") || name == "amp-instagram" {
        ("instagram", "post")
    } else if blockquote("tiktok-embed") {
        ("tiktok", "video")
    } else if blockquote("bluesky-embed") {
        ("bluesky", "post")
    } else if blockquote("text-post-media") {
        ("threads", "post")
    } else if name == "div" && (has_class(&c, "fb-post") || has_class(&c, "fb-video")) {
        ("facebook", if has_class(&c, "fb-video") { "video" } else { "post" })
    } else if name == "lite-youtube" || name == "amp-youtube" {
        ("youtube", "video")
    } else if dom.has_attr(id, "data-tweet-id") || dom.has_attr(id, "data-tweetid") {
        ("twitter", "post")
    } else if name == "iframe" {
        let src = src_of(dom, id)?;
        if has_class(&c, "mastodon-embed") {
            ("mastodon", "post")
        } else if src.contains("youtube.com/embed/") || src.contains("youtube-nocookie.com/embed/") {
            ("youtube", "video")
        } else if src.contains("player.vimeo.com/video/") {
            ("vimeo", "video")
        } else if src.contains("facebook.com/plugins/post") {
            ("facebook", "post")
        } else if src.contains("facebook.com/plugins/video") {
            ("facebook", "video")
        } else if src.contains("instagram.com/p/") || src.contains("instagram.com/reel/") {
            ("instagram", "post")
        } else if src.contains("tiktok.com/embed") {
            ("tiktok", "video")
        } else if (src.contains("twitter.com/") || src.contains("x.com/")) && (src.contains("/status/") || src.contains("Tweet.html")) {
            ("twitter", "post")
        } else if src.contains("threads.net/") || src.contains("threads.com/") {
            ("threads", "post")
        } else {
            return None;
        }
    } else {
        return None;
    })
}

/// `s` without its query and fragment.
fn bare(s: &str) -> &str {
    s.split(['?', '#']).next().unwrap_or(s).trim()
}

/// The path segment after `marker` in a URL ("…/status/123?x" → "123").
fn after<'s>(url: &'s str, marker: &str) -> Option<&'s str> {
    let at = url.find(marker)? + marker.len();
    let seg = url[at..].split(['/', '?', '#', '&', '"']).next()?.trim();
    (!seg.is_empty()).then_some(seg)
}

/// A URL-encoded query parameter's value ("…?href=https%3A%2F%2F…").
fn param(url: &str, key: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    let v = q.split('&').find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))?;
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |k: usize| b.get(k).and_then(|&c| (c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', ..) => {
                out.push(b' ');
                i += 1;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The first link below `id` whose address contains `needle`.
fn link(dom: &Dom, id: NodeId, needle: &str) -> Option<String> {
    dom.descendants(id).filter(|&d| dom.name(d) == "a").filter_map(|a| dom.attr(a, "href")).find(|h| h.contains(needle))
}

/// An X post's time from its id: ids since late 2010 are snowflakes, milliseconds since
/// 2010-11-04 shifted left 22 bits.
fn snowflake_time(id: &str) -> Option<String> {
    let n: u64 = id.parse().ok()?;
    let ms = (n >> 22).checked_add(1_288_834_974_657)?;
    (n >> 22 > 0 && id.len() >= 15).then(|| iso_from_epoch((ms / 1000) as i64, 0))
}

/// "— Name (@handle) date" at the end of a post's text: name, handle, date as written.
pub fn signature(text: &str) -> Option<(Option<String>, String, Option<String>)> {
    let h = text.rfind("(@")?;
    let close = h + text[h..].find(')')?;
    let handle = &text[h + 2..close];
    if handle.is_empty() || handle.len() > 60 || handle.contains(char::is_whitespace) {
        return None;
    }
    let before = &text[..h];
    let name_start = before.rfind(['—', '–']).map_or(0, |k| k + before[k..].chars().next().map_or(1, char::len_utf8));
    let name = before[name_start..].trim();
    let date = text[close + 1..].trim();
    let name = (!name.is_empty() && name.len() <= 80).then(|| name.to_string());
    let date = (!date.is_empty() && date.len() <= 60).then(|| date.to_string());
    Some((name, format!("@{handle}"), date))
}

/// Phrases that open an Instagram post's credit line, in the languages its embeds are
/// written in ("A post shared by Name (@handle)").
const SHARED_BY: &[&str] = &[
    "a post shared by",
    "a video shared by",
    "ein beitrag geteilt von",
    "une publication partagée par",
    "una publicación compartida de",
    "una publicación compartida por",
    "un post condiviso da",
    "uma publicação compartilhada por",
    "een bericht gedeeld door",
];

/// Reads one embed element found by [`kind_of`]; `span` is where it stands in the text.
pub fn read(dom: &Dom, id: NodeId, platform: &'static str, kind: &'static str, span: Span) -> Embed {
    let mut e = Embed { platform, kind, span, ..Embed::default() };
    let src = src_of(dom, id);
    let text = || text_of(dom, id);
    let sign = |e: &mut Embed, t: &str| {
        if let Some((name, handle, date)) = signature(t) {
            e.author = name;
            e.handle = Some(handle);
            e.date_text = date;
        }
    };
    match platform {
        "twitter" => {
            let status = link(dom, id, "/status/")
                .or_else(|| src.clone().filter(|s| s.contains("/status/")))
                .or_else(|| dom.attr(id, "data-tweetid").filter(|t| t.contains("/status/")));
            let tweet_id = status
                .as_deref()
                .and_then(|s| after(s, "/status/"))
                .map(str::to_string)
                .or_else(|| dom.attr(id, "data-tweet-id").or_else(|| dom.attr(id, "data-tweetid")))
                .or_else(|| src.as_deref().and_then(|s| param(s, "id")))
                .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
            if name_is(dom, id, "blockquote") {
                sign(&mut e, &text());
            }
            let user = status.as_deref().and_then(|s| after(s, ".com/")).filter(|u| *u != "i" && *u != "status");
            if e.handle.is_none() {
                e.handle = user.map(|u| format!("@{u}"));
            }
            e.url = tweet_id.as_ref().map(|t| format!("https://twitter.com/{}/status/{t}", user.unwrap_or("i")));
            if e.date_text.is_none() {
                e.date = tweet_id.as_deref().and_then(snowflake_time);
            }
            e.id = tweet_id;
        }
        "instagram" => {
            let shortcode = dom.attr(id, "data-shortcode").map(|c| format!("https://www.instagram.com/p/{c}/"));
            let permalink =
                dom.attr(id, "data-instgrm-permalink").or(shortcode).or_else(|| link(dom, id, "instagram.com/")).or(src.clone());
            e.url = permalink.as_deref().map(|p| bare(p).trim_end_matches("embed/").trim_end_matches("embed").to_string());
            e.id = e.url.as_deref().and_then(|u| after(u, "/p/").or_else(|| after(u, "/reel/"))).map(str::to_string);
            let t = text();
            let lower = t.to_lowercase();
            if let Some(at) = SHARED_BY.iter().find_map(|p| lower.find(p).map(|k| k + p.len())) {
                // Lower-casing keeps byte offsets for the scripts these phrases are in.
                if let Some(credit) = t.get(at..) {
                    sign(&mut e, credit);
                    let date = e.date_text.take();
                    e.date_text =
                        date.map(|d| d.trim_start_matches(|c: char| c.is_alphabetic()).trim().to_string()).filter(|d| !d.is_empty());
                }
            }
            if let Some(dt) = dom.descendants(id).find(|&d| dom.name(d) == "time").and_then(|t| dom.attr(t, "datetime")) {
                e.date = iso_date(&dt);
            }
        }
        "tiktok" => {
            let cite = dom.attr(id, "cite").or(src.clone()).unwrap_or_default();
            e.url = (!cite.is_empty()).then(|| bare(&cite).to_string());
            e.id = dom.attr(id, "data-video-id").or_else(|| after(&cite, "/video/").or_else(|| after(&cite, "/v2/")).map(str::to_string));
            e.handle = after(&cite, "tiktok.com/@").map(|u| format!("@{u}"));
        }
        "bluesky" => {
            let post = link(dom, id, "/post/");
            e.url = post.as_deref().map(|p| bare(p).to_string());
            e.id = dom.attr(id, "data-bluesky-uri").and_then(|u| u.rsplit('/').next().map(str::to_string));
            sign(&mut e, &text());
        }
        "threads" => {
            let permalink = dom.attr(id, "data-text-post-permalink").or(src.clone()).unwrap_or_default();
            e.url = (!permalink.is_empty()).then(|| bare(&permalink).trim_end_matches("/embed").to_string());
            e.id = after(&permalink, "/post/").map(str::to_string);
            e.handle = after(&permalink, "/@").map(|u| format!("@{u}"));
        }
        "mastodon" => {
            // https://host/@user/123/embed
            let s = src.clone().unwrap_or_default();
            let host = after(&s, "://");
            let user = after(&s, "/@");
            e.url = Some(bare(&s).trim_end_matches("/embed").to_string());
            e.id = user.and_then(|u| after(&s, &format!("/@{u}/"))).map(str::to_string);
            e.handle = user.map(|u| format!("@{u}{}", host.map(|h| format!("@{h}")).unwrap_or_default()));
        }
        "facebook" => {
            let href = dom.attr(id, "data-href").or_else(|| src.as_deref().and_then(|s| param(s, "href"))).unwrap_or_default();
            e.url = (!href.is_empty()).then(|| href.trim().to_string());
            let page = after(&href, "facebook.com/").filter(|p| !p.ends_with(".php") && !matches!(*p, "watch" | "plugins" | "groups"));
            e.handle = page.map(|p| format!("@{p}"));
            e.id = ["/posts/", "/videos/", "/photos/", "story_fbid=", "v="]
                .iter()
                .find_map(|m| href.rsplit_once(m).map(|(_, r)| r.trim_end_matches('/').rsplit('/').next().unwrap_or(r)))
                .map(|r| r.split(['&', '?']).next().unwrap_or(r).to_string())
                .filter(|r| !r.is_empty());
        }
        "youtube" => {
            let vid = dom
                .attr(id, "videoid")
                .or_else(|| dom.attr(id, "data-videoid"))
                .or_else(|| src.as_deref().and_then(|s| after(s, "/embed/")).map(str::to_string))
                .filter(|v| v.len() == 11 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            e.url = vid.as_ref().map(|v| format!("https://www.youtube.com/watch?v={v}"));
            e.id = vid;
            e.title = video_title(dom, id);
        }
        _ => {
            // Vimeo: https://player.vimeo.com/video/123?…
            e.id = src.as_deref().and_then(|s| after(s, "/video/")).filter(|v| v.bytes().all(|b| b.is_ascii_digit())).map(str::to_string);
            e.url = e.id.as_ref().map(|v| format!("https://vimeo.com/{v}"));
            e.title = video_title(dom, id);
        }
    }
    e.handle = e.handle.filter(|h| h.len() > 1);
    if e.date.is_none() {
        e.date = e.date_text.as_deref().and_then(iso_date);
    }
    e
}

fn name_is(dom: &Dom, id: NodeId, name: &str) -> bool {
    dom.name(id) == name
}

/// A player's title, unless it only names the player ("YouTube video player").
fn video_title(dom: &Dom, id: NodeId) -> Option<String> {
    let t = dom.attr(id, "title").or_else(|| dom.attr(id, "data-title"))?;
    let t = t.trim().trim_start_matches("Play: ").trim().to_string();
    let generic = t.to_lowercase();
    let generic = generic.is_empty() || generic.starts_with("youtube") || generic.starts_with("vimeo") || generic.ends_with("player");
    (!generic).then_some(t)
}

/// The embeds in `root`'s subtree (root included), in page order, not those inside another.
pub fn within(dom: &Dom, root: NodeId, mut found: impl FnMut(NodeId, &'static str, &'static str)) {
    let end = dom.node(root).span.end;
    let mut id = root;
    // Node ids follow the page's order, and a subtree ends where its element's span does.
    while (id as usize) < dom.nodes.len() && (id == root || dom.node(id).span.start < end) {
        if matches!(dom.node(id).kind, NodeKind::Element { .. }) {
            if let Some((platform, kind)) = kind_of(dom, id) {
                found(id, platform, kind);
                let stop = dom.node(id).span.end;
                id += 1;
                while (id as usize) < dom.nodes.len() && dom.node(id).span.start < stop {
                    id += 1;
                }
                continue;
            }
        }
        id += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embeds(page: &str) -> Vec<Embed> {
        let dom = Dom::parse(page);
        let mut out = Vec::new();
        within(&dom, 0, |id, p, k| out.push(read(&dom, id, p, k, Span::default())));
        out
    }

    #[test]
    fn tweets_in_every_form() {
        let e = embeds(
            r#"<blockquote class="twitter-tweet"><p lang="en">We will rebuild.</p>&mdash; Jane Roe (@JaneRoeNYC) <a href="https://twitter.com/JaneRoeNYC/status/1196565232463716352?ref_src=twsrc">November 18, 2019</a></blockquote>
            <amp-twitter data-tweetid="1196565232463716352" width="400"></amp-twitter>
            <div class="widget__tweet" data-tweet-id="2007489108059533390"></div>
            <iframe src="https://platform.twitter.com/embed/Tweet.html?id=1521523341391282176"></iframe>
            <blockquote class="twitter-tweet" data-lang="de"><p>Hallo</p>— Anja (@AnjaAmaranth) 10. September 2018</blockquote>"#,
        );
        assert_eq!(e.len(), 5);
        assert_eq!((e[0].author.as_deref(), e[0].handle.as_deref()), (Some("Jane Roe"), Some("@JaneRoeNYC")));
        assert_eq!((e[0].date.as_deref(), e[0].date_text.as_deref()), (Some("2019-11-18"), Some("November 18, 2019")));
        assert_eq!(e[0].url.as_deref(), Some("https://twitter.com/JaneRoeNYC/status/1196565232463716352"));
        // Placeholders give the id, and the id the time.
        assert_eq!(e[1].id.as_deref(), Some("1196565232463716352"));
        assert!(e[1].date.as_deref().is_some_and(|d| d.starts_with("2019-11-18T")), "{:?}", e[1].date);
        assert_eq!(e[2].url.as_deref(), Some("https://twitter.com/i/status/2007489108059533390"));
        assert_eq!(e[3].id.as_deref(), Some("1521523341391282176"));
        assert_eq!(e[4].date.as_deref(), Some("2018-09-10"));
    }

    #[test]
    fn other_platforms() {
        let e = embeds(
            r#"<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/BalQ2SWFty8/?utm_source=ig_embed"><p>Work #skep</p><p>Ein Beitrag geteilt von SKEP (@skep.association) am <time datetime="2017-10-22T22:31:05+00:00">23. Okt 2017 um 0:31 Uhr</time></p></blockquote>
            <div class="fb-post" data-href="https://www.facebook.com/unialesznoks/posts/3485430308204317"></div>
            <amp-instagram data-shortcode="B1mHd6sHGXK"></amp-instagram>
            <blockquote class="tiktok-embed" cite="https://www.tiktok.com/@nogood.io/video/7380087564788714795" data-video-id="7380087564788714795"><section>just why</section></blockquote>
            <blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:abc/app.bsky.feed.post/3kq2"><p>Hello sky</p>&mdash; Ann Lee (<a href="https://bsky.app/profile/did:plc:abc?ref_src=embed">@ann.bsky.social</a>) <a href="https://bsky.app/profile/did:plc:abc/post/3kq2?ref_src=embed">March 3, 2024 at 10:00 AM</a></blockquote>
            <blockquote class="text-post-media" data-text-post-permalink="https://www.threads.net/@zuck/post/C1a2b3"></blockquote>
            <iframe class="mastodon-embed" src="https://mastodon.social/@Gargron/111/embed"></iframe>
            <lite-youtube videoid="K2oawPsUc8Y" title="Moving day"></lite-youtube>
            <iframe data-src="https://www.youtube-nocookie.com/embed/r0QZ-ttBXMo?rel=0" title="YouTube video player"></iframe>
            <iframe src="https://player.vimeo.com/video/77911159?dnt=1" title="Spring"></iframe>
            <iframe src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fbbcnews%2Fvideos%2F123%2F&width=500"></iframe>"#,
        );
        let got: Vec<_> = e.iter().map(|e| (e.platform, e.kind, e.handle.as_deref(), e.id.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("instagram", "post", Some("@skep.association"), Some("BalQ2SWFty8")),
                ("facebook", "post", Some("@unialesznoks"), Some("3485430308204317")),
                ("instagram", "post", None, Some("B1mHd6sHGXK")),
                ("tiktok", "video", Some("@nogood.io"), Some("7380087564788714795")),
                ("bluesky", "post", Some("@ann.bsky.social"), Some("3kq2")),
                ("threads", "post", Some("@zuck"), Some("C1a2b3")),
                ("mastodon", "post", Some("@Gargron@mastodon.social"), Some("111")),
                ("youtube", "video", None, Some("K2oawPsUc8Y")),
                ("youtube", "video", None, Some("r0QZ-ttBXMo")),
                ("vimeo", "video", None, Some("77911159")),
                ("facebook", "video", Some("@bbcnews"), Some("123")),
            ]
        );
        assert_eq!((e[0].author.as_deref(), e[0].date.as_deref()), (Some("SKEP"), Some("2017-10-22T22:31:05+00:00")));
        assert_eq!(e[0].url.as_deref(), Some("https://www.instagram.com/p/BalQ2SWFty8/"));
        assert_eq!((e[4].author.as_deref(), e[4].date.as_deref()), (Some("Ann Lee"), Some("2024-03-03")));
        assert_eq!(e[4].url.as_deref(), Some("https://bsky.app/profile/did:plc:abc/post/3kq2"));
        assert_eq!((e[7].title.as_deref(), e[8].title.as_deref(), e[9].title.as_deref()), (Some("Moving day"), None, Some("Spring")));
        assert_eq!(e[7].url.as_deref(), Some("https://www.youtube.com/watch?v=K2oawPsUc8Y"));
    }

    #[test]
    fn broken_embeds_give_what_they_can() {
        let e = embeds(
            r#"<blockquote class="twitter-tweet"><p>no end (@ and — nothing<iframe src="https://www.youtube.com/embed/$1"></iframe>"#,
        );
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].handle.as_deref(), e[0].url.as_deref(), e[0].date.as_deref()), (None, None, None));
        let many = "<div class=\"fb-post\"></div>".repeat(10_000);
        assert_eq!(embeds(&many).len(), 10_000);
    }
}

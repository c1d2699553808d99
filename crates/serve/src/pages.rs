//! The web pages, rendered on the server: search, article, speaker, trail, paste. Every
//! value from the store or the request goes through `html::esc`; scripts and styles are
//! the two assets below, never inline.

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Form, Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::api::{self, SearchParams, SPEAKER_STATEMENTS};
use crate::html::{attr, esc, outside_link, page, url_param};
use crate::mark::{render_text, summary, Marked};
use crate::{ApiError, St};

/// An error as a page for people, with the same status the API would give.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = self.0.status.canonical_reason().unwrap_or("Error");
        let body = format!("<h1>{}</h1><p class=\"error\">{}</p><p><a href=\"/\">Home</a></p>", esc(title), esc(&self.0.message));
        (self.0.status, Html(page(title, &body))).into_response()
    }
}

type PageResult = Result<Html<String>, PageError>;

fn day(d: &Option<String>) -> &str {
    d.as_deref().map_or("undated", |d| d.get(..10).unwrap_or(d))
}

pub async fn home(st: St) -> PageResult {
    let (counts, top) = st.pool.with(|s| Ok((s.counts()?, s.identities(None, 12)?))).await?;
    let speakers: String = top
        .iter()
        .map(|r| {
            format!("<li><a href=\"/speakers/{}\">{}</a> <span class=\"muted\">{} statements</span></li>", r.id, esc(&r.name), r.statements)
        })
        .collect();
    let body = format!(
        "<h1>Who said what</h1><p>{} articles, {} statements, {} speakers in this store.</p>{}\
         <h2>Speakers with most statements</h2><ul class=\"plain\">{speakers}</ul>\
         <p>Or <a href=\"/paste\">paste an article</a> to see its statements marked.</p>",
        counts.0,
        counts.1,
        counts.2,
        search_form(&SearchParams::default())
    );
    Ok(Html(page("Home", &body)))
}

fn search_form(p: &SearchParams) -> String {
    let v = |x: &Option<String>| attr(x.as_deref().unwrap_or(""));
    let kinds: String = ["", "direct", "mixed", "indirect", "post"]
        .iter()
        .map(|k| {
            let sel = if p.kind.as_deref().unwrap_or("") == *k { " selected" } else { "" };
            format!("<option value=\"{k}\"{sel}>{}</option>", if k.is_empty() { "any kind" } else { k })
        })
        .collect();
    let sorts: String = [("rank", "best match"), ("date", "newest")]
        .iter()
        .map(|(k, label)| {
            let sel = if p.sort.as_deref() == Some(k) { " selected" } else { "" };
            format!("<option value=\"{k}\"{sel}>{label}</option>")
        })
        .collect();
    format!(
        "<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\
         <p><label for=\"q\">Words said</label> <input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" maxlength=\"500\" required></p>\
         <fieldset><legend>Filters</legend>\
         <label>Speaker <input name=\"speaker\" value=\"{}\" maxlength=\"500\"></label>\
         <label>Outlet <input name=\"outlet\" value=\"{}\" maxlength=\"500\"></label>\
         <label>Kind <select name=\"kind\">{kinds}</select></label>\
         <label>Since <input name=\"since\" value=\"{}\" placeholder=\"YYYY-MM-DD\" maxlength=\"10\"></label>\
         <label>Until <input name=\"until\" value=\"{}\" placeholder=\"YYYY-MM-DD\" maxlength=\"10\"></label>\
         <label>Order <select name=\"sort\">{sorts}</select></label></fieldset>\
         <p><button type=\"submit\">Search</button></p></form>",
        v(&p.q),
        v(&p.speaker),
        v(&p.outlet),
        v(&p.since),
        v(&p.until)
    )
}

/// The query's words, lower-cased, as the search matched them.
fn query_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A text with the words of the query marked (escaped).
fn mark_words(text: &str, words: &[String]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let word_len = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        if word_len > 0 {
            let w = &rest[..word_len];
            if words.contains(&w.to_lowercase()) {
                out.push_str(&format!("<mark class=\"hit\">{}</mark>", esc(w)));
            } else {
                out.push_str(&esc(w));
            }
            rest = &rest[word_len..];
        } else {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&esc(&rest[..c]));
            rest = &rest[c..];
        }
    }
    out
}

pub async fn search(st: St, q: Result<Query<SearchParams>, QueryRejection>) -> Result<Response, PageError> {
    let Query(p) = q.map_err(|e| ApiError::bad(e.body_text()))?;
    if p.q.as_deref().is_none_or(|q| q.trim().is_empty()) {
        return Ok(Html(page("Search", &format!("<h1>Search what was said</h1>{}", search_form(&p)))).into_response());
    }
    let form = search_form(&p);
    let (hits, next) = match api::run_search(&st, &p).await {
        Ok(r) => r,
        Err(e) if e.status == StatusCode::BAD_REQUEST => {
            let body = format!("<h1>Search</h1>{form}<p class=\"error\" role=\"alert\">{}</p>", esc(&e.message));
            return Ok((StatusCode::BAD_REQUEST, Html(page("Search", &body))).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let words = query_words(p.q.as_deref().unwrap_or(""));
    let mut rows = String::new();
    for h in &hits {
        let speaker = match (h.identity, &h.speaker) {
            (Some(id), Some(name)) => format!("<a href=\"/speakers/{id}\">{}</a>", esc(name)),
            (None, Some(name)) => esc(name),
            _ => "<span class=\"muted\">unnamed</span>".into(),
        };
        rows.push_str(&format!(
            "<li class=\"hit\"><blockquote>{}</blockquote><p class=\"meta\">{speaker}{} · {} · {} · {} · <a href=\"/articles/{}#st-{}\">{}</a></p></li>",
            mark_words(&h.content, &words),
            h.role.as_deref().map(|r| format!(", {}", esc(r))).unwrap_or_default(),
            esc(&h.kind),
            h.outlet.as_deref().map(esc).unwrap_or_else(|| "no outlet".into()),
            esc(day(&h.published)),
            h.article_id,
            h.statement,
            h.title.as_deref().map(esc).unwrap_or_else(|| "the article".into()),
        ));
    }
    let this = p.with_cursor(p.query().map(|q| q.offset).unwrap_or(0));
    let more =
        next.map(|n| format!("<p><a rel=\"next\" href=\"/search?{}\">Next results</a></p>", attr(&p.with_cursor(n)))).unwrap_or_default();
    let body = format!(
        "<h1>Search</h1>{form}<p class=\"downloads\">{} results on this page. Download them as \
         <a href=\"/api/v1/search?{q}&amp;format=csv\" download>CSV</a> or <a href=\"/api/v1/search?{q}\" download=\"sayso-search.json\">JSON</a>.</p>\
         <ol class=\"hits\">{rows}</ol>{more}",
        hits.len(),
        q = attr(&this)
    );
    Ok(Html(page(&format!("Search: {}", p.q.as_deref().unwrap_or("")), &body)).into_response())
}

/// The article view: the marked text, the speakers beside it, statements, posts, links.
fn article_body(title: &str, head: &str, text: &str, m: &Marked) -> String {
    let speakers: String = m
        .speakers
        .iter()
        .map(|s| {
            let name = s.name.as_deref().map(esc).unwrap_or_else(|| "unnamed".into());
            let name = match s.speaker_id {
                Some(id) => format!("<a href=\"/speakers/{id}\">{name}</a>"),
                None => name,
            };
            let roles =
                if s.roles.is_empty() { String::new() } else { format!(" <span class=\"muted\">{}</span>", esc(&s.roles.join("; "))) };
            let kind = if s.name.is_some() { format!(" <span class=\"kind\">{}</span>", esc(&s.kind)) } else { String::new() };
            format!("<li><span class=\"swatch {}\" aria-hidden=\"true\"></span>{name}{kind}{roles}</li>", m.colour(Some(&s.id)))
        })
        .collect();
    let statements: String = m
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = s.statement_id.map(|id| format!(" id=\"st-{id}\"")).unwrap_or_default();
            let trail = s.trail_id.map(|t| format!(" · <a href=\"/trails/{t}\">trail</a>")).unwrap_or_default();
            format!(
                "<li{id} data-st=\"{i}\"><span class=\"swatch {}\" aria-hidden=\"true\"></span><strong>{}</strong>{trail}<br>{}</li>",
                m.colour(s.speaker.as_deref()),
                esc(&summary(s)),
                esc(&s.content.text)
            )
        })
        .collect();
    let posts: String = m
        .posts
        .iter()
        .map(|p| {
            let who = match &p.handle {
                Some(h) => format!("{} <span class=\"muted\">{}</span>", esc(&p.author), esc(h)),
                None => esc(&p.author),
            };
            let link = p.url.as_deref().map(|u| format!(" · {}", outside_link(u, "open"))).unwrap_or_default();
            format!(
                "<article class=\"post\"><p class=\"post-head\">{who} · {}{}{link}</p><p>{}</p></article>",
                esc(&p.platform),
                p.date.as_deref().map(|d| format!(" · {}", esc(d))).unwrap_or_default(),
                esc(&p.text.text)
            )
        })
        .collect();
    let links: String = m
        .links
        .iter()
        .map(|l| {
            let title = match l.url.as_deref() {
                Some(u) => outside_link(u, &l.title),
                None => esc(&l.title),
            };
            format!("<li>{}: {title}</li>", esc(&l.label))
        })
        .collect();
    let section = |h: &str, class: &str, inner: &str, list: bool| {
        if inner.is_empty() {
            String::new()
        } else if list {
            format!("<section class=\"{class}\"><h2>{h}</h2><ul class=\"plain\">{inner}</ul></section>")
        } else {
            format!("<section class=\"{class}\"><h2>{h}</h2>{inner}</section>")
        }
    };
    format!(
        "<h1>{}</h1>{head}<div class=\"article\"><div class=\"text\" id=\"text\">{}</div>\
         <aside class=\"side\"><section><h2>Speakers</h2><ul class=\"plain\">{speakers}</ul></section>\
         <section id=\"detail\" aria-live=\"polite\"><h2>Statement</h2><p class=\"muted\">Hover over or focus a marked statement (Tab) to see who said it.</p></section></aside></div>\
         {}{}<section class=\"statements\"><h2>Statements ({})</h2><ol class=\"plain\">{statements}</ol></section>",
        esc(title),
        render_text(text, m),
        section("Posts", "posts", &posts, false),
        section("Read more", "links", &links, true),
        m.statements.len()
    )
}

pub async fn article(st: St, p: Result<Path<String>, PathRejection>) -> PageResult {
    let id = api::id(p, "article")?;
    let (a, m) = api::stored_article(&st, id).await?;
    let title = a.title.clone().unwrap_or_else(|| a.source_id.clone());
    let original =
        a.canonical_url.as_deref().or(a.url.as_deref()).map(|u| format!(" · {}", outside_link(u, "original"))).unwrap_or_default();
    let authors = if a.authors.is_empty() { String::new() } else { format!(" · by {}", esc(&a.authors.join(", "))) };
    let head = format!(
        "<p class=\"meta\">{} · {}{authors}{original} · <a href=\"/api/v1/articles/{}\">JSON</a></p>",
        a.outlet.as_deref().map(esc).unwrap_or_else(|| "no outlet".into()),
        esc(day(&a.published)),
        a.id
    );
    Ok(Html(page(&title, &article_body(&title, &head, &a.text, &m))))
}

/// Statements per week as bars, drawn here (no script, no inline style).
fn week_chart(weeks: &[(String, i64)]) -> String {
    if weeks.is_empty() {
        return "<p class=\"muted\">No dated statements.</p>".into();
    }
    let max = weeks.iter().map(|w| w.1).max().unwrap_or(1).max(1);
    let (bar, gap, height) = (14, 4, 120);
    let width = (weeks.len() * (bar + gap) + gap).max(200);
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\" aria-label=\"Statements per week\">",
        height + 20,
        height + 20
    );
    for (i, (week, n)) in weeks.iter().enumerate() {
        let h = (*n as usize * height / max as usize).max(1);
        let x = gap + i * (bar + gap);
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"><title>week of {}: {n}</title></rect>",
            height - h,
            esc(week)
        ));
    }
    let (first, last) = (&weeks[0].0, &weeks[weeks.len() - 1].0);
    svg.push_str(&format!(
        "<text x=\"0\" y=\"{}\">{}</text><text x=\"{width}\" y=\"{}\" text-anchor=\"end\">{}</text></svg>",
        height + 16,
        esc(first),
        height + 16,
        esc(last)
    ));
    svg
}

fn counted(items: &[(String, i64)]) -> String {
    items.iter().map(|(k, n)| format!("<li>{} <span class=\"muted\">{n}</span></li>", esc(k))).collect()
}

/// Search results or a speaker's statements as a list.
fn hit_list(hits: &[sayso_store::Hit]) -> String {
    hits.iter()
        .map(|h| {
            format!(
                "<li><blockquote>{}</blockquote><p class=\"meta\">{} · {} · {} · <a href=\"/articles/{}#st-{}\">{}</a></p></li>",
                esc(&h.content),
                esc(day(&h.published)),
                h.outlet.as_deref().map(esc).unwrap_or_else(|| "no outlet".into()),
                esc(&h.kind),
                h.article_id,
                h.statement,
                h.title.as_deref().map(esc).unwrap_or_else(|| "the article".into())
            )
        })
        .collect()
}

pub async fn speaker(st: St, p: Result<Path<String>, PathRejection>) -> PageResult {
    let id = api::id(p, "speaker")?;
    let sp = st.pool.with(move |s| s.identity_by_id(id, SPEAKER_STATEMENTS)).await?.ok_or_else(|| ApiError::not_found("speaker"))?;
    let roles: String = sp
        .roles
        .iter()
        .map(|(r, a, b)| format!("<li>{} <span class=\"muted\">{} – {}</span></li>", esc(r), esc(day(a)), esc(day(b))))
        .collect();
    let i = &sp.identity;
    let body = format!(
        "<h1>{}</h1><p class=\"meta\">{} · {} statements · {} – {} · <a href=\"/search?q=&amp;speaker={}\">search</a> · \
         <a href=\"/api/v1/speakers/{}\">JSON</a></p>\
         <div class=\"cols\"><section><h2>Also named</h2><ul class=\"plain\">{}</ul></section>\
         <section><h2>Roles</h2><ul class=\"plain\">{roles}</ul></section>\
         <section><h2>Outlets</h2><ul class=\"plain\">{}</ul></section>\
         <section><h2>Cues</h2><ul class=\"plain\">{}</ul></section></div>\
         <section><h2>Statements per week</h2>{}</section>\
         <section><h2>Statements, newest first</h2><ol class=\"hits\">{}</ol></section>",
        esc(&i.name),
        esc(&i.kind),
        i.statements,
        esc(day(&i.first_seen)),
        esc(day(&i.last_seen)),
        url_param(&i.name),
        i.id,
        sp.aliases.iter().map(|a| format!("<li>{}</li>", esc(a))).collect::<String>(),
        counted(&sp.outlets),
        counted(&sp.cues),
        week_chart(&sp.by_week),
        hit_list(&sp.statements)
    );
    Ok(Html(page(&i.name, &body)))
}

/// A wording against the first one, word by word: words it adds are `<ins>`, words it
/// drops `<del>` (a longest common subsequence over at most 300 words each).
pub fn diff_words(first: &str, other: &str) -> String {
    let a: Vec<&str> = first.split_whitespace().take(300).collect();
    let b: Vec<&str> = other.split_whitespace().take(300).collect();
    let norm = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let (an, bn): (Vec<String>, Vec<String>) = (a.iter().map(|w| norm(w)).collect(), b.iter().map(|w| norm(w)).collect());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u16; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if an[i] == bn[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && an[i] == bn[j] {
            out.push(esc(b[j]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(format!("<ins>{}</ins>", esc(b[j])));
            j += 1;
        } else {
            out.push(format!("<del>{}</del>", esc(a[i])));
            i += 1;
        }
    }
    out.join(" ")
}

pub async fn trail(st: St, p: Result<Path<String>, PathRejection>) -> PageResult {
    let id = api::id(p, "trail")?;
    let t = st.pool.with(move |s| s.trail_by_id(id)).await?.ok_or_else(|| ApiError::not_found("trail"))?;
    let first = &t.appearances[0];
    let rows: String = t
        .appearances
        .iter()
        .enumerate()
        .map(|(k, h)| {
            let wording = if k == 0 { esc(&h.content) } else { diff_words(&first.content, &h.content) };
            format!(
                "<li><p class=\"meta\">{} · {} · {} · <a href=\"/articles/{}#st-{}\">{}</a>{}</p><blockquote>{wording}</blockquote></li>",
                esc(day(&h.published)),
                h.outlet.as_deref().map(esc).unwrap_or_else(|| "no outlet".into()),
                h.speaker.as_deref().map(esc).unwrap_or_else(|| "unnamed".into()),
                h.article_id,
                h.statement,
                h.title.as_deref().map(esc).unwrap_or_else(|| "the article".into()),
                if k == 0 { " · <strong>first appearance</strong>" } else { "" }
            )
        })
        .collect();
    let body = format!(
        "<h1>A quotation's trail</h1><p class=\"meta\">{} appearances, {} wordings · <a href=\"/api/v1/trails/{}\">JSON</a></p>\
         <p class=\"muted\">Each later wording against the first: <ins>added words</ins>, <del>dropped words</del>.</p><ol class=\"trail\">{rows}</ol>",
        t.appearances.len(),
        t.wordings.len(),
        t.trail
    );
    Ok(Html(page("Trail", &body)))
}

fn paste_page(text: &str, result: &str) -> Html<String> {
    Html(page(
        "Paste",
        &format!(
            "<h1>Paste an article</h1><form method=\"post\" action=\"/paste\"><p><label for=\"paste\">Text or HTML of an article \
             (up to {} MB; nothing is stored)</label></p><textarea id=\"paste\" name=\"text\" rows=\"12\" required>{}</textarea>\
             <p><button type=\"submit\">Mark it up</button></p></form>{result}",
            crate::BODY_LIMIT >> 20,
            esc(text)
        ),
    ))
}

pub async fn paste_form() -> Html<String> {
    paste_page("", "")
}

#[derive(Deserialize)]
pub struct PasteForm {
    text: String,
}

pub async fn paste(form: Result<Form<PasteForm>, FormRejection>) -> Result<Html<String>, PageError> {
    let Form(f) = form.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let text = f.text.clone();
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/plain"));
    let done = tokio::task::spawn_blocking(move || api::extract_body(&headers, f.text.as_bytes()))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "extraction failed (a bug)"))?;
    let result = match done {
        Ok((report, doc_text)) => {
            let m = Marked::from_report(&report);
            let title = report.title.clone().unwrap_or_else(|| "The pasted article".into());
            article_body(&title, "", &doc_text, &m).replacen("<h1>", "<h2 class=\"result\">", 1).replacen("</h1>", "</h2>", 1)
        }
        Err(e) => format!("<p class=\"error\" role=\"alert\">{}</p>", esc(&e.message)),
    };
    Ok(paste_page(&text, &result))
}

/// The built-in assets, by exact name (no paths: nothing else can be asked for).
pub async fn asset(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "style.css" => (include_str!("assets/style.css"), "text/css; charset=utf-8"),
        "app.js" => (include_str!("assets/app.js"), "text/javascript; charset=utf-8"),
        _ => return PageError(ApiError::not_found("asset")).into_response(),
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

pub async fn not_found() -> PageError {
    PageError(ApiError::not_found("page"))
}

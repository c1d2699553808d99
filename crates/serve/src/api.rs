//! The JSON API under `/api/v1` (described in `openapi.json`). Parameters are checked here
//! before the store sees them: a bad one is 400, an unknown id 404, each a JSON message.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sayso_doc::Meta;
use sayso_extract::report::ArticleReport;
use sayso_store::{Hit, SearchQuery, Sort};
use serde::Deserialize;

use crate::mark::Marked;
use crate::{ApiError, St, OFFSET_LIMIT, PAGE_LIMIT, QUERY_LIMIT};

/// The parameters of a search, as the query string gives them (all text, checked here).
#[derive(Deserialize, Default, Debug, Clone)]
pub struct SearchParams {
    pub q: Option<String>,
    pub speaker: Option<String>,
    pub outlet: Option<String>,
    pub kind: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
    pub format: Option<String>,
}

impl SearchParams {
    /// The store's query, or what is wrong with a parameter.
    pub fn query(&self) -> Result<SearchQuery, ApiError> {
        let text = self.q.clone().unwrap_or_default();
        if text.chars().count() > QUERY_LIMIT {
            return Err(ApiError::bad(format!("the query is longer than {QUERY_LIMIT} characters")));
        }
        sayso_store::fts_query(&text).map_err(|e| ApiError::bad(e.0))?;
        let filled = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        for (name, v) in [("speaker", &self.speaker), ("outlet", &self.outlet)] {
            if v.as_ref().is_some_and(|v| v.chars().count() > QUERY_LIMIT) {
                return Err(ApiError::bad(format!("{name} is longer than {QUERY_LIMIT} characters")));
            }
        }
        let kind = filled(&self.kind);
        if let Some(k) = &kind {
            if !matches!(k.as_str(), "direct" | "indirect" | "mixed" | "post") {
                return Err(ApiError::bad(format!("kind {k:?} is none of direct, indirect, mixed, post")));
            }
        }
        let date = |name: &str, v: &Option<String>| {
            filled(v).map(|d| sayso_store::check_date(&d).map_err(|e| ApiError::bad(format!("{name}: {e}")))).transpose()
        };
        let number = |name: &str, v: &Option<String>, default: usize, max: usize| match filled(v) {
            None => Ok(default),
            Some(s) => match s.parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(ApiError::bad(format!("{name} {s:?} is not a number from 0 to {max}"))),
            },
        };
        let sort = match filled(&self.sort).as_deref() {
            None | Some("rank") => Sort::Rank,
            Some("date") => Sort::Date,
            Some(s) => return Err(ApiError::bad(format!("sort {s:?} is neither rank nor date"))),
        };
        Ok(SearchQuery {
            text,
            speaker: filled(&self.speaker),
            kind,
            outlet: filled(&self.outlet),
            since: date("since", &self.since)?,
            until: date("until", &self.until)?,
            limit: number("limit", &self.limit, 20, PAGE_LIMIT)?.max(1),
            offset: number("cursor", &self.cursor, 0, OFFSET_LIMIT)?,
            sort,
        })
    }

    /// The same search's query string with another cursor (for the next page's link).
    pub fn with_cursor(&self, cursor: usize) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("speaker", &self.speaker),
            ("outlet", &self.outlet),
            ("kind", &self.kind),
            ("since", &self.since),
            ("until", &self.until),
            ("limit", &self.limit),
            ("sort", &self.sort),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
                parts.push(format!("{k}={}", crate::html::url_param(v)));
            }
        }
        parts.push(format!("cursor={cursor}"));
        parts.join("&")
    }
}

/// A page of results and the cursor of the next one (none after the last).
pub async fn run_search(st: &St, p: &SearchParams) -> Result<(Vec<Hit>, Option<usize>), ApiError> {
    let mut q = p.query()?;
    let (limit, offset) = (q.limit, q.offset);
    // One more than asked tells whether there is a next page.
    q.limit += 1;
    let mut hits = st.pool.with(move |s| s.search(&q)).await?;
    let next = (hits.len() > limit && offset + limit <= OFFSET_LIMIT).then_some(offset + limit);
    hits.truncate(limit);
    Ok((hits, next))
}

fn query_rejected(e: QueryRejection) -> ApiError {
    ApiError::bad(format!("malformed query string: {}", e.body_text()))
}

pub fn id(p: Result<Path<String>, PathRejection>, what: &str) -> Result<i64, ApiError> {
    let Path(s) = p.map_err(|e| ApiError::bad(e.body_text()))?;
    s.parse::<i64>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| ApiError::bad(format!("{s:?} is not an id of a {what} (a positive whole number)")))
}

pub async fn search(st: St, q: Result<Query<SearchParams>, QueryRejection>) -> Result<Response, ApiError> {
    let Query(p) = q.map_err(query_rejected)?;
    let (hits, next) = run_search(&st, &p).await?;
    match p.format.as_deref() {
        None | Some("json") => Ok(Json(serde_json::json!({"results": hits, "next": next.map(|n| n.to_string())})).into_response()),
        Some("csv") => {
            let mut out = String::from("statement_id,article_id,speaker_id,published,outlet,speaker,role,kind,cue,content,title,url\n");
            let opt = |v: &Option<String>| sayso_store::csv_field(v.as_deref().unwrap_or(""));
            for h in &hits {
                let ids = [h.statement.to_string(), h.article_id.to_string(), h.identity.map(|i| i.to_string()).unwrap_or_default()];
                let cells = [
                    opt(&h.published),
                    opt(&h.outlet),
                    opt(&h.speaker),
                    opt(&h.role),
                    sayso_store::csv_field(&h.kind),
                    opt(&h.cue),
                    sayso_store::csv_field(&h.content),
                    opt(&h.title),
                    opt(&h.url),
                ];
                out.push_str(&format!("{},{}\n", ids.join(","), cells.join(",")));
            }
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"sayso-search.csv\""),
                ],
                out,
            )
                .into_response())
        }
        Some(f) => Err(ApiError::bad(format!("format {f:?} is neither json nor csv"))),
    }
}

pub async fn statement(st: St, p: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let id = id(p, "statement")?;
    let row = st.pool.with(move |s| s.statement(id)).await?.ok_or_else(|| ApiError::not_found("statement"))?;
    Ok(Json(row).into_response())
}

/// An article with its text and its statements, speakers, posts and links as spans.
pub async fn article(st: St, p: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let id = id(p, "article")?;
    let (page, marked) = stored_article(&st, id).await?;
    let mut v = serde_json::to_value(&marked).map_err(|_| ApiError::internal("the article could not be written as JSON"))?;
    let head = serde_json::json!({
        "article_id": page.id, "source_id": page.source_id, "url": page.url, "canonical_url": page.canonical_url,
        "title": page.title, "outlet": page.outlet, "published": page.published, "language": page.language,
        "authors": page.authors, "text": page.text,
    });
    if let (Some(obj), serde_json::Value::Object(h)) = (v.as_object_mut(), head) {
        obj.extend(h);
    }
    Ok(Json(v).into_response())
}

/// A stored article and its marks (the extraction for the spans runs off the async threads).
pub async fn stored_article(st: &St, id: i64) -> Result<(sayso_store::ArticlePage, Marked), ApiError> {
    st.pool
        .with(move |s| Ok(s.article(id)?.map(|a| (Marked::from_store(&a), a))))
        .await?
        .map(|(m, a)| (a, m))
        .ok_or_else(|| ApiError::not_found("article"))
}

#[derive(Deserialize)]
pub struct SpeakersParams {
    #[serde(rename = "match")]
    matching: Option<String>,
    limit: Option<String>,
}

pub async fn speakers(st: St, q: Result<Query<SpeakersParams>, QueryRejection>) -> Result<Response, ApiError> {
    let Query(p) = q.map_err(query_rejected)?;
    let limit = match p.limit.as_deref() {
        None => 50,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=PAGE_LIMIT * 10).contains(n))
            .ok_or_else(|| ApiError::bad(format!("limit {s:?} is not a number from 1 to {}", PAGE_LIMIT * 10)))?,
    };
    let matching = p.matching.filter(|m| !m.trim().is_empty());
    if matching.as_ref().is_some_and(|m| m.chars().count() > QUERY_LIMIT) {
        return Err(ApiError::bad(format!("match is longer than {QUERY_LIMIT} characters")));
    }
    let rows = st.pool.with(move |s| s.identities(matching.as_deref(), limit)).await?;
    Ok(Json(serde_json::json!({"speakers": rows})).into_response())
}

/// Statements listed on a speaker's page.
pub const SPEAKER_STATEMENTS: usize = 50;

pub async fn speaker(st: St, p: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let id = id(p, "speaker")?;
    let page = st.pool.with(move |s| s.identity_by_id(id, SPEAKER_STATEMENTS)).await?.ok_or_else(|| ApiError::not_found("speaker"))?;
    Ok(Json(page).into_response())
}

pub async fn trail(st: St, p: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let id = id(p, "trail")?;
    let page = st.pool.with(move |s| s.trail_by_id(id)).await?.ok_or_else(|| ApiError::not_found("trail"))?;
    Ok(Json(page).into_response())
}

/// Text or HTML from a request body, extracted as `sayso extract` would (nothing stored).
pub fn extract_body(headers: &HeaderMap, body: &[u8]) -> Result<(ArticleReport, String), ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let html = content_type.starts_with("text/html") || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    let meta = Meta { id: "request".into(), ..Meta::default() };
    let origin = sayso_ingest::InputError { path: "request".into(), line: None, message: String::new() };
    let body = if html {
        let content_type = content_type.starts_with("text/html").then(|| content_type.to_string());
        sayso_ingest::Body::Html { bytes: body.to_vec(), content_type, to_source: None, or_text: None }
    } else {
        sayso_ingest::Body::TextBytes(body.to_vec())
    };
    let record = sayso_ingest::Record { origin, meta, body, warnings: Vec::new() };
    let mut doc = record.into_document().map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.message))?;
    let ex = sayso_extract::extract(&mut doc);
    Ok((ArticleReport::new(&doc, &ex), doc.text))
}

pub fn body_rejected(e: BytesRejection) -> ApiError {
    ApiError::new(e.status(), format!("{} (the limit is {} MB)", e.body_text(), crate::BODY_LIMIT >> 20))
}

pub async fn extract(headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let body = body.map_err(body_rejected)?;
    let (mut report, text) = tokio::task::spawn_blocking(move || extract_body(&headers, &body))
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "extraction failed (a bug)"))??;
    report.text = Some(text);
    Ok(Json(report).into_response())
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("openapi.json")).into_response()
}

pub async fn unknown() -> ApiError {
    ApiError::not_found("API route (see /api/v1/openapi.json)")
}

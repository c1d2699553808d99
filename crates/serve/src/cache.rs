//! Answers to GET requests kept in memory while the store does not change: a speaker page
//! that ten people open costs one query. Bounded in bytes (oldest out first); an ingest's
//! commit changes the store files' size or time, and every entry of an older version is
//! then stale.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Largest answer kept.
const ENTRY_LIMIT: usize = 1 << 20;

struct Entry {
    version: u64,
    headers: HeaderMap,
    body: Bytes,
}

pub struct Cache {
    limit: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    map: HashMap<String, Entry>,
    /// Keys oldest first, for eviction.
    order: VecDeque<String>,
    bytes: usize,
}

impl Cache {
    /// A cache of at most `limit` bytes of answers (0: none kept).
    pub fn new(limit: usize) -> Cache {
        Cache { limit, inner: Mutex::new(Inner::default()) }
    }

    fn get(&self, key: &str, version: u64) -> Option<Response> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let e = inner.map.get(key).filter(|e| e.version == version)?;
        let mut res = Response::new(Body::from(e.body.clone()));
        *res.headers_mut() = e.headers.clone();
        Some(res)
    }

    fn put(&self, key: String, entry: Entry) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = inner.map.remove(&key) {
            inner.bytes -= old.body.len() + key.len();
            inner.order.retain(|k| *k != key);
        }
        inner.bytes += entry.body.len() + key.len();
        while inner.bytes > self.limit {
            let Some(oldest) = inner.order.pop_front() else { break };
            if let Some(e) = inner.map.remove(&oldest) {
                inner.bytes -= e.body.len() + oldest.len();
            }
        }
        if inner.bytes + entry.body.len() + key.len() <= self.limit {
            inner.order.push_back(key.clone());
            inner.map.insert(key, entry);
        } else {
            inner.bytes -= entry.body.len() + key.len();
        }
    }
}

/// Serves a GET from the cache, or runs it and keeps a successful answer.
pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if st.cache.limit == 0 || req.method() != Method::GET {
        return next.run(req).await;
    }
    let key = req.uri().to_string();
    let version = st.pool.version();
    if let Some(res) = st.cache.get(&key, version) {
        return res;
    }
    let res = next.run(req).await;
    let size = res.body().size_hint().exact();
    if res.status() != StatusCode::OK || size.is_none_or(|n| n as usize > ENTRY_LIMIT) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(body) = axum::body::to_bytes(body, ENTRY_LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "an answer could not be read").into_response();
    };
    st.cache.put(key, Entry { version, headers: parts.headers.clone(), body: body.clone() });
    Response::from_parts(parts, Body::from(body))
}

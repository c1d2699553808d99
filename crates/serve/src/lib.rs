//! `sayso serve`: the store as a JSON API under `/api/v1` and as web pages, from one binary
//! (assets built in). The only crate that knows HTTP. Reading only: a pool of read-only
//! connections (WAL readers never block a running `sayso ingest`); every query runs on the
//! blocking pool, bounded by the pool's size.

mod api;
mod cache;
mod demo;
mod html;
mod mark;
mod pages;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use sayso_store::{Store, StoreError};
use tokio::sync::Semaphore;

pub use demo::{demo_store, store_from_jsonl};

/// Largest body `POST /api/v1/extract` and `/paste` take.
pub const BODY_LIMIT: usize = 2 << 20;
/// Longest query text, in characters.
pub const QUERY_LIMIT: usize = 500;
/// Most results on one page of a search.
pub const PAGE_LIMIT: usize = 100;
/// Deepest a cursor may page into a search (results skipped).
pub const OFFSET_LIMIT: usize = 10_000;
/// Longest a request may take before it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Concurrent queries on a store file (each holds one read-only connection).
const POOL: usize = 8;

/// Read-only connections to one store, opened as needed up to [`POOL`].
pub struct Pool {
    path: Option<PathBuf>,
    idle: Mutex<Vec<Store>>,
    /// Held by each query until it is done, also when its request timed out meanwhile.
    permits: Arc<Semaphore>,
}

impl Pool {
    /// Opens the store once to check it (a sayso store of this schema version).
    pub fn open(path: &Path) -> Result<Pool, StoreError> {
        let first = Store::open_existing(path)?;
        Ok(Pool { path: Some(path.to_path_buf()), idle: Mutex::new(vec![first]), permits: Arc::new(Semaphore::new(POOL)) })
    }

    /// Changes when a commit changes the store's files (their sizes and times).
    pub fn version(&self) -> u64 {
        let Some(path) = &self.path else { return 0 };
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let mut h = std::hash::DefaultHasher::new();
        for p in [path.as_os_str(), &wal] {
            if let Ok(m) = std::fs::metadata(p) {
                std::hash::Hash::hash(&(m.len(), m.modified().ok()), &mut h);
            }
        }
        std::hash::Hasher::finish(&h)
    }

    /// A pool of one store that exists only in memory (the demo, tests).
    pub fn single(store: Store) -> Pool {
        Pool { path: None, idle: Mutex::new(vec![store]), permits: Arc::new(Semaphore::new(1)) }
    }

    /// Runs `f` on a connection of the pool, off the async threads.
    pub async fn with<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = Arc::clone(&self.permits).acquire_owned().await.map_err(|_| ApiError::internal("the server is shutting down"))?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let taken = pool.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let store = match (taken, &pool.path) {
                (Some(s), _) => s,
                (None, Some(p)) => Store::open_existing(p).map_err(ApiError::store)?,
                (None, None) => return Err(ApiError::internal("no connection to the store")),
            };
            let r = f(&store).map_err(ApiError::store);
            pool.idle.lock().unwrap_or_else(|e| e.into_inner()).push(store);
            r
        })
        .await
        .map_err(|_| ApiError::internal("a query failed (a bug): the server goes on"))?
    }
}

/// An error answered as `{"error": {"status": 404, "message": "…"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, format!("no such {what}"))
    }
    pub(crate) fn internal(message: &str) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
    /// The store's errors after the request was checked are the server's (a locked or
    /// damaged file), not the client's.
    fn store(e: StoreError) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, format!("the store could not answer: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"status": self.status.as_u16(), "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: Arc<Pool>,
    cache: Arc<cache::Cache>,
}

/// Bytes of answers kept by default (`sayso serve --cache-mb`).
pub const CACHE_DEFAULT: usize = 64 << 20;

/// Every route, with the limits and security headers; `cache` bytes of answers are kept
/// while the store does not change (0: none).
pub fn app(pool: Pool, cache: usize) -> Router {
    let state = AppState { pool: Arc::new(pool), cache: Arc::new(cache::Cache::new(cache)) };
    Router::new()
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/statements/{id}", get(api::statement))
        .route("/api/v1/articles/{id}", get(api::article))
        .route("/api/v1/speakers", get(api::speakers))
        .route("/api/v1/speakers/{id}", get(api::speaker))
        .route("/api/v1/trails/{id}", get(api::trail))
        .route("/api/v1/extract", post(api::extract))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/{*rest}", get(api::unknown))
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/articles/{id}", get(pages::article))
        .route("/speakers/{id}", get(pages::speaker))
        .route("/trails/{id}", get(pages::trail))
        .route("/paste", get(pages::paste_form).post(pages::paste))
        .route("/assets/{name}", get(pages::asset))
        .fallback(pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(state.clone(), cache::layer))
        .layer(axum::middleware::from_fn(guard))
        .with_state(state)
}

/// The Content-Security-Policy of every answer: scripts and styles only from this server's
/// assets, so nothing in an article's text can run even if it escaped escaping.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// A time limit per request and the security headers on every answer.
async fn guard(req: Request, next: Next) -> Response {
    let mut res = match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, format!("the request took longer than {} s", REQUEST_TIMEOUT.as_secs()))
            .into_response(),
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// Serves until Ctrl-C. `ready` is told the address once the socket is bound.
pub fn serve(pool: Pool, cache: usize, addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, app(pool, cache))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}

/// Keeps a handler's state type short.
type St = State<AppState>;

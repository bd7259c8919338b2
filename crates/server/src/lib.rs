//! `silkroute serve`: the HTTP service, a thin shell over `silkroute-api`.
//!
//! It speaks OSRM's v5 API (`/route/v1`, `/table/v1`, `/nearest/v1`, see
//! [`osrm`]), so existing OSRM clients work unchanged, and silkroute's own
//! questions under `/api/` ([`own`]): routes with objectives, cargo and
//! constraints, Pareto sets, alternatives, matrices with every criterion,
//! reach, scenarios before and after, criticality, corridors and the
//! network's inventory, as the same JSON the CLI prints. `/openapi.json`
//! describes every endpoint ([`openapi`]); `/health` says the service is up
//! and which data it serves.
//!
//! One [`Service`] holds the mapped network, its gazetteer, catalogue and a
//! bounded cache of customized metrics, shared by every request; the
//! multimodal and surface baselines are customized at start on a
//! background thread ([`Service::warm`]), so the first route and the first
//! scenario are as quick as the next. Routing
//! runs on tokio's blocking pool, never on the async workers. Limits answer
//! instead of falling over ([`Limits`]): coordinates per route and table,
//! pairs per analysis, body size, a per-request timeout (the work is told
//! to stop), and a concurrency limit beyond which requests are shed with
//! 503 and `Retry-After`. SIGINT and SIGTERM stop accepting, finish the
//! requests in flight and exit.
//!
//! Architecture invariant: no domain rule here. Parsing a URL or a body
//! into the API's request types, and its answers into OSRM's shapes, is
//! all this crate does.

pub mod openapi;
pub mod osrm;
pub mod own;
pub mod polyline;
pub mod reply;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use silkroute_api::{Progress, Service};

use crate::reply::Failure;

/// What the service accepts at most; every limit answers with a clear
/// error instead of working without end.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Coordinates in one route request (origin, vias, destination).
    pub route_coordinates: usize,
    /// Coordinates in one table request (sources and destinations).
    pub table_coordinates: usize,
    /// Origin–destination pairs (or places) in one analysis request.
    pub pairs: usize,
    /// Request body, bytes.
    pub body_bytes: usize,
    /// Per request; the work is asked to stop when it passes.
    pub timeout: Duration,
    /// Requests answered at once; more are refused with 503.
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            route_coordinates: 25,
            table_coordinates: 1_000,
            pairs: 10_000,
            body_bytes: 1 << 20,
            timeout: Duration::from_secs(60),
            concurrency: 16,
        }
    }
}

/// What every handler shares.
pub struct State {
    pub service: Service,
    pub limits: Limits,
    pub data_version: String,
}

pub type Shared = Arc<State>;

/// Tells long work to stop when the request it serves is dropped (timed
/// out, client gone).
struct Cancel(Arc<AtomicBool>);

impl Drop for Cancel {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// The progress hook of a request's work: it only answers "stop?".
pub struct Stop(Arc<AtomicBool>);

impl Progress for Stop {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Runs `work` on the blocking pool, cancelled if the request is dropped
/// or passes the time limit.
pub async fn blocking<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&Service, &Stop) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let flag = Arc::new(AtomicBool::new(false));
    let _cancel = Cancel(flag.clone());
    let stop = Stop(flag);
    let state2 = state.clone();
    let task = tokio::task::spawn_blocking(move || work(&state2.service, &stop));
    match tokio::time::timeout(state.limits.timeout, task).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(Failure::from(silkroute_api::Error::internal(format!(
            "the request's work failed: {e}"
        )))),
        Err(_) => Err(Failure::timeout(state.limits.timeout.as_secs())),
    }
}

/// The service's routes and layers.
pub fn router(state: Shared) -> Router {
    let limits = state.limits;
    let api = Router::new()
        .route("/", get(web::index))
        .route("/web/{*file}", get(web::asset))
        .route("/health", get(own::health))
        .route("/openapi.json", get(openapi::document))
        .route("/route/v1/{profile}/{coordinates}", get(osrm::route))
        .route("/table/v1/{profile}/{coordinates}", get(osrm::table))
        .route("/nearest/v1/{profile}/{coordinates}", get(osrm::nearest))
        .route("/api/places", get(own::places))
        .route("/api/route", post(own::route))
        .route("/api/matrix", post(own::matrix))
        .route("/api/reach", post(own::reach))
        .route("/api/scenarios", get(own::scenarios))
        .route("/api/scenario/{name}", post(own::scenario))
        .route("/api/criticality", post(own::criticality))
        .route("/api/corridors", get(own::corridors))
        .route("/api/inspect", get(own::inspect))
        .fallback(own::not_found)
        .with_state(state);
    api.layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(tokio::sync::Semaphore::new(limits.concurrency.max(1))),
            shed,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
}

/// Sheds load beyond the concurrency limit with 503 and `Retry-After`
/// (health checks always pass).
async fn shed(
    axum::extract::State(permits): axum::extract::State<Arc<tokio::sync::Semaphore>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if req.uri().path() == "/health" {
        return next.run(req).await;
    }
    match permits.try_acquire_owned() {
        Ok(_permit) => next.run(req).await,
        Err(_) => Failure::overloaded().into_response(),
    }
}

/// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
/// `ready` is told the bound address (port 0 picks a free one).
pub async fn serve(
    state: Shared,
    listen: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Builds the runtime (`threads` workers, and as many blocking threads for
/// routing) and serves.
pub fn run(
    service: Service,
    limits: Limits,
    listen: SocketAddr,
    threads: usize,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let data_version = service.data_version();
    let state = Arc::new(State {
        service,
        limits,
        data_version,
    });
    // The metrics the map page and OSRM clients ask for first, customized
    // while the server already answers (a request for one meanwhile waits
    // for the same computation, not a second one).
    let warm = state.clone();
    std::thread::spawn(move || {
        let modes = ["rail,road,sea,air,ferry", "rail,road,sea,ferry"]
            .map(|m| silkroute_api::parse::modes(m).expect("known modes"));
        warm.service.warm(&modes);
    });
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .max_blocking_threads(limits.concurrency.max(threads).max(2))
        .enable_all()
        .build()?
        .block_on(serve(state, listen, ready))
}

//! `kyufu serve`: the payment officer's desk on a web page — the queue, a case with its scans and
//! every field read, corrections, 起案 → 決裁, the audit log (issue 20, DESIGN.md "review").
//!
//! A thin edge over [`crate::review::Desk`]: every rule (who may correct, submit, approve; what a
//! value may be) is the Desk's, so the web page and the command line refuse the same things with
//! the same Japanese sentences. What lives here is only what a browser needs: sessions, CSRF and
//! Origin checks ([`guard`]), page images with the boxes of the fields read ([`images`]), HTML
//! ([`views`], askama templates in `templates/`), and htmx, served from the repository ([`assets`]).
//!
//! Called by `kyufu serve` (main.rs) and by the tests, which start it on `127.0.0.1:0` with
//! [`Server::start`].

mod actions;
pub mod assets;
mod guard;
mod images;
mod pages;
mod session;
mod views;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::routing::{get, post};
use axum::Router;

use crate::config::Config;
use crate::review::{Desk, ReviewError};

/// Why the desk's web server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Desk(#[from] ReviewError),
    #[error("{addr} で待ち受けできません: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("Web サーバーを起動できません: {0}")]
    Runtime(std::io::Error),
    #[error("同梱の htmx.min.js が改変されています（sha256 {found}、期待値 {expected}）")]
    Asset { found: String, expected: String },
}

/// What every handler shares: the desk (one journal connection, one request at a time — the
/// journal is SQLite), the sessions, the configuration and the cache of page images.
pub(crate) struct Shared {
    desk: Mutex<Desk>,
    /// A second desk on its own journal connection, for logins only: a password check (argon2,
    /// a third of a second by design) must not hold up everyone else's pages.
    gate: Mutex<Desk>,
    sessions: session::Sessions,
    cfg: Config,
    pages: images::PageCache,
}

pub(crate) type State = Arc<Shared>;

impl Shared {
    /// Runs `f` on the desk on a blocking thread (argon2 and SQLite must not stall the reactor).
    async fn with_desk<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Desk) -> Result<T, ReviewError> + Send + 'static,
    ) -> Result<T, ReviewError> {
        self.on(false, f).await
    }

    /// Runs a login on the login desk.
    async fn with_gate<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Desk) -> Result<T, ReviewError> + Send + 'static,
    ) -> Result<T, ReviewError> {
        self.on(true, f).await
    }

    async fn on<T: Send + 'static>(
        self: &Arc<Self>,
        gate: bool,
        f: impl FnOnce(&mut Desk) -> Result<T, ReviewError> + Send + 'static,
    ) -> Result<T, ReviewError> {
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            // A handler that panicked while holding the lock left the desk as SQLite left it:
            // every change is one transaction, so the desk is still whole.
            let lock = if gate { &me.gate } else { &me.desk };
            let mut desk = lock.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut desk)
        })
        .await
        .unwrap_or_else(|e| Err(ReviewError::Corrupt(format!("処理が中断されました: {e}"))))
    }
}

/// The routes. Everything but `/login` and `/static/` needs a session ([`guard::guard`]).
fn router(state: State) -> Router {
    Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/", get(pages::queue))
        .route("/cases", get(pages::queue))
        .route("/cases/{id}", get(pages::case))
        .route("/cases/{id}/notice.pdf", get(pages::notice))
        .route("/cases/{id}/final/notice.pdf", get(pages::final_notice))
        .route("/cases/{id}/docs/{doc}/pages/{page}", get(images::page_png))
        .route("/cases/{id}/correct", post(actions::correct))
        .route("/cases/{id}/submit", post(actions::submit))
        .route("/cases/{id}/approve", post(actions::approve))
        .route("/cases/{id}/sendback", post(actions::send_back))
        .route("/audit", get(pages::audit))
        .route("/static/{file}", get(assets::file))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state)
}

/// A running server (for tests and the load test): its address, and a way to stop it.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts the desk on `listen` (`127.0.0.1:0` for any free port) on a thread of its own.
    pub fn start(cfg: Config, listen: &str) -> Result<Server, ServeError> {
        let state = shared(cfg)?;
        let listener = std::net::TcpListener::bind(listen).map_err(|source| ServeError::Bind {
            addr: listen.to_string(),
            source,
        })?;
        listener
            .set_nonblocking(true)
            .map_err(ServeError::Runtime)?;
        let addr = listener.local_addr().map_err(ServeError::Runtime)?;
        let runtime = runtime()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let _ = axum::serve(listener, router(state))
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        Ok(Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn shared(cfg: Config) -> Result<State, ServeError> {
    assets::check_htmx()?;
    let desk = Desk::open(&cfg)?;
    let gate = Desk::open(&cfg)?;
    Ok(Arc::new(Shared {
        desk: Mutex::new(desk),
        gate: Mutex::new(gate),
        sessions: session::Sessions::new(std::time::Duration::from_secs(
            cfg.serve.session_minutes.max(1) * 60,
        )),
        pages: images::PageCache::default(),
        cfg,
    }))
}

fn runtime() -> Result<tokio::runtime::Runtime, ServeError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)
}

/// `kyufu serve`: serves until SIGINT or SIGTERM, then returns.
pub fn serve(cfg: Config) -> Result<(), ServeError> {
    let listen = cfg.serve.listen.clone();
    let state = shared(cfg)?;
    runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|source| ServeError::Bind {
                addr: listen.clone(),
                source,
            })?;
        let addr = listener.local_addr().map_err(ServeError::Runtime)?;
        eprintln!("審査画面を http://{addr}/login で開いています（終了は Ctrl+C）");
        tracing::info!(%addr, "serve: listening");
        axum::serve(listener, router(state))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(ServeError::Runtime)
    })
}

async fn shutdown() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term => {},
    }
}

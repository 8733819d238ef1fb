//! Hearth's web server: the pages and the JSON API over the live case model.
//!
//! The server holds the model in memory, rebuilt by replay at start, with the index the measures
//! read, and follows the event log so that another server writing to the same PostgreSQL
//! database is seen within a second. Every page but signing in needs someone signed in.

pub mod api;
pub mod assets;
pub mod chart;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use domain::Model;
use domain::calendar::Calendar;
use live::{Card, Live};
use serde::Serialize;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use store::Store;

pub mod auth;
pub mod live;
pub mod oidc;
pub mod pages;
pub mod pdf;
pub mod permissions;
pub mod recording;
pub mod watch;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub live: Arc<RwLock<Live>>,
    pub cal: &'static Calendar,
    /// The date the pages treat as today, when it is not the real one (tests, demonstrations
    /// of a past council).
    pub today: Option<NaiveDate>,
    /// Sessions lately checked against the database.
    pub sessions: Arc<auth::SessionCache>,
    /// Wakes the follower when this server has appended, so the model catches up at once.
    wake: Arc<tokio::sync::Notify>,
    /// The last sequence number folded into the model, for a save to wait on.
    seen: Arc<tokio::sync::watch::Sender<i64>>,
    /// Children as this server's saves left them, until the model catches up.
    pub recent: Arc<recording::Recent>,
    catching: Arc<tokio::sync::Mutex<()>>,
    /// Restricted records opened lately with a reason.
    pub opened: Arc<permissions::Opened>,
    /// The council's sign-in service, when Hearth signs in through one.
    pub oidc: Option<Arc<oidc::Oidc>>,
    /// The folder this server takes the case system's extracts from, and how often it looks.
    pub watching: Option<(std::path::PathBuf, Duration)>,
}

impl AppState {
    pub fn new(store: Store, model: Model, last_seq: i64, cal: &'static Calendar) -> Self {
        AppState {
            store,
            live: Arc::new(RwLock::new(Live::new(model, last_seq))),
            cal,
            today: None,
            sessions: Arc::default(),
            wake: Arc::default(),
            seen: Arc::new(tokio::sync::watch::Sender::new(last_seq)),
            recent: Arc::default(),
            catching: Arc::default(),
            opened: Arc::default(),
            oidc: None,
            watching: None,
        }
    }

    /// Says that this server has appended to the log, so the follower reads it now.
    pub fn changed(&self) {
        self.wake.notify_one();
    }

    /// Waits until the model holds the event numbered `seq` (or for five seconds at most), so
    /// that the page shown after a save includes it.
    pub async fn seen(&self, seq: i64) {
        let mut rx = self.seen.subscribe();
        let _ = tokio::time::timeout(Duration::from_secs(5), rx.wait_for(|s| *s >= seq)).await;
    }

    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Reads events appended since the model was last brought up to date (by this server or
    /// another) and folds them in. Returns how many were applied.
    pub async fn catch_up(&self) -> Result<usize, store::LoadError> {
        // One catch-up at a time: each starts from the model the last one left.
        let _one = self.catching.lock().await;
        let after = self.read().last_seq;
        let events = self.store.read_after(after, 10_000).await?;
        if events.is_empty() {
            return Ok(0);
        }
        let live = Arc::clone(&self.live);
        let recent = Arc::clone(&self.recent);
        tokio::task::spawn_blocking(move || {
            // The new events are folded into a copy (cheap: children are shared until changed)
            // and indexed while pages and saves go on reading the old model; the lock is held
            // only to swap the two.
            let mut model = live
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .model()
                .clone();
            let mut last_seq = after;
            let mut applied = 0;
            let mut result = Ok(());
            for stored in &events {
                if stored.seq <= last_seq {
                    continue;
                }
                if let Err(e) = store::apply_stored(&mut model, stored) {
                    result = Err(e);
                    break;
                }
                last_seq = stored.seq;
                applied += 1;
            }
            if applied == 0 {
                return result.map(|()| (0, last_seq));
            }
            let indexed = live::Indexed::build(model);
            let old = {
                let mut live = live.write().unwrap_or_else(|e| e.into_inner());
                let old = live.replace(indexed, last_seq);
                recent.forget_seen(live.model());
                old
            };
            // The old model and index are let go outside the lock.
            drop(old);
            result.map(|()| (applied, last_seq))
        })
        .await
        .expect("folding events does not panic")
        .map(|(applied, last_seq)| {
            self.seen.send_replace(last_seq);
            applied
        })
    }

    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Live> {
        self.live.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Computes the scorecards most pages read: the 13 months to the last whole month, and today.
    pub async fn warm(&self) {
        let (cal, today) = (self.cal, self.today());
        let live = Arc::clone(&self.live);
        let period = kpi::Period::last_whole_month_before(today);
        let _ = tokio::task::spawn_blocking(move || {
            let live = live.read().unwrap_or_else(|e| e.into_inner());
            live.card(cal, today, period);
            live.card_today(cal, today);
        })
        .await;
    }

    /// Runs page work that reads the model on a thread where it may take its time, so that
    /// other requests are not held up.
    pub async fn with_live(&self, f: impl FnOnce(&Live) -> Response + Send + 'static) -> Response {
        let live = Arc::clone(&self.live);
        tokio::task::spawn_blocking(move || f(&live.read().unwrap_or_else(|e| e.into_inner())))
            .await
            .unwrap_or_else(|e| {
                tracing::error!("a page's work failed: {e}");
                pages::error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "The page could not be shown. Try again later.",
                )
            })
    }

    /// The same for work that gives a value rather than a page: `None` if the work failed.
    pub async fn from_live<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Live) -> T + Send + 'static,
    ) -> Option<T> {
        let live = Arc::clone(&self.live);
        tokio::task::spawn_blocking(move || f(&live.read().unwrap_or_else(|e| e.into_inner())))
            .await
            .inspect_err(|e| tracing::error!("a page's work failed: {e}"))
            .ok()
    }

    /// The same, with the scorecard for the 13 periods to `period`.
    pub async fn with_card(
        &self,
        period: kpi::Period,
        f: impl FnOnce(&Live, &Card) -> Response + Send + 'static,
    ) -> Response {
        let (cal, today) = (self.cal, self.today());
        self.with_live(move |live| {
            let card = live.card(cal, today, period);
            f(live, &card)
        })
        .await
    }
}

/// Follows the log for as long as the server runs, working out the current period's scorecard
/// after every change so that the next page to need it finds it ready.
pub fn spawn_follower(state: AppState) {
    tokio::spawn(async move {
        state.warm().await;
        // Whether events have been folded in since the scorecards were last worked out.
        let mut stale = false;
        loop {
            match state.catch_up().await {
                Ok(n) if n > 0 => {
                    stale = true;
                    // While people are saving, let a few more saves gather before the next
                    // catch-up: each rebuilds the index, whatever it brings.
                    tokio::time::sleep(GATHER).await;
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("could not read new events: {e}"),
            }
            // Quiet: work out the scorecards now, rather than after every save of a busy spell.
            if stale {
                state.warm().await;
                stale = false;
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                _ = state.wake.notified() => {}
            }
        }
    });
}

/// The largest request body taken: a form or a save, with room to spare.
pub const BODY_LIMIT: usize = 256 * 1024;

/// How long the follower lets saves gather during a busy spell.
const GATHER: Duration = Duration::from_millis(40);

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::page))
        .route(
            "/sign-in",
            get(pages::sign_in::form).post(pages::sign_in::submit),
        )
        .route("/sign-out", post(pages::sign_in::sign_out))
        .route("/sign-in/oidc", get(pages::sign_in::oidc_start))
        .route("/sign-in/oidc/callback", get(pages::sign_in::oidc_callback))
        .route("/scorecard", get(pages::scorecard::page))
        .route("/measures/{id}", get(pages::measure::page))
        .route(
            "/children/new",
            get(pages::record::new_child_form).post(pages::record::new_child),
        )
        .route("/children/{id}", get(pages::child::page))
        .route("/children/{id}/open", post(pages::child::open))
        .route("/children/{id}/record", get(pages::record::list))
        .route("/restricted", get(pages::child::restricted_report))
        .route("/access-log", get(pages::access_log::page))
        .route("/imports", get(pages::imports::page))
        .route("/staff", get(pages::staff::page))
        .route(
            "/staff/record/{kind}",
            get(pages::staff::new_form).post(pages::staff::new_save),
        )
        .route(
            "/workers/{id}/record/{kind}",
            get(pages::staff::worker_form).post(pages::staff::worker_save),
        )
        .route(
            "/teams/{id}/record/{kind}",
            get(pages::staff::team_form).post(pages::staff::team_save),
        )
        .route(
            "/children/{id}/record/{kind}",
            get(pages::record::form).post(pages::record::save),
        )
        .route("/contacts", get(pages::record::partner_list))
        .route(
            "/contacts/new",
            get(pages::record::partner_form).post(pages::record::partner_submit),
        )
        .route("/children/{id}/access", get(pages::child::access))
        .route("/teams", get(pages::team::list))
        .route("/teams/{id}", get(pages::team::page))
        .route("/front-door", get(pages::front_door::page))
        .route("/missing", get(pages::missing::page))
        .route("/workforce", get(pages::workforce::page))
        .route("/data-quality", get(pages::data_quality::page))
        .route("/plan", get(pages::plan::plan_page))
        .route("/plan/meetings", post(pages::plan::meeting_save))
        .route("/plan/my-actions", get(pages::plan::my_actions))
        .route("/plan/exceptions", get(pages::plan::exceptions))
        .route("/plan/priorities/{n}", get(pages::plan::priority_page))
        .route(
            "/plan/priorities/{n}/actions",
            post(pages::plan::add_action),
        )
        .route("/plan/actions/{n}", get(pages::plan::action_page))
        .route("/plan/actions/{n}/{what}", post(pages::plan::action_save))
        .route("/board-pack", get(pages::board::board_pack))
        .route(
            "/scrutiny-report",
            get(pages::board::scrutiny_report).post(pages::board::scrutiny_text),
        )
        .route("/health", get(health))
        .merge(assets::routes())
        .merge(api::routes())
        // The longest thing anyone records is a case note of 20,000 characters.
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .fallback(not_found)
        .with_state(state)
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
    last_seq: i64,
    events_applied: u64,
    children: usize,
}

async fn health(State(state): State<AppState>) -> Response {
    let (last_seq, events_applied, children) = {
        let live = state.read();
        (
            live.last_seq,
            live.model().events_applied,
            live.model().children.len(),
        )
    };
    let database = match state.store.backend() {
        store::Backend::Sqlite => "sqlite",
        store::Backend::Postgres => "postgres",
    };
    match state.store.last_seq().await {
        Ok(_) => axum::Json(Health {
            status: "ok",
            database,
            last_seq,
            events_applied,
            children,
        })
        .into_response(),
        Err(e) => {
            tracing::error!("health check could not reach the database: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable", "database": database})),
            )
                .into_response()
        }
    }
}

async fn not_found() -> Response {
    pages::not_found("There is no page at this address.")
}

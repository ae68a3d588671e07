//! cncl's use-cases: every command and query a user can make. The web handlers, the CLI and
//! background jobs all call these, so every rule is applied the same way whichever door the
//! request came through.

pub mod accounts;
pub mod audit;
pub mod compliance;
pub mod criteria;
pub mod demo;
pub mod documents;
pub mod dossier;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod export_figures;
mod export_instructions;
pub mod governance;
pub mod import;
pub mod inbox;
pub mod jobs;
pub mod lifecycle;
pub mod localisation;
pub mod mail;
mod natural_keys;
pub mod operations;
mod passwords;
mod period_lock;
pub mod policy;
pub mod product_dossier;
pub mod provinces;
pub mod publication;
pub mod recorded;
pub mod records;
pub mod records_by_kind;
pub mod reference;
pub mod reminders;
pub mod rules;
pub mod sign_in;
pub mod task_overview;
mod throttle;

pub use error::AppError;
pub use policy::{Actor, Role};
pub use records::ListQuery;

use cncl_store::Store;

/// The application: the store, the rules over it, and its clock.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    clock: std::sync::Arc<dyn policy::Clock>,
    auth: accounts::AuthPolicy,
    scorecards: std::sync::Arc<tokio::sync::Mutex<evaluation::ScorecardCache>>,
    /// Held while a scorecard is computed: one evaluation at a time.
    evaluating: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// How long a visitor waits for figures computed afresh when earlier ones are at hand.
    evaluation_wait: std::time::Duration,
    previews: std::sync::Arc<import::previews::Previews>,
    /// The last replay of the audit log asked for (`recorded`), kept for the next question.
    replayed: std::sync::Arc<tokio::sync::Mutex<Option<recorded::Replica>>>,
    /// What obligations were last derived from, until the next write (`compliance`).
    obligation_facts: std::sync::Arc<tokio::sync::Mutex<Option<compliance::CachedFacts>>>,
}

impl App {
    /// Open the database at `address`, bring its schema up to date and load the programme's
    /// reference data (unchanged if already loaded).
    pub async fn open(address: &str) -> Result<App, StartError> {
        Self::open_with_clock(address, std::sync::Arc::new(policy::SystemClock)).await
    }

    /// Like `open`, with another clock (tests move time forward with one).
    pub async fn open_with_clock(address: &str, clock: std::sync::Arc<dyn policy::Clock>) -> Result<App, StartError> {
        let store = Store::connect(address).await?;
        store.migrate().await?;
        let app = App {
            store,
            clock,
            auth: accounts::AuthPolicy::default(),
            scorecards: Default::default(),
            evaluating: Default::default(),
            evaluation_wait: evaluation::WAIT_FOR_EVALUATION,
            previews: Default::default(),
            replayed: Default::default(),
            obligation_facts: Default::default(),
        };
        cncl_store::reference::load_shipped(&app.store, app.writer(&policy::Actor::system("cncl"))).await?;
        Ok(app)
    }

    /// The same application waiting at most `wait` for figures computed afresh when earlier
    /// ones are at hand (tests set none, to see the background evaluation at small scale).
    pub fn with_evaluation_wait(mut self, wait: std::time::Duration) -> App {
        self.evaluation_wait = wait;
        self
    }

    /// The same application with other sign-in limits (tests shorten them).
    pub fn with_auth_policy(mut self, auth: accounts::AuthPolicy) -> App {
        self.auth = auth;
        self
    }

    /// The same application keeping documents' bytes as files in `directory` (a setting);
    /// in the database when `None`.
    pub fn with_documents_in(mut self, directory: Option<std::path::PathBuf>) -> App {
        self.store = self.store.with_documents_in(directory);
        self
    }

    pub fn auth_policy(&self) -> &accounts::AuthPolicy {
        &self.auth
    }

    /// The application's time now.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Today in Vietnam, by the application's clock: the default `as_of` everywhere.
    pub fn today(&self) -> cncl_domain::Date {
        cncl_domain::Date::in_vietnam(self.clock.now())
    }

    /// The writer of a change made now by `actor`, for the audit log.
    pub(crate) fn writer(&self, actor: &policy::Actor) -> cncl_store::Writer {
        cncl_store::Writer { actor: actor.name.clone(), at: self.clock.now() }
    }

    /// The store, for the few callers (tests, benchmarks) that read it directly.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Close the database connections (at shutdown).
    pub async fn close(&self) {
        self.store.close().await;
    }
}

/// Why cncl could not start on a database.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] cncl_store::StoreError),
    #[error(transparent)]
    Reference(#[from] cncl_store::reference::ReferenceError),
}

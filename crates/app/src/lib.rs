//! cncl's use-cases: every command and query a user can make. The web handlers, the CLI and
//! background jobs all call these, so every rule is applied the same way whichever door the
//! request came through.

pub mod demo;
pub mod dossier;
pub mod error;
pub mod evaluation;
pub mod governance;
pub mod lifecycle;
pub mod records;
pub mod reference;
pub mod rules;

pub use error::AppError;
pub use records::ListQuery;

use cncl_store::{Backend, Store};
use serde::Serialize;

/// The application: the store and the rules over it.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
}

/// What `/health` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: DatabaseHealth,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatabaseHealth {
    pub backend: &'static str,
    pub reachable: bool,
}

impl App {
    /// Open the database at `address`, bring its schema up to date and load the programme's
    /// reference data (unchanged if already loaded).
    pub async fn open(address: &str) -> Result<App, StartError> {
        let store = Store::connect(address).await?;
        store.migrate().await?;
        cncl_store::reference::load_shipped(&store).await?;
        Ok(App { store })
    }

    /// The store, for the few callers (tests, benchmarks) that read it directly.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn health(&self) -> Health {
        let reachable = match self.store.ping().await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, "health check: database unreachable");
                false
            }
        };
        Health {
            status: if reachable { "ok" } else { "degraded" },
            database: DatabaseHealth {
                backend: match self.store.backend() {
                    Backend::Sqlite => "sqlite",
                    Backend::Postgres => "postgres",
                },
                reachable,
            },
        }
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

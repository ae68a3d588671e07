//! cncl's storage. One interface over SQLite (the embedded default: WAL, foreign keys, busy
//! timeout) and PostgreSQL (for several app instances). Each query is written once, in SQL
//! that both backends accept, and run through the backend's own sqlx driver; see
//! `docs/decisions/0001-store.md` for why and how.

pub mod accounts;
pub mod audit;
mod backend;
mod behind;
pub mod canonical;
pub mod copy;
pub mod criteria_sets;
mod deferred;
pub mod documents;
pub mod error;
pub mod events;
pub mod facts;
pub mod import_mappings;
pub mod jobs;
mod known;
pub mod links;
pub mod localisation;
pub mod notifications;
pub mod obligations;
pub mod published;
pub mod records;
pub mod reference;
pub mod scope;
pub mod search;
pub mod sign_in_counters;
pub mod sql;
pub mod tables;
pub mod trees;

pub use backend::{Backend, Store, Tx, Writer, shown_address};
pub use error::{StoreError, to_json};
pub use records::{ListFilter, Page, fields_of};
pub use scope::Scope;

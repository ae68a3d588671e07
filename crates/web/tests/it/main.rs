//! The web application over real sockets: started on a random loopback port with a fresh
//! database on each backend, driven with an HTTP client.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::too_many_lines, reason = "a journey or a walk over every route reads best in one piece")]

mod access;
mod accounts;
mod api;
mod compliance;
mod criteria;
mod dashboard;
mod documents;
mod error_pages;
mod exchange;
mod hardening;
mod language_walk;
mod localisation;
mod operations;
mod pages;
mod period_lock;
mod pick_lists;
mod products;
mod provinces;
mod record_forms;
mod sessions;
mod snapshots;
mod task_forms;

pub use cncl_testkit::server::{TestServer, admin, client_with};

/// Publish `figures` as the office's report of 2026Q3, with the figures as its only file:
/// what the pages show of a published report needs no PDF.
pub async fn publish_figures(
    s: &TestServer,
    figures: &cncl_app::publication::PublishedFigures,
) -> cncl_store::published::PublishedReport {
    let new = cncl_store::published::NewPublication {
        id: "00000000-0000-4000-8000-000000000001".into(),
        quarter: "2026Q3".into(),
        lang: "vi".into(),
        as_of: figures.as_of.to_string(),
        issued_on: "2026-10-05".into(),
        criteria_set: figures.criteria_set.clone(),
        audit_seq: figures.audit_seq,
        audit_hash: s.app.audit_head().await.unwrap().1,
        base_url: "https://cncl.example".into(),
        files: vec![("json".into(), serde_json::to_vec(figures).unwrap())],
    };
    s.app.publish_report(&admin(), new).await.unwrap()
}

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

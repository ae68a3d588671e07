//! The indicators on hand-computed cases, and properties that must hold for any facts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod build;
mod hand_computed;
mod localisation;
mod obligations;
mod properties;

//! Evaluation of the programme: criteria sets (TOML), the indicator library, bill-of-materials
//! roll-up, milestone status and projection, evidence. Pure: facts and `as_of` come in as
//! arguments; nothing here reads a database, a file or the clock.

pub mod bom;
pub mod comparison;
pub mod compliance;
pub mod criteria;
pub mod facts;
pub mod funding;
pub mod indicators;
pub mod localisation;
pub mod obligation_rules;
pub mod obligations;
pub mod reminders;
pub mod scorecard;
pub mod selection;
pub mod status;

pub use criteria::{CriteriaError, CriteriaSet, parse_criteria_set};
pub use facts::Facts;
pub use scorecard::{Options, Scorecard, evaluate};

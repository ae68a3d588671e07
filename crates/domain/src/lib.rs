//! The programme's data model (Decision 2815/QĐ-TTg): entities, typed ids and value types
//! whose constructors validate and name the failing field. No IO, no async, no clock.

pub mod capacity;
pub mod date;
pub mod error;
pub mod fields;
pub mod format;
pub mod governance;
pub mod ids;
pub mod labels;
pub mod lifecycle;
pub mod market;
pub mod organisation;
pub mod output;
pub mod period_lock;
pub mod provinces;
#[macro_use]
pub mod record;
// After `record`, whose `with_record_type!` it uses.
pub mod field_spec;
pub mod natural_key;
pub mod reference;
pub mod seven_clear;
pub mod task;
pub mod technology;
pub mod values;

pub use date::Date;
pub use error::{DomainError, Message, ValueError, msg};
pub use labels::Lang;
pub use record::{EntityKind, InputError, Record, Stored, parse_input, parse_input_value, parse_json, parse_value};

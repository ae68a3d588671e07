//! A value bound to a query, the one shared piece of SQL plumbing every module of the store
//! uses alike (the `bind_all!` macro in `backend.rs` binds a list of them).

/// A value bound to a query parameter, typed so that a NULL has the column's type (which
/// PostgreSQL insists on).
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(Option<bool>),
}

/// A statement and its parameters.
pub(crate) type Statement = (String, Vec<Bind>);

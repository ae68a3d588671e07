//! Every kind of record by form: `/records` lists the kinds, `/records/{kind}` the records
//! of one, `/records/{kind}/new` adds one and `/records/{kind}/{id}` shows and corrects one.
//! The forms are described by `crate::forms` from the records' schemas; saving goes through
//! the same `app` use-cases as the API, so the same rules and the same audit entries apply.
//! A refused form is shown again with what was typed and the field named.

pub mod form;
pub mod list;
pub mod pick_list;
pub mod save;

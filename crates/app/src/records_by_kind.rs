//! The record use-cases of [`crate::records`] for a kind known only at run time, with records
//! as JSON: what the office's record pages need, one page serving every kind.
//!
//! Why here rather than in `cncl-web`: dispatching on the kind instantiates every use-case
//! for all 32 record types, down through the store, and that work was most of `cncl-web`'s
//! compile time (150 s of 202 s in rustc's monomorphization collector), again for its unit
//! tests. Moving the record pages' dispatch here took its lib from 256 s to 166–187 s, and
//! the API's handlers (the `…_stored` functions below, the record as the API writes it) the
//! rest (docs/benchmarks.md).

use cncl_domain::{EntityKind, with_record_type};
use serde_json::Value;
use uuid::Uuid;

use cncl_store::Page;

use crate::policy::Actor;
use crate::records::ListQuery;
use crate::{App, AppError};

/// A record as its id and its fields as JSON.
pub type RecordJson = (Uuid, Value);

impl App {
    /// A page of the records of `kind`, as [`App::list`] gives it.
    pub async fn list_json(
        &self,
        actor: &Actor,
        kind: EntityKind,
        query: &ListQuery,
    ) -> Result<(i64, Vec<RecordJson>), AppError> {
        let page = self.list_stored(actor, kind, query).await?;
        Ok((page.total, page.items.into_iter().map(split_id).collect::<Result<_, _>>()?))
    }

    /// The records of `kind` that [`App::search`] finds.
    pub async fn search_json(
        &self,
        actor: &Actor,
        kind: EntityKind,
        words: &str,
        limit: usize,
    ) -> Result<Vec<RecordJson>, AppError> {
        self.search_stored(actor, kind, words, limit).await?.into_iter().map(split_id).collect()
    }

    /// The fields of the record `id` of `kind`, as [`App::get`] gives it.
    pub async fn get_json(&self, actor: &Actor, kind: EntityKind, id: Uuid) -> Result<Value, AppError> {
        Ok(split_id(self.get_stored(actor, kind, id).await?)?.1)
    }

    /// The records of `kind` whose names match `words`, as [`App::find`] gives them.
    pub async fn find_by_kind(
        &self,
        actor: &Actor,
        kind: EntityKind,
        words: &str,
        limit: usize,
    ) -> Result<Vec<(Uuid, String)>, AppError> {
        with_record_type!(kind, T => self.find::<T>(actor, words, limit).await)
    }

    /// Create a record of `kind` from `fields` as a form gives them, or update the record
    /// `id`; its id either way.
    pub async fn save_json(
        &self,
        actor: &Actor,
        kind: EntityKind,
        id: Option<Uuid>,
        fields: Value,
    ) -> Result<Uuid, AppError> {
        with_record_type!(kind, T => {
            let record = cncl_domain::parse_input_value::<T>(fields)?;
            match id {
                Some(id) => self.update(actor, id.into(), record).await.map(|s| s.id.into()),
                None => self.create(actor, record).await.map(|s| s.id.into()),
            }
        })
    }

    /// A page of the records of `kind`, each as the API writes it (see [`stored_json`]).
    pub async fn list_stored(
        &self,
        actor: &Actor,
        kind: EntityKind,
        query: &ListQuery,
    ) -> Result<Page<Value>, AppError> {
        with_record_type!(kind, T => {
            let page = self.list::<T>(actor, query).await?;
            let items = page.items.iter().map(stored_json).collect::<Result<Vec<_>, AppError>>()?;
            Ok(Page { items, page: page.page, per_page: page.per_page, total: page.total })
        })
    }

    /// The records of `kind` that [`App::search`] finds, each as the API writes it.
    pub async fn search_stored(
        &self,
        actor: &Actor,
        kind: EntityKind,
        words: &str,
        limit: usize,
    ) -> Result<Vec<Value>, AppError> {
        with_record_type!(kind, T => self.search::<T>(actor, words, limit).await?.iter().map(stored_json).collect())
    }

    /// The record `id` of `kind` as the API writes it.
    pub async fn get_stored(&self, actor: &Actor, kind: EntityKind, id: Uuid) -> Result<Value, AppError> {
        with_record_type!(kind, T => stored_json(&self.get::<T>(actor, id.into()).await?))
    }

    /// Create a record of `kind` from a request's JSON body, read strictly (an unknown field
    /// is an error); its id, and the record as the API writes it.
    pub async fn create_stored(&self, actor: &Actor, kind: EntityKind, body: &[u8]) -> Result<(Uuid, Value), AppError> {
        with_record_type!(kind, T => {
            let stored = self.create(actor, cncl_domain::parse_json::<T>(body)?).await?;
            Ok((stored.id.into(), stored_json(&stored)?))
        })
    }

    /// Replace the record `id` of `kind` with `fields`, read strictly; the record as the API
    /// writes it.
    pub async fn update_stored(
        &self,
        actor: &Actor,
        kind: EntityKind,
        id: Uuid,
        fields: Value,
    ) -> Result<Value, AppError> {
        with_record_type!(kind, T => {
            let record = cncl_domain::parse_value::<T>(fields)?;
            stored_json(&self.update(actor, id.into(), record).await?)
        })
    }
}

/// A stored record as the API writes it: `{"id": …, …its fields}`, as `Stored<T>` serialises.
fn stored_json<T: cncl_domain::Record>(stored: &cncl_domain::Stored<T>) -> Result<Value, AppError> {
    Ok(cncl_store::to_json(stored)?)
}

/// A record as the API writes it, as its id and its fields: derived rather than serialised
/// again per kind, so that each kind's record code is instantiated once (the module's reason
/// to exist).
fn split_id(mut stored: Value) -> Result<RecordJson, AppError> {
    let id = stored.as_object_mut().and_then(|fields| fields.remove("id"));
    match id.as_ref().and_then(Value::as_str).map(Uuid::parse_str) {
        Some(Ok(id)) => Ok((id, stored)),
        _ => Err(AppError::internal("a stored record was written without its id")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_record_as_the_api_writes_it_splits_into_its_id_and_its_fields() {
        let id = Uuid::now_v7();
        let split = split_id(json!({"id": id.to_string(), "code": "llm", "name": "Mô hình"}));
        assert_eq!(split.ok(), Some((id, json!({"code": "llm", "name": "Mô hình"}))));
        for broken in [json!({"code": "llm"}), json!({"id": "not an id"}), json!([1])] {
            assert!(split_id(broken.clone()).is_err(), "{broken}");
        }
    }
}

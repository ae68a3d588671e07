//! A record's state after a change is not kept in the log, only its digest (decision 0003):
//! it is the record's row until the next change about it, whose entry keeps it as `before`.
//! Finding that state again, for the pages and the API that show an entry.

use cncl_domain::{EntityKind, with_record_type};
use serde_json::Value;

use super::chain::Entry;
use crate::backend::{Store, on_pool};
use crate::canonical::record_json;
use crate::error::StoreError;

impl Store {
    /// Fill in, on entries about records, the state each left where the log did not keep it.
    pub(crate) async fn fill_states_after(&self, entries: &mut [Entry]) -> Result<(), StoreError> {
        for entry in entries.iter_mut() {
            if entry.after.is_some() || entry.after_digest.is_none() || entry.redacted {
                continue;
            }
            if let Some(kind) = crate::tables::kind_of(&entry.entity) {
                entry.after = self.state_after(kind, &entry.id, entry.seq).await?;
            }
        }
        Ok(())
    }

    /// Record `id`'s state after entry `seq`: the `before` of the next entry about it, or
    /// the row as it stands when no entry followed.
    pub(crate) async fn state_after(&self, kind: EntityKind, id: &str, seq: i64) -> Result<Option<Value>, StoreError> {
        let sql =
            "select before_json from audit_log where entity = $1 and entity_id = $2 and seq > $3 order by seq limit 1";
        let entity = crate::tables::table(kind).name;
        let next: Option<Option<String>> = on_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(entity).bind(id.to_owned()).bind(seq).fetch_optional(pool).await?
        });
        match next {
            // Erased since: the data is gone on purpose.
            Some(None) => Ok(None),
            Some(Some(text)) => serde_json::from_str(&text).map(Some).map_err(|e| StoreError::Corrupt {
                table: "audit_log",
                id: format!("{entity}/{id}"),
                message: e.to_string(),
            }),
            None => self.current_state(kind, id).await,
        }
    }

    /// A record's row as the log digests it, if the row is there.
    async fn current_state(&self, kind: EntityKind, id: &str) -> Result<Option<Value>, StoreError> {
        let Ok(uuid) = uuid::Uuid::parse_str(id) else { return Ok(None) };
        with_record_type!(kind, T => match self.get::<T>(uuid.into()).await? {
            Some(stored) => Ok(Some(record_json(&stored)?)),
            None => Ok(None),
        })
    }
}

//! One row applied within the import's transaction: its references turned from keys into
//! ids, then created or updated through the same rules as any single write.

use cncl_domain::field_spec::Input;
use cncl_domain::ids::RecordId as _;
use cncl_domain::{EntityKind, Lang, Record, Stored, msg};
use cncl_exchange::Row;
use cncl_store::Tx;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::cells::{error, row_json};
use super::columns::Mapped;
use super::{FieldChange, RowOutcome};
use crate::natural_keys::{self, Keys};
use crate::records::{create_in, update_in};
use crate::{Actor, AppError, policy};

/// An application error on a row, placed in its field's column when it names one.
pub(super) fn row_error(e: AppError, columns: &[Mapped]) -> RowOutcome {
    let field = match &e {
        AppError::Invalid(d) => Some(d.field.clone()),
        AppError::Conflict { field, .. } => field.clone(),
        _ => None,
    };
    error(field.as_deref().and_then(|f| columns.iter().find(|c| c.key == f)), e.message())
}

/// What a row is applied with: the transaction, who imports, and the keys read so far.
pub(super) struct Applying<'a> {
    pub(super) tx: &'a mut Tx,
    pub(super) actor: &'a Actor,
    pub(super) keys: &'a mut Keys,
    /// Told the rows done of the rows in the file.
    pub(super) progress: Option<&'a (dyn Fn(u64, u64) + Send + Sync)>,
    pub(super) done: u64,
    pub(super) total: u64,
}

/// The row's references, written as keys, turned into ids: a tree's parent last, once the
/// row's model or product is known.
pub(super) async fn resolve_references(
    at: &mut Applying<'_>,
    kind: EntityKind,
    columns: &[Mapped],
    json: &mut Map<String, Value>,
) -> Result<Result<(), RowOutcome>, AppError> {
    let mut references: Vec<&Mapped> =
        columns.iter().filter(|c| matches!(c.input, Some(Input::Reference(_)))).collect();
    references.sort_by_key(|c| natural_keys::is_tree_parent(kind, &c.key));
    for column in references {
        let (Some(Input::Reference(target)), Some(Value::String(written))) = (&column.input, json.get(&column.key))
        else {
            continue;
        };
        let scope = crate::records::scope(policy::reference_reach(at.actor, kind, *target)?);
        match at.keys.resolve(at.tx, kind, &column.key, &written.clone(), json, &scope).await? {
            Ok(id) => {
                json.insert(column.key.clone(), Value::String(id.to_string()));
            }
            Err(message) => return Ok(Err(error(Some(column), message))),
        }
    }
    Ok(Ok(()))
}

/// The fields of `columns` that differ between two versions of a record.
pub(super) fn changes(old: &Value, new: &Value, columns: &[Mapped]) -> Vec<FieldChange> {
    columns
        .iter()
        .filter(|c| c.key != "id" && old.get(&c.key) != new.get(&c.key))
        .map(|c| FieldChange {
            field: c.key.clone(),
            before: old.get(&c.key).cloned().unwrap_or(Value::Null),
            after: new.get(&c.key).cloned().unwrap_or(Value::Null),
        })
        .collect()
}

/// One row, applied within the transaction.
pub(super) async fn apply_row<T: Record>(
    at: &mut Applying<'_>,
    row: &Row,
    columns: &[Mapped],
) -> Result<RowOutcome, AppError> {
    let (id, mut json) = match row_json(row, columns) {
        Ok(parsed) => parsed,
        Err(outcome) => return Ok(outcome),
    };
    if let Err(outcome) = resolve_references(at, T::KIND, columns, &mut json).await? {
        return Ok(outcome);
    }
    let record: T = match cncl_domain::parse_input_value(Value::Object(json)) {
        Ok(record) => record,
        Err(cncl_domain::InputError::Invalid(e)) => {
            return Ok(error(columns.iter().find(|c| c.key == e.field), e.message));
        }
        Err(cncl_domain::InputError::Syntax(message)) => {
            return Ok(error(None, msg(format!("dòng không đọc được: {message}"), message)));
        }
    };
    let new = cncl_store::to_json(&record)?;
    let id = match id {
        Some(id) => Some(id),
        None => {
            let reach = crate::records::scope(policy::read(at.actor, T::KIND)?);
            at.keys.find_exact(at.tx, T::KIND, &new, &reach).await?
        }
    };
    let Some(uuid) = id else {
        return Ok(match create_in(at.tx, at.actor, T::Id::from(Uuid::now_v7()), record).await {
            Ok(stored) => {
                at.keys.wrote(at.tx, T::KIND, stored.id.as_uuid(), &new, false).await?;
                RowOutcome::New { id: stored.id.as_uuid() }
            }
            Err(e) => row_error(e, columns),
        });
    };
    let before = match at.tx.get::<T>(T::Id::from(uuid)).await? {
        Some(Stored { record, .. }) => record,
        None => {
            return Ok(error(
                columns.iter().find(|c| c.key == "id"),
                msg(
                    format!("không có {} nào có ID {uuid}", T::KIND.noun_in(Lang::Vi)),
                    format!("no {} has the id {uuid}", T::KIND.noun()),
                ),
            ));
        }
    };
    let old = cncl_store::to_json(&before)?;
    if old == new {
        return Ok(RowOutcome::Unchanged { id: uuid });
    }
    let changes = changes(&old, &new, columns);
    Ok(match update_in(at.tx, at.actor, T::Id::from(uuid), record).await {
        Ok(_) => {
            at.keys.wrote(at.tx, T::KIND, uuid, &new, true).await?;
            RowOutcome::Update { id: uuid, changes }
        }
        Err(e) => row_error(e, columns),
    })
}

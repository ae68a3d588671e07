//! How records refer to each other, asked by kind rather than by table and column: the
//! records of one kind that belong to a record of another, how many refer to it, what a new
//! record refers to, which unique rule it would break, and where a node sits in its tree.
//! The columns come from the table descriptions (`tables/`), so callers name none.

use cncl_domain::{EntityKind, Record, Stored};
use serde_json::{Map, Value};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::backend::{Store, Tx, bind_all, on_tx};
use crate::error::StoreError;
use crate::scope::Scope;
use crate::sql::Bind;
use crate::tables::{Reference, Table, table};
pub use crate::trees::{TreePosition, tree_position_in};

/// A reference a record makes: its field, what it names, and the value it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub field: &'static str,
    /// The kind of record named; `None` for reference data (products, task groups).
    pub kind: Option<EntityKind>,
    /// What is named, for messages ("organisation", "product").
    pub noun: &'static str,
    pub value: String,
    reference: Reference,
}

/// A unique rule a record would break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// The field the clash is reported on.
    pub field: &'static str,
    pub fields: &'static [&'static str],
}

/// The column of `from`'s table that refers to records of `to`.
fn column_to(from: &'static Table, to: EntityKind) -> Result<&'static str, StoreError> {
    let target = table(to).name;
    let mut columns = from.references.iter().filter(|r| r.table == target && r.key == "id");
    match (columns.next(), columns.next()) {
        (Some(reference), None) => Ok(reference.column),
        _ => Err(StoreError::Corrupt {
            table: from.name,
            id: String::new(),
            message: format!("no single reference to {}", target),
        }),
    }
}

impl Tx {
    /// The records of `T` that belong to record `id` of kind `parent` (a task's milestones, a
    /// budget line's disbursements), within `scope`, oldest first.
    pub async fn children_of<T: Record>(
        &mut self,
        parent: EntityKind,
        id: impl Into<Uuid>,
        scope: &Scope,
    ) -> Result<Vec<Stored<T>>, StoreError> {
        let column = column_to(table(T::KIND), parent)?;
        self.children_within(column, &id.into().to_string(), scope).await
    }

    /// How many records of kind `from` refer to record `id` of kind `to`.
    pub async fn count_referring(
        &mut self,
        from: EntityKind,
        to: EntityKind,
        id: impl Into<Uuid>,
    ) -> Result<i64, StoreError> {
        let id: Uuid = id.into();
        let from = table(from);
        let column = column_to(from, to)?;
        let sql = format!("select count(*) from {} where {column} = $1", from.name);
        let count: i64 = on_tx!(self, conn => {
            sqlx::query_scalar(AssertSqlSafe(sql.clone())).bind(id.to_string()).fetch_one(conn).await?
        });
        Ok(count)
    }

    /// Every record of `to` that at least one record of `from` refers to (those whose
    /// `column` is `value`, when given): `count_referring` for all records at once.
    pub async fn referred_ids(
        &mut self,
        from: EntityKind,
        to: EntityKind,
        only: Option<(&'static str, &str)>,
    ) -> Result<std::collections::HashSet<Uuid>, StoreError> {
        let from = table(from);
        let column = column_to(from, to)?;
        let condition = match only {
            Some((only, _)) if from.columns.iter().any(|c| c.name == only) => format!(" where {only} = $1"),
            Some((only, _)) => return Err(StoreError::Reader(format!("{} has no column {only}", from.name))),
            None => String::new(),
        };
        let sql = format!("select distinct {column} from {}{condition}", from.name);
        let ids: Vec<String> = on_tx!(self, conn => {
            let query = sqlx::query_scalar(AssertSqlSafe(sql.clone()));
            let query = match only { Some((_, value)) => query.bind(value.to_owned()), None => query };
            query.fetch_all(conn).await?
        });
        Ok(ids.iter().filter_map(|id| Uuid::parse_str(id).ok()).collect())
    }

    /// Whether record `id` of `kind` exists.
    pub async fn exists(&mut self, kind: EntityKind, id: impl Into<Uuid>) -> Result<bool, StoreError> {
        self.kind_in_scope(kind, &id.into().to_string(), &Scope::All).await
    }

    /// Whether the reference data a link names (a product, a task group) exists.
    pub async fn reference_data_exists(&mut self, link: &Link) -> Result<bool, StoreError> {
        let sql = format!("select count(*) from {} where {} = $1", link.reference.table, link.reference.key);
        let count: i64 = on_tx!(self, conn => {
            sqlx::query_scalar(AssertSqlSafe(sql.clone())).bind(link.value.clone()).fetch_one(conn).await?
        });
        Ok(count > 0)
    }

    /// The unique rule `record` would break, stored under `except` (itself, when corrected).
    pub async fn clash<T: Record>(&mut self, record: &T, except: Option<Uuid>) -> Result<Option<Clash>, StoreError> {
        for fields in table(T::KIND).unique {
            if self.duplicate_of(record, fields, except).await? {
                let field = fields.last().copied().unwrap_or_default();
                return Ok(Some(Clash { field, fields }));
            }
        }
        Ok(None)
    }

    /// Record `id`'s parent and group in the tree of `kind`; `None` when there is no such
    /// record.
    pub async fn tree_parent(
        &mut self,
        kind: EntityKind,
        id: Uuid,
    ) -> Result<Option<(Option<Uuid>, String)>, StoreError> {
        let Some(tree) = crate::tables::tree(kind) else { return Ok(None) };
        if let Some(known) = self.known.tree_parent(kind, id) {
            return Ok(Some(known.clone()));
        }
        let sql =
            format!("select {}, {} from {} where id = $1", tree.parent_column, tree.group_column, table(kind).name);
        let row: Option<(Option<String>, String)> = on_tx!(self, conn => {
            sqlx::query_as(AssertSqlSafe(sql.clone())).bind(id.to_string()).fetch_optional(conn).await?
        });
        let found = row.map(|(parent, group)| (parent.and_then(|p| Uuid::parse_str(&p).ok()), group));
        if let Some(position) = &found {
            self.known.remember_tree_parent(kind, id, position.clone());
        }
        Ok(found)
    }

    /// The total of the disbursements on budget line `line`, leaving out `except`.
    pub async fn disbursed_on_line(&mut self, line: impl Into<Uuid>, except: Option<Uuid>) -> Result<i64, StoreError> {
        let line: Uuid = line.into();
        // PostgreSQL sums bigint as numeric; the cast gives a 64-bit integer on both backends.
        let sql = "select cast(coalesce(sum(amount_vnd), 0) as bigint) from disbursements \
                   where budget_line_id = $1 and id <> $2";
        let binds =
            [Bind::Text(Some(line.to_string())), Bind::Text(Some(except.map(|e| e.to_string()).unwrap_or_default()))];
        let total: i64 = on_tx!(self, conn => {
            bind_all!(sqlx::query_scalar(AssertSqlSafe(sql)), &binds).fetch_one(conn).await?
        });
        Ok(total)
    }
}

impl Store {
    /// [`Tx::children_of`], in a transaction of its own.
    pub async fn children_of<T: Record>(
        &self,
        parent: EntityKind,
        id: impl Into<Uuid>,
        scope: &Scope,
    ) -> Result<Vec<Stored<T>>, StoreError> {
        let mut tx = self.begin_read().await?;
        let children = tx.children_of(parent, id, scope).await?;
        tx.commit().await?;
        Ok(children)
    }

    /// The organisation with this tax code (unique), the key people know it by.
    pub async fn organisation_by_tax_code(
        &self,
        tax_code: &str,
    ) -> Result<Option<Stored<cncl_domain::organisation::Organisation>>, StoreError> {
        let mut tx = self.begin_read().await?;
        let found = tx.children_within("tax_code", tax_code, &Scope::All).await?.into_iter().next();
        tx.commit().await?;
        Ok(found)
    }

    /// The task with this office reference (its unique code).
    pub async fn task_by_code(&self, code: &str) -> Result<Option<Stored<cncl_domain::task::Task>>, StoreError> {
        let mut tx = self.begin_read().await?;
        let found = tx.children_within("code", code, &Scope::All).await?.into_iter().next();
        tx.commit().await?;
        Ok(found)
    }
}

/// The references a record of `kind` makes, with the values its fields (`fields_of`) hold
/// (null ones left out).
pub fn links_in(kind: EntityKind, fields: &Map<String, Value>) -> Vec<Link> {
    table(kind)
        .references
        .iter()
        .filter_map(|reference| {
            let value = fields.get(reference.column).and_then(Value::as_str)?;
            Some(Link {
                field: reference.column,
                kind: crate::tables::kind_of(reference.table),
                noun: reference.noun,
                value: value.to_owned(),
                reference: *reference,
            })
        })
        .collect()
}

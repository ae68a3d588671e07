//! Create, read, update and list any kind of record, with one SQL text per operation built
//! from the table descriptions in `tables/`. A record travels as JSON between the domain
//! type and the columns, so the same code serves every entity and both backends.

use cncl_domain::{Record, Stored};
use serde_json::{Map, Value};
use sqlx::{AssertSqlSafe, ColumnIndex, Decode, Row, Type};
use uuid::Uuid;

use crate::backend::{Store, Tx, bind_all, on_pool, on_tx};
use crate::canonical::record_json;
use crate::error::StoreError;
use crate::scope::{Scope, scope_key};
use crate::sql::Bind;
use crate::tables::{ColumnType, Table, table};

/// The list filters of the API; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub product: Option<String>,
    pub organisation: Option<Uuid>,
    pub status: Option<String>,
}

/// One page of a list, and how many records match in all.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// The record's fields as bind values in column order.
pub(crate) fn binds_of<T: Record>(table: &'static Table, record: &T) -> Result<Vec<Bind>, StoreError> {
    binds_of_fields(table, &fields_of(record)?)
}

/// A record's fields as JSON, serialised once for whatever reads them: its binds
/// (`binds_of_fields`), its links (`links::links_in`), its place in a tree
/// (`trees::tree_position_in`).
pub fn fields_of<T: Record>(record: &T) -> Result<Map<String, Value>, StoreError> {
    let table = table(T::KIND);
    let mapping = |message: String| StoreError::Corrupt { table: table.name, id: String::new(), message };
    match serde_json::to_value(record).map_err(|e| mapping(e.to_string()))? {
        Value::Object(fields) => Ok(fields),
        _ => Err(mapping("a record must serialise to an object".into())),
    }
}

/// `binds_of` for a record already serialised by `fields_of`.
pub(crate) fn binds_of_fields(table: &'static Table, fields: &Map<String, Value>) -> Result<Vec<Bind>, StoreError> {
    let mapping = |message: String| StoreError::Corrupt { table: table.name, id: String::new(), message };
    let mut binds = Vec::with_capacity(table.columns.len());
    for column in table.columns {
        let bind = match (column.ty, fields.get(column.name).unwrap_or(&Value::Null)) {
            (ColumnType::Text, Value::Null) | (ColumnType::Json, Value::Null) => Bind::Text(None),
            (ColumnType::Int, Value::Null) => Bind::Int(None),
            (ColumnType::Bool, Value::Null) => Bind::Bool(None),
            (ColumnType::Text, Value::String(s)) => Bind::Text(Some(s.clone())),
            (ColumnType::Int, Value::Number(n)) => {
                Bind::Int(Some(n.as_i64().ok_or_else(|| mapping(format!("{} is not a 64-bit integer", column.name)))?))
            }
            (ColumnType::Bool, Value::Bool(b)) => Bind::Bool(Some(*b)),
            (ColumnType::Json, other) => Bind::Text(Some(other.to_string())),
            (ty, other) => {
                return Err(mapping(format!("{} holds {other} but its column is {ty:?}", column.name)));
            }
        };
        binds.push(bind);
    }
    if let Some(extra) = fields.keys().find(|key| !table.columns.iter().any(|c| c.name == key.as_str())) {
        return Err(mapping(format!("field {extra} has no column")));
    }
    Ok(binds)
}

/// Read one row (id first, then the table's columns) back into a record.
pub(crate) fn decode_row<'r, R, T>(table: &'static Table, row: &'r R) -> Result<Stored<T>, StoreError>
where
    T: Record,
    R: Row,
    usize: ColumnIndex<R>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    bool: Decode<'r, R::Database> + Type<R::Database>,
{
    let id: String = row.try_get(0)?;
    record_of_columns(table, &id, |at, ty| {
        Ok(match ty {
            ColumnType::Text | ColumnType::Json => {
                row.try_get::<Option<String>, _>(at)?.map_or(Value::Null, Value::String)
            }
            ColumnType::Int => row.try_get::<Option<i64>, _>(at)?.map_or(Value::Null, Value::from),
            ColumnType::Bool => row.try_get::<Option<bool>, _>(at)?.map_or(Value::Null, Value::Bool),
        })
    })
}

/// A record from its id and its columns, whichever driver read them: `column(at, type)` gives
/// the value at position `at` (the id is at 0) — a `Json` column as its text.
pub(crate) fn record_of_columns<T: Record>(
    table: &'static Table,
    id: &str,
    mut column: impl FnMut(usize, ColumnType) -> Result<Value, StoreError>,
) -> Result<Stored<T>, StoreError> {
    let corrupt = |message: String| StoreError::Corrupt { table: table.name, id: id.to_owned(), message };
    let mut fields = Map::with_capacity(table.columns.len());
    for (i, described) in table.columns.iter().enumerate() {
        let value = match (described.ty, column(i + 1, described.ty)?) {
            (ColumnType::Json, Value::String(text)) => {
                serde_json::from_str(&text).map_err(|e| corrupt(format!("{}: {e}", described.name)))?
            }
            (_, value) => value,
        };
        fields.insert(described.name.to_owned(), value);
    }
    let record: T = cncl_domain::parse_value(Value::Object(fields)).map_err(|e| corrupt(e.to_string()))?;
    let id = Uuid::parse_str(id).map_err(|e| corrupt(format!("id: {e}")))?;
    Ok(Stored { id: id.into(), record })
}

impl Tx {
    /// Insert a new record under `id`.
    pub async fn insert<T: Record>(&mut self, id: T::Id, record: &T) -> Result<(), StoreError> {
        let id: Uuid = id.into();
        let table = table(T::KIND);
        // Serialised once for the row, the tree and the log: an import writes records by the
        // hundred thousand.
        let fields = fields_of(record)?;
        let mut binds = vec![Bind::Text(Some(id.to_string()))];
        binds.extend(binds_of_fields(table, &fields)?);
        self.insert_row(table, binds).await?;
        self.known.keep_in_scope(T::KIND, id, scope_key(&Scope::All));
        if let Some(position) = crate::trees::tree_position_in(T::KIND, &fields) {
            self.known.keep_tree_parent(T::KIND, id, (position.parent, position.group));
        }
        if self.preview {
            return Ok(());
        }
        let after = crate::canonical::record_json_of_fields(id, fields);
        let change = self.change("insert", table.name, &id.to_string(), None, Some(after))?;
        self.append_audit(vec![change]).await
    }

    /// Replace the record stored under `id`. Returns false when there is none.
    pub async fn update<T: Record>(&mut self, id: T::Id, record: &T) -> Result<bool, StoreError> {
        let table = table(T::KIND);
        let Some(before) = self.get::<T>(id).await? else {
            return Ok(false);
        };
        self.known.forget();
        let fields = fields_of(record)?;
        let mut binds = binds_of_fields(table, &fields)?;
        let assignments: Vec<String> =
            table.columns.iter().enumerate().map(|(i, c)| format!("{} = ${}", c.name, i + 1)).collect();
        binds.push(Bind::Text(Some(id.to_string())));
        let sql = format!("update {} set {} where id = ${}", table.name, assignments.join(", "), binds.len());
        let affected = on_tx!(self, conn => {
            bind_all!(sqlx::query(AssertSqlSafe(sql.clone())), &binds).execute(conn).await?.rows_affected()
        });
        let after = crate::canonical::record_json_of_fields(id.into(), fields);
        let change = self.change("update", table.name, &id.to_string(), Some(record_json(&before)?), Some(after))?;
        self.append_audit(vec![change]).await?;
        Ok(affected == 1)
    }

    /// Read a record inside the transaction (sees its own uncommitted writes).
    pub async fn get<T: Record>(&mut self, id: T::Id) -> Result<Option<Stored<T>>, StoreError> {
        let id: Uuid = id.into();
        let table = table(T::KIND);
        let sql = format!("select {} from {} where id = $1", table.column_list(), table.name);
        on_tx!(self, conn => {
            match sqlx::query(AssertSqlSafe(sql.clone())).bind(id.to_string()).fetch_optional(conn).await? {
                Some(row) => Ok(Some(decode_row(table, &row)?)),
                None => Ok(None),
            }
        })
    }

    /// Whether a record other than `except` already has these values in `columns` — the
    /// check behind a unique rule, so that the user hears which field clashes.
    pub(crate) async fn duplicate_of<T: Record>(
        &mut self,
        record: &T,
        columns: &[&str],
        except: Option<Uuid>,
    ) -> Result<bool, StoreError> {
        let table = table(T::KIND);
        let all = binds_of(table, record)?;
        let mut binds = Vec::with_capacity(columns.len() + 1);
        let mut conditions = Vec::with_capacity(columns.len() + 1);
        for name in columns {
            let Some(pos) = table.columns.iter().position(|c| c.name == *name) else {
                return Err(StoreError::Corrupt {
                    table: table.name,
                    id: String::new(),
                    message: format!("no column {name}"),
                });
            };
            binds.push(all[pos].clone());
            conditions.push(format!("{name} = ${}", binds.len()));
        }
        if let Some(except) = except {
            binds.push(Bind::Text(Some(except.to_string())));
            conditions.push(format!("id <> ${}", binds.len()));
        }
        let sql = format!("select count(*) from {} where {}", table.name, conditions.join(" and "));
        let count: i64 = on_tx!(self, conn => {
            bind_all!(sqlx::query_scalar(AssertSqlSafe(sql.clone())), &binds).fetch_one(conn).await?
        });
        Ok(count > 0)
    }
}

impl Store {
    /// Read one record.
    pub async fn get<T: Record>(&self, id: T::Id) -> Result<Option<Stored<T>>, StoreError> {
        let id: Uuid = id.into();
        let table = table(T::KIND);
        let sql = format!("select {} from {} where id = $1", table.column_list(), table.name);
        on_pool!(self, pool => {
            match sqlx::query(AssertSqlSafe(sql.clone())).bind(id.to_string()).fetch_optional(pool).await? {
                Some(row) => Ok(Some(decode_row(table, &row)?)),
                None => Ok(None),
            }
        })
    }

    /// One page of the records that pass `filter`, oldest first. The caller checks that
    /// the table supports each filter it sets (`tables::Filters`); an unsupported one is
    /// ignored here.
    pub async fn list<T: Record>(
        &self,
        filter: &ListFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Stored<T>>, StoreError> {
        self.list_within(filter, &Scope::All, page, per_page).await
    }

    /// One page of the records that pass `filter` and lie within `scope`.
    pub async fn list_within<T: Record>(
        &self,
        filter: &ListFilter,
        scope: &Scope,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Stored<T>>, StoreError> {
        let table = table(T::KIND);
        let (clause, binds) = list_clause(table, filter, scope, None);
        let offset = u64::from(page.saturating_sub(1)) * u64::from(per_page);
        let select = format!(
            "select {} from {}{clause} order by id limit {per_page} offset {offset}",
            table.column_list(),
            table.name
        );
        let count = format!("select count(*) from {}{clause}", table.name);
        on_pool!(self, pool => {
            let total: i64 = bind_all!(sqlx::query_scalar(AssertSqlSafe(count.clone())), &binds).fetch_one(pool).await?;
            let rows = bind_all!(sqlx::query(AssertSqlSafe(select.clone())), &binds).fetch_all(pool).await?;
            let items = rows.iter().map(|row| decode_row(table, row)).collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, page, per_page, total })
        })
    }

    /// Up to `limit` records that pass `filter` within `scope`, in id order, after the
    /// record `after`: a walk through a whole list at a constant cost per step, whatever
    /// its length (an offset would read every earlier row again).
    pub async fn list_after<T: Record>(
        &self,
        filter: &ListFilter,
        scope: &Scope,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Stored<T>>, StoreError> {
        let table = table(T::KIND);
        let (clause, binds) = list_clause(table, filter, scope, Some(after.unwrap_or_default()));
        let select = format!("select {} from {}{clause} order by id limit {limit}", table.column_list(), table.name);
        on_pool!(self, pool => {
            let rows = bind_all!(sqlx::query(AssertSqlSafe(select.clone())), &binds).fetch_all(pool).await?;
            rows.iter().map(|row| decode_row(table, row)).collect::<Result<Vec<_>, _>>()
        })
    }
}

/// The `where` clause of a list and its values: the scope, the filters, and (for a walk)
/// the id to continue after.
fn list_clause(table: &Table, filter: &ListFilter, scope: &Scope, after: Option<&str>) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let mut conditions = Vec::new();
    match scope.condition(table, 1) {
        Some((condition, scope_binds)) => {
            binds.extend(scope_binds);
            conditions.push(condition);
        }
        None => conditions.push("1 = 0".to_owned()),
    }
    let wanted = [
        (table.filters.product, filter.product.clone()),
        (table.filters.organisation, filter.organisation.map(|o| o.to_string())),
        (table.filters.status, filter.status.clone()),
    ];
    for (condition, value) in wanted {
        if let (Some(condition), Some(value)) = (condition, value) {
            binds.push(Bind::Text(Some(value)));
            conditions.push(condition.replace("{}", &format!("${}", binds.len())));
        }
    }
    if let Some(after) = after {
        binds.push(Bind::Text(Some(after.to_owned())));
        conditions.push(format!("id > ${}", binds.len()));
    }
    let clause = if conditions.is_empty() { String::new() } else { format!(" where {}", conditions.join(" and ")) };
    (clause, binds)
}

impl Tx {
    /// Insert many new records of one kind with multi-row statements: the bulk path for
    /// generated data sets. The caller vouches that references exist (the database's
    /// foreign keys still check them).
    pub async fn insert_many<T: Record>(&mut self, records: &[(Uuid, T)]) -> Result<(), StoreError> {
        let table = table(T::KIND);
        self.write_deferred().await?;
        // A thousand at a time, so that the rows' binds and audit changes stay small.
        for chunk in records.chunks(1_000) {
            let mut rows = Vec::with_capacity(chunk.len());
            let mut changes = Vec::with_capacity(chunk.len());
            // Each record serialised once for its row and its entry, as `insert` does.
            for (id, record) in chunk {
                let fields = fields_of(record)?;
                let mut binds = vec![Bind::Text(Some(id.to_string()))];
                binds.extend(binds_of_fields(table, &fields)?);
                rows.push(binds);
                let after = crate::canonical::record_json_of_fields(*id, fields);
                changes.push(self.change("insert", table.name, &id.to_string(), None, Some(after))?);
            }
            self.insert_rows(table, rows).await?;
            self.append_audit(changes).await?;
        }
        Ok(())
    }
}

impl Tx {
    /// Every record of a kind whose `column` equals `value` and that lies within `scope` (the
    /// condition is in the query), oldest first.
    pub(crate) async fn children_within<T: Record>(
        &mut self,
        column: &str,
        value: &str,
        scope: &Scope,
    ) -> Result<Vec<Stored<T>>, StoreError> {
        self.matching_within(Some((column, value)), scope).await
    }

    /// Every record of a kind within `scope` (and, when `equal` names one, whose column holds
    /// that value), as the transaction sees it, oldest first.
    pub async fn matching_within<T: Record>(
        &mut self,
        equal: Option<(&str, &str)>,
        scope: &Scope,
    ) -> Result<Vec<Stored<T>>, StoreError> {
        let table = table(T::KIND);
        let first = if equal.is_some() { 2 } else { 1 };
        let Some((condition, mut binds)) = scope.condition(table, first) else { return Ok(Vec::new()) };
        let column_condition = match equal {
            Some((column, value)) if table.columns.iter().any(|c| c.name == column) => {
                binds.insert(0, Bind::Text(Some(value.to_owned())));
                format!("{column} = $1")
            }
            Some((column, _)) => {
                return Err(StoreError::Corrupt {
                    table: table.name,
                    id: String::new(),
                    message: format!("no column {column}"),
                });
            }
            None => "1 = 1".to_owned(),
        };
        let sql = format!(
            "select {} from {} where {column_condition} and {condition} order by id",
            table.column_list(),
            table.name
        );
        on_tx!(self, conn => {
            let rows = bind_all!(sqlx::query(AssertSqlSafe(sql.clone())), &binds).fetch_all(conn).await?;
            rows.iter().map(|row| decode_row(table, row)).collect()
        })
    }
}

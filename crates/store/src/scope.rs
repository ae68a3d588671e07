//! How far a query may reach (everything, one organisation's records, some products'), as
//! an SQL condition built from each table's own list filter.

use cncl_domain::{EntityKind, Record, Stored};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::backend::{Store, Tx, bind_all, on_pool, on_tx};
use crate::error::StoreError;
use crate::sql::Bind;
use crate::tables::{Table, table};

/// A scope as the transaction's memory of checked records names it.
pub(crate) fn scope_key(scope: &Scope) -> String {
    format!("{scope:?}")
}

/// How far a query may reach: everything, one organisation's records, or some products'.
/// The condition is the table's own list filter, applied in SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Organisation(Uuid),
    Products(Vec<String>),
}

impl Scope {
    /// The SQL condition (with parameters numbered from `first`) and its binds; `None` when the
    /// table cannot be scoped this way, which grants nothing.
    pub(crate) fn condition(&self, table: &Table, first: usize) -> Option<(String, Vec<Bind>)> {
        match self {
            Scope::All => Some(("1 = 1".to_owned(), Vec::new())),
            Scope::Organisation(org) => {
                let fragment = table.filters.organisation?;
                Some((
                    format!("({})", fragment.replace("{}", &format!("${first}"))),
                    vec![Bind::Text(Some(org.to_string()))],
                ))
            }
            Scope::Products(products) if products.is_empty() => Some(("1 = 0".to_owned(), Vec::new())),
            Scope::Products(products) => {
                let fragment = table.filters.product?;
                let parts: Vec<String> = (0..products.len())
                    .map(|i| format!("({})", fragment.replace("{}", &format!("${}", first + i))))
                    .collect();
                Some((
                    format!("({})", parts.join(" or ")),
                    products.iter().map(|p| Bind::Text(Some(p.clone()))).collect(),
                ))
            }
        }
    }
}

impl Tx {
    /// Whether the record `id` of `T`'s table lies within `scope` (as the transaction sees it).
    pub async fn in_scope<T: Record>(&mut self, id: T::Id, scope: &Scope) -> Result<bool, StoreError> {
        self.kind_in_scope(T::KIND, &id.to_string(), scope).await
    }

    /// Whether a record of `kind` with id `id` exists and lies within `scope`.
    pub async fn kind_in_scope(&mut self, kind: EntityKind, id: &str, scope: &Scope) -> Result<bool, StoreError> {
        let parsed = Uuid::parse_str(id).ok();
        if let Some(uuid) = parsed
            && self.known.is_in_scope(kind, uuid, &scope_key(scope))
        {
            return Ok(true);
        }
        let table = table(kind);
        let Some((condition, mut binds)) = scope.condition(table, 2) else { return Ok(false) };
        binds.insert(0, Bind::Text(Some(id.to_owned())));
        let sql = format!("select count(*) from {} where id = $1 and {condition}", table.name);
        let count: i64 = on_tx!(self, conn => {
            bind_all!(sqlx::query_scalar(AssertSqlSafe(sql.clone())), &binds).fetch_one(conn).await?
        });
        if let (true, Some(uuid)) = (count > 0, parsed) {
            self.known.keep_in_scope(kind, uuid, scope_key(scope));
        }
        Ok(count > 0)
    }
}

impl Store {
    /// The ids of every record of `kind` within `scope`: what a reader restricted to some
    /// records may be shown of a figure's evidence.
    pub async fn ids_within(
        &self,
        kind: EntityKind,
        scope: &Scope,
    ) -> Result<std::collections::HashSet<Uuid>, StoreError> {
        let table = table(kind);
        let Some((condition, binds)) = scope.condition(table, 1) else { return Ok(Default::default()) };
        let sql = format!("select id from {} where {condition}", table.name);
        let ids: Vec<String> = on_pool!(self, pool => {
            bind_all!(sqlx::query_scalar(AssertSqlSafe(sql.clone())), &binds).fetch_all(pool).await?
        });
        Ok(ids.iter().filter_map(|id| Uuid::parse_str(id).ok()).collect())
    }

    /// Read one record, if it lies within `scope`.
    pub async fn get_within<T: Record>(&self, id: T::Id, scope: &Scope) -> Result<Option<Stored<T>>, StoreError> {
        if *scope == Scope::All {
            return self.get::<T>(id).await;
        }
        let mut tx = self.begin_read().await?;
        let found = if tx.in_scope::<T>(id, scope).await? { tx.get::<T>(id).await? } else { None };
        tx.commit().await?;
        Ok(found)
    }
}

//! The column and sheet mappings an owner chose for its own workbooks (`0009_import_mappings`).

use sqlx::AssertSqlSafe;

use crate::backend::{Store, on_pool};
use crate::error::StoreError;

/// One saved choice: for `kind` (or `*` for a sheet), the folded `header` (or sheet name)
/// maps to `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportMapping {
    pub kind: String,
    pub header: String,
    pub target: String,
}

impl Store {
    /// Every mapping `owner` saved.
    pub async fn import_mappings(&self, owner: &str) -> Result<Vec<ImportMapping>, StoreError> {
        let sql = "select kind, header, target from import_mappings where owner = $1 order by kind, header";
        let rows: Vec<(String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as(AssertSqlSafe(sql)).bind(owner.to_owned()).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(kind, header, target)| ImportMapping { kind, header, target }).collect())
    }

    /// Save `mappings` for `owner`, each replacing what it saved for the same header.
    pub async fn save_import_mappings(&self, owner: &str, mappings: &[ImportMapping]) -> Result<(), StoreError> {
        let sql = "insert into import_mappings (owner, kind, header, target) values ($1, $2, $3, $4) \
                   on conflict (owner, kind, header) do update set target = excluded.target";
        for mapping in mappings {
            on_pool!(self, pool => {
                sqlx::query(AssertSqlSafe(sql))
                    .bind(owner.to_owned())
                    .bind(mapping.kind.clone())
                    .bind(mapping.header.clone())
                    .bind(mapping.target.clone())
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
        }
        Ok(())
    }
}

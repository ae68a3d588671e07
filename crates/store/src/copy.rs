//! A whole database copied into another, row for row: a backup, a restore, or a move from
//! SQLite to PostgreSQL and back. Every table of the schema is copied as it stands in one
//! consistent read of the source (a snapshot on SQLite, `repeatable read` on PostgreSQL) and
//! written in one transaction on the target, so the target holds all of it or none; the
//! audit log is copied like any table, so the chain verifies on the copy exactly as on the
//! original. Documents kept as files travel with their rows.
//!
//! Written here rather than by `pg_dump` or `.backup`: those move a database within one
//! backend, and cncl's copies cross between the two.

use std::path::Path;

use base64::Engine;
use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, Row};
use tokio::sync::mpsc;

use crate::backend::{MIGRATOR, Store, Tx, Writer, on_tx_now};
use crate::error::StoreError;
use crate::sql::Bind;

/// Rows read before they are handed to the writer, and at most the parameters of one
/// statement (SQLite's and PostgreSQL's limits are far above).
const PARAMETERS_PER_STATEMENT: usize = 30_000;

/// A table of the schema, as the copy reads and writes it.
#[derive(Debug, Clone)]
struct TableShape {
    name: String,
    /// Each column and how its values are read: the schema has text, bigint and boolean.
    columns: Vec<(String, ColumnType)>,
    /// The column naming a parent row in the same table (a tree): copied as NULL, then set
    /// once every row is in, so that no child waits for its parent.
    parent: Option<(String, String)>,
    /// The migrations themselves put rows in it (the audit chain's head): replaced without
    /// asking.
    seeded: bool,
}

#[derive(Debug, Clone, Copy)]
enum ColumnType {
    Text,
    Int,
    Bool,
}

impl TableShape {
    fn rows_per_statement(&self) -> usize {
        (PARAMETERS_PER_STATEMENT / self.columns.len().max(1)).max(1)
    }

    fn column_list(&self) -> String {
        self.columns.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The tables of the current schema in the order they were made, each after those it refers
/// to, read from the migrations applied to a database in memory.
fn schema() -> Result<Vec<TableShape>, StoreError> {
    let failed = |e: rusqlite::Error| StoreError::Files(format!("reading the schema: {e}"));
    let db = rusqlite::Connection::open_in_memory().map_err(failed)?;
    for migration in MIGRATOR.iter() {
        db.execute_batch(migration.sql.as_ref()).map_err(failed)?;
    }
    let names: Vec<String> = db
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by rowid")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(failed)?;
    let mut tables = Vec::new();
    for name in names {
        let columns: Vec<(String, String, bool)> = db
            .prepare("select name, lower(type), pk = 1 from pragma_table_info(?1) order by cid")
            .and_then(|mut s| s.query_map([&name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
            .map_err(failed)?;
        let mut shaped = Vec::new();
        for (column, declared, _) in &columns {
            let kind = match declared.as_str() {
                "text" => ColumnType::Text,
                "bigint" | "integer" => ColumnType::Int,
                "boolean" => ColumnType::Bool,
                other => {
                    return Err(StoreError::Files(format!("{name}.{column} has type {other:?}, which no copy reads")));
                }
            };
            shaped.push((column.clone(), kind));
        }
        let parent_column: Option<String> = db
            .prepare("select \"from\" from pragma_foreign_key_list(?1) where \"table\" = ?1")
            .and_then(|mut s| s.query_map([&name], |r| r.get(0))?.next().transpose())
            .map_err(failed)?;
        let key = columns.iter().find(|(_, _, pk)| *pk).map(|(c, _, _)| c.clone());
        let parent = parent_column.zip(key).map(|(parent, key)| (key, parent));
        let seeded = db.query_row(&format!("select count(*) > 0 from {name}"), [], |r| r.get(0)).map_err(failed)?;
        tables.push(TableShape { name, columns: shaped, parent, seeded });
    }
    Ok(tables)
}

/// What the reader hands the writer.
enum Message {
    Rows {
        table: usize,
        rows: Vec<Vec<Bind>>,
    },
    /// Each row's key and its parent's, for a tree's second pass.
    Links {
        table: usize,
        links: Vec<(String, String)>,
    },
}

/// What a copy moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    /// Rows per table, in the order copied.
    pub tables: Vec<(String, u64)>,
}

impl Copied {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

impl Store {
    /// Copy every row of this store, whose schema must be current, into `target`, whose
    /// schema is brought up to date first. The target must hold no rows, or with `replace` its rows are deleted in
    /// the same transaction. `progress` hears each table's name and the rows written so far.
    pub async fn copy_into(
        &self,
        target: &Store,
        replace: bool,
        progress: &mut (dyn FnMut(&str, u64) + Send),
    ) -> Result<Copied, StoreError> {
        if !self.schema_is_current().await? {
            return Err(StoreError::Files(
                "the source was made by another version of cncl: open it once with this one (`cncl init \
                 --database …`) to bring it up to date"
                    .into(),
            ));
        }
        target.migrate().await?;
        let tables = std::sync::Arc::new(schema()?);
        let mut tx = target.begin(Writer { actor: "cncl:copy".into(), at: chrono::Utc::now() }).await?;
        clear(&mut tx, &tables, replace).await?;
        let (sender, mut receiver) = mpsc::channel(2);
        let reader = tokio::spawn(read_all(self.begin_snapshot().await?, tables.clone(), sender));
        let documents = (self.documents_dir.clone(), target.documents_dir.clone());
        let mut copied: Vec<u64> = vec![0; tables.len()];
        while let Some(message) = receiver.recv().await {
            match message {
                Message::Rows { table, mut rows } => {
                    let shape = &tables[table];
                    if shape.name == crate::documents::ENTITY {
                        carry_documents(shape, &mut rows, documents.0.as_deref(), documents.1.as_deref()).await?;
                    }
                    insert(&mut tx, shape, &rows).await?;
                    copied[table] += rows.len() as u64;
                    progress(&shape.name, copied[table]);
                }
                Message::Links { table, links } => link(&mut tx, &tables[table], &links).await?,
            }
        }
        reader.await.map_err(|e| StoreError::Files(format!("the copy's reader stopped: {e}")))??;
        tx.commit().await?;
        Ok(Copied { tables: tables.iter().map(|t| t.name.clone()).zip(copied).collect() })
    }

    /// Whether every migration this build knows has been applied.
    pub async fn schema_is_current(&self) -> Result<bool, StoreError> {
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let sql = "select max(version) from _sqlx_migrations where success";
        let applied: Option<i64> = match on_pool_scalar(self, sql).await {
            Ok(v) => v,
            // No migrations table: nothing was ever applied.
            Err(StoreError::Database(_)) => None,
            Err(other) => return Err(other),
        };
        Ok(applied == Some(latest))
    }

    /// A consistent copy of the whole database as a new SQLite file at `path` (which must not
    /// exist), taken while cncl serves: written under a temporary name and renamed once
    /// complete, so a failed backup leaves nothing. Documents kept as files are carried
    /// into the file, which is then a database cncl opens like any other.
    pub async fn backup_to(
        &self,
        path: &Path,
        progress: &mut (dyn FnMut(&str, u64) + Send),
    ) -> Result<Copied, StoreError> {
        if path.exists() {
            return Err(StoreError::Files(format!("{} already exists: name a new file", path.display())));
        }
        let partial = path.with_file_name(format!(
            ".{}.part",
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        let _ = std::fs::remove_file(&partial);
        let copied = match (&self.pool, &self.documents_dir) {
            // SQLite copies itself fastest, in one read transaction.
            (crate::backend::Pool::Sqlite(pool, _), None) => {
                sqlx::query("vacuum into $1").bind(partial.to_string_lossy().into_owned()).execute(pool).await?;
                Copied::default()
            }
            _ => {
                let target = Store::connect(&partial.to_string_lossy()).await?;
                let copied = self.copy_into(&target, false, progress).await;
                target.close().await;
                copied?
            }
        };
        std::fs::rename(&partial, path)
            .map_err(|e| StoreError::Files(format!("naming the backup {}: {e}", path.display())))?;
        Ok(copied)
    }

    /// A transaction that reads one consistent state of the whole database.
    async fn begin_snapshot(&self) -> Result<Tx, StoreError> {
        let mut tx = self.begin_read().await?;
        if self.backend() == crate::Backend::Postgres {
            on_tx_now!(tx, conn => {
                sqlx::query("set transaction isolation level repeatable read, read only").execute(conn).await?;
            });
        }
        Ok(tx)
    }
}

/// Refuse a target that holds rows, or with `replace` delete them, children first; the
/// rows its migrations made are always replaced.
async fn clear(tx: &mut Tx, tables: &[TableShape], replace: bool) -> Result<(), StoreError> {
    for table in tables.iter().rev() {
        let sql = format!("select count(*) from {}", table.name);
        let rows: i64 = on_tx_now!(tx, conn => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(conn).await?);
        if rows == 0 {
            continue;
        }
        if !replace && !table.seeded {
            return Err(StoreError::Conflict(format!(
                "the target database already holds data ({rows} rows in {}): name an empty one, or replace it",
                table.name
            )));
        }
        let sql = format!("delete from {}", table.name);
        on_tx_now!(tx, conn => { sqlx::query(AssertSqlSafe(sql)).execute(conn).await?; });
    }
    Ok(())
}

/// Read every table in `tables` in one transaction, handing rows over in batches.
async fn read_all(
    mut tx: Tx,
    tables: std::sync::Arc<Vec<TableShape>>,
    sender: mpsc::Sender<Message>,
) -> Result<(), StoreError> {
    // The writer stopped (its own error is the one reported).
    let stopped = |_| StoreError::Files("the copy's writer stopped".into());
    for (index, table) in tables.iter().enumerate() {
        let sql = format!("select {} from {}", table.column_list(), table.name);
        let per_batch = table.rows_per_statement();
        on_tx_now!(tx, conn => {
            let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(conn);
            let mut batch = Vec::with_capacity(per_batch);
            while let Some(row) = rows.try_next().await? {
                let mut cells = Vec::with_capacity(table.columns.len());
                for (at, (_, kind)) in table.columns.iter().enumerate() {
                    cells.push(match kind {
                        ColumnType::Text => Bind::Text(row.try_get(at)?),
                        ColumnType::Int => Bind::Int(row.try_get(at)?),
                        ColumnType::Bool => Bind::Bool(row.try_get(at)?),
                    });
                }
                batch.push(cells);
                if batch.len() == per_batch {
                    let rows = std::mem::replace(&mut batch, Vec::with_capacity(per_batch));
                    sender.send(Message::Rows { table: index, rows }).await.map_err(stopped)?;
                }
            }
            sender.send(Message::Rows { table: index, rows: batch }).await.map_err(stopped)?;
        });
        let Some((key, parent)) = &table.parent else { continue };
        let sql = format!("select {key}, {parent} from {} where {parent} is not null", table.name);
        on_tx_now!(tx, conn => {
            let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(conn);
            let mut links = Vec::new();
            while let Some(row) = rows.try_next().await? {
                links.push((row.try_get(0)?, row.try_get(1)?));
                if links.len() == PARAMETERS_PER_STATEMENT / 2 {
                    let links = std::mem::take(&mut links);
                    sender.send(Message::Links { table: index, links }).await.map_err(stopped)?;
                }
            }
            sender.send(Message::Links { table: index, links }).await.map_err(stopped)?;
        });
    }
    Ok(())
}

/// Insert `rows` into `table`, a tree's parent as NULL (set by `link`).
async fn insert(tx: &mut Tx, table: &TableShape, rows: &[Vec<Bind>]) -> Result<(), StoreError> {
    let width = table.columns.len();
    let parent_at = table.parent.as_ref().and_then(|(_, p)| table.columns.iter().position(|(c, _)| c == p));
    for chunk in rows.chunks(table.rows_per_statement()) {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("({})", tx.placeholders(i * width + 1, width))).collect();
        let sql = format!("insert into {} ({}) values {}", table.name, table.column_list(), values.join(", "));
        let binds = chunk.iter().flat_map(|row| {
            row.iter().enumerate().map(move |(at, cell)| if Some(at) == parent_at { &Bind::Text(None) } else { cell })
        });
        on_tx_now!(tx, conn => {
            crate::backend::bind_all!(sqlx::query(AssertSqlSafe(sql)), binds).execute(conn).await?;
        });
    }
    Ok(())
}

/// Set each row's parent, once every row of the tree is in.
async fn link(tx: &mut Tx, table: &TableShape, links: &[(String, String)]) -> Result<(), StoreError> {
    let Some((key, parent)) = &table.parent else { return Ok(()) };
    for chunk in links.chunks(PARAMETERS_PER_STATEMENT / 2) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", tx.placeholders(i * 2 + 1, 2))).collect();
        // A `values` list names its columns column1, column2 on both backends.
        let sql = format!(
            "update {table} set {parent} = v.column2 from (values {}) as v where {table}.{key} = v.column1",
            values.join(", "),
            table = table.name
        );
        let binds: Vec<Bind> =
            chunk.iter().flat_map(|(k, p)| [Bind::Text(Some(k.clone())), Bind::Text(Some(p.clone()))]).collect();
        on_tx_now!(tx, conn => {
            crate::backend::bind_all!(sqlx::query(AssertSqlSafe(sql)), binds.iter()).execute(conn).await?;
        });
    }
    Ok(())
}

/// Documents whose bytes are files travel with their rows: read from the source's directory
/// into the row, then written to the target's directory if it keeps them as files.
async fn carry_documents(
    table: &TableShape,
    rows: &mut [Vec<Bind>],
    from: Option<&Path>,
    to: Option<&Path>,
) -> Result<(), StoreError> {
    let at = |name: &str| table.columns.iter().position(|(c, _)| c == name);
    let (Some(content_at), Some(sha_at)) = (at("content_base64"), at("sha256")) else { return Ok(()) };
    let engine = base64::engine::general_purpose::STANDARD;
    for row in rows {
        let (Bind::Text(Some(content)), Bind::Text(Some(sha256))) = (&row[content_at], &row[sha_at]) else { continue };
        let sha256 = sha256.clone();
        let bytes = if content.is_empty() {
            let Some(from) = from else {
                return Err(StoreError::Files(format!(
                    "document {sha256} is kept as a file, and the source has no documents directory (documents_dir)"
                )));
            };
            let path = crate::documents::file_in(from, &sha256);
            tokio::fs::read(&path).await.map_err(|e| StoreError::Files(format!("reading {}: {e}", path.display())))?
        } else if to.is_some() {
            engine.decode(content).map_err(|e| StoreError::Files(format!("document {sha256}: {e}")))?
        } else {
            continue;
        };
        row[content_at] = match to {
            Some(to) => {
                crate::documents::write_file(to, &sha256, &bytes).await?;
                Bind::Text(Some(String::new()))
            }
            None => Bind::Text(Some(engine.encode(&bytes))),
        };
    }
    Ok(())
}

async fn on_pool_scalar(store: &Store, sql: &'static str) -> Result<Option<i64>, StoreError> {
    Ok(crate::backend::on_pool!(store, pool => sqlx::query_scalar(sql).fetch_one(pool).await?))
}

//! The programme's reference data — the programme, its products and task groups — as
//! shipped in `data/`, loaded into the store and read back. Loading is an upsert keyed by
//! code: loading the same data again changes nothing, and a newer file replaces what an
//! older one loaded. The shipped criteria set is added as a version beside the others
//! (`crate::criteria_sets`), never over one.

use cncl_domain::Date;
use cncl_domain::reference::{Product, Programme, ReferenceData, TaskGroup};
use cncl_domain::values::{Code, Text};
use cncl_eval::criteria::{DECISION_2815, parse_criteria_set};
use serde_json::json;
use sqlx::AssertSqlSafe;

use crate::audit::chain::digest;
use crate::backend::{Store, Tx, Writer, bind_all, on_pool, on_tx};
use crate::error::StoreError;
use crate::sql::Bind;

/// The reference data of Decision 2815 shipped with cncl.
pub const DECISION_2815_REFERENCE: &str = include_str!("../../../data/reference/decision-2815.toml");

/// Why shipped or supplied reference data could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("reference data {file}: {message}")]
    Invalid { file: String, message: String },
    #[error(transparent)]
    Criteria(#[from] cncl_eval::CriteriaError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Parse and check a reference data file.
pub fn parse_reference(file: &str, text: &str) -> Result<ReferenceData, ReferenceError> {
    let invalid = |message: String| ReferenceError::Invalid { file: file.to_owned(), message };
    let data: ReferenceData = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    data.check().map_err(|e| invalid(e.to_string()))?;
    Ok(data)
}

/// The audit log's name for the reference data as a whole.
pub const AUDIT_ENTITY: &str = "reference";
pub const AUDIT_ID: &str = "decision-2815";

/// Load the reference data and criteria set shipped with cncl. Idempotent: loading the same
/// data again changes nothing, and is not logged; a change is logged as one entry. The
/// shipped criteria set is added as a version if it is new; it becomes the programme's set
/// only when there is none yet (the office switches to a newer release itself). A shipped
/// set whose version is already loaded with other content is refused.
pub async fn load_shipped(store: &Store, writer: Writer) -> Result<(), ReferenceError> {
    let reference = parse_reference("data/reference/decision-2815.toml", DECISION_2815_REFERENCE)?;
    let criteria = parse_criteria_set("data/criteria/decision-2815.toml", DECISION_2815)?;
    let mut tx = store.begin(writer).await?;
    let before = tx.reference_snapshot().await?;
    upsert_reference(&mut tx, &reference).await?;
    let after = tx.reference_snapshot().await?;
    // Compared with what the log last said, not only with the tables before: an upgrade
    // that changes what the snapshot covers is logged too.
    if tx.last_logged_digest(AUDIT_ENTITY, AUDIT_ID).await?.as_deref() != Some(digest(&json!(after)).as_str()) {
        let before = (!before.iter().all(|row| row.starts_with("-- 0 rows"))).then(|| json!(before));
        let change = tx.change("load", AUDIT_ENTITY, AUDIT_ID, before, Some(json!(after)))?;
        tx.append_audit(vec![change]).await?;
    }
    tx.add_criteria_set(&criteria, DECISION_2815).await.map_err(|e| match e {
        StoreError::Conflict(message) => {
            ReferenceError::Invalid { file: "data/criteria/decision-2815.toml".into(), message }
        }
        other => other.into(),
    })?;
    if tx.current_criteria_set().await?.is_none() {
        tx.set_current_criteria_set(&criteria.reference()).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn text(value: &impl ToString) -> Bind {
    Bind::Text(Some(value.to_string()))
}

async fn execute(tx: &mut Tx, sql: &str, binds: &[Bind]) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        bind_all!(sqlx::query(AssertSqlSafe(sql.to_owned())), binds).execute(conn).await?;
    });
    Ok(())
}

/// `insert … on conflict (keys) do update set every other column`, written once for both
/// backends (both accept this form).
fn upsert_sql(table: &str, keys: &[&str], columns: &[&str]) -> String {
    let placeholders: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    let updates: Vec<String> =
        columns.iter().filter(|c| !keys.contains(c)).map(|c| format!("{c} = excluded.{c}")).collect();
    format!(
        "insert into {table} ({}) values ({}) on conflict ({}) do update set {}",
        columns.join(", "),
        placeholders.join(", "),
        keys.join(", "),
        updates.join(", ")
    )
}

async fn upsert_reference(tx: &mut Tx, data: &ReferenceData) -> Result<(), StoreError> {
    let p = &data.programme;
    let sql = upsert_sql(
        "programme",
        &["code"],
        &[
            "code",
            "decision",
            "name_vi",
            "name_en",
            "managing_body_vi",
            "managing_body_en",
            "starts_on",
            "ends_on",
            "source",
        ],
    );
    let binds = [
        text(&p.code),
        text(&p.decision),
        text(&p.name_vi),
        text(&p.name_en),
        text(&p.managing_body_vi),
        text(&p.managing_body_en),
        text(&p.starts_on),
        text(&p.ends_on),
        text(&p.source),
    ];
    execute(tx, &sql, &binds).await?;
    upsert_products_and_groups(tx, data).await
}

/// The products and task groups of the programme.
async fn upsert_products_and_groups(tx: &mut Tx, data: &ReferenceData) -> Result<(), StoreError> {
    let p = &data.programme;
    let sql = upsert_sql(
        "products",
        &["code"],
        &["code", "programme_code", "ordinal", "name_vi", "name_en", "starts_on", "source"],
    );
    for product in &data.products {
        let binds = [
            text(&product.code),
            text(&p.code),
            Bind::Int(Some(product.ordinal)),
            text(&product.name_vi),
            text(&product.name_en),
            text(&product.starts_on),
            text(&product.source),
        ];
        execute(tx, &sql, &binds).await?;
    }

    let sql =
        upsert_sql("task_groups", &["code"], &["code", "programme_code", "ordinal", "name_vi", "name_en", "source"]);
    for group in &data.task_groups {
        let binds = [
            text(&group.code),
            text(&p.code),
            Bind::Int(Some(group.ordinal)),
            text(&group.name_vi),
            text(&group.name_en),
            text(&group.source),
        ];
        execute(tx, &sql, &binds).await?;
    }
    Ok(())
}

fn corrupt(table: &'static str, id: &str) -> impl Fn(String) -> StoreError {
    let id = id.to_owned();
    move |message| StoreError::Corrupt { table, id: id.clone(), message }
}

fn parse_text(value: &str) -> Result<Text, String> {
    Text::parse(value).map_err(|e| e.to_string())
}

fn parse_code(value: &str) -> Result<Code, String> {
    Code::parse(value).map_err(|e| e.to_string())
}

fn parse_date(value: &str) -> Result<Date, String> {
    Date::parse(value).map_err(|e| e.to_string())
}

type ProductRow = (String, i64, String, String, String, String);
type TaskGroupRow = (String, i64, String, String, String);
type ProgrammeRow = (String, String, String, String, String, String, String, String, String);

impl Store {
    /// The six (or, after an amendment, however many) strategic products, in order.
    pub async fn products(&self) -> Result<Vec<Product>, StoreError> {
        let sql = "select code, ordinal, name_vi, name_en, starts_on, source from products order by ordinal, code";
        let rows: Vec<ProductRow> = on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(code, ordinal, name_vi, name_en, starts_on, source)| {
                let fail = corrupt("products", &code);
                Ok(Product {
                    code: parse_code(&code).map_err(&fail)?,
                    ordinal,
                    name_vi: parse_text(&name_vi).map_err(&fail)?,
                    name_en: parse_text(&name_en).map_err(&fail)?,
                    starts_on: parse_date(&starts_on).map_err(&fail)?,
                    source: parse_text(&source).map_err(&fail)?,
                })
            })
            .collect()
    }

    pub async fn task_groups(&self) -> Result<Vec<TaskGroup>, StoreError> {
        let sql = "select code, ordinal, name_vi, name_en, source from task_groups order by ordinal, code";
        let rows: Vec<TaskGroupRow> = on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(code, ordinal, name_vi, name_en, source)| {
                let fail = corrupt("task_groups", &code);
                Ok(TaskGroup {
                    code: parse_code(&code).map_err(&fail)?,
                    ordinal,
                    name_vi: parse_text(&name_vi).map_err(&fail)?,
                    name_en: parse_text(&name_en).map_err(&fail)?,
                    source: parse_text(&source).map_err(&fail)?,
                })
            })
            .collect()
    }

    /// The programme; `None` before the reference data is loaded.
    pub async fn programme(&self) -> Result<Option<Programme>, StoreError> {
        let sql = "select code, decision, name_vi, name_en, managing_body_vi, managing_body_en, starts_on, ends_on, source \
                   from programme order by code limit 1";
        let row: Option<ProgrammeRow> = on_pool!(self, pool => sqlx::query_as(sql).fetch_optional(pool).await?);
        let Some((code, decision, name_vi, name_en, body_vi, body_en, starts_on, ends_on, source)) = row else {
            return Ok(None);
        };
        let fail = corrupt("programme", &code);
        Ok(Some(Programme {
            code: parse_code(&code).map_err(&fail)?,
            decision: parse_text(&decision).map_err(&fail)?,
            name_vi: parse_text(&name_vi).map_err(&fail)?,
            name_en: parse_text(&name_en).map_err(&fail)?,
            managing_body_vi: parse_text(&body_vi).map_err(&fail)?,
            managing_body_en: parse_text(&body_en).map_err(&fail)?,
            starts_on: parse_date(&starts_on).map_err(&fail)?,
            ends_on: parse_date(&ends_on).map_err(&fail)?,
            source: parse_text(&source).map_err(&fail)?,
        }))
    }

    /// Every row of the reference tables, as text, in a fixed order: what a test compares
    /// to show that loading twice changes nothing, and what the audit log records.
    pub async fn reference_snapshot(&self) -> Result<Vec<String>, StoreError> {
        let mut tx = self.begin_read().await?;
        let rows = tx.reference_snapshot().await?;
        tx.commit().await?;
        Ok(rows)
    }
}

impl Tx {
    /// Every row of the reference tables, as text, in a fixed order: what a test compares
    /// to show that loading twice changes nothing.
    pub async fn reference_snapshot(&mut self) -> Result<Vec<String>, StoreError> {
        let queries = [
            "select code || '|' || decision || '|' || name_vi || '|' || name_en || '|' || starts_on || '|' || ends_on from programme order by code",
            "select code || '|' || ordinal || '|' || name_vi || '|' || name_en || '|' || starts_on || '|' || source from products order by code",
            "select code || '|' || ordinal || '|' || name_vi || '|' || name_en || '|' || source from task_groups order by code",
        ];
        let mut rows = Vec::new();
        for sql in queries {
            let mut part: Vec<String> = on_tx!(self, conn => sqlx::query_scalar(sql).fetch_all(conn).await?);
            rows.push(format!("-- {} rows", part.len()));
            rows.append(&mut part);
        }
        Ok(rows)
    }
}

impl Store {
    /// What a fresh database is made of: every migration's checksum and the shipped reference
    /// data, hashed. Two fresh databases with the same fingerprint are the same; tests copy
    /// one prepared under it rather than migrating each.
    pub fn fresh_fingerprint() -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for migration in crate::backend::MIGRATOR.iter() {
            hash.update(&migration.checksum);
        }
        hash.update(DECISION_2815_REFERENCE);
        hash.update(cncl_eval::criteria::DECISION_2815);
        hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

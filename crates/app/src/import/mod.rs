//! Workbooks and CSV in: every row of every sheet that holds a kind of record becomes a new
//! record, an update (by id, or by the record's own key) or nothing (unchanged), through the
//! same rules, reach and audit as a single create or update — all in one transaction, so a
//! file with any bad row changes nothing. A preview runs the same transaction and rolls it
//! back.
//!
//! - `columns`: which column holds which field (headers, the field keys beneath them, or a
//!   mapping the owner chose for its own workbooks), and which sheet holds which kind;
//! - `cells`: a cell as the JSON its field reads;
//! - `rows`: one row applied, its references written as keys turned into ids;
//! - `previews`: previews kept for their commit, and the annotated file.

mod cells;
mod columns;
mod previews;
mod rows;

use cncl_domain::{EntityKind, with_record_type};
use cncl_exchange::{Cell, Limits, Sheet, read_csv, read_xlsx};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

pub use previews::Preview;

use crate::natural_keys::Keys;
use crate::{Actor, App, AppError};
use columns::{is_key_row, map_columns, sheet_kind};
pub(crate) use previews::Previews;
use rows::{Applying, apply_row};

/// What happens to one row.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RowOutcome {
    New {
        id: Uuid,
    },
    Update {
        id: Uuid,
        changes: Vec<FieldChange>,
    },
    Unchanged {
        id: Uuid,
    },
    Error {
        /// The column as Excel shows it (`C`), and its header; absent for the row as a whole.
        column: Option<String>,
        header: Option<String>,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    #[schema(value_type = Object)]
    pub before: Value,
    #[schema(value_type = Object)]
    pub after: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RowReport {
    /// The row as Excel numbers it.
    pub row: u32,
    #[serde(flatten)]
    pub outcome: RowOutcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SheetReport {
    pub sheet: String,
    /// The kind of record the sheet holds.
    pub kind: String,
    pub rows: Vec<RowReport>,
}

/// What a file would do (a preview) or did (a commit).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub sheets: Vec<SheetReport>,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: usize,
    /// The rows were written (a commit without errors).
    pub committed: bool,
}

/// Every data row of a sheet of `kind`.
async fn apply_sheet(at: &mut Applying<'_>, kind: EntityKind, sheet: &Sheet) -> Result<Vec<RowReport>, AppError> {
    let Some(header) = sheet.rows.first() else { return Ok(Vec::new()) };
    let mut columns = map_columns(kind, header);
    let mut data = &sheet.rows[1..];
    // Beneath the headers, the field keys (as exports write them) decide the columns.
    if let Some(keys) = data.first() {
        let by_key = map_columns(kind, keys);
        if !by_key.is_empty() && is_key_row(keys, &by_key) && by_key.len() >= columns.len() {
            columns = by_key
                .into_iter()
                .map(|mut c| {
                    c.header = match header.cell(c.index) {
                        Cell::Text(h) => h.clone(),
                        _ => c.key.clone(),
                    };
                    c
                })
                .collect();
            data = &data[1..];
        }
    }
    let mut reports = Vec::with_capacity(data.len());
    for row in data {
        let outcome = with_record_type!(kind, T => apply_row::<T>(at, row, &columns).await)?;
        reports.push(RowReport { row: row.number, outcome });
    }
    Ok(reports)
}

/// Largest file taken.
const LIMITS: Limits = Limits { file_bytes: 50 * 1024 * 1024, unpacked_bytes: 500 * 1024 * 1024 };

/// `bytes` as sheets: an `.xlsx` workbook, or CSV named `file_name` after its kind.
fn read_file(file_name: &str, bytes: &[u8]) -> Result<cncl_exchange::Workbook, AppError> {
    let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let read = if bytes.starts_with(b"PK") || file_name.ends_with(".xlsx") {
        read_xlsx(bytes, LIMITS)
    } else {
        read_csv(stem, bytes, LIMITS)
    };
    read.map_err(|e| AppError::bad_request("file", format!("{file_name}: {e}")))
}

impl App {
    /// Read `bytes` (an `.xlsx` workbook, or CSV named `file_name` after its kind) and apply
    /// every row in one transaction: committed when `commit` is asked and no row is in error,
    /// rolled back otherwise (a preview).
    pub async fn import(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        commit: bool,
    ) -> Result<ImportReport, AppError> {
        if actor.is_anonymous() {
            return Err(AppError::Unauthenticated);
        }
        let workbook = read_file(file_name, bytes)?;
        let sheets: Vec<(&Sheet, EntityKind)> =
            workbook.sheets.iter().filter_map(|s| sheet_kind(&s.name).map(|k| (s, k))).collect();
        if sheets.is_empty() {
            let names: Vec<&str> = workbook.sheets.iter().map(|s| s.name.as_str()).collect();
            return Err(AppError::bad_request(
                "file",
                format!(
                    "{file_name}: no sheet is named after a kind of record (bom-lines, cost-lines…); found {names:?}"
                ),
            ));
        }
        if sheets.iter().all(|(s, _)| s.rows.len() <= 2) {
            return Err(AppError::bad_request("file", format!("{file_name}: the sheets hold headers but no rows")));
        }
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let mut keys = Keys::default();
        let mut at = Applying { tx: &mut tx, actor, keys: &mut keys };
        let mut reports = Vec::new();
        for (sheet, kind) in sheets {
            let rows = apply_sheet(&mut at, kind, sheet).await?;
            reports.push(SheetReport { sheet: sheet.name.clone(), kind: kind.resource().to_owned(), rows });
        }
        let count = |f: fn(&RowOutcome) -> bool| reports.iter().flat_map(|s| &s.rows).filter(|r| f(&r.outcome)).count();
        let errors = count(|o| matches!(o, RowOutcome::Error { .. }));
        let committed = commit && errors == 0;
        if committed {
            tx.commit().await?;
        }
        Ok(ImportReport {
            new: count(|o| matches!(o, RowOutcome::New { .. })),
            updated: count(|o| matches!(o, RowOutcome::Update { .. })),
            unchanged: count(|o| matches!(o, RowOutcome::Unchanged { .. })),
            errors,
            committed,
            sheets: reports,
        })
    }
}

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
//! - `file`: the upload read as sheets, within its limits;
//! - `previews`: previews kept for their commit, and the annotated file.

mod cells;
mod columns;
mod file;
pub mod previews;
mod rows;

use cncl_domain::{EntityKind, msg, with_record_type};
use cncl_exchange::{Cell, Sheet};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::natural_keys::Keys;
use crate::{Actor, App, AppError};
pub use columns::{ColumnReport, Mapping, UnknownSheet};
use columns::{column_reports, header_row, is_key_row, is_notes, map_columns, sheet_kind, unknown_sheet};
use file::read_file;
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
        /// The message in Vietnamese.
        message_vi: String,
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
    /// The header row as Excel numbers it.
    pub header_row: u32,
    /// Every header, with the field it holds or a suggestion.
    pub columns: Vec<ColumnReport>,
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
    /// Rows to write and none in error: the preview may be committed.
    pub ready: bool,
    /// Sheets whose kind of record no name or mapping gives: not imported until one is chosen.
    pub unknown_sheets: Vec<UnknownSheet>,
}

/// Every data row of a sheet of `kind`, below its header (and the field keys, where a
/// template or export wrote them).
async fn apply_sheet(
    at: &mut Applying<'_>,
    kind: EntityKind,
    sheet: &Sheet,
    mapping: &Mapping,
) -> Result<SheetReport, AppError> {
    let mut at_header = header_row(kind, sheet, mapping);
    // The field keys name more fields than the headers above them (the headers' wording may
    // differ from the labels): the row above is the header.
    let by_key = sheet.rows.get(at_header).map(|row| (row, map_columns(kind, row, &Mapping::default())));
    if let Some((found, keys)) = by_key
        && at_header > 0
        && !keys.is_empty()
        && is_key_row(found, &keys)
    {
        at_header -= 1;
    }
    let empty = || SheetReport {
        sheet: sheet.name.clone(),
        kind: kind.resource().to_owned(),
        header_row: 0,
        columns: Vec::new(),
        rows: Vec::new(),
    };
    let Some(header) = sheet.rows.get(at_header) else { return Ok(empty()) };
    let mut columns = map_columns(kind, header, mapping);
    let mut data = &sheet.rows[at_header + 1..];
    // Beneath the headers, the field keys (as exports write them) decide the columns.
    if let Some(keys) = data.first() {
        let by_key = map_columns(kind, keys, &Mapping::default());
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
    let mut rows = Vec::with_capacity(data.len());
    for row in data {
        let outcome = with_record_type!(kind, T => apply_row::<T>(at, row, &columns).await)?;
        rows.push(RowReport { row: row.number, outcome });
        at.done += 1;
        if let Some(progress) = at.progress {
            progress(at.done, at.total);
        }
    }
    let columns = column_reports(kind, header, &columns);
    Ok(SheetReport { header_row: header.number, columns, rows, ..empty() })
}

/// How an import runs: written or only previewed, with the sheets and columns chosen for
/// this file, telling `progress` how many rows of how many are done.
#[derive(Clone, Copy)]
pub struct ImportRun<'a> {
    pub commit: bool,
    pub mapping: &'a Mapping,
    pub progress: Option<&'a (dyn Fn(u64, u64) + Send + Sync)>,
}

/// No mapping chosen.
static NO_MAPPING: std::sync::LazyLock<Mapping> = std::sync::LazyLock::new(Mapping::default);

impl Default for ImportRun<'_> {
    /// A preview with the owner's saved mapping only.
    fn default() -> Self {
        ImportRun { commit: false, mapping: &NO_MAPPING, progress: None }
    }
}

impl std::fmt::Debug for ImportRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportRun").field("commit", &self.commit).field("mapping", self.mapping).finish()
    }
}

/// Whose mappings an account's imports use: its organisation's, or the office's.
fn mapping_owner(actor: &Actor) -> String {
    actor.organisation.map_or_else(|| "office".to_owned(), |org| org.to_string())
}

/// A file with nothing to import: no rows at all, or headers only.
fn no_rows(file_name: &str, headers_only: bool) -> AppError {
    let message = match headers_only {
        false => {
            msg(format!("{file_name}: tệp không có dòng dữ liệu nào"), format!("{file_name}: the file holds no rows"))
        }
        true => msg(
            format!("{file_name}: các trang tính chỉ có tiêu đề, không có dòng dữ liệu"),
            format!("{file_name}: the sheets hold headers but no rows"),
        ),
    };
    AppError::bad_request("file", message)
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
        run: ImportRun<'_>,
    ) -> Result<ImportReport, AppError> {
        let ImportRun { commit, mapping: chosen, progress } = run;
        if actor.is_anonymous() {
            return Err(AppError::Unauthenticated);
        }
        let workbook = read_file(file_name, bytes)?;
        let mapping = self.saved_mapping(actor).await?.overridden_by(&chosen.folded());
        let mut sheets: Vec<(&Sheet, EntityKind)> = Vec::new();
        let mut unknown_sheets = Vec::new();
        for sheet in workbook.sheets.iter().filter(|s| !is_notes(&s.name) && !s.rows.is_empty()) {
            match sheet_kind(&sheet.name, &mapping) {
                Some(kind) => sheets.push((sheet, kind)),
                None => unknown_sheets.push(unknown_sheet(sheet)),
            }
        }
        if sheets.is_empty() && unknown_sheets.is_empty() {
            return Err(no_rows(file_name, false));
        }
        let mut tx = match commit {
            true => self.store.begin(self.writer(actor)).await?,
            false => self.store.begin_preview(self.writer(actor)).await?,
        };
        // Each row is checked as it comes; the new ones are written a thousand at a time.
        tx.defer_inserts();
        let mut keys = Keys::default();
        let total = sheets.iter().map(|(sheet, _)| sheet.rows.len() as u64).sum();
        let mut at = Applying { tx: &mut tx, actor, keys: &mut keys, progress, done: 0, total };
        let mut reports = Vec::new();
        for (sheet, kind) in sheets {
            reports.push(apply_sheet(&mut at, kind, sheet, &mapping).await?);
        }
        // A preview writes them too: what only the database would refuse shows in it as well.
        tx.write_deferred().await?;
        if unknown_sheets.is_empty() && reports.iter().all(|s| s.rows.is_empty()) {
            return Err(no_rows(file_name, true));
        }
        let count = |f: fn(&RowOutcome) -> bool| reports.iter().flat_map(|s| &s.rows).filter(|r| f(&r.outcome)).count();
        let errors = count(|o| matches!(o, RowOutcome::Error { .. }));
        let rows: usize = reports.iter().map(|s| s.rows.len()).sum();
        let committed = commit && errors == 0 && rows > 0;
        if committed {
            tx.commit().await?;
        }
        Ok(ImportReport {
            new: count(|o| matches!(o, RowOutcome::New { .. })),
            updated: count(|o| matches!(o, RowOutcome::Update { .. })),
            unchanged: count(|o| matches!(o, RowOutcome::Unchanged { .. })),
            errors,
            committed,
            ready: errors == 0 && rows > 0,
            sheets: reports,
            unknown_sheets,
        })
    }

    /// The mappings the actor's owner saved, folded.
    async fn saved_mapping(&self, actor: &Actor) -> Result<Mapping, AppError> {
        let mut mapping = Mapping::default();
        for saved in self.store.import_mappings(&mapping_owner(actor)).await? {
            match saved.kind.as_str() {
                "*" => {
                    mapping.sheets.insert(saved.header, saved.target);
                }
                kind => {
                    mapping.columns.entry(kind.to_owned()).or_default().insert(saved.header, saved.target);
                }
            }
        }
        Ok(mapping)
    }

    /// Keep the actor's owner's choices for its next uploads.
    pub async fn save_import_mapping(&self, actor: &Actor, chosen: &Mapping) -> Result<(), AppError> {
        use cncl_store::import_mappings::ImportMapping;
        let folded = chosen.folded();
        let mut saved = Vec::new();
        for (sheet, kind) in &folded.sheets {
            if EntityKind::from_resource(kind).is_none() {
                return Err(AppError::bad_request(
                    "sheets",
                    msg(format!("{kind} không phải loại hồ sơ"), format!("{kind} is not a kind of record")),
                ));
            }
            saved.push(ImportMapping { kind: "*".into(), header: sheet.clone(), target: kind.clone() });
        }
        for (kind, columns) in &folded.columns {
            let Some(of) = EntityKind::from_resource(kind) else {
                return Err(AppError::bad_request(
                    "columns",
                    msg(format!("{kind} không phải loại hồ sơ"), format!("{kind} is not a kind of record")),
                ));
            };
            for (header, field) in columns {
                if !field.is_empty() && !cncl_domain::field_spec::spec(of).fields.iter().any(|f| f.name == *field) {
                    return Err(AppError::bad_request(
                        "columns",
                        msg(format!("{kind} không có trường {field}"), format!("{kind} has no field {field}")),
                    ));
                }
                saved.push(ImportMapping { kind: kind.clone(), header: header.clone(), target: field.clone() });
            }
        }
        self.store.save_import_mappings(&mapping_owner(actor), &saved).await?;
        Ok(())
    }
}

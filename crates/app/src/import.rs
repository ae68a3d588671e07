//! Workbooks and CSV in: every row of every sheet named after a kind of record becomes a new
//! record (no id) or an update (the id of a record within reach), through the same rules,
//! reach and audit as a single create or update — all in one transaction, so a file with
//! any bad row changes nothing. A preview runs the same transaction and rolls it back.
//!
//! The columns are found by the header row: a field's key (as exports write beneath the
//! headers), or its label in Vietnamese or English, accents and case aside.

use std::collections::HashMap;

use cncl_domain::fields::field_label;
use cncl_domain::ids::RecordId as _;
use cncl_domain::{EntityKind, Lang, Record, Stored, with_record_type};
use cncl_exchange::{Cell, Limits, Row, Sheet, column_letter, parse_date, parse_number, read_csv, read_xlsx};
use cncl_store::Tx;
use cncl_store::records::fold;
use cncl_store::tables::ColumnType;
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::records::{create_in, update_in};
use crate::{Actor, App, AppError};

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

/// One column of a sheet: where it stands and which field it holds.
struct Mapped {
    index: usize,
    header: String,
    key: &'static str,
    ty: Option<ColumnType>,
}

/// The header row's columns matched to `kind`'s fields (and `id`).
fn map_columns(kind: EntityKind, header: &Row) -> Vec<Mapped> {
    let fields: Vec<(&'static str, ColumnType)> =
        cncl_store::tables::table(kind).columns.iter().map(|c| (c.name, c.ty)).collect();
    header
        .cells
        .iter()
        .enumerate()
        .filter_map(|(index, cell)| {
            let Cell::Text(text) = cell else { return None };
            let folded = fold(text);
            if folded == "id" {
                return Some(Mapped { index, header: text.clone(), key: "id", ty: None });
            }
            let matches = |name: &str| {
                folded == fold(name)
                    || [Lang::Vi, Lang::En]
                        .iter()
                        .any(|&l| field_label(kind, name, l).is_some_and(|label| fold(label) == folded))
            };
            fields.iter().find(|(name, _)| matches(name)).map(|&(key, ty)| Mapped {
                index,
                header: text.clone(),
                key,
                ty: Some(ty),
            })
        })
        .collect()
}

/// Whether a row holds the field keys (as exports write beneath the headers).
fn is_key_row(row: &Row, columns: &[Mapped]) -> bool {
    columns.iter().all(|c| matches!(row.cell(c.index), Cell::Text(t) if t == c.key))
}

fn is_date_field(key: &str) -> bool {
    key.ends_with("_on") || key == "valid_until"
}

/// A cell as the JSON its field reads.
fn value_of(cell: &Cell, column: &Mapped) -> Result<Value, String> {
    let key = column.key;
    match cell {
        Cell::Empty => Ok(Value::Null),
        Cell::FormulaWithoutValue(formula) => {
            Err(format!("the formula ={formula} has no computed value: open the file in Excel and save it again"))
        }
        Cell::Error(e) => Err(format!("the cell holds the error {e}")),
        Cell::Date(d) if is_date_field(key) => Ok(Value::String(d.to_string())),
        Cell::Number(n) if is_date_field(key) => cncl_exchange::value::date_from_serial(*n)
            .map(|d| Value::String(d.to_string()))
            .ok_or_else(|| format!("{n} is not a date")),
        Cell::Text(t) if is_date_field(key) => {
            parse_date(t).map(|d| Value::String(d.to_string())).map_err(|e| e.to_string())
        }
        Cell::Number(n) if column.ty == Some(ColumnType::Int) => Ok(whole(*n)),
        Cell::Text(t) if column.ty == Some(ColumnType::Int) => parse_number(t).map(whole).map_err(|e| e.to_string()),
        Cell::Text(t) if column.ty == Some(ColumnType::Json) => {
            Ok(Value::Array(t.split(',').map(|part| Value::String(part.trim().to_owned())).collect()))
        }
        Cell::Bool(b) => Ok(Value::Bool(*b)),
        Cell::Text(t) if column.ty == Some(ColumnType::Bool) => match fold(t).as_str() {
            "true" | "co" | "x" | "1" | "yes" => Ok(Value::Bool(true)),
            "false" | "khong" | "0" | "no" => Ok(Value::Bool(false)),
            _ => Err(format!("“{t}” is not yes or no")),
        },
        Cell::Text(t) => Ok(Value::String(t.clone())),
        Cell::Number(n) => Ok(Value::String(if n.fract() == 0.0 { format!("{n:.0}") } else { n.to_string() })),
        Cell::Date(d) => Ok(Value::String(d.format("%d/%m/%Y").to_string())),
    }
}

/// A whole number as JSON; a fraction stays one, for the field to refuse by name.
fn whole(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { Value::from(n as i64) } else { Value::from(n) }
}

fn error(column: Option<&Mapped>, message: String) -> RowOutcome {
    RowOutcome::Error {
        column: column.map(|c| column_letter(c.index)),
        header: column.map(|c| c.header.clone()),
        message,
    }
}

/// A row as the JSON its kind parses, and the id it names (for an update).
fn row_json(row: &Row, columns: &[Mapped]) -> Result<(Option<Uuid>, Map<String, Value>), RowOutcome> {
    let mut json = Map::new();
    let mut id = None;
    for column in columns {
        match value_of(row.cell(column.index), column) {
            Err(message) => return Err(error(Some(column), message)),
            Ok(Value::String(text)) if column.key == "id" => match Uuid::parse_str(&text) {
                Ok(parsed) => id = Some(parsed),
                Err(_) => return Err(error(Some(column), format!("“{text}” is not a record id"))),
            },
            Ok(_) if column.key == "id" => {}
            Ok(value) => {
                json.insert(column.key.to_owned(), value);
            }
        }
    }
    Ok((id, json))
}

/// An application error on a row, placed in its field's column when it names one.
fn row_error(e: AppError, columns: &[Mapped]) -> RowOutcome {
    let field = match &e {
        AppError::Invalid(d) => Some(d.field.clone()),
        AppError::Conflict { field, .. } => field.clone(),
        _ => None,
    };
    error(field.as_deref().and_then(|f| columns.iter().find(|c| c.key == f)), e.to_string())
}

/// One row, applied within `tx`.
async fn apply_row<T: Record>(tx: &mut Tx, actor: &Actor, row: &Row, columns: &[Mapped]) -> RowOutcome {
    let (id, json) = match row_json(row, columns) {
        Ok(parsed) => parsed,
        Err(outcome) => return outcome,
    };
    let record: T = match cncl_domain::parse_input_value(Value::Object(json)) {
        Ok(record) => record,
        Err(cncl_domain::InputError::Invalid(e)) => {
            return error(columns.iter().find(|c| c.key == e.field), e.message);
        }
        Err(cncl_domain::InputError::Syntax(message)) => return error(None, message),
    };
    let Some(uuid) = id else {
        return match create_in(tx, actor, T::Id::from(Uuid::now_v7()), record).await {
            Ok(stored) => RowOutcome::New { id: stored.id.as_uuid() },
            Err(e) => row_error(e, columns),
        };
    };
    let before = match tx.get::<T>(T::Id::from(uuid)).await {
        Ok(Some(Stored { record, .. })) => record,
        Ok(None) => {
            return error(columns.iter().find(|c| c.key == "id"), format!("no {} has the id {uuid}", T::KIND.noun()));
        }
        Err(e) => return row_error(e.into(), columns),
    };
    let (old, new) =
        (cncl_store::to_json(&before).unwrap_or_default(), cncl_store::to_json(&record).unwrap_or_default());
    if old == new {
        return RowOutcome::Unchanged { id: uuid };
    }
    let changes = columns
        .iter()
        .filter(|c| c.key != "id" && old.get(c.key) != new.get(c.key))
        .map(|c| FieldChange {
            field: c.key.to_owned(),
            before: old.get(c.key).cloned().unwrap_or(Value::Null),
            after: new.get(c.key).cloned().unwrap_or(Value::Null),
        })
        .collect();
    match update_in(tx, actor, T::Id::from(uuid), record).await {
        Ok(_) => RowOutcome::Update { id: uuid, changes },
        Err(e) => row_error(e, columns),
    }
}

/// Every data row of a sheet of `kind`.
async fn apply_sheet(tx: &mut Tx, actor: &Actor, kind: EntityKind, sheet: &Sheet) -> Vec<RowReport> {
    let Some(header) = sheet.rows.first() else { return Vec::new() };
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
                        _ => c.key.to_owned(),
                    };
                    c
                })
                .collect();
            data = &data[1..];
        }
    }
    let mut reports = Vec::with_capacity(data.len());
    for row in data {
        let outcome = with_record_type!(kind, T => apply_row::<T>(tx, actor, row, &columns).await);
        reports.push(RowReport { row: row.number, outcome });
    }
    reports
}

/// Largest file taken.
const LIMITS: Limits = Limits { file_bytes: 50 * 1024 * 1024, unpacked_bytes: 500 * 1024 * 1024 };

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
        let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let read = if bytes.starts_with(b"PK") || file_name.ends_with(".xlsx") {
            read_xlsx(bytes, LIMITS)
        } else {
            read_csv(stem, bytes, LIMITS)
        };
        let workbook = read.map_err(|e| AppError::bad_request("file", format!("{file_name}: {e}")))?;
        let sheets: Vec<(&Sheet, EntityKind)> =
            workbook.sheets.iter().filter_map(|s| EntityKind::from_resource(s.name.trim()).map(|k| (s, k))).collect();
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
        let mut reports = Vec::new();
        for (sheet, kind) in sheets {
            let rows = apply_sheet(&mut tx, actor, kind, sheet).await;
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

/// A preview kept for its commit: the file, who previewed it, and the audit log's last entry
/// then (any write since moves it).
#[derive(Debug, Clone)]
struct Pending {
    actor: String,
    file_name: String,
    bytes: Vec<u8>,
    seq: i64,
    at: std::time::Instant,
}

/// Previews waiting for their commit, a few and not for long.
#[derive(Debug, Default)]
pub(crate) struct Previews(std::sync::Mutex<HashMap<Uuid, Pending>>);

/// Previews kept at once, and how long one waits for its commit.
const KEPT_PREVIEWS: usize = 32;
const PREVIEW_LIFETIME: std::time::Duration = std::time::Duration::from_secs(3600);

/// A preview and the id its commit names.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Preview {
    pub id: Uuid,
    pub report: ImportReport,
}

impl App {
    /// Preview a file and keep it for [`App::commit_import`].
    pub async fn preview_import(&self, actor: &Actor, file_name: &str, bytes: Vec<u8>) -> Result<Preview, AppError> {
        let seq = self.store.audit_seq().await?;
        let report = self.import(actor, file_name, &bytes, false).await?;
        let id = Uuid::now_v7();
        let mut kept = self.previews.0.lock().map_err(|_| AppError::internal("the previews' lock is poisoned"))?;
        kept.retain(|_, p| p.at.elapsed() < PREVIEW_LIFETIME);
        while kept.len() >= KEPT_PREVIEWS {
            let oldest = kept.iter().min_by_key(|(_, p)| p.at).map(|(id, _)| *id);
            oldest.and_then(|id| kept.remove(&id));
        }
        let pending = Pending {
            actor: actor.name.clone(),
            file_name: file_name.to_owned(),
            bytes,
            seq,
            at: std::time::Instant::now(),
        };
        kept.insert(id, pending);
        Ok(Preview { id, report })
    }

    /// Apply exactly what preview `id` showed; refused (409) when anything was written since,
    /// and not found for another account's preview.
    pub async fn commit_import(&self, actor: &Actor, id: Uuid) -> Result<ImportReport, AppError> {
        let pending = {
            let kept = self.previews.0.lock().map_err(|_| AppError::internal("the previews' lock is poisoned"))?;
            kept.get(&id).filter(|p| p.actor == actor.name && p.at.elapsed() < PREVIEW_LIFETIME).cloned()
        }
        .ok_or_else(|| AppError::NotFound { noun: "import preview", id: id.to_string() })?;
        if self.store.audit_seq().await? != pending.seq {
            return Err(AppError::Conflict {
                field: None,
                message: "the data changed since the preview: preview the file again".into(),
            });
        }
        let report = self.import(actor, &pending.file_name, &pending.bytes, true).await?;
        if let (true, Ok(mut kept)) = (report.committed, self.previews.0.lock()) {
            kept.remove(&id);
        }
        Ok(report)
    }
}

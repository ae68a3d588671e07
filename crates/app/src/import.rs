//! Workbooks and CSV in: every row of every sheet named after a kind of record becomes a new
//! record (no id) or an update (the id of a record within reach), through the same rules,
//! reach and audit as a single create or update — all in one transaction, so a file with
//! any bad row changes nothing. A preview runs the same transaction and rolls it back.
//!
//! The columns are found by the header row: a field's key (as exports write beneath the
//! headers), or its label in Vietnamese or English, accents and case aside.

use std::collections::HashMap;

use cncl_domain::field_spec::{Input, spec};
use cncl_domain::fields::field_label;
use cncl_domain::ids::RecordId as _;
use cncl_domain::labels::choice_label;
use cncl_domain::{EntityKind, Lang, Record, Stored, with_record_type};
use cncl_exchange::{Cell, Limits, Row, Sheet, column_letter, parse_date, parse_number, read_csv, read_xlsx};
use cncl_store::Tx;
use cncl_store::records::fold;
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::natural_keys::{self, Keys};
use crate::records::{create_in, update_in};
use crate::{Actor, App, AppError, policy};

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
    key: String,
    /// How the field is entered; `None` for the id column.
    input: Option<Input>,
}

/// Whether `text` (a header) names `field` of `kind`: its key, or its label in either
/// language, accents and case aside.
fn names_field(kind: EntityKind, field: &str, folded: &str) -> bool {
    folded == fold(field)
        || [Lang::Vi, Lang::En].iter().any(|&l| field_label(kind, field, l).is_some_and(|label| fold(label) == folded))
}

/// The header row's columns matched to `kind`'s fields (and `id`).
fn map_columns(kind: EntityKind, header: &Row) -> Vec<Mapped> {
    header
        .cells
        .iter()
        .enumerate()
        .filter_map(|(index, cell)| {
            let Cell::Text(text) = cell else { return None };
            let folded = fold(text);
            if folded == "id" {
                return Some(Mapped { index, header: text.clone(), key: "id".into(), input: None });
            }
            spec(kind).fields.iter().find(|f| names_field(kind, &f.name, &folded)).map(|f| Mapped {
                index,
                header: text.clone(),
                key: f.name.clone(),
                input: Some(f.input.clone()),
            })
        })
        .collect()
}

/// Whether a row holds the field keys (as exports write beneath the headers).
fn is_key_row(row: &Row, columns: &[Mapped]) -> bool {
    columns.iter().all(|c| matches!(row.cell(c.index), Cell::Text(t) if *t == c.key))
}

/// The stored value of closed set `set` that `text` names: the value itself, or its label in
/// either language, accents and case aside.
fn choose(set: &str, values: &[String], text: &str) -> Result<Value, String> {
    let folded = fold(text);
    values
        .iter()
        .find(|v| {
            fold(v) == folded
                || [Lang::Vi, Lang::En]
                    .iter()
                    .any(|&l| choice_label(set, v, l).is_some_and(|label| fold(label) == folded))
        })
        .map(|v| Value::String(v.clone()))
        .ok_or_else(|| {
            let offered: Vec<&str> = values.iter().filter_map(|v| choice_label(set, v, Lang::Vi)).collect();
            format!("“{text}” is not one of: {}", offered.join(", "))
        })
}

/// A number as the text a text field reads: whole numbers without a decimal part.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { format!("{n:.0}") } else { n.to_string() }
}

/// A cell as the JSON its field reads (a reference still as the key written).
fn value_of(cell: &Cell, input: &Input) -> Result<Value, String> {
    let text = match cell {
        Cell::FormulaWithoutValue(formula) => {
            return Err(format!(
                "the formula ={formula} has no computed value: open the file in Excel and save it again"
            ));
        }
        Cell::Error(e) => return Err(format!("the cell holds the error {e}")),
        Cell::Empty => {
            return Ok(match input {
                Input::Flag => Value::Bool(false),
                Input::Choices { .. } | Input::Products => Value::Array(Vec::new()),
                _ => Value::Null,
            });
        }
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(b) => b.to_string(),
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
    };
    match (input, cell) {
        (Input::Date, Cell::Date(d)) => Ok(Value::String(d.to_string())),
        (Input::Date, Cell::Number(n)) => cncl_exchange::value::date_from_serial(*n)
            .map(|d| Value::String(d.to_string()))
            .ok_or_else(|| format!("{n} is not a date")),
        (Input::Date, _) => parse_date(&text).map(|d| Value::String(d.to_string())).map_err(|e| e.to_string()),
        (Input::Integer, Cell::Number(n)) => Ok(whole(*n)),
        (Input::Integer, _) => parse_number(&text).map(whole).map_err(|e| e.to_string()),
        (Input::Flag, Cell::Bool(b)) => Ok(Value::Bool(*b)),
        (Input::Flag, _) => match fold(&text).as_str() {
            "true" | "co" | "x" | "1" | "yes" => Ok(Value::Bool(true)),
            "false" | "khong" | "0" | "no" => Ok(Value::Bool(false)),
            _ => Err(format!("“{text}” is not yes or no")),
        },
        (Input::Choice { set, values }, _) => choose(set, values, &text),
        (Input::Choices { set, values }, _) => text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| choose(set, values, part))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (Input::Products, _) => Ok(Value::Array(
            text.split(',').map(str::trim).filter(|p| !p.is_empty()).map(|p| Value::String(p.to_owned())).collect(),
        )),
        _ => Ok(Value::String(text)),
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

/// A row as JSON (references still as written), and the id it names (for an update).
fn row_json(row: &Row, columns: &[Mapped]) -> Result<(Option<Uuid>, Map<String, Value>), RowOutcome> {
    let mut json = Map::new();
    let mut id = None;
    for column in columns {
        let Some(input) = &column.input else {
            match row.cell(column.index) {
                Cell::Empty => {}
                cell => {
                    let text = match cell {
                        Cell::Text(t) => t.clone(),
                        Cell::Number(n) => number_text(*n),
                        other => format!("{other:?}"),
                    };
                    id = Some(
                        Uuid::parse_str(text.trim())
                            .map_err(|_| error(Some(column), format!("“{text}” is not a record id")))?,
                    );
                }
            }
            continue;
        };
        let value = value_of(row.cell(column.index), input).map_err(|message| error(Some(column), message))?;
        json.insert(column.key.clone(), value);
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

/// What a row is applied with: the transaction, who imports, and the keys read so far.
struct Applying<'a> {
    tx: &'a mut Tx,
    actor: &'a Actor,
    keys: &'a mut Keys,
}

/// The row's references, written as keys, turned into ids: a tree's parent last, once the
/// row's model or product is known.
async fn resolve_references(
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
        let row = Value::Object(json.clone());
        match at.keys.resolve(at.tx, kind, &column.key, &written.clone(), &row, &scope).await? {
            Ok(id) => {
                json.insert(column.key.clone(), Value::String(id.to_string()));
            }
            Err(message) => return Ok(Err(error(Some(column), message))),
        }
    }
    Ok(Ok(()))
}

/// The fields of `columns` that differ between two versions of a record.
fn changes(old: &Value, new: &Value, columns: &[Mapped]) -> Vec<FieldChange> {
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
async fn apply_row<T: Record>(at: &mut Applying<'_>, row: &Row, columns: &[Mapped]) -> Result<RowOutcome, AppError> {
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
        Err(cncl_domain::InputError::Syntax(message)) => return Ok(error(None, message)),
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
                format!("no {} has the id {uuid}", T::KIND.noun()),
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

/// The kind of record a sheet holds, by its name: the kind's resource (`bom-lines`) or its
/// label in either language.
fn sheet_kind(name: &str) -> Option<EntityKind> {
    let folded = fold(name.trim());
    EntityKind::ALL
        .into_iter()
        .find(|k| k.resource() == folded || [Lang::Vi, Lang::En].iter().any(|&l| fold(k.label(l)) == folded))
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

/// What checking found on a row, as the annotated workbook writes it.
fn note(outcome: &RowOutcome, row: u32, lang: Lang) -> String {
    match outcome {
        RowOutcome::New { .. } => lang.pick("Mới", "New").to_owned(),
        RowOutcome::Unchanged { .. } => lang.pick("Không đổi", "Unchanged").to_owned(),
        RowOutcome::Update { changes, .. } => {
            let changed: Vec<String> =
                changes.iter().map(|c| format!("{}: {} → {}", c.field, c.before, c.after)).collect();
            format!("{}: {}", lang.pick("Cập nhật", "Update"), changed.join("; "))
        }
        RowOutcome::Error { column, header, message } => {
            let at = match (column, header) {
                (Some(c), Some(h)) => format!(" {c}{row} ({h})"),
                _ => String::new(),
            };
            format!("{}{at}: {message}", lang.pick("LỖI", "ERROR"))
        }
    }
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

/// A preview kept for its commit: the file, who previewed it, and the audit log's last entry
/// then (any write since moves it).
#[derive(Debug, Clone)]
struct Pending {
    actor: String,
    file_name: String,
    bytes: Vec<u8>,
    report: ImportReport,
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
            report: report.clone(),
            seq,
            at: std::time::Instant::now(),
        };
        kept.insert(id, pending);
        Ok(Preview { id, report })
    }

    /// The file of preview `id` as a workbook with a column saying what checking found on
    /// each row, and its file name.
    pub async fn annotated_preview(&self, actor: &Actor, id: Uuid, lang: Lang) -> Result<(String, Vec<u8>), AppError> {
        let pending = self.pending(actor, id)?;
        let workbook = read_file(&pending.file_name, &pending.bytes)?;
        let notes = pending
            .report
            .sheets
            .iter()
            .flat_map(|sheet| {
                sheet.rows.iter().map(move |r| ((sheet.sheet.clone(), r.row), note(&r.outcome, r.row, lang)))
            })
            .collect();
        let bytes = cncl_exchange::annotate(&workbook, lang.pick("Kết quả kiểm tra", "Check result"), &notes)
            .map_err(|e| AppError::internal(&format!("annotated preview: {e}")))?;
        let stem = std::path::Path::new(&pending.file_name).file_stem().and_then(|s| s.to_str()).unwrap_or("import");
        Ok((format!("{stem}.{}.xlsx", lang.pick("kiem-tra", "checked")), bytes))
    }

    /// The preview `id` kept for `actor`; not found for another account's.
    fn pending(&self, actor: &Actor, id: Uuid) -> Result<Pending, AppError> {
        let kept = self.previews.0.lock().map_err(|_| AppError::internal("the previews' lock is poisoned"))?;
        kept.get(&id)
            .filter(|p| p.actor == actor.name && p.at.elapsed() < PREVIEW_LIFETIME)
            .cloned()
            .ok_or_else(|| AppError::NotFound { noun: "import preview", id: id.to_string() })
    }

    /// Apply exactly what preview `id` showed; refused (409) when anything was written since,
    /// and not found for another account's preview.
    pub async fn commit_import(&self, actor: &Actor, id: Uuid) -> Result<ImportReport, AppError> {
        let pending = self.pending(actor, id)?;
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

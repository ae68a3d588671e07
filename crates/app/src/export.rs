//! Every list as a file: the records a list shows (same filters, same reach), as `.xlsx` or
//! as CSV for Excel, headers in the reader's language with the field keys beneath. Records
//! are read a page at a time and written as they come.

use cncl_domain::fields::field_label;
use cncl_domain::{EntityKind, Lang, Record, with_record_type};
use cncl_exchange::{CellOut, Column, ColumnKind, CsvStream, XlsxStream};
use cncl_store::tables::ColumnType;
use serde_json::Value;

use crate::{Actor, App, AppError, ListQuery, policy};

/// The file an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

/// Records read per page while exporting.
const EXPORT_PAGE: u32 = 5_000;

/// The columns of a kind: its id, then its fields in the record's order.
fn columns(kind: EntityKind, lang: Lang) -> Vec<Column> {
    let id = Column { header: "ID".into(), key: "id".into(), kind: ColumnKind::Text };
    let fields = cncl_store::tables::table(kind).columns.iter().map(|c| {
        let holds = match c.ty {
            _ if c.name.ends_with("_vnd") => ColumnKind::Money,
            _ if c.name.ends_with("_on") || c.name == "valid_until" => ColumnKind::Date,
            ColumnType::Int => ColumnKind::Number,
            _ => ColumnKind::Text,
        };
        let header = field_label(kind, c.name, lang).unwrap_or(c.name).to_owned();
        Column { header, key: c.name.to_owned(), kind: holds }
    });
    std::iter::once(id).chain(fields).collect()
}

/// One record as the cells of `columns`.
fn cells(id: &str, record: &Value, columns: &[Column]) -> Vec<CellOut> {
    columns
        .iter()
        .map(|column| {
            if column.key == "id" {
                return CellOut::Text(id.to_owned());
            }
            match record.get(&column.key).unwrap_or(&Value::Null) {
                Value::Null => CellOut::Empty,
                Value::String(s) if column.kind == ColumnKind::Date => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_or_else(|_| CellOut::Text(s.clone()), CellOut::Date),
                Value::String(s) => CellOut::Text(s.clone()),
                Value::Number(n) => n.as_f64().map_or(CellOut::Empty, CellOut::Number),
                Value::Bool(b) => CellOut::Text(b.to_string()),
                Value::Array(items) => CellOut::Text(
                    items
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                other => CellOut::Text(other.to_string()),
            }
        })
        .collect()
}

impl App {
    /// The records of `kind` that `query`'s filters select within the actor's reach (every
    /// page), as a file.
    pub async fn export_records(
        &self,
        actor: &Actor,
        kind: EntityKind,
        query: &ListQuery,
        format: ExportFormat,
        lang: Lang,
    ) -> Result<Vec<u8>, AppError> {
        with_record_type!(kind, T => self.export::<T>(actor, query, format, lang).await)
    }

    async fn export<T: Record>(
        &self,
        actor: &Actor,
        query: &ListQuery,
        format: ExportFormat,
        lang: Lang,
    ) -> Result<Vec<u8>, AppError> {
        crate::records::check_filters(T::KIND, &query.filter)?;
        let reach = crate::records::scope(policy::read(actor, T::KIND)?);
        let columns = columns(T::KIND, lang);
        let failed = |e: &dyn std::fmt::Display| AppError::internal(&format!("export: {e}"));
        let mut out = match format {
            ExportFormat::Xlsx => {
                Out::Xlsx(Box::new(XlsxStream::new(T::KIND.resource(), columns.clone()).map_err(|e| failed(&e))?))
            }
            ExportFormat::Csv => Out::Csv(Box::new(CsvStream::new(&columns).map_err(|e| failed(&e))?)),
        };
        let mut after: Option<String> = None;
        loop {
            let batch = self.store.list_after::<T>(&query.filter, &reach, after.as_deref(), EXPORT_PAGE).await?;
            let done = batch.len() < EXPORT_PAGE as usize;
            after = batch.last().map(|s| s.id.to_string());
            for stored in batch {
                let record = cncl_store::to_json(&stored.record)?;
                let row = cells(&stored.id.to_string(), &record, &columns);
                match &mut out {
                    Out::Xlsx(stream) => stream.push(row).map_err(|e| failed(&e))?,
                    Out::Csv(stream) => stream.push(row).map_err(|e| failed(&e))?,
                }
            }
            if done {
                break;
            }
        }
        match out {
            Out::Xlsx(stream) => stream.finish().map_err(|e| failed(&e)),
            Out::Csv(stream) => stream.finish().map_err(|e| failed(&e)),
        }
    }
}

/// The file being written.
enum Out {
    Xlsx(Box<XlsxStream>),
    Csv(Box<CsvStream>),
}

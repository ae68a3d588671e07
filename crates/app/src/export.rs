//! Records as files: every list (same filters, same reach) as `.xlsx` or as CSV for Excel,
//! each kind's template, and an organisation's reporting workbook. Headers are in the
//! reader's language with the field keys beneath, closed sets as their labels with a
//! drop-down, references as the keys people use (`natural_keys`). Records are read a page
//! at a time and written as they come.

use cncl_domain::field_spec::{Input, spec};
use cncl_domain::fields::field_label;
use cncl_domain::ids::RecordId as _;
use cncl_domain::labels::choice_label;
use cncl_domain::{EntityKind, Lang, Record, msg, with_record_type};
use cncl_exchange::{CellOut, Column, ColumnKind, CsvStream, XlsxStream};
use cncl_store::{ListFilter, Tx};
use serde_json::Value;
use uuid::Uuid;

use crate::natural_keys::Keys;
use crate::{Actor, App, AppError, ListQuery, policy};

/// The file an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

/// Records read per page while exporting.
const EXPORT_PAGE: u32 = 5_000;

/// A column as written, and how its field is entered (`None` for the id).
#[derive(Debug, Clone)]
struct Field {
    column: Column,
    input: Option<Input>,
}

/// How a yes-or-no field is written.
fn flag_label(value: bool, lang: Lang) -> &'static str {
    match value {
        true => lang.pick("Có", "Yes"),
        false => lang.pick("Không", "No"),
    }
}

/// The columns of a kind: its id, then its fields in the record's order.
fn fields(kind: EntityKind, lang: Lang, products: &[String]) -> Vec<Field> {
    let id = Field { column: Column { header: "ID".into(), key: "id".into(), kind: ColumnKind::Text }, input: None };
    let described = spec(kind).fields.iter().map(|f| {
        let holds = match &f.input {
            Input::Integer if f.name.ends_with("_vnd") => ColumnKind::Money,
            Input::Integer => ColumnKind::Number,
            Input::Date => ColumnKind::Date,
            Input::Choice { set, values } => ColumnKind::Choice(
                values.iter().map(|v| choice_label(set, v, lang).unwrap_or(v.as_str()).to_owned()).collect(),
            ),
            Input::Flag => ColumnKind::Choice(vec![flag_label(true, lang).into(), flag_label(false, lang).into()]),
            Input::Product => ColumnKind::Choice(products.to_vec()),
            _ => ColumnKind::Text,
        };
        let header = field_label(kind, &f.name, lang).unwrap_or(&f.name).to_owned();
        Field { column: Column { header, key: f.name.clone(), kind: holds }, input: Some(f.input.clone()) }
    });
    std::iter::once(id).chain(described).collect()
}

/// A value of a closed set as its label.
fn label_of(set: &str, value: &Value, lang: Lang) -> String {
    let raw = value.as_str().unwrap_or_default();
    choice_label(set, raw, lang).unwrap_or(raw).to_owned()
}

/// What one record's cells are written from.
struct Writing<'a> {
    tx: &'a mut Tx,
    keys: &'a mut Keys,
    actor: &'a Actor,
    lang: Lang,
}

impl Writing<'_> {
    /// One record as the cells of `fields`.
    async fn cells(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        record: &Value,
        fields: &[Field],
    ) -> Result<Vec<CellOut>, AppError> {
        let mut cells = Vec::with_capacity(fields.len());
        for field in fields {
            let Some(input) = &field.input else {
                cells.push(CellOut::Text(id.to_string()));
                continue;
            };
            let value = record.get(&field.column.key).unwrap_or(&Value::Null);
            let cell = match (input, value) {
                (_, Value::Null) => CellOut::Empty,
                (Input::Reference(target), Value::String(s)) => match Uuid::parse_str(s) {
                    Ok(referenced) => {
                        let scope = crate::records::scope(policy::read(self.actor, *target)?);
                        let key = self.keys.written(self.tx, kind, &field.column.key, referenced, record, &scope);
                        CellOut::Text(key.await?)
                    }
                    Err(_) => CellOut::Text(s.clone()),
                },
                (Input::Choice { set, .. }, v) => CellOut::Text(label_of(set, v, self.lang)),
                (Input::Choices { set, .. }, Value::Array(items)) => {
                    CellOut::Text(items.iter().map(|v| label_of(set, v, self.lang)).collect::<Vec<_>>().join(", "))
                }
                (Input::Flag, Value::Bool(b)) => CellOut::Text(flag_label(*b, self.lang).to_owned()),
                (Input::Date, Value::String(s)) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_or_else(|_| CellOut::Text(s.clone()), CellOut::Date),
                (_, Value::Number(n)) => n.as_f64().map_or(CellOut::Empty, CellOut::Number),
                (_, Value::String(s)) => CellOut::Text(s.clone()),
                (_, Value::Array(items)) => CellOut::Text(
                    items
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                (_, other) => CellOut::Text(other.to_string()),
            };
            cells.push(cell);
        }
        Ok(cells)
    }
}

/// Where a workbook's rows go. CSV is sent on a page at a time when there is somewhere to
/// send it (a response, a file): a million lines never wait in memory together.
enum Out<'a> {
    Xlsx(Box<XlsxStream>),
    Csv(Box<CsvStream>, Option<&'a Chunks>),
}

/// Where a streamed file's bytes go, a piece at a time.
pub type Chunks = tokio::sync::mpsc::Sender<Vec<u8>>;

fn failed(e: &dyn std::fmt::Display) -> AppError {
    AppError::internal(&format!("export: {e}"))
}

impl Out<'_> {
    fn push(&mut self, row: Vec<CellOut>) -> Result<(), AppError> {
        match self {
            Out::Xlsx(stream) => stream.push(row).map_err(|e| failed(&e)),
            Out::Csv(stream, _) => stream.push(row).map_err(|e| failed(&e)),
        }
    }

    /// Send what is written so far on, where it streams.
    async fn send_page(&mut self) -> Result<(), AppError> {
        if let Out::Csv(stream, Some(chunks)) = self {
            let bytes = stream.take().map_err(|e| failed(&e))?;
            chunks.send(bytes).await.map_err(|_| AppError::internal("export: the reader went away"))?;
        }
        Ok(())
    }

    /// The file, or where it streams, its last piece sent on and nothing returned.
    async fn finish(self) -> Result<Vec<u8>, AppError> {
        let bytes = match self {
            Out::Xlsx(stream) => stream.finish().map_err(|e| failed(&e))?,
            Out::Csv(stream, chunks) => {
                let bytes = stream.finish().map_err(|e| failed(&e))?;
                match chunks {
                    None => bytes,
                    Some(chunks) => {
                        chunks.send(bytes).await.map_err(|_| AppError::internal("export: the reader went away"))?;
                        Vec::new()
                    }
                }
            }
        };
        Ok(bytes)
    }
}

/// What a workbook holds besides its lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// A list: the records only.
    List,
    /// A template: instructions first, then the sheets, with or without the records.
    Template { rows: bool },
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
        self.workbook(actor, &[(kind, query.filter.clone())], format, lang, Layout::List, None).await
    }

    /// [`App::export_records`], CSV sent to `chunks` a page at a time (a workbook is sent
    /// whole, once written).
    pub async fn stream_records(
        &self,
        actor: &Actor,
        kind: EntityKind,
        query: &ListQuery,
        format: ExportFormat,
        lang: Lang,
        chunks: &Chunks,
    ) -> Result<(), AppError> {
        let bytes =
            self.workbook(actor, &[(kind, query.filter.clone())], format, lang, Layout::List, Some(chunks)).await?;
        if !bytes.is_empty() {
            chunks.send(bytes).await.map_err(|_| AppError::internal("export: the reader went away"))?;
        }
        Ok(())
    }

    /// The template of `kind`: instructions and the sheet's headers, pre-filled with the
    /// records the actor may see when `prefilled`, so that editing and uploading it updates
    /// them.
    pub async fn template(
        &self,
        actor: &Actor,
        kind: EntityKind,
        lang: Lang,
        prefilled: bool,
    ) -> Result<Vec<u8>, AppError> {
        let layout = Layout::Template { rows: prefilled };
        self.workbook(actor, &[(kind, ListFilter::default())], ExportFormat::Xlsx, lang, layout, None).await
    }

    /// The id of the organisation with this tax code, the key people know it by.
    pub async fn organisation_by_tax_code(&self, tax_code: &str) -> Result<Option<Uuid>, AppError> {
        Ok(self.store.organisation_by_tax_code(tax_code.trim()).await?.map(|o| o.id.as_uuid()))
    }

    /// The reporting workbook of `organisation` (a reporter's own when `None`): one sheet per
    /// kind an organisation reports, in the order their records refer to each other, with
    /// its records when `prefilled`.
    pub async fn reporting_workbook(
        &self,
        actor: &Actor,
        organisation: Option<Uuid>,
        lang: Lang,
        prefilled: bool,
    ) -> Result<Vec<u8>, AppError> {
        let organisation = organisation.or(actor.organisation).ok_or_else(|| {
            AppError::bad_request(
                "organisation",
                msg("hãy nêu tổ chức cần lập sổ báo cáo", "name the organisation whose reporting workbook to write"),
            )
        })?;
        let filter = ListFilter { organisation: Some(organisation), ..ListFilter::default() };
        let sheets: Vec<(EntityKind, ListFilter)> =
            policy::REPORTING_WORKBOOK.iter().map(|&kind| (kind, filter.clone())).collect();
        self.workbook(actor, &sheets, ExportFormat::Xlsx, lang, Layout::Template { rows: prefilled }, None).await
    }

    async fn workbook(
        &self,
        actor: &Actor,
        sheets: &[(EntityKind, ListFilter)],
        format: ExportFormat,
        lang: Lang,
        layout: Layout,
        chunks: Option<&Chunks>,
    ) -> Result<Vec<u8>, AppError> {
        for (kind, filter) in sheets {
            crate::records::check_filters(*kind, filter)?;
            policy::read(actor, *kind)?;
        }
        let products: Vec<String> = self.products().await?.into_iter().map(|p| p.code.to_string()).collect();
        let mut out = match format {
            ExportFormat::Xlsx => Out::Xlsx(Box::default()),
            ExportFormat::Csv => {
                let first = sheets.first().map_or(EntityKind::Organisation, |(kind, _)| *kind);
                let columns: Vec<Column> = fields(first, lang, &products).into_iter().map(|f| f.column).collect();
                Out::Csv(Box::new(CsvStream::new(&columns).map_err(|e| failed(&e))?), chunks)
            }
        };
        if let (Out::Xlsx(stream), Layout::Template { .. }) = (&mut out, layout) {
            let kinds: Vec<EntityKind> = sheets.iter().map(|(kind, _)| *kind).collect();
            let (title, paragraphs) = crate::export_instructions::instructions(&kinds, lang);
            stream.instructions(lang.pick("Hướng dẫn", "Instructions"), title, &paragraphs).map_err(|e| failed(&e))?;
        }
        let mut tx = self.store.begin_read().await?;
        let mut keys = Keys::default();
        let mut writing = Writing { tx: &mut tx, keys: &mut keys, actor, lang };
        for (kind, filter) in sheets {
            let fields = fields(*kind, lang, &products);
            if let Out::Xlsx(stream) = &mut out {
                let columns = fields.iter().map(|f| f.column.clone()).collect();
                stream.sheet(kind.resource(), columns).map_err(|e| failed(&e))?;
            }
            if layout != (Layout::Template { rows: false }) {
                with_record_type!(*kind, T => self.write_rows::<T>(&mut writing, filter, &fields, &mut out).await)?;
            }
        }
        tx.commit().await?;
        out.finish().await
    }

    /// Every record of `T` the filter selects within the actor's reach, a page at a time.
    async fn write_rows<T: Record>(
        &self,
        writing: &mut Writing<'_>,
        filter: &ListFilter,
        fields: &[Field],
        out: &mut Out<'_>,
    ) -> Result<(), AppError> {
        let reach = crate::records::scope(policy::read(writing.actor, T::KIND)?);
        let mut after: Option<String> = None;
        loop {
            let batch = self.store.list_after::<T>(filter, &reach, after.as_deref(), EXPORT_PAGE).await?;
            let done = batch.len() < EXPORT_PAGE as usize;
            after = batch.last().map(|s| s.id.to_string());
            for stored in batch {
                let record = cncl_store::to_json(&stored.record)?;
                out.push(writing.cells(T::KIND, stored.id.as_uuid(), &record, fields).await?)?;
            }
            out.send_page().await?;
            if done {
                return Ok(());
            }
        }
    }
}

//! Writing rows as a workbook or CSV: the header in the reader's language with the field keys
//! beneath it, money and dates formatted, drop-down lists for closed sets. Rows are taken
//! from an iterator and written as they come, so an export of a million lines does not hold
//! them all.

use std::io::Write;

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, Workbook, XlsxError};

use crate::value::column_letter;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Number,
    /// Whole đồng, shown as `#.##0 ₫`.
    Money,
    Date,
    /// One of these values (a drop-down list).
    Choice(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header people read.
    pub header: String,
    /// The field it holds, written under the header so a file reads back whatever its
    /// language.
    pub key: String,
    pub kind: ColumnKind,
}

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum CellOut {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

/// One sheet to write.
pub struct SheetOut<'a> {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Box<dyn Iterator<Item = Vec<CellOut>> + 'a>,
}

/// Rows a sheet may hold below its two header rows (Excel's limit).
const MAX_ROWS: u32 = 1_048_576 - 2;

fn excel_date(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (date - epoch).num_days() as f64
}

/// The sheets as an `.xlsx` workbook: row 1 the headers, row 2 the field keys, data from
/// row 3. Sheets are written in constant memory.
pub fn write_xlsx(sheets: Vec<SheetOut<'_>>) -> Result<Vec<u8>, XlsxError> {
    let mut stream = XlsxStream::new();
    for sheet in sheets {
        stream.sheet(&sheet.name, sheet.columns)?;
        for row in sheet.rows {
            if stream.push(row).is_err() {
                break;
            }
        }
    }
    stream.finish()
}

/// The hidden sheet that holds drop-down lists too long to write into a validation
/// (Excel takes at most 255 characters there).
const LISTS_SHEET: &str = "lists";
/// The rows as CSV for Excel: UTF-8 with a byte-order mark (so Excel reads Vietnamese), the
/// header in the reader's language, dates as dd/mm/yyyy, numbers plain.
pub fn write_csv<W: Write>(
    out: W,
    columns: &[Column],
    rows: impl Iterator<Item = Vec<CellOut>>,
) -> Result<W, std::io::Error> {
    let mut out = out;
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    writer.write_record(columns.iter().map(|c| c.header.as_str()))?;
    for mut values in rows {
        values.resize(columns.len(), CellOut::Empty);
        writer.write_record(values.into_iter().map(csv_field))?;
    }
    writer.into_inner().map_err(|e| e.into_error())
}

/// The sheet rows are being written to.
struct OpenSheet {
    index: usize,
    columns: Vec<Column>,
    next_row: u32,
    /// Drop-down lists by column, added when the sheet is done: they reach a stretch below
    /// the last row rather than Excel's million rows, which some programs expand cell by cell.
    validations: Vec<(u16, DataValidation)>,
}

/// Rows below the last written that keep their drop-down lists, for rows people add.
const VALIDATED_ROWS_BELOW: u32 = 2_000;

/// A workbook written a row at a time, in constant memory: an instructions sheet, then
/// sheets whose rows come a page at a time.
pub struct XlsxStream {
    workbook: Workbook,
    /// The sheet being written.
    current: Option<OpenSheet>,
    sheets: usize,
    /// Drop-down lists kept on the hidden lists sheet, one per column there.
    lists: Vec<Vec<String>>,
    header: Format,
    key: Format,
    money: Format,
    date: Format,
}

impl Default for XlsxStream {
    fn default() -> Self {
        Self::new()
    }
}

impl XlsxStream {
    pub fn new() -> XlsxStream {
        XlsxStream {
            workbook: Workbook::new(),
            current: None,
            sheets: 0,
            lists: Vec::new(),
            header: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top),
            key: Format::new().set_font_color(rust_xlsxwriter::Color::Gray).set_font_size(8),
            money: Format::new().set_num_format("#,##0 \"₫\""),
            date: Format::new().set_num_format("dd/mm/yyyy"),
        }
    }

    /// A sheet of notes for the reader: a title, then one paragraph per row.
    pub fn instructions(&mut self, name: &str, title: &str, paragraphs: &[String]) -> Result<(), XlsxError> {
        let worksheet = self.workbook.add_worksheet();
        worksheet.set_name(name)?;
        worksheet.set_column_width(0, 110)?;
        worksheet.write_string_with_format(0, 0, title, &Format::new().set_bold().set_font_size(14))?;
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        for (r, paragraph) in paragraphs.iter().enumerate() {
            let row = 2 + u32::try_from(r).unwrap_or(MAX_ROWS);
            worksheet.write_string_with_format(row, 0, paragraph, &wrap)?;
        }
        self.sheets += 1;
        Ok(())
    }

    /// Start a sheet named `name` with the header rows of `columns`; rows pushed from now on
    /// go to it.
    pub fn sheet(&mut self, name: &str, columns: Vec<Column>) -> Result<(), XlsxError> {
        let mut validations = Vec::new();
        for (c, column) in columns.iter().enumerate() {
            if let ColumnKind::Choice(values) = &column.kind {
                let list = match DataValidation::new().allow_list_strings(values) {
                    Ok(list) => list,
                    Err(_) => {
                        self.lists.push(values.clone());
                        let letter = column_letter(self.lists.len() - 1);
                        let range = format!("={LISTS_SHEET}!${letter}$1:${letter}${}", values.len().max(1));
                        DataValidation::new().allow_list_formula(rust_xlsxwriter::Formula::new(range))
                    }
                };
                validations.push((u16::try_from(c).unwrap_or(u16::MAX), list));
            }
        }
        let worksheet = self.workbook.add_worksheet_with_constant_memory()?;
        worksheet.set_name(name)?;
        // Row by row: in constant memory a row is written out once the next one starts.
        for (c, column) in columns.iter().enumerate() {
            worksheet.write_string_with_format(
                0,
                u16::try_from(c).unwrap_or(u16::MAX),
                &column.header,
                &self.header,
            )?;
        }
        for (c, column) in columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            worksheet.write_string_with_format(1, c, &column.key, &self.key)?;
            worksheet.set_column_width(c, 18)?;
        }
        worksheet.set_freeze_panes(2, 0)?;
        self.close_sheet()?;
        self.current = Some(OpenSheet { index: self.sheets, columns, next_row: 2, validations });
        self.sheets += 1;
        Ok(())
    }

    /// Give the sheet being written its drop-down lists.
    fn close_sheet(&mut self) -> Result<(), XlsxError> {
        let Some(open) = self.current.take() else { return Ok(()) };
        let last = open.next_row.saturating_add(VALIDATED_ROWS_BELOW).min(MAX_ROWS + 1);
        let worksheet = self.workbook.worksheet_from_index(open.index)?;
        for (c, list) in &open.validations {
            worksheet.add_data_validation(2, *c, last, *c, list)?;
        }
        Ok(())
    }

    /// Write one row below the last of the current sheet; rows beyond Excel's limit, or
    /// before any sheet, are refused.
    pub fn push(&mut self, values: Vec<CellOut>) -> Result<(), XlsxError> {
        let Some(open) = &mut self.current else {
            return Err(XlsxError::ParameterError("no sheet to write to".into()));
        };
        if open.next_row > MAX_ROWS + 1 {
            return Err(XlsxError::RowColumnLimitError);
        }
        let sheet = self.workbook.worksheet_from_index(open.index)?;
        write_row(sheet, open.next_row, &open.columns, values, &self.money, &self.date)?;
        open.next_row += 1;
        Ok(())
    }

    /// Dated `created` rather than now, so that the same rows give the same file (a report),
    /// with the workbook's keywords property when given (what a report names itself by).
    pub fn described(mut self, created: NaiveDate, keywords: Option<&str>) -> Result<XlsxStream, XlsxError> {
        use chrono::Datelike;
        let year = u16::try_from(created.year()).unwrap_or(1900);
        let (month, day) = (u8::try_from(created.month()).unwrap_or(1), u8::try_from(created.day()).unwrap_or(1));
        let at = rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, day)?;
        let mut properties = rust_xlsxwriter::DocProperties::new().set_creation_datetime(&at);
        if let Some(keywords) = keywords {
            properties = properties.set_keywords(keywords);
        }
        self.workbook.set_properties(&properties);
        Ok(self)
    }

    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.close_sheet()?;
        if !self.lists.is_empty() {
            let worksheet = self.workbook.add_worksheet();
            worksheet.set_name(LISTS_SHEET)?;
            for (c, values) in self.lists.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                for (r, value) in values.iter().enumerate() {
                    worksheet.write_string(u32::try_from(r).unwrap_or(MAX_ROWS), c, value)?;
                }
            }
            worksheet.set_hidden(true);
        }
        self.workbook.save_to_buffer()
    }
}

fn write_row(
    worksheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    columns: &[Column],
    values: Vec<CellOut>,
    money: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    for (c, value) in values.into_iter().enumerate() {
        let kind = columns.get(c).map(|col| &col.kind);
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        match value {
            CellOut::Empty => {}
            CellOut::Text(text) => {
                worksheet.write_string(row, c, text)?;
            }
            CellOut::Number(n) if kind == Some(&ColumnKind::Money) => {
                worksheet.write_number_with_format(row, c, n, money)?;
            }
            CellOut::Number(n) => {
                worksheet.write_number(row, c, n)?;
            }
            CellOut::Date(d) => {
                worksheet.write_number_with_format(row, c, excel_date(d), date)?;
            }
        }
    }
    Ok(())
}

/// CSV for Excel written a row at a time: the byte-order mark and the header first.
pub struct CsvStream {
    writer: csv::Writer<Vec<u8>>,
    width: usize,
}

impl CsvStream {
    pub fn new(columns: &[Column]) -> Result<CsvStream, csv::Error> {
        let mut writer =
            csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec());
        writer.write_record(columns.iter().map(|c| c.header.as_str()))?;
        Ok(CsvStream { writer, width: columns.len() })
    }

    pub fn push(&mut self, mut values: Vec<CellOut>) -> Result<(), csv::Error> {
        values.resize(self.width, CellOut::Empty);
        self.writer.write_record(values.into_iter().map(csv_field))
    }

    /// The bytes written since the last call, to send on while the rest is written.
    pub fn take(&mut self) -> Result<Vec<u8>, csv::Error> {
        let fresh = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        std::mem::replace(&mut self.writer, fresh).into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }

    /// The bytes written since the last [`CsvStream::take`] (all of them, if none).
    pub fn finish(self) -> Result<Vec<u8>, csv::Error> {
        self.writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
}

fn csv_field(value: CellOut) -> String {
    match value {
        CellOut::Empty => String::new(),
        CellOut::Text(t) => t,
        CellOut::Number(n) => n.to_string(),
        CellOut::Date(d) => d.format("%d/%m/%Y").to_string(),
    }
}

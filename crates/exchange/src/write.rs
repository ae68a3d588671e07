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
    write_xlsx_workbook(sheets)?.save_to_buffer()
}

fn write_xlsx_workbook(sheets: Vec<SheetOut<'_>>) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let key = Format::new().set_font_color(rust_xlsxwriter::Color::Gray).set_font_size(8);
    let money = Format::new().set_num_format("#,##0 \"₫\"");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for sheet in sheets {
        let worksheet = workbook.add_worksheet_with_constant_memory()?;
        worksheet.set_name(&sheet.name)?;
        // Row by row: in constant memory a row is written out once the next one starts.
        for (c, column) in sheet.columns.iter().enumerate() {
            worksheet.write_string_with_format(0, u16::try_from(c).unwrap_or(u16::MAX), &column.header, &header)?;
        }
        for (c, column) in sheet.columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            worksheet.write_string_with_format(1, c, &column.key, &key)?;
            worksheet.set_column_width(c, 18)?;
            if let ColumnKind::Choice(values) = &column.kind {
                let list = DataValidation::new().allow_list_strings(values)?;
                worksheet.add_data_validation(2, c, MAX_ROWS + 1, c, &list)?;
            }
        }
        worksheet.set_freeze_panes(2, 0)?;
        for (r, values) in sheet.rows.enumerate() {
            let row = 2 + u32::try_from(r).unwrap_or(MAX_ROWS);
            if row > MAX_ROWS + 1 {
                break;
            }
            write_row(worksheet, row, &sheet.columns, values, &money, &date)?;
        }
    }
    Ok(workbook)
}

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

/// The column a field key stands in, as a letter.
pub fn letter_of(columns: &[Column], key: &str) -> Option<String> {
    columns.iter().position(|c| c.key == key).map(column_letter)
}

/// One sheet written a row at a time, in constant memory: for exports whose rows come a
/// page at a time.
pub struct XlsxStream {
    workbook: Workbook,
    columns: Vec<Column>,
    next_row: u32,
    money: Format,
    date: Format,
}

impl XlsxStream {
    /// A workbook of one sheet named `name` with the header rows of `columns` written.
    pub fn new(name: &str, columns: Vec<Column>) -> Result<XlsxStream, XlsxError> {
        let sheet = SheetOut { name: name.to_owned(), columns: columns.clone(), rows: Box::new(std::iter::empty()) };
        Ok(XlsxStream {
            workbook: write_xlsx_workbook(vec![sheet])?,
            columns,
            next_row: 2,
            money: Format::new().set_num_format("#,##0 \"₫\""),
            date: Format::new().set_num_format("dd/mm/yyyy"),
        })
    }

    /// Write one row below the last; rows beyond Excel's limit are refused.
    pub fn push(&mut self, values: Vec<CellOut>) -> Result<(), XlsxError> {
        if self.next_row > MAX_ROWS + 1 {
            return Err(XlsxError::RowColumnLimitError);
        }
        let row = self.next_row;
        let sheet = self.workbook.worksheet_from_index(0)?;
        write_row(sheet, row, &self.columns, values, &self.money, &self.date)?;
        self.next_row += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
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

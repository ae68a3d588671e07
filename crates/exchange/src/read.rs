//! Reading a file into sheets of cells. Every row keeps the number Excel shows for it (blank
//! rows counted), so an error can name the row a person sees.

use std::io::{Cursor, Read as _};

use calamine::{Data, Reader as _, Xlsx, XlsxError};
use chrono::NaiveDate;

use crate::value::date_from_serial;

/// One cell's value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text, its surrounding spaces removed.
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// A formula the file holds no computed value for (saved by a program that does not
    /// compute): its formula, to name it.
    FormulaWithoutValue(String),
    /// An Excel error value such as `#DIV/0!`.
    Error(String),
}

/// A row that is not blank, with its number as Excel shows it (1 is the first row).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u32,
    /// From column A on.
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

/// What a file may be at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file as uploaded.
    pub file_bytes: u64,
    /// A workbook unpacked (an `.xlsx` is a zip archive: a small file can unpack to
    /// gigabytes).
    pub unpacked_bytes: u64,
}

impl Default for Limits {
    /// 50 MB uploaded and 500 MB unpacked: a million-line bill of materials fits.
    fn default() -> Self {
        Limits { file_bytes: 50 * 1024 * 1024, unpacked_bytes: 500 * 1024 * 1024 }
    }
}

/// Why a file could not be read at all (errors in single cells are the importer's).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the workbook unpacks to more than {limit} bytes")]
    UnpacksTooLarge { limit: u64 },
    #[error("the workbook is protected by a password: remove the password and upload it again")]
    PasswordProtected,
    #[error("the file is not an Excel workbook (.xlsx): {0}")]
    NotAWorkbook(String),
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("the file is empty")]
    Empty,
    #[error("the workbook spans more than {limit} cells")]
    TooManyCells { limit: usize },
}

fn text_cell(text: &str) -> Cell {
    let t = text.trim();
    if t.is_empty() { Cell::Empty } else { Cell::Text(t.to_owned()) }
}

/// The delimiter a CSV file uses: `;` (Excel in Vietnamese and most of Europe), `,` or a
/// tab, whichever its header line has most of.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let count = |c: char| header.matches(c).count();
    [(b';', count(';')), (b'\t', count('\t')), (b',', count(','))]
        .into_iter()
        .max_by_key(|&(d, n)| (n, d == b','))
        .map_or(b',', |(d, _)| d)
}

/// A CSV file (UTF-8, with or without a byte-order mark; CRLF or LF; `;`, `,` or tab) as one
/// sheet named `name`; every value is text, read by its column later.
pub fn read_csv(name: &str, bytes: &[u8], limits: Limits) -> Result<Workbook, ReadError> {
    if bytes.len() as u64 > limits.file_bytes {
        return Err(ReadError::TooLarge { limit: limits.file_bytes });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::Csv {
        line: 0,
        message: format!("not UTF-8 text (byte {}); save it as “CSV UTF-8”", e.valid_up_to()),
    })?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Lines counted by hand: the reader's own positions point at the line ending before a
    // record when lines end in CRLF or blank lines come between, and Excel numbers every line.
    let (mut counted_to, mut line) = (0_usize, 1_u64);
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Csv {
            line: e.position().map_or(0, csv::Position::line),
            message: e.to_string(),
        })?;
        let mut start = record.position().map_or(counted_to, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += text.get(counted_to..start).map_or(0, line_breaks);
        counted_to = start.max(counted_to);
        let number = line;
        let cells: Vec<Cell> = record.iter().map(text_cell).collect();
        if cells.iter().any(|c| *c != Cell::Empty) {
            rows.push(Row { number: u32::try_from(number).unwrap_or(u32::MAX), cells });
        }
    }
    Ok(Workbook { sheets: vec![Sheet { name: name.to_owned(), rows }] })
}

/// The line breaks in `text` as a spreadsheet counts them: CRLF, LF, or a CR alone (which the
/// CSV reader also ends a record at; found by `fuzz/`).
fn line_breaks(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let lone_cr = bytes.iter().enumerate().filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n')).count();
    (bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr) as u64
}

/// Refuse an archive that would unpack beyond the limit, before anything unpacks it: the
/// sizes are read from the archive's directory, and each entry is read through a cap in
/// case a size there lies.
fn check_unpacked(bytes: &[u8], limit: u64) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::NotAWorkbook(e.to_string()))?;
    let mut total = 0_u64;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| ReadError::NotAWorkbook(e.to_string()))?;
        let stated = entry.size();
        total = total.saturating_add(stated);
        if total > limit {
            return Err(ReadError::UnpacksTooLarge { limit });
        }
        let read = std::io::copy(&mut entry.take(stated + 1), &mut std::io::sink())
            .map_err(|e| ReadError::NotAWorkbook(e.to_string()))?;
        if read > stated {
            return Err(ReadError::UnpacksTooLarge { limit });
        }
    }
    Ok(())
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => date_from_serial(d.as_f64()).map_or(Cell::Number(d.as_f64()), Cell::Date),
        Data::DateTimeIso(s) => {
            NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").map_or_else(|_| text_cell(s), Cell::Date)
        }
        Data::DurationIso(s) => text_cell(s),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// An `.xlsx` workbook: every sheet, its formulas read by their cached values.
pub fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<Workbook, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() as u64 > limits.file_bytes {
        return Err(ReadError::TooLarge { limit: limits.file_bytes });
    }
    if bytes.starts_with(b"PK") {
        check_unpacked(bytes, limits.unpacked_bytes)?;
    }
    read_sheets(bytes)
}

/// A call into calamine, its error or panic as a refusal. Its arithmetic on cell references
/// overflows on some damaged files (found by `fuzz/`); in builds with overflow checks that is
/// a panic, which must refuse the file, not take a request down.
fn calamine<T>(call: impl FnOnce() -> Result<T, XlsxError>) -> Result<T, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(XlsxError::Password)) => Err(ReadError::PasswordProtected),
        Ok(Err(e)) => Err(ReadError::NotAWorkbook(e.to_string())),
        Err(_) => Err(ReadError::NotAWorkbook("the workbook is damaged".into())),
    }
}

/// Excel's last row and column (0-based): a reference beyond them is a damaged file.
const LAST_ROW: u32 = 1_048_575;
const LAST_COLUMN: u32 = 16_383;

/// Cells a workbook may span in all, blanks between cells counted: a file of a few
/// kilobytes can name a cell at XFD1048576, and the rows are held in memory.
const MAX_CELLS: usize = 12_000_000;

/// Every sheet of an archive already checked, cell by cell as the XML holds them (never the
/// dense rectangle from A1 to the last cell, which a small file can make astronomically large).
fn read_sheets(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut workbook: Xlsx<_> = calamine(|| Xlsx::new(Cursor::new(bytes)))?;
    let mut sheets = Vec::new();
    let mut spanned = 0_usize;
    for name in workbook.sheet_names() {
        let mut reader = calamine(|| workbook.worksheet_cells_reader(&name))?;
        let mut by_row: std::collections::BTreeMap<u32, Vec<Cell>> = std::collections::BTreeMap::new();
        while let Some(record) = calamine(|| reader.next_cell_with_formula())? {
            let (row, column) = record.pos;
            if row > LAST_ROW || column > LAST_COLUMN {
                return Err(ReadError::NotAWorkbook(format!(
                    "a cell lies beyond Excel's last row or column in {name}"
                )));
            }
            let mut cell = cell_of(&Data::from(record.value));
            if let (Cell::Empty, Some(formula)) = (&cell, record.formula.filter(|f| !f.is_empty())) {
                cell = Cell::FormulaWithoutValue(formula);
            }
            if cell == Cell::Empty {
                continue;
            }
            let cells = by_row.entry(row).or_default();
            let column = column as usize;
            if cells.len() <= column {
                spanned += column + 1 - cells.len();
                if spanned > MAX_CELLS {
                    return Err(ReadError::TooManyCells { limit: MAX_CELLS });
                }
                cells.resize(column + 1, Cell::Empty);
            }
            cells[column] = cell;
        }
        let rows = by_row.into_iter().map(|(row, cells)| Row { number: row + 1, cells }).collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(Workbook { sheets })
}

//! Workbooks and CSV as pure formats: a file becomes sheets of cells, each cell placed as
//! Excel shows it (sheet, row number, column letter), with values read the way Vietnamese
//! offices write them; rows of values become a file. Nothing here knows records, the store
//! or who is asking: import and export are use-cases in `cncl-app`.

pub mod annotate;
pub mod read;
pub mod value;
pub mod write;

pub use annotate::annotate;
pub use read::{Cell, Limits, ReadError, Row, Sheet, Workbook, read_csv, read_xlsx};
pub use value::{ValueError, column_letter, parse_date, parse_number};
pub use write::{CellOut, Column, ColumnKind, CsvStream, SheetOut, XlsxStream, write_csv, write_xlsx};

//! Files written and read back, and the files people bring: a byte-order mark, CRLF, `;`,
//! formulas without values, archives that unpack too far, files that are not workbooks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use cncl_exchange::{
    Cell, CellOut, Column, ColumnKind, Limits, ReadError, SheetOut, read_csv, read_xlsx, write_csv, write_xlsx,
};
use proptest::prelude::*;

fn columns() -> Vec<Column> {
    let column = |header: &str, key: &str, kind| Column { header: header.into(), key: key.into(), kind };
    vec![
        column("Tên", "name", ColumnKind::Text),
        column("Số lượng", "quantity", ColumnKind::Number),
        column("Đơn giá", "unit_cost_vnd", ColumnKind::Money),
        column("Ngày", "on", ColumnKind::Date),
        column("Nguồn gốc", "origin", ColumnKind::Choice(vec!["Trong nước".into(), "Nhập khẩu".into()])),
    ]
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn workbook(rows: Vec<Vec<CellOut>>) -> Vec<u8> {
    write_xlsx(vec![SheetOut { name: "bom-lines".into(), columns: columns(), rows: Box::new(rows.into_iter()) }])
        .unwrap()
}

#[test]
fn a_workbook_reads_back_with_its_rows_numbered_as_excel_shows_them() {
    let bytes = workbook(vec![
        vec![
            CellOut::Text("Bo mạch chính".into()),
            CellOut::Number(2.0),
            CellOut::Number(1_250_000.0),
            CellOut::Date(d(2026, 2, 5)),
            CellOut::Text("Nhập khẩu".into()),
        ],
        vec![CellOut::Empty, CellOut::Number(12.5)],
    ]);
    let book = read_xlsx(&bytes, Limits::default()).unwrap();
    let sheet = &book.sheets[0];
    assert_eq!(sheet.name, "bom-lines");
    let headers: Vec<Cell> = ["Tên", "Số lượng", "Đơn giá", "Ngày", "Nguồn gốc"].map(|h| Cell::Text(h.into())).to_vec();
    assert_eq!(sheet.rows[0].cells, headers, "every header, in the reader's language");
    assert_eq!(sheet.rows[1].cells[2], Cell::Text("unit_cost_vnd".into()));
    let first = &sheet.rows[2];
    assert_eq!(first.number, 3);
    assert_eq!(
        first.cells[..4],
        [Cell::Text("Bo mạch chính".into()), Cell::Number(2.0), Cell::Number(1_250_000.0), Cell::Date(d(2026, 2, 5))]
    );
    assert_eq!(
        (sheet.rows[3].number, sheet.rows[3].cell(0), sheet.rows[3].cell(1)),
        (4, &Cell::Empty, &Cell::Number(12.5))
    );
}

#[test]
fn csv_with_a_byte_order_mark_crlf_and_semicolons() {
    let text = "\u{feff}Tên;Đơn giá;Ngày\r\n  Cảm biến  ;1.250.000;05/02/2026\r\n\r\n;;\r\nVỏ;12,5;2026-02-05\r\n";
    let book = read_csv("cost-lines", text.as_bytes(), Limits::default()).unwrap();
    let rows = &book.sheets[0].rows;
    assert_eq!(rows.len(), 3, "blank rows are skipped but counted");
    assert_eq!(rows[0].cells[0], Cell::Text("Tên".into()), "the byte-order mark is gone");
    assert_eq!((rows[1].number, rows[1].cell(0)), (2, &Cell::Text("Cảm biến".into())));
    assert_eq!(rows[2].number, 5);
    assert_eq!(rows[2].cell(1), &Cell::Text("12,5".into()), "numbers are read by their column");
    assert_eq!(read_csv("x", b"", Limits::default()), Err(ReadError::Empty));
    assert!(matches!(read_csv("x", b"\xff\xfe\x00", Limits::default()), Err(ReadError::Csv { .. })));
}

#[test]
fn csv_written_for_excel_reads_back() {
    let rows = vec![
        vec![CellOut::Text("Bo mạch, \"chính\"".into()), CellOut::Number(3.0), CellOut::Number(1_250_000.0)],
        vec![CellOut::Empty, CellOut::Empty, CellOut::Empty, CellOut::Date(d(2026, 2, 5))],
    ];
    let bytes = write_csv(Vec::new(), &columns(), rows.into_iter()).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "Excel needs the mark to read UTF-8");
    let book = read_csv("x", &bytes, Limits::default()).unwrap();
    let rows = &book.sheets[0].rows;
    assert_eq!(
        rows[1].cells[..3],
        [Cell::Text("Bo mạch, \"chính\"".into()), Cell::Text("3".into()), Cell::Text("1250000".into())]
    );
    assert_eq!(rows[2].cell(3), &Cell::Text("05/02/2026".into()));
}

#[test]
fn files_that_are_not_workbooks_are_refused_plainly() {
    assert_eq!(read_xlsx(b"", Limits::default()), Err(ReadError::Empty));
    assert!(matches!(read_xlsx(b"name,amount\n", Limits::default()), Err(ReadError::NotAWorkbook(_))));
    assert!(matches!(read_xlsx(b"PK\x03\x04garbage", Limits::default()), Err(ReadError::NotAWorkbook(_))));
    let bytes = workbook(vec![vec![CellOut::Text("x".into())]]);
    let tight = Limits { unpacked_bytes: 1_000, ..Limits::default() };
    assert_eq!(read_xlsx(&bytes, tight), Err(ReadError::UnpacksTooLarge { limit: 1_000 }));
    let small = Limits { file_bytes: 100, ..Limits::default() };
    assert_eq!(read_xlsx(&bytes, small), Err(ReadError::TooLarge { limit: 100 }));
}

/// Found by `fuzz/`: a carriage return alone ends a line, and rows are numbered so.
#[test]
fn csv_lines_ending_in_a_lone_carriage_return_are_numbered_apart() {
    let read = read_csv("x", b"a;b\rc;d\r\re;f\n", Limits::default()).unwrap();
    let numbers: Vec<u32> = read.sheets[0].rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 4]);
    let crash = include_bytes!("damaged/lone-carriage-returns.csv");
    let read = read_csv("x", crash, Limits::default()).unwrap();
    let numbers: Vec<u32> = read.sheets[0].rows.iter().map(|r| r.number).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
}

/// Found by `fuzz/`: a cell reference whose column overflows calamine's arithmetic.
#[test]
fn a_damaged_cell_reference_is_refused_not_a_panic() {
    let bytes = include_bytes!("damaged/overflowing-cell-reference.xlsx");
    assert!(matches!(read_xlsx(bytes, Limits::default()), Err(ReadError::NotAWorkbook(_))));
}

/// A few cells far apart are read as they are, not as the rectangle between them (which a
/// dense reader allocates: 17 billion cells for A1 and XFD1048576); too many far cells are
/// refused by the cells they span.
#[test]
fn far_apart_cells_cost_what_they_span() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "near").unwrap();
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    let read = read_xlsx(&book.save_to_buffer().unwrap(), Limits::default()).unwrap();
    let rows = &read.sheets[0].rows;
    assert_eq!((rows.len(), rows[1].number, rows[1].cells.len()), (2, 1_048_576, 16_384));
    assert_eq!(rows[1].cell(16_383), &Cell::Text("far".into()));

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for row in 0..800 {
        sheet.write_string(row, 16_383, "far").unwrap();
    }
    let refused = read_xlsx(&book.save_to_buffer().unwrap(), Limits::default());
    assert!(matches!(refused, Err(ReadError::TooManyCells { .. })), "{refused:?}");
}

#[test]
fn a_formula_without_a_computed_value_is_named() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_number(0, 0, 2.0).unwrap();
    sheet.write_formula(0, 1, rust_xlsxwriter::Formula::new("=A1*2").set_result("")).unwrap();
    sheet.write_formula(0, 2, rust_xlsxwriter::Formula::new("=A1*3").set_result("6")).unwrap();
    let bytes = without_cached_value(&book.save_to_buffer().unwrap(), "<f>A1*2</f><v>0</v>", "<f>A1*2</f>");
    let read = read_xlsx(&bytes, Limits::default()).unwrap();
    let row = &read.sheets[0].rows[0];
    assert_eq!(row.cell(1), &Cell::FormulaWithoutValue("A1*2".into()));
    assert_eq!(row.cell(2), &Cell::Number(6.0));
}

/// The workbook with one cell's cached value taken out, as programs that do not compute
/// formulas save them.
fn without_cached_value(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = String::new();
        entry.read_to_string(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            assert!(content.contains(from), "{content}");
            content = content.replace(from, to);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(content.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễđĐƯưƠơ,.;\"]{1,24}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("not blank", |s| !s.is_empty())
}

fn value() -> impl Strategy<Value = CellOut> {
    prop_oneof![
        text().prop_map(CellOut::Text),
        (-1_000_000_000_i64..1_000_000_000).prop_map(|n| CellOut::Number(n as f64)),
        (0_i64..40_000).prop_map(|n| CellOut::Date(d(2000, 1, 1) + chrono::Duration::days(n))),
    ]
}

fn read_back(cell: &CellOut) -> Cell {
    match cell {
        CellOut::Empty => Cell::Empty,
        CellOut::Text(t) => Cell::Text(t.clone()),
        CellOut::Number(n) => Cell::Number(*n),
        CellOut::Date(d) => Cell::Date(*d),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn what_is_written_reads_back(rows in prop::collection::vec(prop::collection::vec(value(), 5), 1..20)) {
        let bytes = workbook(rows.clone());
        let book = read_xlsx(&bytes, Limits::default()).unwrap();
        let read: Vec<Vec<Cell>> = book.sheets[0].rows[2..].iter().map(|r| r.cells.clone()).collect();
        let written: Vec<Vec<Cell>> = rows.iter().map(|r| r.iter().map(read_back).collect()).collect();
        prop_assert_eq!(read, written);
    }
}

#[test]
fn a_streamed_sheet_reads_back_like_a_written_one() {
    let mut stream = cncl_exchange::XlsxStream::new();
    stream.sheet("cost-lines", columns()).unwrap();
    for i in 0..1_000 {
        stream.push(vec![CellOut::Text(format!("Dòng {i}")), CellOut::Number(f64::from(i))]).unwrap();
    }
    let book = read_xlsx(&stream.finish().unwrap(), Limits::default()).unwrap();
    let rows = &book.sheets[0].rows;
    assert_eq!(rows.len(), 2 + 1_000);
    assert_eq!(
        (rows[1001].number, rows[1001].cell(0)),
        (1002, &Cell::Text("Dòng 999".into())),
        "row 3 on, as Excel numbers them"
    );
}

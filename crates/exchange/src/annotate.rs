//! A file read back as a workbook with one more column: what checking each row found, so
//! that the person who sent it fixes the rows in the file they know rather than in a list
//! on a page.

use std::collections::HashMap;

use rust_xlsxwriter::{Color, Format, XlsxError};

use crate::read::{Cell, Workbook};

/// `workbook` written again cell for cell, every sheet with a column after its last one
/// headed `header`, holding the note for each row that has one (by sheet name and row number
/// as Excel shows it). Blank rows stay where they were.
pub fn annotate(
    workbook: &Workbook,
    header: &str,
    notes: &HashMap<(String, u32), String>,
) -> Result<Vec<u8>, XlsxError> {
    let mut out = rust_xlsxwriter::Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let flagged = Format::new().set_font_color(Color::RGB(0x00B0_0020)).set_text_wrap();
    let bold = Format::new().set_bold();
    for sheet in &workbook.sheets {
        let worksheet = out.add_worksheet();
        worksheet.set_name(&sheet.name)?;
        let note_column = sheet.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let note_column = u16::try_from(note_column).unwrap_or(u16::MAX - 1);
        for row in &sheet.rows {
            let r = row.number.saturating_sub(1);
            for (c, cell) in row.cells.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Empty => {}
                    Cell::Text(t) => {
                        worksheet.write_string(r, c, t)?;
                    }
                    Cell::Number(n) => {
                        worksheet.write_number(r, c, *n)?;
                    }
                    Cell::Date(d) => {
                        let serial =
                            (*d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()).num_days();
                        worksheet.write_number_with_format(r, c, serial as f64, &date)?;
                    }
                    Cell::Bool(b) => {
                        worksheet.write_boolean(r, c, *b)?;
                    }
                    Cell::FormulaWithoutValue(formula) => {
                        worksheet.write_formula(r, c, format!("={formula}").as_str())?;
                    }
                    Cell::Error(e) => {
                        worksheet.write_string(r, c, e)?;
                    }
                }
            }
        }
        if let Some(first) = sheet.rows.first() {
            worksheet.write_string_with_format(first.number.saturating_sub(1), note_column, header, &bold)?;
            worksheet.set_column_width(note_column, 60)?;
        }
        for row in &sheet.rows {
            if let Some(note) = notes.get(&(sheet.name.clone(), row.number)) {
                worksheet.write_string_with_format(row.number.saturating_sub(1), note_column, note, &flagged)?;
            }
        }
    }
    out.save_to_buffer()
}

//! The scorecard with its evidence, and the funding table, as files: the figures `eval`
//! computed, written as they are (no figure is computed here), numbers as numbers.

use cncl_domain::task::FundingSource;
use cncl_domain::{Date, EntityKind, Lang};
use cncl_eval::criteria::{SetRef, Unit};
use cncl_eval::scorecard::CriterionResult;
use cncl_exchange::{CellOut, Column, ColumnKind, CsvStream, XlsxStream};

use crate::export::ExportFormat;
use crate::{Actor, App, AppError};

/// Which table of the scorecard a CSV file holds (a workbook holds both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScorecardTable {
    Figures,
    Evidence,
}

/// Rows a sheet takes before the next one starts (Excel's limit, less the two header rows).
const SHEET_ROWS: usize = 1_048_574;

fn failed(e: &dyn std::fmt::Display) -> AppError {
    AppError::internal(&format!("export: {e}"))
}

fn column(header: &str, key: &str, kind: ColumnKind) -> Column {
    Column { header: header.to_owned(), key: key.to_owned(), kind }
}

fn number(n: i128) -> CellOut {
    CellOut::Number(n as f64)
}

/// A file of one or more tables, each a sheet of a workbook (continued on further sheets
/// past Excel's row limit) or, for CSV, the one table asked for.
enum Tables {
    Xlsx { stream: Box<XlsxStream>, name: String, columns: Vec<Column>, rows: usize, part: usize },
    Csv(Box<CsvStream>),
}

impl Tables {
    fn new(format: ExportFormat, name: &str, columns: Vec<Column>) -> Result<Tables, AppError> {
        Ok(match format {
            ExportFormat::Xlsx => {
                let mut stream = Box::<XlsxStream>::default();
                stream.sheet(name, columns.clone()).map_err(|e| failed(&e))?;
                Tables::Xlsx { stream, name: name.to_owned(), columns, rows: 0, part: 1 }
            }
            ExportFormat::Csv => Tables::Csv(Box::new(CsvStream::new(&columns).map_err(|e| failed(&e))?)),
        })
    }

    /// Start the next table (a workbook's next sheet; CSV holds one table only).
    fn table(&mut self, name: &str, columns: Vec<Column>) -> Result<(), AppError> {
        if let Tables::Xlsx { stream, name: current, columns: current_columns, rows, part } = self {
            stream.sheet(name, columns.clone()).map_err(|e| failed(&e))?;
            (*current, *current_columns, *rows, *part) = (name.to_owned(), columns, 0, 1);
        }
        Ok(())
    }

    fn push(&mut self, row: Vec<CellOut>) -> Result<(), AppError> {
        match self {
            Tables::Xlsx { stream, name, columns, rows, part } => {
                if *rows == SHEET_ROWS {
                    *part += 1;
                    stream.sheet(&format!("{name} ({part})"), columns.clone()).map_err(|e| failed(&e))?;
                    *rows = 0;
                }
                *rows += 1;
                stream.push(row).map_err(|e| failed(&e))
            }
            Tables::Csv(stream) => stream.push(row).map_err(|e| failed(&e)),
        }
    }

    fn finish(self) -> Result<Vec<u8>, AppError> {
        match self {
            Tables::Xlsx { stream, .. } => stream.finish().map_err(|e| failed(&e)),
            Tables::Csv(stream) => stream.finish().map_err(|e| failed(&e)),
        }
    }
}

fn figure_columns(lang: Lang) -> Vec<Column> {
    let pick = |vi: &str, en: &str| lang.pick(vi, en).to_owned();
    vec![
        column(&pick("Phạm vi", "Scope"), "scope", ColumnKind::Text),
        column(&pick("Tiêu chí", "Criterion"), "criterion", ColumnKind::Text),
        column(&pick("Tên tiêu chí", "Name"), "name", ColumnKind::Text),
        column(&pick("Giá trị (% hoặc số)", "Value (% or count)"), "value", ColumnKind::Number),
        column(&pick("Tử số", "Numerator"), "numerator", ColumnKind::Number),
        column(&pick("Mẫu số", "Denominator"), "denominator", ColumnKind::Number),
        column(&pick("Mục tiêu", "Target"), "target", ColumnKind::Text),
        column(&pick("Hạn mục tiêu", "Target date"), "target_by", ColumnKind::Date),
        column(&pick("Trạng thái", "Status"), "status", ColumnKind::Text),
        column(&pick("Số bản ghi tử số", "Numerator records"), "numerator_records", ColumnKind::Number),
        column(&pick("Số bản ghi mẫu số", "Denominator records"), "denominator_records", ColumnKind::Number),
    ]
}

fn evidence_columns(lang: Lang) -> Vec<Column> {
    let pick = |vi: &str, en: &str| lang.pick(vi, en).to_owned();
    vec![
        column(&pick("Phạm vi", "Scope"), "scope", ColumnKind::Text),
        column(&pick("Tiêu chí", "Criterion"), "criterion", ColumnKind::Text),
        column(&pick("Vai trò", "Counted in"), "role", ColumnKind::Text),
        column(&pick("Loại hồ sơ", "Kind of record"), "kind", ColumnKind::Text),
        column("ID", "id", ColumnKind::Text),
    ]
}

/// A result as a row of the figures table.
fn figure_row(scope: &str, name: &str, result: &CriterionResult, lang: Lang) -> Vec<CellOut> {
    let value = match result.unit {
        Unit::Percent => result.percent,
        Unit::Count => result.value,
    };
    let target = result.target.as_ref();
    let unit = if result.unit == Unit::Percent { " %" } else { "" };
    let target_text = target.map(|t| match t.high {
        Some(high) => format!("{}–{high}{unit}", t.low),
        None => format!("{}{unit}", t.low),
    });
    let evidence = &result.evidence;
    vec![
        CellOut::Text(scope.to_owned()),
        CellOut::Text(result.criterion.clone()),
        CellOut::Text(name.to_owned()),
        value.map_or(CellOut::Empty, CellOut::Number),
        number(result.numerator),
        number(result.denominator),
        target_text.map_or(CellOut::Empty, CellOut::Text),
        target.map_or(CellOut::Empty, |t| CellOut::Date(t.by)),
        CellOut::Text(result.status.label(lang).to_owned()),
        CellOut::Number((evidence.numerator.len() + evidence.numerator_withheld) as f64),
        CellOut::Number((evidence.denominator.len() + evidence.denominator_withheld) as f64),
    ]
}

impl App {
    /// The scorecard on `as_of` as a file: a workbook of the figures and the records behind
    /// each (those the actor may see), or one of the two tables as CSV.
    pub async fn export_scorecard(
        &self,
        actor: &Actor,
        as_of: Date,
        criteria: Option<&SetRef>,
        format: ExportFormat,
        table: ScorecardTable,
        lang: Lang,
    ) -> Result<Vec<u8>, AppError> {
        let card = self.scorecard(actor, as_of, None, criteria).await?;
        let set = self.criteria_set(criteria).await?;
        let name = |id: &str| {
            set.criteria
                .iter()
                .find(|c| c.id == id)
                .map_or(String::new(), |c| lang.pick(&c.name_vi, &c.name_en).to_owned())
        };
        let programme = lang.pick("Chương trình", "Programme");
        let scopes: Vec<(&str, &[CriterionResult])> = card
            .products
            .iter()
            .map(|p| (p.product.as_str(), p.results.as_slice()))
            .chain(std::iter::once((programme, card.programme.as_slice())))
            .collect();
        let figures_sheet = lang.pick("chi-tieu", "scorecard");
        let evidence_sheet = lang.pick("ban-ghi", "evidence");
        let mut out = match (format, table) {
            (ExportFormat::Csv, ScorecardTable::Evidence) => {
                Tables::new(format, evidence_sheet, evidence_columns(lang))?
            }
            _ => Tables::new(format, figures_sheet, figure_columns(lang))?,
        };
        if format == ExportFormat::Xlsx || table == ScorecardTable::Figures {
            for (scope, results) in &scopes {
                for result in *results {
                    out.push(figure_row(scope, &name(&result.criterion), result, lang))?;
                }
            }
        }
        if format == ExportFormat::Xlsx {
            out.table(evidence_sheet, evidence_columns(lang))?;
        }
        if format == ExportFormat::Xlsx || table == ScorecardTable::Evidence {
            let roles = [lang.pick("tử số", "numerator"), lang.pick("mẫu số", "denominator")];
            for (scope, results) in &scopes {
                for result in *results {
                    let lists = [&result.evidence.numerator, &result.evidence.denominator];
                    for (role, records) in roles.iter().zip(lists) {
                        for record in records {
                            let kind = EntityKind::from_resource(record.kind).map_or(record.kind, |k| k.label(lang));
                            out.push(vec![
                                CellOut::Text((*scope).to_owned()),
                                CellOut::Text(result.criterion.clone()),
                                CellOut::Text((*role).to_owned()),
                                CellOut::Text(kind.to_owned()),
                                CellOut::Text(record.id.to_string()),
                            ])?;
                        }
                    }
                }
            }
        }
        out.finish()
    }

    /// The funding table on `as_of` as a file: by year (sources, state share against the
    /// ceiling) and, in a workbook, by product.
    pub async fn export_funding(
        &self,
        actor: &Actor,
        as_of: Date,
        format: ExportFormat,
        lang: Lang,
    ) -> Result<Vec<u8>, AppError> {
        let summary = self.funding(actor, as_of).await?;
        let pick = |vi: &str, en: &str| lang.pick(vi, en).to_owned();
        let sources: Vec<Column> =
            FundingSource::ALL.iter().map(|s| column(s.label(lang), s.as_str(), ColumnKind::Money)).collect();
        let mut years = vec![column(&pick("Năm", "Year"), "year", ColumnKind::Number)];
        years.extend(sources.iter().cloned());
        years.extend([
            column(&pick("Ngân sách nhà nước", "State budget"), "state_vnd", ColumnKind::Money),
            column(&pick("Tổng", "Total"), "total_vnd", ColumnKind::Money),
            column(&pick("Đã giải ngân", "Disbursed"), "disbursed_vnd", ColumnKind::Money),
            column(&pick("Chi NSNN cho KH&CN", "State S&T spending"), "st_spending_vnd", ColumnKind::Money),
            column(&pick("Tỷ lệ NSNN (%)", "State share (%)"), "state_share_percent", ColumnKind::Number),
            column(&pick("Vượt trần", "Over the ceiling"), "over_ceiling", ColumnKind::Text),
        ]);
        let by_source = |map: &std::collections::BTreeMap<FundingSource, i128>| {
            FundingSource::ALL.iter().map(|s| number(map.get(s).copied().unwrap_or(0))).collect::<Vec<_>>()
        };
        let mut out = Tables::new(format, lang.pick("theo-nam", "by-year"), years)?;
        for year in &summary.years {
            let mut row = vec![CellOut::Number(f64::from(year.year))];
            row.extend(by_source(&year.by_source));
            row.extend([
                number(year.state_vnd),
                number(year.total_vnd),
                number(year.disbursed_vnd),
                year.st_spending_vnd.map_or(CellOut::Empty, number),
                year.state_share_percent.map_or(CellOut::Empty, CellOut::Number),
                CellOut::Text(
                    lang.pick(
                        if year.over_ceiling { "Có" } else { "Không" },
                        if year.over_ceiling { "Yes" } else { "No" },
                    )
                    .to_owned(),
                ),
            ]);
            out.push(row)?;
        }
        if format == ExportFormat::Xlsx {
            let mut products = vec![column(&pick("Sản phẩm", "Product"), "product", ColumnKind::Text)];
            products.extend(sources);
            products.extend([
                column(&pick("Tổng", "Total"), "total_vnd", ColumnKind::Money),
                column(&pick("Đã giải ngân", "Disbursed"), "disbursed_vnd", ColumnKind::Money),
            ]);
            out.table(lang.pick("theo-san-pham", "by-product"), products)?;
            for product in &summary.products {
                let mut row = vec![CellOut::Text(product.product.clone())];
                row.extend(by_source(&product.by_source));
                row.extend([number(product.total_vnd), number(product.disbursed_vnd)]);
                out.push(row)?;
            }
        }
        out.finish()
    }
}

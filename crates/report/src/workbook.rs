//! The report's tables as an `.xlsx` workbook: a sheet per section, numbers as numbers
//! (money as `#.##0 ₫`), headers frozen, dated by the report rather than the clock.

use cncl_domain::Lang;
use cncl_domain::task::FundingSource;
use cncl_eval::criteria::Unit;
use cncl_eval::scorecard::CriterionResult;
use cncl_exchange::{CellOut, Column, ColumnKind, XlsxStream};

use crate::ReportError;
use crate::content::{basis, target_in, target_text};
use crate::input::ReportInput;

fn column(header: &str, key: &str, kind: ColumnKind) -> Column {
    Column { header: header.to_owned(), key: key.to_owned(), kind }
}

fn text(value: impl Into<String>) -> CellOut {
    CellOut::Text(value.into())
}

fn failed(e: impl std::fmt::Display) -> ReportError {
    ReportError::Layout(e.to_string())
}

/// The columns of a table of figures, after those naming its scope.
fn figure_columns(lang: Lang) -> Vec<Column> {
    let t = |vi, en| lang.pick(vi, en);
    vec![
        column(t("Mã tiêu chí", "Criterion code"), "criterion", ColumnKind::Text),
        column(t("Tiêu chí", "Criterion"), "name", ColumnKind::Text),
        column(t("Giá trị", "Value"), "value", ColumnKind::Number),
        column(t("Đơn vị", "Unit"), "unit", ColumnKind::Text),
        column(t("Mục tiêu 2027", "2027 target"), "target_2027", ColumnKind::Text),
        column(t("Mục tiêu 2030", "2030 target"), "target_2030", ColumnKind::Text),
        column(t("Tình trạng", "Status"), "status", ColumnKind::Text),
    ]
}

/// A figure's row: the value as a number (per cent for a share), its targets and status.
fn figure_row(input: &ReportInput<'_>, result: &CriterionResult) -> Option<Vec<CellOut>> {
    let lang = input.lang;
    let criterion = input.set.criteria.iter().find(|c| c.id == result.criterion)?;
    let (value, unit) = match criterion.unit {
        Unit::Percent => (result.percent, "%"),
        Unit::Count => (result.value, lang.pick("số lượng", "count")),
    };
    Some(vec![
        text(&result.criterion),
        text(lang.pick(&criterion.name_vi, &criterion.name_en)),
        value.map_or(CellOut::Empty, CellOut::Number),
        text(unit),
        text(target_text(criterion, target_in(criterion, 2027), lang)),
        text(target_text(criterion, target_in(criterion, 2030), lang)),
        text(result.status.label(lang)),
    ])
}

fn money(vnd: i128) -> CellOut {
    CellOut::Number(vnd as f64)
}

/// Funding by year against the ceiling, and by source.
fn funding_sheets(book: &mut XlsxStream, input: &ReportInput<'_>) -> Result<(), ReportError> {
    let lang = input.lang;
    let t = |vi, en| lang.pick(vi, en);
    let funding = vec![
        column(t("Năm", "Year"), "year", ColumnKind::Number),
        column(t("Ngân sách nhà nước", "State budget"), "state_vnd", ColumnKind::Money),
        column(t("Tổng kinh phí", "Total"), "total_vnd", ColumnKind::Money),
        column(t("Chi NSNN cho KH&CN", "State S&T spending"), "st_spending_vnd", ColumnKind::Money),
        column(t("Tỷ lệ trên chi KH&CN (%)", "Share of S&T spending (%)"), "share_percent", ColumnKind::Number),
        column(t("Vượt trần", "Over the ceiling"), "over_ceiling", ColumnKind::Text),
    ];
    book.sheet(t("Kinh phí", "Funding"), funding).map_err(failed)?;
    for year in &input.funding.years {
        book.push(vec![
            CellOut::Number(f64::from(year.year)),
            money(year.state_vnd),
            money(year.total_vnd),
            year.st_spending_vnd.map_or(CellOut::Empty, money),
            year.state_share_percent.map_or(CellOut::Empty, CellOut::Number),
            text(if year.over_ceiling { t("Có", "Yes") } else { t("Không", "No") }),
        ])
        .map_err(failed)?;
    }

    let sources = vec![
        column(t("Nguồn", "Source"), "source", ColumnKind::Text),
        column(t("Kế hoạch", "Planned"), "planned_vnd", ColumnKind::Money),
    ];
    book.sheet(t("Nguồn kinh phí", "Funding sources"), sources).map_err(failed)?;
    for source in FundingSource::ALL {
        let planned = input.funding.by_source.get(source).copied().unwrap_or_default();
        book.push(vec![text(source.label(lang)), money(planned)]).map_err(failed)?;
    }
    Ok(())
}

/// The products' assessments of the quarter.
fn commentary_sheet(book: &mut XlsxStream, input: &ReportInput<'_>) -> Result<(), ReportError> {
    let lang = input.lang;
    let t = |vi, en| lang.pick(vi, en);
    let columns = vec![
        column(t("Sản phẩm", "Product"), "product", ColumnKind::Text),
        column(t("Ngày đánh giá", "Written on"), "written_on", ColumnKind::Date),
        column(t("Kết quả trong quý", "What moved"), "progress", ColumnKind::Text),
        column(t("Rủi ro", "What is at risk"), "risks", ColumnKind::Text),
        column(t("Giải pháp đang triển khai", "What is being done"), "actions", ColumnKind::Text),
    ];
    book.sheet(t("Đánh giá", "Assessments"), columns).map_err(failed)?;
    for commentary in input.commentaries {
        let code = commentary.product_code.as_str();
        let name = input.products.iter().find(|p| p.code.as_str() == code).map_or(code, |p| p.name(lang));
        let optional = |v: &Option<cncl_domain::values::Text>| v.as_ref().map_or(CellOut::Empty, |v| text(v.as_str()));
        book.push(vec![
            text(name),
            CellOut::Date(commentary.written_on.into()),
            text(commentary.progress.as_str()),
            optional(&commentary.risks),
            optional(&commentary.actions),
        ])
        .map_err(failed)?;
    }
    Ok(())
}

fn count(n: usize) -> CellOut {
    CellOut::Number(n as f64)
}

/// The tasks in each status per product (the programme last), with the products' chief
/// engineer and architect; and the appendix: the records behind each figure.
fn task_sheets(book: &mut XlsxStream, input: &ReportInput<'_>) -> Result<(), ReportError> {
    let lang = input.lang;
    let t = |vi, en| lang.pick(vi, en);
    let mut columns = vec![column(t("Sản phẩm", "Product"), "product", ColumnKind::Text)];
    columns.extend(
        cncl_domain::task::TaskStatus::ALL.iter().map(|s| column(s.label(lang), s.as_str(), ColumnKind::Number)),
    );
    columns.push(column(t("Tổng cộng", "Total"), "total", ColumnKind::Number));
    columns.push(column(t("Tổng công trình sư", "Chief engineer"), "chief_engineer", ColumnKind::Text));
    columns.push(column(t("Kiến trúc sư trưởng", "Chief architect"), "chief_architect", ColumnKind::Text));
    book.sheet(t("Nhiệm vụ", "Tasks"), columns).map_err(failed)?;
    let tasks = input.tasks;
    let yes_no = |held: bool| text(if held { t("Có", "Yes") } else { t("Chưa có", "None") });
    let rows =
        tasks.by_product.iter().map(|c| (c, tasks.charges.iter().find(|p| Some(&p.product) == c.product.as_ref())));
    for (counts, charge) in rows.chain(std::iter::once((&tasks.programme, None))) {
        let name = match &counts.product {
            Some(code) => {
                input.products.iter().find(|p| p.code.as_str() == code).map_or(code.as_str(), |p| p.name(lang))
            }
            None => t("Toàn Chương trình", "Programme"),
        };
        let mut cells = vec![text(name)];
        cells.extend(counts.counts.iter().map(|(_, n)| count(*n)));
        cells.push(count(counts.total));
        cells.push(charge.map_or(CellOut::Empty, |c| yes_no(c.chief_engineer)));
        cells.push(charge.map_or(CellOut::Empty, |c| yes_no(c.chief_architect)));
        book.push(cells).map_err(failed)?;
    }

    let columns = vec![
        column(t("Phạm vi", "Scope"), "scope", ColumnKind::Text),
        column(t("Tiêu chí", "Criterion"), "criterion", ColumnKind::Text),
        column(t("Hồ sơ ở tử số", "Records counted"), "numerator_records", ColumnKind::Number),
        column(t("Hồ sơ ở mẫu số", "Records in the base"), "denominator_records", ColumnKind::Number),
    ];
    book.sheet(t("Phụ lục hồ sơ", "Appendix"), columns).map_err(failed)?;
    for row in crate::tasks::evidence_rows(input) {
        book.push(vec![text(row.scope), text(row.criterion), count(row.numerator), count(row.denominator)])
            .map_err(failed)?;
    }

    let columns = vec![
        column(t("Tiêu chí", "Criterion"), "criterion", ColumnKind::Text),
        column(t("Chỉ số", "Indicator"), "indicator", ColumnKind::Text),
        column(t("Tham số", "Parameters"), "parameters", ColumnKind::Text),
        column(t("Căn cứ", "Source"), "source", ColumnKind::Text),
    ];
    book.sheet(t("Cách tính", "Rules"), columns).map_err(failed)?;
    for row in crate::tasks::rule_rows(input) {
        book.push(vec![text(row.criterion), text(row.indicator), text(row.parameters), text(row.source)])
            .map_err(failed)?;
    }
    Ok(())
}

/// The report's tables as a workbook.
pub(crate) fn workbook(input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
    let lang = input.lang;
    let t = |vi, en| lang.pick(vi, en);
    let mut book =
        XlsxStream::new().described(input.issued_on.into(), Some(&crate::content::keywords(input))).map_err(failed)?;

    let mut by_product = vec![column(t("Sản phẩm", "Product"), "product", ColumnKind::Text)];
    by_product.extend(figure_columns(lang));
    book.sheet(t("Theo sản phẩm", "By product"), by_product).map_err(failed)?;
    for card in &input.scorecard.products {
        let name = input
            .products
            .iter()
            .find(|p| p.code.as_str() == card.product)
            .map_or(card.product.as_str(), |p| p.name(lang));
        for result in &card.results {
            if let Some(row) = figure_row(input, result) {
                let mut cells = vec![text(name)];
                cells.extend(row);
                book.push(cells).map_err(failed)?;
            }
        }
    }

    book.sheet(t("Toàn Chương trình", "Programme"), figure_columns(lang)).map_err(failed)?;
    for result in &input.scorecard.programme {
        if let Some(row) = figure_row(input, result) {
            book.push(row).map_err(failed)?;
        }
    }

    funding_sheets(&mut book, input)?;
    commentary_sheet(&mut book, input)?;
    task_sheets(&mut book, input)?;

    let warning_columns = vec![
        column(t("Cảnh báo", "Warning"), "warning", ColumnKind::Text),
        column(t("Nội dung", "About"), "detail", ColumnKind::Text),
    ];
    book.sheet(t("Cảnh báo", "Warnings"), warning_columns).map_err(failed)?;
    for warning in input.warnings {
        book.push(vec![text(warning.label(lang)), text(warning.detail(lang, input.products))]).map_err(failed)?;
    }

    let basis_columns = vec![
        column(t("Căn cứ", "Basis"), "label", ColumnKind::Text),
        column(t("Giá trị", "Value"), "value", ColumnKind::Text),
    ];
    book.sheet(t("Căn cứ số liệu", "Basis"), basis_columns).map_err(failed)?;
    for line in basis(input) {
        let field = |key: &str| line.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        book.push(vec![text(field("label")), text(field("value"))]).map_err(failed)?;
    }
    book.finish().map_err(failed)
}

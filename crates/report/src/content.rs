//! The report's words and tables, as the data the template lays out: every figure as
//! `eval` computed it, written the way the reader's language writes numbers and dates.

use chrono::Datelike;
use cncl_domain::format::{format_count, format_date, format_percent};
use cncl_domain::task::FundingSource;
use cncl_domain::{Date, Lang};
use cncl_eval::CriteriaSet;
use cncl_eval::criteria::{Comparator, Criterion, Target, Unit};
use cncl_eval::funding::FundingSummary;
use cncl_eval::scorecard::CriterionResult;
use serde_json::{Value, json};

use crate::input::ReportInput;

/// What a file's metadata says of the report (PDF keywords, workbook keywords): how a copy
/// that is no longer byte-identical is traced back to the report it claims to be.
pub(crate) fn keywords(input: &ReportInput<'_>) -> String {
    let (seq, hash) = input.audit_head;
    match input.publication {
        Some(publication) => format!("{REPORT_KEYWORD} {} audit head {seq} {hash}", publication.id),
        None => format!("cncl draft audit head {seq} {hash}"),
    }
}

/// The QR code of the published report's address, as SVG, for the footer; a draft has none.
fn address_code(input: &ReportInput<'_>) -> Value {
    let Some(publication) = input.publication else { return Value::Null };
    // An address of a few dozen characters always fits a QR code; a failure leaves the
    // printed address alone on the page rather than failing the report.
    match qrcode::QrCode::with_error_correction_level(publication.url(), qrcode::EcLevel::M) {
        Ok(code) => Value::from(code.render::<qrcode::render::svg::Color<'_>>().quiet_zone(false).build()),
        Err(_) => Value::Null,
    }
}

/// The word before a published report's id in its files' metadata.
pub(crate) const REPORT_KEYWORD: &str = "cncl-report";

/// The line at the foot of every page: where to check the report, and the audit log's head
/// it was computed at, shortened.
fn verification_line(input: &ReportInput<'_>) -> String {
    let (seq, hash) = input.audit_head;
    let short = hash.get(..12).unwrap_or(hash);
    match (input.publication, input.lang) {
        (Some(p), Lang::Vi) => format!("Kiểm tra bản này tại {} · sổ kiểm toán #{seq} {short}", p.url()),
        (Some(p), Lang::En) => format!("Check this copy at {} · audit log #{seq} {short}", p.url()),
        (None, Lang::Vi) => format!("Bản dựng chưa công bố · sổ kiểm toán #{seq} {short}"),
        (None, Lang::En) => format!("Draft, not published · audit log #{seq} {short}"),
    }
}

/// The place and date line as Decree 30 writes it: a leading zero for days 1–9 and for
/// months 1 and 2 (`Hà Nội, ngày 05 tháng 02 năm 2026`).
pub(crate) fn place_and_date(date: Date, lang: Lang) -> String {
    let date: chrono::NaiveDate = date.into();
    match lang {
        Lang::Vi => {
            let month = if date.month() <= 2 { format!("{:02}", date.month()) } else { date.month().to_string() };
            format!("Hà Nội, ngày {:02} tháng {month} năm {}", date.day(), date.year())
        }
        Lang::En => format!("Hà Nội, {}", format_date(date, lang)),
    }
}

fn value_text(result: &CriterionResult, lang: Lang) -> String {
    match (result.unit, result.value, result.percent) {
        (_, None, _) => "—".to_owned(),
        (Unit::Percent, Some(_), Some(percent)) => format_percent(percent, lang),
        (Unit::Percent, Some(value), None) => format_percent(value * 100.0, lang),
        (Unit::Count, Some(value), _) => format_count(value.round() as i64, lang),
    }
}

pub(crate) fn target_text(criterion: &Criterion, target: Option<&Target>, lang: Lang) -> String {
    let Some(target) = target else { return "—".to_owned() };
    let number = |v: i64| match criterion.unit {
        Unit::Percent => format!("{v} %"),
        Unit::Count => format_count(v, lang),
    };
    match (target.high, criterion.comparator) {
        (Some(high), _) => format!("{}–{}", number(target.low), number(high)),
        (None, Comparator::AtLeast) => format!("≥ {}", number(target.low)),
        (None, Comparator::AtMost) => format!("≤ {}", number(target.low)),
    }
}

/// The target a criterion sets for the milestone of `year`.
pub(crate) fn target_in(criterion: &Criterion, year: i32) -> Option<&Target> {
    criterion.targets.iter().find(|t| t.by.year() == year)
}

fn rows(results: &[CriterionResult], set: &CriteriaSet, lang: Lang) -> Vec<Value> {
    results
        .iter()
        .filter_map(|result| {
            let criterion = set.criteria.iter().find(|c| c.id == result.criterion)?;
            Some(json!({
                "id": result.criterion,
                "name": lang.pick(&criterion.name_vi, &criterion.name_en),
                "value": value_text(result, lang),
                "target_2027": target_text(criterion, target_in(criterion, 2027), lang),
                "target_2030": target_text(criterion, target_in(criterion, 2030), lang),
                "status": result.status.label(lang),
            }))
        })
        .collect()
}

/// An amount in đồng as the language writes it: 1.250.000 đ or 1,250,000 VND.
fn amount(vnd: i128, lang: Lang) -> String {
    let whole = i64::try_from(vnd).unwrap_or(i64::MAX);
    match lang {
        Lang::Vi => format!("{} đ", format_count(whole, lang)),
        Lang::En => format!("{} VND", format_count(whole, lang)),
    }
}

/// Each year's funding: the state budget against the state's S&T spending and the ceiling.
fn funding_rows(funding: &FundingSummary, lang: Lang) -> Vec<Value> {
    funding
        .years
        .iter()
        .map(|year| {
            let within = match (year.state_share_percent, year.over_ceiling) {
                (None, _) => lang.pick("chưa có số chi KH&CN", "no S&T spending recorded"),
                (Some(_), true) => lang.pick("Vượt trần", "Over the ceiling"),
                (Some(_), false) => lang.pick("Trong trần", "Within the ceiling"),
            };
            json!({
                "year": year.year.to_string(),
                "state": amount(year.state_vnd, lang),
                "total": amount(year.total_vnd, lang),
                "share": year.state_share_percent.map_or_else(|| "—".to_owned(), |p| format_percent(p, lang)),
                "within": within,
            })
        })
        .collect()
}

/// Planned funding by source, all years.
fn source_rows(funding: &FundingSummary, lang: Lang) -> Vec<Value> {
    FundingSource::ALL
        .iter()
        .map(|source| {
            let planned = funding.by_source.get(source).copied().unwrap_or_default();
            json!({ "source": source.label(lang), "amount": amount(planned, lang) })
        })
        .collect()
}

/// What the figures rest on, so that anyone can compute them again: the date, the criteria
/// set, the bill-of-materials rule, and the audit log's head.
pub(crate) fn basis(input: &ReportInput<'_>) -> Vec<Value> {
    let lang = input.lang;
    let card = input.scorecard;
    let rule = input.bom_rule_text();
    let (seq, hash) = input.audit_head;
    [
        (lang.pick("Số liệu tính đến ngày", "Figures as of"), format_date(input.as_of, lang)),
        (lang.pick("Bộ tiêu chí", "Criteria set"), format!("{} @ {}", card.criteria_set, card.criteria_version)),
        (lang.pick("Quy tắc tính C1a, C1b", "Rule for C1a and C1b"), rule),
        (lang.pick("Nhật ký kiểm toán: bản ghi cuối", "Audit log: last entry"), seq.to_string()),
        (lang.pick("Nhật ký kiểm toán: mã băm", "Audit log: hash"), hash.clone()),
    ]
    .into_iter()
    .map(|(label, value)| json!({ "label": label, "value": value }))
    .collect()
}

/// The office's warnings, worded as the governance page words them.
fn warning_rows(input: &ReportInput<'_>) -> Vec<Value> {
    let lang = input.lang;
    input.warnings.iter().map(|w| json!({ "label": w.label(lang), "detail": w.detail(lang, input.products) })).collect()
}

/// The words every report of a language carries: the headings of Decree 30's layout, the
/// sections' titles, the tables' columns, the recipients and the signer.
fn fixed_words(lang: Lang) -> serde_json::Map<String, Value> {
    let t = |vi: &str, en: &str| lang.pick(vi, en).to_owned();
    let words = json!({
        "lang": lang.code(),
        "issuer": t("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "MINISTRY OF SCIENCE AND TECHNOLOGY"),
        "number": t("Số:        /BC-BKHCN", "No.:        /BC-BKHCN"),
        "nation": t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
        "motto": t("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
        "title": t("BÁO CÁO", "REPORT"),
        "overview_heading": t("I. TỔNG QUAN", "I. OVERVIEW"),
        "products_heading": t("II. KẾT QUẢ THEO TỪNG SẢN PHẨM", "II. RESULTS BY PRODUCT"),
        "trend_caption": t("Diễn biến theo quý", "Quarter by quarter"),
        "assessment_heading": t("Đánh giá trong quý", "Assessment of the quarter"),
        "assessment_labels": [
            t("Kết quả trong quý", "What moved"),
            t("Rủi ro", "What is at risk"),
            t("Giải pháp đang triển khai", "What is being done"),
        ],
        "programme_heading": t("III. MỤC TIÊU TOÀN CHƯƠNG TRÌNH", "III. PROGRAMME TARGETS"),
        "funding_heading": t("IV. KINH PHÍ", "IV. FUNDING"),
        "funding_columns": [
            t("Năm", "Year"),
            t("Ngân sách nhà nước", "State budget"),
            t("Tổng kinh phí", "Total"),
            t("Tỷ lệ trên chi KH&CN", "Share of S&T spending"),
            t("Trần 15 %", "15 % ceiling"),
        ],
        "source_columns": [t("Nguồn", "Source"), t("Kế hoạch", "Planned")],
        "warnings_heading": t("VI. CẢNH BÁO CỦA VĂN PHÒNG CHƯƠNG TRÌNH", "VI. THE PROGRAMME OFFICE'S WARNINGS"),
        "no_warnings": t("Không có cảnh báo.", "No warnings."),
        "basis_heading": t("VII. CĂN CỨ SỐ LIỆU", "VII. WHAT THE FIGURES REST ON"),
        "columns": [
            t("Tiêu chí", "Criterion"),
            t("Giá trị", "Value"),
            t("Mục tiêu 2027", "2027 target"),
            t("Mục tiêu 2030", "2030 target"),
            t("Tình trạng", "Status"),
        ],
        "recipients_heading": t("Nơi nhận:", "Recipients:"),
        "recipients": [
            t("- Thủ tướng Chính phủ (để báo cáo);", "- The Prime Minister (to report);"),
            t("- Tổ công tác triển khai Chương trình;", "- The Programme Implementation Task Force;"),
            t("- Lưu: VT, Văn phòng Chương trình.", "- Archived: Records, Programme Office."),
        ],
        "signer_title": t("BỘ TRƯỞNG", "MINISTER"),
    });
    match words {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// The product's assessment of the quarter, by its chief engineer or the office.
fn assessment(input: &ReportInput<'_>, product: &str) -> Value {
    let Some(commentary) = input.commentaries.iter().find(|c| c.product_code.as_str() == product) else {
        return Value::Null;
    };
    let lang = input.lang;
    let text = |t: &Option<cncl_domain::values::Text>| t.as_ref().map(|t| t.as_str().to_owned());
    json!({
        "written_on": format_date(commentary.written_on, lang),
        "progress": commentary.progress.as_str(),
        "risks": text(&commentary.risks),
        "actions": text(&commentary.actions),
    })
}

/// Each product's section: its figures, its assessment and its trend.
fn product_sections(input: &ReportInput<'_>) -> Vec<Value> {
    let lang = input.lang;
    input
        .scorecard
        .products
        .iter()
        .map(|card| {
            let name = input
                .products
                .iter()
                .find(|p| p.code.as_str() == card.product)
                .map_or(card.product.as_str(), |p| p.name(lang));
            json!({
                "code": card.product,
                "name": name,
                "rows": rows(&card.results, input.set, lang),
                "chart": crate::chart::trend(card, input.set, lang),
                "assessment": assessment(input, &card.product),
            })
        })
        .collect()
}

/// The report as the data `report.typ` lays out.
pub(crate) fn content(input: &ReportInput<'_>) -> Value {
    let lang = input.lang;
    let quarter = input.quarter;
    let (set, version) = (&input.scorecard.criteria_set, &input.scorecard.criteria_version);
    let as_of = format_date(input.as_of, lang);
    let products = product_sections(input);
    let (subject, overview) = match lang {
        Lang::Vi => (
            format!(
                "Tình hình thực hiện Chương trình phát triển sản phẩm công nghệ chiến lược quý {} năm {}",
                quarter.roman(),
                quarter.year
            ),
            format!(
                "Các số liệu dưới đây được tính đến ngày {as_of} từ dữ liệu đã ghi nhận, theo bộ tiêu chí {set} phiên bản {version} (Quyết định 2815/QĐ-TTg)."
            ),
        ),
        Lang::En => (
            format!(
                "Progress of the Programme for the development of strategic technology products, quarter {} of {}",
                quarter.roman(),
                quarter.year
            ),
            format!(
                "The figures below are as of {as_of}, computed from the recorded facts against criteria set {set} version {version} (Decision 2815/QĐ-TTg)."
            ),
        ),
    };
    let mut words = fixed_words(lang);
    words.extend(crate::tasks::fixed_words(lang));
    for (key, value) in [
        ("place_date", Value::from(place_and_date(input.issued_on, lang))),
        ("subject", Value::from(subject)),
        ("overview", Value::from(overview)),
        ("products", Value::from(products)),
        ("programme", Value::from(rows(&input.scorecard.programme, input.set, lang))),
        ("funding", Value::from(funding_rows(input.funding, lang))),
        ("sources", Value::from(source_rows(input.funding, lang))),
        ("basis", Value::from(basis(input))),
        ("warnings", Value::from(warning_rows(input))),
        ("tasks", crate::tasks::section(input)),
        ("appendix", Value::from(crate::tasks::appendix(input))),
        ("rules", Value::from(crate::tasks::rules(input))),
        ("keywords", Value::from(keywords(input))),
        ("verification", Value::from(verification_line(input))),
        ("address_code", address_code(input)),
    ] {
        words.insert(key.to_owned(), value);
    }
    Value::Object(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_line_writes_leading_zeros_as_decree_30_does() {
        let on = |y, m, d| Date::from_ymd(y, m, d).unwrap_or(Date::MIN);
        assert_eq!(place_and_date(on(2026, 2, 5), Lang::Vi), "Hà Nội, ngày 05 tháng 02 năm 2026");
        assert_eq!(place_and_date(on(2026, 12, 31), Lang::Vi), "Hà Nội, ngày 31 tháng 12 năm 2026");
        assert_eq!(place_and_date(on(2026, 3, 9), Lang::Vi), "Hà Nội, ngày 09 tháng 3 năm 2026");
    }
}

//! The report's section on tasks and its appendix of evidence, as data for the template
//! and rows for the workbook: what `app` counted, in the reader's language.

use cncl_app::task_overview::TaskOverview;
use cncl_domain::Lang;
use cncl_domain::format::{format_count, format_date, format_percent};
use serde_json::{Value, json};

use crate::input::ReportInput;

/// Overdue items listed by name; the rest are counted.
const OVERDUE_LISTED: usize = 10;

fn count(n: usize, lang: Lang) -> String {
    format_count(i64::try_from(n).unwrap_or(i64::MAX), lang)
}

fn product_name<'a>(input: &'a ReportInput<'_>, code: &'a str) -> &'a str {
    input.products.iter().find(|p| p.code.as_str() == code).map_or(code, |p| p.name(input.lang))
}

fn yes_no(held: bool, lang: Lang) -> &'static str {
    match held {
        true => lang.pick("Đã bổ nhiệm", "Appointed"),
        false => lang.pick("Chưa có", "None"),
    }
}

/// The words of the section and the appendix: headings and columns.
pub(crate) fn fixed_words(lang: Lang) -> serde_json::Map<String, Value> {
    let t = |vi: &str, en: &str| lang.pick(vi, en).to_owned();
    let words = json!({
        "tasks_heading": t("V. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", "V. THE TASKS"),
        "status_columns": [t("Trạng thái", "Status"), t("Số nhiệm vụ", "Tasks")],
        "total_label": t("Tổng cộng", "Total"),
        "task_product_columns": [
            t("Sản phẩm", "Product"),
            t("Số nhiệm vụ", "Tasks"),
            t("Đã giao trở đi", "Assigned or further"),
            t("Tổng công trình sư", "Chief engineer"),
            t("Kiến trúc sư trưởng", "Chief architect"),
        ],
        "appendix_heading": t("PHỤ LỤC: SỐ HỒ SƠ LÀM CĂN CỨ CHO TỪNG SỐ LIỆU", "APPENDIX: THE RECORDS BEHIND EACH FIGURE"),
        "rules_heading": t("Cách tính từng số liệu", "How each figure is computed"),
        "rules_columns": [
            t("Tiêu chí", "Criterion"),
            t("Chỉ số (docs/indicators.md)", "Indicator (docs/indicators.md)"),
            t("Tham số", "Parameters"),
            t("Căn cứ", "Source"),
        ],
        "appendix_columns": [
            t("Phạm vi", "Scope"),
            t("Tiêu chí", "Criterion"),
            t("Hồ sơ ở tử số", "Records counted"),
            t("Hồ sơ ở mẫu số", "Records in the base"),
        ],
    });
    match words {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// The section as `report.typ` reads it.
pub(crate) fn section(input: &ReportInput<'_>) -> Value {
    let lang = input.lang;
    let tasks = input.tasks;
    let by_status: Vec<Value> = tasks
        .programme
        .counts
        .iter()
        .map(|(status, n)| json!({ "status": status.label(lang), "count": count(*n, lang) }))
        .collect();
    let products: Vec<Value> = tasks
        .by_product
        .iter()
        .zip(&tasks.charges)
        .map(|(counts, charge)| {
            let assigned = counts.counts.iter().filter(|(s, _)| s.is_assigned()).map(|(_, n)| n).sum::<usize>();
            json!({
                "name": product_name(input, counts.product.as_deref().unwrap_or_default()),
                "total": count(counts.total, lang),
                "assigned": count(assigned, lang),
                "chief_engineer": yes_no(charge.chief_engineer, lang),
                "chief_architect": yes_no(charge.chief_architect, lang),
            })
        })
        .collect();
    let share = match tasks.assigned {
        0 => "—".to_owned(),
        n => format_percent(tasks.seven_clear as f64 * 100.0 / n as f64, lang),
    };
    let seven_clear = match lang {
        Lang::Vi => format!(
            "{} trên {} nhiệm vụ đã giao có đủ “7 rõ” ({share}).",
            count(tasks.seven_clear, lang),
            count(tasks.assigned, lang)
        ),
        Lang::En => format!(
            "{} of the {} tasks assigned have all 7 clear ({share}).",
            count(tasks.seven_clear, lang),
            count(tasks.assigned, lang)
        ),
    };
    json!({
        "by_status": by_status,
        "total": count(tasks.programme.total, lang),
        "products": products,
        "seven_clear": seven_clear,
        "overdue": overdue_lines(tasks, lang),
    })
}

/// The overdue milestones and deliverables: how many, and the longest overdue by name.
fn overdue_lines(tasks: &TaskOverview, lang: Lang) -> Vec<String> {
    let (milestones, deliverables) = (tasks.overdue_milestones.len(), tasks.overdue_deliverables.len());
    let mut lines = vec![match lang {
        Lang::Vi => format!(
            "Đến ngày {}: {} mốc tiến độ và {} sản phẩm bàn giao quá hạn.",
            format_date(tasks.as_of, lang),
            count(milestones, lang),
            count(deliverables, lang)
        ),
        Lang::En => format!(
            "On {}: {} milestones and {} deliverables overdue.",
            format_date(tasks.as_of, lang),
            count(milestones, lang),
            count(deliverables, lang)
        ),
    }];
    let mut items: Vec<_> = tasks.overdue_milestones.iter().chain(&tasks.overdue_deliverables).collect();
    items.sort_by(|a, b| (a.due_on, &a.task_code).cmp(&(b.due_on, &b.task_code)));
    lines.extend(
        items
            .iter()
            .take(OVERDUE_LISTED)
            .map(|item| format!("{}: {} ({})", item.task_code, item.name, format_date(item.due_on, lang))),
    );
    if items.len() > OVERDUE_LISTED {
        lines.push(match lang {
            Lang::Vi => format!("… và {} mục khác.", count(items.len() - OVERDUE_LISTED, lang)),
            Lang::En => format!("… and {} more.", count(items.len() - OVERDUE_LISTED, lang)),
        });
    }
    lines
}

/// One row of the appendix: a figure and how many records it rests on.
pub(crate) struct EvidenceRow<'a> {
    pub scope: &'a str,
    pub criterion: &'a str,
    pub numerator: usize,
    pub denominator: usize,
}

/// Every figure of the scorecard with the number of records behind it, products first.
pub(crate) fn evidence_rows<'a>(input: &'a ReportInput<'_>) -> Vec<EvidenceRow<'a>> {
    let programme = input.lang.pick("Toàn Chương trình", "Programme");
    let cards = input.scorecard.products.iter().map(|card| (product_name(input, &card.product), &card.results));
    cards
        .chain(std::iter::once((programme, &input.scorecard.programme)))
        .flat_map(|(scope, results)| {
            results.iter().map(move |r| EvidenceRow {
                scope,
                criterion: &r.criterion,
                numerator: r.evidence.numerator.len() + r.evidence.numerator_withheld,
                denominator: r.evidence.denominator.len() + r.evidence.denominator_withheld,
            })
        })
        .collect()
}

/// The appendix as `report.typ` reads it: a group of rows per product, the programme last.
pub(crate) fn appendix(input: &ReportInput<'_>) -> Vec<Value> {
    let lang = input.lang;
    let mut groups: Vec<(&str, Vec<Value>)> = Vec::new();
    for row in evidence_rows(input) {
        let line = json!({
            "criterion": row.criterion,
            "numerator": count(row.numerator, lang),
            "denominator": count(row.denominator, lang),
        });
        match groups.last_mut() {
            Some((scope, rows)) if *scope == row.scope => rows.push(line),
            _ => groups.push((row.scope, vec![line])),
        }
    }
    groups.into_iter().map(|(scope, rows)| json!({ "scope": scope, "rows": rows })).collect()
}

/// How each figure was computed: the criterion, the indicator of cncl's library that
/// computed it (docs/indicators.md), its parameters, and the source that sets it.
pub(crate) struct RuleRow<'a> {
    pub criterion: &'a str,
    pub indicator: String,
    pub parameters: String,
    pub source: &'a str,
}

pub(crate) fn rule_rows<'a>(input: &'a ReportInput<'_>) -> Vec<RuleRow<'a>> {
    let bom_rule = input.bom_rule_text();
    input
        .set
        .criteria
        .iter()
        .map(|criterion| {
            let indicator = serde_json::to_value(criterion.indicator)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let mut parameters: Vec<String> = criterion.parameters.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            if criterion.indicator.uses_bill_of_materials() {
                parameters.push(bom_rule.clone());
            }
            RuleRow {
                criterion: &criterion.id,
                indicator,
                parameters: parameters.join("; "),
                source: &criterion.source,
            }
        })
        .collect()
}

/// The rules as `report.typ` reads them.
pub(crate) fn rules(input: &ReportInput<'_>) -> Vec<Value> {
    rule_rows(input)
        .into_iter()
        .map(|r| {
            json!({
                "criterion": r.criterion,
                "indicator": r.indicator,
                "parameters": if r.parameters.is_empty() { "—".to_owned() } else { r.parameters },
                "source": r.source,
            })
        })
        .collect()
}

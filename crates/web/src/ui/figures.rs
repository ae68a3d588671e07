//! How a figure and its targets are written on the pages, in the language's own way.

use cncl_domain::Lang;
use cncl_domain::format::format_percent;
use cncl_eval::criteria::{Comparator, CriteriaSet, Criterion, Target, Unit};
use cncl_eval::scorecard::CriterionResult;

use crate::i18n::{format_count, format_date, position_ui, ui};

/// A figure's value: "69,0 %" or "1.250", "—" for no data.
pub fn value_text(result: &CriterionResult, lang: Lang) -> String {
    figure_text(result.unit, result.value, result.percent, lang)
}

/// A figure's value as read: a percentage to one decimal, a count, or "—" for no data.
pub fn figure_text(unit: Unit, value: Option<f64>, percent: Option<f64>, lang: Lang) -> String {
    match (unit, value) {
        (_, None) => "—".to_owned(),
        (Unit::Percent, Some(_)) => format_percent(percent.unwrap_or_default(), lang),
        (Unit::Count, Some(v)) => format_count(v.round() as i64, lang),
    }
}

/// "≥ 60 % (31/12/2030)", "60–70 % (31/12/2027)", "≤ 15 %".
pub fn milestone_target(criterion: &Criterion, target: &Target, lang: Lang) -> String {
    let number = |v: i64| match criterion.unit {
        Unit::Percent => format!("{v} %"),
        Unit::Count => format_count(v, lang),
    };
    let value = match (target.high, criterion.comparator) {
        (Some(high), _) => match criterion.unit {
            Unit::Percent => format!("{}–{high} %", target.low),
            Unit::Count => format!("{}–{}", format_count(target.low, lang), format_count(high, lang)),
        },
        (None, Comparator::AtLeast) => format!("≥ {}", number(target.low)),
        (None, Comparator::AtMost) => format!("≤ {}", number(target.low)),
    };
    if criterion.constraint {
        format!("{value} ({})", ui(lang).constraint_note)
    } else {
        format!("{value} ({})", format_date(target.by, lang))
    }
}

/// Criterion `id`'s target at each of the set's milestones ("—" where it sets none); a
/// constraint's single limit, once.
pub fn milestone_targets(set: &CriteriaSet, id: &str, lang: Lang) -> Vec<String> {
    let Some(criterion) = set.criteria.iter().find(|c| c.id == id) else { return Vec::new() };
    if criterion.constraint {
        return criterion.targets.iter().map(|t| milestone_target(criterion, t, lang)).collect();
    }
    set.milestones
        .iter()
        .map(|m| {
            criterion
                .targets
                .iter()
                .find(|t| t.by == m.date)
                .map_or_else(|| "—".to_owned(), |t| milestone_target(criterion, t, lang))
        })
        .collect()
}

/// How far a page's figures reach: "The figures include every change up to entry #1.234 of
/// the audit log", and, while later changes are being computed (`head` is past them), that
/// they are.
pub fn position_note(figures_seq: i64, head: i64, lang: Lang) -> String {
    let words = position_ui(lang);
    let mut note = format!("{} #{} {}", words.reflects, format_count(figures_seq, lang), words.of_the_log);
    if figures_seq < head {
        note.push_str("; ");
        note.push_str(words.updating);
    }
    note.push('.');
    note
}

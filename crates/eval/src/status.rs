//! Where a figure stands against its targets: met, on track, at risk, not met or no data,
//! judged against the next milestone, with a least-squares projection of the figure's
//! quarterly history to that milestone's date.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::criteria::{Comparator, Criterion, Target, Unit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The figure meets the target of the next milestone (or, for a constraint, the limit).
    Met,
    /// Not yet met, but the trend reaches the target by the milestone's date.
    OnTrack,
    /// Not met, and the trend does not reach the target in time (or there is no trend).
    AtRisk,
    /// A milestone has passed without its target being met.
    NotMet,
    /// The figure has an empty denominator.
    NoData,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Met, Status::OnTrack, Status::AtRisk, Status::NotMet, Status::NoData];

    /// What the status is called, for pages, reports and files.
    pub fn label(self, lang: cncl_domain::Lang) -> &'static str {
        match self {
            Status::Met => lang.pick("Đạt", "Met"),
            Status::OnTrack => lang.pick("Đúng tiến độ", "On track"),
            Status::AtRisk => lang.pick("Có nguy cơ", "At risk"),
            Status::NotMet => lang.pick("Không đạt", "Not met"),
            Status::NoData => lang.pick("Chưa có dữ liệu", "No data"),
        }
    }
}

/// One point of a figure's history: its value on a date (a share in [0, 1] or a count).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HistoryPoint {
    pub date: NaiveDate,
    pub value: Option<f64>,
}

/// Whether the exact figure `numerator / denominator` meets `target`.
pub fn meets(criterion: &Criterion, target: &Target, numerator: i128, denominator: i128) -> bool {
    if denominator == 0 {
        return false;
    }
    let scale = match criterion.unit {
        Unit::Percent => 100,
        Unit::Count => 1,
    };
    let lhs = numerator * scale;
    let rhs = i128::from(target.low) * denominator;
    match criterion.comparator {
        Comparator::AtLeast => lhs >= rhs,
        Comparator::AtMost => lhs <= rhs,
    }
}

fn meets_value(criterion: &Criterion, target: &Target, value: f64) -> bool {
    let scaled = match criterion.unit {
        Unit::Percent => value * 100.0,
        Unit::Count => value,
    };
    let low = target.low as f64;
    match criterion.comparator {
        Comparator::AtLeast => scaled >= low - 1e-9,
        Comparator::AtMost => scaled <= low + 1e-9,
    }
}

/// The target a figure on `as_of` is judged against: the first milestone on or after it,
/// or the last one once all have passed.
pub fn next_target(criterion: &Criterion, as_of: NaiveDate) -> Option<&Target> {
    criterion.targets.iter().find(|t| t.by >= as_of).or(criterion.targets.last())
}

/// Quarter ends a history holds at most: ten years, more than the programme's 2025–2030
/// span, and a bound on what one request can make cncl compute and keep.
pub const MAX_HISTORY_QUARTERS: usize = 40;

/// The quarter ends from `from` up to (not including) `as_of` — the last
/// [`MAX_HISTORY_QUARTERS`] of them —, then `as_of`: the dates of a figure's history.
pub fn history_dates(from: NaiveDate, as_of: NaiveDate) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let (mut year, mut quarter) = (from.year(), (from.month0() / 3) + 1);
    loop {
        let end = match quarter {
            1 => NaiveDate::from_ymd_opt(year, 3, 31),
            2 => NaiveDate::from_ymd_opt(year, 6, 30),
            3 => NaiveDate::from_ymd_opt(year, 9, 30),
            _ => NaiveDate::from_ymd_opt(year, 12, 31),
        };
        match end {
            Some(end) if end < as_of => dates.push(end),
            _ => break,
        }
        (year, quarter) = if quarter == 4 { (year + 1, 1) } else { (year, quarter + 1) };
    }
    let excess = dates.len().saturating_sub(MAX_HISTORY_QUARTERS);
    dates.drain(..excess);
    dates.push(as_of);
    dates
}

/// The least-squares line through the points with data, evaluated at `at`; `None` with
/// fewer than two points on different dates.
pub fn project(history: &[HistoryPoint], at: NaiveDate) -> Option<f64> {
    let points: Vec<(f64, f64)> =
        history.iter().filter_map(|p| p.value.map(|v| (p.date.num_days_from_ce() as f64, v))).collect();
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let slope = sxy / sxx;
    Some(mean_y + slope * (at.num_days_from_ce() as f64 - mean_x))
}

/// The status of a figure on `as_of`, given its history (which includes every milestone
/// date before `as_of` that falls within it) and the projection to the next target.
pub fn status(
    criterion: &Criterion,
    numerator: i128,
    denominator: i128,
    as_of: NaiveDate,
    history: &[HistoryPoint],
) -> (Status, Option<f64>) {
    if denominator == 0 {
        return (Status::NoData, None);
    }
    let Some(target) = next_target(criterion, as_of) else {
        return (Status::NoData, None);
    };
    if meets(criterion, target, numerator, denominator) {
        return (Status::Met, None);
    }
    if criterion.constraint || target.by < as_of {
        return (Status::NotMet, None);
    }
    let missed_passed = criterion.targets.iter().rev().find(|t| t.by < as_of).is_some_and(|passed| {
        let at_milestone = history.iter().find(|p| p.date == passed.by).and_then(|p| p.value);
        !at_milestone.is_some_and(|v| meets_value(criterion, passed, v))
    });
    if missed_passed {
        return (Status::NotMet, None);
    }
    match project(history, target.by) {
        Some(projected) if meets_value(criterion, target, projected) => (Status::OnTrack, Some(projected)),
        projected => (Status::AtRisk, projected),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::criteria::{Direction, Indicator, Scope};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn c2() -> Criterion {
        Criterion {
            id: "C2".into(),
            name_vi: String::new(),
            name_en: String::new(),
            scope: Scope::Product,
            indicator: Indicator::CoreTechnologiesMasteredShare,
            unit: Unit::Percent,
            direction: Direction::Higher,
            comparator: Comparator::AtLeast,
            constraint: false,
            source: String::new(),
            source_vi: None,
            targets: vec![
                Target { by: date(2027, 12, 31), low: 60, high: Some(70) },
                Target { by: date(2030, 12, 31), low: 80, high: None },
            ],
            parameters: BTreeMap::new(),
        }
    }

    fn point(y: i32, m: u32, d: u32, v: f64) -> HistoryPoint {
        HistoryPoint { date: date(y, m, d), value: Some(v) }
    }

    #[test]
    fn exact_comparison_at_the_boundary() {
        let c = c2();
        let t = &c.targets[0];
        assert!(meets(&c, t, 3, 5), "60 % meets ≥ 60 %");
        assert!(!meets(&c, t, 59_999, 100_000));
        assert!(!meets(&c, t, 0, 0), "no data never meets");
    }

    #[test]
    fn history_dates_are_quarter_ends_then_the_day() {
        let dates = history_dates(date(2025, 1, 1), date(2025, 11, 24));
        assert_eq!(dates, vec![date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 11, 24)]);
        assert_eq!(history_dates(date(2025, 1, 1), date(2025, 3, 31)), vec![date(2025, 3, 31)]);
        assert_eq!(history_dates(date(2025, 1, 1), date(2035, 1, 1)).len(), 41);
    }

    #[test]
    fn history_keeps_the_last_ten_years() {
        let dates = history_dates(date(1990, 1, 1), date(2100, 12, 31));
        assert_eq!(dates.len(), MAX_HISTORY_QUARTERS + 1);
        assert_eq!(dates.first(), Some(&date(2090, 12, 31)));
        assert_eq!(dates.last(), Some(&date(2100, 12, 31)));
    }

    #[test]
    fn projection_is_a_least_squares_line() {
        let history = [point(2026, 3, 31, 0.2), point(2026, 6, 30, 0.3), point(2026, 9, 30, 0.4)];
        let projected = project(&history, date(2026, 12, 30)).unwrap_or_default();
        assert!((projected - 0.5).abs() < 0.01, "{projected}");
        assert_eq!(project(&history[..1], date(2027, 1, 1)), None);
    }

    #[test]
    fn statuses() {
        let c = c2();
        let as_of = date(2026, 9, 30);
        let rising = [point(2026, 3, 31, 0.2), point(2026, 6, 30, 0.3), point(2026, 9, 30, 0.4)];
        assert_eq!(status(&c, 2, 5, as_of, &rising).0, Status::OnTrack);
        let flat = [point(2026, 3, 31, 0.4), point(2026, 6, 30, 0.4), point(2026, 9, 30, 0.4)];
        assert_eq!(status(&c, 2, 5, as_of, &flat).0, Status::AtRisk);
        assert_eq!(status(&c, 3, 5, as_of, &flat).0, Status::Met);
        assert_eq!(status(&c, 0, 0, as_of, &flat).0, Status::NoData);
        // 2028: the 2027 milestone passed at 40 % → not met, even though 2030 is far.
        let after = date(2028, 3, 31);
        let missed = [point(2027, 12, 31, 0.4), point(2028, 3, 31, 0.5)];
        assert_eq!(status(&c, 1, 2, after, &missed).0, Status::NotMet);
        // Had 2027 been met, the figure is judged on its way to 80 % by 2030.
        let kept = [point(2027, 12, 31, 0.6), point(2028, 3, 31, 0.7)];
        assert_eq!(status(&c, 7, 10, after, &kept).0, Status::OnTrack);
        // After the last milestone, falling short is final.
        assert_eq!(status(&c, 7, 10, date(2031, 1, 1), &kept).0, Status::NotMet);
    }
}

//! How obligations are summed up for the office: the reporting and on-time rates of a group
//! of them on a date, and those outstanding past their due date.

use chrono::NaiveDate;
use serde::Serialize;

use crate::obligations::Obligation;

/// The reporting and on-time rates of some obligations on `as_of`, over those due by then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rates {
    /// Obligations whose due date has come.
    pub expected: usize,
    /// Of those, reports that arrived and stand (approved or awaiting review).
    pub reported: usize,
    /// Of those reported, the ones first submitted by their due date.
    pub on_time: usize,
}

impl Rates {
    pub fn of<'a>(obligations: impl IntoIterator<Item = &'a Obligation>, as_of: NaiveDate) -> Rates {
        let mut rates = Rates::default();
        for o in obligations.into_iter().filter(|o| o.is_expected(as_of)) {
            rates.expected += 1;
            rates.reported += usize::from(o.status.is_reported());
            rates.on_time += usize::from(o.status.is_reported() && o.on_time());
        }
        rates
    }

    /// Reported ÷ expected, in per cent; `None` when nothing is expected.
    pub fn reporting_percent(&self) -> Option<f64> {
        percent(self.reported, self.expected)
    }

    /// On time ÷ expected, in per cent; `None` when nothing is expected.
    pub fn on_time_percent(&self) -> Option<f64> {
        percent(self.on_time, self.expected)
    }
}

#[allow(clippy::cast_precision_loss, reason = "counts of reports stay far below 2^52")]
fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The obligations outstanding past their due date on `as_of`, the latest first.
pub fn overdue(obligations: &[Obligation], as_of: NaiveDate) -> Vec<&Obligation> {
    let mut late: Vec<&Obligation> = obligations.iter().filter(|o| o.days_late(as_of).is_some()).collect();
    late.sort_by_key(|o| (std::cmp::Reverse(o.days_late(as_of)), o.due_on, o.subject));
    late
}

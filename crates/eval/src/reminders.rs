//! When reminders of an obligation go out: a week before its due date, on it, and each week
//! while it is overdue, as long as nothing standing has been submitted.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::obligations::{Obligation, ObligationStatus};

/// When a reminder of an obligation goes out: seven days before its due date, on it, and
/// each week while it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderStage {
    /// Seven days before the due date, nothing submitted yet.
    WeekBefore,
    /// On the due date (or within the week after, if no reminder could go then).
    DueDay,
    /// The n-th full week overdue.
    Overdue(u32),
}

/// Days before the due date the first reminder goes out.
pub const REMIND_DAYS_BEFORE: i64 = 7;

impl ReminderStage {
    /// The stage `o` is at on `today`, if a reminder is owed: nothing standing submitted, and
    /// the due date within a week or past.
    pub fn of(o: &Obligation, today: NaiveDate) -> Option<ReminderStage> {
        let days_after = (today - o.due_on).num_days();
        match o.status {
            ObligationStatus::NotDue if (-REMIND_DAYS_BEFORE..0).contains(&days_after) => Some(Self::WeekBefore),
            ObligationStatus::Missing | ObligationStatus::Returned if (0..7).contains(&days_after) => {
                Some(Self::DueDay)
            }
            ObligationStatus::Missing | ObligationStatus::Returned if days_after >= 7 => {
                u32::try_from(days_after / 7).ok().map(Self::Overdue)
            }
            _ => None,
        }
    }

    /// How the stage is named in a job's key: `week_before`, `due_day`, `overdue_3`.
    pub fn key(self) -> String {
        match self {
            Self::WeekBefore => "week_before".into(),
            Self::DueDay => "due_day".into(),
            Self::Overdue(n) => format!("overdue_{n}"),
        }
    }
}

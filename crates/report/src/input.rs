//! What a report is made from and where it is published: the input every part of the
//! report (the words, the workbook, the tasks section) reads.

use cncl_app::governance::Warning;
use cncl_domain::reference::Product;
use cncl_domain::{Date, Lang};
use cncl_eval::CriteriaSet;
use cncl_eval::funding::FundingSummary;
use cncl_eval::scorecard::Scorecard;

use crate::ReportError;

/// A quarter of a year, written `2026Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    pub year: i32,
    pub quarter: u8,
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}Q{}", self.year, self.quarter)
    }
}

impl std::str::FromStr for Quarter {
    type Err = ReportError;

    /// `2026Q4` or `2026-Q4`, a year of the programme's span and a quarter from 1 to 4.
    fn from_str(text: &str) -> Result<Self, ReportError> {
        let bad = || ReportError::Asked(format!("{text:?} is not a quarter written like 2026Q4"));
        let (year, quarter) = text
            .trim()
            .to_ascii_uppercase()
            .split_once('Q')
            .map(|(y, q)| (y.trim_end_matches('-').to_owned(), q.to_owned()))
            .ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let quarter: u8 = quarter.parse().map_err(|_| bad())?;
        if !(2025..=2100).contains(&year) || !(1..=4).contains(&quarter) {
            return Err(bad());
        }
        Ok(Quarter { year, quarter })
    }
}

impl Quarter {
    /// The quarter's last day: what the report is as of.
    pub fn last_day(self) -> Result<Date, ReportError> {
        let (month, day) = match self.quarter {
            1 => (3, 31),
            2 => (6, 30),
            3 => (9, 30),
            _ => (12, 31),
        };
        Date::from_ymd(self.year, month, day).map_err(|e| ReportError::Asked(e.0.en))
    }

    pub(crate) fn roman(self) -> &'static str {
        ["I", "II", "III", "IV"][usize::from(self.quarter.clamp(1, 4) - 1)]
    }
}

/// What a report is made from: the quarter, its figures as `app` computed them as of the
/// quarter's last day, and the day it is issued.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub lang: Lang,
    pub quarter: Quarter,
    pub as_of: Date,
    pub issued_on: Date,
    pub scorecard: &'a Scorecard,
    pub funding: &'a FundingSummary,
    pub set: &'a CriteriaSet,
    pub products: &'a [Product],
    /// What the office should act on as of the quarter's end.
    pub warnings: &'a [Warning],
    /// The tasks as of the quarter's end.
    pub tasks: &'a cncl_app::task_overview::TaskOverview,
    /// The products' assessments of the quarter.
    pub commentaries: &'a [cncl_domain::governance::Commentary],
    /// The audit log's head (number, hash) the figures were computed at.
    pub audit_head: &'a (i64, String),
    /// Where the report is published; `None` for a draft built without publishing.
    pub publication: Option<&'a Publication>,
}

impl ReportInput<'_> {
    /// The bill-of-materials rule the value-added figures used, in words.
    pub(crate) fn bom_rule_text(&self) -> String {
        self.scorecard.bom_rule.describe(self.scorecard.roll_up_threshold_percent, self.lang)
    }
}

/// A published report's id and the address it is listed at, printed on every page so that
/// a reader can find it and check a copy against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub id: String,
    /// The public address of cncl, without a trailing slash (`https://cncl.most.gov.vn`).
    pub base_url: String,
}

impl Publication {
    /// The report's page.
    pub fn url(&self) -> String {
        format!("{}/reports/{}", self.base_url, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_are_read_within_bounds() {
        let q: Quarter = "2026Q4".parse().unwrap_or(Quarter { year: 0, quarter: 0 });
        assert_eq!(q, Quarter { year: 2026, quarter: 4 });
        assert_eq!(q.last_day().map(|d| d.to_string()).ok().as_deref(), Some("2026-12-31"));
        assert!("2026-q1".parse::<Quarter>().is_ok());
        for bad in ["2026Q5", "2026Q0", "1999Q1", "Q4", "2026", "20260Q1"] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
    }
}

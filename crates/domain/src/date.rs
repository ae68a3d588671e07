//! `Date`: the one calendar date cncl accepts from outside, in queries, bodies, forms, imports
//! and the command line. It lies in [`Date::MIN`]..=[`Date::MAX`], a window wide enough for
//! any record the programme can refer to (the oldest certifications and enterprises, the
//! milestones after 2030) and narrow enough that no request can ask for centuries of quarterly
//! history. Inside the window every date is written `YYYY-MM-DD` with a four-digit year, so
//! stored dates sort as text the same way on SQLite and PostgreSQL.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ForSerde, ValueError};

/// Vietnam's time (UTC+7, no daylight saving): the zone of every date and time cncl shows or
/// takes as "today".
pub const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    // Evaluated at compile time: a wrong offset fails the build, never a run.
    None => panic!("UTC+7 is a valid offset"),
};

const OUT_OF_RANGE: &str = "must be a date from";

/// A date within the window; written `YYYY-MM-DD`, read as that or as `dd/mm/yyyy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, format = Date, example = "2026-03-31")]
pub struct Date(NaiveDate);

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("the window's ends are calendar dates"),
    }
}

impl Date {
    /// The earliest date accepted: before the oldest record the programme looks back to.
    pub const MIN: Date = Date(ymd(1990, 1, 1));
    /// The latest date accepted: well after the programme's last milestone (2030).
    pub const MAX: Date = Date(ymd(2100, 12, 31));

    /// How a date must be written, for messages.
    pub const FORM: &str = "must be a date written YYYY-MM-DD or dd/mm/yyyy";
    pub const FORM_VI: &str = "phải là ngày viết dd/mm/yyyy hoặc YYYY-MM-DD";

    /// The date, if it lies in the window.
    pub fn new(date: NaiveDate) -> Result<Self, ValueError> {
        if (Self::MIN.0..=Self::MAX.0).contains(&date) {
            Ok(Self(date))
        } else {
            Err(ValueError::new(
                format!("phải là ngày từ {} đến {} (đã nhập {date})", Self::MIN, Self::MAX),
                format!("{OUT_OF_RANGE} {} to {} (got {date})", Self::MIN, Self::MAX),
            ))
        }
    }

    /// Whether an error message is that of a well-written date outside the window (a 422
    /// where a malformed date is a 400), for readers that get only the message back.
    pub fn is_out_of_range(message: &str) -> bool {
        message.starts_with(OUT_OF_RANGE)
    }

    /// The nearest date in the window: for dates cncl makes itself (a clock, a quarter's
    /// end), never for dates it is given.
    pub fn saturating(date: NaiveDate) -> Self {
        Self(date.clamp(Self::MIN.0, Self::MAX.0))
    }

    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Self, ValueError> {
        NaiveDate::from_ymd_opt(year, month, day)
            .ok_or_else(|| {
                ValueError::new(
                    format!("{day:02}/{month:02}/{year} không phải ngày có thật"),
                    format!("{year}-{month:02}-{day:02} is not a calendar date"),
                )
            })
            .and_then(Self::new)
    }

    /// Read `2026-03-31` (ISO 8601) or `31/03/2026` (as Vietnamese write it), surrounding
    /// spaces aside.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let date = Self::written(raw).ok_or_else(|| ValueError::new(Self::FORM_VI, Self::FORM))?;
        Self::new(date)
    }

    /// The day it is in Vietnam at `instant`.
    pub fn in_vietnam(instant: DateTime<Utc>) -> Self {
        Self::saturating(instant.with_timezone(&VIETNAM).date_naive())
    }

    /// The calendar date written in `raw` (`YYYY-MM-DD` or `dd/mm/yyyy`), whether or not it
    /// lies in the window: to tell a malformed date from one out of range.
    pub fn written(raw: &str) -> Option<NaiveDate> {
        let raw = raw.trim();
        if raw.contains('/') {
            NaiveDate::parse_from_str(raw, "%d/%m/%Y").ok().filter(|_| raw.len() <= 10)
        } else if raw.starts_with(['+', '-']) {
            // A signed year (`+10000-01-01`, `-0001-01-01`) is a date, if never one in the
            // window: read it so that the answer is "out of range", not "malformed".
            NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
        } else {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().filter(|_| raw.len() == 10)
        }
    }

    pub fn get(self) -> NaiveDate {
        self.0
    }
}

impl Deref for Date {
    type Target = NaiveDate;
    fn deref(&self) -> &NaiveDate {
        &self.0
    }
}

impl From<Date> for NaiveDate {
    fn from(date: Date) -> NaiveDate {
        date.0
    }
}

impl TryFrom<NaiveDate> for Date {
    type Error = ValueError;
    fn try_from(date: NaiveDate) -> Result<Self, ValueError> {
        Self::new(date)
    }
}

impl TryFrom<String> for Date {
    type Error = ForSerde;
    fn try_from(raw: String) -> Result<Self, ForSerde> {
        Self::parse(&raw).map_err(ForSerde)
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

impl FromStr for Date {
    type Err = ValueError;
    fn from_str(raw: &str) -> Result<Self, ValueError> {
        Self::parse(raw)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Always four digits inside the window, so text order is date order.
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn both_written_forms_are_read() {
        assert_eq!(Date::parse("2026-03-31"), Date::from_ymd(2026, 3, 31));
        assert_eq!(Date::parse(" 31/03/2026 "), Date::from_ymd(2026, 3, 31));
        assert_eq!(Date::parse("5/2/2026"), Date::from_ymd(2026, 2, 5));
    }

    #[test]
    fn dates_outside_the_window_are_refused() {
        for raw in ["+262142-12-31", "+10000-01-01", "-0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"] {
            assert!(Date::parse(raw).is_err(), "{raw} accepted");
        }
        assert!(Date::parse("1990-01-01").is_ok());
        assert!(Date::parse("2100-12-31").is_ok());
        assert!(serde_json::from_str::<Date>("\"9999-12-31\"").is_err());
    }

    #[test]
    fn far_dates_are_read_as_dates_out_of_range() {
        assert_eq!(Date::written("+262142-12-31").map(|d| d.to_string()), Some("+262142-12-31".to_owned()));
        assert!(Date::parse("+262142-12-31").is_err_and(
            |e| e.0.en.contains("from 1990-01-01 to 2100-12-31") && e.0.vi.contains("từ 1990-01-01 đến 2100-12-31")
        ));
    }

    #[test]
    fn malformed_dates_are_refused_with_the_expected_form() {
        for raw in ["", "2026-02-30", "31/02/2026", "2026/03/31", "2026-3-31x", "31/03/20266"] {
            let error = Date::parse(raw);
            assert!(error.is_err(), "{raw} accepted");
        }
        assert!(Date::parse("tomorrow").is_err_and(|e| e.0.en.contains("YYYY-MM-DD") && e.0.vi.contains("dd/mm/yyyy")));
        // Printed (the command line, a log), the error is English alone; only serde carries both.
        assert_eq!(Date::parse("tomorrow").map_err(|e| e.to_string()), Err(Date::FORM.to_owned()));
        assert_eq!("tomorrow".parse::<Date>().map_err(|e| e.to_string()), Err(Date::FORM.to_owned()));
    }

    #[test]
    fn today_is_vietnams() {
        let late_evening_utc = DateTime::parse_from_rfc3339("2026-03-31T17:30:00Z").map(|t| t.to_utc());
        assert_eq!(late_evening_utc.map(Date::in_vietnam).ok(), Date::from_ymd(2026, 4, 1).ok());
    }

    #[test]
    fn saturating_keeps_dates_the_system_makes_inside() {
        assert_eq!(Date::saturating(NaiveDate::MAX), Date::MAX);
        assert_eq!(Date::saturating(NaiveDate::MIN), Date::MIN);
    }

    proptest! {
        #[test]
        fn text_order_is_date_order(a in 0_i64..40_000, b in 0_i64..40_000) {
            let day = |n: i64| Date::saturating(Date::MIN.get() + chrono::Days::new(n.unsigned_abs()));
            let (a, b) = (day(a), day(b));
            prop_assert_eq!(a.cmp(&b), a.to_string().cmp(&b.to_string()));
            prop_assert_eq!(Date::parse(&a.to_string()), Ok(a));
            let json = serde_json::to_string(&a).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(serde_json::from_str::<Date>(&json).ok(), Some(a));
        }
    }
}

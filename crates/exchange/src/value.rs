//! Values as people type them in Vietnam: `1.250.000` is one million two hundred and fifty
//! thousand and `12,5` twelve and a half; dates as `dd/mm/yyyy`, ISO dates or Excel's day
//! serials.

use chrono::NaiveDate;

/// Why a cell's text is not the value its column wants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("“{0}” is not a number")]
    NotANumber(String),
    #[error("“{0}” is not a date (dd/mm/yyyy)")]
    NotADate(String),
}

/// A number typed in a cell. Grouping and decimal marks are read the Vietnamese way, and the
/// English way when the text cannot be Vietnamese:
/// - `1.250.000` and `1 250 000` → 1250000; `12,5` → 12.5; `1.250,75` → 1250.75;
/// - `1,250,000` (more than one comma) and `1,250.75` (a comma before the last point) →
///   English grouping; `12.5` (a point not followed by three digits) → 12.5.
pub fn parse_number(text: &str) -> Result<f64, ValueError> {
    let bad = || ValueError::NotANumber(text.trim().to_owned());
    let t: String = text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '₫')).collect();
    let t = t.strip_suffix('đ').unwrap_or(&t);
    if t.is_empty() {
        return Err(bad());
    }
    let (sign, digits) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(rest) => ("-", rest),
        None => ("", t),
    };
    let dots = digits.matches('.').count();
    let commas = digits.matches(',').count();
    let grouped = |s: &str, mark: char| {
        let mut parts = s.split(mark);
        let first = parts.next().unwrap_or_default();
        !first.is_empty() && first.len() <= 3 && parts.all(|p| p.len() == 3)
    };
    let plain: String = match (dots, commas) {
        (0, 0) => digits.to_owned(),
        (_, 0) if grouped(digits, '.') && (dots > 1 || digits.len() - digits.rfind('.').unwrap_or(0) == 4) => {
            digits.replace('.', "")
        }
        (1, 0) => digits.to_owned(),
        (0, 1) => digits.replace(',', "."),
        (0, _) if grouped(digits, ',') => digits.replace(',', ""),
        (_, _) if digits.rfind(',') > digits.rfind('.') => digits.replace('.', "").replace(',', "."),
        (_, _) => digits.replace(',', ""),
    };
    if plain.is_empty() || !plain.chars().all(|c| c.is_ascii_digit() || c == '.') || plain.matches('.').count() > 1 {
        return Err(bad());
    }
    format!("{sign}{plain}").parse::<f64>().map_err(|_| bad())
}

/// Excel's day 0 (its 1900 leap-year bug included: serials from 61 on are right).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// A date from an Excel day serial (the whole part; a time of day is dropped).
pub fn date_from_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    excel_epoch().checked_add_days(chrono::Days::new(serial.trunc() as u64))
}

/// A date typed as `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`) or
/// `yyyy-mm-dd`.
pub fn parse_date(text: &str) -> Result<NaiveDate, ValueError> {
    let t = text.trim();
    let bad = || ValueError::NotADate(t.to_owned());
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(date);
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else { return Err(bad()) };
    if y.len() != 4 {
        return Err(bad());
    }
    let number = |s: &str| s.parse::<u32>().map_err(|_| bad());
    NaiveDate::from_ymd_opt(y.parse::<i32>().map_err(|_| bad())?, number(m)?, number(d)?).ok_or_else(bad)
}

/// The column's letters as Excel shows them: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_english_numbers() {
        for (text, value) in [
            ("1.250.000", 1_250_000.0),
            ("1 250 000 ₫", 1_250_000.0),
            ("12,5", 12.5),
            ("1.250,75", 1250.75),
            ("1,250,000", 1_250_000.0),
            ("1,250.75", 1250.75),
            ("12.5", 12.5),
            ("45.000", 45_000.0),
            ("-3", -3.0),
            ("  7  ", 7.0),
            ("100đ", 100.0),
        ] {
            assert_eq!(parse_number(text), Ok(value), "{text}");
        }
        for text in ["", "abc", "1.2.3,4,5", "12,5,6.7.8x", "1..2"] {
            assert!(parse_number(text).is_err(), "{text}");
        }
    }

    #[test]
    fn dates_as_typed() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        assert_eq!(parse_date("05/02/2026"), Ok(d(2026, 2, 5)));
        assert_eq!(parse_date("5/2/2026"), Ok(d(2026, 2, 5)));
        assert_eq!(parse_date("2026-02-05"), Ok(d(2026, 2, 5)));
        assert_eq!(parse_date("05.02.2026"), Ok(d(2026, 2, 5)));
        assert!(parse_date("31/02/2026").is_err());
        assert!(parse_date("02/05/26").is_err());
        assert_eq!(date_from_serial(46_058.0), Some(d(2026, 2, 5)));
        assert_eq!(date_from_serial(46_058.75), Some(d(2026, 2, 5)), "a time of day is dropped");
        assert_eq!(date_from_serial(-1.0), None);
    }

    #[test]
    fn column_letters() {
        assert_eq!([0, 1, 25, 26, 27, 701, 702].map(column_letter), ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    }
}

//! Numbers, dates and instants written the way each language writes them.

use crate::Lang;

/// A whole number written the way the language writes it: 10.000 in Vietnamese, 10,000 in
/// English.
pub fn format_count(value: i64, lang: Lang) -> String {
    let separator = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// An instant (RFC 3339, as cncl records them, in UTC) as the language writes it, in
/// Vietnam's time: 05/02/2026 14:30, or 5 Feb 2026 14:30. Text that is not an instant is
/// shown as it is.
pub fn format_instant(instant: &str, lang: Lang) -> String {
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(instant) else { return instant.to_owned() };
    let local = at.with_timezone(&crate::date::VIETNAM);
    match lang {
        Lang::Vi => local.format("%d/%m/%Y %H:%M").to_string(),
        Lang::En => local.format("%-d %b %Y %H:%M").to_string(),
    }
}

/// The instant a day begins in Vietnam, as cncl records instants (UTC, RFC 3339).
pub fn start_of_day_in_vietnam(day: chrono::NaiveDate) -> String {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    let utc = midnight - chrono::Duration::seconds(i64::from(crate::date::VIETNAM.local_minus_utc()));
    utc.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A number with `places` decimals as the language writes it: 12,5 or 12.5.
pub fn format_decimal(value: f64, places: usize, lang: Lang) -> String {
    let text = format!("{value:.places$}");
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A share in per cent with one decimal, as the language writes it: 52,3 % or 52.3 %.
pub fn format_percent(percent: f64, lang: Lang) -> String {
    let text = format!("{percent:.1} %");
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A date as the language writes it: 31/12/2027 in Vietnamese, 31 Dec 2027 in English.
pub fn format_date(date: impl Into<chrono::NaiveDate>, lang: Lang) -> String {
    let date: chrono::NaiveDate = date.into();
    match lang {
        Lang::Vi => date.format("%d/%m/%Y").to_string(),
        Lang::En => date.format("%-d %b %Y").to_string(),
    }
}

/// An amount in đồng, every đồng shown: 1.250.000 ₫ (1,250,000 ₫ in English).
pub fn format_vnd(amount: i128, lang: Lang) -> String {
    let clamped = i64::try_from(amount).unwrap_or(if amount < 0 { i64::MIN } else { i64::MAX });
    format!("{} ₫", format_count(clamped, lang))
}

/// An amount in đồng at a glance: from a thousand million (tỷ) up, in tỷ with at most one
/// decimal, 2.430 tỷ ₫ or 2,430 billion ₫; smaller amounts in full.
pub fn format_vnd_short(amount: i128, lang: Lang) -> String {
    const TY: i128 = 1_000_000_000;
    if amount.abs() < TY {
        return format_vnd(amount, lang);
    }
    let tenths = (amount * 10 + amount.signum() * TY / 2) / TY;
    let whole = format_count(i64::try_from(tenths / 10).unwrap_or(i64::MAX), lang);
    let fraction = (tenths % 10).abs();
    let number = match (fraction, lang) {
        (0, _) => whole,
        (f, Lang::Vi) => format!("{whole},{f}"),
        (f, Lang::En) => format!("{whole}.{f}"),
    };
    match lang {
        Lang::Vi => format!("{number} tỷ ₫"),
        Lang::En => format!("{number} billion ₫"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_dong() {
        assert_eq!(format_vnd(1_250_000, Lang::Vi), "1.250.000 ₫");
        assert_eq!(format_decimal(12.5, 1, Lang::Vi), "12,5");
        assert_eq!(format_decimal(12.5, 2, Lang::En), "12.50");
        assert_eq!(format_vnd(1_250_000, Lang::En), "1,250,000 ₫");
        assert_eq!(format_vnd_short(2_430_000_000_000, Lang::Vi), "2.430 tỷ ₫");
        assert_eq!(format_vnd_short(2_430_000_000_000, Lang::En), "2,430 billion ₫");
        assert_eq!(format_vnd_short(1_560_000_000, Lang::Vi), "1,6 tỷ ₫");
        assert_eq!(format_vnd_short(999_999_999, Lang::Vi), "999.999.999 ₫");
        assert_eq!(format_vnd_short(-3_000_000_000, Lang::Vi), "-3 tỷ ₫");
    }

    #[test]
    fn counts_and_dates() {
        assert_eq!(format_count(10_000, Lang::Vi), "10.000");
        assert_eq!(format_count(10_000, Lang::En), "10,000");
        assert_eq!(format_count(999, Lang::En), "999");
        assert_eq!(format_count(1_234_567, Lang::Vi), "1.234.567");
        let d = chrono::NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default();
        assert_eq!(format_date(d, Lang::Vi), "31/12/2027");
        assert_eq!(format_date(d, Lang::En), "31 Dec 2027");
    }

    #[test]
    fn instants_are_shown_in_vietnams_time() {
        assert_eq!(format_instant("2026-02-05T07:30:00.000Z", Lang::Vi), "05/02/2026 14:30");
        assert_eq!(format_instant("2026-02-05T17:30:00.000Z", Lang::En), "6 Feb 2026 00:30");
        assert_eq!(format_instant("not an instant", Lang::Vi), "not an instant");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 5).unwrap_or_default();
        assert_eq!(start_of_day_in_vietnam(day), "2026-02-04T17:00:00.000Z");
    }
}

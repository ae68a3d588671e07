//! Value types with rules. Each constructor validates, and serde goes through the same
//! constructor (`try_from`), so a value of one of these types is valid wherever it is found.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use utoipa::ToSchema;

use crate::error::{ForSerde, ValueError};

/// Longest text accepted in any field; long enough for evidence notes, short enough that a
/// pasted file is caught.
const MAX_TEXT_CHARS: usize = 20_000;

/// Non-empty text, trimmed and stored in Unicode NFC so that "Nguyễn" typed on any keyboard
/// compares equal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, ToSchema)]
#[serde(try_from = "String")]
#[schema(value_type = String, min_length = 1)]
pub struct Text(String);

impl Text {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        Self::parse_owned(raw.trim().to_owned())
    }

    /// `parse`, keeping `raw`'s buffer when it is already trimmed and in NFC (as nearly all
    /// text is): an import of a hundred thousand lines parses every cell's text.
    fn parse_owned(raw: String) -> Result<Self, ValueError> {
        let trimmed = raw.trim();
        let normalised = match (trimmed.len() == raw.len(), is_nfc_quick(trimmed.chars())) {
            (true, IsNormalized::Yes) => raw,
            (false, IsNormalized::Yes) => trimmed.to_owned(),
            _ => trimmed.nfc().collect(),
        };
        if normalised.is_empty() {
            return Err(ValueError::new("không được để trống", "must not be empty"));
        }
        if normalised.chars().count() > MAX_TEXT_CHARS {
            return Err(ValueError::new(
                format!("không được dài quá {MAX_TEXT_CHARS} ký tự"),
                format!("must be at most {MAX_TEXT_CHARS} characters"),
            ));
        }
        if normalised.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
            return Err(ValueError::new("không được chứa ký tự điều khiển", "must not contain control characters"));
        }
        Ok(Self(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Text {
    type Error = ForSerde;
    fn try_from(raw: String) -> Result<Self, ForSerde> {
        Self::parse_owned(raw).map_err(ForSerde)
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A short machine code for reference data (`llm`, `research-development`): lower-case ASCII
/// letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, ToSchema)]
#[serde(try_from = "String")]
#[schema(value_type = String, pattern = "^[a-z0-9][a-z0-9-]{0,39}$")]
pub struct Code(String);

impl Code {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let ok = !raw.is_empty()
            && raw.len() <= 40
            && !raw.starts_with('-')
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValueError::new(
                "phải gồm 1–40 chữ thường, chữ số hoặc dấu gạch ngang",
                "must be 1–40 lower-case letters, digits or hyphens",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Code {
    type Error = ForSerde;
    fn try_from(raw: String) -> Result<Self, ForSerde> {
        Self::parse(&raw).map_err(ForSerde)
    }
}

impl From<Code> for String {
    fn from(code: Code) -> String {
        code.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Integer newtypes that differ only in their range and in what the error says.
macro_rules! bounded_integer {
    ($(#[$meta:meta])* $name:ident($inner:ty), $min:expr, $max:expr, $vi:expr, $en:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(try_from = "i64", into = "i64")]
        #[schema(value_type = i64)]
        pub struct $name($inner);

        impl $name {
            pub const MIN: $inner = $min;
            pub const MAX: $inner = $max;

            pub fn new(value: i64) -> Result<Self, ValueError> {
                <$inner>::try_from(value)
                    .ok()
                    .filter(|v| (Self::MIN..=Self::MAX).contains(v))
                    .map(Self)
                    .ok_or_else(|| ValueError::new(format!("{} (đã nhập {value})", $vi), format!("{} (got {value})", $en)))
            }

            pub fn get(self) -> $inner {
                self.0
            }
        }

        impl TryFrom<i64> for $name {
            type Error = ForSerde;
            fn try_from(value: i64) -> Result<Self, ForSerde> {
                Self::new(value).map_err(ForSerde)
            }
        }

        impl From<$name> for i64 {
            fn from(value: $name) -> i64 {
                i64::from(value.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

bounded_integer!(
    /// An amount of money in Vietnamese đồng. Whole đồng: the smallest unit in use.
    Vnd(i64), 0, 9_223_372_036_854_775_807, "phải là số đồng nguyên, từ 0 trở lên", "must be a whole number of đồng, zero or more"
);
bounded_integer!(
    /// An amount in US dollars (an organisation's scale), whole dollars.
    Usd(i64), 0, 9_223_372_036_854_775_807, "phải là số đô la Mỹ nguyên, từ 0 trở lên", "must be a whole number of US dollars, zero or more"
);
bounded_integer!(
    /// Technology readiness level, 1 (basic principles) to 9 (proven in operation).
    Trl(u8), 1, 9, "phải là mức độ sẵn sàng công nghệ từ 1 đến 9", "must be a technology readiness level from 1 to 9"
);
bounded_integer!(
    /// A calendar year within the span any programme record can plausibly refer to.
    Year(i32), 1990, 2100, "phải là năm từ 1990 đến 2100", "must be a year from 1990 to 2100"
);
bounded_integer!(
    /// The relative weight of a core technology within its product; positive.
    Weight(u32), 1, 1_000_000, "phải là số nguyên từ 1 đến 1000000", "must be a whole number from 1 to 1000000"
);
bounded_integer!(
    /// A quarter of the year, 1 to 4.
    Quarter(u8), 1, 4, "phải là quý từ 1 đến 4", "must be a quarter from 1 to 4"
);
bounded_integer!(
    /// A whole percentage, 0 to 100.
    Percent(u8), 0, 100, "phải là tỷ lệ phần trăm nguyên từ 0 đến 100", "must be a whole percentage from 0 to 100"
);
bounded_integer!(
    /// A reviewer's score on one selection criterion, 0 to 10.
    Score(u8), 0, 10, "phải là điểm từ 0 đến 10", "must be a score from 0 to 10"
);
bounded_integer!(
    /// Units sold; zero or more.
    Units(i64), 0, 1_000_000_000_000, "phải là số đơn vị nguyên, từ 0 trở lên", "must be a whole number of units, zero or more"
);
bounded_integer!(
    /// How many of something: components per unit, people trained. At least one.
    Quantity(u32), 1, 100_000_000, "phải là số nguyên từ 1 đến 100000000", "must be a whole number from 1 to 100000000"
);

impl Vnd {
    pub const ZERO: Vnd = Vnd(0);
}

/// A Vietnamese tax code (mã số thuế): 10 digits for an enterprise, or 13 digits
/// (written `NNNNNNNNNN-NNN`) for a branch or dependent unit.
///
/// Only the shape is checked. The modulus-11 check digit of older codes is not enforced:
/// codes issued since the 2025 tax administration changes do not all follow it, and
/// rejecting a real enterprise's code would be worse than accepting a mistyped one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, ToSchema)]
#[serde(try_from = "String")]
#[schema(value_type = String, pattern = "^[0-9]{10}(-[0-9]{3})?$", example = "0101234567")]
pub struct TaxCode(String);

impl TaxCode {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let raw = raw.trim();
        let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        let parsed = match raw.split_once('-') {
            Some((head, branch)) if head.len() == 10 && branch.len() == 3 => {
                (all_digits(head) && all_digits(branch)).then(|| format!("{head}-{branch}"))
            }
            Some(_) => None,
            None if raw.len() == 10 && all_digits(raw) => Some(raw.to_owned()),
            None if raw.len() == 13 && all_digits(raw) => Some(format!("{}-{}", &raw[..10], &raw[10..])),
            None => None,
        };
        parsed.map(Self).ok_or_else(|| {
            ValueError::new(
                format!("phải là mã số thuế 10 chữ số, hoặc 13 chữ số viết NNNNNNNNNN-NNN (đã nhập {raw:?})"),
                format!("must be a tax code of 10 digits, or 13 digits written NNNNNNNNNN-NNN (got {raw:?})"),
            )
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TaxCode {
    type Error = ForSerde;
    fn try_from(raw: String) -> Result<Self, ForSerde> {
        Self::parse(&raw).map_err(ForSerde)
    }
}

impl From<TaxCode> for String {
    fn from(code: TaxCode) -> String {
        code.0
    }
}

/// An International Standard Serial Number, `NNNN-NNNC`, with its check character verified.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, ToSchema)]
#[serde(try_from = "String")]
#[schema(value_type = String, pattern = "^[0-9]{4}-[0-9]{3}[0-9X]$", example = "1859-3100")]
pub struct Issn(String);

impl Issn {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let compact: Vec<char> = raw.trim().chars().filter(|c| *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        let shape_ok = compact.len() == 8
            && compact[..7].iter().all(char::is_ascii_digit)
            && (compact[7].is_ascii_digit() || compact[7] == 'X');
        if !shape_ok {
            return Err(ValueError::new("phải là mã ISSN viết NNNN-NNNC", "must be an ISSN written NNNN-NNNC"));
        }
        let sum: u32 =
            compact[..7].iter().zip((2..=8).rev()).map(|(c, weight)| c.to_digit(10).unwrap_or(0) * weight).sum();
        let check = (11 - sum % 11) % 11;
        let expected = if check == 10 { 'X' } else { char::from_digit(check, 10).unwrap_or('?') };
        if compact[7] != expected {
            return Err(ValueError::new(
                format!("không phải mã ISSN hợp lệ: ký tự kiểm tra phải là {expected}"),
                format!("is not a valid ISSN: its check character should be {expected}"),
            ));
        }
        let text: String = compact.iter().collect();
        Ok(Self(format!("{}-{}", &text[..4], &text[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Issn {
    type Error = ForSerde;
    fn try_from(raw: String) -> Result<Self, ForSerde> {
        Self::parse(&raw).map_err(ForSerde)
    }
}

impl From<Issn> for String {
    fn from(issn: Issn) -> String {
        issn.0
    }
}

/// Written as the string it holds: serde's `into = "String"` would copy the value first, for
/// every field of every record serialised.
macro_rules! serialize_as_str {
    ($($name:ty),*) => {$(
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }
    )*};
}

serialize_as_str!(Text, Code, TaxCode, Issn);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_nfc() {
        // "Nguyễn" with the tone mark as a separate combining character.
        let decomposed = "  Nguye\u{0302}\u{0303}n ";
        let text = Text::parse(decomposed).map(String::from);
        assert_eq!(text.as_deref(), Ok("Nguyễn"));
    }

    #[test]
    fn text_read_by_serde_is_trimmed_and_nfc_and_written_as_a_string() {
        for (raw, stored) in [
            ("\"Nguye\u{0302}\u{0303}n\"", "Nguyễn"),
            ("\" Nguye\u{0302}\u{0303}n\\n\"", "Nguyễn"),
            ("\" Nguyễn \"", "Nguyễn"),
            ("\"Nguyễn\"", "Nguyễn"),
        ] {
            let text: Text = serde_json::from_str(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(text.as_str(), stored, "{raw}");
            assert_eq!(serde_json::to_string(&text).ok().as_deref(), Some("\"Nguyễn\""));
        }
        assert!(serde_json::from_str::<Text>("\" \\t \"").is_err());
        let code: TaxCode = serde_json::from_str("\"0101234567123\"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(serde_json::to_value(&code).ok(), Some(serde_json::json!("0101234567-123")));
    }

    #[test]
    fn empty_text_is_rejected() {
        assert!(Text::parse("   ").is_err());
    }

    #[test]
    fn tax_codes() {
        assert_eq!(TaxCode::parse("0101234567").map(String::from), Ok("0101234567".into()));
        assert_eq!(TaxCode::parse("0101234567-001").map(String::from), Ok("0101234567-001".into()));
        assert_eq!(TaxCode::parse("0101234567001").map(String::from), Ok("0101234567-001".into()));
        assert!(TaxCode::parse("010123456").is_err(), "9 digits");
        assert!(TaxCode::parse("01012345678").is_err(), "11 digits");
        assert!(TaxCode::parse("01012345AB").is_err(), "letters");
        assert!(TaxCode::parse("0101234567-").is_err(), "dangling hyphen");
    }

    #[test]
    fn issn_check_character() {
        assert!(Issn::parse("0317-8471").is_ok());
        assert!(Issn::parse("2049-3630").is_ok());
        assert_eq!(Issn::parse("2434561x").map(String::from), Ok("2434-561X".into()));
        assert!(Issn::parse("0317-8472").is_err());
        assert!(Issn::parse("abcd-efgh").is_err());
    }

    #[test]
    fn bounded_integers() {
        assert!(Trl::new(0).is_err());
        assert!(Trl::new(1).is_ok());
        assert!(Trl::new(9).is_ok());
        assert!(Trl::new(12).is_err());
        assert!(Vnd::new(-1).is_err());
        assert!(Vnd::new(0).is_ok());
        assert!(Year::new(2025).is_ok());
        assert!(Year::new(3000).is_err());
        assert!(Quantity::new(0).is_err());
    }

    #[test]
    fn codes() {
        assert!(Code::parse("llm").is_ok());
        assert!(Code::parse("ai-camera").is_ok());
        assert!(Code::parse("AI").is_err());
        assert!(Code::parse("").is_err());
        assert!(Code::parse("-x").is_err());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// The check character an ISSN's first seven digits call for.
    fn issn_check(digits: &[u32]) -> char {
        let sum: u32 = digits.iter().zip((2..=8).rev()).map(|(d, w)| d * w).sum();
        match (11 - sum % 11) % 11 {
            10 => 'X',
            n => char::from_digit(n, 10).unwrap_or('?'),
        }
    }

    proptest! {
        #[test]
        fn text_is_stored_once_normalised(raw in "\\PC{0,40}") {
            if let Ok(text) = Text::parse(&raw) {
                prop_assert_eq!(Text::parse(text.as_str()), Ok(text.clone()), "parsing what is stored changes nothing");
                prop_assert_eq!(text.as_str().trim(), text.as_str());
                prop_assert!(!text.as_str().is_empty());
            } else {
                prop_assert!(raw.trim().is_empty() || raw.chars().any(|c| c.is_control() && !"\n\t\r".contains(c)));
            }
        }

        #[test]
        fn tax_codes_of_ten_or_thirteen_digits_are_taken_and_written_one_way(head in "[0-9]{10}", branch in "[0-9]{3}") {
            prop_assert_eq!(TaxCode::parse(&head).map(String::from), Ok(head.clone()));
            let written = format!("{head}-{branch}");
            prop_assert_eq!(TaxCode::parse(&format!("{head}{branch}")).map(String::from), Ok(written.clone()));
            prop_assert_eq!(TaxCode::parse(&format!(" {written} ")).map(String::from), Ok(written));
        }

        #[test]
        fn tax_codes_of_other_lengths_are_refused(digits in "[0-9]{1,16}") {
            prop_assume!(digits.len() != 10 && digits.len() != 13);
            prop_assert!(TaxCode::parse(&digits).is_err());
        }

        #[test]
        fn an_issn_with_its_check_character_is_taken_and_any_other_refused(digits in proptest::collection::vec(0_u32..10, 7), wrong in 0_u32..11) {
            let check = issn_check(&digits);
            let body: String = digits.iter().filter_map(|d| char::from_digit(*d, 10)).collect();
            let issn = format!("{}-{}{check}", &body[..4], &body[4..]);
            prop_assert_eq!(Issn::parse(&issn).map(String::from), Ok(issn));
            let other = if wrong == 10 { 'X' } else { char::from_digit(wrong, 10).unwrap_or('0') };
            prop_assume!(other != check);
            let altered = format!("{}-{}{other}", &body[..4], &body[4..]);
            prop_assert!(Issn::parse(&altered).is_err());
        }

        #[test]
        fn bounded_integers_take_exactly_their_range(value in -1_000_i64..1_000_000_000_000_i64) {
            prop_assert_eq!(Trl::new(value).is_ok(), (1..=9).contains(&value));
            prop_assert_eq!(Year::new(value).is_ok(), (1990..=2100).contains(&value));
            prop_assert_eq!(Percent::new(value).is_ok(), (0..=100).contains(&value));
            prop_assert_eq!(Vnd::new(value).is_ok(), value >= 0);
            prop_assert_eq!(Quantity::new(value).is_ok(), (1..=100_000_000).contains(&value));
            if let Ok(trl) = Trl::new(value) {
                prop_assert_eq!(i64::from(trl), value);
                let json = serde_json::to_string(&trl).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(serde_json::from_str::<Trl>(&json).ok(), Some(trl));
            }
        }

        #[test]
        fn codes_are_lower_case_words_joined_by_hyphens(raw in "[a-zA-Z0-9_ -]{0,45}") {
            let ok = !raw.is_empty() && raw.len() <= 40 && !raw.starts_with('-')
                && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            prop_assert_eq!(Code::parse(&raw).is_ok(), ok);
        }
    }
}

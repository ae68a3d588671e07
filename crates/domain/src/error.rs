//! Validation errors. A `DomainError` always names the field that was wrong, so that
//! every surface (API, forms, import) can point the user at it, and says why in both of
//! cncl's languages.

use serde::Serialize;

use crate::labels::Lang;

/// Words for a user, in Vietnamese and in English: each message is written in both where it
/// arises, so a page, a file or an API answer gives it in its reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub vi: String,
    pub en: String,
}

impl Message {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self { vi: vi.into(), en: en.into() }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.vi, &self.en)
    }
}

/// English, for logs and the command line.
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// A message in both languages: `msg("…", "…")`, Vietnamese first.
pub fn msg(vi: impl Into<String>, en: impl Into<String>) -> Message {
    Message::new(vi, en)
}

/// A rejected value: which field, and why, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{field}: {message}")]
pub struct DomainError {
    /// The field path as the user sent it, for example `amount_vnd` or `roles[1]`.
    pub field: String,
    /// What is wrong with it.
    pub message: Message,
}

impl DomainError {
    pub fn new(field: impl Into<String>, message: Message) -> Self {
        Self { field: field.into(), message }
    }
}

/// Why a single value was rejected, before it is known which field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub Message);

/// Between the English and the Vietnamese of a `ValueError` passed through serde, which
/// carries an error from a value's `TryFrom` as one string (`Message::from_serde` splits it).
const SERDE_SEPARATOR: char = '\u{1f}';

/// A `ValueError` as a value's `TryFrom` gives it to serde: both languages in the one string
/// serde carries, English first, so that what serde adds after it (its position) is cut off
/// with the Vietnamese. Only serde sees this form; everywhere else a `ValueError` reads as
/// English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForSerde(pub ValueError);

impl std::fmt::Display for ForSerde {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{SERDE_SEPARATOR}{}{SERDE_SEPARATOR}", self.0.0.en, self.0.0.vi)
    }
}

impl std::error::Error for ForSerde {}

impl ValueError {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self(Message::new(vi, en))
    }

    /// Attach the field this value was given for.
    pub fn at(self, field: impl Into<String>) -> DomainError {
        DomainError::new(field, self.0)
    }
}

impl Message {
    /// A message serde carried: a `ValueError`'s two languages when it holds them.
    pub(crate) fn from_serde(text: &str) -> Option<Message> {
        let mut parts = text.split(SERDE_SEPARATOR);
        match (parts.next(), parts.next(), parts.next()) {
            (Some(en), Some(vi), Some(_)) => Some(Message::new(vi, en)),
            _ => None,
        }
    }
}

//! Passwords: argon2id hashes, a strength rule, and a check that takes the same time whether
//! or not the account exists.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use cncl_domain::{DomainError, msg};

use crate::AppError;

/// Shortest password a person may choose (NIST SP 800-63B asks for at least 8; cncl asks for
/// 12 because accounts reach enterprises' unpublished data).
const MIN_CHARS: usize = 12;

/// Least zxcvbn score accepted: 3 is "safely unguessable: moderate protection from offline
/// slow-hash scenario" (at least 10^8 guesses), which an argon2id hash makes years of work.
const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

pub(crate) fn hash(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(&e.to_string()))
}

/// A hash no password matches, checked when the account does not exist, so that a wrong
/// username costs what a wrong password costs and the answer's timing names no account.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash("no account has this password").ok());

/// Whether `password` matches the account's `hash`; `None` (no such account) takes as long
/// and never matches.
pub(crate) fn matches(password: &str, hash: Option<&str>) -> bool {
    let verify = |hash: &str| {
        PasswordHash::new(hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    };
    match hash {
        Some(hash) => verify(hash),
        None => {
            let _ = DUMMY_HASH.as_deref().map(verify);
            false
        }
    }
}

/// A password someone chose: long, and not guessable from a dictionary, common passwords,
/// keyboard patterns or their own name (`hints`). The message says why, for the form.
pub(crate) fn checked(field: &str, password: String, hints: &[&str]) -> Result<String, AppError> {
    if password.chars().count() < MIN_CHARS {
        return Err(DomainError::new(
            field,
            msg(format!("phải dài ít nhất {MIN_CHARS} ký tự"), format!("must be at least {MIN_CHARS} characters")),
        )
        .into());
    }
    let estimate = zxcvbn::zxcvbn(&password, hints);
    if estimate.score() < MIN_SCORE {
        let why = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map_or_else(|| "it is easy to guess".to_owned(), |w| w.to_string().to_lowercase());
        return Err(DomainError::new(
            field,
            msg(
                format!("quá dễ đoán ({why}); hãy dùng một cụm dài hơn gồm các từ không liên quan"),
                format!("is too easy to guess ({why}); use a longer phrase of unrelated words"),
            ),
        )
        .into());
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_strong_ones_taken() {
        for weak in ["aaaaaaaaaaaa", "password1234", "123456789012", "qwertyuiopas", "nguyenvana1990"] {
            assert!(checked("password", weak.into(), &["nguyenvana"]).is_err(), "{weak} accepted");
        }
        assert!(checked("password", "short".into(), &[]).is_err_and(|e| e.to_string().contains("at least 12")));
        for strong in ["correct horse battery staple", "Sen vàng bay qua đồi chè 2026"] {
            assert!(checked("password", strong.into(), &[]).is_ok(), "{strong} refused");
        }
    }

    #[test]
    fn an_unknown_account_never_matches() {
        assert!(!matches("anything at all", None));
        let hashed = hash("a good long passphrase").unwrap_or_default();
        assert!(matches("a good long passphrase", Some(&hashed)));
        assert!(!matches("another passphrase", Some(&hashed)));
    }
}

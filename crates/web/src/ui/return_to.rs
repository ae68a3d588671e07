//! Where a visitor goes once signed in: the page asked for and, when a session expired under
//! a form, that form again with what was typed.

use crate::ui::view::local_path;

/// Carries the destination across the steps of a sign-in (password change, TOTP).
pub const RETURN_COOKIE: &str = "cncl_return";

/// The longest destination kept in the cookie: browsers keep about 4 KB per cookie, and a
/// longer one keeps its page but not what was typed.
const MAX_KEPT_DESTINATION: usize = 3000;

/// What the sign-in form carries on: the page asked for, and a form's typed fields.
#[derive(Debug, Clone, Default)]
pub struct Resume {
    pub next: Option<String>,
    pub typed: Option<String>,
}

/// The page to open after sign-in: `next` (a path on this site, never elsewhere) with
/// `typed` (a form's fields, URL-encoded) added to its query, so that the form opens filled in.
pub fn destination(next: Option<&str>, typed: Option<&str>) -> Option<String> {
    let path = local_path(next)?;
    match typed.filter(|t| !t.is_empty()) {
        Some(typed) => {
            let joined = format!("{path}{}{typed}", if path.contains('?') { '&' } else { '?' });
            local_path(Some(&joined)).or(Some(path))
        }
        None => Some(path),
    }
}

/// A posted form's fields, URL-encoded, without its CSRF token (a new one comes with the form).
pub fn typed_fields(body: &[u8]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(body).filter(|(name, _)| name != "csrf"))
        .finish()
}

/// The destination as the cookie keeps it (percent-encoded: a query may hold `;`), or only
/// its page when what was typed makes it too long.
pub fn cookie_value(destination: &str) -> String {
    let kept = if destination.len() > MAX_KEPT_DESTINATION {
        destination.split('?').next().unwrap_or("/")
    } else {
        destination
    };
    form_urlencoded::byte_serialize(kept.as_bytes()).collect()
}

/// The destination a cookie kept, checked again: a cookie is the visitor's to change.
pub fn from_cookie(value: &str) -> Option<String> {
    let decoded: String = form_urlencoded::parse(format!("d={value}").as_bytes())
        .find(|(name, _)| name == "d")
        .map(|(_, v)| v.into_owned())?;
    local_path(Some(&decoded))
}

#[cfg(test)]
mod tests {
    use super::{cookie_value, destination, from_cookie, typed_fields};

    #[test]
    fn typed_fields_follow_the_form_back() {
        let typed = typed_fields(b"csrf=abc&title=B%C3%A1o+c%C3%A1o&amount=1.250.000");
        assert_eq!(typed, "title=B%C3%A1o+c%C3%A1o&amount=1.250.000");
        assert_eq!(
            destination(Some("/records/outputs/new?back=/tasks/1"), Some(&typed)).as_deref(),
            Some("/records/outputs/new?back=/tasks/1&title=B%C3%A1o+c%C3%A1o&amount=1.250.000")
        );
        assert_eq!(destination(Some("/tasks"), None).as_deref(), Some("/tasks"));
        assert_eq!(destination(Some("https://evil.example/"), Some("a=1")), None);
        assert_eq!(destination(Some("//evil.example/"), None), None);
    }

    #[test]
    fn the_cookie_keeps_a_local_path() {
        let kept = cookie_value("/records/outputs/new?title=a;b");
        assert!(!kept.contains(';'), "{kept}");
        assert_eq!(from_cookie(&kept).as_deref(), Some("/records/outputs/new?title=a;b"));
        let long = format!("/records/outputs/new?title={}", "x".repeat(5000));
        assert_eq!(from_cookie(&cookie_value(&long)).as_deref(), Some("/records/outputs/new"));
        assert_eq!(from_cookie(&cookie_value("https://evil.example/")), None);
    }
}

//! What several pages show alike: choices in a form, lines of a table, a record's history,
//! links that add or open records, and where a saved form returns.

use cncl_domain::{EntityKind, Lang};
use cncl_store::events::Event;
use uuid::Uuid;

use crate::auth::Caller;
use crate::i18n::format_date;

/// One choice of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One line of a table: its cells, a flag (overdue, say), and the record it opens.
pub struct Line {
    pub cells: Vec<String>,
    pub flag: Option<&'static str>,
    /// The record the line shows, to open or correct it.
    pub href: Option<String>,
}

/// A recorded history as table lines: when, which command, from which state to which (named
/// by `state`), by whom, effective when.
pub fn event_lines(events: &[Event], state: impl Fn(&str) -> String, lang: Lang) -> Vec<Line> {
    events
        .iter()
        .map(|e| Line {
            cells: vec![
                crate::i18n::format_instant(&e.recorded_at, lang),
                cncl_domain::lifecycle::command_label(&e.command, lang).unwrap_or(&e.command).to_owned(),
                format!("{} → {}", state(&e.from_status), state(&e.to_status)),
                e.actor.clone(),
                date_text(e.effective_on.as_deref().and_then(|d| d.parse().ok()), lang),
            ],
            flag: None,
            href: None,
        })
        .collect()
}

pub fn date_text(date: Option<cncl_domain::Date>, lang: Lang) -> String {
    date.map(|d| format_date(d, lang)).unwrap_or_default()
}

/// A link to add a record of `kind` with some fields filled in.
pub struct AddLink {
    pub label: String,
    pub href: String,
}

/// Links to add records of `kinds` the visitor may write, each filled in with `prefill` (a
/// query string) and returning to `back`.
pub fn add_links(caller: &Caller, kinds: &[EntityKind], prefill: &str, back: &str, lang: Lang) -> Vec<AddLink> {
    if !caller.completed() {
        return Vec::new();
    }
    kinds
        .iter()
        .filter(|&&kind| cncl_app::policy::write(&caller.actor, kind).is_ok())
        .map(|&kind| AddLink {
            label: kind.label(lang).to_owned(),
            href: format!("/records/{}/new?{prefill}&back={back}", kind.resource()),
        })
        .collect()
}

/// The link that opens record `id` (to correct it, where the visitor may) and returns to
/// `back`; none for visitors not signed in.
pub fn edit_href(caller: &Caller, kind: EntityKind, id: impl Into<Uuid>, back: &str) -> Option<String> {
    let id: Uuid = id.into();
    caller.completed().then(|| format!("/records/{}/{id}?back={back}", kind.resource()))
}

/// `back` when it resolves, by the URL standard (as a browser would resolve it), to a path
/// on this site: a crafted link cannot send users elsewhere. The path comes back
/// percent-encoded, so it is always a valid `Location`.
pub fn local_path(back: Option<&str>) -> Option<String> {
    let base = url::Url::parse("http://cncl.invalid/").ok()?;
    let resolved = base.join(back?).ok()?;
    if resolved.origin() != base.origin() || !back?.starts_with('/') {
        return None;
    }
    let mut path = resolved.path().to_owned();
    if let Some(query) = resolved.query() {
        path.push('?');
        path.push_str(query);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn back_stays_on_this_site() {
        assert_eq!(local_path(Some("/tasks/1?lang=en")).as_deref(), Some("/tasks/1?lang=en"));
        assert_eq!(local_path(Some("/records/x y")).as_deref(), Some("/records/x%20y"));
        assert_eq!(local_path(Some("/\x0b/x")).as_deref(), Some("/%0B/x"), "encoded, never a bad header");
        for away in [
            "//evil.example/x",
            "/\tevil",
            "/\t/evil.example/x",
            "/\\evil.example/x",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "/\n/evil.example",
        ] {
            let resolved = local_path(Some(away));
            assert!(
                resolved.as_deref().is_none_or(|p| p.starts_with('/') && !p.starts_with("//")),
                "{away:?} → {resolved:?}"
            );
        }
        assert_eq!(local_path(Some("/\t/evil.example/x")), None);
        assert_eq!(local_path(Some("https://evil.example/")), None);
    }
}

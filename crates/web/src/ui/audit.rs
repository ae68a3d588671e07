//! The audit log page: entries newest first, filtered by table, record, actor and dates,
//! each update shown as the fields it changed; and, on request, the result of verifying
//! the hash chain and every stored row against it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cncl_domain::{Date, EntityKind};
use cncl_store::audit::chain::Entry;
use cncl_store::audit::{AuditFilter, AuditReport};
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;
use crate::extract::{Language, StrictQuery, optional, optional_date};
use crate::i18n::{Ui, format_instant, start_of_day_in_vietnam, ui};

const PER_PAGE: u32 = 50;
/// Long values are cut so that one entry stays one line; the API has the whole entry.
const SHOWN_CHARS: usize = 80;

pub struct EntryRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub id: String,
    pub href: Option<String>,
    pub changes: Vec<String>,
    pub hash: String,
}

pub struct Verification {
    pub intact: bool,
    pub entries: i64,
    pub findings: Vec<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub entity: String,
    pub id: String,
    pub actor: String,
    pub from: String,
    pub to: String,
    pub rows: Vec<EntryRow>,
    pub total: i64,
    pub page: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub verification: Option<Verification>,
}

/// The audit page's query: its filter, its page, whether to verify, and `lang`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    actor: String,
    #[serde(default, deserialize_with = "optional_date")]
    from: Option<Date>,
    #[serde(default, deserialize_with = "optional_date")]
    to: Option<Date>,
    #[serde(default, deserialize_with = "optional")]
    page: Option<u32>,
    #[serde(default)]
    verify: Option<String>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

impl AuditQuery {
    fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    fn filter(&self) -> AuditFilter {
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        AuditFilter {
            entity: text(&self.entity),
            entity_id: text(&self.id),
            actor: text(&self.actor),
            // Days are Vietnam's; the log's instants are UTC.
            from: self.from.map(|d| start_of_day_in_vietnam(d.get())),
            // The form's "to" date is inclusive: entries before the next day.
            until: self.to.and_then(|d| d.succ_opt()).map(start_of_day_in_vietnam),
        }
    }

    /// This page's address with another page number, keeping the filter.
    fn link(&self, page: u32) -> String {
        let mut pairs = vec![
            ("entity", self.entity.clone()),
            ("id", self.id.clone()),
            ("actor", self.actor.clone()),
            ("from", self.from.map(|d| d.to_string()).unwrap_or_default()),
            ("to", self.to.map(|d| d.to_string()).unwrap_or_default()),
        ];
        pairs.retain(|(_, v)| !v.is_empty());
        pairs.push(("page", page.to_string()));
        // Encoding a list of string pairs cannot fail.
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/audit?{query}")
    }
}

/// A recorded value as the pages write values: dates and moments the language's way,
/// amounts in đồng and counts with separators; long text cut.
fn shown(value: Option<&Value>, field: &str, lang: cncl_domain::Lang) -> String {
    let text = match value {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) => match (s.parse::<chrono::NaiveDate>(), chrono::DateTime::parse_from_rfc3339(s)) {
            (Ok(date), _) => crate::i18n::format_date(date, lang),
            (_, Ok(_)) => format_instant(s, lang),
            _ => s.clone(),
        },
        Some(Value::Number(n)) => match n.as_i64() {
            Some(amount) if field.ends_with("_vnd") => crate::i18n::format_vnd(i128::from(amount), lang),
            Some(count) if field != "year" => crate::i18n::format_count(count, lang),
            _ => n.to_string(),
        },
        // A command's details: each field shown the same way.
        Some(Value::Object(fields)) => fields
            .iter()
            .map(|(name, value)| format!("{name}: {}", shown(Some(value), name, lang)))
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > SHOWN_CHARS {
        let cut: String = text.chars().take(SHOWN_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// What an entry changed, field by field (named as the forms name them): the fields a new
/// record has, the differing fields of an update.
fn changes(entry: &Entry, kind: Option<EntityKind>, lang: cncl_domain::Lang) -> Vec<String> {
    if entry.redacted {
        return vec![lang.pick("[đã xóa]", "[erased]").to_owned()];
    }
    let empty = serde_json::Map::new();
    let before = entry.before.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let after = entry.after.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.sort();
    fields.dedup();
    let label = |f: &str| kind.and_then(|k| cncl_domain::fields::field_label(k, f, lang)).unwrap_or(f).to_owned();
    fields
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .filter(|f| entry.before.is_some() || after.get(*f).is_some_and(|v| !v.is_null()))
        .map(|f| {
            if entry.before.is_none() {
                format!("{}: {}", label(f), shown(after.get(f), f, lang))
            } else {
                format!("{}: {} → {}", label(f), shown(before.get(f), f, lang), shown(after.get(f), f, lang))
            }
        })
        .collect()
}

/// What an entry did, in words: added, changed, deleted, or the lifecycle command's name.
fn action_label(action: &str, lang: cncl_domain::Lang) -> String {
    match action {
        "insert" => lang.pick("Thêm mới", "Added").to_owned(),
        "update" => lang.pick("Sửa", "Changed").to_owned(),
        "delete" => lang.pick("Xóa", "Deleted").to_owned(),
        "erase" => lang.pick("Xóa dữ liệu cá nhân", "Personal data erased").to_owned(),
        "load" => lang.pick("Nạp dữ liệu tham chiếu", "Reference data loaded").to_owned(),
        other => cncl_domain::lifecycle::command_label(other, lang).unwrap_or(other).to_owned(),
    }
}

fn row(entry: &Entry, lang: cncl_domain::Lang) -> EntryRow {
    let kind = EntityKind::ALL.into_iter().find(|&k| cncl_store::tables::table(k).name == entry.entity);
    let href = match kind {
        Some(EntityKind::Task) => Some(format!("/tasks/{}", entry.id)),
        Some(kind) => Some(format!("/records/{}/{}", kind.resource(), entry.id)),
        None => None,
    };
    EntryRow {
        seq: entry.seq,
        at: format_instant(&entry.at, lang),
        actor: entry.actor.clone(),
        action: action_label(&entry.action, lang),
        entity: kind.map_or_else(|| entry.entity.clone(), |k| k.label(lang).to_owned()),
        id: entry.id.clone(),
        href,
        changes: changes(entry, kind, lang),
        hash: entry.hash.chars().take(12).collect(),
    }
}

fn verification(report: &AuditReport, u: &Ui) -> Verification {
    let mut findings = Vec::new();
    if let Some(broken) = &report.first_broken {
        findings.push(format!("{} {}: {}", u.chain_broken, broken.seq.unwrap_or_default(), broken.problem));
    }
    findings.extend(report.mismatched_rows.iter().map(|f| format!("{} {}: {}", f.entity, f.id, f.problem)));
    Verification { intact: report.is_intact(), entries: report.entries, findings }
}

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    StrictQuery(query): StrictQuery<AuditQuery>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let u = ui(language.lang);
    let page_number = query.page();
    let page = state.app.audit_entries(&caller.actor, &query.filter(), page_number, PER_PAGE).await?;
    let verification = if query.verify.as_deref().is_some_and(|v| !v.is_empty()) {
        Some(verification(&state.app.verify_audit(&caller.actor).await?, u))
    } else {
        None
    };
    let last_page = u32::try_from((page.total + i64::from(PER_PAGE) - 1) / i64::from(PER_PAGE)).unwrap_or(u32::MAX);
    let view = AuditPage {
        ui: u,
        nav: crate::ui::page::Nav::of(&caller),
        entity: query.entity.clone(),
        id: query.id.clone(),
        actor: query.actor.clone(),
        from: query.from.map(|d| d.to_string()).unwrap_or_default(),
        to: query.to.map(|d| d.to_string()).unwrap_or_default(),
        rows: page.items.iter().map(|e| row(e, language.lang)).collect(),
        total: page.total,
        page: page_number,
        previous: (page_number > 1).then(|| query.link(page_number - 1)),
        next: (page_number < last_page).then(|| query.link(page_number + 1)),
        verification,
    };
    Ok(crate::ui::page::render(&view, language.remember()))
}

//! The task list and the task page: details, the 7 clear as a checklist, the recorded
//! history, milestones and deliverables (overdue marked), organisations, budget, progress
//! reports and, for an ordered task, the ranked proposals.

use askama::Template;
use axum::Form;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::dossier::TaskDossier;
use cncl_app::{AppError, ListQuery};
use cncl_domain::Lang;
use cncl_domain::lifecycle::TaskCommand;
use cncl_domain::task::{Task, TaskStatus};
use cncl_store::ListFilter;

use crate::AppState;
use crate::api::records::parse_id;
use crate::api::scorecard::today;
use crate::error::WebError;
use crate::i18n::{Ui, format_count, format_date, request_lang, ui};

pub struct TaskRow {
    pub href: String,
    pub code: String,
    pub title: String,
    pub product: String,
    pub status: String,
    pub status_class: &'static str,
    pub origin: String,
    pub assigned_on: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "tasks.html")]
pub struct TasksPage {
    pub ui: &'static Ui,
    pub nav: super::Nav,
    pub products: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub rows: Vec<TaskRow>,
    pub total: i64,
}

fn status_class(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Accepted => "met",
        TaskStatus::Rejected | TaskStatus::Cancelled => "not-met",
        TaskStatus::Draft | TaskStatus::Ordered => "no-data",
        _ => "on-track",
    }
}

struct TaskQuery {
    product: Option<String>,
    status: Option<String>,
    lang: Option<String>,
}

fn parse_task_query(query: Result<Query<Vec<(String, String)>>, QueryRejection>) -> Result<TaskQuery, WebError> {
    let Query(pairs) = query.map_err(|e| WebError::bad_request("query", e.body_text()))?;
    let mut out = TaskQuery { product: None, status: None, lang: None };
    for (name, value) in pairs {
        let value = Some(value).filter(|v| !v.is_empty());
        match name.as_str() {
            "product" => out.product = value,
            "status" => out.status = value,
            "lang" => out.lang = value,
            _ => return Err(WebError::bad_request(&name, "unknown parameter; use product, status")),
        }
    }
    Ok(out)
}

pub async fn list(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, super::PageError> {
    let query = parse_task_query(query)?;
    let lang = request_lang(query.lang.as_deref(), &headers);
    let filter = ListFilter { product: query.product.clone(), status: query.status.clone(), organisation: None };
    let page = state
        .app
        .list::<Task>(
            &caller.actor,
            &ListQuery { filter, page: Some(1), per_page: Some(cncl_app::records::MAX_PER_PAGE) },
        )
        .await?;
    let products = state.app.products().await?;
    let product_name = |code: &str| {
        products.iter().find(|p| p.code.as_str() == code).map_or(code.to_owned(), |p| p.name(lang).to_owned())
    };
    let rows = page
        .items
        .iter()
        .map(|t| TaskRow {
            href: format!("/tasks/{}", t.id),
            code: t.record.code.to_string(),
            title: t.record.title.to_string(),
            product: product_name(t.record.product_code.as_str()),
            status: t.record.status.label(lang).to_owned(),
            status_class: status_class(t.record.status),
            origin: t.record.origin.label(lang).to_owned(),
            assigned_on: t.record.assigned_on.map(|d| format_date(d, lang)).unwrap_or_default(),
        })
        .collect();
    let page_view = TasksPage {
        ui: ui(lang),
        nav: super::Nav::of(&caller),
        products: products
            .iter()
            .map(|p| Choice {
                value: p.code.to_string(),
                label: p.name(lang).to_owned(),
                selected: query.product.as_deref() == Some(p.code.as_str()),
            })
            .collect(),
        statuses: TaskStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str().to_owned(),
                label: s.label(lang).to_owned(),
                selected: query.status.as_deref() == Some(s.as_str()),
            })
            .collect(),
        rows,
        total: page.total,
    };
    Ok(super::render(&page_view, query.lang.as_deref().filter(|l| Lang::parse(l).is_some())))
}

fn status_label(stored: &str, lang: Lang) -> String {
    TaskStatus::parse(stored).map_or(stored.to_owned(), |s| s.label(lang).to_owned())
}

pub struct Line {
    pub cells: Vec<String>,
    pub flag: Option<&'static str>,
}

pub struct Check {
    pub label: &'static str,
    pub clear: bool,
}

#[derive(Template)]
#[template(path = "task.html")]
pub struct TaskPage {
    pub ui: &'static Ui,
    pub nav: super::Nav,
    pub code: String,
    pub title: String,
    pub status: String,
    pub status_class: &'static str,
    pub facts: Vec<(&'static str, String)>,
    pub checklist: Vec<Check>,
    pub history: Vec<Line>,
    pub due: Vec<Line>,
    pub participants: Vec<Line>,
    pub budget: Vec<Line>,
    pub reports: Vec<Line>,
    pub proposals: Vec<Line>,
    /// Where the command forms post.
    pub action: String,
    /// The commands the visitor may give the task now.
    pub forms: Vec<CommandForm>,
    /// Why the last command was refused.
    pub message: Option<String>,
}

/// A form field: `input` is an HTML input type, `textarea` or `select`.
pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub input: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
}

pub struct CommandForm {
    pub command: &'static str,
    pub label: &'static str,
    pub fields: Vec<FormField>,
    pub note: Option<&'static str>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    Path(id): Path<String>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, super::PageError> {
    let query = parse_task_query(query)?;
    let lang = request_lang(query.lang.as_deref(), &headers);
    let page = task_page(&state, &caller, parse_id(&id)?, lang, None).await?;
    Ok(super::render(&page, query.lang.as_deref().filter(|l| Lang::parse(l).is_some())))
}

async fn task_page(
    state: &AppState,
    caller: &crate::auth::Caller,
    id: uuid::Uuid,
    lang: Lang,
    message: Option<String>,
) -> Result<TaskPage, WebError> {
    let as_of = today();
    let d = state.app.task_dossier(&caller.actor, id, as_of).await?;
    let commands = if caller.completed() { state.app.task_commands_for(&caller.actor, id).await? } else { Vec::new() };
    let forms = command_forms(state, caller, &commands, &d, lang).await?;
    let u = ui(lang);
    let t = &d.task.record;
    let product = state.app.product(t.product_code.as_str()).await?;
    let group = state.app.task_group(t.task_group_code.as_str()).await?;
    let date = |d: Option<chrono::NaiveDate>| date_text(d, lang);
    let text = |t: &Option<cncl_domain::values::Text>| t.as_ref().map(ToString::to_string).unwrap_or_default();
    let money = |v: i64| format_count(v, lang);
    let facts = vec![
        (u.product, product.name(lang).to_owned()),
        (u.task_group, group.name(lang).to_owned()),
        (u.origin, t.origin.label(lang).to_owned()),
        (u.lead, d.lead_person.as_ref().map(|p| p.record.full_name.to_string()).unwrap_or_default()),
        (u.problem, text(&t.problem)),
        (u.expected_product, text(&t.expected_product)),
        (u.budget_ceiling, t.budget_ceiling_vnd.map(|v| money(v.get())).unwrap_or_default()),
        (u.deadline, date(t.deadline)),
        (u.assigned_on, date(t.assigned_on)),
        (u.accepted_on, date(t.accepted_on)),
    ];
    Ok(TaskPage {
        ui: u,
        nav: super::Nav::of(caller),
        code: t.code.to_string(),
        title: t.title.to_string(),
        status: t.status.label(lang).to_owned(),
        status_class: status_class(t.status),
        facts,
        checklist: d.checklist.iter().map(|c| Check { label: c.element.label(lang), clear: c.clear }).collect(),
        history: history_lines(&d, lang),
        due: due_lines(&d, lang),
        participants: d
            .participants
            .iter()
            .map(|p| Line {
                cells: vec![
                    p.organisation.as_ref().map(|o| o.record.name.to_string()).unwrap_or_default(),
                    p.participant.record.role.label(lang).to_owned(),
                ],
                flag: None,
            })
            .collect(),
        budget: d
            .budget
            .iter()
            .map(|b| Line {
                cells: vec![
                    b.line.record.year.to_string(),
                    b.line.record.source.label(lang).to_owned(),
                    format_count(b.line.record.amount_vnd.get(), lang),
                    format_count(b.disbursed_vnd, lang),
                ],
                flag: None,
            })
            .collect(),
        reports: report_lines(&d, lang),
        proposals: proposal_lines(&d, lang),
        action: format!("/tasks/{id}/commands"),
        forms,
        message,
    })
}

/// A form for each command the visitor may give, with today's date and what the task
/// already records filled in.
async fn command_forms(
    state: &AppState,
    caller: &crate::auth::Caller,
    commands: &[&'static str],
    d: &TaskDossier,
    lang: Lang,
) -> Result<Vec<CommandForm>, WebError> {
    let u = ui(lang);
    let t = &d.task.record;
    let field = |name, label, input, value: String| FormField { name, label, input, value, options: Vec::new() };
    let on = || field("on", u.effective_on, "date", today().to_string());
    let mut forms = Vec::new();
    for &command in commands {
        let mut note = None;
        let fields = match command {
            "order" => vec![
                field(
                    "problem",
                    u.problem,
                    "textarea",
                    t.problem.as_ref().map(ToString::to_string).unwrap_or_default(),
                ),
                field(
                    "expected_product",
                    u.expected_product,
                    "text",
                    t.expected_product.as_ref().map(ToString::to_string).unwrap_or_default(),
                ),
                field("budget_ceiling_vnd", u.budget_ceiling, "number", String::new()),
                field("deadline", u.deadline, "date", t.deadline.map(|d| d.to_string()).unwrap_or_default()),
            ],
            "assign" => {
                let organisations: Vec<_> = d.participants.iter().filter_map(|p| p.organisation.as_ref()).collect();
                let mut people = Vec::new();
                for organisation in &organisations {
                    let filter = ListFilter { organisation: Some(organisation.id), ..ListFilter::default() };
                    let query = ListQuery { filter, page: Some(1), per_page: Some(cncl_app::records::MAX_PER_PAGE) };
                    people.extend(
                        state.app.list::<cncl_domain::organisation::Person>(&caller.actor, &query).await?.items,
                    );
                }
                if organisations.is_empty() {
                    note = Some(u.no_participants);
                }
                let lead = d.lead_person.as_ref().map(|p| p.id);
                vec![
                    FormField {
                        options: organisations
                            .iter()
                            .map(|o| Choice {
                                value: o.id.to_string(),
                                label: o.record.name.to_string(),
                                selected: false,
                            })
                            .collect(),
                        ..field("lead_organisation_id", u.lead_organisation, "select", String::new())
                    },
                    FormField {
                        options: people
                            .iter()
                            .map(|p| Choice {
                                value: p.id.to_string(),
                                label: p.record.full_name.to_string(),
                                selected: Some(p.id) == lead,
                            })
                            .collect(),
                        ..field("lead_person_id", u.lead_person, "select", String::new())
                    },
                    on(),
                ]
            }
            "accept" => vec![on(), field("accepting_body", u.accepting_body, "text", String::new())],
            "reject" => vec![
                on(),
                field("accepting_body", u.accepting_body, "text", String::new()),
                field("reasons", u.reasons, "textarea", String::new()),
            ],
            "cancel" => vec![on(), field("reason", u.reason, "textarea", String::new())],
            _ => vec![on()],
        };
        let label = cncl_domain::lifecycle::command_label(command, lang).unwrap_or(command);
        forms.push(CommandForm { command, label, fields, note });
    }
    Ok(forms)
}

/// A command posted from the task page: applied, then back to the page; refused, the page
/// again with the reason.
pub async fn command(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, super::PageError> {
    let id = parse_id(&id)?;
    let csrf = pairs.iter().find(|(name, _)| name == "csrf").map_or("", |(_, value)| value.as_str());
    crate::auth::check_form(&caller, csrf)?;
    let lang = request_lang(None, &headers);
    let mut fields = serde_json::Map::new();
    for (name, value) in pairs {
        let value = value.trim();
        if name == "csrf" || value.is_empty() {
            continue;
        }
        // A form sends text; the amount is a number in the command. Digit grouping typed
        // by hand (1.000.000 or 1,000,000) is dropped.
        let value = match name.as_str() {
            "budget_ceiling_vnd" => value
                .replace(['.', ',', ' '], "")
                .parse::<i64>()
                .map_or_else(|_| serde_json::Value::from(value), serde_json::Value::from),
            _ => serde_json::Value::from(value),
        };
        fields.insert(name, value);
    }
    let outcome = match cncl_domain::parse_input_value::<TaskCommand>(serde_json::Value::Object(fields)) {
        Ok(command) => state.app.task_command(&caller.actor, id, command).await.map(|_| ()),
        Err(error) => Err(error.into()),
    };
    let error = match outcome {
        Ok(()) => return Ok(Redirect::to(&format!("/tasks/{id}")).into_response()),
        Err(error @ (AppError::Unauthenticated | AppError::NotFound { .. } | AppError::Internal(_))) => {
            return Err(super::PageError(WebError(error)));
        }
        Err(error) => error,
    };
    let u = ui(lang);
    let message = match &error {
        AppError::NotClear(missing) => format!(
            "{}: {}",
            u.seven_clear_heading,
            missing.iter().map(|e| e.label(lang)).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    };
    let status = WebError(error).status();
    let page = task_page(&state, &caller, id, lang, Some(message)).await?;
    let mut response = super::render(&page, None);
    *response.status_mut() = status;
    Ok(response)
}

fn date_text(date: Option<chrono::NaiveDate>, lang: Lang) -> String {
    date.map(|d| format_date(d, lang)).unwrap_or_default()
}

fn history_lines(d: &TaskDossier, lang: Lang) -> Vec<Line> {
    d.history
        .iter()
        .map(|e| Line {
            cells: vec![
                e.recorded_at.chars().take(16).collect::<String>().replace('T', " "),
                cncl_domain::lifecycle::command_label(&e.command, lang).unwrap_or(&e.command).to_owned(),
                format!("{} → {}", status_label(&e.from_status, lang), status_label(&e.to_status, lang)),
                e.actor.clone(),
                date_text(e.effective_on.as_deref().and_then(|d| d.parse().ok()), lang),
            ],
            flag: None,
        })
        .collect()
}

fn due_lines(d: &TaskDossier, lang: Lang) -> Vec<Line> {
    let u = ui(lang);
    let milestones = d.milestones.iter().map(|m| Line {
        cells: vec![
            u.milestone.to_owned(),
            m.item.record.name.to_string(),
            date_text(Some(m.item.record.due_on), lang),
            date_text(m.item.record.completed_on, lang),
        ],
        flag: m.overdue.then_some(u.overdue),
    });
    let deliverables = d.deliverables.iter().map(|x| Line {
        cells: vec![
            u.deliverable.to_owned(),
            format!("{} — {}", x.item.record.name, x.item.record.acceptance_criteria),
            date_text(Some(x.item.record.due_on), lang),
            date_text(x.item.record.delivered_on, lang),
        ],
        flag: x.overdue.then_some(u.overdue),
    });
    milestones.chain(deliverables).collect()
}

fn report_lines(d: &TaskDossier, lang: Lang) -> Vec<Line> {
    d.reports
        .iter()
        .map(|r| {
            let r = &r.record;
            Line {
                cells: vec![
                    format!("{} Q{}", r.year, r.quarter),
                    format!("{} %", r.progress_percent),
                    r.status.label(lang).to_owned(),
                    r.summary.to_string(),
                    r.return_reason.as_ref().map(ToString::to_string).unwrap_or_default(),
                ],
                flag: None,
            }
        })
        .collect()
}

fn proposal_lines(d: &TaskDossier, lang: Lang) -> Vec<Line> {
    d.proposals
        .iter()
        .map(|p| Line {
            cells: vec![
                p.ranking.rank.map(|r| r.to_string()).unwrap_or_default(),
                p.proposal.record.title.to_string(),
                p.ranking.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
                p.ranking.reviews.iter().map(|r| format!("{:.1}", r.weighted)).collect::<Vec<_>>().join(" · "),
                p.proposal.record.status.label(lang).to_owned(),
            ],
            flag: None,
        })
        .collect()
}

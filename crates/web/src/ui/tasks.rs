//! The task list and the task page: details, the 7 clear as a checklist, the recorded
//! history, milestones and deliverables (overdue marked), organisations, budget, progress
//! reports and, for an ordered task, the ranked proposals.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cncl_app::ListQuery;
use cncl_app::dossier::TaskDossier;
use cncl_domain::governance::ProposalStatus;
use cncl_domain::task::{Task, TaskStatus};
use cncl_domain::{EntityKind, Lang};
use cncl_store::ListFilter;
use serde::Deserialize;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Language, PathId, PlainPage, StrictQuery, optional};
use crate::i18n::{Ui, format_count, format_date, ui};
use crate::ui::task_actions::Actions;
use crate::ui::view::{Choice, Line, date_text, event_lines};

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

#[derive(Template)]
#[template(path = "tasks.html")]
pub struct TasksPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub products: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub rows: Vec<TaskRow>,
    pub total: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// The list's page `page` with the same filters.
fn page_link(query: &TaskQuery, page: u32) -> String {
    let page = page.to_string();
    let kept: Vec<(&str, &str)> = [("product", query.product.as_deref()), ("status", query.status.as_deref())]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .chain([("page", page.as_str())])
        .collect();
    format!("/tasks?{}", serde_urlencoded::to_string(&kept).unwrap_or_default())
}

/// The colour of a task's status badge.
pub fn task_status_class(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Accepted => "met",
        TaskStatus::Rejected | TaskStatus::Cancelled => "not-met",
        TaskStatus::Draft | TaskStatus::Ordered => "no-data",
        _ => "on-track",
    }
}

/// The task list's query: its filters, its page, and `lang` (read by `Language`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    #[serde(default, deserialize_with = "optional")]
    product: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    status: Option<String>,
    #[serde(default = "first_page", deserialize_with = "page_number")]
    page: u32,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

fn first_page() -> u32 {
    1
}

fn page_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    optional(deserializer).map(|page: Option<u32>| page.unwrap_or(1))
}

/// Tasks a page of the list shows.
const TASKS_PER_PAGE: u32 = 100;

pub async fn list(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    StrictQuery(query): StrictQuery<TaskQuery>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let filter = ListFilter { product: query.product.clone(), status: query.status.clone(), organisation: None };
    let page = state
        .app
        .list::<Task>(&caller.actor, &ListQuery { filter, page: Some(query.page), per_page: Some(TASKS_PER_PAGE) })
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
            status_class: task_status_class(t.record.status),
            origin: t.record.origin.label(lang).to_owned(),
            assigned_on: t.record.assigned_on.map(|d| format_date(d, lang)).unwrap_or_default(),
        })
        .collect();
    let page_view = TasksPage {
        ui: ui(lang),
        nav: crate::ui::page::Nav::of(&caller),
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
        previous: (query.page > 1).then(|| page_link(&query, query.page - 1)),
        next: (i64::from(query.page) * i64::from(TASKS_PER_PAGE) < page.total)
            .then(|| page_link(&query, query.page + 1)),
    };
    Ok(crate::ui::page::render(&page_view, language.remember()))
}

fn status_label(stored: &str, lang: Lang) -> String {
    TaskStatus::parse(stored).map_or(stored.to_owned(), |s| s.label(lang).to_owned())
}

pub struct Check {
    pub label: &'static str,
    pub clear: bool,
    /// Where the visitor can record what the element lacks.
    pub fixes: Vec<crate::ui::view::AddLink>,
}

#[derive(Template)]
#[template(path = "task.html")]
pub struct TaskPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub code: String,
    pub title: String,
    pub status: String,
    pub status_class: &'static str,
    pub facts: Vec<(&'static str, String)>,
    /// The task's own record, to complete what the 7 clear ask (scope, authority, dates…).
    pub edit_href: Option<String>,
    pub checklist: Vec<Check>,
    pub history: Vec<Line>,
    pub due: Vec<Line>,
    pub participants: Vec<Line>,
    pub budget: Vec<Line>,
    pub reports: Vec<Line>,
    pub proposals: Vec<Line>,
    /// What the visitor may do now: the task's commands, its reports' and its proposals'.
    pub actions: Actions,
    /// Why the last command was refused.
    pub message: Option<String>,
    /// Records of the task the visitor may add.
    pub add: Vec<crate::ui::view::AddLink>,
}

/// The link that opens a record of the task, if the visitor may.
type Edit<'a> = dyn Fn(EntityKind, uuid::Uuid) -> Option<String> + 'a;

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    id: PathId,
    StrictQuery(_): StrictQuery<PlainPage>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let page = task_page(&state, &caller, id.get()?, language.lang, None).await?;
    Ok(crate::ui::page::render(&page, language.remember()))
}

pub(super) async fn task_page(
    state: &AppState,
    caller: &crate::auth::Caller,
    id: uuid::Uuid,
    lang: Lang,
    message: Option<String>,
) -> Result<TaskPage, WebError> {
    let as_of = state.app.today();
    let d = state.app.task_dossier(&caller.actor, id.into(), as_of).await?;
    let actions = super::task_actions::actions(state, caller, &d, lang).await?;
    let u = ui(lang);
    let t = &d.task.record;
    let product = state.app.product(t.product_code.as_str()).await?;
    let group = state.app.task_group(t.task_group_code.as_str()).await?;
    let back = format!("/tasks/{id}");
    let edit = |kind: EntityKind, record: uuid::Uuid| crate::ui::view::edit_href(caller, kind, record, &back);
    let add = add_links(caller, &d, &back, lang);
    let facts = task_facts(&d, product.name(lang), group.name(lang), lang);
    Ok(TaskPage {
        ui: u,
        nav: crate::ui::page::Nav::of(caller),
        code: t.code.to_string(),
        title: t.title.to_string(),
        status: t.status.label(lang).to_owned(),
        status_class: task_status_class(t.status),
        facts,
        checklist: d
            .checklist
            .iter()
            .map(|c| Check {
                label: c.element.label(lang),
                clear: c.clear,
                fixes: if c.clear { Vec::new() } else { fixes(caller, c.element, &d, lang) },
            })
            .collect(),
        history: history_lines(&d, lang),
        due: due_lines(&d, lang, &edit),
        participants: participant_lines(&d, lang, &edit),
        budget: budget_lines(&d, lang, &edit),
        reports: report_lines(&d, lang, &edit),
        proposals: proposal_lines(&d, lang, &edit),
        add,
        edit_href: crate::ui::view::edit_href(caller, EntityKind::Task, id, &back)
            .filter(|_| cncl_app::policy::write(&caller.actor, EntityKind::Task).is_ok()),
        actions,
        message,
    })
}

/// What the task page states about the task, label and value.
fn task_facts(d: &TaskDossier, product: &str, group: &str, lang: Lang) -> Vec<(&'static str, String)> {
    let u = ui(lang);
    let t = &d.task.record;
    let date = |d: Option<cncl_domain::Date>| date_text(d, lang);
    let text = |t: &Option<cncl_domain::values::Text>| t.as_ref().map(ToString::to_string).unwrap_or_default();
    vec![
        (u.product, product.to_owned()),
        (u.task_group, group.to_owned()),
        (u.origin, t.origin.label(lang).to_owned()),
        (u.lead, d.lead_person.as_ref().map(|p| p.record.full_name.to_string()).unwrap_or_default()),
        (u.problem, text(&t.problem)),
        (u.expected_product, text(&t.expected_product)),
        (u.budget_ceiling, t.budget_ceiling_vnd.map(|v| format_count(v.get(), lang)).unwrap_or_default()),
        (u.deadline, date(t.deadline)),
        (u.assigned_on, date(t.assigned_on)),
        (u.accepted_on, date(t.accepted_on)),
    ]
}

fn participant_lines(d: &TaskDossier, lang: Lang, edit: &Edit<'_>) -> Vec<Line> {
    d.participants
        .iter()
        .map(|p| Line {
            cells: vec![
                p.organisation.as_ref().map(|o| o.record.name.to_string()).unwrap_or_default(),
                p.participant.record.role.label(lang).to_owned(),
            ],
            flag: None,
            href: edit(EntityKind::TaskParticipant, p.participant.id.into()),
        })
        .collect()
}

fn budget_lines(d: &TaskDossier, lang: Lang, edit: &Edit<'_>) -> Vec<Line> {
    d.budget
        .iter()
        .map(|b| Line {
            cells: vec![
                b.line.record.year.to_string(),
                b.line.record.source.label(lang).to_owned(),
                format_count(b.line.record.amount_vnd.get(), lang),
                format_count(b.disbursed_vnd, lang),
            ],
            flag: None,
            href: edit(EntityKind::BudgetLine, b.line.id.into()),
        })
        .collect()
}

/// The records a task has, which the visitor may add from its page.
const TASK_RECORDS: [EntityKind; 10] = [
    EntityKind::TaskMilestone,
    EntityKind::Deliverable,
    EntityKind::TaskParticipant,
    EntityKind::BudgetLine,
    EntityKind::ProgressReport,
    EntityKind::Proposal,
    EntityKind::Publication,
    EntityKind::IpApplication,
    EntityKind::ResearchOutcome,
    EntityKind::DualUseDemonstration,
];

/// Links to add the task's records, and a review of each proposal still open.
fn add_links(caller: &crate::auth::Caller, d: &TaskDossier, back: &str, lang: Lang) -> Vec<crate::ui::view::AddLink> {
    let mut add = crate::ui::view::add_links(caller, &TASK_RECORDS, &format!("task_id={}", d.task.id), back, lang);
    for ranked in d.proposals.iter().filter(|p| p.proposal.record.status == ProposalStatus::Submitted) {
        let prefill = format!("proposal_id={}", ranked.proposal.id);
        for mut link in crate::ui::view::add_links(caller, &[EntityKind::ProposalReview], &prefill, back, lang) {
            link.label = format!("{} — {}", link.label, ranked.proposal.record.title);
            add.push(link);
        }
    }
    add
}

/// Links to the records that would make `element` clear, for a visitor who may write them:
/// the task's own fields, or a related record added with the task filled in.
fn fixes(
    caller: &crate::auth::Caller,
    element: cncl_domain::seven_clear::ClearElement,
    d: &TaskDossier,
    lang: Lang,
) -> Vec<crate::ui::view::AddLink> {
    let task = d.task.id;
    let back = format!("/tasks/{task}");
    element
        .recorded_in()
        .iter()
        .flat_map(|&kind| match kind {
            EntityKind::Task => crate::ui::view::edit_href(caller, kind, task, &back)
                .filter(|_| cncl_app::policy::write(&caller.actor, kind).is_ok())
                .map(|href| crate::ui::view::AddLink { label: ui(lang).edit.to_owned(), href })
                .into_iter()
                .collect(),
            _ => crate::ui::view::add_links(caller, &[kind], &format!("task_id={task}"), &back, lang)
                .into_iter()
                .map(|link| crate::ui::view::AddLink { label: format!("+ {}", link.label), ..link })
                .collect::<Vec<_>>(),
        })
        .collect()
}

fn history_lines(d: &TaskDossier, lang: Lang) -> Vec<Line> {
    event_lines(&d.history, |s| status_label(s, lang), lang)
}

fn due_lines(d: &TaskDossier, lang: Lang, edit: &Edit<'_>) -> Vec<Line> {
    let u = ui(lang);
    let milestones = d.milestones.iter().map(|m| Line {
        cells: vec![
            u.milestone.to_owned(),
            m.item.record.name.to_string(),
            date_text(Some(m.item.record.due_on), lang),
            date_text(m.item.record.completed_on, lang),
        ],
        flag: m.overdue.then_some(u.overdue),
        href: edit(EntityKind::TaskMilestone, m.item.id.into()),
    });
    let deliverables = d.deliverables.iter().map(|x| Line {
        cells: vec![
            u.deliverable.to_owned(),
            format!("{} — {}", x.item.record.name, x.item.record.acceptance_criteria),
            date_text(Some(x.item.record.due_on), lang),
            date_text(x.item.record.delivered_on, lang),
        ],
        flag: x.overdue.then_some(u.overdue),
        href: edit(EntityKind::Deliverable, x.item.id.into()),
    });
    milestones.chain(deliverables).collect()
}

fn report_lines(d: &TaskDossier, lang: Lang, edit: &Edit<'_>) -> Vec<Line> {
    d.reports
        .iter()
        .map(|stored| {
            let r = &stored.record;
            Line {
                cells: vec![
                    format!("{} Q{}", r.year, r.quarter),
                    format!("{} %", r.progress_percent),
                    r.status.label(lang).to_owned(),
                    r.summary.to_string(),
                    r.return_reason.as_ref().map(ToString::to_string).unwrap_or_default(),
                ],
                flag: None,
                href: edit(EntityKind::ProgressReport, stored.id.into()),
            }
        })
        .collect()
}

fn proposal_lines(d: &TaskDossier, lang: Lang, edit: &Edit<'_>) -> Vec<Line> {
    d.proposals
        .iter()
        .map(|p| Line {
            cells: vec![
                p.ranking.rank.map(|r| r.to_string()).unwrap_or_default(),
                p.proposal.record.title.to_string(),
                p.ranking.score.map(|s| crate::i18n::format_decimal(s, 2, lang)).unwrap_or_default(),
                p.ranking
                    .reviews
                    .iter()
                    .map(|r| crate::i18n::format_decimal(r.weighted, 1, lang))
                    .collect::<Vec<_>>()
                    .join(" · "),
                p.proposal.record.status.label(lang).to_owned(),
            ],
            flag: None,
            href: edit(EntityKind::Proposal, p.proposal.id.into()),
        })
        .collect()
}

//! What a visitor may do from the task page: the task's lifecycle commands, the review of
//! its progress reports and the selection of a proposal. Only what the visitor may do now is
//! offered; every post goes through the same `app` use-cases as the API, and a refusal shows
//! the task page again with the reason.

use cncl_app::ListQuery;
use cncl_app::dossier::TaskDossier;
use cncl_domain::Lang;
use cncl_domain::governance::{ProgressReport, ProposalStatus, ReportCommandName};
use cncl_domain::lifecycle::TaskCommandName;
use cncl_store::ListFilter;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::i18n::ui;
use crate::ui::view::Choice;

/// A form field: `input` is an HTML input type, `textarea` or `select`.
pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub input: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
}

pub struct CommandForm {
    /// Where the form posts.
    pub action: String,
    /// The command's name, sent as the `command` field; none where the address says it.
    pub command: Option<&'static str>,
    pub label: String,
    pub fields: Vec<FormField>,
    pub note: Option<&'static str>,
    /// A command that cannot be undone: the form opens only on a first click, saying so.
    pub confirm: Option<&'static str>,
}

/// The forms the task page offers, by what they act on.
#[derive(Default)]
pub struct Actions {
    pub task: Vec<CommandForm>,
    pub reports: Vec<CommandForm>,
    pub proposals: Vec<CommandForm>,
}

fn field(name: &'static str, label: &'static str, input: &'static str, value: String) -> FormField {
    FormField { name, label, input, value, options: Vec::new() }
}

fn effective_on(today: cncl_domain::Date, lang: Lang) -> FormField {
    field("on", ui(lang).effective_on, "date", today.to_string())
}

/// Every form the visitor may use on task `d` now, with today's date and what the task
/// already records filled in. A visitor still signing in is offered nothing.
pub async fn actions(state: &AppState, caller: &Caller, d: &TaskDossier, lang: Lang) -> Result<Actions, WebError> {
    if !caller.completed() {
        return Ok(Actions::default());
    }
    let task_commands = state.app.task_commands_for(&caller.actor, d.task.id).await?;
    let mut actions = Actions::default();
    for &command in &task_commands {
        actions.task.push(task_form(state, caller, d, command, lang).await?);
    }
    for report in &d.reports {
        for command in state.app.report_commands_for(&caller.actor, report.id).await? {
            actions.reports.push(report_form(report.id.as_uuid(), &report.record, command, state.app.today(), lang));
        }
    }
    // Choosing a proposal assigns the task, so it is offered exactly when assigning is.
    if task_commands.contains(&TaskCommandName::Assign) && cncl_app::policy::office(&caller.actor, true).is_ok() {
        let u = ui(lang);
        for ranked in d.proposals.iter().filter(|p| p.proposal.record.status == ProposalStatus::Submitted) {
            actions.proposals.push(CommandForm {
                action: format!("/proposals/{}/select", ranked.proposal.id),
                command: None,
                label: format!("{} — {}", u.select_proposal, ranked.proposal.record.title),
                fields: vec![effective_on(state.app.today(), lang)],
                note: None,
                confirm: None,
            });
        }
    }
    Ok(actions)
}

async fn task_form(
    state: &AppState,
    caller: &Caller,
    d: &TaskDossier,
    command: TaskCommandName,
    lang: Lang,
) -> Result<CommandForm, WebError> {
    let u = ui(lang);
    let t = &d.task.record;
    let text = |value: Option<&cncl_domain::values::Text>| value.map(ToString::to_string).unwrap_or_default();
    let mut note = None;
    let fields = match command {
        TaskCommandName::Order => vec![
            field("problem", u.problem, "textarea", text(t.problem.as_ref())),
            field("expected_product", u.expected_product, "text", text(t.expected_product.as_ref())),
            field("budget_ceiling_vnd", u.budget_ceiling, "number", String::new()),
            field("deadline", u.deadline, "date", t.deadline.map(|d| d.to_string()).unwrap_or_default()),
        ],
        TaskCommandName::Assign => {
            let (fields, missing) = assign_fields(state, caller, d, lang).await?;
            note = missing;
            fields
        }
        TaskCommandName::Accept => vec![
            effective_on(state.app.today(), lang),
            field("accepting_body", u.accepting_body, "text", String::new()),
        ],
        TaskCommandName::Reject => vec![
            effective_on(state.app.today(), lang),
            field("accepting_body", u.accepting_body, "text", String::new()),
            field("reasons", u.reasons, "textarea", String::new()),
        ],
        TaskCommandName::Cancel => {
            vec![effective_on(state.app.today(), lang), field("reason", u.reason, "textarea", String::new())]
        }
        _ => vec![effective_on(state.app.today(), lang)],
    };
    Ok(CommandForm {
        action: format!("/tasks/{}/commands", d.task.id),
        command: Some(command.as_str()),
        label: command.label(lang).to_owned(),
        fields,
        note,
        confirm: command.is_final().then_some(u.final_command),
    })
}

/// The assignment's fields: the lead organisation among the task's participants, its lead
/// person among their people, and the date. With no participant, a note says to add one.
async fn assign_fields(
    state: &AppState,
    caller: &Caller,
    d: &TaskDossier,
    lang: Lang,
) -> Result<(Vec<FormField>, Option<&'static str>), WebError> {
    let u = ui(lang);
    let organisations: Vec<_> = d.participants.iter().filter_map(|p| p.organisation.as_ref()).collect();
    let mut people = Vec::new();
    for organisation in &organisations {
        let filter = ListFilter { organisation: Some(organisation.id.as_uuid()), ..ListFilter::default() };
        let query = ListQuery { filter, page: Some(1), per_page: Some(cncl_app::records::MAX_PER_PAGE) };
        people.extend(state.app.list::<cncl_domain::organisation::Person>(&caller.actor, &query).await?.items);
    }
    let note = organisations.is_empty().then_some(u.no_participants);
    let lead = d.lead_person.as_ref().map(|p| p.id);
    let fields = vec![
        FormField {
            options: organisations
                .iter()
                .map(|o| Choice { value: o.id.to_string(), label: o.record.name.to_string(), selected: false })
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
        effective_on(state.app.today(), lang),
    ];
    Ok((fields, note))
}

fn report_form(
    id: Uuid,
    report: &ProgressReport,
    command: ReportCommandName,
    today: cncl_domain::Date,
    lang: Lang,
) -> CommandForm {
    let mut fields = vec![effective_on(today, lang)];
    if matches!(command, ReportCommandName::Return | ReportCommandName::Reopen) {
        fields.push(field("reason", ui(lang).reason, "textarea", String::new()));
    }
    CommandForm {
        action: format!("/progress-reports/{id}/commands"),
        command: Some(command.as_str()),
        label: format!("{} — {} Q{}", command.label(lang), report.year, report.quarter),
        fields,
        note: None,
        confirm: None,
    }
}

//! Reporting obligations: who owes which report for which period, by when, and where each
//! stands on a date. They are derived from the facts, never typed in:
//! - a task owes a quarterly progress report from its lead organisation for every quarter
//!   from its assignment until it is accepted (or closed otherwise);
//! - the maker of a launched product model owes a yearly report of the model's records that
//!   the criteria set names (sales, cost lines, bill of materials);
//! - an organisation with training records owes them yearly.
//!
//! The periods, due days and satisfying records are the criteria set's (`obligation_rules`);
//! the rates and the overdue list are `compliance`'s, the reminder stages `reminders`'.
//! Pure, like the rest of the evaluator: the facts and `as_of` come in as arguments.

use chrono::{Datelike, Days, NaiveDate};
use cncl_domain::governance::ReportStatus;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::obligation_rules::{ModelRecord, ObligationRules, PeriodKind};

/// A reporting period: a quarter or a calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub year: i32,
    /// `None` for a whole year.
    pub quarter: Option<u8>,
}

impl Period {
    /// The period of `kind` that contains `day`.
    pub fn containing(kind: PeriodKind, day: NaiveDate) -> Period {
        let quarter = match kind {
            PeriodKind::Quarter => u8::try_from(day.month0() / 3 + 1).ok(),
            PeriodKind::Year => None,
        };
        Period { year: day.year(), quarter }
    }

    pub fn starts_on(self) -> NaiveDate {
        let month = self.quarter.map_or(1, |q| u32::from(q) * 3 - 2);
        NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn ends_on(self) -> NaiveDate {
        self.next().starts_on().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// The period after this one.
    pub fn next(self) -> Period {
        match self.quarter {
            Some(4) => Period { year: self.year + 1, quarter: Some(1) },
            Some(q) => Period { year: self.year, quarter: Some(q + 1) },
            None => Period { year: self.year + 1, quarter: None },
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.quarter {
            Some(q) => write!(f, "{}Q{q}", self.year),
            None => write!(f, "{}", self.year),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// A task's quarterly progress report.
    TaskProgress,
    /// A product model maker's yearly report.
    ModelReport,
    /// An organisation's yearly training records.
    TrainingReport,
}

/// Where an obligation stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObligationStatus {
    /// Submitted by the due date and approved (records that need no review count as
    /// approved once recorded).
    MetOnTime,
    /// Submitted after the due date and approved.
    MetLate,
    /// Awaiting the office's review.
    Submitted,
    /// Sent back by the office, to be corrected and submitted again.
    Returned,
    /// Due, and nothing submitted.
    Missing,
    /// The period has ended, the due date has not come, and nothing is submitted yet.
    NotDue,
}

impl ObligationStatus {
    pub const ALL: [ObligationStatus; 6] =
        [Self::MetOnTime, Self::MetLate, Self::Submitted, Self::Returned, Self::Missing, Self::NotDue];

    /// Whether the report has arrived and stands (approved or awaiting review).
    pub fn is_reported(self) -> bool {
        matches!(self, Self::MetOnTime | Self::MetLate | Self::Submitted)
    }
}

/// One report owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obligation {
    pub kind: ObligationKind,
    /// The task, the product model, or the organisation (training).
    pub subject: Uuid,
    /// Who owes it: the task's lead organisation, the model's maker, the organisation.
    pub organisation: Option<Uuid>,
    pub product: Option<String>,
    pub task_group: Option<String>,
    pub period: Period,
    pub due_on: NaiveDate,
    pub status: ObligationStatus,
    /// When it was (first) submitted, by `as_of`.
    pub submitted_on: Option<NaiveDate>,
    /// The progress report that answers it, once one exists (a draft too).
    pub report: Option<Uuid>,
}

impl Obligation {
    /// Whether the report counts in the rates on `as_of`: its due date has come.
    pub fn is_expected(&self, as_of: NaiveDate) -> bool {
        self.due_on <= as_of
    }

    /// Days past the due date on `as_of` while the report is missing or returned.
    pub fn days_late(&self, as_of: NaiveDate) -> Option<i64> {
        let outstanding = matches!(self.status, ObligationStatus::Missing | ObligationStatus::Returned);
        (outstanding && as_of > self.due_on).then(|| (as_of - self.due_on).num_days())
    }

    /// Whether it was submitted by its due date.
    pub fn on_time(&self) -> bool {
        self.submitted_on.is_some_and(|s| s <= self.due_on)
    }
}

/// A task, as far as its reports are concerned.
#[derive(Debug, Clone)]
pub struct TaskObligor {
    pub id: Uuid,
    pub product: String,
    pub task_group: String,
    pub lead_organisation: Option<Uuid>,
    pub assigned_on: Option<NaiveDate>,
    /// When it stopped owing reports: accepted, rejected or cancelled. Reports are owed for
    /// the quarters that ended before.
    pub closed_on: Option<NaiveDate>,
}

/// A progress report and the dates its status changed on.
#[derive(Debug, Clone)]
pub struct ReportTrail {
    pub id: Uuid,
    pub task: Uuid,
    pub year: i32,
    pub quarter: u8,
    /// In the order they happened: the day each status took effect.
    pub steps: Vec<(NaiveDate, ReportStatus)>,
}

/// A product model that, once launched, owes yearly reports.
#[derive(Debug, Clone)]
pub struct ModelObligor {
    pub id: Uuid,
    pub product: String,
    pub maker: Uuid,
    pub launched_on: Option<NaiveDate>,
}

/// A record that answers a yearly report, and the day it was first recorded in cncl.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub kind: RecordedKind,
    /// The model, or the organisation for training.
    pub subject: Uuid,
    /// The year the record is about, where it has one (sales, training).
    pub year: Option<i32>,
    pub recorded_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordedKind {
    Model(ModelRecord),
    Training,
}

/// Everything obligations are derived from.
#[derive(Debug, Clone, Default)]
pub struct ObligationFacts {
    /// Nothing is owed for periods that ended before the programme began.
    pub programme_starts_on: Option<NaiveDate>,
    pub tasks: Vec<TaskObligor>,
    pub reports: Vec<ReportTrail>,
    pub models: Vec<ModelObligor>,
    pub recorded: Vec<Recorded>,
}

/// Every report owed for a period that has ended by `as_of`, and where each stands then.
pub fn obligations(facts: &ObligationFacts, rules: &ObligationRules, as_of: NaiveDate) -> Vec<Obligation> {
    let first = facts.programme_starts_on.unwrap_or(NaiveDate::MIN);
    let mut owed = task_obligations(facts, rules, first, as_of);
    owed.extend(model_obligations(facts, rules, first, as_of));
    owed.extend(training_obligations(facts, rules, first, as_of));
    owed
}

/// The periods of `kind` from the one containing `from` to the last that ended by `as_of`
/// and before `until` (exclusive), never before `first`.
fn periods(
    kind: PeriodKind,
    from: NaiveDate,
    until: Option<NaiveDate>,
    first: NaiveDate,
    as_of: NaiveDate,
) -> Vec<Period> {
    let mut period = Period::containing(kind, from.max(first));
    let mut all = Vec::new();
    while period.ends_on() <= as_of && until.is_none_or(|u| period.ends_on() < u) {
        all.push(period);
        period = period.next();
    }
    all
}

fn due_on(period: Period, rules: &ObligationRules, kind: ObligationKind) -> NaiveDate {
    let days = match kind {
        ObligationKind::TaskProgress => rules.task_progress.due_days,
        ObligationKind::ModelReport => rules.model_report.due_days,
        ObligationKind::TrainingReport => rules.training_report.due_days,
    };
    period.ends_on().checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
}

/// The status of an obligation with nothing (standing) submitted.
fn unsubmitted(due_on: NaiveDate, as_of: NaiveDate) -> ObligationStatus {
    if due_on <= as_of { ObligationStatus::Missing } else { ObligationStatus::NotDue }
}

fn task_obligations(
    facts: &ObligationFacts,
    rules: &ObligationRules,
    first: NaiveDate,
    as_of: NaiveDate,
) -> Vec<Obligation> {
    let mut reports: std::collections::HashMap<(Uuid, i32, u8), &ReportTrail> =
        std::collections::HashMap::with_capacity(facts.reports.len());
    for report in &facts.reports {
        reports.insert((report.task, report.year, report.quarter), report);
    }
    let mut owed = Vec::new();
    for task in &facts.tasks {
        let Some(assigned_on) = task.assigned_on.filter(|a| *a <= as_of) else { continue };
        let closed_on = task.closed_on.filter(|c| *c <= as_of);
        for period in periods(PeriodKind::Quarter, assigned_on, closed_on, first, as_of) {
            let due_on = due_on(period, rules, ObligationKind::TaskProgress);
            let report = reports.get(&(task.id, period.year, period.quarter.unwrap_or(0)));
            let (status, submitted_on) = match report {
                Some(report) => report_status(report, due_on, as_of),
                None => (unsubmitted(due_on, as_of), None),
            };
            owed.push(Obligation {
                kind: ObligationKind::TaskProgress,
                subject: task.id,
                organisation: task.lead_organisation,
                product: Some(task.product.clone()),
                task_group: Some(task.task_group.clone()),
                period,
                due_on,
                status,
                submitted_on,
                report: report.map(|r| r.id),
            });
        }
    }
    owed
}

/// Where a progress report stands on `as_of`, and when it was first submitted: the last
/// status that had taken effect by then. Whether it was on time goes by its first
/// submission, so a report returned and corrected is not late for the correction.
fn report_status(report: &ReportTrail, due_on: NaiveDate, as_of: NaiveDate) -> (ObligationStatus, Option<NaiveDate>) {
    let taken: Vec<&(NaiveDate, ReportStatus)> = report.steps.iter().filter(|(on, _)| *on <= as_of).collect();
    let submitted_on = taken.iter().find(|(_, s)| *s == ReportStatus::Submitted).map(|(on, _)| *on);
    let status = match taken.last().map(|(_, s)| *s) {
        None | Some(ReportStatus::Draft) => unsubmitted(due_on, as_of),
        Some(ReportStatus::Submitted) => ObligationStatus::Submitted,
        Some(ReportStatus::Returned) => ObligationStatus::Returned,
        Some(ReportStatus::Approved) if submitted_on.is_some_and(|s| s <= due_on) => ObligationStatus::MetOnTime,
        Some(ReportStatus::Approved) => ObligationStatus::MetLate,
    };
    (status, submitted_on)
}

/// A yearly report that needs no review: met when every required record is there, on the
/// day the last of them was first recorded.
fn yearly_status(
    required: &[Option<NaiveDate>],
    due_on: NaiveDate,
    as_of: NaiveDate,
) -> (ObligationStatus, Option<NaiveDate>) {
    let all: Option<Vec<NaiveDate>> = required.iter().copied().collect();
    match all.and_then(|days| days.into_iter().max()) {
        Some(day) if day <= due_on => (ObligationStatus::MetOnTime, Some(day)),
        Some(day) => (ObligationStatus::MetLate, Some(day)),
        None => (unsubmitted(due_on, as_of), None),
    }
}

/// A yearly report (no review, no task group) about `subject`, owed by `organisation`.
fn yearly(
    kind: ObligationKind,
    (subject, organisation, product): (Uuid, Uuid, Option<String>),
    period: Period,
    due_on: NaiveDate,
    (status, submitted_on): (ObligationStatus, Option<NaiveDate>),
) -> Obligation {
    Obligation {
        kind,
        subject,
        organisation: Some(organisation),
        product,
        task_group: None,
        period,
        due_on,
        status,
        submitted_on,
        report: None,
    }
}

/// The first day a record of `kind` about `subject` (for `year`, where the kind has years)
/// was recorded, by `as_of`.
fn first_recorded(
    recorded: &[&Recorded],
    kind: RecordedKind,
    year: Option<i32>,
    as_of: NaiveDate,
) -> Option<NaiveDate> {
    recorded
        .iter()
        .filter(|r| r.kind == kind && r.recorded_on <= as_of && (r.year.is_none() || year.is_none() || r.year == year))
        .map(|r| r.recorded_on)
        .min()
}

fn by_subject(recorded: &[Recorded]) -> std::collections::HashMap<Uuid, Vec<&Recorded>> {
    let mut map: std::collections::HashMap<Uuid, Vec<&Recorded>> = std::collections::HashMap::new();
    for r in recorded {
        map.entry(r.subject).or_default().push(r);
    }
    map
}

fn model_obligations(
    facts: &ObligationFacts,
    rules: &ObligationRules,
    first: NaiveDate,
    as_of: NaiveDate,
) -> Vec<Obligation> {
    let recorded = by_subject(&facts.recorded);
    let mut owed = Vec::new();
    for model in &facts.models {
        let Some(launched_on) = model.launched_on.filter(|l| *l <= as_of) else { continue };
        let records = recorded.get(&model.id).map_or(&[][..], Vec::as_slice);
        for period in periods(PeriodKind::Year, launched_on, None, first, as_of) {
            let due_on = due_on(period, rules, ObligationKind::ModelReport);
            let required: Vec<Option<NaiveDate>> = rules
                .model_report
                .satisfied_by
                .iter()
                .map(|kind| {
                    let year = (*kind == ModelRecord::ModelSales).then_some(period.year);
                    first_recorded(records, RecordedKind::Model(*kind), year, as_of)
                })
                .collect();
            let owner = (model.id, model.maker, Some(model.product.clone()));
            owed.push(yearly(
                ObligationKind::ModelReport,
                owner,
                period,
                due_on,
                yearly_status(&required, due_on, as_of),
            ));
        }
    }
    owed
}

fn training_obligations(
    facts: &ObligationFacts,
    rules: &ObligationRules,
    first: NaiveDate,
    as_of: NaiveDate,
) -> Vec<Obligation> {
    let mut owed = Vec::new();
    let recorded = by_subject(&facts.recorded);
    let mut organisations: Vec<(&Uuid, &Vec<&Recorded>)> = recorded.iter().collect();
    organisations.sort_by_key(|(id, _)| **id);
    for (organisation, records) in organisations {
        let training: Vec<&Recorded> =
            records.iter().copied().filter(|r| r.kind == RecordedKind::Training && r.recorded_on <= as_of).collect();
        let Some(first_year) = training.iter().filter_map(|r| r.year).min() else { continue };
        let from = NaiveDate::from_ymd_opt(first_year, 1, 1).unwrap_or(NaiveDate::MIN);
        for period in periods(PeriodKind::Year, from, None, first, as_of) {
            let due_on = due_on(period, rules, ObligationKind::TrainingReport);
            let day = first_recorded(&training, RecordedKind::Training, Some(period.year), as_of);
            let owner = (*organisation, *organisation, None);
            owed.push(yearly(
                ObligationKind::TrainingReport,
                owner,
                period,
                due_on,
                yearly_status(&[day], due_on, as_of),
            ));
        }
    }
    owed
}

impl ObligationKind {
    pub fn label(self, lang: cncl_domain::Lang) -> &'static str {
        match self {
            Self::TaskProgress => lang.pick("Báo cáo tiến độ quý của nhiệm vụ", "Task's quarterly progress report"),
            Self::ModelReport => lang.pick(
                "Báo cáo năm của mẫu sản phẩm (doanh số, chi phí, định mức)",
                "Product model's yearly report (sales, costs, bill of materials)",
            ),
            Self::TrainingReport => lang.pick("Báo cáo đào tạo năm", "Yearly training report"),
        }
    }
}

impl ObligationStatus {
    pub fn label(self, lang: cncl_domain::Lang) -> &'static str {
        match self {
            Self::MetOnTime => lang.pick("Đúng hạn", "Met on time"),
            Self::MetLate => lang.pick("Nộp muộn", "Met late"),
            Self::Submitted => lang.pick("Chờ duyệt", "Awaiting review"),
            Self::Returned => lang.pick("Bị trả lại", "Returned"),
            Self::Missing => lang.pick("Chưa nộp", "Missing"),
            Self::NotDue => lang.pick("Chưa đến hạn", "Not yet due"),
        }
    }

    /// The status's name in the API and in page classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MetOnTime => "met_on_time",
            Self::MetLate => "met_late",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Missing => "missing",
            Self::NotDue => "not_due",
        }
    }
}

impl Obligation {
    /// The obligation's key: which report, of what, for which period.
    pub fn key(&self) -> String {
        let kind = match self.kind {
            ObligationKind::TaskProgress => "task_progress",
            ObligationKind::ModelReport => "model_report",
            ObligationKind::TrainingReport => "training_report",
        };
        format!("{kind}:{}:{}", self.subject, self.period)
    }
}

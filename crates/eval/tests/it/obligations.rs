//! Reporting obligations on hand-computed cases: which reports are owed, and where each
//! stands on a date.

use chrono::NaiveDate;
use cncl_domain::governance::ReportStatus::{Approved, Draft, Returned, Submitted};
use cncl_eval::compliance::{Rates, overdue};
use cncl_eval::criteria::{DECISION_2815, parse_criteria_set};
use cncl_eval::obligation_rules::{ModelRecord, ModelReportRule, ObligationRules};
use cncl_eval::obligations::{
    ModelObligor, ObligationFacts, ObligationKind, ObligationStatus, Period, Recorded, RecordedKind, ReportTrail,
    TaskObligor, obligations,
};

use crate::build::{d, id, set};

fn task(n: u128, assigned_on: NaiveDate, closed_on: Option<NaiveDate>) -> TaskObligor {
    TaskObligor {
        id: id(n),
        product: "llm".into(),
        task_group: "G1".into(),
        lead_organisation: Some(id(100 + n)),
        assigned_on: Some(assigned_on),
        closed_on,
    }
}

fn report(task: u128, quarter: u8, steps: &[(NaiveDate, cncl_domain::governance::ReportStatus)]) -> ReportTrail {
    ReportTrail {
        id: id(1000 + task * 10 + u128::from(quarter)),
        task: id(task),
        year: 2026,
        quarter,
        steps: steps.to_vec(),
    }
}

/// Task 1 reports every quarter (Q1 on time, Q2 late, Q3 awaiting review); task 2's Q1 was
/// returned and it has sent nothing since; task 3 began in Q3 and has only a draft.
fn three_tasks() -> ObligationFacts {
    ObligationFacts {
        programme_starts_on: Some(d(2025, 1, 1)),
        tasks: vec![task(1, d(2026, 2, 10), None), task(2, d(2026, 1, 5), None), task(3, d(2026, 8, 1), None)],
        reports: vec![
            report(1, 1, &[(d(2026, 4, 10), Submitted), (d(2026, 4, 20), Approved)]),
            report(1, 2, &[(d(2026, 7, 20), Submitted), (d(2026, 7, 25), Approved)]),
            report(1, 3, &[(d(2026, 10, 1), Submitted)]),
            report(2, 1, &[(d(2026, 4, 1), Submitted), (d(2026, 4, 10), Returned)]),
            report(3, 3, &[(d(2026, 9, 1), Draft)]),
        ],
        ..ObligationFacts::default()
    }
}

fn statuses(owed: &[cncl_eval::obligations::Obligation]) -> Vec<(u128, String, ObligationStatus)> {
    owed.iter().map(|o| (o.subject.as_u128(), o.period.to_string(), o.status)).collect()
}

#[test]
fn each_quarter_from_assignment_owes_a_report_due_fifteen_days_after() {
    let rules = set().obligations;
    let as_of = d(2026, 10, 15);
    let owed = obligations(&three_tasks(), &rules, as_of);
    use ObligationStatus::*;
    assert_eq!(
        statuses(&owed),
        [
            (1, "2026Q1".into(), MetOnTime),
            (1, "2026Q2".into(), MetLate),
            (1, "2026Q3".into(), Submitted),
            (2, "2026Q1".into(), Returned),
            (2, "2026Q2".into(), Missing),
            (2, "2026Q3".into(), Missing),
            (3, "2026Q3".into(), Missing),
        ]
    );
    assert_eq!(owed[2].due_on, d(2026, 10, 15));
    assert_eq!(owed[0].organisation, Some(id(101)), "the lead organisation owes it");
    assert_eq!(owed[6].report, Some(id(1033)), "the draft is the form to finish");
    // Due today is expected but not yet late.
    assert_eq!(owed[5].days_late(as_of), None);
    assert_eq!(owed[4].days_late(as_of), Some(92));
    assert_eq!(owed[3].days_late(as_of), Some(183), "a returned report stays late until it stands");
    // 7 expected; task 1's three arrived and stand; its Q1 and Q3 were on time. Task 2's Q1
    // was sent on time but returned, so it counts in neither.
    assert_eq!(Rates::of(&owed, as_of), Rates { expected: 7, reported: 3, on_time: 2 });
    let late: Vec<(u128, String)> =
        overdue(&owed, as_of).iter().map(|o| (o.subject.as_u128(), o.period.to_string())).collect();
    assert_eq!(late, [(2, "2026Q1".into()), (2, "2026Q2".into())]);
}

#[test]
fn statuses_are_those_of_the_date_asked() {
    let rules = set().obligations;
    use ObligationStatus::*;
    // The day after Q2's due date: task 1's Q2 had not arrived, Q3 had not ended.
    let owed = obligations(&three_tasks(), &rules, d(2026, 7, 16));
    assert_eq!(
        statuses(&owed),
        [
            (1, "2026Q1".into(), MetOnTime),
            (1, "2026Q2".into(), Missing),
            (2, "2026Q1".into(), Returned),
            (2, "2026Q2".into(), Missing),
        ]
    );
    // Between submission and review, and before the due date with nothing sent.
    let owed = obligations(&three_tasks(), &rules, d(2026, 4, 5));
    assert_eq!(statuses(&owed), [(1, "2026Q1".into(), NotDue), (2, "2026Q1".into(), Submitted)]);
    assert_eq!(Rates::of(&owed, d(2026, 4, 5)), Rates::default(), "nothing is due yet");
}

#[test]
fn a_closed_task_owes_the_quarters_that_ended_before_it_closed() {
    let facts = ObligationFacts {
        tasks: vec![task(1, d(2025, 11, 3), Some(d(2026, 7, 5))), task(2, d(2026, 1, 2), Some(d(2026, 6, 30)))],
        ..ObligationFacts::default()
    };
    let owed = obligations(&facts, &set().obligations, d(2026, 12, 31));
    let periods: Vec<(u128, String)> = owed.iter().map(|o| (o.subject.as_u128(), o.period.to_string())).collect();
    assert_eq!(
        periods,
        [(1, "2025Q4".into()), (1, "2026Q1".into()), (1, "2026Q2".into()), (2, "2026Q1".into())],
        "accepted on the quarter's last day: that quarter's report is the acceptance"
    );
}

fn recorded(kind: RecordedKind, subject: u128, year: Option<i32>, on: NaiveDate) -> Recorded {
    Recorded { kind, subject: id(subject), year, recorded_on: on }
}

#[test]
fn a_launched_models_yearly_report_is_met_when_its_last_required_record_arrives() {
    let facts = ObligationFacts {
        programme_starts_on: Some(d(2025, 1, 1)),
        models: vec![
            ModelObligor { id: id(7), product: "uav".into(), maker: id(70), launched_on: Some(d(2024, 6, 1)) },
            ModelObligor { id: id(8), product: "uav".into(), maker: id(80), launched_on: None },
        ],
        recorded: vec![
            recorded(RecordedKind::Model(ModelRecord::ModelSales), 7, Some(2025), d(2026, 1, 10)),
            recorded(RecordedKind::Model(ModelRecord::ModelSales), 7, Some(2026), d(2026, 1, 11)),
            recorded(RecordedKind::Model(ModelRecord::CostLine), 7, None, d(2025, 12, 1)),
            recorded(RecordedKind::Model(ModelRecord::BomLine), 7, None, d(2026, 2, 1)),
        ],
        ..ObligationFacts::default()
    };
    let rules = set().obligations;
    use ObligationStatus::*;
    // Launched in 2024, before the programme: owed from 2025. 2026 has not ended.
    let owed = obligations(&facts, &rules, d(2026, 11, 30));
    assert_eq!(statuses(&owed), [(7, "2025".into(), MetLate)]);
    assert_eq!(
        (owed[0].kind, owed[0].due_on, owed[0].submitted_on),
        (ObligationKind::ModelReport, d(2026, 1, 15), Some(d(2026, 2, 1)))
    );
    assert_eq!(owed[0].organisation, Some(id(70)), "the maker owes it");
    // Before the bill of materials arrived the report was missing.
    let owed = obligations(&facts, &rules, d(2026, 1, 20));
    assert_eq!((owed[0].status, owed[0].days_late(d(2026, 1, 20))), (Missing, Some(5)));
    // A set that asks only for sales: met on time.
    let sales_only = ObligationRules {
        model_report: ModelReportRule { satisfied_by: vec![ModelRecord::ModelSales], ..rules.model_report.clone() },
        ..rules.clone()
    };
    let owed = obligations(&facts, &sales_only, d(2026, 11, 30));
    assert_eq!(statuses(&owed), [(7, "2025".into(), MetOnTime)]);
    // A year's report is owed once the year has ended; 2026's came early, with the bill
    // and cost lines already there.
    let owed = obligations(&facts, &rules, d(2027, 1, 1));
    assert_eq!(statuses(&owed), [(7, "2025".into(), MetLate), (7, "2026".into(), MetOnTime)]);
    assert_eq!(owed[1].submitted_on, Some(d(2026, 2, 1)));
    // Without its 2026 sales it is not yet due on New Year's Day.
    let mut no_2026 = facts.clone();
    no_2026.recorded.remove(1);
    let owed = obligations(&no_2026, &rules, d(2027, 1, 1));
    assert_eq!(statuses(&owed), [(7, "2025".into(), MetLate), (7, "2026".into(), NotDue)]);
}

#[test]
fn an_organisation_with_training_records_owes_them_every_year_after() {
    let facts = ObligationFacts {
        programme_starts_on: Some(d(2025, 1, 1)),
        recorded: vec![recorded(RecordedKind::Training, 9, Some(2025), d(2026, 1, 5))],
        ..ObligationFacts::default()
    };
    let owed = obligations(&facts, &set().obligations, d(2027, 2, 1));
    use ObligationStatus::*;
    assert_eq!(statuses(&owed), [(9, "2025".into(), MetOnTime), (9, "2026".into(), Missing)]);
    assert_eq!(owed[1].days_late(d(2027, 2, 1)), Some(17));
    // Before its first record was recorded it owed nothing.
    assert!(obligations(&facts, &set().obligations, d(2026, 1, 4)).is_empty());
}

#[test]
fn the_rules_are_the_criteria_sets_and_older_sets_get_the_defaults() {
    let shipped = set().obligations;
    assert_eq!(shipped.task_progress.due_days, 15);
    assert_eq!(shipped.escalate_after_days, 30);
    assert!(shipped.task_progress.source.contains("seed"), "cited");
    let without: String = DECISION_2815
        .split("[obligations")
        .enumerate()
        .map(|(i, part)| if i == 0 { part.to_owned() } else { part.split_once("\n\n").map_or("", |p| p.1).to_owned() })
        .collect();
    let older = parse_criteria_set("older.toml", &without).unwrap();
    assert_eq!(older.obligations, ObligationRules::default());
    let later = DECISION_2815.replacen("due_days = 15\nsource = \"seeds 003", "due_days = 30\nsource = \"seeds 003", 1);
    assert_eq!(parse_criteria_set("x.toml", &later).unwrap().obligations.task_progress.due_days, 30);
    let yearly = DECISION_2815.replacen("period = \"quarter\"", "period = \"year\"", 1);
    let err = parse_criteria_set("x.toml", &yearly).err().unwrap();
    assert_eq!(err.key, "obligations.task_progress.period");
    assert_eq!(Period { year: 2026, quarter: Some(4) }.ends_on(), d(2026, 12, 31));
}

#[test]
fn reminders_go_a_week_before_on_the_due_date_and_weekly_while_overdue() {
    use cncl_eval::reminders::ReminderStage::{self, DueDay, Overdue, WeekBefore};
    let rules = set().obligations;
    let facts = ObligationFacts { tasks: vec![task(1, d(2026, 1, 5), None)], ..ObligationFacts::default() };
    // Q1 is due on 15 April.
    let stage = |today: NaiveDate| {
        let owed = obligations(&facts, &rules, today);
        owed.iter().find(|o| o.period.quarter == Some(1)).and_then(|o| ReminderStage::of(o, today))
    };
    assert_eq!(stage(d(2026, 4, 7)), None, "eight days before");
    assert_eq!(stage(d(2026, 4, 8)), Some(WeekBefore));
    assert_eq!(stage(d(2026, 4, 14)), Some(WeekBefore));
    assert_eq!(stage(d(2026, 4, 15)), Some(DueDay));
    assert_eq!(stage(d(2026, 4, 21)), Some(DueDay));
    assert_eq!(stage(d(2026, 4, 22)), Some(Overdue(1)));
    assert_eq!(stage(d(2026, 5, 6)), Some(Overdue(3)));
    assert_eq!(Overdue(3).key(), "overdue_3");
    // Submitted: no more reminders.
    let mut sent = facts.clone();
    sent.reports.push(report(1, 1, &[(d(2026, 4, 10), Submitted)]));
    let owed = obligations(&sent, &rules, d(2026, 4, 12));
    assert_eq!(ReminderStage::of(&owed[0], d(2026, 4, 12)), None);
    assert_eq!(owed[0].key(), format!("task_progress:{}:2026Q1", id(1)));
}

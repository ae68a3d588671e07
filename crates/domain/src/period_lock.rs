//! Approval locks the period. Once the office approves a task's progress report for a
//! quarter, the facts of that task the report rests on no longer change: its outputs and
//! disbursements dated in the quarter, and, with the year's last quarter, its budget lines of
//! that year (a budget line is yearly: the year's plan may be amended until the year's
//! account is approved). The office reopens a period by reopening the report
//! (`ReportCommand::Reopen`, with a reason), which returns it to the reporter.
//!
//! A record can hold facts of several dates (an IP application filed in one quarter and
//! accepted in a later one): each date covers its own fields, so recording a later
//! acceptance does not touch the quarter the application was filed in.

use serde_json::{Map, Value};

use crate::EntityKind;

/// How a record names its task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskLink {
    /// A field holding the task's id.
    Task(&'static str),
    /// A field holding a budget line's id; the task is the budget line's.
    BudgetLine(&'static str),
}

/// What dates a group of a record's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dating {
    /// A date field: the quarter it falls in.
    Day(&'static str),
    /// A year field: the year's last quarter.
    Year(&'static str),
}

/// The fields one date covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covers {
    /// Every field but these (which later dates cover).
    AllBut(&'static [&'static str]),
    /// Only these.
    Only(&'static [&'static str]),
}

impl Covers {
    fn covers(self, field: &str) -> bool {
        match self {
            Covers::AllBut(others) => !others.contains(&field),
            Covers::Only(these) => these.contains(&field),
        }
    }
}

/// Which facts of one kind of record an approved report locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockRule {
    pub kind: EntityKind,
    pub task: TaskLink,
    pub dated: &'static [(Dating, Covers)],
}

const EVERYTHING: Covers = Covers::AllBut(&[]);

/// The records a task's quarterly report rests on.
pub static LOCK_RULES: [LockRule; 6] = [
    LockRule {
        kind: EntityKind::Publication,
        task: TaskLink::Task("task_id"),
        dated: &[(Dating::Day("published_on"), EVERYTHING)],
    },
    LockRule {
        kind: EntityKind::IpApplication,
        task: TaskLink::Task("task_id"),
        dated: &[
            (Dating::Day("filed_on"), Covers::AllBut(&["accepted_on", "granted_on"])),
            (Dating::Day("accepted_on"), Covers::Only(&["accepted_on"])),
            (Dating::Day("granted_on"), Covers::Only(&["granted_on"])),
        ],
    },
    LockRule {
        kind: EntityKind::ResearchOutcome,
        task: TaskLink::Task("task_id"),
        dated: &[
            (Dating::Day("recorded_on"), Covers::AllBut(&["application", "applied_on", "application_evidence"])),
            (Dating::Day("applied_on"), Covers::Only(&["application", "applied_on", "application_evidence"])),
        ],
    },
    LockRule {
        kind: EntityKind::DualUseDemonstration,
        task: TaskLink::Task("task_id"),
        dated: &[(Dating::Day("demonstrated_on"), EVERYTHING)],
    },
    LockRule {
        kind: EntityKind::Disbursement,
        task: TaskLink::BudgetLine("budget_line_id"),
        dated: &[(Dating::Day("disbursed_on"), EVERYTHING)],
    },
    LockRule {
        kind: EntityKind::BudgetLine,
        task: TaskLink::Task("task_id"),
        dated: &[(Dating::Year("year"), EVERYTHING)],
    },
];

/// The lock rule of `kind`, if its records are locked by approved reports.
pub fn lock_rule(kind: EntityKind) -> Option<&'static LockRule> {
    LOCK_RULES.iter().find(|r| r.kind == kind)
}

/// A quarter of a task that a change touches, named by the field that dates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// The task id as the record holds it: the task's, or the budget line's (see `TaskLink`).
    pub link: String,
    pub year: i32,
    pub quarter: u8,
    pub field: &'static str,
}

/// The quarters a change from `before` (none for a new record) to `after` (none for a
/// removal) touches: for each date whose covered fields differ, the quarter of that date on
/// each side that has one.
pub fn touched(
    rule: &LockRule,
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
) -> Vec<Touched> {
    let differs = |field: &str| {
        let value = |side: Option<&Map<String, Value>>| side.map(|s| s.get(field).cloned().unwrap_or(Value::Null));
        value(before) != value(after)
    };
    let fields: Vec<&String> = before.iter().chain(after.iter()).flat_map(|side| side.keys()).collect();
    let mut touched = Vec::new();
    for (dating, covers) in rule.dated {
        if !fields.iter().any(|f| covers.covers(f) && differs(f)) {
            continue;
        }
        for side in [before, after].into_iter().flatten() {
            if let Some(t) = quarter_of(rule, *dating, side)
                && !touched.contains(&t)
            {
                touched.push(t);
            }
        }
    }
    touched
}

fn quarter_of(rule: &LockRule, dating: Dating, side: &Map<String, Value>) -> Option<Touched> {
    let link_field = match rule.task {
        TaskLink::Task(f) | TaskLink::BudgetLine(f) => f,
    };
    let link = side.get(link_field)?.as_str()?.to_owned();
    match dating {
        Dating::Day(field) => {
            let day = crate::Date::parse(side.get(field)?.as_str()?).ok()?.get();
            let quarter = u8::try_from(chrono::Datelike::month0(&day) / 3 + 1).ok()?;
            Some(Touched { link, year: chrono::Datelike::year(&day), quarter, field })
        }
        Dating::Year(field) => {
            let year = i32::try_from(side.get(field)?.as_i64()?).ok()?;
            Some(Touched { link, year, quarter: 4, field })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn rule(kind: EntityKind) -> &'static LockRule {
        lock_rule(kind).unwrap_or(&LOCK_RULES[0])
    }

    #[test]
    fn a_new_record_touches_the_quarter_of_its_date() {
        let after = map(json!({"task_id": "t", "title": "x", "published_on": "2026-05-02"}));
        let touched = touched(rule(EntityKind::Publication), None, Some(&after));
        assert_eq!(touched, [Touched { link: "t".into(), year: 2026, quarter: 2, field: "published_on" }]);
    }

    #[test]
    fn a_later_fact_touches_only_its_own_quarter() {
        let before = map(
            json!({"task_id": "t", "number": "1", "filed_on": "2026-02-01", "accepted_on": null, "granted_on": null}),
        );
        let mut after = before.clone();
        after.insert("accepted_on".into(), json!("2026-08-10"));
        let touched = touched(rule(EntityKind::IpApplication), Some(&before), Some(&after));
        assert_eq!(touched, [Touched { link: "t".into(), year: 2026, quarter: 3, field: "accepted_on" }]);
        // Correcting the number touches the filing's quarter.
        let mut renumbered = before.clone();
        renumbered.insert("number".into(), json!("2"));
        let touched = super::touched(rule(EntityKind::IpApplication), Some(&before), Some(&renumbered));
        assert_eq!(touched.iter().map(|t| t.quarter).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn moving_a_date_touches_both_quarters_and_a_budget_line_its_years_last() {
        let before = map(json!({"budget_line_id": "b", "disbursed_on": "2026-03-31", "amount_vnd": 5}));
        let mut after = before.clone();
        after.insert("disbursed_on".into(), json!("2026-04-01"));
        let quarters: Vec<u8> =
            touched(rule(EntityKind::Disbursement), Some(&before), Some(&after)).iter().map(|t| t.quarter).collect();
        assert_eq!(quarters, [1, 2]);
        let line = map(json!({"task_id": "t", "year": 2026, "source": "central_state", "amount_vnd": 9}));
        let touched = touched(rule(EntityKind::BudgetLine), None, Some(&line));
        assert_eq!(touched, [Touched { link: "t".into(), year: 2026, quarter: 4, field: "year" }]);
        assert!(super::touched(rule(EntityKind::BudgetLine), Some(&line), Some(&line)).is_empty(), "no change");
    }
}

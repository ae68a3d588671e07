//! The criteria set's rules for reporting obligations (`[obligations]` in its TOML): each
//! kind's period, due days and, for a model's yearly report, the records it must hold. Data,
//! not code: an office that changes its calendar loads a new set. The obligations
//! themselves are derived in `obligations`.

use serde::{Deserialize, Serialize};

/// The criteria set's rules for reporting obligations (`[obligations]` in its TOML). A set
/// written before obligations existed gets these defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ObligationRules {
    pub source: String,
    pub task_progress: ObligationRule,
    pub model_report: ModelReportRule,
    pub training_report: ObligationRule,
    /// A report missing this many days after its due date joins the office's warnings.
    pub escalate_after_days: u16,
}

/// One kind of obligation: how often it falls due and how many days after its period ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObligationRule {
    pub period: PeriodKind,
    pub due_days: u16,
    pub source: String,
}

/// The yearly report of a product model's maker, and which of the model's records it must
/// hold (all of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelReportRule {
    pub period: PeriodKind,
    pub due_days: u16,
    pub satisfied_by: Vec<ModelRecord>,
    pub source: String,
}

/// The default due days when a set names none: fifteen days after the period ends.
const DEFAULT_DUE_DAYS: u16 = 15;
const DEFAULT_SOURCE: &str = "cncl's default: the seeds set no reporting deadline; 15 days after the period ends, as the office asked (issue 14)";

impl Default for ObligationRules {
    fn default() -> Self {
        let rule = |period| ObligationRule { period, due_days: DEFAULT_DUE_DAYS, source: DEFAULT_SOURCE.into() };
        ObligationRules {
            source: DEFAULT_SOURCE.into(),
            task_progress: rule(PeriodKind::Quarter),
            model_report: ModelReportRule {
                period: PeriodKind::Year,
                due_days: DEFAULT_DUE_DAYS,
                satisfied_by: vec![ModelRecord::ModelSales, ModelRecord::CostLine, ModelRecord::BomLine],
                source: DEFAULT_SOURCE.into(),
            },
            training_report: rule(PeriodKind::Year),
            escalate_after_days: 30,
        }
    }
}

impl ObligationRules {
    /// Why the rules cannot hold, as `(key, message)`: each kind's period is the one its
    /// records carry (progress reports are per quarter, sales and training per year).
    pub fn check(&self) -> Result<(), (String, String)> {
        let periods = [
            ("obligations.task_progress.period", self.task_progress.period, PeriodKind::Quarter),
            ("obligations.model_report.period", self.model_report.period, PeriodKind::Year),
            ("obligations.training_report.period", self.training_report.period, PeriodKind::Year),
        ];
        for (key, given, carried) in periods {
            if given != carried {
                return Err((key.into(), format!("must be {carried:?}: the records it rests on are per {carried:?}")));
            }
        }
        if self.model_report.satisfied_by.is_empty() {
            return Err(("obligations.model_report.satisfied_by".into(), "must name at least one record kind".into()));
        }
        let longest = [self.task_progress.due_days, self.model_report.due_days, self.training_report.due_days];
        if longest.iter().any(|d| *d > 366) {
            return Err(("obligations".into(), "due_days must be within 0–366".into()));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Quarter,
    Year,
}

/// A model's records a yearly report may be required to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelRecord {
    /// Its sales in the year.
    ModelSales,
    /// Its production cost lines.
    CostLine,
    /// Its bill of materials.
    BomLine,
}

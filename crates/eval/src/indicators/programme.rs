//! Indicators computed for the programme as a whole (criteria P1–P10).

use chrono::{Datelike, NaiveDate};
use cncl_domain::EntityKind;
use cncl_domain::capacity::LaboratoryKind;
use cncl_domain::organisation::OrganisationKind;

use super::{Figures, Prepared, counts, record};

impl Prepared<'_> {
    /// **P1, P2, P3** — distinct organisations of the given kinds taking part in a task
    /// assigned on or before `as_of`: P1/P2 as lead or participant (enterprises;
    /// institutes and universities), P3 as supporting supplier (enterprises). `first` holds
    /// each organisation's earliest such assignment.
    pub(super) fn organisations_since(
        &self,
        as_of: NaiveDate,
        first: &[Option<NaiveDate>],
        kind: impl Fn(OrganisationKind) -> bool,
        out: &mut Figures,
    ) {
        out.count_all();
        for (o, organisation) in self.facts.organisations.iter().enumerate() {
            if kind(organisation.kind) && counts(first[o], as_of) {
                out.numerator(0, 1, record(EntityKind::Organisation, organisation.id));
            }
        }
    }

    /// **P4** — strategic industries formed on or before `as_of`.
    pub(super) fn industries(&self, as_of: NaiveDate, out: &mut Figures) {
        out.count_all();
        for industry in self.facts.industries.iter().filter(|i| i.formed_on <= as_of) {
            out.numerator(0, 1, record(EntityKind::StrategicIndustry, industry.id));
        }
    }

    /// **P5, P6** — enterprises holding an international-standard certification valid on
    /// `as_of` (certified on or before it, not expired by it), of at least `min_scale_usd`
    /// (P6: USD 1 billion; enterprises of unknown scale do not count there). Evidence: the
    /// enterprises.
    pub(super) fn certified_enterprises(&self, as_of: NaiveDate, min_scale_usd: i64, out: &mut Figures) {
        out.count_all();
        let valid: std::collections::HashSet<uuid::Uuid> = self
            .facts
            .certifications
            .iter()
            .filter(|c| c.certified_on <= as_of && c.expires_on.is_none_or(|e| e > as_of))
            .map(|c| c.organisation)
            .collect();
        for organisation in &self.facts.organisations {
            let large_enough = min_scale_usd <= 0 || organisation.scale_usd.is_some_and(|s| s >= min_scale_usd);
            if organisation.kind == OrganisationKind::Enterprise && large_enough && valid.contains(&organisation.id) {
                out.numerator(0, 1, record(EntityKind::Organisation, organisation.id));
            }
        }
    }

    /// **P7** — people trained: the sum of training records of years up to `as_of`'s year.
    pub(super) fn trained(&self, as_of: NaiveDate, out: &mut Figures) {
        out.count_all();
        for t in self.facts.training.iter().filter(|t| t.year <= as_of.year()) {
            out.numerator(0, i128::from(t.count), record(EntityKind::TrainingRecord, t.id));
        }
    }

    /// **P8** — national key laboratories on the open model established on or before
    /// `as_of` (a laboratory without an establishment date is not counted).
    pub(super) fn laboratories(&self, as_of: NaiveDate, out: &mut Figures) {
        out.count_all();
        for lab in &self.facts.laboratories {
            if lab.kind == LaboratoryKind::NationalKeyLaboratory && lab.open_model && counts(lab.established_on, as_of)
            {
                out.numerator(0, 1, record(EntityKind::Laboratory, lab.id));
            }
        }
    }

    /// **P9** — the funding ceiling: the programme's state budget lines (central and local)
    /// for `as_of`'s year / the state S&T spending figure for that year. No data without a
    /// spending figure for the year.
    pub(super) fn state_budget_share(&self, as_of: NaiveDate, out: &mut Figures) {
        let year = as_of.year();
        for s in self.facts.state_spending.iter().filter(|s| s.year == year) {
            out.denominator(0, i128::from(s.amount_vnd), record(EntityKind::StateStSpending, s.id));
        }
        for b in self.facts.budget_lines.iter().filter(|b| b.year == year && b.source.is_state_budget()) {
            out.numerator(0, i128::from(b.amount_vnd), record(EntityKind::BudgetLine, b.id));
        }
    }

    /// **P10** — tasks assigned on or before `as_of` / those of them whose 7 clear are all
    /// recorded (see `cncl_domain::seven_clear`).
    pub(super) fn seven_clear(&self, as_of: NaiveDate, out: &mut Figures) {
        for (t, task) in self.facts.tasks.iter().enumerate() {
            if !counts(task.assigned_on, as_of) {
                continue;
            }
            let id = record(EntityKind::Task, task.id);
            out.denominator(0, 1, id);
            if self.task_clear[t] {
                out.numerator(0, 1, id);
            }
        }
    }
}

//! Who owes which report, and where each stands on a date: the obligations the evaluator
//! derives from the facts under the criteria set's rules, named, and cut to what the caller
//! may see (the office and readers all of them, a reporter its own organisation's).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cncl_domain::Date;
use cncl_eval::compliance::{Rates, overdue};
use cncl_eval::criteria::{CriteriaSet, SetRef};
use cncl_eval::obligations::{Obligation, ObligationFacts, ObligationKind, ObligationStatus, Period, obligations};
use uuid::Uuid;

use crate::policy::{self, Actor, Reach};
use crate::{App, AppError};

/// The obligations on a date, with what names them. Cloning shares them: at national scale
/// there are 90,000, and every office page that shows missing reports asks for them.
#[derive(Debug, Clone)]
pub struct Compliance {
    pub as_of: Date,
    /// Missing reports this many days late are escalated to the office's warnings.
    pub escalate_after_days: u16,
    obligations: Arc<[Obligation]>,
    missing: Arc<MissingCounts>,
    names: Arc<HashMap<Uuid, String>>,
}

/// Missing reports counted once, by kind and by kind and product: the scorecard asks for
/// one count per criterion and product.
#[derive(Debug, Default)]
struct MissingCounts {
    by_kind: HashMap<ObligationKind, usize>,
    by_product: HashMap<ObligationKind, HashMap<String, usize>>,
}

impl MissingCounts {
    fn of(obligations: &[Obligation]) -> Self {
        let mut counts = MissingCounts::default();
        for o in obligations.iter().filter(|o| o.status == ObligationStatus::Missing) {
            *counts.by_kind.entry(o.kind).or_default() += 1;
            if let Some(product) = &o.product {
                *counts.by_product.entry(o.kind).or_default().entry(product.clone()).or_default() += 1;
            }
        }
        counts
    }
}

impl Compliance {
    fn new(as_of: Date, escalate_after_days: u16, owed: Vec<Obligation>, names: Arc<HashMap<Uuid, String>>) -> Self {
        let missing = Arc::new(MissingCounts::of(&owed));
        Compliance { as_of, escalate_after_days, obligations: owed.into(), missing, names }
    }

    /// Every obligation shown.
    pub fn obligations(&self) -> &[Obligation] {
        &self.obligations
    }

    /// Keep only the obligations `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&Obligation) -> bool) {
        let kept = self.obligations.iter().filter(|o| keep(o)).cloned().collect();
        *self = Compliance::new(self.as_of, self.escalate_after_days, kept, self.names.clone());
    }

    /// The name of a task (its code), a product model or an organisation.
    pub fn name(&self, id: Option<Uuid>) -> &str {
        id.and_then(|id| self.names.get(&id)).map_or("", String::as_str)
    }

    /// The rates over every obligation shown.
    pub fn rates(&self) -> Rates {
        Rates::of(self.obligations(), self.as_of.get())
    }

    /// The rates per value of `key` (a product, an organisation, a task group), in the
    /// key's order; obligations without one are left out.
    pub fn rates_by(&self, key: impl Fn(&Obligation) -> Option<String>) -> Vec<(String, Rates)> {
        let mut groups: BTreeMap<String, Vec<&Obligation>> = BTreeMap::new();
        for o in self.obligations() {
            if let Some(k) = key(o) {
                groups.entry(k).or_default().push(o);
            }
        }
        groups.into_iter().map(|(k, group)| (k, Rates::of(group, self.as_of.get()))).collect()
    }

    /// Outstanding past their due date, the latest first.
    pub fn overdue(&self) -> Vec<&Obligation> {
        overdue(self.obligations(), self.as_of.get())
    }

    /// Missing more than the criteria set's days after their due date.
    pub fn escalated(&self) -> Vec<&Obligation> {
        let after = i64::from(self.escalate_after_days);
        self.overdue()
            .into_iter()
            .filter(|o| o.status == ObligationStatus::Missing)
            .filter(|o| o.days_late(self.as_of.get()).is_some_and(|d| d > after))
            .collect()
    }

    /// The periods that obligations of `kind` fall in, in order.
    pub fn periods(&self, kind: ObligationKind) -> Vec<Period> {
        let mut periods: Vec<Period> = self.obligations.iter().filter(|o| o.kind == kind).map(|o| o.period).collect();
        periods.sort();
        periods.dedup();
        periods
    }

    /// The subjects owing obligations of `kind`, by name.
    pub fn subjects(&self, kind: ObligationKind) -> Vec<Uuid> {
        let mut subjects: Vec<Uuid> = self.obligations.iter().filter(|o| o.kind == kind).map(|o| o.subject).collect();
        subjects.sort_by(|a, b| self.name(Some(*a)).cmp(self.name(Some(*b))).then(a.cmp(b)));
        subjects.dedup();
        subjects
    }

    /// Where an obligation is answered: the progress report, or the form that submits the
    /// missing report with its subject and period filled in.
    pub fn form_path(o: &Obligation) -> Option<String> {
        let year = o.period.year;
        let unsubmitted = matches!(o.status, ObligationStatus::Missing | ObligationStatus::NotDue);
        Some(match (o.kind, o.report) {
            (ObligationKind::TaskProgress, Some(report)) => format!("/records/progress-reports/{report}"),
            (ObligationKind::TaskProgress, None) => format!(
                "/records/progress-reports/new?task_id={}&year={year}&quarter={}",
                o.subject,
                o.period.quarter.unwrap_or(1)
            ),
            (ObligationKind::ModelReport, _) if unsubmitted => {
                format!("/records/model-sales/new?model_id={}&year={year}", o.subject)
            }
            (ObligationKind::ModelReport, _) => format!("/records/model-sales?model_id={}", o.subject),
            (ObligationKind::TrainingReport, _) => {
                format!("/records/training-records/new?organisation_id={}&year={year}", o.subject)
            }
        })
    }

    /// How many reports of `kind` are missing (due, nothing submitted): of `product`, or of
    /// the whole programme when `None`.
    pub fn missing(&self, kind: ObligationKind, product: Option<&str>) -> usize {
        match product {
            None => self.missing.by_kind.get(&kind).copied(),
            Some(product) => self.missing.by_product.get(&kind).and_then(|counts| counts.get(product)).copied(),
        }
        .unwrap_or(0)
    }

    /// The obligations of `kind` by subject and period, for finding each cell of a matrix
    /// without a search through all of them.
    pub fn by_subject_and_period(&self, kind: ObligationKind) -> HashMap<(Uuid, Period), &Obligation> {
        self.obligations.iter().filter(|o| o.kind == kind).map(|o| ((o.subject, o.period), o)).collect()
    }
}

/// The facts obligations were last derived from, the names they are shown by, and the
/// obligations last derived from them, kept until the audit log moves: at national scale
/// reading the facts takes seconds (a million bill-of-materials lines' first recordings)
/// and deriving 90,000 obligations was most of the 0.23 s an office's scorecard page took;
/// the compliance page, the scorecard's missing counts, the warnings and the reminders all
/// ask on the same data.
#[derive(Debug)]
pub(crate) struct CachedFacts {
    seq: i64,
    facts: ObligationFacts,
    names: Arc<HashMap<Uuid, String>>,
    /// Every obligation on one date under one criteria set.
    derived: Option<(SetRef, Compliance)>,
}

impl App {
    /// Every report owed for a period ended by `as_of`, and where it stood then. A reporter
    /// sees only those its organisation owes.
    pub async fn compliance(&self, actor: &Actor, as_of: Date) -> Result<Compliance, AppError> {
        let reach = policy::obligations(actor)?;
        let set = self.criteria_set(None).await?;
        let mut compliance = self.every_obligation(&set, as_of).await?;
        if let Reach::Organisation(organisation) = reach {
            compliance.retain(|o| o.organisation == Some(organisation));
        }
        Ok(compliance)
    }

    /// Every obligation on `as_of` under `set`, derived once per audit position, date and set.
    async fn every_obligation(&self, set: &CriteriaSet, as_of: Date) -> Result<Compliance, AppError> {
        let (seq, _) = self.store.audit_head().await?;
        let key = set.reference();
        let mut cached = self.obligation_facts.lock().await;
        let current = match cached.take().filter(|c| c.seq == seq) {
            Some(current) => cached.insert(current),
            None => cached.insert(CachedFacts {
                seq,
                facts: self.store.obligation_facts().await?,
                names: Arc::new(self.store.obligation_names().await?),
                derived: None,
            }),
        };
        if let Some((_, found)) = current.derived.as_ref().filter(|(k, c)| *k == key && c.as_of == as_of) {
            return Ok(found.clone());
        }
        let owed = obligations(&current.facts, &set.obligations, as_of.get());
        let compliance = Compliance::new(as_of, set.obligations.escalate_after_days, owed, current.names.clone());
        current.derived = Some((key, compliance.clone()));
        Ok(compliance)
    }
}

/// One obligation as the API and the command line give it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ObligationLine {
    pub kind: ObligationKind,
    /// The task, product model or organisation (training) that owes it.
    pub subject: Uuid,
    pub subject_name: String,
    /// The organisation that owes it.
    pub organisation: Option<Uuid>,
    pub organisation_name: String,
    pub product: Option<String>,
    pub task_group: Option<String>,
    /// `2026Q3` or `2026`.
    pub period: String,
    #[schema(value_type = String, format = Date)]
    pub due_on: chrono::NaiveDate,
    pub status: cncl_eval::obligations::ObligationStatus,
    #[schema(value_type = Option<String>, format = Date)]
    pub submitted_on: Option<chrono::NaiveDate>,
    /// The progress report that answers it, once one exists.
    pub report: Option<Uuid>,
    /// Days past the due date while it is missing or returned.
    pub days_late: Option<i64>,
}

/// The rates of one product, organisation or task group.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct GroupRates {
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub rates: Rates,
    pub reporting_percent: Option<f64>,
    pub on_time_percent: Option<f64>,
}

fn group_rates(key: String, name: String, rates: Rates) -> GroupRates {
    GroupRates {
        key,
        name,
        rates,
        reporting_percent: rates.reporting_percent(),
        on_time_percent: rates.on_time_percent(),
    }
}

/// Everything the compliance view shows, as data.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ComplianceSummary {
    #[schema(value_type = String, format = Date)]
    pub as_of: chrono::NaiveDate,
    pub programme: GroupRates,
    pub by_product: Vec<GroupRates>,
    pub by_organisation: Vec<GroupRates>,
    pub by_task_group: Vec<GroupRates>,
    pub obligations: Vec<ObligationLine>,
    /// Outstanding past their due date, the latest first.
    pub overdue: Vec<ObligationLine>,
}

impl Compliance {
    pub fn line(&self, o: &Obligation) -> ObligationLine {
        ObligationLine {
            kind: o.kind,
            subject: o.subject,
            subject_name: self.name(Some(o.subject)).to_owned(),
            organisation: o.organisation,
            organisation_name: self.name(o.organisation).to_owned(),
            product: o.product.clone(),
            task_group: o.task_group.clone(),
            period: o.period.to_string(),
            due_on: o.due_on,
            status: o.status,
            submitted_on: o.submitted_on,
            report: o.report,
            days_late: o.days_late(self.as_of.get()),
        }
    }

    /// The view as data; `product_name` and `group_name` name products and task groups.
    pub fn summary(
        &self,
        product_name: impl Fn(&str) -> String,
        group_name: impl Fn(&str) -> String,
    ) -> ComplianceSummary {
        let (by_product, by_organisation, by_task_group) = self.groups(product_name, group_name);
        ComplianceSummary {
            as_of: self.as_of.get(),
            programme: group_rates(String::new(), String::new(), self.rates()),
            by_product,
            by_organisation,
            by_task_group,
            obligations: self.obligations().iter().map(|o| self.line(o)).collect(),
            overdue: self.overdue().into_iter().map(|o| self.line(o)).collect(),
        }
    }

    /// The rates by product, by organisation and by task group, each group named.
    pub fn groups(
        &self,
        product_name: impl Fn(&str) -> String,
        group_name: impl Fn(&str) -> String,
    ) -> (Vec<GroupRates>, Vec<GroupRates>, Vec<GroupRates>) {
        let by = |key: &dyn Fn(&Obligation) -> Option<String>, name: &dyn Fn(&str) -> String| -> Vec<GroupRates> {
            self.rates_by(key).into_iter().map(|(k, rates)| group_rates(k.clone(), name(&k), rates)).collect()
        };
        (
            by(&|o| o.product.clone(), &product_name),
            by(&|o| o.organisation.map(|id| id.to_string()), &|k| self.name(Uuid::parse_str(k).ok()).to_owned()),
            by(&|o| o.task_group.clone(), &group_name),
        )
    }
}

impl App {
    /// `compliance` as data, products and task groups named in `lang`.
    pub async fn compliance_summary(
        &self,
        actor: &Actor,
        as_of: Date,
        lang: cncl_domain::Lang,
    ) -> Result<ComplianceSummary, AppError> {
        let compliance = self.compliance(actor, as_of).await?;
        let products = self.products().await?;
        let groups = self.task_groups().await?;
        Ok(compliance.summary(
            |code| {
                products.iter().find(|p| p.code.as_str() == code).map_or(code.to_owned(), |p| p.name(lang).to_owned())
            },
            |code| groups.iter().find(|g| g.code.as_str() == code).map_or(code.to_owned(), |g| g.name(lang).to_owned()),
        ))
    }
}

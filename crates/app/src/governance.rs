//! Running the programme: funding against the ceiling, what is overdue, the warnings the
//! office should act on, and the selection of proposals for an ordered task.

use cncl_domain::governance::{
    Appointment, Proposal, ProposalReview, ProposalStatus, TaskForceMember, TaskForcePosition, is_overdue,
};
use cncl_domain::ids::{ProposalId, TaskId};
use cncl_domain::lifecycle::TaskCommand;
use cncl_domain::task::{Task, TaskStatus};
use cncl_domain::{Date, EntityKind, Stored};
use cncl_domain::{Lang, msg};
use cncl_eval::funding::{FundingSummary, summarise};
use cncl_eval::selection::{Candidate, Ranked, Review, rank};
use cncl_store::events::{Due, DueItem};
use cncl_store::{ListFilter, Scope};
use serde::Serialize;
use uuid::Uuid;

use crate::lifecycle::apply_task_command;
use crate::policy::{self, Actor};
use crate::{App, AppError};

/// Something the office should act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// A product has no chief engineer or chief architect appointed.
    NoPersonInCharge { product: String },
    /// The Task Force has no head (the Minister) on the date.
    NoTaskForceHead,
    /// The programme's state budget for a year would pass the ceiling.
    FundingOverCeiling { year: i32, state_vnd: String, st_spending_vnd: String, ceiling_percent: i64 },
    /// A milestone is past its due date and not completed.
    OverdueMilestone { task_id: Uuid, task_code: String, name: String, due_on: Date },
    /// A deliverable is past its due date and not delivered.
    OverdueDeliverable { task_id: Uuid, task_code: String, name: String, due_on: Date },
    /// An organisation owes reports missing longer after their due date than the criteria
    /// set allows (`obligations.escalate_after_days`): how many, and the oldest.
    ReportsMissing {
        organisation: Option<Uuid>,
        owed_by: String,
        count: usize,
        oldest: cncl_eval::obligations::ObligationKind,
        oldest_subject: String,
        oldest_period: String,
        days_late: i64,
    },
    /// An organisation's province is none of the 34 in the list, even by a former name: the
    /// office chooses it.
    UnknownProvince { organisation: Uuid, name: String, province: String },
}

impl Warning {
    /// What the warning is, for pages and reports.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Warning::NoPersonInCharge { .. } => {
                lang.pick("Chưa có tổng công trình sư hoặc kiến trúc sư trưởng", "No chief engineer or chief architect")
            }
            Warning::NoTaskForceHead => lang.pick("Tổ công tác chưa có Tổ trưởng", "The Task Force has no head"),
            Warning::FundingOverCeiling { .. } => {
                lang.pick("Ngân sách nhà nước của năm vượt trần", "The state budget for the year passes the ceiling")
            }
            Warning::OverdueMilestone { .. } => lang.pick("Mốc tiến độ quá hạn", "Overdue milestone"),
            Warning::OverdueDeliverable { .. } => lang.pick("Sản phẩm giao nộp quá hạn", "Overdue deliverable"),
            Warning::ReportsMissing { .. } => {
                lang.pick("Báo cáo chưa nộp, quá hạn lâu", "Reports missing long past their due date")
            }
            Warning::UnknownProvince { .. } => {
                lang.pick("Tỉnh, thành phố không có trong danh mục", "Province not in the list")
            }
        }
    }

    /// What it is about: the product (named from `products`), the year, or the task's item
    /// and its due date.
    pub fn detail(&self, lang: Lang, products: &[cncl_domain::reference::Product]) -> String {
        match self {
            Warning::NoPersonInCharge { product } => products
                .iter()
                .find(|p| p.code.as_str() == product)
                .map_or(product.clone(), |p| p.name(lang).to_owned()),
            Warning::NoTaskForceHead => String::new(),
            Warning::FundingOverCeiling { year, ceiling_percent, .. } => format!("{year} (> {ceiling_percent} %)"),
            Warning::OverdueMilestone { task_code, name, due_on, .. }
            | Warning::OverdueDeliverable { task_code, name, due_on, .. } => {
                format!("{task_code}: {name} ({})", cncl_domain::format::format_date(*due_on, lang))
            }
            Warning::ReportsMissing { owed_by, count, oldest, oldest_subject, oldest_period, days_late, .. } => {
                format!(
                    "{owed_by}: {count} {}; {} {} {oldest_subject} {oldest_period}, {} {days_late} {}",
                    lang.pick("báo cáo", "reports"),
                    lang.pick("lâu nhất", "the oldest"),
                    oldest.label(lang),
                    lang.pick("trễ", "late by"),
                    lang.pick("ngày", "days"),
                )
            }
            Warning::UnknownProvince { name, province, .. } => format!("{name}: «{province}»"),
        }
    }
}

/// A ranked proposal with its organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedProposal {
    pub proposal: Stored<Proposal>,
    pub ranking: Ranked,
}

/// Tasks still running, whose due items can be overdue.
fn is_running(status: &str) -> bool {
    TaskStatus::parse(status).is_some_and(|s| s.is_assigned() && s.is_open())
}

impl App {
    /// Budget lines by product, source and year, disbursements up to `as_of`, and each
    /// year's state budget against the ceiling of the criteria set.
    pub async fn funding(&self, actor: &Actor, as_of: Date) -> Result<FundingSummary, AppError> {
        policy::office(actor, false)?;
        let set = self.criteria_set(None).await?;
        let facts = self.store.load_facts(as_of).await?;
        Ok(summarise(&facts, as_of, set.funding_ceiling_percent()))
    }

    /// The products' assessments of quarter `quarter` of `year`, in the products' order.
    pub async fn commentaries(
        &self,
        actor: &Actor,
        year: i32,
        quarter: u8,
    ) -> Result<Vec<Stored<cncl_domain::governance::Commentary>>, AppError> {
        policy::read(actor, EntityKind::Commentary)?;
        let all: Vec<Stored<cncl_domain::governance::Commentary>> = self.everything().await?;
        let order = self.products().await?;
        let mut found: Vec<_> =
            all.into_iter().filter(|c| c.record.year.get() == year && c.record.quarter.get() == quarter).collect();
        found.sort_by_key(|c| order.iter().position(|p| p.code == c.record.product_code));
        Ok(found)
    }

    /// Each product's latest assessment written on or before `as_of`, if any.
    pub async fn latest_commentaries(
        &self,
        actor: &Actor,
        as_of: Date,
    ) -> Result<Vec<Stored<cncl_domain::governance::Commentary>>, AppError> {
        policy::read(actor, EntityKind::Commentary)?;
        let mut all: Vec<Stored<cncl_domain::governance::Commentary>> = self.everything().await?;
        all.retain(|c| c.record.written_on <= as_of);
        all.sort_by_key(|c| std::cmp::Reverse((c.record.year.get(), c.record.quarter.get(), c.record.written_on)));
        let mut latest: Vec<Stored<cncl_domain::governance::Commentary>> = Vec::new();
        for commentary in all {
            if !latest.iter().any(|l| l.record.product_code == commentary.record.product_code) {
                latest.push(commentary);
            }
        }
        Ok(latest)
    }

    /// Milestones and deliverables of running tasks that are overdue on `as_of`.
    pub async fn overdue(&self, actor: &Actor, as_of: Date) -> Result<(Vec<DueItem>, Vec<DueItem>), AppError> {
        policy::office(actor, false)?;
        let keep = |items: Vec<DueItem>| -> Vec<DueItem> {
            items.into_iter().filter(|i| is_running(&i.task_status) && is_overdue(i.due_on, i.done_on, as_of)).collect()
        };
        let milestones = keep(self.store.due_before(Due::Milestone, as_of).await?);
        let deliverables = keep(self.store.due_before(Due::Deliverable, as_of).await?);
        Ok((milestones, deliverables))
    }

    /// Everything the office should act on, as of `as_of`.
    pub async fn warnings(&self, actor: &Actor, as_of: Date) -> Result<Vec<Warning>, AppError> {
        policy::office(actor, false)?;
        let mut warnings = Vec::new();
        let appointments: Vec<Stored<Appointment>> = self.everything().await?;
        for product in self.products().await? {
            let covered =
                appointments.iter().any(|a| a.record.product_code == product.code && a.record.holds_on(as_of));
            if !covered {
                warnings.push(Warning::NoPersonInCharge { product: product.code.to_string() });
            }
        }
        let members: Vec<Stored<TaskForceMember>> = self.everything().await?;
        let has_head = members.iter().any(|m| {
            let m = &m.record;
            m.position == TaskForcePosition::Head && m.from_on <= as_of && m.until_on.is_none_or(|u| u > as_of)
        });
        if !has_head {
            warnings.push(Warning::NoTaskForceHead);
        }
        let funding = self.funding(actor, as_of).await?;
        for year in funding.years_over_ceiling() {
            warnings.push(Warning::FundingOverCeiling {
                year: year.year,
                state_vnd: year.state_vnd.to_string(),
                st_spending_vnd: year.st_spending_vnd.unwrap_or_default().to_string(),
                ceiling_percent: funding.ceiling_percent.unwrap_or_default(),
            });
        }
        let (milestones, deliverables) = self.overdue(actor, as_of).await?;
        warnings.extend(milestones.into_iter().map(|m| Warning::OverdueMilestone {
            task_id: m.task_id,
            task_code: m.task_code,
            name: m.name,
            due_on: m.due_on,
        }));
        warnings.extend(deliverables.into_iter().map(|d| Warning::OverdueDeliverable {
            task_id: d.task_id,
            task_code: d.task_code,
            name: d.name,
            due_on: d.due_on,
        }));
        warnings.extend(self.reports_missing(actor, as_of).await?);
        warnings.extend(self.unknown_provinces().await?);
        Ok(warnings)
    }

    /// The escalated missing reports, one warning per organisation owing them (the oldest
    /// first): a national programme has thousands of obligations, the office acts on owers.
    async fn reports_missing(&self, actor: &Actor, as_of: Date) -> Result<Vec<Warning>, AppError> {
        let compliance = self.compliance(actor, as_of).await?;
        let mut by_organisation: Vec<Warning> = Vec::new();
        for o in compliance.escalated() {
            let known = by_organisation
                .iter_mut()
                .find(|w| matches!(w, Warning::ReportsMissing { organisation, .. } if *organisation == o.organisation));
            match known {
                Some(Warning::ReportsMissing { count, .. }) => *count += 1,
                _ => by_organisation.push(Warning::ReportsMissing {
                    organisation: o.organisation,
                    owed_by: compliance.name(o.organisation).to_owned(),
                    count: 1,
                    oldest: o.kind,
                    oldest_subject: compliance.name(Some(o.subject)).to_owned(),
                    oldest_period: o.period.to_string(),
                    days_late: o.days_late(as_of.get()).unwrap_or_default(),
                }),
            }
        }
        Ok(by_organisation)
    }

    /// Every record of a small kind (appointments, Task Force members), all pages.
    pub(crate) async fn everything<T: cncl_domain::Record>(&self) -> Result<Vec<Stored<T>>, AppError> {
        let mut all = Vec::new();
        for page in 1.. {
            let batch = self.store.list::<T>(&ListFilter::default(), page, crate::records::MAX_PER_PAGE).await?;
            let done = batch.items.len() < crate::records::MAX_PER_PAGE as usize;
            all.extend(batch.items);
            if done {
                break;
            }
        }
        Ok(all)
    }

    /// The proposals for a task, ranked by their reviewers' weighted scores.
    pub async fn ranking(&self, actor: &Actor, task: TaskId) -> Result<Vec<RankedProposal>, AppError> {
        policy::office(actor, false)?;
        self.get::<Task>(actor, task).await?;
        let set = self.criteria_set(None).await?;
        let proposals: Vec<Stored<Proposal>> = self.store.children_of(EntityKind::Task, task, &Scope::All).await?;
        let mut candidates = Vec::with_capacity(proposals.len());
        for proposal in &proposals {
            let reviews: Vec<Stored<ProposalReview>> =
                self.store.children_of(EntityKind::Proposal, proposal.id, &Scope::All).await?;
            candidates.push(Candidate {
                proposal: proposal.id.as_uuid(),
                submitted_on: proposal.record.submitted_on.get(),
                reviews: reviews
                    .iter()
                    .map(|r| Review {
                        id: r.id.as_uuid(),
                        reviewer: r.record.reviewer_id.as_uuid(),
                        national_problem: i64::from(r.record.national_problem.get()),
                        commercialisation: i64::from(r.record.commercialisation.get()),
                        core_technology: i64::from(r.record.core_technology.get()),
                    })
                    .collect(),
            });
        }
        Ok(rank(&candidates, &set.selection.weights)
            .into_iter()
            .filter_map(|ranking| {
                let proposal = proposals.iter().find(|p| p.id.as_uuid() == ranking.proposal)?.clone();
                Some(RankedProposal { proposal, ranking })
            })
            .collect())
    }

    /// Choose a proposal: its organisation and proposed lead become the task's assignment
    /// (the 7 clear must hold), the proposal is marked selected and the others not.
    pub async fn select_proposal(
        &self,
        actor: &Actor,
        proposal_id: ProposalId,
        on: Date,
    ) -> Result<Stored<Task>, AppError> {
        policy::office(actor, true)?;
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let Stored { record: chosen, .. } = tx
            .get::<Proposal>(proposal_id)
            .await?
            .ok_or_else(|| AppError::NotFound { noun: "proposal", id: proposal_id.to_string() })?;
        if chosen.status != ProposalStatus::Submitted {
            return Err(AppError::Conflict {
                field: Some("status".into()),
                message: msg(
                    format!("hồ sơ đề xuất đã ở trạng thái {}", chosen.status.label(Lang::Vi)),
                    format!("the proposal is already {}", chosen.status),
                ),
            });
        }
        let task_id = chosen.task_id;
        let command = TaskCommand::Assign {
            lead_organisation_id: chosen.organisation_id,
            lead_person_id: chosen.lead_person_id,
            on,
        };
        let context = serde_json::json!({ "selected_proposal": proposal_id });
        let task = apply_task_command(&mut tx, task_id, &command, context).await?;
        for Stored { id, mut record } in tx.children_of::<Proposal>(EntityKind::Task, task_id, &Scope::All).await? {
            record.status = if id == proposal_id { ProposalStatus::Selected } else { ProposalStatus::NotSelected };
            tx.update(id, &record).await?;
        }
        tx.commit().await?;
        Ok(task)
    }
}

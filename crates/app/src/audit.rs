//! The audit log as users see it: browsing it, verifying it, and a person's data — exported
//! on request, or erased where no audit rule forbids it (the log keeps a tombstone).

use cncl_domain::ids::PersonId;
use cncl_domain::organisation::Person;
use cncl_domain::{EntityKind, Stored};
use cncl_store::Page;
use cncl_store::audit::chain::Entry;
use cncl_store::audit::{AuditFilter, AuditReport};
use serde_json::{Value, json};

use crate::policy::{self, Actor};
use crate::{App, AppError};

/// Records that name a person and must stay accountable: while any exists, the person cannot
/// be erased.
const ACCOUNTABLE_REFERENCES: [(EntityKind, &str); 6] = [
    (EntityKind::Task, "leads a task"),
    (EntityKind::Appointment, "is appointed chief engineer or architect"),
    (EntityKind::TaskForceMember, "is a Task Force member"),
    (EntityKind::Proposal, "is proposed to lead a task"),
    (EntityKind::ProposalReview, "reviewed a proposal"),
    (EntityKind::TechnologyAssessment, "assessed a core technology"),
];

impl App {
    /// The audit log's head (last entry's number and hash): what a figure computed now rests
    /// on, as a published report records it.
    pub async fn audit_head(&self) -> Result<(i64, String), AppError> {
        Ok(self.store.audit_head().await?)
    }

    pub async fn audit_entries(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Entry>, AppError> {
        policy::audit(actor)?;
        if page == 0 || !(1..=crate::records::MAX_PER_PAGE).contains(&per_page) {
            return Err(AppError::bad_request(
                "page",
                cncl_domain::msg("page từ 1, per_page từ 1 đến 500", "page from 1, per_page from 1 to 500"),
            ));
        }
        // Entries' instants are stored as RFC 3339 text, so a bound compares as text: it must
        // be a date or an instant in that form, or the comparison would be meaningless.
        for (field, bound) in [("from", &filter.from), ("until", &filter.until)] {
            if let Some(bound) = bound
                && bound.parse::<chrono::NaiveDate>().is_err()
                && chrono::DateTime::parse_from_rfc3339(bound).is_err()
            {
                return Err(AppError::bad_request(
                    field,
                    cncl_domain::msg(
                        "phải là ngày YYYY-MM-DD hoặc thời điểm RFC 3339",
                        "must be a date YYYY-MM-DD or an RFC 3339 instant",
                    ),
                ));
            }
        }
        Ok(self.store.audit_entries(filter, page, per_page).await?)
    }

    /// Recompute the chain and compare every stored row with it.
    pub async fn verify_audit(&self, actor: &Actor) -> Result<AuditReport, AppError> {
        policy::audit(actor)?;
        Ok(self.store.verify_audit().await?)
    }

    /// Everything recorded about a person: the record, where it is referenced, and the audit
    /// log's entries about it.
    pub async fn export_person(&self, actor: &Actor, person: PersonId) -> Result<Value, AppError> {
        policy::office(actor, true)?;
        let id = person.as_uuid();
        let person: Stored<Person> = self.get(actor, person).await?;
        let mut referenced = Vec::new();
        let mut tx = self.store.begin_read().await?;
        for (kind, role) in ACCOUNTABLE_REFERENCES {
            let count = tx.count_referring(kind, EntityKind::Person, id).await?;
            if count > 0 {
                referenced.push(json!({"kind": kind.resource(), "role": role, "records": count}));
            }
        }
        tx.commit().await?;
        let filter = AuditFilter {
            entity: Some(cncl_store::tables::table(EntityKind::Person).name.to_owned()),
            entity_id: Some(id.to_string()),
            ..AuditFilter::default()
        };
        let history = self.store.audit_entries(&filter, 1, crate::records::MAX_PER_PAGE).await?.items;
        Ok(json!({"person": person, "referenced_by": referenced, "audit_entries": history}))
    }

    /// Erase a person on request, unless an accountable record names them.
    pub async fn erase_person(&self, actor: &Actor, person: PersonId) -> Result<(), AppError> {
        policy::office(actor, true)?;
        self.get::<Person>(actor, person).await?;
        let id = person.as_uuid();
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let mut reasons = Vec::new();
        for (kind, role) in ACCOUNTABLE_REFERENCES {
            if tx.count_referring(kind, EntityKind::Person, id).await? > 0 {
                reasons.push(role);
            }
        }
        if !reasons.is_empty() {
            return Err(AppError::Conflict {
                field: None,
                message: cncl_domain::msg(
                    format!(
                        "người này {}: quy định kiểm toán giữ các bản ghi đó để truy trách nhiệm, nên không xóa được",
                        reasons.join(", ")
                    ),
                    format!(
                        "this person {}: the audit rules keep such records accountable, so the person cannot be erased",
                        reasons.join(", ")
                    ),
                ),
            });
        }
        tx.erase::<Person>(&id.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }
}

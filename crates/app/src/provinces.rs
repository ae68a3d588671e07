//! Organisations and the province list (`cncl_domain::provinces`): a name written before
//! the list, or a former province's, is brought to today's on start (each change audited);
//! one that matches nothing is listed for the office. The dashboard's map counts the
//! organisations taking part and the funding by province.

use std::collections::BTreeMap;

use cncl_domain::organisation::Organisation;
use cncl_domain::task::{BudgetLine, Task, TaskParticipant};
use cncl_domain::values::Text;
use cncl_domain::{Date, Stored};
use uuid::Uuid;

use crate::governance::Warning;
use crate::{Actor, App, AppError};

/// What the map shows of one province.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvinceFigures {
    /// Distinct organisations taking part in a task assigned by the date.
    pub organisations: usize,
    /// The budget of the tasks they lead (every source, every year planned), in đồng.
    pub funding_vnd: i128,
}

impl App {
    /// Bring every organisation's province to its name in today's list; how many changed.
    pub async fn canonicalise_provinces(&self, actor: &Actor) -> Result<usize, AppError> {
        let today = self.today().get();
        let mut changed = 0;
        for stored in self.everything::<Organisation>().await? {
            let Some(province) = cncl_domain::provinces::named(stored.record.province.as_str(), today) else {
                continue;
            };
            if province.name_vi != stored.record.province.as_str() {
                let mut moved = stored.record.clone();
                moved.province = Text::parse(&province.name_vi)
                    .map_err(|e| AppError::from(cncl_domain::DomainError::new("province", e.0)))?;
                self.update(actor, stored.id, moved).await?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// One warning per organisation whose province matches none of the list.
    pub(crate) async fn unknown_provinces(&self) -> Result<Vec<Warning>, AppError> {
        Ok(self
            .everything::<Organisation>()
            .await?
            .into_iter()
            .filter(|o| cncl_domain::provinces::known(o.record.province.as_str()).is_none())
            .map(|o| Warning::UnknownProvince {
                organisation: o.id.as_uuid(),
                name: o.record.name.to_string(),
                province: o.record.province.to_string(),
            })
            .collect())
    }

    /// By province code: the organisations taking part in tasks assigned by `as_of`, and
    /// the budget of the tasks they lead.
    pub async fn by_province(&self, actor: &Actor, as_of: Date) -> Result<BTreeMap<String, ProvinceFigures>, AppError> {
        crate::policy::read(actor, cncl_domain::EntityKind::Organisation)?;
        let today = as_of.get();
        let organisations: BTreeMap<Uuid, String> = self
            .everything::<Organisation>()
            .await?
            .into_iter()
            .filter_map(|o| {
                let code = cncl_domain::provinces::named(o.record.province.as_str(), today)?.code.clone();
                Some((o.id.as_uuid(), code))
            })
            .collect();
        let assigned: BTreeMap<Uuid, Stored<Task>> = self
            .everything::<Task>()
            .await?
            .into_iter()
            .filter(|t| t.record.assigned_on.is_some_and(|d| d <= as_of))
            .map(|t| (t.id.as_uuid(), t))
            .collect();
        let participants = self.everything::<TaskParticipant>().await?;
        let mut figures: BTreeMap<String, ProvinceFigures> = BTreeMap::new();
        let mut counted = std::collections::HashSet::new();
        let mut lead_of: BTreeMap<Uuid, Uuid> = BTreeMap::new();
        for p in participants.iter().filter(|p| assigned.contains_key(&p.record.task_id.as_uuid())) {
            let organisation = p.record.organisation_id.as_uuid();
            if p.record.role == cncl_domain::task::ParticipantRole::Lead {
                lead_of.insert(p.record.task_id.as_uuid(), organisation);
            }
            if let Some(code) = organisations.get(&organisation)
                && counted.insert(organisation)
            {
                figures.entry(code.clone()).or_default().organisations += 1;
            }
        }
        for line in self.everything::<BudgetLine>().await? {
            let lead = lead_of.get(&line.record.task_id.as_uuid()).and_then(|o| organisations.get(o));
            if let Some(code) = lead {
                figures.entry(code.clone()).or_default().funding_vnd += i128::from(line.record.amount_vnd.get());
            }
        }
        Ok(figures)
    }
}

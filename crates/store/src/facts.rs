//! `load_facts(as_of)`: the facts the evaluator needs, read from the store in one go. Facts
//! dated after `as_of` are left out; undated facts (bills of materials, costs, prices) are
//! read whole. Each query is written once for both backends.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use cncl_domain::seven_clear::SevenClearFacts;
use cncl_eval::facts::{
    AssessmentFact, BomLineFact, BudgetLineFact, CertificationFact, CostLineFact, DemonstrationFact, Facts,
    IndustryFact, IpApplicationFact, LaboratoryFact, MarketSizeFact, ModelFact, OrganisationFact, OutcomeFact,
    ParticipantFact, PublicationFact, SalesFact, SpendingFact, TaskFact, TechnologyFact, TrainingFact,
};
use uuid::Uuid;

use crate::backend::{Store, on_pool};
use crate::error::StoreError;

/// Turns stored text into typed values, naming the table on failure.
struct Decode {
    table: &'static str,
}

impl Decode {
    fn fail(&self, message: String) -> StoreError {
        StoreError::Corrupt { table: self.table, id: String::new(), message }
    }
    fn id(&self, text: &str) -> Result<Uuid, StoreError> {
        Uuid::parse_str(text).map_err(|e| self.fail(format!("id {text:?}: {e}")))
    }
    fn opt_id(&self, text: Option<&str>) -> Result<Option<Uuid>, StoreError> {
        text.map(|t| self.id(t)).transpose()
    }
    fn date(&self, text: &str) -> Result<NaiveDate, StoreError> {
        NaiveDate::from_str(text).map_err(|e| self.fail(format!("date {text:?}: {e}")))
    }
    fn opt_date(&self, text: Option<&str>) -> Result<Option<NaiveDate>, StoreError> {
        text.map(|t| self.date(t)).transpose()
    }
    fn choice<T>(&self, text: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
        parse(text).ok_or_else(|| self.fail(format!("unknown value {text:?}")))
    }
    fn year(&self, year: i64) -> Result<i32, StoreError> {
        i32::try_from(year).map_err(|_| self.fail(format!("year {year}")))
    }
}

/// Fetch every row of `$sql` (bound to `$binds`) as the tuple type `$row`.
macro_rules! rows {
    ($store:expr, $row:ty, $sql:expr $(, $bind:expr)*) => {
        on_pool!($store, pool => {
            sqlx::query_as::<_, $row>($sql)$(.bind($bind))*.fetch_all(pool).await?
        })
    };
}

type TaskRow = (
    String,
    String,
    bool,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The facts as recorded on `as_of`.
    pub async fn load_facts(&self, as_of: NaiveDate) -> Result<Facts, StoreError> {
        let day = as_of.to_string();
        let year = i64::from(as_of.year());
        let mut facts = Facts {
            products: rows!(self, (String,), "select code from products order by ordinal, code")
                .into_iter()
                .map(|r| r.0)
                .collect(),
            ..Facts::default()
        };
        self.load_technologies(&mut facts, &day).await?;
        self.load_tasks(&mut facts).await?;
        self.load_outputs(&mut facts, &day).await?;
        self.load_market(&mut facts, &day, year).await?;
        self.load_capacity(&mut facts, &day, year).await?;
        Ok(facts)
    }

    async fn load_technologies(&self, facts: &mut Facts, day: &str) -> Result<(), StoreError> {
        let d = Decode { table: "core_technologies" };
        for (id, product, parent, weight) in rows!(
            self,
            (String, String, Option<String>, i64),
            "select id, product_code, parent_id, weight from core_technologies"
        ) {
            facts.technologies.push(TechnologyFact {
                id: d.id(&id)?,
                product,
                parent: d.opt_id(parent.as_deref())?,
                weight,
            });
        }
        let d = Decode { table: "technology_assessments" };
        let sql = "select id, technology_id, assessed_on, mastery from technology_assessments where assessed_on <= $1";
        for (id, technology, on, mastery) in rows!(self, (String, String, String, String), sql, day.to_owned()) {
            facts.assessments.push(AssessmentFact {
                id: d.id(&id)?,
                technology: d.id(&technology)?,
                assessed_on: d.date(&on)?,
                mastery: d.choice(&mastery, cncl_domain::technology::Mastery::parse)?,
            });
        }
        Ok(())
    }

    async fn load_tasks(&self, facts: &mut Facts) -> Result<(), StoreError> {
        let d = Decode { table: "tasks" };
        let sql = "select id, product_code, is_research, dual_use, assigned_on, accepted_on, lead_person_id, scope, \
                   responsibility, starts_on, ends_on, approving_body, delegated_authority, expected_product from tasks";
        for row in rows!(self, TaskRow, sql) {
            let (
                id,
                product,
                is_research,
                dual_use,
                assigned_on,
                accepted_on,
                lead,
                scope,
                resp,
                starts,
                ends,
                body,
                delegated,
                expected,
            ) = row;
            facts.tasks.push(TaskFact {
                id: d.id(&id)?,
                product,
                is_research,
                dual_use,
                assigned_on: d.opt_date(assigned_on.as_deref())?,
                accepted_on: d.opt_date(accepted_on.as_deref())?,
                clear: SevenClearFacts {
                    lead_person: lead.is_some(),
                    scope: scope.is_some(),
                    responsibility: resp.is_some(),
                    lead_organisation: false,
                    starts_on: starts.is_some(),
                    ends_on: ends.is_some(),
                    approving_body: body.is_some(),
                    delegated_authority: delegated.is_some(),
                    expected_product: expected.is_some(),
                    budget: false,
                },
            });
        }
        let d = Decode { table: "task_participants" };
        for (id, task, organisation, role) in rows!(
            self,
            (String, String, String, String),
            "select id, task_id, organisation_id, role from task_participants"
        ) {
            facts.participants.push(ParticipantFact {
                id: d.id(&id)?,
                task: d.id(&task)?,
                organisation: d.id(&organisation)?,
                role: d.choice(&role, cncl_domain::task::ParticipantRole::parse)?,
            });
        }
        let d = Decode { table: "budget_lines" };
        for (id, task, year, source, amount) in rows!(
            self,
            (String, String, i64, String, i64),
            "select id, task_id, year, source, amount_vnd from budget_lines"
        ) {
            facts.budget_lines.push(BudgetLineFact {
                id: d.id(&id)?,
                task: d.id(&task)?,
                year: d.year(year)?,
                source: d.choice(&source, cncl_domain::task::FundingSource::parse)?,
                amount_vnd: amount,
            });
        }
        let d = Decode { table: "state_st_spending" };
        for (id, year, amount) in rows!(self, (String, i64, i64), "select id, year, amount_vnd from state_st_spending")
        {
            facts.state_spending.push(SpendingFact { id: d.id(&id)?, year: d.year(year)?, amount_vnd: amount });
        }
        Ok(())
    }

    async fn load_outputs(&self, facts: &mut Facts, day: &str) -> Result<(), StoreError> {
        let d = Decode { table: "publications" };
        let sql = "select id, task_id, accredited, published_on from publications where published_on <= $1";
        for (id, task, accredited, on) in rows!(self, (String, String, bool, String), sql, day.to_owned()) {
            facts.publications.push(PublicationFact {
                id: d.id(&id)?,
                task: d.id(&task)?,
                accredited,
                published_on: d.date(&on)?,
            });
        }
        let d = Decode { table: "ip_applications" };
        let sql =
            "select id, task_id, accepted_on from ip_applications where accepted_on is not null and accepted_on <= $1";
        for (id, task, on) in rows!(self, (String, String, Option<String>), sql, day.to_owned()) {
            facts.ip_applications.push(IpApplicationFact {
                id: d.id(&id)?,
                task: d.id(&task)?,
                accepted_on: d.opt_date(on.as_deref())?,
            });
        }
        let d = Decode { table: "research_outcomes" };
        let sql = "select id, task_id, recorded_on, applied_on from research_outcomes where recorded_on <= $1";
        for (id, task, recorded, applied) in rows!(self, (String, String, String, Option<String>), sql, day.to_owned())
        {
            facts.outcomes.push(OutcomeFact {
                id: d.id(&id)?,
                task: d.id(&task)?,
                recorded_on: d.date(&recorded)?,
                applied_on: d.opt_date(applied.as_deref())?,
            });
        }
        let d = Decode { table: "dual_use_demonstrations" };
        let sql =
            "select id, task_id, sector, demonstrated_on from dual_use_demonstrations where demonstrated_on <= $1";
        for (id, task, sector, on) in rows!(self, (String, String, String, String), sql, day.to_owned()) {
            facts.demonstrations.push(DemonstrationFact {
                id: d.id(&id)?,
                task: d.id(&task)?,
                sector: d.choice(&sector, cncl_domain::output::Sector::parse)?,
                demonstrated_on: d.date(&on)?,
            });
        }
        Ok(())
    }

    async fn load_market(&self, facts: &mut Facts, day: &str, year: i64) -> Result<(), StoreError> {
        use cncl_domain::market::{CostCategory, Origin};
        let d = Decode { table: "product_models" };
        let sql = "select id, product_code, selling_price_vnd, launched_on from product_models where launched_on is null or launched_on <= $1";
        for (id, product, price, launched) in rows!(self, (String, String, i64, Option<String>), sql, day.to_owned()) {
            facts.models.push(ModelFact {
                id: d.id(&id)?,
                product,
                selling_price_vnd: price,
                launched_on: d.opt_date(launched.as_deref())?,
            });
        }
        let d = Decode { table: "bom_lines" };
        // Ordered by model then id, as the roll-up wants them (the index makes this free).
        let sql =
            "select id, model_id, parent_line_id, quantity, unit_cost_vnd, origin from bom_lines order by model_id, id";
        let lines = rows!(self, (String, String, Option<String>, i64, i64, String), sql);
        facts.bom_lines.reserve(lines.len());
        for (id, model, parent, quantity, cost, origin) in lines {
            facts.bom_lines.push(BomLineFact {
                id: d.id(&id)?,
                model: d.id(&model)?,
                parent: d.opt_id(parent.as_deref())?,
                quantity,
                unit_cost_vnd: cost,
                origin: d.choice(&origin, Origin::parse)?,
            });
        }
        let d = Decode { table: "cost_lines" };
        for (id, model, category, origin, amount) in rows!(
            self,
            (String, String, String, String, i64),
            "select id, model_id, category, origin, amount_vnd from cost_lines"
        ) {
            facts.cost_lines.push(CostLineFact {
                id: d.id(&id)?,
                model: d.id(&model)?,
                category: d.choice(&category, CostCategory::parse)?,
                origin: d.choice(&origin, Origin::parse)?,
                amount_vnd: amount,
            });
        }
        let d = Decode { table: "model_sales" };
        let sql = "select id, model_id, year, domestic_units, export_units from model_sales where year <= $1";
        for (id, model, y, domestic, export) in rows!(self, (String, String, i64, i64, i64), sql, year) {
            facts.sales.push(SalesFact {
                id: d.id(&id)?,
                model: d.id(&model)?,
                year: d.year(y)?,
                domestic_units: domestic,
                export_units: export,
            });
        }
        let d = Decode { table: "market_sizes" };
        let sql = "select id, product_code, year, domestic_vnd from market_sizes where year <= $1";
        for (id, product, y, size) in rows!(self, (String, String, i64, i64), sql, year) {
            facts.market_sizes.push(MarketSizeFact { id: d.id(&id)?, product, year: d.year(y)?, domestic_vnd: size });
        }
        Ok(())
    }

    async fn load_capacity(&self, facts: &mut Facts, day: &str, year: i64) -> Result<(), StoreError> {
        let d = Decode { table: "organisations" };
        for (id, kind, scale) in
            rows!(self, (String, String, Option<i64>), "select id, kind, scale_usd from organisations")
        {
            facts.organisations.push(OrganisationFact {
                id: d.id(&id)?,
                kind: d.choice(&kind, cncl_domain::organisation::OrganisationKind::parse)?,
                scale_usd: scale,
            });
        }
        let d = Decode { table: "certifications" };
        let sql = "select id, organisation_id, certified_on, expires_on from certifications where certified_on <= $1";
        for (id, organisation, certified, expires) in
            rows!(self, (String, String, String, Option<String>), sql, day.to_owned())
        {
            facts.certifications.push(CertificationFact {
                id: d.id(&id)?,
                organisation: d.id(&organisation)?,
                certified_on: d.date(&certified)?,
                expires_on: d.opt_date(expires.as_deref())?,
            });
        }
        let d = Decode { table: "training_records" };
        for (id, y, count) in
            rows!(self, (String, i64, i64), "select id, year, count from training_records where year <= $1", year)
        {
            facts.training.push(TrainingFact { id: d.id(&id)?, year: d.year(y)?, count });
        }
        let d = Decode { table: "laboratories" };
        let sql = "select id, kind, open_model, established_on from laboratories where established_on <= $1";
        for (id, kind, open, established) in rows!(self, (String, String, bool, Option<String>), sql, day.to_owned()) {
            facts.laboratories.push(LaboratoryFact {
                id: d.id(&id)?,
                kind: d.choice(&kind, cncl_domain::capacity::LaboratoryKind::parse)?,
                open_model: open,
                established_on: d.opt_date(established.as_deref())?,
            });
        }
        let d = Decode { table: "strategic_industries" };
        for (id, formed) in rows!(
            self,
            (String, String),
            "select id, formed_on from strategic_industries where formed_on <= $1",
            day.to_owned()
        ) {
            facts.industries.push(IndustryFact { id: d.id(&id)?, formed_on: d.date(&formed)? });
        }
        Ok(())
    }
}

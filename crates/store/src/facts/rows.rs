//! A fact query's rows turned into facts: each column read by position, whichever driver
//! read the row (rusqlite on SQLite, a binary `COPY` on PostgreSQL).

use std::str::FromStr;

use chrono::NaiveDate;
use cncl_domain::seven_clear::SevenClearFacts;
use cncl_eval::facts::{
    AssessmentFact, BomLineFact, BudgetLineFact, CertificationFact, CostLineFact, DemonstrationFact, DisbursementFact,
    Facts, IndustryFact, IpApplicationFact, LaboratoryFact, MarketSizeFact, ModelFact, OrganisationFact, OutcomeFact,
    ParticipantFact, PublicationFact, SalesFact, SpendingFact, TaskFact, TechnologyFact, TrainingFact,
};
use uuid::Uuid;

use super::Kind;

/// A row's columns by position, whichever driver read it.
pub(super) trait Columns {
    fn opt_text(&self, i: usize) -> Result<Option<&str>, String>;
    /// A text column's bytes, unchecked: ids and dates are parsed from them directly (in a
    /// profile of fact loading at national scale the UTF-8 checks took about 5 %).
    fn opt_bytes(&self, i: usize) -> Result<Option<&[u8]>, String>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>, String>;
    fn flag(&self, i: usize) -> Result<bool, String>;

    fn text(&self, i: usize) -> Result<&str, String> {
        self.opt_text(i)?.ok_or_else(|| format!("column {i} is null"))
    }
    fn int(&self, i: usize) -> Result<i64, String> {
        self.opt_int(i)?.ok_or_else(|| format!("column {i} is null"))
    }
    fn id(&self, i: usize) -> Result<Uuid, String> {
        self.opt_id(i)?.ok_or_else(|| format!("column {i} is null"))
    }
    fn opt_id(&self, i: usize) -> Result<Option<Uuid>, String> {
        let parse =
            |b: &[u8]| Uuid::try_parse_ascii(b).map_err(|e| format!("id {:?}: {e}", String::from_utf8_lossy(b)));
        self.opt_bytes(i)?.map(parse).transpose()
    }
    fn date(&self, i: usize) -> Result<NaiveDate, String> {
        self.opt_date(i)?.ok_or_else(|| format!("column {i} is null"))
    }
    fn opt_date(&self, i: usize) -> Result<Option<NaiveDate>, String> {
        let parse = |b: &[u8]| {
            iso_date(b)
                .ok_or_else(|| String::from_utf8_lossy(b).into_owned())
                .or_else(|text| NaiveDate::from_str(&text).map_err(|e| format!("date {text:?}: {e}")))
        };
        self.opt_bytes(i)?.map(parse).transpose()
    }
    fn year(&self, i: usize) -> Result<i32, String> {
        let year = self.int(i)?;
        i32::try_from(year).map_err(|_| format!("year {year}"))
    }
    fn choice<T>(&self, i: usize, parse: fn(&str) -> Option<T>) -> Result<T, String> {
        let text = self.text(i)?;
        parse(text).ok_or_else(|| format!("unknown value {text:?}"))
    }
}

/// `YYYY-MM-DD`, the form every date is stored in, read without chrono's general parser
/// (which took a twentieth of fact loading); `None` for anything else, which chrono then reads.
pub(super) fn iso_date(bytes: &[u8]) -> Option<NaiveDate> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = bytes else { return None };
    let number =
        |digits: &[u8]| digits.iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    let year = i32::try_from(number(&[y0, y1, y2, y3])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&[m0, m1])?, number(&[d0, d1])?)
}

impl Columns for rusqlite::Row<'_> {
    fn opt_text(&self, i: usize) -> Result<Option<&str>, String> {
        self.get_ref(i).map_err(|e| e.to_string())?.as_str_or_null().map_err(|e| e.to_string())
    }
    fn opt_bytes(&self, i: usize) -> Result<Option<&[u8]>, String> {
        match self.get_ref(i).map_err(|e| e.to_string())? {
            rusqlite::types::ValueRef::Null => Ok(None),
            rusqlite::types::ValueRef::Text(bytes) => Ok(Some(bytes)),
            other => Err(format!("column {i} is {:?}, not text", other.data_type())),
        }
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>, String> {
        self.get_ref(i).map_err(|e| e.to_string())?.as_i64_or_null().map_err(|e| e.to_string())
    }
    fn flag(&self, i: usize) -> Result<bool, String> {
        Ok(self.opt_int(i)?.is_some_and(|v| v != 0))
    }
}

/// Add one row of `kind` to the facts.
pub(super) fn add(kind: Kind, r: &impl Columns, f: &mut Facts) -> Result<(), String> {
    use cncl_domain::{organisation, task, technology};
    match kind {
        Kind::Product => f.products.push(r.text(0)?.to_owned()),
        Kind::Technology => f.technologies.push(TechnologyFact {
            id: r.id(0)?,
            product: r.text(1)?.to_owned(),
            parent: r.opt_id(2)?,
            weight: r.int(3)?,
        }),
        Kind::Assessment => f.assessments.push(AssessmentFact {
            id: r.id(0)?,
            technology: r.id(1)?,
            assessed_on: r.date(2)?,
            mastery: r.choice(3, technology::Mastery::parse)?,
        }),
        Kind::Organisation => f.organisations.push(OrganisationFact {
            id: r.id(0)?,
            kind: r.choice(1, organisation::OrganisationKind::parse)?,
            scale_usd: r.opt_int(2)?,
        }),
        Kind::Certification => f.certifications.push(CertificationFact {
            id: r.id(0)?,
            organisation: r.id(1)?,
            certified_on: r.date(2)?,
            expires_on: r.opt_date(3)?,
        }),
        Kind::Task => f.tasks.push(task_fact(r)?),
        Kind::Participant => f.participants.push(ParticipantFact {
            id: r.id(0)?,
            task: r.id(1)?,
            organisation: r.id(2)?,
            role: r.choice(3, task::ParticipantRole::parse)?,
        }),
        Kind::BudgetLine => f.budget_lines.push(BudgetLineFact {
            id: r.id(0)?,
            task: r.id(1)?,
            year: r.year(2)?,
            source: r.choice(3, task::FundingSource::parse)?,
            amount_vnd: r.int(4)?,
        }),
        Kind::Disbursement => f.disbursements.push(DisbursementFact {
            id: r.id(0)?,
            budget_line: r.id(1)?,
            disbursed_on: r.date(2)?,
            amount_vnd: r.int(3)?,
        }),
        Kind::Spending => f.state_spending.push(SpendingFact { id: r.id(0)?, year: r.year(1)?, amount_vnd: r.int(2)? }),
        Kind::Publication | Kind::IpApplication | Kind::Outcome | Kind::Demonstration => add_output(kind, r, f)?,
        Kind::Model | Kind::BomLine | Kind::CostLine | Kind::Sales | Kind::MarketSize => add_market(kind, r, f)?,
        Kind::Training | Kind::Laboratory | Kind::Industry => add_capacity(kind, r, f)?,
        Kind::AuditHead => f.audit_seq = r.int(0)?,
    }
    Ok(())
}

/// Add one row about what research tasks produced (C4–C7).
fn add_output(kind: Kind, r: &impl Columns, f: &mut Facts) -> Result<(), String> {
    use cncl_domain::output;
    match kind {
        Kind::Publication => f.publications.push(PublicationFact {
            id: r.id(0)?,
            task: r.id(1)?,
            accredited: r.flag(2)?,
            published_on: r.date(3)?,
        }),
        Kind::IpApplication => {
            f.ip_applications.push(IpApplicationFact { id: r.id(0)?, task: r.id(1)?, accepted_on: r.opt_date(2)? })
        }
        Kind::Outcome => f.outcomes.push(OutcomeFact {
            id: r.id(0)?,
            task: r.id(1)?,
            recorded_on: r.date(2)?,
            applied_on: r.opt_date(3)?,
        }),
        Kind::Demonstration => f.demonstrations.push(DemonstrationFact {
            id: r.id(0)?,
            task: r.id(1)?,
            sector: r.choice(2, output::Sector::parse)?,
            demonstrated_on: r.date(3)?,
        }),
        _ => return Err(format!("{kind:?} is not an output")),
    }
    Ok(())
}

/// Add one row about the programme's capacity: training, laboratories, industries.
fn add_capacity(kind: Kind, r: &impl Columns, f: &mut Facts) -> Result<(), String> {
    use cncl_domain::capacity;
    match kind {
        Kind::Training => f.training.push(TrainingFact { id: r.id(0)?, year: r.year(1)?, count: r.int(2)? }),
        Kind::Laboratory => f.laboratories.push(LaboratoryFact {
            id: r.id(0)?,
            kind: r.choice(1, capacity::LaboratoryKind::parse)?,
            open_model: r.flag(2)?,
            established_on: r.opt_date(3)?,
        }),
        Kind::Industry => f.industries.push(IndustryFact { id: r.id(0)?, formed_on: r.date(1)? }),
        _ => return Err(format!("{kind:?} is not about capacity")),
    }
    Ok(())
}

/// Add one row about product models and their markets.
fn add_market(kind: Kind, r: &impl Columns, f: &mut Facts) -> Result<(), String> {
    use cncl_domain::market;
    match kind {
        Kind::Model => f.models.push(ModelFact {
            id: r.id(0)?,
            product: r.text(1)?.to_owned(),
            selling_price_vnd: r.int(2)?,
            launched_on: r.opt_date(3)?,
        }),
        Kind::BomLine => f.bom_lines.push(BomLineFact {
            id: r.id(0)?,
            model: r.id(1)?,
            parent: r.opt_id(2)?,
            quantity: r.int(3)?,
            unit_cost_vnd: r.int(4)?,
            origin: r.choice(5, market::Origin::parse)?,
        }),
        Kind::CostLine => f.cost_lines.push(CostLineFact {
            id: r.id(0)?,
            model: r.id(1)?,
            category: r.choice(2, market::CostCategory::parse)?,
            origin: r.choice(3, market::Origin::parse)?,
            amount_vnd: r.int(4)?,
        }),
        Kind::Sales => f.sales.push(SalesFact {
            id: r.id(0)?,
            model: r.id(1)?,
            year: r.year(2)?,
            domestic_units: r.int(3)?,
            export_units: r.int(4)?,
        }),
        Kind::MarketSize => f.market_sizes.push(MarketSizeFact {
            id: r.id(0)?,
            product: r.text(1)?.to_owned(),
            year: r.year(2)?,
            domestic_vnd: r.int(3)?,
        }),
        _ => {}
    }
    Ok(())
}

fn task_fact(r: &impl Columns) -> Result<TaskFact, String> {
    let set = |i: usize| r.opt_text(i).map(|v| v.is_some());
    Ok(TaskFact {
        id: r.id(0)?,
        product: r.text(1)?.to_owned(),
        is_research: r.flag(2)?,
        dual_use: r.flag(3)?,
        assigned_on: r.opt_date(4)?,
        accepted_on: r.opt_date(5)?,
        clear: SevenClearFacts {
            lead_person: set(6)?,
            scope: set(7)?,
            responsibility: set(8)?,
            lead_organisation: false,
            starts_on: set(9)?,
            ends_on: set(10)?,
            milestones: r.flag(13)?,
            approving_body: set(11)?,
            delegated_authority: set(12)?,
            deliverables: r.flag(14)?,
            budget: false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_dates_are_read_without_chrono_and_anything_else_is_left_to_it() {
        assert_eq!(iso_date(b"2026-02-28"), NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(iso_date(b"0999-12-31"), NaiveDate::from_ymd_opt(999, 12, 31));
        for not_iso in [&b"2026-02-30"[..], b"2026-13-01", b"2026-2-28", b"2026/02/28", b"20260228", b"2026-02-2x", b""]
        {
            assert_eq!(iso_date(not_iso), None, "{}", String::from_utf8_lossy(not_iso));
        }
    }
}

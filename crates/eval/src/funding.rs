//! The programme's money: budget lines by product, source and year; disbursements against
//! them; and, for every year, the state budget's share of that year's state S&T spending
//! against the ceiling (seeds 000, 001: within 15 %).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use cncl_domain::Date;
use cncl_domain::task::FundingSource;
use serde::Serialize;
use uuid::Uuid;

use crate::facts::Facts;

/// One year's funding and how it stands against the ceiling.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearFunding {
    pub year: i32,
    /// Planned, by source (all sources listed, zero where none).
    pub by_source: BTreeMap<FundingSource, i128>,
    pub state_vnd: i128,
    pub total_vnd: i128,
    pub disbursed_vnd: i128,
    /// The state S&T spending figure of the year, if recorded.
    pub st_spending_vnd: Option<i128>,
    /// The state budget's share of it, per cent.
    pub state_share_percent: Option<f64>,
    /// The state budget would pass the ceiling.
    pub over_ceiling: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductFunding {
    pub product: String,
    pub by_source: BTreeMap<FundingSource, i128>,
    pub total_vnd: i128,
    pub disbursed_vnd: i128,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundingSummary {
    pub as_of: NaiveDate,
    /// The ceiling of the criteria set, per cent; none if the set has no funding constraint.
    pub ceiling_percent: Option<i64>,
    pub years: Vec<YearFunding>,
    pub products: Vec<ProductFunding>,
    pub by_source: BTreeMap<FundingSource, i128>,
    pub total_vnd: i128,
    pub disbursed_vnd: i128,
}

impl FundingSummary {
    /// The years whose state budget would pass the ceiling.
    pub fn years_over_ceiling(&self) -> Vec<&YearFunding> {
        self.years.iter().filter(|y| y.over_ceiling).collect()
    }
}

fn zero_by_source() -> BTreeMap<FundingSource, i128> {
    FundingSource::ALL.iter().map(|s| (*s, 0)).collect()
}

impl YearFunding {
    fn empty(year: i32) -> Self {
        YearFunding {
            year,
            by_source: zero_by_source(),
            state_vnd: 0,
            total_vnd: 0,
            disbursed_vnd: 0,
            st_spending_vnd: None,
            state_share_percent: None,
            over_ceiling: false,
        }
    }
}

/// Each year's state budget set against that year's state S&T spending and the ceiling.
fn against_the_ceiling(
    mut years: BTreeMap<i32, YearFunding>,
    facts: &Facts,
    ceiling_percent: Option<i64>,
) -> Vec<YearFunding> {
    for spending in &facts.state_spending {
        if let Some(year) = years.get_mut(&spending.year) {
            *year.st_spending_vnd.get_or_insert(0) += i128::from(spending.amount_vnd);
        }
    }
    for year in years.values_mut() {
        if let Some(spending) = year.st_spending_vnd.filter(|s| *s > 0) {
            year.state_share_percent = Some(year.state_vnd as f64 * 100.0 / spending as f64);
            // Exactly at the ceiling is within it.
            year.over_ceiling = ceiling_percent.is_some_and(|c| year.state_vnd * 100 > i128::from(c) * spending);
        }
    }
    years.into_values().collect()
}

/// Summarise the budget lines and disbursements (dated on or before `as_of`) in `facts`.
pub fn summarise(facts: &Facts, as_of: Date, ceiling_percent: Option<i64>) -> FundingSummary {
    let as_of = as_of.get();
    let task_product: HashMap<Uuid, &str> = facts.tasks.iter().map(|t| (t.id, t.product.as_str())).collect();
    let mut disbursed_by_line: HashMap<Uuid, i128> = HashMap::new();
    for d in facts.disbursements.iter().filter(|d| d.disbursed_on <= as_of) {
        *disbursed_by_line.entry(d.budget_line).or_default() += i128::from(d.amount_vnd);
    }
    let mut years: BTreeMap<i32, YearFunding> = BTreeMap::new();
    let mut products: BTreeMap<String, ProductFunding> = facts
        .products
        .iter()
        .map(|p| {
            (
                p.clone(),
                ProductFunding { product: p.clone(), by_source: zero_by_source(), total_vnd: 0, disbursed_vnd: 0 },
            )
        })
        .collect();
    let mut by_source = zero_by_source();
    for line in &facts.budget_lines {
        let amount = i128::from(line.amount_vnd);
        let disbursed = disbursed_by_line.get(&line.id).copied().unwrap_or(0);
        let year = years.entry(line.year).or_insert_with(|| YearFunding::empty(line.year));
        *year.by_source.entry(line.source).or_default() += amount;
        year.total_vnd += amount;
        year.disbursed_vnd += disbursed;
        if line.source.is_state_budget() {
            year.state_vnd += amount;
        }
        if let Some(product) = task_product.get(&line.task).and_then(|p| products.get_mut(*p)) {
            *product.by_source.entry(line.source).or_default() += amount;
            product.total_vnd += amount;
            product.disbursed_vnd += disbursed;
        }
        *by_source.entry(line.source).or_default() += amount;
    }
    let years = against_the_ceiling(years, facts, ceiling_percent);
    FundingSummary {
        as_of,
        ceiling_percent,
        total_vnd: years.iter().map(|y| y.total_vnd).sum(),
        disbursed_vnd: years.iter().map(|y| y.disbursed_vnd).sum(),
        years,
        products: products.into_values().collect(),
        by_source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{BudgetLineFact, DisbursementFact, SpendingFact, TaskFact};

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn facts(state_2026: i64) -> Facts {
        let line = |n: u128, year: i32, source: FundingSource, amount: i64| BudgetLineFact {
            id: id(n),
            task: id(1),
            year,
            source,
            amount_vnd: amount,
        };
        Facts {
            products: vec!["llm".into(), "uav".into()],
            tasks: vec![TaskFact {
                id: id(1),
                product: "uav".into(),
                is_research: true,
                dual_use: false,
                assigned_on: None,
                accepted_on: None,
                clear: Default::default(),
            }],
            budget_lines: vec![
                line(10, 2026, FundingSource::CentralState, state_2026 - 50),
                line(11, 2026, FundingSource::LocalState, 50),
                line(12, 2026, FundingSource::Enterprise, 5_000),
                line(13, 2027, FundingSource::CentralState, 9_000),
            ],
            disbursements: vec![
                DisbursementFact {
                    id: id(20),
                    budget_line: id(10),
                    disbursed_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
                    amount_vnd: 100,
                },
                DisbursementFact {
                    id: id(21),
                    budget_line: id(10),
                    disbursed_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
                    amount_vnd: 200,
                },
            ],
            state_spending: vec![SpendingFact { id: id(30), year: 2026, amount_vnd: 10_000 }],
            ..Facts::default()
        }
    }

    fn as_of() -> Date {
        Date::saturating(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default())
    }

    #[test]
    fn the_ceiling_warning_starts_one_dong_past_fifteen_per_cent() {
        let at = summarise(&facts(1_500), as_of(), Some(15));
        assert_eq!(at.years[0].state_vnd, 1_500);
        assert!(!at.years[0].over_ceiling, "exactly 15 % is within the ceiling");
        assert!(at.years_over_ceiling().is_empty());
        let over = summarise(&facts(1_501), as_of(), Some(15));
        assert!(over.years[0].over_ceiling);
        assert_eq!(over.years_over_ceiling().len(), 1);
        assert!(!over.years[1].over_ceiling, "2027 has no spending figure: no judgement");
        assert!(!summarise(&facts(9_999), as_of(), None).years[0].over_ceiling, "no ceiling in the set");
    }

    #[test]
    fn totals_by_product_source_and_year() {
        let s = summarise(&facts(1_500), as_of(), Some(15));
        assert_eq!(s.total_vnd, 1_500 + 5_000 + 9_000);
        assert_eq!(s.disbursed_vnd, 100, "the September disbursement is after as_of");
        assert_eq!(s.by_source[&FundingSource::CentralState], 1_450 + 9_000);
        let uav = s.products.iter().find(|p| p.product == "uav").map(|p| p.total_vnd);
        assert_eq!(uav, Some(15_500));
        assert_eq!(s.years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2026, 2027]);
        assert_eq!(s.years[0].state_share_percent, Some(15.0));
    }
}

//! Properties that hold for any facts: shares stay within [0, 1]; adding a record never
//! lowers a count; evaluating the same facts twice gives the same scorecard.

use cncl_domain::capacity::LaboratoryKind;
use cncl_domain::market::{CostCategory, Origin};
use cncl_domain::organisation::OrganisationKind;
use cncl_domain::output::Sector;
use cncl_domain::task::{FundingSource, ParticipantRole};
use cncl_domain::technology::Mastery;
use cncl_eval::criteria::Unit;
use cncl_eval::facts::{Facts, IndustryFact, MarketSizeFact, SpendingFact, TrainingFact};
use cncl_eval::{Options, evaluate};
use proptest::prelude::*;

use crate::build::*;

fn date_in_range() -> impl Strategy<Value = chrono::NaiveDate> {
    (0_i64..2000).prop_map(|days| d(2025, 1, 1) + chrono::Duration::days(days))
}

fn as_of_in_range() -> impl Strategy<Value = cncl_domain::Date> {
    date_in_range().prop_map(cncl_domain::Date::saturating)
}

fn product() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("llm"), Just("uav")]
}

/// One random record of any kind, referring to ids 1..=8 for tasks, models, technologies and
/// organisations.
#[derive(Debug, Clone)]
enum Add {
    Task(u128, &'static str, bool, bool, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    Publication(u128, bool, chrono::NaiveDate),
    Ip(u128, Option<chrono::NaiveDate>),
    Outcome(u128, chrono::NaiveDate, Option<chrono::NaiveDate>),
    Demonstration(u128, bool, chrono::NaiveDate),
    Organisation(u128, u8),
    Participant(u128, u128, u8),
    Model(u128, &'static str, i64),
    Line(u128, Option<u128>, i64, i64, bool),
    Cost(u128, u8, bool, i64),
    Sales(u128, i32, i64, i64),
    Market(&'static str, i32, i64),
    Technology(u128, &'static str, Option<u128>, i64),
    Assessment(u128, chrono::NaiveDate, u8),
    Budget(u128, i32, u8, i64),
    Spending(i32, i64),
    Training(i32, i64),
    Laboratory(bool, chrono::NaiveDate),
    Industry(chrono::NaiveDate),
}

fn add() -> impl Strategy<Value = Add> {
    let small = 1_u128..=8;
    let money = 0_i64..1_000_000;
    prop_oneof![
        (
            small.clone(),
            product(),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(date_in_range()),
            proptest::option::of(date_in_range())
        )
            .prop_map(|(n, p, r, u, a, c)| Add::Task(n, p, r, u, a, c.and(a).map(|c| c.max(a.unwrap_or(c))))),
        (small.clone(), any::<bool>(), date_in_range()).prop_map(|(t, a, on)| Add::Publication(t, a, on)),
        (small.clone(), proptest::option::of(date_in_range())).prop_map(|(t, on)| Add::Ip(t, on)),
        (small.clone(), date_in_range(), proptest::option::of(date_in_range())).prop_map(|(t, r, a)| Add::Outcome(
            t,
            r,
            a.map(|a| a.max(r))
        )),
        (small.clone(), any::<bool>(), date_in_range()).prop_map(|(t, c, on)| Add::Demonstration(t, c, on)),
        (small.clone(), 0_u8..4).prop_map(|(n, k)| Add::Organisation(n, k)),
        (small.clone(), small.clone(), 0_u8..3).prop_map(|(t, o, r)| Add::Participant(t, o, r)),
        (small.clone(), product(), 1_i64..1_000_000).prop_map(|(n, p, price)| Add::Model(n, p, price)),
        (small.clone(), proptest::option::of(1_u128..40), 1_i64..5, money.clone(), any::<bool>())
            .prop_map(|(m, p, q, c, i)| Add::Line(m, p, q, c, i)),
        (small.clone(), 0_u8..4, any::<bool>(), money.clone()).prop_map(|(m, c, i, a)| Add::Cost(m, c, i, a)),
        (small.clone(), 2025_i32..2031, 0_i64..1000, 0_i64..1000).prop_map(|(m, y, d, e)| Add::Sales(m, y, d, e)),
        (product(), 2025_i32..2031, money.clone()).prop_map(|(p, y, s)| Add::Market(p, y, s)),
        (small.clone(), product(), proptest::option::of(1_u128..=8), 1_i64..5)
            .prop_map(|(n, p, parent, w)| Add::Technology(n, p, parent.filter(|x| *x < n), w)),
        (small.clone(), date_in_range(), 0_u8..6).prop_map(|(t, on, m)| Add::Assessment(t, on, m)),
        (small.clone(), 2025_i32..2031, 0_u8..5, money.clone()).prop_map(|(t, y, s, a)| Add::Budget(t, y, s, a)),
        (2025_i32..2031, 1_i64..10_000_000).prop_map(|(y, a)| Add::Spending(y, a)),
        (2025_i32..2031, 1_i64..1000).prop_map(|(y, c)| Add::Training(y, c)),
        (any::<bool>(), date_in_range()).prop_map(|(o, on)| Add::Laboratory(o, on)),
        date_in_range().prop_map(Add::Industry),
    ]
}

/// Apply one record; `n` gives it a fresh id.
fn apply(f: &mut Facts, record: &Add, n: u128) {
    let fresh = 10_000 + n;
    match record.clone() {
        Add::Task(t, p, research, dual, assigned, accepted) => {
            if !f.tasks.iter().any(|x| x.id == id(t)) {
                f.tasks.push(task(t, p, research, dual, assigned, accepted));
            }
        }
        Add::Publication(t, accredited, on) => f.publications.push(publication(fresh, t, accredited, on)),
        Add::Ip(t, on) => f.ip_applications.push(ip(fresh, t, on)),
        Add::Outcome(t, recorded, applied) => f.outcomes.push(outcome(fresh, t, recorded, applied)),
        Add::Demonstration(t, civil, on) => {
            f.demonstrations.push(demonstration(fresh, t, if civil { Sector::Civil } else { Sector::Defence }, on))
        }
        Add::Organisation(o, kind) => {
            if !f.organisations.iter().any(|x| x.id == id(100 + o)) {
                let kind = [
                    OrganisationKind::Enterprise,
                    OrganisationKind::ResearchInstitute,
                    OrganisationKind::University,
                    OrganisationKind::Other,
                ][kind as usize];
                f.organisations.push(organisation(100 + o, kind, Some(2_000_000_000)));
            }
        }
        Add::Participant(t, o, role) => {
            let role = [ParticipantRole::Lead, ParticipantRole::Participant, ParticipantRole::SupportingSupplier]
                [role as usize];
            f.participants.push(participant(fresh, t, 100 + o, role));
        }
        other => apply_market_and_capacity(f, other, fresh),
    }
}

/// The records about products' markets and the programme's capacity.
fn apply_market_and_capacity(f: &mut Facts, record: Add, fresh: u128) {
    match record {
        Add::Model(m, p, price) if !f.models.iter().any(|x| x.id == id(200 + m)) => {
            f.models.push(model(200 + m, p, price));
        }
        Add::Line(m, parent, q, c, imported) => f.bom_lines.push(line(
            fresh,
            200 + m,
            parent.map(|p| 10_000 + p),
            q,
            c,
            if imported { Origin::Imported } else { Origin::Domestic },
        )),
        Add::Cost(m, category, imported, amount) => {
            let category =
                [CostCategory::Materials, CostCategory::Labour, CostCategory::Overhead, CostCategory::Services]
                    [category as usize];
            f.cost_lines.push(cost(
                fresh,
                200 + m,
                category,
                if imported { Origin::Imported } else { Origin::Domestic },
                amount,
            ));
        }
        Add::Sales(m, year, domestic, export) => f.sales.push(sales(fresh, 200 + m, year, domestic, export)),
        Add::Market(p, year, size) if !f.market_sizes.iter().any(|x| x.product == p && x.year == year) => {
            f.market_sizes.push(MarketSizeFact { id: id(fresh), product: p.into(), year, domestic_vnd: size });
        }
        Add::Technology(t, p, parent, w) if !f.technologies.iter().any(|x| x.id == id(300 + t)) => {
            f.technologies.push(technology(300 + t, p, parent.map(|x| 300 + x), w));
        }
        Add::Assessment(t, on, m) => f.assessments.push(assessment(fresh, 300 + t, on, Mastery::ALL[m as usize])),
        Add::Budget(t, year, source, amount) => {
            f.budget_lines.push(budget(fresh, t, year, FundingSource::ALL[source as usize], amount))
        }
        Add::Spending(year, amount) if !f.state_spending.iter().any(|x| x.year == year) => {
            f.state_spending.push(SpendingFact { id: id(fresh), year, amount_vnd: amount });
        }
        Add::Training(year, count) => f.training.push(TrainingFact { id: id(fresh), year, count }),
        Add::Laboratory(open, on) => {
            f.laboratories.push(laboratory(fresh, LaboratoryKind::NationalKeyLaboratory, open, Some(on)))
        }
        Add::Industry(on) => f.industries.push(IndustryFact { id: id(fresh), formed_on: on }),
        _ => {}
    }
}

fn build(records: &[Add]) -> Facts {
    let mut f = facts();
    for (n, r) in records.iter().enumerate() {
        apply(&mut f, r, n as u128);
    }
    f
}

fn options() -> Options {
    Options { history_from: day(2025, 1, 1), evidence: true }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn shares_stay_within_zero_and_one(records in proptest::collection::vec(add(), 0..60), as_of in as_of_in_range()) {
        let card = evaluate(&set(), &build(&records), as_of, options());
        for result in card.products.iter().flat_map(|p| &p.results).chain(&card.programme) {
            if let (Unit::Percent, false, Some(v)) = (result.unit, result.criterion == "P9", result.value) {
                prop_assert!((0.0..=1.0).contains(&v), "{} = {v}", result.criterion);
            }
            prop_assert!(result.denominator >= 0 && result.numerator >= 0);
        }
    }

    #[test]
    fn adding_a_record_never_lowers_a_count(records in proptest::collection::vec(add(), 0..40), extra in add(), as_of in as_of_in_range()) {
        let before = evaluate(&set(), &build(&records), as_of, options());
        let mut more = records.clone();
        more.push(extra);
        let after = evaluate(&set(), &build(&more), as_of, options());
        for (b, a) in before.programme.iter().zip(&after.programme) {
            if b.unit == Unit::Count {
                prop_assert!(a.numerator >= b.numerator, "{} fell from {} to {}", b.criterion, b.numerator, a.numerator);
            }
        }
    }

    #[test]
    fn dropping_the_evidence_gives_what_evaluating_without_it_gives(records in proptest::collection::vec(add(), 0..60), as_of in as_of_in_range()) {
        let facts = build(&records);
        let without = Options { evidence: false, ..options() };
        prop_assert_eq!(evaluate(&set(), &facts, as_of, options()).without_evidence(), evaluate(&set(), &facts, as_of, without));
    }

    /// The kinds a reader's reach is checked against are every kind any figure names.
    #[test]
    fn the_evidence_kinds_are_every_kind_any_figure_names(records in proptest::collection::vec(add(), 0..60), as_of in as_of_in_range()) {
        let card = evaluate(&set(), &build(&records), as_of, options());
        let results = card.products.iter().flat_map(|p| &p.results).chain(&card.programme);
        let mut named: std::collections::BTreeSet<&str> = results
            .clone()
            .flat_map(|r| r.evidence.numerator.iter().chain(&r.evidence.denominator))
            .map(|r| r.kind)
            .collect();
        if results.clone().any(|r| !r.materials_mismatches.is_empty()) {
            named.insert("product-models");
        }
        prop_assert_eq!(card.evidence_kinds(), named);
    }

    #[test]
    fn evaluating_twice_gives_the_same_scorecard(records in proptest::collection::vec(add(), 0..60), as_of in as_of_in_range()) {
        let facts = build(&records);
        let first = serde_json::to_string(&evaluate(&set(), &facts, as_of, options())).unwrap();
        let second = serde_json::to_string(&evaluate(&set(), &facts, as_of, options())).unwrap();
        prop_assert_eq!(first, second);
    }
}

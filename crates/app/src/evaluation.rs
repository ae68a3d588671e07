//! Evaluating the programme: the scorecard on any date, computed from the facts recorded
//! by then against the programme's criteria set or another loaded one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use cncl_domain::{Date, EntityKind};
use cncl_eval::criteria::{CriteriaSet, SetRef};
use cncl_eval::{Options, Scorecard};

use crate::policy::{self, Reach};
use crate::{Actor, App, AppError};

/// The scorecards computed since the last write, so that a burst of visitors to the
/// scorecard costs one evaluation (0.6 s and 160 MB at national scale) rather than one each.
#[derive(Debug)]
pub(crate) struct ScorecardCache {
    /// The audit log's last entry when these were computed: every write moves it, on every
    /// instance sharing the database.
    seq: i64,
    /// By criteria set, date and whether the records behind each figure are included.
    entries: Vec<CachedScorecard>,
    budget_bytes: usize,
}

impl Default for ScorecardCache {
    fn default() -> Self {
        ScorecardCache { seq: 0, entries: Vec::new(), budget_bytes: CACHE_BUDGET_BYTES }
    }
}

#[derive(Debug)]
struct CachedScorecard {
    set: SetRef,
    as_of: Date,
    evidence: bool,
    bytes: usize,
    scorecard: Arc<Scorecard>,
}

impl ScorecardCache {
    fn find(&self, set: &SetRef, as_of: Date, evidence: bool) -> Option<Arc<Scorecard>> {
        let found = self.entries.iter().find(|e| e.as_of == as_of && e.evidence == evidence && e.set == *set);
        found.map(|e| e.scorecard.clone())
    }

    /// Keep `scorecard`, dropping the oldest entries until it fits both bounds.
    fn keep(&mut self, set: &SetRef, as_of: Date, evidence: bool, scorecard: Arc<Scorecard>) {
        let bytes = scorecard.approximate_bytes();
        if bytes > self.budget_bytes {
            return;
        }
        while self.entries.len() >= CACHED_DATES || self.bytes() + bytes > self.budget_bytes {
            self.entries.remove(0);
        }
        self.entries.push(CachedScorecard { set: set.clone(), as_of, evidence, bytes, scorecard });
    }

    fn bytes(&self) -> usize {
        self.entries.iter().map(|e| e.bytes).sum()
    }
}

/// Dates kept at once: today's, and a few the office is comparing.
const CACHED_DATES: usize = 8;

/// Memory the kept scorecards may take together. One national-scale scorecard with its
/// evidence is tens of megabytes; the budget holds a few of those, and a scorecard larger than the
/// whole budget is served but not kept.
const CACHE_BUDGET_BYTES: usize = 256 * 1024 * 1024;

impl App {
    /// Every criterion for every product (or only `product`) and for the programme, as the
    /// recorded facts stood on `as_of`, with status, quarterly history since the programme
    /// began, and the records behind each figure; under the criteria set named, or the
    /// programme's current one.
    /// Anonymous visitors see the published figures without the records behind them.
    pub async fn scorecard(
        &self,
        actor: &Actor,
        as_of: Date,
        product: Option<&str>,
        criteria: Option<&SetRef>,
    ) -> Result<Arc<Scorecard>, AppError> {
        if let Some(code) = product {
            self.product(code).await?;
        }
        let set = self.criteria_set(criteria).await?;
        let key = set.reference();
        let evidence = !actor.is_anonymous();
        let seq = self.store.audit_seq().await?;
        // One evaluation at a time: those waiting find the result when their turn comes, and
        // memory holds one set of facts however many ask at once.
        let mut cache = self.scorecards.lock().await;
        if cache.seq != seq {
            cache.seq = seq;
            cache.entries.clear();
        }
        let found = cache.find(&key, as_of, evidence);
        // Figures already computed with their records serve visitors who may not see those.
        let full = if evidence { None } else { cache.find(&key, as_of, true) };
        let scorecard = match found {
            Some(scorecard) => {
                metrics::counter!("cncl_scorecard_cache_hits_total").increment(1);
                scorecard
            }
            None => {
                let scorecard = match full {
                    Some(full) => {
                        metrics::counter!("cncl_scorecard_cache_hits_total").increment(1);
                        Arc::new(Scorecard::clone(&full).without_evidence())
                    }
                    None => {
                        let started = std::time::Instant::now();
                        let scorecard = self.evaluate_afresh(set, as_of, evidence).await?;
                        metrics::counter!("cncl_evaluations_total").increment(1);
                        metrics::histogram!("cncl_evaluation_seconds").record(started.elapsed().as_secs_f64());
                        Arc::new(scorecard)
                    }
                };
                cache.keep(&key, as_of, evidence, scorecard.clone());
                scorecard
            }
        };
        drop(cache);
        let scorecard = self.within_reach(actor, scorecard).await?;
        // Shared, not copied: with every record id at national scale it is tens of megabytes.
        Ok(match product {
            Some(code) => Arc::new(scorecard.only_product(code)),
            None => scorecard,
        })
    }

    /// The scorecard as `actor` may see it: every figure and count, but only the records
    /// within its reach listed as evidence (the rest counted as withheld). Shared unchanged
    /// when the actor reaches every record named.
    async fn within_reach(&self, actor: &Actor, card: Arc<Scorecard>) -> Result<Arc<Scorecard>, AppError> {
        let mut visible: HashMap<&'static str, HashSet<uuid::Uuid>> = HashMap::new();
        for name in card.evidence_kinds() {
            let Some(kind) = EntityKind::from_resource(name) else { continue };
            let reach = policy::read(actor, kind)?;
            if reach != Reach::All {
                visible.insert(name, self.store.ids_within(kind, &crate::records::scope(reach)).await?);
            }
        }
        if visible.is_empty() {
            return Ok(card);
        }
        Ok(Arc::new(card.within(&|r| visible.get(r.kind).is_none_or(|ids| ids.contains(&r.id)))))
    }

    /// The scorecard under `set` computed afresh from the stored facts, whatever is kept:
    /// what [`App::scorecard`] does on a miss, and what the benchmarks measure.
    pub async fn evaluate_afresh(&self, set: CriteriaSet, as_of: Date, evidence: bool) -> Result<Scorecard, AppError> {
        let programme = self.programme().await?;
        let started = std::time::Instant::now();
        let facts = self.store.load_facts(as_of).await?;
        let loaded = started.elapsed();
        let options = Options { history_from: programme.starts_on, evidence };
        // Evaluation is pure computation (a tenth of a second at national scale): keep it off
        // the threads that serve requests.
        let scorecard = tokio::task::spawn_blocking(move || cncl_eval::evaluate(&set, &facts, as_of, options))
            .await
            .map_err(|e| AppError::Internal(cncl_store::StoreError::Reader(format!("evaluation failed: {e}"))))?;
        tracing::debug!(?loaded, evaluated = ?(started.elapsed() - loaded), "scorecard");
        Ok(scorecard)
    }
}

#[cfg(test)]
mod tests {
    use cncl_eval::criteria::BomRule;

    use super::*;

    fn scorecard(as_of: Date, evidence_ids: usize) -> Arc<Scorecard> {
        let numerator = vec![cncl_eval::indicators::RecordRef { kind: "tasks", id: uuid::Uuid::nil() }; evidence_ids];
        let result = cncl_eval::scorecard::CriterionResult {
            criterion: "C4".into(),
            unit: cncl_eval::criteria::Unit::Percent,
            comparator: cncl_eval::criteria::Comparator::AtLeast,
            constraint: false,
            numerator: 0,
            denominator: 0,
            value: None,
            percent: None,
            target: None,
            status: cncl_eval::status::Status::NoData,
            projected: None,
            history: Vec::new(),
            evidence: cncl_eval::indicators::Evidence { numerator, ..Default::default() },
            weakest_model: None,
            materials_mismatches: Vec::new(),
        };
        Arc::new(Scorecard {
            as_of: as_of.get(),
            criteria_set: "test".into(),
            criteria_version: "1".into(),
            bom_rule: BomRule::Tracing,
            roll_up_threshold_percent: 60,
            products: Vec::new(),
            programme: vec![result],
        })
    }

    fn day(d: u32) -> Date {
        Date::saturating(chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap_or_default())
    }

    fn shipped() -> SetRef {
        SetRef { id: "decision-2815".into(), version: "2026-12".into() }
    }

    #[test]
    fn the_cache_holds_what_fits_its_byte_budget() {
        let small = scorecard(day(1), 10).approximate_bytes();
        let mut cache = ScorecardCache { budget_bytes: small * 3, ..ScorecardCache::default() };
        for d in 1..=5 {
            cache.keep(&shipped(), day(d), true, scorecard(day(d), 10));
        }
        assert_eq!(cache.entries.len(), 3, "three fit the budget");
        assert!(cache.bytes() <= cache.budget_bytes);
        assert!(cache.find(&shipped(), day(1), true).is_none(), "the oldest went first");
        assert!(cache.find(&shipped(), day(5), true).is_some());
        cache.keep(&shipped(), day(9), true, scorecard(day(9), 10_000));
        assert!(cache.find(&shipped(), day(9), true).is_none(), "larger than the whole budget: served, not kept");
        assert_eq!(cache.entries.len(), 3);
        let draft = SetRef { id: "draft".into(), version: "1".into() };
        assert!(cache.find(&draft, day(5), true).is_none(), "kept per criteria set");
    }

    #[test]
    fn the_cache_holds_at_most_its_dates() {
        let mut cache = ScorecardCache::default();
        for d in 1..=20 {
            cache.keep(&shipped(), day(d), false, scorecard(day(d), 0));
        }
        assert_eq!(cache.entries.len(), CACHED_DATES);
    }
}

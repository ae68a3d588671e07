//! Evaluating the programme: the scorecard on any date, computed from the facts recorded
//! by then against the programme's criteria set or another loaded one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use cncl_domain::{Date, EntityKind};
use cncl_eval::criteria::{CriteriaSet, SetRef};
use cncl_eval::{Options, Scorecard};

use crate::policy::{self, Reach};
use crate::{Actor, App, AppError};

/// The scorecards computed lately, so that a burst of visitors to the scorecard costs one
/// evaluation (0.6 s and 160 MB at national scale) rather than one each. Each names the audit
/// log's last entry it includes; one computed before the latest writes is served while its
/// successor is computed only when evaluating takes longer than a visitor should wait
/// (`WAIT_FOR_EVALUATION`), so that writes arriving every second never leave every reader
/// waiting (docs/decisions/0008-scorecard-under-writes.md).
#[derive(Debug)]
pub(crate) struct ScorecardCache {
    /// By criteria set, date and whether the records behind each figure are included.
    entries: Vec<CachedScorecard>,
    budget_bytes: usize,
    /// How long the last evaluation took.
    last_evaluation: std::time::Duration,
    /// Scorecards being computed in the background, by set, date and evidence.
    refreshing: Vec<(SetRef, Date, bool)>,
    /// Scorecards cut to what a reader with partial reach may see, most recently used last.
    cuts: Vec<ReachCut>,
}

/// A kept scorecard cut to one reach: every reporter of an organisation asks for the same
/// cut, which costs a pass over millions of references and a query per kind to make.
#[derive(Debug)]
struct ReachCut {
    /// The reach on each kind of record the evidence names that is not `Reach::All`.
    reaches: Vec<(EntityKind, Reach)>,
    /// The scorecard cut, held weakly so that the cache's byte budget still decides how long
    /// it lives (and its address cannot be reused while this entry exists).
    source: std::sync::Weak<Scorecard>,
    /// The audit log's last entry when the cut was made: a later write may change which
    /// records are within reach.
    seq: i64,
    cut: Arc<Scorecard>,
}

impl Default for ScorecardCache {
    fn default() -> Self {
        ScorecardCache {
            entries: Vec::new(),
            budget_bytes: CACHE_BUDGET_BYTES,
            last_evaluation: std::time::Duration::ZERO,
            refreshing: Vec::new(),
            cuts: Vec::new(),
        }
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
    /// The scorecard kept for this set, date and evidence, whatever writes came since.
    fn find(&self, set: &SetRef, as_of: Date, evidence: bool) -> Option<Arc<Scorecard>> {
        let found = self.entries.iter().find(|e| e.as_of == as_of && e.evidence == evidence && e.set == *set);
        found.map(|e| e.scorecard.clone())
    }

    /// The scorecard that includes every write up to entry `seq`: kept as asked, or cut from
    /// one kept with its records for a visitor who may not see them (and kept).
    fn find_current(&mut self, set: &SetRef, as_of: Date, evidence: bool, seq: i64) -> Option<Arc<Scorecard>> {
        let current = |card: &Arc<Scorecard>| card.audit_seq >= seq;
        if let Some(found) = self.find(set, as_of, evidence).filter(current) {
            return Some(found);
        }
        let full = self.find(set, as_of, true).filter(|_| !evidence).filter(current)?;
        let cut = Arc::new(Scorecard::clone(&full).without_evidence());
        self.keep(set, as_of, false, cut.clone());
        Some(cut)
    }

    /// Keep `scorecard` in place of the one before it, dropping the oldest entries until it
    /// fits both bounds.
    fn keep(&mut self, set: &SetRef, as_of: Date, evidence: bool, scorecard: Arc<Scorecard>) {
        self.entries.retain(|e| !(e.as_of == as_of && e.evidence == evidence && e.set == *set));
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

    /// The cut of `source` for `reaches` made when entry `seq` was the log's last.
    fn find_cut(
        &mut self,
        reaches: &[(EntityKind, Reach)],
        source: &Arc<Scorecard>,
        seq: i64,
    ) -> Option<Arc<Scorecard>> {
        let at = self.cuts.iter().position(|c| {
            c.seq == seq && c.reaches == reaches && std::ptr::eq(c.source.as_ptr(), Arc::as_ptr(source))
        })?;
        let found = self.cuts.remove(at);
        let cut = found.cut.clone();
        self.cuts.push(found);
        Some(cut)
    }

    fn keep_cut(&mut self, reaches: Vec<(EntityKind, Reach)>, source: &Arc<Scorecard>, seq: i64, cut: Arc<Scorecard>) {
        self.cuts.retain(|c| c.source.strong_count() > 0 && c.seq == seq);
        if self.cuts.len() >= CACHED_CUTS {
            self.cuts.remove(0);
        }
        self.cuts.push(ReachCut { reaches, source: Arc::downgrade(source), seq, cut });
    }

    /// Mark a background evaluation as started; `false` if one already is.
    fn start_refresh(&mut self, set: &SetRef, as_of: Date, evidence: bool) -> bool {
        let key = (set.clone(), as_of, evidence);
        if self.refreshing.contains(&key) {
            return false;
        }
        self.refreshing.push(key);
        true
    }
}

/// The longest a visitor waits for figures to be computed afresh when earlier ones are at
/// hand: an evaluation that took longer last time is done in the background instead.
pub(crate) const WAIT_FOR_EVALUATION: std::time::Duration = std::time::Duration::from_millis(250);

/// Dates kept at once: today's, and a few the office is comparing.
const CACHED_DATES: usize = 8;

/// Reach cuts kept at once. A reporter's cut holds only its organisation's references, so a
/// few dozen organisations reporting at once cost little.
const CACHED_CUTS: usize = 32;

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
        let seq = self.store.audit_seq().await?;
        let scorecard = self.current_scorecard(set, as_of, !actor.is_anonymous(), seq).await?;
        let scorecard = self.within_reach(actor, scorecard, seq).await?;
        // Shared, not copied: with every record id at national scale it is tens of megabytes.
        Ok(match product {
            Some(code) => Arc::new(scorecard.only_product(code)),
            None => scorecard,
        })
    }

    /// The scorecard including every write so far; or, when computing it takes longer than
    /// a visitor should wait and one from before the latest writes is at hand, that one (its
    /// `audit_seq` says how far it reaches) while the current one is computed in the
    /// background. Evaluations run one at a time: memory holds one set of facts however many
    /// ask at once.
    async fn current_scorecard(
        &self,
        set: CriteriaSet,
        as_of: Date,
        evidence: bool,
        seq: i64,
    ) -> Result<Arc<Scorecard>, AppError> {
        let key = set.reference();
        {
            let mut cache = self.scorecards.lock().await;
            if let Some(found) = cache.find_current(&key, as_of, evidence, seq) {
                metrics::counter!("cncl_scorecard_cache_hits_total").increment(1);
                return Ok(found);
            }
            let earlier = cache.find(&key, as_of, evidence);
            if let Some(earlier) = earlier.filter(|_| cache.last_evaluation > self.evaluation_wait) {
                if cache.start_refresh(&key, as_of, evidence) {
                    self.refresh_in_background(set, as_of, evidence);
                }
                metrics::counter!("cncl_scorecard_earlier_served_total").increment(1);
                return Ok(earlier);
            }
        }
        // On a task of its own: a visitor who gives up (a closed tab, a client's timeout)
        // drops this request, and must not take the figures everyone else waits for with it.
        let app = self.clone();
        let evaluation = tokio::spawn(async move {
            let _turn = app.evaluating.lock().await;
            // Computed by another visitor while this one waited its turn.
            if let Some(found) = app.scorecards.lock().await.find_current(&key, as_of, evidence, seq) {
                metrics::counter!("cncl_scorecard_cache_hits_total").increment(1);
                return Ok(found);
            }
            app.evaluate_and_keep(set, as_of, evidence).await
        });
        evaluation
            .await
            .map_err(|e| AppError::Internal(cncl_store::StoreError::Reader(format!("evaluation failed: {e}"))))?
    }

    async fn evaluate_and_keep(
        &self,
        set: CriteriaSet,
        as_of: Date,
        evidence: bool,
    ) -> Result<Arc<Scorecard>, AppError> {
        let key = set.reference();
        let started = std::time::Instant::now();
        let scorecard = Arc::new(self.evaluate_afresh(set, as_of, evidence).await?);
        let took = started.elapsed();
        metrics::counter!("cncl_evaluations_total").increment(1);
        metrics::histogram!("cncl_evaluation_seconds").record(took.as_secs_f64());
        let mut cache = self.scorecards.lock().await;
        cache.last_evaluation = took;
        cache.keep(&key, as_of, evidence, scorecard.clone());
        Ok(scorecard)
    }

    /// Compute the current scorecard for the cache, in its turn, while the earlier one is
    /// served; a failure is logged, and the next visitor asks again.
    fn refresh_in_background(&self, set: CriteriaSet, as_of: Date, evidence: bool) {
        let app = self.clone();
        tokio::spawn(async move {
            let key = set.reference();
            let turn = app.evaluating.lock().await;
            if let Err(e) = app.evaluate_and_keep(set, as_of, evidence).await {
                tracing::warn!(error = %e, "computing the scorecard in the background");
            }
            drop(turn);
            app.scorecards.lock().await.refreshing.retain(|k| *k != (key.clone(), as_of, evidence));
        });
    }

    /// The scorecard as `actor` may see it: every figure and count, but only the records
    /// within its reach listed as evidence (the rest counted as withheld). Shared unchanged
    /// when the actor reaches every record named; the cut is kept for the next reader with the
    /// same reach until the next write (`seq`, the audit log's last entry now).
    async fn within_reach(&self, actor: &Actor, card: Arc<Scorecard>, seq: i64) -> Result<Arc<Scorecard>, AppError> {
        let mut reaches = Vec::new();
        for name in card.evidence_kinds() {
            let Some(kind) = EntityKind::from_resource(name) else { continue };
            let reach = policy::read(actor, kind)?;
            if reach != Reach::All {
                reaches.push((kind, reach));
            }
        }
        if reaches.is_empty() {
            return Ok(card);
        }
        if let Some(cut) = self.scorecards.lock().await.find_cut(&reaches, &card, seq) {
            return Ok(cut);
        }
        let mut visible: HashMap<&'static str, HashSet<uuid::Uuid>> = HashMap::new();
        for (kind, reach) in &reaches {
            visible.insert(kind.resource(), self.store.ids_within(*kind, &crate::records::scope(reach.clone())).await?);
        }
        let cut = Arc::new(card.within(&|r| visible.get(r.kind).is_none_or(|ids| ids.contains(&r.id))));
        self.scorecards.lock().await.keep_cut(reaches, &card, seq, cut.clone());
        Ok(cut)
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
            audit_seq: 0,
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
    fn a_reach_cut_is_kept_for_its_source_reach_and_write() {
        let mut cache = ScorecardCache::default();
        let source = scorecard(day(1), 100);
        let org = |n: u128| vec![(EntityKind::Task, Reach::Organisation(uuid::Uuid::from_u128(n)))];
        let cut = scorecard(day(1), 1);
        cache.keep_cut(org(1), &source, 7, cut.clone());
        let found = cache.find_cut(&org(1), &source, 7);
        assert!(found.is_some_and(|f| Arc::ptr_eq(&f, &cut)), "the same reach after no write");
        assert!(cache.find_cut(&org(2), &source, 7).is_none(), "another organisation's reach");
        assert!(cache.find_cut(&org(1), &source, 8).is_none(), "after a write");
        let recomputed = scorecard(day(1), 100);
        assert!(cache.find_cut(&org(1), &recomputed, 7).is_none(), "another scorecard");
        cache.keep_cut(org(1), &source, 8, scorecard(day(1), 1));
        assert_eq!(cache.cuts.len(), 1, "cuts made before the latest write are dropped");
        for n in 0..100 {
            cache.keep_cut(org(n), &source, 8, scorecard(day(1), 1));
        }
        assert_eq!(cache.cuts.len(), CACHED_CUTS);
        drop(source);
        cache.keep_cut(org(1), &recomputed, 8, scorecard(day(1), 1));
        assert_eq!(cache.cuts.len(), 1, "cuts of a scorecard no longer kept are dropped");
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

//! Evaluating the programme: the scorecard on any date, computed from the facts recorded
//! by then against the shipped criteria set.

use std::sync::Arc;

use chrono::NaiveDate;
use cncl_eval::{Options, Scorecard};

use crate::reference::DEFAULT_CRITERIA_SET;
use crate::{Actor, App, AppError};

/// The scorecards computed since the last write, so that a burst of visitors to the
/// scorecard costs one evaluation (0.6 s and 160 MB at national scale) rather than one each.
#[derive(Debug, Default)]
pub(crate) struct ScorecardCache {
    /// The audit log's last entry when these were computed: every write moves it, on every
    /// instance sharing the database.
    seq: i64,
    /// By date and whether the records behind each figure are included.
    entries: Vec<(NaiveDate, bool, Arc<Scorecard>)>,
}

/// Dates kept at once: today's, and a few the office is comparing.
const CACHED_DATES: usize = 8;

impl App {
    /// Every criterion for every product (or only `product`) and for the programme, as the
    /// recorded facts stood on `as_of`, with status, quarterly history since the programme
    /// began, and the records behind each figure.
    /// Anonymous visitors see the published figures without the records behind them.
    pub async fn scorecard(
        &self,
        actor: &Actor,
        as_of: NaiveDate,
        product: Option<&str>,
    ) -> Result<Arc<Scorecard>, AppError> {
        if let Some(code) = product {
            self.product(code).await?;
        }
        let evidence = !actor.is_anonymous();
        let seq = self.store.audit_seq().await?;
        // One evaluation at a time: those waiting find the result when their turn comes, and
        // memory holds one set of facts however many ask at once.
        let mut cache = self.scorecards.lock().await;
        if cache.seq != seq {
            cache.seq = seq;
            cache.entries.clear();
        }
        let cached =
            |with: bool| cache.entries.iter().find(|(date, w, _)| *date == as_of && *w == with).map(|e| e.2.clone());
        let found = cached(evidence);
        // Figures already computed with their records serve visitors who may not see those.
        let full = if evidence { None } else { cached(true) };
        let scorecard = match found {
            Some(scorecard) => scorecard,
            None => {
                let scorecard = match full {
                    Some(full) => Arc::new(Scorecard::clone(&full).without_evidence()),
                    None => Arc::new(self.evaluate_afresh(as_of, evidence).await?),
                };
                if cache.entries.len() == CACHED_DATES {
                    cache.entries.remove(0);
                }
                cache.entries.push((as_of, evidence, scorecard.clone()));
                scorecard
            }
        };
        drop(cache);
        // Shared, not copied: with every record id at national scale it is tens of megabytes.
        Ok(match product {
            Some(code) => Arc::new(scorecard.only_product(code)),
            None => scorecard,
        })
    }

    /// The scorecard computed afresh from the stored facts, whatever is kept: what
    /// [`App::scorecard`] does on a miss, and what the benchmarks measure.
    pub async fn evaluate_afresh(&self, as_of: NaiveDate, evidence: bool) -> Result<Scorecard, AppError> {
        let set = self.criteria_set(DEFAULT_CRITERIA_SET).await?;
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

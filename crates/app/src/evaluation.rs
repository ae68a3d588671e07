//! Evaluating the programme: the scorecard on any date, computed from the facts recorded
//! by then against the shipped criteria set.

use chrono::NaiveDate;
use cncl_eval::{Options, Scorecard};

use crate::reference::DEFAULT_CRITERIA_SET;
use crate::{Actor, App, AppError};

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
    ) -> Result<Scorecard, AppError> {
        if let Some(code) = product {
            self.product(code).await?;
        }
        let set = self.criteria_set(DEFAULT_CRITERIA_SET).await?;
        let programme = self.programme().await?;
        let started = std::time::Instant::now();
        let facts = self.store.load_facts(as_of).await?;
        let loaded = started.elapsed();
        let options = Options { history_from: programme.starts_on, evidence: !actor.is_anonymous() };
        // Evaluation is pure computation (a tenth of a second at national scale): keep it off
        // the threads that serve requests.
        let scorecard = tokio::task::spawn_blocking(move || cncl_eval::evaluate(&set, &facts, as_of, options))
            .await
            .map_err(|e| AppError::Internal(cncl_store::StoreError::Reader(format!("evaluation failed: {e}"))))?;
        tracing::debug!(?loaded, evaluated = ?(started.elapsed() - loaded), "scorecard");
        Ok(match product {
            Some(code) => scorecard.only_product(code),
            None => scorecard,
        })
    }
}

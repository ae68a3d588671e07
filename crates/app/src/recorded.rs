//! The second date of a figure: `as_of` is the day facts became true; `recorded_at` is what
//! cncl knew then — an entry of the audit log, or a moment (the last entry written by then).
//! A training record dated 2025 but entered today changes the figure for 31/03/2026; with
//! both dates, the figure as it was shown on a day comes back exactly.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use cncl_domain::{Date, msg};
use cncl_eval::Scorecard;
use cncl_eval::criteria::SetRef;

use crate::App;
use crate::error::AppError;
use crate::policy::Actor;
use crate::publication::AsRecordedError;

/// What cncl knew: up to an entry of the audit log, or up to a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordedAt {
    Entry(i64),
    Moment(DateTime<Utc>),
}

impl std::str::FromStr for RecordedAt {
    type Err = AppError;

    /// An entry's number (`1904`), an instant in RFC 3339 (`2026-03-31T17:00:00Z`), or a day
    /// (`2026-03-31` or `31/03/2026`: everything written by the end of that day in Vietnam).
    fn from_str(text: &str) -> Result<Self, AppError> {
        let text = text.trim();
        if let Ok(entry) = text.parse::<i64>() {
            return if entry > 0 { Ok(RecordedAt::Entry(entry)) } else { Err(malformed(text)) };
        }
        if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
            return Ok(RecordedAt::Moment(moment.with_timezone(&Utc)));
        }
        let day = Date::parse(text).map_err(|_| malformed(text))?;
        let next = day.get().succ_opt().ok_or_else(|| malformed(text))?;
        let next_midnight = cncl_domain::format::start_of_day_in_vietnam(next);
        let next_midnight = DateTime::parse_from_rfc3339(&next_midnight).map_err(|_| malformed(text))?;
        Ok(RecordedAt::Moment(next_midnight.with_timezone(&Utc) - chrono::Duration::milliseconds(1)))
    }
}

/// As it is read back: an entry's number, or the moment in RFC 3339.
impl std::fmt::Display for RecordedAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordedAt::Entry(seq) => write!(f, "{seq}"),
            RecordedAt::Moment(moment) => f.write_str(&moment.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        }
    }
}

fn malformed(text: &str) -> AppError {
    AppError::bad_request(
        "recorded_at",
        msg(
            format!("“{text}” không phải số thứ tự trong sổ kiểm toán, thời điểm hay ngày"),
            format!("“{text}” is not an audit log entry, a moment or a day"),
        ),
    )
}

/// A replay of the audit log kept for the next question about the same entry: at national
/// scale a replay takes some twenty seconds, and a reader asking about one entry asks again
/// (the scorecard, then a figure's evidence).
pub(crate) struct Replica {
    seq: i64,
    set: SetRef,
    app: App,
    /// Holds the scratch file; removed when the replica is dropped.
    _scratch: tempfile::TempDir,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica").field("seq", &self.seq).field("set", &self.set).finish_non_exhaustive()
    }
}

/// The entry a figure as recorded rests on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordedEntry {
    pub seq: i64,
    pub hash: String,
    /// When it was written (RFC 3339, UTC).
    pub at: String,
}

impl App {
    /// The entry `recorded` names: the entry itself, or the last one written by the moment.
    pub async fn recorded_entry(&self, recorded: RecordedAt) -> Result<RecordedEntry, AppError> {
        let found = match recorded {
            RecordedAt::Entry(seq) => self.store.audit_entry_head(seq).await?,
            RecordedAt::Moment(moment) => {
                let at = moment.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                self.store.audit_head_at(&at).await?
            }
        };
        let (seq, hash, at) = found.ok_or_else(|| {
            AppError::bad_request(
                "recorded_at",
                msg("sổ kiểm toán chưa có mục nào vào lúc đó", "the audit log had no entry by then"),
            )
        })?;
        Ok(RecordedEntry { seq, hash, at })
    }

    /// The scorecard on `as_of` as cncl knew it at `recorded`: the facts rebuilt from the
    /// audit log up to that entry, in a scratch database removed afterwards.
    pub async fn scorecard_as_recorded(
        &self,
        actor: &Actor,
        as_of: Date,
        product: Option<&str>,
        criteria: Option<&SetRef>,
        recorded: RecordedAt,
    ) -> Result<(Arc<Scorecard>, RecordedEntry), AppError> {
        let entry = self.recorded_entry(recorded).await?;
        let set = match criteria {
            Some(set) => set.clone(),
            None => self.current_criteria_set().await?,
        };
        // One replay at a time: whoever waits finds it made when their turn comes.
        let mut kept = self.replayed.lock().await;
        if !kept.as_ref().is_some_and(|r| r.seq == entry.seq && r.set == set) {
            if let Some(old) = kept.take() {
                old.app.close().await;
            }
            *kept = Some(self.replica(&entry, &set).await?);
        }
        let replica = kept.as_ref().map(|r| r.app.clone()).ok_or_else(|| AppError::internal("no replica kept"))?;
        drop(kept);
        // The replica's own log is not the office's: the figures reach the entry asked for.
        let mut scorecard = replica.scorecard(actor, as_of, product, None).await?;
        Arc::make_mut(&mut scorecard).audit_seq = entry.seq;
        Ok((scorecard, entry))
    }

    /// The facts at `entry`, replayed into a scratch database.
    async fn replica(&self, entry: &RecordedEntry, set: &SetRef) -> Result<Replica, AppError> {
        let scratch = tempfile::tempdir().map_err(|e| AppError::internal(&format!("a scratch directory: {e}")))?;
        match self.as_recorded(entry.seq, &entry.hash, set, &scratch.path().join("replay.sqlite")).await {
            Ok((app, _)) => Ok(Replica { seq: entry.seq, set: set.clone(), app, _scratch: scratch }),
            Err(AsRecordedError::App(e)) => Err(e),
            Err(other) => Err(AppError::Conflict {
                field: Some("recorded_at".into()),
                message: msg(
                    format!("không dựng lại được số liệu từ sổ kiểm toán: {other}"),
                    format!("the facts could not be rebuilt from the audit log: {other}"),
                ),
            }),
        }
    }
}

/// A figure of a published report that reads otherwise today, and the records behind it
/// (then or now) written since the report's entry of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedFigure {
    /// A product's code, or `programme`.
    pub scope: String,
    pub criterion: String,
    pub unit: cncl_eval::criteria::Unit,
    pub published: Option<f64>,
    pub now: Option<f64>,
    pub changed: Vec<cncl_eval::indicators::RecordRef>,
}

/// Records named at most per figure.
const CHANGED_RECORDS_LISTED: usize = 20;

impl App {
    /// The figures of `report` that read otherwise on its `as_of` today, each with the
    /// records behind it that were written since (those the actor may see).
    pub async fn changes_since(
        &self,
        actor: &Actor,
        report: &cncl_store::published::PublishedReport,
    ) -> Result<Vec<ChangedFigure>, AppError> {
        let recorded_wrongly = |what: &str| AppError::internal(&format!("report {} records a bad {what}", report.id));
        let as_of = Date::parse(&report.as_of).map_err(|_| recorded_wrongly("date"))?;
        let set: SetRef = report.criteria_set.parse().map_err(|_| recorded_wrongly("criteria set"))?;
        let (then, _) =
            self.scorecard_as_recorded(actor, as_of, None, Some(&set), RecordedAt::Entry(report.audit_seq)).await?;
        let now = self.scorecard(actor, as_of, None, Some(&set)).await?;
        let written = self.store.audit_rows_written_after(report.audit_seq).await?;
        let was_written = |record: &cncl_eval::indicators::RecordRef| {
            cncl_domain::EntityKind::from_resource(record.kind).is_some_and(|kind| {
                written.contains(&(cncl_store::tables::table(kind).name.to_owned(), record.id.to_string()))
            })
        };
        let mut changes = Vec::new();
        for (scope, published, current) in paired(&then, &now) {
            if (published.numerator, published.denominator) == (current.numerator, current.denominator) {
                continue;
            }
            let mut changed: Vec<_> = [&published.evidence, &current.evidence]
                .into_iter()
                .flat_map(|e| e.numerator.iter().chain(&e.denominator))
                .filter(|r| was_written(r))
                .copied()
                .collect();
            changed.sort_by_key(|r| (r.kind, r.id));
            changed.dedup();
            changed.truncate(CHANGED_RECORDS_LISTED);
            changes.push(ChangedFigure {
                scope: scope.to_owned(),
                criterion: published.criterion.clone(),
                unit: published.unit,
                published: published.value,
                now: current.value,
                changed,
            });
        }
        Ok(changes)
    }
}

type Pair<'a> = (&'a str, &'a cncl_eval::scorecard::CriterionResult, &'a cncl_eval::scorecard::CriterionResult);

/// The same figure in two scorecards, products first, then the programme.
fn paired<'a>(then: &'a Scorecard, now: &'a Scorecard) -> Vec<Pair<'a>> {
    let mut pairs = Vec::new();
    for card in &then.products {
        let Some(current) = now.products.iter().find(|c| c.product == card.product) else { continue };
        for result in &card.results {
            if let Some(other) = current.results.iter().find(|r| r.criterion == result.criterion) {
                pairs.push((card.product.as_str(), result, other));
            }
        }
    }
    for result in &then.programme {
        if let Some(other) = now.programme.iter().find(|r| r.criterion == result.criterion) {
            pairs.push(("programme", result, other));
        }
    }
    pairs
}

//! Criteria sets: which indicator measures each criterion, against which targets, by which
//! milestone, on whose authority. A set is data (TOML): an amended decision is a new file,
//! not new code. The format is documented in `docs/criteria.md`.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::obligation_rules::ObligationRules;

mod bom_rule;
mod indicator;
mod set_ref;
pub use bom_rule::BomRule;
pub use indicator::{Indicator, Scope};
pub use set_ref::SetRef;

/// A criteria set that has passed every rule of the format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriteriaSet {
    pub id: String,
    pub version: String,
    pub name_vi: String,
    pub name_en: String,
    pub source: String,
    pub parameters: Parameters,
    pub selection: Selection,
    /// Who owes which report by when (`[obligations]`; defaults for older sets).
    pub obligations: ObligationRules,
    pub milestones: Vec<Milestone>,
    pub criteria: Vec<Criterion>,
}

/// How proposals for an order are scored (seed 003's three selection criteria).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    pub source: String,
    pub max_score: u8,
    pub weights: SelectionWeights,
}

/// The weight of each selection criterion; only their ratios matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionWeights {
    pub national_problem: u32,
    pub commercialisation: u32,
    pub core_technology: u32,
}

impl SelectionWeights {
    pub fn total(&self) -> u32 {
        self.national_problem + self.commercialisation + self.core_technology
    }
}

/// The choices a criteria set makes where the decision leaves a rule open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    pub bom_rule: BomRule,
    pub roll_up_threshold_percent: u8,
    pub mastered_level: cncl_domain::technology::Mastery,
    /// How far (per cent of the larger) a model's materials cost lines may differ from its
    /// bill of materials before its C1b carries a warning naming both amounts.
    #[serde(default = "default_materials_tolerance")]
    pub materials_tolerance_percent: u8,
}

/// Sets written before the tolerance existed: 5 % absorbs rounding and freight, not a
/// missing sub-assembly.
fn default_materials_tolerance() -> u8 {
    5
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub date: NaiveDate,
    pub name_vi: String,
    pub name_en: String,
    /// Where it comes from, in English; [`Milestone::source_in`] gives it in a language.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_vi: Option<String>,
}

impl Milestone {
    /// The source in `lang` (English where no Vietnamese citation is written).
    pub fn source_in(&self, lang: cncl_domain::Lang) -> &str {
        source_in(&self.source, self.source_vi.as_deref(), lang)
    }
}

fn source_in<'a>(en: &'a str, vi: Option<&'a str>, lang: cncl_domain::Lang) -> &'a str {
    match (lang, vi) {
        (cncl_domain::Lang::Vi, Some(vi)) => vi,
        _ => en,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Percent,
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    AtLeast,
    AtMost,
}

/// A target to reach by a milestone: a single value or a band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Target {
    pub by: NaiveDate,
    pub low: i64,
    /// Set for a band such as 60–70 %.
    pub high: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub scope: Scope,
    pub indicator: Indicator,
    pub unit: Unit,
    pub direction: Direction,
    pub comparator: Comparator,
    /// A limit that must hold every year (the funding ceiling), not a goal to reach.
    pub constraint: bool,
    /// Where it comes from, in English; [`Criterion::source_in`] gives it in a language.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_vi: Option<String>,
    pub targets: Vec<Target>,
    pub parameters: BTreeMap<String, i64>,
}

impl Criterion {
    /// The source in `lang` (English where no Vietnamese citation is written).
    pub fn source_in(&self, lang: cncl_domain::Lang) -> &str {
        source_in(&self.source, self.source_vi.as_deref(), lang)
    }
}

impl CriteriaSet {
    /// Which set and version this is.
    pub fn reference(&self) -> SetRef {
        SetRef { id: self.id.clone(), version: self.version.clone() }
    }
}

/// Why a criteria file was refused: where (file, line, key) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {key}: {message}")]
pub struct CriteriaError {
    pub file: String,
    pub line: usize,
    pub key: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSet {
    set: RawSetInfo,
    parameters: Parameters,
    selection: Selection,
    #[serde(default)]
    obligations: ObligationRules,
    milestones: Vec<RawMilestone>,
    criteria: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSetInfo {
    id: Spanned<String>,
    version: Spanned<String>,
    name_vi: String,
    name_en: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    date: Spanned<toml::value::Datetime>,
    name_vi: String,
    name_en: String,
    source: String,
    #[serde(default)]
    source_vi: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    name_vi: String,
    name_en: String,
    scope: Scope,
    indicator: Indicator,
    unit: Unit,
    direction: Direction,
    comparator: Comparator,
    #[serde(default)]
    constraint: bool,
    source: String,
    #[serde(default)]
    source_vi: Option<String>,
    targets: Vec<Spanned<RawTarget>>,
    #[serde(default)]
    parameters: BTreeMap<String, i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    by: toml::value::Datetime,
    value: Option<i64>,
    band: Option<[i64; 2]>,
}

/// Turns a byte span of the file into a located error.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn error(&self, span: Option<Range<usize>>, key: impl Into<String>, message: impl Into<String>) -> CriteriaError {
        CriteriaError {
            file: self.file.to_owned(),
            line: span.map_or(0, |s| line_of(self.text, s.start)),
            key: key.into(),
            message: message.into(),
        }
    }
}

/// Parse and check a criteria set. `file` is only used in error messages.
pub fn parse_criteria_set(file: &str, text: &str) -> Result<CriteriaSet, CriteriaError> {
    let at = Locator { file, text };
    let de = toml::Deserializer::parse(text).map_err(|e| at.error(e.span(), "", e.message()))?;
    let raw: RawSet = serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let inner = e.into_inner();
        at.error(inner.span(), key, inner.message())
    })?;
    let milestones = milestones(&at, raw.milestones)?;
    let mut criteria: Vec<Criterion> = Vec::with_capacity(raw.criteria.len());
    for (i, c) in raw.criteria.into_iter().enumerate() {
        let criterion = criterion(&at, i, c, &milestones)?;
        if criteria.iter().any(|seen| seen.id == criterion.id) {
            return Err(at.error(None, format!("criteria[{i}].id"), format!("{} appears twice", criterion.id)));
        }
        criteria.push(criterion);
    }
    if raw.selection.weights.total() == 0 {
        return Err(at.error(None, "selection.weights", "must not all be zero"));
    }
    if raw.parameters.roll_up_threshold_percent > 100 {
        return Err(at.error(None, "parameters.roll_up_threshold_percent", "must be within 0–100"));
    }
    if raw.parameters.materials_tolerance_percent > 100 {
        return Err(at.error(None, "parameters.materials_tolerance_percent", "must be within 0–100"));
    }
    if let Err((key, message)) = raw.obligations.check() {
        return Err(at.error(None, key, message));
    }
    for (key, value) in [("set.id", &raw.set.id), ("set.version", &raw.set.version)] {
        if let Err(message) = SetRef::check_part(value.get_ref()) {
            return Err(at.error(Some(value.span()), key, message));
        }
    }
    Ok(CriteriaSet {
        id: raw.set.id.into_inner(),
        version: raw.set.version.into_inner(),
        name_vi: raw.set.name_vi,
        name_en: raw.set.name_en,
        source: raw.set.source,
        parameters: raw.parameters,
        selection: raw.selection,
        obligations: raw.obligations,
        milestones,
        criteria,
    })
}

fn milestones(at: &Locator<'_>, raw: Vec<RawMilestone>) -> Result<Vec<Milestone>, CriteriaError> {
    let mut milestones = Vec::with_capacity(raw.len());
    for (i, m) in raw.into_iter().enumerate() {
        let span = m.date.span();
        let date = to_date(m.date.get_ref())
            .ok_or_else(|| at.error(Some(span), format!("milestones[{i}].date"), "must be a date (YYYY-MM-DD)"))?;
        milestones.push(Milestone {
            date,
            name_vi: m.name_vi,
            name_en: m.name_en,
            source: m.source,
            source_vi: m.source_vi,
        });
    }
    if milestones.windows(2).any(|w| w[1].date <= w[0].date) {
        return Err(at.error(None, "milestones", "must be in date order, each date once"));
    }
    Ok(milestones)
}

fn criterion(
    at: &Locator<'_>,
    i: usize,
    c: RawCriterion,
    milestones: &[Milestone],
) -> Result<Criterion, CriteriaError> {
    let id_span = c.id.span();
    if c.indicator.scope() != c.scope {
        return Err(at.error(
            Some(id_span),
            format!("criteria[{i}].scope"),
            format!("{:?} gives figures of scope {:?}", c.indicator, c.indicator.scope()),
        ));
    }
    if c.targets.is_empty() {
        return Err(at.error(Some(id_span), format!("criteria[{i}].targets"), "must name at least one target"));
    }
    let mut targets = Vec::with_capacity(c.targets.len());
    for (j, t) in c.targets.into_iter().enumerate() {
        targets.push(target(at, &format!("criteria[{i}].targets[{j}]"), t, c.unit, milestones)?);
    }
    targets.sort_by_key(|t| t.by);
    Ok(Criterion {
        id: c.id.into_inner(),
        name_vi: c.name_vi,
        name_en: c.name_en,
        scope: c.scope,
        indicator: c.indicator,
        unit: c.unit,
        direction: c.direction,
        comparator: c.comparator,
        constraint: c.constraint,
        source: c.source,
        source_vi: c.source_vi,
        targets,
        parameters: c.parameters,
    })
}

fn target(
    at: &Locator<'_>,
    key: &str,
    t: Spanned<RawTarget>,
    unit: Unit,
    milestones: &[Milestone],
) -> Result<Target, CriteriaError> {
    let span = t.span();
    let t = t.into_inner();
    let by = to_date(&t.by).filter(|d| milestones.iter().any(|m| m.date == *d)).ok_or_else(|| {
        at.error(Some(span.clone()), format!("{key}.by"), "must be the date of one of the milestones")
    })?;
    let (low, high) = match (t.value, t.band) {
        (Some(v), None) => (v, None),
        (None, Some([lo, hi])) if lo <= hi => (lo, Some(hi)),
        (None, Some(_)) => {
            return Err(at.error(Some(span), format!("{key}.band"), "must be [low, high] with low ≤ high"));
        }
        _ => {
            return Err(at.error(Some(span), key, "must have either `value` or `band`, not both"));
        }
    };
    if low < 0 || (unit == Unit::Percent && high.unwrap_or(low) > 100) {
        return Err(at.error(Some(span), key, "must be within 0–100 for a percentage, and not negative"));
    }
    Ok(Target { by, low, high })
}

fn to_date(value: &toml::value::Datetime) -> Option<NaiveDate> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
        _ => None,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |before| before.matches('\n').count() + 1)
}

impl CriteriaSet {
    /// The funding ceiling (per cent of the year's state S&T spending): the target of the
    /// constraint on the state budget's share.
    pub fn funding_ceiling_percent(&self) -> Option<i64> {
        self.criteria
            .iter()
            .find(|c| c.indicator == Indicator::StateBudgetShareOfStSpending)
            .and_then(|c| c.targets.last())
            .map(|t| t.low)
    }
}

/// The criteria set of Decision 2815, as shipped with cncl.
pub const DECISION_2815: &str = include_str!("../../../data/criteria/decision-2815.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_set_parses() {
        let set = parse_criteria_set("decision-2815.toml", DECISION_2815);
        let set = match set {
            Ok(set) => set,
            Err(e) => panic!("{e}"),
        };
        let ids: Vec<&str> = set.criteria.iter().map(|c| c.id.as_str()).collect();
        for expected in ["C1a", "C1b", "C2", "C3", "C4", "C5", "C6", "C7", "P1", "P9", "P10"] {
            assert!(ids.contains(&expected), "{expected} missing");
        }
        let c2 = set.criteria.iter().find(|c| c.id == "C2");
        let targets = c2.map(|c| c.targets.clone()).unwrap_or_default();
        assert_eq!(targets.len(), 2);
        assert_eq!((targets[0].low, targets[0].high), (60, Some(70)));
        assert_eq!(targets[1].by, NaiveDate::from_ymd_opt(2030, 12, 31).unwrap_or_default());
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let broken =
            DECISION_2815.replacen("indicator = \"domestic_market_share\"", "indicator = \"no_such_thing\"", 1);
        let err = parse_criteria_set("x.toml", &broken).err();
        let err = err.map(|e| (e.file, e.key, e.line > 0)).unwrap_or_default();
        assert_eq!(err.0, "x.toml");
        assert_eq!(err.1, "criteria[3].indicator");
        assert!(err.2, "line given");
    }

    #[test]
    fn target_must_match_a_milestone() {
        let broken = DECISION_2815.replacen("{ by = 2030-12-31, value = 60 }", "{ by = 2029-12-31, value = 60 }", 1);
        let err = parse_criteria_set("x.toml", &broken).err().map(|e| e.key);
        assert_eq!(err.as_deref(), Some("criteria[0].targets[0].by"));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let err = parse_criteria_set("x.toml", "[set]\nid = \n").err();
        assert_eq!(err.map(|e| e.line), Some(2));
    }

    #[test]
    fn a_set_is_named_id_at_version() {
        let set = parse_criteria_set("x.toml", DECISION_2815).ok().map(|s| s.reference().to_string());
        assert_eq!(set.as_deref(), Some("decision-2815@2026-12"));
        let parsed: Result<SetRef, _> = "draft.roll-up@2026_01".parse();
        assert_eq!(parsed.map(|r| (r.id, r.version)), Ok(("draft.roll-up".to_owned(), "2026_01".to_owned())));
        for bad in ["decision-2815", "@1", "a@", "a b@1", "a@1@2", &format!("{}@1", "x".repeat(65))] {
            assert!(bad.parse::<SetRef>().is_err(), "{bad}");
        }
        let unaddressable = DECISION_2815.replacen("version = \"2026-12\"", "version = \"2025 12\"", 1);
        let err = parse_criteria_set("x.toml", &unaddressable).err().map(|e| (e.key, e.line));
        assert_eq!(err, Some(("set.version".to_owned(), 10)));
    }
}

//! Which sheet holds which kind of record, and which column which field: the sheet's name,
//! the header row's labels (either language, accents and case aside), the field keys beneath
//! them (as templates and exports write), or, for an owner's own workbooks, the mapping it
//! chose in an earlier preview. Unmatched headers get a suggestion by their words.

use std::collections::BTreeMap;

use cncl_domain::field_spec::{Input, spec};
use cncl_domain::fields::field_label;
use cncl_domain::{EntityKind, Lang};
use cncl_exchange::{Cell, Row, Sheet, column_letter};
use cncl_store::search::fold;
use serde::{Deserialize, Serialize};

/// An owner's choices for workbooks not made from cncl's templates: which kind a sheet
/// holds, and which field a column holds. Saved per owner (organisation, or the office) and
/// kind, and used for the next upload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Sheet name → kind of record (`cost-lines`).
    #[serde(default)]
    pub sheets: BTreeMap<String, String>,
    /// Kind of record → (column header → field key; empty to leave the column out).
    #[serde(default)]
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
}

impl Mapping {
    /// Headers and sheet names compared as folded.
    pub(super) fn folded(&self) -> Mapping {
        Mapping {
            sheets: self.sheets.iter().map(|(k, v)| (fold(k.trim()), v.clone())).collect(),
            columns: self
                .columns
                .iter()
                .map(|(kind, columns)| {
                    (kind.clone(), columns.iter().map(|(h, f)| (fold(h.trim()), f.clone())).collect())
                })
                .collect(),
        }
    }

    /// `other`'s choices over these.
    pub(super) fn overridden_by(mut self, other: &Mapping) -> Mapping {
        self.sheets.extend(other.sheets.iter().map(|(k, v)| (k.clone(), v.clone())));
        for (kind, columns) in &other.columns {
            self.columns.entry(kind.clone()).or_default().extend(columns.iter().map(|(h, f)| (h.clone(), f.clone())));
        }
        self
    }

    /// Whether it chooses nothing.
    pub fn is_empty(&self) -> bool {
        self.sheets.is_empty() && self.columns.values().all(BTreeMap::is_empty)
    }
}

/// One column of a sheet: where it stands and which field it holds.
pub(super) struct Mapped {
    pub(super) index: usize,
    pub(super) header: String,
    pub(super) key: String,
    /// How the field is entered; `None` for the id column.
    pub(super) input: Option<Input>,
}

/// A header as the preview shows it: the field it was matched to, or a suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ColumnReport {
    /// As Excel shows it (`C`).
    pub column: String,
    pub header: String,
    /// The field the column holds; none when it is left out or unmatched.
    pub field: Option<String>,
    /// For an unmatched header, the field its words suggest.
    pub suggestion: Option<String>,
}

/// Whether `folded` (a header) names `field` of `kind`: its key, or its label in either
/// language, accents and case aside.
pub(super) fn names_field(kind: EntityKind, field: &str, folded: &str) -> bool {
    folded == fold(field)
        || [Lang::Vi, Lang::En].iter().any(|&l| field_label(kind, field, l).is_some_and(|label| fold(label) == folded))
}

/// The field of `kind` a header's words suggest: the one whose key or label shares most of
/// them (at least half of the header's words), accents and case aside.
pub(super) fn suggest(kind: EntityKind, header: &str) -> Option<String> {
    let words = |text: &str| -> Vec<String> {
        fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1).map(str::to_owned).collect()
    };
    let wanted = words(header);
    if wanted.is_empty() {
        return None;
    }
    let score = |field: &str| {
        let names = [
            Some(field.replace('_', " ")),
            field_label(kind, field, Lang::Vi).map(str::to_owned),
            field_label(kind, field, Lang::En).map(str::to_owned),
        ];
        names
            .iter()
            .flatten()
            .map(|name| {
                let have = words(name);
                let shared = wanted.iter().filter(|w| have.contains(w)).count();
                (2 * shared * 100) / (wanted.len() + have.len()).max(1)
            })
            .max()
            .unwrap_or(0)
    };
    spec(kind)
        .fields
        .iter()
        .map(|f| (score(&f.name), &f.name))
        .filter(|(s, _)| *s >= 50)
        .max_by_key(|(s, _)| *s)
        .map(|(_, name)| name.clone())
}

/// The header row's columns matched to `kind`'s fields (and `id`), by label, key or the
/// owner's mapping (`mapping` folded).
pub(super) fn map_columns(kind: EntityKind, header: &Row, mapping: &Mapping) -> Vec<Mapped> {
    let chosen = mapping.columns.get(kind.resource());
    texts(header)
        .filter_map(|(index, text)| {
            let folded = fold(text);
            if folded == "id" {
                return Some(Mapped { index, header: text.clone(), key: "id".into(), input: None });
            }
            let by_name = spec(kind).fields.iter().find(|f| names_field(kind, &f.name, &folded));
            let by_choice = || {
                let field = chosen?.get(&folded)?;
                spec(kind).fields.iter().find(|f| f.name == *field)
            };
            by_name.or_else(by_choice).map(|f| Mapped {
                index,
                header: text.clone(),
                key: f.name.clone(),
                input: Some(f.input.clone()),
            })
        })
        .collect()
}

/// Every text header of the row, with its field or a suggestion.
pub(super) fn column_reports(kind: EntityKind, header: &Row, columns: &[Mapped]) -> Vec<ColumnReport> {
    texts(header)
        .map(|(index, text)| {
            let field = columns.iter().find(|c| c.index == index).map(|c| c.key.clone());
            let suggestion = if field.is_none() { suggest(kind, text) } else { None };
            ColumnReport { column: column_letter(index), header: text.clone(), field, suggestion }
        })
        .collect()
}

/// The row's text cells, by column.
fn texts(row: &Row) -> impl Iterator<Item = (usize, &String)> {
    row.cells.iter().enumerate().filter_map(|(index, cell)| match cell {
        Cell::Text(text) => Some((index, text)),
        _ => None,
    })
}

/// Rows searched for the header, from the top: an office's sheet often has a title first.
const HEADER_SEARCH_ROWS: usize = 10;

/// Which of the first rows is the header: the one whose cells name most fields (the first
/// when none does).
pub(super) fn header_row(kind: EntityKind, sheet: &Sheet, mapping: &Mapping) -> usize {
    let mut best = (0, 0);
    for (i, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let matched = map_columns(kind, row, mapping).len();
        if matched > best.1 {
            best = (i, matched);
        }
    }
    best.0
}

/// Whether a row holds the field keys (as exports write beneath the headers).
pub(super) fn is_key_row(row: &Row, columns: &[Mapped]) -> bool {
    columns.iter().all(|c| matches!(row.cell(c.index), Cell::Text(t) if *t == c.key))
}

/// Sheets of cncl's own templates that hold no records.
const NOTES_SHEETS: [&str; 3] = ["huong dan", "instructions", "lists"];

/// The kind of record a sheet holds: by its name (the kind's resource, `bom-lines`, or its
/// label in either language) or the owner's mapping (`mapping` folded).
pub(super) fn sheet_kind(name: &str, mapping: &Mapping) -> Option<EntityKind> {
    let folded = fold(name.trim());
    EntityKind::ALL
        .into_iter()
        .find(|k| k.resource() == folded || [Lang::Vi, Lang::En].iter().any(|&l| fold(k.label(l)) == folded))
        .or_else(|| mapping.sheets.get(&folded).and_then(|kind| EntityKind::from_resource(kind)))
}

/// Whether a sheet holds notes for the reader rather than records.
pub(super) fn is_notes(name: &str) -> bool {
    NOTES_SHEETS.contains(&fold(name.trim()).as_str())
}

/// A sheet no name or mapping gives a kind: its headers, and the kind they suggest.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnknownSheet {
    pub sheet: String,
    /// The texts of its first row with any.
    pub headers: Vec<String>,
    /// The kind whose fields most of its headers name.
    pub suggestion: Option<String>,
}

pub(super) fn unknown_sheet(sheet: &Sheet) -> UnknownSheet {
    // The first of the top rows with most texts: a title has one, the data below as many.
    let texts = |r: &&Row| r.cells.iter().filter(|c| matches!(c, Cell::Text(_))).count();
    let most = sheet.rows.iter().take(HEADER_SEARCH_ROWS).map(|r| texts(&r)).max().unwrap_or(0);
    let first = sheet.rows.iter().take(HEADER_SEARCH_ROWS).find(|r| texts(r) == most);
    let headers: Vec<String> = first
        .map(|r| r.cells.iter().filter_map(|c| if let Cell::Text(t) = c { Some(t.clone()) } else { None }).collect())
        .unwrap_or_default();
    let suggestion = EntityKind::ALL
        .into_iter()
        .map(|kind| {
            let named = headers
                .iter()
                .filter(|h| {
                    spec(kind).fields.iter().any(|f| {
                        names_field(kind, &f.name, &fold(h)) || suggest(kind, h).as_deref() == Some(f.name.as_str())
                    })
                })
                .count();
            (named, kind)
        })
        .filter(|(named, _)| *named > 0)
        .max_by_key(|(named, _)| *named)
        .map(|(_, kind)| kind.resource().to_owned());
    UnknownSheet { sheet: sheet.name.clone(), headers, suggestion }
}

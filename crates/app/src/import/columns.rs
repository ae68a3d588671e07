//! Which column of a sheet holds which field: the header row's labels (either language,
//! accents and case aside) or the field keys beneath them, as templates and exports write.

use cncl_domain::field_spec::{Input, spec};
use cncl_domain::fields::field_label;
use cncl_domain::{EntityKind, Lang};
use cncl_exchange::{Cell, Row};
use cncl_store::records::fold;

/// One column of a sheet: where it stands and which field it holds.
pub(super) struct Mapped {
    pub(super) index: usize,
    pub(super) header: String,
    pub(super) key: String,
    /// How the field is entered; `None` for the id column.
    pub(super) input: Option<Input>,
}

/// Whether `text` (a header) names `field` of `kind`: its key, or its label in either
/// language, accents and case aside.
pub(super) fn names_field(kind: EntityKind, field: &str, folded: &str) -> bool {
    folded == fold(field)
        || [Lang::Vi, Lang::En].iter().any(|&l| field_label(kind, field, l).is_some_and(|label| fold(label) == folded))
}

/// The header row's columns matched to `kind`'s fields (and `id`).
pub(super) fn map_columns(kind: EntityKind, header: &Row) -> Vec<Mapped> {
    header
        .cells
        .iter()
        .enumerate()
        .filter_map(|(index, cell)| {
            let Cell::Text(text) = cell else { return None };
            let folded = fold(text);
            if folded == "id" {
                return Some(Mapped { index, header: text.clone(), key: "id".into(), input: None });
            }
            spec(kind).fields.iter().find(|f| names_field(kind, &f.name, &folded)).map(|f| Mapped {
                index,
                header: text.clone(),
                key: f.name.clone(),
                input: Some(f.input.clone()),
            })
        })
        .collect()
}

/// Whether a row holds the field keys (as exports write beneath the headers).
pub(super) fn is_key_row(row: &Row, columns: &[Mapped]) -> bool {
    columns.iter().all(|c| matches!(row.cell(c.index), Cell::Text(t) if *t == c.key))
}

/// The kind of record a sheet holds, by its name: the kind's resource (`bom-lines`) or its
/// label in either language.
pub(super) fn sheet_kind(name: &str) -> Option<EntityKind> {
    let folded = fold(name.trim());
    EntityKind::ALL
        .into_iter()
        .find(|k| k.resource() == folded || [Lang::Vi, Lang::En].iter().any(|&l| fold(k.label(l)) == folded))
}

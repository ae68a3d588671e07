//! The keys people know records by, in place of ids: an organisation by its tax code, a task
//! by its code, a product model by its name within its maker, a bill-of-materials line by its
//! component path within its model, a core technology by its path within its product.
//! Workbooks write and read references in these keys (issue 12), never as UUIDs.
//!
//! A key is a path of segments, written joined by [`SEPARATOR`]; a reader may write any
//! trailing part of it that names one record ("X100" for "0101234567 > X100" when no other
//! model is called X100).

use crate::EntityKind;

/// Between the segments of a key as written.
pub const SEPARATOR: &str = " > ";

/// One part of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPart {
    /// A field's own value; absent values add no segment.
    Field(&'static str),
    /// The key of the record a reference field names.
    Reference(&'static str),
    /// The names from the top of a tree down to the record: its parent's key (which holds
    /// the parts before this one), then `name`.
    Tree { parent: &'static str, name: &'static str },
}

/// The key of records of `kind`; `None` for kinds nothing refers to by a key (a sales
/// figure, a cost line), whose rows are told apart by id alone.
pub fn natural_key(kind: EntityKind) -> Option<&'static [KeyPart]> {
    use KeyPart::{Field, Reference, Tree};
    Some(match kind {
        EntityKind::Organisation => &[Field("tax_code")],
        EntityKind::Person => &[Reference("organisation_id"), Field("full_name")],
        EntityKind::Task => &[Field("code")],
        EntityKind::BudgetLine => &[Reference("task_id"), Field("year"), Field("source")],
        EntityKind::CoreTechnology => &[Field("product_code"), Tree { parent: "parent_id", name: "name" }],
        EntityKind::ProductModel => &[Reference("maker_id"), Field("name")],
        EntityKind::BomLine => &[Reference("model_id"), Tree { parent: "parent_line_id", name: "component" }],
        EntityKind::TaskForceDocument => &[Field("number")],
        EntityKind::Proposal => &[Reference("task_id"), Reference("organisation_id")],
        EntityKind::Commentary => &[Field("product_code"), Field("year"), Field("quarter")],
        _ => return None,
    })
}

/// A key as written.
pub fn join(segments: &[String]) -> String {
    segments.join(SEPARATOR)
}

/// A key as read: its segments, trimmed, empty ones dropped. `>` alone (without spaces) also
/// separates, as people type it.
pub fn split(written: &str) -> Vec<String> {
    written.split('>').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_as_written() {
        let key = vec!["0101234567".to_owned(), "X100".to_owned(), "Khung".to_owned()];
        assert_eq!(split(&join(&key)), key);
        assert_eq!(split(" X100>Khung >  "), ["X100", "Khung"]);
    }

    #[test]
    fn every_referenced_kind_has_a_key() {
        // Every kind another record refers to must be writable by key, or a workbook
        // would need a UUID.
        for kind in EntityKind::ALL {
            for field in &crate::field_spec::spec(kind).fields {
                if let crate::field_spec::Input::Reference(target) = field.input {
                    assert!(natural_key(target).is_some(), "{kind:?}.{} refers to {target:?}", field.name);
                }
            }
        }
    }
}

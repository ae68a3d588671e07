//! Where each kind of record lives: its table, its columns and their SQL types, the records
//! it refers to, what must be unique, and how the list filters reach it. The generic record
//! queries (`records.rs`) are written once from these descriptions.

mod columns;
mod schema;

use cncl_domain::EntityKind;

pub use columns::{Column, ColumnType, Filters, Reference, Table, Tree};
use schema::TABLES;

/// The kinds whose records form trees.
static TREES: [Tree; 2] = [
    Tree {
        kind: EntityKind::CoreTechnology,
        parent_column: "parent_id",
        group_column: "product_code",
        group_noun: "product",
    },
    Tree {
        kind: EntityKind::BomLine,
        parent_column: "parent_line_id",
        group_column: "model_id",
        group_noun: "product model",
    },
];

/// The tree records of `kind` form, if they do.
pub fn tree(kind: EntityKind) -> Option<&'static Tree> {
    TREES.iter().find(|t| t.kind == kind)
}

/// The kind of record a table holds; `None` for reference data (products, task groups).
pub fn kind_of(table_name: &str) -> Option<EntityKind> {
    TABLES.iter().find(|t| t.name == table_name).map(|t| t.kind)
}

/// The table that holds records of this kind.
pub fn table(kind: EntityKind) -> &'static Table {
    &TABLES[kind.index()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_table_per_kind_in_order() {
        for (i, kind) in EntityKind::ALL.iter().enumerate() {
            assert_eq!(TABLES[i].kind, *kind);
            assert_eq!(table(*kind).kind, *kind);
        }
    }
}

//! Where a record sits in its kind's tree (core technologies, bills of materials), read from
//! the record itself by the table descriptions.

use cncl_domain::EntityKind;
use serde_json::{Map, Value};
use uuid::Uuid;

/// Where a record sits in its kind's tree (core technologies, bills of materials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreePosition {
    pub parent_field: &'static str,
    pub parent: Option<Uuid>,
    /// The product or model the tree belongs to.
    pub group: String,
    pub group_noun: &'static str,
}

/// Where a record of `kind` sits in its kind's tree, from its fields (`fields_of`); `None` for
/// kinds that are not trees.
pub fn tree_position_in(kind: EntityKind, fields: &Map<String, Value>) -> Option<TreePosition> {
    let tree = crate::tables::tree(kind)?;
    let text = |column: &str| fields.get(column).and_then(Value::as_str).map(str::to_owned);
    Some(TreePosition {
        parent_field: tree.parent_column,
        parent: text(tree.parent_column).and_then(|p| Uuid::parse_str(&p).ok()),
        group: text(tree.group_column).unwrap_or_default(),
        group_noun: tree.group_noun,
    })
}

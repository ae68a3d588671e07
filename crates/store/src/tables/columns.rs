//! What a table description is made of: columns and their SQL types, references, list
//! filters, trees; and the short constructors the descriptions are written with.

use cncl_domain::EntityKind;

/// How a column's value travels between JSON and SQL. Dates are ISO text; sets are JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Int,
    Bool,
    Json,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
}

/// A column that names another record, which must exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub column: &'static str,
    pub table: &'static str,
    pub key: &'static str,
    /// What the referenced record is, for messages.
    pub noun: &'static str,
}

/// The list filters of the API. Each is an SQL condition with one `{}` for the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filters {
    pub product: Option<&'static str>,
    pub organisation: Option<&'static str>,
    pub status: Option<&'static str>,
}

#[derive(Debug)]
pub struct Table {
    pub kind: EntityKind,
    pub name: &'static str,
    /// Every column but `id`, in the order of the record's fields.
    pub columns: &'static [Column],
    pub references: &'static [Reference],
    /// Column sets that must be unique; the last column is the one a conflict is reported on.
    pub unique: &'static [&'static [&'static str]],
    pub filters: Filters,
}

impl Table {
    /// Every column, `id` first, as a select or insert lists them.
    pub fn column_list(&self) -> String {
        let mut list = String::from("id");
        for column in self.columns {
            list.push_str(", ");
            list.push_str(column.name);
        }
        list
    }
}

/// A kind whose records form trees: a node's parent must be in the same group (product or
/// model) and never its own descendant.
#[derive(Debug)]
pub struct Tree {
    pub kind: EntityKind,
    pub parent_column: &'static str,
    pub group_column: &'static str,
    pub group_noun: &'static str,
}

pub(super) const fn text(name: &'static str) -> Column {
    Column { name, ty: ColumnType::Text }
}
pub(super) const fn int(name: &'static str) -> Column {
    Column { name, ty: ColumnType::Int }
}
pub(super) const fn boolean(name: &'static str) -> Column {
    Column { name, ty: ColumnType::Bool }
}
pub(super) const fn json(name: &'static str) -> Column {
    Column { name, ty: ColumnType::Json }
}
pub(super) const fn refers(column: &'static str, table: &'static str, noun: &'static str) -> Reference {
    Reference { column, table, key: "id", noun }
}
pub(super) const fn product_ref(column: &'static str) -> Reference {
    Reference { column, table: "products", key: "code", noun: "product" }
}

/// List filters many tables share, each an SQL condition with one `{}` for the parameter.
pub(super) const BY_TASK_PRODUCT: &str = "task_id in (select id from tasks where product_code = {})";
pub(super) const BY_TASK_ORGANISATION: &str =
    "task_id in (select task_id from task_participants where organisation_id = {})";
pub(super) const BY_MODEL_PRODUCT: &str = "model_id in (select id from product_models where product_code = {})";
pub(super) const BY_MODEL_ORGANISATION: &str = "model_id in (select id from product_models where maker_id = {})";
pub(super) const BY_TASK_STATUS: &str = "task_id in (select id from tasks where status = {})";

pub(super) const BY_TASK: Filters =
    Filters { product: Some(BY_TASK_PRODUCT), organisation: Some(BY_TASK_ORGANISATION), status: Some(BY_TASK_STATUS) };

//! Where each kind of record lives: its table, its columns and their SQL types, the records
//! it refers to, what must be unique, and how the list filters reach it. The generic record
//! queries (`records.rs`) are written once from these descriptions.

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

const fn text(name: &'static str) -> Column {
    Column { name, ty: ColumnType::Text }
}
const fn int(name: &'static str) -> Column {
    Column { name, ty: ColumnType::Int }
}
const fn boolean(name: &'static str) -> Column {
    Column { name, ty: ColumnType::Bool }
}
const fn json(name: &'static str) -> Column {
    Column { name, ty: ColumnType::Json }
}
const fn refers(column: &'static str, table: &'static str, noun: &'static str) -> Reference {
    Reference { column, table, key: "id", noun }
}
const fn product_ref(column: &'static str) -> Reference {
    Reference { column, table: "products", key: "code", noun: "product" }
}

const BY_TASK_PRODUCT: &str = "task_id in (select id from tasks where product_code = {})";
const BY_TASK_ORGANISATION: &str = "task_id in (select task_id from task_participants where organisation_id = {})";
const BY_MODEL_PRODUCT: &str = "model_id in (select id from product_models where product_code = {})";
const BY_MODEL_ORGANISATION: &str = "model_id in (select id from product_models where maker_id = {})";
const BY_TASK_STATUS: &str = "task_id in (select id from tasks where status = {})";

/// One description per kind, at the kind's index (a test checks the order).
static TABLES: [Table; EntityKind::COUNT] = [
    Table {
        kind: EntityKind::Organisation,
        name: "organisations",
        columns: &[text("name"), text("kind"), text("tax_code"), text("province"), text("ownership"), int("scale_usd")],
        references: &[],
        unique: &[&["tax_code"]],
        filters: Filters {
            product: Some(
                "id in (select p.organisation_id from task_participants p join tasks t on t.id = p.task_id where t.product_code = {} \
                 union select maker_id from product_models where product_code = {})",
            ),
            organisation: Some("id = {}"),
            status: None,
        },
    },
    Table {
        kind: EntityKind::Certification,
        name: "certifications",
        columns: &[
            text("organisation_id"),
            text("standard"),
            text("certified_on"),
            text("certifier"),
            text("expires_on"),
        ],
        references: &[refers("organisation_id", "organisations", "organisation")],
        unique: &[],
        filters: Filters { product: None, organisation: Some("organisation_id = {}"), status: None },
    },
    Table {
        kind: EntityKind::Person,
        name: "people",
        columns: &[text("full_name"), text("organisation_id"), json("roles"), text("expert_origin"), text("title")],
        references: &[refers("organisation_id", "organisations", "organisation")],
        unique: &[],
        filters: Filters { product: None, organisation: Some("organisation_id = {}"), status: None },
    },
    Table {
        kind: EntityKind::Task,
        name: "tasks",
        columns: &[
            text("code"),
            text("title"),
            text("product_code"),
            text("task_group_code"),
            text("origin"),
            boolean("is_research"),
            boolean("dual_use"),
            text("status"),
            text("lead_person_id"),
            text("problem"),
            text("scope"),
            text("responsibility"),
            text("starts_on"),
            text("ends_on"),
            text("deadline"),
            text("approving_body"),
            text("delegated_authority"),
            text("expected_product"),
            int("budget_ceiling_vnd"),
            text("assigned_on"),
            text("accepted_on"),
        ],
        references: &[
            product_ref("product_code"),
            Reference { column: "task_group_code", table: "task_groups", key: "code", noun: "task group" },
            refers("lead_person_id", "people", "person"),
        ],
        unique: &[&["code"]],
        filters: Filters {
            product: Some("product_code = {}"),
            organisation: Some("id in (select task_id from task_participants where organisation_id = {})"),
            status: Some("status = {}"),
        },
    },
    Table {
        kind: EntityKind::TaskParticipant,
        name: "task_participants",
        columns: &[text("task_id"), text("organisation_id"), text("role")],
        references: &[refers("task_id", "tasks", "task"), refers("organisation_id", "organisations", "organisation")],
        unique: &[&["task_id", "organisation_id"]],
        filters: Filters {
            product: Some(BY_TASK_PRODUCT),
            organisation: Some("organisation_id = {}"),
            status: Some(BY_TASK_STATUS),
        },
    },
    Table {
        kind: EntityKind::BudgetLine,
        name: "budget_lines",
        columns: &[text("task_id"), int("year"), text("source"), int("amount_vnd")],
        references: &[refers("task_id", "tasks", "task")],
        unique: &[],
        filters: Filters {
            product: Some(BY_TASK_PRODUCT),
            organisation: Some(BY_TASK_ORGANISATION),
            status: Some(BY_TASK_STATUS),
        },
    },
    Table {
        kind: EntityKind::StateStSpending,
        name: "state_st_spending",
        columns: &[int("year"), int("amount_vnd"), text("source_document")],
        references: &[],
        unique: &[&["year"]],
        filters: Filters { product: None, organisation: None, status: None },
    },
    Table {
        kind: EntityKind::CoreTechnology,
        name: "core_technologies",
        columns: &[text("product_code"), text("parent_id"), text("name"), int("weight"), text("description")],
        references: &[product_ref("product_code"), refers("parent_id", "core_technologies", "core technology")],
        unique: &[],
        filters: Filters { product: Some("product_code = {}"), organisation: None, status: None },
    },
    Table {
        kind: EntityKind::TechnologyAssessment,
        name: "technology_assessments",
        columns: &[
            text("technology_id"),
            text("assessed_on"),
            int("trl"),
            text("mastery"),
            text("evidence"),
            text("assessor_id"),
        ],
        references: &[
            refers("technology_id", "core_technologies", "core technology"),
            refers("assessor_id", "people", "person"),
        ],
        unique: &[],
        filters: Filters {
            product: Some("technology_id in (select id from core_technologies where product_code = {})"),
            organisation: None,
            status: None,
        },
    },
    Table {
        kind: EntityKind::Publication,
        name: "publications",
        columns: &[
            text("task_id"),
            text("title"),
            text("journal"),
            text("issn"),
            boolean("accredited"),
            text("published_on"),
            text("doi"),
        ],
        references: &[refers("task_id", "tasks", "task")],
        unique: &[],
        filters: Filters {
            product: Some(BY_TASK_PRODUCT),
            organisation: Some(BY_TASK_ORGANISATION),
            status: Some(BY_TASK_STATUS),
        },
    },
    Table {
        kind: EntityKind::IpApplication,
        name: "ip_applications",
        columns: &[
            text("task_id"),
            text("title"),
            text("kind"),
            text("number"),
            text("filed_on"),
            text("accepted_on"),
            text("granted_on"),
        ],
        references: &[refers("task_id", "tasks", "task")],
        unique: &[],
        filters: Filters {
            product: Some(BY_TASK_PRODUCT),
            organisation: Some(BY_TASK_ORGANISATION),
            status: Some(BY_TASK_STATUS),
        },
    },
    Table {
        kind: EntityKind::ResearchOutcome,
        name: "research_outcomes",
        columns: &[
            text("task_id"),
            text("title"),
            text("kind"),
            text("recorded_on"),
            text("application"),
            text("applied_on"),
            text("application_evidence"),
        ],
        references: &[refers("task_id", "tasks", "task")],
        unique: &[],
        filters: Filters {
            product: Some(BY_TASK_PRODUCT),
            organisation: Some(BY_TASK_ORGANISATION),
            status: Some(BY_TASK_STATUS),
        },
    },
    Table {
        kind: EntityKind::DualUseDemonstration,
        name: "dual_use_demonstrations",
        columns: &[text("task_id"), text("sector"), text("demonstrated_on"), text("description")],
        references: &[refers("task_id", "tasks", "task")],
        unique: &[],
        filters: Filters {
            product: Some(BY_TASK_PRODUCT),
            organisation: Some(BY_TASK_ORGANISATION),
            status: Some(BY_TASK_STATUS),
        },
    },
    Table {
        kind: EntityKind::ProductModel,
        name: "product_models",
        columns: &[text("product_code"), text("maker_id"), text("name"), int("selling_price_vnd"), text("launched_on")],
        references: &[product_ref("product_code"), refers("maker_id", "organisations", "organisation")],
        unique: &[],
        filters: Filters { product: Some("product_code = {}"), organisation: Some("maker_id = {}"), status: None },
    },
    Table {
        kind: EntityKind::BomLine,
        name: "bom_lines",
        columns: &[
            text("model_id"),
            text("parent_line_id"),
            text("component"),
            int("quantity"),
            int("unit_cost_vnd"),
            text("origin"),
            text("supplier_id"),
        ],
        references: &[
            refers("model_id", "product_models", "product model"),
            refers("parent_line_id", "bom_lines", "bill-of-materials line"),
            refers("supplier_id", "organisations", "organisation"),
        ],
        unique: &[],
        filters: Filters { product: Some(BY_MODEL_PRODUCT), organisation: Some(BY_MODEL_ORGANISATION), status: None },
    },
    Table {
        kind: EntityKind::CostLine,
        name: "cost_lines",
        columns: &[text("model_id"), text("category"), text("origin"), int("amount_vnd"), text("description")],
        references: &[refers("model_id", "product_models", "product model")],
        unique: &[],
        filters: Filters { product: Some(BY_MODEL_PRODUCT), organisation: Some(BY_MODEL_ORGANISATION), status: None },
    },
    Table {
        kind: EntityKind::ModelSales,
        name: "model_sales",
        columns: &[text("model_id"), int("year"), int("domestic_units"), int("export_units")],
        references: &[refers("model_id", "product_models", "product model")],
        unique: &[&["model_id", "year"]],
        filters: Filters { product: Some(BY_MODEL_PRODUCT), organisation: Some(BY_MODEL_ORGANISATION), status: None },
    },
    Table {
        kind: EntityKind::MarketSize,
        name: "market_sizes",
        columns: &[text("product_code"), int("year"), int("domestic_vnd"), text("source")],
        references: &[product_ref("product_code")],
        unique: &[&["product_code", "year"]],
        filters: Filters { product: Some("product_code = {}"), organisation: None, status: None },
    },
    Table {
        kind: EntityKind::TrainingRecord,
        name: "training_records",
        columns: &[
            int("year"),
            int("count"),
            text("level"),
            text("organisation_id"),
            text("product_code"),
            text("course"),
        ],
        references: &[refers("organisation_id", "organisations", "organisation"), product_ref("product_code")],
        unique: &[],
        filters: Filters {
            product: Some("product_code = {}"),
            organisation: Some("organisation_id = {}"),
            status: None,
        },
    },
    Table {
        kind: EntityKind::Laboratory,
        name: "laboratories",
        columns: &[text("name"), text("kind"), boolean("open_model"), text("organisation_id"), text("established_on")],
        references: &[refers("organisation_id", "organisations", "organisation")],
        unique: &[],
        filters: Filters { product: None, organisation: Some("organisation_id = {}"), status: None },
    },
    Table {
        kind: EntityKind::StrategicIndustry,
        name: "strategic_industries",
        columns: &[text("name"), json("product_codes"), text("formed_on"), text("evidence")],
        references: &[],
        unique: &[],
        // Product codes are stored as a JSON array of strings; codes are [a-z0-9-], so the
        // quoted code matches exactly one element. The filter's LIKE wildcards are escaped, so
        // `?product=%` matches no industry rather than every one.
        filters: Filters {
            product: Some(
                "product_codes like '%\"' || replace(replace(replace({}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '\"%' escape '\\'",
            ),
            organisation: None,
            status: None,
        },
    },
    Table {
        kind: EntityKind::TaskMilestone,
        name: "task_milestones",
        columns: &[text("task_id"), text("name"), text("due_on"), text("completed_on")],
        references: &[refers("task_id", "tasks", "task")],
        unique: &[],
        filters: BY_TASK,
    },
    Table {
        kind: EntityKind::Deliverable,
        name: "deliverables",
        columns: &[text("task_id"), text("name"), text("acceptance_criteria"), text("due_on"), text("delivered_on")],
        references: &[refers("task_id", "tasks", "task")],
        unique: &[],
        filters: BY_TASK,
    },
    Table {
        kind: EntityKind::ProgressReport,
        name: "progress_reports",
        columns: &[
            text("task_id"),
            int("year"),
            int("quarter"),
            int("progress_percent"),
            text("summary"),
            int("spent_central_state_vnd"),
            int("spent_local_state_vnd"),
            int("spent_enterprise_vnd"),
            int("spent_private_vnd"),
            int("spent_other_vnd"),
            text("outputs"),
            text("risks"),
            text("status"),
            text("submitted_on"),
            text("reviewed_on"),
            text("return_reason"),
        ],
        references: &[refers("task_id", "tasks", "task")],
        unique: &[&["task_id", "year", "quarter"]],
        filters: Filters {
            product: Some(BY_TASK_PRODUCT),
            organisation: Some(BY_TASK_ORGANISATION),
            status: Some("status = {}"),
        },
    },
    Table {
        kind: EntityKind::Appointment,
        name: "appointments",
        columns: &[
            text("person_id"),
            text("role"),
            text("product_code"),
            text("task_group_code"),
            text("appointed_on"),
            text("decision_number"),
            text("ends_on"),
        ],
        references: &[
            refers("person_id", "people", "person"),
            product_ref("product_code"),
            Reference { column: "task_group_code", table: "task_groups", key: "code", noun: "task group" },
        ],
        unique: &[],
        filters: Filters {
            product: Some("product_code = {}"),
            organisation: Some("person_id in (select id from people where organisation_id = {})"),
            status: None,
        },
    },
    Table {
        kind: EntityKind::TaskForceDocument,
        name: "task_force_documents",
        columns: &[text("kind"), text("number"), text("issued_on"), text("title")],
        references: &[],
        unique: &[&["number"]],
        filters: Filters { product: None, organisation: None, status: None },
    },
    Table {
        kind: EntityKind::TaskForceMember,
        name: "task_force_members",
        columns: &[
            text("person_id"),
            text("position"),
            text("office"),
            text("decision_id"),
            text("from_on"),
            text("until_on"),
        ],
        references: &[
            refers("person_id", "people", "person"),
            refers("decision_id", "task_force_documents", "Task Force document"),
        ],
        unique: &[],
        filters: Filters { product: None, organisation: None, status: None },
    },
    Table {
        kind: EntityKind::Disbursement,
        name: "disbursements",
        columns: &[text("budget_line_id"), text("disbursed_on"), int("amount_vnd"), text("document")],
        references: &[refers("budget_line_id", "budget_lines", "budget line")],
        unique: &[],
        filters: Filters {
            product: Some(
                "budget_line_id in (select id from budget_lines where task_id in (select id from tasks where product_code = {}))",
            ),
            organisation: Some(
                "budget_line_id in (select id from budget_lines where task_id in \
                 (select task_id from task_participants where organisation_id = {}))",
            ),
            status: None,
        },
    },
    Table {
        kind: EntityKind::Proposal,
        name: "proposals",
        columns: &[
            text("task_id"),
            text("organisation_id"),
            text("lead_person_id"),
            text("title"),
            text("summary"),
            text("submitted_on"),
            text("status"),
        ],
        references: &[
            refers("task_id", "tasks", "task"),
            refers("organisation_id", "organisations", "organisation"),
            refers("lead_person_id", "people", "person"),
        ],
        unique: &[&["task_id", "organisation_id"]],
        filters: Filters {
            product: Some(BY_TASK_PRODUCT),
            organisation: Some("organisation_id = {}"),
            status: Some("status = {}"),
        },
    },
    Table {
        kind: EntityKind::ProposalReview,
        name: "proposal_reviews",
        columns: &[
            text("proposal_id"),
            text("reviewer_id"),
            int("national_problem"),
            int("commercialisation"),
            int("core_technology"),
            text("comment"),
            text("reviewed_on"),
        ],
        references: &[refers("proposal_id", "proposals", "proposal"), refers("reviewer_id", "people", "person")],
        unique: &[&["proposal_id", "reviewer_id"]],
        filters: Filters {
            product: Some(
                "proposal_id in (select id from proposals where task_id in (select id from tasks where product_code = {}))",
            ),
            organisation: Some("proposal_id in (select id from proposals where organisation_id = {})"),
            status: None,
        },
    },
    Table {
        kind: EntityKind::DomesticOffer,
        name: "domestic_offers",
        columns: &[
            text("supplier_id"),
            text("product_code"),
            text("bom_line_id"),
            text("component"),
            int("unit_cost_vnd"),
            int("domestic_share_percent"),
            text("earliest_delivery_on"),
            int("trl"),
            text("offered_on"),
            text("valid_until"),
        ],
        references: &[
            refers("supplier_id", "organisations", "organisation"),
            product_ref("product_code"),
            refers("bom_line_id", "bom_lines", "bill-of-materials line"),
        ],
        unique: &[],
        filters: Filters { product: Some("product_code = {}"), organisation: Some("supplier_id = {}"), status: None },
    },
];

const BY_TASK: Filters =
    Filters { product: Some(BY_TASK_PRODUCT), organisation: Some(BY_TASK_ORGANISATION), status: Some(BY_TASK_STATUS) };

/// A kind whose records form trees: a node's parent must be in the same group (product or
/// model) and never its own descendant.
#[derive(Debug)]
pub struct Tree {
    pub kind: EntityKind,
    pub parent_column: &'static str,
    pub group_column: &'static str,
    pub group_noun: &'static str,
}

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

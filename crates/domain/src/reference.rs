//! The programme's reference data (Decision 2815/QĐ-TTg): the programme itself, its six
//! strategic technology products and its six task groups. Shipped with cncl under
//! `data/reference/` and loaded on first start; read-only to users.

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{DomainError, msg};
use crate::labels::Lang;
use crate::record::not_before;
use crate::values::{Code, Text};

/// The programme being monitored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub code: Code,
    /// The approving decision, e.g. "2815/QĐ-TTg".
    pub decision: Text,
    pub name_vi: Text,
    pub name_en: Text,
    pub managing_body_vi: Text,
    pub managing_body_en: Text,
    pub starts_on: Date,
    pub ends_on: Date,
    /// Where these facts come from (seed article ids).
    pub source: Text,
}

/// One of the strategic technology products the programme must make Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub code: Code,
    /// Display order.
    pub ordinal: i64,
    pub name_vi: Text,
    pub name_en: Text,
    /// When implementation of this product starts.
    pub starts_on: Date,
    pub source: Text,
}

/// One of the programme's groups of tasks and solutions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskGroup {
    pub code: Code,
    pub ordinal: i64,
    pub name_vi: Text,
    pub name_en: Text,
    pub source: Text,
}

/// The whole reference data set, as shipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceData {
    pub programme: Programme,
    pub products: Vec<Product>,
    pub task_groups: Vec<TaskGroup>,
}

impl ReferenceData {
    /// Checks the rules a reference data file must meet: dates in order, unique codes.
    pub fn check(&self) -> Result<(), DomainError> {
        not_before(
            Some(self.programme.starts_on),
            "programme.starts_on",
            Some(self.programme.ends_on),
            "programme.ends_on",
        )?;
        let mut product_codes: Vec<&Code> = self.products.iter().map(|p| &p.code).collect();
        product_codes.sort();
        if let Some(dup) = product_codes.windows(2).find(|w| w[0] == w[1]) {
            return Err(DomainError::new(
                "products.code",
                msg(format!("{} xuất hiện hai lần", dup[0]), format!("{} appears twice", dup[0])),
            ));
        }
        let mut group_codes: Vec<&Code> = self.task_groups.iter().map(|g| &g.code).collect();
        group_codes.sort();
        if let Some(dup) = group_codes.windows(2).find(|w| w[0] == w[1]) {
            return Err(DomainError::new(
                "task_groups.code",
                msg(format!("{} xuất hiện hai lần", dup[0]), format!("{} appears twice", dup[0])),
            ));
        }
        Ok(())
    }
}

impl Product {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name_vi.as_str(), self.name_en.as_str())
    }
}

impl TaskGroup {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name_vi.as_str(), self.name_en.as_str())
    }
}

impl Programme {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(self.name_vi.as_str(), self.name_en.as_str())
    }

    pub fn managing_body(&self, lang: Lang) -> &str {
        lang.pick(self.managing_body_vi.as_str(), self.managing_body_en.as_str())
    }
}

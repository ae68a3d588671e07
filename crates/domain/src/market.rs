//! Product models of a strategic product: price, bill of materials, production cost,
//! sales, and the domestic market they sell into (criteria C1a, C1b, C3).

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{DomainError, msg};
use crate::ids::{BomLineId, OrganisationId, ProductModelId};
use crate::labelled_enum;
use crate::record::{EntityKind, Record};
use crate::values::{Code, Quantity, Text, Units, Vnd, Year};
use crate::values::{Percent, Trl};

/// A model of a strategic product that an organisation makes and sells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductModel {
    pub product_code: Code,
    pub maker_id: OrganisationId,
    pub name: Text,
    /// Selling price of one unit, in đồng; positive.
    pub selling_price_vnd: Vnd,
    pub launched_on: Option<Date>,
}

impl Record for ProductModel {
    const KIND: EntityKind = EntityKind::ProductModel;
    type Id = crate::ids::ProductModelId;

    fn check(&self) -> Result<(), DomainError> {
        if self.selling_price_vnd == Vnd::ZERO {
            return Err(DomainError::new("selling_price_vnd", msg("phải lớn hơn 0", "must be more than zero")));
        }
        Ok(())
    }
}

labelled_enum! {
    /// Where an input comes from. Cost lines say "foreign" for imported services; both
    /// spellings are accepted.
    pub enum Origin {
        Domestic = "domestic", "Trong nước", "Domestic";
        #[serde(alias = "foreign")]
        Imported = "imported", "Nhập khẩu", "Imported";
    }
}

/// A line of a model's bill of materials, per unit of the model (or of its parent line,
/// for a line inside a sub-assembly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BomLine {
    pub model_id: ProductModelId,
    /// The sub-assembly this line is part of; none for a top-level line.
    pub parent_line_id: Option<BomLineId>,
    pub component: Text,
    pub quantity: Quantity,
    /// Cost of one unit of this component, in đồng.
    pub unit_cost_vnd: Vnd,
    pub origin: Origin,
    pub supplier_id: Option<OrganisationId>,
}

impl Record for BomLine {
    const KIND: EntityKind = EntityKind::BomLine;
    type Id = crate::ids::BomLineId;
}

labelled_enum! {
    /// The kind of production cost (criterion C1b).
    pub enum CostCategory {
        Materials = "materials", "Nguyên vật liệu", "Materials";
        Labour = "labour", "Nhân công", "Labour";
        Overhead = "overhead", "Chi phí chung", "Overhead";
        Services = "services", "Dịch vụ", "Services";
    }
}

/// A production cost of one unit of a model, by category and origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CostLine {
    pub model_id: ProductModelId,
    pub category: CostCategory,
    pub origin: Origin,
    pub amount_vnd: Vnd,
    pub description: Option<Text>,
}

impl Record for CostLine {
    const KIND: EntityKind = EntityKind::CostLine;
    type Id = crate::ids::CostLineId;
}

/// A model's sales in one year, in units sold. Their value is units × the model's selling
/// price; recording units keeps every derived figure an exact fraction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelSales {
    pub model_id: ProductModelId,
    pub year: Year,
    pub domestic_units: Units,
    pub export_units: Units,
}

impl Record for ModelSales {
    const KIND: EntityKind = EntityKind::ModelSales;
    type Id = crate::ids::ModelSalesId;
}

/// The size of the domestic market for a product in one year, in đồng (criterion C3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketSize {
    pub product_code: Code,
    pub year: Year,
    pub domestic_vnd: Vnd,
    /// Where the estimate comes from.
    pub source: Option<Text>,
}

impl Record for MarketSize {
    const KIND: EntityKind = EntityKind::MarketSize;
    type Id = crate::ids::MarketSizeId;
}

/// A supporting enterprise's offer to make, at home, a component of a strategic product now
/// imported: one BOM line, or a component by name on every model of the product whose bill
/// names it. The localisation planner chooses among the offers valid on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomesticOffer {
    pub supplier_id: OrganisationId,
    pub product_code: Code,
    /// The line it would replace; or else
    pub bom_line_id: Option<BomLineId>,
    /// the component, as bills of materials name it (accents and case aside).
    pub component: Option<Text>,
    /// Cost of one unit, in đồng.
    pub unit_cost_vnd: Vnd,
    /// The domestic share of the offer's own content.
    pub domestic_share_percent: Percent,
    pub earliest_delivery_on: Date,
    /// Readiness of the offered part.
    pub trl: Trl,
    pub offered_on: Date,
    /// The last day the offer stands; open when absent.
    pub valid_until: Option<Date>,
}

impl DomesticOffer {
    /// Whether the offer stands on `date`.
    pub fn valid_on(&self, date: Date) -> bool {
        self.offered_on <= date && self.valid_until.is_none_or(|until| date <= until)
    }
}

impl Record for DomesticOffer {
    const KIND: EntityKind = EntityKind::DomesticOffer;
    type Id = crate::ids::DomesticOfferId;

    fn check(&self) -> Result<(), DomainError> {
        match (&self.bom_line_id, &self.component) {
            (Some(_), Some(_)) => {
                return Err(DomainError::new(
                    "component",
                    msg(
                        "ghi dòng định mức hoặc linh kiện, không ghi cả hai",
                        "give the BOM line or the component, not both",
                    ),
                ));
            }
            (None, None) => {
                return Err(DomainError::new(
                    "bom_line_id",
                    msg("ghi dòng định mức hoặc linh kiện", "give the BOM line or the component"),
                ));
            }
            _ => {}
        }
        if self.unit_cost_vnd == Vnd::ZERO {
            return Err(DomainError::new("unit_cost_vnd", msg("phải lớn hơn 0", "must be more than zero")));
        }
        if self.valid_until.is_some_and(|until| until < self.offered_on) {
            return Err(DomainError::new(
                "valid_until",
                msg("không được trước ngày chào (offered_on)", "must not be before offered_on"),
            ));
        }
        Ok(())
    }
}

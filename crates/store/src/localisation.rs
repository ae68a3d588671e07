//! What the localisation planner reads besides the facts: bills of materials with their
//! components' names (offers may name a component rather than a line), and the offers.

use cncl_domain::Stored;
use cncl_domain::market::{DomesticOffer, Origin};
use cncl_eval::facts::BomLineFact;
use uuid::Uuid;

use crate::backend::{Store, on_pool};
use crate::error::StoreError;
use crate::records::ListFilter;

/// A BOM line with its component's name and its model's product.
#[derive(Debug, Clone)]
pub struct NamedLine {
    pub line: BomLineFact,
    pub component: String,
    pub product: String,
}

type LineRow = (String, String, Option<String>, i64, i64, String, String, String);

/// Offers read per page.
const OFFERS_PER_PAGE: u32 = 10_000;

impl Store {
    /// Every BOM line of the models of `product` (all products when `None`), with its
    /// component, sorted by model and id as the roll-up expects.
    pub async fn named_bom_lines(&self, product: Option<&str>) -> Result<Vec<NamedLine>, StoreError> {
        let sql = "select l.id, l.model_id, l.parent_line_id, l.quantity, l.unit_cost_vnd, l.origin, l.component, m.product_code \
                   from bom_lines l join product_models m on m.id = l.model_id \
                   where ($1 = '' or m.product_code = $1) order by l.model_id, l.id";
        let rows: Vec<LineRow> = on_pool!(self, pool => {
            sqlx::query_as(sql).bind(product.unwrap_or_default().to_owned()).fetch_all(pool).await?
        });
        let uuid = |text: &str| {
            Uuid::parse_str(text).map_err(|e| StoreError::Corrupt {
                table: "bom_lines",
                id: text.to_owned(),
                message: e.to_string(),
            })
        };
        rows.into_iter()
            .map(|(id, model, parent, quantity, unit_cost_vnd, origin, component, product)| {
                let origin = Origin::parse(&origin).ok_or_else(|| StoreError::Corrupt {
                    table: "bom_lines",
                    id: id.clone(),
                    message: format!("unknown origin {origin}"),
                })?;
                Ok(NamedLine {
                    line: BomLineFact {
                        id: uuid(&id)?,
                        model: uuid(&model)?,
                        parent: parent.as_deref().map(uuid).transpose()?,
                        quantity,
                        unit_cost_vnd,
                        origin,
                    },
                    component,
                    product,
                })
            })
            .collect()
    }

    /// Every domestic offer for `product` (all products when `None`).
    pub async fn domestic_offers(&self, product: Option<&str>) -> Result<Vec<Stored<DomesticOffer>>, StoreError> {
        let filter = ListFilter { product: product.map(str::to_owned), ..ListFilter::default() };
        let mut offers = Vec::new();
        for page in 1.. {
            let batch = self.list::<DomesticOffer>(&filter, page, OFFERS_PER_PAGE).await?;
            let done = batch.items.len() < OFFERS_PER_PAGE as usize;
            offers.extend(batch.items);
            if done {
                break;
            }
        }
        Ok(offers)
    }
}

//! What the localisation planner reads besides the facts: the components of the imported
//! BOM lines (offers may name a component rather than a line), and the offers.

use cncl_domain::Stored;
use cncl_domain::market::DomesticOffer;
use uuid::Uuid;

use crate::backend::{Pool, Store};
use crate::error::StoreError;
use crate::records::ListFilter;

/// Which imported lines to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinesOf<'a> {
    Everything,
    Product(&'a str),
    Model(Uuid),
}

/// Offers read per page.
const OFFERS_PER_PAGE: u32 = 10_000;

const COMPONENTS_SQL: &str = "select id, component from bom_lines where origin = 'imported' and \
    ($1 = '' or model_id = $1) and ($2 = '' or model_id in (select id from product_models where product_code = $2))";

impl Store {
    /// The component named by every imported BOM line of `which` models: `(line, component)`.
    /// On SQLite read through a plain reader, as the facts are: a national programme has a
    /// third of a million imported lines.
    pub async fn imported_components(&self, which: LinesOf<'_>) -> Result<Vec<(Uuid, String)>, StoreError> {
        let (model, product) = match which {
            LinesOf::Everything => (String::new(), String::new()),
            LinesOf::Product(code) => (String::new(), code.to_owned()),
            LinesOf::Model(id) => (id.to_string(), String::new()),
        };
        let rows: Vec<(String, String)> = match &self.pool {
            Pool::Sqlite(_, path) => {
                let path = path.clone();
                tokio::task::spawn_blocking(move || -> Result<Vec<(String, String)>, StoreError> {
                    let connection = crate::facts::open_reader(&path)?;
                    let mut statement = connection.prepare(COMPONENTS_SQL).map_err(crate::facts::sqlite_error)?;
                    let rows = statement
                        .query_map([model, product], |row| Ok((row.get(0)?, row.get(1)?)))
                        .map_err(crate::facts::sqlite_error)?;
                    rows.collect::<Result<_, _>>().map_err(crate::facts::sqlite_error)
                })
                .await
                .map_err(|e| StoreError::Reader(e.to_string()))??
            }
            Pool::Postgres(pool) => sqlx::query_as(COMPONENTS_SQL).bind(model).bind(product).fetch_all(pool).await?,
        };
        rows.into_iter()
            .map(|(id, component)| {
                let id = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt {
                    table: "bom_lines",
                    id: id.clone(),
                    message: e.to_string(),
                })?;
                Ok((id, component))
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

//! `load_facts(as_of)`: the facts the evaluator needs, read from the store in one
//! consistent snapshot. Facts dated after `as_of` are left out; undated facts (bills of
//! materials, costs, prices) are read whole.
//!
//! This is the store's bulk read: up to millions of rows at national scale. Each query and
//! the mapping of its columns to a fact are written once (`QUERIES`, `Columns`); on
//! PostgreSQL they run through sqlx, on SQLite through rusqlite on a blocking thread, because
//! sqlx's SQLite driver hands rows one at a time across threads and costs several
//! microseconds a row (see docs/decisions/0002-fact-loading.md). Both link the same SQLite.

use std::path::PathBuf;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use cncl_domain::Date;
use cncl_domain::seven_clear::SevenClearFacts;
use cncl_eval::facts::{
    AssessmentFact, BomLineFact, BudgetLineFact, CertificationFact, CostLineFact, DemonstrationFact, DisbursementFact,
    Facts, IndustryFact, IpApplicationFact, LaboratoryFact, MarketSizeFact, ModelFact, OrganisationFact, OutcomeFact,
    ParticipantFact, PublicationFact, SalesFact, SpendingFact, TaskFact, TechnologyFact, TrainingFact,
};
use sqlx::Row;
use uuid::Uuid;

use crate::backend::{Pool, Store};
use crate::error::StoreError;

/// Which parameter a fact query takes: none, the day (`YYYY-MM-DD`) or the year of `as_of`.
#[derive(Debug, Clone, Copy)]
enum Bound {
    None,
    Day,
    Year,
}

/// The kind of fact a query's rows become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Product,
    Technology,
    Assessment,
    Organisation,
    Certification,
    Task,
    Participant,
    BudgetLine,
    Disbursement,
    Spending,
    Publication,
    IpApplication,
    Outcome,
    Demonstration,
    Model,
    BomLine,
    CostLine,
    Sales,
    MarketSize,
    Training,
    Laboratory,
    Industry,
}

struct FactQuery {
    kind: Kind,
    sql: &'static str,
    bound: Bound,
}

/// Every fact query, written once for both backends.
const QUERIES: [FactQuery; 22] = [
    FactQuery { kind: Kind::Product, sql: "select code from products order by ordinal, code", bound: Bound::None },
    FactQuery {
        kind: Kind::Technology,
        sql: "select id, product_code, parent_id, weight from core_technologies",
        bound: Bound::None,
    },
    FactQuery {
        kind: Kind::Assessment,
        sql: "select id, technology_id, assessed_on, mastery from technology_assessments where assessed_on <= $1",
        bound: Bound::Day,
    },
    FactQuery { kind: Kind::Organisation, sql: "select id, kind, scale_usd from organisations", bound: Bound::None },
    FactQuery {
        kind: Kind::Certification,
        sql: "select id, organisation_id, certified_on, expires_on from certifications where certified_on <= $1",
        bound: Bound::Day,
    },
    FactQuery {
        kind: Kind::Task,
        sql: "select id, product_code, is_research, dual_use, assigned_on, accepted_on, lead_person_id, scope, \
              responsibility, starts_on, ends_on, approving_body, delegated_authority, \
              exists (select 1 from task_milestones m where m.task_id = tasks.id), \
              exists (select 1 from deliverables d where d.task_id = tasks.id) from tasks",
        bound: Bound::None,
    },
    FactQuery {
        kind: Kind::Participant,
        sql: "select id, task_id, organisation_id, role from task_participants",
        bound: Bound::None,
    },
    FactQuery {
        kind: Kind::BudgetLine,
        sql: "select id, task_id, year, source, amount_vnd from budget_lines",
        bound: Bound::None,
    },
    FactQuery {
        kind: Kind::Disbursement,
        sql: "select id, budget_line_id, disbursed_on, amount_vnd from disbursements where disbursed_on <= $1",
        bound: Bound::Day,
    },
    FactQuery { kind: Kind::Spending, sql: "select id, year, amount_vnd from state_st_spending", bound: Bound::None },
    FactQuery {
        kind: Kind::Publication,
        sql: "select id, task_id, accredited, published_on from publications where published_on <= $1",
        bound: Bound::Day,
    },
    FactQuery {
        kind: Kind::IpApplication,
        sql: "select id, task_id, accepted_on from ip_applications where accepted_on is not null and accepted_on <= $1",
        bound: Bound::Day,
    },
    FactQuery {
        kind: Kind::Outcome,
        sql: "select id, task_id, recorded_on, applied_on from research_outcomes where recorded_on <= $1",
        bound: Bound::Day,
    },
    FactQuery {
        kind: Kind::Demonstration,
        sql: "select id, task_id, sector, demonstrated_on from dual_use_demonstrations where demonstrated_on <= $1",
        bound: Bound::Day,
    },
    FactQuery {
        kind: Kind::Model,
        sql: "select id, product_code, selling_price_vnd, launched_on from product_models \
              where launched_on is null or launched_on <= $1",
        bound: Bound::Day,
    },
    // Ordered by model then id, as the roll-up wants them; the (model_id, id) index makes
    // the order free.
    FactQuery {
        kind: Kind::BomLine,
        sql: "select id, model_id, parent_line_id, quantity, unit_cost_vnd, origin from bom_lines order by model_id, id",
        bound: Bound::None,
    },
    FactQuery {
        kind: Kind::CostLine,
        sql: "select id, model_id, category, origin, amount_vnd from cost_lines",
        bound: Bound::None,
    },
    FactQuery {
        kind: Kind::Sales,
        sql: "select id, model_id, year, domestic_units, export_units from model_sales where year <= $1",
        bound: Bound::Year,
    },
    FactQuery {
        kind: Kind::MarketSize,
        sql: "select id, product_code, year, domestic_vnd from market_sizes where year <= $1",
        bound: Bound::Year,
    },
    FactQuery {
        kind: Kind::Training,
        sql: "select id, year, count from training_records where year <= $1",
        bound: Bound::Year,
    },
    FactQuery {
        kind: Kind::Laboratory,
        sql: "select id, kind, open_model, established_on from laboratories where established_on <= $1",
        bound: Bound::Day,
    },
    FactQuery {
        kind: Kind::Industry,
        sql: "select id, formed_on from strategic_industries where formed_on <= $1",
        bound: Bound::Day,
    },
];

/// A row's columns by position, whichever driver read it.
trait Columns {
    fn opt_text(&self, i: usize) -> Result<Option<&str>, String>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>, String>;
    fn flag(&self, i: usize) -> Result<bool, String>;

    fn text(&self, i: usize) -> Result<&str, String> {
        self.opt_text(i)?.ok_or_else(|| format!("column {i} is null"))
    }
    fn int(&self, i: usize) -> Result<i64, String> {
        self.opt_int(i)?.ok_or_else(|| format!("column {i} is null"))
    }
    fn id(&self, i: usize) -> Result<Uuid, String> {
        let text = self.text(i)?;
        Uuid::parse_str(text).map_err(|e| format!("id {text:?}: {e}"))
    }
    fn opt_id(&self, i: usize) -> Result<Option<Uuid>, String> {
        self.opt_text(i)?.map(|t| Uuid::parse_str(t).map_err(|e| format!("id {t:?}: {e}"))).transpose()
    }
    fn date(&self, i: usize) -> Result<NaiveDate, String> {
        let text = self.text(i)?;
        NaiveDate::from_str(text).map_err(|e| format!("date {text:?}: {e}"))
    }
    fn opt_date(&self, i: usize) -> Result<Option<NaiveDate>, String> {
        self.opt_text(i)?.map(|t| NaiveDate::from_str(t).map_err(|e| format!("date {t:?}: {e}"))).transpose()
    }
    fn year(&self, i: usize) -> Result<i32, String> {
        let year = self.int(i)?;
        i32::try_from(year).map_err(|_| format!("year {year}"))
    }
    fn choice<T>(&self, i: usize, parse: fn(&str) -> Option<T>) -> Result<T, String> {
        let text = self.text(i)?;
        parse(text).ok_or_else(|| format!("unknown value {text:?}"))
    }
}

impl Columns for rusqlite::Row<'_> {
    fn opt_text(&self, i: usize) -> Result<Option<&str>, String> {
        self.get_ref(i).map_err(|e| e.to_string())?.as_str_or_null().map_err(|e| e.to_string())
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>, String> {
        self.get_ref(i).map_err(|e| e.to_string())?.as_i64_or_null().map_err(|e| e.to_string())
    }
    fn flag(&self, i: usize) -> Result<bool, String> {
        Ok(self.opt_int(i)?.is_some_and(|v| v != 0))
    }
}

impl Columns for sqlx::postgres::PgRow {
    fn opt_text(&self, i: usize) -> Result<Option<&str>, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }
    fn flag(&self, i: usize) -> Result<bool, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }
}

/// Add one row of `kind` to the facts.
fn add(kind: Kind, r: &impl Columns, f: &mut Facts) -> Result<(), String> {
    use cncl_domain::{organisation, task, technology};
    match kind {
        Kind::Product => f.products.push(r.text(0)?.to_owned()),
        Kind::Technology => f.technologies.push(TechnologyFact {
            id: r.id(0)?,
            product: r.text(1)?.to_owned(),
            parent: r.opt_id(2)?,
            weight: r.int(3)?,
        }),
        Kind::Assessment => f.assessments.push(AssessmentFact {
            id: r.id(0)?,
            technology: r.id(1)?,
            assessed_on: r.date(2)?,
            mastery: r.choice(3, technology::Mastery::parse)?,
        }),
        Kind::Organisation => f.organisations.push(OrganisationFact {
            id: r.id(0)?,
            kind: r.choice(1, organisation::OrganisationKind::parse)?,
            scale_usd: r.opt_int(2)?,
        }),
        Kind::Certification => f.certifications.push(CertificationFact {
            id: r.id(0)?,
            organisation: r.id(1)?,
            certified_on: r.date(2)?,
            expires_on: r.opt_date(3)?,
        }),
        Kind::Task => f.tasks.push(task_fact(r)?),
        Kind::Participant => f.participants.push(ParticipantFact {
            id: r.id(0)?,
            task: r.id(1)?,
            organisation: r.id(2)?,
            role: r.choice(3, task::ParticipantRole::parse)?,
        }),
        Kind::BudgetLine => f.budget_lines.push(BudgetLineFact {
            id: r.id(0)?,
            task: r.id(1)?,
            year: r.year(2)?,
            source: r.choice(3, task::FundingSource::parse)?,
            amount_vnd: r.int(4)?,
        }),
        Kind::Disbursement => f.disbursements.push(DisbursementFact {
            id: r.id(0)?,
            budget_line: r.id(1)?,
            disbursed_on: r.date(2)?,
            amount_vnd: r.int(3)?,
        }),
        Kind::Spending => f.state_spending.push(SpendingFact { id: r.id(0)?, year: r.year(1)?, amount_vnd: r.int(2)? }),
        Kind::Publication | Kind::IpApplication | Kind::Outcome | Kind::Demonstration => add_output(kind, r, f)?,
        Kind::Model | Kind::BomLine | Kind::CostLine | Kind::Sales | Kind::MarketSize => add_market(kind, r, f)?,
        Kind::Training | Kind::Laboratory | Kind::Industry => add_capacity(kind, r, f)?,
    }
    Ok(())
}

/// Add one row about what research tasks produced (C4–C7).
fn add_output(kind: Kind, r: &impl Columns, f: &mut Facts) -> Result<(), String> {
    use cncl_domain::output;
    match kind {
        Kind::Publication => f.publications.push(PublicationFact {
            id: r.id(0)?,
            task: r.id(1)?,
            accredited: r.flag(2)?,
            published_on: r.date(3)?,
        }),
        Kind::IpApplication => {
            f.ip_applications.push(IpApplicationFact { id: r.id(0)?, task: r.id(1)?, accepted_on: r.opt_date(2)? })
        }
        Kind::Outcome => f.outcomes.push(OutcomeFact {
            id: r.id(0)?,
            task: r.id(1)?,
            recorded_on: r.date(2)?,
            applied_on: r.opt_date(3)?,
        }),
        Kind::Demonstration => f.demonstrations.push(DemonstrationFact {
            id: r.id(0)?,
            task: r.id(1)?,
            sector: r.choice(2, output::Sector::parse)?,
            demonstrated_on: r.date(3)?,
        }),
        _ => return Err(format!("{kind:?} is not an output")),
    }
    Ok(())
}

/// Add one row about the programme's capacity: training, laboratories, industries.
fn add_capacity(kind: Kind, r: &impl Columns, f: &mut Facts) -> Result<(), String> {
    use cncl_domain::capacity;
    match kind {
        Kind::Training => f.training.push(TrainingFact { id: r.id(0)?, year: r.year(1)?, count: r.int(2)? }),
        Kind::Laboratory => f.laboratories.push(LaboratoryFact {
            id: r.id(0)?,
            kind: r.choice(1, capacity::LaboratoryKind::parse)?,
            open_model: r.flag(2)?,
            established_on: r.opt_date(3)?,
        }),
        Kind::Industry => f.industries.push(IndustryFact { id: r.id(0)?, formed_on: r.date(1)? }),
        _ => return Err(format!("{kind:?} is not about capacity")),
    }
    Ok(())
}

/// Add one row about product models and their markets.
fn add_market(kind: Kind, r: &impl Columns, f: &mut Facts) -> Result<(), String> {
    use cncl_domain::market;
    match kind {
        Kind::Model => f.models.push(ModelFact {
            id: r.id(0)?,
            product: r.text(1)?.to_owned(),
            selling_price_vnd: r.int(2)?,
            launched_on: r.opt_date(3)?,
        }),
        Kind::BomLine => f.bom_lines.push(BomLineFact {
            id: r.id(0)?,
            model: r.id(1)?,
            parent: r.opt_id(2)?,
            quantity: r.int(3)?,
            unit_cost_vnd: r.int(4)?,
            origin: r.choice(5, market::Origin::parse)?,
        }),
        Kind::CostLine => f.cost_lines.push(CostLineFact {
            id: r.id(0)?,
            model: r.id(1)?,
            category: r.choice(2, market::CostCategory::parse)?,
            origin: r.choice(3, market::Origin::parse)?,
            amount_vnd: r.int(4)?,
        }),
        Kind::Sales => f.sales.push(SalesFact {
            id: r.id(0)?,
            model: r.id(1)?,
            year: r.year(2)?,
            domestic_units: r.int(3)?,
            export_units: r.int(4)?,
        }),
        Kind::MarketSize => f.market_sizes.push(MarketSizeFact {
            id: r.id(0)?,
            product: r.text(1)?.to_owned(),
            year: r.year(2)?,
            domestic_vnd: r.int(3)?,
        }),
        _ => {}
    }
    Ok(())
}

fn task_fact(r: &impl Columns) -> Result<TaskFact, String> {
    let set = |i: usize| r.opt_text(i).map(|v| v.is_some());
    Ok(TaskFact {
        id: r.id(0)?,
        product: r.text(1)?.to_owned(),
        is_research: r.flag(2)?,
        dual_use: r.flag(3)?,
        assigned_on: r.opt_date(4)?,
        accepted_on: r.opt_date(5)?,
        clear: SevenClearFacts {
            lead_person: set(6)?,
            scope: set(7)?,
            responsibility: set(8)?,
            lead_organisation: false,
            starts_on: set(9)?,
            ends_on: set(10)?,
            milestones: r.flag(13)?,
            approving_body: set(11)?,
            delegated_authority: set(12)?,
            deliverables: r.flag(14)?,
            budget: false,
        },
    })
}

fn corrupt(query: &FactQuery, message: String) -> StoreError {
    StoreError::Corrupt { table: query.kind_table(), id: String::new(), message }
}

impl FactQuery {
    fn kind_table(&self) -> &'static str {
        self.sql.split(" from ").nth(1).and_then(|rest| rest.split_whitespace().next()).unwrap_or("facts")
    }
}

pub(crate) fn sqlite_error(e: rusqlite::Error) -> StoreError {
    StoreError::Reader(e.to_string())
}

pub(crate) fn open_reader(path: &PathBuf) -> Result<rusqlite::Connection, StoreError> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let connection = rusqlite::Connection::open_with_flags(path, flags).map_err(sqlite_error)?;
    connection.busy_timeout(std::time::Duration::from_secs(10)).map_err(sqlite_error)?;
    Ok(connection)
}

/// Run `queries` on `connection` inside one read transaction.
fn read_sqlite(
    connection: &mut rusqlite::Connection,
    queries: &[&FactQuery],
    day: &str,
    year: i64,
    facts: &mut Facts,
) -> Result<(), StoreError> {
    let snapshot = connection.transaction().map_err(sqlite_error)?;
    for query in queries {
        let mut statement = snapshot.prepare(query.sql).map_err(sqlite_error)?;
        let mut rows = match query.bound {
            Bound::None => statement.query([]),
            Bound::Day => statement.query([day]),
            Bound::Year => statement.query([year]),
        }
        .map_err(sqlite_error)?;
        while let Some(row) = rows.next().map_err(sqlite_error)? {
            add(query.kind, row, facts).map_err(|e| corrupt(query, e))?;
        }
    }
    Ok(())
}

fn data_version(connection: &rusqlite::Connection) -> Result<i64, StoreError> {
    connection.pragma_query_value(None, "data_version", |row| row.get(0)).map_err(sqlite_error)
}

/// Attempts at a two-connection read before falling back to one connection.
const PARALLEL_ATTEMPTS: usize = 3;

/// Read the facts from a SQLite file. The bill of materials (most of the rows at scale) is
/// read on a second connection in parallel with the rest. The two read transactions see the
/// same data when no other connection committed between the start of the first and the end
/// of both — which `data_version` (it changes exactly when another connection commits)
/// tells; otherwise the read is retried, and finally done on one connection.
fn load_sqlite(path: &PathBuf, day: &str, year: i64) -> Result<Facts, StoreError> {
    let is_bom = |q: &&FactQuery| q.kind == Kind::BomLine;
    let rest: Vec<&FactQuery> = QUERIES.iter().filter(|q| !is_bom(q)).collect();
    let mut main = open_reader(path)?;
    for _ in 0..PARALLEL_ATTEMPTS {
        let before = data_version(&main)?;
        let bom_reader = {
            let (path, day) = (path.clone(), day.to_owned());
            std::thread::spawn(move || -> Result<Facts, StoreError> {
                let queries: Vec<&FactQuery> = QUERIES.iter().filter(is_bom).collect();
                let mut facts = Facts::default();
                read_sqlite(&mut open_reader(&path)?, &queries, &day, year, &mut facts)?;
                Ok(facts)
            })
        };
        let mut facts = Facts::default();
        read_sqlite(&mut main, &rest, day, year, &mut facts)?;
        let bom_facts =
            bom_reader.join().map_err(|_| StoreError::Reader("the bill-of-materials reader panicked".into()))??;
        if data_version(&main)? == before {
            facts.bom_lines = bom_facts.bom_lines;
            return Ok(facts);
        }
        tracing::debug!("data changed during a parallel fact read; reading again");
    }
    let mut facts = Facts::default();
    let all: Vec<&FactQuery> = QUERIES.iter().collect();
    read_sqlite(&mut main, &all, day, year, &mut facts)?;
    Ok(facts)
}

impl Store {
    /// The facts as recorded on `as_of`.
    pub async fn load_facts(&self, as_of: Date) -> Result<Facts, StoreError> {
        let day = as_of.to_string();
        let year = i64::from(as_of.year());
        match &self.pool {
            Pool::Sqlite(_, path) => {
                let path = path.clone();
                tokio::task::spawn_blocking(move || load_sqlite(&path, &day, year))
                    .await
                    .map_err(|e| StoreError::Reader(e.to_string()))?
            }
            Pool::Postgres(pool) => {
                // One snapshot for every query, as on SQLite.
                let mut tx = pool.begin().await?;
                sqlx::query("set transaction isolation level repeatable read, read only").execute(&mut *tx).await?;
                let mut facts = Facts::default();
                for query in &QUERIES {
                    let statement = sqlx::query(query.sql);
                    let statement = match query.bound {
                        Bound::None => statement,
                        Bound::Day => statement.bind(day.clone()),
                        Bound::Year => statement.bind(year),
                    };
                    for row in statement.fetch_all(&mut *tx).await? {
                        add(query.kind, &row, &mut facts).map_err(|e| corrupt(query, e))?;
                    }
                }
                tx.commit().await?;
                Ok(facts)
            }
        }
    }
}

//! `load_facts(as_of)`: the facts the evaluator needs, read from the store in one
//! consistent snapshot. Facts dated after `as_of` are left out; undated facts (bills of
//! materials, costs, prices) are read whole.
//!
//! This is the store's bulk read: up to millions of rows at national scale. Each query and
//! the mapping of its columns to a fact are written once (`QUERIES`, `Columns`); on
//! PostgreSQL they run as binary `COPY`s through sqlx (`binary_copy`: sqlx's rows took a
//! third of the time), on SQLite through rusqlite on a blocking thread, because
//! sqlx's SQLite driver hands rows one at a time across threads and costs several
//! microseconds a row (see docs/decisions/0002-fact-loading.md). Both link the same SQLite.

use std::path::PathBuf;

use chrono::Datelike;
use cncl_domain::Date;
use cncl_eval::facts::Facts;

mod binary_copy;
mod rows;

use crate::backend::{Pool, Store};
use crate::error::StoreError;
use rows::{add, iso_date};

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
    AuditHead,
}

struct FactQuery {
    kind: Kind,
    sql: &'static str,
    bound: Bound,
}

/// Every fact query, written once for both backends.
const QUERIES: [FactQuery; 23] = [
    // In the same snapshot as the facts: the figures name the last write they include.
    FactQuery { kind: Kind::AuditHead, sql: "select seq from audit_head where id = 1", bound: Bound::None },
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
    // Read in the table's order and sorted afterwards (`sort_bom_lines`): through the
    // (model_id, id) index SQLite fetches each row apart, which at national scale took four
    // times a scan once the rows no longer lay in model order.
    FactQuery {
        kind: Kind::BomLine,
        sql: "select id, model_id, parent_line_id, quantity, unit_cost_vnd, origin from bom_lines",
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

/// Bill-of-materials lines by model, then id, as the roll-up wants them.
fn sort_bom_lines(facts: &mut Facts) {
    facts.bom_lines.sort_unstable_by_key(|line| (line.model, line.id));
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
                sort_bom_lines(&mut facts);
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
    sort_bom_lines(&mut facts);
    Ok(facts)
}

/// Read the facts from PostgreSQL in one snapshot. As on SQLite, the bill of materials is
/// read on a second connection in parallel with the rest; there the second transaction
/// imports the first one's snapshot (`pg_export_snapshot`), so both see exactly the same
/// data. Each query streams its rows as a binary `COPY`, decoded as they arrive
/// (`binary_copy`).
///
/// Both connections are closed afterwards rather than returned to the pool: sqlx does not
/// track a `COPY` in progress, so a connection left in one (an error or a cancelled load
/// part-way through the stream) would answer its next query with the rest of the rows.
async fn load_postgres(pool: &sqlx::PgPool, day: &str, year: i64) -> Result<Facts, StoreError> {
    use sqlx::Connection;
    let is_bom = |q: &&FactQuery| q.kind == Kind::BomLine;
    let mut main = pool.acquire().await?;
    main.close_on_drop();
    let mut tx = main.begin().await?;
    sqlx::query("set transaction isolation level repeatable read, read only").execute(&mut *tx).await?;
    let snapshot: String = sqlx::query_scalar("select pg_export_snapshot()").fetch_one(&mut *tx).await?;
    // The identifier comes from the server; it goes into SQL text (SET takes no parameters),
    // so it is checked to be what PostgreSQL writes: hexadecimal digits and dashes.
    if snapshot.is_empty() || !snapshot.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(StoreError::Reader(format!("unexpected snapshot identifier {snapshot:?}")));
    }
    let bom_reader = {
        let (pool, day) = (pool.clone(), day.to_owned());
        tokio::spawn(async move {
            let mut connection = pool.acquire().await?;
            connection.close_on_drop();
            let mut tx = connection.begin().await?;
            sqlx::query("set transaction isolation level repeatable read, read only").execute(&mut *tx).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("set transaction snapshot '{snapshot}'")))
                .execute(&mut *tx)
                .await?;
            let queries: Vec<&FactQuery> = QUERIES.iter().filter(is_bom).collect();
            let mut facts = Facts::default();
            read_postgres(&mut tx, &queries, &day, year, &mut facts).await?;
            sort_bom_lines(&mut facts);
            tx.commit().await?;
            Ok::<_, StoreError>(facts)
        })
    };
    let rest: Vec<&FactQuery> = QUERIES.iter().filter(|q| !is_bom(q)).collect();
    let mut facts = Facts::default();
    let read = read_postgres(&mut tx, &rest, day, year, &mut facts).await;
    // The exported snapshot lives as long as this transaction: it ends only once the other
    // has imported it and finished.
    let bom_facts = bom_reader.await.map_err(|e| StoreError::Reader(format!("the bill-of-materials reader: {e}")))?;
    read?;
    facts.bom_lines = bom_facts?.bom_lines;
    tx.commit().await?;
    Ok(facts)
}

/// `query` as a binary `COPY` of its rows. `COPY` takes no parameters, so the bound goes
/// into the text: the year as a number, the day only once checked to be `YYYY-MM-DD`.
fn copy_statement(query: &FactQuery, day: &str, year: i64) -> Result<String, StoreError> {
    let sql = match query.bound {
        Bound::None => query.sql.to_owned(),
        Bound::Day => {
            if iso_date(day.as_bytes()).is_none() {
                return Err(StoreError::Reader(format!("unexpected day {day:?}")));
            }
            query.sql.replace("$1", &format!("'{day}'"))
        }
        Bound::Year => query.sql.replace("$1", &year.to_string()),
    };
    Ok(format!("copy ({sql}) to stdout (format binary)"))
}

/// Run `queries` on `connection`, adding each row to `facts` as it arrives.
async fn read_postgres(
    connection: &mut sqlx::PgConnection,
    queries: &[&FactQuery],
    day: &str,
    year: i64,
    facts: &mut Facts,
) -> Result<(), StoreError> {
    use futures_util::TryStreamExt;
    for query in queries {
        let mut reader = binary_copy::BinaryCopyReader::default();
        let mut chunks = connection.copy_out_raw(&copy_statement(query, day, year)?).await?;
        while let Some(chunk) = chunks.try_next().await? {
            reader.feed(&chunk, |row| add(query.kind, row, facts)).map_err(|e| corrupt(query, e))?;
        }
        reader.finish().map_err(|e| corrupt(query, e))?;
    }
    Ok(())
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
            Pool::Postgres(pool) => load_postgres(pool, &day, year).await,
        }
    }
}

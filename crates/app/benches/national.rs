//! cncl against the database at national scale, every comparison on the same SQLite file in
//! the same run: the whole scorecard (facts loaded from the file included), the recursive-CTE
//! roll-up of the bill of materials alone (the fastest form found for SQLite), and the
//! in-memory roll-up of the same lines.
//!
//! ```sh
//! cargo run --release -p cncl -- demo --scale national --database target/national.db
//! CNCL_BENCH_DATABASE=target/national.db cargo bench -p cncl-app --bench national
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use cncl_app::{Actor, App};
use cncl_domain::Date;
use cncl_eval::bom;
use cncl_eval::criteria::BomRule;
use criterion::{Criterion, criterion_group, criterion_main};

/// The bill of materials rolled up in SQL: every line reached from its model's top-level
/// lines through domestic sub-assemblies, its imported cost × the product of the quantities
/// above it, summed per model. `cross join` keeps SQLite's planner on the parent index;
/// carrying the running imported amount avoids a second pass.
pub const RECURSIVE_CTE: &str = "
with recursive walk(id, model_id, quantity, imported, domestic) as (
  select id, model_id, quantity, case when origin = 'imported' then quantity * unit_cost_vnd else 0 end,
         origin = 'domestic'
  from bom_lines where parent_line_id is null
  union all
  select c.id, w.model_id, w.quantity * c.quantity,
         case when c.origin = 'imported' then w.quantity * c.quantity * c.unit_cost_vnd else 0 end,
         c.origin = 'domestic'
  from walk w cross join bom_lines c
  where w.domestic and c.parent_line_id = w.id
)
select model_id, sum(imported) from walk group by model_id";

fn national(c: &mut Criterion) {
    let Ok(path) = std::env::var("CNCL_BENCH_DATABASE") else {
        eprintln!("set CNCL_BENCH_DATABASE to a national-scale database (cncl demo --scale national)");
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(App::open(&path)).unwrap();
    let as_of = Date::from_ymd(2026, 11, 24).unwrap();
    let facts = runtime.block_on(app.store().load_facts(as_of)).unwrap();
    let set = runtime.block_on(app.criteria_set(None)).unwrap();
    assert!(facts.bom_lines.len() >= 1_000_000, "not a national-scale database: {} BOM lines", facts.bom_lines.len());
    let sqlite = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();

    let mut group = c.benchmark_group("national_sqlite");
    group.sample_size(10);
    group.bench_function("scorecard_including_fact_loading", |b| {
        b.to_async(&runtime).iter(|| async { black_box(app.evaluate_afresh(set.clone(), as_of, true).await.unwrap()) })
    });
    // What every request after the first sees until the next write.
    group.bench_function("scorecard_kept_between_writes", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(app.scorecard(&Actor::system("bench"), as_of, None, None).await.unwrap()) })
    });
    group.bench_function("recursive_cte_bom_roll_up", |b| {
        b.iter(|| {
            let mut statement = sqlite.prepare_cached(RECURSIVE_CTE).unwrap();
            let rows = statement.query_map([], |row| row.get::<_, i64>(1)).unwrap();
            black_box(rows.map(Result::unwrap).sum::<i64>())
        })
    });
    group.bench_function("in_memory_bom_roll_up", |b| {
        b.iter(|| bom::bill_content(black_box(&facts.models), black_box(&facts.bom_lines), BomRule::Tracing, 60))
    });
    group.bench_function("load_facts", |b| {
        b.to_async(&runtime).iter(|| async { black_box(app.store().load_facts(as_of).await.unwrap()) })
    });
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);

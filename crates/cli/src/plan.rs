//! `cncl plan`: the least-cost localisation plan of a model (which imported parts to source
//! at home, from whom, at what cost, to reach the value-added targets), or a product's
//! roadmap of every model below target.

use std::fmt::Write as _;

use clap::Args;
use cncl_app::localisation::ModelLocalisation;
use cncl_domain::Date;
use cncl_domain::market::ProductModel;
use cncl_eval::criteria::SetRef;
use cncl_eval::localisation::Share;

use crate::DatabaseArgs;
use crate::evaluate::Format;

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The model: its id, or words of its name. Omit with --product or --all.
    model: Option<String>,
    /// Every model of this product below target (its code), instead of one model.
    #[arg(long, value_name = "CODE", conflicts_with = "model")]
    product: Option<String>,
    /// Every model of every product below target.
    #[arg(long, conflicts_with_all = ["model", "product"])]
    all: bool,
    /// The date whose offers and figures count (YYYY-MM-DD or dd/mm/yyyy); today in Vietnam when omitted.
    #[arg(long, value_name = "DATE")]
    as_of: Option<Date>,
    /// The C1a target to reach, per cent (default: the criteria set's next one, 60 %).
    #[arg(long, value_name = "PERCENT", conflicts_with_all = ["product", "all"])]
    target: Option<i64>,
    /// Plan under this loaded criteria set (ID@VERSION) instead of the programme's.
    #[arg(long, value_name = "ID@VERSION")]
    criteria: Option<SetRef>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub async fn run(args: PlanArgs) -> anyhow::Result<()> {
    let app = args.database.open().await?;
    let actor = crate::cli_actor();
    let as_of = args.as_of.unwrap_or_else(|| app.today());
    let criteria = args.criteria.as_ref();
    match (&args.model, &args.product, args.all) {
        (Some(model), _, _) => {
            let id = match uuid::Uuid::parse_str(model) {
                Ok(id) => id,
                Err(_) => {
                    let found = app.find::<ProductModel>(&actor, model, 2).await?;
                    match found.as_slice() {
                        [(id, _)] => *id,
                        [] => anyhow::bail!("no product model is named like {model:?}"),
                        _ => anyhow::bail!("several product models are named like {model:?}: give its id"),
                    }
                }
            };
            let plan = app.localisation_plan(&actor, id.into(), as_of, args.target, criteria).await?;
            match args.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&plan)?),
                Format::Table => print!("{}", plan_text(&plan)),
            }
        }
        (None, product, all) if product.is_some() || all => {
            let roadmap = app.localisation_roadmap(&actor, product.as_deref(), as_of, criteria).await?;
            match args.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&roadmap)?),
                Format::Table => {
                    println!(
                        "{} models below C1a {} % or C1b {} % on {as_of} (criteria {}): {} can reach the targets, {} cannot; {} supporting enterprises brought in",
                        roadmap.models.len(),
                        roadmap.targets.c1a_percent,
                        roadmap.targets.c1b_percent,
                        roadmap.criteria_set,
                        roadmap.reaching,
                        roadmap.not_reaching,
                        roadmap.suppliers.len()
                    );
                    for plan in &roadmap.models {
                        print!("\n{}", plan_text(plan));
                    }
                }
            }
        }
        _ => anyhow::bail!("name a model, or give --product CODE or --all"),
    }
    app.close().await;
    Ok(())
}

fn percent(share: &Share) -> String {
    share.percent.map_or_else(|| "no data".to_owned(), |p| format!("{p:.1} %"))
}

/// Whether the plan reaches the targets, and with what.
fn verdict(p: &cncl_eval::localisation::LocalisationPlan) -> String {
    match (p.meets_targets_now, p.reachable) {
        (true, _) => "meets both targets already".to_owned(),
        (false, true) => format!(
            "reachable: {} substitutions, {:+} đồng per unit → C1a {}, C1b {}",
            p.substitutions.len(),
            p.added_cost_vnd,
            percent(&p.planned_c1a),
            percent(&p.planned_c1b)
        ),
        (false, false) => format!(
            "NOT reachable with the offers standing: at best C1a {} ({} points short), C1b {} ({} points short)",
            percent(&p.best_c1a),
            p.c1a_gap_points,
            percent(&p.best_c1b),
            p.c1b_gap_points
        ),
    }
}

fn plan_text(m: &ModelLocalisation) -> String {
    let p = &m.plan;
    let mut out = format!(
        "{} ({}, {}) — C1a {} (target {} %), C1b {} (target {} %), criteria {}, rule {:?}\n",
        m.model_name,
        m.product,
        m.model,
        percent(&p.current_c1a),
        p.targets.c1a_percent,
        percent(&p.current_c1b),
        p.targets.c1b_percent,
        m.criteria_set,
        p.bom_rule
    );
    let verdict = verdict(p);
    let _ = writeln!(out, "  {verdict}");
    for s in &p.substitutions {
        let component = m.components.get(&s.line).map_or("?", String::as_str);
        let supplier = m.suppliers.get(&s.supplier).map_or("?", String::as_str);
        let _ = writeln!(
            out,
            "  - {component} ×{}: {} → {} đồng from {supplier} (removes {} imported, {:+} per unit; delivery {}, TRL {})",
            s.units_per_model,
            s.current_unit_cost_vnd,
            s.offered_unit_cost_vnd,
            s.imported_removed_vnd,
            s.added_cost_vnd,
            s.delivery_on,
            s.trl
        );
    }
    for u in &p.uncovered_lines {
        let component = m.components.get(&u.line).map_or("?", String::as_str);
        let _ = writeln!(out, "  ! no offer for {component} ({} imported per unit)", u.imported_content_vnd);
    }
    if let Some(effect) = &p.product_effect {
        let _ = writeln!(
            out,
            "  product {}: C1a {} → {}, C1b {} → {}",
            m.product,
            percent(&effect.c1a_before),
            percent(&effect.c1a_after),
            percent(&effect.c1b_before),
            percent(&effect.c1b_after)
        );
    }
    out
}

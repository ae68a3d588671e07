//! A model's waterfall from selling price to domestic value added, as SVG geometry: the
//! price, less the imported content of each top-level branch of its bill (the largest
//! first) and each imported cost line besides the bill, leaves the domestic value added,
//! C1a's numerator. Drawn by the template.

use cncl_app::product_dossier::ModelBill;
use cncl_domain::Lang;

use crate::i18n::{ProductsUi, format_percent, format_vnd};

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 220.0;
const ROW: f64 = 26.0;
const BAR: f64 = 18.0;
/// Branches drawn one by one; the rest are summed in one bar.
const BRANCHES_DRAWN: usize = 6;

pub struct Bar {
    pub label: String,
    pub amount: String,
    pub x: String,
    pub y: String,
    pub width: String,
    pub text_y: String,
    pub class: &'static str,
}

pub struct Waterfall {
    pub width: u32,
    pub height: u32,
    pub bar_height: u32,
    pub bars: Vec<Bar>,
    pub price: String,
    pub imported: String,
    pub value_added: String,
    pub share: String,
}

pub fn waterfall(bill: &ModelBill, words: &ProductsUi, lang: Lang) -> Waterfall {
    let price = i128::from(bill.model.record.selling_price_vnd.get());
    let value_added = bill.domestic_value_added_vnd();
    let mut branches: Vec<(String, i128)> = bill
        .branches
        .iter()
        .filter(|b| b.depth == 0 && b.imported_vnd > 0)
        .map(|b| (b.line.record.component.to_string(), b.imported_vnd))
        .collect();
    branches.extend(bill.imported_costs.iter().map(|c| {
        let what =
            c.record.description.as_ref().map_or_else(|| c.record.category.label(lang).to_owned(), ToString::to_string);
        (what, i128::from(c.record.amount_vnd.get()))
    }));
    branches.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if branches.len() > BRANCHES_DRAWN {
        let rest: i128 = branches[BRANCHES_DRAWN..].iter().map(|b| b.1).sum();
        branches.truncate(BRANCHES_DRAWN);
        branches.push((words.other_branches.to_owned(), rest));
    }
    let scale = (WIDTH - LABEL_WIDTH) / price.max(1) as f64;
    let mut bars = Vec::with_capacity(branches.len() + 2);
    let mut push = |label: String, from: i128, to: i128, shown: i128, class: &'static str| {
        let row = bars.len() as f64;
        let (from, to) = (from.clamp(0, price), to.clamp(0, price));
        bars.push(Bar {
            label,
            amount: format_vnd(shown, lang),
            x: format!("{:.1}", LABEL_WIDTH + from as f64 * scale),
            y: format!("{:.1}", row * ROW + (ROW - BAR) / 2.0),
            width: format!("{:.1}", ((to - from) as f64 * scale).max(1.0)),
            text_y: format!("{:.1}", row * ROW + ROW / 2.0 + 4.0),
            class,
        });
    };
    push(words.price.to_owned(), 0, price, price, "price");
    let mut remaining = price;
    for (label, imported) in branches {
        push(format!("− {label}"), remaining - imported, remaining, imported, "imported");
        remaining -= imported;
    }
    push(format!("= {}", words.value_added), 0, value_added, value_added, "value-added");
    let share = if price > 0 { value_added as f64 * 100.0 / price as f64 } else { 0.0 };
    Waterfall {
        width: WIDTH as u32,
        height: (bars.len() as f64 * ROW) as u32,
        bar_height: BAR as u32,
        bars,
        price: format_vnd(price, lang),
        imported: format_vnd(bill.imported_inputs_vnd(), lang),
        value_added: format_vnd(value_added, lang),
        share: format_percent(share, lang),
    }
}

//! A reporting workbook of new product models and their two-level bills of materials, as an
//! enterprise would fill one in, for the import benchmark (`scripts/bench-exchange`):
//!
//!     cargo run --release -p cncl-exchange --example bom_workbook -- OUT.xlsx TAX_CODE MODELS LINES_PER_MODEL
//!
//! Each model has assemblies of ten lines: the assembly, then nine parts that name it as
//! their parent by its component path. References are keys (the maker's tax code, the model's
//! name), never ids.

use cncl_exchange::{CellOut, Column, ColumnKind, SheetOut, write_xlsx};

fn columns(keys: &[&str]) -> Vec<Column> {
    keys.iter().map(|k| Column { header: (*k).to_owned(), key: (*k).to_owned(), kind: ColumnKind::Text }).collect()
}

fn text(value: impl Into<String>) -> CellOut {
    CellOut::Text(value.into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, tax_code, models, lines] = args.as_slice() else {
        return Err("usage: bom_workbook OUT.xlsx TAX_CODE MODELS LINES_PER_MODEL".into());
    };
    let (models, lines): (usize, usize) = (models.parse()?, lines.parse()?);
    let name = |m: usize| format!("Mẫu nhập thử {m}");
    let model_rows = (0..models).map(|m| {
        vec![text("uav"), text(tax_code.as_str()), text(name(m)), CellOut::Number(90_000_000.0), text("01/03/2026")]
    });
    let bom_rows = (0..models).flat_map(move |m| {
        (0..lines).map(move |l| {
            let (assembly, part) = (l / 10, l % 10);
            let (parent, component, origin) = if part == 0 {
                (CellOut::Empty, format!("Cụm {assembly}"), "Trong nước")
            } else {
                (text(format!("Cụm {assembly}")), format!("Linh kiện {assembly}.{part}"), "Nhập khẩu")
            };
            vec![
                text(name(m)),
                parent,
                text(component),
                CellOut::Number(if part == 0 { 1.0 } else { 2.0 }),
                CellOut::Number(if part == 0 { 100_000.0 } else { 45_000.0 }),
                text(origin),
            ]
        })
    });
    let bytes = write_xlsx(vec![
        SheetOut {
            name: "product-models".into(),
            columns: columns(&["product_code", "maker_id", "name", "selling_price_vnd", "launched_on"]),
            rows: Box::new(model_rows),
        },
        SheetOut {
            name: "bom-lines".into(),
            columns: columns(&["model_id", "parent_line_id", "component", "quantity", "unit_cost_vnd", "origin"]),
            rows: Box::new(bom_rows),
        },
    ])?;
    std::fs::write(out, bytes)?;
    Ok(())
}

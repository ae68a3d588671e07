//! A product's trend chart: the quarterly history of its first percentage criteria as lines
//! on a 0–100 % grid, drawn as SVG without text (the template writes the axis and the
//! legend in the report's font, so that no font is needed inside the picture).

use cncl_domain::Lang;
use cncl_domain::format::format_date;
use cncl_eval::CriteriaSet;
use cncl_eval::criteria::Unit;
use cncl_eval::scorecard::ProductScorecard;
use serde_json::{Value, json};

/// Lines drawn at most: more cannot be told apart on a page.
const LINES: usize = 4;
/// Colours a monochrome printer still tells apart by lightness, and a reader by hue.
const COLOURS: [&str; LINES] = ["#1f4e79", "#c55a11", "#548235", "#7f6000"];
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 100.0;

fn point(index: usize, count: usize, percent: f64) -> String {
    let x = if count > 1 { WIDTH * index as f64 / (count - 1) as f64 } else { WIDTH / 2.0 };
    let y = HEIGHT * (1.0 - (percent / 100.0).clamp(0.0, 1.0));
    format!("{x:.1},{y:.1}")
}

/// The chart of `card` as the template reads it: the SVG, its legend, and the first and last
/// quarter; `null` when there is no history to draw.
pub(crate) fn trend(card: &ProductScorecard, set: &CriteriaSet, lang: Lang) -> Value {
    let charted: Vec<_> = card
        .results
        .iter()
        .filter(|r| r.unit == Unit::Percent && r.history.iter().any(|p| p.value.is_some()))
        .take(LINES)
        .collect();
    let (Some(first), Some(last)) =
        (charted.first().and_then(|r| r.history.first()), charted.first().and_then(|r| r.history.last()))
    else {
        return Value::Null;
    };
    let mut svg =
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-2 -2 {} {}\">", WIDTH + 4.0, HEIGHT + 4.0);
    for quarter in 0..=4 {
        let y = HEIGHT * f64::from(quarter) / 4.0;
        svg.push_str(&format!(
            "<line x1=\"0\" y1=\"{y:.1}\" x2=\"{WIDTH}\" y2=\"{y:.1}\" stroke=\"#bfbfbf\" stroke-width=\"0.4\"/>"
        ));
    }
    let mut legend = Vec::new();
    for (result, colour) in charted.iter().zip(COLOURS) {
        let count = result.history.len();
        // A quarter without data breaks the line rather than joining across it.
        let mut runs: Vec<Vec<String>> = vec![Vec::new()];
        for (i, history) in result.history.iter().enumerate() {
            match history.value {
                Some(value) => runs.last_mut().map_or((), |run| run.push(point(i, count, value * 100.0))),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| !r.is_empty()) {
            svg.push_str(&format!(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.6\"/>",
                run.join(" ")
            ));
            for at in run {
                let (x, y) = at.split_once(',').unwrap_or(("0", "0"));
                svg.push_str(&format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"1.8\" fill=\"{colour}\"/>"));
            }
        }
        let name = set
            .criteria
            .iter()
            .find(|c| c.id == result.criterion)
            .map_or(result.criterion.as_str(), |c| lang.pick(&c.name_vi, &c.name_en));
        legend.push(json!({ "colour": colour, "label": format!("{}. {name}", result.criterion) }));
    }
    svg.push_str("</svg>");
    json!({
        "svg": svg,
        "legend": legend,
        "from": format_date(first.date, lang),
        "to": format_date(last.date, lang),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_span_the_width_and_percentages_the_height() {
        assert_eq!(point(0, 5, 100.0), "0.0,0.0");
        assert_eq!(point(4, 5, 0.0), "400.0,100.0");
        assert_eq!(point(2, 5, 50.0), "200.0,50.0");
        assert_eq!(point(0, 1, 150.0), "200.0,0.0", "one point is centred; above 100 % is clamped");
    }
}

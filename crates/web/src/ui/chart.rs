//! A figure's trend as SVG geometry: its quarterly history, the target line and the
//! projection. Computed here, drawn by the template (no HTML is built in Rust).

use chrono::NaiveDate;
use cncl_domain::Lang;
use cncl_eval::criteria::Unit;
use cncl_eval::scorecard::CriterionResult;

use crate::i18n::{format_count, format_date};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 32.0;

pub struct Dot {
    pub x: String,
    pub y: String,
    pub title: String,
}

pub struct Tick {
    pub position: String,
    pub label: String,
}

pub struct Chart {
    pub width: u32,
    pub height: u32,
    /// The SVG `points` of the history line.
    pub line: String,
    pub dots: Vec<Dot>,
    pub target: Option<Tick>,
    pub projection: Option<Dot>,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub plot_left: String,
    pub plot_right: String,
    pub plot_bottom: String,
}

fn coordinate(v: f64) -> String {
    format!("{v:.1}")
}

/// Values as drawn: per cent for a percentage, the count otherwise.
fn scaled(unit: Unit, value: f64) -> f64 {
    match unit {
        Unit::Percent => value * 100.0,
        Unit::Count => value,
    }
}

fn label(unit: Unit, value: f64, lang: Lang) -> String {
    match unit {
        Unit::Percent => cncl_domain::format::format_percent(value, lang),
        Unit::Count => format_count(value.round() as i64, lang),
    }
}

/// The top of an axis of four equal steps above `top`, each step a round number (1, 2, 2.5
/// or 5 times a power of ten), so that every tick reads plainly.
fn round_axis_top(top: f64) -> f64 {
    let raw_step = (top / 4.0).max(f64::MIN_POSITIVE);
    let power = 10_f64.powf(raw_step.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= raw_step).unwrap_or(10.0 * power);
    step * 4.0
}

/// A figure's quarterly history drawn small, beside it in a table.
pub struct Sparkline {
    pub width: u32,
    pub height: u32,
    pub line: String,
    /// The latest point, marked.
    pub last: Option<(String, String)>,
    /// The first and last dated values, for the line's accessible name.
    pub summary: String,
}

const SPARK_WIDTH: f64 = 96.0;
const SPARK_HEIGHT: f64 = 24.0;

pub fn sparkline(result: &CriterionResult, lang: Lang) -> Sparkline {
    let unit = result.unit;
    let points: Vec<(NaiveDate, f64)> =
        result.history.iter().filter_map(|p| p.value.map(|v| (p.date, scaled(unit, v)))).collect();
    // From nothing to a round top, as the trend chart: a small change looks small.
    let top = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let y_max = match unit {
        Unit::Percent if top <= 100.0 => 100.0,
        _ => round_axis_top(top.max(4.0)),
    };
    let step = SPARK_WIDTH / (points.len().max(2) - 1) as f64;
    let at = |i: usize, v: f64| {
        let y = 2.0 + (SPARK_HEIGHT - 4.0) * (1.0 - (v / y_max).clamp(0.0, 1.0));
        (coordinate(step * i as f64), coordinate(y))
    };
    let line = points
        .iter()
        .enumerate()
        .map(|(i, p)| at(i, p.1))
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    let described = |p: &(NaiveDate, f64)| format!("{}: {}", format_date(p.0, lang), label(unit, p.1, lang));
    Sparkline {
        width: SPARK_WIDTH as u32,
        height: SPARK_HEIGHT as u32,
        line,
        last: points.last().map(|p| at(points.len() - 1, p.1)),
        summary: match (points.first(), points.last()) {
            (Some(first), Some(last)) => format!("{} → {}", described(first), described(last)),
            _ => String::new(),
        },
    }
}

/// Where the trend is heading by the target's date, as an arrow with its projected value:
/// "↗ 72,4 %".
pub fn projection_arrow(result: &CriterionResult, lang: Lang) -> Option<String> {
    // A straight line can run below nothing or past the whole; a share cannot.
    let ceiling = match result.unit {
        Unit::Percent => 1.0,
        Unit::Count => f64::MAX,
    };
    let (now, projected) = (result.value?, result.projected?.clamp(0.0, ceiling));
    let arrow = if projected > now + 1e-9 {
        '↗'
    } else if projected < now - 1e-9 {
        '↘'
    } else {
        '→'
    };
    Some(format!("{arrow} {}", label(result.unit, scaled(result.unit, projected), lang)))
}

pub fn trend(result: &CriterionResult, lang: Lang) -> Chart {
    let unit = result.unit;
    let points: Vec<(NaiveDate, f64)> =
        result.history.iter().filter_map(|p| p.value.map(|v| (p.date, scaled(unit, v)))).collect();
    let first = result.history.first().map_or(NaiveDate::MIN, |p| p.date);
    let last = result.history.last().map_or(first, |p| p.date).max(result.target.as_ref().map_or(first, |t| t.by));
    let target = result.target.as_ref().map(|t| t.low as f64);
    let projected = result.projected.map(|v| scaled(unit, v));
    let top_value = points.iter().map(|p| p.1).chain(target).chain(projected).fold(0.0_f64, f64::max);
    let y_max = match unit {
        Unit::Percent if top_value <= 100.0 => 100.0,
        Unit::Percent => round_axis_top(top_value.min(200.0)),
        Unit::Count => round_axis_top(top_value.max(4.0)),
    };
    let span_days = (last - first).num_days().max(1) as f64;
    let x = |d: NaiveDate| LEFT + (WIDTH - LEFT - RIGHT) * ((d - first).num_days() as f64 / span_days);
    let y = |v: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - (v / y_max).clamp(0.0, 1.0));
    let line = points
        .iter()
        .map(|(d, v)| format!("{},{}", coordinate(x(*d)), coordinate(y(*v))))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = points
        .iter()
        .map(|(d, v)| Dot {
            x: coordinate(x(*d)),
            y: coordinate(y(*v)),
            title: format!("{}: {}", format_date(*d, lang), label(unit, *v, lang)),
        })
        .collect();
    let y_ticks = (0..=4)
        .map(|i| {
            let v = y_max * f64::from(i) / 4.0;
            Tick { position: coordinate(y(v)), label: label(unit, v, lang) }
        })
        .collect();
    let x_ticks =
        [first, last].iter().map(|d| Tick { position: coordinate(x(*d)), label: format_date(*d, lang) }).collect();
    Chart {
        width: WIDTH as u32,
        height: HEIGHT as u32,
        line,
        dots,
        target: target.map(|t| Tick { position: coordinate(y(t)), label: label(unit, t, lang) }),
        projection: match (projected, result.target.as_ref()) {
            (Some(p), Some(t)) => {
                Some(Dot { x: coordinate(x(t.by)), y: coordinate(y(p)), title: label(unit, p, lang) })
            }
            _ => None,
        },
        y_ticks,
        x_ticks,
        plot_left: coordinate(LEFT),
        plot_right: coordinate(WIDTH - RIGHT),
        plot_bottom: coordinate(HEIGHT - BOTTOM),
    }
}

#[cfg(test)]
mod tests {
    use super::round_axis_top;

    #[test]
    fn axes_end_on_round_ticks() {
        for (top, axis) in [
            (36.0, 40.0),
            (10_000.0, 10_000.0),
            (11_000.0, 20_000.0),
            (7.0, 8.0),
            (4.0, 4.0),
            (130.0, 200.0),
            (93.0, 100.0),
        ] {
            assert_eq!(round_axis_top(top), axis, "{top}");
        }
    }
}

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
        Unit::Percent => format!("{value:.1} %"),
        Unit::Count => format_count(value.round() as i64, lang),
    }
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
        Unit::Percent => 100.0_f64.max(top_value.min(200.0)),
        Unit::Count => (top_value * 1.1).max(1.0),
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

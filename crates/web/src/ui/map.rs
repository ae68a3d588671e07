//! The dashboard's map: Vietnam's 34 provinces drawn as SVG, each shaded by the
//! organisations taking part in the programme there, titled with them and the funding of the
//! tasks they lead; the table beside it says the same for those who do not see the map.
//! The outlines come simplified from `data/reference/provinces.geo.json` (`scripts/provinces`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use cncl_app::provinces::ProvinceFigures;
use cncl_domain::Lang;
use serde::Deserialize;

use crate::i18n::{format_count, format_vnd_short};

const GEOMETRY: &str = include_str!("../../../../data/reference/provinces.geo.json");

#[derive(Deserialize)]
struct Geometry {
    attribution: String,
    attribution_en: String,
    view_box: String,
    labels: Vec<Label>,
    provinces: Vec<Outline>,
}

#[derive(Deserialize)]
struct Label {
    vi: String,
    en: String,
    x: f64,
    y: f64,
}

#[derive(Deserialize)]
struct Outline {
    code: String,
    path: String,
}

static SHAPES: LazyLock<Option<Geometry>> = LazyLock::new(|| serde_json::from_str(GEOMETRY).ok());

pub struct Shape {
    pub path: &'static str,
    /// The shade: `none`, then `b1`…`b4` as more organisations take part.
    pub class: &'static str,
    pub title: String,
}

pub struct Row {
    pub province: String,
    pub organisations: String,
    pub funding: String,
}

pub struct Map {
    pub view_box: &'static str,
    pub shapes: Vec<Shape>,
    pub labels: Vec<(String, String, String)>,
    pub attribution: &'static str,
    /// The provinces taking part, the most funded first.
    pub rows: Vec<Row>,
}

/// The shade for `n` organisations.
fn shade(n: usize) -> &'static str {
    match n {
        0 => "none",
        1..=2 => "b1",
        3..=5 => "b2",
        6..=10 => "b3",
        _ => "b4",
    }
}

pub fn map(figures: &BTreeMap<String, ProvinceFigures>, today: chrono::NaiveDate, lang: Lang) -> Option<Map> {
    let geometry = SHAPES.as_ref()?;
    let provinces = cncl_domain::provinces::in_effect(today);
    let name =
        |code: &str| provinces.iter().find(|p| p.code == code).map_or(code.to_owned(), |p| p.name(lang).to_owned());
    let words = |n: usize, funding: i128| {
        format!(
            "{} {} · {}",
            format_count(i64::try_from(n).unwrap_or(i64::MAX), lang),
            lang.pick("tổ chức", "organisations"),
            format_vnd_short(funding, lang)
        )
    };
    let empty = ProvinceFigures::default();
    let shapes = geometry
        .provinces
        .iter()
        .map(|o| {
            let f = figures.get(&o.code).unwrap_or(&empty);
            Shape {
                path: &o.path,
                class: shade(f.organisations),
                title: format!("{}: {}", name(&o.code), words(f.organisations, f.funding_vnd)),
            }
        })
        .collect();
    let mut taking_part: Vec<(&String, &ProvinceFigures)> =
        figures.iter().filter(|(_, f)| f.organisations > 0).collect();
    taking_part.sort_by(|a, b| b.1.funding_vnd.cmp(&a.1.funding_vnd).then(b.1.organisations.cmp(&a.1.organisations)));
    Some(Map {
        view_box: &geometry.view_box,
        shapes,
        labels: geometry
            .labels
            .iter()
            .map(|l| (format!("{:.1}", l.x), format!("{:.1}", l.y), lang.pick(&l.vi, &l.en).to_owned()))
            .collect(),
        attribution: lang.pick(&geometry.attribution, &geometry.attribution_en),
        rows: taking_part
            .into_iter()
            .map(|(code, f)| Row {
                province: name(code),
                organisations: format_count(i64::try_from(f.organisations).unwrap_or(i64::MAX), lang),
                funding: format_vnd_short(f.funding_vnd, lang),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_outlines_are_the_34_provinces() {
        let geometry = super::SHAPES.as_ref().map(|g| g.provinces.len());
        assert_eq!(geometry, Some(34));
        assert!(super::GEOMETRY.len() < 64 * 1024, "tens of kilobytes");
    }
}

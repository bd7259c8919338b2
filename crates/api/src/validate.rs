//! The validation suite: published figures (transit times of named
//! services, distances, border dwell, costs per container) that the engine
//! is run against, and the share it gets inside their published ranges.
//!
//! Data flow: a TOML file of `[[figure]]` records (the shipped suite is
//! `data/validation/figures.toml`, documented in its README) → [`parse`]
//! checks every record (file and line in every error) → [`Service::validate`]
//! asks one route question per figure, in parallel, and reads the figure's
//! measure off the answer → a [`Report`] with one [`Outcome`] per figure
//! and the share inside, by category and in all.
//!
//! A figure is inside when the engine's value lies in the published
//! `min..max` widened by [`tolerance`]: 5 % for distances (network
//! geometry against published line lengths), 10 % for days, dollars and
//! hours (published figures are rounded, and schedules vary by departure).
//! A figure the engine cannot answer (no route, unknown place) counts as
//! outside, with the reason.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use silkroute_model::Progress;
use silkroute_route::Objective;

use crate::error::{Error, Result};
use crate::service::{RouteRequest, Service, Want};
use crate::shipment::Shipment;
use crate::{Constraints, parse as words};

/// The shipped suite.
pub const DEFAULT_FIGURES: &str = include_str!("../../../data/validation/figures.toml");

/// The categories a figure may have, in the order reports list them.
pub const CATEGORIES: [&str; 9] = [
    "rail-transit",
    "sea-transit",
    "multimodal-transit",
    "road-transit",
    "rail-distance",
    "sea-distance",
    "road-distance",
    "border-dwell",
    "cost",
];

/// What a figure measures.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The route's total transit time, days.
    Days,
    /// The route's length along the network, km: published line and sea
    /// distances run between terminals and ports, so the drayage legs at
    /// either end are not part of it ([`silkroute_route::Route::network_m`]).
    Km,
    /// The route's cost for the shipment (one FEU), USD.
    Usd,
    /// The priced dwell at one curated border crossing of the route, hours.
    DwellH,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Days => "days",
            Measure::Km => "km",
            Measure::Usd => "usd",
            Measure::DwellH => "dwell_h",
        }
    }

    /// The objective a figure of this measure is routed with, unless it
    /// names one.
    fn default_objective(self) -> Objective {
        match self {
            Measure::Km => Objective::Distance,
            Measure::Usd => Objective::Cost,
            Measure::Days | Measure::DwellH => Objective::Time,
        }
    }
}

/// How far outside the published range a value may lie and still count as
/// inside, as a share of the bound.
pub fn tolerance(measure: Measure) -> f64 {
    match measure {
        Measure::Km => 0.05,
        _ => 0.10,
    }
}

/// One published figure.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    pub category: String,
    pub what: String,
    pub from: String,
    pub to: String,
    pub modes: String,
    #[serde(default)]
    pub via: Option<String>,
    /// Passages, countries or places the published service avoids (as
    /// `--avoid`), e.g. `suez` for a Cape routing.
    #[serde(default)]
    pub avoid: Option<String>,
    #[serde(default)]
    pub optimize: Option<String>,
    pub measure: Measure,
    /// With `measure = "dwell_h"`: the curated crossing's id or name.
    #[serde(default)]
    pub crossing: Option<String>,
    pub min: f64,
    pub max: f64,
    pub source: String,
    pub quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FiguresFile {
    figure: Vec<Figure>,
}

/// The line (1-based) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Reads and checks a suite: known categories and measures, unique ids,
/// finite `0 ≤ min ≤ max`, a crossing exactly with `dwell_h`, modes and
/// objectives the engine knows. Errors name `name` and the line.
pub fn parse(name: &str, text: &str) -> Result<Vec<Figure>> {
    let file: FiguresFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        Error::invalid_value(format!("{name}, line {line}: {}", e.message()))
    })?;
    // Each record's line: the n-th `[[figure]]` header.
    let starts: Vec<usize> = text
        .match_indices("[[figure]]")
        .map(|(i, _)| line_of(text, i))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for (i, f) in file.figure.iter().enumerate() {
        let line = starts.get(i).copied().unwrap_or(0);
        let bad = |what: String| {
            Error::invalid_value(format!("{name}, line {line} (figure {:?}): {what}", f.id))
        };
        if f.id.trim().is_empty() {
            return Err(bad("id is empty".into()));
        }
        if !seen.insert(f.id.as_str()) {
            return Err(bad("the id appears twice".into()));
        }
        if !CATEGORIES.contains(&f.category.as_str()) {
            return Err(bad(format!(
                "unknown category {:?} (choose from {})",
                f.category,
                CATEGORIES.join(", ")
            )));
        }
        if !(f.min.is_finite() && f.max.is_finite() && 0.0 <= f.min && f.min <= f.max) {
            return Err(bad(format!(
                "min {} and max {} must be finite with 0 ≤ min ≤ max",
                f.min, f.max
            )));
        }
        match (f.measure, &f.crossing) {
            (Measure::DwellH, None) => {
                return Err(bad("measure \"dwell_h\" needs `crossing`".into()));
            }
            (m, Some(_)) if m != Measure::DwellH => {
                return Err(bad("`crossing` goes only with measure \"dwell_h\"".into()));
            }
            _ => {}
        }
        words::modes(&f.modes).map_err(|e| bad(e.message))?;
        if let Some(o) = &f.optimize {
            words::objective(o).map_err(|e| bad(e.message))?;
        }
        if f.source.trim().is_empty() || f.quote.trim().is_empty() {
            return Err(bad("every figure needs a source and a quote".into()));
        }
    }
    Ok(file.figure)
}

/// The engine against one figure.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub id: String,
    pub category: String,
    pub what: String,
    pub measure: Measure,
    pub min: f64,
    pub max: f64,
    /// The engine's value, in the figure's measure; `None` when it could
    /// not answer.
    pub value: Option<f64>,
    pub inside: bool,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Inside and total per category.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryShare {
    pub category: String,
    pub inside: usize,
    pub total: usize,
}

/// A suite's run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    pub by_category: Vec<CategoryShare>,
    pub inside: usize,
    pub total: usize,
    /// `inside / total` (0 for an empty suite).
    pub share: f64,
}

impl Report {
    fn of(outcomes: Vec<Outcome>) -> Report {
        let by_category = CATEGORIES
            .iter()
            .filter_map(|c| {
                let of: Vec<&Outcome> = outcomes.iter().filter(|o| o.category == *c).collect();
                (!of.is_empty()).then(|| CategoryShare {
                    category: c.to_string(),
                    inside: of.iter().filter(|o| o.inside).count(),
                    total: of.len(),
                })
            })
            .collect();
        let inside = outcomes.iter().filter(|o| o.inside).count();
        let total = outcomes.len();
        Report {
            outcomes,
            by_category,
            inside,
            total,
            share: if total == 0 {
                0.0
            } else {
                inside as f64 / total as f64
            },
        }
    }

    pub fn json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["code"] = "Ok".into();
        v
    }
}

/// Whether `value` lies inside the figure's range widened by its tolerance.
pub fn inside(f: &Figure, value: f64) -> bool {
    let t = tolerance(f.measure);
    value >= f.min * (1.0 - t) && value <= f.max * (1.0 + t)
}

impl Service {
    /// Runs the engine on every figure (one best-route question each, in
    /// parallel; the shipment is one FEU at the network's cost model).
    pub fn validate(&self, figures: &[Figure], progress: &(dyn Progress + Sync)) -> Report {
        progress.stage("validating", figures.len() as u64);
        let outcomes = figures
            .par_iter()
            .map(|f| {
                let value = if progress.cancelled() {
                    Err(Error::cancelled())
                } else {
                    self.measure(f)
                };
                progress.advance(1);
                let (value, error) = match value {
                    Ok(v) => (Some(v), None),
                    Err(e) => (None, Some(e.message)),
                };
                Outcome {
                    id: f.id.clone(),
                    category: f.category.clone(),
                    what: f.what.clone(),
                    measure: f.measure,
                    min: f.min,
                    max: f.max,
                    value,
                    inside: value.is_some_and(|v| inside(f, v)),
                    error,
                }
            })
            .collect();
        Report::of(outcomes)
    }

    /// The engine's value for one figure.
    fn measure(&self, f: &Figure) -> Result<f64> {
        let objective = match &f.optimize {
            Some(o) => words::objective(o)?,
            None => f.measure.default_objective(),
        };
        let mut constraints = Constraints::modes(words::modes(&f.modes)?);
        constraints.via.extend(f.via.iter().cloned());
        constraints.avoid.extend(f.avoid.iter().cloned());
        let answer = self.route(&RouteRequest {
            from: f.from.clone(),
            to: f.to.clone(),
            constraints,
            objective,
            shipment: Shipment::default(),
            corridor: None,
            want: Want::Best,
            max_join_km: None,
        })?;
        let route = &answer.routes[0];
        let (totals, _) = crate::json::route_totals(route);
        Ok(match f.measure {
            Measure::Days => totals.duration_h / 24.0,
            Measure::Km => crate::json::round(route.network_m() / 1000.0, 3),
            Measure::Usd => totals.cost_usd,
            Measure::DwellH => {
                let want = f.crossing.as_deref().unwrap_or_default().to_lowercase();
                let b = route
                    .border_crossings
                    .iter()
                    .find(|b| {
                        b.curated.as_ref().is_some_and(|c| {
                            c.id.to_lowercase() == want || c.name.to_lowercase().contains(&want)
                        })
                    })
                    .ok_or_else(|| {
                        Error::no_route(format!(
                            "the route does not cross {:?} (its curated crossings: {})",
                            f.crossing.as_deref().unwrap_or_default(),
                            route
                                .border_crossings
                                .iter()
                                .filter_map(|b| b.curated.as_ref().map(|c| c.id.as_str()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?;
                b.dwell_h
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
[[figure]]
id = "a"
category = "rail-distance"
what = "x"
from = "Chongqing"
to = "Duisburg"
modes = "rail"
measure = "km"
min = 10000
max = 11000
source = "s"
quote = "q"
"#;

    #[test]
    fn the_shipped_suite_parses_and_is_as_large_as_its_gate() {
        let f = parse("data/validation/figures.toml", DEFAULT_FIGURES).unwrap();
        let gate: toml::Value =
            toml::from_str(include_str!("../../../data/validation/gate.toml")).unwrap();
        assert!(f.len() as i64 >= gate["figures"].as_integer().unwrap());
    }

    #[test]
    fn errors_name_the_file_and_the_line() {
        let e = parse("mine.toml", &ONE.replace("rail-distance", "rail-dist")).unwrap_err();
        assert!(e.message.contains("mine.toml, line 2"), "{}", e.message);
        let e = parse(
            "mine.toml",
            &ONE.replace("min = 10000", "min = 10000\nmnax = 1"),
        )
        .unwrap_err();
        assert!(e.message.contains("mine.toml, line 11"), "{}", e.message);
        let e = parse("mine.toml", &format!("{ONE}{ONE}")).unwrap_err();
        assert!(
            e.message.contains("line 15") && e.message.contains("twice"),
            "{}",
            e.message
        );
        let e = parse("mine.toml", &ONE.replace("max = 11000", "max = 9000")).unwrap_err();
        assert!(e.message.contains("min ≤ max"), "{}", e.message);
        let e = parse("mine.toml", &ONE.replace("\"km\"", "\"dwell_h\"")).unwrap_err();
        assert!(e.message.contains("needs `crossing`"), "{}", e.message);
    }

    #[test]
    fn the_tolerance_widens_the_range() {
        let f = &parse("t", ONE).unwrap()[0];
        assert!(inside(f, 9501.0) && inside(f, 11549.0));
        assert!(!inside(f, 9499.0) && !inside(f, 11551.0));
    }
}

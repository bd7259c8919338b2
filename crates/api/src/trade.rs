//! Default trade weights: a gravity model, for the analyses that weigh
//! origin–destination pairs (criticality, bri-impact) when the user gives
//! no trade data of their own.
//!
//! A pair's weight is `GDP_o × GDP_d / D_od` (Tinbergen's gravity equation
//! with unit elasticities), with `D` the great-circle distance between the
//! two places in km, at least [`MIN_DISTANCE_KM`], and the weights scaled
//! to a mean of 1 over the pairs, so losses read in "average pairs" as with
//! unit weights. GDP is Natural Earth's 2019 estimate per country
//! (`data/curated/country_gdp.csv`, written by
//! `scripts/refresh_country_gdp.py` from the copy in the PyPI wheel
//! geopandas 0.14.4). Unit elasticities are the textbook form, not a
//! fitted model: published estimates of the distance elasticity average
//! about 0.9 (Disdier and Head, "The Puzzling Persistence of the Distance
//! Effect on Bilateral Trade", Review of Economics and Statistics 90(1),
//! 2008, doi:10.1162/rest.90.1.37, a meta-analysis of 1,467 estimates in
//! 103 papers).
//!
//! A pair with a country the table lacks weighs 0, and the answer says
//! which countries those were.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::od::OdSet;

/// Country GDP and population, the gravity model's masses.
pub const DEFAULT_GDP: &str = include_str!("../../../data/curated/country_gdp.csv");

/// Pairs closer than this are weighed as if this far apart, so two cities
/// of one metropolis do not dominate (a day's trucking).
pub const MIN_DISTANCE_KM: f64 = 100.0;

/// The label every output carries for these weights.
pub const GRAVITY_LABEL: &str =
    "gravity weights: GDP × GDP / distance (Natural Earth 2019 GDP), mean 1 per pair";

/// Which weights an analysis used.
#[derive(Clone, Debug, PartialEq)]
pub enum Weights {
    /// Every pair weighs 1.
    Unit,
    /// The default gravity model ([`gravity`]).
    Gravity,
    /// The user's own (a `weight` column or `--weights` file), in this unit.
    Given(String),
}

impl Weights {
    /// How outputs name them.
    pub fn label(&self) -> String {
        match self {
            Weights::Unit => "unit weights: every pair weighs 1".into(),
            Weights::Gravity => GRAVITY_LABEL.into(),
            Weights::Given(unit) => format!("your weights ({unit})"),
        }
    }
}

fn gdp_table() -> Result<HashMap<String, f64>> {
    let mut out = HashMap::new();
    for (i, line) in DEFAULT_GDP.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let gdp = f
            .get(2)
            .and_then(|g| g.parse::<f64>().ok())
            .filter(|g| g.is_finite() && *g > 0.0)
            .ok_or_else(|| {
                Error::internal(format!(
                    "data/curated/country_gdp.csv line {}: bad GDP",
                    i + 1
                ))
            })?;
        out.insert(f[0].to_string(), gdp);
    }
    Ok(out)
}

/// Great-circle distance, km (haversine, mean Earth radius 6,371 km).
fn km(a: silkroute_model::LatLon, b: silkroute_model::LatLon) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Sets every pair's value to its gravity weight, times its value before
/// (how many times its list names it, [`crate::od`]), the mean over the
/// listings 1. Returns the countries the GDP table lacks (their pairs
/// weigh 0), sorted.
pub fn gravity(od: &mut OdSet) -> Result<Vec<String>> {
    let gdp = gdp_table()?;
    let mut missing: Vec<String> = Vec::new();
    let mut raw = Vec::with_capacity(od.pairs.len());
    for p in &od.pairs {
        let (a, b) = (&od.places[p.from].place, &od.places[p.to].place);
        let w = match (gdp.get(&a.country), gdp.get(&b.country)) {
            (Some(ga), Some(gb)) => ga * gb / km(a.pos, b.pos).max(MIN_DISTANCE_KM),
            _ => {
                for c in [&a.country, &b.country] {
                    if !gdp.contains_key(c) && !missing.contains(c) {
                        missing.push(c.clone());
                    }
                }
                0.0
            }
        };
        raw.push(w * p.value);
    }
    let listings: f64 = od.pairs.iter().map(|p| p.value).sum();
    let mean = raw.iter().sum::<f64>() / listings.max(1.0);
    for (p, w) in od.pairs.iter_mut().zip(raw) {
        p.value = if mean > 0.0 { w / mean } else { 0.0 };
    }
    missing.sort();
    Ok(missing)
}

/// The weights an analysis uses, set on `od`: the pairs' own values when
/// it has them (in `unit`), else unit weights when asked, else gravity.
/// Returns them with the countries gravity had no GDP for.
pub fn choose(od: &mut OdSet, unit: &str, unit_weights: bool) -> Result<(Weights, Vec<String>)> {
    if od.valued {
        return Ok((Weights::Given(unit.to_string()), Vec::new()));
    }
    if unit_weights {
        // Each pair already weighs the number of times its list names it.
        return Ok((Weights::Unit, Vec::new()));
    }
    let missing = gravity(od)?;
    Ok((Weights::Gravity, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_the_belt_and_road_economies() {
        let t = gdp_table().unwrap();
        for c in ["CN", "KZ", "RU", "DE", "PK", "IR", "TR", "LA", "US"] {
            assert!(t[c] > 0.0, "{c}");
        }
        // Natural Earth's 2019 figure for China: 14,342,903 million USD.
        assert_eq!(t["CN"], 14_342_903.0);
    }

    fn place(country: &str, lat: f64, lon: f64) -> crate::od::OdPlace {
        crate::od::OdPlace {
            label: format!("{country}{lat}"),
            place: silkroute_route::ResolvedPlace {
                query: String::new(),
                name: country.into(),
                code: String::new(),
                country: country.into(),
                kind: None,
                note: None,
                pos: silkroute_model::LatLon { lat, lon },
            },
        }
    }

    #[test]
    fn gravity_weights_are_gdp_products_over_distance_with_mean_one() {
        let mut od = OdSet::international(vec![
            place("CN", 39.9, 116.4),
            place("KZ", 43.24, 76.9),
            place("DE", 52.52, 13.4),
            place("SG", 1.29, 103.85),
        ]);
        let missing = gravity(&mut od).unwrap();
        assert_eq!(missing, vec!["SG".to_string()]);
        let t = gdp_table().unwrap();
        let raw = |a: usize, b: usize| {
            let (pa, pb) = (&od.places[a].place, &od.places[b].place);
            t[&pa.country] * t[&pb.country] / km(pa.pos, pb.pos).max(MIN_DISTANCE_KM)
        };
        let mean = od.pairs.iter().map(|p| p.value).sum::<f64>() / od.pairs.len() as f64;
        assert!((mean - 1.0).abs() < 1e-9, "{mean}");
        let w = |a: usize, b: usize| {
            od.pairs
                .iter()
                .find(|p| p.from == a && p.to == b)
                .unwrap()
                .value
        };
        // Ratios follow the gravity equation; pairs with SG weigh 0.
        assert!((w(0, 2) / w(0, 1) - raw(0, 2) / raw(0, 1)).abs() < 1e-9);
        assert!(
            w(0, 2) > w(1, 2),
            "China–Germany outweighs Kazakhstan–Germany"
        );
        assert_eq!(w(3, 0), 0.0);
        // Symmetric.
        assert!((w(0, 1) - w(1, 0)).abs() < 1e-12);
    }

    #[test]
    fn given_values_win_and_unit_weights_are_one() {
        let mut od = OdSet::international(vec![place("CN", 39.9, 116.4), place("DE", 52.5, 13.4)]);
        let (w, _) = choose(&mut od, "pair", true).unwrap();
        assert_eq!(w, Weights::Unit);
        assert!(od.pairs.iter().all(|p| p.value == 1.0));
        od.pairs[0].value = 7.0;
        od.valued = true;
        let (w, _) = choose(&mut od, "tonnes", false).unwrap();
        assert_eq!(w, Weights::Given("tonnes".into()));
        assert_eq!(od.pairs[0].value, 7.0);
    }

    #[test]
    fn distance_is_great_circle() {
        use silkroute_model::LatLon;
        // Beijing–Moscow is about 5,800 km.
        let d = km(
            LatLon {
                lat: 39.9,
                lon: 116.4,
            },
            LatLon {
                lat: 55.75,
                lon: 37.6,
            },
        );
        assert!((d - 5800.0).abs() < 50.0, "{d}");
    }

    /// A pair listed twice (value 2, as `od` merges it) weighs what the
    /// two listings weighed, under gravity and unit weights alike.
    #[test]
    fn a_pair_listed_twice_weighs_twice() {
        let places = || {
            vec![
                place("CN", 39.9, 116.4),
                place("DE", 52.5, 13.4),
                place("KZ", 43.2, 76.9),
            ]
        };
        let pair = |from, to, value| crate::od::OdPair { from, to, value };
        let twice = |pairs: Vec<crate::od::OdPair>| OdSet {
            places: places(),
            pairs,
            ..OdSet::default()
        };
        let listed = twice(vec![pair(0, 1, 1.0), pair(0, 2, 1.0), pair(0, 1, 1.0)]);
        let merged = twice(vec![pair(0, 1, 2.0), pair(0, 2, 1.0)]);
        for unit in [false, true] {
            let (mut l, mut m) = (listed.clone(), merged.clone());
            choose(&mut l, "pair", unit).unwrap();
            choose(&mut m, "pair", unit).unwrap();
            let (a, b) = (m.pairs[0].value, l.pairs[0].value + l.pairs[2].value);
            assert!((a - b).abs() < 1e-12, "{unit}: {a} vs {b}");
            assert!((m.pairs[1].value - l.pairs[1].value).abs() < 1e-12);
        }
    }
}

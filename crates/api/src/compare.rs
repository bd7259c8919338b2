//! A scenario compared with the baseline over origin–destination pairs:
//! each pair's route before and after, its status (unchanged, delayed on
//! the same route, rerouted, cut off), the added days, USD, CO2e and km,
//! the corridor each follows, and a summary by country pair.
//!
//! Each pair sails with its ship class on both sides: the request's
//! `vessel`, else the pair's trade-lane default (Asia – North Europe: a
//! ulcv, which does not fit Panama), so closing Suez sends those lanes
//! round the Cape.
//!
//! Both sides run on the engine: two metrics on the same topology. A pair
//! whose end lies inside what the scenario closes is cut off (the
//! closed-place rule applies here as in a route: Moscow under
//! `no-russia-transit` cannot start a trip outside Russia).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{Value, json};
use silkroute_import::Scenario;
use silkroute_model::{ModeSet, Progress};
use silkroute_route::{Objective, Request, ResolvedPlace, Route};

use crate::constraints::Constraints;
use crate::error::{Error, Result};
use crate::od::OdSet;
use crate::service::Service;
use crate::shipment::Shipment;

/// A scenario comparison question.
#[derive(Clone, Debug)]
pub struct CompareRequest {
    pub scenario: Scenario,
    pub od: OdSet,
    pub modes: ModeSet,
    pub objective: Objective,
    pub shipment: Shipment,
    /// The ship class of the sea legs; `None` takes each pair's trade-lane
    /// default ([`crate::constraints`]).
    pub vessel: Option<String>,
}

/// One pair's answer on one side.
pub type Answer = std::result::Result<Route, Error>;

/// One origin–destination pair before and after.
#[derive(Clone, Debug)]
pub struct PairComparison {
    pub from: ResolvedPlace,
    pub to: ResolvedPlace,
    pub before: Answer,
    pub after: Answer,
    pub corridor_before: Option<String>,
    pub corridor_after: Option<String>,
    /// The ship class the pair sailed with (both sides).
    pub vessel: Option<crate::constraints::VesselChoice>,
}

impl PairComparison {
    pub fn status(&self) -> &'static str {
        match (&self.before, &self.after) {
            (Ok(b), Ok(s)) if b.arcs == s.arcs => {
                if (s.total.time_h - b.total.time_h).abs() < 1e-9
                    && (s.total.cost_usd - b.total.cost_usd).abs() < 1e-9
                {
                    "unchanged"
                } else {
                    "delayed"
                }
            }
            (Ok(_), Ok(_)) => "rerouted",
            (Ok(_), Err(_)) => "cut off",
            (Err(_), _) => "no baseline route",
        }
    }

    /// Added hours, USD, kg CO2e and km.
    pub fn delta(&self) -> Option<(f64, f64, f64, f64)> {
        match (&self.before, &self.after) {
            (Ok(b), Ok(s)) => Some((
                s.total.time_h - b.total.time_h,
                s.total.cost_usd - b.total.cost_usd,
                s.total.co2e_kg_wtw - b.total.co2e_kg_wtw,
                (s.distance_m - b.distance_m) / 1000.0,
            )),
            _ => None,
        }
    }

    /// The two ends' countries (from the places, else from the route).
    pub fn countries(&self) -> (String, String) {
        let c = |p: &ResolvedPlace, r: &Answer, origin: bool| {
            if !p.country.is_empty() {
                return p.country.clone();
            }
            r.as_ref()
                .ok()
                .and_then(|r| {
                    let c = r.countries();
                    if origin {
                        c.first().cloned()
                    } else {
                        c.last().cloned()
                    }
                })
                .unwrap_or_else(|| "?".into())
        };
        (
            c(&self.from, &self.before, true),
            c(&self.to, &self.before, false),
        )
    }
}

/// The comparison over every pair.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub scenario: Scenario,
    /// What the scenario changes, in words.
    pub changes: Vec<String>,
    pub objective: Objective,
    pub modes: ModeSet,
    pub cargo: String,
    pub pairs: Vec<PairComparison>,
    /// What reading the OD set said (repeated pairs merged), as
    /// [`crate::od::OdSet::notes`].
    pub notes: Vec<String>,
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn summary(r: &Answer, corridor: &Option<String>) -> Value {
    match r {
        Ok(route) => json!({
            "reachable": true,
            "duration_h": r2(route.total.time_h),
            "cost_usd": route.total.cost_usd.round(),
            "co2e_kg": route.total.co2e_kg_wtw.round(),
            "distance_km": (route.distance_m / 100.0).round() / 10.0,
            "passages": route.passages().iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            "countries": route.countries(),
            "corridor": corridor,
            "notes": route.notes.iter().filter(|n| n.starts_with("scenario:")).collect::<Vec<_>>(),
        }),
        Err(e) => json!({"reachable": false, "reason": e.message}),
    }
}

impl Comparison {
    /// How many pairs have this status.
    pub fn count(&self, status: &str) -> usize {
        self.pairs.iter().filter(|r| r.status() == status).count()
    }

    /// Per country pair: pairs, rerouted, delayed, cut off, and mean added
    /// hours and USD over the pairs reachable on both sides.
    pub fn by_country_pair(&self) -> Vec<Value> {
        #[derive(Default)]
        struct Acc {
            pairs: usize,
            rerouted: usize,
            delayed: usize,
            cut: usize,
            both: usize,
            h: f64,
            usd: f64,
        }
        let mut m: BTreeMap<(String, String), Acc> = BTreeMap::new();
        for r in &self.pairs {
            let a = m.entry(r.countries()).or_default();
            a.pairs += 1;
            match r.status() {
                "rerouted" => a.rerouted += 1,
                "delayed" => a.delayed += 1,
                "cut off" => a.cut += 1,
                _ => {}
            }
            if let Some((h, usd, _, _)) = r.delta() {
                a.both += 1;
                a.h += h;
                a.usd += usd;
            }
        }
        m.into_iter()
            .map(|((f, t), a)| {
                let mean = |x: f64| (a.both > 0).then(|| x / a.both as f64);
                json!({
                    "from_country": f, "to_country": t, "pairs": a.pairs,
                    "rerouted": a.rerouted, "delayed": a.delayed, "cut_off": a.cut,
                    "mean_delta_duration_h": mean(a.h).map(r2),
                    "mean_delta_cost_usd": mean(a.usd).map(f64::round),
                })
            })
            .collect()
    }

    pub fn json(&self) -> Value {
        let s = &self.scenario;
        json!({
            "code": "Ok",
            "scenario": {"id": s.id, "name": s.name, "source": s.source, "notes": s.notes, "changes": self.changes},
            "objective": self.objective.as_str(),
            "modes": self.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "cargo": self.cargo,
            "pairs": self.pairs.iter().map(|r| {
                let (fc, tc) = r.countries();
                json!({
                    "from": r.from.label(), "to": r.to.label(),
                    "from_country": fc, "to_country": tc, "status": r.status(),
                    "vessel": r.vessel.as_ref().map(crate::json::VesselJson::of),
                    "baseline": summary(&r.before, &r.corridor_before),
                    "scenario": summary(&r.after, &r.corridor_after),
                    "delta": r.delta().map(|(h, c, e, km)| json!({"duration_h": r2(h), "cost_usd": c.round(), "co2e_kg": e.round(), "distance_km": km.round()})),
                })
            }).collect::<Vec<_>>(),
            "by_country_pair": self.by_country_pair(),
            "notes": self.notes,
            "totals": {"pairs": self.pairs.len(), "rerouted": self.count("rerouted"), "delayed": self.count("delayed"), "cut_off": self.count("cut off"), "unchanged": self.count("unchanged"), "no_baseline_route": self.count("no baseline route")},
        })
    }

    /// Baseline and scenario route lines per pair.
    pub fn geojson(&self) -> Value {
        let mut features = Vec::new();
        for (i, r) in self.pairs.iter().enumerate() {
            for (variant, ans, corridor) in [
                ("baseline", &r.before, &r.corridor_before),
                ("scenario", &r.after, &r.corridor_after),
            ] {
                if let Ok(route) = ans {
                    features.push(json!({
                        "type": "Feature",
                        "geometry": crate::geojson::route_line(route),
                        "properties": {
                            "pair": i, "from": r.from.label(), "to": r.to.label(),
                            "variant": variant, "status": r.status(),
                            "duration_h": r2(route.total.time_h),
                            "cost_usd": route.total.cost_usd.round(),
                            "co2e_kg": route.total.co2e_kg_wtw.round(),
                            "distance_km": (route.distance_m / 1000.0).round(),
                            "passages": route.passages().iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
                            "corridor": corridor,
                        },
                    }));
                }
            }
        }
        json!({"type": "FeatureCollection", "scenario": self.scenario.id, "features": features})
    }
}

impl Service {
    /// Every pair before and after a scenario.
    pub fn compare(
        &self,
        req: &CompareRequest,
        progress: &(dyn Progress + Sync),
    ) -> Result<Comparison> {
        let base = self.constraints(&Constraints::modes(req.modes))?;
        let vessel_constraints = Constraints {
            vessel: req.vessel.clone(),
            ..Constraints::modes(req.modes)
        };
        if let Some(v) = &req.vessel {
            crate::constraints::vessel_class(self.vessels(), v)?;
        }
        let mut scen_filter = base.filter.clone();
        let changes = crate::scenario::apply(
            &req.scenario,
            self.net(),
            self.gazetteer(),
            self.catalogue(),
            &mut scen_filter,
        )?;
        let words = format!("scenario {}", req.scenario.id);
        for n in &req.od.notes {
            progress.note(n);
        }
        progress.stage("pairs", req.od.pairs.len() as u64);
        let ask = |from: &ResolvedPlace, to: &ResolvedPlace, filter, constraints: &str| Request {
            from: from.clone(),
            to: to.clone(),
            via_places: Vec::new(),
            via_passage: None,
            filter,
            objective: req.objective,
            pricing: req.shipment.pricing(),
            constraints: constraints.to_string(),
        };
        let pairs: Vec<Option<PairComparison>> = req
            .od
            .pairs
            .par_iter()
            .map(|p| {
                if progress.cancelled() {
                    return None;
                }
                let (from, to) = (&req.od.places[p.from].place, &req.od.places[p.to].place);
                let g = self.gazetteer();
                // The pair's ship class closes its passages on both sides.
                let vessel = self
                    .constraints_between(&vessel_constraints, from, to)
                    .ok()
                    .and_then(|r| r.vessel);
                let (mut before_filter, mut after_filter) =
                    (base.filter.clone(), scen_filter.clone());
                let (mut before_words, mut after_words) = (base.words.clone(), words.clone());
                if let Some(v) = vessel.as_ref().filter(|v| v.matters()) {
                    for p in &v.closes {
                        before_filter.close(*p);
                        after_filter.close(*p);
                    }
                    let w = format!("vessel {}", v.words());
                    for text in [&mut before_words, &mut after_words] {
                        if !text.is_empty() {
                            text.push_str(", ");
                        }
                        text.push_str(&w);
                    }
                }
                let before = self
                    .engine()
                    .best_route(g, &ask(from, to, before_filter, &before_words))
                    .map_err(Error::from);
                let after = self
                    .engine()
                    .best_route(g, &ask(from, to, after_filter, &after_words))
                    .map_err(Error::from);
                let name = |r: &Answer| r.as_ref().ok().and_then(|r| self.corridor_id(r));
                progress.advance(1);
                Some(PairComparison {
                    from: from.clone(),
                    to: to.clone(),
                    corridor_before: name(&before),
                    corridor_after: name(&after),
                    before,
                    after,
                    vessel,
                })
            })
            .collect();
        if progress.cancelled() {
            return Err(Error::cancelled());
        }
        Ok(Comparison {
            scenario: req.scenario.clone(),
            changes,
            objective: req.objective,
            modes: req.modes,
            cargo: req.shipment.cargo.label(),
            pairs: pairs
                .into_iter()
                .map(|p| p.expect("not cancelled"))
                .collect(),
            notes: req.od.notes.clone(),
        })
    }
}

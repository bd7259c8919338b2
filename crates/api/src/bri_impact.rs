//! Shipment times with and without the Belt and Road projects of the
//! network's curated layer (`data/bri/projects.toml`), per country, in the
//! manner of de Soyres et al., "How much will the Belt and Road Initiative
//! reduce trade costs?" (World Bank PRWP 8614, 2018).
//!
//! Today's network is the "with" case; "without" closes each project's
//! records (its links, terminals, ports and ferries, and the generic
//! UN/LOCODE port of the same place). It runs on the criticality
//! machinery: every project, and all of them together, is one element, so
//! only the pairs whose route uses a project are re-answered. A pair's
//! change is (with − without) / without; a country's figure is the mean
//! over the pairs it is part of, weighted by the pairs' trade: the default
//! gravity weights of [`crate::trade`] (GDP × GDP / distance), or unit
//! weights when asked. The report says which.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use silkroute_graph::Network;
use silkroute_import::Project;
use silkroute_model::{ModeSet, NodeId, NodeKind, Progress};
use silkroute_route::Objective;
use silkroute_route::criticality::{self, Element, Kind};

use crate::error::{Error, Result};
use crate::od::{OdPlace, OdSet};
use crate::service::{Service, unit};
use crate::shipment::Shipment;

/// The default city list: 100 cities in the Belt and Road economies and
/// their main partners.
pub const DEFAULT_CITIES: &str = include_str!("../../../data/scenarios/bri-cities-100.csv");

/// A before/after question.
#[derive(Clone, Debug)]
pub struct BriImpactRequest {
    /// The cities, each paired with every city of another country; `None`
    /// = [`DEFAULT_CITIES`].
    pub places: Option<Vec<OdPlace>>,
    /// Project ids to remove; `None` = all of the network's.
    pub projects: Option<Vec<String>>,
    pub modes: ModeSet,
    pub objective: Objective,
    pub shipment: Shipment,
    /// Weigh every pair 1 instead of by the gravity model.
    pub unit_weights: bool,
}

/// A project alone: the pairs it speeds up, their mean change, the
/// largest, and the pairs that have no route without it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectRow {
    pub id: String,
    pub improved: usize,
    pub mean: f64,
    pub largest: Option<(f64, usize)>,
    pub connected: usize,
}

/// A country's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct CountryRow {
    pub country: String,
    pub cities: usize,
    pub pairs: usize,
    pub improved: usize,
    /// Pairs with a route only with the projects (left out of the mean).
    pub connected: usize,
    pub mean: f64,
    pub largest: Option<(f64, usize)>,
}

#[derive(Clone, Debug)]
pub struct BriImpactReport {
    pub od: OdSet,
    pub projects: Vec<Project>,
    pub objective: Objective,
    /// What one unit of `with` and `without` is in the unit's name
    /// (`service::unit_for`: cost and CO2e are per FEU-equivalent).
    pub scale: f64,
    pub modes: ModeSet,
    /// Countries, most improved first.
    pub countries: Vec<CountryRow>,
    pub project_rows: Vec<ProjectRow>,
    /// Per pair: the value with the projects (`None` = no route at all).
    pub with: Vec<Option<u64>>,
    /// Per pair: the value without all of them (`None` = cut off).
    pub without: Vec<Option<u64>>,
    /// Per pair: the change in percent (`None` = connected only by them).
    pub change: Vec<Option<f64>>,
    /// The pairs the projects' removal affects, ascending.
    pub changed_pairs: Vec<usize>,
    pub world_mean: f64,
    /// Which weights the means used, in words.
    pub weights: String,
    /// Countries without a GDP figure, whose pairs weighed 0.
    pub weights_missing: Vec<String>,
    /// Records or ports a project names that the network lacks.
    pub notes: Vec<String>,
    pub seconds: f64,
}

/// The mean of `(weight, value)` items weighted by their weights (0 when
/// they weigh nothing).
fn weighted_mean(items: impl Iterator<Item = (f64, f64)>) -> f64 {
    let (mut sw, mut swx) = (0.0, 0.0);
    for (w, x) in items {
        sw += w;
        swx += w * x;
    }
    if sw > 0.0 { swx / sw } else { 0.0 }
}

/// A pair's change in percent, with (`with`) against without the projects.
fn change(with: u64, without: u64) -> f64 {
    if without == 0 {
        0.0
    } else {
        (with as f64 - without as f64) / without as f64 * 100.0
    }
}

/// The arcs of each chosen project, and notes on records it could not find.
fn project_elements(net: &Network, projects: &[Project]) -> (Vec<Element>, Vec<String>) {
    let records = silkroute_route::curated::records(net);
    let curated = criticality::curated_elements(net, &records);
    let mut notes = Vec::new();
    let mut out = Vec::new();
    for p in projects {
        let mut arcs = Vec::new();
        for r in &p.records {
            match curated.iter().find(|e| &e.id == r) {
                Some(e) => arcs.extend(e.arcs.iter().copied()),
                None => notes.push(format!(
                    "project {}: record {r} is not in the network (not operating, or joined nothing)",
                    p.id
                )),
            }
        }
        for code in &p.locodes {
            let suffix = format!("({code})");
            let ports: Vec<u32> = (0..net.node_count() as u32)
                .filter(|v| {
                    net.kind(NodeId(*v)) == NodeKind::Seaport
                        && net.name(NodeId(*v)).is_some_and(|n| n.ends_with(&suffix))
                })
                .collect();
            if ports.is_empty() {
                notes.push(format!(
                    "project {}: no seaport {code} in the network",
                    p.id
                ));
            }
            for v in ports {
                arcs.extend(criticality::node_arcs(net, v));
            }
        }
        arcs.sort_unstable();
        arcs.dedup();
        out.push(Element {
            kind: Kind::Link,
            id: p.id.clone(),
            name: p.name.clone(),
            arcs,
            nodes: Vec::new(),
        });
    }
    (out, notes)
}

impl BriImpactReport {
    /// What the objective measures, in words.
    pub fn measure(&self) -> &'static str {
        match self.objective {
            Objective::Time => "shipment time",
            Objective::Cost => "cost",
            Objective::Co2 => "CO2e",
            Objective::Distance => "distance",
        }
    }

    /// Pairs with a route with the projects.
    pub fn routed(&self) -> usize {
        self.with.iter().filter(|v| v.is_some()).count()
    }

    /// Routed pairs that are faster (cheaper, …) with the projects.
    pub fn improved(&self) -> usize {
        self.change
            .iter()
            .zip(&self.with)
            .filter(|(c, w)| w.is_some() && c.is_some_and(|c| c < 0.0))
            .count()
    }

    /// Routed pairs connected only by the projects.
    pub fn connected_only(&self) -> usize {
        self.change
            .iter()
            .zip(&self.with)
            .filter(|(c, w)| w.is_some() && c.is_none())
            .count()
    }

    pub fn json(&self) -> Value {
        let (unit, scale) = (unit(self.objective).0, self.scale);
        let label = |p: usize| self.od.pair_label(p);
        json!({
            "code": "Ok",
            "objective": self.objective.as_str(),
            "modes": self.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "unit": unit,
            "projects": self.projects.iter().map(|p| json!({"id": p.id, "name": p.name, "records": p.records, "locodes": p.locodes})).collect::<Vec<_>>(),
            "measure": self.measure(),
            "weights": self.weights,
            "weights_missing": self.weights_missing,
            "mean_change_pct": (self.world_mean * 1000.0).round() / 1000.0,
            "countries": self.countries.iter().map(|r| json!({
                "country": r.country, "cities": r.cities, "pairs": r.pairs,
                "improved": r.improved, "connected_only_with_projects": r.connected,
                "mean_change_pct": (r.mean * 1000.0).round() / 1000.0,
                "largest_change": r.largest.map(|(c, p)| json!({"pct": (c * 1000.0).round() / 1000.0, "pair": label(p)})),
            })).collect::<Vec<_>>(),
            "project_alone": self.project_rows.iter().map(|r| json!({
                "id": r.id, "improved": r.improved, "connected_only_with_it": r.connected, "mean_change_pct_where_improved": (r.mean * 1000.0).round() / 1000.0,
                "largest_change": r.largest.map(|(c, p)| json!({"pct": (c * 1000.0).round() / 1000.0, "pair": label(p)})),
            })).collect::<Vec<_>>(),
            "changed_pairs": self.changed_pairs.iter().filter_map(|&p| {
                let w = self.with[p]?;
                Some(json!({
                    "pair": label(p),
                    "with": (w as f64 * scale * 100.0).round() / 100.0,
                    "without": self.without[p].map(|x| (x as f64 * scale * 100.0).round() / 100.0),
                    "change_pct": self.change[p].map(|c| (c * 1000.0).round() / 1000.0),
                }))
            }).collect::<Vec<_>>(),
        })
    }
}

impl Service {
    /// The default city list, resolved on this network.
    pub fn default_bri_cities(&self) -> Result<Vec<OdPlace>> {
        let mut reader = csv::Reader::from_reader(DEFAULT_CITIES.as_bytes());
        let mut out = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(|e| Error::internal(e.to_string()))?;
            let place = self
                .place(&rec[1])
                .map_err(|e| Error::internal(format!("built-in city list: {e}")))?;
            out.push(OdPlace {
                label: rec[0].to_string(),
                place,
            });
        }
        Ok(out)
    }

    /// The network's projects by id (all when `ids` is `None`).
    pub fn bri_projects(&self, ids: Option<&[String]>) -> Result<Vec<Project>> {
        let all = &self.catalogue().projects;
        let chosen: Vec<Project> = match ids {
            None => all.clone(),
            Some(list) => list
                .iter()
                .map(|id| {
                    all.iter().find(|p| &p.id == id).cloned().ok_or_else(|| {
                        Error::invalid_value(format!(
                            "unknown project {id:?} (choose from {})",
                            all.iter()
                                .map(|p| p.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })
                })
                .collect::<Result<_>>()?,
        };
        if chosen.is_empty() {
            return Err(Error::invalid_value("--projects lists no project"));
        }
        Ok(chosen)
    }

    /// Shipment times with and without the projects (see the module
    /// header).
    pub fn bri_impact(
        &self,
        req: &BriImpactRequest,
        progress: &(dyn Progress + Sync),
    ) -> Result<BriImpactReport> {
        let started = std::time::Instant::now();
        let chosen = self.bri_projects(req.projects.as_deref())?;
        let places = match &req.places {
            Some(p) => p.clone(),
            None => self.default_bri_cities()?,
        };
        let mut od = OdSet::international(places);
        let (weights, weights_missing) = crate::trade::choose(&mut od, "pair", req.unit_weights)?;
        if od.pairs.is_empty() {
            return Err(Error::invalid_value(
                "the places lie in fewer than two countries: no international pair to compare",
            ));
        }
        let setup = self.setup(&od, req.modes, req.objective, &req.shipment, progress)?;
        let base = &setup.baseline;
        let (mut elements, notes) = project_elements(self.net(), &chosen);
        let mut union: Vec<u32> = elements.iter().flat_map(|e| e.arcs.clone()).collect();
        union.sort_unstable();
        union.dedup();
        elements.push(Element {
            kind: Kind::Link,
            id: "all".into(),
            name: "all projects".into(),
            arcs: union,
            nodes: Vec::new(),
        });
        progress.stage("removing projects", elements.len() as u64);
        let losses = self.losses(&setup, req.objective, &req.shipment, &elements, progress)?;
        // Per pair, with all projects removed: the change in percent, or
        // None when the pair has no route without them.
        let total = losses.last().expect("the union element");
        let mut pair_change: Vec<Option<f64>> = vec![Some(0.0); od.pairs.len()];
        let mut without: Vec<Option<u64>> = base.value.clone();
        for (p, after) in total.pairs.iter().zip(&total.after) {
            let p = *p as usize;
            without[p] = *after;
            pair_change[p] = match (base.value[p], after) {
                (Some(w), Some(wo)) => Some(change(w, *wo)),
                _ => None,
            };
        }
        let routed: Vec<bool> = base.value.iter().map(Option::is_some).collect();
        // Per country: the mean over the pairs it is part of.
        let mut by_country: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (p, pair) in od.pairs.iter().enumerate() {
            if !routed[p] {
                continue;
            }
            by_country
                .entry(od.places[pair.from].place.country.clone())
                .or_default()
                .push(p);
            by_country
                .entry(od.places[pair.to].place.country.clone())
                .or_default()
                .push(p);
        }
        let mut countries: Vec<CountryRow> = by_country
            .into_iter()
            .map(|(country, ps)| {
                let cities = od
                    .places
                    .iter()
                    .filter(|p| p.place.country == country)
                    .count();
                let finite: Vec<(usize, f64)> = ps
                    .iter()
                    .filter_map(|p| pair_change[*p].map(|c| (*p, c)))
                    .collect();
                let mean = weighted_mean(finite.iter().map(|&(p, c)| (od.pairs[p].value, c)));
                let largest = finite
                    .iter()
                    .filter(|x| x.1 < 0.0)
                    .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                    .map(|x| (x.1, x.0));
                CountryRow {
                    country,
                    cities,
                    pairs: ps.len(),
                    improved: finite.iter().filter(|x| x.1 < 0.0).count(),
                    connected: ps.iter().filter(|p| pair_change[**p].is_none()).count(),
                    mean,
                    largest,
                }
            })
            .collect();
        countries.sort_by(|a, b| {
            a.mean
                .total_cmp(&b.mean)
                .then(b.connected.cmp(&a.connected))
                .then(a.country.cmp(&b.country))
        });
        let world_mean = weighted_mean(
            pair_change
                .iter()
                .zip(&routed)
                .zip(&od.pairs)
                .filter(|((_, r), _)| **r)
                .filter_map(|((c, _), p)| c.map(|c| (p.value, c))),
        );
        // Per project alone.
        let project_rows: Vec<ProjectRow> = chosen
            .iter()
            .enumerate()
            .map(|(e, p)| {
                let l = &losses[e];
                let changes: Vec<(usize, f64)> = l
                    .pairs
                    .iter()
                    .zip(&l.after)
                    .filter_map(|(q, a)| {
                        let q = *q as usize;
                        Some((q, change(base.value[q]?, (*a)?)))
                    })
                    .filter(|x| x.1 < 0.0)
                    .collect();
                let mean = weighted_mean(changes.iter().map(|&(q, c)| (od.pairs[q].value, c)));
                let largest = changes
                    .iter()
                    .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                    .map(|x| (x.1, x.0));
                let connected = l.after.iter().filter(|a| a.is_none()).count();
                ProjectRow {
                    id: p.id.clone(),
                    improved: changes.len(),
                    mean,
                    largest,
                    connected,
                }
            })
            .collect();
        Ok(BriImpactReport {
            changed_pairs: total.pairs.iter().map(|p| *p as usize).collect(),
            with: base.value.clone(),
            without,
            change: pair_change,
            od,
            projects: chosen,
            objective: req.objective,
            scale: crate::service::unit_for(req.objective, &req.shipment).1,
            modes: req.modes,
            countries,
            project_rows,
            world_mean,
            weights: weights.label(),
            weights_missing,
            notes,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

//! Assigning a yearly origin–destination trade matrix to the network:
//! all-or-nothing or to a user equilibrium with congestion on the
//! capacitated border crossings, ferries and corridors
//! (`data/bri/capacities.toml`), and the loads and utilisation per element
//! and per corridor.
//!
//! The algorithm is `silkroute_route::flow`; this module sets it up from
//! the catalogue (which elements carry a capacity, how a scenario's
//! capacity factors cut them), answers each iteration's all-or-nothing
//! searches on the hierarchy (one customization per iteration), and names
//! each path's corridor by the catalogue's one rule. Route choice
//! minimises time: congestion is a delay, and the cost model has no value
//! of time to price it.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use silkroute_cost::Cargo;
use silkroute_import::Scenario;
use silkroute_model::{LatLon, ModeSet, NodeId, Progress};
use silkroute_route::flow::{self, Assignment, Capacitated, Method, Settings};
use silkroute_route::snap::Candidate;
use silkroute_route::{Filter, Objective, metric, search};

use crate::error::{Error, Result};
use crate::od::OdSet;
use crate::service::Service;
use crate::shipment::Shipment;

/// The unit of the volumes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum VolumeUnit {
    Teu,
    Tonnes,
}

impl VolumeUnit {
    pub fn label(self) -> &'static str {
        match self {
            VolumeUnit::Teu => "TEU/year",
            VolumeUnit::Tonnes => "tonnes/year",
        }
    }
}

/// A flow question.
#[derive(Clone, Debug)]
pub struct FlowRequest {
    /// Pairs with their yearly volume as the value.
    pub od: OdSet,
    pub unit: VolumeUnit,
    pub scenario: Option<Scenario>,
    pub method: Method,
    pub iterations: usize,
    pub gap: f64,
    pub modes: ModeSet,
    /// The cost model (its cargo is replaced by one unit of `unit`).
    pub shipment: Shipment,
}

/// An element of the assignment with what the report says about it.
#[derive(Clone, Debug)]
pub struct FlowElement {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub capacity: Option<f64>,
    pub factor: f64,
    pub source: Option<String>,
    pub pos: LatLon,
    /// Its index among the capacitated sets, if it has a capacity.
    pub capacitated: Option<usize>,
    pub arcs: Vec<u32>,
    /// Volume using it per year.
    pub load: f64,
}

/// A corridor whose capacity applies to a set of crossings or ferries.
#[derive(Clone, Debug)]
pub struct CorridorCapacity {
    pub id: String,
    pub capacity: f64,
    pub factor: f64,
    pub parts: Vec<String>,
    pub capacitated: usize,
}

/// A corridor's row: the load of the paths named after it and, for a
/// capacitated corridor, the flow through its bottleneck, utilisation and
/// congestion delay.
#[derive(Clone, Debug)]
pub struct CorridorLoad {
    pub id: String,
    pub load: f64,
    pub capacity: Option<CorridorCapacity>,
    pub bottleneck_flow: Option<f64>,
    pub utilisation: Option<f64>,
    pub delay_h: Option<f64>,
}

/// The assignment and what it says per element, corridor and pair.
#[derive(Clone, Debug)]
pub struct FlowReport {
    pub method: Method,
    pub unit: VolumeUnit,
    pub modes: ModeSet,
    pub scenario: Option<String>,
    pub changes: Vec<String>,
    pub target_gap: f64,
    pub iterations_allowed: usize,
    pub od: OdSet,
    pub capacitated: Vec<Capacitated>,
    pub result: Assignment,
    pub elements: Vec<FlowElement>,
    pub corridor_capacities: Vec<CorridorCapacity>,
    pub corridors: Vec<CorridorLoad>,
    /// Per pair, the share of its volume per corridor ("(none)" for paths
    /// on no corridor).
    pub pair_corridors: Vec<Vec<(String, f64)>>,
    pub unassigned: f64,
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl FlowReport {
    pub fn method_name(&self) -> &'static str {
        match self.method {
            Method::AllOrNothing => "all-or-nothing",
            Method::FrankWolfe => "Frank-Wolfe user equilibrium",
            Method::SuccessiveAverages => "method of successive averages",
        }
    }

    pub fn total_volume(&self) -> f64 {
        self.od.pairs.iter().map(|p| p.value).sum()
    }

    /// Utilisation of an element (load over capacity).
    pub fn utilisation(e: &FlowElement) -> Option<f64> {
        e.capacity.map(|c| e.load / c)
    }

    /// The congestion delay of one use of an element, hours.
    pub fn delay_h(&self, e: &FlowElement) -> Option<f64> {
        e.capacitated
            .map(|i| self.capacitated[i].delay_s(self.result.flows[i]) / 3600.0)
    }

    pub fn json(&self) -> Value {
        json!({
            "code": "Ok",
            "method": self.method_name(),
            "unit": self.unit.label(),
            "modes": self.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "scenario": self.scenario.as_ref().map(|s| json!({"id": s, "changes": self.changes})),
            "bpr": {"alpha": flow::BPR_ALPHA, "beta": flow::BPR_BETA},
            "iterations": self.result.iterations.iter().enumerate().map(|(k, it)| json!({"iteration": k + 1, "gap": it.gap, "step": it.step})).collect::<Vec<_>>(),
            "final_gap": self.result.gap,
            "converged": self.result.converged,
            "target_gap": self.target_gap,
            "total_volume": self.total_volume(),
            "unassigned_volume": self.unassigned,
            "notes": self.od.notes,
            "elements": self.elements.iter().map(|e| json!({
                "id": e.id, "name": e.name, "kind": e.kind, "load": r3(e.load),
                "capacity": e.capacity, "capacity_factor": e.factor,
                "utilisation": FlowReport::utilisation(e).map(r3),
                "congestion_delay_h": self.delay_h(e).map(r3),
                "capacity_source": e.source,
            })).collect::<Vec<_>>(),
            "corridors": self.corridors.iter().map(|c| json!({
                "corridor": c.id, "load": r3(c.load),
                "capacity": c.capacity.as_ref().map(|x| x.capacity), "capacity_factor": c.capacity.as_ref().map(|x| x.factor),
                "bottleneck": c.capacity.as_ref().map(|x| x.parts.clone()),
                "bottleneck_flow": c.bottleneck_flow.map(r3), "utilisation": c.utilisation.map(r3),
                "congestion_delay_h": c.delay_h.map(r3),
            })).collect::<Vec<_>>(),
            "pairs": self.od.pairs.iter().zip(&self.result.paths).zip(&self.pair_corridors).map(|((p, ps), sh)| json!({
                "from": self.od.places[p.from].place.label(), "to": self.od.places[p.to].place.label(), "volume": p.value,
                "reachable": !ps.is_empty(), "paths": ps.len(),
                "corridors": sh.iter().map(|(c, s)| json!({"corridor": c, "share": r3(*s)})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    pub fn geojson(&self, net: &silkroute_graph::Network) -> Value {
        let mut features = Vec::new();
        for e in &self.elements {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r3(e.pos.lon), r3(e.pos.lat)]},
                "properties": {"id": e.id, "name": e.name, "kind": e.kind, "load": r3(e.load), "capacity": e.capacity, "utilisation": FlowReport::utilisation(e).map(r3), "congestion_delay_h": self.delay_h(e).map(r3)},
            }));
        }
        for (p, ps) in self.od.pairs.iter().zip(&self.result.paths) {
            for path in ps {
                let start = match path.arcs.first() {
                    Some(a) => search::tail_of(net.first_out(), *a),
                    None => continue,
                };
                let pts: Vec<_> = search::node_path(net, NodeId(start), &path.arcs)
                    .iter()
                    .map(|v| net.pos(*v))
                    .collect();
                features.push(json!({
                    "type": "Feature",
                    "geometry": crate::geojson::line_geometry(&pts),
                    "properties": {"from": self.od.places[p.from].place.label(), "to": self.od.places[p.to].place.label(), "volume": r3(p.value * path.share), "share": r3(path.share)},
                }));
            }
        }
        json!({"type": "FeatureCollection", "features": features})
    }
}

/// The most volume one assignment may carry, summed over its pairs (TEU
/// or tonnes a year): ten billion, more than the world's yearly container
/// and bulk trade together. Far above it the BPR delays overflow the
/// integer weights and every path looks equally jammed (1e308 TEU
/// reported "converged" after 0 iterations).
pub const MAX_FLOW_VOLUME: f64 = 1e10;

impl Service {
    /// Assigns the pairs' volumes (see the module header). Volumes must be
    /// finite, ≥ 0 and sum to at most [`MAX_FLOW_VOLUME`] (`InvalidValue`).
    pub fn flow(&self, req: &FlowRequest, progress: &dyn Progress) -> Result<FlowReport> {
        if !(req.gap >= 0.0 && req.gap.is_finite()) {
            return Err(Error::invalid_value("--gap must be a number ≥ 0"));
        }
        let total: f64 = req.od.pairs.iter().map(|p| p.value).sum();
        let volume_ok = |x: f64| (0.0..=MAX_FLOW_VOLUME).contains(&x);
        if !volume_ok(total) || !req.od.pairs.iter().all(|p| volume_ok(p.value)) {
            return Err(Error::invalid_value(format!(
                "the volumes sum to {total}; an assignment carries from 0 to {MAX_FLOW_VOLUME} a year in all"
            )));
        }
        for n in &req.od.notes {
            progress.note(n);
        }
        let net = self.net();
        let catalogue = self.catalogue();
        let mut filter = Filter::new(req.modes);
        let changes = match &req.scenario {
            Some(s) => crate::scenario::apply(s, net, self.gazetteer(), catalogue, &mut filter)?,
            None => Vec::new(),
        };
        let shipment = req.shipment.with_cargo(match req.unit {
            VolumeUnit::Teu => Cargo::Teu(1.0),
            VolumeUnit::Tonnes => Cargo::Tonnes(1.0),
        });
        let pricing = shipment.pricing();
        let base = metric::weights(net, &pricing, Objective::Time, &filter);
        let (mut elements, capacitated, corridor_caps) =
            capacities(catalogue, net, &filter, &base, req.unit, &shipment);
        // Snapping candidates per place, priced in seconds.
        let cands: Vec<Vec<(Candidate, u64)>> = req
            .od
            .places
            .iter()
            .map(|p| self.candidates(&p.place, &filter, &shipment, Objective::Time))
            .collect();
        let od: Vec<_> = req
            .od
            .pairs
            .iter()
            .map(|p| (cands[p.from].clone(), cands[p.to].clone()))
            .collect();
        let volumes: Vec<f64> = req.od.pairs.iter().map(|p| p.value).collect();
        let settings = Settings {
            method: req.method,
            iterations: req.iterations,
            gap: req.gap,
        };
        progress.stage("iterations", req.iterations as u64);
        let engine = self.engine();
        let mut shortest = |w: &[u32]| -> Vec<flow::Shortest> {
            engine
                .paths_with_weights(req.modes, w, &od)
                .into_iter()
                .zip(&od)
                .map(|(f, (o, t))| {
                    f.map(|f| {
                        let access = |set: &[(Candidate, u64)], node| {
                            set.iter().find(|c| c.0.node == node).map_or(0, |c| c.1)
                        };
                        let acc = access(o, f.origin.node) + access(t, f.target.node);
                        (f.arcs, acc)
                    })
                })
                .collect()
        };
        let mut cancelled = false;
        let result = flow::assign(
            &base,
            &capacitated,
            &volumes,
            settings,
            &mut shortest,
            &mut |_, _| {
                progress.advance(1);
                cancelled = progress.cancelled();
                !cancelled
            },
        );
        if cancelled {
            return Err(Error::cancelled());
        }
        // Loads per element (capacitated or not) and per corridor.
        let mut corridor_load: BTreeMap<String, f64> = BTreeMap::new();
        let mut pair_corridors: Vec<Vec<(String, f64)>> = Vec::new();
        let mut unassigned = 0.0;
        for ((v, ps), pair) in volumes.iter().zip(&result.paths).zip(&req.od.pairs) {
            if ps.is_empty() {
                unassigned += v;
            }
            let ends = [
                Some(&req.od.places[pair.from].place),
                Some(&req.od.places[pair.to].place),
            ];
            let mut shares: Vec<(String, f64)> = Vec::new();
            for p in ps {
                for e in elements.iter_mut() {
                    let uses = p.arcs.iter().filter(|a| e.arcs.contains(a)).count();
                    e.load += v * p.share * uses as f64;
                }
                let c = catalogue
                    .corridors_of(net, &p.arcs, ends)
                    .first()
                    .map_or("(none)".to_string(), |m| {
                        catalogue.corridors[m.index].id.clone()
                    });
                *corridor_load.entry(c.clone()).or_default() += v * p.share;
                match shares.iter_mut().find(|s| s.0 == c) {
                    Some(s) => s.1 += p.share,
                    None => shares.push((c, p.share)),
                }
            }
            pair_corridors.push(shares);
        }
        let mut corridor_ids: Vec<String> = corridor_load.keys().cloned().collect();
        for c in &corridor_caps {
            if !corridor_ids.contains(&c.id) {
                corridor_ids.push(c.id.clone());
            }
        }
        corridor_ids.sort();
        let corridors = corridor_ids
            .iter()
            .map(|id| {
                let cap = corridor_caps.iter().find(|c| &c.id == id).cloned();
                let through = cap.as_ref().map(|c| result.flows[c.capacitated]);
                CorridorLoad {
                    id: id.clone(),
                    load: corridor_load.get(id).copied().unwrap_or(0.0),
                    bottleneck_flow: through,
                    utilisation: cap
                        .as_ref()
                        .map(|c| result.flows[c.capacitated] / c.capacity),
                    delay_h: cap.as_ref().map(|c| {
                        capacitated[c.capacitated].delay_s(result.flows[c.capacitated]) / 3600.0
                    }),
                    capacity: cap,
                }
            })
            .collect();
        Ok(FlowReport {
            method: req.method,
            unit: req.unit,
            modes: req.modes,
            scenario: req.scenario.as_ref().map(|s| s.id.clone()),
            changes,
            target_gap: req.gap,
            iterations_allowed: req.iterations,
            od: req.od.clone(),
            capacitated,
            result,
            elements,
            corridor_capacities: corridor_caps,
            corridors,
            pair_corridors,
            unassigned,
        })
    }
}

/// The capacitated sets of the assignment: each located crossing and ferry
/// with its capacity (cut by the scenario's factors), and each corridor
/// whose capacity applies to some of them; every located element becomes
/// a row of the report.
fn capacities(
    catalogue: &crate::catalogue::Catalogue,
    net: &silkroute_graph::Network,
    filter: &Filter,
    base: &[u32],
    unit: VolumeUnit,
    shipment: &Shipment,
) -> (Vec<FlowElement>, Vec<Capacitated>, Vec<CorridorCapacity>) {
    // Capacitated elements: located crossings and ferries with a capacity.
    let teu_tonnes = shipment.model.cargo.teu_tonnes;
    let capacity_of = |id: &str, kind: &str| -> Option<(f64, String)> {
        let c = catalogue
            .capacities
            .iter()
            .find(|c| c.id == id && c.kind == kind)?;
        let value = match unit {
            VolumeUnit::Teu => c.teu_per_year.or(c.tonnes_per_year.map(|t| t / teu_tonnes)),
            VolumeUnit::Tonnes => c.tonnes_per_year.or(c.teu_per_year.map(|t| t * teu_tonnes)),
        }?;
        Some((value, c.source.clone()))
    };
    let head = net.arc_head();
    let mut elements: Vec<FlowElement> = Vec::new();
    let mut capacitated: Vec<Capacitated> = Vec::new();
    for e in &catalogue.located {
        let factor = filter.penalties.as_ref().map_or(1.0, |p| {
            e.arcs
                .iter()
                .map(|a| p.capacity_factor(*a))
                .fold(1.0, f64::min)
        });
        let cap = capacity_of(&e.id, e.kind);
        let free_s = e
            .arcs
            .iter()
            .map(|a| base[*a as usize])
            .filter(|w| *w != u32::MAX)
            .max()
            .unwrap_or(0) as f64;
        let index = match &cap {
            Some((c, _)) if free_s > 0.0 => {
                capacitated.push(Capacitated {
                    arcs: e.arcs.clone(),
                    capacity: c * factor,
                    free_s,
                });
                Some(capacitated.len() - 1)
            }
            _ => None,
        };
        let a = e.arcs[0] as usize;
        let tail = search::tail_of(net.first_out(), a as u32);
        let (p, q) = (net.pos(NodeId(tail)), net.pos(NodeId(head[a])));
        elements.push(FlowElement {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            capacity: cap.as_ref().map(|c| c.0 * factor),
            factor,
            source: cap.map(|c| c.1),
            pos: LatLon::new((p.lat + q.lat) / 2.0, (p.lon + q.lon) / 2.0),
            capacitated: index,
            arcs: e.arcs.clone(),
            load: 0.0,
        });
    }
    // Corridors whose capacity applies to a set of crossings or ferries.
    let mut corridor_caps: Vec<CorridorCapacity> = Vec::new();
    for c in catalogue.capacities.iter().filter(|c| c.kind == "corridor") {
        let mut arcs: Vec<u32> = catalogue
            .located
            .iter()
            .filter(|e| c.applies_to.contains(&e.id))
            .flat_map(|e| e.arcs.iter().copied())
            .collect();
        arcs.sort_unstable();
        arcs.dedup();
        let Some((cap, _)) = capacity_of(&c.id, "corridor") else {
            continue;
        };
        let free_s = arcs
            .iter()
            .map(|a| base[*a as usize])
            .filter(|w| *w != u32::MAX)
            .max()
            .unwrap_or(0) as f64;
        if arcs.is_empty() || free_s == 0.0 {
            continue;
        }
        // A cut at one part removes that part's lost capacity from the
        // corridor's; a cut part without a capacity of its own cuts the
        // whole corridor by its factor (the conservative reading).
        let factor = filter.penalties.as_ref().map_or(1.0, |p| {
            let mut lost = 0.0;
            let mut floor: f64 = 1.0;
            for e in catalogue
                .located
                .iter()
                .filter(|e| c.applies_to.contains(&e.id))
            {
                let f = e
                    .arcs
                    .iter()
                    .map(|a| p.capacity_factor(*a))
                    .fold(1.0, f64::min);
                if f < 1.0 {
                    match capacity_of(&e.id, e.kind) {
                        Some((part, _)) => lost += part * (1.0 - f),
                        None => floor = floor.min(f),
                    }
                }
            }
            ((1.0 - lost / cap).max(0.01)).min(floor)
        });
        capacitated.push(Capacitated {
            arcs,
            capacity: cap * factor,
            free_s,
        });
        corridor_caps.push(CorridorCapacity {
            id: c.id.clone(),
            capacity: cap * factor,
            factor,
            parts: c.applies_to.clone(),
            capacitated: capacitated.len() - 1,
        });
    }
    (elements, capacitated, corridor_caps)
}

//! Which passages, border crossings, ports, terminals, ferries, curated
//! links (or stretches of network) the routes of an origin–destination set
//! depend on most, ranked by the trade-weighted loss their failure causes
//! (`silkroute_route::criticality` does the search work).
//!
//! Every place is snapped once, every pair routed once on the baseline,
//! the elements are built from the network and its curated provenance, and
//! only the pairs whose baseline uses an element are re-answered with it
//! closed: the ranking is exact. The same machinery runs the Belt and Road
//! before/after ([`crate::bri_impact`]).

use rayon::prelude::*;
use serde_json::{Value, json};
use silkroute_graph::Network;
use silkroute_model::{LatLon, ModeSet, NodeKind, Progress};
use silkroute_route::criticality::{self, Baseline, Element, Kind, Loss, Pair, Ranked, Setting};
use silkroute_route::snap::{self, Candidate};
use silkroute_route::{Filter, Gazetteer, Objective, metric};

use crate::constraints::Constraints;
use crate::error::{Error, Result};
use crate::od::OdSet;
use crate::service::{Service, unit_for};
use crate::shipment::Shipment;

/// The element kinds `--elements` names, parsed.
pub fn parse_kinds(s: &str) -> Result<Vec<Kind>> {
    let kinds: Vec<Kind> = s
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            Kind::parse_plural(x).ok_or_else(|| {
                Error::invalid_value(format!(
                    "unknown element kind {x:?} in --elements (choose from {})",
                    Kind::ALL.map(Kind::plural).join(", ")
                ))
            })
        })
        .collect::<Result<_>>()?;
    if kinds.is_empty() {
        return Err(Error::invalid_value("--elements lists no element kind"));
    }
    Ok(kinds)
}

/// A criticality question.
#[derive(Clone, Debug)]
pub struct CriticalityRequest {
    /// Pairs with their trade weight as the value.
    pub od: OdSet,
    pub kinds: Vec<Kind>,
    /// How many elements to report (0 = every element that carries a
    /// route).
    pub top: usize,
    pub modes: ModeSet,
    pub objective: Objective,
    pub shipment: Shipment,
    /// Unit of the weights, for labels ("pair", "tonnes", …), when the
    /// pairs carry values (`od.valued`).
    pub weight_unit: String,
    /// Without values of their own, weigh every pair 1 instead of by the
    /// default gravity model ([`crate::trade`]).
    pub unit_weights: bool,
}

/// The ranking.
#[derive(Clone, Debug)]
pub struct CriticalityReport {
    pub od: OdSet,
    pub elements: Vec<Element>,
    /// The reported elements, worst first.
    pub ranked: Vec<Ranked>,
    /// Their readable names, parallel to `ranked`.
    pub names: Vec<String>,
    pub unit: &'static str,
    pub scale: f64,
    pub weight_unit: String,
    /// Which weights were used, in words.
    pub weights: String,
    /// Countries without a GDP figure, whose pairs weighed 0 (gravity
    /// weights only).
    pub weights_missing: Vec<String>,
    pub objective: Objective,
    pub modes: ModeSet,
    pub pairs_without_baseline: usize,
    pub elements_carrying_routes: usize,
    pub seconds: f64,
}

fn rnd(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

impl CriticalityReport {
    pub fn pair_label(&self, p: usize) -> String {
        self.od.pair_label(p)
    }

    /// Extra value per rerouted pair.
    pub fn mean_extra(&self, r: &Ranked) -> f64 {
        let reached = r.affected_pairs - r.cut_pairs;
        if reached == 0 {
            0.0
        } else {
            r.extra as f64 * self.scale / reached as f64
        }
    }

    fn element_json(&self, i: usize, net: &Network) -> Value {
        let r = &self.ranked[i];
        let e = &self.elements[r.element];
        let at = e.anchor(net);
        json!({
            "rank": i + 1,
            "id": e.id,
            "kind": e.kind.as_str(),
            "name": self.names[i],
            "affected_pairs": r.affected_pairs,
            "affected_weight": rnd(r.affected_weight, 3),
            "cut_pairs": r.cut_pairs,
            "cut_weight": rnd(r.cut_weight, 3),
            "loss": rnd(r.weighted_extra * self.scale, 2),
            "loss_unit": format!("{} × {}", self.unit, self.weight_unit),
            "extra_total": rnd(r.extra as f64 * self.scale, 2),
            "mean_extra": rnd(self.mean_extra(r), 2),
            "unit": self.unit,
            "worst_pair": r.worst.map(|(p, d)| json!({"pair": self.pair_label(p), "extra": rnd(d as f64 * self.scale, 2)})),
            "lat": rnd(at.lat, 5),
            "lon": rnd(at.lon, 5),
        })
    }

    pub fn json(&self, net: &Network) -> Value {
        json!({
            "code": "Ok",
            "objective": self.objective.as_str(),
            "modes": self.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "unit": self.unit,
            "weight_unit": self.weight_unit,
            "weights": self.weights,
            "weights_missing": self.weights_missing,
            "pairs": self.od.pairs.len(),
            "pairs_without_baseline": self.pairs_without_baseline,
            "elements": self.elements.len(),
            "elements_carrying_routes": self.elements_carrying_routes,
            "ranking": (0..self.ranked.len()).map(|i| self.element_json(i, net)).collect::<Vec<_>>(),
            "notes": self.od.notes,
        })
    }

    /// One Feature per ranked element: a point for ports and terminals,
    /// lines for the rest.
    pub fn geojson(&self, net: &Network) -> Value {
        json!({
            "type": "FeatureCollection",
            "features": (0..self.ranked.len()).map(|i| {
                json!({
                    "type": "Feature",
                    "geometry": geometry(net, &self.elements[self.ranked[i].element]),
                    "properties": self.element_json(i, net),
                })
            }).collect::<Vec<_>>(),
        })
    }
}

/// A point for elements drawn as nodes, lines for the rest.
fn geometry(net: &Network, e: &Element) -> Value {
    if !e.nodes.is_empty() {
        let p = e.anchor(net);
        return json!({"type": "Point", "coordinates": [rnd(p.lon, 6), rnd(p.lat, 6)]});
    }
    let parts: Vec<Vec<[f64; 2]>> = e
        .segments(net)
        .iter()
        .flat_map(|s| crate::geojson::split_antimeridian(s))
        .collect();
    json!({"type": "MultiLineString", "coordinates": parts})
}

/// A readable name for an element: its own, or its kind and nearest city.
pub fn element_name(net: &Network, gazetteer: &Gazetteer, e: &Element) -> String {
    let near = |p: LatLon| match gazetteer.nearest_city(p, 15_000) {
        Some((c, d)) if d < 2_000.0 => format!("{}, {}", c.name, c.country),
        Some((c, d)) => format!("near {}, {} ({:.0} km)", c.name, c.country, d / 1000.0),
        None => format!("{:.3},{:.3}", p.lat, p.lon),
    };
    match e.kind {
        Kind::Crossing if e.name.is_empty() => {
            // id is crossing:AA-BB-mode@lat,lon
            let what =
                e.id.trim_start_matches("crossing:")
                    .split('@')
                    .next()
                    .unwrap_or("");
            let mut parts = what.split('-');
            let (a, b, m) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            format!("{a}–{b} {m} border {}", near(e.anchor(net)))
        }
        Kind::Port if e.name.is_empty() => format!("port {}", near(e.anchor(net))),
        Kind::Segment => {
            let mode = e
                .arcs
                .first()
                .and_then(|a| silkroute_model::Mode::from_code(net.arc_mode()[*a as usize]))
                .map_or("?", |m| m.as_str());
            let km: f64 = e
                .arcs
                .iter()
                .map(|a| net.arc_length_m()[*a as usize] as f64)
                .sum::<f64>()
                / 2000.0;
            format!("{mode} segment {km:.0} km {}", near(e.anchor(net)))
        }
        _ if e.name.is_empty() => near(e.anchor(net)),
        _ => e.name.clone(),
    }
}

/// What an analysis over an OD set runs on: the filter, each place's
/// candidates, the pairs in the search's shape and their baseline.
pub(crate) struct Setup {
    pub filter: Filter,
    pub candidates: Vec<Vec<(Candidate, u64)>>,
    pub pairs: Vec<Pair>,
    pub baseline: Baseline,
}

impl Service {
    /// Snapping candidates with their access costs, per place: the usual
    /// candidates plus, where one of them is a port or terminal, the
    /// candidates the place would have without it. So closing the port a
    /// city joins by lets its cargo use the next one (as a route asked with
    /// that port avoided would), and the candidate sets stay fixed, which
    /// keeps the ranking exact.
    fn hub_candidates(
        &self,
        od: &OdSet,
        filter: &Filter,
        shipment: &Shipment,
        objective: Objective,
    ) -> Vec<Vec<(Candidate, u64)>> {
        let net = self.net();
        let pricing = shipment.pricing();
        let mut without = filter.clone();
        if without.closed_nodes.is_empty() {
            without.closed_nodes = vec![false; net.node_count()];
        }
        od.places
            .iter()
            .map(|p| {
                let p = &p.place;
                if silkroute_route::inside_closed_area(net, filter, p.pos) {
                    return Vec::new();
                }
                let mut c = snap::candidates(net, p.pos, filter);
                let hubs: Vec<usize> = c
                    .iter()
                    .filter(|c| net.kind(c.node) != NodeKind::Junction)
                    .map(|c| c.node.index())
                    .filter(|v| !without.closed_nodes[*v])
                    .collect();
                if !hubs.is_empty() {
                    for v in &hubs {
                        without.closed_nodes[*v] = true;
                    }
                    for extra in snap::candidates(net, p.pos, &without) {
                        if !c.iter().any(|x| x.node == extra.node) {
                            c.push(extra);
                        }
                    }
                    for v in &hubs {
                        without.closed_nodes[*v] = false;
                    }
                }
                c.into_iter()
                    .map(|c| {
                        let a = metric::access_cost(&pricing, objective, c.distance_m);
                        (c, a)
                    })
                    .collect()
            })
            .collect()
    }

    /// Snaps every place and routes every pair on the baseline.
    pub(crate) fn setup(
        &self,
        od: &OdSet,
        modes: ModeSet,
        objective: Objective,
        shipment: &Shipment,
        progress: &(dyn Progress + Sync),
    ) -> Result<Setup> {
        let filter = self.constraints(&Constraints::modes(modes))?.filter;
        let candidates = self.hub_candidates(od, &filter, shipment, objective);
        let pairs: Vec<Pair> = od
            .pairs
            .iter()
            .map(|p| Pair {
                origin: p.from,
                destination: p.to,
                weight: p.value,
            })
            .collect();
        progress.stage("baseline routes", pairs.len() as u64);
        let pricing = shipment.pricing();
        let found: Vec<Option<(Option<u64>, Vec<u32>)>> = pairs
            .par_iter()
            .map(|p| {
                if progress.cancelled() {
                    return None;
                }
                let (o, t) = (&candidates[p.origin], &candidates[p.destination]);
                let f = self.engine().path(objective, &filter, &pricing, o, t);
                progress.advance(1);
                Some((
                    f.as_ref().map(|f| criticality::with_access(f, o, t)),
                    f.map(|f| f.arcs).unwrap_or_default(),
                ))
            })
            .collect();
        if progress.cancelled() {
            return Err(Error::cancelled());
        }
        let mut baseline = Baseline::default();
        for (value, arcs) in found.into_iter().map(|x| x.expect("not cancelled")) {
            baseline.value.push(value);
            baseline.arcs.push(arcs);
        }
        Ok(Setup {
            filter,
            candidates,
            pairs,
            baseline,
        })
    }

    /// Each element's losses over the pairs (see
    /// `silkroute_route::criticality::losses`), on the metric the engine
    /// prepared for the baseline.
    pub(crate) fn losses(
        &self,
        setup: &Setup,
        objective: Objective,
        shipment: &Shipment,
        elements: &[Element],
        progress: &(dyn Progress + Sync),
    ) -> Result<Vec<Loss>> {
        let affected = criticality::affected_pairs(self.net(), &setup.baseline, elements);
        let prepared = self
            .engine()
            .prepare(objective, &setup.filter, &shipment.pricing());
        let setting = Setting {
            net: self.net(),
            weights: &prepared.weights,
            hierarchy: self.engine().hierarchy_for(setup.filter.modes),
            metric: prepared.metric.as_ref(),
            origins: &setup.candidates,
            destinations: &setup.candidates,
            pairs: &setup.pairs,
        };
        criticality::losses(&setting, elements, &affected, progress).ok_or_else(Error::cancelled)
    }

    /// Ranks the elements of the request's kinds by the loss their failure
    /// causes over its pairs.
    pub fn criticality(
        &self,
        req: &CriticalityRequest,
        progress: &(dyn Progress + Sync),
    ) -> Result<CriticalityReport> {
        let started = std::time::Instant::now();
        let net = self.net();
        let mut od = req.od.clone();
        for n in &req.od.notes {
            progress.note(n);
        }
        let (weights, weights_missing) =
            crate::trade::choose(&mut od, &req.weight_unit, req.unit_weights)?;
        let setup = self.setup(&od, req.modes, req.objective, &req.shipment, progress)?;
        let used = setup.baseline.used_arcs();
        let kinds = &req.kinds;
        // Curated records first, so their names win over generic ports and
        // crossings on the same arcs.
        let records = silkroute_route::curated::records(net);
        let mut elements: Vec<Element> = Vec::new();
        if kinds.contains(&Kind::Passage) {
            elements.extend(criticality::passage_elements(net));
        }
        let curated: Vec<Element> = criticality::curated_elements(net, &records)
            .into_iter()
            .filter(|e| kinds.contains(&e.kind))
            .collect();
        let curated_port_nodes: Vec<u32> = curated
            .iter()
            .filter(|e| e.kind == Kind::Port)
            .flat_map(|e| e.nodes.iter().copied())
            .collect();
        let mut curated_crossing_arcs: Vec<u32> = curated
            .iter()
            .filter(|e| e.kind == Kind::Crossing)
            .flat_map(|e| e.arcs.iter().copied())
            .collect();
        curated_crossing_arcs.sort_unstable();
        elements.extend(curated);
        if kinds.contains(&Kind::Port) {
            elements.extend(criticality::port_elements(net, &used, &curated_port_nodes));
        }
        if kinds.contains(&Kind::Segment) {
            elements.extend(criticality::segment_elements(net, &setup.baseline));
        }
        if kinds.contains(&Kind::Crossing) {
            elements.extend(criticality::crossing_elements(
                net,
                &used,
                &curated_crossing_arcs,
            ));
        }
        let busy = criticality::affected_pairs(net, &setup.baseline, &elements)
            .iter()
            .filter(|a| !a.is_empty())
            .count();
        progress.stage(
            &format!("closing {busy} of {} elements", elements.len()),
            busy as u64,
        );
        let losses = self.losses(&setup, req.objective, &req.shipment, &elements, progress)?;
        let ranked = criticality::rank(&elements, &setup.baseline, &setup.pairs, &losses);
        let shown: Vec<Ranked> = if req.top == 0 {
            ranked
        } else {
            ranked.into_iter().take(req.top).collect()
        };
        let names = shown
            .iter()
            .map(|r| element_name(net, self.gazetteer(), &elements[r.element]))
            .collect();
        let (unit_name, scale) = unit_for(req.objective, &req.shipment);
        Ok(CriticalityReport {
            od,
            elements,
            ranked: shown,
            names,
            unit: unit_name,
            scale,
            weight_unit: match &weights {
                crate::trade::Weights::Given(u) => u.clone(),
                crate::trade::Weights::Gravity => "gravity weight".into(),
                crate::trade::Weights::Unit => "pair".into(),
            },
            weights: weights.label(),
            weights_missing,
            objective: req.objective,
            modes: req.modes,
            pairs_without_baseline: setup.baseline.value.iter().filter(|v| v.is_none()).count(),
            elements_carrying_routes: busy,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

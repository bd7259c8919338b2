//! The [`Service`]: one opened network with its gazetteer, its curated
//! catalogue and a caching engine, answering every question a shell asks.
//!
//! `Send + Sync`, every method takes `&self`: one service serves many
//! threads (the HTTP server's workers, a Python notebook's threads), with
//! the engine's bounded metric cache shared between them. Methods take
//! owned request types (`Clone + Send`) and a progress hook where work is
//! long; they return plain answer types that know their JSON
//! ([`crate::json`]) and GeoJSON ([`crate::geojson`]).

use std::sync::Arc;

use silkroute_graph::Network;
use silkroute_import::{Corridor, CorridorMatch};
use silkroute_model::{LatLon, ModeSet, NodeId, NodeKind, PlaceKind, Progress};
use silkroute_route::fast::{Engine, EngineOptions};
use silkroute_route::snap::Candidate;
use silkroute_route::{
    Filter, Gazetteer, Objective, Request, ResolvedPlace, Route, alternatives, many, metric, pareto,
};

use crate::catalogue::Catalogue;
use crate::constraints::{self, Constraints, Resolved};
use crate::error::{Error, Result};
use crate::od::OdPlace;
use crate::shipment::Shipment;
use crate::store::NetworkSource;

/// The Pareto set's default ε (5 %): below the uncertainty of the cost
/// model itself.
pub const DEFAULT_EPSILON: f64 = pareto::DEFAULT_EPSILON;

/// The most cells (origins × destinations) one [`Service::matrix`] answers;
/// more is refused with [`crate::Code::TooBig`] before any work, so one
/// request cannot take the memory of a shared service. 4,000,000 is a
/// 2,000 × 2,000 table: about half a gigabyte while it is answered and a
/// second or two on 2 cores on the world network (a 1,000 × 1,000
/// multimodal one takes 0.3–0.7 s once its metric is
/// customized). Split a larger table into blocks of origins.
pub const MAX_MATRIX_CELLS: usize = 4_000_000;

/// One cell of a matrix: the objective's value, and time, cost, CO2e and
/// distance of its path.
pub use silkroute_route::many::Cell;

/// How a [`Service`] answers.
#[derive(Clone, Copy, Debug, Default)]
pub struct ServiceOptions {
    pub engine: EngineOptions,
}

impl ServiceOptions {
    /// For one question in a short-lived process: plain Dijkstra, because
    /// customizing a hierarchy costs more than one query.
    pub fn one_shot() -> ServiceOptions {
        ServiceOptions {
            engine: EngineOptions {
                use_hierarchy: false,
                ..EngineOptions::default()
            },
        }
    }
}

pub struct Service {
    engine: Engine,
    gazetteer: Gazetteer,
    catalogue: Catalogue,
    /// Ship classes and the passages they fit (`data/vessels.toml`).
    vessels: silkroute_cost::Vessels,
}

/// Which answer a route question wants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Want {
    /// The best route for the objective.
    Best,
    /// Up to this many meaningfully different routes.
    Alternatives(usize),
    /// The (1 + ε)-Pareto set over time × cost × CO2e.
    Pareto { epsilon: f64 },
    /// A planner's first look: the fastest, the cheapest and the
    /// lowest-CO2e routes, in that order, a path that wins several
    /// criteria listed once ([`RoutesAnswer::best_for`] says which). The
    /// request's objective is not used.
    Overview,
}

/// The criteria of [`Want::Overview`], in the order it lists them.
pub const OVERVIEW_CRITERIA: [Objective; 3] = [Objective::Time, Objective::Cost, Objective::Co2];

/// A route question.
#[derive(Clone, Debug)]
pub struct RouteRequest {
    /// Anything a place query accepts: `lat,lon`, a UN/LOCODE, an IATA
    /// code, a name in English or Chinese, `Name, CC`.
    pub from: String,
    pub to: String,
    pub constraints: Constraints,
    pub objective: Objective,
    pub shipment: Shipment,
    /// Follow a Belt and Road corridor: its modes and waypoints (before any
    /// of `constraints.via`) replace `constraints.modes`.
    pub corridor: Option<String>,
    pub want: Want,
    /// The longest first or last mile (place → nearest node of the chosen
    /// modes, straight line), km; `None` takes [`max_join_km`] of the
    /// modes. Like OSRM's `radiuses`: a place farther from the network is
    /// `NoSegment`, not a route that starts out of sight of it.
    pub max_join_km: Option<f64>,
}

/// The answer of [`Service::path`]: a network path alone.
#[derive(Clone, Debug)]
pub struct PathAnswer {
    pub objective: Objective,
    /// The objective's sum over the path's arcs (the ends' joins
    /// excluded), in `unit` per FEU-equivalent of the cargo for cost and
    /// CO2e.
    pub value: f64,
    pub unit: &'static str,
    /// The length of the path's arcs, km (the joins excluded).
    pub distance_km: f64,
    pub origin: PathEnd,
    pub destination: PathEnd,
    /// The path's nodes in order, from the origin's join to the
    /// destination's.
    pub nodes: Vec<LatLon>,
}

/// Where a path's end joins the network.
#[derive(Clone, Debug)]
pub struct PathEnd {
    /// The place as it resolved.
    pub place: String,
    /// The network node it joins at.
    pub joined_at: LatLon,
    /// Straight line from the place to that node, km.
    pub join_km: f64,
}

/// Whole km with thousands separators (3,845).
fn thousands(km: f64) -> String {
    let digits = format!("{:.0}", km.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Default longest join, km, for a mode: 150 km for the land and ferry
/// networks (about a day's drayage, at the cost model's road speed with
/// its rests, to a railhead, road junction or ferry terminal); 500 km for
/// sea and air, whose gateways serve a wider hinterland by road feeder.
/// These are the tool's documented limits, not measured figures: a place
/// farther away needs the land modes in the mode set (or
/// `max_join_km`), so a first or last mile the totals do not carry stays
/// short. With several modes, the largest of theirs applies.
pub const MAX_JOIN_KM_LAND: f64 = 150.0;
/// A route must run at least this share of the straight line between its
/// places on the network; less is "no route" (both ends joined at nearly
/// one point).
pub const MIN_CARRIED_SHARE: f64 = 0.5;
pub const MAX_JOIN_KM_GATEWAY: f64 = 500.0;

pub fn max_join_km(modes: ModeSet) -> f64 {
    modes
        .iter()
        .map(|m| match m {
            silkroute_model::Mode::Sea | silkroute_model::Mode::Air => MAX_JOIN_KM_GATEWAY,
            _ => MAX_JOIN_KM_LAND,
        })
        .fold(0.0, f64::max)
}

/// One path: the same arcs between the same joins.
fn same_path(a: &Route, b: &Route) -> bool {
    a.arcs == b.arcs && a.origin.node == b.origin.node && a.destination.node == b.destination.node
}

/// A corridor a route follows.
#[derive(Clone, Debug, PartialEq)]
pub struct CorridorRef {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    /// The corridor's curated records the route uses, in route order.
    pub matched: Vec<String>,
}

impl CorridorRef {
    fn of(c: &Corridor, matched: Vec<String>) -> CorridorRef {
        CorridorRef {
            id: c.id.clone(),
            name: c.name.clone(),
            name_zh: c.name_zh.clone(),
            matched,
        }
    }
}

/// The answer to a route question.
#[derive(Clone, Debug)]
pub struct RoutesAnswer {
    pub routes: Vec<Route>,
    /// Per route, the corridors it follows, best first.
    pub corridors: Vec<Vec<CorridorRef>>,
    /// Per route, its P10/P50/P90 transit time ([`crate::reliability`]).
    pub spreads: Vec<crate::reliability::Spread>,
    /// Per route and leg, the classes of a sea leg's two ports
    /// ([`Catalogue::port_class`]).
    pub port_classes: Vec<Vec<[Option<&'static str>; 2]>>,
    /// Notes on the whole answer (a Pareto search that stopped early).
    pub notes: Vec<String>,
    /// With [`Want::Overview`], per route, the criteria it is best at
    /// (of [`OVERVIEW_CRITERIA`]); empty otherwise.
    pub best_for: Vec<Vec<Objective>>,
    /// What the gazetteer said about the places asked for (an ambiguous
    /// name taken as its most populous city), in the order they were
    /// named; the JSON puts them first in `notes`.
    pub place_notes: Vec<String>,
    /// The corridor the request followed.
    pub corridor: Option<CorridorRef>,
    pub want: Want,
    pub objective: Objective,
    pub modes: ModeSet,
    pub cargo: String,
    /// The constraints in words.
    pub constraints: String,
    /// The ship class the sea legs sail with (given, or the default rule's).
    pub vessel: Option<crate::constraints::VesselChoice>,
    pub price_year: i64,
}

impl RoutesAnswer {
    /// The routes as GeoJSON ([`crate::geojson::routes_geojson`]); each
    /// route's origin and destination points also carry its P10/P50/P90
    /// transit days (`transit_p10_d`, `transit_p50_d`, `transit_p90_d`) and
    /// the kinds of duration that varied (`transit_uncertain`, comma
    /// separated), as `transit_days` in its JSON.
    pub fn geojson(&self) -> serde_json::Value {
        let mut v = crate::geojson::routes_geojson(&self.routes);
        let spreads: Vec<crate::json::TransitDaysJson> =
            self.spreads.iter().map(Into::into).collect();
        for f in v["features"].as_array_mut().into_iter().flatten() {
            let p = &mut f["properties"];
            let end = matches!(p["role"].as_str(), Some("origin" | "destination"));
            let Some(t) = p["route"].as_u64().and_then(|i| spreads.get(i as usize)) else {
                continue;
            };
            if end {
                let kinds: Vec<&str> = t.uncertain.iter().map(|u| u.component).collect();
                p["transit_p10_d"] = serde_json::json!(t.p10);
                p["transit_p50_d"] = serde_json::json!(t.p50);
                p["transit_p90_d"] = serde_json::json!(t.p90);
                p["transit_uncertain"] = serde_json::json!(kinds.join(","));
            }
        }
        v
    }

    pub fn json(&self) -> crate::json::RoutesJson {
        use crate::json::{CorridorJson, CostModelJson, RouteJson, RoutesJson};
        let corridor_json = |c: &CorridorRef, matched: bool| CorridorJson {
            id: c.id.clone(),
            name: c.name.clone(),
            name_zh: c.name_zh.clone(),
            matched: matched.then(|| c.matched.clone()),
        };
        RoutesJson {
            code: "Ok",
            objective: if matches!(self.want, Want::Overview) {
                "overview"
            } else {
                self.objective.as_str()
            },
            cargo: self.cargo.clone(),
            modes: self.modes.iter().map(|m| m.as_str()).collect(),
            constraints: self.constraints.clone(),
            vessel: self.vessel.as_ref().map(crate::json::VesselJson::of),
            cost_model: CostModelJson {
                price_year: self.price_year,
                currency: "USD",
            },
            notes: self
                .place_notes
                .iter()
                .chain(&self.notes)
                .cloned()
                .collect(),
            routes: self
                .routes
                .iter()
                .zip(&self.corridors)
                .zip(&self.spreads)
                .enumerate()
                .map(|(i, ((r, c), s))| {
                    let mut json = RouteJson::new(r);
                    for (leg, [from, to]) in json
                        .legs
                        .iter_mut()
                        .zip(self.port_classes.get(i).into_iter().flatten())
                    {
                        leg.from_port_class = *from;
                        leg.to_port_class = *to;
                    }
                    RouteJson {
                        corridors: Some(c.iter().map(|c| corridor_json(c, true)).collect()),
                        transit_days: Some(s.into()),
                        best_for: self
                            .best_for
                            .get(i)
                            .map(|b| b.iter().map(|o| o.as_str()).collect()),
                        ..json
                    }
                })
                .collect(),
            corridor: self.corridor.as_ref().map(|c| corridor_json(c, false)),
        }
    }
}

/// A matrix question: every origin to every destination.
#[derive(Clone, Debug)]
pub struct MatrixRequest {
    pub origins: Vec<OdPlace>,
    pub destinations: Vec<OdPlace>,
    /// `via` must be empty.
    pub constraints: Constraints,
    pub objective: Objective,
    pub shipment: Shipment,
}

/// Time, cost, CO2e and distance for every pair, row-major.
#[derive(Clone, Debug)]
pub struct MatrixAnswer {
    pub origins: Vec<OdPlace>,
    pub destinations: Vec<OdPlace>,
    /// `cells[i * destinations.len() + j]`; `None` = unreachable.
    pub cells: Vec<Option<many::Cell>>,
    /// Places inside what the constraints close (their pairs are
    /// unreachable), each named once.
    pub closed_places: Vec<String>,
    /// Places farther from the network than the maximum join of the modes
    /// ([`max_join_km`]; their pairs are unreachable, as a route from there
    /// is `NoSegment`), each said once.
    pub join_notes: Vec<String>,
    pub constraints: String,
    pub objective: Objective,
    pub modes: ModeSet,
    pub cargo: String,
}

impl MatrixAnswer {
    /// What the gazetteer said about the origins and destinations (an
    /// ambiguous name taken as its most populous city), each note once.
    pub fn place_notes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for o in self.origins.iter().chain(&self.destinations) {
            if let Some(n) = &o.place.note
                && !out.contains(n)
            {
                out.push(n.clone());
            }
        }
        out.extend(self.join_notes.iter().cloned());
        out
    }

    /// A cell's hours, USD, kg CO2e (WTW) and km, rounded as the JSON
    /// rounds them (shells that return columns, not JSON, use this).
    pub fn values(c: &Cell) -> [f64; 4] {
        let r = crate::json::round;
        [
            r(c.impact.time_h, 3),
            r(c.impact.cost_usd, 2),
            r(c.impact.co2e_kg_wtw, 2),
            r(c.distance_m / 1000.0, 3),
        ]
    }

    /// Arrays in the shape of OSRM's table service, with every criterion.
    pub fn json(&self) -> serde_json::Value {
        use serde_json::json;
        let grid = |f: &dyn Fn(&Cell) -> f64| -> Vec<Vec<Option<f64>>> {
            (0..self.origins.len())
                .map(|i| {
                    (0..self.destinations.len())
                        .map(|j| self.cells[i * self.destinations.len() + j].as_ref().map(f))
                        .collect()
                })
                .collect()
        };
        let places = |v: &[OdPlace]| -> Vec<serde_json::Value> {
            v.iter()
                .map(|o| json!({"id": o.label, "name": o.place.label(), "lat": o.place.pos.lat, "lon": o.place.pos.lon}))
                .collect()
        };
        json!({
            "code": "Ok",
            "objective": self.objective.as_str(),
            "cargo": self.cargo,
            "modes": self.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "sources": places(&self.origins),
            "destinations": places(&self.destinations),
            "durations_h": grid(&|c| MatrixAnswer::values(c)[0]),
            "costs_usd": grid(&|c| MatrixAnswer::values(c)[1]),
            "co2e_kg": grid(&|c| MatrixAnswer::values(c)[2]),
            "distances_km": grid(&|c| MatrixAnswer::values(c)[3]),
            "notes": self.place_notes(),
        })
    }
}

/// A reachability question.
#[derive(Clone, Debug)]
pub struct ReachRequest {
    pub from: String,
    /// A duration such as 10d, 36h or 2d12h for time (see
    /// [`crate::parse::duration_seconds`]); a number of USD, kg CO2e or km
    /// for the other objectives.
    pub within: String,
    /// `via` must be empty.
    pub constraints: Constraints,
    pub objective: Objective,
    pub shipment: Shipment,
    /// Cities smaller than this are left out.
    pub min_population: u32,
}

/// A reached place and the objective's value there.
#[derive(Clone, Debug, PartialEq)]
pub struct Reached {
    pub name: String,
    /// `city` or a node kind (seaport, airport, rail_terminal, …).
    pub kind: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// Hours, USD, kg CO2e or km, by objective.
    pub value: f64,
}

#[derive(Clone, Debug)]
pub struct ReachAnswer {
    pub from: ResolvedPlace,
    pub within: String,
    pub objective: Objective,
    pub modes: ModeSet,
    pub reached_nodes: usize,
    /// Sorted by value, then name.
    pub places: Vec<Reached>,
    /// What the gazetteer said about the start (an ambiguous name taken as
    /// its most populous city) and the places avoided.
    pub notes: Vec<String>,
}

impl ReachAnswer {
    /// The JSON key of the value: arrival_h, cost_usd, co2e_kg or
    /// distance_km.
    pub fn value_key(&self) -> &'static str {
        match self.objective {
            Objective::Time => "arrival_h",
            Objective::Cost => "cost_usd",
            Objective::Co2 => "co2e_kg",
            Objective::Distance => "distance_km",
        }
    }

    pub fn json(&self) -> serde_json::Value {
        let key = self.value_key();
        serde_json::json!({
            "code": "Ok",
            "from": self.from.label(),
            "objective": self.objective.as_str(),
            "within": self.within,
            "modes": self.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "reached_nodes": self.reached_nodes,
            "notes": self.notes,
            "places": self.places.iter().map(|p| serde_json::json!({"name": p.name, "kind": p.kind, "country": p.country, "lat": p.lat, "lon": p.lon, key: p.value})).collect::<Vec<_>>(),
        })
    }

    pub fn geojson(&self) -> serde_json::Value {
        let key = self.value_key();
        serde_json::json!({
            "type": "FeatureCollection",
            "features": self.places.iter().map(|p| serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {"name": p.name, "kind": p.kind, "country": p.country, key: (p.value * 1000.0).round() / 1000.0},
            })).collect::<Vec<_>>(),
        })
    }
}

/// A network node near a point (OSRM's `nearest`).
#[derive(Clone, Debug, PartialEq)]
pub struct Waypoint {
    pub node: u32,
    pub location: LatLon,
    pub distance_m: f64,
    /// The node's name, or the nearest city's.
    pub name: String,
    pub kind: NodeKind,
}

impl Waypoint {
    pub fn json(&self) -> serde_json::Value {
        let r = crate::json::round;
        serde_json::json!({
            "node": self.node,
            "name": self.name,
            "kind": self.kind.as_str(),
            "lat": r(self.location.lat, 6),
            "lon": r(self.location.lon, 6),
            "distance_m": r(self.distance_m, 1),
        })
    }
}

/// A corridor's canonical service on the engine.
pub type CorridorRow = (Corridor, std::result::Result<Route, String>);

/// The scale and unit of an objective's integer weights for people, for
/// one FEU-equivalent of cargo (see [`unit_for`]).
pub fn unit(objective: Objective) -> (&'static str, f64) {
    match objective {
        Objective::Time => ("h", 1.0 / 3600.0),
        Objective::Cost => ("USD", 0.01),
        Objective::Co2 => ("kg CO2e", 0.001),
        Objective::Distance => ("km", 0.001),
    }
}

/// The scale and unit of an objective's integer weights for `shipment`:
/// cost and CO2e weights are per FEU-equivalent of its cargo
/// ([`silkroute_route::Pricing::weight_scale`]).
pub fn unit_for(objective: Objective, shipment: &Shipment) -> (&'static str, f64) {
    let (name, scale) = unit(objective);
    (name, scale * shipment.pricing().weight_scale(objective))
}

impl Service {
    /// Opens a network (building the default cache first if needed).
    pub fn open(
        source: &NetworkSource,
        options: ServiceOptions,
        progress: &dyn Progress,
    ) -> Result<Service> {
        Service::new(crate::store::open(source, progress)?, options)
    }

    /// A service over an opened network.
    pub fn new(net: Network, options: ServiceOptions) -> Result<Service> {
        Service::from_shared(Arc::new(net), options)
    }

    /// A service over a network shared with others (each service keeps
    /// its own metric cache).
    pub fn from_shared(net: Arc<Network>, options: ServiceOptions) -> Result<Service> {
        let catalogue = Catalogue::of(&net)?;
        let gazetteer = Gazetteer::new(net.places()?);
        Ok(Service {
            engine: Engine::new(net, options.engine),
            gazetteer,
            catalogue,
            vessels: silkroute_cost::Vessels::defaults(),
        })
    }

    /// Customizes, ahead of the first question, the time-optimal baseline
    /// metric of each mode set for the default shipment, and what deriving
    /// scenarios from it needs: a long-running shell (the server) calls it
    /// at start so the first route and the first scenario a user asks for
    /// are as quick as the next. Does nothing without a hierarchy.
    pub fn warm(&self, mode_sets: &[ModeSet]) {
        if !self.engine.has_hierarchy() || !self.engine.options().use_hierarchy {
            return;
        }
        let shipment = Shipment::default();
        let pricing = shipment.pricing();
        for &modes in mode_sets {
            self.engine
                .prepare(Objective::Time, &Filter::new(modes), &pricing);
            self.engine.warm_scenarios(modes);
        }
    }

    pub fn net(&self) -> &Network {
        self.engine.net()
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The network's fingerprint in hex: what OSRM calls `data_version`.
    pub fn data_version(&self) -> String {
        format!("{:016x}", self.net().fingerprint())
    }

    /// A place as the user wrote it.
    pub fn place(&self, text: &str) -> Result<ResolvedPlace> {
        Ok(self.gazetteer.resolve(text)?)
    }

    /// Constraints resolved against this network, for a question without
    /// two ends (the default class rule does not apply).
    pub fn constraints(&self, c: &Constraints) -> Result<Resolved> {
        constraints::resolve(self.net(), &self.gazetteer, &self.vessels, c, None)
    }

    /// Constraints resolved for a question between two places: without a
    /// `vessel`, the default class of their trade lane applies
    /// ([`crate::constraints`]).
    pub fn constraints_between(
        &self,
        c: &Constraints,
        from: &ResolvedPlace,
        to: &ResolvedPlace,
    ) -> Result<Resolved> {
        let (a, b) = (self.end_country(from), self.end_country(to));
        constraints::resolve(
            self.net(),
            &self.gazetteer,
            &self.vessels,
            c,
            Some((&a, &b)),
        )
    }

    /// The ship classes and passage limits this service routes with.
    pub fn vessels(&self) -> &silkroute_cost::Vessels {
        &self.vessels
    }

    /// A place's country (ISO alpha-2): the gazetteer's (the first of a
    /// border crossing's two), else that of the nearest network node.
    pub fn end_country(&self, place: &ResolvedPlace) -> String {
        let first = place.country.split('|').next().unwrap_or("").trim();
        if first.len() == 2 {
            return first.to_ascii_uppercase();
        }
        let net = self.net();
        net.kd_tree()
            .nearest(place.pos, 1, &mut |v| net.country(v).is_some())
            .first()
            .and_then(|(_, v)| net.country(*v))
            .unwrap_or_default()
    }

    /// A place's snapping candidates with access costs, or none when the
    /// place lies inside what the filter closes (the closed-place rule:
    /// joining it to the nearest open node would cross the closure).
    pub fn candidates(
        &self,
        place: &ResolvedPlace,
        filter: &Filter,
        shipment: &Shipment,
        objective: Objective,
    ) -> Vec<(Candidate, u64)> {
        if silkroute_route::inside_closed_area(self.net(), filter, place.pos) {
            return Vec::new();
        }
        self.engine
            .candidates(place.pos, filter, &shipment.pricing(), objective)
    }

    /// The arc weights of an objective (cached with the metric when the
    /// engine keeps metrics).
    pub fn weights(&self, objective: Objective, filter: &Filter, shipment: &Shipment) -> Vec<u32> {
        let pricing = shipment.pricing();
        if self.engine.has_hierarchy() && self.engine.options().use_hierarchy {
            self.engine
                .prepare(objective, filter, &pricing)
                .weights
                .clone()
        } else {
            metric::weights(self.net(), &pricing, objective, filter)
        }
    }

    fn corridor_refs(&self, route: &Route) -> Vec<CorridorRef> {
        self.catalogue
            .corridors_of(
                self.net(),
                &route.arcs,
                [Some(&route.origin.place), Some(&route.destination.place)],
            )
            .into_iter()
            .map(|CorridorMatch { index, matched }| {
                CorridorRef::of(&self.catalogue.corridors[index], matched)
            })
            .collect()
    }

    /// The corridor id a route follows, if any (the first of its
    /// corridors).
    pub fn corridor_id(&self, route: &Route) -> Option<String> {
        self.catalogue
            .corridor_of(self.net(), route)
            .map(|c| c.id.clone())
    }

    /// The maximum-join rule: an end farther than `max_join` km (default
    /// [`max_join_km`] of the modes) from the nearest open node of `modes`
    /// is `NoSegment`.
    fn check_joins(&self, request: &Request, modes: ModeSet, max_join: Option<f64>) -> Result<()> {
        let net = self.net();
        let max_km = match max_join {
            Some(km) if !(km.is_finite() && km > 0.0) => {
                return Err(Error::invalid_value(format!(
                    "the maximum join distance must be a positive number of km, not {km}"
                )));
            }
            Some(km) => km,
            None => max_join_km(modes),
        };
        for (role, place) in [("origin", &request.from), ("destination", &request.to)] {
            // The tree of the modes' nodes: the same nearest node as the
            // network's tree filtered by mode, without visiting the others.
            let near = self.engine.with_mode_tree(modes, |tree| {
                tree.nearest(place.pos, 1, &mut |v: NodeId| {
                    net.node_modes(v).intersects(modes) && request.filter.node_open(v.0)
                })
            });
            if let Some(&(_, v)) = near.first() {
                let km = silkroute_model::haversine_m(place.pos, net.pos(v)) / 1000.0;
                if km > max_km {
                    return Err(Error::new(
                        crate::Code::NoSegment,
                        format!(
                            "no segment near the {role} {} (nearest {} {} km away, more than the \
                             maximum join of {} km; add road to the modes for that mile, or raise --max-join-km)",
                            place.label(),
                            modes,
                            thousands(km),
                            thousands(max_km),
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The shortest path alone between two places: snapping plus one
    /// hierarchy query, with the path's length and nodes but no legs,
    /// prices or explanations (what scgraph's `get_shortest_path` and a
    /// bare OSRM route answer). The request's modes, objective, cargo,
    /// avoid and vessel count as in [`Service::route`]; `via`, `corridor`
    /// and `want` must be unset (a path has no stops). The ends join by the
    /// same rule, and a request the network cannot answer gets the same
    /// error as [`Service::route`] (which explains it).
    pub fn path(&self, req: &RouteRequest) -> Result<PathAnswer> {
        if !req.constraints.via.is_empty() || req.corridor.is_some() {
            return Err(Error::invalid_options(
                "a path takes no via places or corridor; ask for a route",
            ));
        }
        let from = self.place(&req.from)?;
        let to = self.place(&req.to)?;
        let resolved = self.constraints_between(&req.constraints, &from, &to)?;
        let request = Request {
            from,
            to,
            via_places: Vec::new(),
            via_passage: resolved.via_passage,
            filter: resolved.filter,
            objective: req.objective,
            pricing: req.shipment.pricing(),
            constraints: resolved.words.clone(),
        };
        if request.via_passage.is_some() {
            return Err(Error::invalid_options(
                "a path takes no via passage; ask for a route",
            ));
        }
        self.check_joins(&request, req.constraints.modes, req.max_join_km)?;
        let found = match self.engine.shortest_path(&request)? {
            Some(f) => f,
            // No path: the route search says why, with the same error.
            None => {
                self.engine.best_route(&self.gazetteer, &request)?;
                return Err(Error::new(
                    crate::Code::NoRoute,
                    format!(
                        "no {} path from {} to {}",
                        req.constraints.modes,
                        request.from.label(),
                        request.to.label()
                    ),
                ));
            }
        };
        let net = self.net();
        let (head, length) = (net.arc_head(), net.arc_length_m());
        let (lat, lon) = net.lat_lon_e7();
        let at = |v: u32| LatLon::new(lat[v as usize] as f64 * 1e-7, lon[v as usize] as f64 * 1e-7);
        let mut nodes = Vec::with_capacity(found.arcs.len() + 1);
        nodes.push(at(found.origin.node.0));
        let mut metres = 0u64;
        for &a in &found.arcs {
            nodes.push(at(head[a as usize]));
            metres += u64::from(length[a as usize]);
        }
        let (unit, scale) = unit_for(req.objective, &req.shipment);
        let end = |place: &silkroute_route::ResolvedPlace, c: &Candidate| PathEnd {
            place: place.label(),
            joined_at: net.pos(c.node),
            join_km: c.distance_m / 1000.0,
        };
        Ok(PathAnswer {
            objective: req.objective,
            value: found.weight as f64 * scale,
            unit,
            distance_km: metres as f64 / 1000.0,
            origin: end(&request.from, &found.origin),
            destination: end(&request.to, &found.target),
            nodes,
        })
    }

    /// Routes between two places: the best, alternatives or the Pareto set.
    pub fn route(&self, req: &RouteRequest) -> Result<RoutesAnswer> {
        self.route_with(req, &silkroute_model::NoProgress)
    }

    /// [`Service::route`], the Pareto search reporting its stages to
    /// `progress` (labels created, out of the label limit) and stopping
    /// with `Cancelled` when it asks.
    pub fn route_with(
        &self,
        req: &RouteRequest,
        progress: &(dyn Progress + Sync),
    ) -> Result<RoutesAnswer> {
        let mut constraints = req.constraints.clone();
        let corridor = match &req.corridor {
            None => None,
            Some(id) => {
                let c = self.catalogue.corridor(id)?;
                let q = c.query.as_ref().ok_or_else(|| {
                    Error::invalid_value(format!("corridor {id} has no engine query"))
                })?;
                constraints.modes = crate::parse::modes(&q.modes)?;
                // The corridor's waypoints come before any via of the user's.
                let mut via = q.via_places.clone();
                via.extend(q.via.iter().cloned());
                via.append(&mut constraints.via);
                constraints.via = via;
                Some(CorridorRef::of(c, Vec::new()))
            }
        };
        match req.want {
            Want::Pareto { epsilon } => {
                crate::parse::epsilon(epsilon)?;
            }
            Want::Alternatives(0) => {
                return Err(Error::invalid_value("--alternatives must be at least 1"));
            }
            _ => {}
        }
        let from = self.place(&req.from)?;
        let to = self.place(&req.to)?;
        let resolved = self.constraints_between(&constraints, &from, &to)?;
        let vessel = resolved.vessel.clone();
        let place_notes: Vec<String> = from
            .note
            .iter()
            .chain(&to.note)
            .chain(&resolved.place_notes)
            .cloned()
            .collect();
        let shipment = &req.shipment;
        let request = Request {
            from,
            to,
            via_places: resolved.via_places,
            via_passage: resolved.via_passage,
            filter: resolved.filter,
            objective: req.objective,
            pricing: shipment.pricing(),
            constraints: resolved.words.clone(),
        };
        let (net, g) = (self.net(), &self.gazetteer);
        self.check_joins(&request, constraints.modes, req.max_join_km)?;
        let fast = self.engine.options().use_hierarchy && self.engine.has_hierarchy();
        let mut notes = Vec::new();
        let mut best_for: Vec<Vec<Objective>> = Vec::new();
        let routes = match req.want {
            Want::Pareto { epsilon } => {
                let (routes, truncated) = if fast {
                    self.engine
                        .pareto_progress(g, &request, epsilon, progress)?
                } else {
                    pareto::pareto_with(
                        net,
                        g,
                        &request,
                        epsilon,
                        &mut Default::default(),
                        progress,
                    )?
                };
                if progress.cancelled() {
                    return Err(Error::cancelled());
                }
                if truncated {
                    notes.push(format!(
                        "the Pareto search stopped after {} labels; the set may be incomplete, but its fastest, cheapest and lowest-CO2e routes are exact",
                        pareto::MAX_LABELS
                    ));
                }
                routes
            }
            Want::Alternatives(k) => alternatives::alternatives(net, g, &request, k)?,
            Want::Best => vec![if fast {
                self.engine.best_route(g, &request)?
            } else {
                silkroute_route::best_route(net, g, &request)?
            }],
            Want::Overview => {
                let mut routes: Vec<Route> = Vec::new();
                for objective in OVERVIEW_CRITERIA {
                    let request = Request {
                        objective,
                        ..request.clone()
                    };
                    let route = if fast {
                        self.engine.best_route(g, &request)?
                    } else {
                        silkroute_route::best_route(net, g, &request)?
                    };
                    match routes.iter().position(|r| same_path(r, &route)) {
                        Some(i) => best_for[i].push(objective),
                        None => {
                            routes.push(route);
                            best_for.push(vec![objective]);
                        }
                    }
                }
                routes
            }
        };
        // A route the network barely carries is no route: when both ends
        // join it at (nearly) one point, a 0-km answer would hide two first
        // and last miles that the network does not carry. The network
        // must carry at least half the straight line between the places.
        let apart_m = silkroute_model::haversine_m(request.from.pos, request.to.pos);
        let joins = routes.first().map_or((0.0, 0.0, 0.0), |r| {
            (r.origin.snap_m, r.destination.snap_m, r.network_m())
        });
        let routes: Vec<Route> = routes
            .into_iter()
            .filter(|r| r.network_m() >= MIN_CARRIED_SHARE * apart_m)
            .collect();
        if routes.is_empty() {
            return Err(Error::new(
                crate::Code::NoRoute,
                format!(
                    "no {} route from {} to {}: both join the network at nearly one point ({} km and {} km away), so it would carry {} km of the {} km between them",
                    constraints.modes,
                    request.from.label(),
                    request.to.label(),
                    thousands(joins.0 / 1000.0),
                    thousands(joins.1 / 1000.0),
                    thousands(joins.2 / 1000.0),
                    thousands(apart_m / 1000.0),
                ),
            ));
        }
        // A first or last mile that crosses a border says so: its drayage
        // leg prices the drive, not the border.
        let mut routes = routes;
        for r in &mut routes {
            for (end, access) in [("origin", &r.origin), ("destination", &r.destination)] {
                let place = &access.place;
                if let Some(joined) = net.country(access.node)
                    && !place.country.is_empty()
                    && joined != place.country
                {
                    r.notes.push(format!(
                        "the {end} {} joins the network in {joined}, {:.1} km away: that first or last mile crosses the {}–{joined} border, whose dwell and fees the route does not price",
                        place.label(),
                        access.snap_m / 1000.0,
                        place.country,
                    ));
                }
            }
        }
        let corridors = routes.iter().map(|r| self.corridor_refs(r)).collect();
        let spreads = routes
            .iter()
            .map(|r| {
                crate::reliability::spread(
                    r,
                    &self.catalogue.crossings,
                    &self.catalogue.ferries,
                    &shipment.model,
                )
            })
            .collect();
        let port_classes = routes
            .iter()
            .map(|r| {
                r.legs
                    .iter()
                    .map(|l| {
                        if l.mode == silkroute_model::Mode::Sea {
                            [
                                self.catalogue.port_class(&l.from),
                                self.catalogue.port_class(&l.to),
                            ]
                        } else {
                            [None, None]
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(RoutesAnswer {
            routes,
            corridors,
            spreads,
            port_classes,
            notes,
            best_for,
            place_notes,
            corridor,
            want: req.want,
            objective: req.objective,
            modes: constraints.modes,
            cargo: shipment.cargo.label(),
            constraints: resolved.words,
            vessel,
            price_year: shipment.model.price_year,
        })
    }

    /// Time, cost, CO2e and distance between every origin and destination.
    /// A place inside an area the constraints close joins nothing: its
    /// pairs are unreachable and the answer names it. At most
    /// [`MAX_MATRIX_CELLS`] cells. With hierarchies, the four criteria are
    /// summed per arc in whole seconds, cents, grams and metres along the
    /// objective's paths (`silkroute_route::companions`), without unpacking
    /// them.
    pub fn matrix(
        &self,
        req: &MatrixRequest,
        progress: &(dyn Progress + Sync),
    ) -> Result<MatrixAnswer> {
        if !req.constraints.via.is_empty() {
            return Err(Error::invalid_options("matrix does not take --via"));
        }
        let cells = req.origins.len().saturating_mul(req.destinations.len());
        if cells > MAX_MATRIX_CELLS {
            return Err(Error::too_big(format!(
                "a {} × {} matrix has {cells} cells, more than the {MAX_MATRIX_CELLS} one request may ask; split the origins into blocks",
                req.origins.len(),
                req.destinations.len()
            )));
        }
        let resolved = self.constraints(&req.constraints)?;
        let filter = &resolved.filter;
        let shipment = &req.shipment;
        let mut closed_places: Vec<String> = Vec::new();
        let mut join_notes: Vec<String> = Vec::new();
        // The same longest join as a route's (a place farther away is
        // `NoSegment` there, so its cells are unreachable here).
        let max_km = max_join_km(req.constraints.modes);
        let mut snap = |rows: &[OdPlace]| -> Vec<Vec<(Candidate, u64)>> {
            rows.iter()
                .map(|row| {
                    let mut c = self.candidates(&row.place, filter, shipment, req.objective);
                    if c.is_empty()
                        && silkroute_route::inside_closed_area(self.net(), filter, row.place.pos)
                    {
                        let name = row.place.label();
                        if !closed_places.contains(&name) {
                            closed_places.push(name);
                        }
                    }
                    let nearest_km = c
                        .iter()
                        .map(|(k, _)| k.distance_m / 1000.0)
                        .fold(f64::INFINITY, f64::min);
                    if nearest_km.is_finite() && nearest_km > max_km {
                        let note = format!(
                            "{}: nearest {} {} km away, more than the maximum join of {} km (its pairs are unreachable; add road to the modes for that mile)",
                            row.place.label(),
                            req.constraints.modes,
                            thousands(nearest_km),
                            thousands(max_km)
                        );
                        if !join_notes.contains(&note) {
                            join_notes.push(note);
                        }
                        c.clear();
                    }
                    c
                })
                .collect()
        };
        let oc = snap(&req.origins);
        let dc = snap(&req.destinations);
        progress.stage("rows", req.origins.len() as u64);
        let tick = || progress.advance(1);
        let pricing = shipment.pricing();
        let mut cells = if self.engine.has_hierarchy() {
            self.engine
                .matrix_cells(req.objective, filter, &pricing, &oc, &dc, &tick)
        } else {
            let weights = metric::weights(self.net(), &pricing, req.objective, filter);
            many::matrix(self.net(), &pricing, &weights, &oc, &dc, &tick)
        };
        if progress.cancelled() {
            return Err(Error::cancelled());
        }
        // A cell's totals carry its first and last mile as a route's do:
        // the drayage legs of its two joins (the search already weighed
        // them; the cell's own impact and distance are the network path's).
        // A cell with no network path (a place paired with itself) stays a
        // zero-length trip: nothing goes to the network and back.
        for c in cells.iter_mut().flatten().filter(|c| c.distance_m > 0.0) {
            for snap_m in [c.origin_snap_m, c.destination_snap_m] {
                if let Some((road_m, impact)) = pricing.model.drayage(snap_m, &pricing.cargo) {
                    c.impact += impact;
                    c.distance_m += road_m;
                }
            }
        }
        Ok(MatrixAnswer {
            origins: req.origins.clone(),
            destinations: req.destinations.clone(),
            cells,
            closed_places,
            join_notes,
            constraints: resolved.words,
            objective: req.objective,
            modes: req.constraints.modes,
            cargo: shipment.cargo.label(),
        })
    }

    /// Where cargo can get within a budget: every transfer point reached,
    /// and every city of at least `min_population` whose nearest open node
    /// is reached.
    pub fn reach(&self, req: &ReachRequest) -> Result<ReachAnswer> {
        let budget = crate::parse::budget(&req.within, req.objective, &req.shipment)?;
        if !req.constraints.via.is_empty() {
            return Err(Error::invalid_options("reach does not take --via"));
        }
        let net = self.net();
        let from = self.place(&req.from)?;
        let resolved = self.constraints(&req.constraints)?;
        let filter = &resolved.filter;
        // A start inside an avoided area is an error, as for a route:
        // snapping would silently start it outside.
        if silkroute_route::inside_closed_area(net, filter, from.pos) {
            return Err(silkroute_route::RouteError::PlaceClosed {
                place: from.label(),
                constraints: resolved.words.clone(),
                role: "start",
            }
            .into());
        }
        let sources = self.candidates(&from, filter, &req.shipment, req.objective);
        if sources.is_empty() {
            return Err(Error::new(
                crate::Code::NoSegment,
                format!("no {} network near {}", req.constraints.modes, from.label()),
            ));
        }
        let weights = self.weights(req.objective, filter, &req.shipment);
        let reached = many::reach(net, &weights, &sources, budget);
        let mut value = vec![u64::MAX; net.node_count()];
        for (v, d) in &reached {
            value[v.index()] = *d;
        }
        // Divided, not scaled, so values print as they always have; cost
        // and CO2e weights are per FEU-equivalent of the cargo.
        let divisor = match req.objective {
            Objective::Time => 3600.0,
            Objective::Cost => 100.0,
            Objective::Co2 | Objective::Distance => 1000.0,
        } / req.shipment.pricing().weight_scale(req.objective);
        let mut places = Vec::new();
        for (v, d) in &reached {
            let kind = net.kind(*v);
            if kind != NodeKind::Junction
                && let Some(name) = net.name(*v)
            {
                let p = net.pos(*v);
                places.push(Reached {
                    name: name.to_string(),
                    kind: kind.as_str().to_string(),
                    country: net.country(*v).unwrap_or_default(),
                    lat: p.lat,
                    lon: p.lon,
                    value: *d as f64 / divisor,
                });
            }
        }
        // Cities: reached when their nearest open node is (looked up in the
        // tree of the modes' nodes: with the whole network's, a rare mode
        // took 17 s for a ferry reach).
        let pricing = req.shipment.pricing();
        self.engine.with_mode_tree(req.constraints.modes, |tree| {
            for c in self
                .gazetteer
                .places()
                .iter()
                .filter(|p| p.kind == PlaceKind::City && p.population >= req.min_population)
            {
                let near = tree.nearest(c.pos, 1, &mut |v: NodeId| {
                    net.node_modes(v).intersects(req.constraints.modes) && filter.node_open(v.0)
                });
                if let Some(&(_, v)) = near.first()
                    && value[v.index()] != u64::MAX
                {
                    let access = metric::access_cost(
                        &pricing,
                        req.objective,
                        silkroute_model::haversine_m(c.pos, net.pos(v)),
                    );
                    let total = value[v.index()] + access;
                    if total <= budget {
                        places.push(Reached {
                            name: c.name.clone(),
                            kind: "city".into(),
                            country: c.country.clone(),
                            lat: c.pos.lat,
                            lon: c.pos.lon,
                            value: total as f64 / divisor,
                        });
                    }
                }
            }
        });
        places.sort_by(|a, b| a.value.total_cmp(&b.value).then(a.name.cmp(&b.name)));
        let notes = from
            .note
            .iter()
            .chain(&resolved.place_notes)
            .cloned()
            .collect();
        Ok(ReachAnswer {
            from,
            within: req.within.clone(),
            objective: req.objective,
            modes: req.constraints.modes,
            reached_nodes: reached.len(),
            places,
            notes,
        })
    }

    /// The `k` network nodes of `modes` nearest to a point, nearest first.
    pub fn nearest(&self, pos: LatLon, modes: ModeSet, k: usize) -> Vec<Waypoint> {
        let net = self.net();
        let all = net.node_modes_all();
        net.kd_tree()
            .nearest(pos, k, &mut |v: NodeId| {
                ModeSet(all[v.index()]).intersects(modes)
            })
            .into_iter()
            .map(|(_, v)| {
                let p = net.pos(v);
                let name = match net.name(v) {
                    Some(n) => n.to_string(),
                    None => self
                        .gazetteer
                        .nearest_city(p, 15_000)
                        .map_or(String::new(), |(c, _)| format!("{}, {}", c.name, c.country)),
                };
                Waypoint {
                    node: v.0,
                    location: p,
                    distance_m: silkroute_model::haversine_m(pos, p),
                    name,
                    kind: net.kind(v),
                }
            })
            .collect()
    }

    /// Each corridor's canonical service on the engine.
    pub fn corridors(&self, objective: Objective, shipment: &Shipment) -> Vec<CorridorRow> {
        self.catalogue
            .corridors
            .iter()
            .map(|c| {
                let result = match &c.query {
                    None => Err("no engine query for this corridor".to_string()),
                    Some(q) => self.corridor_service(q, objective, shipment),
                };
                (c.clone(), result)
            })
            .collect()
    }

    /// The edges and nodes of a corridor's canonical service (its engine
    /// query, fastest, one FEU), for `export --corridor`.
    pub fn corridor_selection(&self, id: &str) -> Result<crate::export::Only> {
        let corridor = self.catalogue.corridor(id)?;
        let q = corridor.query.as_ref().ok_or_else(|| {
            Error::invalid_value(format!("corridor {id} has no engine query to draw"))
        })?;
        let route = self
            .corridor_service(q, Objective::Time, &Shipment::default())
            .map_err(|e| Error::no_route(format!("corridor {id}: {e}")))?;
        Ok(crate::export::Only::of_arcs(
            self.net(),
            format!("corridor {id}"),
            &route.arcs,
        ))
    }

    fn corridor_service(
        &self,
        q: &silkroute_import::CorridorQuery,
        objective: Objective,
        shipment: &Shipment,
    ) -> std::result::Result<Route, String> {
        let modes = crate::parse::modes(&q.modes).map_err(|e| e.message)?;
        let from = self.place(&q.from).map_err(|e| e.message)?;
        let to = self.place(&q.to).map_err(|e| e.message)?;
        let mut filter = Filter::new(modes);
        let via_passage = match &q.via {
            None => None,
            Some(p) => {
                let p = crate::parse::passage(p).ok_or_else(|| format!("unknown passage {p}"))?;
                filter.open(p);
                Some(p)
            }
        };
        let via_places = q
            .via_places
            .iter()
            .map(|p| self.place(p).map_err(|e| e.message))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let req = Request {
            from,
            to,
            via_places,
            via_passage,
            filter,
            objective,
            pricing: shipment.pricing(),
            constraints: String::new(),
        };
        silkroute_route::best_route(self.net(), &self.gazetteer, &req).map_err(|e| e.to_string())
    }
}

/// Corridors with the engine's figures beside the published ones, as JSON.
pub fn corridors_json(
    rows: &[CorridorRow],
    objective: Objective,
    cargo: &str,
) -> serde_json::Value {
    use serde_json::json;
    json!({
        "code": "Ok",
        "objective": objective.as_str(),
        "cargo": cargo,
        "corridors": rows.iter().map(|(c, res)| {
            let published = json!({
                "service": c.service,
                "distance_km": c.published_km.map(|(a, b)| json!({"min": a, "max": b})),
                "transit_days": c.published_days.map(|(a, b)| json!({"min": a, "max": b})),
            });
            let engine = match res {
                Ok(route) => serde_json::to_value(crate::json::RouteJson::new(route)).unwrap_or_default(),
                Err(e) => json!({"error": e}),
            };
            json!({"id": c.id, "name": c.name, "name_zh": c.name_zh, "status": c.status, "published": published, "engine": engine})
        }).collect::<Vec<_>>(),
    })
}

/// Corridors' canonical services as GeoJSON, each feature naming its
/// corridor.
pub fn corridors_geojson(rows: &[CorridorRow]) -> serde_json::Value {
    let routes: Vec<Route> = rows
        .iter()
        .filter_map(|(_, res)| res.as_ref().ok().cloned())
        .collect();
    let mut v = crate::geojson::routes_geojson(&routes);
    let ids: Vec<&str> = rows
        .iter()
        .filter(|(_, res)| res.is_ok())
        .map(|(c, _)| c.id.as_str())
        .collect();
    if let Some(features) = v["features"].as_array_mut() {
        for f in features {
            let i = f["properties"]["route"].as_u64().unwrap_or(0) as usize;
            f["properties"]["corridor"] = serde_json::json!(ids.get(i));
        }
    }
    v
}

/// A suggestion for what a user is typing: the text that resolves to the
/// place, and what it is.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Suggestion {
    pub text: String,
    pub name: String,
    pub kind: &'static str,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
}

impl Service {
    /// Up to `k` places matching what the user has typed so far.
    pub fn suggest(&self, prefix: &str, k: usize) -> Vec<Suggestion> {
        self.gazetteer
            .suggest(prefix, k)
            .into_iter()
            .map(|(text, p)| Suggestion {
                text,
                name: p.name.clone(),
                kind: p.kind.as_str(),
                country: p.country.clone(),
                lat: p.pos.lat,
                lon: p.pos.lon,
            })
            .collect()
    }
}

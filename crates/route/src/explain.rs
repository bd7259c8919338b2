//! Turning a found path into an answer a person can check: legs of one mode
//! each with distance, time, cost and CO2e, transfers and border crossings
//! with their own time and cost, named stops, passages and countries, and
//! how far each end had to be moved to join the network.
//!
//! A border crossing or ferry leg that runs over a curated element (a named
//! crossing or ferry of the Belt and Road layer) names that record and shows
//! the dwell, fee, crossing time and wait it priced.
//!
//! Totals are sums of what is listed: every leg (transfer legs included)
//! plus every border crossing, so a reader can add them up. The first and
//! last mile, from each place to the node it joins, are road legs marked
//! as drayage ([`add_drayage`]), priced as the search charged them.

use silkroute_cost::Impact;
use silkroute_graph::{ELEMENT_CROSSING, ELEMENT_FERRY, ELEMENT_LINK, Network};
use silkroute_model::{LatLon, Mode, NodeId, NodeKind, Passage};

use crate::metric::{ArcRole, arc_element, arc_impact, arc_role};
use crate::objective::Pricing;
use crate::penalties::{ArcPenalty, Penalties};
use crate::places::{Gazetteer, ResolvedPlace};
use crate::search::{Found, node_path};
use crate::snap::Candidate;

/// A named point along a route.
#[derive(Clone, Debug, PartialEq)]
pub struct Stop {
    pub name: String,
    pub pos: LatLon,
    pub node: NodeId,
    pub kind: NodeKind,
    pub country: Option<String>,
    /// The place itself (the outer end of a drayage leg), not a network
    /// node: `node` is then the node it joins.
    pub place: bool,
}

/// A stretch of the route in one mode; `Mode::Transfer` legs are hub
/// operations (handling at a port, airport or terminal, plus the short
/// drayage between the modes).
#[derive(Clone, Debug, PartialEq)]
pub struct Leg {
    pub mode: Mode,
    pub from: Stop,
    pub to: Stop,
    pub distance_m: f64,
    pub impact: Impact,
    /// Named sea passages crossed, in order.
    pub passages: Vec<Passage>,
    /// Per priced canal crossed (Suez, Panama), in order, what it adds to
    /// the leg's impact: the toll, the transit time beyond the sailing time
    /// and the queue (already included in `impact`).
    pub canals: Vec<(Passage, Impact)>,
    /// Countries the leg runs through, in order (ISO 3166-1 alpha-2).
    pub countries: Vec<String>,
    /// The node coordinates along the leg.
    pub geometry: Vec<LatLon>,
    /// For a ferry leg: the sailing time and the expected wait for a sailing
    /// priced, and the curated ferry they come from.
    pub sailing: Option<Sailing>,
    /// The curated and user links (`user:…` ids) the leg runs on, in order.
    pub records: Vec<Curated>,
    /// The first or last mile: a road leg between a place and the node it
    /// joins, off the network ([`add_drayage`]).
    pub drayage: bool,
}

/// A curated record of the network (see `silkroute_graph::Element`).
#[derive(Clone, Debug, PartialEq)]
pub struct Curated {
    /// One of the `silkroute_graph::ELEMENT_*` labels.
    pub kind: String,
    pub id: String,
    pub name: String,
    /// How its figures were obtained (the rule and the source's basis).
    pub basis: String,
}

/// The time of a ferry leg, split into sailing and waiting.
#[derive(Clone, Debug, PartialEq)]
pub struct Sailing {
    pub crossing_h: f64,
    pub wait_h: f64,
    /// The curated ferry whose figures were used; `None` = cost model defaults.
    pub curated: Option<Curated>,
}

/// A rail, road or ferry border crossing with its dwell and fees.
#[derive(Clone, Debug, PartialEq)]
pub struct BorderCrossing {
    pub name: String,
    pub mode: Mode,
    pub from_country: String,
    pub to_country: String,
    pub pos: LatLon,
    pub impact: Impact,
    /// The rail gauges on either side (mm) when the crossing is a break of
    /// gauge; 0 where a side's gauge is unknown.
    pub gauge_change: Option<(u16, u16)>,
    /// A customs border (dwell and fees); false inside a customs union.
    pub customs: bool,
    /// Border dwell priced, hours (the gauge change comes on top).
    pub dwell_h: f64,
    /// Border fee priced, USD for the whole cargo.
    pub fee_usd: f64,
    /// The curated crossing whose dwell and fee were used, where the
    /// crossing has one; otherwise the cost model's defaults applied.
    pub curated: Option<Curated>,
}

/// Where one end of the route joined the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Access {
    pub place: ResolvedPlace,
    pub node: NodeId,
    pub pos: LatLon,
    /// Straight-line distance from the place to the node, metres.
    pub snap_m: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// Length of every leg, metres: the network's and the drayage legs'
    /// ([`Route::network_m`] is the network's alone).
    pub distance_m: f64,
    /// Sum of every leg (drayage included) and border crossing.
    pub total: Impact,
    pub legs: Vec<Leg>,
    pub border_crossings: Vec<BorderCrossing>,
    pub origin: Access,
    pub destination: Access,
    /// Things the user should know to trust the answer.
    pub notes: Vec<String>,
    /// The arcs, in order (for comparing routes).
    pub arcs: Vec<u32>,
    /// The curated records (crossings, ferries, links, terminals) the route
    /// runs over, in order of first use.
    pub curated: Vec<Curated>,
    /// Where each stretch between consecutive stops (origin, via places,
    /// destination) starts: its first leg and first border crossing.
    pub segments: Vec<(usize, usize)>,
}

impl Route {
    /// The legs on the network: all but the drayage legs at either end.
    pub fn network_legs(&self) -> &[Leg] {
        let start = self.legs.iter().take_while(|l| l.drayage).count();
        let end = self.legs.len()
            - self.legs[start..]
                .iter()
                .rev()
                .take_while(|l| l.drayage)
                .count();
        &self.legs[start..end]
    }

    /// Length along the network, metres (the drayage legs excluded): what
    /// the benchmark compares with other routers on the same graph.
    pub fn network_m(&self) -> f64 {
        self.network_legs().iter().map(|l| l.distance_m).sum()
    }

    pub fn passages(&self) -> Vec<Passage> {
        let mut out: Vec<Passage> = Vec::new();
        for p in self.legs.iter().flat_map(|l| &l.passages) {
            if !out.contains(p) {
                out.push(*p);
            }
        }
        out
    }

    pub fn countries(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in self.legs.iter().flat_map(|l| &l.countries) {
            if out.last() != Some(c) {
                out.push(c.clone());
            }
        }
        out
    }

    pub fn transfers(&self) -> usize {
        self.legs
            .iter()
            .filter(|l| l.mode == Mode::Transfer)
            .count()
    }

    /// Modes used, in order of first use (transfers excluded).
    pub fn modes(&self) -> Vec<Mode> {
        let mut out = Vec::new();
        for l in &self.legs {
            if l.mode != Mode::Transfer && !out.contains(&l.mode) {
                out.push(l.mode);
            }
        }
        out
    }

    /// Appends `next`, which starts where this route ends (a via point).
    pub fn extend(&mut self, next: Route) {
        let (legs, borders) = (self.legs.len(), self.border_crossings.len());
        self.segments
            .extend(next.segments.iter().map(|(l, b)| (l + legs, b + borders)));
        self.distance_m += next.distance_m;
        self.total += next.total;
        self.legs.extend(next.legs);
        self.border_crossings.extend(next.border_crossings);
        self.notes.extend(next.notes);
        self.arcs.extend(next.arcs);
        for c in next.curated {
            if !self.curated.iter().any(|x| x.id == c.id) {
                self.curated.push(c);
            }
        }
        self.destination = next.destination;
    }
}

/// A route's border crossing takes the name of a curated crossing between
/// the same two countries this close (curated coordinates are approximate).
const CROSSING_NAMING_RADIUS_M: f64 = 60_000.0;

/// Unnamed junctions are named after the nearest city this large.
const NAMING_CITY_POPULATION: u32 = 15_000;

fn place_name(gazetteer: &Gazetteer, pos: LatLon) -> String {
    match gazetteer.nearest_city(pos, NAMING_CITY_POPULATION) {
        Some((c, d)) if d < 2_000.0 => format!("{}, {}", c.name, c.country),
        Some((c, d)) => format!("near {}, {} ({:.0} km)", c.name, c.country, d / 1000.0),
        None => format!("{:.4},{:.4}", pos.lat, pos.lon),
    }
}

fn stop(net: &Network, v: NodeId, gazetteer: &Gazetteer, fallback: Option<&ResolvedPlace>) -> Stop {
    let pos = net.pos(v);
    let name = match (net.name(v), fallback) {
        (Some(n), _) => n.to_string(),
        (None, Some(p)) => p.label(),
        (None, None) => place_name(gazetteer, pos),
    };
    Stop {
        name,
        pos,
        node: v,
        kind: net.kind(v),
        country: net.country(v),
        place: false,
    }
}

fn access(net: &Network, place: &ResolvedPlace, c: &Candidate) -> Access {
    Access {
        place: place.clone(),
        node: c.node,
        pos: net.pos(c.node),
        snap_m: c.distance_m,
    }
}

pub fn route(
    net: &Network,
    pricing: &Pricing,
    from: &ResolvedPlace,
    to: &ResolvedPlace,
    found: &Found,
    gazetteer: &Gazetteer,
) -> Route {
    let nodes = node_path(net, found.origin.node, &found.arcs);
    let (mode, length, passage) = (net.arc_mode(), net.arc_length_m(), net.arc_passage());
    let mut legs = Vec::new();
    let mut borders = Vec::new();
    let mut used: Vec<Curated> = Vec::new();
    let mut i = 0;
    while i < found.arcs.len() {
        let m = mode[found.arcs[i] as usize];
        let mut j = i;
        let mut distance = 0u64;
        let mut impact = Impact::default();
        let mut passages: Vec<Passage> = Vec::new();
        let mut canals: Vec<(Passage, Impact)> = Vec::new();
        let mut countries: Vec<String> = Vec::new();
        let mut sailing: Option<Sailing> = None;
        let mut records: Vec<Curated> = Vec::new();
        let mut push_country = |c: Option<String>| {
            if let Some(c) = c
                && countries.last() != Some(&c)
            {
                countries.push(c);
            }
        };
        // The route's own ends count wherever they join (a sea leg may
        // start or end at a marnet node off a port, not at the port).
        if i == 0
            || net.kind(nodes[i]) != NodeKind::Junction
            || (m != Mode::Sea as u8 && m != Mode::Air as u8)
        {
            push_country(net.country(nodes[i]));
        }
        while j < found.arcs.len() && mode[found.arcs[j] as usize] == m {
            let a = found.arcs[j] as usize;
            distance += length[a] as u64;
            let (transport, extra, role) = arc_impact(net, pricing, nodes[j], a);
            impact += transport;
            let element = arc_element(net, a);
            let curated = element.as_ref().map(|e| Curated {
                kind: e.kind.clone(),
                id: e.id.clone(),
                name: e.name.clone(),
                basis: e.basis.clone(),
            });
            if let Some(c) = &curated
                && !used.iter().any(|x| x.id == c.id)
            {
                used.push(c.clone());
            }
            if let Some(c) = curated.as_ref().filter(|c| c.kind == ELEMENT_LINK)
                && records.last().is_none_or(|x| x.id != c.id)
            {
                records.push(c.clone());
            }
            if m == Mode::Ferry as u8 {
                let s = sailing.get_or_insert(Sailing {
                    crossing_h: 0.0,
                    wait_h: 0.0,
                    curated: None,
                });
                let wait = element
                    .as_ref()
                    .and_then(|e| e.wait_h)
                    .unwrap_or(pricing.model.ferry_wait_h);
                s.wait_h += wait;
                s.crossing_h += transport.time_h - wait;
                if let Some(c) = curated.as_ref().filter(|c| c.kind == ELEMENT_FERRY) {
                    s.curated = Some(c.clone());
                }
            }
            match role {
                ArcRole::Border {
                    customs,
                    gauge_break,
                } => {
                    let pos = net.pos(nodes[j + 1]);
                    let gauges = net.arc_gauge_mm();
                    let before = found.arcs[..j]
                        .iter()
                        .rev()
                        .map(|x| gauges[*x as usize])
                        .find(|g| *g != 0)
                        .unwrap_or(0);
                    let after = found.arcs[j + 1..]
                        .iter()
                        .map(|x| gauges[*x as usize])
                        .find(|g| *g != 0)
                        .unwrap_or(0);
                    let (fc, tc) = (
                        net.country(nodes[j]).unwrap_or_default(),
                        net.country(nodes[j + 1]).unwrap_or_default(),
                    );
                    let border_part = pricing.model.border_at(
                        Mode::from_code(m).unwrap_or(Mode::Rail),
                        &pricing.cargo,
                        customs,
                        element.as_ref().and_then(|e| e.dwell_h),
                        element.as_ref().and_then(|e| e.fee_usd),
                    );
                    // The record whose dwell and fee priced it: a crossing,
                    // or a ferry that publishes its customs step.
                    let priced_by = |c: &&Curated| {
                        c.kind == ELEMENT_CROSSING
                            || (c.kind == ELEMENT_FERRY
                                && element
                                    .as_ref()
                                    .is_some_and(|e| e.dwell_h.is_some() || e.fee_usd.is_some()))
                    };
                    let record = curated.as_ref().filter(priced_by);
                    // A ferry without its own customs figures still names
                    // the border after itself.
                    let named_by = record.or(curated.as_ref().filter(|c| c.kind == ELEMENT_FERRY));
                    let name = match (
                        named_by,
                        gazetteer.border_crossing(pos, &fc, &tc, CROSSING_NAMING_RADIUS_M),
                    ) {
                        (Some(c), _) => format!("{fc}–{tc} {}", c.name),
                        (None, Some(c)) => format!("{fc}–{tc} {}", c.name),
                        (None, None) => format!("{fc}–{tc} {}", place_name(gazetteer, pos)),
                    };
                    let curated = record.cloned();
                    borders.push(BorderCrossing {
                        name,
                        mode: Mode::from_code(m).unwrap_or(Mode::Rail),
                        from_country: fc,
                        to_country: tc,
                        pos,
                        impact: extra,
                        gauge_change: gauge_break.then_some((before, after)),
                        customs,
                        dwell_h: border_part.time_h,
                        fee_usd: border_part.cost_usd,
                        curated,
                    });
                }
                _ => impact += extra,
            }
            if let Some(p) = Passage::from_code(passage[a])
                && passages.last() != Some(&p)
            {
                passages.push(p);
            }
            if let Some(p) = crate::metric::canal_of(net, a) {
                let crossing = net.passage_length_m(p);
                let part = pricing.model.canal_crossing(
                    p,
                    &pricing.cargo,
                    crossing,
                    length[a] as f64 / crossing,
                );
                match canals.last_mut() {
                    Some((q, sum)) if *q == p => *sum += part,
                    _ => canals.push((p, part)),
                }
            }
            // Sea lanes and flights pass near many coasts; only their named
            // stops (ports, airports) say which countries a leg touches.
            let over_water = m == Mode::Sea as u8 || m == Mode::Air as u8;
            let route_end = j + 1 == found.arcs.len();
            if !over_water || route_end || net.kind(nodes[j + 1]) != NodeKind::Junction {
                push_country(net.country(nodes[j + 1]));
            }
            j += 1;
        }
        let first = i == 0;
        let last = j == found.arcs.len();
        legs.push(Leg {
            mode: Mode::from_code(m).unwrap_or(Mode::Transfer),
            from: stop(net, nodes[i], gazetteer, first.then_some(from)),
            to: stop(net, nodes[j], gazetteer, last.then_some(to)),
            distance_m: distance as f64,
            impact,
            passages,
            canals,
            countries,
            geometry: nodes[i..=j].iter().map(|v| net.pos(*v)).collect(),
            sailing,
            records,
            drayage: false,
        });
        i = j;
    }
    name_transfer_points(net, &mut legs, &nodes);
    let total = legs
        .iter()
        .map(|l| l.impact)
        .chain(borders.iter().map(|b| b.impact))
        .fold(Impact::default(), |a, b| a + b);
    Route {
        distance_m: legs.iter().map(|l| l.distance_m).sum(),
        total,
        legs,
        border_crossings: borders,
        origin: access(net, from, &found.origin),
        destination: access(net, to, &found.target),
        notes: Vec::new(),
        arcs: found.arcs.clone(),
        curated: used,
        segments: vec![(0, 0)],
    }
}

/// Adds the first and last mile as road legs marked as drayage: from the
/// origin place to the node it joined and from the last node to the
/// destination place, each the cost model's drayage of its straight line
/// ([`silkroute_cost::CostModel::drayage`], the same the search charged for
/// the join, [`crate::metric::access_cost`]); a join inside the hub's gate
/// gets none. Totals and distance include them. Called once on a whole
/// route (a via place is passed at the node it joins, so it has none).
pub fn add_drayage(net: &Network, gazetteer: &Gazetteer, pricing: &Pricing, route: &mut Route) {
    let place_stop = |a: &Access| Stop {
        name: a.place.label(),
        pos: a.place.pos,
        node: a.node,
        kind: NodeKind::Junction,
        country: (!a.place.country.is_empty()).then(|| a.place.country.clone()),
        place: true,
    };
    // The network side of a drayage leg: the node's own name, or where it
    // lies (the network leg no longer takes the place's name there).
    let node_stop = |a: &Access| {
        let mut s = stop(net, a.node, gazetteer, None);
        if net.name(a.node).is_none() {
            s.name = place_name(gazetteer, s.pos);
        }
        s
    };
    let leg = |from: Stop, to: Stop, road_m: f64, impact: Impact| {
        let mut countries: Vec<String> = Vec::new();
        for c in [&from.country, &to.country].into_iter().flatten() {
            if countries.last() != Some(c) {
                countries.push(c.clone());
            }
        }
        Leg {
            mode: Mode::Road,
            geometry: vec![from.pos, to.pos],
            from,
            to,
            distance_m: road_m,
            impact,
            passages: Vec::new(),
            canals: Vec::new(),
            countries,
            sailing: None,
            records: Vec::new(),
            drayage: true,
        }
    };
    if let Some((road_m, impact)) = pricing.model.drayage(route.origin.snap_m, &pricing.cargo) {
        let joined = node_stop(&route.origin);
        if let Some(first) = route.legs.first_mut() {
            first.from.name = joined.name.clone();
        }
        route
            .legs
            .insert(0, leg(place_stop(&route.origin), joined, road_m, impact));
        for s in route.segments.iter_mut().skip(1) {
            s.0 += 1;
        }
        route.distance_m += road_m;
        route.total += impact;
    }
    if let Some((road_m, impact)) = pricing
        .model
        .drayage(route.destination.snap_m, &pricing.cargo)
    {
        let joined = node_stop(&route.destination);
        if let Some(last) = route.legs.last_mut().filter(|l| !l.drayage) {
            last.to.name = joined.name.clone();
        }
        route
            .legs
            .push(leg(joined, place_stop(&route.destination), road_m, impact));
        route.distance_m += road_m;
        route.total += impact;
    }
}

/// A transfer leg runs junction → hub (port, terminal, airport) → junction;
/// the stops on either side are named after the hub, so the table reads
/// "rail … to Chongqing rail-road terminal, road from Chongqing rail-road
/// terminal …" rather than naming two unnamed junctions.
fn name_transfer_points(net: &Network, legs: &mut [Leg], nodes: &[NodeId]) {
    let mut start = 0usize;
    let mut spans = Vec::new();
    for leg in legs.iter() {
        let count = leg.geometry.len() - 1;
        spans.push((start, start + count));
        start += count;
    }
    for k in 0..legs.len() {
        if legs[k].mode != Mode::Transfer {
            continue;
        }
        let (i, j) = spans[k];
        let hub = nodes[i..=j]
            .iter()
            .find(|v| net.kind(**v) != NodeKind::Junction)
            .and_then(|v| net.name(*v).map(str::to_string));
        let Some(name) = hub else { continue };
        legs[k].from.name = name.clone();
        legs[k].to.name = name.clone();
        if k > 0 && net.name(legs[k - 1].to.node).is_none() {
            legs[k - 1].to.name = name.clone();
        }
        if k + 1 < legs.len() && net.name(legs[k + 1].from.node).is_none() {
            legs[k + 1].from.name = name;
        }
    }
}

/// Distance (m) and total impact of an arc path starting at `start`,
/// without naming anything: what a matrix cell needs.
pub fn price_path(net: &Network, pricing: &Pricing, start: NodeId, arcs: &[u32]) -> (f64, Impact) {
    let head = net.arc_head();
    let length = net.arc_length_m();
    let mut v = start;
    let mut distance = 0.0;
    let mut total = Impact::default();
    for a in arcs {
        let a = *a as usize;
        let (transport, extra, _) = arc_impact(net, pricing, v, a);
        total += transport + extra;
        distance += length[a] as f64;
        v = NodeId(head[a]);
    }
    (distance, total)
}

/// Adds the charges to an explained route: on its border crossing when
/// the arc is one, otherwise on the leg that holds the arc; a note names
/// each rule that applied.
pub fn charge_penalties(
    penalties: &Penalties,
    net: &Network,
    pricing: &Pricing,
    route: &mut Route,
) {
    if penalties.slow.is_empty() {
        return;
    }
    let mut by_arc: std::collections::HashMap<u32, Vec<&ArcPenalty>> =
        std::collections::HashMap::new();
    for p in &penalties.slow {
        by_arc.entry(p.arc).or_default().push(p);
    }
    let head = net.arc_head();
    let mut tail = route.origin.node;
    let mut leg = 0usize;
    let mut leg_end = route.legs.first().map_or(0, |l| l.geometry.len() - 1);
    let mut border = 0usize;
    let mut applied: Vec<(u32, Impact)> = Vec::new();
    for (j, &a) in route.arcs.clone().iter().enumerate() {
        while j >= leg_end && leg + 1 < route.legs.len() {
            leg += 1;
            leg_end += route.legs[leg].geometry.len() - 1;
        }
        let is_border = matches!(arc_role(net, tail, a as usize), ArcRole::Border { .. });
        // A ferry's slowdown delays its sailing, not its customs step.
        let on_border = is_border && net.arc_mode()[a as usize] != Mode::Ferry as u8;
        if let Some(ps) = by_arc.get(&a) {
            for p in ps {
                let i = Penalties::impact(p, pricing);
                if on_border && border < route.border_crossings.len() {
                    route.border_crossings[border].impact += i;
                } else if let Some(l) = route.legs.get_mut(leg) {
                    l.impact += i;
                }
                route.total += i;
                match applied.iter_mut().find(|(r, _)| *r == p.rule) {
                    Some((_, sum)) => *sum += i,
                    None => applied.push((p.rule, i)),
                }
            }
        }
        if is_border {
            border += 1;
        }
        tail = NodeId(head[a as usize]);
    }
    for (rule, i) in applied {
        route.notes.push(format!(
            "scenario: {} ({:+.1} h, {:+.0} USD on this route)",
            penalties.labels[rule as usize], i.time_h, i.cost_usd
        ));
    }
}

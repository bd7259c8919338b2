//! Turning a found path into an answer a person can check: legs of one mode
//! each, named stops, distances, sea passages, and how far each end had to
//! be moved to join the network.

use silkroute_graph::Network;
use silkroute_model::{LatLon, Mode, NodeId, NodeKind, Passage};

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
}

/// A stretch of the route in one mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Leg {
    pub mode: Mode,
    pub from: Stop,
    pub to: Stop,
    pub distance_m: f64,
    /// Named sea passages crossed, in order.
    pub passages: Vec<Passage>,
    /// The node coordinates along the leg.
    pub geometry: Vec<LatLon>,
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
    /// Length along the network, metres (access distances excluded).
    pub distance_m: f64,
    pub legs: Vec<Leg>,
    pub origin: Access,
    pub destination: Access,
    /// Things the user should know to trust the answer (an end joined the
    /// network farther away than its nearest node, and why).
    pub notes: Vec<String>,
}

impl Route {
    pub fn passages(&self) -> Vec<Passage> {
        let mut out: Vec<Passage> = Vec::new();
        for p in self.legs.iter().flat_map(|l| &l.passages) {
            if !out.contains(p) {
                out.push(*p);
            }
        }
        out
    }
}

/// Unnamed junctions are named after the nearest city this large.
const NAMING_CITY_POPULATION: u32 = 15_000;

fn stop(net: &Network, v: NodeId, gazetteer: &Gazetteer, fallback: Option<&ResolvedPlace>) -> Stop {
    let pos = net.pos(v);
    let name = match (net.name(v), fallback) {
        (Some(n), _) => n.to_string(),
        (None, Some(p)) => p.label(),
        (None, None) => match gazetteer.nearest_city(pos, NAMING_CITY_POPULATION) {
            Some((c, d)) if d < 2_000.0 => format!("{}, {}", c.name, c.country),
            Some((c, d)) => format!("near {}, {} ({:.0} km)", c.name, c.country, d / 1000.0),
            None => format!("{:.4},{:.4}", pos.lat, pos.lon),
        },
    };
    Stop {
        name,
        pos,
        node: v,
        kind: net.kind(v),
        country: net.country(v),
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
    from: &ResolvedPlace,
    to: &ResolvedPlace,
    found: &Found,
    gazetteer: &Gazetteer,
) -> Route {
    let nodes = node_path(net, found.origin.node, &found.arcs);
    let (mode, length, passage) = (net.arc_mode(), net.arc_length_m(), net.arc_passage());
    let mut legs = Vec::new();
    let mut i = 0;
    while i < found.arcs.len() {
        let m = mode[found.arcs[i] as usize];
        let mut j = i;
        let mut distance = 0u64;
        let mut passages: Vec<Passage> = Vec::new();
        while j < found.arcs.len() && mode[found.arcs[j] as usize] == m {
            let a = found.arcs[j] as usize;
            distance += length[a] as u64;
            if let Some(p) = Passage::from_code(passage[a])
                && passages.last() != Some(&p)
            {
                passages.push(p);
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
            passages,
            geometry: nodes[i..=j].iter().map(|v| net.pos(*v)).collect(),
        });
        i = j;
    }
    name_transfer_points(net, &mut legs, &nodes);
    Route {
        distance_m: found.network_m as f64,
        legs,
        origin: access(net, from, &found.origin),
        destination: access(net, to, &found.target),
        notes: Vec::new(),
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
            .and_then(|v| net.name(*v).map(|n| (n.to_string(), *v)));
        let Some((name, _)) = hub else { continue };
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

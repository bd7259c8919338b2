//! Joining a point to the network where it actually connects.
//!
//! The nearest node is not always a good start: OpenStreetMap-derived rail
//! data has hundreds of islands (a station yard, a line cut at a border), and
//! joining a 10-node island 500 m away when the main network is 5 km away
//! gives "not connected" (scgraph's failure mode). So each end gets several
//! candidates: the nearest node of each distinct component among the nodes
//! near the point, plus the nearest node of a major component. The search
//! starts from all of them, each charged the road drayage of its join
//! ([`crate::metric::access_cost`]: the straight line times the cost
//! model's road circuity, priced at road rates), so it joins at the nearest
//! node unless a farther one saves more than the longer drive costs. The
//! answer lists that drayage as a leg and reports how far the snap moved. Distances come
//! from the kd-tree's chords (one asin each), so every tree that snaps must
//! hold the same unit vectors (the engine's per-mode trees copy the
//! network's).

use silkroute_graph::spatial::KdTree;
use silkroute_graph::{Network, components};
use silkroute_model::{LatLon, Mode, ModeSet, NodeId, haversine_m};

use crate::filter::Filter;
use crate::metric::access_cost;
use crate::objective::{Objective, Pricing};
use crate::places::ResolvedPlace;

/// Nodes looked at around the point.
const NEAREST_K: usize = 12;
/// At most this many distinct components are tried per end.
const MAX_CANDIDATES: usize = 8;
/// A candidate may be at most this much farther than the nearest node…
const EXTRA_RADIUS_M: f64 = 25_000.0;
/// …or this many times as far, whichever is larger.
const RADIUS_FACTOR: f64 = 3.0;
/// A component with at least this many nodes counts as major.
pub const MAJOR_COMPONENT_NODES: u32 = 2_000;
/// A join farther than the nearest node by at least this much gets a note.
const NOTE_DETOUR_M: f64 = 5_000.0;
/// A major component's nearest node is tried if it is within this distance.
const MAJOR_RADIUS_M: f64 = 150_000.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    pub node: NodeId,
    /// Straight-line distance from the point to the node, metres.
    pub distance_m: f64,
}

impl Candidate {
    /// Its straight-line distance in whole metres: an access cost for
    /// searches that only ask whether the ends connect.
    pub fn access_cost(&self) -> u64 {
        self.distance_m.round() as u64
    }
}

/// The component that identifies a node for a mode set: its component in the
/// first of its own modes that the set allows.
pub fn component_key(net: &Network, v: NodeId, modes: ModeSet) -> Option<(usize, u32)> {
    let own = net.node_modes(v);
    modes.iter().filter(|m| own.contains(*m)).find_map(|m| {
        let col = components::column(m);
        net.component(v, col).map(|c| (col, c))
    })
}

fn is_major(net: &Network, key: Option<(usize, u32)>) -> bool {
    key.is_some_and(|(col, c)| net.component_sizes(col)[c as usize] >= MAJOR_COMPONENT_NODES)
}

/// Candidate nodes for joining `p` to the network the filter leaves open,
/// nearest first. Empty when no open node has any of the modes.
pub fn candidates(net: &Network, p: LatLon, filter: &Filter) -> Vec<Candidate> {
    candidates_in(net, net.kd_tree(), p, filter)
}

/// [`candidates`] searching `tree`, which must hold at least every node of
/// the filter's modes (a smaller per-mode tree makes sparse modes fast).
pub fn candidates_in(
    net: &Network,
    tree: KdTree<'_>,
    p: LatLon,
    filter: &Filter,
) -> Vec<Candidate> {
    let modes = filter.modes;
    // Section slices looked up once, not per node the kd-tree visits.
    let node_modes = net.node_modes_all();
    let mut usable =
        |v: NodeId| ModeSet(node_modes[v.index()]).intersects(modes) && filter.node_open(v.0);
    let near = tree.nearest(p, NEAREST_K, &mut usable);
    // Great-circle distance from the kd-tree's squared chord (one asin
    // instead of a haversine per candidate; within a metre, the f32
    // precision of the stored unit vectors).
    let metres = |d2: f64| silkroute_model::distance_m_for_chord(d2.sqrt());
    let Some(&(d2_first, _)) = near.first() else {
        return Vec::new();
    };
    let d0 = metres(d2_first);
    let radius = (d0 + EXTRA_RADIUS_M).max(d0 * RADIUS_FACTOR);
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen = Vec::new();
    for (d2, v) in near {
        let d = metres(d2);
        if d > radius || out.len() >= MAX_CANDIDATES {
            break;
        }
        let key = component_key(net, v, modes);
        if !seen.contains(&key) {
            seen.push(key);
            out.push(Candidate {
                node: v,
                distance_m: d,
            });
        }
    }
    if !out
        .iter()
        .any(|c| is_major(net, component_key(net, c.node, modes)))
    {
        let mut major = |v: NodeId| usable(v) && is_major(net, component_key(net, v, modes));
        if let Some(&(_, v)) = tree.nearest(p, 1, &mut major).first() {
            let d = haversine_m(p, net.pos(v));
            if d <= MAJOR_RADIUS_M.max(radius) {
                out.push(Candidate {
                    node: v,
                    distance_m: d,
                });
            }
        }
    }
    out
}

/// [`candidates_in`], each with its access cost in the objective's units
/// (the road drayage of the join, [`access_cost`]): what every search
/// starts from.
pub fn priced_candidates(
    net: &Network,
    tree: KdTree<'_>,
    p: LatLon,
    filter: &Filter,
    pricing: &Pricing,
    objective: Objective,
) -> Vec<(Candidate, u64)> {
    candidates_in(net, tree, p, filter)
        .into_iter()
        .map(|c| {
            let cost = access_cost(pricing, objective, c.distance_m);
            (c, cost)
        })
        .collect()
}

/// Says, in one paragraph, where each end joins the network and why no path
/// links them.
pub fn explain_disconnection(
    net: &Network,
    from: &ResolvedPlace,
    origins: &[Candidate],
    to: &ResolvedPlace,
    targets: &[Candidate],
    modes: ModeSet,
) -> String {
    let describe = |c: &Candidate| match component_key(net, c.node, modes) {
        Some((col, comp)) => format!(
            "{:.1} km away ({} component #{} of {}, {} nodes)",
            c.distance_m / 1000.0,
            components::column_modes(col),
            comp,
            net.component_sizes(col).len(),
            net.component_sizes(col)[comp as usize]
        ),
        None => format!("{:.1} km away", c.distance_m / 1000.0),
    };
    let list = |cs: &[Candidate]| cs.iter().map(describe).collect::<Vec<_>>().join("; ");
    format!(
        "no {modes} route: {} joins the network at {}; {} joins at {}; none of these parts of the {modes} network connect in the data (see `silkroute inspect` for its components{})",
        from.label(),
        list(origins),
        to.label(),
        list(targets),
        add_a_mode_hint(modes),
    )
}

/// "; try adding a mode, e.g. --modes MODES,M" with a mode `modes` lacks
/// (road first: it joins most of the rest), or nothing when it has all.
fn add_a_mode_hint(modes: ModeSet) -> String {
    [Mode::Road, Mode::Rail, Mode::Sea, Mode::Ferry, Mode::Air]
        .into_iter()
        .find(|m| !modes.contains(*m))
        .map_or(String::new(), |m| {
            format!("; try adding a mode, e.g. --modes {modes},{}", m.as_str())
        })
}

/// Notes for each end that joined the network somewhere other than its
/// nearest node: how far, and what was wrong with the nearest one.
#[allow(clippy::too_many_arguments)]
pub fn explain_joins(
    net: &Network,
    from: &ResolvedPlace,
    origins: &[Candidate],
    chosen_origin: &Candidate,
    to: &ResolvedPlace,
    targets: &[Candidate],
    chosen_target: &Candidate,
    modes: ModeSet,
) -> Vec<String> {
    let mut notes = Vec::new();
    for (place, other, cands, chosen) in [
        (from, to, origins, chosen_origin),
        (to, from, targets, chosen_target),
    ] {
        let Some(nearest) = cands.first() else {
            continue;
        };
        if nearest.node == chosen.node {
            continue;
        }
        // Whether the nearest node could lead anywhere useful: for one mode,
        // its own component; for several, the component over all modes.
        let key = |v: NodeId| {
            if modes.iter().count() == 1 {
                component_key(net, v, modes)
            } else {
                net.component(v, components::ANY_COLUMN)
                    .map(|c| (components::ANY_COLUMN, c))
            }
        };
        let why = match key(nearest.node) {
            Some((col, comp)) if key(chosen.node) != Some((col, comp)) => format!(
                "is on a part of the {} network of {} nodes that does not lead to {}",
                components::column_modes(col),
                net.component_sizes(col)[comp as usize],
                other.label()
            ),
            // Same part of the network (or, for several modes, of the
            // network over all modes, which may connect it only through a
            // mode the query excludes): not worth a note unless the detour is
            // large, and then worded so it is true either way.
            _ if chosen.distance_m - nearest.distance_m < NOTE_DETOUR_M => continue,
            _ => "gives no route or a worse one".to_string(),
        };
        notes.push(format!(
            "{} joins the {modes} network {:.1} km away: the nearest node ({:.1} km) {why}",
            place.label(),
            chosen.distance_m / 1000.0,
            nearest.distance_m / 1000.0,
        ));
    }
    notes
}

#[cfg(test)]
mod hint_tests {
    use super::*;

    /// The hint adds a mode the search lacked, never one it already had
    /// (it once said `--modes road,road`), and is left out when none is
    /// missing.
    #[test]
    fn the_no_route_hint_adds_a_missing_mode() {
        let road = ModeSet::of(&[Mode::Road]);
        assert_eq!(
            add_a_mode_hint(road),
            "; try adding a mode, e.g. --modes road,rail"
        );
        let rail = ModeSet::of(&[Mode::Rail]);
        assert_eq!(
            add_a_mode_hint(rail),
            "; try adding a mode, e.g. --modes rail,road"
        );
        assert_eq!(add_a_mode_hint(ModeSet::travel()), "");
        for set in [
            road,
            rail,
            ModeSet::of(&[Mode::Road, Mode::Rail, Mode::Sea]),
        ] {
            let hint = add_a_mode_hint(set);
            let list = hint.rsplit(' ').next().unwrap();
            let mut seen = std::collections::HashSet::new();
            assert!(list.split(',').all(|m| seen.insert(m)), "{hint}");
        }
    }
}

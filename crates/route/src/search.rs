//! Exact shortest paths: Dijkstra from several sources to several targets
//! at once, each with an access cost, over integer arc weights (one
//! objective; `u32::MAX` marks a closed arc).
//!
//! Starting from every snapping candidate with its access cost lets the
//! search pick the candidate that actually connects, which is what makes
//! snapping trustworthy (see `snap`). A required passage (`--via suez`) is
//! handled exactly by searching two layers: before and after the first arc
//! of that passage. This plain search is also the oracle that the faster
//! techniques are tested against.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use silkroute_graph::Network;
use silkroute_model::{LatLon, Mode, ModeSet, NodeId, Passage};

use crate::snap::Candidate;

/// A path found by [`shortest`].
#[derive(Clone, Debug)]
pub struct Found {
    /// Arc indices from the origin candidate to the target candidate.
    pub arcs: Vec<u32>,
    pub origin: Candidate,
    pub target: Candidate,
    /// Sum of the arc weights (access excluded).
    pub weight: u64,
}

/// A rectangle in degrees (west, south, east, north); west > east wraps the
/// antimeridian.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BBox {
    pub fn contains(&self, p: LatLon) -> bool {
        let lon_ok = if self.west <= self.east {
            (self.west..=self.east).contains(&p.lon)
        } else {
            p.lon >= self.west || p.lon <= self.east
        };
        lon_ok && (self.south..=self.north).contains(&p.lat)
    }
}

/// Which arcs a search may use: the allowed modes (transfers only between
/// allowed modes), no closed sea passage, and no node the constraints close
/// (avoided countries, places or areas).
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub modes: ModeSet,
    /// Bit `Passage as u8` set for each closed passage.
    pub closed_passages: u32,
    /// Nodes closed by `--avoid` (countries, places, areas); empty = none.
    pub closed_nodes: Vec<bool>,
    /// A scenario's closed arcs, delays, extra costs and capacity cuts
    /// (see [`crate::penalties`]); applied to the weights, not to
    /// [`Filter::allows`].
    pub penalties: Option<std::sync::Arc<crate::penalties::Penalties>>,
}

impl Filter {
    /// The Northwest Passage is closed by default: it is ice-bound most of
    /// the year and carries almost no container traffic, and searoute closes
    /// it by default for the same reason.
    pub const DEFAULT_CLOSED: [Passage; 1] = [Passage::Northwest];

    pub fn new(modes: ModeSet) -> Filter {
        let mut f = Filter {
            modes,
            closed_passages: 0,
            closed_nodes: Vec::new(),
            penalties: None,
        };
        for p in Filter::DEFAULT_CLOSED {
            f.close(p);
        }
        f
    }

    pub fn close(&mut self, p: Passage) {
        self.closed_passages |= 1 << (p as u8);
    }

    pub fn open(&mut self, p: Passage) {
        self.closed_passages &= !(1 << (p as u8));
    }

    pub fn is_closed(&self, p: Passage) -> bool {
        self.closed_passages & (1 << (p as u8)) != 0
    }

    /// Closes every node for which `close` is true.
    pub fn close_nodes(&mut self, net: &Network, close: impl Fn(NodeId) -> bool) {
        if self.closed_nodes.is_empty() {
            self.closed_nodes = vec![false; net.node_count()];
        }
        for v in 0..net.node_count() {
            if close(NodeId(v as u32)) {
                self.closed_nodes[v] = true;
            }
        }
    }

    pub fn node_open(&self, v: u32) -> bool {
        self.closed_nodes.get(v as usize).is_none_or(|c| !c)
    }

    /// True when an arc of `mode` (joining `joins` if a transfer, crossing
    /// `passage` if non-zero) may be used.
    #[inline]
    pub fn allows(&self, mode: u8, joins: u8, passage: u8) -> bool {
        let mode_ok = if mode == Mode::Transfer as u8 {
            joins != 0 && self.modes.contains_all(ModeSet(joins))
        } else {
            self.modes.0 & (1 << mode) != 0
        };
        mode_ok && (passage == 0 || self.closed_passages & (1 << passage) == 0)
    }

    /// [`Filter::allows`] plus the node constraints at both ends of arc `a`.
    #[inline]
    pub fn allows_arc(
        &self,
        net: &Network,
        tail: u32,
        a: usize,
        mode: u8,
        joins: u8,
        passage: u8,
    ) -> bool {
        self.allows(mode, joins, passage)
            && self.node_open(tail)
            && self.node_open(net.arc_head()[a])
    }
}

/// Dijkstra over `weight` from `origins` to `targets`, each with its access
/// cost (same units as the weights). With `required` set, only paths that
/// cross at least one arc of that passage count.
pub fn shortest(
    net: &Network,
    weight: &[u32],
    origins: &[(Candidate, u64)],
    targets: &[(Candidate, u64)],
    required: Option<Passage>,
) -> Option<Found> {
    let n = net.node_count();
    let layers = if required.is_some() { 2 } else { 1 };
    let (first_out, head, passage) = (net.first_out(), net.arc_head(), net.arc_passage());
    let req = required.map_or(0u8, |p| p as u8);
    // State s = layer * n + node.
    let mut dist = vec![u64::MAX; n * layers];
    let mut parent = vec![u32::MAX; n * layers];
    let mut parent_state = vec![u32::MAX; n * layers];
    let mut heap = BinaryHeap::new();
    for (c, access) in origins {
        let s = c.node.index();
        if *access < dist[s] {
            dist[s] = *access;
            heap.push(Reverse((*access, s as u32)));
        }
    }
    let mut target_cost: HashMap<u32, (Candidate, u64)> = HashMap::new();
    for (t, access) in targets {
        let e = target_cost.entry(t.node.0).or_insert((*t, *access));
        if *access < e.1 {
            *e = (*t, *access);
        }
    }
    let final_layer = layers - 1;
    let mut best: Option<(u64, usize)> = None;
    while let Some(Reverse((d, s))) = heap.pop() {
        let s = s as usize;
        if d > dist[s] {
            continue;
        }
        if best.is_some_and(|(b, _)| d >= b) {
            break;
        }
        let (layer, v) = (s / n, s % n);
        if layer == final_layer
            && let Some((_, access)) = target_cost.get(&(v as u32))
        {
            let total = d + access;
            if best.is_none_or(|(b, _)| total < b) {
                best = Some((total, s));
            }
        }
        for a in first_out[v] as usize..first_out[v + 1] as usize {
            let w = weight[a];
            if w == u32::MAX {
                continue;
            }
            let next_layer = if layer == 0 && layers == 2 && passage[a] == req {
                1
            } else {
                layer
            };
            let t = next_layer * n + head[a] as usize;
            let nd = d + w as u64;
            if nd < dist[t] {
                dist[t] = nd;
                parent[t] = a as u32;
                parent_state[t] = s as u32;
                heap.push(Reverse((nd, t as u32)));
            }
        }
    }
    let (total, end) = best?;
    let mut arcs = Vec::new();
    let mut s = end;
    while parent[s] != u32::MAX {
        arcs.push(parent[s]);
        s = parent_state[s] as usize;
    }
    arcs.reverse();
    let start = (s % n) as u32;
    let origin = origins
        .iter()
        .filter(|(c, a)| c.node.0 == start && *a == dist[s])
        .map(|(c, _)| *c)
        .next()?;
    let (target, access) = target_cost[&((end % n) as u32)];
    Some(Found {
        arcs,
        origin,
        target,
        weight: total - dist[s] - access,
    })
}

/// The node an arc leaves from (binary search in the CSR offsets).
pub fn tail_of(first_out: &[u32], arc: u32) -> u32 {
    (first_out.partition_point(|&f| f <= arc) - 1) as u32
}

/// Node path of an arc path starting at `start`.
pub fn node_path(net: &Network, start: NodeId, arcs: &[u32]) -> Vec<NodeId> {
    let head = net.arc_head();
    std::iter::once(start)
        .chain(arcs.iter().map(|a| NodeId(head[*a as usize])))
        .collect()
}

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
use silkroute_model::{NodeId, Passage};

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

//! One-to-many searches: distance matrices and reachability.
//!
//! A matrix row is one Dijkstra from the origin's snapping candidates that
//! stops once every destination is settled; each cell's path is then priced
//! in full (time, cost, CO2e, distance), whatever the objective. Rows run in
//! parallel over the cores. (On a network with hierarchies the engine's
//! [`crate::fast::Engine::matrix_cells`] answers the same [`Cell`]s from
//! companion sums instead.) Reachability is one Dijkstra bounded by a
//! budget in the objective's units.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use silkroute_cost::Impact;
use silkroute_graph::Network;
use silkroute_model::NodeId;

use crate::explain::price_path;
use crate::objective::Pricing;
use crate::snap::Candidate;

/// One cell of a matrix: the objective's optimal path between the two
/// places' candidates. The impact and distance are the path's own, without
/// the access legs to and from the network, which only `weight` includes.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The objective's value in metric weight units (s, US cents or g CO2e
    /// per FEU-equivalent of the cargo, m), access included.
    pub weight: u64,
    pub distance_m: f64,
    pub impact: Impact,
    pub origin_snap_m: f64,
    pub destination_snap_m: f64,
}

/// Settled distances and parent arcs of a one-to-many search.
struct Tree {
    dist: Vec<u64>,
    parent: Vec<u32>,
    root: Vec<u32>,
}

/// Dijkstra from candidates until `stop_after` nodes of interest are settled
/// or the queue passes `budget`.
fn grow(
    net: &Network,
    weight: &[u32],
    sources: &[(Candidate, u64)],
    interest: &[bool],
    mut remaining: usize,
    budget: u64,
) -> Tree {
    let n = net.node_count();
    let (first_out, head) = (net.first_out(), net.arc_head());
    let mut dist = vec![u64::MAX; n];
    let mut parent = vec![u32::MAX; n];
    let mut root = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    for (i, (c, access)) in sources.iter().enumerate() {
        if *access < dist[c.node.index()] {
            dist[c.node.index()] = *access;
            root[c.node.index()] = i as u32;
            heap.push(Reverse((*access, c.node.0)));
        }
    }
    let mut settled = vec![false; if interest.is_empty() { 0 } else { n }];
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        if d > budget {
            break;
        }
        if !interest.is_empty() && interest[v as usize] && !settled[v as usize] {
            settled[v as usize] = true;
            remaining = remaining.saturating_sub(1);
            if remaining == 0 {
                break;
            }
        }
        for a in first_out[v as usize] as usize..first_out[v as usize + 1] as usize {
            if weight[a] == u32::MAX {
                continue;
            }
            let t = head[a] as usize;
            let nd = d + weight[a] as u64;
            if nd < dist[t] {
                dist[t] = nd;
                parent[t] = a as u32;
                root[t] = root[v as usize];
                heap.push(Reverse((nd, t as u32)));
            }
        }
    }
    Tree { dist, parent, root }
}

fn arcs_to(net: &Network, tree: &Tree, v: u32) -> Vec<u32> {
    let mut arcs = Vec::new();
    let mut x = v;
    while tree.parent[x as usize] != u32::MAX {
        let a = tree.parent[x as usize];
        arcs.push(a);
        x = crate::search::tail_of(net.first_out(), a);
    }
    arcs.reverse();
    arcs
}

/// Row-major matrix: `cells[i * destinations.len() + j]`, `None` when the
/// destination cannot be reached. `progress` is called once per finished row.
pub fn matrix(
    net: &Network,
    pricing: &Pricing,
    weight: &[u32],
    origins: &[Vec<(Candidate, u64)>],
    destinations: &[Vec<(Candidate, u64)>],
    progress: &(dyn Fn() + Sync),
) -> Vec<Option<Cell>> {
    let n = net.node_count();
    let mut interest = vec![false; n];
    let mut count = 0;
    for d in destinations {
        for (c, _) in d {
            if !interest[c.node.index()] {
                interest[c.node.index()] = true;
                count += 1;
            }
        }
    }
    let rows: Vec<Vec<Option<Cell>>> = origins
        .par_iter()
        .map(|sources| {
            let tree = grow(net, weight, sources, &interest, count, u64::MAX);
            let row = destinations
                .iter()
                .map(|targets| {
                    let (c, access) = targets
                        .iter()
                        .filter(|(c, _)| tree.dist[c.node.index()] != u64::MAX)
                        .min_by_key(|(c, a)| tree.dist[c.node.index()] + a)?;
                    let v = c.node.0;
                    let arcs = arcs_to(net, &tree, v);
                    let origin = &sources[tree.root[v as usize] as usize].0;
                    let (distance_m, impact) = price_path(net, pricing, origin.node, &arcs);
                    Some(Cell {
                        weight: tree.dist[v as usize] + access,
                        distance_m,
                        impact,
                        origin_snap_m: origin.distance_m,
                        destination_snap_m: c.distance_m,
                    })
                })
                .collect();
            progress();
            row
        })
        .collect();
    rows.into_iter().flatten().collect()
}

/// Every node reachable within `budget` (objective units, access included),
/// with its value.
pub fn reach(
    net: &Network,
    weight: &[u32],
    sources: &[(Candidate, u64)],
    budget: u64,
) -> Vec<(NodeId, u64)> {
    let tree = grow(net, weight, sources, &[], 0, budget);
    tree.dist
        .iter()
        .enumerate()
        .filter(|(_, d)| **d <= budget && **d != u64::MAX)
        .map(|(v, d)| (NodeId(v as u32), *d))
        .collect()
}

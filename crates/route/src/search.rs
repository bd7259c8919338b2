//! Shortest paths by distance: Dijkstra from several sources to several
//! targets at once, each with an access cost, over the arcs a mode set
//! allows.
//!
//! Starting from every snapping candidate with its access cost lets the
//! search pick the candidate that actually connects, which is what makes
//! snapping trustworthy (see `snap`). This plain search is also the oracle
//! that faster techniques are tested against.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use silkroute_graph::Network;
use silkroute_model::{Mode, ModeSet, NodeId, Passage};

use crate::snap::Candidate;

/// A path found by [`shortest`].
#[derive(Clone, Debug)]
pub struct Found {
    /// Arc indices from the origin candidate to the target candidate.
    pub arcs: Vec<u32>,
    pub origin: Candidate,
    pub target: Candidate,
    /// Length of the arcs only (no access), metres.
    pub network_m: u64,
}

/// Which arcs a search may use: the allowed modes (transfers only between
/// allowed modes) and no closed sea passage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Filter {
    pub modes: ModeSet,
    /// Bit `Passage as u8` set for each closed passage.
    pub closed_passages: u32,
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
}

pub fn shortest(
    net: &Network,
    origins: &[Candidate],
    targets: &[Candidate],
    filter: &Filter,
) -> Option<Found> {
    let n = net.node_count();
    let (first_out, head, length) = (net.first_out(), net.arc_head(), net.arc_length_m());
    let (mode, joins, passage) = (net.arc_mode(), net.arc_joins(), net.arc_passage());
    let mut dist = vec![u64::MAX; n];
    let mut parent = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    for c in origins {
        let d = c.access_cost();
        if d < dist[c.node.index()] {
            dist[c.node.index()] = d;
            heap.push(Reverse((d, c.node.0)));
        }
    }
    let mut target_cost = std::collections::HashMap::new();
    for t in targets {
        let e = target_cost.entry(t.node.0).or_insert(*t);
        if t.access_cost() < e.access_cost() {
            *e = *t;
        }
    }
    let mut best: Option<(u64, u32)> = None;
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        if best.is_some_and(|(b, _)| d >= b) {
            break;
        }
        if let Some(t) = target_cost.get(&v) {
            let total = d + t.access_cost();
            if best.is_none_or(|(b, _)| total < b) {
                best = Some((total, v));
            }
        }
        for a in first_out[v as usize] as usize..first_out[v as usize + 1] as usize {
            if !filter.allows(mode[a], joins[a], passage[a]) {
                continue;
            }
            let w = head[a] as usize;
            let nd = d + length[a] as u64;
            if nd < dist[w] {
                dist[w] = nd;
                parent[w] = a as u32;
                heap.push(Reverse((nd, w as u32)));
            }
        }
    }
    let (_, end) = best?;
    let mut arcs = Vec::new();
    let mut v = end;
    while parent[v as usize] != u32::MAX {
        let a = parent[v as usize];
        arcs.push(a);
        v = tail_of(first_out, a);
    }
    arcs.reverse();
    let origin = *origins
        .iter()
        .filter(|c| c.node.0 == v)
        .min_by_key(|c| c.access_cost())?;
    let target = target_cost[&end];
    let network_m = arcs.iter().map(|a| length[*a as usize] as u64).sum();
    Some(Found {
        arcs,
        origin,
        target,
        network_m,
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

//! The Pareto set over time × cost × CO2e: routes that no other route beats
//! on all three at once.
//!
//! Multi-criteria label-setting (Martins' algorithm, processed in order of
//! a lower bound on the total, as in NAMOA*): each node keeps its exactly
//! non-dominated labels (time, cost, CO2e so far); per-criterion lower bounds
//! to the destination are exact single-criterion distances (one backward
//! search per criterion). Criteria are the integer weights of [`metric`]
//! (seconds, US cents, grams).
//!
//! The exact set over such fine units holds thousands of routes that differ
//! by a few minutes or dollars (a measured 2,000+ for Chongqing → Duisburg,
//! in 75 s). So a label, or a new route, is dropped when a route already
//! found is within a factor (1 + ε) of its lower bound on every criterion:
//! the result is an approximate Pareto set: no returned route dominates
//! another, and every truly non-dominated route is matched closely on all
//! three criteria by a returned one. Against complete routes the factor is
//! (1 + ε); at nodes a new label is also dropped when a kept label's bound
//! is within (1 + ε) of its own, which is what keeps the label count
//! small, and whose errors can add up along a path (the oracle test
//! measures the worst cover on random graphs). ε = 0 gives the exact set.
//! With ε > 0 each criterion's exact optimum is then put in (from the
//! single-criterion search; [`with_optima`]), so the set's fastest,
//! cheapest and lowest-CO2e rows are the true ones.
//!
//! Via places and a required passage (`--via`) are kept exactly: the
//! search runs over layered copies of the graph (see `QueryGraph`), a
//! label moving up a layer when it stands at a node of the next via place
//! or crosses an arc of the passage; each layer's bounds are the distances
//! to where it moves up (seeded hierarchy sweeps, last layer first), so
//! they stay consistent across layers. The oracle test checks this against
//! a staged brute force.
//!
//! What it costs (Chongqing → Duisburg, all modes, ε = 5 %). Searched node
//! by node, 586 k labels on ~230 k nodes, 97 % of them on nodes whose arcs
//! are all road or all rail, with no border or transfer: one *history* (a
//! flight to Japan, a train to a Chinese terminal) spreads over a whole
//! road network, and the ideal-point bounds cannot stop it, because no
//! route is near the ideal point (the fastest is by air, the cheapest by
//! sea; for this pair no route costs between ~$10 k and ~$74 k, and an
//! ideal point cannot see that gap). Bounds per class of route, weighted
//! sums of two criteria, phase layers and series reduction were measured
//! and did not pay (see the commit history of this file).
//!
//! What does pay is the `cells` module: rail, road and sea weights are linear in
//! length, so inside a one-mode region the shortest path is optimal for
//! all three criteria, and the search crosses such a region by paths
//! between its boundary nodes (stored by `silkroute build`), leaving
//! labels only where modes change, at borders and on cell boundaries:
//! 85 k labels, and the per-criterion bounds are needed only there, so
//! the three bound sweeps visit those nodes and their hierarchy ancestors
//! (~16 % of the nodes; [`silkroute_hierarchy::Selection`]). Cells are
//! used only with ε > 0 (a path across is a shortest one, and a path a few
//! rounded units cheaper in one criterion is not searched), and a cell
//! holding an end of the query is searched node by node.
//!
//! Beyond that, the work is memory traffic: the 16-byte arc and node records,
//! chains folded into the arcs, the 40-byte labels, the radix heap and
//! buffers kept between queries ([`SearchBuffers`]) below; no label is
//! made in a dangling tree that holds neither end, nor on the inner nodes
//! of a chain (see [`Compact`]). (Prefetching the heads' records, or
//! fetching a label and its node at once, measured no faster: the
//! processor already overlaps those misses. Nor did sweeping two criteria's
//! bounds in one pass on one core beside the third on the other: the
//! sweeps share the memory bandwidth of both cores.) At a node, exact dominance is
//! settled both ways before the (1 + ε) test, so a better label that
//! arrives late replaces the worse one instead of being dropped for it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use silkroute_graph::Network;
use silkroute_model::{NoProgress, Progress};

use crate::explain::{self, Route};
use crate::metric;
use crate::objective::Objective;
use crate::places::Gazetteer;
use crate::request::{Request, RouteError};
use crate::search::Found;
use crate::snap::{self, Candidate};

mod cells;
use cells::{CLIQUE_BIT, CellArc, Cells};
pub use cells::{
    CellStats, build_sections as build_cell_sections, present as cells_present, stats as cell_stats,
};

/// Labels created before the search gives up and reports a truncated set
/// (into which each criterion's exact optimum is then merged, whatever ε).
pub const MAX_LABELS: usize = 5_000_000;

type Vec3 = [u64; 3];

fn dominates(a: &Vec3, b: &Vec3) -> bool {
    a[0] <= b[0] && a[1] <= b[1] && a[2] <= b[2]
}

/// `a` is within a factor (1 + ε) of `b` on every criterion.
fn covers(a: &Vec3, b: &Vec3, epsilon: f64) -> bool {
    (0..3).all(|i| a[i] as f64 <= b[i] as f64 * (1.0 + epsilon))
}

/// The default ε: 5 %, below the uncertainty of the cost model itself (see
/// docs/COST_MODEL.md), so routes it drops are ones no user could tell apart.
pub const DEFAULT_EPSILON: f64 = 0.05;

/// 40 bytes: the search is bound by memory traffic.
struct Label {
    /// Criteria so far; `g[0] == DEAD` once a dominating label arrived.
    g: Vec3,
    node: u32,
    /// The next label at the same node.
    next: u32,
    /// Arc that led here (u32::MAX at a start).
    arc: u32,
    /// The previous label, or at a start the origin candidate's index.
    prev: u32,
}

const DEAD: u64 = u64::MAX;

/// Exact distances to the nearest target (with its access cost) over one
/// weight array; `u64::MAX` where the targets cannot be reached.
pub fn distances_to_targets(net: &Network, w: &[u32], targets: &[(Candidate, u64)]) -> Vec<u64> {
    let (first_out, head) = (net.first_out(), net.arc_head());
    let mut dist = vec![u64::MAX; net.node_count()];
    let mut heap = BinaryHeap::new();
    for (c, access) in targets {
        let v = c.node.index();
        if *access < dist[v] {
            dist[v] = *access;
            heap.push(Reverse((*access, v as u32)));
        }
    }
    // Arc weights are symmetric (u→v and v→u are priced alike), so a forward
    // search from the targets gives distances to them.
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for a in first_out[v as usize] as usize..first_out[v as usize + 1] as usize {
            if w[a] == u32::MAX {
                continue;
            }
            let t = head[a] as usize;
            let nd = d + w[a] as u64;
            if nd < dist[t] {
                dist[t] = nd;
                heap.push(Reverse((nd, t as u32)));
            }
        }
    }
    dist
}

/// The Pareto set, sorted by time; the bool says whether the search hit
/// [`MAX_LABELS`] and the set may be incomplete. Even then it holds each
/// criterion's exact optimum (they are merged in by [`with_optima`], as
/// at ε > 0), so the fastest, cheapest and lowest-CO2e rows stay exact.
pub fn pareto(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    epsilon: f64,
) -> Result<(Vec<Route>, bool), RouteError> {
    pareto_with(
        net,
        gazetteer,
        req,
        epsilon,
        &mut SearchBuffers::default(),
        &NoProgress,
    )
}

/// [`pareto`] in `buffers` (and with their label limit), reporting to
/// `progress` (see [`pareto_search`]).
pub fn pareto_with(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    epsilon: f64,
    buffers: &mut SearchBuffers,
    progress: &(dyn Progress + Sync),
) -> Result<(Vec<Route>, bool), RouteError> {
    let w: Vec<Vec<u32>> = CRITERIA
        .iter()
        .map(|o| metric::weights(net, &req.pricing, *o, &req.filter))
        .collect();
    let weights = [&w[0][..], &w[1][..], &w[2][..]];
    // Exact per-criterion distances to the destination, by Dijkstra, the
    // three criteria in parallel.
    let mut bounds =
        |targets: &[Vec<(Candidate, u64)>], _: Option<&[u32]>, out: &mut [Vec<u64>; 3]| {
            use rayon::prelude::*;
            out.par_iter_mut().enumerate().for_each(|(i, o)| {
                *o = distances_to_targets(net, weights[i], &targets[i]);
            });
        };
    let irregular = irregular_arcs(req);
    let rates = CRITERIA.map(|o| metric::linear_rates(&req.pricing, o));
    let graph = Compact::new(net, weights, rates, &irregular);
    let (routes, truncated) = pareto_search(
        net,
        gazetteer,
        req,
        epsilon,
        &graph,
        &mut bounds,
        buffers,
        progress,
    )?;
    // At ε = 0 a complete set already holds the optima; a truncated one
    // may not (it held only the single best route by time, say).
    if (epsilon == 0.0 && !truncated) || progress.cancelled() {
        return Ok((routes, truncated));
    }
    // Each criterion's exact optimum, the three searches in parallel.
    progress.stage(OPTIMA_STAGE, 0);
    use rayon::prelude::*;
    let optima = CRITERIA
        .par_iter()
        .zip(&w)
        .filter_map(|(o, w)| {
            crate::request::route_with_weights(net, gazetteer, &with_objective(req, *o), w).ok()
        })
        .collect();
    Ok((with_optima(routes, optima, epsilon), truncated))
}

/// The sorted network arcs whose weights the request's scenario changes:
/// not linear in length, so never inside a cell.
pub fn irregular_arcs(req: &Request) -> Vec<u32> {
    let mut arcs: Vec<u32> = req
        .filter
        .penalties
        .as_ref()
        .map_or(Vec::new(), |p| p.slow.iter().map(|s| s.arc).collect());
    arcs.sort_unstable();
    arcs.dedup();
    arcs
}

/// The request with another objective (for the single-criterion optima).
pub fn with_objective<'a>(req: &Request<'a>, objective: Objective) -> Request<'a> {
    Request {
        objective,
        ..req.clone()
    }
}

/// Puts into an (1 + ε)-Pareto set each route that is optimal for one
/// criterion: with ε > 0 the label search may return, say, a fastest
/// route a little slower than the fastest there is, or leave out a
/// cheapest route that a faster one covers within the factor; a user
/// reads the first row as "the fastest" and the cheapest row as "the
/// cheapest". An optimum that a route of the set matches on all three is
/// left out; one that is a near-copy of a route (each within (1 + ε) of
/// the other) takes its place; otherwise it is added, and the routes it
/// beats go. Sorted by time. At ε = 0 a complete set already holds the
/// optima; a set cut short by the label limit gets them here too.
/// Routes compare as the search weighed them: by their totals, which hold
/// the drayage from each place to the node it joins (different routes may
/// join at different nodes, so their network parts alone can rank them
/// wrongly).
pub fn with_optima(mut routes: Vec<Route>, optima: Vec<Route>, epsilon: f64) -> Vec<Route> {
    let key = |r: &Route| {
        let t = r.total;
        [t.time_h, t.cost_usd, t.co2e_kg_wtw]
    };
    let le = |a: &[f64; 3], b: &[f64; 3]| (0..3).all(|i| a[i] <= b[i]);
    let within = |a: &[f64; 3], b: &[f64; 3]| (0..3).all(|i| a[i] <= b[i] * (1.0 + epsilon));
    for o in optima {
        let ko = key(&o);
        if routes.iter().any(|r| le(&key(r), &ko)) {
            continue;
        }
        routes.retain(|r| !le(&ko, &key(r)));
        match routes
            .iter()
            .position(|r| within(&key(r), &ko) && within(&ko, &key(r)))
        {
            Some(i) => routes[i] = o,
            None => routes.push(o),
        }
    }
    routes.sort_by(|a, b| a.total.time_h.total_cmp(&b.total.time_h));
    routes
}

/// Exact distances to the targets for each criterion into the third
/// argument: element `i` of the first holds the targets with their access
/// cost for criterion `i`. With `Some(extra)` as the second, only the
/// graph's [`Compact::searched_nodes`] and `extra` need theirs (others may
/// be `u64::MAX`); with `None`, every node does.
pub type TargetBounds<'a> =
    dyn FnMut(&[Vec<(Candidate, u64)>], Option<&[u32]>, &mut [Vec<u64>; 3]) + 'a;

/// Memory one Pareto query fills, kept for the next: a query touches tens
/// of MB (bounds and node records for every node, labels; ~80 MB before
/// cells), and fresh pages cost the kernel a fault each, measured at ~15 ms
/// a query on this 2-core VM then (glibc returns such large blocks to the
/// system when they are freed).
#[derive(Default)]
pub struct SearchBuffers {
    bounds: [Vec<u64>; 3],
    nodes: Vec<NodeRecord>,
    labels: Vec<Label>,
    heap: RadixHeap,
    /// The label limit, [`MAX_LABELS`] when `None` (tests set a small one
    /// to exercise a truncated search).
    pub max_labels: Option<usize>,
}

/// How the stages of a Pareto query are named to a [`Progress`]: the
/// exact distances to the destination, the label search (counted in
/// labels, out of the label limit: the limit bounds the work, so the rate
/// gives the longest time left), and the single-criterion optima merged in.
pub const BOUNDS_STAGE: &str = "distances to the destination";
pub const LABELS_STAGE: &str = "labels, up to the limit";
pub const OPTIMA_STAGE: &str = "the exact optima";

/// How many labels are popped between two reports to the progress (and
/// checks whether to stop): a few milliseconds of search.
const REPORT_EVERY: u32 = 1 << 14;

/// The three criteria, in the order of every `Vec3`.
pub const CRITERIA: [Objective; 3] = [Objective::Time, Objective::Cost, Objective::Co2];

/// The open arcs of one weighting, for the label search: each arc stored
/// with its head and its three weights in 16 bytes, closed arcs left out.
/// The search is bound by cache misses (node by node it touched ~350 k
/// nodes scattered over the network for Chongqing → Duisburg; with cells,
/// ~140 k); one record per arc instead of a head array and three weight
/// arrays saves three of them per arc.
/// (Renumbering the nodes along a Hilbert curve was measured too: no
/// difference, the search's frontier spans whole continents.)
///
/// It also knows the network's *dangling trees*: the nodes outside its
/// 2-core (peel away every node with at most one neighbour, repeatedly).
/// A route that enters such a tree must leave it the way it came, so no
/// route worth keeping visits one unless an end of the query lies in it;
/// each query keeps only the trees' paths from its ends up to the core
/// (`dangling_parent`) and gives every other tree node no bound, which
/// the search reads as unreachable (measured: 11 % of the labels of
/// Chongqing → Duisburg were in such trees).
pub struct Compact {
    first_out: Vec<u32>,
    arcs: Vec<(u32, [u32; 3])>,
    /// Compact arc → network arc.
    network_arc: Vec<u32>,
    /// For a node outside the 2-core, its neighbour towards the core (the
    /// one left when it was peeled; itself if it had none); `u32::MAX` for
    /// core nodes.
    dangling_parent: Vec<u32>,
    /// Chains: a node outside usable cells with exactly two neighbours,
    /// joined to both by arcs both ways, is a chain's inner node (`chain[v]`
    /// = its chain, else `u32::MAX`). A label is never left on an inner
    /// node: the search goes straight to the chain's end (unless an end of
    /// the query lies inside). Cells cover such nodes better, so chains are
    /// formed only outside them, also for ε = 0, where cells are not used.
    chain: Vec<u32>,
    /// What the search reads, indexed like `arcs`: the arc itself, or for
    /// an arc into a chain from outside, the node where the chain ends
    /// (flagged [`CHAIN_BIT`]) and the weights all the way there. One
    /// record per arc, so a chain costs the search no extra cache miss.
    search_arcs: Vec<(u32, [u32; 3])>,
    /// Indexed like `search_arcs`: the sea passages (bit `Passage as u8`)
    /// the search arc crosses, a whole chain's for a folded one.
    passage_mask: Vec<u32>,
    /// One-mode regions searched by paths across them (see [`cells`]).
    cells: Cells,
    /// [`Compact::searched_nodes`].
    searched: Vec<u32>,
}

/// Marks a search arc that stands for a whole chain (see [`Compact`]).
const CHAIN_BIT: u32 = 1 << 31;

/// The label's "arc" when it only moved to the next layer, at a via place.
const STAY: u32 = u32::MAX - 1;

/// The mask bit of a network arc's passage code (0, no passage: none).
fn passage_bit(code: u8) -> u32 {
    if code == 0 { 0 } else { 1 << code }
}

impl Compact {
    /// `weights`: the three criteria's arc weights (`u32::MAX` where closed);
    /// `rates`: their per-metre rates and fixed parts per mode
    /// ([`metric::linear_rates`]); `irregular`: the sorted network arcs
    /// whose weights a scenario changes.
    pub fn new(
        net: &Network,
        weights: [&[u32]; 3],
        rates: [([f64; 6], [f64; 6]); 3],
        irregular: &[u32],
    ) -> Compact {
        let (first_out, head) = (net.first_out(), net.arc_head());
        let mut c = Compact {
            first_out: Vec::with_capacity(first_out.len()),
            arcs: Vec::with_capacity(head.len()),
            network_arc: Vec::with_capacity(head.len()),
            dangling_parent: Vec::new(),
            chain: Vec::new(),
            search_arcs: Vec::new(),
            passage_mask: Vec::with_capacity(head.len()),
            cells: Cells::default(),
            searched: Vec::new(),
        };
        let passage = net.arc_passage();
        c.first_out.push(0);
        for v in 0..net.node_count() {
            for a in first_out[v] as usize..first_out[v + 1] as usize {
                let w = [weights[0][a], weights[1][a], weights[2][a]];
                if w.contains(&u32::MAX) {
                    continue;
                }
                c.arcs.push((head[a], w));
                c.network_arc.push(a as u32);
                c.passage_mask.push(passage_bit(passage[a]));
            }
            c.first_out.push(c.arcs.len() as u32);
        }
        assert!(
            c.arcs.len() < CLIQUE_BIT as usize,
            "arc ids fit below the flag bits"
        );
        c.dangling_parent = c.peel();
        c.cells = Cells::new(net, &c, weights, rates, irregular);
        c.searched = (0..c.first_out.len() as u32 - 1)
            .filter(|v| {
                let v = *v as usize;
                !c.cells.in_cell(v) || c.cells.is_boundary(v)
            })
            .collect();
        c.find_chains();
        c
    }

    /// The nodes a search with cells may leave labels on whatever the
    /// query: those in no usable cell and the boundary nodes of usable
    /// cells (a query adds its ends and the cells it breaks).
    pub fn searched_nodes(&self) -> &[u32] {
        &self.searched
    }

    /// The other arc out of chain node `v`, not back to `prev`.
    fn onward(&self, v: u32, prev: u32) -> u32 {
        let (lo, hi) = (self.first_out[v as usize], self.first_out[v as usize + 1]);
        (lo..hi)
            .find(|a| self.arcs[*a as usize].0 != prev)
            .expect("chain nodes have two neighbours")
    }

    /// Fills [`Compact::chain`] and [`Compact::search_arcs`].
    fn find_chains(&mut self) {
        let n = self.first_out.len() - 1;
        // Arc from v to w, if any.
        let arc_to = |c: &Compact, v: usize, w: u32| {
            (c.first_out[v]..c.first_out[v + 1]).find(|a| c.arcs[*a as usize].0 == w)
        };
        let mut inner = vec![false; n];
        for (v, slot) in inner.iter_mut().enumerate() {
            let (lo, hi) = (self.first_out[v], self.first_out[v + 1]);
            if hi - lo != 2 || self.dangling_parent[v] != u32::MAX || self.cells.in_cell(v) {
                continue;
            }
            let (x, y) = (self.arcs[lo as usize].0, self.arcs[lo as usize + 1].0);
            *slot = x != y
                && x as usize != v
                && y as usize != v
                && arc_to(self, x as usize, v as u32).is_some()
                && arc_to(self, y as usize, v as u32).is_some();
        }
        // Chain ids, and arcs from outside into each chain.
        self.chain = vec![u32::MAX; n];
        self.search_arcs = self.arcs.clone();
        let mut chains = 0u32;
        for v in 0..n {
            if inner[v] {
                continue;
            }
            for a in self.first_out[v]..self.first_out[v + 1] {
                let (h, w) = self.arcs[a as usize];
                if !inner[h as usize] {
                    continue;
                }
                let id = if self.chain[h as usize] == u32::MAX {
                    chains += 1;
                    chains - 1
                } else {
                    self.chain[h as usize]
                };
                let mut sum = [w[0] as u64, w[1] as u64, w[2] as u64];
                let mut mask = self.passage_mask[a as usize];
                let (mut prev, mut cur) = (v as u32, h);
                let mut steps = 0;
                while inner[cur as usize] && steps <= n {
                    self.chain[cur as usize] = id;
                    let b = self.onward(cur, prev);
                    let (next, wb) = self.arcs[b as usize];
                    for (s, x) in sum.iter_mut().zip(wb) {
                        *s += x as u64;
                    }
                    mask |= self.passage_mask[b as usize];
                    prev = cur;
                    cur = next;
                    steps += 1;
                }
                if inner[cur as usize] {
                    continue; // a ring of inner nodes only: never skipped
                }
                // A chain whose weights overflow 32 bits is walked instead.
                if let (Ok(t), Ok(c), Ok(e)) = (
                    u32::try_from(sum[0]),
                    u32::try_from(sum[1]),
                    u32::try_from(sum[2]),
                ) && t != u32::MAX
                    && c != u32::MAX
                    && e != u32::MAX
                {
                    self.search_arcs[a as usize] = (cur | CHAIN_BIT, [t, c, e]);
                    self.passage_mask[a as usize] = mask;
                }
            }
        }
    }

    /// The network arcs a search arc stands for, appended to `out`; `paths`
    /// holds those of the paths across cells ([`Cells::paths`]).
    fn unpack(&self, a: u32, paths: &std::collections::HashMap<u32, Vec<u32>>, out: &mut Vec<u32>) {
        if a & CHAIN_BIT == 0 && a & CLIQUE_BIT != 0 {
            out.extend_from_slice(&paths[&a]);
            return;
        }
        if a & CHAIN_BIT == 0 {
            out.push(self.network_arc[a as usize]);
            return;
        }
        let first = a & !CHAIN_BIT;
        out.push(self.network_arc[first as usize]);
        let end = self.search_arcs[first as usize].0 & !CHAIN_BIT;
        // The tail of `first`: the node whose range holds it.
        let mut prev = (self.first_out.partition_point(|&x| x <= first) - 1) as u32;
        let mut cur = self.arcs[first as usize].0;
        while cur != end {
            let b = self.onward(cur, prev);
            out.push(self.network_arc[b as usize]);
            prev = cur;
            cur = self.arcs[b as usize].0;
        }
    }
}

/// A [`Compact`] graph for one query: chains that hold an end of the query
/// are walked node by node, all others skipped.
///
/// With via constraints the search runs over copies of the graph, one per
/// *layer*: layer `i * P + p` holds routes that have passed the first `i`
/// via places and (with a required passage, `P = 2`) have crossed it
/// (`p = 1`) or not yet (`p = 0`). Search node `layer * n + v` is node `v`
/// in that layer; a label moves up a place layer at a via place's node
/// and up the passage layer on an arc of the passage.
struct QueryGraph<'a> {
    compact: &'a Compact,
    /// Chains holding an end or a via node, sorted.
    broken: Vec<u32>,
    /// Network nodes per layer.
    n: u32,
    layers: u32,
    /// The required passage's mask bit (0: none; then `P = 1`).
    required: u32,
    /// Network passage code per network arc, for arcs of broken chains.
    net_passage: &'a [u8],
    /// Whether cells are searched by paths across them (ε > 0).
    use_cells: bool,
    /// Cells holding an end or a via node, sorted: searched node by node.
    broken_cells: Vec<u32>,
}

impl QueryGraph<'_> {
    fn node_count(&self) -> usize {
        (self.n * self.layers) as usize
    }

    /// Calls `f(arc, head, weights)` for every search arc out of search
    /// node `x`: a whole chain as one arc flagged [`CHAIN_BIT`], other arcs
    /// as they are; heads in the layer the arc leads to.
    fn for_each_arc(&self, x: u32, mut f: impl FnMut(u32, u32, Vec3)) {
        let c = self.compact;
        let (layer, v) = if self.layers == 1 {
            (0, x as usize)
        } else {
            (x / self.n, (x % self.n) as usize)
        };
        let base = layer * self.n;
        // Layer of a head reached over an arc that crosses the passage.
        let crossed = if layer % 2 == 0 { base + self.n } else { base };
        if self.use_cells
            && c.cells
                .cell_of(v)
                .is_some_and(|cell| self.broken_cells.binary_search(&cell).is_err())
        {
            // Paths across a cell cross no passage: they stay in the layer.
            c.cells.for_each_arc(v, |arc| match arc {
                CellArc::Across(id, h, w) => {
                    f(id, base + h, [w[0] as u64, w[1] as u64, w[2] as u64])
                }
                CellArc::Out(a) => self.flat_arc(a, base, crossed, &mut f),
            });
        } else {
            for a in c.first_out[v]..c.first_out[v + 1] {
                self.flat_arc(a, base, crossed, &mut f);
            }
        }
    }

    /// Calls `f` for compact arc `a` as the search takes it: a whole chain
    /// as one arc flagged [`CHAIN_BIT`] unless the chain is broken; `base`
    /// is the tail's layer's first node, `crossed` the one an arc of the
    /// required passage leads to.
    #[inline(always)]
    fn flat_arc(&self, a: u32, base: u32, crossed: u32, f: &mut impl FnMut(u32, u32, Vec3)) {
        let c = self.compact;
        // Without a required passage no arc changes layer, and the passage
        // masks are not read at all.
        let head = |h: u32, mask: &dyn Fn() -> u32| {
            if self.required != 0 && mask() & self.required != 0 {
                crossed + h
            } else {
                base + h
            }
        };
        let (h, w) = c.search_arcs[a as usize];
        let w = [w[0] as u64, w[1] as u64, w[2] as u64];
        if h & CHAIN_BIT == 0 {
            f(a, head(h, &|| c.passage_mask[a as usize]), w);
        } else if self.broken.is_empty()
            || self
                .broken
                .binary_search(&c.chain[c.arcs[a as usize].0 as usize])
                .is_err()
        {
            f(
                a | CHAIN_BIT,
                head(h & !CHAIN_BIT, &|| c.passage_mask[a as usize]),
                w,
            );
        } else {
            let (h, w) = c.arcs[a as usize];
            let own = || passage_bit(self.net_passage[c.network_arc[a as usize] as usize]);
            f(a, head(h, &own), [w[0] as u64, w[1] as u64, w[2] as u64]);
        }
    }
}

impl Compact {
    /// [`Compact::dangling_parent`], by peeling. Neighbours count in both
    /// directions, so a node some arc only enters is never taken for a
    /// dead end.
    fn peel(&self) -> Vec<u32> {
        let n = self.first_out.len() - 1;
        // Each node's neighbours both ways, bucketed by node (two counting
        // passes; sorting all 4.7 M pairs took ~0.1 s), then sorted and
        // deduplicated within each small bucket.
        let mut count = vec![0u32; n + 1];
        for v in 0..n {
            for a in self.first_out[v]..self.first_out[v + 1] {
                let h = self.arcs[a as usize].0 as usize;
                if h != v {
                    count[v + 1] += 1;
                    count[h + 1] += 1;
                }
            }
        }
        for v in 0..n {
            count[v + 1] += count[v];
        }
        let mut all = vec![0u32; count[n] as usize];
        let mut fill = count.clone();
        for v in 0..n {
            for a in self.first_out[v]..self.first_out[v + 1] {
                let h = self.arcs[a as usize].0 as usize;
                if h != v {
                    all[fill[v] as usize] = h as u32;
                    fill[v] += 1;
                    all[fill[h] as usize] = v as u32;
                    fill[h] += 1;
                }
            }
        }
        let mut start = vec![0u32; n + 1];
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(all.len());
        for v in 0..n {
            let bucket = &mut all[count[v] as usize..count[v + 1] as usize];
            bucket.sort_unstable();
            let before = pairs.len();
            for (i, &w) in bucket.iter().enumerate() {
                if i == 0 || bucket[i - 1] != w {
                    pairs.push((v as u32, w));
                }
            }
            start[v + 1] = start[v] + (pairs.len() - before) as u32;
        }
        let neighbours = |v: usize| &pairs[start[v] as usize..start[v + 1] as usize];
        let mut degree: Vec<u32> = (0..n).map(|v| neighbours(v).len() as u32).collect();
        let mut parent = vec![u32::MAX; n];
        let mut stack: Vec<u32> = (0..n as u32).filter(|v| degree[*v as usize] <= 1).collect();
        while let Some(v) = stack.pop() {
            let v = v as usize;
            if parent[v] != u32::MAX {
                continue;
            }
            // The neighbour still in the graph, if any.
            let rest = neighbours(v)
                .iter()
                .map(|(_, w)| *w)
                .find(|w| parent[*w as usize] == u32::MAX);
            parent[v] = rest.unwrap_or(v as u32);
            if let Some(w) = rest {
                let w = w as usize;
                degree[w] -= 1;
                if degree[w] <= 1 {
                    stack.push(w as u32);
                }
            }
        }
        parent
    }

    /// Node `e` and, if it lies in a dangling tree, its path up to the core.
    fn dangling_path(&self, e: u32) -> Vec<u32> {
        let mut path = vec![e];
        let mut v = e as usize;
        while self.dangling_parent[v] != u32::MAX {
            let p = self.dangling_parent[v] as usize;
            if p == v {
                break;
            }
            path.push(p as u32);
            v = p;
        }
        path
    }

    /// Bounds for one query (one layer of it, appended to `nodes`):
    /// `lower[v]` for every node, except nodes of dangling trees off the
    /// paths from `ends` to the core, which get none. With `only` (a search
    /// with cells), just for [`Compact::searched_nodes`] and the given
    /// extra nodes: no label can be anywhere else.
    fn node_records(
        &self,
        lower: impl Fn(usize) -> Vec3,
        ends: &[u32],
        only: Option<&[u32]>,
        nodes: &mut Vec<NodeRecord>,
    ) {
        let start = nodes.len();
        let core = |v: usize| self.dangling_parent[v] == u32::MAX;
        match only {
            None => nodes.extend(
                (0..self.dangling_parent.len())
                    .map(|v| NodeRecord::new(if core(v) { lower(v) } else { [u64::MAX; 3] })),
            ),
            Some(extra) => {
                nodes.resize(
                    start + self.dangling_parent.len(),
                    NodeRecord::new([u64::MAX; 3]),
                );
                for &v in self.searched.iter().chain(extra) {
                    let v = v as usize;
                    if core(v) {
                        nodes[start + v] = NodeRecord::new(lower(v));
                    }
                }
            }
        }
        for &e in ends {
            let mut v = e as usize;
            while self.dangling_parent[v] != u32::MAX {
                nodes[start + v] = NodeRecord::new(lower(v));
                let p = self.dangling_parent[v] as usize;
                if p == v {
                    break;
                }
                v = p;
            }
        }
    }
}

/// Where the label search starts: a node of its graph, the label there
/// (the access from the place) and which origin candidate it stands for.
struct Start {
    node: u32,
    g: Vec3,
    origin: u32,
}

/// A route the label search kept: its totals (access included), the arcs
/// of the search graph in order, its origin candidate and its last node.
struct Kept {
    total: Vec3,
    arcs: Vec<u32>,
    origin: u32,
    end: u32,
}

/// A monotone priority queue of `(key, label)`: a radix heap. Keys taken
/// never decrease (each bound is consistent: it never decreases along an
/// arc), so every key lives in the bucket of its highest bit that differs
/// from the last key taken, and each key moves down at most 64 times.
struct RadixHeap {
    last: u64,
    buckets: Vec<Vec<(u64, u32)>>,
    len: usize,
}

impl Default for RadixHeap {
    fn default() -> RadixHeap {
        RadixHeap {
            last: 0,
            buckets: (0..65).map(|_| Vec::new()).collect(),
            len: 0,
        }
    }
}

impl RadixHeap {
    #[cfg(test)]
    fn new() -> RadixHeap {
        RadixHeap::default()
    }

    /// Empty, keeping the buckets' memory.
    fn clear(&mut self) {
        self.last = 0;
        self.len = 0;
        for b in &mut self.buckets {
            b.clear();
        }
    }

    fn bucket(&self, key: u64) -> usize {
        (64 - (key ^ self.last).leading_zeros()) as usize
    }

    fn push(&mut self, key: u64, id: u32) {
        let b = self.bucket(key.max(self.last));
        self.buckets[b].push((key.max(self.last), id));
        self.len += 1;
    }

    fn pop(&mut self) -> Option<(u64, u32)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let b = (1..65).find(|b| !self.buckets[*b].is_empty())?;
            let items = std::mem::take(&mut self.buckets[b]);
            self.last = items.iter().map(|(k, _)| *k).min().expect("non-empty");
            for (k, id) in &items {
                let nb = self.bucket(*k);
                self.buckets[nb].push((*k, *id));
            }
            // Keep the emptied bucket's allocation for later keys.
            let mut items = items;
            items.clear();
            if self.buckets[b].is_empty() {
                self.buckets[b] = items;
            }
        }
        self.len -= 1;
        self.buckets[0].pop()
    }
}

/// What the search keeps per node, in one 16-byte record (one cache line
/// serves four nodes): the lower bounds to the targets, saturated to `u32`
/// (still lower bounds; `u32::MAX` where a target is unreachable), and the
/// node's newest label.
#[derive(Clone, Copy)]
struct NodeRecord {
    lower: [u32; 3],
    first_label: u32,
}

impl NodeRecord {
    /// A node with lower bounds `lower` (`u64::MAX` where unreachable).
    fn new(lower: Vec3) -> NodeRecord {
        let sat = |x: u64| {
            if x == u64::MAX {
                u32::MAX
            } else {
                x.min(u32::MAX as u64 - 1) as u32
            }
        };
        NodeRecord {
            lower: [sat(lower[0]), sat(lower[1]), sat(lower[2])],
            first_label: u32::MAX,
        }
    }
}

/// The (1 + ε) label search (see the module comment) on `graph`, with
/// `nodes[v]` holding the exact per-criterion distances from `v` to the
/// targets. `targets` are the graph's target nodes (in the last layer)
/// with their access; `vias[i]` the sorted network nodes of via place `i`.
/// Returns the kept routes (sorted by total) and whether the search hit
/// [`MAX_LABELS`].
fn label_search(
    graph: &QueryGraph,
    buffers: &mut SearchBuffers,
    starts: &[Start],
    targets: &[(u32, Vec3)],
    vias: &[Vec<u32>],
    epsilon: f64,
    progress: &(dyn Progress + Sync),
) -> (Vec<Kept>, bool) {
    let SearchBuffers {
        nodes,
        labels,
        heap,
        max_labels,
        ..
    } = buffers;
    let max_labels = max_labels.unwrap_or(MAX_LABELS);
    let nodes = &mut nodes[..];
    debug_assert_eq!(nodes.len(), graph.node_count());
    // Room for one label per node up front: growing by doubling would copy
    // tens of MB; untouched capacity costs no memory.
    labels.clear();
    labels.reserve(nodes.len());
    heap.clear();
    // Labels are processed in order of a positive combination of their
    // bounds, each criterion scaled by its optimum from the origin: still
    // exact (each bound never decreases along a path, so a dominating label
    // always comes first), and it finds routes across the whole front early,
    // so far more labels are pruned than in time order (measured: 2.4 M
    // labels in time order, 1.1 M this way, for Chongqing → Duisburg).
    let scale: [f64; 3] = {
        let mut sc = [1.0f64; 3];
        for (i, s) in sc.iter_mut().enumerate() {
            let best = starts
                .iter()
                .map(|s| nodes[s.node as usize].lower[i])
                .min()
                .unwrap_or(u32::MAX);
            if best != u32::MAX && best > 0 {
                *s = 1.0 / best as f64;
            }
        }
        sc
    };
    let order_key = |f: &Vec3| -> u64 {
        ((f[0] as f64 * scale[0] + f[1] as f64 * scale[1] + f[2] as f64 * scale[2]) * 1e9) as u64
    };
    let bound = |g: &Vec3, l: &[u32; 3]| -> Option<Vec3> {
        if l[0] == u32::MAX || l[1] == u32::MAX || l[2] == u32::MAX {
            return None;
        }
        Some([g[0] + l[0] as u64, g[1] + l[1] as u64, g[2] + l[2] as u64])
    };
    // A route found covers a bound `f` when it is within (1 + ε) of it on
    // every criterion: `f[i] >= s[i] / (1 + ε)`, kept as integer thresholds
    // (at ε = 0 they are the totals themselves, so exactness is kept).
    let threshold = |s: &Vec3| -> Vec3 {
        if epsilon == 0.0 {
            return *s;
        }
        [0, 1, 2].map(|i| (s[i] as f64 / (1.0 + epsilon)).ceil() as u64)
    };
    let covered = |thresholds: &[Vec3], f: &Vec3| {
        thresholds
            .iter()
            .any(|t| t[0] <= f[0] && t[1] <= f[1] && t[2] <= f[2])
    };
    // A label within (1 + ε) of a kept label at the same node, on the bound
    // of the whole route, adds nothing a user could tell apart.
    let node_eps = epsilon;
    let mut solutions: Vec<(Vec3, u32)> = Vec::new();
    let mut thresholds: Vec<Vec3> = Vec::new();
    let push = |g: Vec3,
                node: u32,
                arc: u32,
                prev: u32,
                nodes: &mut [NodeRecord],
                labels: &mut Vec<Label>,
                heap: &mut RadixHeap,
                thresholds: &[Vec3]| {
        let rec = &mut nodes[node as usize];
        let Some(f) = bound(&g, &rec.lower) else {
            return;
        };
        if covered(thresholds, &f) {
            return;
        }
        // One walk over the node's labels. Exact dominance comes first, both
        // ways: a label the new one dominates goes even if it arrived first
        // (with chains and cells skipped, a worse label can reach a node
        // before a better one) and is unlinked, so later walks are shorter;
        // the new label is dropped for being within (1 + ε) of a kept label
        // only if it beats none it would otherwise have to replace.
        let mut covered_here = false;
        let mut before = u32::MAX;
        let mut l = rec.first_label;
        while l != u32::MAX {
            let other = &mut labels[l as usize];
            let next = other.next;
            if other.g[0] != DEAD {
                if dominates(&other.g, &g) {
                    return;
                }
                if !dominates(&g, &other.g) {
                    if node_eps > 0.0 && !covered_here {
                        let lg = other.g;
                        let lf = [
                            lg[0] + (f[0] - g[0]),
                            lg[1] + (f[1] - g[1]),
                            lg[2] + (f[2] - g[2]),
                        ];
                        covered_here = covers(&lf, &f, node_eps);
                    }
                    before = l;
                    l = next;
                    continue;
                }
                other.g[0] = DEAD;
            }
            // A dead label leaves the node's list (it stays in `labels` for
            // the paths through it and is skipped when popped).
            if before == u32::MAX {
                rec.first_label = next;
            } else {
                labels[before as usize].next = next;
            }
            l = next;
        }
        if covered_here {
            return;
        }
        let id = labels.len() as u32;
        labels.push(Label {
            g,
            node,
            arc,
            prev,
            next: rec.first_label,
        });
        rec.first_label = id;
        heap.push(order_key(&f), id);
    };
    for s in starts {
        push(
            s.g,
            s.node,
            u32::MAX,
            s.origin,
            nodes,
            labels,
            heap,
            &thresholds,
        );
    }
    let mut truncated = false;
    progress.stage(LABELS_STAGE, max_labels as u64);
    let (mut popped, mut reported) = (0u32, 0usize);
    while let Some((_, id)) = heap.pop() {
        popped = popped.wrapping_add(1);
        if popped % REPORT_EVERY == 0 {
            progress.advance((labels.len() - reported) as u64);
            reported = labels.len();
            if progress.cancelled() {
                truncated = true;
                break;
            }
        }
        let (g, v) = {
            let l = &labels[id as usize];
            (l.g, l.node)
        };
        if g[0] == DEAD {
            continue;
        }
        let f = bound(&g, &nodes[v as usize].lower).expect("pushed labels have bounds");
        if covered(&thresholds, &f) {
            continue;
        }
        if let Some((_, acc)) = targets.iter().find(|(n, _)| *n == v) {
            let total = [g[0] + acc[0], g[1] + acc[1], g[2] + acc[2]];
            if !solutions.iter().any(|(s, _)| covers(s, &total, epsilon)) {
                solutions.retain(|(s, _)| !dominates(&total, s));
                solutions.push((total, id));
                thresholds = solutions.iter().map(|(s, _)| threshold(s)).collect();
            }
        }
        if labels.len() > max_labels {
            truncated = true;
            break;
        }
        // At a node of the next via place, the route may count it as passed.
        let place_step = if graph.required != 0 { 2 } else { 1 };
        let i = (v / graph.n / place_step) as usize;
        if i < vias.len() && vias[i].binary_search(&(v % graph.n)).is_ok() {
            let up = v + place_step * graph.n;
            push(g, up, STAY, id, nodes, labels, heap, &thresholds);
        }
        graph.for_each_arc(v, |a, h, w| {
            let ng = [g[0] + w[0], g[1] + w[1], g[2] + w[2]];
            push(ng, h, a, id, nodes, labels, heap, &thresholds);
        });
    }
    solutions.sort();
    let kept = solutions
        .into_iter()
        .map(|(total, id)| {
            let mut arcs = Vec::new();
            let mut l = id;
            while labels[l as usize].arc != u32::MAX {
                if labels[l as usize].arc != STAY {
                    arcs.push(labels[l as usize].arc);
                }
                l = labels[l as usize].prev;
            }
            arcs.reverse();
            Kept {
                total,
                arcs,
                origin: labels[l as usize].prev,
                end: labels[id as usize].node % graph.n,
            }
        })
        .collect();
    (kept, truncated)
}

/// Snapping candidates of both ends and of each via place, or the error
/// that one of them has none.
type Endpoints = (Vec<Candidate>, Vec<Candidate>, Vec<Vec<Candidate>>);

fn endpoints(net: &Network, req: &Request) -> Result<Endpoints, RouteError> {
    if let Some(e) = crate::request::closed_place(net, req) {
        return Err(e);
    }
    let cands = |p: &crate::places::ResolvedPlace| -> Result<Vec<Candidate>, RouteError> {
        let c = snap::candidates(net, p.pos, &req.filter);
        if c.is_empty() {
            return Err(RouteError::NoNetwork {
                place: p.label(),
                modes: req.filter.modes,
                constrained: !req.filter.closed_nodes.is_empty(),
            });
        }
        Ok(c)
    };
    let vias = req
        .via_places
        .iter()
        .map(cands)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((cands(&req.from)?, cands(&req.to)?, vias))
}

/// The access from the place to candidate `c`, per criterion.
fn access(req: &Request, c: &Candidate) -> Vec3 {
    let mut v = [0u64; 3];
    for (i, o) in CRITERIA.iter().enumerate() {
        v[i] = metric::access_cost(&req.pricing, *o, c.distance_m);
    }
    v
}

/// Each target node once, with its cheapest access (by time).
fn target_access(req: &Request, targets: &[Candidate]) -> Vec<(u32, Vec3)> {
    let mut m: Vec<(u32, Vec3)> = Vec::new();
    for t in targets {
        let a = access(req, t);
        match m.iter_mut().find(|(n, _)| *n == t.node.0) {
            Some((_, e)) if a[0] < e[0] => *e = a,
            Some(_) => {}
            None => m.push((t.node.0, a)),
        }
    }
    m
}

/// Explains each kept route, given as network arcs with its origin
/// candidate's index and its last network node.
fn explain_all(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    origins: &[Candidate],
    targets: &[Candidate],
    kept: Vec<(Vec3, Vec<u32>, u32, u32)>,
) -> Vec<Route> {
    // Each route is explained on its own (legs, borders, names): in
    // parallel.
    use rayon::prelude::*;
    kept.into_par_iter()
        .map(|(total, arcs, origin, end)| {
            let origin = origins[origin as usize];
            let target = *targets
                .iter()
                .filter(|t| t.node.0 == end)
                .min_by(|a, b| a.distance_m.total_cmp(&b.distance_m))
                .expect("a target");
            let found = Found {
                arcs,
                origin,
                target,
                weight: total[0],
            };
            let mut r = explain::route(net, &req.pricing, &req.from, &req.to, &found, gazetteer);
            r.notes = snap::explain_joins(
                net,
                &req.from,
                origins,
                &origin,
                &req.to,
                targets,
                &target,
                req.filter.modes,
            );
            // A scenario's delays and charges, as single routes carry them.
            if let Some(p) = &req.filter.penalties {
                explain::charge_penalties(p, net, &req.pricing, &mut r);
            }
            explain::add_drayage(net, gazetteer, &req.pricing, &mut r);
            r
        })
        .collect()
}

/// The label search on `graph` (the request's three weights, compacted),
/// given a way to compute exact distances to the targets for each criterion
/// in network node order (Dijkstra in [`pareto`]; a hierarchy sweep in
/// [`crate::fast::Engine::pareto`]). Its stages go to `progress`
/// ([`BOUNDS_STAGE`], then [`LABELS_STAGE`] counted in labels created);
/// when `progress` asks to stop, the search returns at once with no
/// routes, flagged truncated (the caller reports the cancellation).
#[allow(clippy::too_many_arguments)]
pub fn pareto_search(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    epsilon: f64,
    graph: &Compact,
    bounds: &mut TargetBounds,
    buffers: &mut SearchBuffers,
    progress: &(dyn Progress + Sync),
) -> Result<(Vec<Route>, bool), RouteError> {
    let (origins, targets, vias) = endpoints(net, req)?;
    progress.stage(BOUNDS_STAGE, 0);
    // Layers (see [`QueryGraph`]): one per via place passed, times two with
    // a required passage.
    let place_step: u32 = if req.via_passage.is_some() { 2 } else { 1 };
    let layers = (vias.len() as u32 + 1) * place_step;
    let required = req.via_passage.map_or(0, |p| passage_bit(p as u8));
    let n = (graph.first_out.len() - 1) as u32;
    // The compact arcs of the required passage, as (tail, arc), found once.
    let passage_arcs: Vec<(u32, u32)> = if required == 0 {
        Vec::new()
    } else {
        (0..n)
            .flat_map(|v| {
                (graph.first_out[v as usize]..graph.first_out[v as usize + 1]).map(move |a| (v, a))
            })
            .filter(|&(_, a)| {
                passage_bit(net.arc_passage()[graph.network_arc[a as usize] as usize]) & required
                    != 0
            })
            .collect()
    };
    // Exact per-criterion distances to the destination, per layer, last
    // first: the last layer's are to the targets; an earlier layer's are to
    // wherever it moves up (a node of its next via place, with the next
    // layer's distance there; the far end of an arc of the passage, with
    // that arc and the next layer's distance from its head).
    // Every end and via node keeps its dangling tree's path to the core and
    // breaks its chain; so do the ends of the required passage's arcs, as a
    // route may turn into a dead end or a chain to cross it and come back.
    let mut ends: Vec<u32> = origins
        .iter()
        .chain(&targets)
        .chain(vias.iter().flatten())
        .map(|c| c.node.0)
        .collect();
    for &(v, a) in &passage_arcs {
        ends.extend([v, graph.arcs[a as usize].0]);
    }
    // Cells (ε > 0 only, see [`cells`]): those holding an end are searched
    // node by node; the bounds are needed only where labels can be.
    let use_cells = epsilon > 0.0;
    let mut broken_cells: Vec<u32> = ends
        .iter()
        .filter_map(|v| graph.cells.cell_of(*v as usize))
        .collect();
    broken_cells.sort_unstable();
    broken_cells.dedup();
    let extra: Vec<u32> = broken_cells
        .iter()
        .flat_map(|c| graph.cells.members(*c).iter().copied())
        .chain(ends.iter().flat_map(|&e| graph.dangling_path(e)))
        .collect();
    let needed = use_cells.then_some(&extra[..]);
    let mut per_layer: Vec<[Vec<u64>; 3]> = Vec::with_capacity(layers as usize);
    per_layer.push(std::mem::take(&mut buffers.bounds));
    per_layer.extend((1..layers).map(|_| Default::default()));
    for layer in (0..layers).rev() {
        let (i, p) = ((layer / place_step) as usize, layer % place_step);
        let seeds: Vec<Vec<(Candidate, u64)>> = if layer == layers - 1 {
            (0..3)
                .map(|k| targets.iter().map(|c| (*c, access(req, c)[k])).collect())
                .collect()
        } else {
            (0..3)
                .map(|k| {
                    let mut seeds = Vec::new();
                    let at = |v: u32| Candidate {
                        node: silkroute_model::NodeId(v),
                        distance_m: 0.0,
                    };
                    if i < vias.len() {
                        let next = &per_layer[(layer + place_step) as usize][k];
                        for c in &vias[i] {
                            if next[c.node.index()] != u64::MAX {
                                seeds.push((at(c.node.0), next[c.node.index()]));
                            }
                        }
                    }
                    if required != 0 && p == 0 {
                        let crossed = &per_layer[(layer + 1) as usize][k];
                        for &(v, a) in &passage_arcs {
                            let (h, w) = graph.arcs[a as usize];
                            if crossed[h as usize] != u64::MAX {
                                seeds.push((at(v), w[k] as u64 + crossed[h as usize]));
                            }
                        }
                    }
                    seeds
                })
                .collect()
        };
        bounds(&seeds, needed, &mut per_layer[layer as usize]);
    }
    buffers.nodes.clear();
    for per in &per_layer {
        graph.node_records(
            |v| [per[0][v], per[1][v], per[2][v]],
            &ends,
            needed,
            &mut buffers.nodes,
        );
    }
    buffers.bounds = std::mem::take(&mut per_layer[0]);
    let starts: Vec<Start> = origins
        .iter()
        .enumerate()
        .map(|(i, c)| Start {
            node: c.node.0,
            g: access(req, c),
            origin: i as u32,
        })
        .collect();
    let last = (layers - 1) * n;
    let target_access: Vec<(u32, Vec3)> = target_access(req, &targets)
        .into_iter()
        .map(|(v, a)| (last + v, a))
        .collect();
    let via_nodes: Vec<Vec<u32>> = vias
        .iter()
        .map(|cs| {
            let mut v: Vec<u32> = cs.iter().map(|c| c.node.0).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let mut broken: Vec<u32> = ends
        .iter()
        .map(|v| graph.chain[*v as usize])
        .filter(|c| *c != u32::MAX)
        .collect();
    broken.sort_unstable();
    broken.dedup();
    let search = QueryGraph {
        compact: graph,
        broken,
        n,
        layers,
        required,
        net_passage: net.arc_passage(),
        use_cells,
        broken_cells,
    };
    let (kept, truncated) = label_search(
        &search,
        buffers,
        &starts,
        &target_access,
        &via_nodes,
        epsilon,
        progress,
    );
    if progress.cancelled() {
        return Ok((Vec::new(), true));
    }
    if kept.is_empty() {
        // No route found: the single best one, flagged incomplete if the
        // search stopped at its label limit.
        return crate::request::best_route(net, gazetteer, req).map(|r| (vec![r], truncated));
    }
    let across: Vec<u32> = kept
        .iter()
        .flat_map(|k| &k.arcs)
        .filter(|a| **a & CHAIN_BIT == 0 && **a & CLIQUE_BIT != 0)
        .copied()
        .collect();
    let paths = graph.cells.paths(net, &across);
    let kept: Vec<_> = kept
        .into_iter()
        .map(|k| {
            let mut arcs = Vec::with_capacity(k.arcs.len());
            for a in &k.arcs {
                graph.unpack(*a, &paths, &mut arcs);
            }
            (k.total, arcs, k.origin, k.end)
        })
        .collect();
    Ok((
        explain_all(net, gazetteer, req, &origins, &targets, kept),
        truncated,
    ))
}

#[cfg(test)]
mod tests {
    use super::RadixHeap;

    /// The radix heap pops what a binary heap pops, for monotone pushes
    /// interleaved with pops (seeded, printed on failure).
    #[test]
    fn radix_heap_matches_binary_heap() {
        for seed in 1..50u64 {
            let mut x = seed;
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            let mut radix = RadixHeap::new();
            let mut reference = std::collections::BinaryHeap::new();
            let mut last = 0u64;
            for id in 0..2_000u32 {
                if next() % 3 == 0 {
                    let a = radix.pop().map(|(k, _)| k);
                    let b = reference.pop().map(|std::cmp::Reverse((k, _))| k);
                    assert_eq!(a, b, "seed {seed}");
                    if let Some(k) = a {
                        last = k;
                    }
                } else {
                    let key = last + next() % 1_000_000;
                    radix.push(key, id);
                    reference.push(std::cmp::Reverse((key, id)));
                }
            }
            while let Some(std::cmp::Reverse((k, _))) = reference.pop() {
                assert_eq!(radix.pop().map(|(k, _)| k), Some(k), "seed {seed}");
            }
            assert!(radix.pop().is_none(), "seed {seed}");
        }
    }
}

//! Fast exact queries: customizable contraction hierarchies stored in the
//! network file, and an [`Engine`] that keeps customized metrics.
//!
//! Four hierarchies are built when a network is compiled and stored as
//! extension sections of its file: one over the whole multimodal graph and
//! one each over the rail, road and sea arcs alone (same node ids; a map
//! turns their arc ids into the network's). Hierarchy queries visit every
//! ancestor of the endpoints whatever the metric, so a rail-only query runs
//! on the small rail hierarchy (height ~100) rather than the multimodal one
//! (height ~500).
//!
//! A query first needs a metric: the objective's arc weights (with the
//! filter's closed arcs) customized onto the hierarchy. That costs tens of
//! milliseconds (rail) to a few hundred (multimodal), so the engine caches
//! metrics, keyed by a fingerprint of everything a metric depends on (the
//! objective, the filter's modes, passages, closed nodes and penalties,
//! the cost model's numbers and the cargo), never by an address. The cache
//! holds at most [`EngineOptions::max_metrics`] metrics (each up to
//! ~120 MB on the world network, twice that once a matrix has used it)
//! and drops the least recently used one first. A scenario's metric is
//! derived from its cached baseline (same objective, modes and pricing)
//! by partial re-customization when it only makes few arcs heavier
//! (`Engine::raised`, exact; [`EngineOptions::raise_scenarios`]); a server
//! builds what that needs at start ([`Engine::warm_scenarios`]). One-off
//! queries in the CLI may use plain Dijkstra instead
//! ([`EngineOptions::use_hierarchy`]).
//!
//! Matrices: [`Engine::matrix_weights`] is the hierarchy's bucket matrix
//! of the objective alone; [`Engine::matrix_cells`] adds every cell's time,
//! cost, CO2e and distance from companion sums ([`crate::companions`]),
//! which the metric computes on its first matrix and keeps (four sums per
//! hierarchy arc and direction, ~120 MB on the world network), so no path
//! is unpacked: a 1,000 × 1,000 multimodal table in 0.3–0.4 s on 2 cores
//! (0.5 s of CPU; its first on a metric 0.3 s more), where unpacking and
//! pricing each path ([`Engine::matrix_cells_unpacked`]) takes 84–140 s.
//!
//! The [`Engine`] is `Send + Sync` and every method takes `&self`: many
//! threads can query one engine at once. Metrics are shared (`Arc`), a
//! metric two threads ask for at once is customized once, and the memory
//! each query fills (hierarchy search buffers, the Pareto search's labels
//! and sweeps) comes from small pools, so threads never wait on each
//! other's queries.
//! `build_extensions` also stores the Pareto search's cells
//! ([`crate::pareto`]), and [`Engine::pareto`] sweeps the three criteria's
//! bounds only over the nodes that search can reach.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use silkroute_graph::Network;
use silkroute_hierarchy::{
    Companions, Hierarchy, HierarchyView, MatrixBuffers, Metric, Query, QueryBuffers, Raise,
    RaiseIndex, Selection, Sweep, Within,
};
use silkroute_model::{Mode, ModeSet, Passage, Progress};

use crate::explain::Route;
use crate::filter::Filter;
use crate::metric;
use crate::objective::{Objective, Pricing};
use crate::places::Gazetteer;
use crate::request::{Request, RouteError};
use crate::search::{self, Found};
use crate::snap::{self, Candidate};

/// Both ends' snapping candidates with their access costs.
pub type CandidatePair = (Vec<(Candidate, u64)>, Vec<(Candidate, u64)>);

/// Which arcs a hierarchy covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    All,
    Only(Mode),
}

pub const SCOPES: [Scope; 4] = [
    Scope::All,
    Scope::Only(Mode::Rail),
    Scope::Only(Mode::Road),
    Scope::Only(Mode::Sea),
];

/// First extension section of a scope: 4 hierarchy arrays, then (for
/// single-mode scopes) the arc map.
fn base(i: usize) -> u32 {
    i as u32 * 5
}

/// Extension section holding the hierarchy format version.
const VERSION_SECTION: u32 = 20;

/// Builds the hierarchies of a compiled network, as extension sections.
/// Returns `None` if cancelled.
pub fn build_extensions(net: &Network, progress: &dyn Progress) -> Option<Vec<(u32, Vec<u32>)>> {
    let (lat, lon) = coordinates(net);
    let mut out = vec![(VERSION_SECTION, vec![silkroute_hierarchy::FORMAT_VERSION])];
    for (i, scope) in SCOPES.iter().enumerate() {
        progress.stage(
            &match scope {
                Scope::All => "contraction hierarchy: all modes".to_string(),
                Scope::Only(m) => format!("contraction hierarchy: {m}"),
            },
            0,
        );
        if progress.cancelled() {
            return None;
        }
        let (first_out, head, map) = sub_graph(net, *scope);
        let h = Hierarchy::build(&first_out, &head, &lat, &lon);
        for (k, (_, data)) in h.view().sections().iter().enumerate() {
            out.push((base(i) + k as u32, data.to_vec()));
        }
        if let Some(map) = map {
            out.push((base(i) + 4, map));
        }
    }
    progress.stage("cells for the Pareto search", 0);
    if progress.cancelled() {
        return None;
    }
    out.extend(crate::pareto::build_cell_sections(net));
    Some(out)
}

/// Whether `net` carries the search structures this version builds: its
/// hierarchies in the current layout and the Pareto search's cells.
pub fn extensions_current(net: &Network) -> bool {
    net.extension(VERSION_SECTION) == Some(&[silkroute_hierarchy::FORMAT_VERSION][..])
        && crate::pareto::cells_present(net)
}

/// Every node's latitude and longitude, for the geometric ordering.
fn coordinates(net: &Network) -> (Vec<f64>, Vec<f64>) {
    (0..net.node_count() as u32)
        .map(|v| net.pos(silkroute_model::NodeId(v)))
        .map(|p| (p.lat, p.lon))
        .unzip()
}

/// Builds one scope's hierarchy (for timing preprocessing in benchmarks).
pub fn build_scope(net: &Network, scope: Scope) -> Hierarchy {
    let (lat, lon) = coordinates(net);
    let (first_out, head, _) = sub_graph(net, scope);
    Hierarchy::build(&first_out, &head, &lat, &lon)
}

/// The CSR a scope's hierarchy is built on, and its arc map (sub arc →
/// network arc) for single-mode scopes.
fn sub_graph(net: &Network, scope: Scope) -> (Vec<u32>, Vec<u32>, Option<Vec<u32>>) {
    match scope {
        Scope::All => (net.first_out().to_vec(), net.arc_head().to_vec(), None),
        Scope::Only(m) => {
            let (first_out, head, mode) = (net.first_out(), net.arc_head(), net.arc_mode());
            let mut fo = Vec::with_capacity(first_out.len());
            let mut hd = Vec::new();
            let mut map = Vec::new();
            fo.push(0);
            for v in 0..net.node_count() {
                for a in first_out[v] as usize..first_out[v + 1] as usize {
                    if mode[a] == m as u8 {
                        hd.push(head[a]);
                        map.push(a as u32);
                    }
                }
                fo.push(hd.len() as u32);
            }
            (fo, hd, Some(map))
        }
    }
}

/// A stored hierarchy: whether the file's sections for each scope passed
/// their check when the engine loaded them. Queries re-slice the checked
/// sections from the network (the engine owns the network, not views into
/// it).
struct Hierarchies {
    valid: Vec<bool>,
}

impl Hierarchies {
    /// Checks whatever hierarchies the file has; a missing or damaged one
    /// is simply absent (queries fall back to Dijkstra).
    fn load(net: &Network) -> Hierarchies {
        let version_ok =
            net.extension(VERSION_SECTION) == Some(&[silkroute_hierarchy::FORMAT_VERSION][..]);
        let valid = SCOPES
            .iter()
            .enumerate()
            .map(|(i, scope)| {
                version_ok
                    && (|| {
                        let s = |k: u32| net.extension(base(i) + k);
                        let view =
                            HierarchyView::from_sections([s(0)?, s(1)?, s(2)?, s(3)?]).ok()?;
                        let map = match scope {
                            Scope::All => None,
                            Scope::Only(_) => Some(s(4)?),
                        };
                        let arcs = map.map_or(net.arc_count(), <[u32]>::len);
                        (view.node_count() == net.node_count() && view.input_arc_count() == arcs)
                            .then_some(())
                    })()
                    .is_some()
            })
            .collect();
        Hierarchies { valid }
    }

    fn is_empty(&self) -> bool {
        !self.valid.iter().any(|v| *v)
    }

    /// Scope `i`'s hierarchy and, for single-mode scopes, its arc map (sub
    /// arc → network arc); `None` if the file has none.
    fn get<'n>(&self, net: &'n Network, i: usize) -> Option<Stored<'n>> {
        if !self.valid[i] {
            return None;
        }
        let s = |k: u32| net.extension(base(i) + k);
        let view = HierarchyView::from_checked_sections([s(0)?, s(1)?, s(2)?, s(3)?]).ok()?;
        let map = match SCOPES[i] {
            Scope::All => None,
            Scope::Only(_) => Some(s(4)?),
        };
        Some((view, map))
    }

    /// The smallest hierarchy that covers `modes`.
    fn pick(&self, modes: ModeSet) -> Option<usize> {
        let single = (modes.iter().count() == 1)
            .then(|| modes.iter().next())
            .flatten();
        if let Some(m) = single
            && let Some(i) = SCOPES.iter().position(|s| *s == Scope::Only(m))
            && self.valid[i]
        {
            return Some(i);
        }
        self.valid[0].then_some(0)
    }
}

/// A stored hierarchy and, for single-mode scopes, its arc map.
type Stored<'n> = (HierarchyView<'n>, Option<&'n [u32]>);

/// What makes two metrics different: a fingerprint of the objective, the
/// filter and the pricing (the cost model's numbers, not its address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MetricKey {
    objective: Objective,
    modes: u8,
    closed_passages: u32,
    closed_nodes: u64,
    penalties: u64,
    pricing: [u64; 3],
}

impl MetricKey {
    pub fn new(objective: Objective, filter: &Filter, pricing: &Pricing) -> MetricKey {
        let closed_nodes = if filter.closed_nodes.iter().any(|c| *c) {
            // One bit per node, 64 to a word: ~13 k words on the world
            // network, hashed in well under a millisecond.
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            for chunk in filter.closed_nodes.chunks(64) {
                let word = chunk
                    .iter()
                    .enumerate()
                    .fold(0u64, |w, (i, c)| w | ((*c as u64) << i));
                h.update(&word.to_le_bytes());
            }
            h.digest()
        } else {
            0
        };
        MetricKey {
            objective,
            modes: filter.modes.0,
            closed_passages: filter.closed_passages,
            closed_nodes,
            penalties: filter.penalties.as_ref().map_or(0, |p| p.fingerprint()),
            pricing: pricing.fingerprint(),
        }
    }
}

/// A customized metric and the weights it came from.
pub struct Prepared {
    scope: Option<usize>,
    pub weights: Vec<u32>,
    pub metric: Option<Metric>,
    /// The other criteria's sums along the metric's arcs, for matrices
    /// ([`crate::companions`]): computed on a matrix's first use of the
    /// metric, so route queries never pay for them.
    companions: OnceLock<Companions>,
}

/// A bounded map from keys to lazily computed, shared values, dropping the
/// least recently used entry first. Two threads asking for the same key
/// at once compute it once (the second waits on the first's `OnceLock`).
/// A cache slot: filled once, shared by every thread that asks.
type Slot<V> = Arc<OnceLock<Arc<V>>>;

struct Lru<K, V> {
    /// Key, slot, and when it was last used.
    entries: Vec<(K, Slot<V>, u64)>,
    tick: u64,
    capacity: usize,
}

impl<K: PartialEq + Copy, V> Lru<K, V> {
    fn new(capacity: usize) -> Self {
        Lru {
            entries: Vec::new(),
            tick: 0,
            capacity: capacity.max(1),
        }
    }

    /// The slot for `k` (new and empty if absent), marked as used now.
    fn slot(&mut self, k: K) -> Slot<V> {
        self.tick += 1;
        if let Some(e) = self.entries.iter_mut().find(|e| e.0 == k) {
            e.2 = self.tick;
            return e.1.clone();
        }
        if self.entries.len() >= self.capacity
            && let Some(oldest) = (0..self.entries.len()).min_by_key(|i| self.entries[*i].2)
        {
            self.entries.swap_remove(oldest);
        }
        let slot = Arc::new(OnceLock::new());
        self.entries.push((k, slot.clone(), self.tick));
        slot
    }

    fn len(&self) -> usize {
        self.entries.iter().filter(|e| e.1.get().is_some()).count()
    }

    /// The value for `k` if it is computed already, marked as used.
    fn peek(&mut self, k: K) -> Option<Arc<V>> {
        self.tick += 1;
        let tick = self.tick;
        let e = self.entries.iter_mut().find(|e| e.0 == k)?;
        let v = e.1.get()?.clone();
        e.2 = tick;
        Some(v)
    }
}

/// Gets `k` from `cache`, computing it with `make` (outside the lock) if
/// absent.
fn cached<K: PartialEq + Copy, V>(
    cache: &Mutex<Lru<K, V>>,
    k: K,
    make: impl FnOnce() -> V,
) -> Arc<V> {
    let slot = cache.lock().unwrap_or_else(|e| e.into_inner()).slot(k);
    slot.get_or_init(|| Arc::new(make())).clone()
}

/// A pool of reusable buffers: taken for one query, given back after.
struct Pool<T>(Mutex<Vec<T>>);

impl<T> Pool<T> {
    fn new() -> Self {
        Pool(Mutex::new(Vec::new()))
    }
    fn take(&self, make: impl FnOnce() -> T) -> T {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_else(make)
    }
    fn give(&self, t: T) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(t);
    }
}

/// A hierarchy query's memory: search buffers and the path, in the
/// hierarchy's arc ids before mapping.
struct Scratch {
    buffers: Option<QueryBuffers>,
    path: Vec<u32>,
}

/// A Pareto query's memory: its three bound sweeps and its search.
#[derive(Default)]
struct ParetoScratch {
    sweeps: [Sweep; 3],
    buffers: crate::pareto::SearchBuffers,
}

/// A Pareto search graph and, when the three criteria share a hierarchy,
/// its restricted bound sweeps: scope, selection and each criterion's
/// weights in the selection's order.
struct ParetoGraph {
    graph: crate::pareto::Compact,
    restricted: Option<(usize, Selection, [Vec<u64>; 3])>,
}

/// How an [`Engine`] answers and how much it keeps.
#[derive(Clone, Copy, Debug)]
pub struct EngineOptions {
    /// Customize and use the stored hierarchies (worth it when several
    /// queries share a metric); otherwise plain Dijkstra.
    pub use_hierarchy: bool,
    /// Most customized metrics kept (each up to ~120 MB on the world
    /// network, ~240 MB with the companion sums a matrix adds); the least
    /// recently used goes first.
    pub max_metrics: usize,
    /// Most Pareto search graphs kept (each ~40 MB on the world network).
    pub max_pareto_graphs: usize,
    /// Derive a scenario's metric from the baseline's by partial
    /// re-customization where that is exact (see `Engine::raised`); off,
    /// every metric is customized in full (the reference in tests).
    pub raise_scenarios: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            use_hierarchy: true,
            max_metrics: 8,
            max_pareto_graphs: 2,
            raise_scenarios: true,
        }
    }
}

/// Answers queries on one network, caching metrics between them. `Send +
/// Sync`: share it between threads (see the module header).
pub struct Engine {
    net: Arc<Network>,
    hierarchies: Hierarchies,
    options: EngineOptions,
    metrics: Mutex<Lru<MetricKey, Prepared>>,
    scratch: Vec<Pool<Scratch>>,
    /// Per scope, the search buffers its matrices reuse.
    matrix_buffers: Vec<MatrixBuffers>,
    /// Snapping trees over the nodes of a sparse mode set (sea has 14 k of
    /// 850 k nodes; filtering the full tree would reject the rest one by
    /// one); an empty tree means "use the network's".
    snap_trees: Mutex<HashMap<u8, Arc<SnapTree>>>,
    /// Compacted Pareto search graphs, by the time metric's key.
    pareto_graphs: Mutex<Lru<MetricKey, ParetoGraph>>,
    pareto_scratch: Pool<ParetoScratch>,
    /// Per scope, the reverse adjacency partial re-customization needs,
    /// built on the first scenario derived from a baseline.
    raise_indexes: Vec<OnceLock<RaiseIndex>>,
}

/// A kd-tree's node order and unit vectors (see `silkroute_graph::spatial`).
type SnapTree = (Vec<u32>, Vec<f32>);

/// A scenario touching more than this share of a hierarchy's input arcs
/// (and more than 256 of them) is customized in full rather than raised from the baseline (partial
/// re-customization pays per changed shortcut).
const RAISE_SHARE: f64 = 0.02;

/// Mode sets whose nodes are at most this share of all get their own tree.
const OWN_TREE_SHARE: f64 = 0.4;

impl Engine {
    pub fn new(net: Arc<Network>, options: EngineOptions) -> Engine {
        let hierarchies = Hierarchies::load(&net);
        Engine {
            hierarchies,
            options,
            metrics: Mutex::new(Lru::new(options.max_metrics)),
            scratch: SCOPES.iter().map(|_| Pool::new()).collect(),
            matrix_buffers: SCOPES.iter().map(|_| MatrixBuffers::default()).collect(),
            snap_trees: Mutex::new(HashMap::new()),
            pareto_graphs: Mutex::new(Lru::new(options.max_pareto_graphs)),
            pareto_scratch: Pool::new(),
            raise_indexes: SCOPES.iter().map(|_| OnceLock::new()).collect(),
            net,
        }
    }

    /// The network this engine answers on.
    pub fn net(&self) -> &Network {
        &self.net
    }

    /// The shared network (for callers that keep it beside the engine).
    pub fn network(&self) -> &Arc<Network> {
        &self.net
    }

    pub fn has_hierarchy(&self) -> bool {
        !self.hierarchies.is_empty()
    }

    pub fn options(&self) -> EngineOptions {
        self.options
    }

    /// Builds, ahead of the first scenario, what deriving scenario metrics
    /// for `modes` from the baseline needs (a server does it at start, so
    /// the first scenario a user picks is as quick as the next).
    pub fn warm_scenarios(&self, modes: ModeSet) {
        if let Some(i) = self.hierarchies.pick(modes)
            && let Some((view, _)) = self.hierarchies.get(&self.net, i)
        {
            self.raise_indexes[i].get_or_init(|| RaiseIndex::new(view));
        }
    }

    /// How many customized metrics the cache holds now.
    pub fn cached_metrics(&self) -> usize {
        self.metrics.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The snapping tree for a mode set: its own when the set is sparse,
    /// built once; otherwise `None` (the network's).
    fn snap_tree_data(&self, modes: ModeSet) -> Option<Arc<SnapTree>> {
        if let Some(t) = self
            .snap_trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&modes.0)
        {
            return (!t.0.is_empty()).then(|| t.clone());
        }
        let net = &*self.net;
        let members: Vec<u32> = (0..net.node_count() as u32)
            .filter(|v| ModeSet(net.node_modes_all()[*v as usize]).intersects(modes))
            .collect();
        let data = if members.len() as f64 > OWN_TREE_SHARE * net.node_count() as f64 {
            (Vec::new(), Vec::new())
        } else {
            // The unit vectors of the network's own tree, so a node is
            // exactly as far from a point in either tree (snapping distances
            // come from the trees' chords).
            let full = net.kd_tree();
            let mut unit = vec![[0f32; 3]; net.node_count()];
            for (i, v) in full.order.iter().enumerate() {
                unit[*v as usize] = [full.xyz[3 * i], full.xyz[3 * i + 1], full.xyz[3 * i + 2]];
            }
            silkroute_graph::spatial::build_tree_of_vectors(
                members.iter().map(|v| (unit[*v as usize], *v)),
            )
        };
        let data = Arc::new(data);
        self.snap_trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(modes.0)
            .or_insert(data);
        self.snap_tree_data(modes)
    }

    /// Runs `f` with the kd-tree of the nodes that have one of `modes`
    /// (the network's own tree when most nodes do): a nearest-node lookup
    /// for a rare mode (ferry) then visits its few nodes, not the whole
    /// network through a filter that rejects almost all of them.
    pub fn with_mode_tree<R>(
        &self,
        modes: ModeSet,
        f: impl FnOnce(silkroute_graph::spatial::KdTree<'_>) -> R,
    ) -> R {
        let data = self.snap_tree_data(modes);
        f(tree_of(&self.net, data.as_deref()))
    }

    /// Snapping candidates with access costs for a point, in the tree of
    /// the filter's modes (what every query of this engine starts from).
    pub fn candidates(
        &self,
        pos: silkroute_model::LatLon,
        filter: &Filter,
        pricing: &Pricing,
        objective: Objective,
    ) -> Vec<(Candidate, u64)> {
        let data = self.snap_tree_data(filter.modes);
        let tree = tree_of(&self.net, data.as_deref());
        snap::priced_candidates(&self.net, tree, pos, filter, pricing, objective)
    }

    /// The weights (and, when used, the customized metric) for a query,
    /// from the cache or customized now.
    pub fn prepare(
        &self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
    ) -> Arc<Prepared> {
        let k = MetricKey::new(objective, filter, pricing);
        self.prepare_keyed(k, objective, filter, pricing)
    }

    fn prepare_keyed(
        &self,
        k: MetricKey,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
    ) -> Arc<Prepared> {
        let net = &*self.net;
        cached(&self.metrics, k, || {
            let scope = if self.options.use_hierarchy {
                self.hierarchies.pick(filter.modes)
            } else {
                None
            };
            if let Some(i) = scope
                && let Some((weights, metric)) = self.raised(i, objective, filter, pricing)
            {
                return Prepared {
                    scope,
                    weights,
                    metric: Some(metric),
                    companions: OnceLock::new(),
                };
            }
            let weights = metric::weights(net, pricing, objective, filter);
            let metric = scope.map(|i| {
                let (view, map) = self.hierarchies.get(net, i).expect("picked scopes exist");
                customize(view, map, &weights)
            });
            Prepared {
                scope,
                weights,
                metric,
                companions: OnceLock::new(),
            }
        })
    }

    /// A scenario's metric derived from the baseline's (same objective,
    /// modes and pricing, nothing closed or penalised; when it is cached) by partial
    /// re-customization, when the scenario only makes arcs heavier (closed
    /// passages, nodes or arcs, delays and charges) and touches at most
    /// [`RAISE_SHARE`] of them: the result is exactly the full
    /// customization's (`silkroute_hierarchy::Raise`), in a fraction of its
    /// time, so switching to a new scenario stays interactive. `None` when
    /// it does not apply (the caller customizes in full).
    fn raised(
        &self,
        scope: usize,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
    ) -> Option<(Vec<u32>, Metric)> {
        if !self.options.raise_scenarios {
            return None;
        }
        let baseline = Filter::new(filter.modes);
        let heavier_only =
            filter.closed_passages & baseline.closed_passages == baseline.closed_passages;
        if *filter == baseline || !heavier_only {
            return None;
        }
        // Only from a baseline at hand: customizing it first would cost
        // more than customizing the scenario.
        let key = MetricKey::new(objective, &baseline, pricing);
        let base = self
            .metrics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .peek(key)?;
        if base.scope != Some(scope) {
            return None;
        }
        let base_metric = base.metric.as_ref()?;
        let (view, map) = self.hierarchies.get(&self.net, scope)?;
        let weights =
            metric::weights_from_baseline(&self.net, &base.weights, pricing, objective, filter);
        // The input arcs (hierarchy ids) whose weight changed; a lighter
        // one means this is no raise.
        let (mut sub, mut changed) = (Vec::new(), Vec::new());
        match map {
            None => {
                for (a, (&w, &b)) in weights.iter().zip(&base.weights).enumerate() {
                    if w < b {
                        return None;
                    }
                    if w != b {
                        changed.push(a as u32);
                    }
                }
            }
            Some(map) => {
                sub.reserve(map.len());
                for (i, &a) in map.iter().enumerate() {
                    let (w, b) = (weights[a as usize], base.weights[a as usize]);
                    if w < b {
                        return None;
                    }
                    if w != b {
                        changed.push(i as u32);
                    }
                    sub.push(w);
                }
            }
        }
        if changed.len() > 256 && changed.len() as f64 > RAISE_SHARE * view.input_arc_count() as f64
        {
            return None;
        }
        let index = self.raise_indexes[scope].get_or_init(|| RaiseIndex::new(view));
        let mut metric = base_metric.par_clone();
        let input: &[u32] = if map.is_some() { &sub } else { &weights };
        Raise::with_index(view, index).apply(&mut metric, input, &changed);
        Some((weights, metric))
    }

    /// Shortest paths for many pairs under caller-given arc weights (a flow
    /// assignment's congested times): customizes the hierarchy for `modes`
    /// once, then answers each pair; plain Dijkstra without a hierarchy.
    /// Nothing is cached.
    pub fn paths_with_weights(
        &self,
        modes: ModeSet,
        weights: &[u32],
        pairs: &[CandidatePair],
    ) -> Vec<Option<Found>> {
        let net = &*self.net;
        let scope = if self.options.use_hierarchy {
            self.hierarchies.pick(modes)
        } else {
            None
        };
        let Some(i) = scope else {
            return pairs
                .iter()
                .map(|(o, t)| search::shortest(net, weights, o, t, None))
                .collect();
        };
        let (view, map) = self.hierarchies.get(net, i).expect("picked scopes exist");
        let metric = customize(view, map, weights);
        let mut scratch = self.take_scratch(i, view);
        let out = pairs
            .iter()
            .map(|(o, t)| hierarchy_path(view, &metric, map, &mut scratch, o, t))
            .collect();
        self.scratch[i].give(scratch);
        out
    }

    fn take_scratch(&self, i: usize, view: HierarchyView<'_>) -> Scratch {
        self.scratch[i].take(|| Scratch {
            buffers: Some(QueryBuffers::new(view.node_count())),
            path: Vec::new(),
        })
    }

    /// The hierarchy a metric over `modes` runs on, with its arc map (sub
    /// arc → network arc) for single-mode scopes; `None` when queries fall
    /// back to Dijkstra. For callers that customize variants of a metric
    /// themselves (`criticality`).
    pub fn hierarchy_for(&self, modes: ModeSet) -> Option<(HierarchyView<'_>, Option<&[u32]>)> {
        if !self.options.use_hierarchy {
            return None;
        }
        self.hierarchies
            .pick(modes)
            .and_then(|i| self.hierarchies.get(&self.net, i))
    }

    /// The best path between candidate sets for an objective (hierarchy or
    /// Dijkstra, as prepared).
    pub fn path(
        &self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
        origins: &[(Candidate, u64)],
        targets: &[(Candidate, u64)],
    ) -> Option<Found> {
        let prepared = self.prepare(objective, filter, pricing);
        self.find(&prepared, origins, targets, None)
    }

    /// The shortest path between candidate sets under a prepared metric.
    fn find(
        &self,
        prepared: &Prepared,
        origins: &[(Candidate, u64)],
        targets: &[(Candidate, u64)],
        required: Option<Passage>,
    ) -> Option<Found> {
        let net = &*self.net;
        let (Some(i), Some(metric), None) = (prepared.scope, prepared.metric.as_ref(), required)
        else {
            return search::shortest(net, &prepared.weights, origins, targets, required);
        };
        let (view, map) = self.hierarchies.get(net, i).expect("picked scopes exist");
        let mut scratch = self.take_scratch(i, view);
        let found = hierarchy_path(view, metric, map, &mut scratch, origins, targets);
        self.scratch[i].give(scratch);
        found
    }

    /// The best route for a request (same answer as
    /// [`crate::request::best_route`]).
    pub fn best_route(&self, gazetteer: &Gazetteer, req: &Request) -> Result<Route, RouteError> {
        let prepared = self.prepare(req.objective, &req.filter, &req.pricing);
        let data = self.snap_tree_data(req.filter.modes);
        let tree = tree_of(&self.net, data.as_deref());
        crate::request::route_with_finder_in(&self.net, tree, gazetteer, req, &mut |o, t, p| {
            self.find(&prepared, o, t, p)
        })
    }

    /// Only the path, with snapping, and no explanation: what a router must
    /// do at least (used to compare with other routers' path queries).
    pub fn core_path(&self, req: &Request) -> Option<Found> {
        self.shortest_path(req).ok().flatten()
    }

    /// The shortest path between the request's ends under its objective,
    /// filter and pricing, without explaining it: snapping plus one
    /// hierarchy query (what scgraph's and OSRM's path queries answer).
    /// `Ok(None)` when the ends join the network but no path links them
    /// ([`Engine::best_route`] says why); the request's via places and via
    /// passage are not used.
    pub fn shortest_path(&self, req: &Request) -> Result<Option<Found>, RouteError> {
        let prepared = self.prepare(req.objective, &req.filter, &req.pricing);
        let data = self.snap_tree_data(req.filter.modes);
        let tree = tree_of(&self.net, data.as_deref());
        let o = crate::request::stop_candidates(&self.net, tree, req, &req.from)?;
        let t = crate::request::stop_candidates(&self.net, tree, req, &req.to)?;
        Ok(self.find(&prepared, &o, &t, None))
    }

    /// Snapping alone (both ends), for profiling the core path.
    pub fn snap_only(&self, req: &Request) -> usize {
        let data = self.snap_tree_data(req.filter.modes);
        let tree = tree_of(&self.net, data.as_deref());
        let count =
            |p| crate::request::stop_candidates(&self.net, tree, req, p).map_or(0, |v| v.len());
        count(&req.from) + count(&req.to)
    }

    /// The Pareto set (see [`crate::pareto`]) with cached metrics: the exact
    /// lower bounds come from hierarchy sweeps instead of three Dijkstras,
    /// and the compacted search graph is kept with the metrics.
    pub fn pareto(
        &self,
        gazetteer: &Gazetteer,
        req: &Request,
        epsilon: f64,
    ) -> Result<(Vec<Route>, bool), RouteError> {
        self.pareto_progress(gazetteer, req, epsilon, &silkroute_model::NoProgress)
    }

    /// [`Engine::pareto`], reporting its stages to `progress` and stopping
    /// when it asks (see [`crate::pareto::pareto_search`]).
    pub fn pareto_progress(
        &self,
        gazetteer: &Gazetteer,
        req: &Request,
        epsilon: f64,
        progress: &(dyn silkroute_model::Progress + Sync),
    ) -> Result<(Vec<Route>, bool), RouteError> {
        let net = &*self.net;
        let keys: Vec<MetricKey> = crate::pareto::CRITERIA
            .iter()
            .map(|o| MetricKey::new(*o, &req.filter, &req.pricing))
            .collect();
        let prepared: Vec<Arc<Prepared>> = crate::pareto::CRITERIA
            .iter()
            .zip(&keys)
            .map(|(o, k)| self.prepare_keyed(*k, *o, &req.filter, &req.pricing))
            .collect();
        let graph = cached(&self.pareto_graphs, keys[0], || {
            let w = [
                &prepared[0].weights[..],
                &prepared[1].weights[..],
                &prepared[2].weights[..],
            ];
            let irregular = crate::pareto::irregular_arcs(req);
            let rates =
                crate::pareto::CRITERIA.map(|o| crate::metric::linear_rates(&req.pricing, o));
            let graph = crate::pareto::Compact::new(net, w, rates, &irregular);
            let restricted = match (prepared[0].scope, prepared[1].scope, prepared[2].scope) {
                (Some(s), Some(s1), Some(s2)) if s == s1 && s == s2 => {
                    let (view, _) = self.hierarchies.get(net, s).expect("picked scopes exist");
                    let selection = Selection::new(view, graph.searched_nodes());
                    prepared
                        .iter()
                        .map(|p| p.metric.as_ref().map(|m| selection.sweep_weights(m)))
                        .collect::<Option<Vec<_>>>()
                        .map(|w| {
                            let [a, b, c]: [Vec<u64>; 3] = w.try_into().expect("three");
                            (s, selection, [a, b, c])
                        })
                }
                _ => None,
            };
            ParetoGraph { graph, restricted }
        });
        let mut scratch = self.pareto_scratch.take(ParetoScratch::default);
        let hierarchies = &self.hierarchies;
        let restricted = &graph.restricted;
        let sweeps = &mut scratch.sweeps;
        // The three sweeps run in parallel; given `needed` (with cells), on
        // a shared hierarchy, each visits only the nodes the search can
        // reach and their ancestors.
        let mut bounds = |targets: &[Vec<(Candidate, u64)>],
                          needed: Option<&[u32]>,
                          out: &mut [Vec<u64>; 3]| {
            sweeps
                .par_iter_mut()
                .zip(out.par_iter_mut())
                .enumerate()
                .for_each(|(i, (sweep, out))| {
                    let p = &prepared[i];
                    match (p.scope, p.metric.as_ref()) {
                        (Some(s), Some(m)) => {
                            let (view, _) = hierarchies.get(net, s).expect("picked scopes exist");
                            let t: Vec<(u32, u64)> =
                                targets[i].iter().map(|(c, a)| (c.node.0, *a)).collect();
                            match (needed, restricted) {
                                (Some(extra), Some((rs, sel, w))) if *rs == s => {
                                    let within = Within {
                                        selection: sel,
                                        weights: &w[i],
                                        extra,
                                    };
                                    sweep.to_targets_within(view, m, &t, within, out)
                                }
                                _ => sweep.to_targets(view, m, &t, out),
                            }
                        }
                        _ => {
                            *out = crate::pareto::distances_to_targets(net, &p.weights, &targets[i])
                        }
                    }
                });
        };
        let result = crate::pareto::pareto_search(
            net,
            gazetteer,
            req,
            epsilon,
            &graph.graph,
            &mut bounds,
            &mut scratch.buffers,
            progress,
        );
        self.pareto_scratch.give(scratch);
        let (routes, truncated) = result?;
        // A truncated set, even at ε = 0, gets the exact optima merged in.
        if (epsilon == 0.0 && !truncated) || progress.cancelled() {
            return Ok((routes, truncated));
        }
        progress.stage(crate::pareto::OPTIMA_STAGE, 0);
        // Each criterion's exact optimum, on the metrics just used.
        let optima = crate::pareto::CRITERIA
            .iter()
            .filter_map(|o| {
                self.best_route(gazetteer, &crate::pareto::with_objective(req, *o))
                    .ok()
            })
            .collect();
        Ok((
            crate::pareto::with_optima(routes, optima, epsilon),
            truncated,
        ))
    }

    /// Distances of the objective between candidate sets, row-major, via the
    /// hierarchy's bucket matrix (falls back to one search per pair).
    pub fn matrix_weights(
        &self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
        origins: &[Vec<(Candidate, u64)>],
        destinations: &[Vec<(Candidate, u64)>],
    ) -> Vec<Option<u64>> {
        let net = &*self.net;
        let prepared = self.prepare(objective, filter, pricing);
        let to_ids = |v: &[Vec<(Candidate, u64)>]| -> Vec<Vec<(u32, u64)>> {
            v.iter()
                .map(|c| c.iter().map(|(c, a)| (c.node.0, *a)).collect())
                .collect()
        };
        match (prepared.scope, prepared.metric.as_ref()) {
            (Some(i), Some(metric)) => {
                let (view, _) = self.hierarchies.get(net, i).expect("picked scopes exist");
                silkroute_hierarchy::matrix_in(
                    view,
                    metric,
                    &to_ids(origins),
                    &to_ids(destinations),
                    &self.matrix_buffers[i],
                )
            }
            _ => {
                let mut out = Vec::new();
                for o in origins {
                    for d in destinations {
                        out.push(
                            search::shortest(net, &prepared.weights, o, d, None)
                                .map(|f| with_access(&f, o, d)),
                        );
                    }
                }
                out
            }
        }
    }

    /// Time, cost, CO2e and distance for a matrix: per pair, the objective's
    /// optimal path (`weight` with the access legs, impact and distance
    /// without them), from the hierarchy's bucket matrix with companion
    /// sums ([`crate::companions`]), on every core and without unpacking a
    /// path. The sums are whole seconds, cents, grams (per FEU-equivalent)
    /// and metres per arc, so
    /// they may differ from [`Engine::matrix_cells_unpacked`]'s priced paths
    /// by rounding, and between equally good paths by which one they follow.
    /// Without a hierarchy, as [`Engine::matrix_cells_unpacked`].
    /// `progress` is called once per origin (row), as the work gets done.
    pub fn matrix_cells(
        &self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
        origins: &[Vec<(Candidate, u64)>],
        destinations: &[Vec<(Candidate, u64)>],
        progress: &(dyn Fn() + Sync),
    ) -> Vec<Option<crate::many::Cell>> {
        let net = &*self.net;
        let prepared = self.prepare(objective, filter, pricing);
        let (Some(i), Some(metric)) = (prepared.scope, prepared.metric.as_ref()) else {
            return self.matrix_cells_unpacked(
                objective,
                filter,
                pricing,
                origins,
                destinations,
                progress,
            );
        };
        let (view, map) = self.hierarchies.get(net, i).expect("picked scopes exist");
        let companions = prepared.companions.get_or_init(|| {
            let values =
                crate::companions::arc_values(net, pricing, objective, filter, &prepared.weights);
            let values: Vec<Vec<u32>> = match map {
                None => values,
                Some(map) => values
                    .iter()
                    .map(|v| map.iter().map(|a| v[*a as usize]).collect())
                    .collect(),
            };
            let slices: Vec<&[u32]> = values.iter().map(Vec::as_slice).collect();
            view.companions(metric, &slices)
        });
        let to_ids = |v: &[Vec<(Candidate, u64)>]| -> Vec<Vec<(u32, u64)>> {
            v.iter()
                .map(|c| c.iter().map(|(c, a)| (c.node.0, *a)).collect())
                .collect()
        };
        // One tick per origin: per scan when the origins scan, else in
        // proportion to the destinations scanned.
        let (rows, scans) =
            if silkroute_hierarchy::buckets_hold_sources(origins.len(), destinations.len()) {
                (origins.len(), destinations.len())
            } else {
                (1, 1)
            };
        if destinations.is_empty() {
            // No searches run; the rows are done all the same.
            origins.iter().for_each(|_| progress());
        }
        let scanned = std::sync::atomic::AtomicUsize::new(0);
        let tick = || {
            let done = scanned.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            for _ in (done - 1) * rows / scans..done * rows / scans {
                progress();
            }
        };
        let sums = silkroute_hierarchy::matrix_with_sums(
            view,
            metric,
            companions,
            &to_ids(origins),
            &to_ids(destinations),
            &self.matrix_buffers[i],
            &tick,
        );
        let width = destinations.len();
        (0..sums.len())
            .into_par_iter()
            .with_min_len(1024)
            .map(|k| {
                let c = sums.cell(k)?;
                let (o, oa) = &origins[k / width][c.source_index];
                let (d, da) = &destinations[k % width][c.target_index];
                Some(crate::companions::cell(
                    pricing.units(),
                    objective,
                    c.distance,
                    c.distance - oa - da,
                    c.sums,
                    o.distance_m,
                    d.distance_m,
                ))
            })
            .collect()
    }

    /// Paths and prices for a matrix: per pair, the objective's optimal path
    /// unpacked and priced in full ([`crate::explain::price_path`] and the
    /// scenario's charges), one hierarchy query per pair (Dijkstra without
    /// one), the rows in parallel; `progress` is called once per finished
    /// row. The reference [`Engine::matrix_cells`] is tested against, and
    /// what it measures its speed by.
    pub fn matrix_cells_unpacked(
        &self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
        origins: &[Vec<(Candidate, u64)>],
        destinations: &[Vec<(Candidate, u64)>],
        progress: &(dyn Fn() + Sync),
    ) -> Vec<Option<crate::many::Cell>> {
        let net = &*self.net;
        let prepared = self.prepare(objective, filter, pricing);
        let rows: Vec<Vec<Option<crate::many::Cell>>> = origins
            .par_iter()
            .map(|o| {
                let row = destinations
                    .iter()
                    .map(|d| {
                        self.find(&prepared, o, d, None).map(|f| {
                            let weight = with_access(&f, o, d);
                            let (distance_m, mut impact) =
                                crate::explain::price_path(net, pricing, f.origin.node, &f.arcs);
                            if let Some(p) = &filter.penalties {
                                impact += p.charge_path(pricing, &f.arcs);
                            }
                            crate::many::Cell {
                                weight,
                                distance_m,
                                impact,
                                origin_snap_m: f.origin.distance_m,
                                destination_snap_m: f.target.distance_m,
                            }
                        })
                    })
                    .collect();
                progress();
                row
            })
            .collect();
        rows.into_iter().flatten().collect()
    }
}

/// The tree to snap in: `data` when a mode set has its own, otherwise the
/// network's.
fn tree_of<'a>(
    net: &'a Network,
    data: Option<&'a SnapTree>,
) -> silkroute_graph::spatial::KdTree<'a> {
    match data {
        Some((order, xyz)) if !order.is_empty() => silkroute_graph::spatial::KdTree { order, xyz },
        _ => net.kd_tree(),
    }
}

/// Customizes a scope's hierarchy with network arc weights.
fn customize(view: HierarchyView<'_>, map: Option<&[u32]>, weights: &[u32]) -> Metric {
    match map {
        None => view.customize(weights),
        Some(map) => {
            let sub: Vec<u32> = map.iter().map(|a| weights[*a as usize]).collect();
            view.customize(&sub)
        }
    }
}

/// One hierarchy query between candidate sets, its path in network arc
/// ids (copied once out of the kept buffer; a world rail path has ~3,000
/// arcs).
fn hierarchy_path(
    view: HierarchyView<'_>,
    metric: &Metric,
    map: Option<&[u32]>,
    scratch: &mut Scratch,
    origins: &[(Candidate, u64)],
    targets: &[(Candidate, u64)],
) -> Option<Found> {
    let buffers = scratch
        .buffers
        .take()
        .unwrap_or_else(|| QueryBuffers::new(view.node_count()));
    let mut q = Query::with_buffers(view, metric, buffers);
    let s: Vec<(u32, u64)> = origins.iter().map(|(c, a)| (c.node.0, *a)).collect();
    let t: Vec<(u32, u64)> = targets.iter().map(|(c, a)| (c.node.0, *a)).collect();
    let result = q.shortest_into(&s, &t, &mut scratch.path);
    scratch.buffers = Some(q.into_buffers());
    let (distance, source_index, target_index) = result?;
    let arcs: Vec<u32> = match map {
        None => scratch.path.clone(),
        Some(map) => scratch.path.iter().map(|a| map[*a as usize]).collect(),
    };
    let (origin, oa) = origins[source_index];
    let (target, ta) = targets[target_index];
    Some(Found {
        arcs,
        origin,
        target,
        weight: distance - oa - ta,
    })
}

/// A found path's weight plus the access costs of the candidates it used.
fn with_access(f: &Found, origins: &[(Candidate, u64)], targets: &[(Candidate, u64)]) -> u64 {
    let access =
        |set: &[(Candidate, u64)], node| set.iter().find(|c| c.0.node == node).map_or(0, |c| c.1);
    f.weight + access(origins, f.origin.node) + access(targets, f.target.node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_can_be_shared_between_threads() {
        fn share<T: Send + Sync>() {}
        share::<Engine>();
    }

    #[test]
    fn the_lru_drops_the_least_recently_used() {
        let mut lru: Lru<u32, u32> = Lru::new(2);
        lru.slot(1).get_or_init(|| Arc::new(10));
        lru.slot(2).get_or_init(|| Arc::new(20));
        lru.slot(1);
        lru.slot(3).get_or_init(|| Arc::new(30));
        let keys: Vec<u32> = lru.entries.iter().map(|e| e.0).collect();
        assert!(keys.contains(&1) && keys.contains(&3) && !keys.contains(&2));
        assert_eq!(lru.len(), 2);
    }
}

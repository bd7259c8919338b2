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
//! metrics by objective, filter, cargo and cost model; one-off queries in
//! the CLI may use plain Dijkstra instead ([`Engine::new`] takes the choice).
//! `build_extensions` also stores the Pareto search's cells
//! ([`crate::pareto`]), and [`Engine::pareto`] sweeps the three criteria's
//! bounds only over the nodes that search can reach.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use silkroute_graph::Network;
use silkroute_hierarchy::{
    Hierarchy, HierarchyView, Metric, Query, QueryBuffers, Selection, Sweep, Within,
};
use silkroute_model::{Mode, ModeSet, Passage, Progress};

use crate::metric::{self, Objective, Pricing};
use crate::places::Gazetteer;
use crate::search::{self, Filter, Found};
use crate::snap::Candidate;
use crate::{Request, Route, RouteError};

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

/// A stored hierarchy and, for single-mode scopes, its arc map.
type Stored<'n> = (HierarchyView<'n>, Option<&'n [u32]>);

/// The hierarchies a network file carries.
pub struct Hierarchies<'n> {
    scopes: Vec<Option<Stored<'n>>>,
}

impl<'n> Hierarchies<'n> {
    /// Loads whatever hierarchies the file has and checks them; a missing or
    /// damaged one is simply absent (queries fall back to Dijkstra).
    pub fn load(net: &'n Network) -> Hierarchies<'n> {
        let version_ok =
            net.extension(VERSION_SECTION) == Some(&[silkroute_hierarchy::FORMAT_VERSION][..]);
        let scopes = SCOPES
            .iter()
            .enumerate()
            .map(|(i, scope)| {
                if !version_ok {
                    return None;
                }
                let s = |k: u32| net.extension(base(i) + k);
                let view = HierarchyView::from_sections([s(0)?, s(1)?, s(2)?, s(3)?]).ok()?;
                let map = match scope {
                    Scope::All => None,
                    Scope::Only(_) => Some(s(4)?),
                };
                let arcs = map.map_or(net.arc_count(), <[u32]>::len);
                (view.node_count() == net.node_count() && view.input_arc_count() == arcs)
                    .then_some((view, map))
            })
            .collect();
        Hierarchies { scopes }
    }

    pub fn is_empty(&self) -> bool {
        self.scopes.iter().all(Option::is_none)
    }

    /// The smallest hierarchy that covers `modes`.
    fn pick(&self, modes: ModeSet) -> Option<usize> {
        let single = (modes.iter().count() == 1)
            .then(|| modes.iter().next())
            .flatten();
        if let Some(m) = single
            && let Some(i) = SCOPES.iter().position(|s| *s == Scope::Only(m))
            && self.scopes[i].is_some()
        {
            return Some(i);
        }
        self.scopes[0].as_ref().map(|_| 0)
    }
}

/// What makes two metrics different.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    objective: Objective,
    modes: u8,
    closed_passages: u32,
    closed_nodes: u64,
    penalties: u64,
    cargo: [u64; 2],
    model: usize,
}

fn key(objective: Objective, filter: &Filter, pricing: &Pricing) -> Key {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    filter.closed_nodes.hash(&mut h);
    let cargo = match pricing.cargo {
        silkroute_cost::Cargo::Feu(n) => [0, n.to_bits()],
        silkroute_cost::Cargo::Teu(n) => [1, n.to_bits()],
        silkroute_cost::Cargo::Tonnes(t) => [2, t.to_bits()],
    };
    Key {
        objective,
        modes: filter.modes.0,
        closed_passages: filter.closed_passages,
        closed_nodes: h.finish(),
        penalties: filter.penalties.as_ref().map_or(0, |p| p.fingerprint()),
        cargo,
        model: pricing.model as *const _ as usize,
    }
}

/// A customized metric and the weights it came from.
pub struct Prepared {
    scope: Option<usize>,
    pub weights: Vec<u32>,
    pub metric: Option<Metric>,
}

/// Answers queries on one network, caching metrics between them.
pub struct Engine<'n> {
    pub net: &'n Network,
    hierarchies: Hierarchies<'n>,
    use_hierarchy: bool,
    cache: HashMap<Key, Prepared>,
    buffers: Vec<Option<QueryBuffers>>,
    /// A hierarchy path in the hierarchy's arc ids, before mapping.
    path_buffer: Vec<u32>,
    /// Snapping trees over the nodes of a sparse mode set (sea has 14 k of
    /// 850 k nodes; filtering the full tree would reject the rest one by one).
    snap_trees: HashMap<u8, (Vec<u32>, Vec<f32>)>,
    /// Compacted Pareto search graphs, by the time metric's key, with the
    /// hierarchy nodes their bound sweeps visit (when the three criteria
    /// share a hierarchy: its scope, the selection and each criterion's
    /// weights in the selection's order).
    compact: HashMap<Key, (crate::pareto::Compact, Option<BoundSweeps>)>,
    /// Memory of the last Pareto query (its three bound sweeps and its
    /// search), reused by the next.
    pareto_sweeps: [Sweep; 3],
    pareto_buffers: crate::pareto::SearchBuffers,
}

/// A Pareto graph's restricted bound sweeps: scope, selection, weights.
type BoundSweeps = (usize, Selection, [Vec<u64>; 3]);

/// Mode sets whose nodes are at most this share of all get their own tree.
const OWN_TREE_SHARE: f64 = 0.4;

impl<'n> Engine<'n> {
    /// `use_hierarchy`: customize and use the stored hierarchies (worth it
    /// when several queries share a metric); otherwise plain Dijkstra.
    pub fn new(net: &'n Network, use_hierarchy: bool) -> Engine<'n> {
        let hierarchies = Hierarchies::load(net);
        let buffers = SCOPES.iter().map(|_| None).collect();
        Engine {
            net,
            hierarchies,
            use_hierarchy,
            cache: HashMap::new(),
            buffers,
            snap_trees: HashMap::new(),
            path_buffer: Vec::new(),
            compact: HashMap::new(),
            pareto_sweeps: Default::default(),
            pareto_buffers: Default::default(),
        }
    }

    /// Builds (once) the snapping tree for a mode set, if it is sparse.
    fn ensure_snap_tree(&mut self, modes: ModeSet) {
        if self.snap_trees.contains_key(&modes.0) {
            return;
        }
        let net = self.net;
        let members: Vec<u32> = (0..net.node_count() as u32)
            .filter(|v| ModeSet(net.node_modes_all()[*v as usize]).intersects(modes))
            .collect();
        if members.len() as f64 > OWN_TREE_SHARE * net.node_count() as f64 {
            self.snap_trees.insert(modes.0, (Vec::new(), Vec::new()));
            return;
        }
        // The unit vectors of the network's own tree, so a node is exactly
        // as far from a point in either tree (snapping distances come from
        // the trees' chords).
        let full = net.kd_tree();
        let mut unit = vec![[0f32; 3]; net.node_count()];
        for (i, v) in full.order.iter().enumerate() {
            unit[*v as usize] = [full.xyz[3 * i], full.xyz[3 * i + 1], full.xyz[3 * i + 2]];
        }
        self.snap_trees.insert(
            modes.0,
            silkroute_graph::spatial::build_tree_of_vectors(
                members.iter().map(|v| (unit[*v as usize], *v)),
            ),
        );
    }

    /// The tree to snap in for a mode set.
    fn snap_tree(&self, modes: ModeSet) -> silkroute_graph::spatial::KdTree<'_> {
        match self.snap_trees.get(&modes.0) {
            Some((order, xyz)) if !order.is_empty() => {
                silkroute_graph::spatial::KdTree { order, xyz }
            }
            _ => self.net.kd_tree(),
        }
    }

    pub fn has_hierarchy(&self) -> bool {
        !self.hierarchies.is_empty()
    }

    /// The weights (and, when used, the customized metric) for a query.
    pub fn prepare(
        &mut self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
    ) -> &Prepared {
        let k = key(objective, filter, pricing);
        let (net, hierarchies, use_h) = (self.net, &self.hierarchies, self.use_hierarchy);
        self.cache.entry(k).or_insert_with(|| {
            let weights = metric::weights(net, pricing, objective, filter);
            let scope = if use_h {
                hierarchies.pick(filter.modes)
            } else {
                None
            };
            let metric = scope.map(|i| {
                let (view, map) = hierarchies.scopes[i].expect("picked scopes exist");
                match map {
                    None => view.customize(&weights),
                    Some(map) => {
                        let sub: Vec<u32> = map.iter().map(|a| weights[*a as usize]).collect();
                        view.customize(&sub)
                    }
                }
            });
            Prepared {
                scope,
                weights,
                metric,
            }
        })
    }

    /// Shortest paths for many pairs under caller-given arc weights (a flow
    /// assignment's congested times): customizes the hierarchy for `modes`
    /// once, then answers each pair; plain Dijkstra without a hierarchy.
    /// Nothing is cached.
    pub fn paths_with_weights(
        &mut self,
        modes: ModeSet,
        weights: &[u32],
        pairs: &[CandidatePair],
    ) -> Vec<Option<Found>> {
        let scope = if self.use_hierarchy {
            self.hierarchies.pick(modes)
        } else {
            None
        };
        let Some(i) = scope else {
            return pairs
                .iter()
                .map(|(o, t)| search::shortest(self.net, weights, o, t, None))
                .collect();
        };
        let (view, map) = self.hierarchies.scopes[i].expect("picked scopes exist");
        let metric = match map {
            None => view.customize(weights),
            Some(map) => {
                let sub: Vec<u32> = map.iter().map(|a| weights[*a as usize]).collect();
                view.customize(&sub)
            }
        };
        let buffers = self.buffers[i]
            .take()
            .unwrap_or_else(|| QueryBuffers::new(view.node_count()));
        let mut q = Query::with_buffers(view, &metric, buffers);
        let mut out = Vec::with_capacity(pairs.len());
        for (origins, targets) in pairs {
            let s: Vec<(u32, u64)> = origins.iter().map(|(c, a)| (c.node.0, *a)).collect();
            let t: Vec<(u32, u64)> = targets.iter().map(|(c, a)| (c.node.0, *a)).collect();
            out.push(q.shortest(&s, &t).map(|r| {
                let arcs: Vec<u32> = match map {
                    None => r.arcs,
                    Some(map) => r.arcs.iter().map(|a| map[*a as usize]).collect(),
                };
                let (origin, oa) = origins[r.source_index];
                let (target, ta) = targets[r.target_index];
                Found {
                    arcs,
                    origin,
                    target,
                    weight: r.distance - oa - ta,
                }
            }));
        }
        self.buffers[i] = Some(q.into_buffers());
        out
    }

    /// The hierarchy a metric over `modes` runs on, with its arc map (sub
    /// arc → network arc) for single-mode scopes; `None` when queries fall
    /// back to Dijkstra. For callers that customize variants of a metric
    /// themselves (`criticality`).
    pub fn hierarchy_for(&self, modes: ModeSet) -> Option<(HierarchyView<'n>, Option<&'n [u32]>)> {
        if !self.use_hierarchy {
            return None;
        }
        self.hierarchies
            .pick(modes)
            .and_then(|i| self.hierarchies.scopes[i])
    }

    /// The best path between candidate sets for an objective (hierarchy or
    /// Dijkstra, as prepared).
    pub fn path(
        &mut self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
        origins: &[(Candidate, u64)],
        targets: &[(Candidate, u64)],
    ) -> Option<Found> {
        self.prepare(objective, filter, pricing);
        let k = key(objective, filter, pricing);
        self.find(&k, origins, targets, None)
    }

    /// Drops cached metrics (each holds up to ~120 MB on the world network).
    pub fn clear(&mut self) {
        self.cache.clear();
    }

    /// The shortest path between candidate sets under a prepared metric.
    fn find(
        &mut self,
        k: &Key,
        origins: &[(Candidate, u64)],
        targets: &[(Candidate, u64)],
        required: Option<Passage>,
    ) -> Option<Found> {
        let prepared = &self.cache[k];
        let (Some(i), Some(metric), None) = (prepared.scope, prepared.metric.as_ref(), required)
        else {
            return search::shortest(self.net, &prepared.weights, origins, targets, required);
        };
        let (view, map) = self.hierarchies.scopes[i].expect("picked scopes exist");
        let buffers = self.buffers[i]
            .take()
            .unwrap_or_else(|| QueryBuffers::new(view.node_count()));
        let mut q = Query::with_buffers(view, metric, buffers);
        let s: Vec<(u32, u64)> = origins.iter().map(|(c, a)| (c.node.0, *a)).collect();
        let t: Vec<(u32, u64)> = targets.iter().map(|(c, a)| (c.node.0, *a)).collect();
        // The path goes into a kept buffer and is copied once, already in
        // network arc ids (a world rail path has ~3,000 arcs).
        let path = &mut self.path_buffer;
        let result = q.shortest_into(&s, &t, path);
        self.buffers[i] = Some(q.into_buffers());
        let (distance, source_index, target_index) = result?;
        let arcs: Vec<u32> = match map {
            None => path.clone(),
            Some(map) => path.iter().map(|a| map[*a as usize]).collect(),
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

    /// The best route for a request (same answer as [`crate::best_route`]).
    pub fn best_route(
        &mut self,
        gazetteer: &Gazetteer,
        req: &Request,
    ) -> Result<Route, RouteError> {
        self.prepare(req.objective, &req.filter, &req.pricing);
        self.ensure_snap_tree(req.filter.modes);
        let k = key(req.objective, &req.filter, &req.pricing);
        let net = self.net;
        // The finder needs the engine mutably while snapping reads the tree:
        // move the tree out for the call (a move, not a copy).
        let tree_data = self.snap_trees.remove(&req.filter.modes.0);
        let tree = match &tree_data {
            Some((order, xyz)) if !order.is_empty() => {
                silkroute_graph::spatial::KdTree { order, xyz }
            }
            _ => net.kd_tree(),
        };
        let result = crate::route_with_finder_in(net, tree, gazetteer, req, &mut |o, t, p| {
            self.find(&k, o, t, p)
        });
        if let Some(data) = tree_data {
            self.snap_trees.insert(req.filter.modes.0, data);
        }
        result
    }

    /// Only the path, with snapping, and no explanation: what a router must
    /// do at least (used to compare with other routers' path queries).
    pub fn core_path(&mut self, req: &Request) -> Option<Found> {
        self.prepare(req.objective, &req.filter, &req.pricing);
        self.ensure_snap_tree(req.filter.modes);
        let k = key(req.objective, &req.filter, &req.pricing);
        let tree = self.snap_tree(req.filter.modes);
        let o = crate::priced_in(self.net, tree, req, &req.from, req.objective).ok()?;
        let t = crate::priced_in(self.net, tree, req, &req.to, req.objective).ok()?;
        self.find(&k, &o, &t, None)
    }

    /// Snapping alone (both ends), for profiling the core path.
    pub fn snap_only(&mut self, req: &Request) -> usize {
        self.ensure_snap_tree(req.filter.modes);
        let tree = self.snap_tree(req.filter.modes);
        let o =
            crate::priced_in(self.net, tree, req, &req.from, req.objective).map_or(0, |v| v.len());
        let t =
            crate::priced_in(self.net, tree, req, &req.to, req.objective).map_or(0, |v| v.len());
        o + t
    }

    /// The Pareto set (see [`crate::pareto`]) with cached metrics: the exact
    /// lower bounds come from hierarchy sweeps instead of three Dijkstras,
    /// and the compacted search graph is kept with the metrics.
    pub fn pareto(
        &mut self,
        gazetteer: &Gazetteer,
        req: &Request,
        epsilon: f64,
    ) -> Result<(Vec<Route>, bool), RouteError> {
        let keys: Vec<Key> = crate::pareto::CRITERIA
            .iter()
            .map(|o| {
                self.prepare(*o, &req.filter, &req.pricing);
                key(*o, &req.filter, &req.pricing)
            })
            .collect();
        let net = self.net;
        let prepared: Vec<&Prepared> = keys.iter().map(|k| &self.cache[k]).collect();
        if !self.compact.contains_key(&keys[0]) {
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
                    let (view, _) = self.hierarchies.scopes[s].expect("picked scopes exist");
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
            self.compact.insert(keys[0].clone(), (graph, restricted));
        }
        let hierarchies = &self.hierarchies;
        let sweeps = &mut self.pareto_sweeps;
        let (graph, restricted) = &self.compact[&keys[0]];
        // The three sweeps run in parallel; given `needed` (with cells), on
        // a shared hierarchy, each visits only the nodes the search can
        // reach and their ancestors.
        let mut bounds = |targets: &[Vec<(Candidate, u64)>],
                          needed: Option<&[u32]>,
                          out: &mut [Vec<u64>; 3]| {
            use rayon::prelude::*;
            sweeps
                .par_iter_mut()
                .zip(out.par_iter_mut())
                .enumerate()
                .for_each(|(i, (sweep, out))| {
                    let p = prepared[i];
                    match (p.scope, p.metric.as_ref()) {
                        (Some(s), Some(m)) => {
                            let (view, _) = hierarchies.scopes[s].expect("picked scopes exist");
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
        let (routes, truncated) = crate::pareto::pareto_search(
            net,
            gazetteer,
            req,
            epsilon,
            graph,
            &mut bounds,
            &mut self.pareto_buffers,
        )?;
        if epsilon == 0.0 {
            return Ok((routes, truncated));
        }
        // Each criterion's exact optimum, on the metrics just used.
        let optima = crate::pareto::CRITERIA
            .iter()
            .filter_map(|o| {
                self.best_route(gazetteer, &crate::pareto::with_objective(req, *o))
                    .ok()
            })
            .collect();
        Ok((
            crate::pareto::with_optima(routes, optima, epsilon, &req.pricing),
            truncated,
        ))
    }

    /// Distances of the objective between candidate sets, row-major, via the
    /// hierarchy's bucket matrix (falls back to one search per row).
    pub fn matrix_weights(
        &mut self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
        origins: &[Vec<(Candidate, u64)>],
        destinations: &[Vec<(Candidate, u64)>],
    ) -> Vec<Option<u64>> {
        self.prepare(objective, filter, pricing);
        let k = key(objective, filter, pricing);
        let prepared = &self.cache[&k];
        let to_ids = |v: &[Vec<(Candidate, u64)>]| -> Vec<Vec<(u32, u64)>> {
            v.iter()
                .map(|c| c.iter().map(|(c, a)| (c.node.0, *a)).collect())
                .collect()
        };
        match (prepared.scope, prepared.metric.as_ref()) {
            (Some(i), Some(metric)) => {
                let (view, _) = self.hierarchies.scopes[i].expect("picked scopes exist");
                silkroute_hierarchy::matrix(view, metric, &to_ids(origins), &to_ids(destinations))
            }
            _ => {
                let mut out = Vec::new();
                for o in origins {
                    for d in destinations {
                        out.push(
                            search::shortest(self.net, &prepared.weights, o, d, None)
                                .map(|f| with_access(&f, o, d)),
                        );
                    }
                }
                out
            }
        }
    }

    /// Paths and prices for a matrix: per pair, the objective's optimal path
    /// priced in full. Pairs run on the hierarchy when there is one.
    pub fn matrix_cells(
        &mut self,
        objective: Objective,
        filter: &Filter,
        pricing: &Pricing,
        origins: &[Vec<(Candidate, u64)>],
        destinations: &[Vec<(Candidate, u64)>],
        progress: &(dyn Fn() + Sync),
    ) -> Vec<Option<crate::many::Cell>> {
        self.prepare(objective, filter, pricing);
        let k = key(objective, filter, pricing);
        let mut out = Vec::with_capacity(origins.len() * destinations.len());
        for o in origins {
            for d in destinations {
                let cell = self.find(&k, o, d, None).map(|f| {
                    let weight = with_access(&f, o, d);
                    let (distance_m, mut impact) =
                        crate::explain::price_path(self.net, pricing, f.origin.node, &f.arcs);
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
                });
                out.push(cell);
            }
            progress();
        }
        out
    }
}

/// A found path's weight plus the access costs of the candidates it used.
fn with_access(f: &Found, origins: &[(Candidate, u64)], targets: &[(Candidate, u64)]) -> u64 {
    let access =
        |set: &[(Candidate, u64)], node| set.iter().find(|c| c.0.node == node).map_or(0, |c| c.1);
    f.weight + access(origins, f.origin.node) + access(targets, f.target.node)
}

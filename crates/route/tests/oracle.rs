//! Oracle tests: the engine's searches against simple reference
//! implementations on random multimodal graphs with fixed, printed seeds.
//!
//! - `search::shortest` (multi-source, multi-target, optional required
//!   passage) against a textbook Dijkstra run per source;
//! - `pareto::pareto` against a brute-force enumeration of all
//!   non-dominated labels: equal sets at ε = 0, and at ε > 0 every exact
//!   point covered by a returned route with no returned route dominating
//!   another;
//! - the engine's queries and matrices, and its all-criteria matrices
//!   (companion sums), against Dijkstra and the unpacked, priced paths.

mod common;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use silkroute_cost::{Cargo, CostModel};
use silkroute_graph::Network;
use silkroute_model::{Mode, ModeSet, NodeId, Passage};
use silkroute_route::Filter;
use silkroute_route::Objective;
use silkroute_route::metric;
use silkroute_route::places::Gazetteer;
use silkroute_route::search;
use silkroute_route::snap::{self, Candidate};
use silkroute_route::{Pricing, Request, pareto};

use common::{Rng, at, random_network, with_hierarchies};

/// Textbook Dijkstra from one node; `None` arcs are closed.
fn reference_dijkstra(net: &Network, w: &[u32], source: u32) -> Vec<u64> {
    let mut dist = vec![u64::MAX; net.node_count()];
    let mut heap = BinaryHeap::new();
    dist[source as usize] = 0;
    heap.push(Reverse((0u64, source)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for a in net.arcs(NodeId(v)) {
            if w[a] == u32::MAX {
                continue;
            }
            let h = net.arc_head()[a];
            if d + (w[a] as u64) < dist[h as usize] {
                dist[h as usize] = d + w[a] as u64;
                heap.push(Reverse((dist[h as usize], h)));
            }
        }
    }
    dist
}

#[test]
fn multi_source_search_matches_reference_dijkstra() {
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(1.0),
    };
    for seed in 0..40u64 {
        let net = random_network(seed, 40, 3);
        let filter = Filter::new(ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]));
        for objective in Objective::ALL {
            let w = metric::weights(&net, &pricing, objective, &filter);
            let mut rng = Rng(seed * 31 + 7);
            let origins: Vec<(Candidate, u64)> = (0..3)
                .map(|_| {
                    (
                        Candidate {
                            node: NodeId(rng.below(40) as u32),
                            distance_m: 0.0,
                        },
                        rng.below(1000),
                    )
                })
                .collect();
            let targets: Vec<(Candidate, u64)> = (0..3)
                .map(|_| {
                    (
                        Candidate {
                            node: NodeId(rng.below(40) as u32),
                            distance_m: 0.0,
                        },
                        rng.below(1000),
                    )
                })
                .collect();
            let mut want = u64::MAX;
            for (o, oa) in &origins {
                let d = reference_dijkstra(&net, &w, o.node.0);
                for (t, ta) in &targets {
                    if d[t.node.index()] != u64::MAX {
                        want = want.min(oa + d[t.node.index()] + ta);
                    }
                }
            }
            let got = search::shortest(&net, &w, &origins, &targets, None);
            match got {
                None => assert_eq!(
                    want,
                    u64::MAX,
                    "seed {seed} {objective:?}: search found nothing"
                ),
                Some(f) => {
                    let oa = origins
                        .iter()
                        .filter(|(c, _)| c.node == f.origin.node)
                        .map(|c| c.1)
                        .min()
                        .unwrap();
                    let ta = targets
                        .iter()
                        .filter(|(c, _)| c.node == f.target.node)
                        .map(|c| c.1)
                        .min()
                        .unwrap();
                    // The arcs form a path from the origin to the target and sum to the weight.
                    let nodes = search::node_path(&net, f.origin.node, &f.arcs);
                    assert_eq!(*nodes.last().unwrap(), f.target.node, "seed {seed}");
                    let sum: u64 = f.arcs.iter().map(|a| w[*a as usize] as u64).sum();
                    assert_eq!(sum, f.weight, "seed {seed}");
                    assert_eq!(oa + f.weight + ta, want, "seed {seed} {objective:?}");
                }
            }
            // Required passage: min over Suez arcs u→v of d(o,u) + w + d(v,t).
            let mut want_via = u64::MAX;
            for (o, oa) in &origins {
                let d_o = reference_dijkstra(&net, &w, o.node.0);
                for (t, ta) in &targets {
                    let d_t = reference_dijkstra(&net, &w, t.node.0);
                    for v in 0..net.node_count() as u32 {
                        for a in net.arcs(NodeId(v)) {
                            if net.arc_passage()[a] != Passage::Suez as u8 || w[a] == u32::MAX {
                                continue;
                            }
                            let h = net.arc_head()[a] as usize;
                            if d_o[v as usize] != u64::MAX && d_t[h] != u64::MAX {
                                want_via =
                                    want_via.min(oa + d_o[v as usize] + w[a] as u64 + d_t[h] + ta);
                            }
                        }
                    }
                }
            }
            let got = search::shortest(&net, &w, &origins, &targets, Some(Passage::Suez));
            match got {
                None => assert_eq!(want_via, u64::MAX, "seed {seed} {objective:?} via suez"),
                Some(f) => {
                    assert!(
                        f.arcs
                            .iter()
                            .any(|a| net.arc_passage()[*a as usize] == Passage::Suez as u8),
                        "seed {seed}"
                    );
                    let oa = origins
                        .iter()
                        .filter(|(c, _)| c.node == f.origin.node)
                        .map(|c| c.1)
                        .min()
                        .unwrap();
                    let ta = targets
                        .iter()
                        .filter(|(c, _)| c.node == f.target.node)
                        .map(|c| c.1)
                        .min()
                        .unwrap();
                    assert_eq!(
                        oa + f.weight + ta,
                        want_via,
                        "seed {seed} {objective:?} via suez"
                    );
                }
            }
        }
    }
}

type V3 = [u64; 3];

fn dominates(a: &V3, b: &V3) -> bool {
    (0..3).all(|i| a[i] <= b[i])
}

/// Every non-dominated (time, cost, CO2e) total between the candidate sets,
/// by exhaustive label-correcting search with exact dominance.
/// A returned route's criteria recomputed from its arcs and its ends'
/// access.
fn route_totals(
    r: &silkroute_route::Route,
    w: &[Vec<u32>; 3],
    origins: &[(Candidate, V3)],
    targets: &[(Candidate, V3)],
) -> V3 {
    let oa = origins
        .iter()
        .find(|(c, _)| c.node == r.origin.node)
        .unwrap()
        .1;
    let ta = targets
        .iter()
        .find(|(c, _)| c.node == r.destination.node)
        .unwrap()
        .1;
    let mut v = [oa[0] + ta[0], oa[1] + ta[1], oa[2] + ta[2]];
    for a in &r.arcs {
        for i in 0..3 {
            v[i] += w[i][*a as usize] as u64;
        }
    }
    v
}

fn brute_force_pareto(
    net: &Network,
    w: &[Vec<u32>; 3],
    origins: &[(Candidate, V3)],
    targets: &[(Candidate, V3)],
) -> Vec<V3> {
    brute_force_pareto_via(net, w, origins, targets, &[], None)
}

/// [`brute_force_pareto`] over routes that pass a node of each of `vias`
/// in order and, with `required`, cross an arc of that passage somewhere:
/// labels per (stage, node), a stage counting the via places passed and
/// whether the passage was crossed.
fn brute_force_pareto_via(
    net: &Network,
    w: &[Vec<u32>; 3],
    origins: &[(Candidate, V3)],
    targets: &[(Candidate, V3)],
    vias: &[Vec<NodeId>],
    required: Option<Passage>,
) -> Vec<V3> {
    let n = net.node_count();
    let step = if required.is_some() { 2 } else { 1 };
    let stages = (vias.len() + 1) * step;
    let mut labels: Vec<Vec<V3>> = vec![Vec::new(); n * stages];
    let mut queue: Vec<(usize, u32, V3)> = Vec::new();
    for (c, a) in origins {
        queue.push((0, c.node.0, *a));
    }
    while let Some((stage, v, g)) = queue.pop() {
        let here = &mut labels[stage * n + v as usize];
        if here.iter().any(|l| dominates(l, &g)) {
            continue;
        }
        here.retain(|l| !dominates(&g, l));
        here.push(g);
        let place = stage / step;
        if place < vias.len() && vias[place].contains(&NodeId(v)) {
            queue.push((stage + step, v, g));
        }
        for a in net.arcs(NodeId(v)) {
            if w[0][a] == u32::MAX {
                continue;
            }
            let ng = [
                g[0] + w[0][a] as u64,
                g[1] + w[1][a] as u64,
                g[2] + w[2][a] as u64,
            ];
            let crosses = required.is_some_and(|p| net.arc_passage()[a] == p as u8);
            let next = if crosses && stage % step == 0 {
                stage + 1
            } else {
                stage
            };
            queue.push((next, net.arc_head()[a], ng));
        }
    }
    let last = (stages - 1) * n;
    let mut out: Vec<V3> = Vec::new();
    for (t, ta) in targets {
        for g in &labels[last + t.node.index()] {
            let total = [g[0] + ta[0], g[1] + ta[1], g[2] + ta[2]];
            if !out.iter().any(|o| dominates(o, &total)) {
                out.retain(|o| !dominates(&total, o));
                out.push(total);
            }
        }
    }
    out.sort();
    out
}

/// What both Pareto oracle tests set up on a random network: the three
/// criteria's arc weights over rail, road and sea, and a place's snapping
/// candidates with their access per criterion.
struct ParetoCase<'m> {
    net: std::sync::Arc<Network>,
    filter: Filter,
    pricing: Pricing<'m>,
    w: [Vec<u32>; 3],
}

impl<'m> ParetoCase<'m> {
    const CRITERIA: [Objective; 3] = [Objective::Time, Objective::Cost, Objective::Co2];

    fn new(seed: u64, model: &'m CostModel) -> ParetoCase<'m> {
        ParetoCase::on(random_network(seed, 24, 3), model)
    }

    fn on(net: Network, model: &'m CostModel) -> ParetoCase<'m> {
        let filter = Filter::new(ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]));
        let pricing = Pricing {
            model,
            cargo: Cargo::Feu(1.0),
        };
        let w = Self::CRITERIA.map(|o| metric::weights(&net, &pricing, o, &filter));
        ParetoCase {
            net: std::sync::Arc::new(net),
            filter,
            pricing,
            w,
        }
    }

    /// Node `p`'s place's candidates, each with its access per criterion.
    fn ends(&self, p: u32) -> Vec<(Candidate, V3)> {
        snap::candidates(&self.net, at(&self.net, p).pos, &self.filter)
            .into_iter()
            .map(|c| {
                let access =
                    Self::CRITERIA.map(|obj| metric::access_cost(&self.pricing, obj, c.distance_m));
                (c, access)
            })
            .collect()
    }

    fn request(&self, o: u32, t: u32) -> Request<'m> {
        Request {
            from: at(&self.net, o),
            to: at(&self.net, t),
            via_places: Vec::new(),
            via_passage: None,
            filter: self.filter.clone(),
            objective: Objective::Time,
            pricing: Pricing {
                model: self.pricing.model,
                cargo: Cargo::Feu(1.0),
            },
            constraints: String::new(),
        }
    }
}

/// Checks an (1 + ε)-Pareto set `got` against the exact set: no route
/// dominates another, each criterion's optimum is exact, and every exact
/// point is covered within (1 + ε)². Returns the worst cover factor.
fn check_epsilon_set(ctx: &str, got: &[V3], exact: &[V3], epsilon: f64) -> f64 {
    for (i, a) in got.iter().enumerate() {
        for (j, b) in got.iter().enumerate() {
            assert!(
                i == j || !(dominates(a, b) && a != b),
                "{ctx}: returned routes dominate each other"
            );
        }
    }
    for i in 0..3 {
        let best = |set: &[V3]| set.iter().map(|v| v[i]).min();
        assert_eq!(
            best(got),
            best(exact),
            "{ctx}: criterion {i}'s optimum missing"
        );
    }
    let mut worst: f64 = 1.0;
    for e in exact {
        let cover = got
            .iter()
            .map(|g| {
                (0..3)
                    .map(|i| g[i] as f64 / (e[i].max(1)) as f64)
                    .fold(0.0, f64::max)
            })
            .fold(f64::INFINITY, f64::min);
        worst = worst.max(cover);
        assert!(
            cover <= (1.0 + epsilon).powi(2),
            "{ctx}: exact point {e:?} covered only within {cover}"
        );
    }
    worst
}

#[test]
fn pareto_matches_brute_force() {
    let model = CostModel::defaults();
    let mut worst_cover: f64 = 1.0;
    for seed in 0..30u64 {
        let case = ParetoCase::new(seed + 1000, &model);
        let (net, w) = (&case.net, &case.w);
        let g = Gazetteer::new(Vec::new());
        let (o, t) = ((seed % 24) as u32, ((seed * 7 + 11) % 24) as u32);
        let (origins, targets) = (case.ends(o), case.ends(t));
        let exact = brute_force_pareto(net, w, &origins, &targets);
        for epsilon in [0.0, 0.01, 0.05] {
            let req = case.request(o, t);
            let routes = match pareto::pareto(net, &g, &req, epsilon) {
                Ok((routes, truncated)) => {
                    assert!(!truncated);
                    routes
                }
                Err(_) => {
                    assert!(
                        exact.is_empty(),
                        "seed {seed}: pareto failed but {} routes exist",
                        exact.len()
                    );
                    continue;
                }
            };
            if exact.is_empty() {
                continue;
            }
            let got: Vec<V3> = routes
                .iter()
                .map(|r| route_totals(r, w, &origins, &targets))
                .collect();
            if epsilon == 0.0 {
                let mut sorted = got.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted, exact, "seed {seed}: exact Pareto set differs");
            } else {
                let ctx = format!("seed {seed} ε={epsilon}");
                worst_cover = worst_cover.max(check_epsilon_set(&ctx, &got, &exact, epsilon));
            }
        }
    }
    println!("worst cover factor over all seeds: {worst_cover:.4}");
}

/// Whether `r`'s arcs form one path from its origin node to its
/// destination node.
fn is_contiguous(net: &Network, r: &silkroute_route::Route) -> bool {
    let mut at = r.origin.node;
    for &a in &r.arcs {
        if !net.arcs(at).any(|b| b == a as usize) {
            return false;
        }
        at = NodeId(net.arc_head()[a as usize]);
    }
    at == r.destination.node
}

/// With the cells `silkroute build` stores (one-mode regions crossed by
/// their shortest paths; used at ε > 0), both Pareto searches still return
/// sets that cover the brute force's exact set within (1 + ε)², with the
/// exact optima, no route dominating another, and every route one path.
#[test]
fn pareto_with_cells_covers_brute_force() {
    let model = CostModel::defaults();
    let g = Gazetteer::new(Vec::new());
    let mut worst_cover: f64 = 1.0;
    let mut paths_across = 0;
    for seed in 0..20u64 {
        let net = with_hierarchies(random_network(seed + 3000, 64, 3));
        let stats = pareto::cell_stats(&net).expect("the built network has cells");
        paths_across += stats.paths_across;
        let case = ParetoCase::on(net, &model);
        let (net, w) = (&case.net, &case.w);
        let engine = silkroute_route::fast::Engine::new(net.clone(), Default::default());
        let (o, t) = ((seed * 5 % 64) as u32, ((seed * 11 + 23) % 64) as u32);
        let (origins, targets) = (case.ends(o), case.ends(t));
        let exact = brute_force_pareto(net, w, &origins, &targets);
        if exact.is_empty() {
            continue;
        }
        for epsilon in [0.01, 0.05] {
            let req = case.request(o, t);
            for (how, found) in [
                ("dijkstra bounds", pareto::pareto(net, &g, &req, epsilon)),
                ("engine", engine.pareto(&g, &req, epsilon)),
            ] {
                let ctx = format!("seed {seed} ε={epsilon} {how}");
                let (routes, truncated) = found.unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert!(!truncated, "{ctx}");
                assert!(
                    routes.iter().all(|r| is_contiguous(net, r)),
                    "{ctx}: broken path"
                );
                let got: Vec<V3> = routes
                    .iter()
                    .map(|r| route_totals(r, w, &origins, &targets))
                    .collect();
                worst_cover = worst_cover.max(check_epsilon_set(&ctx, &got, &exact, epsilon));
            }
        }
    }
    assert!(paths_across > 0, "no cell has a path across");
    println!("worst cover factor with cells: {worst_cover:.4}; {paths_across} paths across");
}

/// Via places and a required passage: the layered search gives exactly
/// (ε = 0) the staged brute force's set, and every route it returns passes
/// the via place's nodes and crosses the passage.
#[test]
fn pareto_with_via_matches_brute_force() {
    let model = CostModel::defaults();
    let mut compared = 0;
    for seed in 0..40u64 {
        let case = ParetoCase::new(seed + 2000, &model);
        let (net, w) = (&case.net, &case.w);
        let g = Gazetteer::new(Vec::new());
        let (o, t, x) = (
            (seed % 24) as u32,
            ((seed * 7 + 11) % 24) as u32,
            ((seed * 5 + 3) % 24) as u32,
        );
        // Seeds cycle through: a via place; a via place and the passage;
        // the passage alone.
        let vias: Vec<u32> = if seed % 3 == 2 { Vec::new() } else { vec![x] };
        let required = (seed % 3 != 0).then_some(Passage::Suez);
        let (origins, targets) = (case.ends(o), case.ends(t));
        let via_nodes: Vec<Vec<NodeId>> = vias
            .iter()
            .map(|v| case.ends(*v).iter().map(|(c, _)| c.node).collect())
            .collect();
        let exact = brute_force_pareto_via(net, w, &origins, &targets, &via_nodes, required);
        let mut req = case.request(o, t);
        req.via_places = vias.iter().map(|v| at(net, *v)).collect();
        req.via_passage = required;
        let routes = match pareto::pareto(net, &g, &req, 0.0) {
            Ok((routes, truncated)) => {
                assert!(!truncated, "seed {seed}");
                routes
            }
            Err(e) => {
                assert!(
                    exact.is_empty(),
                    "seed {seed}: pareto failed ({e}) but {} routes exist",
                    exact.len()
                );
                continue;
            }
        };
        for r in &routes {
            let nodes: Vec<NodeId> = std::iter::once(r.origin.node)
                .chain(r.arcs.iter().map(|a| NodeId(net.arc_head()[*a as usize])))
                .collect();
            for via in &via_nodes {
                assert!(
                    nodes.iter().any(|v| via.contains(v)),
                    "seed {seed}: a route misses the via place"
                );
            }
            if let Some(p) = required {
                assert!(
                    r.arcs
                        .iter()
                        .any(|a| net.arc_passage()[*a as usize] == p as u8),
                    "seed {seed}: a route misses the passage"
                );
            }
        }
        let mut got: Vec<V3> = routes
            .iter()
            .map(|r| route_totals(r, w, &origins, &targets))
            .collect();
        got.sort();
        got.dedup();
        assert_eq!(got, exact, "seed {seed}: Pareto set with via differs");
        compared += 1;
    }
    assert!(compared >= 15, "only {compared} seeds had a route");
}

/// A random network compiled with its hierarchies, as `silkroute build` does.
fn random_network_with_hierarchies(seed: u64, n: usize) -> Network {
    with_hierarchies(random_network(seed, n, 3))
}

#[test]
fn engine_queries_and_matrices_match_dijkstra() {
    let model = CostModel::defaults();
    let g = Gazetteer::new(Vec::new());
    for seed in 0..25u64 {
        let net = std::sync::Arc::new(random_network_with_hierarchies(seed + 500, 48));
        let engine = silkroute_route::fast::Engine::new(net.clone(), Default::default());
        assert!(engine.has_hierarchy(), "seed {seed}");
        let mode_sets = [
            ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]),
            ModeSet::of(&[Mode::Rail]),
            ModeSet::of(&[Mode::Sea]),
            ModeSet::of(&[Mode::Road, Mode::Sea]),
        ];
        for modes in mode_sets {
            for objective in Objective::ALL {
                let mut filter = Filter::new(modes);
                if seed % 3 == 0 {
                    filter.close(Passage::Suez);
                }
                let pricing = Pricing {
                    model: &model,
                    cargo: Cargo::Feu(1.0),
                };
                let w = metric::weights(&net, &pricing, objective, &filter);
                let cands = |v: u32| -> Vec<(Candidate, u64)> {
                    snap::candidates(&net, net.pos(NodeId(v)), &filter)
                        .into_iter()
                        .map(|c| (c, metric::access_cost(&pricing, objective, c.distance_m)))
                        .collect()
                };
                let points: Vec<u32> = (0..6).map(|i| ((seed * 13 + i * 7) % 48) as u32).collect();
                let sets: Vec<Vec<(Candidate, u64)>> = points.iter().map(|p| cands(*p)).collect();
                // Matrix of the objective: hierarchy buckets vs Dijkstra per pair.
                let got = engine.matrix_weights(objective, &filter, &pricing, &sets, &sets);
                for (i, o) in sets.iter().enumerate() {
                    for (j, d) in sets.iter().enumerate() {
                        let want = search::shortest(&net, &w, o, d, None).map(|f| {
                            let oa = o.iter().find(|c| c.0.node == f.origin.node).unwrap().1;
                            let da = d.iter().find(|c| c.0.node == f.target.node).unwrap().1;
                            f.weight + oa + da
                        });
                        assert_eq!(
                            got[i * sets.len() + j],
                            want,
                            "seed {seed} {objective:?} {modes} pair {i},{j}"
                        );
                    }
                }
                // The Pareto set with hierarchy bounds equals the one with
                // Dijkstra bounds (same criteria totals); several pairs, so
                // later queries run in the buffers earlier ones left, the
                // last via a place and through the Suez passage.
                for (a, b, via) in [
                    (points[0], points[1], None),
                    (points[2], points[3], None),
                    (points[0], points[1], Some(points[4])),
                ] {
                    if objective != Objective::Time {
                        break;
                    }
                    let req = Request {
                        from: at(&net, a),
                        to: at(&net, b),
                        via_places: via.map(|v| at(&net, v)).into_iter().collect(),
                        via_passage: via.map(|_| Passage::Suez),
                        filter: filter.clone(),
                        objective,
                        pricing: Pricing {
                            model: &model,
                            cargo: Cargo::Feu(1.0),
                        },
                        constraints: String::new(),
                    };
                    let totals = |r: Result<
                        (Vec<silkroute_route::Route>, bool),
                        silkroute_route::RouteError,
                    >|
                     -> Vec<(u64, u64, u64)> {
                        r.map(|(routes, _)| {
                            routes
                                .iter()
                                .map(|x| {
                                    (
                                        (x.total.time_h * 3600.0).round() as u64,
                                        (x.total.cost_usd * 100.0).round() as u64,
                                        (x.total.co2e_kg_wtw * 1000.0).round() as u64,
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                    };
                    let a = totals(engine.pareto(&g, &req, 0.0));
                    let b = totals(pareto::pareto(&net, &g, &req, 0.0));
                    assert_eq!(a, b, "seed {seed} {modes}: engine Pareto set differs");
                }
                // Full routes: same objective value as the Dijkstra route.
                for (a, b) in [(points[0], points[1]), (points[2], points[3])] {
                    let req = Request {
                        from: at(&net, a),
                        to: at(&net, b),
                        via_places: Vec::new(),
                        via_passage: None,
                        filter: filter.clone(),
                        objective,
                        pricing: Pricing {
                            model: &model,
                            cargo: Cargo::Feu(1.0),
                        },
                        constraints: String::new(),
                    };
                    let fast = engine.best_route(&g, &req);
                    let slow = silkroute_route::best_route(&net, &g, &req);
                    match (fast, slow) {
                        (Ok(f), Ok(s)) => {
                            let value = |r: &silkroute_route::Route| -> u64 {
                                r.arcs.iter().map(|x| w[*x as usize] as u64).sum()
                            };
                            let access = |r: &silkroute_route::Route| -> u64 {
                                metric::access_cost(&pricing, objective, r.origin.snap_m)
                                    + metric::access_cost(&pricing, objective, r.destination.snap_m)
                            };
                            assert_eq!(
                                value(&f) + access(&f),
                                value(&s) + access(&s),
                                "seed {seed} {objective:?} {modes} {a}->{b}"
                            );
                        }
                        (Err(_), Err(_)) => {}
                        (f, s) => panic!(
                            "seed {seed} {objective:?} {modes} {a}->{b}: engine {:?} vs dijkstra {:?}",
                            f.is_ok(),
                            s.is_ok()
                        ),
                    }
                }
            }
        }
    }
}

#[test]
fn engine_all_criteria_matrices_match_dijkstra() {
    // Time, cost, CO2e and distance per cell from companion sums, against
    // the optimal paths of Dijkstra and the unpacked, priced ones
    // (`common::check_all_criteria`), on every hierarchy scope and
    // objective; more origins than destinations and fewer, so both bucket
    // layouts run.
    let model = CostModel::defaults();
    let mut checked = common::Checked::default();
    for seed in 0..16u64 {
        let net = std::sync::Arc::new(random_network_with_hierarchies(seed + 800, 48));
        let engine = silkroute_route::fast::Engine::new(net.clone(), Default::default());
        for modes in [
            ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]),
            ModeSet::of(&[Mode::Rail]),
            ModeSet::of(&[Mode::Road, Mode::Sea]),
        ] {
            for objective in Objective::ALL {
                let mut filter = Filter::new(modes);
                if seed % 3 == 0 {
                    filter.close(Passage::Suez);
                }
                let pricing = Pricing {
                    model: &model,
                    cargo: if seed % 2 == 0 {
                        Cargo::Feu(1.0)
                    } else {
                        Cargo::Tonnes(12.0)
                    },
                };
                let points: Vec<u32> = (0..7).map(|i| ((seed * 5 + i * 11) % 48) as u32).collect();
                let sets: Vec<Vec<(Candidate, u64)>> = points
                    .iter()
                    .map(|p| {
                        snap::candidates(&net, net.pos(NodeId(*p)), &filter)
                            .into_iter()
                            .map(|c| {
                                let a = metric::access_cost(&pricing, objective, c.distance_m);
                                (c, a)
                            })
                            .collect()
                    })
                    .collect();
                for (origins, destinations) in [(&sets[..3], &sets[..]), (&sets[..], &sets[..3])] {
                    let ctx = format!(
                        "seed {seed} {objective:?} {modes} {}×{}",
                        origins.len(),
                        destinations.len()
                    );
                    common::check_all_criteria(
                        &ctx,
                        &engine,
                        (objective, &filter, &pricing),
                        origins,
                        destinations,
                        &mut checked,
                    );
                }
            }
        }
    }
    assert!(
        checked.unique * 2 > checked.cells && checked.cells > 1500,
        "too few cells checked exactly: {checked:?}"
    );
}

/// The cheapest and the lowest-CO2e route of loose cargo is the same path
/// at 1 kg, 100 kg and 20 t (every cost and CO2e rate is per tonne, tonne-km
/// or container, so the optimum cannot depend on the amount), its totals
/// scale with the amount, and it is as cheap as the best path Dijkstra
/// finds on unrounded (f64) arc prices, within one unit per arc. Before
/// weights were per FEU-equivalent, 1 kg's arcs rounded to 0 or 1 cent and
/// gram, and the "cheapest" route was an arbitrary one.
#[test]
fn the_best_route_does_not_depend_on_the_tonnage() {
    let model = CostModel::defaults();
    let g = Gazetteer::new(Vec::new());
    let amounts = [0.001, 0.1, 20.0];
    let mut compared = 0;
    for seed in 0..20u64 {
        let net = random_network(seed + 900, 48, 3);
        let filter = Filter::new(ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]));
        for objective in [Objective::Cost, Objective::Co2] {
            for (o, t) in [(0u32, 47u32), (3, 40), (9, 30), (17, 44)] {
                let routes: Vec<_> = amounts
                    .iter()
                    .map(|&tonnes| {
                        let req = Request {
                            from: at(&net, o),
                            to: at(&net, t),
                            via_places: Vec::new(),
                            via_passage: None,
                            filter: filter.clone(),
                            objective,
                            pricing: Pricing {
                                model: &model,
                                cargo: Cargo::Tonnes(tonnes),
                            },
                            constraints: String::new(),
                        };
                        silkroute_route::request::best_route(&net, &g, &req).ok()
                    })
                    .collect();
                let ctx = format!("seed {seed} {objective:?} {o}→{t}");
                let Some(big) = &routes[2] else {
                    assert!(routes.iter().all(Option::is_none), "{ctx}");
                    continue;
                };
                let value = |r: &silkroute_route::Route| match objective {
                    Objective::Cost => r.total.cost_usd,
                    _ => r.total.co2e_kg_wtw,
                };
                for (r, tonnes) in routes.iter().zip(amounts) {
                    let r = r.as_ref().expect("same reachability");
                    assert_eq!(r.arcs, big.arcs, "{ctx}: the path at {tonnes} t");
                    let (a, b) = (value(r) / tonnes, value(big) / 20.0);
                    assert!(
                        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                        "{ctx}: {a} per t at {tonnes} t, {b} at 20 t"
                    );
                }
                // Against Dijkstra on unrounded prices (per tonne), from the
                // same first node to the same last one.
                let pricing = Pricing {
                    model: &model,
                    cargo: Cargo::Tonnes(1.0),
                };
                let first_out = net.first_out();
                let head = net.arc_head();
                let exact = |a: usize| {
                    let tail = first_out.partition_point(|&x| x as usize <= a) - 1;
                    let (tr, ex, _) = metric::arc_impact(&net, &pricing, NodeId(tail as u32), a);
                    let i = tr + ex;
                    match objective {
                        Objective::Cost => i.cost_usd,
                        _ => i.co2e_kg_wtw,
                    }
                };
                let w = metric::weights(&net, &pricing, objective, &filter);
                let start = first_out.partition_point(|&x| x as usize <= big.arcs[0] as usize) - 1;
                let end = head[*big.arcs.last().unwrap() as usize] as usize;
                let mut dist = vec![f64::INFINITY; net.node_count()];
                let mut done = vec![false; net.node_count()];
                dist[start] = 0.0;
                while let Some(v) = (0..dist.len())
                    .filter(|&v| !done[v] && dist[v].is_finite())
                    .min_by(|&a, &b| dist[a].total_cmp(&dist[b]))
                {
                    done[v] = true;
                    for a in first_out[v] as usize..first_out[v + 1] as usize {
                        if w[a] == u32::MAX {
                            continue;
                        }
                        let h = head[a] as usize;
                        dist[h] = dist[h].min(dist[v] + exact(a));
                    }
                }
                let on_path: f64 = big.arcs.iter().map(|&a| exact(a as usize)).sum();
                // One rounding unit (a cent or a gram per FEU-equivalent,
                // `feu_tonnes` tonnes) per arc of either path.
                let unit = match objective {
                    Objective::Cost => 0.01,
                    _ => 0.001,
                } / model.cargo.feu_tonnes;
                assert!(
                    on_path <= dist[end] + unit * big.arcs.len() as f64 * 2.0 + 1e-9,
                    "{ctx}: {on_path} per t against the exact {}",
                    dist[end]
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 60, "too few routes compared: {compared}");
}

/// A Pareto search at ε = 0 cut short by its label limit still returns
/// the exact fastest, cheapest and lowest-CO2e routes (as the docs
/// promise), compared with their access legs as the search weighs them.
/// Before, a truncated set was returned as it stood: on the world network
/// one air route as "the Pareto set".
#[test]
fn a_truncated_exact_pareto_set_still_holds_the_optima() {
    let model = CostModel::defaults();
    let g = Gazetteer::new(Vec::new());
    let mut truncated_cases = 0;
    for seed in 0..30u64 {
        let case = ParetoCase::new(seed + 1300, &model);
        let net = &*case.net;
        for (o, t) in [(0u32, 23u32), (2, 17), (5, 21)] {
            let req = case.request(o, t);
            let mut buffers = pareto::SearchBuffers::default();
            buffers.max_labels = Some(3);
            let Ok((set, truncated)) = pareto::pareto_with(
                net,
                &g,
                &req,
                0.0,
                &mut buffers,
                &silkroute_model::NoProgress,
            ) else {
                continue;
            };
            if !truncated {
                continue;
            }
            truncated_cases += 1;
            // Totals hold the drayage of both joins, as the search weighed it.
            let key = |r: &silkroute_route::Route| {
                let t = r.total;
                [t.time_h, t.cost_usd, t.co2e_kg_wtw]
            };
            for (i, objective) in [Objective::Time, Objective::Cost, Objective::Co2]
                .into_iter()
                .enumerate()
            {
                let best = silkroute_route::request::best_route(
                    net,
                    &g,
                    &Request {
                        objective,
                        ..req.clone()
                    },
                )
                .unwrap();
                let want = key(&best)[i];
                let got = set.iter().map(|r| key(r)[i]).fold(f64::INFINITY, f64::min);
                assert!(
                    got <= want + 1e-9 * want.abs().max(1.0),
                    "seed {seed} {o}→{t} {objective:?}: the set's best {got}, the optimum {want}"
                );
            }
        }
    }
    assert!(
        truncated_cases > 10,
        "too few truncated searches: {truncated_cases}"
    );
}

//! What the route test binaries share: a seeded generator, random
//! multimodal networks (with or without their hierarchies) and places at
//! nodes. Each binary uses part of it.
#![allow(dead_code)]

use silkroute_graph::{Network, RawEdge, RawNetwork, RawNode, compile};
use silkroute_model::{LatLon, Mode, ModeSet, NoProgress, NodeId, Passage};
use silkroute_route::places::ResolvedPlace;

/// A small linear congruential generator: fixed seeds give fixed graphs.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 31) as f64
    }
}

/// A random multimodal graph of `n` nodes: rail, road and sea nodes on a
/// jittered 1° grid (so no two lie within snapping range of each other),
/// `edges_per_node × n` tries at an edge: within a mode an edge (some sea
/// edges in the Suez passage), between modes a transfer one time in three.
pub fn random_network(seed: u64, n: usize, edges_per_node: usize) -> Network {
    let mut rng = Rng(seed);
    let mut raw = RawNetwork::default();
    let modes = [Mode::Rail, Mode::Road, Mode::Sea];
    let mut node_mode = Vec::new();
    for i in 0..n {
        let (gx, gy) = ((i % 8) as f64, (i / 8) as f64);
        raw.add_node(RawNode::junction(
            gy + rng.unit() * 0.3,
            gx + rng.unit() * 0.3,
        ));
        node_mode.push(modes[rng.below(3) as usize]);
    }
    for _ in 0..n * edges_per_node {
        let (a, b) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
        if a == b {
            continue;
        }
        let d = silkroute_model::haversine_m(raw.nodes[a].pos, raw.nodes[b].pos)
            * (1.0 + rng.unit() * 0.5);
        if node_mode[a] == node_mode[b] {
            let mut e = RawEdge::new(a as u32, b as u32, d as u32, node_mode[a]);
            if node_mode[a] == Mode::Sea && rng.below(4) == 0 {
                e.passage = Some(Passage::Suez);
            }
            raw.edges.push(e);
        } else if rng.below(3) == 0 {
            let mut e = RawEdge::new(a as u32, b as u32, (d / 10.0) as u32, Mode::Transfer);
            e.joins = ModeSet::of(&[node_mode[a], node_mode[b]]);
            raw.edges.push(e);
        }
    }
    Network::from_image(compile::build_image(&raw, &NoProgress).unwrap()).unwrap()
}

/// `plain` with its contraction hierarchies, as `silkroute build` stores them.
pub fn with_hierarchies(plain: Network) -> Network {
    let ext = silkroute_route::fast::build_extensions(&plain, &NoProgress).unwrap();
    let (mut image, fingerprint) =
        silkroute_graph::format::FileImage::from_image(plain.image_bytes()).unwrap();
    for (k, data) in &ext {
        image.push_extension(*k, data);
    }
    Network::from_image(image.finish(fingerprint)).unwrap()
}

/// A place exactly at node `v`, named `n{v}`.
pub fn at(net: &Network, v: u32) -> ResolvedPlace {
    let p = net.pos(NodeId(v));
    ResolvedPlace {
        query: format!("n{v}"),
        name: format!("n{v}"),
        code: String::new(),
        country: String::new(),
        kind: None,
        pos: LatLon::new(p.lat, p.lon),
        note: None,
    }
}

/// Per node, over the shortest paths by `weight` from `sources` (access
/// costs as offsets): their distance, how many there are (saturating at
/// 2), and the least and greatest sum of each criterion in `values` along
/// one (access excluded). `zero_ties` tells whether a zero-weight arc lies
/// on one (the order by distance then no longer orders the paths' arcs).
pub struct PathSums {
    pub dist: Vec<u64>,
    pub count: Vec<u8>,
    pub min: Vec<Vec<u64>>,
    pub max: Vec<Vec<u64>>,
    pub zero_ties: bool,
}

pub fn path_sums(
    net: &Network,
    weight: &[u32],
    values: &[Vec<u32>],
    sources: &[(silkroute_route::snap::Candidate, u64)],
) -> PathSums {
    use std::cmp::Reverse;
    let (n, k) = (net.node_count(), values.len());
    let (first_out, head) = (net.first_out(), net.arc_head());
    let mut dist = vec![u64::MAX; n];
    let mut heap = std::collections::BinaryHeap::new();
    for (c, access) in sources {
        if *access < dist[c.node.index()] {
            dist[c.node.index()] = *access;
            heap.push(Reverse((*access, c.node.0)));
        }
    }
    while let Some(Reverse((d, u))) = heap.pop() {
        if d > dist[u as usize] {
            continue;
        }
        for a in first_out[u as usize] as usize..first_out[u as usize + 1] as usize {
            if weight[a] == u32::MAX {
                continue;
            }
            let (v, nd) = (head[a] as usize, d + u64::from(weight[a]));
            if nd < dist[v] {
                dist[v] = nd;
                heap.push(Reverse((nd, v as u32)));
            }
        }
    }
    let mut out = PathSums {
        count: vec![0; n],
        min: vec![vec![u64::MAX; k]; n],
        max: vec![vec![0; k]; n],
        dist,
        zero_ties: false,
    };
    for (c, access) in sources {
        let v = c.node.index();
        if out.dist[v] == *access && out.count[v] == 0 {
            out.count[v] = 1;
            out.min[v] = vec![0; k];
        }
    }
    let mut order: Vec<usize> = (0..n).filter(|&v| out.dist[v] != u64::MAX).collect();
    order.sort_by_key(|&v| out.dist[v]);
    for u in order {
        let (du, cu) = (out.dist[u], out.count[u]);
        for a in first_out[u] as usize..first_out[u + 1] as usize {
            let v = head[a] as usize;
            if weight[a] == u32::MAX || du + u64::from(weight[a]) != out.dist[v] || cu == 0 {
                continue;
            }
            out.zero_ties |= weight[a] == 0;
            out.count[v] = (out.count[v] + cu).min(2);
            for (q, value) in values.iter().enumerate() {
                let x = u64::from(value[a]);
                out.min[v][q] = out.min[v][q].min(out.min[u][q] + x);
                out.max[v][q] = out.max[v][q].max(out.max[u][q] + x);
            }
        }
    }
    out
}

/// Grams of CO2e TTW per arc and FEU-equivalent (the metric's units),
/// priced one by one (`u32::MAX` where `open` is): the reference for the
/// engine's linear fast path.
pub fn ttw_by_arc(net: &Network, pricing: &silkroute_route::Pricing, open: &[u32]) -> Vec<u32> {
    let pricing = &pricing.per_unit();
    let first_out = net.first_out();
    (0..net.arc_count())
        .map(|a| {
            if open[a] == u32::MAX {
                return u32::MAX;
            }
            let tail = first_out.partition_point(|&x| x as usize <= a) - 1;
            let (t, e, _) =
                silkroute_route::metric::arc_impact(net, pricing, NodeId(tail as u32), a);
            ((t + e).co2e_kg_ttw * 1000.0).round() as u32
        })
        .collect()
}

/// What `check_all_criteria` saw: cells compared, and how many of them
/// had a unique optimal path (checked exactly).
#[derive(Default, Debug)]
pub struct Checked {
    pub cells: usize,
    pub unique: usize,
}

/// `Engine::matrix_cells` (companion sums) on `origins × destinations` against
/// Dijkstra and against the unpacked, priced paths of
/// `Engine::matrix_cells_unpacked`:
/// - the same cells reachable, the objective's value (access included)
///   exact, one progress tick per origin;
/// - each criterion (time, cost, CO2e WTW, distance in the searches'
///   integer units, and CO2e TTW in grams, per FEU-equivalent) within the least and greatest
///   over the optimal paths (sums of the criteria's own integer arc
///   weights), and exactly the only one's when the optimum is unique;
/// - then, against the priced path, at most half a unit per arc (and per
///   scenario charge) apart, and distances and snap distances equal.
pub fn check_all_criteria(
    ctx: &str,
    engine: &silkroute_route::fast::Engine,
    (objective, filter, pricing): (
        silkroute_route::Objective,
        &silkroute_route::Filter,
        &silkroute_route::Pricing,
    ),
    origins: &[Vec<(silkroute_route::snap::Candidate, u64)>],
    destinations: &[Vec<(silkroute_route::snap::Candidate, u64)>],
    checked: &mut Checked,
) {
    use silkroute_route::{Objective, metric};
    let net = engine.net();
    let ticks = std::sync::atomic::AtomicUsize::new(0);
    let got = engine.matrix_cells(objective, filter, pricing, origins, destinations, &|| {
        ticks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(ticks.into_inner(), origins.len(), "{ctx}: progress ticks");
    let old =
        engine.matrix_cells_unpacked(objective, filter, pricing, origins, destinations, &|| {});
    let w = metric::weights(net, pricing, objective, filter);
    let mut values: Vec<Vec<u32>> = Objective::ALL
        .iter()
        .map(|o| metric::weights(net, pricing, *o, filter))
        .collect();
    let ttw = ttw_by_arc(net, pricing, &w);
    assert_eq!(
        silkroute_route::companions::ttw_weights(net, pricing, &w),
        ttw,
        "{ctx}: TTW weights"
    );
    values.push(ttw);
    let charged: Vec<u32> = filter
        .penalties
        .as_ref()
        .map(|p| p.slow.iter().map(|s| s.arc).collect())
        .unwrap_or_default();
    let width = destinations.len();
    // Cost and CO2e weights are per FEU-equivalent of the cargo.
    let units = pricing.units();
    for (i, o) in origins.iter().enumerate() {
        let oracle = path_sums(net, &w, &values, o);
        for (j, d) in destinations.iter().enumerate() {
            let ctx = format!("{ctx} cell {i},{j}");
            let (cell, old) = (&got[i * width + j], &old[i * width + j]);
            let best = d
                .iter()
                .filter(|(c, _)| oracle.dist[c.node.index()] != u64::MAX)
                .map(|(c, a)| oracle.dist[c.node.index()] + a)
                .min();
            assert_eq!(cell.as_ref().map(|c| c.weight), best, "{ctx}: weight");
            assert_eq!(
                old.as_ref().map(|c| c.weight),
                best,
                "{ctx}: unpacked weight"
            );
            let (Some(cell), Some(old), Some(best)) = (cell, old, best) else {
                continue;
            };
            checked.cells += 1;
            if oracle.zero_ties {
                continue;
            }
            let ends: Vec<usize> = d
                .iter()
                .filter(|(c, a)| oracle.dist[c.node.index()].saturating_add(*a) == best)
                .map(|(c, _)| c.node.index())
                .collect();
            let count: u32 = ends.iter().map(|&v| u32::from(oracle.count[v])).sum();
            let unit = [
                cell.impact.time_h * 3600.0,
                cell.impact.cost_usd * 100.0 / units,
                cell.impact.co2e_kg_wtw * 1000.0 / units,
                cell.distance_m,
                cell.impact.co2e_kg_ttw * 1000.0 / units,
            ];
            for (q, value) in unit.iter().enumerate() {
                let got = value.round() as u64;
                assert!(
                    (value - got as f64).abs() < 1e-6,
                    "{ctx}: {value} not whole"
                );
                let lo = ends.iter().map(|&v| oracle.min[v][q]).min().unwrap();
                let hi = ends.iter().map(|&v| oracle.max[v][q]).max().unwrap();
                assert!(
                    lo <= got && got <= hi,
                    "{ctx}: criterion {q}: {got} not in {lo}..={hi}"
                );
                if count == 1 {
                    assert_eq!(got, lo, "{ctx}: criterion {q} on the only optimal path");
                }
            }
            if count != 1 {
                continue;
            }
            checked.unique += 1;
            // The same path as the unpacked one: priced apart by rounding.
            let path = silkroute_route::search::shortest(net, &w, o, d, None).unwrap();
            let charges = path.arcs.iter().filter(|a| charged.contains(a)).count();
            let slack = 0.5 * (path.arcs.len() + charges) as f64 + 1e-6;
            let old_unit = [
                old.impact.time_h * 3600.0,
                old.impact.cost_usd * 100.0 / units,
                old.impact.co2e_kg_wtw * 1000.0 / units,
                old.distance_m,
                old.impact.co2e_kg_ttw * 1000.0 / units,
            ];
            for q in 0..5 {
                assert!(
                    (unit[q] - old_unit[q]).abs() <= slack,
                    "{ctx}: criterion {q}: {} vs priced {} over {} arcs",
                    unit[q],
                    old_unit[q],
                    path.arcs.len()
                );
            }
            assert_eq!(cell.distance_m, old.distance_m, "{ctx}: distance");
            assert_eq!(cell.origin_snap_m, old.origin_snap_m, "{ctx}: origin snap");
            assert_eq!(
                cell.destination_snap_m, old.destination_snap_m,
                "{ctx}: destination snap"
            );
        }
    }
}

//! The hierarchy against a plain Dijkstra on random graphs: grids, random
//! geometric graphs, and trees of long chains, with parallel arcs, self-loops,
//! isolated nodes, disconnected parts, zero, huge and asymmetric weights, and
//! closed arcs. Checks distances, the returned arc paths (from `shortest` and
//! `shortest_into`), matrices, one-to-all distances in both directions,
//! re-customization after closing arcs, and views over persisted arrays.
//! Every failure message names the seed that produced the graph.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use silkroute_hierarchy::{
    CLOSED, Companions, Hierarchy, HierarchyView, MatrixBuffers, MetricView, Query, Selection,
    Sweep, Within, buckets_hold_sources, distances_from_all, distances_to_all, matrix, matrix_in,
    matrix_with_sums,
};

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// A graph as the hierarchy takes it: CSR arcs, weights, coordinates.
struct Graph {
    first_out: Vec<u32>,
    head: Vec<u32>,
    weight: Vec<u32>,
    lat: Vec<f64>,
    lon: Vec<f64>,
}

impl Graph {
    fn n(&self) -> usize {
        self.lat.len()
    }
    fn tail(&self, arc: u32) -> u32 {
        (self.first_out.partition_point(|&f| f <= arc) - 1) as u32
    }
}

/// How weights are drawn for an edge's two arcs.
#[derive(Clone, Copy)]
struct Weights {
    max: u32,
    asymmetric: f64,
    closed: f64,
}

const NORMAL: Weights = Weights {
    max: 1000,
    asymmetric: 0.2,
    closed: 0.03,
};

/// Turns undirected edges into CSR arcs (both directions), adding parallel
/// arcs and self-loops at random.
fn assemble(rng: &mut Rng, coords: Vec<(f64, f64)>, edges: &[(u32, u32)], w: Weights) -> Graph {
    let n = coords.len();
    let mut arcs: Vec<(u32, u32, u32)> = Vec::new();
    let draw = |rng: &mut Rng| {
        if rng.chance(w.closed) {
            CLOSED
        } else if rng.chance(0.05) {
            0
        } else {
            1 + rng.below(u64::from(w.max)) as u32
        }
    };
    for &(u, v) in edges {
        let copies = if rng.chance(0.1) { 2 + rng.below(2) } else { 1 };
        for _ in 0..copies {
            let a = draw(rng);
            let b = if rng.chance(w.asymmetric) {
                draw(rng)
            } else {
                a
            };
            arcs.push((u, v, a));
            arcs.push((v, u, b));
        }
    }
    for _ in 0..n / 50 {
        let v = rng.below(n as u64) as u32;
        let a = draw(rng);
        arcs.push((v, v, a));
        arcs.push((v, v, a));
    }
    // Shuffle so parallel arcs are not adjacent, then group by tail.
    for i in (1..arcs.len()).rev() {
        arcs.swap(i, rng.below(i as u64 + 1) as usize);
    }
    arcs.sort_by_key(|a| a.0);
    let mut first_out = vec![0u32; n + 1];
    for a in &arcs {
        first_out[a.0 as usize + 1] += 1;
    }
    for i in 0..n {
        first_out[i + 1] += first_out[i];
    }
    Graph {
        first_out,
        head: arcs.iter().map(|a| a.1).collect(),
        weight: arcs.iter().map(|a| a.2).collect(),
        lat: coords.iter().map(|c| c.0).collect(),
        lon: coords.iter().map(|c| c.1).collect(),
    }
}

/// Two grids side by side, unconnected, with missing edges, some diagonals,
/// and a few isolated nodes at the end.
fn grid(rng: &mut Rng, w: u32, h: u32, weights: Weights) -> Graph {
    let mut coords = Vec::new();
    let mut edges = Vec::new();
    for part in 0..2 {
        let base = coords.len() as u32;
        for r in 0..h {
            for c in 0..w {
                coords.push((f64::from(r) * 0.01, f64::from(c + part * (w + 5)) * 0.01));
                let id = base + r * w + c;
                if c + 1 < w && rng.chance(0.85) {
                    edges.push((id, id + 1));
                }
                if r + 1 < h && rng.chance(0.85) {
                    edges.push((id, id + w));
                }
                if c + 1 < w && r + 1 < h && rng.chance(0.1) {
                    edges.push((id, id + w + 1));
                }
            }
        }
    }
    for i in 0..3 {
        coords.push((-1.0, f64::from(i)));
    }
    assemble(rng, coords, &edges, weights)
}

/// Random points, each joined to two to four of its nearest neighbours.
fn geometric(rng: &mut Rng, n: usize) -> Graph {
    let coords: Vec<(f64, f64)> = (0..n)
        .map(|_| {
            (
                rng.below(10_000) as f64 / 100.0,
                rng.below(10_000) as f64 / 100.0,
            )
        })
        .collect();
    let mut edges = Vec::new();
    for (u, &(a, b)) in coords.iter().enumerate() {
        let mut near: Vec<usize> = (0..n).filter(|&v| v != u).collect();
        near.sort_by(|&x, &y| {
            let d = |v: usize| (coords[v].0 - a).powi(2) + (coords[v].1 - b).powi(2);
            d(x).total_cmp(&d(y))
        });
        for &v in near.iter().take(2 + rng.below(3) as usize) {
            edges.push((u as u32, v as u32));
        }
    }
    assemble(rng, coords, &edges, NORMAL)
}

/// A random tree whose edges are subdivided into chains, plus a few extra
/// edges that close long cycles: the shape of a railway network.
fn chains(rng: &mut Rng, junctions: usize) -> Graph {
    let mut coords: Vec<(f64, f64)> = (0..junctions)
        .map(|_| (rng.below(1000) as f64, rng.below(1000) as f64))
        .collect();
    let mut links = Vec::new();
    for v in 1..junctions {
        links.push((rng.below(v as u64) as u32, v as u32));
    }
    for _ in 0..junctions / 10 {
        links.push((
            rng.below(junctions as u64) as u32,
            rng.below(junctions as u64) as u32,
        ));
    }
    let mut edges = Vec::new();
    for (u, v) in links {
        let len = rng.below(12);
        let mut prev = u;
        for i in 0..len {
            let t = (i + 1) as f64 / (len + 1) as f64;
            let (a, b) = (coords[u as usize], coords[v as usize]);
            coords.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
            let id = coords.len() as u32 - 1;
            edges.push((prev, id));
            prev = id;
        }
        edges.push((prev, v));
    }
    assemble(rng, coords, &edges, NORMAL)
}

/// Multi-source Dijkstra: distance from the nearest source (offsets added)
/// to every node.
fn dijkstra(g: &Graph, weight: &[u32], sources: &[(u32, u64)]) -> Vec<u64> {
    let mut dist = vec![u64::MAX; g.n()];
    let mut heap = BinaryHeap::new();
    for &(s, off) in sources {
        if off < dist[s as usize] {
            dist[s as usize] = off;
            heap.push(Reverse((off, s)));
        }
    }
    while let Some(Reverse((d, u))) = heap.pop() {
        if d > dist[u as usize] {
            continue;
        }
        for a in g.first_out[u as usize]..g.first_out[u as usize + 1] {
            let w = weight[a as usize];
            if w == CLOSED {
                continue;
            }
            let (v, nd) = (g.head[a as usize], d + u64::from(w));
            if nd < dist[v as usize] {
                dist[v as usize] = nd;
                heap.push(Reverse((nd, v)));
            }
        }
    }
    dist
}

/// Multi-target Dijkstra on the reversed arcs: distance from every node to
/// the nearest target (offsets added).
fn dijkstra_to(g: &Graph, weight: &[u32], targets: &[(u32, u64)]) -> Vec<u64> {
    // The reversed graph as CSR: arc `a` of `u → v` becomes `v → u`.
    let mut by_head: Vec<u32> = (0..g.head.len() as u32).collect();
    by_head.sort_by_key(|&a| g.head[a as usize]);
    let mut first_in = vec![0u32; g.n() + 1];
    for &a in &by_head {
        first_in[g.head[a as usize] as usize + 1] += 1;
    }
    for i in 0..g.n() {
        first_in[i + 1] += first_in[i];
    }
    let reversed = Graph {
        first_out: first_in,
        head: by_head.iter().map(|&a| g.tail(a)).collect(),
        weight: Vec::new(),
        lat: g.lat.clone(),
        lon: g.lon.clone(),
    };
    let w: Vec<u32> = by_head.iter().map(|&a| weight[a as usize]).collect();
    dijkstra(&reversed, &w, targets)
}

fn best_over(dist: &[u64], targets: &[(u32, u64)]) -> Option<u64> {
    targets
        .iter()
        .filter(|&&(t, _)| dist[t as usize] != u64::MAX)
        .map(|&(t, off)| dist[t as usize] + off)
        .min()
}

fn random_ends(rng: &mut Rng, n: usize) -> Vec<(u32, u64)> {
    (0..1 + rng.below(3))
        .map(|_| {
            (
                rng.below(n as u64) as u32,
                if rng.chance(0.5) { 0 } else { rng.below(500) },
            )
        })
        .collect()
}

/// Checks `queries` random multi-source, multi-target queries and a matrix
/// of `metric` (customized with `weight`) against Dijkstra.
fn check(
    seed: u64,
    g: &Graph,
    weight: &[u32],
    h: HierarchyView<'_>,
    metric: MetricView<'_>,
    queries: usize,
) {
    let mut rng = Rng(seed ^ 0xabcd);
    let mut q = Query::new(h, metric);
    let mut into = vec![7u32; 3]; // stale contents must be cleared
    let mut sweep = Sweep::new();
    let mut all = Vec::new();
    for i in 0..queries {
        let sources = random_ends(&mut rng, g.n());
        let targets = random_ends(&mut rng, g.n());
        let ctx = format!("seed {seed}, query {i}: {sources:?} → {targets:?}");
        let want = best_over(&dijkstra(g, weight, &sources), &targets);
        assert_eq!(q.distance(&sources, &targets), want, "distance, {ctx}");
        let got = q.shortest(&sources, &targets);
        assert_eq!(got.as_ref().map(|r| r.distance), want, "shortest, {ctx}");
        let found = q.shortest_into(&sources, &targets, &mut into);
        assert_eq!(
            found,
            got.as_ref()
                .map(|r| (r.distance, r.source_index, r.target_index)),
            "shortest_into, {ctx}"
        );
        assert_eq!(
            into,
            got.as_ref().map(|r| r.arcs.clone()).unwrap_or_default(),
            "shortest_into arcs, {ctx}"
        );

        // One-to-all, both directions, every node; the reusable buffers
        // alternate between directions and sizes of start sets.
        if i % 4 == 0 {
            let from = dijkstra(g, weight, &sources);
            assert_eq!(distances_to_all(h, metric, &sources), from, "to all, {ctx}");
            sweep.from_sources(h, metric, &sources, &mut all);
            assert_eq!(all, from, "Sweep::from_sources, {ctx}");
            let to = dijkstra_to(g, weight, &targets);
            assert_eq!(
                distances_from_all(h, metric, &targets),
                to,
                "from all, {ctx}"
            );
            sweep.to_targets(h, metric, &targets, &mut all);
            assert_eq!(all, to, "Sweep::to_targets, {ctx}");
            // Restricted to a random selection plus a few extra nodes: exact
            // there, unknown (u64::MAX) elsewhere.
            let n = g.n() as u32;
            let chosen: Vec<u32> = (0..n).filter(|_| rng.chance(0.2)).collect();
            let extra: Vec<u32> = (0..3).map(|_| rng.below(n as u64) as u32).collect();
            let selection = Selection::new(h, &chosen);
            let w = selection.sweep_weights(metric);
            let within = Within {
                selection: &selection,
                weights: &w,
                extra: &extra,
            };
            sweep.to_targets_within(h, metric, &targets, within, &mut all);
            for v in 0..n {
                let wanted = chosen.contains(&v) || extra.contains(&v);
                if wanted {
                    assert_eq!(all[v as usize], to[v as usize], "within, node {v}, {ctx}");
                } else {
                    assert!(
                        all[v as usize] == u64::MAX || all[v as usize] == to[v as usize],
                        "within, unselected node {v} has a wrong distance, {ctx}"
                    );
                }
            }
            // They agree with the point-to-point answer.
            assert_eq!(best_over(&from, &targets), want, "to all vs query, {ctx}");
            assert_eq!(best_over(&to, &sources), want, "from all vs query, {ctx}");
        }
        let Some(r) = got else { continue };

        // The path: contiguous from the chosen source to the chosen target,
        // open arcs only, the lightest of any parallel arcs, summing up.
        let (s, s_off) = sources[r.source_index];
        let (t, t_off) = targets[r.target_index];
        let mut at = s;
        let mut sum = s_off + t_off;
        for &arc in &r.arcs {
            assert_eq!(g.tail(arc), at, "path not contiguous at arc {arc}, {ctx}");
            let w = weight[arc as usize];
            assert_ne!(w, CLOSED, "path uses closed arc {arc}, {ctx}");
            let head = g.head[arc as usize];
            let lightest = (g.first_out[at as usize]..g.first_out[at as usize + 1])
                .filter(|&b| g.head[b as usize] == head)
                .map(|b| weight[b as usize])
                .min();
            assert_eq!(
                Some(w),
                lightest,
                "arc {arc} has a lighter parallel arc, {ctx}"
            );
            sum += u64::from(w);
            at = head;
        }
        assert_eq!(at, t, "path does not end at the chosen target, {ctx}");
        assert_eq!(sum, r.distance, "path length, {ctx}");
    }

    let sources: Vec<Vec<(u32, u64)>> = (0..5).map(|_| random_ends(&mut rng, g.n())).collect();
    let targets: Vec<Vec<(u32, u64)>> = (0..6).map(|_| random_ends(&mut rng, g.n())).collect();
    let table = matrix(h, metric, &sources, &targets);
    assert_eq!(table.len(), 30, "seed {seed}: matrix size");
    for (i, s) in sources.iter().enumerate() {
        let dist = dijkstra(g, weight, s);
        for (j, t) in targets.iter().enumerate() {
            assert_eq!(
                table[i * 6 + j],
                best_over(&dist, t),
                "seed {seed}: matrix[{i}][{j}] from {s:?} to {t:?}"
            );
        }
    }
}

/// Builds, customizes and checks; then closes arcs, re-customizes, checks
/// the new metric and that the old one still answers as before.
fn check_graph(seed: u64, g: &Graph, queries: usize) {
    let h = Hierarchy::build(&g.first_out, &g.head, &g.lat, &g.lon);
    let m = h.customize(&g.weight);
    check(seed, g, &g.weight, h.view(), m.view(), queries);

    let mut rng = Rng(seed ^ 0x5ca1ab1e);
    let closed: Vec<u32> = g
        .weight
        .iter()
        .map(|&w| if rng.chance(0.15) { CLOSED } else { w })
        .collect();
    let mut m2 = m.clone();
    h.customize_into(&closed, &mut m2);
    check(seed ^ 1, g, &closed, h.view(), m2.view(), queries);
    check(seed, g, &g.weight, h.view(), m.view(), queries / 4);

    // Matrices with companion sums, on weights of at least 1 (so the arcs
    // of shortest paths form a DAG the oracle can walk).
    let positive: Vec<u32> = closed.iter().map(|&w| w.max(1)).collect();
    let m3 = h.customize(&positive);
    check_sums(seed, g, &positive, h.view(), m3.view());
}

/// Per node, over the shortest paths from `sources` (offsets included) that
/// end there: how many there are (saturating at 2) and the least and
/// greatest sum of each criterion in `values` along one.
struct PathSums {
    dist: Vec<u64>,
    count: Vec<u8>,
    min: Vec<Vec<u64>>,
    max: Vec<Vec<u64>>,
}

/// The shortest paths from `sources` by `weight` (all at least 1), with
/// [`PathSums`] over the DAG of their arcs, walked in order of distance.
fn path_sums(g: &Graph, weight: &[u32], values: &[Vec<u32>], sources: &[(u32, u64)]) -> PathSums {
    let dist = dijkstra(g, weight, sources);
    let (n, k) = (g.n(), values.len());
    let mut out = PathSums {
        count: vec![0; n],
        min: vec![vec![u64::MAX; k]; n],
        max: vec![vec![0; k]; n],
        dist,
    };
    for &(s, off) in sources {
        if out.dist[s as usize] == off && out.count[s as usize] == 0 {
            // A start: the empty path (counted once, however often given).
            out.count[s as usize] = 1;
            out.min[s as usize] = vec![0; k];
        }
    }
    let mut order: Vec<u32> = (0..n as u32)
        .filter(|&v| out.dist[v as usize] != u64::MAX)
        .collect();
    order.sort_by_key(|&v| out.dist[v as usize]);
    for u in order {
        let (du, cu) = (out.dist[u as usize], out.count[u as usize]);
        for a in g.first_out[u as usize]..g.first_out[u as usize + 1] {
            let w = weight[a as usize];
            let v = g.head[a as usize] as usize;
            if w == CLOSED || du + u64::from(w) != out.dist[v] || cu == 0 {
                continue;
            }
            out.count[v] = (out.count[v] + cu).min(2);
            for (q, value) in values.iter().enumerate() {
                let x = u64::from(value[a as usize]);
                out.min[v][q] = out.min[v][q].min(out.min[u as usize][q] + x);
                out.max[v][q] = out.max[v][q].max(out.max[u as usize][q] + x);
            }
        }
    }
    out
}

/// `matrix_with_sums` against Dijkstra, on both layouts (sources or
/// targets in the buckets): every distance equals the plain matrix's and
/// Dijkstra's; the chosen source and target are ends of an optimal path;
/// and each criterion's sum lies between the least and the greatest over
/// the optimal paths, and equals the only one's when it is unique (most
/// cells: random weights rarely tie). Two sets of criteria: the weight
/// itself (whose sum must be the distance without the offsets, exactly)
/// and a small random one, in 32 bits unless the weights are huge; and
/// a small and a huge one, whose sums pass 32 bits.
fn check_sums(seed: u64, g: &Graph, weight: &[u32], h: HierarchyView<'_>, metric: MetricView<'_>) {
    let mut rng = Rng(seed ^ 0x5e115);
    let mut random = |lo: u32, span: u64| -> Vec<u32> {
        (0..weight.len())
            .map(|_| lo + rng.below(span) as u32)
            .collect()
    };
    let small = random(0, 1000);
    let huge = random(1 << 31, 1 << 30);
    let small2 = random(0, 1000);
    let narrow = weight.iter().all(|&w| w == CLOSED || w <= 1000);
    for (values, first_is_weight) in [
        (vec![weight.to_vec(), small], true),
        (vec![small2, huge], false),
    ] {
        let slices: Vec<&[u32]> = values.iter().map(Vec::as_slice).collect();
        let companions = h.companions(metric, &slices);
        assert_eq!(companions.criteria(), 2, "seed {seed}");
        if first_is_weight && narrow {
            assert!(!companions.is_wide(), "seed {seed}: small sums stored wide");
        }
        check_sums_of(
            seed,
            g,
            weight,
            h,
            metric,
            &companions,
            &values,
            first_is_weight,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn check_sums_of(
    seed: u64,
    g: &Graph,
    weight: &[u32],
    h: HierarchyView<'_>,
    metric: MetricView<'_>,
    companions: &Companions,
    values: &[Vec<u32>],
    first_is_weight: bool,
) {
    let mut rng = Rng(seed ^ 0xc0ffee);
    let buffers = MatrixBuffers::default();
    for (rows, cols) in [(5, 6), (6, 5), (1, 1)] {
        let sources: Vec<Vec<(u32, u64)>> =
            (0..rows).map(|_| random_ends(&mut rng, g.n())).collect();
        let targets: Vec<Vec<(u32, u64)>> =
            (0..cols).map(|_| random_ends(&mut rng, g.n())).collect();
        let scans = std::sync::atomic::AtomicUsize::new(0);
        let table = matrix_with_sums(h, metric, companions, &sources, &targets, &buffers, &|| {
            scans.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        let scanned = if buckets_hold_sources(rows, cols) {
            cols
        } else {
            rows
        };
        assert_eq!(scans.into_inner(), scanned, "seed {seed}: scans");
        assert_eq!((table.len(), table.width()), (rows * cols, cols));
        let plain = matrix_in(h, metric, &sources, &targets, &buffers);
        for (i, s) in sources.iter().enumerate() {
            let oracle = path_sums(g, weight, values, s);
            for (j, t) in targets.iter().enumerate() {
                let ctx = format!("seed {seed}, {rows}×{cols} cell {i},{j}: {s:?} → {t:?}");
                let want = best_over(&oracle.dist, t);
                let cell = table.cell(i * cols + j);
                assert_eq!(cell.map(|c| c.distance), want, "distance, {ctx}");
                assert_eq!(plain[i * cols + j], want, "plain distance, {ctx}");
                let (Some(cell), Some(best)) = (cell, want) else {
                    continue;
                };
                // The chosen ends: an optimal path runs from one to the other.
                let (sv, so) = s[cell.source_index];
                let (tv, to) = t[cell.target_index];
                let from = dijkstra(g, weight, &[(sv, so)]);
                assert_eq!(
                    from[tv as usize].saturating_add(to),
                    best,
                    "chosen ends, {ctx}"
                );
                if first_is_weight {
                    assert_eq!(cell.sums[0], best - so - to, "weight sum, {ctx}");
                }
                // Over the optimal paths into the optimal targets.
                let ends: Vec<usize> = t
                    .iter()
                    .filter(|&&(v, off)| oracle.dist[v as usize].saturating_add(off) == best)
                    .map(|&(v, _)| v as usize)
                    .collect();
                let count: u32 = ends.iter().map(|&v| u32::from(oracle.count[v])).sum();
                for q in 0..values.len() {
                    let lo = ends.iter().map(|&v| oracle.min[v][q]).min().unwrap();
                    let hi = ends.iter().map(|&v| oracle.max[v][q]).max().unwrap();
                    let got = cell.sums[q];
                    assert!(
                        lo <= got && got <= hi,
                        "criterion {q}: {got} not in {lo}..={hi}, {ctx}"
                    );
                    if count == 1 {
                        assert_eq!(got, lo, "criterion {q} on the only optimal path, {ctx}");
                    }
                }
            }
        }
    }
}

#[test]
fn grids() {
    for seed in 0..6 {
        let mut rng = Rng(seed);
        let (w, hgt) = (3 + rng.below(18) as u32, 2 + rng.below(14) as u32);
        check_graph(seed, &grid(&mut rng, w, hgt, NORMAL), 60);
    }
}

#[test]
fn random_geometric_graphs() {
    for seed in 100..106 {
        let mut rng = Rng(seed);
        let n = 20 + rng.below(250) as usize;
        check_graph(seed, &geometric(&mut rng, n), 60);
    }
}

#[test]
fn chains_and_trees() {
    for seed in 200..206 {
        let mut rng = Rng(seed);
        let junctions = 2 + rng.below(60) as usize;
        check_graph(seed, &chains(&mut rng, junctions), 60);
    }
}

#[test]
fn large_grid_dissected_in_parallel() {
    // Big enough (2 × 9,000 nodes) for the parallel paths of the dissection.
    let mut rng = Rng(600);
    check_graph(600, &grid(&mut rng, 100, 90, NORMAL), 30);
}

#[test]
fn dense_graph_at_one_point() {
    // Every node at the same coordinates: the cuts get no help from geometry.
    for seed in 700..703 {
        let mut rng = Rng(seed);
        let n = 10 + rng.below(40) as u32;
        let edges: Vec<(u32, u32)> = (0..n)
            .flat_map(|u| (u + 1..n).map(move |v| (u, v)))
            .filter(|_| rng.chance(0.3))
            .collect();
        let g = assemble(
            &mut Rng(seed),
            vec![(45.0, 90.0); n as usize],
            &edges,
            NORMAL,
        );
        check_graph(seed, &g, 40);
    }
}

#[test]
fn huge_weights_sum_past_u32() {
    let weights = Weights {
        max: u32::MAX - 1,
        asymmetric: 0.5,
        closed: 0.05,
    };
    for seed in 300..303 {
        let mut rng = Rng(seed);
        check_graph(seed, &grid(&mut rng, 12, 9, weights), 60);
    }
}

#[test]
fn everything_closed_and_degenerate_inputs() {
    // No nodes at all.
    let h = Hierarchy::build(&[0], &[], &[], &[]);
    let m = h.customize(&[]);
    assert_eq!(matrix(&h, &m, &[], &[]), Vec::<Option<u64>>::new());
    assert!(distances_to_all(&h, &m, &[]).is_empty());
    assert!(distances_from_all(&h, &m, &[]).is_empty());
    // Every arc closed: only a node to itself is reachable.
    let mut rng = Rng(400);
    let g = grid(&mut rng, 6, 5, NORMAL);
    let h = Hierarchy::build(&g.first_out, &g.head, &g.lat, &g.lon);
    let m = h.customize(&vec![CLOSED; g.head.len()]);
    let mut q = Query::new(&h, &m);
    assert_eq!(q.shortest(&[(0, 0)], &[(1, 0)]), None);
    let r = q
        .shortest(&[(3, 7), (4, 1)], &[(9, 0), (4, 2)])
        .expect("same node");
    assert_eq!((r.distance, r.source_index, r.target_index), (3, 1, 1));
    assert!(r.arcs.is_empty());
    assert_eq!(q.shortest(&[], &[(1, 0)]), None);
    assert_eq!(
        matrix(&h, &m, &[vec![(2, 5)], vec![]], &[vec![(2, 1), (3, 0)]]),
        vec![Some(6), None]
    );
    // With sums: the same node at its least offset, nothing summed; and
    // no criteria at all is allowed.
    let buffers = MatrixBuffers::default();
    for k in [0, 2] {
        let values = vec![vec![7u32; g.head.len()]; k];
        let slices: Vec<&[u32]> = values.iter().map(Vec::as_slice).collect();
        let c = h.view().companions(&m, &slices);
        let t = matrix_with_sums(
            &h,
            &m,
            &c,
            &[vec![(2, 5)], vec![]],
            &[vec![(3, 0), (2, 1), (2, 0)]],
            &buffers,
            &|| {},
        );
        let cell = t.cell(0).expect("same node");
        assert_eq!((cell.distance, cell.target_index), (5, 2));
        assert_eq!(cell.sums, vec![0; k].as_slice());
        assert_eq!(t.cell(1), None);
        let empty = matrix_with_sums(&h, &m, &c, &[], &[vec![(1, 0)]], &buffers, &|| {});
        assert!(empty.is_empty());
    }
    let mut arcs = vec![1, 2, 3];
    assert_eq!(q.shortest_into(&[(0, 0)], &[(1, 0)], &mut arcs), None);
    assert!(arcs.is_empty());
    assert_eq!(
        q.shortest_into(&[(3, 7), (4, 1)], &[(9, 0), (4, 2)], &mut arcs),
        Some((3, 1, 1))
    );
    assert!(arcs.is_empty());
    // One-to-all: only the starts themselves, at their least offset.
    let mut want = vec![u64::MAX; g.n()];
    want[3] = 2;
    want[4] = 1;
    assert_eq!(distances_to_all(&h, &m, &[(3, 7), (4, 1), (3, 2)]), want);
    assert_eq!(distances_from_all(&h, &m, &[(3, 7), (4, 1), (3, 2)]), want);
    assert_eq!(distances_to_all(&h, &m, &[]), vec![u64::MAX; g.n()]);
}

#[test]
fn companion_sums_past_u32_are_kept_in_64_bits() {
    // A path 0 – 1 – 2 – 3: shortcuts sum two or three arcs of 2³¹.
    let (first_out, head) = ([0, 1, 3, 5, 6], [1, 0, 2, 1, 3, 2]);
    let (lat, lon) = ([0.0; 4], [0.0, 0.1, 0.2, 0.3]);
    let h = Hierarchy::build(&first_out, &head, &lat, &lon);
    let m = h.customize(&[1; 6]);
    let big = vec![1u32 << 31; 6];
    let c = h.view().companions(&m, &[&big, &[1; 6]]);
    assert!(c.is_wide());
    assert_eq!(c.memory_bytes(), h.arc_count() * 2 * 2 * 8);
    let t = matrix_with_sums(
        &h,
        &m,
        &c,
        &[vec![(0, 0)]],
        &[vec![(3, 0)]],
        &MatrixBuffers::default(),
        &|| {},
    );
    let cell = t.cell(0).unwrap();
    assert_eq!((cell.distance, cell.sums), (3, &[3u64 << 31, 3][..]));
}

#[test]
fn bad_node_ids_panic_and_leave_the_query_clean() {
    let mut rng = Rng(410);
    let g = grid(&mut rng, 8, 6, NORMAL);
    let h = Hierarchy::build(&g.first_out, &g.head, &g.lat, &g.lon);
    let m = h.customize(&g.weight);
    let mut q = Query::new(&h, &m);
    let n = g.n() as u32;
    let bad = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        q.shortest(&[(0, 0)], &[(1, 0), (n, 0)])
    }));
    assert!(bad.is_err());
    let buffers = q.into_buffers();
    let mut q = Query::with_buffers(&h, &m, buffers);
    let want = best_over(&dijkstra(&g, &g.weight, &[(0, 0)]), &[(1, 0)]);
    assert_eq!(q.distance(&[(0, 0)], &[(1, 0)]), want);
    assert!(std::panic::catch_unwind(|| distances_to_all(&h, &m, &[(n, 0)])).is_err());
}

#[test]
fn persisted_views_answer_the_same_and_bad_arrays_are_refused() {
    let mut rng = Rng(500);
    let g = chains(&mut rng, 40);
    let h = Hierarchy::build(&g.first_out, &g.head, &g.lat, &g.lon);
    let m = h.customize(&g.weight);

    // Round trip through copies, as a file would.
    let hs: Vec<Vec<u32>> = h
        .view()
        .sections()
        .iter()
        .map(|(_, s)| s.to_vec())
        .collect();
    let view =
        HierarchyView::from_sections([&hs[0], &hs[1], &hs[2], &hs[3]]).expect("valid hierarchy");
    let ms: Vec<Vec<u64>> = m
        .view()
        .sections()
        .iter()
        .map(|(_, s)| s.to_vec())
        .collect();
    let mview =
        MetricView::from_sections(&view, [&ms[0], &ms[1], &ms[2], &ms[3]]).expect("valid metric");
    assert_eq!(view.to_hierarchy(), h);
    assert_eq!(mview.to_metric(), m);
    check(500, &g, &g.weight, view, mview, 40);
    assert_eq!(view.customize(&g.weight), m);

    // Corruptions are refused, never trusted.
    let last = hs[1].len() - 1;
    let corruptions = [
        (0, 0, hs[0][1]),           // rank not a permutation
        (1, last, hs[1][last] + 1), // offsets past the arcs
        (2, 0, 0),                  // an upward arc into node 0
        (3, 0, u32::MAX - 1),       // an input arc mapped nowhere
    ];
    for (section, index, value) in corruptions {
        let mut bad = hs.clone();
        bad[section][index] = value;
        assert!(
            HierarchyView::from_sections([&bad[0], &bad[1], &bad[2], &bad[3]]).is_err(),
            "section {section} corrupted at {index}"
        );
    }
    let arc = ms[0]
        .iter()
        .position(|&w| w != u64::MAX)
        .expect("a finite arc");
    // The metric stores shortcuts of two input arcs as pairs; one that
    // names an arc out of range is refused.
    let m_arcs = g.head.len() as u64;
    let pair = (1u64 << 63) | (1 << 62);
    let is_pair = |v: &u64| *v != u64::MAX && v & pair == pair;
    assert!(ms[2].iter().chain(&ms[3]).any(is_pair), "no pairs stored");
    let at = ms[2].iter().position(is_pair).expect("an upward pair");
    let mut bad = ms.clone();
    bad[2][at] = pair | (m_arcs << 31);
    assert!(MetricView::from_sections(&view, [&bad[0], &bad[1], &bad[2], &bad[3]]).is_err());
    let mut bad = ms.clone();
    bad[2][at] = pair | m_arcs;
    assert!(MetricView::from_sections(&view, [&bad[0], &bad[1], &bad[2], &bad[3]]).is_err());
    // A shortcut whose half is unreachable (so its `via` is never checked)
    // cannot be unpacked.
    let d = (0..ms[0].len())
        .find(|&d| ms[0][d] != u64::MAX && ms[2][d] >> 63 == 0)
        .expect("an upward shortcut of two shortcuts or arcs");
    let c = (ms[2][d] & 0xffff_ffff) as usize;
    let mut bad = ms.clone();
    bad[0][c] = u64::MAX;
    bad[2][c] = 0x7fff_fff0_7fff_fff0;
    assert!(MetricView::from_sections(&view, [&bad[0], &bad[1], &bad[2], &bad[3]]).is_err());
    let mut bad = ms.clone();
    bad[2][arc] = 0x0000_0001_0000_0001;
    assert!(MetricView::from_sections(&view, [&bad[0], &bad[1], &bad[2], &bad[3]]).is_err());
    assert!(MetricView::from_sections(&view, [&ms[0], &ms[1], &ms[2], &ms[3][1..]]).is_err());
}

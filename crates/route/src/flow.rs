//! Traffic assignment: spreading an origin–destination matrix of yearly
//! volumes over the network, all-or-nothing or to a user equilibrium with
//! congestion on capacitated elements (border crossings, ferries).
//!
//! The network's own arc weights (seconds) are the free-flow times. Each
//! capacitated element (a set of arcs with a yearly capacity) adds a
//! BPR-style delay per use, `free_s × 0.15 × (flow / capacity)^4`, to all of
//! its arcs; every other arc keeps its weight. The equilibrium is found by
//! Frank–Wolfe (bisection line search on the Beckmann objective) or by the
//! method of successive averages; each iteration is one all-or-nothing
//! assignment on the congested weights, which the caller answers (the CLI
//! customizes the hierarchy once per iteration; the tests use Dijkstra).
//!
//! The relative gap is `(TSTT − SPTT) / TSTT`: the total time of the current
//! flows minus the time they would take on the current shortest paths,
//! over the former. At a Wardrop equilibrium no used path is slower than
//! the shortest, and the gap is 0. Path flows are kept per pair, so the
//! result can be checked against that condition directly. Everything is
//! sequential and in input order, so results are deterministic.

/// BPR parameters (U.S. Bureau of Public Roads, 1964, the usual defaults).
pub const BPR_ALPHA: f64 = 0.15;
pub const BPR_BETA: f64 = 4.0;

/// A set of arcs sharing one yearly capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct Capacitated {
    pub arcs: Vec<u32>,
    /// Volume per year, in the demand's unit.
    pub capacity: f64,
    /// Free-flow time of one use, seconds (the BPR scale).
    pub free_s: f64,
}

impl Capacitated {
    /// The congestion delay of one use at `flow`, seconds.
    pub fn delay_s(&self, flow: f64) -> f64 {
        self.free_s * BPR_ALPHA * (flow.max(0.0) / self.capacity).powf(BPR_BETA)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    AllOrNothing,
    SuccessiveAverages,
    FrankWolfe,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub method: Method,
    /// Iterations after the initial all-or-nothing assignment.
    pub iterations: usize,
    /// Stop once the relative gap is at most this.
    pub gap: f64,
}

/// A path of one pair and the share of the pair's volume on it.
#[derive(Clone, Debug, PartialEq)]
pub struct PathFlow {
    pub arcs: Vec<u32>,
    pub access: u64,
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Iteration {
    /// The relative gap of the flows at the start of the iteration.
    pub gap: f64,
    /// The step taken towards the all-or-nothing direction.
    pub step: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// Per pair: the paths used (empty when the pair has no path).
    pub paths: Vec<Vec<PathFlow>>,
    /// Flow per capacitated element.
    pub flows: Vec<f64>,
    pub iterations: Vec<Iteration>,
    /// The relative gap of the final flows.
    pub gap: f64,
    pub converged: bool,
    /// Final (congested) arc weights.
    pub weights: Vec<u32>,
}

/// The answer of one all-or-nothing search for a pair: the path and its
/// access cost.
pub type Shortest = Option<(Vec<u32>, u64)>;

fn uses(
    elements: &[Capacitated],
    by_arc: &std::collections::HashMap<u32, Vec<usize>>,
    arcs: &[u32],
) -> Vec<usize> {
    let _ = elements;
    let mut out = Vec::new();
    for a in arcs {
        if let Some(es) = by_arc.get(a) {
            out.extend_from_slice(es);
        }
    }
    out
}

fn path_cost(weights: &[u32], p: &[u32], access: u64) -> f64 {
    access as f64 + p.iter().map(|a| weights[*a as usize] as f64).sum::<f64>()
}

/// Congested weights: the base plus each element's delay at `flows`.
pub fn congested(base: &[u32], elements: &[Capacitated], flows: &[f64]) -> Vec<u32> {
    let mut w = base.to_vec();
    for (e, f) in elements.iter().zip(flows) {
        let d = e.delay_s(*f);
        for a in &e.arcs {
            let x = &mut w[*a as usize];
            if *x != u32::MAX {
                *x = (*x as f64 + d).round().min((u32::MAX - 1) as f64) as u32;
            }
        }
    }
    w
}

/// Element flows of a path set.
fn element_flows(
    elements: &[Capacitated],
    by_arc: &std::collections::HashMap<u32, Vec<usize>>,
    volumes: &[f64],
    paths: &[Vec<PathFlow>],
) -> Vec<f64> {
    let mut flows = vec![0.0; elements.len()];
    for (v, ps) in volumes.iter().zip(paths) {
        for p in ps {
            for e in uses(elements, by_arc, &p.arcs) {
                flows[e] += v * p.share;
            }
        }
    }
    flows
}

/// The relative gap of `paths` under `weights`, against the shortest paths
/// `best` found on the same weights.
pub fn relative_gap(
    weights: &[u32],
    volumes: &[f64],
    paths: &[Vec<PathFlow>],
    best: &[Shortest],
) -> f64 {
    let (mut tstt, mut sptt) = (0.0, 0.0);
    for ((v, ps), b) in volumes.iter().zip(paths).zip(best) {
        let Some((arcs, access)) = b else { continue };
        sptt += v * path_cost(weights, arcs, *access);
        for p in ps {
            tstt += v * p.share * path_cost(weights, &p.arcs, p.access);
        }
    }
    if tstt <= 0.0 {
        0.0
    } else {
        ((tstt - sptt) / tstt).max(0.0)
    }
}

/// Assigns `volumes` (one per pair) over `base` weights. `shortest` answers
/// every pair at once on the given weights; `progress` hears each
/// iteration's number and gap and may stop the run by returning false.
pub fn assign(
    base: &[u32],
    elements: &[Capacitated],
    volumes: &[f64],
    settings: Settings,
    shortest: &mut dyn FnMut(&[u32]) -> Vec<Shortest>,
    progress: &mut dyn FnMut(usize, f64) -> bool,
) -> Assignment {
    let mut by_arc: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
    for (i, e) in elements.iter().enumerate() {
        for a in &e.arcs {
            by_arc.entry(*a).or_default().push(i);
        }
    }
    // Each pair's whole volume on its shortest path (none if unreachable).
    let all_or_nothing = |found: &[Shortest]| -> Vec<Vec<PathFlow>> {
        found
            .iter()
            .map(|s| match s {
                Some((arcs, access)) => vec![PathFlow {
                    arcs: arcs.clone(),
                    access: *access,
                    share: 1.0,
                }],
                None => Vec::new(),
            })
            .collect()
    };
    let first = shortest(base);
    let mut paths = all_or_nothing(&first);
    let mut flows = element_flows(elements, &by_arc, volumes, &paths);
    let mut weights = congested(base, elements, &flows);
    let mut iterations = Vec::new();
    let rounds = if settings.method == Method::AllOrNothing {
        0
    } else {
        settings.iterations
    };
    let mut best = if rounds > 0 || !elements.is_empty() {
        shortest(&weights)
    } else {
        first.clone()
    };
    let mut gap = relative_gap(&weights, volumes, &paths, &best);
    let mut converged = gap <= settings.gap;
    for k in 1..=rounds {
        if converged || !progress(k, gap) {
            break;
        }
        // The all-or-nothing direction on the current weights.
        let y_paths = all_or_nothing(&best);
        let y = element_flows(elements, &by_arc, volumes, &y_paths);
        let step = match settings.method {
            Method::SuccessiveAverages => 1.0 / (k as f64 + 1.0),
            _ => line_search(base, elements, volumes, &paths, &y_paths, &flows, &y),
        };
        // Move: x ← (1 − step) x + step y, merging identical paths.
        for (ps, ys) in paths.iter_mut().zip(&y_paths) {
            for p in ps.iter_mut() {
                p.share *= 1.0 - step;
            }
            for y in ys {
                match ps.iter_mut().find(|p| p.arcs == y.arcs) {
                    Some(p) => p.share += step,
                    None => ps.push(PathFlow {
                        share: step,
                        ..y.clone()
                    }),
                }
            }
            ps.retain(|p| p.share > 1e-12);
        }
        flows = element_flows(elements, &by_arc, volumes, &paths);
        weights = congested(base, elements, &flows);
        iterations.push(Iteration { gap, step });
        best = shortest(&weights);
        gap = relative_gap(&weights, volumes, &paths, &best);
        converged = gap <= settings.gap;
    }
    Assignment {
        paths,
        flows,
        iterations,
        gap,
        converged,
        weights,
    }
}

/// The step in [0, 1] minimising the Beckmann objective along x → y, by
/// bisection on its derivative: the change in free-flow time plus, for each
/// element, the flow change times its delay at the trial flow.
fn line_search(
    base: &[u32],
    elements: &[Capacitated],
    volumes: &[f64],
    x_paths: &[Vec<PathFlow>],
    y_paths: &[Vec<PathFlow>],
    x: &[f64],
    y: &[f64],
) -> f64 {
    let free = |paths: &[Vec<PathFlow>]| -> f64 {
        volumes
            .iter()
            .zip(paths)
            .map(|(v, ps)| {
                ps.iter()
                    .map(|p| v * p.share * path_cost(base, &p.arcs, p.access))
                    .sum::<f64>()
            })
            .sum()
    };
    let linear = free(y_paths) - free(x_paths);
    let derivative = |s: f64| -> f64 {
        linear
            + elements
                .iter()
                .zip(x.iter().zip(y))
                .map(|(e, (xe, ye))| (ye - xe) * e.delay_s(xe + s * (ye - xe)))
                .sum::<f64>()
    };
    if derivative(1.0) <= 0.0 {
        return 1.0;
    }
    if derivative(0.0) >= 0.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..50 {
        let mid = (lo + hi) / 2.0;
        if derivative(mid) > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded random graph as arc lists, with plain Dijkstra as the
    /// shortest-path oracle.
    struct Graph {
        first_out: Vec<u32>,
        head: Vec<u32>,
        weight: Vec<u32>,
    }

    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    fn graph(n: usize, seed: u64) -> Graph {
        let mut s = seed;
        let mut arcs: Vec<(u32, u32, u32)> = Vec::new();
        for v in 0..n {
            // A ring keeps it connected; random chords make alternatives.
            let w = (v + 1) % n;
            let c = 100 + (rng(&mut s) % 900) as u32;
            arcs.push((v as u32, w as u32, c));
            arcs.push((w as u32, v as u32, c));
            for _ in 0..2 {
                let u = (rng(&mut s) % n as u64) as u32;
                if u as usize != v {
                    let c = 100 + (rng(&mut s) % 2000) as u32;
                    arcs.push((v as u32, u, c));
                    arcs.push((u, v as u32, c));
                }
            }
        }
        arcs.sort();
        let mut first_out = vec![0u32; n + 1];
        for (t, _, _) in &arcs {
            first_out[*t as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        Graph {
            first_out,
            head: arcs.iter().map(|a| a.1).collect(),
            weight: arcs.iter().map(|a| a.2).collect(),
        }
    }

    fn dijkstra(g: &Graph, w: &[u32], s: u32, t: u32) -> Option<Vec<u32>> {
        use std::cmp::Reverse;
        let n = g.first_out.len() - 1;
        let mut dist = vec![u64::MAX; n];
        let mut parent = vec![u32::MAX; n];
        let mut heap = std::collections::BinaryHeap::new();
        dist[s as usize] = 0;
        heap.push(Reverse((0u64, s)));
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dist[v as usize] {
                continue;
            }
            for a in g.first_out[v as usize]..g.first_out[v as usize + 1] {
                let h = g.head[a as usize] as usize;
                let nd = d + w[a as usize] as u64;
                // Ties broken by arc id, so the oracle is deterministic.
                if nd < dist[h] || (nd == dist[h] && a < parent[h]) {
                    dist[h] = nd;
                    parent[h] = a;
                    heap.push(Reverse((nd, h as u32)));
                }
            }
        }
        if dist[t as usize] == u64::MAX {
            return None;
        }
        let mut arcs = Vec::new();
        let mut v = t as usize;
        while v != s as usize {
            let a = parent[v];
            arcs.push(a);
            v = (0..n)
                .find(|u| (g.first_out[*u]..g.first_out[*u + 1]).contains(&a))
                .unwrap();
        }
        arcs.reverse();
        Some(arcs)
    }

    type Case = (Graph, Vec<(u32, u32)>, Vec<f64>, Vec<Capacitated>);

    fn setup(seed: u64) -> Case {
        let g = graph(40, seed);
        let mut s = seed ^ 0x9e37_79b9;
        let pairs: Vec<(u32, u32)> = (0..12)
            .map(|_| ((rng(&mut s) % 40) as u32, (rng(&mut s) % 40) as u32))
            .filter(|(a, b)| a != b)
            .collect();
        let volumes: Vec<f64> = pairs
            .iter()
            .map(|_| 50.0 + (rng(&mut s) % 200) as f64)
            .collect();
        // Capacitate the most loaded arcs of the free-flow assignment at
        // half their load, so congestion bites and flows must spread.
        let mut load: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
        for ((a, b), v) in pairs.iter().zip(&volumes) {
            for arc in dijkstra(&g, &g.weight, *a, *b).unwrap_or_default() {
                *load.entry(arc).or_default() += v;
            }
        }
        let mut top: Vec<(u32, f64)> = load.into_iter().collect();
        top.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let elements: Vec<Capacitated> = top
            .iter()
            .take(6)
            .map(|(a, l)| Capacitated {
                arcs: vec![*a],
                capacity: l / 2.0,
                free_s: 2000.0,
            })
            .collect();
        (g, pairs, volumes, elements)
    }

    #[test]
    fn all_or_nothing_loads_equal_shortest_path_loads() {
        for seed in [1u64, 7, 42] {
            let (g, pairs, volumes, elements) = setup(seed);
            let mut sp = |w: &[u32]| -> Vec<Shortest> {
                pairs
                    .iter()
                    .map(|(s, t)| dijkstra(&g, w, *s, *t).map(|p| (p, 0)))
                    .collect()
            };
            let settings = Settings {
                method: Method::AllOrNothing,
                iterations: 10,
                gap: 0.0,
            };
            let r = assign(
                &g.weight,
                &elements,
                &volumes,
                settings,
                &mut sp,
                &mut |_, _| true,
            );
            for (i, e) in elements.iter().enumerate() {
                let expected: f64 = pairs
                    .iter()
                    .zip(&volumes)
                    .filter_map(|((s, t), v)| {
                        dijkstra(&g, &g.weight, *s, *t)
                            .map(|p| v * p.iter().filter(|a| e.arcs.contains(a)).count() as f64)
                    })
                    .sum();
                assert!(
                    (r.flows[i] - expected).abs() < 1e-9,
                    "seed {seed} element {i}"
                );
            }
            assert!(r.iterations.is_empty());
        }
    }

    #[test]
    fn equilibrium_satisfies_wardrop_within_the_reported_gap() {
        let mut iterated = 0;
        for seed in [3u64, 11, 99] {
            let (g, pairs, volumes, elements) = setup(seed);
            let mut sp = |w: &[u32]| -> Vec<Shortest> {
                pairs
                    .iter()
                    .map(|(s, t)| dijkstra(&g, w, *s, *t).map(|p| (p, 0)))
                    .collect()
            };
            for method in [Method::FrankWolfe, Method::SuccessiveAverages] {
                let settings = Settings {
                    method,
                    iterations: 400,
                    gap: 1e-3,
                };
                let r = assign(
                    &g.weight,
                    &elements,
                    &volumes,
                    settings,
                    &mut sp,
                    &mut |_, _| true,
                );
                // Recompute everything from the returned path flows.
                let flows = element_flows(
                    &elements,
                    &{
                        let mut m = std::collections::HashMap::new();
                        for (i, e) in elements.iter().enumerate() {
                            for a in &e.arcs {
                                m.entry(*a).or_insert_with(Vec::new).push(i);
                            }
                        }
                        m
                    },
                    &volumes,
                    &r.paths,
                );
                let w = congested(&g.weight, &elements, &flows);
                assert_eq!(w, r.weights, "seed {seed}");
                let (mut excess, mut total) = (0.0, 0.0);
                for ((s, t), (v, ps)) in pairs.iter().zip(volumes.iter().zip(&r.paths)) {
                    let best = dijkstra(&g, &w, *s, *t).unwrap();
                    let sp_cost = path_cost(&w, &best, 0);
                    let share: f64 = ps.iter().map(|p| p.share).sum();
                    assert!((share - 1.0).abs() < 1e-9);
                    for p in ps {
                        let c = path_cost(&w, &p.arcs, 0);
                        assert!(c + 1e-6 >= sp_cost, "no path beats the shortest");
                        excess += v * p.share * (c - sp_cost);
                        total += v * p.share * c;
                    }
                }
                // Wardrop: the volume-weighted excess of used paths over the
                // shortest is the reported gap, and the run converged.
                assert!(r.converged, "seed {seed} {method:?}: gap {}", r.gap);
                assert!(r.gap <= 1e-3);
                assert!((excess / total - r.gap).abs() < 1e-9, "seed {seed}");
                // Congestion was real: the free-flow assignment was not an
                // equilibrium (the first gap was above the target).
                if let Some(first) = r.iterations.first() {
                    assert!(first.gap > 1e-3);
                    iterated += 1;
                }
                // Flow spread over more than one path somewhere.
                assert!(r.paths.iter().any(|ps| ps.len() > 1) || r.iterations.is_empty());
            }
        }
        assert_eq!(
            iterated, 6,
            "every seeded case needs iterations to converge"
        );
    }

    #[test]
    fn delay_follows_bpr() {
        let e = Capacitated {
            arcs: vec![0],
            capacity: 100.0,
            free_s: 1000.0,
        };
        assert_eq!(e.delay_s(0.0), 0.0);
        assert!((e.delay_s(100.0) - 150.0).abs() < 1e-9);
        assert!((e.delay_s(200.0) - 2400.0).abs() < 1e-9);
    }
}

//! Partial re-customization against full customization: on random graphs
//! (fixed seeds), closing or slowing a few arcs with `Raise::apply` gives
//! exactly the arrays `customize` computes for the new weights (distances
//! and unpacking, ties included), queries on it match, and `Raise::undo`
//! restores the original metric.

use silkroute_hierarchy::{CLOSED, Hierarchy, Query, Raise};

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
}

/// CSR arcs (`first_out`, `head`), weights, latitudes, longitudes.
type Graph = (Vec<u32>, Vec<u32>, Vec<u32>, Vec<f64>, Vec<f64>);

/// A random geometric-ish graph with parallel arcs and asymmetric weights.
fn graph(rng: &mut Rng, n: usize, max_weight: u64) -> Graph {
    let lat: Vec<f64> = (0..n).map(|_| rng.below(10_000) as f64 / 1000.0).collect();
    let lon: Vec<f64> = (0..n).map(|_| rng.below(10_000) as f64 / 1000.0).collect();
    let mut edges = Vec::new();
    for v in 0..n as u32 {
        for _ in 0..2 {
            // Mostly near neighbours by index, some long ones.
            let u = if rng.below(5) == 0 {
                rng.below(n as u64) as u32
            } else {
                ((v as u64 + 1 + rng.below(6)) % n as u64) as u32
            };
            if u != v {
                edges.push((v, u));
                if rng.below(8) == 0 {
                    edges.push((v, u)); // parallel
                }
            }
        }
    }
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for (a, b) in &edges {
        adj[*a as usize].push((*b, 1 + rng.below(max_weight) as u32));
        adj[*b as usize].push((*a, 1 + rng.below(max_weight) as u32));
    }
    let mut first_out = vec![0u32];
    let (mut head, mut weight) = (Vec::new(), Vec::new());
    for list in &adj {
        for (h, w) in list {
            head.push(*h);
            weight.push(*w);
        }
        first_out.push(head.len() as u32);
    }
    (first_out, head, weight, lat, lon)
}

#[test]
fn raising_arcs_equals_customizing_from_scratch() {
    for seed in 0..40u64 {
        let mut rng = Rng(seed);
        let n = 50 + rng.below(400) as usize;
        // Odd seeds draw weights from 1–3, so ties between paths (and
        // between parallel arcs) are everywhere.
        let max_weight = if seed % 2 == 1 { 3 } else { 1000 };
        let (first_out, head, weight, lat, lon) = graph(&mut rng, n, max_weight);
        let h = Hierarchy::build(&first_out, &head, &lat, &lon);
        let raise = Raise::new(h.view());
        let original = h.customize(&weight);
        let mut metric = original.clone();
        for round in 0..8 {
            let mut w = weight.clone();
            let k = 1 + rng.below(6) as usize;
            let changed: Vec<u32> = (0..k)
                .map(|_| rng.below(head.len() as u64) as u32)
                .collect();
            for a in &changed {
                w[*a as usize] = if rng.below(2) == 0 {
                    CLOSED
                } else {
                    w[*a as usize].saturating_add(1 + rng.below(max_weight * 5) as u32)
                };
            }
            let undo = raise.apply(&mut metric, &w, &changed);
            let fresh = h.customize(&w);
            assert_eq!(metric, fresh, "seed {seed} round {round}: arrays differ");
            let mut q = Query::new(&h, &metric);
            let mut f = Query::new(&h, &fresh);
            for _ in 0..20 {
                let s = [(rng.below(n as u64) as u32, 0)];
                let t = [(rng.below(n as u64) as u32, 0)];
                let a = q.shortest(&s, &t).map(|r| (r.distance, r.arcs));
                let b = f.shortest(&s, &t).map(|r| (r.distance, r.arcs));
                assert_eq!(a, b, "seed {seed} round {round}");
            }
            raise.undo(&mut metric, undo);
            assert_eq!(metric, original, "seed {seed} round {round}: undo");
        }
    }
}

//! Nearest-node search: a static, implicit kd-tree over the nodes' unit
//! vectors on the sphere.
//!
//! Points are stored in tree order (the median of each range at its middle,
//! split axes cycling x, y, z), so the tree is two flat arrays that live in
//! the network file and need no building at load time. Chord distance in 3-D
//! is monotonic in great-circle distance, so the antimeridian and the poles
//! need no special case. Queries take a filter, so "nearest rail node" and
//! "nearest node of a large component" use the same tree. Small ranges are
//! scanned rather than split, a range's splitting point is weighed only
//! after its near side (so the k best fill with close points first), and
//! ties in distance go to the lower node id, so the answer never depends on
//! the order the tree is visited in.

use silkroute_model::{LatLon, NodeId};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Sorts `points` (unit vector, node) into kd-tree order in place.
pub fn build_order(points: &mut [([f32; 3], u32)]) {
    fn rec(points: &mut [([f32; 3], u32)], depth: usize) {
        if points.len() <= 1 {
            return;
        }
        let axis = depth % 3;
        let mid = points.len() / 2;
        points.select_nth_unstable_by(mid, |a, b| {
            a.0[axis].partial_cmp(&b.0[axis]).unwrap_or(Ordering::Equal)
        });
        let (left, right) = points.split_at_mut(mid);
        rec(left, depth + 1);
        rec(&mut right[1..], depth + 1);
    }
    rec(points, 0);
}

/// A kd-tree's two arrays (ids in tree order, their unit vectors) over
/// `(position, id)` points: what [`KdTree`] borrows.
pub fn build_tree(points: impl Iterator<Item = (LatLon, u32)>) -> (Vec<u32>, Vec<f32>) {
    build_tree_of_vectors(points.map(|(p, id)| (unit_f32(p), id)))
}

/// [`build_tree`] over unit vectors already computed (e.g. taken from
/// another tree, so both give bit-identical distances).
pub fn build_tree_of_vectors(
    points: impl Iterator<Item = ([f32; 3], u32)>,
) -> (Vec<u32>, Vec<f32>) {
    let mut pts: Vec<([f32; 3], u32)> = points.collect();
    build_order(&mut pts);
    (
        pts.iter().map(|p| p.1).collect(),
        pts.iter().flat_map(|p| p.0).collect(),
    )
}

pub fn unit_f32(p: LatLon) -> [f32; 3] {
    let v = p.unit_vector();
    [v[0] as f32, v[1] as f32, v[2] as f32]
}

/// A borrowed view of the tree arrays.
#[derive(Clone, Copy)]
pub struct KdTree<'a> {
    pub order: &'a [u32],
    pub xyz: &'a [f32],
}

#[derive(PartialEq)]
struct Candidate(f64, u32);

impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// Ranges of at most this many points are scanned rather than split.
const LEAF: usize = 16;

impl KdTree<'_> {
    /// The `k` nodes nearest to `p` that pass `keep`, nearest first, with
    /// their squared chord distance on the unit sphere.
    pub fn nearest(
        &self,
        p: LatLon,
        k: usize,
        keep: &mut dyn FnMut(NodeId) -> bool,
    ) -> Vec<(f64, NodeId)> {
        let q = p.unit_vector();
        let mut heap = BinaryHeap::with_capacity(k + 1);
        if k > 0 {
            self.search(0, self.order.len(), 0, &q, k, keep, &mut heap);
        }
        let mut out: Vec<(f64, NodeId)> = heap
            .into_iter()
            .map(|Candidate(d, n)| (d, NodeId(n)))
            .collect();
        out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        out
    }

    #[allow(clippy::too_many_arguments)]
    /// Searches the points `lo..hi` of the tree, whose splitting axis at
    /// this level is `depth % 3`.
    fn search(
        &self,
        lo: usize,
        hi: usize,
        depth: usize,
        q: &[f64; 3],
        k: usize,
        keep: &mut dyn FnMut(NodeId) -> bool,
        heap: &mut BinaryHeap<Candidate>,
    ) {
        if lo >= hi {
            return;
        }
        // Small ranges are scanned: cheaper than descending to each point.
        if hi - lo <= LEAF {
            for i in lo..hi {
                let p = &self.xyz[i * 3..i * 3 + 3];
                let d2: f64 = (0..3).map(|j| (q[j] - p[j] as f64).powi(2)).sum();
                let c = Candidate(d2, self.order[i]);
                if Self::better(heap, k, &c) && keep(NodeId(c.1)) {
                    Self::insert(heap, k, c);
                }
            }
            return;
        }
        let mid = lo + (hi - lo) / 2;
        let axis = depth % 3;
        let p = &self.xyz[mid * 3..mid * 3 + 3];
        let node = self.order[mid];
        let diff = q[axis] - p[axis] as f64;
        let (near, far) = if diff < 0.0 {
            ((lo, mid), (mid + 1, hi))
        } else {
            ((mid + 1, hi), (lo, mid))
        };
        self.search(near.0, near.1, depth + 1, q, k, keep, heap);
        // The splitting point only after the near side: on the way down the
        // splits are far from the query, and taking them first would fill
        // the k best with points soon replaced (measured: a fifth of the
        // time went to replacing them).
        let d2: f64 = (0..3).map(|i| (q[i] - p[i] as f64).powi(2)).sum();
        let c = Candidate(d2, node);
        if Self::better(heap, k, &c) && keep(NodeId(node)) {
            Self::insert(heap, k, c);
        }
        let worst = if heap.len() >= k {
            heap.peek().map_or(f64::INFINITY, |c| c.0)
        } else {
            f64::INFINITY
        };
        // `<=`: a point exactly as far as the worst kept one may still
        // win on node id, so the result never depends on visiting order.
        if diff * diff <= worst {
            self.search(far.0, far.1, depth + 1, q, k, keep, heap);
        }
    }

    /// Whether `c` belongs among the `k` best (by distance, then node id).
    fn better(heap: &BinaryHeap<Candidate>, k: usize, c: &Candidate) -> bool {
        heap.len() < k || heap.peek().is_some_and(|w| c < w)
    }

    /// Keeps `c` among the `k` best: once `k` are kept it takes the worst
    /// one's place (one sift down, not a push and a pop).
    fn insert(heap: &mut BinaryHeap<Candidate>, k: usize, c: Candidate) {
        if heap.len() < k {
            heap.push(c);
        } else if let Some(mut worst) = heap.peek_mut() {
            *worst = c;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force agrees with the tree on a grid of points that includes the
    /// antimeridian and the poles.
    #[test]
    fn nearest_matches_brute_force() {
        let mut pts = Vec::new();
        let mut seed = 12345u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let coords: Vec<LatLon> = (0..2000)
            .map(|_| LatLon::new(rnd() * 180.0 - 90.0, rnd() * 360.0 - 180.0))
            .collect();
        for (i, c) in coords.iter().enumerate() {
            pts.push((unit_f32(*c), i as u32));
        }
        build_order(&mut pts);
        let order: Vec<u32> = pts.iter().map(|p| p.1).collect();
        let xyz: Vec<f32> = pts.iter().flat_map(|p| p.0).collect();
        let tree = KdTree {
            order: &order,
            xyz: &xyz,
        };
        for q in [
            LatLon::new(0.0, 179.99),
            LatLon::new(0.0, -179.99),
            LatLon::new(89.9, 10.0),
            LatLon::new(-89.9, -100.0),
            LatLon::new(31.2, 121.5),
        ] {
            let got = tree.nearest(q, 5, &mut |n| n.0 % 2 == 0);
            let mut want: Vec<(f64, u32)> = coords
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(i, c)| (silkroute_model::haversine_m(q, *c), i as u32))
                .collect();
            want.sort_by(|a, b| a.0.total_cmp(&b.0));
            let got_ids: Vec<u32> = got.iter().map(|g| g.1.0).collect();
            let want_ids: Vec<u32> = want.iter().take(5).map(|w| w.1).collect();
            assert_eq!(got_ids, want_ids, "query {q:?}");
        }
    }
}

//! Point-to-point queries: elimination-tree search and path unpacking.
//!
//! Every shortest path in the hierarchy goes up from the source to a top node
//! and then down to the target, and the nodes an upward search can reach from
//! `s` are exactly the ancestors of `s` in the elimination tree. So a query
//! needs no priority queue: it walks the ancestors of all sources and of all
//! targets in rank order, relaxing upward arcs, and the best meeting node is
//! where forward plus backward distance is least. A node whose distance is
//! already no better than the best meeting found relaxes nothing.
//!
//! Buffers are sized to the node count once, in [`Query::new`]; a query
//! touches and then resets only the ancestors it walked.

use crate::{HierarchyView, INF, MetricView, NONE, VIA_ARC};

/// A shortest path found by [`Query::shortest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathResult {
    /// Total distance, both offsets included.
    pub distance: u64,
    /// Index of the chosen source in the `sources` given.
    pub source_index: usize,
    /// Index of the chosen target in the `targets` given.
    pub target_index: usize,
    /// Input arc ids, in order from the source node to the target node
    /// (empty when they are the same node).
    pub arcs: Vec<u32>,
}

/// One side of a search: distances and predecessors over ranks, and the
/// ancestors it covers, ascending.
pub(crate) struct Upward {
    pub(crate) dist: Vec<u64>,
    pred: Vec<u32>,
    in_set: Vec<bool>,
    pub(crate) nodes: Vec<u32>,
}

impl Upward {
    /// `with_pred`: keep predecessors, for paths.
    pub(crate) fn new(n: usize, with_pred: bool) -> Upward {
        Upward {
            dist: vec![INF; n],
            pred: if with_pred { vec![NONE; n] } else { Vec::new() },
            in_set: vec![false; n],
            nodes: Vec::new(),
        }
    }

    /// Sets the start distances (input node ids) and collects the ancestors.
    pub(crate) fn seed(&mut self, h: &HierarchyView<'_>, starts: &[(u32, u64)]) {
        let mut sorted = true;
        for &(node, offset) in starts {
            let mut x = h.rank[node as usize];
            if offset < self.dist[x as usize] {
                self.dist[x as usize] = offset;
                if !self.pred.is_empty() {
                    self.pred[x as usize] = NONE;
                }
            }
            sorted &= self.nodes.last().is_none_or(|&last| last < x);
            while x != NONE && !self.in_set[x as usize] {
                self.in_set[x as usize] = true;
                self.nodes.push(x);
                x = h.parent(x);
            }
        }
        if !sorted {
            self.nodes.sort_unstable();
        }
    }

    /// Relaxes the upward arcs of `x` with `weight` (`up` for a forward
    /// search, `down` for a backward one).
    #[inline]
    pub(crate) fn relax(&mut self, h: &HierarchyView<'_>, weight: &[u64], x: u32) {
        let d = self.dist[x as usize];
        let r = h.up_range(x);
        for (&y, &w) in h.up_head[r.clone()].iter().zip(&weight[r]) {
            let nd = d.saturating_add(w);
            if nd < self.dist[y as usize] {
                self.dist[y as usize] = nd;
                if !self.pred.is_empty() {
                    self.pred[y as usize] = x;
                }
            }
        }
    }

    /// Runs the whole search with no pruning.
    pub(crate) fn run(&mut self, h: &HierarchyView<'_>, weight: &[u64]) {
        for i in 0..self.nodes.len() {
            let x = self.nodes[i];
            if self.dist[x as usize] != INF {
                self.relax(h, weight, x);
            }
        }
    }

    pub(crate) fn reset(&mut self) {
        for &x in &self.nodes {
            self.dist[x as usize] = INF;
            self.in_set[x as usize] = false;
        }
        self.nodes.clear();
    }
}

/// A query's buffers without the hierarchy and metric they were used with,
/// so a long-lived caller can keep them across metrics (objectives,
/// scenarios) and never reallocate: [`Query::with_buffers`] and
/// [`Query::into_buffers`].
pub struct QueryBuffers {
    forward: Upward,
    backward: Upward,
    stack: Vec<(u64, bool)>,
}

impl QueryBuffers {
    /// Buffers for a hierarchy of `node_count` nodes.
    pub fn new(node_count: usize) -> Self {
        QueryBuffers {
            forward: Upward::new(node_count, true),
            backward: Upward::new(node_count, true),
            stack: Vec::new(),
        }
    }

    pub fn node_count(&self) -> usize {
        self.forward.dist.len()
    }
}

/// Reusable state for point-to-point queries on one hierarchy and metric.
pub struct Query<'a> {
    h: HierarchyView<'a>,
    m: MetricView<'a>,
    forward: Upward,
    backward: Upward,
    stack: Vec<(u64, bool)>,
}

impl<'a> Query<'a> {
    /// Allocates buffers for `h`'s node count; `m` must come from `h`.
    ///
    /// # Panics
    /// If `m` was not customized on a hierarchy of `h`'s shape.
    pub fn new(h: impl Into<HierarchyView<'a>>, m: impl Into<MetricView<'a>>) -> Self {
        let (h, m) = (h.into(), m.into());
        assert_eq!(h.arc_count(), m.up.len(), "metric of another hierarchy");
        let n = h.node_count();
        Query {
            h,
            m,
            forward: Upward::new(n, true),
            backward: Upward::new(n, true),
            stack: Vec::new(),
        }
    }

    /// A query on `h` and `m` that uses (clean) buffers from an earlier one.
    ///
    /// # Panics
    /// If the buffers or the metric do not fit `h`.
    pub fn with_buffers(
        h: impl Into<HierarchyView<'a>>,
        m: impl Into<MetricView<'a>>,
        buffers: QueryBuffers,
    ) -> Self {
        let (h, m) = (h.into(), m.into());
        assert_eq!(h.arc_count(), m.up.len(), "metric of another hierarchy");
        assert_eq!(
            buffers.node_count(),
            h.node_count(),
            "buffers of another hierarchy"
        );
        Query {
            h,
            m,
            forward: buffers.forward,
            backward: buffers.backward,
            stack: buffers.stack,
        }
    }

    /// Gives the buffers back (they are clean after every query).
    pub fn into_buffers(self) -> QueryBuffers {
        QueryBuffers {
            forward: self.forward,
            backward: self.backward,
            stack: self.stack,
        }
    }

    /// Shortest path from any source to any target, each `(node, offset)`
    /// with the offset added to the distance. `None` if no target is
    /// reachable. Ties go to the lowest meeting rank, then the first source
    /// and target given.
    ///
    /// # Panics
    /// If a node id is out of range.
    pub fn shortest(
        &mut self,
        sources: &[(u32, u64)],
        targets: &[(u32, u64)],
    ) -> Option<PathResult> {
        let (best, meet) = self.search(sources, targets);
        let result = (best != INF).then(|| self.path(sources, targets, best, meet));
        self.forward.reset();
        self.backward.reset();
        result
    }

    /// Only the distance of [`Query::shortest`], without the path.
    pub fn distance(&mut self, sources: &[(u32, u64)], targets: &[(u32, u64)]) -> Option<u64> {
        let (best, _) = self.search(sources, targets);
        self.forward.reset();
        self.backward.reset();
        (best != INF).then_some(best)
    }

    /// Both upward searches, interleaved in rank order; returns the best
    /// distance and its meeting node. Leaves the state for `path`.
    fn search(&mut self, sources: &[(u32, u64)], targets: &[(u32, u64)]) -> (u64, u32) {
        let h = self.h;
        self.forward.seed(&h, sources);
        self.backward.seed(&h, targets);

        let (f, b) = (&mut self.forward, &mut self.backward);
        let (mut i, mut j) = (0, 0);
        let (mut best, mut meet) = (INF, NONE);
        while i < f.nodes.len() || j < b.nodes.len() {
            let fx = f.nodes.get(i).copied().unwrap_or(NONE);
            let bx = b.nodes.get(j).copied().unwrap_or(NONE);
            let x = fx.min(bx);
            let (df, db) = (f.dist[x as usize], b.dist[x as usize]);
            if fx == x && bx == x && df.saturating_add(db) < best {
                best = df.saturating_add(db);
                meet = x;
            }
            if fx == x {
                if df < best {
                    f.relax(&h, self.m.up, x);
                }
                i += 1;
            }
            if bx == x {
                if db < best {
                    b.relax(&h, self.m.down, x);
                }
                j += 1;
            }
        }

        (best, meet)
    }

    fn path(
        &mut self,
        sources: &[(u32, u64)],
        targets: &[(u32, u64)],
        best: u64,
        meet: u32,
    ) -> PathResult {
        let h = self.h;
        // Hierarchy arcs (id, upward?) from source to target.
        let mut legs: Vec<(u32, bool)> = Vec::new();
        let mut x = meet;
        while self.forward.pred[x as usize] != NONE {
            let p = self.forward.pred[x as usize];
            legs.push((h.arc(p, x) as u32, true));
            x = p;
        }
        let source = x;
        legs.reverse();
        let mut x = meet;
        while self.backward.pred[x as usize] != NONE {
            let p = self.backward.pred[x as usize];
            legs.push((h.arc(p, x) as u32, false));
            x = p;
        }
        let target = x;

        let chosen = |ends: &[(u32, u64)], rank: u32, dist: u64| {
            ends.iter()
                .position(|&(v, off)| h.rank[v as usize] == rank && off == dist)
                .expect("the path starts at a given end")
        };
        let source_index = chosen(sources, source, self.forward.dist[source as usize]);
        let target_index = chosen(targets, target, self.backward.dist[target as usize]);

        let mut arcs = Vec::new();
        for &leg in &legs {
            self.unpack(leg, &mut arcs);
        }
        PathResult {
            distance: best,
            source_index,
            target_index,
            arcs,
        }
    }

    /// Appends the input arcs of hierarchy arc `x → y` (`up`) or `y → x`,
    /// in travel order.
    fn unpack(&mut self, (arc, up): (u32, bool), out: &mut Vec<u32>) {
        let m = self.m;
        let via = |arc: u64, up: bool| {
            let v = if up {
                m.up_via[arc as usize]
            } else {
                m.down_via[arc as usize]
            };
            (v, up)
        };
        // The stack holds `via` entries, read as soon as their arc is known:
        // the two halves of a shortcut are then fetched from memory together
        // rather than one after the other.
        self.stack.clear();
        self.stack.push(via(u64::from(arc), up));
        while let Some((v, up)) = self.stack.pop() {
            if v & VIA_ARC != 0 {
                out.push(v as u32);
            } else {
                // Halves b = x → y and c = x → z of arc y → z: going up
                // (y → z) is b down then c up; going down, c down then b up.
                let (b, c) = (v >> 32, v & 0xffff_ffff);
                let (first, second) = if up {
                    (via(b, false), via(c, true))
                } else {
                    (via(c, false), via(b, true))
                };
                self.stack.push(second);
                self.stack.push(first);
            }
        }
    }
}

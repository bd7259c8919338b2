//! One-to-all distances (PHAST): from a set of sources to every node, or
//! from every node to a set of targets, exact.
//!
//! A shortest path in the hierarchy goes up and then down. So an upward
//! search from the sources (the elimination-tree walk of `query.rs`) gives
//! every ancestor its exact distance over upward paths, and one sweep over
//! all nodes from the top rank down finishes the job: a node's distance is
//! the least of its own and, over each of its upward arcs `x → y`, the
//! distance of `y` (already final, since `y` ranks higher) plus the arc's
//! weight downward. The sweep reads the arcs in storage order and pulls from
//! higher nodes only, with no queue and no branch on the data.
//!
//! The two directions differ only in which weights each phase uses: *from*
//! the sources, the search goes up by `up` and the sweep comes down by
//! `down`; *to* the targets, the search goes up (backwards) by `down` and the
//! sweep by `up`.
//!
//! When only some nodes' distances are wanted, the sweep can visit just
//! those and their ancestors in the elimination tree (a [`Selection`]; RPHAST,
//! Delling, Goldberg and Werneck 2011): every upward arc of a node leads to
//! an ancestor, so the nodes it pulls from are in the selection too.

use crate::query::Frontier;
use crate::{HierarchyView, INF, MetricView};

/// Exact distance from the nearest source to every node: element `v` is the
/// least `offset + d(s → v)` over the `(s, offset)` in `sources`, where
/// `d(s → v)` sums the weights (given to `customize`) of the input arcs of a
/// path that leaves `s` and arrives at `v`, travelling every arc from its
/// tail to its head. `u64::MAX` where no source reaches the node; a source's
/// own entry is at most its offset. One element per input node, indexed by
/// input node id.
///
/// Costs one pass over the hierarchy (a few milliseconds on the world
/// railways); to do it often, keep a [`Sweep`] and use
/// [`Sweep::from_sources`], which reuses its buffers.
///
/// # Panics
/// If `m` was not customized on `h`, or a node id is out of range.
pub fn distances_to_all<'a>(
    h: impl Into<HierarchyView<'a>>,
    m: impl Into<MetricView<'a>>,
    sources: &[(u32, u64)],
) -> Vec<u64> {
    let mut out = Vec::new();
    Sweep::new().from_sources(h, m, sources, &mut out);
    out
}

/// Exact distance from every node to the nearest target, the reverse of
/// [`distances_to_all`]: element `v` is the least `d(v → t) + offset` over
/// the `(t, offset)` in `targets`, along input arcs travelled from tail to
/// head (so with asymmetric weights it differs from `distances_to_all`).
/// `u64::MAX` where the node reaches no target. One element per input node.
///
/// # Panics
/// If `m` was not customized on `h`, or a node id is out of range.
pub fn distances_from_all<'a>(
    h: impl Into<HierarchyView<'a>>,
    m: impl Into<MetricView<'a>>,
    targets: &[(u32, u64)],
) -> Vec<u64> {
    let mut out = Vec::new();
    Sweep::new().to_targets(h, m, targets, &mut out);
    out
}

/// Nodes whose distances a restricted sweep computes, with all their
/// ancestors in the elimination tree, laid out for a sweep that reads its
/// arrays front to back: node `i` is the `i`-th selected in descending
/// rank, its upward arcs' heads are local indices (all smaller than `i`).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Input node of each local index.
    nodes: Vec<u32>,
    first: Vec<u32>,
    head: Vec<u32>,
    /// Hierarchy arc of each local arc (to gather a metric's weights).
    arc: Vec<u32>,
    /// Local index of each rank, `u32::MAX` if not selected.
    local_of_rank: Vec<u32>,
}

impl Selection {
    /// `nodes` (input node ids) and all their ancestors.
    pub fn new<'a>(h: impl Into<HierarchyView<'a>>, nodes: &[u32]) -> Selection {
        let h = h.into();
        let n = h.node_count();
        let mut marked = vec![false; n];
        for &v in nodes {
            let mut x = h.rank[v as usize];
            while x != crate::NONE && !marked[x as usize] {
                marked[x as usize] = true;
                x = h.parent(x);
            }
        }
        let mut node_of_rank = vec![0u32; n];
        for (v, &x) in h.rank.iter().enumerate() {
            node_of_rank[x as usize] = v as u32;
        }
        let mut s = Selection {
            local_of_rank: vec![u32::MAX; n],
            ..Selection::default()
        };
        s.first.push(0);
        for x in (0..n).rev() {
            if !marked[x] {
                continue;
            }
            s.local_of_rank[x] = s.nodes.len() as u32;
            s.nodes.push(node_of_rank[x]);
            for a in h.up_range(x as u32) {
                s.head.push(s.local_of_rank[h.up_head[a] as usize]);
                s.arc.push(a as u32);
            }
            s.first.push(s.head.len() as u32);
        }
        s
    }

    /// Number of selected nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The weights a sweep to targets descends by (the metric's upward
    /// ones), in the selection's arc order: gather once per metric.
    pub fn sweep_weights<'a>(&self, m: impl Into<MetricView<'a>>) -> Vec<u64> {
        let m = m.into();
        self.arc.iter().map(|&a| m.up[a as usize]).collect()
    }
}

/// What a restricted sweep computes: the nodes of `selection` (with
/// `weights`, its [`Selection::sweep_weights`] of the metric) and `extra`
/// nodes, which may lie outside it.
#[derive(Clone, Copy, Debug)]
pub struct Within<'s> {
    pub selection: &'s Selection,
    pub weights: &'s [u64],
    pub extra: &'s [u32],
}

/// Reusable buffers for one-to-all distances on any hierarchy: a distance
/// per node in rank order (8 bytes per node), kept between calls.
#[derive(Default)]
pub struct Sweep {
    by_rank: Vec<u64>,
    /// Distances of a selection's nodes, by local index.
    local: Vec<u64>,
    /// Ranks the last upward search wrote to.
    touched: Vec<u32>,
    /// Per rank, all `false` between calls (marks while collecting).
    seen: Vec<bool>,
    frontier: Frontier,
}

impl Sweep {
    /// Empty buffers; the first call sizes them.
    pub fn new() -> Sweep {
        Sweep::default()
    }

    /// [`distances_to_all`] into `out`, which is cleared and refilled (one
    /// element per input node).
    ///
    /// # Panics
    /// If `m` was not customized on `h`, or a node id is out of range.
    pub fn from_sources<'a>(
        &mut self,
        h: impl Into<HierarchyView<'a>>,
        m: impl Into<MetricView<'a>>,
        sources: &[(u32, u64)],
        out: &mut Vec<u64>,
    ) {
        let (h, m) = (h.into(), m.into());
        assert_eq!(h.arc_count(), m.up.len(), "metric of another hierarchy");
        self.run(&h, m.up, m.down, sources, out);
    }

    /// [`distances_from_all`] into `out`, which is cleared and refilled (one
    /// element per input node).
    ///
    /// # Panics
    /// If `m` was not customized on `h`, or a node id is out of range.
    pub fn to_targets<'a>(
        &mut self,
        h: impl Into<HierarchyView<'a>>,
        m: impl Into<MetricView<'a>>,
        targets: &[(u32, u64)],
        out: &mut Vec<u64>,
    ) {
        let (h, m) = (h.into(), m.into());
        assert_eq!(h.arc_count(), m.up.len(), "metric of another hierarchy");
        self.run(&h, m.down, m.up, targets, out);
    }

    /// [`Sweep::to_targets`] for the nodes of `within` only: `out` gets one
    /// element per input node, exact for those and `u64::MAX` for the
    /// others.
    ///
    /// # Panics
    /// If `m` was not customized on `h`, `selection` was made on another
    /// hierarchy, or a node id is out of range.
    pub fn to_targets_within<'a>(
        &mut self,
        h: impl Into<HierarchyView<'a>>,
        m: impl Into<MetricView<'a>>,
        targets: &[(u32, u64)],
        within: Within<'_>,
        out: &mut Vec<u64>,
    ) {
        let (h, m) = (h.into(), m.into());
        let Within {
            selection,
            weights,
            extra,
        } = within;
        assert_eq!(h.arc_count(), m.up.len(), "metric of another hierarchy");
        assert_eq!(
            selection.local_of_rank.len(),
            h.node_count(),
            "selection of another hierarchy"
        );
        assert_eq!(
            weights.len(),
            selection.arc.len(),
            "weights of another selection"
        );
        self.climb(&h, m.down, targets);
        let by_rank = &self.by_rank;
        // The selected nodes, front to back: heads come before their tails.
        let local = &mut self.local;
        local.clear();
        local.resize(selection.nodes.len(), INF);
        for &x in &self.touched {
            if let Some(&l) = selection.local_of_rank.get(x as usize)
                && l != u32::MAX
            {
                local[l as usize] = by_rank[x as usize];
            }
        }
        for i in 0..selection.nodes.len() {
            let r = selection.first[i] as usize..selection.first[i + 1] as usize;
            let mut d = local[i];
            for (&y, &w) in selection.head[r.clone()].iter().zip(&weights[r]) {
                d = d.min(local[y as usize].saturating_add(w));
            }
            local[i] = d;
        }
        // Extra nodes outside the selection, and their ancestors outside it,
        // in descending rank: each pulls from final nodes only.
        let mut more: Vec<u32> = Vec::new();
        let seen = &mut self.seen;
        seen.resize(h.node_count(), false);
        for &v in extra {
            let mut x = h.rank[v as usize];
            while x != crate::NONE
                && selection.local_of_rank[x as usize] == u32::MAX
                && !seen[x as usize]
            {
                seen[x as usize] = true;
                more.push(x);
                x = h.parent(x);
            }
        }
        for &x in &more {
            seen[x as usize] = false;
        }
        more.sort_unstable_by(|a, b| b.cmp(a));
        // Swept ranks outside the selection, descending, with their distance.
        let mut found: Vec<(u32, u64)> = Vec::with_capacity(more.len());
        let value = |found: &[(u32, u64)], x: u32| match selection.local_of_rank[x as usize] {
            u32::MAX => {
                let i = found
                    .binary_search_by(|(r, _)| x.cmp(r))
                    .expect("ancestors and extra nodes are swept first");
                found[i].1
            }
            l => local[l as usize],
        };
        for &x in &more {
            let mut d = by_rank[x as usize];
            for a in h.up_range(x) {
                d = d.min(value(&found, h.up_head[a]).saturating_add(m.up[a]));
            }
            found.push((x, d));
        }
        out.clear();
        out.resize(h.node_count(), INF);
        for (&v, &d) in selection.nodes.iter().zip(local.iter()) {
            out[v as usize] = d;
        }
        for &v in extra {
            out[v as usize] = value(&found, h.rank[v as usize]);
        }
    }

    /// The upward search by `climb` from `starts`, into `by_rank`.
    fn climb(&mut self, h: &HierarchyView<'_>, climb: &[u64], starts: &[(u32, u64)]) {
        let n = h.node_count();
        let dist = &mut self.by_rank;
        dist.clear();
        dist.resize(n, INF);
        let touched = &mut self.touched;
        touched.clear();
        for &(node, offset) in starts {
            let x = h.rank[node as usize] as usize;
            dist[x] = dist[x].min(offset);
            touched.push(x as u32);
        }
        let frontier = &mut self.frontier;
        frontier.start(starts.iter().map(|&(node, _)| h.rank[node as usize]));
        loop {
            let x = frontier.peek();
            if x == crate::NONE {
                break;
            }
            frontier.advance(h, x);
            let d = dist[x as usize];
            if d == INF {
                continue;
            }
            let r = h.up_range(x);
            for (&y, &w) in h.up_head[r.clone()].iter().zip(&climb[r]) {
                let slot = &mut dist[y as usize];
                *slot = (*slot).min(d.saturating_add(w));
                touched.push(y);
            }
        }
    }

    /// The upward search by `climb`, then the downward sweep by `descend`.
    fn run(
        &mut self,
        h: &HierarchyView<'_>,
        climb: &[u64],
        descend: &[u64],
        starts: &[(u32, u64)],
        out: &mut Vec<u64>,
    ) {
        let n = h.node_count();
        self.climb(h, climb, starts);
        let dist = &mut self.by_rank;

        // Top down: every upward arc of `x` leads to a higher, final node.
        let first_out = h.up_first_out;
        for x in (0..n).rev() {
            let r = first_out[x] as usize..first_out[x + 1] as usize;
            let mut d = dist[x];
            for (&y, &w) in h.up_head[r.clone()].iter().zip(&descend[r]) {
                d = d.min(dist[y as usize].saturating_add(w));
            }
            dist[x] = d;
        }

        out.clear();
        out.extend(h.rank.iter().map(|&x| dist[x as usize]));
    }
}

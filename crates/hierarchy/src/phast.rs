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

/// Reusable buffers for one-to-all distances on any hierarchy: a distance
/// per node in rank order (8 bytes per node), kept between calls.
#[derive(Default)]
pub struct Sweep {
    by_rank: Vec<u64>,
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
        let dist = &mut self.by_rank;
        dist.clear();
        dist.resize(n, INF);

        for &(node, offset) in starts {
            let x = h.rank[node as usize] as usize;
            dist[x] = dist[x].min(offset);
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
            }
        }

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

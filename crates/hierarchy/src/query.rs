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
//! The path is then unpacked from the `via` entries of the metric, depth
//! first with an explicit stack, reading both halves of a shortcut at once.
//! Unpacking is most of the time of a long query (on the world railways, a
//! 3,200-arc path takes 2.6 µs to find and 8 µs to unpack), and its cost is
//! in the data-dependent branches of the walk more than in memory, so the
//! steps are few: a shortcut of two input arcs is stored as the pair of arcs
//! (`customization.rs`), and an input-arc half is emitted at once rather than
//! stacked.
//!
//! Buffers are sized to the node count once, in [`Query::new`]; a query
//! touches and then resets only the ancestors it walked, and the unpacking
//! stack is kept between queries, so a query allocates nothing but its
//! result ([`Query::shortest_into`] not even that).

use crate::{ARC_BITS, HierarchyView, INF, MetricView, NONE, VIA_ARC, VIA_PAIR};

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

/// The ancestors of a set of start nodes, walked in rank order as a search
/// goes: the lowest unvisited ancestor of each start (a handful, sorted
/// descending, without repeats), so the next node is the last one, and
/// visiting it puts its parent in its place. Walking up while relaxing,
/// rather than collecting every ancestor first, saves a pass of dependent
/// memory reads up the tree.
#[derive(Default)]
pub(crate) struct Frontier(Vec<u32>);

impl Frontier {
    /// Starts a walk from `ranks`, in any order.
    pub(crate) fn start(&mut self, ranks: impl IntoIterator<Item = u32>) {
        self.0.clear();
        self.0.extend(ranks);
        if self.0.len() > 1 {
            self.0.sort_unstable_by(|a, b| b.cmp(a));
            self.0.dedup();
        }
    }

    /// The next node to visit, `NONE` when done.
    #[inline]
    pub(crate) fn peek(&self) -> u32 {
        self.0.last().copied().unwrap_or(NONE)
    }

    /// Visits the next node, `x` (from [`Frontier::peek`]), replacing it by
    /// its parent.
    #[inline(always)]
    pub(crate) fn advance(&mut self, h: &HierarchyView<'_>, x: u32) {
        let p = h.parent(x);
        let f = &mut self.0;
        f.pop();
        if p != NONE {
            // Usually the frontier is just `x`, so `p` goes in its place.
            match f.last() {
                Some(&last) if last <= p => {
                    // Descending: insert unless another start's path got there.
                    let i = f.partition_point(|&y| y > p);
                    if f.get(i) != Some(&p) {
                        f.insert(i, p);
                    }
                }
                _ => f.push(p),
            }
        }
    }
}

/// One side of a search: distances and predecessors over ranks, and the
/// ancestors it has visited, ascending.
pub(crate) struct Upward {
    pub(crate) dist: Vec<u64>,
    /// Predecessor of each reached node (`NONE` at a start), when kept.
    pub(crate) pred: Vec<u32>,
    /// With [`Track::Links`], how each reached node was reached: the
    /// position of its predecessor in `nodes` (high 32 bits) and the
    /// hierarchy arc from there (low), `u64::MAX` at a start.
    pub(crate) link: Vec<u64>,
    /// What searches record besides distances.
    pub(crate) track: Track,
    frontier: Frontier,
    pub(crate) nodes: Vec<u32>,
}

/// What an [`Upward`] search records besides distances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Track {
    Nothing,
    /// `pred` (which must have one entry per node), for paths.
    Pred,
    /// `link` (which must have one entry per node), for sums along paths.
    Links,
}

/// A [`Upward::link`] of a start.
pub(crate) const NO_LINK: u64 = u64::MAX;

impl Upward {
    /// `with_pred`: keep predecessors, for paths.
    pub(crate) fn new(n: usize, with_pred: bool) -> Upward {
        Upward {
            dist: vec![INF; n],
            pred: if with_pred { vec![NONE; n] } else { Vec::new() },
            link: Vec::new(),
            track: if with_pred {
                Track::Pred
            } else {
                Track::Nothing
            },
            frontier: Frontier::default(),
            nodes: Vec::new(),
        }
    }

    /// A search that can keep links ([`Track::Links`]), for matrices.
    pub(crate) fn with_links(n: usize) -> Upward {
        Upward {
            link: vec![NO_LINK; n],
            track: Track::Links,
            ..Upward::new(n, false)
        }
    }

    /// Sets the start distances (input node ids); the search is then ready
    /// to visit their ancestors.
    pub(crate) fn seed(&mut self, h: &HierarchyView<'_>, starts: &[(u32, u64)]) {
        // Checked first, so a bad id leaves the buffers clean.
        assert!(
            starts.iter().all(|&(v, _)| (v as usize) < h.node_count()),
            "node id out of range"
        );
        for &(node, offset) in starts {
            let x = h.rank[node as usize];
            if offset < self.dist[x as usize] {
                self.dist[x as usize] = offset;
                match self.track {
                    Track::Nothing => {}
                    Track::Pred => self.pred[x as usize] = NONE,
                    Track::Links => self.link[x as usize] = NO_LINK,
                }
            }
        }
        self.frontier
            .start(starts.iter().map(|&(node, _)| h.rank[node as usize]));
    }

    /// The next node to visit, `NONE` when done.
    #[inline]
    pub(crate) fn peek(&self) -> u32 {
        self.frontier.peek()
    }

    /// Visits the next node, `x` (from [`Upward::peek`]).
    #[inline(always)]
    pub(crate) fn advance(&mut self, h: &HierarchyView<'_>, x: u32) {
        self.nodes.push(x);
        self.frontier.advance(h, x);
    }

    /// Relaxes the upward arcs of `x` with `weight` (`up` for a forward
    /// search, `down` for a backward one).
    #[inline(always)]
    pub(crate) fn relax(&mut self, h: &HierarchyView<'_>, weight: &[u64], x: u32) {
        let d = self.dist[x as usize];
        let r = h.up_range(x);
        let first = r.start as u64;
        let heads = &h.up_head[r.clone()];
        let weights = &weight[r];
        match self.track {
            Track::Nothing => {
                for (&y, &w) in heads.iter().zip(weights) {
                    let nd = d.saturating_add(w);
                    let old = &mut self.dist[y as usize];
                    *old = (*old).min(nd);
                }
            }
            Track::Pred => {
                for (&y, &w) in heads.iter().zip(weights) {
                    let nd = d.saturating_add(w);
                    if nd < self.dist[y as usize] {
                        self.dist[y as usize] = nd;
                        self.pred[y as usize] = x;
                    }
                }
            }
            Track::Links => {
                // `x` was the last node visited.
                let from = ((self.nodes.len() as u64 - 1) << 32) | first;
                for (j, (&y, &w)) in heads.iter().zip(weights).enumerate() {
                    let nd = d.saturating_add(w);
                    if nd < self.dist[y as usize] {
                        self.dist[y as usize] = nd;
                        self.link[y as usize] = from + j as u64;
                    }
                }
            }
        }
    }

    /// Runs the whole search with no pruning.
    pub(crate) fn run(&mut self, h: &HierarchyView<'_>, weight: &[u64]) {
        loop {
            let x = self.peek();
            if x == NONE {
                break;
            }
            self.advance(h, x);
            if self.dist[x as usize] != INF {
                self.relax(h, weight, x);
            }
        }
    }

    /// Clears what the search touched; the frontier is empty after a search.
    pub(crate) fn reset(&mut self) {
        for &x in &self.nodes {
            self.dist[x as usize] = INF;
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
    unpack: Unpack,
}

impl QueryBuffers {
    /// Buffers for a hierarchy of `node_count` nodes.
    pub fn new(node_count: usize) -> Self {
        QueryBuffers {
            forward: Upward::new(node_count, true),
            backward: Upward::new(node_count, true),
            unpack: Unpack::default(),
        }
    }

    /// Node count of the hierarchy these buffers fit.
    pub fn node_count(&self) -> usize {
        self.forward.dist.len()
    }
}

/// Scratch space of path unpacking, kept between queries.
#[derive(Default)]
struct Unpack {
    /// Pending `via` entries (see [`Unpack::entry`]), the next on top.
    stack: Vec<u64>,
    /// The path of [`Query::shortest`] before it is copied out.
    arcs: Vec<u32>,
}

/// Bit 31 of a shortcut's entry on the unpacking stack: it is an upward
/// arc's `via` (otherwise a downward arc's). Free in a `via`, whose halves
/// are arc ids below 2³¹.
const ENTRY_UP: u64 = 1 << 31;

impl Unpack {
    /// The stack entry of a `via` read from `up_via` (`up`) or `down_via`.
    #[inline]
    fn entry(via: u64, up: bool) -> u64 {
        // Input arcs need no direction; shortcuts carry it in bit 31.
        via | (((!via >> 63) & u64::from(up)) << 31)
    }

    /// Pops and unpacks every entry on the stack, appending the input arcs in
    /// travel order.
    ///
    /// A shortcut `y → z` through `x` is `y → x` (the arc `x → y` travelled
    /// down) and then `x → z` (up); `z → y` is `z → x` (down) then `x → y`
    /// (up). So the first half always comes from `down_via` and the second
    /// from `up_via`, and both are read at once. The walk goes down first
    /// halves in a register; a second half waits on the stack only while
    /// its first half is a shortcut, and input arcs (single or paired) are
    /// emitted as soon as their turn is certain.
    fn run(&mut self, m: &MetricView<'_>, arcs: &mut Vec<u32>) {
        let (up_via, down_via) = (m.up_via, m.down_via);
        let emit = |arcs: &mut Vec<u32>, e: u64| {
            if e & VIA_PAIR != 0 {
                arcs.push(((e >> 31) & ARC_BITS) as u32);
            }
            arcs.push((e & ARC_BITS) as u32);
        };
        'outer: while let Some(mut e) = self.stack.pop() {
            if e & VIA_ARC != 0 {
                emit(arcs, e);
                continue;
            }
            loop {
                // Halves `b` (high) and `c` (low) of a shortcut; see `entry`.
                let (b, c) = ((e >> 32) as usize, (e & ARC_BITS) as usize);
                let (first, second) = if e & ENTRY_UP != 0 { (b, c) } else { (c, b) };
                let f = down_via[first];
                let s = Unpack::entry(up_via[second], true);
                match (f & VIA_ARC != 0, s & VIA_ARC != 0) {
                    (true, true) => {
                        emit(arcs, f);
                        emit(arcs, s);
                        continue 'outer;
                    }
                    (true, false) => {
                        emit(arcs, f);
                        e = s;
                    }
                    _ => {
                        self.stack.push(s);
                        e = f;
                    }
                }
            }
        }
    }
}

/// Reusable state for point-to-point queries on one hierarchy and metric.
pub struct Query<'a> {
    h: HierarchyView<'a>,
    m: MetricView<'a>,
    forward: Upward,
    backward: Upward,
    unpack: Unpack,
}

impl<'a> Query<'a> {
    /// Allocates buffers for `h`'s node count; `m` must come from `h`.
    ///
    /// # Panics
    /// If `m` was not customized on a hierarchy of `h`'s shape.
    pub fn new(h: impl Into<HierarchyView<'a>>, m: impl Into<MetricView<'a>>) -> Self {
        let h = h.into();
        let n = h.node_count();
        Query::with_buffers(h, m, QueryBuffers::new(n))
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
            unpack: buffers.unpack,
        }
    }

    /// Gives the buffers back (they are clean after every query).
    pub fn into_buffers(self) -> QueryBuffers {
        QueryBuffers {
            forward: self.forward,
            backward: self.backward,
            unpack: self.unpack,
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
        let mut arcs = std::mem::take(&mut self.unpack.arcs);
        let found = self.shortest_into(sources, targets, &mut arcs);
        // One allocation of the exact size, rather than a growing vector.
        let result = found.map(|(distance, source_index, target_index)| PathResult {
            distance,
            source_index,
            target_index,
            arcs: arcs.as_slice().to_vec(),
        });
        self.unpack.arcs = arcs;
        result
    }

    /// [`Query::shortest`] without allocating: clears `arcs` and fills it
    /// with the path's input arc ids, in order from the chosen source to the
    /// chosen target. Returns `(distance, source_index, target_index)` as in
    /// [`PathResult`], or `None` (with `arcs` left empty) if no target is
    /// reachable.
    ///
    /// # Panics
    /// If a node id is out of range.
    pub fn shortest_into(
        &mut self,
        sources: &[(u32, u64)],
        targets: &[(u32, u64)],
        arcs: &mut Vec<u32>,
    ) -> Option<(u64, usize, usize)> {
        arcs.clear();
        let (best, meet) = self.search(sources, targets);
        let result = (best != INF).then(|| {
            let (source_index, target_index) = self.path(sources, targets, meet, arcs);
            (best, source_index, target_index)
        });
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
        let n = h.node_count();
        // Checked before either side is seeded, so a panic leaves clean buffers.
        assert!(
            sources
                .iter()
                .chain(targets)
                .all(|&(v, _)| (v as usize) < n),
            "node id out of range"
        );
        self.forward.seed(&h, sources);
        self.backward.seed(&h, targets);

        let (f, b) = (&mut self.forward, &mut self.backward);
        let (mut best, mut meet) = (INF, NONE);
        loop {
            let (fx, bx) = (f.peek(), b.peek());
            let x = fx.min(bx);
            if x == NONE {
                break;
            }
            let (df, db) = (f.dist[x as usize], b.dist[x as usize]);
            if fx == x && bx == x && df.saturating_add(db) < best {
                best = df.saturating_add(db);
                meet = x;
            }
            if fx == x {
                f.advance(&h, x);
                if df < best {
                    f.relax(&h, self.m.up, x);
                }
            }
            if bx == x {
                b.advance(&h, x);
                if db < best {
                    b.relax(&h, self.m.down, x);
                }
            }
        }

        (best, meet)
    }

    /// Appends the path through `meet` to `arcs`; returns the indices of the
    /// source and target it starts and ends at.
    fn path(
        &mut self,
        sources: &[(u32, u64)],
        targets: &[(u32, u64)],
        meet: u32,
        arcs: &mut Vec<u32>,
    ) -> (usize, usize) {
        let (h, m) = (self.h, self.m);
        let stack = &mut self.unpack.stack;
        stack.clear();
        // The hierarchy arcs go on the stack last first: from the target up
        // to `meet` (reversed after), then from `meet` down to the source.
        let mut x = meet;
        while self.backward.pred[x as usize] != NONE {
            let p = self.backward.pred[x as usize];
            stack.push(Unpack::entry(m.down_via[h.arc(p, x)], false));
            x = p;
        }
        let target = x;
        stack.reverse();
        let mut x = meet;
        while self.forward.pred[x as usize] != NONE {
            let p = self.forward.pred[x as usize];
            stack.push(Unpack::entry(m.up_via[h.arc(p, x)], true));
            x = p;
        }
        let source = x;

        let chosen = |ends: &[(u32, u64)], rank: u32, dist: u64| {
            ends.iter()
                .position(|&(v, off)| h.rank[v as usize] == rank && off == dist)
                .expect("the path starts at a given end")
        };
        let source_index = chosen(sources, source, self.forward.dist[source as usize]);
        let target_index = chosen(targets, target, self.backward.dist[target as usize]);

        self.unpack.run(&m, arcs);
        (source_index, target_index)
    }
}

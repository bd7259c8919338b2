//! Customizable contraction hierarchy (CCH): exact shortest paths and
//! distance matrices, fast, on a fixed topology whose weights change.
//!
//! Three stages:
//! 1. [`Hierarchy::build`] (`order.rs`, `dissection.rs`, `contraction.rs`)
//!    depends on the topology only: a nested-dissection contraction order and
//!    the shortcut structure it implies. Done once per network and persisted
//!    with it (0.5 s for the world railways, 5.3 s for the 850 k-node
//!    multimodal network, on 2 cores).
//! 2. [`Hierarchy::customize`] (`customization.rs`) takes one weight per input
//!    arc and computes every shortcut's weight in both directions. Re-run per
//!    objective and per disruption scenario ([`CLOSED`] closes an arc): 25 ms
//!    for the railways, 0.3 s for the multimodal network, on one core.
//! 3. [`Query::shortest`] (`query.rs`) and [`matrix`] (`matrix.rs`) answer
//!    questions by upward searches in the elimination tree, with no priority
//!    queue, and unpack shortcuts back into input arcs (railways: 7–35 µs
//!    for a transcontinental path of 1–5 k arcs, 0.8 ms for 100 × 100).
//!
//! Memory: a hierarchy takes 8 bytes per node, 4 per input arc and 4 per
//! hierarchy arc (31 MB for the multimodal network); a metric 32 bytes per
//! hierarchy arc (116 MB there); a [`Query`] 26 bytes per node (22 MB), so
//! keep one per thread and reuse it.
//!
//! The input graph is undirected in topology (every edge given as two arcs),
//! but weights are per arc, so the two directions of an edge may differ.
//! Distances are exact `u64` sums of the `u32` weights. Everything is plain
//! data: no IO, no modes, no files. The arrays are `u32`/`u64` slices, so the
//! caller can store them as sections of a memory-mapped file and query
//! through the zero-copy [`HierarchyView`] and [`MetricView`].
//!
//! Threads: `build` and [`matrix`] use rayon's current pool (run them inside
//! `ThreadPool::install` to bound them); customization and [`Query`] run on
//! the calling thread.
//!
//! ```
//! use silkroute_hierarchy::{Hierarchy, Query, matrix};
//!
//! // 0 – 1 = 2: each edge as two arcs, and a second, cheaper 1 – 2 edge.
//! let first_out = [0, 1, 4, 6];
//! let head = [1, 0, 2, 2, 1, 1];
//! let (lat, lon) = ([0.0, 0.0, 0.0], [0.0, 0.1, 0.2]);
//! let h = Hierarchy::build(&first_out, &head, &lat, &lon);
//! let m = h.customize(&[5, 5, 9, 7, 9, 7]);
//!
//! let mut q = Query::new(&h, &m);
//! // From node 0 (joined at cost 1) to node 2 or node 1 (joined at cost 20).
//! let r = q.shortest(&[(0, 1)], &[(2, 0), (1, 20)]).unwrap();
//! assert_eq!((r.distance, r.target_index, r.arcs), (13, 0, vec![0, 3]));
//!
//! let d = matrix(&h, &m, &[vec![(0, 0)]], &[vec![(1, 0)], vec![(2, 0)]]);
//! assert_eq!(d, vec![Some(5), Some(12)]);
//! ```

mod contraction;
mod customization;
mod dissection;
mod matrix;
mod order;
mod query;
mod view;

pub use matrix::matrix;
pub use query::{PathResult, Query, QueryBuffers};
pub use view::{HIERARCHY_SECTIONS, HierarchyView, InvalidArrays, METRIC_SECTIONS, MetricView};

/// Input arc weight that marks the arc as closed.
pub const CLOSED: u32 = u32::MAX;

/// Distance of an unreachable node in the metric and in searches.
pub(crate) const INF: u64 = u64::MAX;

/// Absent id.
pub(crate) const NONE: u32 = u32::MAX;

/// Version of the meaning and layout of the persisted arrays; a file that
/// stores them must be rebuilt when this changes.
pub const FORMAT_VERSION: u32 = 1;

/// The metric-independent part: contraction order and shortcut structure.
///
/// Hierarchy nodes are numbered by contraction rank. All arrays are `u32`;
/// [`HierarchyView::sections`] lists them for persistence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hierarchy {
    /// Input node → rank.
    pub(crate) rank: Vec<u32>,
    /// CSR over ranks into `up_head`.
    pub(crate) up_first_out: Vec<u32>,
    /// Upward arcs: the higher neighbours of each node, ascending. The first
    /// one is the node's parent in the elimination tree.
    pub(crate) up_head: Vec<u32>,
    /// For each input arc: upward arc id × 2 (+1 when the input arc runs from
    /// the higher node to the lower), or `NONE` for a self-loop.
    pub(crate) arc_slot: Vec<u32>,
}

/// The weights of one customization: per upward arc, the shortest distance
/// in each direction and how to unpack it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metric {
    /// Distance from tail up to head (`INF` if none).
    pub(crate) up: Vec<u64>,
    /// Distance from head down to tail.
    pub(crate) down: Vec<u64>,
    /// How `up` is realised: an input arc id with [`VIA_ARC`] set, or the
    /// two halves of a lower triangle `y – x – z` as the upward arc ids
    /// `x → y` (high 32 bits) and `x → z` (low), or `VIA_NONE`.
    pub(crate) up_via: Vec<u64>,
    /// The same for `down`.
    pub(crate) down_via: Vec<u64>,
}

/// Flag on a `via` entry that holds an input arc id rather than two halves.
pub(crate) const VIA_ARC: u64 = 1 << 63;

/// `via` of an unreachable arc.
pub(crate) const VIA_NONE: u64 = u64::MAX;

impl Hierarchy {
    /// Zero-copy view, which the queries run on.
    pub fn view(&self) -> HierarchyView<'_> {
        HierarchyView {
            rank: &self.rank,
            up_first_out: &self.up_first_out,
            up_head: &self.up_head,
            arc_slot: &self.arc_slot,
        }
    }

    /// Weights per input arc ([`CLOSED`] closes it) → shortcut weights.
    pub fn customize(&self, weight: &[u32]) -> Metric {
        self.view().customize(weight)
    }

    /// As [`Hierarchy::customize`], reusing `metric`'s buffers.
    pub fn customize_into(&self, weight: &[u32], metric: &mut Metric) {
        self.view().customize_into(weight, metric);
    }

    /// Number of input nodes.
    pub fn node_count(&self) -> usize {
        self.rank.len()
    }

    /// Number of input arcs the weights are given for.
    pub fn input_arc_count(&self) -> usize {
        self.arc_slot.len()
    }

    /// Number of upward arcs (input edges and shortcuts) in the hierarchy.
    pub fn arc_count(&self) -> usize {
        self.up_head.len()
    }

    /// Height of the elimination tree (nodes on its longest root path): the
    /// most nodes one upward search can visit.
    pub fn height(&self) -> usize {
        self.view().height()
    }

    /// Heap bytes held.
    pub fn memory_bytes(&self) -> usize {
        self.view()
            .sections()
            .iter()
            .map(|(_, s)| s.len() * 4)
            .sum()
    }
}

impl Metric {
    /// Zero-copy view, which the queries run on.
    pub fn view(&self) -> MetricView<'_> {
        MetricView {
            up: &self.up,
            down: &self.down,
            up_via: &self.up_via,
            down_via: &self.down_via,
        }
    }

    /// Heap bytes held.
    pub fn memory_bytes(&self) -> usize {
        self.up.len() * 32
    }
}

impl<'a> From<&'a Hierarchy> for HierarchyView<'a> {
    fn from(h: &'a Hierarchy) -> Self {
        h.view()
    }
}

impl<'a> From<&'a Metric> for MetricView<'a> {
    fn from(m: &'a Metric) -> Self {
        m.view()
    }
}

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
//!    queue, and unpack shortcuts back into input arcs (railways: 3.5–16 µs
//!    for a transcontinental path of 1–5 k arcs, of which the search is
//!    1–2.6 µs; under 1 ms for 100 × 100 on the railways, 0.15 s for a
//!    1,000 × 1,000 multimodal table on 2 cores). [`distances_to_all`] and
//!    [`distances_from_all`] (`phast.rs`) give exact one-to-all distances in
//!    either direction, by one upward search and one sweep over all nodes
//!    (1.6 ms on the railways, 10 ms on 845 k nodes and 3.7 M hierarchy arcs);
//!    [`Sweep::to_targets_within`] sweeps only a [`Selection`] of nodes and
//!    their ancestors (RPHAST).
//! 4. [`Raise`] (`raise.rs`) updates a metric after a few input arcs got
//!    heavier, recomputing only the shortcuts that can change, and undoes
//!    it: what-if closures without a full customization each.
//! 5. [`HierarchyView::companions`] (`companion.rs`) sums other criteria
//!    (cost, CO2e, distance, given per input arc) along the paths a metric
//!    chose for its arcs, in one pass over the `via` entries, and
//!    [`matrix_with_sums`] carries them through the bucket matrix: every
//!    cell's distance, its ends and what its path adds up to in each
//!    criterion, without unpacking (a 1,000 × 1,000 multimodal table with
//!    four criteria in about 0.3 s on 2 cores).
//!
//! Memory: a hierarchy takes 8 bytes per node, 4 per input arc and 4 per
//! hierarchy arc (31 MB for the multimodal network); a metric 32 bytes per
//! hierarchy arc (116 MB there); companions 8 bytes per hierarchy arc and
//! criterion (16 if a sum passes 32 bits); a [`Query`] 24 bytes per node
//! (20 MB), so keep one per thread and reuse it, and likewise
//! [`MatrixBuffers`] (16 bytes per node per thread); a [`Sweep`] 8 bytes
//! per node.
//!
//! The input graph is undirected in topology (every edge given as two arcs),
//! but weights are per arc, so the two directions of an edge may differ.
//! Distances are exact `u64` sums of the `u32` weights. Everything is plain
//! data: no IO, no modes, no files. The arrays are `u32`/`u64` slices, so the
//! caller can store them as sections of a memory-mapped file and query
//! through the zero-copy [`HierarchyView`] and [`MetricView`].
//!
//! Threads: `build` and the matrices use rayon's current pool (run them
//! inside `ThreadPool::install` to bound them); customization, companion
//! sums, [`Query`] and [`Sweep`] run on the calling thread.
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

mod companion;
mod contraction;
mod customization;
mod dissection;
mod matrix;
mod order;
mod phast;
mod query;
mod raise;
mod view;

pub use companion::Companions;
pub use matrix::{
    MatrixBuffers, SumsCell, SumsMatrix, buckets_hold_sources, matrix, matrix_in, matrix_with_sums,
};
pub use phast::{Selection, Sweep, Within, distances_from_all, distances_to_all};
pub use query::{PathResult, Query, QueryBuffers};
pub use raise::{Raise, RaiseIndex, Undo};
pub use view::{HIERARCHY_SECTIONS, HierarchyView, InvalidArrays, METRIC_SECTIONS, MetricView};

/// Input arc weight that marks the arc as closed.
pub const CLOSED: u32 = u32::MAX;

/// Distance of an unreachable node in the metric and in searches.
pub(crate) const INF: u64 = u64::MAX;

/// Absent id.
pub(crate) const NONE: u32 = u32::MAX;

/// Version of the meaning and layout of the persisted arrays; a file that
/// stores them must be rebuilt when this changes.
///
/// Still 1 since metrics began to store pair entries (two input arcs in one
/// `via`, for the shortcuts made of two input arcs): the hierarchy
/// arrays are unchanged, metric arrays of before read as they did, and a
/// version that predates pairs refuses a metric holding them (its
/// [`MetricView::from_sections`] check fails) rather than misreading it.
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
    /// How `up` is realised: an input arc id with [`VIA_ARC`] set; two input
    /// arcs in travel order with [`VIA_ARC`] and [`VIA_PAIR`] set (the first
    /// in bits 31–61, the second in bits 0–30), when both halves of a
    /// shortcut are input arcs; or the two halves of a lower triangle
    /// `y – x – z` as the upward arc ids `x → y` (high 32 bits) and `x → z`
    /// (low); or `VIA_NONE`.
    pub(crate) up_via: Vec<u64>,
    /// The same for `down`.
    pub(crate) down_via: Vec<u64>,
}

/// Flag on a `via` entry that holds an input arc id rather than two halves.
pub(crate) const VIA_ARC: u64 = 1 << 63;

/// Flag, with [`VIA_ARC`], on a `via` entry that holds two input arc ids
/// (see [`via_pair`]): a shortcut of two input arcs unpacks in one step.
pub(crate) const VIA_PAIR: u64 = 1 << 62;

/// The `via` entry of a shortcut made of the input arcs `first` and then
/// `second` (both below 2³¹).
#[inline]
pub(crate) fn via_pair(first: u64, second: u64) -> u64 {
    VIA_ARC | VIA_PAIR | (first << 31) | second
}

/// Input arc ids of a `via` with [`VIA_ARC`] set, at 31 bits each: an input
/// arc id is below 2³¹ (`Hierarchy::build` and the view checks refuse more).
pub(crate) const ARC_BITS: u64 = 0x7fff_ffff;

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
    /// A copy made on two threads (a world metric is ~110 MB; copying it is
    /// bound by memory bandwidth, which one core does not saturate).
    pub fn par_clone(&self) -> Metric {
        let ((up, down), (up_via, down_via)) = rayon::join(
            || rayon::join(|| self.up.clone(), || self.down.clone()),
            || rayon::join(|| self.up_via.clone(), || self.down_via.clone()),
        );
        Metric {
            up,
            down,
            up_via,
            down_via,
        }
    }

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

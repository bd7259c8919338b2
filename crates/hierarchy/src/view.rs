//! Borrowed views of the hierarchy and metric arrays, and their persistence.
//!
//! Queries and customization run on views, so the arrays can live in a
//! memory-mapped file as well as in a [`Hierarchy`]/[`Metric`]. A view made
//! from foreign slices is checked once (lengths, ranges, order, and the
//! chordality every search relies on, and that every metric entry unpacks
//! into strictly lower arcs whose weights add up to it); after that nothing
//! is re-checked, and nothing that passed can make a query or customization
//! panic or loop.

use crate::{ARC_BITS, Hierarchy, INF, Metric, NONE, VIA_ARC, VIA_PAIR};

/// Zero-copy view of a [`Hierarchy`].
#[derive(Debug, Clone, Copy)]
pub struct HierarchyView<'a> {
    pub(crate) rank: &'a [u32],
    pub(crate) up_first_out: &'a [u32],
    pub(crate) up_head: &'a [u32],
    pub(crate) arc_slot: &'a [u32],
}

/// Zero-copy view of a [`Metric`].
#[derive(Debug, Clone, Copy)]
pub struct MetricView<'a> {
    pub(crate) up: &'a [u64],
    pub(crate) down: &'a [u64],
    pub(crate) up_via: &'a [u64],
    pub(crate) down_via: &'a [u64],
}

/// Arrays that do not form a valid hierarchy or metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArrays(pub String);

impl std::fmt::Display for InvalidArrays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid hierarchy arrays: {}", self.0)
    }
}

impl std::error::Error for InvalidArrays {}

/// Names of the hierarchy sections, in the order of
/// [`HierarchyView::sections`] and [`HierarchyView::from_sections`].
pub const HIERARCHY_SECTIONS: [&str; 4] = ["rank", "up_first_out", "up_head", "arc_slot"];

impl<'a> HierarchyView<'a> {
    /// The arrays to persist, named, in a fixed order; all are `u32`.
    pub fn sections(&self) -> [(&'static str, &'a [u32]); 4] {
        let s = [self.rank, self.up_first_out, self.up_head, self.arc_slot];
        std::array::from_fn(|i| (HIERARCHY_SECTIONS[i], s[i]))
    }

    /// Rebuilds a view over persisted sections (in the order of
    /// [`HIERARCHY_SECTIONS`]), checking them in time linear in their size.
    pub fn from_sections(s: [&'a [u32]; 4]) -> Result<Self, InvalidArrays> {
        let view = HierarchyView {
            rank: s[0],
            up_first_out: s[1],
            up_head: s[2],
            arc_slot: s[3],
        };
        view.check()?;
        Ok(view)
    }

    /// A view of sections that [`HierarchyView::from_sections`] accepted
    /// before: the same four slices, re-borrowed by a caller that keeps
    /// only the owner of the memory (the engine re-slices its network file
    /// per query instead of holding views into it). The full check is not
    /// repeated; lengths are, so a mix-up of sections is still refused.
    pub fn from_checked_sections(s: [&'a [u32]; 4]) -> Result<Self, InvalidArrays> {
        let view = HierarchyView {
            rank: s[0],
            up_first_out: s[1],
            up_head: s[2],
            arc_slot: s[3],
        };
        if view.up_first_out.len() != view.rank.len() + 1
            || view.up_first_out.last().copied() != Some(view.up_head.len() as u32)
        {
            return Err(InvalidArrays(
                "sections differ from the checked ones".into(),
            ));
        }
        Ok(view)
    }

    /// Copies the arrays into an owned [`Hierarchy`].
    pub fn to_hierarchy(&self) -> Hierarchy {
        Hierarchy {
            rank: self.rank.to_vec(),
            up_first_out: self.up_first_out.to_vec(),
            up_head: self.up_head.to_vec(),
            arc_slot: self.arc_slot.to_vec(),
        }
    }

    /// Number of input arcs the weights are given for.
    pub fn input_arc_count(&self) -> usize {
        self.arc_slot.len()
    }

    /// Number of input nodes.
    pub fn node_count(&self) -> usize {
        self.rank.len()
    }

    /// Number of upward arcs.
    pub fn arc_count(&self) -> usize {
        self.up_head.len()
    }

    /// Upward arc ids of node `x` (a rank).
    #[inline]
    pub(crate) fn up_range(&self, x: u32) -> std::ops::Range<usize> {
        self.up_first_out[x as usize] as usize..self.up_first_out[x as usize + 1] as usize
    }

    /// Parent of `x` in the elimination tree.
    #[inline]
    pub(crate) fn parent(&self, x: u32) -> u32 {
        let r = self.up_range(x);
        if r.is_empty() {
            NONE
        } else {
            self.up_head[r.start]
        }
    }

    /// Id of the upward arc `x → y`, which must exist.
    #[inline]
    pub(crate) fn arc(&self, x: u32, y: u32) -> usize {
        let r = self.up_range(x);
        r.start
            + self.up_head[r]
                .binary_search(&y)
                .expect("lower triangles exist in a chordal graph")
    }

    /// Nodes on the longest root path of the elimination tree.
    pub fn height(&self) -> usize {
        let n = self.node_count();
        let mut depth = vec![1usize; n];
        let mut best = 0;
        for x in (0..n as u32).rev() {
            let p = self.parent(x);
            if p != NONE {
                depth[x as usize] = depth[p as usize] + 1;
            }
            best = best.max(depth[x as usize]);
        }
        best
    }

    fn check(&self) -> Result<(), InvalidArrays> {
        let bad = |what: &str| Err(InvalidArrays(what.to_string()));
        let n = self.rank.len();
        let a = self.up_head.len();
        if n >= (1 << 31) || a >= (1 << 31) || self.arc_slot.len() >= (1 << 31) {
            return bad("too large");
        }
        let mut seen = vec![false; n];
        for &r in self.rank {
            if r as usize >= n || std::mem::replace(&mut seen[r as usize], true) {
                return bad("rank is not a permutation");
            }
        }
        let f = self.up_first_out;
        if f.len() != n + 1 || f[0] != 0 || f[n] as usize != a || f.windows(2).any(|w| w[0] > w[1])
        {
            return bad("arc offsets are not monotone");
        }
        // Upward heads: above their tail, strictly ascending.
        for x in 0..n as u32 {
            let heads = &self.up_head[self.up_range(x)];
            if heads.iter().any(|&y| y <= x || y as usize >= n)
                || heads.windows(2).any(|w| w[0] >= w[1])
            {
                return bad("upward arcs are not ascending above their tail");
            }
        }
        // Chordality: a node's higher neighbours are all neighbours of its
        // parent, which makes them all ancestors and closes every triangle.
        for x in 0..n as u32 {
            let r = self.up_range(x);
            if r.len() > 1 {
                let parent = self.up_head[r.start] as usize;
                let pr = self.up_range(parent as u32);
                if !is_subset(&self.up_head[r.start + 1..r.end], &self.up_head[pr]) {
                    return bad("the shortcut graph is not chordal");
                }
            }
        }
        if self
            .arc_slot
            .iter()
            .any(|&s| s != NONE && s as usize >= 2 * a)
        {
            return bad("input arc mapped out of range");
        }
        Ok(())
    }
}

/// Both ascending.
fn is_subset(small: &[u32], big: &[u32]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

/// Names of the metric sections, in the order of [`MetricView::sections`]
/// and [`MetricView::from_sections`]; all are `u64`.
pub const METRIC_SECTIONS: [&str; 4] = ["up", "down", "up_via", "down_via"];

impl<'a> MetricView<'a> {
    /// The arrays to persist, named, in a fixed order; all are `u64`.
    pub fn sections(&self) -> [(&'static str, &'a [u64]); 4] {
        let s = [self.up, self.down, self.up_via, self.down_via];
        std::array::from_fn(|i| (METRIC_SECTIONS[i], s[i]))
    }

    /// Rebuilds a view over persisted sections (in the order of
    /// [`METRIC_SECTIONS`]), checking them against the hierarchy they were
    /// customized on, in time O(arcs · log nodes).
    pub fn from_sections(h: &HierarchyView<'_>, s: [&'a [u64]; 4]) -> Result<Self, InvalidArrays> {
        let [up, down, up_via, down_via] = s;
        let a = h.arc_count();
        if s.iter().any(|v| v.len() != a) {
            return Err(InvalidArrays(
                "metric length differs from the hierarchy".into(),
            ));
        }
        // Every finite weight must unpack: into an input arc (or two), or
        // into two arcs `x → y`, `x → z` below an arc `y → z` whose finite
        // weights add up to it, so that unpacking, which trusts the `via` of
        // finite entries only, never meets any other.
        let m = h.arc_slot.len() as u64;
        let tail = |arc: usize| (h.up_first_out.partition_point(|&f| f as usize <= arc) - 1) as u32;
        for y in 0..h.node_count() as u32 {
            for d in h.up_range(y) {
                for (w, via, is_up) in [(up[d], up_via[d], true), (down[d], down_via[d], false)] {
                    let ok = if w == INF {
                        true
                    } else if via & (VIA_ARC | VIA_PAIR) == VIA_ARC | VIA_PAIR {
                        (via >> 31) & ARC_BITS < m && via & ARC_BITS < m
                    } else if via & VIA_ARC != 0 {
                        via & !VIA_ARC < m
                    } else {
                        let (b, c) = ((via >> 32) as usize, (via & 0xffff_ffff) as usize);
                        b < a && c < a && {
                            let x = tail(b);
                            // `y → z` is `b` down then `c` up; `z → y` is
                            // `c` down then `b` up.
                            let (first, second) = if is_up {
                                (down[b], up[c])
                            } else {
                                (down[c], up[b])
                            };
                            x < y
                                && tail(c) == x
                                && h.up_head[b] == y
                                && h.up_head[c] == h.up_head[d]
                                && first != INF
                                && second != INF
                                && first.checked_add(second) == Some(w)
                        }
                    };
                    if !ok {
                        return Err(InvalidArrays("metric entry cannot be unpacked".into()));
                    }
                }
            }
        }
        Ok(MetricView {
            up,
            down,
            up_via,
            down_via,
        })
    }

    /// Copies the arrays into an owned [`Metric`].
    pub fn to_metric(&self) -> Metric {
        Metric {
            up: self.up.to_vec(),
            down: self.down.to_vec(),
            up_via: self.up_via.to_vec(),
            down_via: self.down_via.to_vec(),
        }
    }
}

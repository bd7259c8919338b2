//! Partial re-customization after a few input arcs got heavier (closed, or
//! slowed): only the shortcuts that can change are recomputed, and the
//! changes can be undone, so one metric serves many "what if this element
//! failed" questions in turn.
//!
//! A shortcut `x → y` (lower node `x`) depends on its input arcs and on its
//! lower triangles `x – w – y` (`w` below both). So when input arcs change,
//! only their own shortcuts can change directly, and a shortcut that changes
//! can only change the shortcuts it forms triangles with at its lower node:
//! `y → z` or `z → y` for every other upper neighbour `z` of `x`. Those lie
//! higher, so processing the dirty shortcuts in order of their lower node
//! recomputes each one once, from final values. A recomputation is a pull
//! over the lower triangles (the lower neighbours `w` of `x` or of `y`,
//! whichever are fewer, and a binary search for the other end among `w`'s
//! upper neighbours), so it needs no state from
//! the full customization. As weights only rise, a changed shortcut makes a
//! higher one dirty only if their triangle gave that one its value before
//! (the old sum equals it); otherwise its minimum lies elsewhere and stays.
//!
//! The result is exactly what [`HierarchyView::customize`] computes for the
//! new weights: same distances, same unpacking (the oracle test compares the
//! arrays).

use std::collections::{BTreeSet, HashMap};

use crate::{ARC_BITS, HierarchyView, INF, Metric, VIA_ARC, VIA_NONE, VIA_PAIR, via_pair};

/// Precomputed reverse adjacency of a hierarchy, for [`Raise::apply`]:
/// a view and its [`RaiseIndex`] (owned, or borrowed from a cache).
pub struct Raise<'a> {
    view: HierarchyView<'a>,
    ix: std::borrow::Cow<'a, RaiseIndex>,
}

/// The reverse adjacency itself, owned: built once per hierarchy
/// ([`RaiseIndex::new`]) and kept by callers that raise many metrics of
/// the same hierarchy (the engine deriving a scenario's metric from the
/// baseline's).
#[derive(Clone, Debug)]
pub struct RaiseIndex {
    /// Lower node of each upward arc.
    tail: Vec<u32>,
    /// CSR over nodes: the upward arcs `w → x` into `x`, by ascending `w`.
    lower_first: Vec<u32>,
    lower_arc: Vec<u32>,
    /// CSR over upward arcs: the input arcs that map onto each.
    input_first: Vec<u32>,
    input_arc: Vec<u32>,
}

/// What [`Raise::apply`] changed, to put back with [`Raise::undo`].
#[derive(Default)]
pub struct Undo {
    saved: Vec<(u32, u64, u64, u64, u64)>,
}

impl Undo {
    /// Number of shortcuts that changed.
    pub fn len(&self) -> usize {
        self.saved.len()
    }

    pub fn is_empty(&self) -> bool {
        self.saved.is_empty()
    }
}

impl<'a> Raise<'a> {
    /// Builds the reverse adjacency (linear in the hierarchy's size).
    pub fn new(view: HierarchyView<'a>) -> Raise<'a> {
        Raise {
            view,
            ix: std::borrow::Cow::Owned(RaiseIndex::new(view)),
        }
    }

    /// Raises on `view` with an index built for it before.
    ///
    /// # Panics
    /// If `index` was built for a hierarchy of another size.
    pub fn with_index(view: HierarchyView<'a>, index: &'a RaiseIndex) -> Raise<'a> {
        assert_eq!(
            index.tail.len(),
            view.arc_count(),
            "index of another hierarchy"
        );
        Raise {
            view,
            ix: std::borrow::Cow::Borrowed(index),
        }
    }
}

impl RaiseIndex {
    /// Builds the reverse adjacency of `view` (linear in its size).
    pub fn new(view: HierarchyView<'_>) -> RaiseIndex {
        let n = view.node_count();
        let m = view.arc_count();
        let mut tail = vec![0u32; m];
        for x in 0..n as u32 {
            for b in view.up_range(x) {
                tail[b] = x;
            }
        }
        let mut lower_first = vec![0u32; n + 1];
        for &y in view.up_head {
            lower_first[y as usize + 1] += 1;
        }
        for i in 0..n {
            lower_first[i + 1] += lower_first[i];
        }
        let mut fill = lower_first.clone();
        let mut lower_arc = vec![0u32; m];
        // Arcs in id order have ascending tails, so each list is by `w`.
        for (b, &y) in view.up_head.iter().enumerate() {
            lower_arc[fill[y as usize] as usize] = b as u32;
            fill[y as usize] += 1;
        }
        let mut input_first = vec![0u32; m + 1];
        for &slot in view.arc_slot {
            if slot != crate::NONE {
                input_first[(slot / 2) as usize + 1] += 1;
            }
        }
        for i in 0..m {
            input_first[i + 1] += input_first[i];
        }
        let mut fill = input_first.clone();
        let mut input_arc = vec![0u32; input_first[m] as usize];
        for (i, &slot) in view.arc_slot.iter().enumerate() {
            if slot != crate::NONE {
                let d = (slot / 2) as usize;
                input_arc[fill[d] as usize] = i as u32;
                fill[d] += 1;
            }
        }
        RaiseIndex {
            tail,
            lower_first,
            lower_arc,
            input_first,
            input_arc,
        }
    }
}

impl Raise<'_> {
    /// Updates `metric`, customized for earlier weights, to `weight`, where
    /// only the input arcs in `changed` differ and none got lighter. Returns
    /// what to restore with [`Raise::undo`].
    ///
    /// # Panics
    /// If `weight` does not have one entry per input arc, or an arc id in
    /// `changed` is out of range.
    pub fn apply(&self, metric: &mut Metric, weight: &[u32], changed: &[u32]) -> Undo {
        assert_eq!(
            weight.len(),
            self.view.arc_slot.len(),
            "one weight per input arc"
        );
        let mut dirty: BTreeSet<(u32, u32)> = BTreeSet::new();
        for &i in changed {
            let slot = self.view.arc_slot[i as usize];
            if slot != crate::NONE {
                let d = slot / 2;
                dirty.insert((self.ix.tail[d as usize], d));
            }
        }
        let mut undo = Undo::default();
        // Old (up, down) of the arcs changed so far.
        let mut old_of: HashMap<u32, (u64, u64)> = HashMap::new();
        while let Some((x, d)) = dirty.pop_first() {
            let d = d as usize;
            let (up, down, up_via, down_via) = self.recompute(metric, weight, x, d);
            let old = (
                metric.up[d],
                metric.down[d],
                metric.up_via[d],
                metric.down_via[d],
            );
            if (up, down, up_via, down_via) == old {
                continue;
            }
            undo.saved.push((d as u32, old.0, old.1, old.2, old.3));
            old_of.insert(d as u32, (old.0, old.1));
            metric.up[d] = up;
            metric.down[d] = down;
            metric.up_via[d] = up_via;
            metric.down_via[d] = down_via;
            // Triangles with `d` as a lower side: at `x`, with each other
            // upper neighbour `z`, the arc between `y` and `z`. Weights only
            // rose, so that arc can change only if the triangle gave its
            // value before (old sum equal to its value; it is unchanged so
            // far, being higher): otherwise its minimum lies elsewhere.
            let y = self.view.up_head[d];
            let (d_up, d_down) = (old.0, old.1);
            for c in self.view.up_range(x) {
                let z = self.view.up_head[c];
                if z == y {
                    continue;
                }
                let (c_up, c_down) = old_of
                    .get(&(c as u32))
                    .copied()
                    .unwrap_or((metric.up[c], metric.down[c]));
                let (e, via_up, via_down) = if y < z {
                    let e = self.view.arc(y, z);
                    (e, d_down.saturating_add(c_up), c_down.saturating_add(d_up))
                } else {
                    let e = self.view.arc(z, y);
                    (e, c_down.saturating_add(d_up), d_down.saturating_add(c_up))
                };
                if via_up == metric.up[e] || via_down == metric.down[e] {
                    dirty.insert((y.min(z), e as u32));
                }
            }
        }
        undo
    }

    /// Puts back what [`Raise::apply`] changed.
    pub fn undo(&self, metric: &mut Metric, undo: Undo) {
        for (d, up, down, up_via, down_via) in undo.saved.into_iter().rev() {
            let d = d as usize;
            metric.up[d] = up;
            metric.down[d] = down;
            metric.up_via[d] = up_via;
            metric.down_via[d] = down_via;
        }
    }

    /// The weights and `via`s of arc `d` (`x → y`) from its input arcs and
    /// its lower triangles, in the order full customization considers them
    /// (input arcs by id, then triangles by ascending middle node), so ties
    /// resolve the same way.
    fn recompute(&self, m: &Metric, weight: &[u32], x: u32, d: usize) -> (u64, u64, u64, u64) {
        let (mut up, mut down, mut up_via, mut down_via) = (INF, INF, VIA_NONE, VIA_NONE);
        for &i in
            &self.ix.input_arc[self.ix.input_first[d] as usize..self.ix.input_first[d + 1] as usize]
        {
            let w = weight[i as usize];
            if w == crate::CLOSED {
                continue;
            }
            let slot = self.view.arc_slot[i as usize];
            let (dist, via) = if slot.is_multiple_of(2) {
                (&mut up, &mut up_via)
            } else {
                (&mut down, &mut down_via)
            };
            if u64::from(w) < *dist {
                *dist = u64::from(w);
                *via = u64::from(i) | VIA_ARC;
            }
        }
        let y = self.view.up_head[d];
        // The middle nodes `w` lie below both ends: walk the shorter of the
        // two lower lists (both ascend by `w`, the order customization
        // relaxes in) and look the other end up among `w`'s upper neighbours.
        let lower = |v: u32| {
            &self.ix.lower_arc[self.ix.lower_first[v as usize] as usize
                ..self.ix.lower_first[v as usize + 1] as usize]
        };
        let (list, other) = if lower(x).len() <= lower(y).len() {
            (lower(x), y)
        } else {
            (lower(y), x)
        };
        for &a in list {
            let a = a as usize;
            let w = self.ix.tail[a];
            let r = self.view.up_range(w);
            let Ok(k) = self.view.up_head[r.clone()].binary_search(&other) else {
                continue;
            };
            // b = w → x, c = w → y.
            let (b, c) = if other == y {
                (a, r.start + k)
            } else {
                (r.start + k, a)
            };
            let via_up = m.down[b].saturating_add(m.up[c]);
            if via_up < up {
                up = via_up;
                up_via = halves(m.down_via[b], m.up_via[c], b, c);
            }
            let via_down = m.down[c].saturating_add(m.up[b]);
            if via_down < down {
                down = via_down;
                down_via = halves(m.down_via[c], m.up_via[b], b, c);
            }
        }
        (up, down, up_via, down_via)
    }
}

/// As in `customization.rs`: two input arcs as a pair, else the halves.
#[inline]
fn halves(first: u64, second: u64, b: usize, c: usize) -> u64 {
    let single = |v: u64| v & (VIA_ARC | VIA_PAIR) == VIA_ARC;
    if single(first) && single(second) {
        via_pair(first & ARC_BITS, second & ARC_BITS)
    } else {
        ((b as u64) << 32) | c as u64
    }
}

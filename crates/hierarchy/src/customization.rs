//! Customization: from weights per input arc to weights per hierarchy arc.
//!
//! Each upward arc `x → y` first takes the lightest input arc between its
//! ends, per direction (so of parallel arcs the lightest wins). Then nodes are
//! processed bottom-up; at node `x`, every pair of higher neighbours `y < z`
//! forms a lower triangle `y – x – z` that may shorten the arc `y → z` (and
//! `z → y`). The arcs of `x` are final by then: each triangle below them has
//! a lower node still, processed earlier. We record which middle node gave
//! each weight, as the ids of its two halves `x → y` and `x → z`, so queries
//! unpack a shortcut without searching. A shortcut whose halves are both
//! input arcs records those two arcs instead (about 40 % of the shortcuts a
//! long railway path unpacks), which saves queries a step of unpacking each.
//!
//! One core customizes the 850 k-node multimodal network in 0.3 s, so this
//! stays serial and simple. (The push order writes into other nodes' arcs;
//! a parallel version would pull per node, level by level of the tree.)

use crate::{ARC_BITS, HierarchyView, INF, Metric, VIA_ARC, VIA_NONE, VIA_PAIR, via_pair};

impl HierarchyView<'_> {
    /// Weights per input arc ([`crate::CLOSED`] closes it) → shortcut weights.
    ///
    /// # Panics
    /// If `weight` does not have one entry per input arc.
    pub fn customize(&self, weight: &[u32]) -> Metric {
        let a = self.arc_count();
        let mut metric = Metric {
            up: vec![INF; a],
            down: vec![INF; a],
            up_via: vec![VIA_NONE; a],
            down_via: vec![VIA_NONE; a],
        };
        self.customize_into(weight, &mut metric);
        metric
    }

    /// As [`HierarchyView::customize`], reusing `metric`'s buffers.
    pub fn customize_into(&self, weight: &[u32], metric: &mut Metric) {
        assert_eq!(
            weight.len(),
            self.arc_slot.len(),
            "one weight per input arc"
        );
        let a = self.arc_count();
        for v in [&mut metric.up, &mut metric.down] {
            v.clear();
            v.resize(a, INF);
        }
        for v in [&mut metric.up_via, &mut metric.down_via] {
            v.clear();
            v.resize(a, VIA_NONE);
        }
        let Metric {
            up,
            down,
            up_via,
            down_via,
        } = metric;

        for (i, (&slot, &w)) in self.arc_slot.iter().zip(weight).enumerate() {
            if slot == crate::NONE || w == crate::CLOSED {
                continue;
            }
            let arc = (slot / 2) as usize;
            let (dist, via) = if slot % 2 == 0 {
                (&mut up[arc], &mut up_via[arc])
            } else {
                (&mut down[arc], &mut down_via[arc])
            };
            if u64::from(w) < *dist {
                *dist = u64::from(w);
                *via = i as u64 | VIA_ARC;
            }
        }

        // Push form: at `x`, every pair of higher neighbours `y < z` closes
        // the triangle `y – x – z`, whose third arc `y → z` is in `y`'s list.
        for x in 0..self.node_count() as u32 {
            let x_arcs = self.up_range(x);
            for b in x_arcs.clone() {
                let (x_down, x_up) = (down[b], up[b]);
                let (b_down_via, b_up_via) = (down_via[b], up_via[b]);
                if x_down == INF && x_up == INF {
                    continue;
                }
                let y = self.up_head[b];
                let y_arcs = self.up_range(y);
                let y_heads = &self.up_head[y_arcs.clone()];
                let mut k = 0;
                for c in b + 1..x_arcs.end {
                    let z = self.up_head[c];
                    while k < y_heads.len() && y_heads[k] < z {
                        k += 1;
                    }
                    if k == y_heads.len() {
                        break; // not chordal; `HierarchyView::check` rules it out
                    }
                    let d = y_arcs.start + k;
                    let via_y_z = x_down.saturating_add(up[c]);
                    if via_y_z < up[d] {
                        up[d] = via_y_z;
                        up_via[d] = halves(b_down_via, up_via[c], b, c);
                    }
                    let via_z_y = down[c].saturating_add(x_up);
                    if via_z_y < down[d] {
                        down[d] = via_z_y;
                        down_via[d] = halves(down_via[c], b_up_via, b, c);
                    }
                }
            }
        }
    }
}

/// The `via` of a shortcut through lower arcs `b` (`x → y`) and `c`
/// (`x → z`), whose first and second halves in travel order have the `via`s
/// `first` and `second` (final, as the arcs of `x` are): the two input arcs
/// as a [`via_pair`] when both halves are single input arcs, else the halves.
#[inline]
fn halves(first: u64, second: u64, b: usize, c: usize) -> u64 {
    let single = |v: u64| v & (VIA_ARC | VIA_PAIR) == VIA_ARC;
    if single(first) && single(second) {
        via_pair(first & ARC_BITS, second & ARC_BITS)
    } else {
        pair(b, c)
    }
}

/// The `via` of a shortcut through lower arcs `b` (`x → y`) and `c` (`x → z`).
#[inline]
fn pair(b: usize, c: usize) -> u64 {
    ((b as u64) << 32) | c as u64
}
